# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import itertools
import random

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils import plan as plan_utils
from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import (
    DEFAULT_REGION_PAIRS,
    check_inventory_bgp_cidrs,
    check_plan,
    find_overlaps,
    region_pair_table,
)

GOOD_INPUTS = dict(
    azure_vnet_cidrs=["10.10.0.0/16"],
    oci_vcn_cidrs=["10.20.0.0/16"],
    bgp_cidr="10.255.0.0/29",
    gateway_subnet_cidr="10.10.255.0/27",
    bandwidth_gbps=1,
    azure_region="eastus",
    oci_region="us-ashburn-1",
    peering_location="Washington DC",
)


def run(**overrides):
    return check_plan(**dict(GOOD_INPUTS, **overrides))


def problems_of(**overrides):
    plan, problems = run(**overrides)
    assert (plan is None) == bool(problems), "a plan must come exactly when there is no problem"
    return problems


def fields_of(**overrides):
    return [found["field"] for found in problems_of(**overrides)]


def accepted(**overrides):
    plan, problems = run(**overrides)
    assert problems == []
    return plan


# --- the derived plan ---------------------------------------------------------------------------

def test_derived_plan_of_the_documented_example():
    plan = accepted()
    assert plan["bgp_cidr"] == "10.255.0.0/29"
    assert plan["primary"] == {"peer_cidr": "10.255.0.0/30", "oracle_bgp_ip": "10.255.0.1",
                               "azure_bgp_ip": "10.255.0.2"}
    assert plan["secondary"] == {"peer_cidr": "10.255.0.4/30", "oracle_bgp_ip": "10.255.0.5",
                                 "azure_bgp_ip": "10.255.0.6"}
    assert plan["azure_private_peering"] == {
        "peering_type": "AzurePrivatePeering", "peer_asn": 31898,
        "primary_peer_address_prefix": "10.255.0.0/30", "secondary_peer_address_prefix": "10.255.0.4/30",
    }
    assert plan["oci_cross_connect_mappings"] == [
        {"oracle_bgp_peering_ip": "10.255.0.1/30", "customer_bgp_peering_ip": "10.255.0.2/30"},
        {"oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30"},
    ]
    assert (plan["microsoft_asn"], plan["oracle_asn"], plan["mtu"]) == (12076, 31898, 1500)
    assert (plan["azure_region"], plan["oci_region"], plan["peering_location"]) == (
        "eastus", "us-ashburn-1", "Washington DC")
    assert (plan["azure_vnet_cidrs"], plan["oci_vcn_cidrs"], plan["gateway_subnet_cidr"]) == (
        ["10.10.0.0/16"], ["10.20.0.0/16"], "10.10.255.0/27")


@pytest.mark.parametrize("bgp_cidr", ["100.64.7.248/29", "192.168.0.0/29", "172.31.255.248/29", "10.0.0.8/29"])
def test_bgp_addresses_follow_the_layout_rule(bgp_cidr):
    """Checked against the stdlib: /30 n of the /29, Oracle = its first host, Azure = its second."""
    plan = accepted(bgp_cidr=bgp_cidr)
    halves = list(ipaddress.ip_network(bgp_cidr).subnets(new_prefix=30))
    for session, half, mapping in zip((plan["primary"], plan["secondary"]), halves,
                                      plan["oci_cross_connect_mappings"]):
        hosts = list(half.hosts())
        assert session == {"peer_cidr": str(half), "oracle_bgp_ip": str(hosts[0]), "azure_bgp_ip": str(hosts[1])}
        assert mapping == {"oracle_bgp_peering_ip": "%s/30" % hosts[0], "customer_bgp_peering_ip": "%s/30" % hosts[1]}
    assert plan["azure_private_peering"]["primary_peer_address_prefix"] == str(halves[0])
    assert plan["azure_private_peering"]["secondary_peer_address_prefix"] == str(halves[1])


@pytest.mark.parametrize("gbps", [1, 2, 5, 10])
def test_every_supported_bandwidth_gives_its_shape(gbps):
    plan = accepted(bandwidth_gbps=gbps)
    assert (plan["bandwidth_gbps"], plan["bandwidth_mbps"], plan["bandwidth_shape_name"]) == (
        gbps, gbps * 1000, "%d Gbps" % gbps)


