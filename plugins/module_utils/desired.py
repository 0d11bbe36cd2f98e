# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each resource of an interconnect should be, and whether what exists is that: pure logic.

No SDK, no Ansible, no I/O. The modules decide their writes with it, and the controller (the
interconnect_plan action, the interconnect_health filter) judges drift with the very same rules, so a
verify and a converge never disagree about what needs changing, and neither imports a cloud SDK on
the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    bandwidth_mbps,
    differences,
    normalize_cidr,
)

PRIVATE_PEERING = "AzurePrivatePeering"


def is_private_peering(name, peering_type):
    """Whether a circuit peering is the private one. ARM names a circuit's peerings after their type,
    so the name decides; the type stands in where a view of the peering has no name."""
    return (name or peering_type or "").lower() == PRIVATE_PEERING.lower()


def find_private_peering(circuit):
    """The private peering (REST JSON) of a circuit given as REST JSON, or None."""
    for peering in (circuit.get("properties") or {}).get("peerings") or []:
        if is_private_peering(peering.get("name"), (peering.get("properties") or {}).get("peeringType")):
            return peering
    return None


def private_peering_summary(summary):
    """The private peering of a circuit summary (as ``circuit_summary`` returns it), or None."""
    for peering in summary.get("peerings") or []:
        if is_private_peering(peering.get("name"), peering.get("peering_type")):
            return peering
    return None


def normalize_location(location):
    """ARM's canonical form of a region name: "West Europe" -> "westeurope"."""
    return location.replace(" ", "").lower() if location else location


def shape_name_mbps(name):
    try:
        return bandwidth_mbps(name)
    except ValueError:
        return None


def same_bandwidth(shape_name, mbps):
    return shape_name_mbps(shape_name) == mbps


MAPPING_FIELDS = ("customer_bgp_peering_ip", "oracle_bgp_peering_ip", "customer_bgp_peering_ipv6",
                  "oracle_bgp_peering_ipv6", "vlan")


def normalize_mapping(mapping):
    """A cross-connect mapping with only the fields set, addresses in canonical ``ip/prefix`` form."""
    normal = {}
    for field in MAPPING_FIELDS:
        value = mapping.get(field)
        if value is None:
            continue
        normal[field] = value if field == "vlan" else str(ipaddress.ip_interface(value))
    return normal


def mappings_match(current, wanted):
    """True when ``current`` mappings satisfy ``wanted``, in any order, on the fields ``wanted`` sets.

    Fields the provider fills in (VLAN for Azure, cross-connect ids) count only when requested.
    """
    wanted = [normalize_mapping(mapping) for mapping in wanted]
    current = [normalize_mapping(mapping) for mapping in current or []]
    if len(current) != len(wanted):
        return False
    fields = sorted(set(field for mapping in wanted for field in mapping))

    def projected(mappings):
        return sorted(tuple(str(mapping.get(field)) for field in fields) for mapping in mappings)

    return projected(current) == projected(wanted)


def changed_fields(current, wanted):
    """The update-details fields whose requested value the circuit does not have (bandwidth as mbps)."""
    changes = {}
    for field in ("provider_service_key_name", "gateway_id", "customer_asn", "ip_mtu"):
        if wanted[field] is not None and current.get(field) != wanted[field]:
            changes[field] = wanted[field]
    if wanted["mbps"] is not None and not same_bandwidth(current.get("bandwidth_shape_name"), wanted["mbps"]):
        changes["mbps"] = wanted["mbps"]
    mappings = wanted["cross_connect_mappings"]
    if mappings is not None and not mappings_match(current.get("cross_connect_mappings"), mappings):
        changes["cross_connect_mappings"] = mappings
    return changes


DEFAULT_MARKER = "managed-by:crosscloud.interconnect"


def is_owned(rule, marker):
    return (rule.get("description") or "").startswith(marker)


