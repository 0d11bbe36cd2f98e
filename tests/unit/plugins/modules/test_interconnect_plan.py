# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.crosscloud.interconnect.plugins.modules import interconnect_plan
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_plan import GOOD_INPUTS

# The module passes its options straight to check_plan: the same good inputs serve both tests.
GOOD_ARGS = GOOD_INPUTS


def run_module(capsys, check_mode=False, **overrides):
    """Run main() as Ansible would and return the JSON it printed; an override of None omits the option."""
    args = {name: value for name, value in dict(GOOD_ARGS, **overrides).items() if value is not None}
    if check_mode:
        args["_ansible_check_mode"] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            interconnect_plan.main()
    return json.loads(capsys.readouterr().out)


def params(**overrides):
    """The parameters AnsibleModule would hand to run_checks (defaults filled in)."""
    values = dict.fromkeys(interconnect_plan.ARGUMENT_SPEC)
    values.update(region_pairs=[], region_pairs_replace=False)
    values.update(GOOD_ARGS, **overrides)
    return values


@pytest.mark.parametrize("check_mode", [False, True])
def test_good_plan_returns_the_derived_plan_and_changes_nothing(capsys, check_mode):
    result = run_module(capsys, check_mode=check_mode)
    assert result["changed"] is False
    assert "failed" not in result
    assert result["plan"]["oci_cross_connect_mappings"][1] == {
        "oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30"}
    assert result["plan"]["bandwidth_shape_name"] == "1 Gbps"


def test_bad_plan_fails_listing_every_problem(capsys):
    result = run_module(capsys, bgp_cidr="8.8.8.0/28", bandwidth_gbps=3, peering_location="Tokyo")
    assert result["failed"] is True and result["changed"] is False
    assert "plan" not in result
    assert [found["field"] for found in result["problems"]] == [
        "bgp_cidr", "bgp_cidr", "bandwidth_gbps", "peering_location"]
    assert result["msg"].startswith("The interconnect plan has 4 problems: (1) bgp_cidr '8.8.8.0/28'")
    assert all(found["message"] in result["msg"] for found in result["problems"])


def test_region_pairs_option_reaches_the_check(capsys):
    extra = [{"oci_region": "us-ashburn-1", "azure_region": "eastus2", "peering_locations": ["Washington DC"]}]
    result = run_module(capsys, azure_region="eastus2", region_pairs=extra)
    assert result["plan"]["azure_region"] == "eastus2"


def test_bandwidth_forms_are_mutually_exclusive(capsys):
    result = run_module(capsys, bandwidth_mbps=1000)
    assert result["failed"] is True and "mutually exclusive" in result["msg"]


def test_bandwidth_in_mbps_is_accepted(capsys):
    result = run_module(capsys, bandwidth_gbps=None, bandwidth_mbps=10000)
    assert result["plan"]["bandwidth_shape_name"] == "10 Gbps"


def test_inventory_conflicts_fail_the_module(capsys):
    result = run_module(capsys, inventory_bgp_cidrs={"a": "10.255.0.0/29", "b": "10.255.0.0/29"})
    assert [(found["field"], found["conflicts_with"]["field"]) for found in result["problems"]] == [
        ("inventory_bgp_cidrs.b", "inventory_bgp_cidrs.a")]


def test_interconnect_name_checks_this_bgp_cidr_against_the_others():
    inventory = {"me": "192.168.0.0/29", "twin": "10.255.0.0/29", "x": "172.16.0.0/29", "y": "172.16.0.0/29"}
    plan, problems, dummy = interconnect_plan.run_checks(params(inventory_bgp_cidrs=inventory, interconnect_name="me"))
    # "me" is taken from bgp_cidr (10.255.0.0/29), and the x/y conflict is not this host's to report.
    assert plan is None
    assert [(found["field"], found["conflicts_with"]["field"]) for found in problems] == [
        ("inventory_bgp_cidrs.twin", "inventory_bgp_cidrs.me")]


