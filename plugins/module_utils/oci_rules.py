# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plans of the modules that own rules in OCI route tables and security lists (``oci_route_rules``,
``oci_security_rules``, and ``oci_rules`` doing both in one call): from the module's options, a function
that takes a container as read and says what to write (see ``oci.reconcile_rule_containers``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import normalize_cidr
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    DIRECTIONS,
    PROTOCOLS,
    SECURITY_RULE_DEFAULTS,
    merge_owned_rules,
    route_key,
    routes_same_target,
    rule_key,
    rule_ports,
    same_rule,
    wanted_routes,
    wanted_rules,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import to_model

# The options of the security rules, documented in the crosscloud.interconnect.oci.security_rules fragment.
SECURITY_RULE_SPEC = dict(
    directions=dict(type="list", elements="str", choices=["ingress", "egress"], default=SECURITY_RULE_DEFAULTS["directions"]),
    protocol=dict(type="str", default=SECURITY_RULE_DEFAULTS["protocol"]),
    destination_ports=dict(type="str"),
    stateless=dict(type="bool", default=SECURITY_RULE_DEFAULTS["stateless"]),
)


def describe_route(rule):
    return "%s -> %s%s" % (rule.get("destination") or rule.get("cidr_block"), rule.get("network_entity_id"),
                           " (%s)" % rule["description"] if rule.get("description") else "")


def route_planner(params):
    """``plan(route_table)`` for ``reconcile_rule_containers``."""
    from oci.core.models import RouteRule, UpdateRouteTableDetails

    cidrs = [normalize_cidr(cidr) for cidr in params["cidrs"]]
    present = params["state"] == "present"
    wanted = wanted_routes(cidrs, params["network_entity_id"], params["marker"]) if present else []
    removal = [("CIDR_BLOCK", cidr) for cidr in cidrs] if not present else []

    def plan(table):
        current = table.get("route_rules") or []
        rules, added, removed, conflicts = merge_owned_rules(
            current, wanted, route_key, routes_same_target, params["marker"],
            purge=params["purge"] or (not present and not cidrs), remove=removal, exclusive=True)
        if conflicts:
            raise ValueError("not managed by this module and routing elsewhere: %s" % ", ".join(
                describe_route(rule) for rule in conflicts))
        if not added and not removed:
            return None, [describe_route(r) for r in current], [describe_route(r) for r in current]
        details = UpdateRouteTableDetails(route_rules=[to_model(RouteRule, rule) for rule in rules])
        return details, [describe_route(r) for r in current], [describe_route(r) for r in rules]

    return plan


def describe_security_rule(cidr_field):
    """One line per rule for the diff, such as ``10.1.0.0/16 tcp:443 (marker)``."""
    names = dict((number, name) for name, number in PROTOCOLS.items())

    def text(rule):
        ports = rule_ports(rule)
        port_text = "" if not ports else ":%d" % ports[0] if ports[0] == ports[1] else ":%d-%d" % ports
        return "%s %s%s%s%s" % (rule.get(cidr_field), names.get(rule.get("protocol"), rule.get("protocol")), port_text,
                                " stateless" if rule.get("is_stateless") else "",
                                " (%s)" % rule["description"] if rule.get("description") else "")
    return text


def security_planner(params):
    """``plan(security_list)`` for ``reconcile_rule_containers``; ValueError for bad options."""
    from oci.core import models

    cidrs = [normalize_cidr(cidr) for cidr in params["cidrs"]]
    present = params["state"] == "present"
    per_direction = []
    for direction in params["directions"]:
        list_field, cidr_field, cidr_type_field, model_name = DIRECTIONS[direction]
        wanted = wanted_rules(params, cidr_field, cidr_type_field, cidrs)
        key_of = rule_key(cidr_field)
        per_direction.append((list_field, key_of, describe_security_rule(cidr_field), getattr(models, model_name),
                              wanted if present else [], [] if present else [key_of(rule) for rule in wanted]))

    def plan(security_list):
        changed, fields, before, after = False, {}, {}, {}
        for list_field, key_of, text, model, wanted, removal in per_direction:
            current = security_list.get(list_field) or []
            rules, added, removed, dummy = merge_owned_rules(
                current, wanted, key_of, same_rule, params["marker"],
                purge=params["purge"] or (not present and not cidrs), remove=removal)
            changed = changed or bool(added or removed)
            fields[list_field] = [to_model(model, rule) for rule in rules]
            before[list_field] = [text(rule) for rule in current]
            after[list_field] = [text(rule) for rule in rules]
        return (models.UpdateSecurityListDetails(**fields) if changed else None), before, after

    return plan
