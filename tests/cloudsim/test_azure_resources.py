"""ARM resources with the real azure-mgmt-network client: create/get/delete of each type, the
long-running-operation protocol, validation errors and provider coupling."""
import re

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from cloudsim.azure.testing import make_network_client

LOCATION = "japaneast"


def circuit_body(mbps=1000, location="Tokyo", sku="Standard_MeteredData",
                 provider="Oracle Cloud FastConnect"):
    return {"location": LOCATION, "sku": {"name": sku},
            "properties": {"serviceProviderProperties": {
                "serviceProviderName": provider, "peeringLocation": location,
                "bandwidthInMbps": mbps}}}


def vnet_body(*subnets, space="10.10.0.0/16"):
    return {"location": LOCATION, "properties": {
        "addressSpace": {"addressPrefixes": [space]},
        "subnets": [{"name": name, "properties": {"addressPrefix": prefix}}
                    for name, prefix in subnets]}}


def gateway_body(subnet_id, gateway_type="ExpressRoute", sku="ErGw3AZ", public_ip="pip-1"):
    """A gateway in the subnet's VNet, with the public IP of that name in the same group (the
    gateway_subnet_id fixture makes pip-1, a Standard one)."""
    group_id = subnet_id.split("/providers/")[0]
    pip_id = "%s/providers/Microsoft.Network/publicIPAddresses/%s" % (group_id, public_ip)
    return {"location": LOCATION, "properties": {
        "gatewayType": gateway_type, "sku": {"name": sku, "tier": sku},
        "ipConfigurations": [{"name": "default", "properties": {
            "subnet": {"id": subnet_id}, "publicIPAddress": {"id": pip_id}}}]}}


def public_ip_body(sku="Standard", method="Static"):
    body = {"location": LOCATION, "sku": {"name": sku},
            "properties": {"publicIPAllocationMethod": method}}
    if method is None:
        del body["properties"]["publicIPAllocationMethod"]
    return body


PEERING = {"properties": {"peeringType": "AzurePrivatePeering", "peerASN": 31898, "vlanId": 100,
                          "primaryPeerAddressPrefix": "10.255.0.0/30",
                          "secondaryPeerAddressPrefix": "10.255.0.4/30"}}
MAPPINGS = [{"oracle_ip": "10.255.0.1/30", "customer_ip": "10.255.0.2/30"},
            {"oracle_ip": "10.255.0.5/30", "customer_ip": "10.255.0.6/30"}]


def create(operations, *args):
    return operations.begin_create_or_update(*args).result()


def error_code(call):
    with pytest.raises(HttpResponseError) as raised:
        call()
    return raised.value.error.code


@pytest.fixture
def circuit(azure_network, resource_group):
    return create(azure_network.express_route_circuits, resource_group, "er-1", circuit_body())


@pytest.fixture
def provisioned(running_sim, circuit):
    """The circuit as the provider leaves it once FastConnect is up (peering included)."""
    running_sim.sim.azure.set_provider_state(circuit.service_key, "Provisioned", MAPPINGS)
    return circuit


@pytest.fixture
def gateway_subnet_id(azure_network, resource_group):
    vnet = create(azure_network.virtual_networks, resource_group, "vnet-1",
                  vnet_body(("GatewaySubnet", "10.10.255.0/27"), ("work", "10.10.1.0/24")))
    create(azure_network.public_ip_addresses, resource_group, "pip-1", public_ip_body())
    return next(s.id for s in vnet.subnets if s.name == "GatewaySubnet")


@pytest.fixture
def er_gateway(azure_network, resource_group, gateway_subnet_id):
    return create(azure_network.virtual_network_gateways, resource_group, "ergw-1",
                  gateway_body(gateway_subnet_id))


# ---- the catalogue ------------------------------------------------------------------------------

def test_service_providers_offer_oracle_with_the_region_table_locations(azure_network):
    providers = {p.name: p for p in azure_network.express_route_service_providers.list()}
    oracle = providers["Oracle Cloud FastConnect"]
    assert {"Tokyo", "London", "Frankfurt2", "Washington DC", "Silicon Valley"} <= \
        set(oracle.peering_locations)
    assert [b.value_in_mbps for b in oracle.bandwidths_offered] == [1000, 2000, 5000, 10000]
    assert len(providers) > 1


# ---- circuits: LRO protocol and first-response quirks --------------------------------------------

