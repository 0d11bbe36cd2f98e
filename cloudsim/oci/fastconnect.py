"""FastConnect: the provider catalogue, bandwidth shapes and virtual circuits, including the
"Microsoft Azure" provider that couples an OCI virtual circuit to an ExpressRoute circuit.

Coupling (see team-cloudsim-contract.md): the OCI side drives the timeline. A PRIVATE virtual
circuit created with an Azure service key waits in PENDING_PROVIDER; after ``provider.accept``
it is PROVISIONING and the Azure circuit Provisioning; after ``provider.provision`` it is
PROVISIONED/ACTIVE and the Azure circuit Provisioned with the private peering the provider
makes from the cross-connect mappings. Deleting walks TERMINATING -> TERMINATED while Azure
goes Deprovisioning -> NotProvisioned. ``bgpSessionState`` is worked out on every read.
The Azure side is reached only through the :class:`~cloudsim.provider.ProviderLink` the kinds
here receive at construction.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Optional, Tuple

from ..http import Request
from ..provider import MICROSOFT_ASN, ORACLE_ASN, ProviderLink
from .errors import conflict, incorrect_state, invalid_parameter, not_found
from .store import READ_ONLY, Record, ResourceKind, ServingCloud, one_of, page_of, require, \
    require_reference

AZURE_PROVIDER = "Microsoft Azure"

# The updatable properties that are network-related in the sense of Oracle's UpdateVirtualCircuit
# reference (bandwidth, the BGP addresses, the DRG, the MTU); names, tags and the reference comment are not.
NETWORK_PROPERTIES = ("bandwidthShapeName", "crossConnectMappings", "gatewayId", "ipMtu")


def gbps_shapes(*gbps: int) -> Tuple[Dict[str, Any], ...]:
    return tuple({"name": "%d Gbps" % value, "bandwidthInMbps": value * 1000} for value in gbps)


def shape_name(mbps: int) -> str:
    """FastConnect's name for a bandwidth: 1000 -> "1 Gbps", 50 -> "50 Mbps"."""
    return "%d Gbps" % (mbps // 1000) if mbps % 1000 == 0 else "%d Mbps" % mbps


SUB_GBPS_SHAPES = tuple({"name": shape_name(mbps), "bandwidthInMbps": mbps}
                        for mbps in (50, 100, 200, 500))
COLOCATED_SHAPES = gbps_shapes(1, 10, 100)


def layer2_partner(name: str, service: str, portal: str, circuit_types: List[str]) -> Dict[str, Any]:
    """A layer 2 partner: the provider hands over the key, the customer runs BGP."""
    return {"providerName": name, "providerServiceName": service, "type": "LAYER2",
            "description": portal, "privatePeeringBgpManagement": "CUSTOMER_MANAGED",
            "publicPeeringBgpManagement": "ORACLE_MANAGED", "customerAsnManagement": "CUSTOMER_MANAGED",
            "providerServiceKeyManagement": "PROVIDER_MANAGED",
            "bandwithShapeManagement": "CUSTOMER_MANAGED",
            "supportedVirtualCircuitTypes": circuit_types, "requiredTotalCrossConnects": 1,
            "shapes": SUB_GBPS_SHAPES + gbps_shapes(1, 2, 5, 10)}


# The provider services this simulator offers. The Azure entry is what OCI lists for the
# Azure interconnect (console: "Microsoft Azure: ExpressRoute"): a layer 3 service where the
# customer supplies the service key, the bandwidth and the BGP peering addresses.
PROVIDERS: Tuple[Dict[str, Any], ...] = (
    {"providerName": AZURE_PROVIDER, "providerServiceName": "ExpressRoute", "type": "LAYER3",
     "description": "https://azure.microsoft.com/services/expressroute/",
     "privatePeeringBgpManagement": "CUSTOMER_MANAGED",
     "publicPeeringBgpManagement": "ORACLE_MANAGED",
     "customerAsnManagement": "PROVIDER_MANAGED",
     "providerServiceKeyManagement": "CUSTOMER_MANAGED",
     "bandwithShapeManagement": "CUSTOMER_MANAGED",
     "supportedVirtualCircuitTypes": ["PRIVATE"], "requiredTotalCrossConnects": 1,
     "shapes": gbps_shapes(1, 2, 5, 10)},
    layer2_partner("Equinix", "Equinix Fabric",
                   "https://www.equinix.com/interconnection-services/equinix-fabric",
                   ["PUBLIC", "PRIVATE"]),
    layer2_partner("Megaport", "Megaport Cloud Router",
                   "https://www.megaport.com/services/megaport-cloud-router/", ["PRIVATE"]),
    {"providerName": "AT&T", "providerServiceName": "NetBond for Cloud", "type": "LAYER3",
     "description": "https://www.business.att.com/products/netbond.html",
     "privatePeeringBgpManagement": "PROVIDER_MANAGED",
     "publicPeeringBgpManagement": "PROVIDER_MANAGED",
     "customerAsnManagement": "PROVIDER_MANAGED",
     "providerServiceKeyManagement": "PROVIDER_MANAGED",
     "bandwithShapeManagement": "PROVIDER_MANAGED",
     "supportedVirtualCircuitTypes": ["PRIVATE"], "requiredTotalCrossConnects": 1,
     "shapes": gbps_shapes(1, 10)},
)


class FastConnectKind(ResourceKind):
    """A kind that may act on the ExpressRoute circuits the "Microsoft Azure" provider serves."""

    def __init__(self, cloud: ServingCloud, expressroute: ProviderLink):
        super().__init__(cloud)
        self.expressroute = expressroute


class ProviderService(FastConnectKind):
    """The read-only catalogue; listing it needs a known compartment but does not filter by it."""
    collection = "fastConnectProviderServices"
    ocid_type = "providerservice"
    operations = READ_ONLY
    compartment_scoped = False
    creating_state = ready_state = deleting_state = deleted_state = None

    def load_catalogue(self) -> None:
        for entry in PROVIDERS:
            slug = "-".join((entry["providerName"] + " " + entry["providerServiceName"])
                            .replace("&", "").lower().split())
            data = {name: value for name, value in entry.items() if name != "shapes"}
            self.cloud.add(self, data, ocid=self.cloud.readable_ocid(self.ocid_type, slug))

    @staticmethod
    def shapes(provider: Dict[str, Any]) -> Tuple[Dict[str, Any], ...]:
        return next(entry["shapes"] for entry in PROVIDERS
                    if entry["providerName"] == provider["providerName"])

    def present(self, record: Record) -> Dict[str, Any]:
        return {name: value for name, value in record.data.items()
                if name not in ("compartmentId", "lifecycleState", "timeCreated", "displayName")}

    def subresource(self, record: Record, path: List[str], request: Request) -> Any:
        """``/{id}/virtualCircuitBandwidthShapes`` and ``/{id}/providerServiceKeys/{key}``."""
        if path == ["virtualCircuitBandwidthShapes"] and request.method == "GET":
            return page_of(list(self.shapes(record.data)), request)
        if len(path) == 2 and path[0] == "providerServiceKeys" and request.method == "GET":
            return self.service_key(record, path[1])
        raise not_found()

    def service_key(self, record: Record, key: str) -> Dict[str, Any]:
        """Only the Azure provider's keys can be looked up: they are ExpressRoute service keys."""
        circuit = self.expressroute.provider_circuit(key) \
            if record.data["providerName"] == AZURE_PROVIDER else None
        if circuit is None:
            raise not_found("provider service key")
        return {"name": key, "bandwidthShapeName": shape_name(circuit["bandwidth_mbps"]),
                "peeringLocation": circuit["peering_location"]}


class VirtualCircuit(FastConnectKind):
    collection = "virtualCircuits"
    ocid_type = "virtualcircuit"
    creating_state, ready_state = "PENDING_PROVIDER", "PROVISIONED"
    updatable = ResourceKind.updatable + (
        "bandwidthShapeName", "crossConnectMappings", "gatewayId", "providerServiceKeyName",
        "providerState", "referenceComment", "ipMtu")

    @property
    def providers(self) -> ProviderService:
        return self.cloud.kinds["fastConnectProviderServices"]

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        data = super().build(body)
        circuit_type = one_of(require(body, "type"), ("PUBLIC", "PRIVATE"), "type")
        if circuit_type == "PUBLIC":
            raise invalid_parameter("cloudsim simulates PRIVATE virtual circuits only.")
        if not body.get("providerServiceId"):
            raise invalid_parameter("A virtual circuit without a provider runs on cross-connects, "
                                    "which cloudsim does not simulate; give providerServiceId.")
        provider = require_reference(self.cloud, body, "providerServiceId",
                                     self.providers.collection).data
        key = body.get("providerServiceKeyName")
        if circuit_type not in provider["supportedVirtualCircuitTypes"]:
            raise invalid_parameter("%s does not offer %s virtual circuits."
                                    % (provider["providerName"], circuit_type))
        if provider["providerServiceKeyManagement"] == "CUSTOMER_MANAGED" and not key:
            raise invalid_parameter("providerServiceKeyName is required for %s."
                                    % provider["providerName"])
        settable = self.checked(provider, key, None, {
            "bandwidthShapeName": require(body, "bandwidthShapeName"),
            "ipMtu": body.get("ipMtu") or "MTU_1500", "gatewayId": body.get("gatewayId"),
            "crossConnectMappings": body.get("crossConnectMappings")})
        return {**data, **settable, "type": circuit_type, "providerServiceKeyName": key,
                "referenceComment": None, "providerServiceId": provider["id"],
                "providerName": provider["providerName"],
                "providerServiceName": provider["providerServiceName"],
                "serviceType": provider["type"],
                "bgpManagement": provider["privatePeeringBgpManagement"],
                "providerState": "INACTIVE", "oracleBgpAsn": ORACLE_ASN,
                "customerBgpAsn": None, "customerAsn": None, "bgpAdminState": "ENABLED",
                "isBfdEnabled": bool(body.get("isBfdEnabled", False)),
                "isTransportMode": False, "publicPrefixes": [], "routingPolicy": [],
                "region": self.cloud.region, "bgpIpv6SessionState": "DOWN"}

    def checked(self, provider: Dict[str, Any], key: Optional[str], record: Optional[Record],
                fields: Dict[str, Any]) -> Dict[str, Any]:
        """Validate what a create (``record`` None) or an update may set; return it normalised."""
        shape = fields["bandwidthShapeName"]
        if shape not in [offered["name"] for offered in self.providers.shapes(provider)]:
            raise invalid_parameter("Bandwidth shape %r is not offered by %s."
                                    % (shape, provider["providerName"]))
        one_of(fields["ipMtu"], ("MTU_1500", "MTU_9000"), "ipMtu")
        azure = provider["providerName"] == AZURE_PROVIDER
        if azure:
            self.check_expressroute(key, record, shape, fields["ipMtu"])
        gateway = require_reference(self.cloud, fields, "gatewayId", "drgs")
        mappings = fields.get("crossConnectMappings") or []
        if provider["privatePeeringBgpManagement"] == "CUSTOMER_MANAGED":
            mappings = self.bgp_mappings(mappings, exactly=2 if azure else None)
        return {"bandwidthShapeName": shape, "ipMtu": fields["ipMtu"], "gatewayId": gateway.id,
                "crossConnectMappings": mappings}

    def check_expressroute(self, key: str, record: Optional[Record], shape: str,
                           mtu: str) -> None:
        """The Azure side must have a circuit for ``key`` that this circuit can pair with."""
        circuit = self.expressroute.provider_circuit(key)
        if circuit is None:
            raise invalid_parameter("Provider service key %r is not a valid %s service key."
                                    % (key, AZURE_PROVIDER))
        # The project's collected facts (/work/shared/reference/interconnect-facts.md, "Bandwidth and SKUs"):
        # "FastConnect and ExpressRoute bandwidth must match"; and "MTU 1500 on ExpressRoute" ("Address plan").
        # Microsoft's how-to ("Set up a direct interconnection between Azure and OCI") asks for matching bandwidths.
        if shape_name(circuit["bandwidth_mbps"]) != shape:
            raise invalid_parameter("Bandwidth shape %s does not match the ExpressRoute "
                                    "circuit's %s." % (shape, shape_name(circuit["bandwidth_mbps"])))
        if mtu != "MTU_1500":
            raise invalid_parameter("ExpressRoute carries MTU 1500 only.")
        for other in self.cloud.live_records(self, every_region=True):  # one key, one circuit anywhere
            if other is not record and other.data["providerServiceKeyName"] == key:
                raise conflict("The provider service key %s is already used by %s."
                               % (key, other.id))

    @staticmethod
    def bgp_mappings(mappings: List[Dict[str, Any]], exactly: Optional[int]) -> List[Dict[str, Any]]:
        if not mappings or (exactly and len(mappings) != exactly):
            raise invalid_parameter("crossConnectMappings must hold %s mapping(s) with BGP "
                                    "peering addresses." % (exactly or "at least one"))
        normalised, networks = [], []
        for index, mapping in enumerate(mappings):
            addresses = [peering_address(mapping.get(name), "crossConnectMappings[%d].%s"
                                         % (index, name))
                         for name in ("oracleBgpPeeringIp", "customerBgpPeeringIp")]
            oracle, customer = addresses
            if oracle.network != customer.network or oracle.ip == customer.ip:
                raise invalid_parameter("crossConnectMappings[%d]: the Oracle and customer BGP "
                                        "addresses must be two different addresses of one /30."
                                        % index)
            if any(oracle.network.overlaps(other) for other in networks):
                raise invalid_parameter("crossConnectMappings[%d] overlaps another mapping." % index)
            networks.append(oracle.network)
            normalised.append({"oracleBgpPeeringIp": str(oracle), "customerBgpPeeringIp": str(customer),
                               "vlan": mapping.get("vlan"), "bgpMd5AuthKey": None,
                               "crossConnectOrCrossConnectGroupId": None,
                               "oracleBgpPeeringIpv6": None, "customerBgpPeeringIpv6": None})
        return normalised

    def validate_update(self, record: Record, changes: Dict[str, Any]) -> Dict[str, Any]:
        if "providerState" in changes:
            raise invalid_parameter("providerState can only be set by the provider.")
        key = changes.get("providerServiceKeyName", record.data["providerServiceKeyName"])
        if key != record.data["providerServiceKeyName"] and record.state != "PENDING_PROVIDER":
            raise incorrect_state("The provider service key can only change before the provider "
                                  "has accepted the virtual circuit.")
        provider = self.cloud.records[record.data["providerServiceId"]].data
        merged = {**record.data, **{name: value for name, value in changes.items()
                                    if value is not None}}
        changes.update(self.checked(provider, key, record, merged))
        if record.state == "PROVISIONED" and self.is_azure(record) and network_changed(record.data, changes):
            self.reprovision(record)
        if changes["gatewayId"] != record.data["gatewayId"]:
            self.attachments.detach_network(record.id)
            self.attachments.attach_network(changes["gatewayId"], record, "VIRTUAL_CIRCUIT")
        return changes

    # ---- lifecycle and coupling ------------------------------------------------------------

    def is_azure(self, record: Record) -> bool:
        return record.data["providerName"] == AZURE_PROVIDER

    @property
    def attachments(self) -> Any:
        return self.cloud.kinds["drgAttachments"]

    def after_create(self, record: Record) -> None:
        # OCI attaches a virtual circuit to the DRG named as its gatewayId itself: the
        # VIRTUAL_CIRCUIT attachment lives and goes with the circuit.
        self.attachments.attach_network(record.data["gatewayId"], record, "VIRTUAL_CIRCUIT")
        if self.is_azure(record):
            self.cloud.move_later(record, "provider.accept", "PENDING_PROVIDER", "PROVISIONING",
                                  then=lambda: self.provider_accepted(record))

    def provider_accepted(self, record: Record) -> None:
        key = record.data["providerServiceKeyName"]
        if self.expressroute.provider_circuit(key) is None:
            self.cloud.set_state(record, "FAILED")   # the ExpressRoute circuit went away
            return
        self.expressroute.set_provider_state(key, "Provisioning")
        self.provision_later(record)

    def provision_later(self, record: Record) -> None:
        self.cloud.move_later(record, "provider.provision", "PROVISIONING", "PROVISIONED",
                              then=lambda: self.provider_provisioned(record))

    def reprovision(self, record: Record) -> None:
        """Oracle's UpdateVirtualCircuit reference: "If the virtual circuit is working and in the
        PROVISIONED state, updating any of the network-related properties (such as the DRG being used,
        the BGP ASN, and so on) will cause the virtual circuit's state to switch to PROVISIONING and the
        related BGP session to go down. After Oracle re-provisions the virtual circuit, its state will
        return to PROVISIONED." The update's answer already says PROVISIONING; BGP (worked out on each
        read) is DOWN until then, on the Azure side's routes too. The ExpressRoute circuit's provider
        state is left as it is: no source says the provider re-provisions it."""
        self.cloud.set_state(record, "PROVISIONING")
        self.provision_later(record)

    def provider_provisioned(self, record: Record) -> None:
        key = record.data["providerServiceKeyName"]
        mappings = record.data["crossConnectMappings"]
        self.expressroute.set_provider_state(key, "Provisioned", mappings=[
            {"oracle_ip": mapping["oracleBgpPeeringIp"], "customer_ip": mapping["customerBgpPeeringIp"]}
            for mapping in mappings])
        peering = self.expressroute.private_peering(key) or {}
        for mapping in mappings:
            mapping["vlan"] = peering.get("vlan_id", mapping["vlan"])
        record.data.update(providerState="ACTIVE", customerBgpAsn=MICROSOFT_ASN,
                           customerAsn=MICROSOFT_ASN)

    def after_delete(self, record: Record) -> None:
        provider_involved = self.is_azure(record) and \
            record.state in ("PROVISIONING", "PROVISIONED")
        self.cloud.set_state(record, "TERMINATING")
        record.data["providerState"] = "INACTIVE"
        self.attachments.detach_network(record.id)
        key = record.data["providerServiceKeyName"]
        if provider_involved and self.expressroute.provider_circuit(key):
            self.expressroute.set_provider_state(key, "Deprovisioning")

        def deprovisioned() -> None:
            if provider_involved and self.expressroute.provider_circuit(key):
                self.expressroute.set_provider_state(key, "NotProvisioned")

        self.cloud.move_later(record, "provider.deprovision", "TERMINATING", "TERMINATED",
                              then=deprovisioned)

    def present(self, record: Record) -> Dict[str, Any]:
        data = super().present(record)
        data["bgpSessionState"] = "UP" if self.bgp_up(record) else "DOWN"
        return data

    def bgp_up(self, record: Record) -> bool:
        """UP when both ends agree: PROVISIONED here, an enabled private peering over there whose
        /30s carry Oracle on the first usable address and the customer on the second."""
        if record.state != "PROVISIONED" or not self.is_azure(record):
            return False
        key = record.data["providerServiceKeyName"]
        circuit = self.expressroute.provider_circuit(key) or {}
        circuit_name = str(circuit.get("circuit_id", "")).rsplit("/", 1)[-1]
        faults = self.cloud.sim.faults.settings
        if all(faults.bgp_down(circuit_name, path) for path in ("primary", "secondary")):
            return False   # the bgp_down_paths/bgp_down_circuits faults: a provider-side outage of both sessions
        peering = self.expressroute.private_peering(key)
        if not peering or peering.get("provisioning_state") != "Succeeded" or \
                peering.get("state") != "Enabled":
            return False
        mappings = record.data["crossConnectMappings"]
        prefixes = (peering.get("primary_prefix"), peering.get("secondary_prefix"))
        return len(mappings) == 2 and all(
            agrees(mapping, prefix) for mapping, prefix in zip(mappings, prefixes))

    def learned_prefixes(self, record: Record) -> List[str]:
        """The routes the circuit's BGP sessions bring in from Azure (none while they are down)."""
        if not self.bgp_up(record):
            return []
        return self.expressroute.advertised_prefixes(record.data["providerServiceKeyName"])

    def advertised_prefixes(self, service_key: str) -> Optional[List[str]]:
        """What OCI advertises over the circuit of ``service_key`` while BGP is up: the CIDRs of
        the VCNs attached to its DRG (the DRG's table for virtual circuit attachments imports
        the VCN routes, see drg_routing.py); None while BGP is down."""
        circuit = next((record for record in self.cloud.live_records(self) if
                        str(record.data["providerServiceKeyName"]).lower() == service_key.lower()),
                       None)
        if circuit is None or not self.bgp_up(circuit):
            return None
        vcns = [self.cloud.records[attachment.data["vcnId"]]
                for attachment in self.cloud.live_records(self.attachments)
                if attachment.data["drgId"] == circuit.data["gatewayId"]
                and attachment.state == "ATTACHED" and attachment.data["vcnId"]]
        return [block for vcn in vcns for block in vcn.data["cidrBlocks"]]


def network_changed(current: Dict[str, Any], changes: Dict[str, Any]) -> bool:
    """Whether ``changes`` moves a network-related property; mappings compare by BGP addresses (the
    provider fills in the VLAN, which a customer's update leaves out)."""
    def addresses(mappings: List[Dict[str, Any]]) -> List[Tuple[Any, Any]]:
        return [(mapping.get("oracleBgpPeeringIp"), mapping.get("customerBgpPeeringIp")) for mapping in mappings or []]
    for name in NETWORK_PROPERTIES:
        if name not in changes:
            continue
        if name == "crossConnectMappings":
            if addresses(changes[name]) != addresses(current.get(name)):
                return True
        elif changes[name] != current.get(name):
            return True
    return False


def agrees(mapping: Dict[str, Any], prefix: Optional[str]) -> bool:
    try:
        network = ipaddress.IPv4Network(prefix or "", strict=True)
    except ValueError:
        return False
    if network.prefixlen != 30:
        return False
    oracle, customer = list(network.hosts())
    return (mapping["oracleBgpPeeringIp"] == "%s/30" % oracle and
            mapping["customerBgpPeeringIp"] == "%s/30" % customer)


def peering_address(value: Any, field: str) -> ipaddress.IPv4Interface:
    try:
        address = ipaddress.IPv4Interface(value)
    except (TypeError, ValueError):
        raise invalid_parameter("%s %r is not an IPv4 address with a prefix length." % (field, value))
    if address.network.prefixlen != 30:
        raise invalid_parameter("%s %s must be in a /30." % (field, value))
    if address.ip in (address.network.network_address, address.network.broadcast_address):
        raise invalid_parameter("%s %s is the network or broadcast address of its /30."
                                % (field, value))
    return address


def colocated_shapes(cloud: ServingCloud, request: Request) -> Any:
    """``GET /virtualCircuitBandwidthShapes``: the shapes of circuits on one's own cross-connects."""
    cloud.require_compartment({"compartmentId": request.arg("compartmentId")})
    return page_of(list(COLOCATED_SHAPES), request)


FASTCONNECT_KINDS = (ProviderService, VirtualCircuit)
