"""DRG routing (DRGv2): the route tables and route distributions OCI makes with every DRG, and
the rules a DRG route table holds.

Sources: the OCI Core API reference and the SDK models (``oci/core/models/drg.py``
``defaultDrgRouteTables`` and ``defaultExportDrgRouteDistributionId``, ``drg_route_table.py``,
``drg_route_rule.py``, ``drg_route_distribution.py`` and ``drg_route_distribution_statement.py``).
The model ``DrgRouteDistribution`` documents the defaults: "When a DRG is created, a route
distribution is created with a single ACCEPT statement with match criteria MATCH_ALL. By default,
all DRG attachments (except for those of type VCN), are assigned this distribution." and "The two
auto-generated DRG route tables (one as the default for VCN attachments, and the other for all
other types of attachments) are each assigned an auto generated import route distribution. The
default VCN table's import distribution has a single statement with match criteria MATCH_ALL to
import routes from each DRG attachment type. The other table's import distribution has a statement
to import routes from attachments with the VCN type." The display names are the console's (Oracle
A-Team, "Overview of DRG Route Tables and Import Distribution Lists - Part 1", 2023).

Only the auto-generated tables and distributions are simulated (no create/update). A table holds
the STATIC rules added with AddDrgRouteRules (removed with RemoveDrgRouteRules) and the DYNAMIC
ones learned from the attachments its import distribution accepts, worked out on each read. As
the ``DrgRouteRule`` model documents: a static rule whose next hop attachment is gone is a
blackhole (``isBlackhole``), and a learned route is not imported when a static rule has its
destination (``isConflict``: "the route was not imported due to a conflict between route rules").
"""
from __future__ import annotations

import hashlib
import ipaddress
from typing import Any, Dict, List, Optional, Tuple

from ..http import Request
from .errors import invalid_parameter, not_found
from .store import Record, ResourceKind, ServingCloud, one_of, page_of, require, tags_of

# DefaultDrgRouteTables' members (JSON names) by the attachment type each is the default for.
DEFAULT_TABLE_FIELDS = {"VCN": "vcn", "IPSEC_TUNNEL": "ipsecTunnel",
                        "VIRTUAL_CIRCUIT": "virtualCircuit",
                        "REMOTE_PEERING_CONNECTION": "remotePeeringConnection"}
ATTACHMENT_TYPES = tuple(DEFAULT_TABLE_FIELDS)
MATCH_ALL = {"matchType": "MATCH_ALL"}


def match_type(attachment_type: str) -> Dict[str, str]:
    return {"matchType": "DRG_ATTACHMENT_TYPE", "attachmentType": attachment_type}


class DrgOwned(ResourceKind):
    """A resource OCI makes and removes with its DRG; read-only here, listed by ``drgId``."""
    operations = frozenset({"get"})     # listing goes through list_by_drg (no compartmentId)
    creating_state, ready_state = "PROVISIONING", "AVAILABLE"
    private_fields: Tuple[str, ...] = ()

    def present(self, record: Record) -> Dict[str, Any]:
        return {name: value for name, value in record.data.items()
                if name not in self.private_fields}

    def of_drg(self, drg_id: str) -> List[Record]:
        return [record for record in self.cloud.live_records(self) if record.data["drgId"] == drg_id]


class DrgRouteDistribution(DrgOwned):
    collection = "drgRouteDistributions"
    ocid_type = "drgroutedistribution"
    private_fields = ("statements",)

    def subresource(self, record: Record, path: List[str], request: Request) -> Any:
        """``/{id}/drgRouteDistributionStatements``."""
        if path == ["drgRouteDistributionStatements"] and request.method == "GET":
            return page_of(list(record.data["statements"]), request)
        raise not_found()

    @staticmethod
    def accepts(distribution: Record, attachment_type: str) -> bool:
        return any(criteria == MATCH_ALL or criteria == match_type(attachment_type)
                   for statement in distribution.data["statements"]
                   for criteria in statement["matchCriteria"])


