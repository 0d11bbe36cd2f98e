"""The product, end to end: playbooks/*.yml on inventories against cloudsim with the real SDKs."""
import copy
import json
import re

import yaml

from conftest import DEMO_INVENTORY, azure_client, calls

HOSTS = ("tokyo", "london")
REGIONS = {"tokyo": "ap-tokyo-1", "london": "uk-london-1"}   # interconnect_oci_region of the demo hosts


def write_inventory(tmp_path, mutate, source=DEMO_INVENTORY):
    """The inventory ``source`` (the demo's by default) with ``mutate(hosts)`` applied, written to a new directory."""
    data = yaml.safe_load((source / "hosts.yml").read_text())
    mutate(data["interconnects"]["hosts"])
    inventory = tmp_path / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "hosts.yml").write_text(yaml.safe_dump(data))
    (inventory / "group_vars" / "interconnects.yml").write_text(
        (source / "group_vars" / "interconnects.yml").read_text())
    return inventory


def ours(state):
    """Resources of the interconnects in a state dump: circuits, connections, live virtual circuits."""
    text = json.dumps(state)
    return {name: name in text for name in ("er-tokyo-oci", "er-london-oci", "er-tokyo-oci-connection")}


def route_reads(sim):
    """The calls that read learned routes: the Azure routes tables and the OCI DRG route rules."""
    return [call for call in calls(sim) if "/routeTables/" in call["path"] or call["path"].endswith("/drgRouteRules")]


def each_host_went_through_its_regions_endpoint(sim):
    """One OCI_SERVICE_ENDPOINT with {region} served both hosts, each through the endpoint of its
    interconnect_oci_region: cloudsim serves a region's resources there only (cloudsim/oci/regions.py)."""
    oci_calls = calls(sim, cloud="oci")
    for host, region in REGIONS.items():
        own = [call for call in oci_calls if call["path"].startswith("/oci/%s/" % region)]
        assert any(call["method"] == "POST" and call["path"].endswith("/virtualCircuits") for call in own), host
        assert all(call["status"] < 400 for call in own), [call for call in own if call["status"] >= 400]
    assert [call["path"] for call in oci_calls if not call["path"].startswith(
        tuple("/oci/%s/" % region for region in REGIONS.values()))] == []
    circuits = sim.admin("GET", "state")["oci"]["resources"]["virtualCircuits"]
    for host, region in REGIONS.items():
        circuit = next(vc for vc in circuits if vc["gatewayId"].endswith(".interconnect%s" % host))
        assert circuit["id"].startswith("ocid1.virtualcircuit.oc1.%s." % region) and circuit["region"] == region


def test_converge_twice_then_verify_and_teardown(sim, run_playbook, tmp_path):
    first = run_playbook("interconnect.yml")
    assert first.rc == 0, first.output
    assert set(first.recap) == set(HOSTS)
    assert all(first.recap[host]["changed"] > 0 for host in HOSTS)
    each_host_went_through_its_regions_endpoint(sim)
    for host in HOSTS:
        report = (tmp_path / "reports" / ("%s.md" % host)).read_text()
        assert report.startswith("# Interconnect `%s`: healthy" % host), report[:200]
        assert "```mermaid" in report
    summary = (tmp_path / "reports" / "summary.md").read_text()
    assert all("| %s | healthy |" % host in summary for host in HOSTS), summary

    sim.admin("DELETE", "log")
    second = run_playbook("interconnect.yml")
    assert second.rc == 0, second.output
    assert second.total("changed") == 0, second.output
    assert calls(sim, kind="write") == []
    assert route_reads(sim) == [], "only a verify pays for reading the routes BGP carries"

    verify = run_playbook("verify.yml")
    assert verify.rc == 0, verify.output
    assert verify.total("changed") == 0
    assert len(route_reads(sim)) == 3 * len(HOSTS)   # per host: both routes tables and the DRG route rules

    teardown = run_playbook("teardown.yml")
    assert teardown.rc == 0, teardown.output
    state = sim.admin("GET", "state")
    assert not any(ours(state.get("azure")).values()), state.get("azure")
    circuits = state["oci"]["resources"]["virtualCircuits"]
    assert circuits, "the converge made virtual circuits; the dump must show them (terminated)"
    assert [vc for vc in circuits if vc.get("lifecycleState") != "TERMINATED"] == []
    assert "interconnect-er-" not in json.dumps(state), "rules of ours left behind"

    removed = (tmp_path / "reports" / "teardown-summary.md").read_text()
    assert "## `tokyo`: removed\n" in removed and "| Gateway connection er-tokyo-oci-connection | removed |" in removed
    assert "| NSG rules interconnect-er-london-oci-* in nsg-london-workload | removed (" in removed
    assert "| tokyo | removed |" in (tmp_path / "reports" / "summary.md").read_text()
    # The interconnect's own report no longer shows it built.
    tokyo = (tmp_path / "reports" / "tokyo.md").read_text()
    assert tokyo.startswith("# Interconnect `tokyo`: removed") and "| FastConnect virtual circuit er-tokyo-oci | removed |" in tokyo

    again = run_playbook("teardown.yml")
    assert again.rc == 0 and again.total("changed") == 0, again.output
    gone = (tmp_path / "reports" / "teardown-summary.md").read_text()
    assert "## `tokyo`: already gone\n" in gone and "| ExpressRoute circuit er-tokyo-oci | already gone |" in gone
    assert "| removed" not in gone
    assert "FastConnect virtual circuit er-london-oci: already gone" in again.output
    assert "| tokyo | already gone |" in (tmp_path / "reports" / "summary.md").read_text()