def test_interconnect_name_absent_from_the_inventory_is_added():
    plan, problems, dummy = interconnect_plan.run_checks(
        params(inventory_bgp_cidrs={"other": "10.255.0.8/29"}, interconnect_name="new"))
    assert problems == [] and plan["bgp_cidr"] == "10.255.0.0/29"


def test_plan_and_inventory_problems_are_reported_together():
    plan, problems, dummy = interconnect_plan.run_checks(
        params(bandwidth_gbps=3, inventory_bgp_cidrs={"a": "10.255.0.0/29", "b": "10.255.0.0/28"}))
    assert plan is None
    assert [found["field"] for found in problems] == ["bandwidth_gbps", "inventory_bgp_cidrs.a"]


def test_failure_message_numbers_the_problems():
    problems = [{"field": "a", "value": 1, "message": "a 1 is wrong"}]
    assert interconnect_plan.failure_message(problems) == "The interconnect plan has 1 problem: (1) a 1 is wrong"


def test_missing_netaddr_fails_with_the_library_named(capsys, monkeypatch):
    monkeypatch.setattr(interconnect_plan, "HAS_NETADDR", False)
    monkeypatch.setattr(interconnect_plan, "NETADDR_IMPORT_ERROR", "Traceback: No module named 'netaddr'")
    result = run_module(capsys)
    assert result["failed"] is True and "netaddr" in result["msg"] and "plan" not in result


# -- in the interconnect role: its variables, its reads -------------------------------------------

ROLE_INPUTS = {"interconnect_azure_vnet_name": "vnet-a", "interconnect_oci_vcn_id": "ocid1.vcn.oc1.ap-tokyo-1.a"}


def test_with_the_role_inputs_plan_problems_name_the_role_variables_and_where_values_came_from():
    overlapping = dict(azure_vnet_cidrs=["10.20.0.0/16"], oci_vcn_cidrs=["10.20.0.0/16"], bgp_cidr="8.8.8.0/29",
                       inventory_bgp_cidrs={"other": "8.8.8.0/29"}, interconnect_name="me", inputs=ROLE_INPUTS)
    plan, problems, dummy = interconnect_plan.run_checks(params(**overlapping))
    found = [(item["field"], item["message"]) for item in problems]
    assert plan is None
    assert ("interconnect_azure_vnet_name", "the address space of interconnect_azure_vnet_name=vnet-a '10.20.0.0/16' "
            "is the same range as the CIDR blocks of interconnect_oci_vcn_id=ocid1.vcn.oc1.ap-tokyo-1.a '10.20.0.0/16'") in found
    assert ("interconnect_azure_vnet_name", "the GatewaySubnet of interconnect_azure_vnet_name=vnet-a '10.10.255.0/27' is "
            "outside every Azure VNet CIDR (10.20.0.0/16)") in found
    assert any(field == "interconnect_bgp_cidr" and message.startswith("interconnect_bgp_cidr '8.8.8.0/29' is not private")
               for field, message in found)
    assert ("interconnect_bgp_cidr", "interconnect 'me' (8.8.8.0/29) is the same range as interconnect 'other' "
            "(8.8.8.0/29): each interconnect needs its own /29") in found


def test_a_failed_read_is_a_problem_of_its_variable_and_its_missing_values_are_not_repeated():
    azure = dict(virtual_network={}, virtual_network_gateway={}, problems=[dict(
        option="virtual_network", value="vnet-a", message="The virtual network vnet-a does not exist in resource group rg")])
    plan, problems, dummy = interconnect_plan.run_checks(params(
        azure_vnet_cidrs=[], gateway_subnet_cidr=None, bgp_cidr="8.8.8.0/29", azure_network=azure, oci_network={},
        inputs=ROLE_INPUTS))
    assert [found["field"] for found in problems] == ["interconnect_azure_vnet_name", "interconnect_bgp_cidr"]
    assert problems[0]["message"] == ("interconnect_azure_vnet_name=vnet-a could not be read: The virtual network vnet-a "
                                      "does not exist in resource group rg")


