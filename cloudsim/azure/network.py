"""Microsoft.Network resource types served by the generic engine, the ExpressRoute provider
catalogue, and what the provider does to a circuit (:class:`cloudsim.provider.ProviderLink`,
served through AzureCloud).

Each type only adds validation, server-owned defaults and its first-response quirks; the
engine in :mod:`cloudsim.azure.arm` does the protocol.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from cloudsim.azure import circuit_routes
from cloudsim.azure.arm import ArmEngine, ArmError, Resource, ResourceType, WriteContext, \
    bad_request
from cloudsim.http import Request, Response
from cloudsim.provider import MICROSOFT_ASN, ORACLE_ASN, PROVIDER_STATES, PeeringAddresses, \
    PrivatePeering, ProvidedCircuit

ORACLE_PROVIDER = "Oracle Cloud FastConnect"
ZERO_KEY = "00000000-0000-0000-0000-000000000000"


def _gbps(*values: int) -> List[Dict[str, Any]]:
    return [{"offerName": "%dGbps" % v, "valueInMbps": v * 1000} for v in values]


def _mbps(*values: int) -> List[Dict[str, Any]]:
    return [{"offerName": "%dMbps" % v, "valueInMbps": v} for v in values]


# name -> (peering locations, bandwidths). Oracle's locations are those of the region pairs in
# /work/shared/reference/interconnect-facts.md (an OCI region's FastConnect-to-Azure location).
SERVICE_PROVIDERS: Dict[str, Tuple[Tuple[str, ...], List[Dict[str, Any]]]] = {
    ORACLE_PROVIDER: (
        ("Amsterdam2", "Campinas", "Frankfurt", "Frankfurt2", "Johannesburg", "London",
         "Phoenix", "Seoul", "Silicon Valley", "Singapore", "Tokyo", "Toronto", "Toronto2",
         "Washington DC", "Washington DC2"),
        _gbps(1, 2, 5, 10)),
    "Equinix": (
        ("Amsterdam", "Amsterdam2", "Chicago", "Dallas", "Frankfurt", "London", "Osaka",
         "Seattle", "Silicon Valley", "Singapore", "Tokyo", "Washington DC"),
        _mbps(50, 100, 200, 500) + _gbps(1, 2, 5, 10)),
    "Megaport": (
        ("Amsterdam", "Frankfurt", "London", "Melbourne", "Singapore", "Sydney", "Tokyo",
         "Toronto"),
        _mbps(50, 100, 200, 500) + _gbps(1, 2, 5, 10)),
    "Colt": (
        ("Amsterdam", "Frankfurt", "London", "Osaka", "Tokyo"),
        _mbps(50, 100, 200, 500) + _gbps(1, 10)),
}


def service_providers(sim) -> List[Dict[str, Any]]:
    return [{
        "name": name,
        "id": "/subscriptions/%s/resourceGroups//providers/Microsoft.Network/"
              "expressRouteServiceProviders/%s" % (sim.config.azure_subscription_id,
                                                   name.replace(" ", "")),
        "type": "Microsoft.Network/expressRouteServiceProviders",
        "location": "",
        "properties": {"provisioningState": "Succeeded", "peeringLocations": list(locations),
                       "bandwidthsOffered": [dict(b) for b in bandwidths]},
    } for name, (locations, bandwidths) in SERVICE_PROVIDERS.items()]


# ---- small validation helpers ---------------------------------------------------------------

def canonical(value: Any, choices: Iterable[str], what: str) -> str:
    """The canonical spelling of an enum value; ARM matches them case-insensitively."""
    choices = list(choices)
    if isinstance(value, str):
        for choice in choices:
            if choice.lower() == value.lower():
                return choice
    raise bad_request("InvalidRequestFormat",
                      "Cannot parse the request: value '%s' of %s is not one of %s."
                      % (value, what, ", ".join(choices)))


def required(container: Dict[str, Any], key: str, what: str) -> Any:
    value = container.get(key)
    if value in (None, "", [], {}):
        raise bad_request("InvalidRequestFormat",
                          "Cannot parse the request: %s is required." % what)
    return value


def network_of(prefix: Any, resource_id: str) -> ipaddress._BaseNetwork:
    """A CIDR prefix as ARM checks it: well-formed, and the network address itself."""
    try:
        loose = ipaddress.ip_network(prefix, strict=False) if isinstance(prefix, str) else None
    except ValueError:
        loose = None
    if loose is None:
        raise bad_request("InvalidAddressPrefixFormat",
                          "Address prefix %s of resource %s is not formatted correctly. It should "
                          "follow CIDR notation, for example 10.0.0.0/24." % (prefix, resource_id))
    if str(loose.network_address) != prefix.split("/")[0] or "/" not in prefix:
        raise bad_request("InvalidCIDRNotation",
                          "The address prefix %s in resource %s has an invalid CIDR notation. For "
                          "the given prefix length, the address prefix should be %s."
                          % (prefix, resource_id, loose))
    return loose


def prefixes_of(properties: Dict[str, Any], resource_id: str) -> List[ipaddress._BaseNetwork]:
    """``addressPrefix`` and ``addressPrefixes`` of a subnet, parsed."""
    raw = list(properties.get("addressPrefixes") or [])
    if properties.get("addressPrefix"):
        raw.insert(0, properties["addressPrefix"])
    return [network_of(p, resource_id) for p in raw]


def _overlap(first: Sequence, second: Sequence) -> bool:
    return any(a.version == b.version and a.overlaps(b) for a in first for b in second)


# ---- ExpressRoute circuits and peerings ---------------------------------------------------------

SKU_TIERS = ("Standard", "Premium", "Basic", "Local")
SKU_FAMILIES = ("MeteredData", "UnlimitedData")


class CircuitPeerings(ResourceType):
    segment = "peerings"
    embed_key = "peerings"
    fixed_names = ("AzurePrivatePeering", "AzurePublicPeering", "MicrosoftPeering")
    children_omitted_means_empty = False    # a circuit PUT without peerings keeps them
    action_segments = ("stats", "routetables", "routetablessummary", "arptables")
    read_only = ResourceType.read_only + ("azureASN", "primaryAzurePort", "secondaryAzurePort",
                                          "lastModifiedBy", "gatewayManagerEtag", "connections",
                                          "peeredConnections")

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        peering_id = ctx.resource_id(self)
        peering_type = canonical(props.get("peeringType") or ctx.name, self.fixed_names,
                                 "peeringType")
        if peering_type.lower() != ctx.name.lower():
            raise bad_request("PeeringTypeNameMismatch",
                              "Peering type %s does not match the peering name %s."
                              % (peering_type, ctx.name))
        circuit = ctx.parent_props
        if circuit.get("serviceProviderProvisioningState") != "Provisioned":
            raise bad_request("CircuitNotProvisionedByServiceProvider",
                              "Peering %s cannot be configured because the circuit is not "
                              "provisioned by the service provider (serviceProviderProvisioning"
                              "State is %s)." % (peering_id, circuit.get(
                                  "serviceProviderProvisioningState", "NotProvisioned")))
        props["peeringType"] = peering_type
        asn = props.get("peerASN")
        if isinstance(asn, bool) or not isinstance(asn, int) or not 1 <= asn <= 4294967295 \
                or asn in (MICROSOFT_ASN, 65515):
            raise bad_request("InvalidPeerAsn", "Peer ASN %s of peering %s is not valid."
                              % (asn, peering_id))
        vlan = props.get("vlanId")
        if isinstance(vlan, bool) or not isinstance(vlan, int) or not 1 <= vlan <= 4094:
            raise bad_request("InvalidVlanId", "VLAN ID %s of peering %s is not valid; it must be "
                                               "between 1 and 4094." % (vlan, peering_id))
        networks = []
        for key in ("primaryPeerAddressPrefix", "secondaryPeerAddressPrefix"):
            network = network_of(required(props, key, key), peering_id)
            if network.version != 4 or network.prefixlen != 30:
                raise bad_request("InvalidPeeringAddressPrefix",
                                  "%s %s of peering %s must be an IPv4 /30 subnet."
                                  % (key, props[key], peering_id))
            networks.append(network)
        if networks[0].overlaps(networks[1]):
            raise bad_request("PeeringPrefixesOverlap",
                              "The primary and secondary peer address prefixes of peering %s "
                              "overlap." % peering_id)
        props["state"] = canonical(props.get("state") or "Enabled", ("Enabled", "Disabled"),
                                   "state")
        props["lastModifiedBy"] = "Customer"   # every API write is the customer's
        return props

    def first_response(self, view: Dict[str, Any], created: bool) -> Dict[str, Any]:
        if created:   # Azure assigns its side of the peering during the operation
            view["properties"]["azureASN"] = 0
            for key in ("primaryAzurePort", "secondaryAzurePort"):
                view["properties"].pop(key, None)
        return view

    def succeeded(self, resource: Resource, engine: ArmEngine, created: bool) -> None:
        props = resource.properties
        location = resource.parent.properties["serviceProviderProperties"]["peeringLocation"]
        port = "MSEE-%s-%s" % ("".join(w[:3] for w in location.upper().split()),
                               "ORACLE" if resource.meta.get("provider_made") else "CUST")
        props.update({"azureASN": MICROSOFT_ASN, "primaryAzurePort": port + "-PRI",
                      "secondaryAzurePort": port + "-SEC", "gatewayManagerEtag": "",
                      "connections": [], "peeredConnections": []})

    def action(self, resource: Resource, engine: ArmEngine, request: Request,
               path: List[str]) -> Response:
        """``stats`` (GET) and the router tables (POST ``routeTables|routeTablesSummary|
        arpTables/{devicePath}``, long-running), see circuit_routes.py."""
        action = path[0].lower()
        if action == "stats" and len(path) == 1 and request.method == "GET":
            return Response(200, dict(circuit_routes.NO_TRAFFIC))
        if action == "stats" or len(path) != 2 or request.method != "POST":
            raise ArmError(405, "MethodNotAllowed", "The requested resource does not support "
                                                    "http method '%s'." % request.method)
        device = circuit_routes.device_path(path[1])
        circuit = resource.parent
        key = circuit.properties.get("serviceKey", "")

        def learned() -> Optional[List[str]]:
            """The provider's prefixes; None while the BGP session of this path is down (the peering's, or
            a provider-side outage of this path: the bgp_down_paths fault)."""
            if device in engine.sim.faults.settings.bgp_down_paths:
                return None
            return engine.sim.azure.provider_routes.provider_prefixes(key) \
                if peering_up(circuit, resource) else None

        tables = {
            "routetables": lambda: circuit_routes.routes_table(resource.properties, device, learned() or []),
            "routetablessummary": lambda: circuit_routes.routes_table_summary(resource.properties, device,
                                                                              learned()),
            "arptables": lambda: circuit_routes.arp_table(resource.properties, device,
                                                          peering_up(circuit, resource)),
        }
        return engine.start_action(request, resource, tables[action])

    def check_delete(self, resource: Resource, engine: ArmEngine) -> Optional[ArmError]:
        super().check_delete(resource, engine)
        # Microsoft's rule ("Configure peering for an ExpressRoute circuit", Delete Azure private
        # peering, wording corrected in MicrosoftDocs/azure-docs#97855): "You must ensure that
        # all connections and ExpressRoute Global Reach connections are removed before running
        # this operation." No recording of Azure's answer was found (searched azure-cli,
        # azure-powershell, terraform-provider-azurerm, MicrosoftDocs threads), so the code and
        # message are the simulator's own, refused at once like the other in-use deletes.
        if resource.name.lower() != "azureprivatepeering":
            return None
        users = [ref for ref in engine.referrers(resource.parent) if "/connections/" in ref.lower()]
        users += [str(c.get("id", c.get("name", ""))) for c in
                  resource.properties.get("connections") or []]
        if users:
            raise bad_request("InUseExpressRouteCircuitPeeringCannotBeDeleted",
                              "Peering %s cannot be deleted while connections use it: %s. Remove "
                              "all connections and ExpressRoute Global Reach connections first "
                              "(cloudsim's own wording: no recorded Azure answer)."
                              % (resource.id, ", ".join(users)))
        return None


class ExpressRouteCircuits(ResourceType):
    segment = "expressRouteCircuits"
    child_types = (CircuitPeerings(),)
    in_use_code = "InUseExpressRouteCircuitCannotBeDeleted"
    # Real circuit GETs carry resourceGuid and allowGlobalReach (false) next to
    # globalReachEnabled, though azure-mgmt-network 33's ExpressRouteCircuitPropertiesFormat
    # models neither: the NetBrain API docs' Azure MSEE sample (Express Route Circuits - Get,
    # api-version 2021-08-01, NetBrainAPI/NetBrain-Data-Retrieve-API-*), and the
    # `az network express-route create` example output in Microsoft's ExpressRoute Direct how-to
    # for the Azure CLI (MicrosoftDocs/azure-docs and its localized copies): "allowGlobalReach":
    # false. Both are false until Global Reach is configured, which cloudsim does not serve.
    assigns_resource_guid = True
    action_segments = ("stats",)
    read_only = ResourceType.read_only + ("serviceKey", "serviceProviderProvisioningState",
                                          "circuitProvisioningState", "stag",
                                          "gatewayManagerEtag", "globalReachEnabled",
                                          "allowGlobalReach", "authorizationStatus")

    def top_level(self, ctx: WriteContext) -> Dict[str, Any]:
        sku = ctx.body.get("sku")
        if not isinstance(sku, dict) or not (sku.get("name") or sku.get("tier")):
            raise bad_request("InvalidRequestFormat",
                              "Cannot parse the request: sku (name or tier and family) is "
                              "required.")
        name_tier, name_family = (str(sku.get("name") or "").split("_", 1) + [""])[:2]
        tier = canonical(sku.get("tier") or name_tier, SKU_TIERS, "sku.tier")
        family = canonical(sku.get("family") or name_family, SKU_FAMILIES, "sku.family")
        if sku.get("name") and (name_tier.lower(), name_family.lower()) != (tier.lower(),
                                                                            family.lower()):
            raise bad_request("ExpressRouteCircuitSkuNameMismatch",
                              "SKU name %s does not match tier %s and family %s."
                              % (sku["name"], tier, family))
        if tier == "Local" and family != "UnlimitedData":
            raise bad_request("LocalSkuRequiresUnlimitedData",
                              "An ExpressRoute Local circuit must use the UnlimitedData family.")
        old = ctx.existing.body.get("sku") if ctx.existing else None
        if old and old["family"] == "UnlimitedData" and family == "MeteredData":
            raise bad_request("CannotChangeSkuFamilyFromUnlimitedToMetered",
                              "The SKU family of circuit %s cannot be changed from UnlimitedData "
                              "to MeteredData." % ctx.existing.id)
        return {"sku": {"name": "%s_%s" % (tier, family), "tier": tier, "family": family}}

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        spp = dict(required(props, "serviceProviderProperties", "serviceProviderProperties"))
        provider = canonical(required(spp, "serviceProviderName", "serviceProviderName"),
                             SERVICE_PROVIDERS, "serviceProviderName")
        locations, bandwidths = SERVICE_PROVIDERS[provider]
        location = required(spp, "peeringLocation", "peeringLocation")
        matched = next((l for l in locations if isinstance(location, str)
                        and l.lower() == location.lower()), None)
        if matched is None:
            raise bad_request("InvalidPeeringLocation",
                              "Peering location %s is not offered by service provider %s. "
                              "Offered locations: %s." % (location, provider, ", ".join(locations)))
        bandwidth = spp.get("bandwidthInMbps")
        if bandwidth not in [b["valueInMbps"] for b in bandwidths] or isinstance(bandwidth, bool):
            raise bad_request("InvalidBandwidth",
                              "Bandwidth %s Mbps is not offered by service provider %s at %s."
                              % (bandwidth, provider, matched))
        if ctx.existing is not None:
            self._check_update(ctx.existing, provider, matched, bandwidth)
        props["serviceProviderProperties"] = {**spp, "serviceProviderName": provider,
                                              "peeringLocation": matched,
                                              "bandwidthInMbps": bandwidth}
        props.setdefault("allowClassicOperations", False)
        props.setdefault("authorizations", [])
        return props

    @staticmethod
    def _check_update(existing: Resource, provider: str, location: str, bandwidth: int) -> None:
        old = existing.properties["serviceProviderProperties"]
        if bandwidth < old["bandwidthInMbps"]:
            raise bad_request("CircuitBandwidthDecreaseNotAllowed",
                              "The bandwidth of circuit %s cannot be decreased from %s Mbps to %s "
                              "Mbps. Create a new circuit for a lower bandwidth."
                              % (existing.id, old["bandwidthInMbps"], bandwidth))
        provisioned = existing.properties.get("serviceProviderProvisioningState") != \
            "NotProvisioned"
        if provisioned and (provider, location) != (old["serviceProviderName"],
                                                    old["peeringLocation"]):
            raise bad_request("CannotChangeServiceProviderPropertiesOfProvisionedCircuit",
                              "The service provider or peering location of circuit %s cannot be "
                              "changed while the provider has it provisioned." % existing.id)

    def created(self, resource: Resource, ctx: WriteContext) -> None:
        # The first answer shows an all-zero key and a disabled circuit; the operation fills in.
        resource.meta["service_key"] = ctx.engine.sim.new_guid()
        resource.properties.update({"serviceKey": ZERO_KEY, "circuitProvisioningState": "Disabled",
                                    "serviceProviderProvisioningState": "NotProvisioned",
                                    "allowGlobalReach": False, "globalReachEnabled": False})

    def succeeded(self, resource: Resource, engine: ArmEngine, created: bool) -> None:
        props = resource.properties
        if props.get("serviceKey") == ZERO_KEY:
            props.update({"serviceKey": resource.meta["service_key"],
                          "circuitProvisioningState": "Enabled",
                          "stag": int(engine.sim.new_guid()[:8], 16) % 1000 + 1,
                          "gatewayManagerEtag": ""})

    def action(self, resource: Resource, engine: ArmEngine, request: Request,
               path: List[str]) -> Response:
        """GET ``stats``: the circuit's byte counters (no traffic is simulated)."""
        if [segment.lower() for segment in path] == ["stats"] and request.method == "GET":
            return Response(200, dict(circuit_routes.NO_TRAFFIC))
        return super().action(resource, engine, request, path)

    def check_delete(self, resource: Resource, engine: ArmEngine) -> Optional[ArmError]:
        super().check_delete(resource, engine)
        # Azure accepts the DELETE and fails the operation (recorded in oracle-quickstart/
        # oci-azure-interconnect#8): the provider must deprovision first.
        if resource.properties.get("serviceProviderProvisioningState") != "NotProvisioned":
            return ArmError(409, "ConflictError",
                            "The specified dedicated circuit is not in Deprovisioned state. Please "
                            "initiate the deprovisioning process with your service provider.")
        return None


