#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: azure_nsg_rules
short_description: Allow traffic to and from a list of CIDRs in an Azure network security group
version_added: 1.0.0
description:
  - Ensures one allow rule per CIDR and direction in an existing network security group, for example for the
    OCI VCN CIDRs reached over the interconnect.
  - The module owns only the rules whose names start with O(name_prefix); it never changes or removes any other
    rule. Its rules are named after their direction and CIDR, so a re-run finds them again.
  - New rules get the lowest priorities free in O(priority_range) (per direction), chosen in name order; an
    existing rule keeps its priority while it lies in the range, so priorities are stable across runs.
  - All changes are written in one update of the security group, conditional on its etag, so a concurrent change
    to other rules is not overwritten.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the network security group.
    type: str
    required: true
  network_security_group:
    description: The name of the network security group.
    type: str
    required: true
  state:
    description:
      - V(present) ensures the rules for O(cidrs); V(absent) removes the module's rules for O(cidrs), or all of
        its rules when O(cidrs) is not set.
    type: str
    choices: [present, absent]
    default: present
  cidrs:
    description: The remote CIDRs to allow, for example the OCI VCN CIDRs. Required when O(state=present).
    type: list
    elements: str
  directions:
    description: Which directions get rules. Inbound rules allow the CIDRs as source, outbound rules as destination.
    type: list
    elements: str
    choices: [Inbound, Outbound]
    default: [Inbound, Outbound]
  local_address_prefix:
    description: The local side of every rule (destination of inbound rules, source of outbound rules).
    type: str
    default: VirtualNetwork
  protocol:
    description: The protocol the rules allow.
    type: str
    choices: ['*', Tcp, Udp, Icmp]
    default: '*'
  destination_port_range:
    description: The destination port or range the rules allow, for example V(*), V(443) or V(1521-1522).
    type: str
    default: '*'
  name_prefix:
    description: The name prefix that marks the rules this module owns.
    type: str
    default: interconnect-
  priority_range:
    description: The lowest and highest priority the module may give its rules (Azure allows 100 to 4096).
    type: list
    elements: int
    default: [1000, 1999]
  purge:
    description:
      - With O(state=present), whether to remove the module's own rules (by O(name_prefix)) for CIDRs or directions
        no longer listed.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.operation
  - crosscloud.interconnect.attributes
"""

EXAMPLES = r"""
- name: Allow the OCI VCN CIDRs in and out of the VNet
  crosscloud.interconnect.azure_nsg_rules:
    resource_group: interconnect-rg
    network_security_group: vnet-hub-nsg
    cidrs:
      - 10.20.0.0/16
      - 10.21.0.0/16

- name: Only allow inbound TCP 1521 from the OCI database subnet, in a dedicated priority range
  crosscloud.interconnect.azure_nsg_rules:
    resource_group: interconnect-rg
    network_security_group: app-nsg
    cidrs: [10.20.1.0/24]
    directions: [Inbound]
    protocol: Tcp
    destination_port_range: "1521"
    name_prefix: oci-db-
    priority_range: [300, 349]

- name: Remove every rule this module made
  crosscloud.interconnect.azure_nsg_rules:
    resource_group: interconnect-rg
    network_security_group: vnet-hub-nsg
    state: absent
"""

RETURN = r"""
rules:
  description: The module's own rules (by O(name_prefix)) after the run, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The rule name.
      type: str
      sample: interconnect-inbound-10.20.0.0-16
    direction:
      description: C(Inbound) or C(Outbound).
      type: str
    priority:
      description: The priority.
      type: int
      sample: 1000
    protocol:
      description: The protocol.
      type: str
    source_address_prefix:
      description: The source.
      type: str
    destination_address_prefix:
      description: The destination.
      type: str
    destination_port_range:
      description: The destination port range.
      type: str
    access:
      description: Always C(Allow).
      type: str
added:
  description: Names of the rules created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the rules changed.
  returned: always
  type: list
  elements: str
removed:
  description: Names of the rules removed.
  returned: always
  type: list
  elements: str
network_security_group_id:
  description: The ARM id of the network security group.
  returned: always
  type: str
diff:
  description: The module's own rules before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    MAX_PRIORITY,
    MIN_PRIORITY,
    NSG_RULE_DEFAULTS,
    PriorityExhausted,
    desired_rules,
    plan_changes,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    managed_resource_spec,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    CONCURRENT_WRITE_ATTEMPTS,
    InterconnectError,
    diff_result,
    normalize_cidr,
)

CIDR_PROBLEM = "cidrs: %r is not a network CIDR (%s)"


def without_own_rules(current_rules, params):
    """``(remaining_rules, removed)`` for state=absent: the own rules of the listed CIDRs go (all own rules
    when no CIDR is listed), in both directions."""
    if params["cidrs"]:
        doomed = set(desired_rules(dict(params, directions=["Inbound", "Outbound"])))
    else:
        doomed = set(rule["name"] for rule in current_rules if rule["name"].startswith(params["name_prefix"]))
    remaining = [rule for rule in current_rules if rule["name"] not in doomed]
    return remaining, sorted(rule["name"] for rule in current_rules if rule["name"] in doomed)