def test_bandwidth_in_mbps_is_accepted():
    plan = accepted(bandwidth_gbps=None, bandwidth_mbps=5000)
    assert (plan["bandwidth_gbps"], plan["bandwidth_shape_name"]) == (5, "5 Gbps")


def test_both_bandwidth_forms_may_be_given_when_they_agree():
    assert accepted(bandwidth_gbps=2, bandwidth_mbps=2000)["bandwidth_mbps"] == 2000


# --- overlap ------------------------------------------------------------------------------------

def test_adjacent_cidrs_are_accepted():
    # Each pair touches at a boundary without sharing an address.
    accepted(azure_vnet_cidrs=["10.0.0.0/16"], oci_vcn_cidrs=["10.1.0.0/16", "9.255.255.0/24"],
             gateway_subnet_cidr="10.0.255.224/27", bgp_cidr="10.2.0.0/29")
    accepted(azure_vnet_cidrs=["10.0.0.0/24"], oci_vcn_cidrs=["10.0.1.8/29"], gateway_subnet_cidr="10.0.0.0/27",
             bgp_cidr="10.0.1.0/29")


@pytest.mark.parametrize("azure, oci, relation", [
    ("10.0.0.0/16", "10.0.128.0/17", "contains"),
    ("10.0.128.0/17", "10.0.0.0/16", "lies inside"),
    ("10.0.0.0/16", "10.0.0.0/16", "is the same range as"),
    ("10.0.0.0/16", "10.0.255.252/30", "contains"),
])
def test_azure_and_oci_overlap_is_found_in_either_direction(azure, oci, relation):
    problems = problems_of(azure_vnet_cidrs=[azure], oci_vcn_cidrs=["172.16.0.0/16", oci],
                           gateway_subnet_cidr=azure.split("/")[0] + "/27")
    assert problems == [{
        "field": "azure_vnet_cidrs[0]", "value": azure,
        "message": "azure_vnet_cidrs[0] %r %s oci_vcn_cidrs[1] %r" % (azure, relation, oci),
        "conflicts_with": {"field": "oci_vcn_cidrs[1]", "value": oci},
    }]


def test_every_overlapping_pair_is_reported():
    problems = problems_of(azure_vnet_cidrs=["10.10.0.0/16", "10.30.0.0/16"],
                           oci_vcn_cidrs=["10.10.1.0/24", "10.0.0.0/8"])
    pairs = {(found["field"], found["conflicts_with"]["field"]) for found in problems}
    assert pairs == {("azure_vnet_cidrs[0]", "oci_vcn_cidrs[0]"), ("azure_vnet_cidrs[0]", "oci_vcn_cidrs[1]"),
                     ("azure_vnet_cidrs[1]", "oci_vcn_cidrs[1]"), ("bgp_cidr", "oci_vcn_cidrs[1]")}


def test_overlaps_within_one_cloud_are_not_problems():
    accepted(azure_vnet_cidrs=["10.10.0.0/16", "10.10.0.0/17"], oci_vcn_cidrs=["10.20.0.0/16", "10.20.0.0/24"])


@pytest.mark.parametrize("other_field, other_cidr", [("azure_vnet_cidrs", "10.255.0.0/24"),
                                                     ("oci_vcn_cidrs", "10.255.0.0/29")])
def test_bgp_cidr_must_be_disjoint_from_vnets_and_vcns(other_field, other_cidr):
    problems = problems_of(**{other_field: [other_cidr, GOOD_INPUTS[other_field][0]]})
    assert [(found["field"], found["conflicts_with"]) for found in problems] == [
        ("bgp_cidr", {"field": other_field + "[0]", "value": other_cidr})]


# --- the /29 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bgp_cidr", ["10.255.0.4/29", "10.255.0.1/29", "10.255.0.7/29"])
def test_bgp_cidr_off_an_8_address_boundary_is_refused(bgp_cidr):
    problems = problems_of(bgp_cidr=bgp_cidr)
    assert [found["field"] for found in problems] == ["bgp_cidr"]
    assert "8-address boundary" in problems[0]["message"]
    assert "10.255.0.0/29" in problems[0]["message"]


@pytest.mark.parametrize("bgp_cidr", ["8.8.8.0/29", "100.63.255.248/29", "100.128.0.0/29", "172.32.0.0/29", "192.169.0.0/29",
                                      "11.0.0.0/29"])
