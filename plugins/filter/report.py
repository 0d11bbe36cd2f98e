# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_report_view
short_description: What an interconnect's report shows of the rules it owns and of its problems
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - From what the preflight read (M(crosscloud.interconnect.azure_network_info) and
    M(crosscloud.interconnect.oci_network_info) results), one row per NSG, route table and security list the
    interconnect owns rules in, with the rules of this interconnect found there (names, targets) and what a
    converge would change in it; a container the reads did not return says so.
  - From the judged problems, the parts of the report's diagram that are unhealthy.
positional: oci_network, plan, rule_marker, drg_id
options:
  _input:
    description: The azure_network_info result.
    type: dict
    required: true
  oci_network:
    description: The oci_network_info result.
    type: dict
    required: true
  plan:
    description: The derived address plan (M(crosscloud.interconnect.interconnect_plan)).
    type: dict
    required: true
  rule_marker:
    description: The marker (NSG rule name prefix without its trailing C(-)) of this interconnect's rules.
    type: str
    required: true
  drg_id:
    description: The DRG the route rules send the Azure VNet CIDRs to.
    type: str
    required: true
  route_table_ids:
    description: The route tables the interconnect owns rules in.
    type: list
    elements: str
    default: []
  security_list_ids:
    description: The security lists the interconnect owns rules in.
    type: list
    elements: str
    default: []
  nsg_names:
    description: The NSGs asked for; one that was not read gets a row saying so.
    type: list
    elements: str
  problems:
    description: The judged problems (the verdict's), for the diagram.
    type: list
    elements: str
    default: []
  repaired:
    description: Whether this run wrote the rules found different (a converge), so that their rows say so.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Rows of the report
  ansible.builtin.set_fact:
    view: >-
      {{ azure_network | crosscloud.interconnect.interconnect_report_view(oci_network, plan, 'interconnect-er1', drg_id,
         route_table_ids=[route_table_id], nsg_names=['nsg-workload'], problems=health.problems) }}
"""

RETURN = r"""
_value:
  description:
    - C(azure) (the NSG rows) and C(oci) (the route table rows, then the security list rows), each row with
      C(kind), C(name), C(read) (bool), C(rules) (described), C(drift) (what differs), C(repaired) (bool) and
      C(state) (one line for the report); C(unhealthy_parts), the diagram's nodes some problem is about.
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    NSG,
    ROUTE_TABLE,
    SECURITY_LIST,
    rule_containers,
    unhealthy_parts,
)


def row_state(row, repaired):
    if not row["read"]:
        return "could not be read"
    if not row["drift"]:
        return "as planned"
    return ("repaired in this run: " if repaired else "drift: ") + "; ".join(row["drift"])


def interconnect_report_view(azure_network, oci_network, plan, rule_marker, drg_id, route_table_ids=(), security_list_ids=(),
                             nsg_names=None, problems=(), repaired=False):
    owned = dict(rule_marker=rule_marker, drg_id=drg_id, route_table_ids=list(route_table_ids),
                 security_list_ids=list(security_list_ids))
    containers = rule_containers(azure_network, oci_network, plan, owned, nsg_names=nsg_names)
    for rows in containers.values():
        for row in rows:
            row.update(repaired=bool(repaired and row["drift"]), state=row_state(row, repaired))
    return dict(azure=containers[NSG], oci=containers[ROUTE_TABLE] + containers[SECURITY_LIST],
                unhealthy_parts=unhealthy_parts(problems or []))


class FilterModule(object):
    def filters(self):
        return {"interconnect_report_view": interconnect_report_view}
