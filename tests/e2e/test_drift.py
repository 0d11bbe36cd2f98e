"""Verify tells the truth: drift made behind the role's back with the clouds' own SDKs is named by verify
(resource and difference), shown in the report, previewed by a check-mode converge, and repaired by a
converge, after which verify is healthy again and the report says so."""
import oci

from cloudsim.oci.testing import network_client
from conftest import DEMO_INVENTORY, azure_client, calls
from test_interconnect import write_inventory
from test_scenarios import task_output

TOKYO_RG, TOKYO_NSG, TOKYO_CIRCUIT = "rg-interconnect-tokyo", "nsg-tokyo-workload", "er-tokyo-oci"
TOKYO_NSG_RULE = "interconnect-er-tokyo-oci-inbound-10.20.0.0-16"
TOKYO_ROUTE_TABLE = "ocid1.routetable.oc1.ap-tokyo-1.interconnecttokyo"
TOKYO_SECURITY_LIST = "ocid1.securitylist.oc1.ap-tokyo-1.interconnecttokyo"
MARKER = "interconnect-er-tokyo-oci"
RULE_TASKS = ("Allow the OCI VCN CIDRs in the Azure NSGs",
              "Route the Azure VNet CIDRs to the DRG and allow them in the OCI security lists")


def oci_network(sim):
    """The real oci VirtualNetworkClient, as an operator in Tokyo would use it."""
    return network_client(sim, dict(sim.oci_config, region="ap-tokyo-1"))


def change_a_rule_on_each_side(sim):
    """An NSG rule's priority moved, our route rule deleted, our security rule made stateless."""
    network = azure_client(sim)
    rule = network.security_rules.get(TOKYO_RG, TOKYO_NSG, TOKYO_NSG_RULE)
    rule.priority = 400
    network.security_rules.begin_create_or_update(TOKYO_RG, TOKYO_NSG, TOKYO_NSG_RULE, rule).result()
    client = oci_network(sim)
    table = client.get_route_table(TOKYO_ROUTE_TABLE).data
    client.update_route_table(TOKYO_ROUTE_TABLE, oci.core.models.UpdateRouteTableDetails(
        route_rules=[rule for rule in table.route_rules if not (rule.description or "").startswith(MARKER)]))
    security_list = client.get_security_list(TOKYO_SECURITY_LIST).data
    for rule in security_list.ingress_security_rules:
        if (rule.description or "").startswith(MARKER):
            rule.is_stateless = True
    client.update_security_list(TOKYO_SECURITY_LIST, oci.core.models.UpdateSecurityListDetails(
        ingress_security_rules=security_list.ingress_security_rules))
    sim.admin("DELETE", "log")


def report(tmp_path, host="tokyo"):
    return (tmp_path / "reports" / ("%s.md" % host)).read_text()


def test_rules_changed_on_each_side_are_named_previewed_and_repaired(converged, run_playbook, tmp_path):
    healthy_report = report(tmp_path)
    change_a_rule_on_each_side(converged)
    drift = ["NSG %s: rule %s changed: priority 400 -> 1000" % (TOKYO_NSG, TOKYO_NSG_RULE),
             "route table %s: rule for 10.10.0.0/16 missing" % TOKYO_ROUTE_TABLE,
             "security list %s: rule for 10.10.0.0/16 changed: is_stateless True -> False" % TOKYO_SECURITY_LIST]

    verify = run_playbook("verify.yml")
    assert verify.rc != 0 and verify.recap["tokyo"]["failed"] == 1 and verify.recap["london"]["failed"] == 0
    assert "tokyo is not healthy: %s" % "; ".join(drift) in verify.output
    drifted_report = report(tmp_path)
    assert drifted_report.startswith("# Interconnect `tokyo`: NOT healthy")
    for line in drift:
        assert "**drift: %s**" % line in drifted_report, drifted_report
    # The rows list what was read: the moved rule with its new priority, no route rule of ours any more.
    assert "`%s: Inbound Allow * from 10.20.0.0/16 to VirtualNetwork, priority 400`" % TOKYO_NSG_RULE in drifted_report
    assert "| Route table | `%s`<br/>no rule of this interconnect |" % TOKYO_ROUTE_TABLE in drifted_report
    assert "`ingress 10.10.0.0/16, protocol all, stateless`" in drifted_report
    assert "  class vcn,vnet unhealthy" in drifted_report and "  class " not in healthy_report
    summary = (tmp_path / "reports" / "summary.md").read_text()
    assert "| tokyo | NOT healthy: %s |" % "; ".join(drift) in summary and "| london | healthy |" in summary
    assert calls(converged, kind="write") == []

    # What a check-mode converge would change is exactly what verify reported.
    check = run_playbook("interconnect.yml", DEMO_INVENTORY, "--check", "--diff")
    assert check.rc == 0, check.output
    assert check.recap["tokyo"]["changed"] == len(RULE_TASKS) and check.recap["london"]["changed"] == 0
    for task in RULE_TASKS:
        assert "changed: [tokyo]" in task_output(check, task, "tokyo"), task
    assert calls(converged, kind="write") == []

    repair = run_playbook("interconnect.yml")
    assert repair.rc == 0, repair.output
    written = sorted(call["path"].rsplit("/", 1)[-1] for call in calls(converged, kind="write"))
    assert written == sorted([TOKYO_NSG, TOKYO_ROUTE_TABLE, TOKYO_SECURITY_LIST])
    assert "**repaired in this run: %s**" % drift[1] in report(tmp_path)

    again = run_playbook("verify.yml")
    assert again.rc == 0, again.output
    repaired_report = report(tmp_path)
    assert repaired_report.startswith("# Interconnect `tokyo`: healthy") and "drift" not in repaired_report
    assert "| Route table | `%s`<br/>`10.10.0.0/16 -> ocid1.drg.oc1.ap-tokyo-1.interconnecttokyo` | as planned |" \
        % TOKYO_ROUTE_TABLE in repaired_report
    assert "`ingress 10.10.0.0/16, protocol all, stateful`" in repaired_report and "  class " not in repaired_report


