"""From nothing (greenfield): inventories/greenfield against cloudsim's greenfield fixture (a resource group and a
compartment, no networks). The role creates the networks (interconnect_create_networks), then the interconnect;
the teardown leaves the networks unless interconnect_delete_networks, and then leaves the simulator as the fixture was."""
import json

import pytest

from cloudsim.sim import SimConfig, Simulator
from conftest import REPO, calls, fixture_of, serve
from test_interconnect import write_inventory

GREENFIELD_INVENTORY = REPO / "inventories" / "greenfield"
FIXTURE = fixture_of("greenfield")
HOST = "ashburn"


@pytest.fixture(scope="module")
def greenfield_server(tmp_path_factory):
    yield from serve(FIXTURE, tmp_path_factory)


@pytest.fixture
def sim(greenfield_server):
    """This module's simulator (conftest's run_playbook uses it), reset to the greenfield fixture, log empty."""
    greenfield_server.admin("POST", "reset")
    greenfield_server.admin("DELETE", "log")
    return greenfield_server


def live(state):
    """The resources of a state dump that exist: OCI keeps terminated resources listed for a while, as OCI does."""
    oci = {kind: sorted((item for item in items if item.get("lifecycleState") not in ("TERMINATED", "DETACHED")),
                        key=lambda item: item["id"])
           for kind, items in state["oci"]["resources"].items()}
    return dict(azure_groups=state["azure"]["resourceGroups"], azure_resources=state["azure"]["resources"],
                oci={kind: items for kind, items in oci.items() if items}, compartments=state["oci"]["compartments"])


def networks(state):
    """Names of the networks of the greenfield inventory found in a state dump."""
    text = json.dumps(live(state))
    return {name for name in ("vnet-ashburn", "ergw-ashburn", "vcn-ashburn", "drg-ashburn") if name in text}


def greenfield_with(tmp_path, **changes):
    return write_inventory(tmp_path, lambda hosts: hosts[HOST].update(changes), GREENFIELD_INVENTORY)


def test_from_nothing_converge_twice_verify_and_teardown_with_and_without_the_networks(sim, run_playbook, tmp_path):
    assert networks(sim.admin("GET", "state")) == set()
    first = run_playbook("interconnect.yml", GREENFIELD_INVENTORY)
    assert first.rc == 0, first.output
    assert first.recap[HOST]["changed"] > 0 and first.recap[HOST]["failed"] == 0
    assert networks(sim.admin("GET", "state")) == {"vnet-ashburn", "ergw-ashburn", "vcn-ashburn", "drg-ashburn"}
    report = (tmp_path / "reports" / ("%s.md" % HOST)).read_text()
    assert report.startswith("# Interconnect `%s`: healthy" % HOST), report[:300]

    sim.admin("DELETE", "log")
    second = run_playbook("interconnect.yml", GREENFIELD_INVENTORY)
    assert second.rc == 0, second.output
    assert second.total("changed") == 0, second.output
    assert calls(sim, kind="write") == []

    verify = run_playbook("verify.yml", GREENFIELD_INVENTORY)
    assert verify.rc == 0, verify.output
    assert verify.total("changed") == 0
    assert (tmp_path / "reports" / ("%s.md" % HOST)).read_text().startswith("# Interconnect `%s`: healthy" % HOST)

    # Without the second switch the interconnect goes, the networks stay, and the summary says so.
    kept = run_playbook("teardown.yml", GREENFIELD_INVENTORY)
    assert kept.rc == 0, kept.output
    state = sim.admin("GET", "state")
    assert networks(state) == {"vnet-ashburn", "ergw-ashburn", "vcn-ashburn", "drg-ashburn"}
    assert "er-ashburn-oci" not in json.dumps(live(state)), "the interconnect must be gone"
    summary = (tmp_path / "reports" / "teardown-summary.md").read_text()
    assert "| Azure networks (gateway ergw-ashburn, VNet vnet-ashburn) the role created | kept " \
           "(interconnect_delete_networks is false) |" in summary, summary
    assert "| OCI networks (VCN vcn-ashburn, DRG drg-ashburn) the role created | kept " in summary

    # With it, the networks go too: the simulator is as the fixture was.
    removed = run_playbook("teardown.yml", GREENFIELD_INVENTORY, extra_vars={"interconnect_delete_networks": True})
    assert removed.rc == 0, removed.output
    assert live(sim.admin("GET", "state")) == live(Simulator(SimConfig(fixture=FIXTURE)).dump())
    summary = (tmp_path / "reports" / "teardown-summary.md").read_text()
    assert "| Azure networks (gateway ergw-ashburn, VNet vnet-ashburn) the role created | removed (" in summary, summary
    assert "| OCI networks (VCN vcn-ashburn, DRG drg-ashburn) the role created | removed (" in summary

    again = run_playbook("teardown.yml", GREENFIELD_INVENTORY, extra_vars={"interconnect_delete_networks": True})
    assert again.rc == 0 and again.total("changed") == 0, again.output