# ---- virtual networks and subnets -------------------------------------------------------------

class Subnets(ResourceType):
    segment = "subnets"
    embed_key = "subnets"
    in_use_code = "InUseSubnetCannotBeDeleted"
    read_only = ResourceType.read_only + ("ipConfigurations", "purpose")

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        subnet_id = ctx.resource_id(self)
        mine = prefixes_of(ctx.properties, subnet_id)
        if not mine:
            raise bad_request("InvalidRequestFormat",
                              "Cannot parse the request: addressPrefix of subnet %s is required."
                              % ctx.name)
        space = [network_of(p, subnet_id) for p in
                 ctx.parent_props.get("addressSpace", {}).get("addressPrefixes", [])]
        vnet_name = subnet_id.split("/")[-3]
        for prefix in mine:
            if not any(prefix.version == s.version and prefix.subnet_of(s) for s in space):
                raise bad_request("NetcfgSubnetRangeOutsideVnet",
                                  "Subnet '%s' is not valid because its IP address range is "
                                  "outside the IP address range of virtual network '%s'."
                                  % (ctx.name, vnet_name))
        for sibling, properties in ctx.siblings:
            if _overlap(mine, prefixes_of(properties, subnet_id)):
                raise bad_request("NetcfgSubnetRangesOverlap",
                                  "Subnet '%s' is not valid in virtual network '%s' because it "
                                  "overlaps with '%s'." % (ctx.name, vnet_name, sibling))
        if ctx.name.lower() == "gatewaysubnet" and ctx.properties.get("networkSecurityGroup"):
            raise bad_request("NetworkSecurityGroupNotCompliantForGatewaySubnet",
                              "Network security group cannot be associated with GatewaySubnet "
                              "of virtual network '%s'." % vnet_name)
        return dict(ctx.properties)

    def decorate(self, view: Dict[str, Any], resource: Resource, engine: ArmEngine) -> None:
        # The gateways' IP configurations that use this subnet, as Azure lists them.
        configs = [{"id": "%s/ipConfigurations/%s" % (gateway.id, config.get("name", "default"))}
                   for gateway in engine.of_type(GATEWAYS)
                   for config in gateway.properties.get("ipConfigurations", [])
                   if str(config.get("properties", {}).get("subnet", {}).get("id", "")).lower()
                   == resource.id.lower()]
        if configs:
            view["properties"]["ipConfigurations"] = configs


