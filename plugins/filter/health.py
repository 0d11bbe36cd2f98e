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

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import private_peering_summary


def _expect(problems, what, found, wanted):
    if found != wanted:
        problems.append("%s is %s, expected %s" % (what, found if found is not None else "missing", wanted))


def azure_problems(circuit, plan):
    if not circuit:
        return ["Azure ExpressRoute circuit does not exist"]
    problems = []
    _expect(problems, "Azure circuit provisioning state", circuit.get("provisioning_state"), "Succeeded")
    _expect(problems, "Azure circuit state", circuit.get("circuit_provisioning_state"), "Enabled")
    _expect(problems, "Azure provider state", circuit.get("service_provider_provisioning_state"), "Provisioned")
    peering = private_peering_summary(circuit)
    if peering is None:
        problems.append("Azure private peering does not exist")
        return problems
    wanted = plan["azure_private_peering"]
    _expect(problems, "Azure private peering provisioning state", peering.get("provisioning_state"), "Succeeded")
    for key in ("primary_peer_address_prefix", "secondary_peer_address_prefix", "peer_asn"):
        _expect(problems, "Azure private peering %s" % key, peering.get(key), wanted[key])
    return problems


def oci_problems(virtual_circuit, plan):
    if not virtual_circuit:
        return ["OCI FastConnect virtual circuit does not exist"]
    problems = []
    _expect(problems, "OCI virtual circuit lifecycle state", virtual_circuit.get("lifecycle_state"), "PROVISIONED")
    _expect(problems, "OCI virtual circuit provider state", virtual_circuit.get("provider_state"), "ACTIVE")
    _expect(problems, "OCI BGP session", virtual_circuit.get("bgp_session_state"), "UP")
    found = sorted((m.get("oracle_bgp_peering_ip"), m.get("customer_bgp_peering_ip"))
                   for m in virtual_circuit.get("cross_connect_mappings") or [])
    wanted = sorted((m["oracle_bgp_peering_ip"], m["customer_bgp_peering_ip"]) for m in plan["oci_cross_connect_mappings"])
    _expect(problems, "OCI cross-connect mappings (oracle, customer)", found, wanted)
    return problems


def connection_problems(connection, circuit):
    if not connection:
        return ["Azure gateway connection to the circuit does not exist"]
    problems = []
    _expect(problems, "Azure gateway connection provisioning state", connection.get("provisioning_state"), "Succeeded")
    if circuit and (connection.get("circuit_id") or "").lower() != (circuit.get("id") or "").lower():
        problems.append("Azure gateway connection %s connects circuit %s, not %s" % (
            connection.get("name"), connection.get("circuit_id"), circuit.get("id")))
    return problems


def interconnect_health(circuit, virtual_circuit, plan, connection=None):
    problems = azure_problems(circuit, plan) + oci_problems(virtual_circuit, plan)
    if connection is not None:
        problems += connection_problems(connection, circuit)
    return {"healthy": not problems, "problems": problems}


class FilterModule(object):
    def filters(self):
        return {"interconnect_health": interconnect_health}