def test_circuit_first_response_then_operation_fills_in(azure_network, resource_group, arm):
    first = azure_network.express_route_circuits.begin_create_or_update(
        resource_group, "er-1", circuit_body(), polling=False).result()
    assert first.provisioning_state == "Updating"
    assert first.service_key == "00000000-0000-0000-0000-000000000000"
    assert first.circuit_provisioning_state == "Disabled" and first.stag is None
    final = azure_network.express_route_circuits.get(resource_group, "er-1")
    assert final.provisioning_state == "Succeeded"
    assert final.circuit_provisioning_state == "Enabled"
    assert final.service_key != first.service_key and final.stag
    assert final.service_provider_provisioning_state == "NotProvisioned"
    assert final.etag != first.etag and final.etag.startswith('W/"')


def test_circuit_get_carries_resource_guid_and_global_reach_flags(azure_network, arm,
                                                                  resource_group, circuit):
    # As a recorded real GET (api-version 2021-08-01) carries them; the SDK model has neither
    # resourceGuid nor allowGlobalReach, so the raw body is checked, and the SDK still reads it.
    props = arm.request("GET", circuit.id).json()["properties"]
    assert (props["allowGlobalReach"], props["globalReachEnabled"]) == (False, False)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                        props["resourceGuid"])
    again = create(azure_network.express_route_circuits, resource_group, "er-1",
                   circuit_body(mbps=2000))
    assert again.global_reach_enabled is False
    after = arm.request("GET", circuit.id).json()["properties"]
    assert (after["resourceGuid"], after["allowGlobalReach"]) == (props["resourceGuid"], False)


def test_put_answers_201_then_200_with_an_absolute_async_operation(arm, resource_group):
    path = arm.subscription_path("/resourceGroups/%s/providers/Microsoft.Network/"
                                 "expressRouteCircuits/er-raw" % resource_group)
    created = arm.request("PUT", path, json=circuit_body())
    poll = arm.session.get(created.headers["Azure-AsyncOperation"], headers=arm.bearer())
    updated = arm.request("PUT", path, json=circuit_body(mbps=2000))
    assert created.status_code == 201 and updated.status_code == 200
    assert created.headers["Azure-AsyncOperation"].startswith(arm.running.url + "/subscriptions/")
    assert "api-version=2024-05-01" in created.headers["Azure-AsyncOperation"]
    assert poll.json()["status"] == "Succeeded"


def test_delete_answers_202_with_operation_headers_then_404(azure_network, arm, resource_group,
                                                            circuit):
    deleted = arm.request("DELETE", circuit.id)
    assert deleted.status_code == 202 and not deleted.content
    assert {"Azure-AsyncOperation", "Location"} <= set(deleted.headers)
    assert arm.session.get(deleted.headers["Location"], headers=arm.bearer()).status_code == 204
    with pytest.raises(ResourceNotFoundError):
        azure_network.express_route_circuits.get(resource_group, "er-1")
    assert arm.request("DELETE", circuit.id).status_code == 204


def test_operation_in_progress_is_polled_until_done(azure_network, resource_group, running_sim):
    running_sim.admin("PUT", "delays", {"azure.lro": 0.3})
    circuit = create(azure_network.express_route_circuits, resource_group, "er-slow",
                     circuit_body())
    polls = list(running_sim.admin("GET", "log?kind=poll")["entries"])
    assert circuit.provisioning_state == "Succeeded"
    assert len(polls) > 1


def test_writes_while_an_operation_runs_are_refused(arm, resource_group, running_sim):
    running_sim.admin("PUT", "delays", {"azure.lro": 30})
    path = arm.subscription_path("/resourceGroups/%s/providers/Microsoft.Network/"
                                 "expressRouteCircuits/er-busy" % resource_group)
    arm.request("PUT", path, json=circuit_body())
    again = arm.request("PUT", path, json=circuit_body())
    assert again.status_code == 429 and "Retry-After" in again.headers
    assert again.json()["error"]["code"] == "AnotherOperationInProgress"


@pytest.mark.parametrize("retry_after, sometimes, always", [(0, None, "1"), (2, "2", "2")])
def test_retry_after_of_operation_answers(arm, resource_group, running_sim, retry_after,
                                          sometimes, always):
    """azure.retry_after on the PUT answer and the status poll (none when 0); the busy refusal
    and the 202 of operationResults always carry one, at least 1 s."""
    running_sim.admin("PUT", "delays", {"azure.lro": 30, "azure.retry_after": retry_after})
    path = arm.subscription_path("/resourceGroups/%s/providers/Microsoft.Network/"
                                 "expressRouteCircuits/er-retry" % resource_group)
    created = arm.request("PUT", path, json=circuit_body())
    status_url = created.headers["Azure-AsyncOperation"]
    status = arm.session.get(status_url, headers=arm.bearer())
    result = arm.session.get(status_url.replace("/operations/", "/operationResults/"),
                             headers=arm.bearer())
    busy = arm.request("PUT", path, json=circuit_body())
    assert (created.status_code, status.status_code, result.status_code, busy.status_code) == \
        (201, 200, 202, 429)
    assert created.headers.get("Retry-After") == sometimes
    assert status.headers.get("Retry-After") == sometimes
    assert result.headers.get("Retry-After") == always and busy.headers["Retry-After"] == always