def test_public_bgp_cidr_is_refused(bgp_cidr):
    problems = problems_of(bgp_cidr=bgp_cidr)
    assert [found["field"] for found in problems] == ["bgp_cidr"]
    assert "not private" in problems[0]["message"]


@pytest.mark.parametrize("bgp_cidr", ["10.0.0.0/29", "172.16.0.0/29", "192.168.255.248/29", "100.64.0.0/29",
                                      "100.127.255.248/29"])
def test_private_and_shared_address_space_is_accepted(bgp_cidr):
    assert accepted(bgp_cidr=bgp_cidr)["bgp_cidr"] == bgp_cidr


@pytest.mark.parametrize("bgp_cidr, prefix", [("10.255.0.0/28", 28), ("10.255.0.0/30", 30), ("10.255.0.0/24", 24)])
def test_bgp_cidr_of_another_size_is_refused(bgp_cidr, prefix):
    problems = problems_of(bgp_cidr=bgp_cidr)
    assert [found["field"] for found in problems] == ["bgp_cidr"]
    assert "must be a /29" in problems[0]["message"] and "/%d" % prefix in problems[0]["message"]


# --- GatewaySubnet ------------------------------------------------------------------------------

@pytest.mark.parametrize("gateway", ["10.10.255.0/27", "10.10.255.0/26", "10.10.0.0/24", "10.10.0.0/16"])
def test_gateway_subnet_of_27_or_larger_is_accepted(gateway):
    assert accepted(gateway_subnet_cidr=gateway)["gateway_subnet_cidr"] == gateway


@pytest.mark.parametrize("gateway", ["10.10.255.0/28", "10.10.255.0/29"])
def test_gateway_subnet_smaller_than_27_is_refused(gateway):
    problems = problems_of(gateway_subnet_cidr=gateway)
    assert [found["field"] for found in problems] == ["gateway_subnet_cidr"]
    assert "/27 or larger" in problems[0]["message"]


@pytest.mark.parametrize("gateway", ["10.11.0.0/27", "10.20.0.0/27", "10.10.0.0/15"])
def test_gateway_subnet_outside_every_vnet_is_refused(gateway):
    problems = problems_of(gateway_subnet_cidr=gateway)
    assert [found["field"] for found in problems] == ["gateway_subnet_cidr"]
    assert "outside every Azure VNet CIDR (10.10.0.0/16)" in problems[0]["message"]


def test_gateway_subnet_may_sit_in_any_vnet_cidr():
    accepted(azure_vnet_cidrs=["10.10.0.0/16", "10.40.0.0/24"], gateway_subnet_cidr="10.40.0.32/27")


# --- bandwidth ----------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, field", [
    (dict(bandwidth_gbps=3), "bandwidth_gbps"),
    (dict(bandwidth_gbps=0), "bandwidth_gbps"),
    (dict(bandwidth_gbps=100), "bandwidth_gbps"),
    (dict(bandwidth_gbps=True), "bandwidth_gbps"),
    (dict(bandwidth_gbps="1"), "bandwidth_gbps"),
    (dict(bandwidth_gbps=None, bandwidth_mbps=1500), "bandwidth_mbps"),
    (dict(bandwidth_gbps=None, bandwidth_mbps=1), "bandwidth_mbps"),
    (dict(bandwidth_gbps=1, bandwidth_mbps=2000), "bandwidth_mbps"),
    (dict(bandwidth_gbps=None), "bandwidth_gbps"),
])
def test_unsupported_bandwidth_is_refused(overrides, field):
    assert fields_of(**overrides) == [field]


def test_bandwidth_problem_lists_the_choices():
    assert problems_of(bandwidth_gbps=3)[0]["message"] == (
        "bandwidth_gbps 3 is not a FastConnect/ExpressRoute bandwidth; use one of 1, 2, 5, 10")


# --- region pairs -------------------------------------------------------------------------------

@pytest.mark.parametrize("azure_region, oci_region, peering_location", [
    ("East US", "US-Ashburn-1", "washington dc"),
    ("EASTUS", "us-ashburn-1", "  Washington   DC2 "),
])
def test_region_matching_is_case_insensitive_and_returns_table_spelling(azure_region, oci_region, peering_location):
    plan = accepted(azure_region=azure_region, oci_region=oci_region, peering_location=peering_location)
    assert plan["azure_region"] == "eastus" and plan["oci_region"] == "us-ashburn-1"
    assert plan["peering_location"] in ("Washington DC", "Washington DC2")
    assert plan["peering_location"].lower() == " ".join(peering_location.split()).lower()