def merge_owned_rules(current, wanted, key_of, satisfies, marker, purge=False, remove=(), exclusive=False):
    """Reconcile the rules this collection owns in a list, leaving every other rule as it is.

    ``current``: the rules now in the list (dicts); ``wanted``: the rules we want (ours, already
    carrying the marker); ``key_of(rule)``: identity (a destination CIDR, say); ``satisfies(rule,
    wanted_rule)``: whether an existing rule already does what a wanted one would. Own rules that are
    wanted stay; own rules for a wanted key that differ, own rules whose key is in ``remove``, and
    (with ``purge``) all other own rules go. A foreign rule never changes; one that satisfies a wanted
    rule makes ours unnecessary; with ``exclusive`` (route tables: one rule per destination) a foreign
    rule for a wanted key that does not satisfy it is a conflict.

    Returns ``(rules, added, removed, conflicts)``.
    """
    wanted_by_key = dict((key_of(rule), rule) for rule in wanted)
    remove = set(remove)
    satisfied = set()
    rules, removed, conflicts = [], [], []
    for rule in current:
        key = key_of(rule)
        target = wanted_by_key.get(key)
        if not is_owned(rule, marker):
            rules.append(rule)
            if target is not None and key not in satisfied:
                if satisfies(rule, target):
                    satisfied.add(key)
                elif exclusive:
                    conflicts.append(rule)
        elif target is not None and key not in satisfied and satisfies(rule, target):
            satisfied.add(key)
            rules.append(rule)
        elif target is not None or key in remove or purge:
            removed.append(rule)
        else:
            rules.append(rule)
    added = [rule for key, rule in wanted_by_key.items() if key not in satisfied]
    if conflicts:
        return current, [], [], conflicts
    return rules + added, added, removed, conflicts


def rule_key_cidr(value):
    """A CIDR in canonical form for comparing; other destinations (service names) as they are."""
    try:
        return normalize_cidr(value)
    except ValueError:
        return value


def route_key(rule):
    return (rule.get("destination_type") or "CIDR_BLOCK", rule_key_cidr(rule.get("destination") or rule.get("cidr_block")))


def routes_same_target(rule, wanted):
    return rule.get("network_entity_id") == wanted["network_entity_id"]


