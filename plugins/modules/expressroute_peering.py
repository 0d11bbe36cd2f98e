#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: expressroute_peering
short_description: Ensure or verify the Azure private peering of an ExpressRoute circuit
version_added: 1.0.0
description:
  - Manages the C(AzurePrivatePeering) of an ExpressRoute circuit, the BGP sessions between Azure and the
    provider over the primary and secondary /30 networks of the address plan.
  - When the peering is absent, creates it with the plan's /30s, peer ASN and VLAN. Azure only accepts this
    once the provider has provisioned the circuit, so the module refuses clearly before that.
  - When the peering exists - with Oracle Cloud FastConnect the provider usually creates it - verifies it against
    the plan and, as O(on_mismatch) says, fails, reports the differences, or rewrites it.
  - Check mode reports the peering the plan asks for, with a warning instead of a failure or a wait, where the
    circuit is not provisioned yet or does not exist yet (a check run makes neither happen before this step) -
    as the provider would create it when O(vlan_id) is not set. The warning says what a real run needs by then.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the circuit.
    type: str
    required: true
  circuit_name:
    description: The name of the ExpressRoute circuit.
    type: str
    required: true
  state:
    description: Whether the private peering should exist.
    type: str
    choices: [present, absent]
    default: present
  primary_peer_address_prefix:
    description:
      - The primary /30 of the plan, for example V(10.255.0.0/30). Required when O(state=present).
    type: str
  secondary_peer_address_prefix:
    description:
      - The secondary /30 of the plan, for example V(10.255.0.4/30). Required when O(state=present).
    type: str
  peer_asn:
    description: The provider's BGP ASN. Oracle's is 31898.
    type: int
    default: 31898
  vlan_id:
    description:
      - The VLAN of the peering. Required to create the peering; when the provider created it, it chose the VLAN,
        and the VLAN is only compared when this is set.
    type: int
  on_mismatch:
    description:
      - What to do when the existing peering differs from the plan.
      - V(fail) fails listing the differences, V(report) returns them in RV(mismatches) with a warning and changes
        nothing, V(update) rewrites the peering to the plan (this resets its BGP sessions).
    type: str
    choices: [fail, report, update]
    default: fail
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.wait.circuit_write
  - crosscloud.interconnect.attributes
seealso:
  - module: crosscloud.interconnect.expressroute_circuit
  - module: crosscloud.interconnect.expressroute_circuit_info
"""

EXAMPLES = r"""
- name: Ensure the private peering matches the plan (create it if the provider has not)
  crosscloud.interconnect.expressroute_peering:
    resource_group: interconnect-rg
    circuit_name: er-oci-ams
    primary_peer_address_prefix: 10.255.0.0/30
    secondary_peer_address_prefix: 10.255.0.4/30
    vlan_id: 100

- name: Only report how the provider-made peering differs from the plan
  crosscloud.interconnect.expressroute_peering:
    resource_group: interconnect-rg
    circuit_name: er-oci-ams
    primary_peer_address_prefix: 10.255.0.0/30
    secondary_peer_address_prefix: 10.255.0.4/30
    on_mismatch: report
  register: peering

- name: Remove the private peering
  crosscloud.interconnect.expressroute_peering:
    resource_group: interconnect-rg
    circuit_name: er-oci-ams
    state: absent
"""

RETURN = r"""
peering:
  description: The private peering after the module ran (empty when absent; in check mode, as it would be).
  returned: always
  type: dict
  contains:
    id:
      description: The ARM id of the peering.
      type: str
    name:
      description: Always C(AzurePrivatePeering).
      type: str
    peering_type:
      description: Always C(AzurePrivatePeering).
      type: str
    state:
      description: C(Enabled) or C(Disabled).
      type: str
    provisioning_state:
      description: The ARM provisioning state.
      type: str
    peer_asn:
      description: The provider's ASN.
      type: int
      sample: 31898
    azure_asn:
      description: Microsoft's ASN (12076).
      type: int
    vlan_id:
      description: The VLAN.
      type: int
    primary_peer_address_prefix:
      description: The primary /30.
      type: str
      sample: 10.255.0.0/30
    secondary_peer_address_prefix:
      description: The secondary /30.
      type: str
      sample: 10.255.0.4/30
    primary_azure_port:
      description: Azure's primary port.
      type: str
    secondary_azure_port:
      description: Azure's secondary port.
      type: str
    last_modified_by:
      description: Who last changed the peering, for example C(Customer) or the provider.
      type: str
