"""The /_sim/ admin API (request log, state, reset, delays, fixtures) and the demo fixture."""
import ipaddress
import json
import urllib.error
from pathlib import Path

import pytest

from cloudsim.azure.testing import make_network_client
from cloudsim.oci.testing import network_client
from cloudsim.sim import DELAY_NAMES

DEMO = json.loads((Path(__file__).resolve().parents[2] / "cloudsim/fixtures/demo.json")
                  .read_text())
VNET = {"location": "japaneast",
        "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}


def test_request_log_classifies_calls_and_keeps_no_secrets(running_sim, resource_group, arm):
    azure_network = make_network_client(running_sim)  # a new credential: its token call shows
    azure_network.virtual_networks.begin_create_or_update(resource_group, "vnet", VNET).result()
    azure_network.virtual_networks.begin_delete(resource_group, "vnet").result()
    arm.request("GET", arm.subscription_path("/resourcegroups"), auth=False)
    log = running_sim.admin("GET", "log")["entries"]
    kinds = [(e["method"], e["kind"]) for e in log if e["cloud"] == "azure"]
    assert ("PUT", "write") in kinds and ("DELETE", "write") in kinds
    assert ("GET", "poll") in kinds and ("GET", "read") in kinds
    assert ("POST", "auth") in kinds
    assert log[-1]["status"] == 401 and log[-1]["kind"] == "read"
    assert {"seq", "time", "method", "path", "status", "cloud", "kind"} <= set(log[0])
    text = json.dumps(log)
    config = running_sim.sim.config
    assert config.azure_client_secret not in text and "Bearer" not in text
    assert "api-version" not in text and "addressSpace" not in text


def test_log_filters(running_sim, azure_network, resource_group):
    azure_network.virtual_networks.begin_create_or_update(resource_group, "vnet", VNET).result()
    log = running_sim.admin("GET", "log")["entries"]
    polls = running_sim.admin("GET", "log?kind=poll&cloud=azure")["entries"]
    later = running_sim.admin("GET", "log?since=%d" % log[-2]["seq"])["entries"]
    assert polls and all(e["kind"] == "poll" for e in polls)
    assert [e["seq"] for e in later][:2] == [log[-1]["seq"], log[-1]["seq"] + 1]
    running_sim.admin("DELETE", "log")
    assert [e["path"] for e in running_sim.admin("GET", "log")["entries"]] == ["/_sim/log"]


def test_oci_calls_are_logged_as_oci(running_sim):
    client = network_client(running_sim)
    client.list_vcns(running_sim.oci_config["tenancy"])
    entry = running_sim.admin("GET", "log?cloud=oci")["entries"][-1]
    assert (entry["method"], entry["kind"], entry["status"]) == ("GET", "read", 200)


def test_state_dump_and_reset(running_sim, azure_network, resource_group):
    azure_network.virtual_networks.begin_create_or_update(resource_group, "vnet", VNET).result()
    state = running_sim.admin("GET", "state")
    assert [r["name"] for r in state["azure"]["resources"]] == ["vnet"]
    assert state["pending_transitions"] == 0
    running_sim.admin("POST", "reset")
    assert running_sim.admin("GET", "state")["azure"] == {"resourceGroups": [], "resources": []}


def test_delays_are_settable_at_run_time(running_sim):
    assert running_sim.admin("PUT", "delays", {"azure.lro": 2})["azure.lro"] == 2.0
    assert running_sim.sim.delay("azure.lro") == 2.0
    running_sim.admin("POST", "reset")
    assert running_sim.sim.delay("azure.lro") == 0.0


@pytest.mark.parametrize("changes, error", [
    ({"azure.lro": 5, "azure.lrox": 1},
     "unknown delay 'azure.lrox'; known delays: azure.lro, azure.gateway_lro, azure.retry_after, "
     "provider.accept, provider.provision, provider.deprovision, oci.lifecycle"),
    ({"azure.lro": 5, "oci.lifecycle": -1}, "delay oci.lifecycle must be a finite non-negative number"),
    ({"azure.lro": 5, "oci.lifecycle": True}, "delay oci.lifecycle must be a finite non-negative number"),
    # Python's JSON reads NaN and Infinity; a delay must still be a finite number of seconds.
    ({"azure.lro": 5, "oci.lifecycle": float("nan")}, "delay oci.lifecycle must be a finite non-negative number"),
    ({"azure.lro": 5, "oci.lifecycle": float("inf")}, "delay oci.lifecycle must be a finite non-negative number"),
])
def test_bad_delays_are_refused_and_change_nothing(running_sim, changes, error):
    with pytest.raises(urllib.error.HTTPError) as refused:
        running_sim.admin("PUT", "delays", changes)
    assert refused.value.code == 400 and json.loads(refused.value.read()) == {"error": error}
    assert running_sim.admin("GET", "delays") == {name: 0.0 for name in DELAY_NAMES}


@pytest.mark.parametrize("method, route, status", [("GET", "nothing", 404),
                                                   ("POST", "state", 405)])
def test_unknown_admin_calls(arm, running_sim, method, route, status):
    answer = arm.session.request(method, "%s/_sim/%s" % (running_sim.url, route))
    assert answer.status_code == status


# ---- the demo fixture ---------------------------------------------------------------------------

@pytest.fixture
def demo(running_sim):
    running_sim.admin("POST", "fixture", DEMO)
    return running_sim


@pytest.mark.parametrize("site, sku", [("tokyo", "ErGw3AZ"), ("london", "UltraPerformance"),
                                       ("frankfurt", "ErGw3AZ")])
def test_demo_azure_side_is_served_by_the_sdk(demo, azure_network, site, sku):
    group = "rg-interconnect-%s" % site
    gateway = azure_network.virtual_network_gateways.get(group, "ergw-%s" % site)
    subnets = {s.name: s for s in azure_network.subnets.list(group, "vnet-%s" % site)}
    assert (gateway.gateway_type, gateway.sku.name, gateway.provisioning_state) == \
        ("ExpressRoute", sku, "Succeeded")
    assert ipaddress.ip_network(subnets["GatewaySubnet"].address_prefix).prefixlen <= 27
    assert subnets["snet-workload"].network_security_group.id.endswith("nsg-%s-workload" % site)


@pytest.mark.parametrize("site, region", [("tokyo", "ap-tokyo-1"), ("london", "uk-london-1"),
                                          ("frankfurt", "eu-frankfurt-1")])
def test_demo_oci_side_is_served_by_the_sdk(demo, site, region):
    client = network_client(demo, region=region)   # each site's resources live in its region
    vcns = {v.display_name: v for v in client.list_vcns("ocid1.compartment.oc1..interconnectdemo")
            .data}
    attachments = client.list_drg_attachments("ocid1.compartment.oc1..interconnectdemo").data
    assert set(vcns) == {"vcn-%s" % site}
    assert {a.vcn_id for a in attachments} == {vcns["vcn-%s" % site].id}
    assert client.get_route_table("ocid1.routetable.oc1.%s.interconnect%s" % (region, site)).data \
        .vcn_id == vcns["vcn-%s" % site].id


def test_demo_address_spaces_do_not_overlap_between_clouds():
    azure = [ipaddress.ip_network(p) for r in DEMO["azure"]["resources"]
             for p in r["body"]["properties"].get("addressSpace", {}).get("addressPrefixes", [])]
    oci = [ipaddress.ip_network(c) for v in DEMO["oci"]["vcns"] for c in v["cidrBlocks"]]
    assert len(azure) == len(oci) == 3
    assert not any(a.overlaps(o) for a in azure for o in oci)


def test_fixture_errors_name_the_resource(arm, running_sim):
    bad = {"azure": {"resourceGroups": {"rg": {"location": "japaneast"}}, "resources": [
        {"path": "resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
         "body": {"location": "japaneast", "properties": {
             "addressSpace": {"addressPrefixes": ["10.0.0.1/16"]}}}}]}}
    answer = arm.session.post(running_sim.url + "/_sim/fixture", json=bad)
    assert answer.status_code == 400 and "virtualNetworks/vnet" in answer.json()["error"]
