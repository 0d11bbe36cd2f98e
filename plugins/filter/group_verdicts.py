# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_group_verdicts
short_description: One verdict per interconnect group of a run - healthy, degraded or down
version_added: 1.4.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Takes the rows of M(crosscloud.interconnect.interconnect_summary#filter) and judges every interconnect group whose
    members reached a verdict in this run (a verify or a converge; teardowns and check runs are not judged).
  - C(healthy) - every member of the group is healthy; C(degraded) - at least one member is healthy and at least one is
    not, named with why (its problems, or why its run failed); C(down) - no member is healthy.
  - A member the inventory has (O(inventory_groups)) but this run did not judge (a C(--limit), or a member torn down in
    this run) is listed as not judged; the verdict is of the members judged.
positional: inventory_groups
options:
  _input:
    description: The summary rows of the play's hosts.
    type: list
    elements: dict
    required: true
  inventory_groups:
    description: Every inventory host's C(interconnect_group) (empty for a standalone interconnect), by host name.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Judge every group of the run
  ansible.builtin.set_fact:
    group_verdicts: >-
      {{ summary_rows | crosscloud.interconnect.interconnect_group_verdicts(
         dict(groups['all'] | zip(groups['all'] | map('extract', hostvars) | map(attribute='interconnect_group', default='')))) }}
"""

RETURN = r"""
_value:
  description:
    - One entry per group judged, by group name, each with C(name), C(verdict) (healthy, degraded or down), C(members)
      (the members judged, each C(host), C(up), C(outcome) and C(why), why it is down), C(down) (the names of the
      members down), C(not_judged) (the group's other inventory hosts), C(detail) and C(line) (for the play's output).
  type: list
  elements: dict
"""

JUDGED_OUTCOMES = ("healthy", "NOT healthy", "failed", "no verdict")


def member_of(row):
    up = row["outcome"] == "healthy"
    return dict(host=row["host"], up=up, outcome=row["outcome"], why="" if up else row["detail"] or row["outcome"],
                bgp_session_state=row.get("bgp_session_state"), report=row.get("report") or None)


def group_verdict(name, rows, inventory_groups):
    members = [member_of(row) for row in rows]
    down = [member["host"] for member in members if not member["up"]]
    verdict = "healthy" if not down else "down" if len(down) == len(members) else "degraded"
    judged = set(member["host"] for member in members)
    not_judged = sorted(host for host, group in inventory_groups.items() if group == name and host not in judged)
    detail = "; ".join("%s is down: %s" % (member["host"], member["why"]) for member in members if not member["up"])
    if not_judged:
        detail = "; ".join(part for part in (detail, "not judged in this run: %s" % ", ".join(not_judged)) if part)
    line = "group %s: %s - %d of %d members up (%s)%s" % (
        name, verdict.upper() if verdict != "healthy" else verdict, len(members) - len(down), len(members),
        ", ".join("%s %s" % (member["host"], "up" if member["up"] else "down") for member in members),
        " - " + detail if detail else "")
    return dict(name=name, verdict=verdict, members=members, down=down, not_judged=not_judged, detail=detail, line=line)


def interconnect_group_verdicts(rows, inventory_groups=None):
    inventory_groups = inventory_groups or {}
    grouped = {}
    for row in rows:
        if row.get("group") and row["outcome"] in JUDGED_OUTCOMES and not row.get("teardown"):
            grouped.setdefault(row["group"], []).append(row)
    return [group_verdict(name, grouped[name], inventory_groups) for name in sorted(grouped)]


class FilterModule(object):
    def filters(self):
        return {"interconnect_group_verdicts": interconnect_group_verdicts}
