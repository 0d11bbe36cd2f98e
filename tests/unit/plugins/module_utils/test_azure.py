# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure pieces of module_utils/azure.py: cloud resolution, error mapping, retry and poll bounds, ids."""

import json
import ssl

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError, ServiceResponseTimeoutError
from azure.core.pipeline import Pipeline
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest

from ansible_collections.crosscloud.interconnect.plugins.module_utils import azure as az
from ansible_collections.crosscloud.interconnect.plugins.module_utils import desired
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError


class FakeResponse(object):
    """Just enough of an azure-core HTTP response for the exception and retry code."""

    def __init__(self, status_code, body=None, headers=None):
        self.status_code = status_code
        self.reason = "Reason %d" % status_code
        self.headers = dict(headers or {})
        self._body = json.dumps(body) if body is not None else ""
        self.content_type = "application/json"

    def text(self, encoding=None):
        return self._body

    def body(self):
        return self._body.encode()


class ScriptedTransport(HttpTransport):
    """Answers each send with the next scripted response (or raises it); records sleeps."""

    def __init__(self, script):
        self.script = list(script)
        self.sent = 0
        self.sleeps = []

    def send(self, request, **kwargs):
        self.sent += 1
        outcome = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def sleep(self, duration):
        self.sleeps.append(duration)

    def open(self):
        pass

    def close(self):
        pass

    def __exit__(self, *args):
        pass


def run_pipeline(script, **settings):
    transport = ScriptedTransport(script)
    retry = az.retry_policy_class()(**dict(az.RETRY_SETTINGS, **settings))
    pipeline = Pipeline(transport, policies=[retry])
    return transport, pipeline


# -- cloud environment ---------------------------------------------------------------------------

def no_fetch(url):
    raise AssertionError("a named cloud must not fetch metadata (asked for %s)" % url)


