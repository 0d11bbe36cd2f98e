# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_group_members
short_description: The members of an interconnect group, with the variables the plan judges a member by
version_added: 1.4.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Takes the inventory's hosts with their variables (C(hostvars)) and returns those whose C(interconnect_group) is
    O(group), each with its region pair, resource group, VNet, gateway, VCN, DRG, peering location, /29 and bandwidth
    (see M(crosscloud.interconnect.interconnect_plan)'s C(group) option).
  - A variable a host leaves unset takes the default of the role's argument spec (O(options)), since other hosts'
    C(hostvars) hold no role defaults.
positional: group, options
options:
  _input:
    description: The inventory's hosts, each name with its host variables.
    type: dict
    required: true
  group:
    description: The group's name; empty gives no members.
    type: str
    required: true
  options:
    description: The role's argument spec options (their C(default)s fill what a host leaves unset).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: The members of this host's group
  ansible.builtin.debug:
    msg: >-
      {{ dict(groups['all'] | zip(groups['all'] | map('extract', hostvars)))
         | crosscloud.interconnect.interconnect_group_members(interconnect_group) }}
"""

RETURN = r"""
_value:
  description: The members by host name, each a dict of the role's variables.
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import GROUP_MEMBER_VARIABLES


def interconnect_group_members(hosts, group, options=None):
    if not group:
        return {}
    options = options or {}
    members = {}
    for host, facts in hosts.items():
        if facts.get("interconnect_group") != group:
            continue
        members[host] = dict((variable, facts.get(variable, (options.get(variable) or {}).get("default")))
                             for variable in GROUP_MEMBER_VARIABLES)
    return members


class FilterModule(object):
    def filters(self):
        return {"interconnect_group_members": interconnect_group_members}
