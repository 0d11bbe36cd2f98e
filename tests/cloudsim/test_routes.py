"""The routes each side learns over the interconnect's BGP sessions, read with the real SDKs:
Azure's circuit route tables (azure-mgmt-network) and OCI's DRG route tables (oci)."""
import json
import urllib.error

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from oci.core.models import (AddDrgRouteRuleDetails, AddDrgRouteRulesDetails, CreateDrgAttachmentDetails,
                             CreateDrgDetails, CreateVcnDetails, DrgAttachmentNetworkCreateDetails,
                             RemoveDrgRouteRulesDetails, UpdateVirtualCircuitDetails)

from cloudsim.oci.testing import network_client, service_error, wait_for
from test_coupling import (CIRCUIT, PLAN, TENANCY, create_circuit, create_virtual_circuit,
                           mappings, wait_circuit)

VNET_SPACE = ["10.10.0.0/16", "10.11.0.0/16"]
VCN_CIDR = "10.20.0.0/16"
PEERING = "AzurePrivatePeering"


@pytest.fixture
def oci_client(running_sim):
    return network_client(running_sim)


@pytest.fixture
def azure_side(running_sim, resource_group):
    """A VNet with an ExpressRoute gateway, the way the demo fixture has them."""
    base = "resourceGroups/%s/providers/Microsoft.Network/" % resource_group
    vnet_id = "/subscriptions/{subscriptionId}/" + base + "virtualNetworks/vnet"
    running_sim.sim.load_fixture({"azure": {"resources": [
        {"path": base + "virtualNetworks/vnet", "body": {
            "location": "japaneast", "properties": {
                "addressSpace": {"addressPrefixes": VNET_SPACE},
                "subnets": [{"name": "GatewaySubnet",
                             "properties": {"addressPrefix": "10.10.255.0/27"}}]}}},
        {"path": base + "publicIPAddresses/pip-ergw", "body": {
            "location": "japaneast", "sku": {"name": "Standard"},
            "properties": {"publicIPAllocationMethod": "Static"}}},
        {"path": base + "virtualNetworkGateways/ergw", "body": {
            "location": "japaneast", "properties": {
                "gatewayType": "ExpressRoute", "sku": {"name": "ErGw1AZ"},
                "ipConfigurations": [{"name": "default", "properties": {
                    "subnet": {"id": vnet_id + "/subnets/GatewaySubnet"},
                    "publicIPAddress": {
                        "id": "/subscriptions/{subscriptionId}/" + base + "publicIPAddresses/pip-ergw"}}}]}}}]}})
    return resource_group


@pytest.fixture
def drg_with_vcn(oci_client):
    """A DRG with a VCN attached."""
    drg = oci_client.create_drg(CreateDrgDetails(compartment_id=TENANCY)).data
    vcn = oci_client.create_vcn(CreateVcnDetails(compartment_id=TENANCY, cidr_block=VCN_CIDR)).data
    attachment = oci_client.create_drg_attachment(CreateDrgAttachmentDetails(
        drg_id=drg.id, network_details=DrgAttachmentNetworkCreateDetails(type="VCN", id=vcn.id))).data
    wait_for(lambda: oci_client.get_drg_attachment(attachment.id).data,
             lambda found: found.lifecycle_state == "ATTACHED")
    return oci_client.get_drg(drg.id).data, vcn, attachment


@pytest.fixture
def interconnect(oci_client, azure_network, azure_side, drg_with_vcn, running_sim):
    """Circuit, virtual circuit (BGP up) and the gateway connection: the routes flow."""
    drg, vcn, _attachment = drg_with_vcn
    circuit = create_circuit(azure_network, azure_side, CIRCUIT, 1000)
    provider = next(service for service in oci_client.list_fast_connect_provider_services(TENANCY).data
                    if service.provider_name == "Microsoft Azure")
    virtual_circuit = create_virtual_circuit(oci_client, provider, drg, circuit.service_key)
    assert wait_circuit(oci_client, virtual_circuit.id, "PROVISIONED").bgp_session_state == "UP"
    gateway_id = azure_network.virtual_network_gateways.get(azure_side, "ergw").id
    azure_network.virtual_network_gateway_connections.begin_create_or_update(
        azure_side, "ergw-to-oci", {"location": "japaneast", "properties": {
            "connectionType": "ExpressRoute", "virtualNetworkGateway1": {"id": gateway_id},
            "peer": {"id": circuit.id}}}, polling_interval=0).result()
    return drg, virtual_circuit