@pytest.mark.parametrize("name, resource_manager, authority", [
    (None, "https://management.azure.com", "https://login.microsoftonline.com"),
    ("AzureCloud", "https://management.azure.com", "https://login.microsoftonline.com"),
    ("azurecloud", "https://management.azure.com", "https://login.microsoftonline.com"),
    ("AzurePublicCloud", "https://management.azure.com", "https://login.microsoftonline.com"),
    ("AzureChinaCloud", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn"),
    ("AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us"),
])
def test_named_clouds_resolve_without_network(name, resource_manager, authority):
    cloud = az.resolve_cloud(name, no_fetch)
    assert (cloud["resource_manager"], cloud["authority"], cloud["from_metadata"]) == (resource_manager, authority, False)


def test_us_government_token_audience_is_not_its_arm_host():
    cloud = az.resolve_cloud("AzureUSGovernment", no_fetch)
    assert az.credential_scope(cloud["audience"]) == "https://management.core.usgovcloudapi.net/.default"


def test_unknown_cloud_name_names_the_known_ones():
    with pytest.raises(az.CloudResolutionError) as caught:
        az.resolve_cloud("AzureGermanCloud", no_fetch)
    assert "AzureGermanCloud" in str(caught.value) and "AzureChinaCloud" in str(caught.value)


def test_metadata_url_object_answer_azure_stack_style():
    asked = []

    def fetch(url):
        asked.append(url)
        return {"resourceManager": "https://arm.local:8443/",
                "authentication": {"loginEndpoint": "https://login.local:8443/", "audiences": ["https://arm.local/aud/"]}}

    cloud = az.resolve_cloud("https://arm.local:8443/", fetch)
    assert asked == ["https://arm.local:8443"]
    assert cloud == dict(resource_manager="https://arm.local:8443", authority="https://login.local:8443",
                         audience="https://arm.local/aud", from_metadata=True)
    assert az.credential_scope(cloud["audience"]) == "https://arm.local/aud/.default"


def test_metadata_url_list_answer_picks_the_cloud_we_asked():
    document = [
        {"name": "Other", "resourceManager": "https://other.example",
         "authentication": {"loginEndpoint": "https://login.other", "audiences": ["https://other"]}},
        {"name": "Ours", "resourceManager": "https://arm.example/",
         "authentication": {"loginEndpoint": "https://login.ours", "audiences": ["https://ours", "https://alt"]}},
    ]
    cloud = az.resolve_cloud("https://arm.example", lambda url: document)
    assert (cloud["authority"], cloud["audience"]) == ("https://login.ours", "https://ours")


def test_metadata_without_login_endpoint_is_refused_by_name():
    with pytest.raises(az.CloudResolutionError) as caught:
        az.resolve_cloud("https://arm.example", lambda url: {"resourceManager": "https://arm.example",
                                                             "authentication": {"audiences": ["x"]}})
    assert "authentication.loginEndpoint" in str(caught.value)


# -- errors --------------------------------------------------------------------------------------

def test_http_error_maps_code_message_and_request_ids():
    response = FakeResponse(404, {"error": {"code": "ResourceGroupNotFound", "message": "Resource group 'x' could not be found."}},
                            {"x-ms-request-id": "req-1", "x-ms-correlation-request-id": "corr-1"})
    error = HttpResponseError(response=response)
    assert az.describe_error(error) == dict(msg="Resource group 'x' could not be found.", status_code=404,
                                            error_code="ResourceGroupNotFound", request_id="req-1",
                                            correlation_request_id="corr-1")
    assert not az.is_not_found(error)


@pytest.mark.parametrize("code, absent", [("ResourceNotFound", True), ("NotFound", True), (None, True),
                                          ("ResourceGroupNotFound", False), ("ParentResourceNotFound", False)])
def test_only_a_missing_resource_counts_as_absent(code, absent):
    body = {"error": {"code": code, "message": "m"}} if code else None
    assert az.is_not_found(HttpResponseError(response=FakeResponse(404, body))) is absent


def test_non_404_is_never_absent():
    assert not az.is_not_found(HttpResponseError(response=FakeResponse(409, {"error": {"code": "Conflict", "message": "m"}})))


def test_authentication_error_says_which_credentials():
    details = az.describe_error(ClientAuthenticationError(message="AADSTS7000215: Invalid client secret provided.\nTrace ID: 1"))
    assert details["msg"].startswith("Azure refused the credentials")
    assert "AADSTS7000215: Invalid client secret provided." in details["msg"] and "Trace ID" not in details["msg"]


@pytest.mark.parametrize("status", [503, 429])
def test_an_entra_id_that_does_not_answer_is_an_outage_not_a_refusal(status):
    # azure-identity's raise_for_status: the same error type for any HTTP error of the token endpoint.
    error = ClientAuthenticationError(message="Unexpected response from Microsoft Entra ID",
                                      response=FakeResponse(status, None))
    details = az.describe_error(error)
    assert details["msg"].startswith("Microsoft Entra ID could not sign in (HTTP %d after retries): the sign-in "
                                     "service is unavailable or throttling, the credentials were not judged" % status)
    assert "refused" not in details["msg"] and details["status_code"] == status


def test_an_entra_id_outage_seen_through_msal_carries_its_status_in_the_message():
    # What ClientSecretCredential raises for a token endpoint answering 503 (observed against cloudsim): no
    # response, the status only in msal's "HTTP Error: 503".
    details = az.describe_error(ClientAuthenticationError(message="Authentication failed: HTTP Error: 503"))
    assert details["status_code"] == 503 and details["msg"].startswith("Microsoft Entra ID could not sign in (HTTP 503")


def sign_in_after_a_timeout():
    """What azure-identity raises when azure-core's retry ran out of time: its error, raised while handling
    the timeout."""
    try:
        raise ServiceResponseTimeoutError("Response timeout")
    except ServiceResponseTimeoutError:
        try:
            raise ClientAuthenticationError(message="Authentication failed: Response timeout")
        except ClientAuthenticationError as error:
            return error


def test_a_sign_in_that_got_no_answer_in_time_is_an_outage():
    details = az.describe_error(sign_in_after_a_timeout())
    assert details["msg"].startswith("Microsoft Entra ID could not sign in (no answer within the time budget)")


def test_entra_id_refusing_the_secret_with_its_401_is_a_refusal():
    error = ClientAuthenticationError(message="Authentication failed: AADSTS7000215", response=FakeResponse(401, None))
    assert az.describe_error(error)["msg"].startswith("Azure refused the credentials")


def certificate_failure():
    try:
        try:
            raise ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate")
        except ssl.SSLError as inner:
            raise ServiceRequestError("HTTPSConnectionPool: Max retries exceeded", error=inner)
    except ServiceRequestError as error:
        return error


def test_a_certificate_error_names_the_bundle_variables():
    assert "REQUESTS_CA_BUNDLE" in az.describe_error(certificate_failure())["msg"]
    assert "REQUESTS_CA_BUNDLE" not in az.describe_error(ServiceRequestError("Connection refused"))["msg"]


# -- retry and poll bounds -----------------------------------------------------------------------

def test_certificate_errors_are_not_retried():
    transport, pipeline = run_pipeline([certificate_failure()])
    with pytest.raises(ServiceRequestError):
        pipeline.run(HttpRequest("GET", "https://arm.example/x"))
    assert transport.sent == 1 and transport.sleeps == []


def test_connection_errors_are_retried_a_bounded_number_of_times():
    transport, pipeline = run_pipeline([ServiceRequestError("Connection refused")])
    with pytest.raises(ServiceRequestError):
        pipeline.run(HttpRequest("GET", "https://arm.example/x"))
    assert transport.sent == az.RETRY_SETTINGS["retry_connect"] + 1


def test_throttling_honours_retry_after_up_to_the_cap():
    transport, pipeline = run_pipeline([FakeResponse(429, headers={"Retry-After": "3"}),
                                        FakeResponse(429, headers={"Retry-After": "600"}), FakeResponse(200, {})])
    response = pipeline.run(HttpRequest("GET", "https://arm.example/x"))
    assert response.http_response.status_code == 200
    assert transport.sleeps == [3, az.RETRY_AFTER_CAP]


def test_server_errors_stop_after_the_bounded_attempts():
    transport, pipeline = run_pipeline([FakeResponse(503)])
    response = pipeline.run(HttpRequest("GET", "https://arm.example/x"))
    assert response.http_response.status_code == 503
    assert transport.sent == az.RETRY_SETTINGS["retry_status"] + 1


# -- ids and shapes ------------------------------------------------------------------------------

def test_resource_id_round_trip():
    value = az.resource_id("sub", "rg", "expressRouteCircuits", "er1")
    assert value == "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1"
    assert az.parse_resource_id(value.lower()) == dict(subscription_id="sub", resource_group="rg",
                                                       type="expressroutecircuits", name="er1")
    assert az.name_or_id("er1", "sub", "rg", "expressRouteCircuits") == value
    assert az.name_or_id(value, "other", "other", "x") == value
    assert az.same_id(value, value.upper() + "/")


@pytest.mark.parametrize("value", ["/subscriptions/whatever", "nope", "",
                                   "/subscriptions/s/providers/Microsoft.Network/expressRouteCircuits/er"])
def test_what_is_no_full_resource_id_is_refused(value):
    with pytest.raises(ValueError, match="is not an Azure resource id"):
        az.parse_resource_id(value)


def test_a_path_that_is_no_resource_id_is_refused():
    with pytest.raises(ValueError):
        az.name_or_id("/subscriptions/sub/whatever", "sub", "rg", "connections")


def test_wanted_tags_purge_and_merge():
    assert az.wanted_tags({"a": "1", "b": "2"}, {"b": "3"}, True) == {"b": "3"}
    assert az.wanted_tags({"a": "1", "b": "2"}, {"b": "3"}, False) == {"a": "1", "b": "3"}
    assert az.wanted_tags({"a": "1"}, None, True) is None


def test_deep_merge_keeps_server_fields_and_replaces_tags():
    current = {"tags": {"old": "1"}, "properties": {"peerings": [{"name": "p"}], "x": {"a": 1, "b": 2}}}
    merged = az.deep_merge(current, {"tags": {"new": "2"}, "properties": {"x": {"b": 3}}})
    assert merged == {"tags": {"new": "2"}, "properties": {"peerings": [{"name": "p"}], "x": {"a": 1, "b": 3}}}
    assert current["properties"]["x"] == {"a": 1, "b": 2}


def test_resource_differences_ignores_case_but_not_extra_tags():
    current = {"location": "westeurope", "sku": {"tier": "Standard"}, "tags": {"a": "1", "extra": "x"}}
    assert az.resource_differences(current, {"sku": {"tier": "standard"}}) == []
    assert az.resource_differences(current, {"sku": {"tier": "Premium"}, "tags": {"a": "1"}}) == ["sku.tier", "tags"]


def test_circuit_summary_hides_the_service_key_on_request():
    circuit = {"id": "i", "name": "n", "sku": {"name": "Standard_MeteredData"},
               "properties": {"serviceKey": "k", "serviceProviderProvisioningState": "Provisioned",
                              "peerings": [{"name": "AzurePrivatePeering", "properties": {"vlanId": 7}}]}}
    assert az.circuit_summary(circuit)["service_key"] == "k"
    summary = az.circuit_summary(circuit, include_service_key=False)
    assert "service_key" not in summary and summary["peerings"][0]["vlan_id"] == 7
    assert desired.normalize_location("West Europe") == "westeurope"


# -- writes Azure refuses ------------------------------------------------------------------------

def bad_request(code="ExpressRouteCircuitNotProvisioned"):
    return HttpResponseError(response=FakeResponse(400, {"error": {"code": code, "message": "%s: refused" % code}}))


@pytest.mark.parametrize("status, refusal", [(400, True), (404, False), (409, False), (429, False), (500, False)])
def test_only_a_bad_request_is_a_refusal(status, refusal):
    error = HttpResponseError(response=FakeResponse(status, {"error": {"code": "Code", "message": "m"}}))
    assert az.is_refusal(error) is refusal


class FinishedPoller(object):
    def __init__(self, resource):
        self.resource = resource

    def result(self, timeout=None):
        return self.resource

    def done(self):
        return True

    def status(self):
        return "Succeeded"

    def wait(self, timeout=None):
        pass


class RunningPoller(FinishedPoller):
    """An operation that never ends; ``waited`` records what the waiter slept through the poller."""

    def __init__(self):
        super(RunningPoller, self).__init__(None)
        self.waited = []

    def done(self):
        return False

    def status(self):
        return "InProgress"

    def wait(self, timeout=None):
        self.waited.append(timeout)


class ScriptedBegin(object):
    """A begin_* operation answering each call with the next scripted outcome (raised when an error)."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome if isinstance(outcome, FinishedPoller) else FinishedPoller(outcome)


@pytest.fixture
def azure_api():
    """The API layer alone: no module, no arguments to patch."""
    return az.AzureApi({})


def run_failing(callable_, capsys):
    """What a module fails with when ``callable_`` raises: main() hands the error to fail_json_error."""
    with pytest.raises(InterconnectError) as raised:
        callable_()
    module = az.AzureInterconnectModule.__new__(az.AzureInterconnectModule)
    module.fail_json = lambda **result: print(json.dumps(result))
    module.fail_json_error(raised.value)
    return json.loads(capsys.readouterr().out)


def test_a_refused_write_is_sent_again_once_its_cause_has_gone(azure_api):
    begin = ScriptedBegin(bad_request(), {"name": "made"})
    refusals = []

    result, history = azure_api.run_lro("create it", begin, on_refusal=lambda error: refusals.append(error) or True)

    assert result == {"name": "made"} and begin.calls == 2
    assert history == [{"state": "Succeeded", "after_seconds": 0.0}]
    assert [az.describe_error(error)["error_code"] for error in refusals] == ["ExpressRouteCircuitNotProvisioned"]


def test_a_refusal_left_unexplained_reports_azure_own_error(azure_api, capsys):
    begin = ScriptedBegin(bad_request("InvalidBandwidth"), {"name": "never"})

    result = run_failing(lambda: azure_api.run_lro("create it", begin, on_refusal=lambda error: False), capsys)

    assert begin.calls == 1
    assert result["msg"] == "Failed to create it: InvalidBandwidth: refused"
    assert result["error_code"] == "InvalidBandwidth"


def test_other_errors_are_not_refusals_to_explain(azure_api, capsys):
    conflict = HttpResponseError(response=FakeResponse(409, {"error": {"code": "AnotherOperationInProgress",
                                                                       "message": "busy"}}))
    explained = []

    result = run_failing(lambda: azure_api.run_lro("create it", ScriptedBegin(conflict),
                                                   on_refusal=explained.append), capsys)

    assert explained == [] and result["status_code"] == 409


def test_an_operation_is_followed_by_the_waiter_and_bounded_by_wait_timeout(azure_api):
    poller = RunningPoller()
    wait = dict(wait_for=["succeeded"], wait_timeout=0.05, wait_interval=0.01)

    with pytest.raises(InterconnectError) as timed_out:
        azure_api.run_lro("create it", ScriptedBegin(poller), wait=wait)

    assert timed_out.value.msg.startswith("Timed out after 0.05s waiting for the operation (create it) to be finished; "
                                          "last seen: InProgress; it continues in Azure")
    assert poller.waited and all(0 < seconds <= 0.01 for seconds in poller.waited)
    assert timed_out.value.details["wait_history"][0]["state"] == "InProgress"


def test_without_succeeded_in_wait_for_the_first_answer_is_returned(azure_api):
    begin = ScriptedBegin({"name": "accepted", "properties": {"provisioningState": "Updating"}})
    result, history = azure_api.run_lro("create it", begin, wait=dict(wait_for=[], wait_timeout=60, wait_interval=1))
    assert result["properties"]["provisioningState"] == "Updating" and history == []


# -- reads that must find something --------------------------------------------------------------

def answering(outcome):
    def operation(*args, **kwargs):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    return operation


def not_found(code="ResourceNotFound"):
    return HttpResponseError(response=FakeResponse(404, {"error": {"code": code, "message": "%s: gone" % code}}))


def test_get_or_fail_returns_what_it_read(azure_api):
    assert azure_api.get_or_fail("read it", "it does not exist", answering({"name": "there"})) == {"name": "there"}


def test_get_or_fail_fails_with_the_given_message_when_absent(azure_api, capsys):
    result = run_failing(lambda: azure_api.get_or_fail("read it", "it does not exist", answering(not_found())), capsys)
    assert result["msg"] == "it does not exist"


def test_get_or_fail_reports_a_missing_resource_group_as_azure_error(azure_api, capsys):
    result = run_failing(lambda: azure_api.get_or_fail("read it", "it does not exist",
                                                       answering(not_found("ResourceGroupNotFound"))), capsys)
    assert result["msg"] == "Failed to read it: ResourceGroupNotFound: gone"


# -- the private peering of a circuit --------------------------------------------------------------

MICROSOFT_PEERING = {"name": "MicrosoftPeering", "properties": {"peeringType": "MicrosoftPeering"}}
PRIVATE = {"name": "azureprivatepeering", "properties": {"peeringType": "AzurePrivatePeering", "vlanId": 412}}


@pytest.mark.parametrize("name, peering_type, private", [
    ("AzurePrivatePeering", "AzurePrivatePeering", True), ("azureprivatepeering", None, True),
    (None, "AzurePrivatePeering", True), ("MicrosoftPeering", "MicrosoftPeering", False), (None, None, False),
])
def test_a_peering_is_private_by_its_name_or_else_its_type(name, peering_type, private):
    assert desired.is_private_peering(name, peering_type) is private


def test_the_private_peering_is_found_in_a_circuit_rest_body():
    circuit = {"properties": {"peerings": [MICROSOFT_PEERING, PRIVATE]}}
    assert desired.find_private_peering(circuit)["properties"]["vlanId"] == 412
    assert desired.find_private_peering({"properties": {"peerings": [MICROSOFT_PEERING]}}) is None
    assert desired.find_private_peering({"name": "no properties"}) is None


def test_the_private_peering_is_found_in_a_circuit_summary():
    summary = az.circuit_summary({"properties": {"peerings": [MICROSOFT_PEERING, PRIVATE]}})
    assert desired.private_peering_summary(summary)["vlan_id"] == 412
    assert desired.private_peering_summary({"peerings": [az.peering_summary(MICROSOFT_PEERING)]}) is None
    assert desired.private_peering_summary({}) is None


def test_every_arm_request_is_bounded_by_the_time_budget_not_a_small_count():
    policy = az.arm_retry_policy()
    assert policy.timeout == az.REQUEST_TIME_BUDGET
    # With full back-off (1, 2, 4, 8, 16, then 20 s), the count alone would allow more than the budget: time binds.
    assert sum(min(2 ** n, az.RETRY_SETTINGS["retry_backoff_max"]) for n in range(az.RETRY_SETTINGS["retry_status"])) \
        > az.REQUEST_TIME_BUDGET


# -- what a check run says of a circuit not provisioned yet ------------------------------------------

def circuit_in(provider_state):
    return {"name": "er", "properties": {"serviceProviderProvisioningState": provider_state}}


def test_a_provisioned_circuit_needs_no_warning():
    assert az.unprovisioned_circuit_warning("er", circuit_in("Provisioned"), ["provider_provisioned"], "why") is None


def test_a_circuit_not_provisioned_is_one_a_real_run_waits_for_when_asked_to():
    assert az.unprovisioned_circuit_warning("er", circuit_in("NotProvisioned"), ["provider_provisioned"], "why") == (
        "Circuit er is NotProvisioned. A real run waits for its provider to provision it "
        "(wait_for: provider_provisioned): why.")
    assert az.unprovisioned_circuit_warning("er", circuit_in("Provisioning"), ["succeeded"], "why") == (
        "Circuit er is Provisioning. A real run fails unless its provider has provisioned it by then "
        "(wait_for: provider_provisioned would wait for that): why.")


def test_a_missing_circuit_is_one_an_earlier_step_of_a_real_run_must_create():
    warning = az.unprovisioned_circuit_warning("er", None, ["provider_provisioned"], "why")
    assert warning.startswith("Circuit er does not exist yet: a real run fails here unless an earlier step has "
                              "created it. A real run waits for its provider")