class VirtualNetworks(ResourceType):
    segment = "virtualNetworks"
    assigns_resource_guid = True
    child_types = (Subnets(),)
    in_use_code = "InUseSubnetCannotBeDeleted"

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        vnet_id = ctx.resource_id(self)
        space = required(props, "addressSpace", "addressSpace")
        prefixes = required(space, "addressPrefixes", "addressSpace.addressPrefixes")
        networks = [network_of(p, vnet_id) for p in prefixes]
        for index, network in enumerate(networks):
            for other in networks[index + 1:]:
                if network.version == other.version and network.overlaps(other):
                    raise bad_request("VnetAddressSpacesOverlap",
                                      "Cannot create or update virtual network %s because the "
                                      "address spaces %s and %s overlap." % (vnet_id, network,
                                                                             other))
        props.setdefault("enableDdosProtection", False)
        props.setdefault("virtualNetworkPeerings", [])
        return props


# ---- gateways and connections ----------------------------------------------------------------

GATEWAY_SKUS = {
    "ExpressRoute": ("Standard", "HighPerformance", "UltraPerformance", "ErGw1AZ", "ErGw2AZ",
                     "ErGw3AZ", "ErGwScale"),
    "Vpn": ("Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ", "VpnGw2AZ",
            "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"),
}


class VirtualNetworkGateways(ResourceType):
    segment = "virtualNetworkGateways"
    assigns_resource_guid = True
    delay_name = "azure.gateway_lro"
    in_use_code = "InUseVirtualNetworkGatewayCannotBeDeleted"

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        gateway_id = ctx.resource_id(self)
        gateway_type = canonical(required(props, "gatewayType", "gatewayType"), GATEWAY_SKUS,
                                 "gatewayType")
        if ctx.existing and ctx.existing.properties["gatewayType"] != gateway_type:
            raise bad_request("GatewayTypeCannotBeChanged",
                              "The gateway type of %s cannot be changed." % gateway_id)
        sku = dict(required(props, "sku", "sku"))
        sku_name = canonical(required(sku, "name", "sku.name"), GATEWAY_SKUS[gateway_type],
                             "sku.name for a %s gateway" % gateway_type)
        props["gatewayType"] = gateway_type
        props["sku"] = {**sku, "name": sku_name, "tier": sku_name}
        configs = required(props, "ipConfigurations", "ipConfigurations")
        for config in configs:
            subnet_id = str(((config.get("properties") or {}).get("subnet") or {}).get("id", ""))
            if subnet_id.rstrip("/").rsplit("/", maxsplit=1)[-1].lower() != "gatewaysubnet":
                raise bad_request("InvalidGatewaySubnet",
                                  "Gateway %s must reference a subnet named GatewaySubnet; %s "
                                  "is not one." % (gateway_id, subnet_id or "no subnet"))
            config.setdefault("name", "default")
            config.setdefault("id", "%s/ipConfigurations/%s" % (gateway_id, config["name"]))
            self._check_public_ip(ctx, gateway_id, gateway_type, config)
        props.setdefault("vpnType", "RouteBased")
        props.setdefault("enableBgp", False)
        props.setdefault("activeActive", False)
        return props

    @staticmethod
    def _check_public_ip(ctx: WriteContext, gateway_id: str, gateway_type: str,
                         config: Dict[str, Any]) -> None:
        """The public IP rules of a gateway's IP configuration, as Azure answers them."""
        pip_id = str(((config.get("properties") or {}).get("publicIPAddress") or {}).get("id")
                     or "")
        if not pip_id:
            # Azure's answer, typo included, to a gateway IP configuration without a public IP:
            # hashicorp/terraform-provider-azurerm#6548 (why public_ip_address_id became
            # required there). No source found says a current ExpressRoute SKU may omit it.
            raise bad_request("PublicIpForGatewayIsRequired",
                              "Public IP address reference is required for gateway IP "
                              "configration %s." % config["id"])
        public_ip = ctx.engine.get(pip_id)
        sku = ((public_ip.body.get("sku") or {}).get("name") if public_ip else None) or "Basic"
        if public_ip is not None and gateway_type == "ExpressRoute" and sku == "Basic":
            # Every ExpressRoute SKU, UltraPerformance included, refuses a Basic public IP:
            # oracle-quickstart/oci-azure-interconnect#6 (2024, its new-environment's
            # UltraPerformance gateway); Microsoft Learn "About migrating to an availability
            # zone-enabled ExpressRoute virtual network gateway" (expressroute/gateway-migration)
            # says the non-AZ SKUs were only "historically associated with Basic IPs".
            raise bad_request("PublicIpWithBasicSkuNotAllowedOnExpressRouteGateways",
                              "Basic IP configuration for ExpressRoute Virtual Network Gateways "
                              "is not supported. Please create and associate a Standard IP. %s"
                              % gateway_id)


