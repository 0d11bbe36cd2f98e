# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interconnect_health
short_description: Judge an interconnect's health from both clouds' states
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Takes the Azure circuit (as M(crosscloud.interconnect.expressroute_circuit_info) returns it), the
    OCI virtual circuit (as M(crosscloud.interconnect.fastconnect_virtual_circuit_info) returns it) and
    the derived plan (M(crosscloud.interconnect.interconnect_plan)), and lists every way the
    interconnect differs from a healthy one.
  - Healthy means the circuit is Enabled and Provisioned by the provider, the private peering
    succeeded with the plan's /30s, the virtual circuit is PROVISIONED with the plan's BGP addresses,
    and the BGP session is UP; given the gateway connection, also that it succeeded and connects this circuit.
positional: plan
options:
  _input:
    description: The Azure circuit (a dict, or null when it does not exist).
    type: dict
    required: true
  virtual_circuit:
    description: The OCI virtual circuit (a dict, or null when it does not exist).
    type: dict
    required: true
  plan:
    description: The derived address plan.
    type: dict
    required: true
  connection:
    description:
      - The gateway connection to the circuit (as M(crosscloud.interconnect.expressroute_gateway_connection) or
        M(crosscloud.interconnect.azure_network_info) return it; empty when it does not exist).
      - Not judged when not given. Healthy means it exists, is C(Succeeded) and connects this circuit.
    type: dict
"""

EXAMPLES = r"""
- name: Judge the interconnect
  ansible.builtin.set_fact:
    health: "{{ circuit | crosscloud.interconnect.interconnect_health(virtual_circuit, plan) }}"

- name: Judge it with its gateway connection too
  ansible.builtin.set_fact:
    health: "{{ circuit | crosscloud.interconnect.interconnect_health(virtual_circuit, plan, connection=connection) }}"
"""

RETURN = r"""
_value:
  description: C(healthy) (bool) and C(problems) (list of strings, empty when healthy).
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    azure_problems,
    connection_problems,
    oci_problems,
)


def interconnect_health(circuit, virtual_circuit, plan, connection=None):
    problems = azure_problems(circuit, plan) + oci_problems(virtual_circuit, plan)
    if connection is not None:
        problems += connection_problems(connection, circuit)
    return {"healthy": not problems, "problems": problems}


class FilterModule(object):
    def filters(self):
        return {"interconnect_health": interconnect_health}
