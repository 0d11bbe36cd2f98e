# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure pieces of module_utils/oci.py."""

import ssl

import oci
import pytest
from oci._vendor.requests.exceptions import ConnectionError as RequestsConnectionError
from oci._vendor.requests.exceptions import SSLError

from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci as oci_utils
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    mappings_match,
    merge_owned_rules,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    OCIConfigError,
    api_key_config,
    build_retry_strategy,
    error_result,
    regional_service_endpoint,
    select_bandwidth_shape,
    select_provider_service,
    service_key_disagreements,
    to_model,
    to_plain,
    virtual_network_client,
)

MARKER = "managed-by:test"


def service_error(status, code, message="boom", request_id="req-1"):
    return oci.exceptions.ServiceError(status, code, {"opc-request-id": request_id}, message)


# ---- bandwidth shapes ---------------------------------------------------------------------------

SHAPES = [{"name": "1 Gbps", "bandwidth_in_mbps": 1000}, {"name": "10 Gbps", "bandwidth_in_mbps": 10000}]


def test_select_bandwidth_shape_by_mbps():
    assert select_bandwidth_shape(SHAPES, 10000)["name"] == "10 Gbps"


def test_select_bandwidth_shape_not_offered_names_the_offer():
    with pytest.raises(ValueError, match=r"2000 Mbps is not offered; offered: 1 Gbps, 10 Gbps"):
        select_bandwidth_shape(SHAPES, 2000)


# ---- providers and keys --------------------------------------------------------------------------

AZURE = {"id": "ocid1.providerservice.azure", "provider_name": "Microsoft Azure",
         "provider_service_name": "ExpressRoute", "supported_virtual_circuit_types": ["PRIVATE"]}
MEGAPORT = {"id": "ocid1.providerservice.megaport", "provider_name": "Megaport",
            "provider_service_name": "Cloud Router", "supported_virtual_circuit_types": ["PRIVATE", "PUBLIC"]}


def test_select_provider_service_by_name_case_insensitively():
    assert select_provider_service([MEGAPORT, AZURE], "microsoft azure")["id"] == AZURE["id"]


def test_select_provider_service_requires_the_circuit_type():
    with pytest.raises(ValueError, match="not found; available: Megaport: Cloud Router, Microsoft Azure: ExpressRoute"):
        select_provider_service([MEGAPORT, AZURE], "Microsoft Azure", "PUBLIC")


def test_select_provider_service_refuses_to_guess_between_services():
    other = dict(AZURE, id="ocid1.providerservice.azure2", provider_service_name="ExpressRoute Direct")
    with pytest.raises(ValueError, match="ambiguous"):
        select_provider_service([AZURE, other], "Microsoft Azure")
    assert select_provider_service([AZURE, other], "Microsoft Azure", provider_service_name="expressroute direct")[
        "id"] == "ocid1.providerservice.azure2"


def test_service_key_disagreements():
    key = {"bandwidth_shape_name": "1 Gbps", "peering_location": "Washington DC"}
    assert service_key_disagreements(key, 1000, "washington dc") == []
    assert service_key_disagreements(key) == []
    problems = service_key_disagreements(key, 10000, "Tokyo")
    assert len(problems) == 2
    assert "1 Gbps, not the requested 10000 Mbps" in problems[0]
    assert "Washington DC, not the requested Tokyo" in problems[1]


# ---- cross-connect mappings -----------------------------------------------------------------------

PLAN = [{"oracle_bgp_peering_ip": "10.255.0.1/30", "customer_bgp_peering_ip": "10.255.0.2/30"},
        {"oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30"}]


def test_mappings_match_in_any_order_ignoring_provider_filled_fields():
    current = [dict(PLAN[1], vlan=200, cross_connect_or_cross_connect_group_id=None),
               dict(PLAN[0], vlan=100, bgp_md5_auth_key=None)]
    assert mappings_match(current, PLAN)


def test_mappings_differ_on_address_count_or_requested_vlan():
    assert not mappings_match([PLAN[0]], PLAN)
    assert not mappings_match(None, PLAN)
    moved = [PLAN[0], dict(PLAN[1], customer_bgp_peering_ip="10.255.0.7/30")]
    assert not mappings_match(moved, PLAN)
    assert not mappings_match([dict(m, vlan=100) for m in PLAN], [dict(m, vlan=101) for m in PLAN])


