#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fastconnect_virtual_circuit_info
short_description: Read OCI FastConnect virtual circuits with their lifecycle, provider and BGP states
version_added: 1.0.0
description:
  - Returns one virtual circuit, by O(id) or by O(display_name), or all of a compartment.
  - Terminated circuits are left out unless O(include_terminated=true).
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  id:
    description: OCID of one circuit. A circuit that does not exist gives an empty list.
    type: str
    aliases: [virtual_circuit_id]
  compartment_id:
    description: OCID of the compartment to list. Required unless O(id) is set.
    type: str
  display_name:
    description: Only the circuits with this name.
    type: str
    aliases: [name]
  include_terminated:
    description: Also return circuits in state C(TERMINATED).
    type: bool
    default: false
  wait_for:
    description:
      - With one circuit found, poll it until it is V(provisioned) (lifecycle C(PROVISIONED), past
        C(PENDING_PROVIDER)) or V(bgp_up) (C(PROVISIONED) with the BGP session C(UP)). Not set or empty, the
        circuits are read once.
      - Fails early when the circuit reaches C(FAILED), C(INACTIVE) or is terminated, and after
        O(wait_timeout) seconds otherwise, returning the states seen.
    type: list
    elements: str
    choices: [bgp_up, provisioned]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.attributes.info
"""

EXAMPLES = r"""
- name: Read the Azure interconnect circuit
  crosscloud.interconnect.fastconnect_virtual_circuit_info:
    compartment_id: "{{ compartment_ocid }}"
    display_name: azure-interconnect
  register: circuits

- name: Wait (up to 10 minutes) until its BGP session is up
  crosscloud.interconnect.fastconnect_virtual_circuit_info:
    compartment_id: "{{ compartment_ocid }}"
    display_name: azure-interconnect
    wait_for: bgp_up
    wait_timeout: 600
  register: circuits

- name: Check it carries traffic
  ansible.builtin.assert:
    that:
      - circuits.virtual_circuits[0].lifecycle_state == 'PROVISIONED'
      - circuits.virtual_circuits[0].bgp_session_state == 'UP'
"""

RETURN = r"""
virtual_circuits:
  description:
    - The circuits found, as the API returns them (snake_case), with C(provider_service_key_name) masked
      (the provider's service key is a credential for the circuit; read it on the provider's side).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ocid1.virtualcircuit.oc1.iad.example
      display_name: azure-interconnect
      lifecycle_state: PROVISIONED
      provider_state: ACTIVE
      bgp_session_state: UP
      provider_service_id: ocid1.providerservice.oc1.iad.example
      bandwidth_shape_name: 1 Gbps
wait_history:
  description: Each distinct state seen while waiting, with the seconds elapsed when first seen.
  returned: when O(wait_for) is set and a circuit was found
  type: list
  elements: dict
  sample:
    - {"state": "PROVISIONED/ACTIVE/DOWN", "after_seconds": 0.0}
    - {"state": "PROVISIONED/ACTIVE/UP", "after_seconds": 12.1}
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import OCIModule, to_plain
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending


def main():
    module = OCIModule(
        argument_spec=dict(
            id=dict(type="str", aliases=["virtual_circuit_id"]),
            compartment_id=dict(type="str"),
            display_name=dict(type="str", aliases=["name"]),
            include_terminated=dict(type="bool", default=False),
        ),
        wait_choices=["bgp_up", "provisioned"], wait_splits=True,
        required_one_of=[("id", "compartment_id")],
        supports_check_mode=True,
    )
    try:
        params = module.params
        client = module.api.client
        if params["id"]:
            found = module.api.call("read virtual circuit %s" % params["id"], client.get_virtual_circuit, params["id"],
                                    tolerate=(404,))
            circuits = [found] if found else []
        else:
            filters = dict(display_name=params["display_name"]) if params["display_name"] else {}
            circuits = module.api.list_all("list virtual circuits in compartment %s" % params["compartment_id"],
                                           client.list_virtual_circuits, params["compartment_id"], **filters)
        circuits = [to_plain(circuit) for circuit in circuits
                    if (params["include_terminated"] or circuit.lifecycle_state != "TERMINATED")
                    and (not params["display_name"] or circuit.display_name == params["display_name"])]
        if not params["wait_for"] or not circuits:
            module.exit_json(changed=False, virtual_circuits=circuits)
        if len(circuits) > 1:
            raise InterconnectError("wait_for needs one virtual circuit; %d match" % len(circuits),
                                    virtual_circuits=circuits)
        circuit, history = module.api.wait_for_virtual_circuit(circuits[0]["id"], module.wait_options, first=circuits[0])
        module.exit_json(changed=False, virtual_circuits=[circuit], wait_history=history)
    except WaitPending as pending:
        module.exit_json_pending(pending, changed=False)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
