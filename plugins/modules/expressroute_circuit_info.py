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
      - Conditions to wait for on the circuit O(name); all given conditions must hold at once.
      - The wait fails at once when the circuit does not exist or its provisioning state is C(Failed),
        and after O(wait_timeout) seconds otherwise.
    type: dict
    suboptions:
      service_provider_provisioning_state:
        description: The provider state to wait for.
        type: str
        choices: [NotProvisioned, Provisioning, Provisioned, Deprovisioning]
      private_peering:
        description:
          - V(present) waits until the C(AzurePrivatePeering) exists and its provisioning has succeeded,
            V(absent) until it is gone.
        type: str
        choices: [present, absent]
  missing_ok:
    description:
      - With O(wait_for), whether a circuit that does not exist (or stops existing) ends the wait with an empty
        RV(circuits) instead of failing it, as a teardown wants when the circuit may be gone already.
    type: bool
    default: false
    version_added: 1.1.0
  wait_timeout:
    description: How many seconds to wait for O(wait_for). The circuit is read every second.
    type: int
    default: 900
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
    wait_for:
      service_provider_provisioning_state: Provisioned
      private_peering: present
    wait_timeout: 1800

- name: During teardown, wait until the provider has released the circuit
  crosscloud.interconnect.expressroute_circuit_info:
    resource_group: interconnect-rg
    name: er-oci-ams
    wait_for:
      service_provider_provisioning_state: NotProvisioned
      private_peering: absent

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

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import private_peering_summary
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    InterconnectError,
    POLL_INTERVAL_FLOOR,
    WaitFailed,
    WaitTimeout,
    wait_until,
)


def observed_state(summary):
    """A short printable state of a circuit summary, for the wait history."""
    if summary is None:
        return "absent"
    peering = private_peering_summary(summary)
    return "provider=%s peering=%s provisioning=%s" % (
        summary["service_provider_provisioning_state"],
        peering["provisioning_state"] if peering else "absent",
        summary["provisioning_state"])


def conditions_met(summary, wait_for):
    """Whether the circuit summary satisfies every condition of ``wait_for``."""
    if summary is None:
        return False
    provider_state = wait_for.get("service_provider_provisioning_state")
    if provider_state and (summary["service_provider_provisioning_state"] or "").lower() != provider_state.lower():
        return False
    peering_wanted = wait_for.get("private_peering")
    peering = private_peering_summary(summary)
    if peering_wanted == "absent" and peering is not None:
        return False
    if peering_wanted == "present" and (peering is None or peering["provisioning_state"] != "Succeeded"):
        return False
    return True


def cannot_happen(summary):
    return summary is None or summary["provisioning_state"] == "Failed"


def describe_conditions(name, wait_for):
    wanted = ", ".join("%s=%s" % (key, value) for key, value in sorted(wait_for.items()) if value)
    return "circuit %s to reach %s" % (name, wanted)


def main():
    module = AzureInterconnectModule(
        argument_spec=dict(
            resource_group=dict(type="str", required=True),
            name=dict(type="str"),
            wait_for=dict(type="dict", options=dict(
                service_provider_provisioning_state=dict(
                    type="str", choices=["NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning"]),
                private_peering=dict(type="str", choices=["present", "absent"]),
            )),
            wait_timeout=dict(type="int", default=900),
            include_service_key=dict(type="bool", default=False),
            missing_ok=dict(type="bool", default=False),
        ),
        wait_options=False,
        required_by=dict(wait_for="name"),
        supports_check_mode=True,
    )
    try:
        resource_group, name, wait_for = (module.params[key] for key in ("resource_group", "name", "wait_for"))
        circuits = module.client.express_route_circuits
        with_key = module.params["include_service_key"]
        if not name:
            found = module.list_all("list the circuits of resource group %s" % resource_group, circuits.list, resource_group)
            module.exit_json(changed=False, circuits=[circuit_summary(circuit, with_key) for circuit in found])

        def read():
            circuit = module.get_or_none("read circuit %s" % name, circuits.get, resource_group, name)
            return circuit_summary(circuit, with_key) if circuit else None

        if not wait_for or not any(wait_for.values()):
            summary = read()
            module.exit_json(changed=False, circuits=[summary] if summary else [])
        missing_ok = module.params["missing_ok"]
        try:
            summary, history = wait_until(read, observed_state,
                                          lambda value: conditions_met(value, wait_for) or (missing_ok and value is None),
                                          describe_conditions(name, wait_for), module.params["wait_timeout"],
                                          interval=POLL_INTERVAL_FLOOR, is_failed=cannot_happen)
        except (WaitTimeout, WaitFailed) as error:
            module.fail_json(msg=str(error), wait_history=error.history, circuits=[error.last] if error.last else [])
        module.exit_json(changed=False, circuits=[summary] if summary else [], wait_history=history)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