def test_names_paths_and_enums_are_case_insensitive(azure_network, arm, resource_group, circuit):
    lower = arm.request("GET", circuit.id.lower().replace("/providers/microsoft.network/",
                                                          "/PROVIDERS/microsoft.NETWORK/"))
    assert lower.status_code == 200 and lower.json()["name"] == "er-1"
    odd = create(azure_network.express_route_circuits, resource_group, "ER-odd",
                 circuit_body(sku="standard_metereddata", location="tokyo",
                              provider="ORACLE cloud fastconnect"))
    assert (odd.sku.name, odd.sku.tier, odd.sku.family) == \
        ("Standard_MeteredData", "Standard", "MeteredData")
    assert odd.service_provider_properties.peering_location == "Tokyo"
    assert azure_network.express_route_circuits.get(resource_group.upper(), "er-ODD").name == \
        "ER-odd"


def test_another_api_version_is_served(running_sim, resource_group, azure_credential):
    old_client = make_network_client(running_sim, azure_credential, api_version="2020-07-01")
    circuit = create(old_client.express_route_circuits, resource_group, "er-old", circuit_body())
    assert circuit.provisioning_state == "Succeeded"


def test_lists_have_no_next_link(azure_network, arm, resource_group, circuit):
    listed = arm.request("GET", arm.subscription_path(
        "/resourceGroups/%s/providers/Microsoft.Network/expressRouteCircuits" % resource_group))
    assert listed.json().keys() == {"value"}
    assert [c.name for c in azure_network.express_route_circuits.list(resource_group)] == ["er-1"]
    assert [c.name for c in azure_network.express_route_circuits.list_all()] == ["er-1"]


def test_tags_patch_changes_the_etag(azure_network, resource_group, circuit):
    tagged = azure_network.express_route_circuits.update_tags(resource_group, "er-1",
                                                              {"tags": {"team": "net"}})
    assert tagged.tags == {"team": "net"} and tagged.etag != circuit.etag


def test_if_match_guards_concurrent_writers(arm, circuit):
    stale = arm.request("PUT", circuit.id, json=circuit_body(), headers={"If-Match": 'W/"old"'})
    assert (stale.status_code, stale.json()["error"]["code"]) == (412, "PreconditionFailed")


# ---- resource groups ----------------------------------------------------------------------------

def test_missing_resource_group_is_reported_as_such(azure_network):
    with pytest.raises(ResourceNotFoundError) as raised:
        azure_network.express_route_circuits.get("rg-missing", "er-1")
    assert raised.value.error.code == "ResourceGroupNotFound"


def test_resource_group_get_put_head(arm):
    path = arm.subscription_path("/resourcegroups/rg-new")
    assert arm.request("HEAD", path).status_code == 404
    assert arm.request("PUT", path, json={"location": "UK South"}).status_code == 201
    assert arm.request("HEAD", path).status_code == 204
    group = arm.request("GET", path.upper().replace("/SUBSCRIPTIONS", "/subscriptions")).json()
    assert (group["name"], group["location"]) == ("rg-new", "uksouth")


def test_resource_group_delete_takes_its_resources(azure_network, arm, resource_group, circuit):
    assert arm.request("DELETE", arm.subscription_path("/resourcegroups/" + resource_group)) \
        .status_code == 200
    assert arm.request("GET", circuit.id).json()["error"]["code"] == "ResourceGroupNotFound"
    assert list(azure_network.express_route_circuits.list_all()) == []


def test_missing_resource_is_resource_not_found(azure_network, resource_group):
    with pytest.raises(ResourceNotFoundError) as raised:
        azure_network.virtual_networks.get(resource_group, "nope")
    assert raised.value.error.code == "ResourceNotFound"


# ---- circuit validation -------------------------------------------------------------------------

@pytest.mark.parametrize("body, code", [
    (circuit_body(location="Atlantis"), "InvalidPeeringLocation"),
    (circuit_body(mbps=3000), "InvalidBandwidth"),
    (circuit_body(provider="Nobody"), "InvalidRequestFormat"),
    (circuit_body(sku="Local_MeteredData"), "LocalSkuRequiresUnlimitedData"),
    ({"sku": {"name": "Standard_MeteredData"}, "properties": circuit_body()["properties"]},
     "LocationRequired"),
])
def test_invalid_circuits_are_refused(azure_network, resource_group, body, code):
    assert error_code(lambda: create(azure_network.express_route_circuits, resource_group,
                                     "er-bad", body)) == code


