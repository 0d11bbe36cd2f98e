"""Drift as the controller judges it must agree with what the modules would write."""
import copy

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils import desired
from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import check_plan, reference_problems
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_plan import GOOD_INPUTS

PLAN = check_plan(**GOOD_INPUTS)[0]
MARKER = "interconnect-er"
DRG = "ocid1.drg.oc1.iad.drg"
CIRCUIT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er"
EXPECTED = dict(gateway_name="ergw", vcn_id="ocid1.vcn.oc1.iad.vcn", drg_id=DRG,
                route_table_ids=["ocid1.routetable.oc1.iad.rt"], security_list_ids=["ocid1.securitylist.oc1.iad.sl"],
                rule_marker=MARKER,
                circuit=dict(location="East US", peering_location="Washington DC", sku_tier="Standard",
                             sku_family="MeteredData", service_provider_name="Oracle Cloud FastConnect"))
FOREIGN_NSG_RULE = {"name": "allow-ssh", "properties": {"priority": 1000, "direction": "Inbound", "access": "Allow",
                                                        "protocol": "Tcp", "sourceAddressPrefix": "*",
                                                        "destinationAddressPrefix": "*", "destinationPortRange": "22",
                                                        "sourcePortRange": "*"}}
FOREIGN_ROUTE = {"destination": "0.0.0.0/0", "destination_type": "CIDR_BLOCK", "network_entity_id": "ocid1.internetgateway.x"}


def nsg_rules_as_written(current):
    """The NSG rules after azure_nsg_rules ran with the role's options on ``current``."""
    params = dict(desired.NSG_RULE_DEFAULTS, cidrs=PLAN["oci_vcn_cidrs"], name_prefix=MARKER + "-")
    first, last = params["priority_range"]
    return desired.plan_changes(current, desired.desired_rules(params), MARKER + "-", True, first, last)[0]


def converged():
    """Both reads of an interconnect just converged: what the modules made, beside others' rules."""
    circuit = {"id": CIRCUIT_ID, "name": "er", "location": "eastus", "provisioning_state": "Succeeded",
               "circuit_provisioning_state": "Enabled", "service_provider_provisioning_state": "Provisioned",
               "service_provider_name": "Oracle Cloud FastConnect", "peering_location": "Washington DC",
               "bandwidth_in_mbps": 1000, "sku": {"tier": "Standard", "family": "MeteredData"},
               "peerings": [dict(PLAN["azure_private_peering"], name="AzurePrivatePeering",
                                 provisioning_state="Succeeded")]}
    azure = {"virtual_network_gateway": {"gateway_type": "ExpressRoute"},
             "express_route_circuit": circuit,
             "virtual_network_gateway_connection": {"name": "er-connection", "circuit_id": CIRCUIT_ID.upper(),
                                                    "provisioning_state": "Succeeded"},
             "network_security_groups": [{"name": "nsg", "security_rules": nsg_rules_as_written([FOREIGN_NSG_RULE])}]}
    routes = desired.merge_owned_rules([FOREIGN_ROUTE], desired.wanted_routes(PLAN["azure_vnet_cidrs"], DRG, MARKER),
                                       desired.route_key, desired.routes_same_target, MARKER, exclusive=True)[0]
    security_params = dict(desired.SECURITY_RULE_DEFAULTS, marker=MARKER)
    ingress = desired.wanted_rules(security_params, "source", "source_type", PLAN["azure_vnet_cidrs"])
    oci = {"drg_attachment": {"lifecycle_state": "ATTACHED"},
           "virtual_circuit": {"lifecycle_state": "PROVISIONED", "provider_state": "ACTIVE", "bgp_session_state": "UP",
                               "gateway_id": DRG, "bandwidth_shape_name": "1 Gbps", "ip_mtu": "MTU_1500",
                               "cross_connect_mappings": [dict(m, vlan=100) for m in PLAN["oci_cross_connect_mappings"]]},
           "route_tables": [{"id": "ocid1.routetable.oc1.iad.rt", "route_rules": routes}],
           "security_lists": [{"id": "ocid1.securitylist.oc1.iad.sl", "ingress_security_rules": ingress,
                               "egress_security_rules": []}]}
    return azure, oci


def drift_of(change=None):
    azure, oci = converged()
    if change:
        change(azure, oci)
    return desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED))[0]


def test_what_the_modules_write_has_no_drift():
    assert drift_of() == []


