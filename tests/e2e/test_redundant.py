"""A redundant pair end to end (inventories/redundant on cloudsim/fixtures/redundant.json): two interconnects in the
Washington DC metro's two peering locations into one ExpressRoute gateway and one DRG, judged as one group."""
import json

import oci
import pytest

from cloudsim.oci.testing import network_client
from conftest import REPO, azure_client, calls
from test_interconnect import write_inventory

INVENTORY = REPO / "inventories" / "redundant"
FIXTURE = REPO / "cloudsim" / "fixtures" / "redundant.json"
MEMBERS = ("ashburn-dc", "ashburn-dc2")
CIRCUITS = {"ashburn-dc": "er-ashburn-dc", "ashburn-dc2": "er-ashburn-dc2"}
RESOURCE_GROUP, NSG = "rg-interconnect-ashburn", "nsg-ashburn-workload"
ROUTE_TABLE = "ocid1.routetable.oc1.us-ashburn-1.interconnectashburn"
SECURITY_LIST = "ocid1.securitylist.oc1.us-ashburn-1.interconnectashburn"
MARKER = "interconnect-group-ashburn"   # the group's rules: one marker for both members
VNET_CIDR, VCN_CIDR = "10.70.0.0/16", "10.80.0.0/16"


def with_fixture(sim):
    """The redundant fixture on top of the demo one the e2e simulator starts from, with an empty log."""
    sim.admin("POST", "fixture", json.loads(FIXTURE.read_text()))
    sim.admin("DELETE", "log")
    return sim


def group_rules(sim):
    """The group's rules on both sides, read with the clouds' own SDKs: NSG rule names, route rule destinations
    (with their target), security rule sources."""
    nsg = azure_client(sim).network_security_groups.get(RESOURCE_GROUP, NSG)
    client = network_client(sim, dict(sim.oci_config, region="us-ashburn-1"))
    routes = client.get_route_table(ROUTE_TABLE).data.route_rules
    ingress = client.get_security_list(SECURITY_LIST).data.ingress_security_rules
    return dict(
        nsg=sorted(rule.name for rule in nsg.security_rules if rule.name.startswith(MARKER)),
        routes=sorted((rule.destination, rule.network_entity_id) for rule in routes
                      if (rule.description or "").startswith(MARKER)),
        security=sorted(rule.source for rule in ingress if (rule.description or "").startswith(MARKER)))


def report(tmp_path, name):
    return (tmp_path / "reports" / name).read_text()


def converge_pair(sim, run_playbook):
    first = run_playbook("interconnect.yml", INVENTORY)
    assert first.rc == 0, first.output
    assert set(first.recap) == set(MEMBERS) and all(first.recap[host]["changed"] > 0 for host in MEMBERS)
    return first


def test_the_pair_converges_idempotently_verifies_healthy_and_shares_its_rules(sim, run_playbook, tmp_path):
    with_fixture(sim)
    converge_pair(sim, run_playbook)
    network = azure_client(sim)
    connections = list(network.virtual_network_gateway_connections.list(RESOURCE_GROUP))
    assert sorted((connection.name, connection.virtual_network_gateway1.id.split("/")[-1]) for connection in connections) \
        == [("er-ashburn-dc-connection", "ergw-ashburn"), ("er-ashburn-dc2-connection", "ergw-ashburn")]
    drg_attachments = [attachment for attachment in sim.admin("GET", "state")["oci"]["resources"]["drgAttachments"]
                       if attachment["drgId"].endswith("interconnectashburn")
                       and attachment["networkDetails"]["type"] == "VIRTUAL_CIRCUIT"]
    assert [attachment["lifecycleState"] for attachment in drg_attachments] == ["ATTACHED", "ATTACHED"]
    # One set of rules for the group, not one per member.
    rules = group_rules(sim)
    assert rules["routes"] == [(VNET_CIDR, "ocid1.drg.oc1.us-ashburn-1.interconnectashburn")]
    assert rules["security"] == [VNET_CIDR] and len(rules["nsg"]) == 2   # inbound and outbound

    sim.admin("DELETE", "log")
    second = run_playbook("interconnect.yml", INVENTORY)
    assert second.rc == 0, second.output
    assert second.total("changed") == 0, second.output
    assert calls(sim, kind="write") == []

    verify = run_playbook("verify.yml", INVENTORY)
    assert verify.rc == 0, verify.output
    assert verify.total("changed") == 0
    assert "group ashburn: healthy - 2 of 2 members up (ashburn-dc up, ashburn-dc2 up)" in verify.output
    summary = report(tmp_path, "summary.md")
    assert "| ashburn | healthy | ashburn-dc up<br/>ashburn-dc2 up |" in summary, summary
    group_report = report(tmp_path, "group-ashburn.md")
    assert group_report.startswith("# Interconnect group `ashburn`: healthy"), group_report[:200]
    assert group_report.count("```mermaid") == 1
    assert "er1 ==>|\"ashburn-dc · Washington DC · BGP UP" in group_report
    assert "er2 ==>|\"ashburn-dc2 · Washington DC2 · BGP UP" in group_report
    for host in MEMBERS:   # each member's own routes: Azure learned the VCN on both paths, the DRG the VNet
        member_report = report(tmp_path, "%s.md" % host)
        assert member_report.startswith("# Interconnect `%s`: healthy" % host)
        assert "| Azure circuit %s, primary path | OCI (AS path ending 31898) | 1: %s |" % (CIRCUITS[host], VCN_CIDR) \
            in member_report
        assert "| OCI DRG route table of the VCN attachment | Azure, over virtual circuit %s | 1: %s |" % (
            CIRCUITS[host], VNET_CIDR) in member_report


