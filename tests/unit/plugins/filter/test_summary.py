"""The interconnect_summary and interconnect_teardown_outcome filters: one verdict per host, failed ones included."""
from ansible_collections.crosscloud.interconnect.plugins.filter.summary import interconnect_summary
from ansible_collections.crosscloud.interconnect.plugins.filter.teardown import interconnect_teardown_outcome

PLAN = {"azure_region": "japaneast", "oci_region": "ap-tokyo-1", "peering_location": "Tokyo", "bandwidth_gbps": 1}


def test_every_host_of_the_play_gets_a_verdict_and_those_without_one_count_as_failed():
    rows = interconnect_summary({
        "healthy": {"interconnect_health": {"healthy": True, "problems": []}, "interconnect_plan": PLAN,
                    "interconnect_summary_line": "healthy: healthy - ...",
                    "interconnect_oci_virtual_circuit": {"bgp_session_state": "UP"}},
        "drifted": {"interconnect_health": {"healthy": False, "problems": ["NSG n: rule r missing"]},
                    "interconnect_failure": {"task": "assert", "msg": "drifted is not healthy: NSG n: rule r missing"},
                    "interconnect_summary_line": "drifted: NOT healthy - ..."},
        "refused": {"interconnect_failure": {"task": "read", "msg": "Failed to sign in to Azure"},
                    "interconnect_bgp_cidr": "10.255.0.8/29"},
        "removed": {"interconnect_teardown": [{"outcome": "removed"}, {"outcome": "already gone"}],
                    "interconnect_summary_line": "removed: removed"},
        "unreachable": {},
    })
    assert [(row["host"], row["outcome"], row["failed"]) for row in rows] == [
        ("healthy", "healthy", False), ("drifted", "NOT healthy", False), ("refused", "failed", True),
        ("removed", "removed", False), ("unreachable", "no verdict", True)]
    assert rows[0]["report"] == "healthy.md" and rows[0]["bgp_session_state"] == "UP" and rows[0]["plan"] == PLAN
    assert rows[1]["detail"] == "NSG n: rule r missing"
    assert rows[2]["line"] == "refused: FAILED - Failed to sign in to Azure" and rows[2]["report"] == ""
    assert rows[3]["report"] == "teardown-summary.md" and rows[3]["teardown"]
    assert rows[4]["line"].startswith("unreachable: NO VERDICT - stopped before a verdict")


def test_each_host_hands_on_an_artifact_a_workflow_can_branch_on():
    rows = interconnect_summary({
        "healthy": {"interconnect_health": {"healthy": True, "problems": []},
                    "interconnect_azure_circuit": {"id": "/subscriptions/s/.../expressRouteCircuits/er"},
                    "interconnect_gateway_connection": {"id": "/subscriptions/s/.../connections/er-connection"},
                    "interconnect_oci_virtual_circuit": {"id": "ocid1.virtualcircuit.oc1.ap-tokyo-1.x",
                                                         "bgp_session_state": "UP"}},
        "drifted": {"interconnect_health": {"healthy": False, "problems": ["NSG n: rule r missing"]}},
        "refused": {"interconnect_failure": {"task": "read", "msg": "Failed to sign in to Azure"}},
    })
    healthy, drifted, refused = (row["artifact"] for row in rows)
    assert healthy == dict(outcome="healthy", healthy=True, problems=[], report="healthy.md", bgp_session_state="UP", group=None,
                           ids=dict(expressroute_circuit="/subscriptions/s/.../expressRouteCircuits/er",
                                    gateway_connection="/subscriptions/s/.../connections/er-connection",
                                    virtual_circuit="ocid1.virtualcircuit.oc1.ap-tokyo-1.x"))
    assert (drifted["healthy"], drifted["problems"]) == (False, ["NSG n: rule r missing"])
    assert (refused["outcome"], refused["problems"], refused["report"]) == ("failed", ["Failed to sign in to Azure"], None)
    assert refused["ids"] == dict(expressroute_circuit=None, gateway_connection=None, virtual_circuit=None)


def test_a_teardown_says_what_it_removed_and_what_was_already_gone():
    rows = interconnect_teardown_outcome([
        {"resource": "NSG rules in", "result": {"results": [
            {"item": "nsg-a", "changed": True, "removed": ["rule-1", "rule-2"]}, {"item": "nsg-b", "changed": False}]}},
        {"resource": "Route rules in -", "result": {"skipped": True}},
        {"resource": "Gateway connection c", "result": {"changed": True}},
        {"resource": "ExpressRoute circuit e", "result": {"skipped": True}, "gone": True},
    ])
    assert [row["line"] for row in rows] == [
        "NSG rules in nsg-a: removed (rule-1, rule-2)", "NSG rules in nsg-b: already gone",
        "Route rules in -: not configured", "Gateway connection c: removed", "ExpressRoute circuit e: already gone"]
    assert interconnect_teardown_outcome([{"resource": "c", "result": {"changed": True}}], True)[0]["outcome"] \
        == "would be removed"


def test_networks_left_on_purpose_are_kept_with_the_reason_and_removed_ones_say_so():
    rows = interconnect_teardown_outcome([
        {"resource": "Azure networks", "result": {"skipped": True}, "kept": "interconnect_delete_networks is false"},
        {"resource": "OCI networks", "result": {"changed": True}, "kept": "interconnect_delete_networks is false"},
    ])
    assert [row["line"] for row in rows] == [
        "Azure networks: kept (interconnect_delete_networks is false)", "OCI networks: removed"]
