# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's OCI client against cloudsim: behaviours only a real server shows, the modules run
in-process with the real oci SDK.

fastconnect_virtual_circuit never makes a second circuit of a name:

- A retried create: the connection of the first create is dropped after cloudsim has processed it
  (the answer never arrives), so our retry policy sends the create again; the one retry token of
  the run makes cloudsim answer with the first circuit.
- Two circuits already carrying the name (made outside the module): the module refuses to guess.

oci_route_rules writes under if-match: when another writer changes the route table between the
module's read and its write (412), the module reads again, merges again and keeps the other change.
fastconnect_virtual_circuit does the same for a circuit: after a 412 it recomputes its update from
the circuit read again, so what the other writer changed away from the request is put back, and
what it already set as requested is not written again.
"""

import json
import os
import sys

import pytest
from ansible.module_utils.testing import patch_module_args
from oci._vendor.requests.exceptions import ConnectionError as RequestsConnectionError
from oci.core.models import (
    CreateVirtualCircuitDetails,
    CrossConnectMapping,
    RouteRule,
    UpdateRouteTableDetails,
    UpdateVirtualCircuitDetails,
)

from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci as oci_utils
from ansible_collections.crosscloud.interconnect.plugins.modules import fastconnect_virtual_circuit, oci_route_rules

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from cloudsim.oci.testing import network_client  # noqa: E402  (needs the repository root on the path)
from cloudsim.server import start  # noqa: E402

COMPARTMENT = "ocid1.compartment.oc1..retrytoken"
DRG = "ocid1.drg.oc1.ap-tokyo-1.retrytoken"
OTHER_DRG = "ocid1.drg.oc1.ap-tokyo-1.other"
VCN = "ocid1.vcn.oc1.ap-tokyo-1.retrytoken"
NAT = "ocid1.natgateway.oc1.ap-tokyo-1.retrytoken"
ROUTE_TABLE = "ocid1.routetable.oc1.ap-tokyo-1.retrytoken"
EXPRESSROUTE_CIRCUITS = ("er-retry", "er-duplicate-1", "er-duplicate-2", "er-race-revert", "er-race-same")
MAPPINGS = [{"oracle_ip": "10.255.0.1/30", "customer_ip": "10.255.0.2/30"},
            {"oracle_ip": "10.255.0.5/30", "customer_ip": "10.255.0.6/30"}]
FIXTURE = {
    "azure": {
        "resourceGroups": {"rg-retry": {"location": "japaneast"}},
        "resources": [{
            "path": "resourceGroups/rg-retry/providers/Microsoft.Network/expressRouteCircuits/%s" % name,
            "body": {"location": "japaneast",
                     "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
                     "properties": {"serviceProviderProperties": {
                         "serviceProviderName": "Oracle Cloud FastConnect", "peeringLocation": "Tokyo",
                         "bandwidthInMbps": 1000}}}} for name in EXPRESSROUTE_CIRCUITS],
    },
    "oci": {
        "compartments": [{"id": COMPARTMENT, "name": "retrytoken"}],
        "vcns": [{"id": VCN, "compartmentId": COMPARTMENT, "displayName": "vcn-retry", "cidrBlocks": ["10.20.0.0/16"]}],
        "drgs": [{"id": DRG, "compartmentId": COMPARTMENT, "displayName": "drg-retry"},
                 {"id": OTHER_DRG, "compartmentId": COMPARTMENT, "displayName": "drg-other"}],
        "drgAttachments": [{"id": "ocid1.drgattachment.oc1.ap-tokyo-1.retry", "drgId": DRG, "vcnId": VCN}],
        "routeTables": [{"id": ROUTE_TABLE, "compartmentId": COMPARTMENT, "vcnId": VCN, "displayName": "rt-retry",
                         "routeRules": [{"destination": "0.0.0.0/0", "destinationType": "CIDR_BLOCK",
                                         "networkEntityId": NAT}]}],
    },
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    running = start(state_dir=tmp_path_factory.mktemp("cloudsim"))
    running.sim.load_fixture(FIXTURE)
    yield running
    running.stop()


@pytest.fixture
def service_keys(sim, monkeypatch):
    """The service keys of the fixture's ExpressRoute circuits by name; the module's environment set."""
    for name, value in sim.env.items():
        monkeypatch.setenv(name, value)
    keys = dict((resource["name"], resource["properties"]["serviceKey"])
                for resource in sim.admin("GET", "state")["azure"]["resources"]
                if resource["name"] in EXPRESSROUTE_CIRCUITS)
    assert sorted(keys) == sorted(EXPRESSROUTE_CIRCUITS) and all(keys.values())
    return keys


@pytest.fixture
def drop_first_create_answer(monkeypatch):
    """Make the client drop the connection of the first create after the server processed it."""
    sent = []
    make_client = oci_utils.virtual_network_client

    def client_dropping_first_answer(params):
        client = make_client(params)
        session = client.base_client.session
        send = session.send

        def send_then_drop(request, **kwargs):
            response = send(request, **kwargs)
            if request.method == "POST" and request.path_url.endswith("/virtualCircuits"):
                sent.append(request.headers.get("opc-retry-token"))
                if len(sent) == 1:
                    raise RequestsConnectionError("connection dropped after the create was processed")
            return response

        session.send = send_then_drop
        return client

    monkeypatch.setattr(oci_utils, "virtual_network_client", client_dropping_first_answer)
    # The server's answer is slow to arrive, not absent: keep the back-off short for the test.
    monkeypatch.setattr(oci_utils, "RETRY_BASE_SLEEP_SECONDS", 0.1)
    return sent


def run_module(args, capsys, module=fastconnect_virtual_circuit):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def test_retried_create_makes_one_circuit(sim, service_keys, capsys, drop_first_create_answer):
    sim.admin("DELETE", "log")

    result = run_module(dict(
        compartment_id=COMPARTMENT, display_name="vc-retry", service_key=service_keys["er-retry"], gateway_id=DRG,
        bandwidth_shape="1 Gbps", wait_for=[], cross_connect_mappings=MAPPINGS), capsys)

    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    # Two creates went out, with the same token: the retry really happened, and was idempotent.
    assert len(drop_first_create_answer) == 2
    assert drop_first_create_answer[0] and drop_first_create_answer[0] == drop_first_create_answer[1]
    creates = [entry for entry in sim.admin("GET", "log")["entries"]
               if entry["method"] == "POST" and entry["path"].endswith("/virtualCircuits")]
    assert [entry["status"] for entry in creates] == [200, 200]
    circuits = network_client(sim).list_virtual_circuits(COMPARTMENT, display_name="vc-retry").data
    assert [circuit.id for circuit in circuits] == [result["virtual_circuit"]["id"]]


def sdk_mappings(mappings):
    return [CrossConnectMapping(oracle_bgp_peering_ip=m["oracle_ip"], customer_bgp_peering_ip=m["customer_ip"])
            for m in mappings]


def create_circuit(sim, display_name, service_key):
    """A virtual circuit made outside the module (on DRG, with MAPPINGS); returns its id."""
    client = network_client(sim)
    provider = next(service for service in client.list_fast_connect_provider_services(COMPARTMENT).data
                    if service.provider_name == "Microsoft Azure")
    return client.create_virtual_circuit(CreateVirtualCircuitDetails(
        compartment_id=COMPARTMENT, type="PRIVATE", display_name=display_name, provider_service_id=provider.id,
        provider_service_key_name=service_key, gateway_id=DRG, bandwidth_shape_name="1 Gbps",
        cross_connect_mappings=sdk_mappings(MAPPINGS))).data.id


def test_two_circuits_with_the_name_are_refused(sim, service_keys, capsys):
    for circuit in ("er-duplicate-1", "er-duplicate-2"):
        create_circuit(sim, "vc-twice", service_keys[circuit])
    sim.admin("DELETE", "log")

    result = run_module(dict(
        compartment_id=COMPARTMENT, display_name="vc-twice", service_key=service_keys["er-retry"], gateway_id=DRG,
        cross_connect_mappings=MAPPINGS), capsys)

    assert result["failed"] is True
    assert result["msg"].startswith("2 virtual circuits are named vc-twice in compartment %s" % COMPARTMENT)
    assert [entry["method"] for entry in sim.admin("GET", "log")["entries"] if entry["cloud"] == "oci"] == ["GET"]


def racing_another_writer(sim, monkeypatch, resource_path, other_write):
    """Make the module's client let another writer run ``other_write(client)`` just before the
    module's first PUT of ``resource_path`` (such as ``/routeTables/<id>``), so that PUT meets a
    stale etag; returns ``(if-match, body)`` of each of the module's PUTs there."""
    other_writer = network_client(sim)
    make_client = oci_utils.virtual_network_client
    puts = []

    def client_racing_another_writer(params):
        client = make_client(params)
        session = client.base_client.session
        send = session.send

        def write_elsewhere_first(request, **kwargs):
            if request.method == "PUT" and request.path_url.endswith(resource_path):
                puts.append((request.headers.get("if-match"), json.loads(request.body)))
                if len(puts) == 1:
                    other_write(other_writer)
            return send(request, **kwargs)

        session.send = write_elsewhere_first
        return client

    monkeypatch.setattr(oci_utils, "virtual_network_client", client_racing_another_writer)
    return puts