circuit:
  description:
    - The circuit as this module read it (after waiting for the provider, when it waited), carrying
      the private peering as the module left it; the shape of M(crosscloud.interconnect.expressroute_circuit_info)'s
      C(circuits) entries, without the service key. Lets a caller judge the circuit without reading it again.
    - Empty in check mode when the circuit does not exist yet.
  returned: always
  type: dict
  sample: {"name": "er-oci-ams", "service_provider_provisioning_state": "Provisioned", "peerings": []}
mismatches:
  description: How the existing peering differs from the plan (before any update).
  returned: always
  type: list
  elements: dict
  sample: [{"option": "primary_peer_address_prefix", "current": "10.9.0.0/30", "wanted": "10.255.0.0/30"}]
diff:
  description: The peering before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    PRIVATE_PEERING,
    find_private_peering,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
    deep_merge,
    managed_resource_spec,
    peering_summary,
    unprovisioned_circuit_warning,
    wait_for_provisioned_circuit,
    with_history,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, diff_result, differences
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending

# Module option -> REST property of the peering.
PLAN_FIELDS = (("peer_asn", "peerASN"), ("primary_peer_address_prefix", "primaryPeerAddressPrefix"),
               ("secondary_peer_address_prefix", "secondaryPeerAddressPrefix"), ("vlan_id", "vlanId"))
SETTINGS = ("peering_type", "state", "peer_asn", "vlan_id", "primary_peer_address_prefix",
            "secondary_peer_address_prefix")


def desired_peering(params):
    """The peering properties the plan asks for (options not set are not compared)."""
    properties = dict(peeringType=PRIVATE_PEERING, state="Enabled")
    for option, field in PLAN_FIELDS:
        if params[option] is not None:
            properties[field] = params[option]
    return dict(properties=properties)


def peering_mismatches(current, wanted):
    """``[{option, current, wanted}]`` for every planned property the peering does not have."""
    options = dict((field, option) for option, field in PLAN_FIELDS)
    have, want = current.get("properties") or {}, wanted["properties"]
    found = []
    for path in differences(current, wanted, ignore_case=True):
        field = path.rsplit(".", 1)[-1]
        found.append(dict(option=options.get(field, field), current=have.get(field), wanted=want[field]))
    return found


def circuit_with(circuit, peering):
    """The circuit's summary with its private peering replaced by ``peering`` (None: removed); empty without
    a circuit (in check mode, before it exists)."""
    if circuit is None:
        return {}
    properties = circuit.get("properties") or {}
    current = find_private_peering(circuit)
    peerings = [item for item in properties.get("peerings") or [] if item is not current]
    properties = dict(properties, peerings=peerings + ([peering] if peering else []))
    return circuit_summary(dict(circuit, properties=properties), include_service_key=False)


def settings_of(peering):
    """The settings the plan speaks of, for the diff; unset ones are left out (a VLAN the provider will choose)."""
    if not peering:
        return {}
    summary = peering_summary(peering)
    return dict((key, summary[key]) for key in SETTINGS if summary[key] is not None)


def describe(mismatches):
    return "; ".join("%(option)s is %(current)r, the plan says %(wanted)r" % item for item in mismatches)


def ensure_present(module, circuit, current):
    params = module.params
    wanted = desired_peering(params)
    if current is None:
        refuse_create(module, circuit)
        mismatches = []
    else:
        mismatches = peering_mismatches(current, wanted)
        if not mismatches:
            return dict(changed=False, peering=peering_summary(current), mismatches=[],
                        circuit=circuit_with(circuit, current))
        if params["on_mismatch"] == "fail":
            raise InterconnectError("The private peering of circuit %s differs from the plan: %s. Set on_mismatch=update "
                                    "to rewrite it or on_mismatch=report to only report it." % (
                                        params["circuit_name"], describe(mismatches)),
                                    mismatches=mismatches, peering=peering_summary(current))
        if params["on_mismatch"] == "report":
            module.warn("The private peering of circuit %s differs from the plan: %s" % (
                params["circuit_name"], describe(mismatches)))
            return dict(changed=False, peering=peering_summary(current), mismatches=mismatches,
                        circuit=circuit_with(circuit, current))
    body = deep_merge(current, wanted) if current else wanted
    result = dict(changed=True, mismatches=mismatches,
                  diff=diff_result(settings_of(current), settings_of(body), header=PRIVATE_PEERING))
    if not module.check_mode:
        action = "%s the private peering of circuit %s" % ("update" if current else "create", params["circuit_name"])
        body, result["wait_history"] = module.api.run_lro(
            action, module.api.client.express_route_circuit_peerings.begin_create_or_update,
            params["resource_group"], params["circuit_name"], PRIVATE_PEERING, body, wait=module.wait_options)
    return dict(peering=peering_summary(body), circuit=circuit_with(circuit, body), **result)