def test_mappings_compare_addresses_canonically():
    assert mappings_match([{"oracle_bgp_peering_ip": "fd00:0::1/126", "customer_bgp_peering_ip": "10.0.0.2/30"}],
                          [{"oracle_bgp_peering_ip": "fd00::1/126", "customer_bgp_peering_ip": "10.0.0.2/30"}])


def test_mappings_reject_an_address_that_is_not_one():
    with pytest.raises(ValueError):
        mappings_match([], [{"oracle_bgp_peering_ip": "10.255.0.300/30"}])


# ---- owned-rule merging -----------------------------------------------------------------------

def route(cidr, target="drg", description=None):
    return {"destination": cidr, "network_entity_id": target, "description": description}


def merge(current, wanted, **kwargs):
    kwargs.setdefault("exclusive", True)
    return merge_owned_rules(current, wanted, lambda r: r["destination"],
                             lambda r, w: r["network_entity_id"] == w["network_entity_id"], MARKER, **kwargs)


def test_merge_adds_missing_rules_and_keeps_foreign_ones_in_place():
    foreign = route("0.0.0.0/0", "igw")
    rules, added, removed, conflicts = merge([foreign], [route("10.1.0.0/16", description=MARKER)])
    assert rules == [foreign, route("10.1.0.0/16", description=MARKER)]
    assert (len(added), removed, conflicts) == (1, [], [])


def test_merge_is_a_no_op_when_satisfied():
    current = [route("0.0.0.0/0", "igw"), route("10.1.0.0/16", description=MARKER + " azure")]
    rules, added, removed, conflicts = merge(current, [route("10.1.0.0/16", description=MARKER)])
    assert rules == current and added == [] and removed == [] and conflicts == []


def test_merge_replaces_an_own_rule_with_another_target():
    stale = route("10.1.0.0/16", "old-drg", MARKER)
    rules, added, removed, dummy = merge([stale], [route("10.1.0.0/16", "drg", MARKER)])
    assert removed == [stale] and rules == [route("10.1.0.0/16", "drg", MARKER)]


def test_merge_foreign_rule_with_same_target_satisfies():
    foreign = route("10.1.0.0/16", "drg", "hand-made")
    rules, added, removed, conflicts = merge([foreign], [route("10.1.0.0/16", description=MARKER)])
    assert rules == [foreign] and added == [] and conflicts == []


def test_merge_foreign_rule_routing_elsewhere_conflicts_and_changes_nothing():
    foreign = route("10.1.0.0/16", "igw", "hand-made")
    rules, added, removed, conflicts = merge([foreign], [route("10.1.0.0/16", description=MARKER)])
    assert conflicts == [foreign] and rules == [foreign] and added == [] and removed == []


def test_merge_non_exclusive_lists_add_beside_foreign_rules():
    foreign = route("10.1.0.0/16", "igw", "hand-made")
    rules, added, dummy, conflicts = merge([foreign], [route("10.1.0.0/16", description=MARKER)], exclusive=False)
    assert conflicts == [] and len(added) == 1 and rules[0] is foreign


def test_merge_purges_only_own_stale_rules():
    current = [route("10.1.0.0/16", description=MARKER), route("10.2.0.0/16", description=MARKER),
               route("10.3.0.0/16", description="someone else")]
    rules, added, removed, dummy = merge(current, [route("10.1.0.0/16", description=MARKER)], purge=True)
    assert [r["destination"] for r in rules] == ["10.1.0.0/16", "10.3.0.0/16"]
    assert [r["destination"] for r in removed] == ["10.2.0.0/16"]
    rules, dummy, removed, dummy = merge(current, [route("10.1.0.0/16", description=MARKER)])
    assert rules == current and removed == []


def test_merge_removes_listed_own_rules_only():
    current = [route("10.1.0.0/16", description=MARKER), route("10.2.0.0/16", description=MARKER),
               route("10.1.0.0/16", "x", description="foreign")]
    rules, dummy, removed, dummy = merge(current, [], remove=["10.1.0.0/16"], exclusive=False)
    assert removed == [current[0]] and rules == current[1:]


# ---- error mapping --------------------------------------------------------------------------

def test_error_result_names_status_code_message_and_request_id():
    result = error_result("create virtual circuit vc1", service_error(404, "NotAuthorizedOrNotFound", "gone"))
    assert result["status_code"] == 404 and result["error_code"] == "NotAuthorizedOrNotFound"
    assert result["request_id"] == "req-1"
    assert result["msg"].startswith("Failed to create virtual circuit vc1: 404 NotAuthorizedOrNotFound: gone")
    assert "[opc-request-id: req-1]" in result["msg"]


