#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_security_rules
short_description: Ensure ingress/egress rules for a list of CIDRs in OCI security lists, leaving other rules alone
version_added: 1.0.0
description:
  - Adds, replaces or removes only the security rules this module owns, recognised by O(marker) at the
    start of the rule's C(description); every other rule of the list stays as it is.
  - A rule is identified by direction, CIDR, protocol and destination ports; by default one stateful
    rule per CIDR allowing all protocols.
  - The list is read, changed and written back under its etag (C(if-match)); when another writer
    changed it meanwhile (HTTP 412) it is read and merged again once.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  security_list_ids:
    description: OCIDs of the security lists to manage.
    type: list
    elements: str
    required: true
    aliases: [security_list_id]
  cidrs:
    description:
      - Source CIDRs of ingress rules and destination CIDRs of egress rules (for example the Azure VNet
        address spaces).
      - With O(state=absent) and no O(cidrs), all rules owned by the module in O(directions) are removed.
    type: list
    elements: str
    default: []
  directions:
    description: Which rule lists to manage.
    type: list
    elements: str
    choices: [ingress, egress]
    default: [ingress]
  protocol:
    description: V(all), V(tcp), V(udp), V(icmp), V(icmpv6) or an IANA protocol number.
    type: str
    default: all
  destination_ports:
    description:
      - Destination port or range (V(443), V(8000-8080)) for O(protocol=tcp) or O(protocol=udp); all ports when unset.
    type: str
  stateless:
    description: Whether the rules are stateless.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.oci.owned_rules
"""

EXAMPLES = r"""
- name: Allow the Azure address space in
  crosscloud.interconnect.oci_security_rules:
    security_list_ids: ["{{ security_list_ocid }}"]
    cidrs: ["10.10.0.0/16"]
    directions: [ingress, egress]

- name: Allow only HTTPS from Azure, dropping other owned rules
  crosscloud.interconnect.oci_security_rules:
    security_list_ids: ["{{ security_list_ocid }}"]
    cidrs: ["10.10.0.0/16"]
    protocol: tcp
    destination_ports: "443"
    purge: true
"""

RETURN = r"""
security_lists:
  description: The security lists after the change (as they would be unchanged in check mode).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ocid1.securitylist.oc1.iad.example
      ingress_security_rules:
        - source: 10.10.0.0/16
          source_type: CIDR_BLOCK
          protocol: all
          is_stateless: false
          description: managed-by:crosscloud.interconnect
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, normalize_cidr
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    DIRECTIONS,
    PROTOCOLS,
    SECURITY_RULE_DEFAULTS,
    rule_key,
    rule_ports,
    same_rule,
    wanted_rules,
    merge_owned_rules,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    OCIModule,
    ensure_owned_rules,
    owned_rules_argument_spec,
    to_model,
)


def describe(cidr_field):
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
        per_direction.append((list_field, key_of, describe(cidr_field), getattr(models, model_name),
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


def main():
    module = OCIModule(
        argument_spec=dict(
            security_list_ids=dict(type="list", elements="str", required=True, aliases=["security_list_id"]),
            cidrs=dict(type="list", elements="str", default=[]),
            directions=dict(type="list", elements="str", choices=["ingress", "egress"],
                            default=SECURITY_RULE_DEFAULTS["directions"]),
            protocol=dict(type="str", default=SECURITY_RULE_DEFAULTS["protocol"]),
            destination_ports=dict(type="str"),
            stateless=dict(type="bool", default=SECURITY_RULE_DEFAULTS["stateless"]),
            **owned_rules_argument_spec()
        ),
        supports_check_mode=True,
    )
    try:
        ensure_owned_rules(module, "security list", module.params["security_list_ids"], security_planner)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
