"""A redundant pair with the real SDKs: two circuits into one ExpressRoute gateway, two virtual circuits on one DRG,
and a provider-side outage of one circuit's BGP (the bgp_down_circuits fault) that leaves the other carrying on."""
import json
import urllib.error

import pytest
from oci.core.models import CrossConnectMapping

from test_coupling import CIRCUIT, TENANCY, create_circuit, create_virtual_circuit, wait_circuit
from test_routes import (PEERING, VCN_CIDR, VNET_SPACE, azure_routes, azure_side, drg_with_vcn,  # noqa: F401
                         interconnect, oci_client, vcn_table_rules)

SECOND = "er-oci-2"
# The second member's own /29: 10.255.0.8/29, Oracle on the first usable address of each /30.
SECOND_MAPPINGS = [CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.9/30", customer_bgp_peering_ip="10.255.0.10/30"),
                   CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.13/30", customer_bgp_peering_ip="10.255.0.14/30")]


@pytest.fixture
def pair(oci_client, azure_network, azure_side, interconnect):  # noqa: F811
    """The interconnect fixture's circuit and virtual circuit, and a second pair of them into the same gateway and DRG."""
    drg, first = interconnect
    circuit = create_circuit(azure_network, azure_side, SECOND, 1000)
    provider = next(service for service in oci_client.list_fast_connect_provider_services(TENANCY).data
                    if service.provider_name == "Microsoft Azure")
    second = create_virtual_circuit(oci_client, provider, drg, circuit.service_key, display_name="to-azure-2",
                                    cross_connect_mappings=SECOND_MAPPINGS)
    assert wait_circuit(oci_client, second.id, "PROVISIONED").bgp_session_state == "UP"
    gateway_id = azure_network.virtual_network_gateways.get(azure_side, "ergw").id
    azure_network.virtual_network_gateway_connections.begin_create_or_update(
        azure_side, "ergw-to-oci-2", {"location": "japaneast", "properties": {
            "connectionType": "ExpressRoute", "virtualNetworkGateway1": {"id": gateway_id},
            "peer": {"id": circuit.id}}}, polling_interval=0).result()
    return drg, first, second


def attachment_of(oci_client, virtual_circuit):
    attachment, = oci_client.list_drg_attachments(TENANCY, attachment_type="VIRTUAL_CIRCUIT",
                                                  network_id=virtual_circuit.id).data
    return attachment


def learned_over(oci_client, drg, virtual_circuit):
    over = attachment_of(oci_client, virtual_circuit).id
    return [rule.destination for rule in vcn_table_rules(oci_client, drg, route_type="DYNAMIC")
            if rule.next_hop_drg_attachment_id == over]


def test_one_gateway_takes_two_circuits_and_one_drg_two_virtual_circuits(oci_client, azure_network, azure_side, pair):
    drg, first, second = pair
    connections = azure_network.virtual_network_gateway_connections.list(azure_side)
    assert sorted((connection.name, connection.provisioning_state, connection.virtual_network_gateway1.id.split("/")[-1])
                  for connection in connections) == [("ergw-to-oci", "Succeeded", "ergw"),
                                                     ("ergw-to-oci-2", "Succeeded", "ergw")]
    attachments = oci_client.list_drg_attachments(TENANCY, drg_id=drg.id, attachment_type="VIRTUAL_CIRCUIT").data
    assert sorted(attachment.network_details.id for attachment in attachments) == sorted([first.id, second.id])
    assert {attachment.lifecycle_state for attachment in attachments} == {"ATTACHED"}
    # Each circuit learns the VCN on both paths; the DRG learns the VNet over each virtual circuit.
    for circuit in (CIRCUIT, SECOND):
        for device in ("primary", "secondary"):
            routes = azure_network.express_route_circuits.begin_list_routes_table(
                azure_side, circuit, PEERING, device, polling_interval=0).result().value
            assert [route.network for route in routes] == [VCN_CIDR]
    assert learned_over(oci_client, drg, first) == VNET_SPACE
    assert learned_over(oci_client, drg, second) == VNET_SPACE


def test_one_members_bgp_goes_down_and_the_other_carries_on(oci_client, azure_network, azure_side, pair, running_sim):
    drg, first, second = pair
    running_sim.admin("PUT", "faults", {"bgp_down_circuits": [SECOND.upper()]})   # names in any case, as ARM's
    for device in ("primary", "secondary"):
        assert azure_network.express_route_circuits.begin_list_routes_table(
            azure_side, SECOND, PEERING, device, polling_interval=0).result().value == []
        assert [route.network for route in azure_routes(azure_network, azure_side, device)] == [VCN_CIDR]
    summary = azure_network.express_route_circuits.begin_list_routes_table_summary(
        azure_side, SECOND, PEERING, "primary", polling_interval=0).result().value
    assert summary[0].state_pfx_rcd == "Idle"
    assert oci_client.get_virtual_circuit(second.id).data.bgp_session_state == "DOWN"
    assert oci_client.get_virtual_circuit(first.id).data.bgp_session_state == "UP"
    assert learned_over(oci_client, drg, second) == []
    assert learned_over(oci_client, drg, first) == VNET_SPACE

    running_sim.admin("PUT", "faults", {"bgp_down_circuits": []})
    assert oci_client.get_virtual_circuit(second.id).data.bgp_session_state == "UP"
    assert learned_over(oci_client, drg, second) == VNET_SPACE
    with pytest.raises(urllib.error.HTTPError) as refused:
        running_sim.admin("PUT", "faults", {"bgp_down_circuits": [""]})
    assert refused.value.code == 400 and "bgp_down_circuits" in json.loads(refused.value.read())["error"]