def test_error_result_explains_a_refused_signature():
    assert "check user, fingerprint, key_file and tenancy" in error_result("read", service_error(401, "NotAuthenticated"))["msg"]


def test_error_result_for_certificate_failure_names_the_fix():
    error = oci.exceptions.RequestException(SSLError(ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]")))
    result = error_result("read VCN", error, "https://127.0.0.1:8443")
    assert "TLS certificate verification failed for https://127.0.0.1:8443" in result["msg"]
    assert "REQUESTS_CA_BUNDLE" in result["msg"]


def test_error_result_for_other_exceptions_has_no_traceback():
    assert error_result("read VCN", ValueError("bad"))["msg"] == "Failed to read VCN: ValueError: bad"


# ---- retry policy --------------------------------------------------------------------------

def should_retry(error, attempt=1):
    return build_retry_strategy().checkers.should_retry(
        exception=error, current_attempt=attempt, total_time_elapsed=0)


@pytest.mark.parametrize("error", [
    service_error(429, "TooManyRequests"), service_error(500, "InternalServerError"),
    service_error(503, "ServiceUnavailable"), service_error(409, "IncorrectState"),
    RequestsConnectionError("Connection aborted"),
])
def test_retry_policy_retries_transient_errors(error):
    assert should_retry(error)


@pytest.mark.parametrize("error", [
    service_error(409, "Conflict"), service_error(400, "InvalidParameter"), service_error(404, "NotFound"),
    service_error(412, "NoEtagMatch"), service_error(401, "NotAuthenticated"), service_error(501, "NotImplemented"),
    oci.exceptions.RequestException(SSLError(ssl.SSLCertVerificationError(1, "CERTIFICATE_VERIFY_FAILED"))),
])
def test_retry_policy_fails_fast_on_permanent_errors(error):
    assert not should_retry(error)


def test_retry_policy_is_bounded():
    assert not should_retry(service_error(429, "TooManyRequests"), attempt=oci_utils.RETRY_MAX_ATTEMPTS)
    assert not build_retry_strategy().checkers.should_retry(
        exception=service_error(429, "TooManyRequests"), current_attempt=1,
        total_time_elapsed=oci_utils.RETRY_TOTAL_SECONDS + 1)


# ---- auth settings -----------------------------------------------------------------------------

@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "key.pem"
    path.write_text("not read by these tests")
    return str(path)


@pytest.fixture
def no_default_config(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))


def explicit(key_file, **overrides):
    params = dict(config_file=None, config_profile=None, user="ocid1.user.oc1..u", fingerprint="aa:bb",
                  key_file=key_file, key_pass_phrase=None, tenancy="ocid1.tenancy.oc1..t", region="us-ashburn-1")
    params.update(overrides)
    return params


def test_api_key_config_from_explicit_options(no_default_config, key_file):
    config = api_key_config(explicit(key_file, key_pass_phrase="secret"))
    assert config["user"] == "ocid1.user.oc1..u" and config["pass_phrase"] == "secret"


def test_api_key_config_names_every_missing_setting_and_its_env(no_default_config, key_file):
    with pytest.raises(OCIConfigError) as failure:
        api_key_config(explicit(key_file, user=None, tenancy=None))
    assert "user (option user or env OCI_USER_ID)" in str(failure.value)
    assert "tenancy (option tenancy or env OCI_TENANCY)" in str(failure.value)
    assert "region" not in str(failure.value)


def test_api_key_config_explicit_file_must_exist(no_default_config, key_file, tmp_path):
    with pytest.raises(OCIConfigError, match="does not exist"):
        api_key_config(explicit(key_file, config_file=str(tmp_path / "missing")))


def test_api_key_config_overlays_options_on_the_profile(no_default_config, key_file, tmp_path):
    config_file = tmp_path / "config"
    config_file.write_text("[OTHER]\nuser=ocid1.user.oc1..fromfile\nfingerprint=11:22\nkey_file=%s\n"
                           "tenancy=ocid1.tenancy.oc1..fromfile\nregion=ap-tokyo-1\n" % key_file)
    params = dict((name, None) for name in explicit(key_file))
    params.update(config_file=str(config_file), config_profile="OTHER", region="eu-frankfurt-1")
    config = api_key_config(params)
    assert config["user"] == "ocid1.user.oc1..fromfile" and config["region"] == "eu-frankfurt-1"
    with pytest.raises(OCIConfigError, match="Missing OCI API key settings: user .* in profile DEFAULT of config file"):
        api_key_config(dict(params, config_profile=None))
    with pytest.raises(OCIConfigError, match="Cannot use profile NOPE"):
        api_key_config(dict(params, config_profile="NOPE"))


