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