def test_route_rules_merge_again_after_a_concurrent_write(sim, service_keys, monkeypatch, capsys):
    def add_a_route(client):
        table = client.get_route_table(ROUTE_TABLE).data
        client.update_route_table(ROUTE_TABLE, UpdateRouteTableDetails(route_rules=table.route_rules + [
            RouteRule(destination="192.168.0.0/16", destination_type="CIDR_BLOCK", network_entity_id=NAT)]))

    puts = racing_another_writer(sim, monkeypatch, "/routeTables/" + ROUTE_TABLE, add_a_route)

    result = run_module(dict(route_table_ids=[ROUTE_TABLE], cidrs=["10.10.0.0/16"], network_entity_id=DRG),
                        capsys, oci_route_rules)

    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    assert len(puts) == 2 and puts[0][0] != puts[1][0]  # the first under the stale etag, the second under the new
    rules = [(rule.destination, rule.network_entity_id) for rule in network_client(sim).get_route_table(ROUTE_TABLE).data.route_rules]
    assert rules == [("0.0.0.0/0", NAT), ("192.168.0.0/16", NAT), ("10.10.0.0/16", DRG)]


def move_gateway(service_key, display_name, capsys):
    return run_module(dict(compartment_id=COMPARTMENT, display_name=display_name, service_key=service_key,
                           gateway_id=OTHER_DRG, bandwidth_shape="1 Gbps", cross_connect_mappings=MAPPINGS,
                           wait_for=[]), capsys)


