"""Bad inputs as a new user writes them: each is refused before any write to either cloud, in one
refusal that names the inventory variable and its value, every problem at once."""
import re

import pytest

from conftest import calls
from test_interconnect import write_inventory

LONDON_DRG = "ocid1.drg.oc1.uk-london-1.interconnectlondon"


def refused(run, sim, *expected):
    """The run failed on the tokyo host's preflight, every expected text is in its refusal, nothing was written."""
    assert run.rc != 0 and run.recap["tokyo"]["failed"] == 1, run.output
    assert run.recap["tokyo"]["changed"] == 0
    for text in expected:
        assert text in run.output, text
    assert calls(sim, kind="write") == [], "no write may reach either cloud"
    assert "Traceback" not in run.output


def tokyo_with(tmp_path, **changes):
    def change(hosts):
        hosts["tokyo"].update(changes)
    return write_inventory(tmp_path, change)


@pytest.mark.parametrize("changes, expected", [
    (dict(interconnect_azure_circuit_name="er tokyo"),
     "interconnect_azure_circuit_name='er tokyo' is not a name Azure accepts for a circuit"),
    (dict(interconnect_azure_circuit_name=["er-tokyo-oci"]),
     "interconnect_azure_circuit_name must be a string, got a list ['er-tokyo-oci']."),
    (dict(interconnect_azure_vnet_name=""), "interconnect_azure_vnet_name is missing: it is empty or null ('')."),
    (dict(interconnect_bgp_cidr=None), "interconnect_bgp_cidr is missing: it is empty or null (None)."),
    (dict(interconnect_oci_compartment_id="compartment-tokyo"),
     "interconnect_oci_compartment_id='compartment-tokyo' is not an OCID"),
    (dict(interconnect_oci_drg_id=LONDON_DRG),
     "interconnect_oci_drg_id=%s is in region uk-london-1, not in interconnect_oci_region=ap-tokyo-1" % LONDON_DRG),
    (dict(interconnect_azure_peering_vlan_id=5000), "interconnect_azure_peering_vlan_id=5000 is not a VLAN id (1-4094)."),
    (dict(interconnect_azure_peer_asn=-1), "interconnect_azure_peer_asn=-1 is not an AS number"),
    (dict(interconnect_wait_timeout=-5), "interconnect_wait_timeout=-5 must be a positive number of seconds."),
    (dict(interconnect_rule_prefix=""), "interconnect_rule_prefix is missing: it is empty or null ('')."),
    (dict(interconnect_azure_sku_tier="Local"),
     "interconnect_azure_sku_family=MeteredData does not go with interconnect_azure_sku_tier=Local"),
    (dict(interconnect_azure_gateway_name="ergw-missing"),
     "interconnect_azure_gateway_name=ergw-missing could not be read: The virtual network gateway ergw-missing does not "
     "exist in resource group rg-interconnect-tokyo"),
    (dict(interconnect_oci_provider_name="Megaport"),
     "interconnect_oci_provider_name='Megaport' is not the FastConnect provider of an Azure interconnect: only "
     "'Microsoft Azure' takes an ExpressRoute service key."),
    (dict(interconnect_azure_peering_location="Osaka", interconnect_region_pairs=[dict(
        oci_region="ap-tokyo-1", azure_region="japaneast", peering_locations=["Osaka"])]),
     "interconnect_azure_peering_location 'Osaka' is not offered by Oracle Cloud FastConnect; its peering locations: "),
    (dict(interconnect_azure_resource_group="rg-missing"),
     "interconnect_azure_vnet_name=vnet-tokyo could not be read: Failed to read virtual network vnet-tokyo: Resource "
     "group 'rg-missing' could not be found."),
])
def test_one_bad_input_is_refused_before_any_write(sim, run_playbook, tmp_path, changes, expected):
    refused(run_playbook("interconnect.yml", tokyo_with(tmp_path, **changes), "--limit", "tokyo"), sim, expected)


def test_a_region_triple_consistent_on_paper_but_not_with_the_resources(sim, run_playbook, tmp_path):
    inventory = tokyo_with(tmp_path, interconnect_azure_location="uksouth", interconnect_oci_region="uk-london-1",
                           interconnect_azure_peering_location="London")
    refused(run_playbook("interconnect.yml", inventory, "--limit", "tokyo"), sim,
            "interconnect_oci_vcn_id=ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo is in region ap-tokyo-1, not in "
            "interconnect_oci_region=uk-london-1",
            "interconnect_azure_vnet_name=vnet-tokyo is in Azure region japaneast, not in interconnect_azure_location=uksouth.",
            "interconnect_azure_gateway_name=ergw-tokyo is in Azure region japaneast")
    # The preflight read the Tokyo OCIDs through London's endpoint, as a real client of uk-london-1 would,
    # and London's endpoint does not know them (404).
    oci_calls = calls(sim, cloud="oci")
    assert oci_calls and all(call["path"].startswith("/oci/uk-london-1/") for call in oci_calls)
    assert any(call["status"] == 404 and call["path"].endswith("/vcns/ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo")
               for call in oci_calls)