def test_a_bandwidth_raised_behind_our_back_is_named_and_adopted_by_raising_the_plan(converged, run_playbook, tmp_path):
    # An ExpressRoute circuit's bandwidth only goes up: a converge cannot take it back, the inventory adopts it.
    network = azure_client(converged)
    circuit = network.express_route_circuits.get(TOKYO_RG, TOKYO_CIRCUIT)
    circuit.service_provider_properties.bandwidth_in_mbps = 2000
    network.express_route_circuits.begin_create_or_update(TOKYO_RG, TOKYO_CIRCUIT, circuit).result()
    converged.admin("DELETE", "log")

    verify = run_playbook("verify.yml")
    assert verify.rc != 0 and verify.recap["tokyo"]["failed"] == 1 and verify.recap["london"]["failed"] == 0
    assert "tokyo is not healthy: Azure circuit bandwidth_mbps is 2000, expected 1000" in verify.output
    drifted_report = report(tmp_path)
    assert "- Azure circuit bandwidth_mbps is 2000, expected 1000" in drifted_report
    assert "| ExpressRoute circuit | er-tokyo-oci (Standard_MeteredData, 2000 Mbps) |" in drifted_report
    assert "  class er unhealthy" in drifted_report

    refused = run_playbook("interconnect.yml")
    assert refused.rc != 0 and refused.recap["tokyo"]["failed"] == 1
    assert "bandwidth can only increase (it is 2000 Mbps, 1000 Mbps was asked)" in refused.output
    assert calls(converged, kind="write") == []

    def adopt_two_gbps(hosts):
        hosts["tokyo"]["interconnect_bandwidth_gbps"] = 2

    inventory = write_inventory(tmp_path, adopt_two_gbps)
    adopted = run_playbook("interconnect.yml", inventory)
    assert adopted.rc == 0, adopted.output
    writes = [call["path"].rsplit("/", 1)[-1] for call in calls(converged, kind="write")]
    assert len(writes) == 1 and writes[0].startswith("ocid1.virtualcircuit."), "only the OCI side follows: %s" % writes

    again = run_playbook("verify.yml", inventory)
    assert again.rc == 0, again.output
    healthy_report = report(tmp_path)
    assert "er-tokyo-oci (Standard_MeteredData, 2000 Mbps)" in healthy_report and ", 2 Gbps) | PROVISIONED" in healthy_report


def test_bgp_down_on_one_path_is_named_and_verify_is_healthy_once_it_is_back(converged, run_playbook, tmp_path):
    # A provider-side outage of the secondary sessions (cloudsim's bgp_down_paths fault): no customer call can
    # cause or repair it, so verify names it and a converge has nothing to write.
    converged.admin("PUT", "faults", {"bgp_down_paths": ["secondary"]})
    verify = run_playbook("verify.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert verify.rc != 0 and verify.recap["tokyo"]["failed"] == 1, verify.output
    missing = "OCI VCN CIDR 10.20.0.0/16 not learned on the secondary path of circuit %s" % TOKYO_CIRCUIT
    assert missing in verify.output
    assert "on the primary path" not in verify.output, "the primary path still learns it"
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    assert "NOT healthy" in report and "- %s" % missing in report
    assert calls(converged, kind="write") == []

    converged.admin("PUT", "faults", {"bgp_down_paths": []})
    again = run_playbook("verify.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert again.rc == 0, again.output
    assert "NOT healthy" not in (tmp_path / "reports" / "tokyo.md").read_text()