def azure_routes(azure_network, resource_group, device="primary"):
    return azure_network.express_route_circuits.begin_list_routes_table(
        resource_group, CIRCUIT, PEERING, device, polling_interval=0).result().value


def vcn_table_rules(oci_client, drg, **kwargs):
    return oci_client.list_drg_route_rules(drg.default_drg_route_tables.vcn, **kwargs).data


def test_a_new_drg_has_the_auto_generated_tables_and_distributions(oci_client, drg_with_vcn):
    drg, _vcn, attachment = drg_with_vcn
    defaults = drg.default_drg_route_tables
    assert defaults.vcn != defaults.virtual_circuit
    assert defaults.virtual_circuit == defaults.ipsec_tunnel == defaults.remote_peering_connection
    tables = {table.id: table for table in oci_client.list_drg_route_tables(drg.id).data}
    assert set(tables) == {defaults.vcn, defaults.virtual_circuit}
    assert oci_client.get_drg_route_table(defaults.vcn).data.display_name == \
        "Autogenerated Drg Route Table for VCN attachments"
    distributions = {d.id: d for d in oci_client.list_drg_route_distributions(drg.id).data}
    export = distributions[drg.default_export_drg_route_distribution_id]
    assert export.distribution_type == "EXPORT"
    import_all = tables[defaults.vcn].import_drg_route_distribution_id
    statements = oci_client.list_drg_route_distribution_statements(import_all).data
    assert [criteria.match_type for statement in statements
            for criteria in statement.match_criteria] == ["MATCH_ALL"]
    assert oci_client.get_drg_attachment(attachment.id).data.drg_route_table_id == defaults.vcn


def test_routes_flow_both_ways_once_the_interconnect_is_up(oci_client, azure_network, interconnect,
                                                           azure_side):
    drg, virtual_circuit = interconnect
    for device in ("primary", "secondary"):
        routes = azure_routes(azure_network, azure_side, device)
        assert [(route.network, route.path) for route in routes] == [(VCN_CIDR, "31898")]
        assert routes[0].next_hop == PLAN[device][1].split("/", 1)[0]
    summary = azure_network.express_route_circuits.begin_list_routes_table_summary(
        azure_side, CIRCUIT, PEERING, "primary", polling_interval=0).result().value
    assert [(entry.as_property, entry.state_pfx_rcd) for entry in summary] == [(31898, "1")]
    arp = azure_network.express_route_circuits.begin_list_arp_table(
        azure_side, CIRCUIT, PEERING, "secondary", polling_interval=0).result().value
    assert {entry.interface for entry in arp} == {"On-Prem", "Microsoft"}
    assert azure_network.express_route_circuits.get_stats(azure_side, CIRCUIT).primarybytes_in == 0
    assert azure_network.express_route_circuits.get_peering_stats(
        azure_side, CIRCUIT, PEERING).secondarybytes_out == 0

    vc_attachment, = oci_client.list_drg_attachments(
        TENANCY, attachment_type="VIRTUAL_CIRCUIT", network_id=virtual_circuit.id).data
    assert vc_attachment.network_details.type == "VIRTUAL_CIRCUIT"
    assert vc_attachment.drg_route_table_id == drg.default_drg_route_tables.virtual_circuit
    learned = [(rule.destination, rule.route_provenance) for rule in
               vcn_table_rules(oci_client, drg, route_type="DYNAMIC")
               if rule.next_hop_drg_attachment_id == vc_attachment.id]
    assert learned == [(prefix, "VIRTUAL_CIRCUIT") for prefix in VNET_SPACE]
    assert vcn_table_rules(oci_client, drg, route_type="STATIC") == []
    vc_rules = oci_client.list_drg_route_rules(drg.default_drg_route_tables.virtual_circuit).data
    assert [rule.destination for rule in vc_rules] == [VCN_CIDR]   # VCN routes only