GATEWAYS = VirtualNetworkGateways()
CIRCUITS = ExpressRouteCircuits()


# ---- public IP addresses ---------------------------------------------------------------------

class PublicIPAddresses(ResourceType):
    """Microsoft.Network/publicIPAddresses (azure-rest-api-specs, network/resource-manager
    publicIpAddress.json: sku {name Basic/Standard, tier Regional/Global},
    publicIPAllocationMethod, publicIPAddressVersion, idleTimeoutInMinutes, read-only ipAddress
    and ipConfiguration)."""
    segment = "publicIPAddresses"
    assigns_resource_guid = True
    read_only = ResourceType.read_only + ("ipAddress", "ipConfiguration")

    def top_level(self, ctx: WriteContext) -> Dict[str, Any]:
        sku = ctx.body.get("sku") or {}
        if not isinstance(sku, dict):
            raise bad_request("InvalidRequestFormat", "Cannot parse the request: sku.")
        # No sku is a Basic one (the API's default, as azurerm_public_ip documents "Defaults to
        # Basic").
        name = canonical(sku.get("name") or "Basic", ("Basic", "Standard"), "sku.name")
        tier = canonical(sku.get("tier") or "Regional", ("Regional", "Global"), "sku.tier")
        return {"sku": {"name": name, "tier": tier}}

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        pip_id = ctx.resource_id(self)
        # Omitted, the method is Dynamic: a Standard IP sent without one is refused as
        # StandardSkuPublicIPAddressesMustBeStatic (pulumi/pulumi-azure-native#1597).
        method = canonical(props.get("publicIPAllocationMethod") or "Dynamic",
                           ("Static", "Dynamic"), "publicIPAllocationMethod")
        if (ctx.body.get("sku") or {}).get("name", "").lower() == "standard" \
                and method != "Static":
            # Azure's answer (MicrosoftDocs/azure-docs#42889, pulumi-azure-native#1597).
            raise bad_request("StandardSkuPublicIPAddressesMustBeStatic",
                              "Standard sku publicIp %s must have AllocationMethod set to Static."
                              % pip_id)
        props["publicIPAllocationMethod"] = method
        props["publicIPAddressVersion"] = canonical(props.get("publicIPAddressVersion") or "IPv4",
                                                    ("IPv4", "IPv6"), "publicIPAddressVersion")
        props.setdefault("idleTimeoutInMinutes", 4)
        return props

    def created(self, resource: Resource, ctx: WriteContext) -> None:
        # The address the IP holds once assigned; an address of TEST-NET-2 (RFC 5737), so no
        # simulated address is a real one.
        number = int(ctx.engine.sim.new_guid()[:4], 16) % 254 + 1
        resource.meta["address"] = "198.51.100.%d" % number

    def decorate(self, view: Dict[str, Any], resource: Resource, engine: ArmEngine) -> None:
        # Microsoft Learn, "Public IP addresses" (as quoted in MicrosoftDocs/azure-docs#42889):
        # a static address is assigned when the public IP is created, a dynamic one when it is
        # associated with a resource that is started (here: a gateway whose create succeeded),
        # and released again with it.
        props = view["properties"]
        config = _gateway_config_using(engine, resource)
        if config is not None:
            props["ipConfiguration"] = {"id": config[1]}
        assigned = resource.meta.get("assigned") if props["publicIPAllocationMethod"] == "Static" \
            else config is not None and config[0].state == "Succeeded"
        if assigned:
            props["ipAddress"] = resource.meta["address"]

    def succeeded(self, resource: Resource, engine: ArmEngine, created: bool) -> None:
        resource.meta["assigned"] = True

    def check_delete(self, resource: Resource, engine: ArmEngine) -> Optional[ArmError]:
        config = _gateway_config_using(engine, resource)
        if config is not None:
            # Refused at once, 400 (hashicorp/terraform-provider-azurerm#2566 with gateways,
            # microsoft/AzureTRE#4346: "performing Delete: unexpected status 400").
            raise bad_request("PublicIPAddressCannotBeDeleted",
                              "Public IP address %s can not be deleted since it is still "
                              "allocated to resource %s. In order to delete the public IP, "
                              "disassociate/detach the Public IP address from the resource.  To "
                              "learn how to do this, see aka.ms/deletepublicip."
                              % (resource.id, config[1]))
        return None


