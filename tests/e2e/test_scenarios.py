"""What a demanding user tries: check mode everywhere, verify before anything exists, teardown through
the main entry point, a peering the role must create, a bandwidth upgrade and wrong credentials."""
import json
import re
from pathlib import Path

import pytest

from conftest import DEMO_INVENTORY, azure_client, calls
from test_interconnect import HOSTS, ours, write_inventory

PRIVATE_PEERING = ("rg-interconnect-tokyo", "er-tokyo-oci", "AzurePrivatePeering")


def assert_untouched(run, sim):
    """A run that changed nothing: no failure, changed=0 on every host, no write call."""
    assert run.rc == 0, run.output
    assert set(run.recap) == set(HOSTS)
    assert run.total("changed") == 0, run.output
    assert calls(sim, kind="write") == []


def state_of(sim, cloud):
    return json.dumps(sim.admin("GET", "state")[cloud])


def virtual_circuit(sim, name):
    return next(vc for vc in sim.admin("GET", "state")["oci"]["resources"]["virtualCircuits"] if vc["displayName"] == name)


def test_check_mode_on_a_converged_interconnect_changes_nothing(converged, run_playbook):
    before = converged.admin("GET", "state")
    run = run_playbook("interconnect.yml", DEMO_INVENTORY, "--check", "--diff")
    assert_untouched(run, converged)
    assert converged.admin("GET", "state") == before


@pytest.mark.parametrize("playbook, extra_vars", [
    ("teardown.yml", None),
    ("interconnect.yml", {"interconnect_state": "absent"}),
])
def test_teardown_check_mode_shows_the_removal_without_writing(converged, run_playbook, playbook, extra_vars):
    run = run_playbook(playbook, DEMO_INVENTORY, "--check", "--diff", extra_vars=extra_vars)
    assert run.rc == 0, run.output
    assert all(run.recap[host]["changed"] > 0 and run.recap[host]["failed"] == 0 for host in HOSTS)
    assert "Circuit er-tokyo-oci would be deleted once its provider has released it (provider state now Provisioned)" \
        in run.output
    if playbook == "interconnect.yml":
        assert '"tokyo: would be removed"' in run.output
    assert calls(converged, kind="write") == []
    assert all(ours(converged.admin("GET", "state")["azure"]).values())


# A host's status line in a task, with the message that follows it (up to the brace closing it).
STATUS = re.compile(r"^(?:ok|changed|skipping|failed|fatal): \[(\S+?)\][^\n]*?(?: => \{\n.*?\n\})?$", re.M | re.S)
ROLE_TASK = "TASK [crosscloud.interconnect.interconnect : %s]"


def task_output(run, task, host):
    """What ``run`` printed for ``host`` in the role's task named ``task``: its --diff and warnings, then its
    status line and message."""
    section = run.output.split(ROLE_TASK % task, 1)[1].split("\nTASK [", 1)[0]
    start = 0
    for status in STATUS.finditer(section):
        if status.group(1) == host:
            return section[start:status.end()]
        start = status.end()
    raise AssertionError("no status of %s in task %r:\n%s" % (host, task, section))