class DrgRouteTable(DrgOwned):
    collection = "drgRouteTables"
    ocid_type = "drgroutetable"
    private_fields = ("staticRules",)

    def subresource(self, record: Record, path: List[str], request: Request) -> Any:
        """``/{id}/drgRouteRules`` (optionally only ``routeType`` STATIC or DYNAMIC) and the
        ``actions/addDrgRouteRules`` and ``actions/removeDrgRouteRules`` POSTs."""
        if path == ["drgRouteRules"] and request.method == "GET":
            wanted = request.arg("routeType")
            if wanted is not None:
                one_of(wanted, ("STATIC", "DYNAMIC"), "routeType")
            rules = [rule for rule in self.rules(record) if wanted in (None, rule["routeType"])]
            return page_of(rules, request)
        if path == ["actions", "addDrgRouteRules"] and request.method == "POST":
            added = [self.static_rule(record, rule) for rule in
                     self.cloud.json_body(request).get("routeRules") or []]
            record.data["staticRules"] = record.data.get("staticRules", []) + added
            return page_of([self.with_next_hop_state(rule) for rule in added], request)
        if path == ["actions", "removeDrgRouteRules"] and request.method == "POST":
            removed = set(self.cloud.json_body(request).get("routeRuleIds") or [])
            record.data["staticRules"] = [rule for rule in record.data.get("staticRules", [])
                                          if rule["id"] not in removed]
            return None
        raise not_found()

    def static_rule(self, table: Record, rule: Dict[str, Any]) -> Dict[str, Any]:
        """An AddDrgRouteRuleDetails, checked: a CIDR (or service CIDR) and an attachment of the
        table's DRG as next hop."""
        kind = one_of(require(rule, "destinationType"), ("CIDR_BLOCK", "SERVICE_CIDR_BLOCK"),
                      "destinationType")
        destination = require(rule, "destination")
        if kind == "CIDR_BLOCK":
            try:
                destination = str(ipaddress.ip_network(destination, strict=True))
            except (TypeError, ValueError):
                raise invalid_parameter("destination %r is not a valid CIDR block" % destination)
        next_hop = self.cloud.records.get(require(rule, "nextHopDrgAttachmentId"))
        if next_hop is None or next_hop.kind.collection != "drgAttachments" or \
                next_hop.data["drgId"] != table.data["drgId"]:
            raise invalid_parameter("nextHopDrgAttachmentId %s is not an attachment of DRG %s."
                                    % (rule["nextHopDrgAttachmentId"], table.data["drgId"]))
        return {"id": rule_id(table.id, destination, next_hop.id), "destination": destination,
                "destinationType": kind, "nextHopDrgAttachmentId": next_hop.id,
                "routeType": "STATIC", "isConflict": False, "isBlackhole": False,
                "routeProvenance": "STATIC", "attributes": None}

    def with_next_hop_state(self, rule: Dict[str, Any]) -> Dict[str, Any]:
        attachment = self.cloud.records.get(rule["nextHopDrgAttachmentId"])
        return {**rule, "isBlackhole": attachment is None or attachment.state != "ATTACHED"}

    def rules(self, table: Record) -> List[Dict[str, Any]]:
        """The table's static rules, then the routes of every ATTACHED attachment of the DRG that
        the table's import distribution accepts: a VCN attachment's VCN CIDRs, a virtual circuit
        attachment's routes learned over BGP."""
        static = [self.with_next_hop_state(rule) for rule in table.data.get("staticRules", [])]
        return static + self.learned_rules(table, {rule["destination"] for rule in static})

    def learned_rules(self, table: Record, static_destinations: Any) -> List[Dict[str, Any]]:
        distribution = self.cloud.records.get(table.data["importDrgRouteDistributionId"])
        if distribution is None:
            return []
        rules = []
        for attachment in self.cloud.live_records(self.cloud.kinds["drgAttachments"]):
            network = attachment.data["networkDetails"]
            if attachment.data["drgId"] != table.data["drgId"] or attachment.state != "ATTACHED" \
                    or not DrgRouteDistribution.accepts(distribution, network["type"]):
                continue
            for prefix in self.routes_from(network):
                rules.append({"id": rule_id(table.id, prefix, attachment.id), "destination": prefix,
                              "destinationType": "CIDR_BLOCK",
                              "nextHopDrgAttachmentId": attachment.id, "routeType": "DYNAMIC",
                              "isConflict": prefix in static_destinations, "isBlackhole": False,
                              "routeProvenance": network["type"],
                              "attributes": None})
        return rules

    def routes_from(self, network: Dict[str, Any]) -> List[str]:
        attached = self.cloud.records.get(network["id"])
        if attached is None:
            return []
        if network["type"] == "VCN":
            return list(attached.data["cidrBlocks"])
        if network["type"] == "VIRTUAL_CIRCUIT":
            return self.cloud.kinds["virtualCircuits"].learned_prefixes(attached)
        return []


