# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rule naming, priority allocation and change planning of azure_nsg_rules; views of azure_network_info."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.modules import azure_network_info as netinfo
from ansible_collections.crosscloud.interconnect.plugins.module_utils import desired
from ansible_collections.crosscloud.interconnect.plugins.modules import azure_nsg_rules as nsg

PARAMS = dict(cidrs=["10.20.0.0/16"], directions=["Inbound", "Outbound"], local_address_prefix="VirtualNetwork",
              protocol="*", destination_port_range="*", name_prefix="interconnect-")


def rule(name, priority, direction="Inbound", **properties):
    body = dict(priority=priority, direction=direction, access="Allow", protocol="*")
    body.update(properties)
    return {"name": name, "properties": body}


def test_rule_names_are_valid_and_deterministic():
    assert desired.rule_name("interconnect-", "Inbound", "10.20.0.0/16") == "interconnect-inbound-10.20.0.0-16"
    assert desired.rule_name("p-", "Outbound", "fd00::/64") == "p-outbound-fd00..-64"


def test_desired_rules_point_each_direction_the_right_way():
    wanted = desired.desired_rules(PARAMS)
    inbound, outbound = wanted["interconnect-inbound-10.20.0.0-16"], wanted["interconnect-outbound-10.20.0.0-16"]
    assert (inbound["sourceAddressPrefix"], inbound["destinationAddressPrefix"]) == ("10.20.0.0/16", "VirtualNetwork")
    assert (outbound["sourceAddressPrefix"], outbound["destinationAddressPrefix"]) == ("VirtualNetwork", "10.20.0.0/16")


def props(name, direction="Inbound"):
    return {name: dict(direction=direction)}


def test_lowest_free_priority_per_direction_skipping_other_rules():
    wanted = dict(props("p-b"), **props("p-a"))
    wanted.update(props("p-out", "Outbound"))
    existing = {"theirs": dict(priority=100, direction="Inbound"), "theirs-2": dict(priority=102, direction="Inbound"),
                "theirs-out": dict(priority=101, direction="Outbound")}
    assert desired.allocate_priorities(wanted, existing, 100, 110) == {"p-a": 101, "p-b": 103, "p-out": 100}


def test_existing_rules_keep_their_priority_when_in_range():
    wanted = dict(props("p-a"), **props("p-new"))
    existing = {"p-a": dict(priority=105, direction="Inbound")}
    assert desired.allocate_priorities(wanted, existing, 100, 110) == {"p-a": 105, "p-new": 100}


def test_rules_outside_a_new_range_move_into_it():
    existing = {"p-a": dict(priority=2000, direction="Inbound")}
    assert desired.allocate_priorities(props("p-a"), existing, 100, 110) == {"p-a": 100}


def test_allocation_is_stable_across_runs():
    wanted = desired.desired_rules(dict(PARAMS, cidrs=["10.1.0.0/16", "10.2.0.0/16"]))
    first = desired.allocate_priorities(wanted, {}, 1000, 1999)
    existing = dict((name, dict(wanted[name], priority=priority)) for name, priority in first.items())
    assert desired.allocate_priorities(wanted, existing, 1000, 1999) == first
    assert sorted(first.values()) == [1000, 1000, 1001, 1001]


def test_exhausted_range_is_reported():
    existing = {"theirs": dict(priority=100, direction="Inbound")}
    with pytest.raises(desired.PriorityExhausted) as caught:
        desired.allocate_priorities(dict(props("p-a"), **props("p-b")), existing, 100, 101)
    assert "100-101" in str(caught.value) and "p-b" in str(caught.value)


def test_plan_adds_updates_purges_and_never_touches_other_rules():
    wanted = desired.desired_rules(dict(PARAMS, directions=["Inbound"]))
    name = "interconnect-inbound-10.20.0.0-16"
    current = [rule("theirs", 1000, sourceAddressPrefix="1.2.3.4"),
               rule("interconnect-inbound-10.99.0.0-16", 1001),
               rule(name, 1002, **dict(wanted[name], destinationPortRange="443"))]
    new_rules, added, updated, removed = desired.plan_changes(current, wanted, "interconnect-", True, 1000, 1999)
    assert (added, updated, removed) == ([], [name], ["interconnect-inbound-10.99.0.0-16"])
    assert new_rules[0] == current[0]
    assert new_rules[1]["properties"]["destinationPortRange"] == "*" and new_rules[1]["properties"]["priority"] == 1002


def test_plan_without_purge_keeps_stale_own_rules_and_an_applied_plan_is_a_no_op():
    wanted = desired.desired_rules(PARAMS)
    current = [rule("interconnect-inbound-10.99.0.0-16", 1000)]
    new_rules, added, updated, removed = desired.plan_changes(current, wanted, "interconnect-", False, 1000, 1999)
    assert removed == [] and updated == [] and len(added) == 2
    assert [item["properties"]["priority"] for item in new_rules] == [1000, 1001, 1000]
    assert desired.plan_changes(new_rules, wanted, "interconnect-", False, 1000, 1999)[1:] == ([], [], [])


def test_absent_removes_only_the_listed_own_rules_or_all_own_rules():
    current = [rule("theirs", 100), rule("interconnect-inbound-10.20.0.0-16", 1000),
               rule("interconnect-outbound-10.20.0.0-16", 1000, "Outbound"), rule("interconnect-inbound-10.9.0.0-16", 1001)]
    remaining, removed = nsg.without_own_rules(current, dict(PARAMS, directions=["Inbound"]))
    assert removed == ["interconnect-inbound-10.20.0.0-16", "interconnect-outbound-10.20.0.0-16"]
    assert [item["name"] for item in remaining] == ["theirs", "interconnect-inbound-10.9.0.0-16"]
    remaining, removed = nsg.without_own_rules(current, dict(PARAMS, cidrs=None))
    assert [item["name"] for item in remaining] == ["theirs"] and len(removed) == 3


def test_network_view_finds_the_gateway_subnet_in_either_prefix_field():
    network = {"id": "v", "name": "vnet", "properties": {
        "addressSpace": {"addressPrefixes": ["10.10.0.0/16"]},
        "subnets": [{"name": "app", "properties": {"addressPrefix": "10.10.1.0/24",
                                                   "networkSecurityGroup": {"id": "nsg-id"}}},
                    {"name": "GatewaySubnet", "properties": {"addressPrefixes": ["10.10.255.0/27"]}}]}}
    view = netinfo.virtual_network_view(network)
    assert view["address_prefixes"] == ["10.10.0.0/16"] and view["gateway_subnet_prefix"] == "10.10.255.0/27"
    assert view["subnets"][0]["network_security_group_id"] == "nsg-id"
    assert netinfo.virtual_network_view({"properties": {"subnets": []}})["gateway_subnet_prefix"] is None


def test_groups_are_selected_in_order_and_missing_ones_named():
    groups = [{"name": "B", "id": "b"}, {"name": "a", "id": "a"}]
    assert [group["id"] for group in netinfo.select_groups(groups, ["A", "b"])] == ["a", "b"]
    with pytest.raises(KeyError) as caught:
        netinfo.select_groups(groups, ["a", "zz", "yy"])
    assert caught.value.args[0] == "zz, yy"