def test_circuit_bandwidth_cannot_decrease(azure_network, resource_group):
    create(azure_network.express_route_circuits, resource_group, "er-2", circuit_body(mbps=2000))
    assert error_code(lambda: create(azure_network.express_route_circuits, resource_group,
                                     "er-2", circuit_body(mbps=1000))) == \
        "CircuitBandwidthDecreaseNotAllowed"
    upgraded = create(azure_network.express_route_circuits, resource_group, "er-2",
                      circuit_body(mbps=5000))
    assert upgraded.service_provider_properties.bandwidth_in_mbps == 5000


def test_unlimited_cannot_go_back_to_metered(azure_network, resource_group):
    create(azure_network.express_route_circuits, resource_group, "er-3",
           circuit_body(sku="Premium_UnlimitedData"))
    assert error_code(lambda: create(azure_network.express_route_circuits, resource_group, "er-3",
                                     circuit_body(sku="Premium_MeteredData"))) == \
        "CannotChangeSkuFamilyFromUnlimitedToMetered"


# ---- peerings and provider coupling -------------------------------------------------------------

def test_provider_coupling_view_of_the_circuit(running_sim, circuit):
    azure = running_sim.sim.azure
    assert azure.provider_circuit(circuit.service_key) == {
        "service_key": circuit.service_key, "circuit_id": circuit.id,
        "peering_location": "Tokyo", "bandwidth_mbps": 1000, "provider_state": "NotProvisioned"}
    assert azure.provider_circuit("00000000-0000-0000-0000-000000000000") is None


def test_provider_provisioning_makes_the_private_peering(azure_network, resource_group,
                                                         running_sim, provisioned):
    circuit = azure_network.express_route_circuits.get(resource_group, "er-1")
    peering = azure_network.express_route_circuit_peerings.get(resource_group, "er-1",
                                                               "azureprivatepeering")
    assert circuit.service_provider_provisioning_state == "Provisioned"
    assert [p.name for p in circuit.peerings] == ["AzurePrivatePeering"]
    assert (peering.peer_asn, peering.azure_asn, peering.last_modified_by) == \
        (31898, 12076, "ServiceProvider")
    assert (peering.primary_peer_address_prefix, peering.secondary_peer_address_prefix) == \
        ("10.255.0.0/30", "10.255.0.4/30")
    running_sim.sim.azure.set_provider_state(provisioned.service_key, "NotProvisioned")
    assert running_sim.sim.azure.private_peering(provisioned.service_key) is None


def test_customer_peering_first_response_and_validation(azure_network, resource_group,
                                                        running_sim, circuit):
    peerings = azure_network.express_route_circuit_peerings
    assert error_code(lambda: create(peerings, resource_group, "er-1", "AzurePrivatePeering",
                                     PEERING)) == "CircuitNotProvisionedByServiceProvider"
    running_sim.sim.azure.set_provider_state(circuit.service_key, "Provisioned")
    first = peerings.begin_create_or_update(resource_group, "er-1", "AzurePrivatePeering",
                                            PEERING, polling=False).result()
    assert (first.provisioning_state, first.azure_asn, first.primary_azure_port) == \
        ("Updating", 0, None)
    final = peerings.get(resource_group, "er-1", "AzurePrivatePeering")
    assert (final.azure_asn, final.last_modified_by, final.state) == (12076, "Customer", "Enabled")
    assert running_sim.sim.azure.private_peering(circuit.service_key)["vlan_id"] == 100


@pytest.mark.parametrize("change, code", [
    ({"primaryPeerAddressPrefix": "10.255.0.0/29"}, "InvalidPeeringAddressPrefix"),
    ({"primaryPeerAddressPrefix": "10.255.0.1/30"}, "InvalidCIDRNotation"),
    ({"secondaryPeerAddressPrefix": "10.255.0.0/30"}, "PeeringPrefixesOverlap"),
    ({"vlanId": 5000}, "InvalidVlanId"),
    ({"peerASN": 12076}, "InvalidPeerAsn"),
])
def test_invalid_peerings_are_refused(azure_network, resource_group, running_sim, circuit,
                                      change, code):
    running_sim.sim.azure.set_provider_state(circuit.service_key, "Provisioned")
    body = {"properties": dict(PEERING["properties"], **change)}
    assert error_code(lambda: create(azure_network.express_route_circuit_peerings,
                                     resource_group, "er-1", "AzurePrivatePeering", body)) == code