def test_an_input_problem_says_it_better_than_the_read_of_the_same_variable():
    azure = dict(problems=[dict(option="express_route_circuit", value="er a", message="Failed to read circuit er a: 400")])
    plan, problems, dummy = interconnect_plan.run_checks(params(
        azure_network=azure, oci_network={}, inputs=dict(ROLE_INPUTS, interconnect_azure_circuit_name="er a")))
    assert [found["field"] for found in problems] == ["interconnect_azure_circuit_name"]
    assert "is not a name Azure accepts for a circuit" in problems[0]["message"]


EXPECTED = dict(gateway_name="ergw", vcn_id="ocid1.vcn.oc1.ap-tokyo-1.a", drg_id="ocid1.drg.oc1.ap-tokyo-1.a",
                route_table_ids=[], security_list_ids=[], rule_marker="interconnect-er",
                circuit=dict(location="eastus", peering_location="Washington DC", sku_tier="Standard",
                             sku_family="MeteredData", service_provider_name="Oracle Cloud FastConnect"))
ORACLE = dict(name="Oracle Cloud FastConnect", peering_locations=["Washington DC", "Tokyo"], bandwidths_offered_mbps=[1000])


def test_without_a_circuit_the_providers_offer_is_judged_against_the_plan():
    azure = dict(express_route_service_providers=[ORACLE], problems=[])
    plan, problems, dummy = interconnect_plan.run_checks(params(
        bandwidth_gbps=2, azure_network=azure, oci_network=dict(problems=[]), expected=EXPECTED, inputs=ROLE_INPUTS))
    assert ("interconnect_bandwidth_gbps", "bandwidth 2000 Mbps is not offered by Oracle Cloud FastConnect; it offers "
            "1000 Mbps") in [(found["field"], found["message"]) for found in problems]
    assert not [found for found in problems if found["field"] == "interconnect_azure_peering_location"]


def test_a_provider_service_oci_does_not_offer_is_a_problem_of_the_provider_variable():
    oci = dict(problems=[dict(option="fastconnect_provider_name", value="Microsoft Azure",
                              message="FastConnect provider Microsoft Azure (PRIVATE) not found; available: none")])
    plan, problems, dummy = interconnect_plan.run_checks(params(azure_network={}, oci_network=oci, inputs=ROLE_INPUTS))
    assert [found["field"] for found in problems] == ["interconnect_oci_provider_name"]


# -- with interconnect_create_networks: the CIDRs of networks still to be made -------------------

NEW_NETWORK_INPUTS = {"interconnect_azure_vnet_name": "vnet-new", "interconnect_azure_vnet_cidrs": ["10.70.0.0/16"],
                      "interconnect_azure_gateway_subnet_cidr": "10.70.255.0/27",
                      "interconnect_oci_vcn_cidrs": ["10.80.0.0/16"], "interconnect_oci_vcn_name": "vcn-new",
                      # Not known before the networks exist: the preflight gives what it found, here nothing.
                      "interconnect_oci_vcn_id": "", "interconnect_oci_drg_id": ""}
MISSING_NETWORKS = dict(virtual_network={}, virtual_network_gateway={}, problems=[
    dict(option="virtual_network", value="vnet-new", message="The virtual network vnet-new does not exist in resource group rg"),
    dict(option="virtual_network_gateway", value="ergw", message="The virtual network gateway ergw does not exist in "
                                                                 "resource group rg")])


def creating(**overrides):
    return params(**dict(dict(azure_vnet_cidrs=["10.70.0.0/16"], gateway_subnet_cidr="10.70.255.0/27",
                              oci_vcn_cidrs=["10.80.0.0/16"], gateway_sku="UltraPerformance", create_networks=True,
                              azure_network=MISSING_NETWORKS, oci_network={}, inputs=NEW_NETWORK_INPUTS,
                              expected=dict(EXPECTED, vcn_id="", drg_id="")), **overrides))


def test_networks_to_be_created_are_no_missing_resources_and_their_cidrs_make_the_plan():
    plan, problems, drift = interconnect_plan.run_checks(creating())
    assert problems == []
    assert (plan["azure_vnet_cidrs"], plan["oci_vcn_cidrs"], plan["gateway_subnet_cidr"]) == (
        ["10.70.0.0/16"], ["10.80.0.0/16"], "10.70.255.0/27")
    assert drift[1]["links"] is True   # nothing of the interconnect exists yet