PROTOCOLS = {"all": "all", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


PORT_OPTIONS = {"6": "tcp_options", "17": "udp_options"}


# direction -> (rule list field, CIDR field, CIDR type field, SDK model name)
DIRECTIONS = {
    "ingress": ("ingress_security_rules", "source", "source_type", "IngressSecurityRule"),
    "egress": ("egress_security_rules", "destination", "destination_type", "EgressSecurityRule"),
}


def protocol_number(value):
    value = str(value).strip().lower()
    number = PROTOCOLS.get(value, value)
    if number != "all" and not (number.isdigit() and 0 <= int(number) <= 255):
        raise ValueError("protocol %r is not all, tcp, udp, icmp, icmpv6 or a number 0-255" % value)
    return number


def port_range(value):
    """``(min, max)`` of "443" or "8000-8080"."""
    low, dummy, high = str(value).partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        bounds = (0, 0)
    if not 1 <= bounds[0] <= bounds[1] <= 65535:
        raise ValueError("destination_ports %r is not a port or a range such as 8000-8080" % value)
    return bounds


def rule_ports(rule):
    options = rule.get(PORT_OPTIONS.get(rule.get("protocol"), ""), None) or {}
    ports = options.get("destination_port_range")
    return (ports["min"], ports["max"]) if ports else None


def rule_key(cidr_field):
    def key_of(rule):
        return (rule_key_cidr(rule.get(cidr_field)), rule.get("protocol"), rule_ports(rule))
    return key_of


def same_rule(rule, wanted):
    options = rule.get(PORT_OPTIONS.get(rule.get("protocol"), ""), None) or {}
    return bool(rule.get("is_stateless")) == wanted["is_stateless"] and not options.get("source_port_range")


def wanted_rules(params, cidr_field, cidr_type_field, cidrs):
    protocol = protocol_number(params["protocol"])
    ports = params["destination_ports"]
    if ports and protocol not in PORT_OPTIONS:
        raise ValueError("destination_ports needs protocol tcp or udp, not %s" % params["protocol"])
    rules = []
    for cidr in cidrs:
        rule = {cidr_field: cidr, cidr_type_field: "CIDR_BLOCK", "protocol": protocol,
                "is_stateless": params["stateless"], "description": params["marker"]}
        if ports:
            low, high = port_range(ports)
            rule[PORT_OPTIONS[protocol]] = {"destination_port_range": {"min": low, "max": high}}
        rules.append(rule)
    return rules


MIN_PRIORITY = 100


MAX_PRIORITY = 4096


class PriorityExhausted(Exception):
    """No free priority is left in the range for a new rule."""


def rule_name(prefix, direction, cidr):
    # Rule names allow letters, digits, '.', '-' and '_' only: the CIDR's '/' becomes '-' (':' of IPv6 too).
    return "%s%s-%s" % (prefix, direction.lower(), cidr.replace("/", "-").replace(":", "."))


def desired_rules(params):
    """``{name: properties}`` of the rules the options ask for (priority left to the allocation)."""
    wanted = {}
    for cidr in params["cidrs"] or []:
        for direction in params["directions"]:
            inbound = direction == "Inbound"
            wanted[rule_name(params["name_prefix"], direction, cidr)] = dict(
                protocol=params["protocol"],
                sourceAddressPrefix=cidr if inbound else params["local_address_prefix"],
                sourcePortRange="*",
                destinationAddressPrefix=params["local_address_prefix"] if inbound else cidr,
                destinationPortRange=params["destination_port_range"],
                access="Allow",
                direction=direction,
                description="Managed by crosscloud.interconnect.azure_nsg_rules",
            )
    return wanted


def allocate_priorities(wanted, existing, first, last):
    """Priorities for the ``wanted`` rules (``{name: properties}``) among the ``existing`` rules of the group.

    ``existing`` is ``{name: properties}`` of every rule now in the group. A wanted rule that exists keeps its
    priority while it lies in ``first..last``; the others take, in name order, the lowest priority in the range
    that no other rule of the same direction holds. Rules about to be removed must not be in ``existing``, so
    their priorities are free again.
    """
    taken = {}
    assigned = {}
    for name, properties in existing.items():
        keeps = name in wanted and first <= (properties.get("priority") or 0) <= last
        if name not in wanted or keeps:
            taken.setdefault(properties.get("direction", "").lower(), set()).add(properties.get("priority"))
        if keeps:
            assigned[name] = properties["priority"]
    for name in sorted(set(wanted) - set(assigned)):
        direction = wanted[name]["direction"].lower()
        used = taken.setdefault(direction, set())
        free = next((priority for priority in range(first, last + 1) if priority not in used), None)
        if free is None:
            raise PriorityExhausted("No free %s priority left in priority_range %s-%s for rule %s" % (
                wanted[name]["direction"], first, last, name))
        used.add(free)
        assigned[name] = free
    return assigned


def plan_changes(current_rules, wanted, prefix, purge, first, last):
    """What to write: ``(new_rules, added, updated, removed)``.

    ``current_rules`` is the group's ``securityRules`` list (REST JSON); ``new_rules`` is that list with the
    module's own rules added, changed or dropped and every other rule untouched.
    """
    by_name = dict((rule["name"], rule) for rule in current_rules)
    own = [name for name in by_name if name.startswith(prefix)]
    removed = sorted(name for name in own if name not in wanted and purge)
    remaining = dict((name, by_name[name].get("properties") or {}) for name in by_name if name not in removed)
    priorities = allocate_priorities(wanted, remaining, first, last)
    added, updated, new_rules = [], [], []
    for rule in current_rules:
        if rule["name"] in removed:
            continue
        if rule["name"] in wanted:
            properties = dict(wanted[rule["name"]], priority=priorities[rule["name"]])
            if differences(rule.get("properties") or {}, properties, ignore_case=True):
                updated.append(rule["name"])
                rule = dict(rule, properties=dict(rule.get("properties") or {}, **properties))
        new_rules.append(rule)
    for name in sorted(set(wanted) - set(by_name)):
        added.append(name)
        new_rules.append(dict(name=name, properties=dict(wanted[name], priority=priorities[name])))
    return new_rules, added, sorted(updated), removed


# ---------------------------------------------------------------------------------------------
# The options the rule modules default to; the role passes only CIDRs, target and marker, so the
# controller's drift judge must want exactly what the modules would.

NSG_RULE_DEFAULTS = dict(directions=["Inbound", "Outbound"], local_address_prefix="VirtualNetwork", protocol="*",
                         destination_port_range="*", priority_range=[1000, 1999], purge=True)
SECURITY_RULE_DEFAULTS = dict(directions=["ingress"], protocol="all", destination_ports=None, stateless=False)
OCI_OWNED_RULE_DEFAULTS = dict(purge=False)


def wanted_routes(cidrs, network_entity_id, marker):
    """The route rules (dicts) sending each CIDR to ``network_entity_id``, marked as ours."""
    return [dict(destination=cidr, destination_type="CIDR_BLOCK", network_entity_id=network_entity_id,
                 description=marker) for cidr in cidrs]


# ---------------------------------------------------------------------------------------------
# Health and drift: what a verify reports and what tells a converge there is nothing to do

def _expect(problems, what, found, wanted):
    if found != wanted:
        problems.append("%s is %s, expected %s" % (what, found if found is not None else "missing", wanted))


# (what, field, healthy value) of each resource's states.
HEALTHY_CIRCUIT = (("Azure circuit provisioning state", "provisioning_state", "Succeeded"),
                   ("Azure circuit state", "circuit_provisioning_state", "Enabled"),
                   ("Azure provider state", "service_provider_provisioning_state", "Provisioned"))
HEALTHY_VIRTUAL_CIRCUIT = (("OCI virtual circuit lifecycle state", "lifecycle_state", "PROVISIONED"),
                           ("OCI virtual circuit provider state", "provider_state", "ACTIVE"),
                           ("OCI BGP session", "bgp_session_state", "UP"))


def _expect_healthy(problems, resource, healthy):
    for what, field, wanted in healthy:
        _expect(problems, what, resource.get(field), wanted)


def azure_problems(circuit, plan):
    """How the circuit (as circuit_summary gives it) and its private peering differ from a healthy one."""
    if not circuit:
        return ["Azure ExpressRoute circuit does not exist"]
    problems = []
    _expect_healthy(problems, circuit, HEALTHY_CIRCUIT)
    peering = private_peering_summary(circuit)
    if peering is None:
        problems.append("Azure private peering does not exist")
        return problems
    wanted = plan["azure_private_peering"]
    _expect(problems, "Azure private peering provisioning state", peering.get("provisioning_state"), "Succeeded")
    for key in ("primary_peer_address_prefix", "secondary_peer_address_prefix", "peer_asn"):
        _expect(problems, "Azure private peering %s" % key, peering.get(key), wanted[key])
    return problems


def oci_problems(virtual_circuit, plan):
    """How the virtual circuit differs from a healthy one with the plan's BGP addresses."""
    if not virtual_circuit:
        return ["OCI FastConnect virtual circuit does not exist"]
    problems = []
    _expect_healthy(problems, virtual_circuit, HEALTHY_VIRTUAL_CIRCUIT)
    found = sorted((m.get("oracle_bgp_peering_ip"), m.get("customer_bgp_peering_ip"))
                   for m in virtual_circuit.get("cross_connect_mappings") or [])
    wanted = sorted((m["oracle_bgp_peering_ip"], m["customer_bgp_peering_ip"]) for m in plan["oci_cross_connect_mappings"])
    _expect(problems, "OCI cross-connect mappings (oracle, customer)", found, wanted)
    return problems


def connection_problems(connection, circuit):
    """How the gateway connection differs from one that succeeded and connects ``circuit``."""
    if not connection:
        return ["Azure gateway connection to the circuit does not exist"]
    problems = []
    _expect(problems, "Azure gateway connection provisioning state", connection.get("provisioning_state"), "Succeeded")
    if circuit and (connection.get("circuit_id") or "").lower() != (circuit.get("id") or "").lower():
        problems.append("Azure gateway connection %s connects circuit %s, not %s" % (
            connection.get("name"), connection.get("circuit_id"), circuit.get("id")))
    return problems


def circuit_setting_drift(circuit, wanted):
    """Settings of an existing circuit (circuit_summary) that differ from ``wanted`` (location,
    peering_location, bandwidth_mbps, sku_tier, sku_family, service_provider_name), as the
    expressroute_circuit module compares them (case-insensitively, as ARM does)."""
    if not circuit:
        return []
    sku = circuit.get("sku") or {}
    found = dict(location=normalize_location(circuit.get("location")), peering_location=circuit.get("peering_location"),
                 bandwidth_mbps=circuit.get("bandwidth_in_mbps"), sku_tier=sku.get("tier"), sku_family=sku.get("family"),
                 service_provider_name=circuit.get("service_provider_name"))
    want = dict(wanted, location=normalize_location(wanted["location"]))
    return ["Azure circuit %s is %s, expected %s" % (key, found[key], want[key])
            for key in differences(found, want, ignore_case=True)]


def virtual_circuit_setting_drift(virtual_circuit, plan, gateway_id):
    """Settings of an existing virtual circuit that fastconnect_virtual_circuit would change for the plan
    (its own ``changed_fields``; the service key is masked in what a read returns, so it is not compared)."""
    if not virtual_circuit:
        return []
    wanted = dict(mbps=plan["bandwidth_mbps"], provider_service_key_name=None, gateway_id=gateway_id,
                  cross_connect_mappings=plan["oci_cross_connect_mappings"], customer_asn=None,
                  ip_mtu="MTU_%d" % plan["mtu"])
    # How each field the module would change is shown: as read, against what the plan wants.
    shown = dict(mbps=("bandwidth", virtual_circuit.get("bandwidth_shape_name"), "%s Mbps" % plan["bandwidth_mbps"]))
    return ["OCI virtual circuit %s is %s, expected %s" % shown.get(
        field, (field, virtual_circuit.get(field), value)) for field, value in sorted(
        changed_fields(virtual_circuit, wanted).items())]


def value_at(data, path):
    """The value at a dotted path of ``differences`` in nested dicts (None where there is none)."""
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def describe_change(found, wanted):
    """"field found -> wanted" for each field of ``wanted`` that ``found`` does not have (ARM's case ignored)."""
    return ", ".join("%s %s -> %s" % (path, value_at(found, path), value_at(wanted, path))
                     for path in differences(found, wanted, ignore_case=True))


def nsg_rule_drift(group, cidrs, name_prefix):
    """What azure_nsg_rules would add, change or remove in ``group`` (security_rules as ARM returns them)."""
    params = dict(NSG_RULE_DEFAULTS, cidrs=cidrs, name_prefix=name_prefix)
    first, last = params["priority_range"]
    current = group.get("security_rules") or []
    try:
        new_rules, added, updated, removed = plan_changes(current, desired_rules(params), name_prefix, params["purge"],
                                                          first, last)
    except PriorityExhausted as error:
        return ["NSG %s: %s" % (group.get("name"), error)]
    before = dict((rule["name"], rule.get("properties") or {}) for rule in current)
    after = dict((rule["name"], rule["properties"]) for rule in new_rules)
    return (["NSG %s: rule %s missing" % (group.get("name"), name) for name in added]
            + ["NSG %s: rule %s changed: %s" % (group.get("name"), name, describe_change(before[name], after[name]))
               for name in updated]
            + ["NSG %s: rule %s not wanted" % (group.get("name"), name) for name in removed])


def _owned_rule_drift(kind, container_id, current, wanted, key_of, satisfies, marker, cidr_of, exclusive=False):
    dummy, added, removed, conflicts = merge_owned_rules(current, wanted, key_of, satisfies, marker,
                                                         purge=OCI_OWNED_RULE_DEFAULTS["purge"], exclusive=exclusive)
    # An own rule replaced by a wanted one of the same key was changed behind our back: say how.
    replaced = dict((key_of(rule), rule) for rule in removed)
    changed = [(replaced[key_of(rule)], rule) for rule in added if key_of(rule) in replaced]
    return (["%s %s: rule for %s missing" % (kind, container_id, cidr_of(rule)) for rule in added
             if key_of(rule) not in replaced]
            + ["%s %s: rule for %s changed: %s" % (kind, container_id, cidr_of(rule), describe_change(found, rule))
               for found, rule in changed]
            + ["%s %s: rule for %s not wanted" % (kind, container_id, cidr_of(rule)) for rule in removed
               if all(found is not rule for found, dummy in changed)]
            + ["%s %s: another rule routes %s elsewhere" % (kind, container_id, cidr_of(rule)) for rule in conflicts])


def route_rule_drift(table, cidrs, network_entity_id, marker):
    """What oci_route_rules would change in ``table`` (as oci_network_info returns it)."""
    return _owned_rule_drift("route table", table["id"], table.get("route_rules") or [],
                             wanted_routes(cidrs, network_entity_id, marker), route_key, routes_same_target,
                             marker, lambda rule: route_key(rule)[1], exclusive=True)


def security_rule_drift(security_list, cidrs, marker):
    """What oci_security_rules would change in ``security_list`` (as oci_network_info returns it)."""
    params = dict(SECURITY_RULE_DEFAULTS, marker=marker)
    drift = []
    for direction in params["directions"]:
        list_field, cidr_field, cidr_type_field, dummy = DIRECTIONS[direction]
        drift += _owned_rule_drift("security list", security_list["id"], security_list.get(list_field) or [],
                                   wanted_rules(params, cidr_field, cidr_type_field, cidrs), rule_key(cidr_field),
                                   same_rule, marker, lambda rule, field=cidr_field: rule_key_cidr(rule.get(field)))
    return drift


NSG, ROUTE_TABLE, SECURITY_LIST = "NSG", "Route table", "Security list"


def describe_nsg_rule(rule):
    properties = rule.get("properties") or {}
    return "%s: %s %s %s from %s to %s, priority %s" % (
        rule.get("name"), properties.get("direction"), properties.get("access"), properties.get("protocol"),
        properties.get("sourceAddressPrefix"), properties.get("destinationAddressPrefix"), properties.get("priority"))


def describe_route_rule(rule):
    return "%s -> %s" % (rule.get("destination") or rule.get("cidr_block"), rule.get("network_entity_id"))


def describe_security_rule(rule, direction):
    dummy, cidr_field, dummy_type, dummy_model = DIRECTIONS[direction]
    ports = rule_ports(rule)
    return "%s %s, protocol %s%s, %s" % (
        direction, rule.get(cidr_field), rule.get("protocol"), " ports %s-%s" % ports if ports else "",
        "stateless" if rule.get("is_stateless") else "stateful")


def _container_row(kind, name, read, rules=(), drift=()):
    return dict(kind=kind, name=name, read=read, rules=list(rules), drift=list(drift))


def rule_containers(azure, oci, plan, expected, nsg_names=None):
    """What was read of each NSG, route table and security list the interconnect owns rules in, for the drift and
    the report: ``{NSG: [row], ROUTE_TABLE: [row], SECURITY_LIST: [row]}``, each row ``{"kind", "name", "read",
    "rules", "drift"}``: the rules of this interconnect found in it (described, with their names or targets) and
    what a converge would change in it; ``read`` False (rules and drift empty) for one the reads did not return.

    ``nsg_names`` are the NSGs asked for (default: those read); ``expected`` as for ``interconnect_drift``.
    """
    marker = expected["rule_marker"]
    groups = dict(((group.get("name") or "").lower(), group) for group in azure.get("network_security_groups") or [])
    nsgs = []
    for name in nsg_names if nsg_names is not None else [group["name"] for group in groups.values()]:
        group = groups.get(name.lower())
        nsgs.append(_container_row(NSG, name, False) if group is None else _container_row(
            NSG, name, True, [describe_nsg_rule(rule) for rule in group.get("security_rules") or []
                              if rule["name"].startswith(marker + "-")],
            nsg_rule_drift(group, plan["oci_vcn_cidrs"], marker + "-")))
    tables = dict((table["id"], table) for table in oci.get("route_tables") or [])
    route_tables = [_container_row(ROUTE_TABLE, table_id, False) if table_id not in tables else _container_row(
        ROUTE_TABLE, table_id, True, [describe_route_rule(rule) for rule in tables[table_id].get("route_rules") or []
                                      if is_owned(rule, marker)],
        route_rule_drift(tables[table_id], plan["azure_vnet_cidrs"], expected["drg_id"], marker))
        for table_id in expected["route_table_ids"]]
    lists = dict((item["id"], item) for item in oci.get("security_lists") or [])
    security_lists = [_container_row(SECURITY_LIST, list_id, False) if list_id not in lists else _container_row(
        SECURITY_LIST, list_id, True, [describe_security_rule(rule, direction) for direction in sorted(DIRECTIONS)
                                       for rule in lists[list_id].get(DIRECTIONS[direction][0]) or []
                                       if is_owned(rule, marker)],
        security_rule_drift(lists[list_id], plan["azure_vnet_cidrs"], marker))
        for list_id in expected["security_list_ids"]]
    return {NSG: nsgs, ROUTE_TABLE: route_tables, SECURITY_LIST: security_lists}


# Which part of the report's diagram a judged problem is about, by the words the judges above begin it
# with (first match wins: the gateway connection is Azure's too).
DIAGRAM_PARTS = (("Azure gateway connection", "gw"), ("Azure", "er"), ("OCI", "vc"), ("NSG ", "vnet"),
                 ("route table ", "vcn"), ("security list ", "vcn"))


def unhealthy_parts(problems):
    """The diagram's nodes (vnet, gw, er, vc, vcn) some problem is about, sorted."""
    return sorted(set(next((part for prefix, part in DIAGRAM_PARTS if problem.startswith(prefix)), None)
                      for problem in problems) - set([None]))


def interconnect_drift(azure, oci, plan, expected):
    """Every way the interconnect differs from what a converge would make it, by what would repair it.

    ``azure`` and ``oci`` are the azure_network_info and oci_network_info results (with the circuit,
    connection and virtual circuit read); ``expected`` names what the interconnect owns: circuit
    (location, peering_location, sku_tier, sku_family, service_provider_name), drg_id, route_table_ids,
    security_list_ids and rule_marker. Returns ``{"links": [...], "nsg_rules": {nsg name: [...]},
    "route_rules": [...], "security_rules": [...]}``, one sentence per difference naming the resource:
    ``links`` for the circuit, virtual circuit, peering and gateway connection (which depend on each
    other, so they are repaired together), the others for the rules each rule module owns.
    """
    circuit = azure.get("express_route_circuit") or None
    virtual_circuit = oci.get("virtual_circuit") or None
    links = azure_problems(circuit, plan) + oci_problems(virtual_circuit, plan)
    links += connection_problems(azure.get("virtual_network_gateway_connection"), circuit)
    links += circuit_setting_drift(circuit, dict(expected["circuit"], bandwidth_mbps=plan["bandwidth_mbps"]))
    links += virtual_circuit_setting_drift(virtual_circuit, plan, expected["drg_id"])
    containers = rule_containers(azure, oci, plan, expected)
    nsg_rules = dict((row["name"], row["drift"]) for row in containers[NSG] if row["read"])
    route_rules = [line for row in containers[ROUTE_TABLE] for line in row["drift"]]
    security_rules = [line for row in containers[SECURITY_LIST] for line in row["drift"]]
    return dict(links=links, nsg_rules=nsg_rules, route_rules=route_rules, security_rules=security_rules,
                learned_routes=learned_routes_judged(azure, oci, plan))


# ---------------------------------------------------------------------------------------------
# The routes BGP carries over the interconnect: each side must learn the other side's CIDRs

ORACLE_ASN = "31898"   # the AS a route learned from OCI has at the end of its AS path (interconnect-facts.md)


def _as_network(prefix):
    """A learned prefix as a network, None when it is none (then it matches nothing)."""
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except (TypeError, ValueError):
        return None


def _canonical(prefix):
    """A learned prefix in canonical form; as read when it is no network."""
    network = _as_network(prefix)
    return str(network) if network is not None else prefix


def _unexpected(prefixes, wanted, own, learner, own_label):
    """``(problems, extras)`` of learned ``prefixes``: a default route or one overlapping the learner's own
    CIDRs is a problem; any other prefix not ``wanted`` is only an extra."""
    own_networks = [(cidr, _as_network(cidr)) for cidr in own]
    problems, extras = [], []
    for prefix in prefixes:
        network = _as_network(prefix)
        overlapped = [cidr for cidr, own_network in own_networks if network is not None
                      and network.version == own_network.version and network.overlaps(own_network)]
        if network is not None and network.prefixlen == 0:
            problems.append("%s learns a default route %s over the interconnect" % (learner, prefix))
        elif overlapped:
            problems.append("%s learns %s, which overlaps its own %s %s"
                            % (learner, prefix, own_label, ", ".join(overlapped)))
        elif _canonical(prefix) not in wanted:
            extras.append(prefix)
    return problems, extras


def azure_learned_routes(tables):
    """``{device path: [prefix]}`` of the routes learned from OCI (AS path ending in Oracle's AS) in each
    route table azure_network_info read (``{path: [{network, next_hop, path}]}``)."""
    return dict((device, [route.get("network") for route in routes
                          if (route.get("path") or "").split()[-1:] == [ORACLE_ASN]])
                for device, routes in sorted(tables.items()))


def learned_routes_judged(azure, oci, plan):
    """What each side learns over BGP and what is wrong with it, or None when the reads did not include
    the learned routes (azure_network_info and oci_network_info with ``learned_routes``).

    Azure must learn every OCI VCN CIDR on both device paths with an AS path ending in 31898; the DRG route
    table of the VCN's attachment must hold every Azure VNet CIDR as a DYNAMIC rule whose next hop is the
    virtual circuit's attachment. Missing prefixes, default routes and prefixes overlapping the learner's own
    CIDRs are problems; other prefixes are reported as ``unexpected``."""
    azure_read, oci_read = azure.get("learned_routes"), oci.get("learned_routes")
    if not azure_read and not oci_read:
        return None
    problems, report = [], dict(azure={}, oci=[], unexpected=[])
    vcn_cidrs = [normalize_cidr(cidr) for cidr in plan["oci_vcn_cidrs"]]
    vnet_cidrs = [normalize_cidr(cidr) for cidr in plan["azure_vnet_cidrs"]]
    if azure_read:
        circuit_name = (azure.get("express_route_circuit") or {}).get("name")
        report["azure"] = azure_learned_routes(azure_read)
        for device, prefixes in report["azure"].items():
            learned = [_canonical(prefix) for prefix in prefixes]
            problems.extend("OCI VCN CIDR %s not learned on the %s path of circuit %s" % (cidr, device, circuit_name)
                            for cidr in vcn_cidrs if cidr not in learned)
            found, extras = _unexpected(prefixes, vcn_cidrs, vnet_cidrs,
                                        "the %s path of circuit %s" % (device, circuit_name), "Azure VNet CIDR")
            problems.extend(found)
            report["unexpected"].extend("Azure %s: %s" % (device, prefix) for prefix in extras)
    if oci_read:
        circuit_name = (oci.get("virtual_circuit") or {}).get("display_name")
        table = oci_read.get("drg_route_table_id")
        over = oci_read.get("virtual_circuit_attachment_id")
        if not over:
            problems.append("OCI virtual circuit %s has no DRG attachment to learn routes over" % circuit_name)
        prefixes = [rule.get("destination") for rule in oci_read.get("rules") or []
                    if over and rule.get("route_type") == "DYNAMIC" and rule.get("next_hop_drg_attachment_id") == over]
        report["oci"] = prefixes
        learned = [_canonical(prefix) for prefix in prefixes]
        if over:
            problems.extend("Azure VNet CIDR %s not learned by DRG route table %s over the attachment of virtual "
                            "circuit %s" % (cidr, table, circuit_name) for cidr in vnet_cidrs if cidr not in learned)
        found, extras = _unexpected(prefixes, vnet_cidrs, vcn_cidrs, "DRG route table %s" % table, "OCI VCN CIDR")
        problems.extend(found)
        report["unexpected"].extend("OCI: %s" % prefix for prefix in extras)
    report["problems"] = problems
    return report


def drift_summary(drift):
    """``(lines, pending)`` of an interconnect_drift result: every difference in one list, and what a
    converge must run to repair them (``links``: the circuit, virtual circuit, peering and gateway
    connection steps; ``nsg_names``: the NSGs whose rules differ; ``route_rules``, ``security_rules``).
    Route problems (``learned_routes``, when the reads had the learned routes) are differences no step
    repairs: they show what BGP carries, not what the role wrote."""
    nsg_names = [name for name, lines in drift["nsg_rules"].items() if lines]
    lines = drift["links"] + [line for name in nsg_names for line in drift["nsg_rules"][name]]
    lines += drift["route_rules"] + drift["security_rules"]
    lines += (drift.get("learned_routes") or {}).get("problems", [])
    pending = dict(links=bool(drift["links"]), nsg_names=nsg_names, route_rules=bool(drift["route_rules"]),
                   security_rules=bool(drift["security_rules"]))
    return lines, pending


# ---------------------------------------------------------------------------------------------
# What the ExpressRoute provider offers


def provider_view(provider):
    """An ExpressRoute service provider (REST JSON of expressRouteServiceProviders) as name, peering locations and
    bandwidths offered in Mbps."""
    properties = provider.get("properties") or {}
    return dict(name=provider.get("name"), peering_locations=properties.get("peeringLocations") or [],
                bandwidths_offered_mbps=sorted(offer.get("valueInMbps") for offer in properties.get("bandwidthsOffered") or []))


def offer_problems(providers, provider_name, peering_location, bandwidth_mbps=None):
    """``[(option, value, message)]`` of what the providers (``provider_view``s) do not offer for a circuit of
    ``provider_name`` at ``peering_location`` with ``bandwidth_mbps`` (None: not judged); empty when offered."""
    by_name = dict(((provider.get("name") or "").lower(), provider) for provider in providers)
    provider = by_name.get(provider_name.lower())
    if provider is None:
        return [("service_provider_name", provider_name, "service_provider_name %r is not an ExpressRoute provider; "
                 "known providers: %s" % (provider_name, ", ".join(sorted(item.get("name") or "" for item in providers))))]
    found = []
    locations = provider["peering_locations"]
    if peering_location.lower() not in [location.lower() for location in locations]:
        found.append(("peering_location", peering_location, "peering_location %r is not offered by %s; its peering "
                      "locations: %s" % (peering_location, provider_name, ", ".join(locations))))
    offered = provider["bandwidths_offered_mbps"]
    if bandwidth_mbps is not None and bandwidth_mbps not in offered:
        found.append(("bandwidth", bandwidth_mbps, "bandwidth %s Mbps is not offered by %s; it offers %s" % (
            bandwidth_mbps, provider_name, ", ".join("%s Mbps" % value for value in offered))))
    return found
