"""The Azure <-> OCI interconnect end to end: the real azure-mgmt-network SDK creates the
ExpressRoute circuit, the real oci SDK the FastConnect virtual circuit, and the simulated
provider couples the two (team-cloudsim-contract.md, "Coupling")."""
import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from oci.core.models import (CreateDrgDetails, CreateVirtualCircuitDetails, CrossConnectMapping,
                             UpdateVirtualCircuitDetails)

from cloudsim.oci.testing import network_client, service_error, wait_for
from cloudsim.sim import SimConfig

TENANCY = SimConfig().oci_tenancy_ocid  # the conftest runs the default configuration

PLAN = {"primary": ("10.255.0.0/30", "10.255.0.1/30", "10.255.0.2/30"),
        "secondary": ("10.255.0.4/30", "10.255.0.5/30", "10.255.0.6/30")}
CIRCUIT = "er-oci"


@pytest.fixture
def oci_client(running_sim):
    return network_client(running_sim)


@pytest.fixture
def set_delays(running_sim):
    """Change the simulator's transition delays (running_sim puts them back to 0 per test)."""
    return lambda **delays: running_sim.admin("PUT", "delays", {
        name.replace("_", "."): value for name, value in delays.items()})


@pytest.fixture
def azure_provider(oci_client):
    return next(service for service in oci_client.list_fast_connect_provider_services(TENANCY).data
                if service.provider_name == "Microsoft Azure")


@pytest.fixture
def circuit(azure_network, resource_group):
    """An ExpressRoute circuit to Oracle Cloud FastConnect, 1 Gbps in Tokyo."""
    return create_circuit(azure_network, resource_group, CIRCUIT, 1000)


def create_circuit(azure_network, resource_group, name, mbps):
    body = {"location": "japaneast",
            "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
            "properties": {"serviceProviderProperties": {
                "serviceProviderName": "Oracle Cloud FastConnect", "peeringLocation": "Tokyo",
                "bandwidthInMbps": mbps}}}
    return azure_network.express_route_circuits.begin_create_or_update(
        resource_group, name, body, polling_interval=0).result()


@pytest.fixture
def drg(oci_client):
    created = oci_client.create_drg(CreateDrgDetails(compartment_id=TENANCY)).data
    return wait_for(lambda: oci_client.get_drg(created.id).data,
                    lambda drg: drg.lifecycle_state == "AVAILABLE")


def mappings(oracle_index=1, customer_index=2):
    """The plan's two /30s; Oracle on the first usable address, Azure on the second."""
    return [CrossConnectMapping(oracle_bgp_peering_ip=addresses[oracle_index],
                                customer_bgp_peering_ip=addresses[customer_index])
            for addresses in PLAN.values()]


def create_virtual_circuit(oci_client, provider, drg, key, **overrides):
    details = dict(compartment_id=TENANCY, type="PRIVATE", display_name="to-azure",
                   provider_service_id=provider.id, provider_service_key_name=key,
                   gateway_id=drg.id, bandwidth_shape_name="1 Gbps",
                   cross_connect_mappings=mappings())
    details.update(overrides)
    return oci_client.create_virtual_circuit(CreateVirtualCircuitDetails(**details)).data


def wait_circuit(oci_client, ocid, state):
    return wait_for(lambda: oci_client.get_virtual_circuit(ocid).data,
                    lambda circuit: circuit.lifecycle_state == state)


def provider_state(azure_network, resource_group):
    return azure_network.express_route_circuits.get(
        resource_group, CIRCUIT).service_provider_provisioning_state


def test_service_key_lookup_reflects_the_expressroute_circuit(oci_client, azure_provider, circuit):
    key = oci_client.get_fast_connect_provider_service_key(azure_provider.id,
                                                           circuit.service_key).data
    assert (key.name, key.bandwidth_shape_name, key.peering_location) == \
        (circuit.service_key, "1 Gbps", "Tokyo")


def test_full_interconnect_lifecycle(oci_client, azure_provider, drg, circuit,
                                     azure_network, resource_group):
    assert circuit.service_provider_provisioning_state == "NotProvisioned"
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    assert (created.lifecycle_state, created.provider_state, created.bgp_session_state) == \
        ("PENDING_PROVIDER", "INACTIVE", "DOWN")

    provisioned = wait_circuit(oci_client, created.id, "PROVISIONED")
    assert (provisioned.provider_state, provisioned.bgp_session_state) == ("ACTIVE", "UP")
    assert provisioned.oracle_bgp_asn == 31898
    assert provider_state(azure_network, resource_group) == "Provisioned"
    peering = azure_network.express_route_circuit_peerings.get(resource_group, CIRCUIT,
                                                               "AzurePrivatePeering")
    assert (peering.primary_peer_address_prefix, peering.secondary_peer_address_prefix) == \
        (PLAN["primary"][0], PLAN["secondary"][0])
    assert peering.peer_asn == 31898
    assert {mapping.vlan for mapping in provisioned.cross_connect_mappings} == {peering.vlan_id}

    with pytest.raises(HttpResponseError) as refused:  # Azure keeps a provisioned circuit
        azure_network.express_route_circuits.begin_delete(resource_group, CIRCUIT,
                                                          polling_interval=0).result()
    assert "ConflictError" in str(refused.value)

    oci_client.delete_virtual_circuit(created.id)
    terminated = wait_circuit(oci_client, created.id, "TERMINATED")
    assert terminated.bgp_session_state == "DOWN"
    assert provider_state(azure_network, resource_group) == "NotProvisioned"
    with pytest.raises(ResourceNotFoundError):  # the provider took its peering back
        azure_network.express_route_circuit_peerings.get(resource_group, CIRCUIT,
                                                         "AzurePrivatePeering")
    listed = oci_client.list_virtual_circuits(TENANCY, lifecycle_state="TERMINATED").data
    assert [vc.id for vc in listed] == [created.id]
    azure_network.express_route_circuits.begin_delete(resource_group, CIRCUIT,
                                                      polling_interval=0).result()


