"""The interconnect_health filter: every way an interconnect differs from a healthy one."""
import pytest

from ansible_collections.crosscloud.interconnect.plugins.filter.health import interconnect_health

CIRCUIT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er"
PLAN = {
    "azure_private_peering": {"primary_peer_address_prefix": "10.255.0.0/30",
                              "secondary_peer_address_prefix": "10.255.0.4/30", "peer_asn": 31898},
    "oci_cross_connect_mappings": [
        {"oracle_bgp_peering_ip": "10.255.0.1/30", "customer_bgp_peering_ip": "10.255.0.2/30"},
        {"oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30"}],
}


def circuit(**overrides):
    found = {"id": CIRCUIT_ID, "provisioning_state": "Succeeded", "circuit_provisioning_state": "Enabled",
             "service_provider_provisioning_state": "Provisioned",
             "peerings": [{"name": "AzurePrivatePeering", "peering_type": "AzurePrivatePeering",
                           "provisioning_state": "Succeeded", "primary_peer_address_prefix": "10.255.0.0/30",
                           "secondary_peer_address_prefix": "10.255.0.4/30", "peer_asn": 31898}]}
    found.update(overrides)
    return found


def virtual_circuit(**overrides):
    found = {"lifecycle_state": "PROVISIONED", "provider_state": "ACTIVE", "bgp_session_state": "UP",
             "cross_connect_mappings": [dict(mapping) for mapping in PLAN["oci_cross_connect_mappings"]]}
    found.update(overrides)
    return found


def connection(**overrides):
    found = {"name": "er-connection", "provisioning_state": "Succeeded", "circuit_id": CIRCUIT_ID.upper()}
    found.update(overrides)
    return found


def test_a_healthy_interconnect_has_no_problem_with_or_without_its_connection():
    assert interconnect_health(circuit(), virtual_circuit(), PLAN) == {"healthy": True, "problems": []}
    assert interconnect_health(circuit(), virtual_circuit(), PLAN, connection=connection())["healthy"]


def test_every_problem_is_named():
    health = interconnect_health(circuit(service_provider_provisioning_state="NotProvisioned"),
                                 virtual_circuit(bgp_session_state="DOWN"), PLAN)
    assert health["problems"] == ["Azure provider state is NotProvisioned, expected Provisioned",
                                  "OCI BGP session is DOWN, expected UP"]


@pytest.mark.parametrize("found, problem", [
    ({}, "Azure gateway connection to the circuit does not exist"),
    (connection(provisioning_state="Failed"), "Azure gateway connection provisioning state is Failed, expected Succeeded"),
    (connection(circuit_id=CIRCUIT_ID + "-other"), "Azure gateway connection er-connection connects circuit %s-other, not %s"
     % (CIRCUIT_ID, CIRCUIT_ID)),
])
def test_a_connection_that_is_missing_failed_or_elsewhere_is_a_problem(found, problem):
    assert interconnect_health(circuit(), virtual_circuit(), PLAN, connection=found) == {"healthy": False,
                                                                                         "problems": [problem]}
