# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_summary
short_description: One verdict per interconnect of a run, failed ones included
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Takes every host of the play with its variables (C(hostvars)) and says for each what this run found - C(healthy),
    C(NOT healthy) (with the problems), C(removed), C(checked) (a check run), C(failed) (with why; the role's
    C(failed) entry point keeps it) - or C(no verdict) for a host that stopped before any (unreachable, say),
    which counts as failed.
options:
  _input:
    description: The play's hosts, each name with its host variables, in the play's order.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: One verdict per host of the play
  ansible.builtin.debug:
    msg: >-
      {{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars)))
         | crosscloud.interconnect.interconnect_summary | map(attribute='line') }}
"""

RETURN = r"""
_value:
  description:
    - One row per host, in the input's order, each with C(host), C(outcome), C(failed) (true for failed or no
      verdict), C(detail) (problems or why it failed), C(line) (one line for the play's output), C(plan) (the derived
      plan, empty when none was derived), C(bgp_session_state), C(bgp_cidr), C(report) (the file of its report,
      empty when none was written), C(teardown) (true when it ran a teardown), C(group) (its interconnect group, None
      when standalone) and C(artifact) (what the job hands on about it).
  type: list
  elements: dict
"""

from ansible.module_utils.parsing.convert_bool import boolean

# A teardown's outcome: the first of these any of its steps had (else everything was already gone).
TEARDOWN_OUTCOMES = ("removed", "would be removed")
NO_VERDICT = "stopped before a verdict (unreachable, or failed outside the role)"


def host_outcome(host, facts):
    """``(outcome, detail)`` of one host from the facts this run set on it."""
    health, failure = facts.get("interconnect_health"), facts.get("interconnect_failure")
    # boolean(): older ansible-core without native types may hand the verdict over as "True"/"False".
    if health is not None and not boolean(health["healthy"]):
        return "NOT healthy", "; ".join(health["problems"])
    if failure is not None:
        return "failed", failure["msg"]
    if health is not None:
        return "healthy", ""
    teardown = facts.get("interconnect_teardown")
    if teardown is not None:
        outcomes = set(row["outcome"] for row in teardown)
        return next((outcome for outcome in TEARDOWN_OUTCOMES if outcome in outcomes), "already gone"), ""
    if facts.get("interconnect_summary_line") is not None:
        return "checked", ""
    return "no verdict", NO_VERDICT


def summary_row(host, facts):
    outcome, detail = host_outcome(host, facts)
    line = facts.get("interconnect_summary_line")
    if outcome in ("failed", "no verdict") or line is None:
        line = "%s: %s - %s" % (host, outcome.upper(), detail)
    virtual_circuit = facts.get("interconnect_oci_virtual_circuit") or {}
    report = ""
    if facts.get("interconnect_health") is not None:
        report = "%s.md" % host
    elif facts.get("interconnect_teardown") is not None:
        report = "teardown-summary.md"
    return dict(host=host, outcome=outcome, failed=outcome in ("failed", "no verdict"), detail=detail, line=line,
                plan=facts.get("interconnect_plan") or {}, bgp_session_state=virtual_circuit.get("bgp_session_state"),
                bgp_cidr=facts.get("interconnect_bgp_cidr"), report=report,
                teardown=facts.get("interconnect_teardown") is not None, group=facts.get("interconnect_group") or None,
                artifact=artifact_of(outcome, detail, facts, report))


def artifact_of(outcome, detail, facts, report):
    """What a job hands on about one interconnect (AWX job artifacts, for workflows and notifications):
    its outcome, health and problems, the ids of the resources it links, and its report's file name."""
    health = facts.get("interconnect_health") or {}
    problems = list(health.get("problems") or []) or ([detail] if outcome in ("failed", "no verdict") else [])
    return dict(outcome=outcome, healthy=outcome == "healthy", problems=problems, report=report or None,
                group=facts.get("interconnect_group") or None,
                bgp_session_state=(facts.get("interconnect_oci_virtual_circuit") or {}).get("bgp_session_state"),
                ids=dict((name, (facts.get(fact) or {}).get("id")) for name, fact in ARTIFACT_IDS))


# The resources an artifact names, by the facts the role keeps of them.
ARTIFACT_IDS = (("expressroute_circuit", "interconnect_azure_circuit"),
                ("gateway_connection", "interconnect_gateway_connection"),
                ("virtual_circuit", "interconnect_oci_virtual_circuit"))


def interconnect_summary(hosts):
    return [summary_row(host, facts) for host, facts in hosts.items()]


class FilterModule(object):
    def filters(self):
        return {"interconnect_summary": interconnect_summary}