def test_without_create_networks_the_same_missing_networks_are_problems():
    plan, problems, dummy = interconnect_plan.run_checks(creating(create_networks=False, inputs=ROLE_INPUTS))
    assert plan is None
    assert [found["field"] for found in problems][:2] == ["interconnect_azure_vnet_name", "interconnect_azure_gateway_name"]


def test_new_cidrs_problems_name_their_variables_and_values_all_at_once():
    plan, problems, dummy = interconnect_plan.run_checks(creating(
        azure_vnet_cidrs=["10.70.0.0/16"], oci_vcn_cidrs=["10.70.128.0/17"], gateway_subnet_cidr="10.90.0.0/28",
        gateway_sku="VpnGw1", inputs=dict(NEW_NETWORK_INPUTS, interconnect_oci_vcn_cidrs=["10.70.128.0/17"],
                                          interconnect_azure_gateway_subnet_cidr="10.90.0.0/28")))
    found = [(item["field"], item["message"]) for item in problems]
    assert plan is None
    assert ("interconnect_azure_vnet_cidrs", "interconnect_azure_vnet_cidrs[0] '10.70.0.0/16' contains "
            "interconnect_oci_vcn_cidrs[0] '10.70.128.0/17'") in found
    assert ("interconnect_azure_gateway_subnet_cidr", "interconnect_azure_gateway_subnet_cidr '10.90.0.0/28' is too small "
            "for an ExpressRoute gateway: use /27 or larger (prefix length <= 27)") in found
    assert ("interconnect_azure_gateway_subnet_cidr", "interconnect_azure_gateway_subnet_cidr '10.90.0.0/28' is outside "
            "every Azure VNet CIDR (10.70.0.0/16)") in found
    assert [field for field, message in found if "VpnGw1" in message] == ["interconnect_azure_gateway_sku"]
    assert len(found) == 4


@pytest.mark.parametrize("sku", ["UltraPerformance", "ErGw3AZ", "Standard", "ErGw1AZ"])
def test_expressroute_gateway_skus_are_accepted(sku):
    assert interconnect_plan.run_checks(creating(gateway_sku=sku))[1] == []


@pytest.mark.parametrize("sku", ["VpnGw1", "VpnGw2AZ", "Basic", "ultraperformance"])
def test_vpn_and_unknown_gateway_skus_are_refused(sku):
    problems = interconnect_plan.run_checks(creating(gateway_sku=sku))[1]
    assert [found["field"] for found in problems] == ["interconnect_azure_gateway_sku"]
    assert problems[0]["value"] == sku and "is not an ExpressRoute gateway SKU" in problems[0]["message"]


def test_existing_networks_are_still_judged_when_creating_them_is_asked_for():
    # A re-run: the VNet and gateway exist, but the gateway is a VPN gateway; the VCN exists with no DRG attached.
    azure = dict(virtual_network=dict(id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-new",
                                      name="vnet-new", location="eastus", address_prefixes=["10.70.0.0/16"]),
                 virtual_network_gateway=dict(name="ergw", gateway_type="Vpn", location="eastus"), problems=[])
    oci = dict(vcn=dict(id="ocid1.vcn.oc1.iad.a"), drg_attachment={}, problems=[])
    plan, problems, dummy = interconnect_plan.run_checks(creating(
        azure_network=azure, oci_network=oci, expected=dict(EXPECTED, vcn_id="ocid1.vcn.oc1.iad.a", drg_id="ocid1.drg.oc1.iad.a")))
    assert [found["field"] for found in problems] == ["interconnect_azure_gateway_name", "interconnect_oci_drg_id"]


def test_the_oci_ids_the_network_step_returns_are_not_checked_as_inputs_when_creating():
    assert interconnect_plan.run_checks(creating())[1] == []
    problems = interconnect_plan.run_checks(creating(create_networks=False))[1]
    assert {"interconnect_oci_vcn_id", "interconnect_oci_drg_id"} <= set(found["field"] for found in problems)


