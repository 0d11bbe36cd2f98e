# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_teardown_outcome
short_description: What a teardown removed and what was already gone, from its steps' results
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Takes the teardown's steps, each a resource and the registered result of the module that removed it, and says
    for each whether it was C(removed) (C(would be removed) in check mode), C(already gone) or C(not configured)
    (a step skipped because the inventory names nothing for it).
  - A looped step (NSG rules, one NSG per item) gives one row per item.
positional: check_mode
options:
  _input:
    description:
      - The steps, in the order they ran, each with C(resource) (what it removes, named), C(result) (the registered
        result) and optionally C(gone) (true when an earlier read found the resource gone, so a skip means that),
        C(kept) (why a skipped step left its resources on purpose, for example the networks without
        C(interconnect_delete_networks); the row says C(kept) with that reason) or C(kept_for) (the other members of
        an interconnect group that still need the group's rules, each C(member) and C(circuit); a skip then means the
        rules were kept for them).
    type: list
    elements: dict
    required: true
  check_mode:
    description: Whether the teardown ran in check mode.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: What the teardown did
  ansible.builtin.set_fact:
    outcome: >-
      {{ [{'resource': 'Gateway connection er-connection', 'result': connection_removal}]
         | crosscloud.interconnect.interconnect_teardown_outcome(ansible_check_mode) }}
"""

RETURN = r"""
_value:
  description:
    - One row per resource with C(resource), C(outcome) (removed, would be removed, already gone, not configured or kept)
      C(detail) (the rule names an NSG step removed, when it says) and C(line) (all of it in one line).
  type: list
  elements: dict
"""


def step_outcome(result, gone, check_mode, kept=None, kept_for=()):
    if result.get("skipped") and kept_for:
        return "kept for %s" % ", ".join("%s (circuit %s)" % (other["member"], other["circuit"]) for other in kept_for)
    if result.get("skipped"):
        return "kept" if kept else "already gone" if gone else "not configured"
    if result.get("changed"):
        return "would be removed" if check_mode else "removed"
    return "already gone"


def outcome_row(resource, result, gone, check_mode, kept=None, kept_for=()):
    kept = kept if result.get("skipped") else None
    row = dict(resource=resource, outcome=step_outcome(result, gone, check_mode, kept, kept_for),
               detail=kept or ", ".join(result.get("removed") or []))
    row["line"] = "%s: %s%s" % (resource, row["outcome"], " (%s)" % row["detail"] if row["detail"] else "")
    return row


def step_rows(step, check_mode):
    result = step.get("result") or {}
    if "results" in result:  # a loop: one row per item
        return [outcome_row("%s %s" % (step["resource"], item.get("item")), item, step.get("gone"), check_mode,
                            kept_for=step.get("kept_for") or ()) for item in result["results"]]
    return [outcome_row(step["resource"], result, step.get("gone"), check_mode, step.get("kept"), step.get("kept_for") or ())]


def interconnect_teardown_outcome(steps, check_mode=False):
    return [row for step in steps for row in step_rows(step, check_mode)]


class FilterModule(object):
    def filters(self):
        return {"interconnect_teardown_outcome": interconnect_teardown_outcome}