@pytest.mark.parametrize("pair", DEFAULT_REGION_PAIRS, ids=lambda pair: pair["oci_region"])
def test_every_built_in_pair_and_location_is_accepted(pair):
    for location in pair["peering_locations"]:
        accepted(azure_region=pair["azure_region"], oci_region=pair["oci_region"], peering_location=location)


def test_unsupported_pair_of_a_known_oci_region_names_the_azure_region():
    problems = problems_of(azure_region="westeurope")
    assert [found["field"] for found in problems] == ["azure_region"]
    assert "it pairs with: eastus" in problems[0]["message"]


def test_unknown_oci_region_names_the_oci_region():
    problems = problems_of(oci_region="mars-olympus-1")
    assert [(found["field"], found["value"]) for found in problems] == [("oci_region", "mars-olympus-1")]
    assert "us-ashburn-1" in problems[0]["message"]


def test_peering_location_of_another_pair_is_refused_and_its_pair_named():
    problems = problems_of(peering_location="Tokyo")
    assert [(found["field"], found["value"]) for found in problems] == [("peering_location", "Tokyo")]
    assert "Washington DC, Washington DC2" in problems[0]["message"]
    assert "ap-tokyo-1 / japaneast" in problems[0]["message"]


@pytest.mark.parametrize("field", ["azure_region", "oci_region", "peering_location"])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_region_input_is_a_problem(field, value):
    assert fields_of(**{field: value}) == [field]


def test_region_pairs_extend_the_table():
    extra = [{"oci_region": "us-ashburn-1", "azure_region": "eastus2", "peering_locations": ["Washington DC"]}]
    assert fields_of(azure_region="eastus2") == ["azure_region"]
    plan = accepted(azure_region="East US 2", region_pairs=extra)
    assert plan["azure_region"] == "eastus2"
    accepted(region_pairs=extra)  # the built-in pair is still there


def test_region_pairs_override_a_built_in_entry():
    override = [{"oci_region": "US-ASHBURN-1", "azure_region": "eastus", "peering_locations": ["Ashburn Lab"]}]
    assert fields_of(region_pairs=override) == ["peering_location"]
    assert accepted(region_pairs=override, peering_location="ashburn lab")["peering_location"] == "Ashburn Lab"


def test_region_pairs_replace_drops_the_built_in_table():
    only = [{"oci_region": "us-ashburn-1", "azure_region": "eastus", "peering_locations": ["Washington DC"]}]
    accepted(region_pairs=only, region_pairs_replace=True)
    assert fields_of(region_pairs=only, region_pairs_replace=True, azure_region="japaneast",
                     oci_region="ap-tokyo-1", peering_location="Tokyo") == ["oci_region"]
    assert len(region_pair_table(only, replace=True)) == 1
    assert len(region_pair_table()) == len(DEFAULT_REGION_PAIRS)


def test_malformed_region_pairs_are_problems():
    bad = [{"oci_region": "", "azure_region": "eastus2", "peering_locations": ["X"]},
           {"oci_region": "us-ashburn-1", "azure_region": "eastus2", "peering_locations": []},
           "us-ashburn-1"]
    assert fields_of(region_pairs=bad) == ["region_pairs[0].oci_region", "region_pairs[1].peering_locations",
                                           "region_pairs[2]"]


# --- malformed input ----------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, words", [
    ("bgp_cidr", "fd00:ffff::/125", "IPv6"),
    ("bgp_cidr", "10.255.0.0", "not a CIDR"),
    ("bgp_cidr", "10.255.0.256/29", "not a valid CIDR"),
    ("bgp_cidr", "10.255.0.0/33", "not a valid CIDR"),
    ("bgp_cidr", "ten/29", "not a valid CIDR"),
    ("bgp_cidr", None, "not a CIDR"),
    ("gateway_subnet_cidr", "fd00::/64", "IPv6"),
    ("gateway_subnet_cidr", "10.10.255.0/27x", "not a valid CIDR"),
])
def test_malformed_single_cidr_is_a_problem_not_an_exception(field, value, words):
    problems = problems_of(**{field: value})
    assert [(found["field"], found["value"]) for found in problems] == [(field, value)]
    assert words in problems[0]["message"] and repr(value) in problems[0]["message"]