def created(shown):
    """The resource a --diff of a create shows (every line of it added)."""
    return json.loads("\n".join(line[1:] for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")))


def test_check_mode_on_a_new_interconnect_shows_every_phase_from_the_plan(sim, run_playbook):
    run = run_playbook("interconnect.yml", DEMO_INVENTORY, "--check", "--diff")
    assert run.rc == 0, run.output
    assert calls(sim, kind="write") == []
    assert all(run.recap[host]["failed"] == 0 for host in HOSTS)

    circuit = task_output(run, "Show the circuit (without its service key)", "tokyo")
    assert '"status": "would change"' in circuit and '"bandwidth_in_mbps": 1000' in circuit
    assert '"peering_location": "Tokyo"' in circuit

    virtual_circuit_shown = task_output(
        run, "Ensure the FastConnect private virtual circuit (an existing one awaited until provisioned)", "tokyo")
    assert virtual_circuit_shown.endswith("\nchanged: [tokyo]")
    planned = created(virtual_circuit_shown)
    assert (planned["display_name"], planned["bandwidth_shape_name"], planned["gateway_id"]) == (
        "er-tokyo-oci", "1 Gbps", "ocid1.drg.oc1.ap-tokyo-1.interconnecttokyo")
    assert sorted((m["oracle_bgp_peering_ip"], m["customer_bgp_peering_ip"]) for m in planned["cross_connect_mappings"]) \
        == [("10.255.0.1/30", "10.255.0.2/30"), ("10.255.0.5/30", "10.255.0.6/30")]
    assert "Virtual circuit er-tokyo-oci is planned without a service key" in run.output

    peering_shown = task_output(run, "Ensure the Azure private peering carries the plan's /30s", "tokyo")
    assert peering_shown.endswith("\nchanged: [tokyo]")
    assert created(peering_shown) == {
        "peering_type": "AzurePrivatePeering", "state": "Enabled", "peer_asn": 31898,
        "primary_peer_address_prefix": "10.255.0.0/30", "secondary_peer_address_prefix": "10.255.0.4/30"}

    connection_shown = task_output(run, "Connect the ExpressRoute gateway to the circuit", "tokyo")
    assert connection_shown.endswith("\nchanged: [tokyo]")
    connection = created(connection_shown)
    assert connection["circuit_id"].endswith("/resourceGroups/rg-interconnect-tokyo/providers/Microsoft.Network/"
                                             "expressRouteCircuits/er-tokyo-oci")
    assert connection["virtual_network_gateway_id"].endswith("/virtualNetworkGateways/ergw-tokyo")
    # Both steps on the circuit no check run creates say what a real run needs by then.
    assert run.output.count("Circuit er-tokyo-oci does not exist yet: a real run fails here unless an earlier step "
                            "has created it.") == 2

    assert '"name": "interconnect-er-tokyo-oci-inbound-10.20.0.0-16"' in task_output(
        run, "Allow the OCI VCN CIDRs in the Azure NSGs", "tokyo")
    oci_rules_shown = task_output(run, "Route the Azure VNet CIDRs to the DRG and allow them in the OCI security lists",
                                  "tokyo")
    assert "+            \"10.10.0.0/16 -> ocid1.drg.oc1.ap-tokyo-1.interconnecttokyo (interconnect-er-tokyo-oci)\"" \
        in oci_rules_shown
    assert "+                \"10.10.0.0/16 all (interconnect-er-tokyo-oci)\"" in oci_rules_shown

    # No key exists yet, and nothing stands in for one: neither Azure's zeros nor any key field.
    for secret in ("00000000-0000-0000-0000-000000000000", "service_key", "provider_service_key_name"):
        assert secret not in run.output


def test_teardown_check_mode_on_an_empty_simulator(sim, run_playbook):
    assert_untouched(run_playbook("teardown.yml", DEMO_INVENTORY, "--check", "--diff"), sim)


def test_verify_before_anything_is_built_fails_per_host_saying_what_is_missing(sim, run_playbook, tmp_path):
    stale = tmp_path / "reports" / "summary.md"
    stale.parent.mkdir()
    stale.write_text("| tokyo | healthy |\n| london | healthy |\n")
    run = run_playbook("verify.yml")
    assert run.rc != 0
    assert all(run.recap[host]["failed"] == 1 and run.recap[host]["changed"] == 0 for host in HOSTS), run.output
    for host in HOSTS:
        assert ("%s is not healthy: Azure ExpressRoute circuit does not exist; "
                "OCI FastConnect virtual circuit does not exist" % host) in run.output
        report = (tmp_path / "reports" / ("%s.md" % host)).read_text()
        assert "NOT healthy" in report and "Azure ExpressRoute circuit does not exist" in report
    # Every host failed, and the summary of this run says so for each (not the stale "healthy").
    summary = stale.read_text()
    assert "| healthy |" not in summary and "2 of 2 interconnects reached a verdict" in summary
    assert all("| %s | NOT healthy: Azure ExpressRoute circuit does not exist; " % host in summary for host in HOSTS)
    assert "undefined" not in run.output.lower() and "Traceback" not in run.output
    assert calls(sim, kind="write") == []


def test_teardown_through_the_main_entry_point(converged, run_playbook, tmp_path):
    run = run_playbook("interconnect.yml", extra_vars={"interconnect_state": "absent"})
    assert run.rc == 0, run.output
    assert all(run.recap[host]["changed"] > 0 for host in HOSTS)
    assert not any(ours(converged.admin("GET", "state")["azure"]).values())
    assert "interconnect-er-" not in json.dumps(converged.admin("GET", "state")), "rules of ours left behind"
    assert '"tokyo: removed"' in run.output and '"london: removed"' in run.output
    summary = (tmp_path / "reports" / "summary.md").read_text()
    assert "| tokyo | removed |" in summary and "| london | removed |" in summary


def test_the_role_creates_the_private_peering_the_provider_left_out(converged, run_playbook):
    # The provider-made peering is gone (as on a circuit of the 2019 flow, where the customer makes it).
    # Azure refuses to delete private peering while a connection uses it: the connection goes first.
    network = azure_client(converged)
    network.virtual_network_gateway_connections.begin_delete("rg-interconnect-tokyo", "er-tokyo-oci-connection").result()
    network.express_route_circuit_peerings.begin_delete(*PRIVATE_PEERING).result()
    converged.admin("DELETE", "log")

    without_vlan = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert without_vlan.rc != 0 and without_vlan.recap["tokyo"]["failed"] == 1
    assert "Circuit er-tokyo-oci has no private peering; creating it needs vlan_id" in without_vlan.output
    assert calls(converged, kind="write") == []

    with_vlan = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo",
                             extra_vars={"interconnect_azure_peering_vlan_id": 300})
    assert with_vlan.rc == 0, with_vlan.output
    assert "tokyo is healthy" in with_vlan.output
    writes = [(call["method"], call["path"].rsplit("/", 1)[-1]) for call in calls(converged, kind="write")]
    assert writes == [("PUT", "AzurePrivatePeering"), ("PUT", "er-tokyo-oci-connection")]
    peering = network.express_route_circuit_peerings.get(*PRIVATE_PEERING)
    assert (peering.vlan_id, peering.peer_asn, peering.primary_peer_address_prefix,
            peering.secondary_peer_address_prefix) == (300, 31898, "10.255.0.0/30", "10.255.0.4/30")
    assert virtual_circuit(converged, "er-tokyo-oci")["bgpSessionState"] == "UP"
    # The peering changed after the virtual circuit step, so the verify reads the BGP session again.
    log = calls(converged)
    peering_put = max(call["seq"] for call in log if call["path"].endswith("/AzurePrivatePeering")
                      and call["kind"] == "write")
    assert any(call["kind"] == "read" and "/virtualCircuits" in call["path"] and call["seq"] > peering_put
               for call in log)

    converged.admin("DELETE", "log")
    again = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo",
                         extra_vars={"interconnect_azure_peering_vlan_id": 300})
    assert again.rc == 0 and again.total("changed") == 0, again.output
    assert calls(converged, kind="write") == []

    # The provider leaves a customer-made peering behind: the teardown deletes it before the circuit.
    teardown = run_playbook("teardown.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert teardown.rc == 0, teardown.output
    assert "er-tokyo-oci" not in state_of(converged, "azure")


def test_a_bandwidth_increase_upgrades_both_circuits_in_place(converged, run_playbook, tmp_path):
    def upgrade_tokyo(hosts):
        hosts["tokyo"]["interconnect_bandwidth_gbps"] = 2

    inventory = write_inventory(tmp_path, upgrade_tokyo)
    preview = run_playbook("interconnect.yml", inventory, "--check", "--diff")
    assert preview.rc == 0, preview.output
    assert preview.recap["tokyo"]["changed"] == 2 and preview.recap["london"]["changed"] == 0
    assert "er-tokyo-oci would move to 2 Gbps once er-tokyo-oci has 2000 Mbps" in preview.output
    assert calls(converged, kind="write") == []
    vc_id = virtual_circuit(converged, "er-tokyo-oci")["id"]

    # OCI re-provisions a provisioned circuit whose bandwidth changes, BGP down meanwhile: the run waits it out.
    converged.admin("PUT", "delays", {"provider.provision": 2})
    run = run_playbook("interconnect.yml", inventory)
    assert run.rc == 0, run.output
    assert run.recap["tokyo"]["changed"] == 2 and run.recap["london"]["changed"] == 0
    # (The seconds count from the task's start, which the role gives every call of a wait split into calls.)
    assert re.search(r"er-tokyo-oci \(waited for PROVISIONED, and BGP UP again .*\): PROVISIONING/ACTIVE/DOWN at "
                     r"\d+(\.\d)?s -> PROVISIONED/ACTIVE/UP at [1-9]", run.output), run.output
    writes = [(call["method"], call["path"].rsplit("/", 1)[-1]) for call in calls(converged, kind="write")]
    assert writes == [("PUT", "er-tokyo-oci"), ("PUT", vc_id)], "upgraded in place, nothing deleted"
    circuit = azure_client(converged).express_route_circuits.get("rg-interconnect-tokyo", "er-tokyo-oci")
    assert circuit.service_provider_properties.bandwidth_in_mbps == 2000
    assert circuit.service_provider_provisioning_state == "Provisioned"
    upgraded = virtual_circuit(converged, "er-tokyo-oci")
    assert (upgraded["id"], upgraded["bandwidthShapeName"], upgraded["bgpSessionState"]) == (vc_id, "2 Gbps", "UP")
    assert "tokyo: healthy - japaneast <-> ap-tokyo-1 at Tokyo, 2 Gbps, BGP UP" in run.output


def test_a_bandwidth_decrease_fails_before_any_write(converged, run_playbook, tmp_path):
    def downgrade_london(hosts):
        hosts["london"]["interconnect_bandwidth_gbps"] = 1

    run = run_playbook("interconnect.yml", write_inventory(tmp_path, downgrade_london))
    assert run.rc != 0 and run.recap["london"]["failed"] == 1 and run.recap["tokyo"]["failed"] == 0
    assert ("Circuit er-london-oci cannot be changed as asked: bandwidth can only increase "
            "(it is 2000 Mbps, 1000 Mbps was asked)") in run.output
    assert calls(converged, kind="write") == []


def test_a_wrong_azure_secret_fails_the_first_azure_task_clearly(sim, run_playbook, monkeypatch, tmp_path):
    monkeypatch.setitem(sim.env, "AZURE_SECRET", "not-the-secret")
    run = run_playbook("interconnect.yml")
    assert run.rc != 0
    # (ok counts the rescue and the summary's tasks too: the summary runs although every host failed.)
    assert all(run.recap[host] == dict(run.recap[host], changed=0, unreachable=0, failed=1) for host in HOSTS), run.recap
    summary = (tmp_path / "reports" / "summary.md").read_text()
    assert all("| %s | failed: Failed to sign in to Azure: Azure refused the credentials" % host in summary
               for host in HOSTS), summary
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    assert report.startswith("# Interconnect `tokyo`: FAILED") and "Azure refused the credentials" in report
    # The preflight's Azure read signs in first: refused credentials are no problem of a resource.
    # It names the credentials tried, where they came from, and what to check.
    assert run.output.count("Failed to sign in to Azure: Azure refused the credentials of a service principal and its "
                            "secret (auth_source auto; check client_id, secret and tenant, or AZURE_CLIENT_ID, "
                            "AZURE_SECRET and AZURE_TENANT)") >= len(HOSTS)
    assert "Traceback" not in run.output and "not-the-secret" not in run.output
    assert calls(sim, kind="write") == []


def test_a_wrong_oci_key_fingerprint_fails_the_first_oci_task_clearly(sim, run_playbook, monkeypatch, tmp_path):
    config = tmp_path / "oci_config"
    config.write_text("\n".join(
        "fingerprint=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" if line.startswith("fingerprint=") else line
        for line in Path(sim.env["OCI_CONFIG_FILE"]).read_text().splitlines()))
    monkeypatch.setitem(sim.env, "OCI_CONFIG_FILE", str(config))
    run = run_playbook("interconnect.yml")
    assert run.rc != 0
    assert all(run.recap[host]["failed"] == 1 and run.recap[host]["changed"] == 0 for host in HOSTS)
    assert "Failed to read VCN ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo: 401 NotAuthenticated" in run.output
    assert "(the signature was refused; auth_type api_key: check user, fingerprint, key_file and tenancy)" in run.output
    assert "Traceback" not in run.output
    assert calls(sim, kind="write") == []


def test_an_idempotent_rerun_reads_each_cloud_once_and_runs_no_write_module(converged, run_playbook):
    run = run_playbook("interconnect.yml")
    assert_untouched(run, converged)
    paths = [call["path"] for call in calls(converged) if call["kind"] != "auth"]
    # The write modules read their resource by name before deciding; none of them ran.
    assert not [path for path in paths if "/networkSecurityGroups/" in path], paths
    assert not [path for path in paths if "/routeTables/ocid" in path or "/securityLists/ocid" in path], paths
    assert not [path for path in paths if "fastConnectProviderServices" in path], paths
    assert "skipping: [tokyo]" in run.output


def test_verify_names_a_rule_deleted_behind_our_back_and_a_converge_repairs_it(converged, run_playbook, tmp_path):
    network = azure_client(converged)
    network.security_rules.begin_delete("rg-interconnect-tokyo", "nsg-tokyo-workload",
                                        "interconnect-er-tokyo-oci-inbound-10.20.0.0-16").result()
    converged.admin("DELETE", "log")

    verify = run_playbook("verify.yml")
    assert verify.rc != 0 and verify.recap["tokyo"]["failed"] == 1 and verify.recap["london"]["failed"] == 0
    drift = "NSG nsg-tokyo-workload: rule interconnect-er-tokyo-oci-inbound-10.20.0.0-16 missing"
    assert drift in verify.output
    assert drift in (tmp_path / "reports" / "tokyo.md").read_text()
    assert calls(converged, kind="write") == []

    repair = run_playbook("interconnect.yml")
    assert repair.rc == 0, repair.output
    assert repair.recap["tokyo"]["changed"] > 0 and repair.recap["london"]["changed"] == 0
    assert [call["path"].rsplit("/", 1)[-1] for call in calls(converged, kind="write")] == ["nsg-tokyo-workload"]

    again = run_playbook("verify.yml")
    assert again.rc == 0, again.output


def test_verify_reports_the_learned_routes_and_fails_naming_a_withdrawn_one(converged, run_playbook, tmp_path):
    verify = run_playbook("verify.yml")
    assert verify.rc == 0, verify.output
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    routes = report.split("## Routes", 1)[1]
    assert "Azure circuit er-tokyo-oci, primary path | OCI (AS path ending 31898) | 1: 10.20.0.0/16 |" in routes
    assert "Azure circuit er-tokyo-oci, secondary path | OCI (AS path ending 31898) | 1: 10.20.0.0/16 |" in routes
    assert "Azure, over virtual circuit er-tokyo-oci | 1: 10.10.0.0/16 |" in routes
    assert calls(converged, kind="write") == []

    # The operator disables the private peering in Azure: BGP goes down and both sides withdraw the routes.
    network = azure_client(converged)
    peering = network.express_route_circuit_peerings.get(*PRIVATE_PEERING)
    peering.state = "Disabled"
    network.express_route_circuit_peerings.begin_create_or_update(*PRIVATE_PEERING, peering).result()
    converged.admin("DELETE", "log")

    withdrawn = run_playbook("verify.yml")
    assert withdrawn.rc != 0 and withdrawn.recap["tokyo"]["failed"] == 1 and withdrawn.recap["london"]["failed"] == 0
    for line in ("OCI VCN CIDR 10.20.0.0/16 not learned on the primary path of circuit er-tokyo-oci",
                 "OCI VCN CIDR 10.20.0.0/16 not learned on the secondary path of circuit er-tokyo-oci",
                 "Azure VNet CIDR 10.10.0.0/16 not learned by DRG route table"):
        assert line in withdrawn.output
        assert line in (tmp_path / "reports" / "tokyo.md").read_text()
    assert calls(converged, kind="write") == []
