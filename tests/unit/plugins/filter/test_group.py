"""The interconnect group filters: members from the inventory, who still needs the group's rules at a teardown, and
the group's verdict from its members' (healthy, degraded, down)."""
from ansible_collections.crosscloud.interconnect.plugins.filter.group_members import interconnect_group_members
from ansible_collections.crosscloud.interconnect.plugins.filter.group_rules import interconnect_group_rules_kept_for
from ansible_collections.crosscloud.interconnect.plugins.filter.group_verdicts import interconnect_group_verdicts
from ansible_collections.crosscloud.interconnect.plugins.filter.summary import interconnect_summary
from ansible_collections.crosscloud.interconnect.plugins.filter.teardown import interconnect_teardown_outcome

OPTIONS = {"interconnect_bandwidth_gbps": {"type": "int", "default": 1}, "interconnect_bgp_cidr": {"type": "str"}}


def test_members_are_the_hosts_of_the_group_with_spec_defaults_for_what_they_leave_unset():
    hosts = {"dc": {"interconnect_group": "pair", "interconnect_bgp_cidr": "10.255.1.0/29"},
             "dc2": {"interconnect_group": "pair", "interconnect_bgp_cidr": "10.255.1.8/29", "interconnect_bandwidth_gbps": 2},
             "tokyo": {"interconnect_bgp_cidr": "10.255.0.0/29"}, "other": {"interconnect_group": "another"}}
    members = interconnect_group_members(hosts, "pair", OPTIONS)
    assert sorted(members) == ["dc", "dc2"]
    assert (members["dc"]["interconnect_bandwidth_gbps"], members["dc2"]["interconnect_bandwidth_gbps"]) == (1, 2)
    assert members["dc"]["interconnect_azure_peering_location"] is None   # unset, no default: the plan says so
    assert interconnect_group_members(hosts, "", OPTIONS) == {}


MEMBERS = {"dc": {"interconnect_azure_circuit_name": "er-dc"}, "dc2": {"interconnect_azure_circuit_name": "er-dc2"}}


def test_the_rules_are_kept_while_another_members_circuit_is_there():
    circuits = [{"name": "er-dc"}, {"name": "ER-DC2"}]   # ARM names ignore case
    assert interconnect_group_rules_kept_for(circuits, MEMBERS, "dc") == [{"member": "dc2", "circuit": "er-dc2"}]


def test_the_last_member_or_a_teardown_of_the_whole_group_takes_the_rules():
    assert interconnect_group_rules_kept_for([{"name": "er-dc"}], MEMBERS, "dc") == []
    both = [{"name": "er-dc"}, {"name": "er-dc2"}]
    assert interconnect_group_rules_kept_for(both, MEMBERS, "dc", ["dc", "dc2"]) == []


def test_a_teardown_row_says_for_whom_the_rules_were_kept():
    kept_for = [{"member": "dc2", "circuit": "er-dc2"}]
    rows = interconnect_teardown_outcome([
        {"resource": "NSG rules m-* in", "kept_for": kept_for,
         "result": {"skipped": True, "results": [{"item": "nsg", "skipped": True}]}},
        {"resource": "Route rules in rt", "kept_for": kept_for, "result": {"skipped": True}},
        {"resource": "Route rules in rt", "kept_for": [], "result": {"changed": True}},
    ])
    assert [row["line"] for row in rows] == ["NSG rules m-* in nsg: kept for dc2 (circuit er-dc2)",
                                             "Route rules in rt: kept for dc2 (circuit er-dc2)",
                                             "Route rules in rt: removed"]


def verdicts(hosts, inventory_groups=None):
    return interconnect_group_verdicts(interconnect_summary(hosts), inventory_groups)


HEALTHY = {"interconnect_group": "pair", "interconnect_health": {"healthy": True, "problems": []},
           "interconnect_oci_virtual_circuit": {"bgp_session_state": "UP"}}
BGP_DOWN = {"interconnect_group": "pair", "interconnect_health": {"healthy": False, "problems": [
    "OCI BGP session is DOWN, expected UP"]}, "interconnect_oci_virtual_circuit": {"bgp_session_state": "DOWN"}}


def test_a_group_is_healthy_with_every_member_up():
    group, = verdicts({"dc": HEALTHY, "dc2": HEALTHY, "tokyo": {"interconnect_health": {"healthy": True, "problems": []}}})
    assert (group["name"], group["verdict"], group["down"]) == ("pair", "healthy", [])
    assert group["line"] == "group pair: healthy - 2 of 2 members up (dc up, dc2 up)"


def test_a_group_with_one_member_down_is_degraded_naming_it_and_why():
    group, = verdicts({"dc": HEALTHY, "dc2": BGP_DOWN})
    assert (group["verdict"], group["down"]) == ("degraded", ["dc2"])
    assert group["detail"] == "dc2 is down: OCI BGP session is DOWN, expected UP"
    assert group["line"].startswith("group pair: DEGRADED - 1 of 2 members up (dc up, dc2 down) - dc2 is down")


def test_a_group_with_no_member_up_is_down_and_a_failed_member_counts_as_down():
    failed = {"interconnect_group": "pair", "interconnect_failure": {"msg": "Failed to sign in to Azure"}}
    group, = verdicts({"dc": BGP_DOWN, "dc2": failed})
    assert (group["verdict"], group["down"]) == ("down", ["dc", "dc2"])
    assert "dc2 is down: Failed to sign in to Azure" in group["detail"]


def test_members_outside_the_run_are_named_and_teardowns_are_not_judged():
    group, = verdicts({"dc2": HEALTHY, "dc": {"interconnect_group": "pair", "interconnect_teardown": [
        {"outcome": "removed"}]}}, {"dc": "pair", "dc2": "pair", "tokyo": ""})
    assert (group["verdict"], [member["host"] for member in group["members"]]) == ("healthy", ["dc2"])
    assert group["not_judged"] == ["dc"] and group["detail"] == "not judged in this run: dc"
    assert verdicts({"dc": {"interconnect_group": "pair", "interconnect_teardown": []}}) == []


def test_a_members_artifact_names_its_group():
    row, = interconnect_summary({"dc": HEALTHY})
    assert (row["group"], row["artifact"]["group"]) == ("pair", "pair")