def test_static_rules_beside_the_learned_ones(oci_client, interconnect):
    drg, virtual_circuit = interconnect
    table = drg.default_drg_route_tables.vcn
    vc_attachment, = oci_client.list_drg_attachments(TENANCY, attachment_type="VIRTUAL_CIRCUIT",
                                                     network_id=virtual_circuit.id).data
    added = oci_client.add_drg_route_rules(table, AddDrgRouteRulesDetails(route_rules=[AddDrgRouteRuleDetails(
        destination_type="CIDR_BLOCK", destination=VNET_SPACE[0], next_hop_drg_attachment_id=vc_attachment.id)])).data
    assert [(rule.route_type, rule.route_provenance) for rule in added] == [("STATIC", "STATIC")]
    static = vcn_table_rules(oci_client, drg, route_type="STATIC")
    assert [(rule.destination, rule.is_blackhole) for rule in static] == [(VNET_SPACE[0], False)]
    conflicts = {rule.destination: rule.is_conflict for rule in vcn_table_rules(oci_client, drg, route_type="DYNAMIC")}
    assert conflicts == {VNET_SPACE[0]: True, VNET_SPACE[1]: False, VCN_CIDR: False}
    assert service_error(lambda: oci_client.add_drg_route_rules(table, AddDrgRouteRulesDetails(route_rules=[
        AddDrgRouteRuleDetails(destination_type="CIDR_BLOCK", destination="10.0.0.1/8",
                               next_hop_drg_attachment_id=vc_attachment.id)]))).status == 400

    oci_client.remove_drg_route_rules(table, RemoveDrgRouteRulesDetails(route_rule_ids=[added[0].id]))
    assert vcn_table_rules(oci_client, drg, route_type="STATIC") == []


def test_attachment_type_defaults_to_vcn(oci_client, interconnect):
    drg, _virtual_circuit = interconnect
    by_default = oci_client.list_drg_attachments(TENANCY, drg_id=drg.id).data
    assert [a.network_details.type for a in by_default] == ["VCN"]
    every = oci_client.list_drg_attachments(TENANCY, drg_id=drg.id, attachment_type="ALL").data
    assert sorted(a.network_details.type for a in every) == ["VCN", "VIRTUAL_CIRCUIT"]
    assert service_error(lambda: oci_client.delete_drg_attachment(
        next(a.id for a in every if a.network_details.type == "VIRTUAL_CIRCUIT"))).status == 409


def test_routes_go_when_bgp_goes_down(oci_client, azure_network, interconnect, azure_side):
    drg, virtual_circuit = interconnect
    swapped = mappings(oracle_index=2, customer_index=1)   # the two ends no longer agree
    oci_client.update_virtual_circuit(virtual_circuit.id, UpdateVirtualCircuitDetails(
        cross_connect_mappings=swapped))
    # Re-provisioned (new addresses), and still DOWN: the two ends disagree.
    assert wait_for(lambda: oci_client.get_virtual_circuit(virtual_circuit.id).data,
                    lambda circuit: circuit.lifecycle_state == "PROVISIONED").bgp_session_state == "DOWN"
    assert azure_routes(azure_network, azure_side) == []
    summary = azure_network.express_route_circuits.begin_list_routes_table_summary(
        azure_side, CIRCUIT, PEERING, "primary", polling_interval=0).result().value
    assert summary[0].state_pfx_rcd == "Idle"
    assert [rule.destination for rule in vcn_table_rules(oci_client, drg)] == [VCN_CIDR]