def test_circuit_delete_is_refused_while_the_provider_has_it(azure_network, resource_group,
                                                             running_sim, provisioned):
    with pytest.raises(HttpResponseError) as raised:
        azure_network.express_route_circuits.begin_delete(resource_group, "er-1").result()
    assert "ConflictError" in str(raised.value)
    still = azure_network.express_route_circuits.get(resource_group, "er-1")
    assert still.provisioning_state == "Succeeded"
    running_sim.sim.azure.set_provider_state(provisioned.service_key, "NotProvisioned")
    azure_network.express_route_circuits.begin_delete(resource_group, "er-1").result()
    assert running_sim.sim.azure.provider_circuit(provisioned.service_key) is None


# ---- virtual networks, subnets, gateways, connections ---------------------------------------

def test_vnet_and_subnet_lifecycle(azure_network, resource_group):
    vnet = create(azure_network.virtual_networks, resource_group, "vnet-1",
                  vnet_body(("GatewaySubnet", "10.10.255.0/27")))
    assert [s.name for s in vnet.subnets] == ["GatewaySubnet"] and vnet.resource_guid
    subnet = create(azure_network.subnets, resource_group, "vnet-1", "work",
                    {"properties": {"addressPrefix": "10.10.1.0/24"}})
    assert subnet.provisioning_state == "Succeeded"
    names = [s.name for s in azure_network.virtual_networks.get(resource_group, "vnet-1").subnets]
    assert names == ["GatewaySubnet", "work"]
    azure_network.subnets.begin_delete(resource_group, "vnet-1", "work").result()
    assert [s.name for s in azure_network.subnets.list(resource_group, "vnet-1")] == \
        ["GatewaySubnet"]
    azure_network.virtual_networks.begin_delete(resource_group, "vnet-1").result()
    assert list(azure_network.virtual_networks.list(resource_group)) == []


def test_resource_guid_is_assigned_once_to_the_types_that_have_one(
        azure_network, arm, resource_group, er_gateway, circuit):
    nsg = create(azure_network.network_security_groups, resource_group, "nsg-1",
                 {"location": LOCATION})
    vnet = azure_network.virtual_networks.get(resource_group, "vnet-1")
    # The SDK's circuit model has no resourceGuid: read the wire.
    circuit_guid = arm.request("GET", circuit.id).json()["properties"]["resourceGuid"]
    guids = [vnet.resource_guid, er_gateway.resource_guid, nsg.resource_guid, circuit_guid]
    assert all(guids) and len(set(guids)) == 4
    updated = create(azure_network.network_security_groups, resource_group, "nsg-1",
                     {"location": LOCATION, "tags": {"changed": "yes"},
                      "properties": {"resourceGuid": "chosen-by-the-client"}})
    assert updated.resource_guid == nsg.resource_guid
    assert "resourceGuid" not in arm.request("GET", vnet.subnets[0].id).json()["properties"]


@pytest.mark.parametrize("subnets, code", [
    ((("a", "10.20.0.0/24"),), "NetcfgSubnetRangeOutsideVnet"),
    ((("a", "10.10.0.0/24"), ("b", "10.10.0.128/25")), "NetcfgSubnetRangesOverlap"),
    ((("a", "10.10.0.1/24"),), "InvalidCIDRNotation"),
    ((("a", "10.10.0.0/33"),), "InvalidAddressPrefixFormat"),
])
def test_invalid_subnets_are_refused(azure_network, resource_group, subnets, code):
    assert error_code(lambda: create(azure_network.virtual_networks, resource_group, "vnet-bad",
                                     vnet_body(*subnets))) == code


def test_gateway_needs_the_gateway_subnet_and_keeps_it_in_use(azure_network, resource_group,
                                                              gateway_subnet_id, er_gateway):
    work_subnet_id = gateway_subnet_id.replace("GatewaySubnet", "work")
    assert error_code(lambda: create(azure_network.virtual_network_gateways, resource_group,
                                     "gw-bad", gateway_body(work_subnet_id))) == \
        "InvalidGatewaySubnet"
    assert (er_gateway.gateway_type, er_gateway.sku.name) == ("ExpressRoute", "ErGw3AZ")
    subnet = azure_network.subnets.get(resource_group, "vnet-1", "GatewaySubnet")
    assert subnet.ip_configurations[0].id == er_gateway.ip_configurations[0].id
    assert error_code(lambda: azure_network.subnets.begin_delete(
        resource_group, "vnet-1", "GatewaySubnet").result()) == "InUseSubnetCannotBeDeleted"
    # A VNet PUT that leaves the gateway subnet out would delete it: refused the same way.
    assert error_code(lambda: create(azure_network.virtual_networks, resource_group, "vnet-1",
                                     vnet_body(("work", "10.10.1.0/24")))) == \
        "InUseSubnetCannotBeDeleted"
    azure_network.virtual_network_gateways.begin_delete(resource_group, "ergw-1").result()
    azure_network.subnets.begin_delete(resource_group, "vnet-1", "GatewaySubnet").result()