def test_one_members_bgp_down_degrades_the_group_naming_it(sim, run_playbook, tmp_path):
    with_fixture(sim)
    converge_pair(sim, run_playbook)
    sim.admin("PUT", "faults", {"bgp_down_circuits": [CIRCUITS["ashburn-dc2"]]})
    try:
        verify = run_playbook("verify.yml", INVENTORY, environment={"ANSIBLE_SHOW_CUSTOM_STATS": "1"})
    finally:
        sim.admin("PUT", "faults", {"bgp_down_circuits": []})
    assert verify.rc != 0
    assert verify.recap["ashburn-dc"]["failed"] == 0 and verify.recap["ashburn-dc2"]["failed"] == 1
    assert "group ashburn: DEGRADED - 1 of 2 members up (ashburn-dc up, ashburn-dc2 down) - ashburn-dc2 is down: " \
        in verify.output, verify.output
    assert "OCI BGP session is DOWN, expected UP" in verify.output
    summary = report(tmp_path, "summary.md")
    assert "| ashburn | **degraded** | ashburn-dc up<br/>ashburn-dc2 **down** | ashburn-dc2 is down: " in summary, summary
    group_report = report(tmp_path, "group-ashburn.md")
    assert group_report.startswith("# Interconnect group `ashburn`: degraded")
    assert "- ashburn-dc2 is down: " in group_report and "class er2,vc2 unhealthy" in group_report
    assert "class er1" not in group_report
    # The job's artifacts (AWX hands them to a workflow's next node) carry the group's verdict and the member down.
    stats = verify.output[verify.output.index("CUSTOM STATS"):]
    artifacts = json.loads(next(line for line in stats.splitlines() if line.strip().startswith("RUN:")).split(":", 1)[1])
    group = artifacts["crosscloud_interconnect_groups"]["ashburn"]
    assert (group["verdict"], group["down"]) == ("degraded", ["ashburn-dc2"]), group
    assert group["detail"].startswith("ashburn-dc2 is down: OCI BGP session is DOWN, expected UP")
    assert {host: artifact["group"] for host, artifact in artifacts["crosscloud_interconnects"].items()} == \
        {"ashburn-dc": "ashburn", "ashburn-dc2": "ashburn"}


def test_tearing_down_one_member_leaves_the_other_healthy(sim, run_playbook, tmp_path):
    with_fixture(sim)
    converge_pair(sim, run_playbook)
    before = group_rules(sim)
    teardown = run_playbook("teardown.yml", INVENTORY, "--limit", "ashburn-dc")
    assert teardown.rc == 0, teardown.output
    removed = report(tmp_path, "teardown-summary.md")
    assert "kept for ashburn-dc2 (circuit er-ashburn-dc2)" in removed, removed
    network = azure_client(sim)
    assert [circuit.name for circuit in network.express_route_circuits.list(RESOURCE_GROUP)] == ["er-ashburn-dc2"]
    assert group_rules(sim) == before   # the group's rules stay for the member that is left

    verify = run_playbook("verify.yml", INVENTORY, "--limit", "ashburn-dc2")
    assert verify.rc == 0, verify.output
    assert "ashburn-dc2: healthy" in verify.output
    assert "group ashburn: healthy - 1 of 1 members up (ashburn-dc2 up) - not judged in this run: ashburn-dc" \
        in verify.output

    last = run_playbook("teardown.yml", INVENTORY, "--limit", "ashburn-dc2")
    assert last.rc == 0, last.output
    assert group_rules(sim) == dict(nsg=[], routes=[], security=[])   # the last member takes the rules along