def test_azure_side_walks_through_provisioning(oci_client, azure_provider, drg, circuit,
                                               azure_network, resource_group, set_delays):
    set_delays(provider_accept=0.3, provider_provision=0.6)
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    seen = set()
    wait_for(lambda: (oci_client.get_virtual_circuit(created.id).data.lifecycle_state,
                      provider_state(azure_network, resource_group)),
             lambda states: seen.add(states) or states == ("PROVISIONED", "Provisioned"))
    assert ("PENDING_PROVIDER", "NotProvisioned") in seen
    assert ("PROVISIONING", "Provisioning") in seen


def test_peering_changed_to_other_prefixes_brings_bgp_down(
        oci_client, azure_provider, drg, circuit, azure_network, resource_group):
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    assert wait_circuit(oci_client, created.id, "PROVISIONED").bgp_session_state == "UP"
    peerings = azure_network.express_route_circuit_peerings
    peering = peerings.get(resource_group, CIRCUIT, "AzurePrivatePeering")

    peering.primary_peer_address_prefix = "10.254.0.0/30"
    peerings.begin_create_or_update(resource_group, CIRCUIT, "AzurePrivatePeering", peering,
                                    polling_interval=0).result()
    assert oci_client.get_virtual_circuit(created.id).data.bgp_session_state == "DOWN"

    peering.primary_peer_address_prefix = PLAN["primary"][0]
    peerings.begin_create_or_update(resource_group, CIRCUIT, "AzurePrivatePeering", peering,
                                    polling_interval=0).result()
    assert oci_client.get_virtual_circuit(created.id).data.bgp_session_state == "UP"


def test_swapped_bgp_addresses_keep_bgp_down(oci_client, azure_provider, drg, circuit):
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key,
                                     cross_connect_mappings=mappings(oracle_index=2,
                                                                     customer_index=1))
    assert wait_circuit(oci_client, created.id, "PROVISIONED").bgp_session_state == "DOWN"


def test_changed_mappings_after_provisioning_bring_bgp_down(
        oci_client, azure_provider, drg, circuit):
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    assert wait_circuit(oci_client, created.id, "PROVISIONED").bgp_session_state == "UP"
    moved = [CrossConnectMapping(oracle_bgp_peering_ip="10.255.9.%d/30" % (base + 1),
                                 customer_bgp_peering_ip="10.255.9.%d/30" % (base + 2))
             for base in (0, 4)]
    updated = oci_client.update_virtual_circuit(created.id, UpdateVirtualCircuitDetails(
        cross_connect_mappings=moved)).data
    assert updated.bgp_session_state == "DOWN"


def test_deleting_the_circuit_before_the_provider_accepts(oci_client, azure_provider,
                                                          drg, circuit, azure_network,
                                                          resource_group, set_delays):
    set_delays(provider_accept=30)
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    oci_client.delete_virtual_circuit(created.id)
    wait_circuit(oci_client, created.id, "TERMINATED")
    assert provider_state(azure_network, resource_group) == "NotProvisioned"
    error = service_error(lambda: oci_client.update_virtual_circuit(
        created.id, UpdateVirtualCircuitDetails(display_name="late")))
    assert (error.status, error.code) == (409, "IncorrectState")


# ---- what OCI refuses when creating the virtual circuit -------------------------------------

def test_key_of_an_unknown_circuit_is_refused(oci_client, azure_provider, drg):
    error = service_error(lambda: create_virtual_circuit(
        oci_client, azure_provider, drg, "5f4c0fe1-0000-4000-8000-000000000000"))
    assert (error.status, error.code) == (400, "InvalidParameter")
    assert oci_client.list_virtual_circuits(TENANCY).data == []