def test_verify_reports_a_peering_that_disagrees_with_the_plan(sim, run_playbook, tmp_path):
    assert run_playbook("interconnect.yml").rc == 0
    # Someone rewrites Tokyo's peering behind our back (as an operator in the portal would).
    network = azure_client(sim)
    peering = network.express_route_circuit_peerings.get("rg-interconnect-tokyo", "er-tokyo-oci", "AzurePrivatePeering")
    peering.primary_peer_address_prefix = "10.254.0.0/30"
    network.express_route_circuit_peerings.begin_create_or_update(
        "rg-interconnect-tokyo", "er-tokyo-oci", "AzurePrivatePeering", peering).result()
    verify = run_playbook("verify.yml")
    assert verify.rc != 0
    assert verify.recap["tokyo"]["failed"] == 1 and verify.recap["london"]["failed"] == 0
    assert "primary_peer_address_prefix is 10.254.0.0/30, expected 10.255.0.0/30" in verify.output
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    assert "NOT healthy" in report and "10.254.0.0/30" in report


def test_verify_reports_a_gateway_connection_deleted_behind_our_back(sim, run_playbook, tmp_path):
    assert run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo").rc == 0
    azure_client(sim).virtual_network_gateway_connections.begin_delete(
        "rg-interconnect-tokyo", "er-tokyo-oci-connection").result()
    sim.admin("DELETE", "log")
    verify = run_playbook("verify.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert verify.rc != 0 and verify.recap["tokyo"]["failed"] == 1
    assert "tokyo is not healthy: Azure gateway connection to the circuit does not exist" in verify.output
    assert calls(sim, kind="write") == []
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    assert "NOT healthy" in report and "| Gateway connection | er-tokyo-oci-connection → gateway ergw-tokyo | missing |" \
        in report and re.search(r"^  class (\S+,)?gw(,\S+)? unhealthy$", report, re.M), report
    # Without the connection the VNet is no longer advertised over BGP: OCI stops learning it.
    assert "- Azure VNet CIDR 10.10.0.0/16 not learned by DRG route table" in report

    # A check-mode converge would make exactly that connection; a converge does, and verify is healthy again.
    check = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo", "--check", "--diff")
    assert check.rc == 0 and check.recap["tokyo"]["changed"] > 0, check.output
    assert "changed: [tokyo]" in check.output.split("TASK [crosscloud.interconnect.interconnect : Connect the ExpressRoute "
                                                    "gateway to the circuit]", 1)[1].split("TASK [", 1)[0]
    assert calls(sim, kind="write") == []
    repair = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert repair.rc == 0, repair.output
    assert [call["path"].rsplit("/", 1)[-1] for call in calls(sim, kind="write")] == ["er-tokyo-oci-connection"]
    again = run_playbook("verify.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert again.rc == 0, again.output
    assert "  class " not in (tmp_path / "reports" / "tokyo.md").read_text()
    assert "| Gateway connection | er-tokyo-oci-connection → gateway ergw-tokyo | missing |" in report


def test_teardown_completes_after_a_run_interrupted_halfway(sim, run_playbook):
    # Every call on one route table fails (the preflight lists the VCN's tables, a path without the
    # table's id): the run stops in the routing phase, after both circuits exist.
    sim.admin("PUT", "faults", {"error_rate": 1.0, "path_pattern": "(?i)/routeTables/ocid"})
    broken = run_playbook("interconnect.yml")
    assert broken.rc != 0
    state = sim.admin("GET", "state")
    assert ours(state["azure"])["er-tokyo-oci"]
    sim.admin("PUT", "faults", {"error_rate": 0, "path_pattern": ""})

    teardown = run_playbook("teardown.yml")
    assert teardown.rc == 0, teardown.output
    state = sim.admin("GET", "state")
    assert not any(ours(state["azure"]).values())
    assert {vc["lifecycleState"] for vc in state["oci"]["resources"]["virtualCircuits"]} == {"TERMINATED"}


def test_bad_inventory_fails_in_preflight_without_writing(sim, run_playbook, tmp_path):
    def break_plan(hosts):
        hosts["tokyo"]["interconnect_bgp_cidr"] = "10.255.0.4/29"        # not aligned
        hosts["london"]["interconnect_oci_region"] = "ap-tokyo-1"       # uksouth <-> ap-tokyo-1 unsupported
        hosts["london"]["interconnect_bgp_cidr"] = "8.8.8.0/29"          # public

    run = run_playbook("interconnect.yml", write_inventory(tmp_path, break_plan))
    assert run.rc != 0
    assert run.recap["tokyo"]["failed"] == 1 and run.recap["london"]["failed"] == 1
    for needle in ("10.255.0.4/29", "8.8.8.0/29", "ap-tokyo-1"):
        assert needle in run.output
    assert calls(sim, kind="write") == []


def test_overlapping_bgp_blocks_across_the_inventory_fail_in_preflight(sim, run_playbook, tmp_path):
    def overlap(hosts):
        hosts["london"]["interconnect_bgp_cidr"] = copy.copy(hosts["tokyo"]["interconnect_bgp_cidr"])

    run = run_playbook("interconnect.yml", write_inventory(tmp_path, overlap))
    assert run.rc != 0
    assert run.recap["tokyo"]["failed"] == 1 and run.recap["london"]["failed"] == 1
    assert calls(sim, kind="write") == []


def test_a_route_table_of_another_vcn_fails_in_preflight_without_writing(sim, run_playbook, tmp_path):
    def wrong_table(hosts):
        hosts["tokyo"]["interconnect_oci_route_table_ids"] = list(hosts["london"]["interconnect_oci_route_table_ids"])

    run = run_playbook("interconnect.yml", write_inventory(tmp_path, wrong_table))
    assert run.rc != 0
    assert run.recap["tokyo"]["failed"] == 1
    assert ("interconnect_oci_route_table_ids: route table ocid1.routetable.oc1.uk-london-1.interconnectlondon "
            "is not in interconnect_oci_vcn_id=ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo") in run.output
    # London converged; Tokyo stopped before its first write (its circuit would have been that write).
    assert run.recap["london"]["failed"] == 0
    assert [call for call in calls(sim, kind="write") if "tokyo" in call["path"].lower()] == []
    assert "er-tokyo-oci" not in json.dumps(sim.admin("GET", "state")["azure"])


def test_bad_role_variables_are_named_each_in_a_sentence_before_any_write(sim, run_playbook, tmp_path):
    def spoil(hosts):
        del hosts["tokyo"]["interconnect_bgp_cidr"]
        hosts["tokyo"]["interconnect_region_pairs"] = "japaneast:ap-tokyo-1"
        hosts["tokyo"]["interconnect_bandwidth_gbps"] = 3

    run = run_playbook("interconnect.yml", write_inventory(tmp_path, spoil))
    assert run.rc != 0 and run.recap["tokyo"]["failed"] == 1
    # In the preflight's one refusal, first.
    assert re.search(r"The interconnect plan has 3 problems: \(1\) interconnect_bandwidth_gbps is 3; it must be one of "
                     r"1, 2, 5, 10\.; \(2\) interconnect_bgp_cidr is missing: it is not set\. .*?; "
                     r"\(3\) interconnect_region_pairs is 'japaneast:ap-tokyo-1' \(a string\); it must be a list", run.output)
    # One sentence per problem, not ansible-core's dump of the whole argument spec.
    assert "argument_spec_data" not in run.output
    # Tokyo wrote nothing; London converged.
    assert [call for call in calls(sim, kind="write") if "tokyo" in call["path"].lower()] == []
    assert run.recap["london"]["failed"] == 0
