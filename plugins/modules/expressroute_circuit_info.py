#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: expressroute_circuit_info
short_description: Read Azure ExpressRoute circuits, optionally waiting for a state
version_added: 1.0.0
description:
  - Returns one circuit or all circuits of a resource group, with their peerings and states.
  - With O(wait_for), polls one circuit until the provider state and/or the private peering are as asked,
    and returns the states it observed with the seconds elapsed, for example while the OCI side provisions
    or releases the circuit.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the circuits.
    type: str
    required: true
  name:
    description: The circuit to read. All circuits of the resource group when not set.
    type: str
  wait_for:
    description:
      - Conditions to wait for on the circuit O(name); all given conditions must hold at once. Not set or empty,
        the circuit is read once.
      - V(provider_provisioned) and V(provider_not_provisioned) wait for the provider state C(Provisioned) or
        C(NotProvisioned); V(private_peering_present) until the C(AzurePrivatePeering) exists and its provisioning
        has succeeded, V(private_peering_absent) until it is gone.
      - The wait fails at once when the circuit does not exist (unless O(missing_ok)) or its provisioning state is
        C(Failed), and after O(wait_timeout) seconds otherwise.
    type: list
    elements: str
    choices: [private_peering_absent, private_peering_present, provider_not_provisioned, provider_provisioned]
  missing_ok:
    description:
      - With O(wait_for), whether a circuit that does not exist (or stops existing) ends the wait with an empty
        RV(circuits) instead of failing it, as a teardown wants when the circuit may be gone already.
    type: bool
    default: false
    version_added: 1.1.0
  include_service_key:
    description:
      - Also return each circuit's C(service_key).
      - The service key lets anyone provision the circuit from the provider's side, so it is left out
        unless asked for; register the result of a task that sets this with C(no_log).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.attributes.info
seealso:
  - module: crosscloud.interconnect.expressroute_circuit
"""

EXAMPLES = r"""
- name: Read a circuit
  crosscloud.interconnect.expressroute_circuit_info:
    resource_group: interconnect-rg
    name: er-oci-ams
  register: info
  no_log: true  # the result holds the service key

- name: Wait until Oracle has provisioned the circuit and created the private peering
  crosscloud.interconnect.expressroute_circuit_info:
    resource_group: interconnect-rg
    name: er-oci-ams
    wait_for: [provider_provisioned, private_peering_present]
    wait_timeout: 1800

- name: During teardown, wait until the provider has released the circuit
  crosscloud.interconnect.expressroute_circuit_info:
    resource_group: interconnect-rg
    name: er-oci-ams
    wait_for: [provider_not_provisioned, private_peering_absent]

- name: List the circuits of a resource group
  crosscloud.interconnect.expressroute_circuit_info:
    resource_group: interconnect-rg
"""

RETURN = r"""
circuits:
  description:
    - The circuits found, as returned by M(crosscloud.interconnect.expressroute_circuit), each with its
      C(peerings), and with its C(service_key) only when O(include_service_key=true).
    - B(The service keys are secrets;) use C(no_log) on tasks that ask for them.
  returned: always
  type: list
  elements: dict
wait_history:
  description:
    - The states observed while waiting, each with the seconds elapsed when it was first seen.
  returned: when O(wait_for) is set
  type: list
  elements: dict
  sample:
    - {"state": "provider=NotProvisioned peering=absent provisioning=Succeeded", "after_seconds": 0.0}
    - {"state": "provider=Provisioned peering=Succeeded provisioning=Succeeded", "after_seconds": 42.3}
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import KINDS, WaitPending, Waiter


def main():
    module = AzureInterconnectModule(
        argument_spec=dict(
            resource_group=dict(type="str", required=True),
            name=dict(type="str"),
            include_service_key=dict(type="bool", default=False),
            missing_ok=dict(type="bool", default=False),
        ),
        wait_choices=sorted(KINDS["expressroute_circuit"].conditions), wait_splits=True,
        required_by=dict(wait_for="name"),
        supports_check_mode=True,
    )
    try:
        resource_group, name, wait_for = (module.params[key] for key in ("resource_group", "name", "wait_for"))
        circuits = module.api.client.express_route_circuits
        with_key = module.params["include_service_key"]
        if not name:
            found = module.api.list_all("list the circuits of resource group %s" % resource_group, circuits.list, resource_group)
            module.exit_json(changed=False, circuits=[circuit_summary(circuit, with_key) for circuit in found])

        def read():
            circuit = module.api.get_or_none("read circuit %s" % name, circuits.get, resource_group, name)
            return circuit_summary(circuit, with_key) if circuit else None

        if not wait_for:
            summary = read()
            module.exit_json(changed=False, circuits=[summary] if summary else [])
        missing_ok = module.params["missing_ok"]
        summary, history = Waiter("expressroute_circuit", read).wait_as_asked(
            module.wait_options, subject="circuit %s" % name, accept=(lambda value: value is None) if missing_ok else None)
        module.exit_json(changed=False, circuits=[summary] if summary else [], wait_history=history)
    except WaitPending as pending:
        module.exit_json_pending(pending, changed=False)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