def rule_view(rule):
    """The user-facing view of an NSG security rule (REST JSON in, snake_case out)."""
    properties = rule.get("properties") or {}
    return dict(name=rule["name"], direction=properties.get("direction"), priority=properties.get("priority"),
                protocol=properties.get("protocol"), access=properties.get("access"),
                source_address_prefix=properties.get("sourceAddressPrefix"),
                destination_address_prefix=properties.get("destinationAddressPrefix"),
                destination_port_range=properties.get("destinationPortRange"))


def own_rules(rules, prefix):
    return sorted((rule_view(rule) for rule in rules if rule["name"].startswith(prefix)), key=lambda rule: rule["name"])


def validated_options(module):
    params = module.params
    first, last = (params["priority_range"] + [None, None])[:2]
    if len(params["priority_range"]) != 2 or not MIN_PRIORITY <= first <= last <= MAX_PRIORITY:
        raise InterconnectError("priority_range must be [lowest, highest] within %s-%s, got %s" % (
            MIN_PRIORITY, MAX_PRIORITY, params["priority_range"]))
    if not params["name_prefix"]:
        raise InterconnectError("name_prefix must not be empty: it is how the module recognises its own rules")
    try:
        if params["cidrs"] is not None:
            params["cidrs"] = [normalize_cidr(cidr, CIDR_PROBLEM) for cidr in params["cidrs"]]
    except ValueError as error:
        raise InterconnectError(str(error))
    return first, last


def reconcile(api, params, priorities, check_mode, wait):
    """Read the group, plan the owned rules and write them under If-Match; returns the module result.

    Interconnects of one run often share a group and write it at once: when another writer got in first
    (412), the group is read again and the change planned again from it, a bounded number of times."""
    groups = api.client.network_security_groups
    name = params["network_security_group"]
    for attempt in range(1, CONCURRENT_WRITE_ATTEMPTS + 1):
        group = api.get_or_fail("read network security group %s" % name,
                                "Network security group %s does not exist in resource group %s" % (
                                    name, params["resource_group"]),
                                groups.get, params["resource_group"], name)
        current_rules = (group.get("properties") or {}).get("securityRules") or []
        new_rules, result = planned(params, current_rules, priorities)
        result["network_security_group_id"] = group.get("id")
        if not result["changed"] or check_mode:
            break
        body = dict(group, properties=dict(group.get("properties") or {}, securityRules=new_rules))
        try:
            group, result["wait_history"] = api.run_lro(
                "update network security group %s" % name, groups.begin_create_or_update, params["resource_group"],
                name, body, headers={"If-Match": group["etag"]} if group.get("etag") else None, wait=wait)
        except InterconnectError as error:
            if error.details.get("status_code") == 412 and attempt < CONCURRENT_WRITE_ATTEMPTS:
                continue
            raise
        new_rules = ((group or body).get("properties") or {}).get("securityRules") or new_rules
        break
    result["rules"] = own_rules(new_rules, params["name_prefix"])
    return result


def planned(params, current_rules, priorities):
    """``(rules the group should have, result)`` for the module's options against ``current_rules``."""
    if params["state"] == "present":
        try:
            new_rules, added, updated, removed = plan_changes(current_rules, desired_rules(params),
                                                              params["name_prefix"], params["purge"], *priorities)
        except PriorityExhausted as error:
            raise InterconnectError(str(error))
    else:
        new_rules, removed = without_own_rules(current_rules, params)
        added, updated = [], []
    result = dict(changed=bool(added or updated or removed), added=added, updated=updated, removed=removed)
    if result["changed"]:
        result["diff"] = diff_result(dict(rules=own_rules(current_rules, params["name_prefix"])),
                                     dict(rules=own_rules(new_rules, params["name_prefix"])),
                                     header=params["network_security_group"])
    return new_rules, result


def main():
    module = AzureInterconnectModule(
        argument_spec=managed_resource_spec(
            "network_security_group",
            cidrs=dict(type="list", elements="str"),
            directions=dict(type="list", elements="str", choices=["Inbound", "Outbound"],
                            default=NSG_RULE_DEFAULTS["directions"]),
            local_address_prefix=dict(type="str", default=NSG_RULE_DEFAULTS["local_address_prefix"]),
            protocol=dict(type="str", choices=["*", "Tcp", "Udp", "Icmp"], default=NSG_RULE_DEFAULTS["protocol"]),
            destination_port_range=dict(type="str", default=NSG_RULE_DEFAULTS["destination_port_range"]),
            name_prefix=dict(type="str", default="interconnect-"),
            priority_range=dict(type="list", elements="int", default=NSG_RULE_DEFAULTS["priority_range"]),
            purge=dict(type="bool", default=NSG_RULE_DEFAULTS["purge"]),
        ),
        wait_choices=["succeeded"], wait_default=["succeeded"],
        required_if=[("state", "present", ("cidrs",))],
        supports_check_mode=True,
    )
    try:
        first, last = validated_options(module)
        module.exit_json(**reconcile(module.api, module.params, (first, last), module.check_mode, module.wait_options))
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