def test_gateway_sku_must_fit_the_type(azure_network, resource_group, gateway_subnet_id):
    assert error_code(lambda: create(azure_network.virtual_network_gateways, resource_group,
                                     "gw", gateway_body(gateway_subnet_id, sku="VpnGw1"))) == \
        "InvalidRequestFormat"


def connection_body(gateway_id, circuit_id):
    return {"location": LOCATION, "properties": {
        "connectionType": "ExpressRoute", "routingWeight": 0,
        "virtualNetworkGateway1": {"id": gateway_id}, "peer": {"id": circuit_id}}}


def test_connection_needs_a_provisioned_circuit(azure_network, resource_group, er_gateway,
                                                circuit):
    assert error_code(lambda: create(azure_network.virtual_network_gateway_connections,
                                     resource_group, "conn",
                                     connection_body(er_gateway.id, circuit.id))) == \
        "ExpressRouteCircuitNotProvisioned"


def test_connection_lifecycle(azure_network, resource_group, er_gateway, provisioned,
                              running_sim):
    connections = azure_network.virtual_network_gateway_connections
    connection = create(connections, resource_group, "conn",
                        connection_body(er_gateway.id, provisioned.id))
    assert (connection.provisioning_state, connection.connection_status) == \
        ("Succeeded", "Connected")
    assert error_code(lambda: azure_network.express_route_circuits.begin_delete(
        resource_group, "er-1").result()) == "InUseExpressRouteCircuitCannotBeDeleted"
    other = create(azure_network.express_route_circuits, resource_group, "er-other",
                   circuit_body())
    assert error_code(lambda: create(connections, resource_group, "conn",
                                     connection_body(er_gateway.id, other.id))) == \
        "ExpressRouteConnectionPeerCannotBeChanged"
    running_sim.sim.azure.set_provider_state(provisioned.service_key, "NotProvisioned")
    assert connections.get(resource_group, "conn").connection_status == "NotConnected"
    connections.begin_delete(resource_group, "conn").result()
    with pytest.raises(ResourceNotFoundError):
        connections.get(resource_group, "conn")


def test_private_peering_delete_is_refused_while_a_connection_uses_it(
        azure_network, resource_group, er_gateway, provisioned):
    # Microsoft: remove all connections (and Global Reach) before deleting private peering.
    peerings = azure_network.express_route_circuit_peerings
    connections = azure_network.virtual_network_gateway_connections
    create(connections, resource_group, "conn", connection_body(er_gateway.id, provisioned.id))
    assert error_code(lambda: peerings.begin_delete(resource_group, "er-1",
                                                    "AzurePrivatePeering").result()) == \
        "InUseExpressRouteCircuitPeeringCannotBeDeleted"
    assert peerings.get(resource_group, "er-1", "AzurePrivatePeering").provisioning_state == \
        "Succeeded"
    connections.begin_delete(resource_group, "conn").result()
    peerings.begin_delete(resource_group, "er-1", "AzurePrivatePeering").result()
    with pytest.raises(ResourceNotFoundError):
        peerings.get(resource_group, "er-1", "AzurePrivatePeering")


def test_connection_needs_an_expressroute_gateway(azure_network, resource_group,
                                                  gateway_subnet_id, provisioned):
    vpn = create(azure_network.virtual_network_gateways, resource_group, "vpngw",
                 gateway_body(gateway_subnet_id, "Vpn", "VpnGw1"))
    assert error_code(lambda: create(azure_network.virtual_network_gateway_connections,
                                     resource_group, "conn",
                                     connection_body(vpn.id, provisioned.id))) == \
        "ExpressRouteConnectionRequiresExpressRouteGateway"


def test_references_to_missing_resources_are_refused(azure_network, resource_group, er_gateway):
    missing = er_gateway.id.replace("virtualNetworkGateways/ergw-1", "expressRouteCircuits/none")
    assert error_code(lambda: create(azure_network.virtual_network_gateway_connections,
                                     resource_group, "conn",
                                     connection_body(er_gateway.id, missing))) == \
        "InvalidResourceReference"


# ---- network security groups --------------------------------------------------------------

def rule(priority=200, **overrides):
    properties = {"protocol": "Tcp", "access": "Allow", "direction": "Inbound",
                  "priority": priority, "sourcePortRange": "*", "destinationPortRange": "22",
                  "sourceAddressPrefix": "10.20.0.0/16", "destinationAddressPrefix": "*"}
    properties.update(overrides)
    return {"properties": properties}