def test_api_key_config_key_file_must_exist(no_default_config, tmp_path):
    with pytest.raises(OCIConfigError, match="signing key file .* does not exist"):
        api_key_config(explicit(str(tmp_path / "nope.pem")))


# ---- the endpoint of the module's region -------------------------------------------------------

@pytest.mark.parametrize("service_endpoint, region, expected", [
    ("https://sim:8443/oci/{region}", "uk-london-1", "https://sim:8443/oci/uk-london-1"),
    ("https://iaas.{region}.example.internal/", "ap-tokyo-1", "https://iaas.ap-tokyo-1.example.internal"),
    ("https://private.example.internal/", "ap-tokyo-1", "https://private.example.internal"),  # no placeholder
    ("https://private.example.internal", None, "https://private.example.internal"),
])
def test_region_placeholder_is_the_modules_region(service_endpoint, region, expected):
    assert regional_service_endpoint(service_endpoint, region) == expected


def test_region_placeholder_without_a_region_is_refused():
    with pytest.raises(OCIConfigError, match=r"service_endpoint https://sim/oci/\{region\} names \{region\}, but no "
                                             r"region is set"):
        regional_service_endpoint("https://sim/oci/{region}", None)


@pytest.fixture
def signing_key(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "signing.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return str(path)


def test_client_reaches_the_endpoint_of_the_region_the_config_file_names(no_default_config, signing_key, tmp_path):
    config_file = tmp_path / "config"
    config_file.write_text("[DEFAULT]\nuser=ocid1.user.oc1..u\nfingerprint=%s\nkey_file=%s\n"
                           "tenancy=ocid1.tenancy.oc1..t\nregion=uk-london-1\n" % (":".join(["aa"] * 16), signing_key))
    params = dict((name, None) for name in explicit(signing_key))
    params.update(config_file=str(config_file), service_endpoint="https://sim:8443/oci/{region}")
    assert virtual_network_client(params).base_client.endpoint == "https://sim:8443/oci/uk-london-1/20160918"
    params.update(region="ap-tokyo-1")  # the option (the role's interconnect_oci_region) wins over the file
    assert virtual_network_client(params).base_client.endpoint == "https://sim:8443/oci/ap-tokyo-1/20160918"


# ---- model conversion --------------------------------------------------------------------------

def test_to_model_round_trips_nested_rules():
    rule = {"source": "10.1.0.0/16", "source_type": "CIDR_BLOCK", "protocol": "6", "is_stateless": False,
            "description": MARKER, "tcp_options": {"destination_port_range": {"min": 443, "max": 443},
                                                   "source_port_range": None},
            "udp_options": None, "icmp_options": None}
    model = to_model(oci.core.models.IngressSecurityRule, rule)
    assert isinstance(model.tcp_options.destination_port_range, oci.core.models.PortRange)
    assert to_plain(model) == rule


def test_to_model_converts_lists_of_models():
    details = to_model(oci.core.models.CreateVirtualCircuitDetails, {
        "display_name": "vc", "cross_connect_mappings": [{"oracle_bgp_peering_ip": "10.255.0.1/30"}]})
    assert isinstance(details.cross_connect_mappings[0], oci.core.models.CrossConnectMapping)
    assert details.cross_connect_mappings[0].oracle_bgp_peering_ip == "10.255.0.1/30"


def test_service_keys_are_masked_wherever_they_appear_in_a_result():
    result = {"virtual_circuit": {"id": "vc", "provider_service_key_name": "secret-key"},
              "diff": {"before": {"provider_service_key_name": "secret-key"}, "after": {}},
              "virtual_circuits": [{"provider_service_key_name": "other-key"}, {"provider_service_key_name": None}]}
    masked = oci_utils.hide_service_keys(result)
    assert "secret-key" not in repr(masked) and "other-key" not in repr(masked)
    assert masked["virtual_circuit"] == {"id": "vc", "provider_service_key_name": oci_utils.HIDDEN_SERVICE_KEY}
    assert masked["virtual_circuits"][1] == {"provider_service_key_name": None}  # nothing to hide stays visible
    assert result["virtual_circuit"]["provider_service_key_name"] == "secret-key"  # the input is not changed


# ---- a request OCI refuses ----------------------------------------------------------------------

@pytest.fixture
def oci_api():
    """The API layer alone: no module, no arguments to patch."""
    return oci_utils.OciApi({"region": "ap-tokyo-1"})


def refused_with(error):
    def operation(*args, **kwargs):
        raise error
    return operation


class ExplainedRefusal(Exception):
    pass


@pytest.mark.parametrize("status, code", [(400, "InvalidParameter"), (404, "RelatedResourceNotAuthorizedOrNotFound"),
                                          (409, "Conflict")])
def test_a_refusal_is_explained_before_failing(oci_api, status, code):
    def explain(error):
        raise ExplainedRefusal(error.code)

    with pytest.raises(ExplainedRefusal, match=code):
        oci_api.call("create it", refused_with(service_error(status, code)), on_refusal=explain)


@pytest.mark.parametrize("status, code", [(401, "NotAuthenticated"), (429, "TooManyRequests"), (500, "InternalError")])
def test_other_failures_are_reported_without_explaining(oci_api, capsys, status, code):
    explained = []
    with pytest.raises(InterconnectError) as raised:
        oci_api.call("create it", refused_with(service_error(status, code)), on_refusal=explained.append)
    assert explained == []
    assert raised.value.details["status_code"] == status


def test_an_unexplained_refusal_reports_oci_own_error(oci_api, capsys):
    with pytest.raises(InterconnectError) as raised:
        oci_api.call("create it", refused_with(service_error(404, "RelatedResourceNotAuthorizedOrNotFound")),
                     on_refusal=lambda error: None)
    assert raised.value.details["error_code"] == "RelatedResourceNotAuthorizedOrNotFound"
    assert raised.value.msg.startswith("Failed to create it: 404 RelatedResourceNotAuthorizedOrNotFound: boom")


# ---- reads that must find something ------------------------------------------------------------

class Response(object):
    def __init__(self, data):
        self.data = data


def test_get_or_fail_returns_the_data_read(oci_api):
    assert oci_api.get_or_fail("read it", "it not found", lambda *args: Response({"id": args[0]}), "ocid1") == {
        "id": "ocid1"}


def test_get_or_fail_fails_with_the_given_message_on_404(oci_api, capsys):
    with pytest.raises(InterconnectError) as raised:
        oci_api.get_or_fail("read it", "it not found", refused_with(service_error(404, "NotAuthorizedOrNotFound")))
    assert raised.value.msg == "it not found"


def test_get_or_fail_reports_other_errors_as_oci_own(oci_api, capsys):
    with pytest.raises(InterconnectError) as raised:
        oci_api.get_or_fail("read it", "it not found", refused_with(service_error(401, "NotAuthenticated")))
    assert raised.value.msg.startswith("Failed to read it: 401 NotAuthenticated")


# ---- the retry policy's sleep ---------------------------------------------------------------------

@pytest.mark.parametrize("headers, asked", [({"retry-after": "7"}, 7.0), ({"Retry-After": "0.5"}, 0.5), ({}, None),
                                            ({"retry-after": "soon"}, None)])
def test_retry_after_is_read_from_the_service_error(headers, asked):
    error = oci.exceptions.ServiceError(429, "TooManyRequests", dict(headers, **{"opc-request-id": "r"}), "slow down")
    assert oci_utils.retry_after_seconds(error) == asked


def test_the_strategy_sleeps_what_oci_asks_up_to_the_cap_and_jitters_otherwise(monkeypatch):
    slept = []
    monkeypatch.setattr(oci_utils.time, "sleep", slept.append)
    strategy = oci_utils.build_retry_strategy()
    throttled = oci.exceptions.ServiceError(429, "TooManyRequests", {"retry-after": "7"}, "slow down")
    strategy.do_sleep(1, throttled)
    strategy.do_sleep(1, oci.exceptions.ServiceError(503, "ServiceUnavailable", {"retry-after": "600"}, "down"))
    assert slept == [7.0, oci_utils.RETRY_AFTER_CAP]
    assert oci_utils.RETRY_TOTAL_SECONDS == oci_utils.REQUEST_TIME_BUDGET