def test_a_provider_outage_of_one_path_takes_only_its_routes(oci_client, azure_network, interconnect, azure_side,
                                                             running_sim):
    dummy_drg, virtual_circuit = interconnect
    running_sim.admin("PUT", "faults", {"bgp_down_paths": ["secondary"]})
    assert [route.network for route in azure_routes(azure_network, azure_side, "primary")] == [VCN_CIDR]
    assert azure_routes(azure_network, azure_side, "secondary") == []
    summary = azure_network.express_route_circuits.begin_list_routes_table_summary(
        azure_side, CIRCUIT, PEERING, "secondary", polling_interval=0).result().value
    assert summary[0].state_pfx_rcd == "Idle"
    running_sim.admin("PUT", "faults", {"bgp_down_paths": ["primary", "secondary"]})
    assert azure_routes(azure_network, azure_side, "primary") == []
    assert oci_client.get_virtual_circuit(virtual_circuit.id).data.bgp_session_state == "DOWN"
    running_sim.admin("PUT", "faults", {"bgp_down_paths": []})
    assert [route.network for route in azure_routes(azure_network, azure_side, "secondary")] == [VCN_CIDR]
    assert oci_client.get_virtual_circuit(virtual_circuit.id).data.bgp_session_state == "UP"
    with pytest.raises(urllib.error.HTTPError) as refused:
        running_sim.admin("PUT", "faults", {"bgp_down_paths": ["tertiary"]})
    assert refused.value.code == 400 and "bgp_down_paths" in json.loads(refused.value.read())["error"]


def test_routes_go_with_the_virtual_circuit(oci_client, azure_network, interconnect, azure_side):
    drg, virtual_circuit = interconnect
    oci_client.delete_virtual_circuit(virtual_circuit.id)
    wait_circuit(oci_client, virtual_circuit.id, "TERMINATED")
    assert [rule.destination for rule in vcn_table_rules(oci_client, drg)] == [VCN_CIDR]
    attachments = oci_client.list_drg_attachments(TENANCY, attachment_type="VIRTUAL_CIRCUIT").data
    assert [a.lifecycle_state for a in attachments] == ["DETACHED"]
    with pytest.raises(HttpResponseError):   # the provider took the peering back
        azure_routes(azure_network, azure_side)


def test_a_bad_device_path_is_refused(azure_network, interconnect, azure_side):
    with pytest.raises(HttpResponseError) as refused:
        azure_routes(azure_network, azure_side, device="tertiary")
    assert refused.value.status_code == 400


def arm_get(azure_network, path):
    """A GET through the SDK's own pipeline (token, retries), for APIs azure-mgmt-network has no
    operation for (azure-mgmt-resource is not installed)."""
    response = azure_network.send_request(HttpRequest("GET", path, params={"api-version": "2022-12-01"}))
    response.raise_for_status()
    return response.json()


def test_subscriptions_list_and_get(azure_network, running_sim):
    subscription = running_sim.sim.config.azure_subscription_id
    listed = arm_get(azure_network, "/subscriptions")["value"]
    assert [entry["subscriptionId"] for entry in listed] == [subscription]
    assert arm_get(azure_network, "/subscriptions/" + subscription)["state"] == "Enabled"


@pytest.mark.parametrize("scope", ["", "/subscriptions/{subscription}"])
def test_the_network_provider_lists_its_resource_types(azure_network, running_sim, scope):
    path = scope.format(subscription=running_sim.sim.config.azure_subscription_id)
    provider = arm_get(azure_network, path + "/providers/Microsoft.Network")
    types = {entry["resourceType"]: entry["apiVersions"] for entry in provider["resourceTypes"]}
    assert "2026-03-01" in types["expressRouteCircuits"]
    assert {"expressRouteCircuits/peerings", "virtualNetworks/subnets", "connections",
            "locations/operations"} <= set(types)
    assert ("registrationState" in provider) == bool(scope)