def rule_id(table_id: str, prefix: str, attachment_id: str) -> str:
    """A stable id per (table, destination, next hop): dynamic rules are recomputed on read."""
    return hashlib.sha256(("%s|%s|%s" % (table_id, prefix, attachment_id)).encode()).hexdigest()[:16]


def add_default_routing(cloud: ServingCloud, drg: Record) -> None:
    """The distributions and tables OCI makes with a DRG, recorded on it; kept when present."""
    if drg.data.get("defaultDrgRouteTables"):
        return
    common = {"compartmentId": drg.data["compartmentId"], "drgId": drg.id, **tags_of({})}
    distributions = cloud.kinds["drgRouteDistributions"]
    tables = cloud.kinds["drgRouteTables"]

    def distribution(name: str, kind: str, criteria: List[Dict[str, str]]) -> Record:
        statements = [{"matchCriteria": [c], "action": "ACCEPT", "priority": index + 1,
                       "id": rule_id(drg.id, name, str(index))} for index, c in enumerate(criteria)]
        return cloud.add(distributions, {**common, "displayName": name, "distributionType": kind,
                                         "statements": statements}, state="AVAILABLE")

    export = distribution("Autogenerated Export Route Distribution", "EXPORT", [MATCH_ALL])
    import_all = distribution("Autogenerated Import Route Distribution for ALL routes", "IMPORT",
                              [MATCH_ALL])
    import_vcn = distribution("Autogenerated Import Route Distribution for VCN Routes", "IMPORT",
                              [match_type("VCN")])
    vcn_table = cloud.add(tables, {**common, "displayName": "Autogenerated Drg Route Table for VCN attachments",
                                   "importDrgRouteDistributionId": import_all.id,
                                   "isEcmpEnabled": False}, state="AVAILABLE")
    other_table = cloud.add(tables, {**common, "displayName": "Autogenerated Drg Route Table for "
                                                              "RPC, VC, and IPSec attachments",
                                     "importDrgRouteDistributionId": import_vcn.id,
                                     "isEcmpEnabled": False}, state="AVAILABLE")
    drg.data["defaultDrgRouteTables"] = {
        field: vcn_table.id if kind == "VCN" else other_table.id
        for kind, field in DEFAULT_TABLE_FIELDS.items()}
    drg.data["defaultExportDrgRouteDistributionId"] = export.id


def remove_default_routing(cloud: ServingCloud, drg: Record) -> None:
    for collection in ("drgRouteTables", "drgRouteDistributions"):
        kind = cloud.kinds[collection]
        for record in kind.of_drg(drg.id):
            kind.after_delete(record)


def default_table(cloud: ServingCloud, drg_id: str, attachment_type: str) -> Optional[str]:
    drg = cloud.records[drg_id]
    return (drg.data.get("defaultDrgRouteTables") or {}).get(DEFAULT_TABLE_FIELDS[attachment_type])


def list_by_drg(collection: str):
    """``GET /drgRouteTables?drgId=`` and ``GET /drgRouteDistributions?drgId=``: a DRG's
    tables or distributions (these lists take a DRG, not a compartment)."""
    def handler(cloud: ServingCloud, request: Request) -> Tuple[List[Any], Optional[str]]:
        drg_id = require({"drgId": request.arg("drgId")}, "drgId")
        drg = cloud.records.get(drg_id)
        if drg is None or drg.kind.collection != "drgs":
            raise not_found()
        kind = cloud.kinds[collection]
        records = [record for record in kind.of_drg(drg_id)
                   if request.arg("displayName") in (None, record.data["displayName"])]
        if request.arg("distributionType"):
            one_of(request.arg("distributionType"), ("IMPORT", "EXPORT"), "distributionType")
            records = [record for record in records
                       if record.data["distributionType"] == request.arg("distributionType")]
        return page_of([kind.present(record) for record in records], request)
    return handler


def check_attachment_type(value: Optional[str]) -> str:
    """ListDrgAttachments' ``attachmentType``: VCN when not given ("It will default to list VCN
    attachments, but you may request to list ALL attachments of ALL types", the API reference of
    ListDrgAttachments, as the OCI CLI's ``network drg-attachment list`` repeats it)."""
    return one_of("VCN" if value is None else value, ATTACHMENT_TYPES + ("ALL",), "attachmentType")


DRG_ROUTING_KINDS = (DrgRouteTable, DrgRouteDistribution)