@pytest.mark.parametrize("field", ["azure_vnet_cidrs", "oci_vcn_cidrs"])
@pytest.mark.parametrize("value, words", [("fd00::/48", "IPv6"), ("10.30.0.0/16/1", "not a valid CIDR"),
                                          (42, "not a CIDR"), ("10.30.0.1/16", "10.30.0.0/16")])
def test_malformed_cidr_in_a_list_is_reported_with_its_index(field, value, words):
    problems = problems_of(**{field: GOOD_INPUTS[field] + [value]})
    assert [(found["field"], found["value"]) for found in problems] == [(field + "[1]", value)]
    assert words in problems[0]["message"]


@pytest.mark.parametrize("value", [[], None, "10.10.0.0/16"])
def test_cidr_lists_must_be_non_empty_lists(value):
    assert "azure_vnet_cidrs" in fields_of(azure_vnet_cidrs=value)


def test_every_problem_is_reported_at_once():
    problems = problems_of(
        azure_vnet_cidrs=["10.10.0.0/16", "fd00::/48", "garbage"],
        oci_vcn_cidrs=["10.10.128.0/17"],
        bgp_cidr="8.8.8.4/28",
        gateway_subnet_cidr="10.99.0.0/28",
        bandwidth_gbps=3,
        azure_region="westeurope",
        peering_location="Tokyo",  # not reported: there is no pair to check it against
    )
    assert [found["field"] for found in problems] == [
        "azure_vnet_cidrs[1]", "azure_vnet_cidrs[2]",
        "bgp_cidr", "bgp_cidr", "bgp_cidr",  # off its boundary, not a /29, not private
        "azure_vnet_cidrs[0]",  # contains oci_vcn_cidrs[0]
        "gateway_subnet_cidr", "gateway_subnet_cidr",  # too small, outside the VNets
        "bandwidth_gbps", "azure_region",
    ]
    assert all(found["field"] in found["message"] and repr(found["value"]) in found["message"]
               for found in problems)


# --- sort and sweep -----------------------------------------------------------------------------

def brute_force_overlaps(ranges):
    return {frozenset((a[2], b[2])) for a, b in itertools.combinations(ranges, 2)
            if a[0] <= b[1] and b[0] <= a[1]}


@pytest.mark.parametrize("seed", range(5))
def test_sweep_finds_exactly_the_overlapping_pairs(seed):
    generator = random.Random(seed)
    ranges = []
    for key in range(300):
        first = generator.randrange(0, 5000)
        ranges.append((first, first + generator.choice([0, 1, 7, 30, 400]), key))
    found = find_overlaps(ranges)
    assert len(found) == len({frozenset((a[2], b[2])) for a, b in found}), "a pair is reported once"
    assert {frozenset((a[2], b[2])) for a, b in found} == brute_force_overlaps(ranges)
    assert all(a[0] <= b[0] for a, b in found)


def test_touching_ranges_do_not_overlap():
    assert find_overlaps([(0, 7, "a"), (8, 15, "b"), (16, 16, "c")]) == []
    assert find_overlaps([(0, 8, "a"), (8, 15, "b")]) == [((0, 8, "a"), (8, 15, "b"))]


# --- across interconnects -----------------------------------------------------------------------

def conflict_pairs(problems):
    return {frozenset((found["field"], found["conflicts_with"]["field"])) for found in problems}


def test_inventory_duplicates_are_reported_pairwise_by_name():
    problems = check_inventory_bgp_cidrs({"tokyo": "10.255.0.0/29", "ashburn": "10.255.0.8/29",
                                          "london": "10.255.0.0/29", "paris": "10.255.0.0/29"})
    assert conflict_pairs(problems) == {
        frozenset(("inventory_bgp_cidrs.tokyo", "inventory_bgp_cidrs.london")),
        frozenset(("inventory_bgp_cidrs.tokyo", "inventory_bgp_cidrs.paris")),
        frozenset(("inventory_bgp_cidrs.london", "inventory_bgp_cidrs.paris")),
    }
    assert all("is the same range as" in found["message"] for found in problems)
    assert "'tokyo'" in problems[0]["message"] or "'london'" in problems[0]["message"]