def _gateway_config_using(engine: ArmEngine, public_ip: Resource) -> Optional[Tuple[Resource, str]]:
    """(gateway, IP configuration id) of the gateway IP configuration using ``public_ip``."""
    for gateway in engine.of_type(GATEWAYS):
        for config in gateway.properties.get("ipConfigurations", []):
            ref = str(((config.get("properties") or {}).get("publicIPAddress") or {}).get("id", ""))
            if ref.lower().rstrip("/") == public_ip.id.lower():
                return gateway, "%s/ipConfigurations/%s" % (gateway.id, config.get("name", "default"))
    return None


PUBLIC_IPS = PublicIPAddresses()


class Connections(ResourceType):
    segment = "connections"
    delay_name = "azure.gateway_lro"
    read_only = ResourceType.read_only + ("connectionStatus", "ingressBytesTransferred",
                                          "egressBytesTransferred")

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        connection_id = ctx.resource_id(self)
        props["connectionType"] = canonical(
            required(props, "connectionType", "connectionType"),
            ("ExpressRoute", "IPsec", "Vnet2Vnet", "VPNClient"), "connectionType")
        gateway = ctx.engine.get(str(required(props.get("virtualNetworkGateway1") or {}, "id",
                                              "virtualNetworkGateway1.id")))
        if props["connectionType"] != "ExpressRoute" or gateway is None:
            return props
        if gateway.kind is not GATEWAYS or gateway.properties.get("gatewayType") != "ExpressRoute":
            raise bad_request("ExpressRouteConnectionRequiresExpressRouteGateway",
                              "Connection %s of type ExpressRoute must use a virtual network "
                              "gateway of type ExpressRoute; %s is of type %s."
                              % (connection_id, gateway.id, gateway.properties.get("gatewayType")))
        circuit = ctx.engine.get(str(required(props.get("peer") or {}, "id", "peer.id")))
        if ctx.existing is not None and (circuit, gateway) != (
                ctx.engine.get(ctx.existing.properties["peer"]["id"]),
                ctx.engine.get(ctx.existing.properties["virtualNetworkGateway1"]["id"])):
            raise bad_request("ExpressRouteConnectionPeerCannotBeChanged",
                              "Connection's peer cannot be changed. Please use %s and %s as "
                              "endpoints for connection %s."
                              % (ctx.existing.properties["virtualNetworkGateway1"]["id"],
                                 ctx.existing.properties["peer"]["id"], connection_id))
        if circuit is None or circuit.kind is not CIRCUITS:
            raise bad_request("InvalidResourceReference",
                              "Resource %s referenced by resource %s is not an ExpressRoute "
                              "circuit." % ((props.get("peer") or {}).get("id"), connection_id))
        state = circuit.properties.get("serviceProviderProvisioningState")
        if state != "Provisioned":
            raise bad_request("ExpressRouteCircuitNotProvisioned",
                              "Cannot link ExpressRoute circuit %s to gateway %s because the "
                              "circuit is not provisioned by the service provider "
                              "(serviceProviderProvisioningState is %s)."
                              % (circuit.id, gateway.id, state))
        if not _private_peering_resource(circuit):
            raise bad_request("ExpressRouteCircuitPrivatePeeringNotConfigured",
                              "Cannot link ExpressRoute circuit %s to gateway %s because Azure "
                              "private peering is not configured on the circuit."
                              % (circuit.id, gateway.id))
        props.setdefault("routingWeight", 0)
        props.setdefault("enableBgp", False)
        props.setdefault("expressRouteGatewayBypass", False)
        return props

    def decorate(self, view: Dict[str, Any], resource: Resource, engine: ArmEngine) -> None:
        props = view["properties"]
        props.setdefault("ingressBytesTransferred", 0)
        props.setdefault("egressBytesTransferred", 0)
        if props["connectionType"] != "ExpressRoute":
            return
        circuit = engine.get(str(props.get("peer", {}).get("id", "")))
        peering = _private_peering_resource(circuit) if circuit else None
        up = (resource.state == "Succeeded" and circuit is not None and peering is not None
              and circuit.properties.get("serviceProviderProvisioningState") == "Provisioned"
              and peering.properties.get("state") == "Enabled")
        props["connectionStatus"] = "Connected" if up else (
            "Unknown" if resource.state == "Updating" else "NotConnected")