# -- the role's own problems of its variables (argument_problems), first in the same refusal -------

VNET_NOT_SET = dict(field="interconnect_azure_vnet_name", value=None, message="interconnect_azure_vnet_name is missing: "
                    "it is not set. It is the azure VNet connected through the gateway.")


def test_the_problems_of_the_variables_come_first_with_the_read_and_plan_problems_of_the_others():
    # The VNet was not read (no name to read it by): the plan's empty VNet says nothing more of it.
    azure = dict(virtual_network={}, virtual_network_gateway={}, problems=[])
    plan, problems, dummy = interconnect_plan.run_checks(params(
        argument_problems=[VNET_NOT_SET], azure_vnet_cidrs=[], gateway_subnet_cidr=None, bgp_cidr="8.8.8.0/29",
        peering_location="Osaka", azure_network=azure, oci_network=dict(problems=[], drg_attachment=dict(
            lifecycle_state="ATTACHED")), expected=EXPECTED, inputs={"interconnect_oci_vcn_id": "ocid1.vcn.oc1.ap-tokyo-1.a"}))
    assert plan is None
    assert [found["field"] for found in problems] == [
        "interconnect_azure_vnet_name", "interconnect_bgp_cidr", "interconnect_azure_peering_location"]
    assert problems[0] == VNET_NOT_SET
    assert problems[2]["message"].startswith("interconnect_azure_peering_location 'Osaka' is not a peering location")


def test_a_variable_with_a_problem_is_named_once_whatever_the_later_checks_say_of_its_empty_value():
    not_a_choice = dict(field="interconnect_bandwidth_gbps", value=3,
                        message="interconnect_bandwidth_gbps is 3; it must be one of 1, 2, 5, 10.")
    bgp_not_set = dict(field="interconnect_bgp_cidr", value=None, message="interconnect_bgp_cidr is missing: it is not set.")
    plan, problems, dummy = interconnect_plan.run_checks(params(
        argument_problems=[not_a_choice, bgp_not_set], bgp_cidr="", bandwidth_gbps=None, azure_region="westeurope",
        inputs=ROLE_INPUTS))
    assert problems[:2] == [not_a_choice, bgp_not_set]
    assert [found["field"] for found in problems[2:]] == ["interconnect_azure_location"]


def test_without_a_region_to_read_it_in_the_vcn_is_not_judged():
    # interconnect_oci_region refused: the OCI read was skipped, so no VCN CIDR, DRG attachment or rule owner is known.
    region_not_set = dict(field="interconnect_oci_region", value=None, message="interconnect_oci_region is missing.")
    vnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a"
    azure = dict(problems=[], virtual_network=dict(id=vnet_id, name="vnet-a", location="eastus"),
                 virtual_network_gateway=dict(name="ergw", location="eastus", gateway_type="ExpressRoute",
                                              subnet_ids=[vnet_id + "/subnets/GatewaySubnet"]))
    plan, problems, dummy = interconnect_plan.run_checks(params(
        argument_problems=[region_not_set], oci_vcn_cidrs=[], oci_region="", azure_network=azure,
        oci_network=dict(skipped=True), expected=dict(EXPECTED, route_table_ids=["ocid1.routetable.oc1.ap-tokyo-1.a"]),
        inputs=ROLE_INPUTS))
    assert problems == [region_not_set]


def test_no_bandwidth_is_a_problem_listed_with_the_others(capsys):
    result = run_module(capsys, bandwidth_gbps=None, bgp_cidr="8.8.8.0/29")
    assert result["failed"] is True
    assert [found["field"] for found in result["problems"]] == ["bgp_cidr", "bandwidth_gbps"]
    assert result["problems"][1]["message"] == "bandwidth_gbps (or bandwidth_mbps) is required"


def test_a_new_network_without_cidrs_is_named_once_by_its_variable():
    refused = dict(field="interconnect_oci_vcn_cidrs", value=None, message="interconnect_oci_vcn_cidrs is missing: ...")
    plan, problems, dummy = interconnect_plan.run_checks(creating(oci_vcn_cidrs=[], argument_problems=[refused]))
    assert problems == [refused]
