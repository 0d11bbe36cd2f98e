# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure helpers of the network-creating modules: the owner tag, the gateway SKUs, the checks of a new
network's inputs and the route rules that target a DRG."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import DEFAULT_MARKER
from ansible_collections.crosscloud.interconnect.plugins.module_utils.greenfield import (
    azure_network_problems,
    gateway_sku_problem,
    is_ours,
    oci_network_problems,
    rules_targeting,
    tags_of_created,
    zone_family_change,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import KINDS


def test_the_owner_tag_is_the_collection_of_the_rule_marker():
    tags = tags_of_created({"purpose": "demo"})
    assert tags == {"purpose": "demo", "created-by": DEFAULT_MARKER.split(":")[1]}
    assert tags["created-by"] == "crosscloud.interconnect"
    assert is_ours(tags)
    assert not is_ours({"created-by": "someone-else"})
    assert not is_ours(None)


def test_a_valid_azure_network_has_no_problem():
    assert azure_network_problems(["10.70.0.0/16", "10.71.0.0/16"], "10.71.255.0/27", "ergw3az") == []


def test_azure_problems_come_all_at_once_with_the_caller_s_names():
    problems = azure_network_problems(["10.70.0.0/16", "10.70.1.0/24", "nonsense"], "10.99.0.0/28", "VpnGw2AZ",
                                      names=dict(address_prefixes="interconnect_azure_address_prefixes",
                                                 gateway_subnet_prefix="interconnect_azure_gateway_subnet_prefix",
                                                 gateway_sku="interconnect_azure_gateway_sku"))
    assert len(problems) == 5
    assert problems[0].startswith("interconnect_azure_address_prefixes: nonsense is not a network")
    assert problems[1] == "interconnect_azure_address_prefixes: 10.70.0.0/16 and 10.70.1.0/24 overlap"
    assert "interconnect_azure_gateway_subnet_prefix: 10.99.0.0/28 is smaller than a /27" in problems[2]
    assert problems[3].startswith("interconnect_azure_gateway_subnet_prefix: 10.99.0.0/28 is not inside")
    assert problems[4].startswith("interconnect_azure_gateway_sku VpnGw2AZ is a VPN gateway SKU")


def test_missing_azure_inputs_are_named():
    assert azure_network_problems([], None, "UltraPerformance") == [
        "address_prefixes: at least one CIDR is needed for a new virtual network",
        "gateway_subnet_prefix: a CIDR for the GatewaySubnet is needed"]


@pytest.mark.parametrize("sku, problem", [
    ("UltraPerformance", None), ("errgw3az", "not an ExpressRoute gateway SKU"), ("ErGwScale", None),
    ("Basic", "is a VPN gateway SKU"), ("VpnGw1", "FastPath needs UltraPerformance or ErGw3AZ"),
])
def test_gateway_skus(sku, problem):
    found = gateway_sku_problem("gateway_sku", sku)
    assert found is None if problem is None else problem in found


@pytest.mark.parametrize("current, wanted, refused", [
    ("UltraPerformance", "HighPerformance", False), ("ErGw1AZ", "ergw3az", False),
    ("UltraPerformance", "ErGw3AZ", True), ("ErGw3AZ", "Standard", True),
])
def test_resizes_stay_within_the_zone_family(current, wanted, refused):
    assert (zone_family_change(current, wanted) is not None) == refused


def test_oci_network_problems():
    assert oci_network_problems(["10.80.0.0/16"], "vcn80") == []
    problems = oci_network_problems(["10.0.0.0/8", "10.80.0.0/16", "10.80.0.0/24", "fd00::/64"], "vcn-80")
    assert problems == [
        "cidr_blocks: 10.0.0.0/8 and 10.80.0.0/16 overlap",
        "cidr_blocks: 10.0.0.0/8 and 10.80.0.0/24 overlap",
        "cidr_blocks: 10.80.0.0/16 and 10.80.0.0/24 overlap",
        "cidr_blocks: 10.0.0.0/8 is not an IPv4 block of /16 to /30, as a VCN needs",
        "cidr_blocks: fd00::/64 is not an IPv4 block of /16 to /30, as a VCN needs",
        "dns_label: vcn-80 is not 1 to 15 letters and digits starting with a letter"]
    assert oci_network_problems(None, "a" * 16, names=dict(cidr_blocks="interconnect_oci_vcn_cidrs"))[0] == \
        "interconnect_oci_vcn_cidrs: at least one CIDR is needed for a new VCN"


def test_rules_targeting_a_drg():
    table = {"route_rules": [{"destination": "10.70.0.0/16", "network_entity_id": "ocid1.drg.a"},
                             {"destination": "0.0.0.0/0", "network_entity_id": "ocid1.internetgateway.b"},
                             {"destination": "10.71.0.0/16", "network_entity_id": "ocid1.drg.a"}]}
    assert [rule["destination"] for rule in rules_targeting(table, "ocid1.drg.a")] == ["10.70.0.0/16", "10.71.0.0/16"]
    assert rules_targeting({"route_rules": None}, "ocid1.drg.a") == []


@pytest.mark.parametrize("resource, available, terminated, hopeless", [
    ({"lifecycle_state": "PROVISIONING"}, False, False, False),
    ({"lifecycle_state": "AVAILABLE"}, True, False, False),
    ({"lifecycle_state": "ATTACHED"}, True, False, False),
    ({"lifecycle_state": "DETACHING"}, False, False, True),
    ({"lifecycle_state": "DETACHED"}, False, True, True),
    (None, False, True, True),
])
def test_the_oci_lifecycle_conditions(resource, available, terminated, hopeless):
    conditions = KINDS["oci_resource"].conditions
    assert conditions["available"].holds(resource) == available
    assert conditions["available"].cannot_hold(resource) == hopeless
    assert conditions["terminated"].holds(resource) == terminated