def test_inventory_overlap_is_reported():
    problems = check_inventory_bgp_cidrs({"wide": "10.255.0.0/28", "a": "10.255.0.8/29", "b": "10.255.0.16/29"})
    assert conflict_pairs(problems) == {frozenset(("inventory_bgp_cidrs.a", "inventory_bgp_cidrs.wide"))}
    assert problems[0]["message"] == ("interconnect 'a' (10.255.0.8/29) lies inside interconnect 'wide' "
                                      "(10.255.0.0/28): each interconnect needs its own /29")


def test_inventory_adjacent_cidrs_are_accepted():
    assert check_inventory_bgp_cidrs({"a": "10.255.0.0/29", "b": "10.255.0.8/29", "c": "10.254.255.248/29"}) == []


def test_inventory_check_can_focus_on_one_interconnect():
    inventory = {"a": "10.255.0.0/29", "b": "10.255.0.0/29", "c": "10.255.0.8/29", "d": "10.255.0.8/29",
                 "e": "bogus"}
    assert conflict_pairs(check_inventory_bgp_cidrs(inventory, only="a")) == {
        frozenset(("inventory_bgp_cidrs.a", "inventory_bgp_cidrs.b"))}
    assert check_inventory_bgp_cidrs({"a": "10.255.0.0/29", "e": "bogus"}, only="a") == []
    assert [found["field"] for found in check_inventory_bgp_cidrs(inventory, only="e")] == ["inventory_bgp_cidrs.e"]


def test_inventory_malformed_entries_are_problems():
    problems = check_inventory_bgp_cidrs({"v6": "fd00::/125", "junk": "10.0.0/29", "none": None}, field="hosts")
    assert [found["field"] for found in problems] == ["hosts.v6", "hosts.junk", "hosts.none"]


def _distinct_bgp_cidrs(count):
    return {"ic-%05d" % index: "10.%d.%d.%d/29" % (index >> 13, (index >> 5) & 0xFF, (index & 0x1F) * 8)
            for index in range(count)}


def test_inventory_of_10000_distinct_cidrs_has_no_conflict():
    inventory = _distinct_bgp_cidrs(10000)
    assert len(set(inventory.values())) == 10000
    assert check_inventory_bgp_cidrs(inventory) == []


def test_inventory_of_10000_cidrs_finds_exactly_the_planted_conflicts():
    inventory = _distinct_bgp_cidrs(10000)
    names = list(inventory)
    random.Random(7).shuffle(names)
    shuffled = {name: inventory[name] for name in names}
    shuffled["copy-of-4242"] = inventory["ic-04242"]
    shuffled["wide"] = "10.0.1.0/28"  # covers ic-00032 and ic-00033
    problems = check_inventory_bgp_cidrs(shuffled)
    assert conflict_pairs(problems) == {
        frozenset(("inventory_bgp_cidrs.copy-of-4242", "inventory_bgp_cidrs.ic-04242")),
        frozenset(("inventory_bgp_cidrs.wide", "inventory_bgp_cidrs.ic-00032")),
        frozenset(("inventory_bgp_cidrs.wide", "inventory_bgp_cidrs.ic-00033")),
    }


def test_netaddr_is_the_only_dependency():
    assert plan_utils.HAS_NETADDR and plan_utils.NETADDR_IMPORT_ERROR is None


def test_in_role_terms_names_a_variable_once_where_the_plan_gives_two_names_of_it():
    problems = []
    assert plan_utils.bandwidth_from(None, None, problems) is None
    worded = plan_utils.in_role_terms(problems, {})
    assert [found["message"] for found in worded] == ["interconnect_bandwidth_gbps is required"]
    assert worded[0]["field"] == "interconnect_bandwidth_gbps"


def test_a_resource_group_the_role_creates_is_no_read_problem_but_an_nsg_named_in_it_is():
    missing_group = "Resource group 'rg-new' could not be found."
    azure = dict(problems=[
        dict(option="express_route_circuit", value="er-new", message=missing_group, error_code="ResourceGroupNotFound"),
        dict(option="network_security_groups", value=["nsg-new"], message=missing_group + " (NSG)",
             error_code="ResourceGroupNotFound"),
    ])
    creating = plan_utils.read_problems(azure, {}, set(), skipped=plan_utils.CREATED_NETWORK_OPTIONS)
    assert [found["field"] for found in creating] == ["interconnect_azure_nsg_names"]
    existing = plan_utils.read_problems(azure, {}, set())
    assert [found["field"] for found in existing] == ["interconnect_azure_circuit_name", "interconnect_azure_nsg_names"]