def test_a_report_directory_that_cannot_be_written(sim, run_playbook, tmp_path):
    # A file where the directory should be: no user, root included, can create the reports there.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    run = run_playbook("interconnect.yml", tokyo_with(tmp_path), "--limit", "tokyo",
                       extra_vars={"interconnect_report_dir": str(blocker / "reports")})
    refused(run, sim, "interconnect_report_dir=%s cannot hold the reports: %s is not a directory."
            % (blocker / "reports", blocker))


def test_several_problems_are_listed_in_one_refusal(sim, run_playbook, tmp_path):
    inventory = tokyo_with(tmp_path, interconnect_oci_drg_id=LONDON_DRG, interconnect_bgp_cidr="8.8.8.0/29",
                           interconnect_azure_peering_location="Osaka", interconnect_azure_circuit_name="er tokyo",
                           interconnect_azure_peering_vlan_id=5000)
    run = run_playbook("interconnect.yml", inventory, "--limit", "tokyo")
    refused(run, sim, "interconnect_oci_drg_id=%s is in region uk-london-1" % LONDON_DRG,
            "interconnect_azure_circuit_name='er tokyo' is not a name Azure accepts",
            "interconnect_azure_peering_vlan_id=5000 is not a VLAN id", "8.8.8.0/29", "Osaka")
    assert "The interconnect plan has " in run.output


def plan_refusal(run):
    """The numbered problems of the plan check's refusal, as the run printed it first."""
    message = re.search(r"The interconnect plan has \d+ problems?: (.*)", run.output).group(1).split('"')[0]
    return re.split(r"(?:; )?\(\d+\) ", message)[1:]


@pytest.mark.parametrize("playbook", ["interconnect.yml", "verify.yml"])
def test_a_missing_variable_is_listed_first_with_the_read_and_plan_problems(sim, run_playbook, tmp_path, playbook):
    def change(hosts):
        del hosts["tokyo"]["interconnect_azure_vnet_name"]
        hosts["tokyo"].update(interconnect_bgp_cidr="8.8.8.0/29", interconnect_azure_peering_location="Osaka")
    run = run_playbook(playbook, write_inventory(tmp_path, change), "--limit", "tokyo")
    refused(run, sim)
    problems = plan_refusal(run)
    assert problems[0] == ("interconnect_azure_vnet_name is missing: it is not set. It is the azure VNet connected "
                           "through the gateway.")
    assert problems[1].startswith("interconnect_bgp_cidr '8.8.8.0/29' is not private address space")
    assert any(problem.startswith("interconnect_azure_peering_location 'Osaka' is not a peering location of the "
                                  "ap-tokyo-1 / japaneast pair") for problem in problems[2:])
    assert [problem for problem in problems if "interconnect_azure_vnet_name" in problem] == problems[:1]
    # The rest was read, with the variables that are fine.
    assert any(call["path"].endswith("/virtualNetworkGateways/ergw-tokyo") for call in calls(sim, cloud="azure"))
    assert any(call["path"].endswith("/vcns/ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo") for call in calls(sim, cloud="oci"))


def test_a_variable_of_the_wrong_type_is_listed_with_a_plan_problem(sim, run_playbook, tmp_path):
    run = run_playbook("interconnect.yml", tokyo_with(tmp_path, interconnect_bandwidth_gbps="fast",
                                                      interconnect_bgp_cidr="10.20.0.0/29"), "--limit", "tokyo")
    refused(run, sim)
    assert plan_refusal(run) == [
        "interconnect_bandwidth_gbps is 'fast' (a string); it must be a whole number.",
        "interconnect_bgp_cidr '10.20.0.0/29' lies inside the CIDR blocks of "
        "interconnect_oci_vcn_id=ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo '10.20.0.0/16'"]


def test_a_teardown_still_refuses_its_variables_first(sim, run_playbook, tmp_path):
    def change(hosts):
        del hosts["tokyo"]["interconnect_oci_drg_id"]
    run = run_playbook("teardown.yml", write_inventory(tmp_path, change), "--limit", "tokyo")
    refused(run, sim, "interconnect_oci_drg_id is missing: it is not set.")
    assert "The interconnect plan has" not in run.output
    assert calls(sim, cloud="azure") + calls(sim, cloud="oci") == [], "nothing is read either"
