"""Fault injection: throttling, server errors, failed operations and dropped connections, seeded
so that a run replays; the real Azure SDK must ride them out with its own retry policy."""
import time

import pytest
from azure.core.exceptions import HttpResponseError

from cloudsim.azure.testing import make_network_client

RG_PATH = "/resourceGroups/rg-cloudsim-test"


def faults(running_sim, **settings):
    return running_sim.admin("PUT", "faults", settings)


def cloud_log(running_sim):
    return [e for e in running_sim.admin("GET", "log")["entries"] if e["cloud"] != "sim"]


def test_throttled_answer_has_retry_after_and_the_arm_shape(arm, running_sim, resource_group):
    faults(running_sim, throttle_rate=1.0, retry_after=7)
    answer = arm.request("GET", arm.subscription_path(RG_PATH))
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "7"
    assert answer.json()["error"]["code"] == "SubscriptionRequestsThrottled"
    assert answer.headers["x-ms-request-id"]  # the ids every ARM answer carries, faults too


def test_sdk_honours_retry_after_and_succeeds(running_sim, azure_network, resource_group):
    faults(running_sim, throttle_rate=0.5, retry_after=1, seed=3)
    started = time.monotonic()
    providers = list(azure_network.express_route_service_providers.list())
    elapsed = time.monotonic() - started
    statuses = [e["status"] for e in cloud_log(running_sim) if e["kind"] == "read"]
    assert providers and statuses[-1] == 200
    assert statuses.count(429) >= 1 and elapsed >= statuses.count(429) * 1.0


def test_server_errors_are_retried_by_the_sdk(running_sim, azure_credential, resource_group):
    client = make_network_client(running_sim, azure_credential, retry_total=10)
    faults(running_sim, error_rate=0.6, retry_after=0, seed=11)
    circuit = client.virtual_networks.begin_create_or_update(resource_group, "vnet", {
        "location": "japaneast",
        "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}).result()
    injected = {e["fault"] for e in cloud_log(running_sim)} - {None}
    assert circuit.provisioning_state == "Succeeded"
    assert injected & {"error500", "error503"}


def test_dropped_connections_are_retried_by_the_sdk(running_sim, azure_credential):
    client = make_network_client(running_sim, azure_credential, retry_total=10)
    faults(running_sim, drop_rate=0.5, seed=1)
    for attempt in range(6):  # pylint: disable=unused-variable
        assert list(client.express_route_service_providers.list())
    dropped = [e for e in cloud_log(running_sim) if e["fault"] == "drop"]
    assert dropped and all(e["status"] is None for e in dropped)


def test_operation_ends_failed(running_sim, azure_network, resource_group):
    faults(running_sim, lro_failure_rate=1.0)
    with pytest.raises(HttpResponseError) as raised:
        azure_network.virtual_networks.begin_create_or_update(resource_group, "vnet", {
            "location": "japaneast",
            "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}).result()
    assert "InternalServerError" in str(raised.value)
    faults(running_sim, lro_failure_rate=0.0)
    assert azure_network.virtual_networks.get(resource_group, "vnet").provisioning_state == \
        "Failed"


def statuses_for(arm, running_sim, count=25):
    return [arm.request("GET", arm.subscription_path(RG_PATH)).status_code for attempt in range(count)]


def test_same_seed_replays_the_same_faults(arm, running_sim, resource_group):
    arm.bearer()  # fetch the token first: it is not faulted, but keep the sequences alike
    faults(running_sim, error_rate=0.3, throttle_rate=0.2, retry_after=0, seed=1234)
    first = statuses_for(arm, running_sim)
    faults(running_sim, seed=1234)
    replay = statuses_for(arm, running_sim)
    faults(running_sim, seed=4321)
    other = statuses_for(arm, running_sim)
    assert first == replay
    assert set(first) > {200} and other != first


def test_the_reported_seed_replays_a_run_started_without_one(arm, running_sim, resource_group):
    arm.bearer()
    faults(running_sim, error_rate=0.3, throttle_rate=0.2, retry_after=0, seed=None)
    reported = running_sim.admin("GET", "faults")["seed"]
    first = statuses_for(arm, running_sim)
    faults(running_sim, seed=reported)
    assert statuses_for(arm, running_sim) == first


def test_token_endpoint_and_admin_api_are_not_faulted_by_default(arm, running_sim):
    config = running_sim.sim.config
    form = {"grant_type": "client_credentials", "client_id": config.azure_client_id,
            "client_secret": config.azure_client_secret, "scope": running_sim.url + "/.default"}
    token_path = "/%s/oauth2/v2.0/token" % config.azure_tenant_id
    faults(running_sim, throttle_rate=1.0)
    assert arm.request("POST", token_path, auth=False, api_version=None,
                       data=form).status_code == 200
    assert running_sim.admin("GET", "health") == {"status": "ok"}
    faults(running_sim, include_token_endpoint=True)
    assert arm.request("POST", token_path, auth=False, api_version=None,
                       data=form).status_code == 429


def test_path_pattern_limits_faults(arm, running_sim, resource_group):
    faults(running_sim, error_rate=1.0, path_pattern="expressRouteCircuits")
    assert arm.request("GET", arm.subscription_path(RG_PATH)).status_code == 200
    assert arm.request("GET", arm.subscription_path(
        RG_PATH + "/providers/Microsoft.Network/expressRouteCircuits")).status_code in (500, 503)


def test_oci_calls_get_oci_shaped_faults(arm, running_sim):
    faults(running_sim, throttle_rate=1.0)
    answer = arm.session.get(running_sim.oci_endpoint() + "/20160918/vcns?compartmentId=x",
                             headers={"opc-request-id": "CLIENTID"})
    assert answer.status_code == 429
    assert answer.json()["code"] == "TooManyRequests"
    assert answer.headers["opc-request-id"].startswith("CLIENTID/")  # echoed as on every OCI answer


@pytest.mark.parametrize("settings", [{"throttle_rate": 2}, {"no_such": 1}, {"seed": "x"},
                                      {"path_pattern": "("}])
def test_bad_fault_settings_are_refused(arm, running_sim, settings):
    answer = arm.session.put(running_sim.url + "/_sim/faults", json=settings)
    assert answer.status_code == 400 and answer.json()["error"]


def test_reset_restores_the_start_fault_settings(running_sim):
    faults(running_sim, throttle_rate=0.5)
    running_sim.admin("POST", "reset")
    assert running_sim.admin("GET", "faults")["throttle_rate"] == 0.0