def _drop_first_own_nsg_rule(azure, oci):
    rules = azure["network_security_groups"][0]["security_rules"]
    rules.remove(next(rule for rule in rules if rule["name"].startswith(MARKER)))


def _move_nsg_rule_priority(azure, oci):
    rule = next(r for r in azure["network_security_groups"][0]["security_rules"] if r["name"].startswith(MARKER))
    rule["properties"]["priority"] = 400  # outside the module's range 1000-1999


@pytest.mark.parametrize("change, expected_fragment", [
    (_drop_first_own_nsg_rule, "NSG nsg: rule interconnect-er-inbound-10.20.0.0-16 missing"),
    (_move_nsg_rule_priority, "NSG nsg: rule interconnect-er-inbound-10.20.0.0-16 changed"),
    (lambda azure, oci: oci["route_tables"][0]["route_rules"].pop(),
     "route table ocid1.routetable.oc1.iad.rt: rule for 10.10.0.0/16 missing"),
    (lambda azure, oci: oci["route_tables"][0]["route_rules"][-1].update(network_entity_id="ocid1.drg.oc1.iad.other"),
     "route table ocid1.routetable.oc1.iad.rt: rule for 10.10.0.0/16"),
    (lambda azure, oci: oci["security_lists"][0]["ingress_security_rules"].clear(),
     "security list ocid1.securitylist.oc1.iad.sl: rule for 10.10.0.0/16 missing"),
    (lambda azure, oci: azure["express_route_circuit"].update(bandwidth_in_mbps=2000),
     "Azure circuit bandwidth_mbps is 2000, expected 1000"),
    (lambda azure, oci: azure["express_route_circuit"]["sku"].update(family="UnlimitedData"),
     "Azure circuit sku_family is UnlimitedData, expected MeteredData"),
    (lambda azure, oci: oci["virtual_circuit"].update(bandwidth_shape_name="2 Gbps"),
     "OCI virtual circuit bandwidth is 2 Gbps, expected 1000 Mbps"),
    (lambda azure, oci: oci["virtual_circuit"].update(gateway_id="ocid1.drg.oc1.iad.other"),
     "OCI virtual circuit gateway_id is ocid1.drg.oc1.iad.other"),
    (lambda azure, oci: oci["virtual_circuit"].update(bgp_session_state="DOWN"), "OCI BGP session is DOWN, expected UP"),
    (lambda azure, oci: azure.update(virtual_network_gateway_connection={}),
     "Azure gateway connection to the circuit does not exist"),
    (lambda azure, oci: azure.update(express_route_circuit={}), "Azure ExpressRoute circuit does not exist"),
    (lambda azure, oci: oci.update(virtual_circuit={}), "OCI FastConnect virtual circuit does not exist"),
])
def test_each_drift_is_named(change, expected_fragment):
    found = drift_of(change)
    assert any(expected_fragment in line for line in found), found


def test_a_foreign_rule_that_already_routes_a_cidr_elsewhere_is_a_conflict():
    def foreign_route(azure, oci):
        oci["route_tables"][0]["route_rules"] = [dict(FOREIGN_ROUTE, destination="10.10.0.0/16")]
    assert drift_of(foreign_route) == [
        "route table ocid1.routetable.oc1.iad.rt: another rule routes 10.10.0.0/16 elsewhere"]


def test_drift_agrees_with_the_nsg_module_after_it_repairs():
    azure, oci = converged()
    _drop_first_own_nsg_rule(azure, oci)
    lines, pending = desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED))
    assert pending == dict(links=False, nsg_names=["nsg"], route_rules=False, security_rules=False)
    group = azure["network_security_groups"][0]
    group["security_rules"] = nsg_rules_as_written(copy.deepcopy(group["security_rules"]))
    assert desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED)) == ([], dict(
        links=False, nsg_names=[], route_rules=False, security_rules=False))


@pytest.mark.parametrize("change, pending", [
    (lambda azure, oci: oci["virtual_circuit"].update(bgp_session_state="DOWN"), "links"),
    (lambda azure, oci: oci["route_tables"][0]["route_rules"].pop(), "route_rules"),
    (lambda azure, oci: oci["security_lists"][0]["ingress_security_rules"].clear(), "security_rules"),
])
def test_only_what_drifted_is_pending(change, pending):
    azure, oci = converged()
    change(azure, oci)
    found = desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED))[1]
    assert [key for key, value in found.items() if value] == [pending]