def refuse_create(module, circuit):
    """Fail clearly where Azure would refuse to create the peering.

    In check mode a circuit its provider has not provisioned (or one that does not exist yet: nothing
    before this step was done) is no refusal: the create is reported with a warning saying what a real
    run needs by then.
    """
    params = module.params
    name, vlan_id = params["circuit_name"], params["vlan_id"]
    if vlan_id is None:
        why = ("the provider usually creates the private peering as it provisions the circuit, and the module then "
               "checks it against the plan (creating one itself would need vlan_id)")
    else:
        why = "Azure accepts a private peering only on a provisioned circuit"
    unprovisioned = unprovisioned_circuit_warning(name, circuit, params["wait_for"], why)
    if unprovisioned and module.check_mode:
        module.warn(unprovisioned)
        return
    if vlan_id is None:
        raise InterconnectError("Circuit %s has no private peering; creating it needs vlan_id" % name)
    if unprovisioned:
        provider_state = circuit_summary(circuit)["service_provider_provisioning_state"]
        raise InterconnectError("Circuit %s has no private peering and its provider state is %s: Azure accepts a private "
                                "peering only once the provider has provisioned the circuit. Create the OCI virtual "
                                "circuit first and wait for Provisioned (wait_for: provider_provisioned)." % (
                                    name, provider_state),
                                service_provider_provisioning_state=provider_state)


def ensure_absent(module, circuit, current):
    params = module.params
    if current is None:
        return dict(changed=False, peering={}, mismatches=[], circuit=circuit_with(circuit, None))
    result = dict(changed=True, peering={}, mismatches=[], circuit=circuit_with(circuit, None),
                  diff=diff_result(settings_of(current), None, header=PRIVATE_PEERING))
    if not module.check_mode:
        result["wait_history"] = module.api.run_lro(
            "delete the private peering of circuit %s" % params["circuit_name"],
            module.api.client.express_route_circuit_peerings.begin_delete,
            params["resource_group"], params["circuit_name"], PRIVATE_PEERING, wait=module.wait_options)[1]
    return result


def settle_peering(module, circuit):
    """``(circuit, private peering, wait history)``: the peering of ``circuit``, waited for while an operation
    still runs on it (written by an earlier call of a wait split into calls, or by an interrupted run), so it
    is judged as Azure finished it; the circuit is the one last read."""
    name, resource_group = module.params["circuit_name"], module.params["resource_group"]
    latest = dict(circuit=circuit)

    def read():
        latest["circuit"] = module.api.get_or_none("read circuit %s" % name, module.api.client.express_route_circuits.get,
                                                   resource_group, name)
        return find_private_peering(latest["circuit"]) if latest["circuit"] else None

    current = find_private_peering(circuit) if circuit else None
    peering, history = module.settle(current, read, "the private peering of circuit %s" % name)
    return latest["circuit"], peering, history


def main():
    module = AzureInterconnectModule(
        argument_spec=managed_resource_spec(
            "circuit_name",
            primary_peer_address_prefix=dict(type="str"),
            secondary_peer_address_prefix=dict(type="str"),
            peer_asn=dict(type="int", default=31898),
            vlan_id=dict(type="int"),
            on_mismatch=dict(type="str", choices=["fail", "report", "update"], default="fail"),
        ),
        wait_choices=["provider_provisioned", "succeeded"], wait_default=["succeeded"], wait_splits=True,
        required_if=[("state", "present", ("primary_peer_address_prefix", "secondary_peer_address_prefix"))],
        supports_check_mode=True,
    )
    try:
        name, resource_group = module.params["circuit_name"], module.params["resource_group"]
        # The circuit carries its peerings: one read finds both, and tells a missing circuit from a missing peering.
        circuit = module.api.get_or_none("read circuit %s" % name, module.api.client.express_route_circuits.get,
                                         resource_group, name)
        # A check run creates no circuit before this step: its peering is planned all the same (see refuse_create).
        if circuit is None and not (module.check_mode and module.params["state"] == "present"):
            raise InterconnectError("ExpressRoute circuit %s does not exist in resource group %s" % (name, resource_group))
        circuit, current, history = settle_peering(module, circuit)
        if module.params["state"] == "present":
            if current is None and "provider_provisioned" in module.params["wait_for"] and not module.check_mode:
                # The provider usually creates the peering as it provisions the circuit: wait for that first.
                circuit = wait_for_provisioned_circuit(module.api, resource_group, name, module.wait_options,
                                                       first=circuit)[0]
                current = find_private_peering(circuit)
            result = ensure_present(module, circuit, current)
        else:
            result = ensure_absent(module, circuit, current)
        result = with_history(history, result)
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