# ---- network security groups -----------------------------------------------------------------

def _default_rule(name: str, priority: int, direction: str, access: str, source: str,
                  destination: str) -> Dict[str, Any]:
    return {"name": name, "properties": {
        "description": "Default rule", "protocol": "*", "sourcePortRange": "*",
        "destinationPortRange": "*", "sourceAddressPrefix": source,
        "destinationAddressPrefix": destination, "access": access, "priority": priority,
        "direction": direction, "provisioningState": "Succeeded"}}


DEFAULT_SECURITY_RULES = (
    _default_rule("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork",
                  "VirtualNetwork"),
    _default_rule("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow",
                  "AzureLoadBalancer", "*"),
    _default_rule("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
    _default_rule("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork",
                  "VirtualNetwork"),
    _default_rule("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
    _default_rule("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
)


class SecurityRules(ResourceType):
    segment = "securityRules"
    embed_key = "securityRules"

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        props = dict(ctx.properties)
        rule_id = ctx.resource_id(self)
        props["protocol"] = canonical(required(props, "protocol", "protocol"),
                                      ("Tcp", "Udp", "Icmp", "Esp", "Ah", "*"), "protocol")
        props["access"] = canonical(required(props, "access", "access"), ("Allow", "Deny"),
                                    "access")
        props["direction"] = canonical(required(props, "direction", "direction"),
                                       ("Inbound", "Outbound"), "direction")
        priority = props.get("priority")
        if isinstance(priority, bool) or not isinstance(priority, int) or \
                not 100 <= priority <= 4096:
            raise bad_request("SecurityRuleInvalidPriority",
                              "Security rule has invalid Priority. Value provided: %s Allowed "
                              "range 100-4096." % priority)
        for side in ("source", "destination"):
            if not (props.get(side + "PortRange") or props.get(side + "PortRanges")):
                raise bad_request("SecurityRuleParameterContainsUnsupportedValue",
                                  "Security rule %s needs %sPortRange or %sPortRanges."
                                  % (rule_id, side, side))
            if not (props.get(side + "AddressPrefix") or props.get(side + "AddressPrefixes")
                    or props.get(side + "ApplicationSecurityGroups")):
                raise bad_request("SecurityRuleParameterContainsUnsupportedValue",
                                  "Security rule %s needs %sAddressPrefix or %sAddressPrefixes."
                                  % (rule_id, side, side))
        for sibling, other in ctx.siblings:
            if other.get("priority") == priority and \
                    str(other.get("direction", "")).lower() == props["direction"].lower():
                raise bad_request("SecurityRuleConflict",
                                  "Security rule %s conflicts with rule %s. Rules cannot have the "
                                  "same Priority and Direction." % (ctx.name, sibling))
        return props


class NetworkSecurityGroups(ResourceType):
    segment = "networkSecurityGroups"
    assigns_resource_guid = True
    child_types = (SecurityRules(),)
    in_use_code = "InUseNetworkSecurityGroupCannotBeDeleted"
    read_only = ResourceType.read_only + ("defaultSecurityRules", "subnets", "networkInterfaces")

    def decorate(self, view: Dict[str, Any], resource: Resource, engine: ArmEngine) -> None:
        view["properties"]["defaultSecurityRules"] = [
            {**rule, "id": "%s/defaultSecurityRules/%s" % (resource.id, rule["name"]),
             "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"}
            for rule in DEFAULT_SECURITY_RULES]
        subnets = [{"id": ref} for ref in engine.referrers(resource) if "/subnets/" in ref]
        if subnets:
            view["properties"]["subnets"] = subnets


CONNECTIONS = Connections()
RESOURCE_TYPES = (CIRCUITS, VirtualNetworks(), PUBLIC_IPS, GATEWAYS, CONNECTIONS,
                  NetworkSecurityGroups())


# ---- what the provider does to a circuit (the ProviderLink AzureCloud serves) -----------------

def _circuit_by_key(engine: ArmEngine, service_key: str) -> Optional[Resource]:
    for circuit in engine.of_type(CIRCUITS):
        props = circuit.properties
        if str(props.get("serviceKey", "")).lower() == str(service_key).lower() \
                and props.get("serviceKey") != ZERO_KEY and circuit.state != "Deleting" \
                and props["serviceProviderProperties"]["serviceProviderName"] == ORACLE_PROVIDER:
            return circuit
    return None


def _private_peering_resource(circuit: Resource) -> Optional[Resource]:
    return circuit.children.get("peerings", {}).get("azureprivatepeering")


def provider_circuit(engine: ArmEngine, service_key: str) -> Optional[ProvidedCircuit]:
    circuit = _circuit_by_key(engine, service_key)
    if circuit is None:
        return None
    spp = circuit.properties["serviceProviderProperties"]
    return {"service_key": circuit.properties["serviceKey"], "circuit_id": circuit.id,
            "peering_location": spp["peeringLocation"], "bandwidth_mbps": spp["bandwidthInMbps"],
            "provider_state": circuit.properties["serviceProviderProvisioningState"]}


def set_provider_state(engine: ArmEngine, service_key: str, state: str,
                       mappings: Optional[List[PeeringAddresses]] = None) -> None:
    if state not in PROVIDER_STATES:
        raise ValueError("unknown provider state %r" % state)
    circuit = _circuit_by_key(engine, service_key)
    if circuit is None:
        return
    circuit.properties["serviceProviderProvisioningState"] = state
    circuit.body["etag"] = engine.etag()
    peering = _private_peering_resource(circuit)
    if state == "Provisioned" and mappings and peering is None:
        _provider_peering(engine, circuit, mappings)
    elif state == "NotProvisioned" and peering is not None and peering.meta.get("provider_made"):
        engine.remove(peering)


def _provider_peering(engine: ArmEngine, circuit: Resource, mappings: List[PeeringAddresses]):
    """The private peering the provider configures on a layer-3 circuit once provisioned."""
    prefixes = [str(ipaddress.ip_interface(m["customer_ip"]).network) for m in mappings[:2]]
    kind = CIRCUITS.child_types[0]
    peering_id = "%s/peerings/AzurePrivatePeering" % circuit.id
    vlan = 100 + int(engine.sim.new_guid()[:4], 16) % 3900
    body = {"name": "AzurePrivatePeering", "id": peering_id, "etag": engine.etag(), "type": kind.arm_type,
            "properties": {"peeringType": "AzurePrivatePeering", "peerASN": ORACLE_ASN,
                           "primaryPeerAddressPrefix": prefixes[0],
                           "secondaryPeerAddressPrefix": prefixes[-1], "vlanId": vlan,
                           "state": "Enabled", "provisioningState": "Succeeded",
                           "lastModifiedBy": "ServiceProvider"}}
    peering = Resource(kind, peering_id, body, circuit.group, circuit, meta={"provider_made": True})
    engine.add(peering)
    kind.succeeded(peering, engine, created=True)


def private_peering(engine: ArmEngine, service_key: str) -> Optional[PrivatePeering]:
    circuit = _circuit_by_key(engine, service_key)
    peering = _private_peering_resource(circuit) if circuit else None
    if peering is None:
        return None
    props = peering.properties
    return {"primary_prefix": props["primaryPeerAddressPrefix"],
            "secondary_prefix": props["secondaryPeerAddressPrefix"],
            "peer_asn": props["peerASN"], "vlan_id": props["vlanId"],
            "provisioning_state": props["provisioningState"], "state": props["state"]}


def peering_up(circuit: Resource, peering: Resource) -> bool:
    """The provider has the circuit and the peering is configured and enabled: the layer the
    BGP sessions run on is there."""
    return (circuit.properties.get("serviceProviderProvisioningState") == "Provisioned"
            and peering.state == "Succeeded" and peering.properties.get("state") == "Enabled")


def advertised_prefixes(engine: ArmEngine, service_key: str) -> List[str]:
    """The address spaces of the virtual networks whose ExpressRoute gateway is connected to the
    circuit of ``service_key`` (what the circuit's private peering advertises to the peer)."""
    circuit = _circuit_by_key(engine, service_key)
    peering = _private_peering_resource(circuit) if circuit else None
    if peering is None or not peering_up(circuit, peering):
        return []
    prefixes: List[str] = []
    for connection in engine.of_type(CONNECTIONS):
        props = connection.properties
        if connection.state != "Succeeded" or \
                str(props.get("peer", {}).get("id", "")).lower() != circuit.id.lower():
            continue
        gateway = engine.get(str(props.get("virtualNetworkGateway1", {}).get("id", "")))
        for config in gateway.properties.get("ipConfigurations", []) if gateway else []:
            subnet_id = str(config.get("properties", {}).get("subnet", {}).get("id", ""))
            vnet = engine.get(subnet_id.rsplit("/subnets/", 1)[0])
            for prefix in vnet.properties["addressSpace"]["addressPrefixes"] if vnet else []:
                if prefix not in prefixes:
                    prefixes.append(prefix)
    return prefixes


# The api-versions Microsoft.Network's resource types list in a provider registration: those
# azure-mgmt-network sends (its default 2026-03-01, /work/shared/reference/api-notes.md) and the
# ones the tests and older clients use; cloudsim accepts any.
API_VERSIONS = ("2026-03-01", "2024-05-01", "2023-09-01", "2022-09-01")


def provider_resource_types() -> List[Dict[str, Any]]:
    """``resourceTypes`` of the Microsoft.Network provider: the served types (children as
    ``parent/child``), the provider catalogue and the operation status endpoints."""
    names: List[str] = ["expressRouteServiceProviders", "locations", "locations/operations",
                        "locations/operationResults"]

    def walk(kind: ResourceType, prefix: str) -> None:
        names.append(prefix + kind.segment)
        for child in kind.child_types:
            walk(child, prefix + kind.segment + "/")

    for kind in RESOURCE_TYPES:
        walk(kind, "")
    return [{"resourceType": name, "apiVersions": list(API_VERSIONS)} for name in names]