@pytest.mark.parametrize("overrides, status, code", [
    ({"gateway_id": "ocid1.drg.oc1.ap-tokyo-1.nothing"}, 404,
     "RelatedResourceNotAuthorizedOrNotFound"),
    ({"provider_service_id": "ocid1.providerservice.oc1.ap-tokyo-1.nothing"}, 404,
     "RelatedResourceNotAuthorizedOrNotFound"),
    ({"bandwidth_shape_name": "3 Gbps"}, 400, "InvalidParameter"),
    ({"bandwidth_shape_name": "2 Gbps"}, 400, "InvalidParameter"),  # the circuit has 1 Gbps
    ({"ip_mtu": "MTU_9000"}, 400, "InvalidParameter"),
    ({"provider_service_key_name": None}, 400, "InvalidParameter"),
    ({"cross_connect_mappings": mappings()[:1]}, 400, "InvalidParameter"),
    ({"cross_connect_mappings": [CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.1/29",
                                                     customer_bgp_peering_ip="10.255.0.2/29")] * 2},
     400, "InvalidParameter"),
    ({"cross_connect_mappings": [CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.0/30",
                                                     customer_bgp_peering_ip="10.255.0.2/30"),
                                 mappings()[1]]}, 400, "InvalidParameter"),
    ({"cross_connect_mappings": [CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.1/30",
                                                     customer_bgp_peering_ip="10.255.0.6/30"),
                                 mappings()[1]]}, 400, "InvalidParameter"),
    ({"cross_connect_mappings": [mappings()[0], mappings()[0]]}, 400, "InvalidParameter"),
    ({"compartment_id": "ocid1.compartment.oc1..notmine"}, 404, "NotAuthorizedOrNotFound"),
])
def test_invalid_virtual_circuits_are_refused(oci_client, azure_provider, drg, circuit,
                                              overrides, status, code):
    error = service_error(lambda: create_virtual_circuit(
        oci_client, azure_provider, drg, circuit.service_key, **overrides))
    assert (error.status, error.code) == (status, code), error.message
    assert oci_client.list_virtual_circuits(TENANCY).data == []


def test_a_service_key_serves_one_virtual_circuit(oci_client, azure_provider, drg,
                                                  circuit):
    first = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    error = service_error(lambda: create_virtual_circuit(oci_client, azure_provider, drg,
                                                         circuit.service_key))
    assert error.status == 409
    assert [vc.id for vc in oci_client.list_virtual_circuits(TENANCY).data] == [first.id]


def test_retried_create_makes_one_virtual_circuit(oci_client, azure_provider, drg,
                                                  circuit):
    details = CreateVirtualCircuitDetails(
        compartment_id=TENANCY, type="PRIVATE", provider_service_id=azure_provider.id,
        provider_service_key_name=circuit.service_key, gateway_id=drg.id,
        bandwidth_shape_name="1 Gbps", cross_connect_mappings=mappings())
    first = oci_client.create_virtual_circuit(details, opc_retry_token="vc-token").data
    again = oci_client.create_virtual_circuit(details, opc_retry_token="vc-token").data
    assert again.id == first.id
    assert len(oci_client.list_virtual_circuits(TENANCY).data) == 1


def test_virtual_circuit_updates_honour_if_match(oci_client, azure_provider, drg,
                                                 circuit):
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    current = wait_for(lambda: oci_client.get_virtual_circuit(created.id),
                       lambda answer: answer.data.lifecycle_state == "PROVISIONED")
    error = service_error(lambda: oci_client.update_virtual_circuit(
        created.id, UpdateVirtualCircuitDetails(display_name="x"), if_match="stale"))
    assert (error.status, error.code) == (412, "NoEtagMatch")
    renamed = oci_client.update_virtual_circuit(
        created.id, UpdateVirtualCircuitDetails(display_name="renamed"),
        if_match=current.headers["etag"]).data
    assert (renamed.display_name, renamed.bgp_session_state) == ("renamed", "UP")
    error = service_error(lambda: oci_client.update_virtual_circuit(
        created.id, UpdateVirtualCircuitDetails(bandwidth_shape_name="2 Gbps")))
    assert (error.status, error.code) == (400, "InvalidParameter")
    error = service_error(lambda: oci_client.delete_drg(drg.id))
    assert (error.status, error.code) == (409, "IncorrectState")


def test_a_network_change_to_a_provisioned_circuit_reprovisions_it_with_bgp_down(
        oci_client, azure_provider, drg, circuit, azure_network, resource_group, set_delays):
    created = create_virtual_circuit(oci_client, azure_provider, drg, circuit.service_key)
    wait_circuit(oci_client, created.id, "PROVISIONED")
    set_delays(provider_provision=1.5)
    # Bandwidth upgrade, as the role does it: the ExpressRoute circuit first, then the virtual circuit.
    create_circuit(azure_network, resource_group, CIRCUIT, 2000)
    updated = oci_client.update_virtual_circuit(
        created.id, UpdateVirtualCircuitDetails(bandwidth_shape_name="2 Gbps")).data
    assert (updated.lifecycle_state, updated.bgp_session_state) == ("PROVISIONING", "DOWN")
    assert oci_client.get_virtual_circuit(created.id).data.bgp_session_state == "DOWN"
    back = wait_circuit(oci_client, created.id, "PROVISIONED")
    assert (back.bandwidth_shape_name, back.bgp_session_state) == ("2 Gbps", "UP")
    # A name is not network-related: renaming a provisioned circuit keeps it up.
    renamed = oci_client.update_virtual_circuit(created.id, UpdateVirtualCircuitDetails(display_name="renamed")).data
    assert (renamed.lifecycle_state, renamed.bgp_session_state) == ("PROVISIONED", "UP")