def test_reads_that_cannot_carry_the_interconnect_are_problems_with_the_inventory_variable():
    azure = {"virtual_network_gateway": {"gateway_type": "Vpn"}}
    oci = {"drg_attachment": {}, "route_tables": [], "security_lists": [{"id": "ocid1.securitylist.oc1.iad.sl"}]}
    found = reference_problems(azure, oci, EXPECTED)
    assert [(p["field"], p["value"]) for p in found] == [
        ("interconnect_azure_gateway_name", "ergw"), ("interconnect_oci_drg_id", DRG),
        ("interconnect_oci_route_table_ids", "ocid1.routetable.oc1.iad.rt")]
    assert "must be an ExpressRoute gateway (found Vpn)" in found[0]["message"]
    assert "(attachment: none)" in found[1]["message"]


def test_the_cloud_that_was_not_read_is_not_judged_the_other_one_is():
    # A host whose OCIDs are of another region than its interconnect_oci_region reads nothing in OCI
    # (its region's endpoint does not know them): its Azure side is still judged, its OCI side is not.
    azure = {"virtual_network": {"name": "vnet", "location": "japaneast"}, "virtual_network_gateway": {
        "name": "ergw", "location": "japaneast", "gateway_type": "ExpressRoute"}}
    expected = dict(EXPECTED, circuit=dict(EXPECTED["circuit"], location="uksouth"))
    found = reference_problems(azure, {}, expected, unread={"oci_vcn_cidrs"})
    assert [(p["field"], p["value"]) for p in found] == [
        ("interconnect_azure_vnet_name", "vnet"), ("interconnect_azure_gateway_name", "ergw")]
    assert reference_problems({}, {"drg_attachment": {"lifecycle_state": "ATTACHED"}, "route_tables": [],
                                   "security_lists": []}, dict(expected, route_table_ids=[], security_list_ids=[]),
                              unread={"azure_vnet_cidrs", "gateway_subnet_cidr"}) == []


def test_a_changed_rule_names_what_changed_on_each_side():
    def change_all(azure, oci):
        _move_nsg_rule_priority(azure, oci)
        oci["route_tables"][0]["route_rules"][-1].update(network_entity_id="ocid1.drg.oc1.iad.other")
        oci["security_lists"][0]["ingress_security_rules"][0].update(is_stateless=True)
    assert drift_of(change_all) == [
        "NSG nsg: rule interconnect-er-inbound-10.20.0.0-16 changed: priority 400 -> 1001",
        "route table ocid1.routetable.oc1.iad.rt: rule for 10.10.0.0/16 changed: network_entity_id "
        "ocid1.drg.oc1.iad.other -> ocid1.drg.oc1.iad.drg",
        "security list ocid1.securitylist.oc1.iad.sl: rule for 10.10.0.0/16 changed: is_stateless True -> False"]


def test_rule_containers_list_our_rules_as_read_and_what_was_not_read():
    azure, oci = converged()
    oci["route_tables"][0]["route_rules"].pop()
    containers = desired.rule_containers(azure, oci, PLAN, dict(EXPECTED, security_list_ids=["ocid1.securitylist.gone"]),
                                         nsg_names=["nsg", "nsg-gone"])
    nsg, missing_nsg = containers[desired.NSG]
    assert nsg["read"] and not nsg["drift"]
    assert "interconnect-er-inbound-10.20.0.0-16: Inbound Allow * from 10.20.0.0/16 to VirtualNetwork, priority 1001" \
        in nsg["rules"]
    assert not any(rule.startswith("allow-ssh") for rule in nsg["rules"]), "only our rules are listed"
    assert missing_nsg == dict(kind="NSG", name="nsg-gone", read=False, rules=[], drift=[])
    [table] = containers[desired.ROUTE_TABLE]
    assert table["rules"] == [] and table["drift"] == [
        "route table ocid1.routetable.oc1.iad.rt: rule for 10.10.0.0/16 missing"]
    assert containers[desired.SECURITY_LIST] == [dict(kind="Security list", name="ocid1.securitylist.gone", read=False,
                                                      rules=[], drift=[])]


def test_unhealthy_parts_follow_the_problems_wording():
    assert desired.unhealthy_parts([
        "Azure gateway connection to the circuit does not exist", "OCI BGP session is DOWN, expected UP",
        "NSG nsg: rule x missing", "security list ocid1.sl: rule for 10.10.0.0/16 missing", "something else"]) == [
        "gw", "vc", "vcn", "vnet"]
    assert desired.unhealthy_parts(["Azure circuit bandwidth_mbps is 2000, expected 1000"]) == ["er"]