def test_nsg_and_rules_lifecycle(azure_network, resource_group):
    nsg = create(azure_network.network_security_groups, resource_group, "nsg-1",
                 {"location": LOCATION, "properties": {"securityRules": [
                     dict(rule(), name="ssh")]}})
    assert [r.name for r in nsg.security_rules] == ["ssh"]
    assert len(nsg.default_security_rules) == 6
    added = create(azure_network.security_rules, resource_group, "nsg-1", "oci-https",
                   rule(300, protocol="tcp", destinationPortRange="443"))
    assert (added.protocol, added.provisioning_state) == ("Tcp", "Succeeded")
    assert {r.name for r in azure_network.security_rules.list(resource_group, "nsg-1")} == \
        {"ssh", "oci-https"}
    azure_network.security_rules.begin_delete(resource_group, "nsg-1", "ssh").result()
    azure_network.network_security_groups.begin_delete(resource_group, "nsg-1").result()
    with pytest.raises(ResourceNotFoundError):
        azure_network.network_security_groups.get(resource_group, "nsg-1")


@pytest.mark.parametrize("body, code", [
    (rule(50), "SecurityRuleInvalidPriority"),
    (rule(200, destinationPortRange="443"), "SecurityRuleConflict"),
    (rule(300, access="Maybe"), "InvalidRequestFormat"),
])
def test_invalid_security_rules_are_refused(azure_network, resource_group, body, code):
    create(azure_network.network_security_groups, resource_group, "nsg-1",
           {"location": LOCATION, "properties": {"securityRules": [dict(rule(), name="ssh")]}})
    assert error_code(lambda: create(azure_network.security_rules, resource_group, "nsg-1",
                                     "other", body)) == code


def test_nsg_in_use_by_a_subnet_cannot_be_deleted(azure_network, resource_group):
    nsg = create(azure_network.network_security_groups, resource_group, "nsg-1",
                 {"location": LOCATION})
    body = vnet_body()
    body["properties"]["subnets"] = [{"name": "work", "properties": {
        "addressPrefix": "10.10.1.0/24", "networkSecurityGroup": {"id": nsg.id}}}]
    create(azure_network.virtual_networks, resource_group, "vnet-1", body)
    assert [s.id for s in azure_network.network_security_groups.get(
        resource_group, "nsg-1").subnets] == [nsg.id.rsplit("/networkSecurityGroups", 1)[0] +
                                              "/virtualNetworks/vnet-1/subnets/work"]
    assert error_code(lambda: azure_network.network_security_groups.begin_delete(
        resource_group, "nsg-1").result()) == "InUseNetworkSecurityGroupCannotBeDeleted"


# ---- public IP addresses and the gateway's public IP rules ----------------------------------------

def test_public_ip_lifecycle_and_address_assignment(azure_network, resource_group, running_sim):
    pips = azure_network.public_ip_addresses
    running_sim.admin("PUT", "delays", {"azure.lro": 0.2})
    poller = pips.begin_create_or_update(resource_group, "pip-static", public_ip_body())
    # A static address is assigned when the IP is created, not before its operation is done.
    first = pips.get(resource_group, "pip-static")
    assert (first.provisioning_state, first.ip_address) == ("Updating", None)
    poller.result()
    create(pips, resource_group, "pip-other", public_ip_body())
    static = pips.get(resource_group, "pip-static")
    assert (static.sku.name, static.public_ip_allocation_method) == ("Standard", "Static")
    assert static.ip_address and static.ip_configuration is None
    # Basic and no method: Dynamic, and no address until a started resource uses it.
    dynamic = create(pips, resource_group, "pip-dynamic", public_ip_body("Basic", None))
    assert (dynamic.sku.name, dynamic.public_ip_allocation_method, dynamic.ip_address) == \
        ("Basic", "Dynamic", None)
    assert [p.name for p in pips.list(resource_group)] == ["pip-static", "pip-other", "pip-dynamic"]
    pips.begin_delete(resource_group, "pip-dynamic").result()
    with pytest.raises(ResourceNotFoundError):
        pips.get(resource_group, "pip-dynamic")


@pytest.mark.parametrize("method", ["Dynamic", None])
def test_standard_public_ip_must_be_static(azure_network, resource_group, method):
    assert error_code(lambda: create(azure_network.public_ip_addresses, resource_group, "pip",
                                     public_ip_body("Standard", method))) == \
        "StandardSkuPublicIPAddressesMustBeStatic"


