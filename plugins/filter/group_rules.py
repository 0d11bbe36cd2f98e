# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_group_rules_kept_for
short_description: The other members of an interconnect group that still need the group's rules
version_added: 1.4.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - The rules of an interconnect group (the other cloud's CIDRs in NSGs and security lists, the route to the DRG) are
    the group's, not one member's. A member's teardown removes them only when no other member needs them any more.
  - Another member needs them while its ExpressRoute circuit exists (it is in the circuits read of the group's
    resource group) and it is not being torn down in the same run (O(tearing_down)); the teardown removes the rules
    when the result is empty.
positional: members, host, tearing_down
options:
  _input:
    description: The circuits of the group's resource group (M(crosscloud.interconnect.expressroute_circuit_info)).
    type: list
    elements: dict
    required: true
  members:
    description: The group's members by name, this host included, each with C(interconnect_azure_circuit_name).
    type: dict
    required: true
  host:
    description: The member being torn down.
    type: str
    required: true
  tearing_down:
    description: The hosts of this run that are being torn down too.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Remove the group's rules only when no other member needs them
  ansible.builtin.set_fact:
    rules_kept_for: >-
      {{ circuits.circuits | crosscloud.interconnect.interconnect_group_rules_kept_for(members, inventory_hostname) }}
"""

RETURN = r"""
_value:
  description: The other members that still need the rules, each C(member) with its C(circuit) name; empty when none.
  type: list
  elements: dict
"""


def interconnect_group_rules_kept_for(circuits, members, host, tearing_down=()):
    # ARM names ignore case.
    present = set((circuit.get("name") or "").lower() for circuit in circuits or [])
    kept_for = []
    for member in sorted(members):
        circuit = members[member].get("interconnect_azure_circuit_name") or ""
        if member != host and member not in tearing_down and circuit.lower() in present:
            kept_for.append(dict(member=member, circuit=circuit))
    return kept_for


class FilterModule(object):
    def filters(self):
        return {"interconnect_group_rules_kept_for": interconnect_group_rules_kept_for}
