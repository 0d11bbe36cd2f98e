"""VCNs, route tables, security lists, DRGs and DRG attachments (DRG routing: drg_routing.py)."""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .drg_routing import DRG_ROUTING_KINDS, add_default_routing, check_attachment_type, \
    default_table, remove_default_routing
from .errors import conflict, incorrect_state, invalid_parameter
from .store import (Record, ResourceKind, one_of, require, require_reference, tags_of)

if TYPE_CHECKING:  # pragma: no cover
    from ..http import Request

PROTOCOL_TCP, PROTOCOL_UDP, PROTOCOL_ICMP = "6", "17", "1"
ANYWHERE = "0.0.0.0/0"


def parse_cidr(value: Any, field: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except (TypeError, ValueError):
        raise invalid_parameter("%s %r is not a valid IPv4 CIDR block" % (field, value))


class Vcn(ResourceKind):
    collection = "vcns"
    ocid_type = "vcn"

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        blocks = body.get("cidrBlocks") or ([body["cidrBlock"]] if body.get("cidrBlock") else [])
        if not blocks:
            raise invalid_parameter("One of cidrBlock or cidrBlocks must be given.")
        for block in blocks:
            prefix = parse_cidr(block, "cidrBlock").prefixlen
            if not 16 <= prefix <= 30:
                raise invalid_parameter("cidrBlock %s must be between /16 and /30" % block)
        dns_label = body.get("dnsLabel")
        return {**super().build(body), "cidrBlock": blocks[0], "cidrBlocks": list(blocks),
                "dnsLabel": dns_label,
                "vcnDomainName": dns_label and "%s.oraclevcn.com" % dns_label,
                "defaultRouteTableId": None, "defaultSecurityListId": None,
                "defaultDhcpOptionsId": self.cloud.new_ocid("dhcpoptions"),
                "ipv6CidrBlocks": [], "isZprOnly": False}

    def after_create(self, record: Record) -> None:
        self.add_defaults(record)
        super().after_create(record)

    def add_defaults(self, vcn: Record) -> None:
        """OCI gives every VCN a default route table and security list; so does the fixture
        loader for a VCN the fixture lists none for."""
        common = {"compartmentId": vcn.data["compartmentId"], "vcnId": vcn.id}
        for field, kind, extra in (
                ("defaultRouteTableId", "routeTables", {"routeRules": []}),
                ("defaultSecurityListId", "securityLists", default_security_rules(vcn))):
            if vcn.data.get(field) is None:
                name = "Default %s for %s" % (self.cloud.kinds[kind].label, vcn.data["displayName"])
                child = self.cloud.add(self.cloud.kinds[kind],
                                       {**common, "displayName": name, **extra, **tags_of({})},
                                       state="AVAILABLE")
                vcn.data[field] = child.id

    def check_delete(self, record: Record) -> None:
        # "The VCN must be completely empty and have no attached gateways" (the SDK's
        # VirtualNetworkClient.delete_vcn; Oracle's "Subnet or VCN Deletion": "no related
        # resources or attached gateways (for example: ... dynamic routing gateway)"). An
        # attached DRG is answered 409 IncorrectState "<vcn> is associated with Gateway that is
        # in use" (quoted in oracle/oci-cli#1108); the route tables and security lists left are
        # the 409s of an incomplete VCN cleanup (therealcmj/ociextirpater#37), the wording here.
        defaults = (record.data["defaultRouteTableId"], record.data["defaultSecurityListId"])
        dependents = [other for other in self.cloud.live_records()
                      if other.data.get("vcnId") == record.id and other.id not in defaults]
        if any(other.kind.collection == "drgAttachments" for other in dependents):
            raise incorrect_state("%s is associated with Gateway that is in use" % record.id)
        if dependents:
            raise incorrect_state("The VCN %s still has dependent resources: %s"
                                  % (record.id, ", ".join(sorted(o.id for o in dependents))))

    def after_delete(self, record: Record) -> None:
        super().after_delete(record)
        for field in ("defaultRouteTableId", "defaultSecurityListId"):
            child = self.cloud.records.get(record.data[field])
            if child is not None:
                child.kind.after_delete(child)


def default_security_rules(vcn: Record) -> Dict[str, List[Dict[str, Any]]]:
    """The rules OCI puts in a VCN's default security list."""
    ingress = [security_rule("source", ANYWHERE, PROTOCOL_TCP,
                             tcpOptions={"destinationPortRange": {"min": 22, "max": 22}}),
               security_rule("source", ANYWHERE, PROTOCOL_ICMP, icmpOptions={"type": 3, "code": 4})]
    ingress += [security_rule("source", block, PROTOCOL_ICMP, icmpOptions={"type": 3})
                for block in vcn.data["cidrBlocks"]]
    return {"ingressSecurityRules": ingress,
            "egressSecurityRules": [security_rule("destination", ANYWHERE, "all")]}


def security_rule(direction: str, cidr: str, protocol: str, **options: Any) -> Dict[str, Any]:
    return {direction: cidr, direction + "Type": "CIDR_BLOCK", "protocol": protocol,
            "isStateless": False, "description": None, **options}


class VcnChild(ResourceKind):
    """A resource that lives in a VCN and takes its compartment from the request."""
    list_filters = {"vcnId": "vcnId"}
    label = ""

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        vcn = require_reference(self.cloud, body, "vcnId", "vcns")
        return {**super().build(body), "vcnId": vcn.id}

    def check_delete(self, record: Record) -> None:
        vcn = self.cloud.records[record.data["vcnId"]]
        if record.id in (vcn.data["defaultRouteTableId"], vcn.data["defaultSecurityListId"]):
            raise incorrect_state("The default %s of a VCN cannot be deleted." % self.label)


class RouteTable(VcnChild):
    collection = "routeTables"
    ocid_type = "routetable"
    label = "Route Table"
    updatable = VcnChild.updatable + ("routeRules",)

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        data = super().build(body)
        data["routeRules"] = self.route_rules(data["vcnId"], body.get("routeRules") or [])
        return data

    def validate_update(self, record: Record, changes: Dict[str, Any]) -> Dict[str, Any]:
        if "routeRules" in changes:
            changes["routeRules"] = self.route_rules(record.data["vcnId"], changes["routeRules"] or [])
        return changes

    def route_rules(self, vcn_id: str, rules: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        normalised, seen = [], set()
        for rule in rules:
            if rule.get("cidrBlock") and rule.get("destination"):
                raise invalid_parameter("A route rule may not give both cidrBlock and destination.")
            destination = rule.get("destination") or rule.get("cidrBlock")
            if not destination:
                raise invalid_parameter("Every route rule needs a destination.")
            kind = one_of(rule.get("destinationType") or "CIDR_BLOCK",
                          ("CIDR_BLOCK", "SERVICE_CIDR_BLOCK"), "destinationType")
            if kind == "CIDR_BLOCK":
                destination = str(parse_cidr(destination, "destination"))
            if destination in seen:
                raise invalid_parameter("Route rules repeat the destination %s." % destination)
            seen.add(destination)
            target = require(rule, "networkEntityId")
            self.check_target(vcn_id, target)
            normalised.append({"destination": destination, "destinationType": kind,
                               "networkEntityId": target, "description": rule.get("description"),
                               "routeType": "STATIC"})
        return normalised

    def check_target(self, vcn_id: str, target: str) -> None:
        record = self.cloud.records.get(target)
        if record is None:
            if self.cloud.is_simulated_ocid(target):
                raise invalid_parameter("Route target %s does not exist." % target)
            return  # internet/NAT/service gateways are not simulated: accept their OCIDs
        if record.kind.collection != "drgs" or record.kind.is_gone(record):
            raise invalid_parameter("Route target %s is not a valid route target." % target)
        if not self.cloud.kinds["drgAttachments"].attachment(target, vcn_id):
            raise invalid_parameter("Route target DRG %s is not attached to VCN %s."
                                    % (target, vcn_id))


class SecurityList(VcnChild):
    collection = "securityLists"
    ocid_type = "securitylist"
    label = "Security List"
    updatable = VcnChild.updatable + ("ingressSecurityRules", "egressSecurityRules")
    DIRECTIONS = {"ingressSecurityRules": "source", "egressSecurityRules": "destination"}

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        data = super().build(body)
        for field, direction in self.DIRECTIONS.items():
            data[field] = [self.rule(direction, rule) for rule in body.get(field) or []]
        return data

    def validate_update(self, record: Record, changes: Dict[str, Any]) -> Dict[str, Any]:
        for field, direction in self.DIRECTIONS.items():
            if field in changes:
                changes[field] = [self.rule(direction, rule) for rule in changes[field] or []]
        return changes

    @staticmethod
    def rule(direction: str, rule: Dict[str, Any]) -> Dict[str, Any]:
        protocol = str(require(rule, "protocol")).lower()
        if protocol != "all" and not (protocol.isdigit() and 0 <= int(protocol) <= 255):
            raise invalid_parameter("protocol must be 'all' or an IP protocol number, not %r"
                                    % protocol)
        kind = one_of(rule.get(direction + "Type") or "CIDR_BLOCK",
                      ("CIDR_BLOCK", "SERVICE_CIDR_BLOCK", "NETWORK_SECURITY_GROUP"),
                      direction + "Type")
        address = require(rule, direction)
        if kind == "CIDR_BLOCK":
            address = str(parse_cidr(address, direction))
        options = {}
        for name, wanted in (("tcpOptions", PROTOCOL_TCP), ("udpOptions", PROTOCOL_UDP),
                             ("icmpOptions", PROTOCOL_ICMP)):
            if rule.get(name) is None:
                continue
            if protocol != wanted:
                raise invalid_parameter("%s needs protocol %s, not %s" % (name, wanted, protocol))
            options[name] = rule[name]
            for port_range in ("destinationPortRange", "sourcePortRange"):
                check_port_range(rule[name].get(port_range), name + "." + port_range)
        return {**security_rule(direction, address, protocol, **options),
                direction + "Type": kind, "isStateless": bool(rule.get("isStateless", False)),
                "description": rule.get("description")}


def check_port_range(port_range: Optional[Dict[str, Any]], field: str) -> None:
    if port_range is None:
        return
    low, high = port_range.get("min"), port_range.get("max")
    if not all(isinstance(port, int) and 1 <= port <= 65535 for port in (low, high)) or low > high:
        raise invalid_parameter("%s must have 1 <= min <= max <= 65535" % field)


class Drg(ResourceKind):
    """PROVISIONING, AVAILABLE, TERMINATING, TERMINATED (oci/core/models/drg.py; the VCN's are
    the same plus UPDATING, models/vcn.py). The delete rules are the SDK's
    VirtualNetworkClient.delete_drg: "The DRG must not be attached to a VCN or be connected to
    your on-premise network. Also, there must not be a route table that lists the DRG as a
    target." (the wording of the refusals is the simulator's: no recorded answer found)."""
    collection = "drgs"
    ocid_type = "drg"

    def after_create(self, record: Record) -> None:
        add_default_routing(self.cloud, record)
        super().after_create(record)

    def check_delete(self, record: Record) -> None:
        users = [other.id for other in self.cloud.live_records()
                 if record.id in (other.data.get("drgId"), other.data.get("gatewayId"))
                 and other.kind.collection not in DRG_OWNED]
        if users:
            raise incorrect_state("The DRG %s is still in use by %s."
                                  % (record.id, ", ".join(sorted(users))))
        self.cloud.kinds["drgAttachments"].check_no_routes_to(record.id, vcn_id=None)

    def after_delete(self, record: Record) -> None:
        super().after_delete(record)
        remove_default_routing(self.cloud, record)


DRG_OWNED = tuple(kind.collection for kind in DRG_ROUTING_KINDS)


class DrgAttachment(ResourceKind):
    """A DRG attachment of a VCN (created through the API) or of a virtual circuit (made and
    removed with the circuit, see :meth:`attach_network`); ``networkDetails.type`` tells them
    apart (DrgAttachmentNetworkDetails, oci/core/models/drg_attachment_network_details.py)."""
    collection = "drgAttachments"
    ocid_type = "drgattachment"
    list_filters = {"drgId": "drgId", "vcnId": "vcnId", "drgRouteTableId": "drgRouteTableId"}
    # ATTACHING, ATTACHED, DETACHING, DETACHED (oci/core/models/drg_attachment.py; the SDK's
    # delete_drg_attachment: "lifecycleState will temporarily change to DETACHING").
    creating_state, ready_state = "ATTACHING", "ATTACHED"
    deleting_state, deleted_state = "DETACHING", "DETACHED"

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        drg = require_reference(self.cloud, body, "drgId", "drgs")
        network = body.get("networkDetails") or {}
        if network and network.get("type") != "VCN":
            raise invalid_parameter("Only VCN attachments are created through the API here; a "
                                    "virtual circuit is attached by giving it the DRG as gatewayId.")
        vcn = require_reference(self.cloud, {"vcnId": body.get("vcnId") or network.get("id")},
                                "vcnId", "vcns")
        route_table_id = body.get("routeTableId") or network.get("routeTableId")
        if route_table_id:
            require_reference(self.cloud, {"routeTableId": route_table_id}, "routeTableId",
                              "routeTables")
        if self.attachment(None, vcn.id):
            raise conflict("The VCN %s is already attached to a DRG." % vcn.id)
        return {"compartmentId": drg.data["compartmentId"], "displayName": body.get("displayName"),
                **tags_of(body), "drgId": drg.id, "vcnId": vcn.id, "routeTableId": route_table_id,
                "drgRouteTableId": body.get("drgRouteTableId"),
                "exportDrgRouteDistributionId": None,   # VCN attachments export nothing
                "networkDetails": {"type": "VCN", "id": vcn.id, "routeTableId": route_table_id,
                                   "vcnRouteType": network.get("vcnRouteType") or "SUBNET_CIDRS"},
                "isCrossTenancy": False}

    def after_create(self, record: Record) -> None:
        self.assign_default_table(record)
        super().after_create(record)

    def assign_default_table(self, record: Record) -> None:
        """An attachment without a DRG route table gets the DRG's default for its type."""
        if record.data.get("drgRouteTableId") is None:
            record.data["drgRouteTableId"] = default_table(
                self.cloud, record.data["drgId"], record.data["networkDetails"]["type"])

    def attach_network(self, drg_id: str, network: Record, network_type: str) -> Record:
        """The attachment OCI makes for a network that names the DRG itself (a virtual
        circuit's gatewayId); it goes with that network (:meth:`detach_network`)."""
        drg = self.cloud.records[drg_id]
        record = self.cloud.add(self, {
            "compartmentId": drg.data["compartmentId"],   # as VCN attachments here: the DRG's
            "displayName": network.data.get("displayName"), **tags_of({}), "drgId": drg_id,
            "vcnId": None, "routeTableId": None, "drgRouteTableId": None,
            "exportDrgRouteDistributionId": drg.data.get("defaultExportDrgRouteDistributionId"),
            "networkDetails": {"type": network_type, "id": network.id},
            "isCrossTenancy": False})
        self.after_create(record)
        return record

    def detach_network(self, network_id: str) -> None:
        for record in list(self.cloud.live_records(self)):
            if record.data["networkDetails"]["id"] == network_id:
                self.after_delete(record)

    def listed(self, record: Record, request: "Request") -> bool:
        """``attachmentType`` (VCN unless asked otherwise) and ``networkId``."""
        wanted_type = check_attachment_type(request.arg("attachmentType"))
        network = record.data["networkDetails"]
        return wanted_type in ("ALL", network["type"]) and \
            request.arg("networkId") in (None, network["id"])

    def attachment(self, drg_id: Optional[str], vcn_id: str) -> Optional[Record]:
        """The live attachment of ``vcn_id`` (to ``drg_id`` when given)."""
        for record in self.cloud.live_records(self):
            if record.data["vcnId"] == vcn_id and drg_id in (None, record.data["drgId"]):
                return record
        return None

    def check_delete(self, record: Record) -> None:
        if record.data["networkDetails"]["type"] != "VCN":
            raise incorrect_state("The DRG attachment %s of %s goes with that %s; delete it or "
                                  "change its gateway instead." % (
                                      record.id, record.data["networkDetails"]["id"],
                                      record.data["networkDetails"]["type"].lower()))
        self.check_no_routes_to(record.data["drgId"], record.data["vcnId"])

    def check_no_routes_to(self, drg_id: str, vcn_id: Optional[str]) -> None:
        # For the DRG: delete_drg's "there must not be a route table that lists the DRG as a
        # target". For a VCN attachment (the VCN's tables only) no source was found; it follows
        # the route table's own rule that a DRG target must be attached (check_target).
        tables = [table.id for table in self.cloud.live_records(self.cloud.kinds["routeTables"])
                  if vcn_id in (None, table.data["vcnId"])
                  and any(rule["networkEntityId"] == drg_id for rule in table.data["routeRules"])]
        if tables:
            raise conflict("Route tables %s still have rules targeting the DRG %s."
                           % (", ".join(sorted(tables)), drg_id))


NETWORK_KINDS = (Vcn, RouteTable, SecurityList, Drg, DrgAttachment) + DRG_ROUTING_KINDS