def test_tearing_down_both_members_in_one_run_removes_the_groups_rules(sim, run_playbook):
    with_fixture(sim)
    converge_pair(sim, run_playbook)
    teardown = run_playbook("teardown.yml", INVENTORY)
    assert teardown.rc == 0, teardown.output
    assert group_rules(sim) == dict(nsg=[], routes=[], security=[])
    assert list(azure_client(sim).express_route_circuits.list(RESOURCE_GROUP)) == []


def refused_before_any_write(sim, run):
    assert run.rc != 0
    assert calls(sim, kind="write") == [], "no write may reach either cloud"


@pytest.mark.parametrize("variable, value, expected", [
    ("interconnect_azure_peering_location", "Washington DC", [
        "interconnect_azure_peering_location=Washington DC of ashburn-dc2 is also the peering location of ashburn-dc",
        "interconnect_azure_peering_location=Washington DC of ashburn-dc is also the peering location of ashburn-dc2"]),
    ("interconnect_oci_drg_id", "ocid1.drg.oc1.us-ashburn-1.other", [
        "interconnect_oci_drg_id=ocid1.drg.oc1.us-ashburn-1.interconnectashburn of ashburn-dc differs from "
        "interconnect_oci_drg_id=ocid1.drg.oc1.us-ashburn-1.other of ashburn-dc2"]),
], ids=["same peering location", "another DRG"])
def test_a_member_at_odds_with_its_partner_is_refused_before_any_write(sim, run_playbook, tmp_path, variable, value,
                                                                       expected):
    with_fixture(sim)

    def at_odds(hosts):
        hosts["ashburn-dc2"][variable] = value
    run = run_playbook("interconnect.yml", write_inventory(tmp_path, at_odds, INVENTORY))
    refused_before_any_write(sim, run)
    for message in expected:
        assert message in run.output, run.output


def test_the_same_29_is_refused_before_any_write_also_with_limit(sim, run_playbook, tmp_path):
    with_fixture(sim)

    def same_29(hosts):
        hosts["ashburn-dc2"]["interconnect_bgp_cidr"] = "10.255.1.0/29"
    inventory = write_inventory(tmp_path, same_29, INVENTORY)
    for options in ((), ("--limit", "ashburn-dc")):
        run = run_playbook("interconnect.yml", inventory, *options)
        refused_before_any_write(sim, run)
        # The pair is named in the order the /29s sort (the same range: either member first).
        assert any("interconnect %r (10.255.1.0/29) is the same range as interconnect %r (10.255.1.0/29): each "
                   "interconnect needs its own /29" % pair in run.output
                   for pair in (("ashburn-dc", "ashburn-dc2"), ("ashburn-dc2", "ashburn-dc"))), run.output


def test_the_route_rule_the_pair_shares_is_repaired_once(sim, run_playbook):
    """Deleted behind the role's back, the group's route rule is named by both members' verify and written back by
    the converge (identical rules from both members: no conflict, and a second converge changes nothing)."""
    with_fixture(sim)
    converge_pair(sim, run_playbook)
    client = network_client(sim, dict(sim.oci_config, region="us-ashburn-1"))
    table = client.get_route_table(ROUTE_TABLE).data
    client.update_route_table(ROUTE_TABLE, oci.core.models.UpdateRouteTableDetails(
        route_rules=[rule for rule in table.route_rules if not (rule.description or "").startswith(MARKER)]))
    verify = run_playbook("verify.yml", INVENTORY)
    assert verify.rc != 0 and "group ashburn: DOWN" in verify.output
    repair = run_playbook("interconnect.yml", INVENTORY)
    assert repair.rc == 0, repair.output
    assert group_rules(sim)["routes"] == [(VNET_CIDR, "ocid1.drg.oc1.us-ashburn-1.interconnectashburn")]
    again = run_playbook("interconnect.yml", INVENTORY)
    assert again.rc == 0 and again.total("changed") == 0, again.output