def test_gateway_needs_a_public_ip(azure_network, resource_group, gateway_subnet_id):
    body = gateway_body(gateway_subnet_id)
    del body["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]
    assert error_code(lambda: create(azure_network.virtual_network_gateways, resource_group,
                                     "gw", body)) == "PublicIpForGatewayIsRequired"
    assert error_code(lambda: create(azure_network.virtual_network_gateways, resource_group,
                                     "gw", gateway_body(gateway_subnet_id,
                                                        public_ip="pip-missing"))) == \
        "InvalidResourceReference"


@pytest.mark.parametrize("sku", ["UltraPerformance", "ErGw3AZ", "Standard"])
def test_expressroute_gateways_refuse_a_basic_public_ip(azure_network, resource_group,
                                                        gateway_subnet_id, sku):
    create(azure_network.public_ip_addresses, resource_group, "pip-basic",
           public_ip_body("Basic", "Dynamic"))
    assert error_code(lambda: create(azure_network.virtual_network_gateways, resource_group,
                                     "gw", gateway_body(gateway_subnet_id, sku=sku,
                                                        public_ip="pip-basic"))) == \
        "PublicIpWithBasicSkuNotAllowedOnExpressRouteGateways"


def test_public_ip_in_use_by_a_gateway_cannot_be_deleted(azure_network, resource_group,
                                                         er_gateway):
    pips = azure_network.public_ip_addresses
    pip = pips.get(resource_group, "pip-1")
    assert pip.ip_configuration.id == er_gateway.ip_configurations[0].id
    with pytest.raises(HttpResponseError) as raised:
        pips.begin_delete(resource_group, "pip-1").result()
    assert raised.value.status_code == 400
    assert raised.value.error.code == "PublicIPAddressCannotBeDeleted"
    assert er_gateway.ip_configurations[0].id in raised.value.error.message
    azure_network.virtual_network_gateways.begin_delete(resource_group, "ergw-1").result()
    assert pips.get(resource_group, "pip-1").ip_configuration is None
    pips.begin_delete(resource_group, "pip-1").result()


def test_dynamic_public_ip_gets_its_address_with_the_gateway(azure_network, resource_group,
                                                             gateway_subnet_id, running_sim):
    # Basic and dynamic: what a VPN gateway of the Basic SKU may still use; an address only
    # while the gateway runs.
    pips = azure_network.public_ip_addresses
    create(pips, resource_group, "pip-dyn", public_ip_body("Basic", "Dynamic"))
    create(azure_network.virtual_network_gateways, resource_group, "vpngw",
           gateway_body(gateway_subnet_id, "Vpn", "VpnGw1", public_ip="pip-dyn"))
    assert pips.get(resource_group, "pip-dyn").ip_address
    azure_network.virtual_network_gateways.begin_delete(resource_group, "vpngw").result()
    assert pips.get(resource_group, "pip-dyn").ip_address is None


def test_gateway_create_is_a_long_operation_of_its_own_delay(azure_network, resource_group,
                                                             gateway_subnet_id, running_sim):
    # Gateways (and connections) run on azure.gateway_lro, not azure.lro: a create stays
    # Updating, and is polled, for as long as that delay.
    running_sim.admin("PUT", "delays", {"azure.gateway_lro": 30})
    gateways = azure_network.virtual_network_gateways
    first = gateways.begin_create_or_update(resource_group, "ergw-slow",
                                            gateway_body(gateway_subnet_id),
                                            polling=False).result()
    assert first.provisioning_state == "Updating"
    assert gateways.get(resource_group, "ergw-slow").provisioning_state == "Updating"
    # The VNet's other writes are not held up by it: the plain delay is still 0.
    create(azure_network.public_ip_addresses, resource_group, "pip-2", public_ip_body())
    running_sim.admin("PUT", "delays", {"azure.gateway_lro": 0.3})
    # A re-sent PUT while the create runs is refused: one operation at a time.
    with pytest.raises(HttpResponseError) as raised:
        gateways.begin_create_or_update(resource_group, "ergw-slow",
                                        gateway_body(gateway_subnet_id)).result()
    assert raised.value.error.code == "AnotherOperationInProgress"


def test_vnet_holding_a_gateway_cannot_be_deleted(azure_network, resource_group, er_gateway):
    assert error_code(lambda: azure_network.virtual_networks.begin_delete(
        resource_group, "vnet-1").result()) == "InUseSubnetCannotBeDeleted"
    assert azure_network.virtual_networks.get(resource_group, "vnet-1").provisioning_state == \
        "Succeeded"


def test_gateway_with_a_connection_cannot_be_deleted(azure_network, resource_group, er_gateway,
                                                     provisioned):
    connections = azure_network.virtual_network_gateway_connections
    create(connections, resource_group, "conn", connection_body(er_gateway.id, provisioned.id))
    assert error_code(lambda: azure_network.virtual_network_gateways.begin_delete(
        resource_group, "ergw-1").result()) == "InUseVirtualNetworkGatewayCannotBeDeleted"
    connections.begin_delete(resource_group, "conn").result()
    azure_network.virtual_network_gateways.begin_delete(resource_group, "ergw-1").result()