def test_a_check_run_from_nothing_shows_the_networks_and_stops_cleanly(sim, run_playbook):
    check = run_playbook("interconnect.yml", GREENFIELD_INVENTORY, "--check", "--diff")
    assert check.rc == 0, check.output
    assert check.recap[HOST]["changed"] > 0 and check.recap[HOST]["failed"] == 0
    assert "the networks above would be created first" in check.output
    assert "%s: checked, nothing written (the networks would be created first" % HOST in check.output
    assert "Ensure the Azure ExpressRoute circuit" not in check.output.split("the networks above would be created")[1]
    assert calls(sim, kind="write") == []


@pytest.mark.parametrize("changes, expected", [
    (dict(interconnect_oci_vcn_cidrs=["10.70.128.0/17"]),
     ["interconnect_azure_vnet_cidrs[0] '10.70.0.0/16' contains interconnect_oci_vcn_cidrs[0] '10.70.128.0/17'"]),
    (dict(interconnect_azure_gateway_subnet_cidr="10.90.255.0/27"),
     ["interconnect_azure_gateway_subnet_cidr '10.90.255.0/27' is outside every Azure VNet CIDR (10.70.0.0/16)"]),
    (dict(interconnect_azure_gateway_sku="VpnGw1"),
     ["interconnect_azure_gateway_sku 'VpnGw1' is not an ExpressRoute gateway SKU"]),
    # All at once, with a bad /29 and a region the pair does not have.
    (dict(interconnect_oci_vcn_cidrs=["10.70.128.0/17"], interconnect_azure_gateway_subnet_cidr="10.70.255.0/28",
          interconnect_azure_gateway_sku="VpnGw2AZ", interconnect_azure_peering_location="Tokyo"),
     ["interconnect_azure_vnet_cidrs[0] '10.70.0.0/16' contains interconnect_oci_vcn_cidrs[0] '10.70.128.0/17'",
      "interconnect_azure_gateway_subnet_cidr '10.70.255.0/28' is too small for an ExpressRoute gateway",
      "interconnect_azure_gateway_sku 'VpnGw2AZ' is not an ExpressRoute gateway SKU",
      "interconnect_azure_peering_location 'Tokyo' is not a peering location of the us-ashburn-1 / eastus pair"]),
])
def test_bad_new_networks_are_refused_before_any_write(sim, run_playbook, tmp_path, changes, expected):
    run = run_playbook("interconnect.yml", greenfield_with(tmp_path, **changes))
    assert run.rc != 0 and run.recap[HOST]["failed"] == 1 and run.recap[HOST]["changed"] == 0, run.output
    for text in expected:
        assert text in run.output, text
    assert "The interconnect plan has %d problem" % len(expected) in run.output
    assert calls(sim, kind="write") == [], "no write may reach either cloud"
    assert networks(sim.admin("GET", "state")) == set()


def test_creating_networks_needs_their_cidrs_and_names_not_the_oci_ids(sim, run_playbook, tmp_path):
    inventory = greenfield_with(tmp_path, interconnect_oci_vcn_cidrs=None)
    run = run_playbook("interconnect.yml", inventory)
    assert run.rc != 0 and run.recap[HOST]["failed"] == 1, run.output
    assert ("interconnect_oci_vcn_cidrs is missing: it is empty or null (None). It is the CIDR blocks of the VCN the role "
            "creates (needed as interconnect_create_networks is true).") in run.output
    assert "interconnect_oci_vcn_id" not in run.output
    assert calls(sim, kind="write") == [], "no write may reach either cloud"


def test_a_resource_group_that_is_not_there_is_created_with_the_networks_and_deleted_with_them(sim, run_playbook, tmp_path):
    inventory = greenfield_with(tmp_path, interconnect_azure_resource_group="rg-greenfield-new")
    converge = run_playbook("interconnect.yml", inventory)
    assert converge.rc == 0, converge.output
    groups = {group["name"]: group for group in sim.admin("GET", "state")["azure"]["resourceGroups"]}
    assert groups["rg-greenfield-new"]["tags"].get("created-by") == "crosscloud.interconnect", groups
    assert (tmp_path / "reports" / ("%s.md" % HOST)).read_text().startswith("# Interconnect `%s`: healthy" % HOST)

    removed = run_playbook("teardown.yml", inventory, extra_vars={"interconnect_delete_networks": True})
    assert removed.rc == 0, removed.output
    assert live(sim.admin("GET", "state")) == live(Simulator(SimConfig(fixture=FIXTURE)).dump())