def test_a_circuit_update_after_a_412_puts_back_what_the_other_writer_changed(sim, service_keys, monkeypatch, capsys):
    circuit_id = create_circuit(sim, "vc-race-revert", service_keys["er-race-revert"])
    others = [{"oracle_ip": "10.254.0.1/30", "customer_ip": "10.254.0.2/30"},
              {"oracle_ip": "10.254.0.5/30", "customer_ip": "10.254.0.6/30"}]
    puts = racing_another_writer(sim, monkeypatch, "/virtualCircuits/" + circuit_id, lambda client: client.update_virtual_circuit(
        circuit_id, UpdateVirtualCircuitDetails(cross_connect_mappings=sdk_mappings(others))))

    result = move_gateway(service_keys["er-race-revert"], "vc-race-revert", capsys)

    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    # The first PUT (refused: stale etag) asked only for the gateway; the second, recomputed from the
    # circuit read again, also puts the requested mappings back.
    assert len(puts) == 2 and puts[0][0] != puts[1][0]
    assert sorted(puts[0][1]) == ["gatewayId"] and sorted(puts[1][1]) == ["crossConnectMappings", "gatewayId"]
    circuit = network_client(sim).get_virtual_circuit(circuit_id).data
    assert circuit.gateway_id == OTHER_DRG
    assert sorted(m.oracle_bgp_peering_ip for m in circuit.cross_connect_mappings) == ["10.255.0.1/30", "10.255.0.5/30"]
    assert result["virtual_circuit"]["gateway_id"] == OTHER_DRG


def test_a_circuit_update_after_a_412_writes_nothing_the_other_writer_already_did(sim, service_keys, monkeypatch, capsys):
    circuit_id = create_circuit(sim, "vc-race-same", service_keys["er-race-same"])
    puts = racing_another_writer(sim, monkeypatch, "/virtualCircuits/" + circuit_id, lambda client: client.update_virtual_circuit(
        circuit_id, UpdateVirtualCircuitDetails(gateway_id=OTHER_DRG)))

    result = move_gateway(service_keys["er-race-same"], "vc-race-same", capsys)

    assert result.get("failed") is not True, result.get("msg")
    assert len(puts) == 1  # only the refused one: the circuit read again lacked nothing
    assert result["virtual_circuit"]["gateway_id"] == OTHER_DRG
    assert network_client(sim).get_virtual_circuit(circuit_id).data.gateway_id == OTHER_DRG
