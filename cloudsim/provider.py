"""The provider link between an Azure ExpressRoute circuit and an OCI FastConnect virtual circuit,
and the BGP facts both ends of it share.

Each cloud is the other's provider: the circuit names "Oracle Cloud FastConnect" as its service
provider, the virtual circuit the "Microsoft Azure" provider service
(/work/shared/reference/interconnect-facts.md, "Names"). The OCI side drives the timeline, so it
is the one that calls across: it looks up the circuit of a service key, moves the circuit's
provider state and has the provider's private peering made. It may do that only through
:class:`ProviderLink`; :class:`cloudsim.sim.Simulator`, the one place that knows both clouds,
hands it the Azure simulator, which implements it. The routes each side learns over BGP cross the
other way too: Azure asks the OCI side through :class:`ProviderRoutes`. Neither cloud package
imports the other.
"""
from __future__ import annotations

from typing import List, Optional, Protocol, TypedDict

# The two ends of the BGP sessions over the interconnect: Azure's side of every ExpressRoute peering
# (its azureASN) and Oracle's, the peerASN the provider sets. Source: interconnect-facts.md ("ASNs:
# Microsoft 12076, Oracle 31898", from Oracle's "Access to Microsoft Azure" page and Microsoft's
# Azure-OCI interconnection article) and api-notes.md (a peering's response adds azureASN 12076).
MICROSOFT_ASN = 12076
ORACLE_ASN = 31898

# A circuit's serviceProviderProvisioningState as api-notes.md lists it from azure-mgmt-network
# (the SDK's enum also has DeProvisioned, which the provider flow never sets). Both notes are in
# /work/shared/reference/.
PROVIDER_STATES = ("NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning")


class ProvidedCircuit(TypedDict):
    """What the provider sees of an ExpressRoute circuit that names it."""
    service_key: str
    circuit_id: str
    peering_location: str
    bandwidth_mbps: int
    provider_state: str            # one of PROVIDER_STATES


class PeeringAddresses(TypedDict):
    """One BGP session of the provider's private peering: the two ends' addresses in one /30."""
    oracle_ip: str                 # e.g. "10.255.0.1/30"
    customer_ip: str               # Azure's end, e.g. "10.255.0.2/30"


class PrivatePeering(TypedDict):
    """The circuit's AzurePrivatePeering, as far as the provider needs it."""
    primary_prefix: str
    secondary_prefix: str
    peer_asn: int
    vlan_id: int
    provisioning_state: str
    state: str


class ProviderLink(Protocol):
    """What the FastConnect "Microsoft Azure" provider may do to ExpressRoute circuits, each
    named by its service key. A key that names no live circuit with Oracle as its provider finds
    nothing and changes nothing."""

    def provider_circuit(self, service_key: str) -> Optional[ProvidedCircuit]:
        """The circuit of ``service_key``, or None."""

    def set_provider_state(self, service_key: str, state: str,
                           mappings: Optional[List[PeeringAddresses]] = None) -> None:
        """Set the circuit's provider state (one of PROVIDER_STATES, else ValueError).
        Provisioned with ``mappings`` also makes the private peering from them when the circuit
        has none; NotProvisioned removes a private peering the provider made."""

    def private_peering(self, service_key: str) -> Optional[PrivatePeering]:
        """The circuit's private peering, or None."""

    def advertised_prefixes(self, service_key: str) -> List[str]:
        """What Azure advertises to the provider over the circuit's private peering: the address
        spaces of the virtual networks whose ExpressRoute gateway a connection links to the
        circuit (none when the circuit, its peering or every link is missing)."""


class ProviderRoutes(Protocol):
    """What Azure learns from the provider over a circuit's private peering, asked by service
    key. The OCI side implements it; :class:`cloudsim.sim.Simulator` hands it to AzureCloud."""

    def provider_prefixes(self, service_key: str) -> Optional[List[str]]:
        """The prefixes the provider advertises while its BGP sessions are up (the CIDRs of the
        VCNs attached to the DRG the virtual circuit uses); None while they are down."""
