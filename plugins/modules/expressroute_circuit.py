#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: expressroute_circuit
short_description: Create, update or delete an Azure ExpressRoute circuit
version_added: 1.0.0
description:
  - Ensures an ExpressRoute circuit exists with the given provider, peering location, bandwidth, SKU and tags,
    or that it is absent.
  - Every option is compared with the circuit in Azure; the module only writes when something differs.
  - The peering location and bandwidth must be ones the provider offers. Azure refuses others itself, so a write
    does not list the providers first; when Azure refuses a create or a bandwidth change, and in check mode (which
    writes nothing), the module checks them against C(expressRouteServiceProviders) and names the offer.
  - Changes Azure forbids are refused with a clear message instead of a failed API call - lowering the bandwidth,
    going from C(UnlimitedData) back to C(MeteredData), or changing the provider or peering location of an
    existing circuit.
  - Deleting a circuit the provider has provisioned fails with the teardown order to follow.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the circuit.
    type: str
    required: true
  name:
    description: The name of the circuit.
    type: str
    required: true
  state:
    description: Whether the circuit should exist.
    type: str
    choices: [present, absent]
    default: present
  location:
    description:
      - The Azure region of the circuit, for example V(westeurope) or V(West Europe).
      - Required when O(state=present).
    type: str
  service_provider_name:
    description: The connectivity provider, as listed by Azure's ExpressRoute service providers.
    type: str
    default: Oracle Cloud FastConnect
  peering_location:
    description:
      - The provider's peering location, for example V(Amsterdam2) or V(Washington DC).
      - Required when O(state=present). It cannot change once the circuit exists.
    type: str
  bandwidth:
    description:
      - The circuit bandwidth with its unit, in Gbps or Mbps, for example V(1Gbps), V(10 Gbps) or V(500Mbps).
      - Required when O(state=present). It must be a bandwidth the provider offers and can only increase.
    type: str
  sku_tier:
    description:
      - The SKU tier. V(Local) circuits only reach the Azure regions of their metro.
      - When not set, V(Standard) for a new circuit and the current tier for an existing one.
    type: str
    choices: [Standard, Premium, Local]
  sku_family:
    description:
      - The billing model. An V(UnlimitedData) circuit cannot go back to V(MeteredData).
      - When not set, V(MeteredData) for a new circuit and the current family for an existing one.
    type: str
    choices: [MeteredData, UnlimitedData]
  allow_classic_operations:
    description: Whether classic (ASM) operations are allowed on the circuit. Left as it is when not set.
    type: bool
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.wait.operation
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.azure.tags
seealso:
  - module: crosscloud.interconnect.expressroute_circuit_info
  - module: crosscloud.interconnect.expressroute_peering
"""

EXAMPLES = r"""
- name: Create a 1 Gbps circuit to Oracle Cloud in Amsterdam
  crosscloud.interconnect.expressroute_circuit:
    resource_group: interconnect-rg
    name: er-oci-ams
    location: westeurope
    peering_location: Amsterdam2
    bandwidth: 1Gbps
    tags:
      purpose: oci-interconnect
  register: circuit
  no_log: true  # the result holds the service key

- name: Give the service key to the OCI side
  ansible.builtin.set_fact:
    azure_service_key: "{{ circuit.circuit.service_key }}"
  no_log: true

- name: Raise the bandwidth to 2 Gbps and move to unlimited data
  crosscloud.interconnect.expressroute_circuit:
    resource_group: interconnect-rg
    name: er-oci-ams
    location: westeurope
    peering_location: Amsterdam2
    bandwidth: 2 Gbps
    sku_family: UnlimitedData

- name: Delete the circuit (after the OCI virtual circuit is gone)
  crosscloud.interconnect.expressroute_circuit:
    resource_group: interconnect-rg
    name: er-oci-ams
    state: absent
"""

RETURN = r"""
circuit:
  description:
    - The circuit as Azure reports it after the module ran (empty when absent).
    - In check mode, the circuit as it would be.
  returned: always
  type: dict
  contains:
    id:
      description: The ARM id of the circuit.
      type: str
      sample: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1
    name:
      description: The circuit name.
      type: str
    location:
      description: The Azure region.
      type: str
    tags:
      description: The tags.
      type: dict
    etag:
      description: The entity tag; it changes on every write.
      type: str
    sku:
      description: The SKU, with C(name), C(tier) and C(family).
      type: dict
      sample: {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"}
    service_provider_name:
      description: The connectivity provider.
      type: str
      sample: Oracle Cloud FastConnect
    peering_location:
      description: The peering location.
      type: str
    bandwidth_in_mbps:
      description: The bandwidth in Mbps.
      type: int
      sample: 1000
    allow_classic_operations:
      description: Whether classic operations are allowed.
      type: bool
    global_reach_enabled:
      description: Whether Global Reach is enabled.
      type: bool
    service_key:
      description:
        - The circuit's service key, which the provider (the OCI FastConnect virtual circuit) is given to
          claim the circuit.
        - B(A secret:) whoever holds it can connect to the circuit. Use C(no_log) on tasks that return or
          pass it on.
      type: str
      sample: 00000000-0000-0000-0000-000000000000
    provisioning_state:
      description: The ARM provisioning state (C(Succeeded), C(Updating), C(Failed), C(Deleting)).
      type: str
    circuit_provisioning_state:
      description: C(Enabled) once Azure has set the circuit up.
      type: str
    service_provider_provisioning_state:
      description: The provider side, C(NotProvisioned), C(Provisioning), C(Provisioned) or C(Deprovisioning).
      type: str
    peerings:
      description: The circuit's peerings, as returned by M(crosscloud.interconnect.expressroute_peering).
      type: list
      elements: dict
diff:
  description: The circuit settings before and after (without the service key), with C(--diff).
  returned: when diff mode is on
  type: dict
changes:
  description: The settings that differed and were (or in check mode would be) written.
  returned: always
  type: list
  elements: str
  sample: ["properties.serviceProviderProperties.bandwidthInMbps", "tags"]
bandwidth_changed:
  description:
    - Whether the bandwidth differed and was (in check mode, would be) raised. Until it is, the service key
      still carries the old bandwidth, which the provider (OCI) checks a virtual circuit against.
  returned: always
  type: bool
  version_added: 1.1.0
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    normalize_location,
    offer_problems,
    provider_view,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
    deep_merge,
    managed_resource_spec,
    repair_of_failed,
    resource_differences,
    wanted_tags,
    with_history,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, bandwidth_mbps, diff_result
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending

# serviceProviderProvisioningState values during which Azure refuses to delete the circuit.
PROVIDER_HOLDS_CIRCUIT = ("Provisioning", "Provisioned", "Deprovisioning")
BANDWIDTH_PATH = "properties.serviceProviderProperties.bandwidthInMbps"
SETTINGS = ("location", "sku", "service_provider_name", "peering_location", "bandwidth_in_mbps",
            "allow_classic_operations", "tags")


def desired_circuit(params, current):
    """The parts of the circuit's REST body the options ask for (None values: leave as is)."""
    current_sku = (current or {}).get("sku") or {}
    tier = params["sku_tier"] or current_sku.get("tier") or "Standard"
    family = params["sku_family"] or current_sku.get("family") or "MeteredData"
    properties = dict(serviceProviderProperties=dict(
        serviceProviderName=params["service_provider_name"],
        peeringLocation=params["peering_location"],
        bandwidthInMbps=bandwidth_mbps(params["bandwidth"], unit_required=True)))
    if params["allow_classic_operations"] is not None:
        properties["allowClassicOperations"] = params["allow_classic_operations"]
    wanted = dict(location=normalize_location(params["location"]),
                  sku=dict(name="%s_%s" % (tier, family), tier=tier, family=family),
                  properties=properties)
    tags = wanted_tags((current or {}).get("tags"), params["tags"], params["purge_tags"])
    if tags is not None:
        wanted["tags"] = tags
    return wanted


def forbidden_changes(current, wanted):
    """Why Azure would refuse to turn ``current`` into ``wanted`` (empty when it would not)."""
    have = circuit_summary(current, include_service_key=False)
    want_provider = wanted["properties"]["serviceProviderProperties"]
    problems = []
    for option, field, key in (("service_provider_name", "service_provider_name", "serviceProviderName"),
                               ("peering_location", "peering_location", "peeringLocation")):
        if (have[field] or "").lower() != want_provider[key].lower():
            problems.append("%s cannot change on an existing circuit (it is %r, %r was asked); create a new circuit "
                            "instead" % (option, have[field], want_provider[key]))
    if have["bandwidth_in_mbps"] and want_provider["bandwidthInMbps"] < have["bandwidth_in_mbps"]:
        problems.append("bandwidth can only increase (it is %s Mbps, %s Mbps was asked); create a new circuit for less"
                        % (have["bandwidth_in_mbps"], want_provider["bandwidthInMbps"]))
    if (have["sku"]["family"] or "").lower() == "unlimiteddata" and wanted["sku"]["family"] == "MeteredData":
        problems.append("sku_family cannot go from UnlimitedData back to MeteredData")
    return problems


def offer_problem(providers, provider_name, peering_location, bandwidth_mbps):
    """Why the provider list (REST JSON) does not offer this circuit (the first reason), or None when it does."""
    found = offer_problems([provider_view(provider) for provider in providers], provider_name, peering_location,
                           bandwidth_mbps)
    return found[0][2] if found else None


def settings_of(circuit):
    """The settings this module manages, for the diff (never the service key)."""
    if not circuit:
        return {}
    summary = circuit_summary(circuit, include_service_key=False)
    return dict((key, summary[key]) for key in SETTINGS if summary[key] is not None)


def ensure_present(module, circuits, current):
    params = module.params
    try:
        wanted = desired_circuit(params, current)
    except ValueError as error:
        raise InterconnectError(str(error))
    if current:
        problems = forbidden_changes(current, wanted)
        if problems:
            raise InterconnectError("Circuit %s cannot be changed as asked: %s" % (params["name"], "; ".join(problems)))
        changes = resource_differences(current, wanted) + repair_of_failed(current)
        if not changes:
            return dict(changed=False, changes=[], bandwidth_changed=False, circuit=circuit_summary(current))
    else:
        changes = ["(create)"]
    # Only a create or a new bandwidth asks the provider for an offer.
    offer = wanted["properties"]["serviceProviderProperties"] if (
        not current or BANDWIDTH_PATH in changes) else None
    if offer and module.check_mode:
        check_offer(module, offer)

    body = deep_merge(current, wanted) if current else wanted
    result = dict(changed=True, changes=changes, bandwidth_changed=BANDWIDTH_PATH in changes,
                  diff=diff_result(settings_of(current), settings_of(body), header=params["name"]))
    if not module.check_mode:
        body, result["wait_history"] = module.api.run_lro(
            "%s circuit %s" % ("update" if current else "create", params["name"]),
            circuits.begin_create_or_update, params["resource_group"], params["name"], body,
            on_refusal=offer_explainer(module, offer) if offer else None, wait=module.wait_options)
    return dict(circuit=circuit_summary(body), **result)


def offer_explainer(module, provider_properties):
    """``on_refusal`` of a write that asks for an offer: name what the provider does not offer."""
    def explain(error):
        check_offer(module, provider_properties)
        return False  # it is offered: Azure refused something else, and its own message says what
    return explain


def check_offer(module, provider_properties):
    """Fail naming the offer when the provider does not offer this peering location or bandwidth."""
    providers = module.api.list_all("list the ExpressRoute service providers",
                                    module.api.client.express_route_service_providers.list)
    problem = offer_problem(providers, provider_properties["serviceProviderName"],
                            provider_properties["peeringLocation"], provider_properties["bandwidthInMbps"])
    if problem:
        raise InterconnectError(problem)


def ensure_absent(module, circuits, current):
    name = module.params["name"]
    if not current:
        return dict(changed=False, changes=[], bandwidth_changed=False, circuit={})
    provider_state = circuit_summary(current)["service_provider_provisioning_state"]
    if provider_state in PROVIDER_HOLDS_CIRCUIT and module.check_mode:
        # Nothing is released during a check run (the teardown steps before this one are not made either):
        # report the delete with the condition instead of failing on it.
        module.warn("Circuit %s would be deleted once its provider has released it (provider state now %s); "
                    "a real run fails here until then" % (name, provider_state))
    elif provider_state in PROVIDER_HOLDS_CIRCUIT:
        raise InterconnectError(
            "Circuit %s cannot be deleted while its provider state is %s: Azure refuses until the provider has "
            "released it. Tear down in this order: delete the gateway connections to the circuit, delete the OCI "
            "FastConnect virtual circuit that uses its service key, wait until the circuit's provider state is "
            "NotProvisioned (expressroute_circuit_info with wait_for), then delete the circuit." % (name, provider_state),
            service_provider_provisioning_state=provider_state)
    result = dict(changed=True, changes=["(delete)"], bandwidth_changed=False, circuit={},
                  diff=diff_result(settings_of(current), None, header=name))
    if not module.check_mode:
        result["wait_history"] = module.api.run_lro("delete circuit %s" % name, circuits.begin_delete,
                                                    module.params["resource_group"], name, wait=module.wait_options)[1]
    return result


def main():
    module = AzureInterconnectModule(
        argument_spec=managed_resource_spec(
            location=dict(type="str"),
            service_provider_name=dict(type="str", default="Oracle Cloud FastConnect"),
            peering_location=dict(type="str"),
            bandwidth=dict(type="str"),
            sku_tier=dict(type="str", choices=["Standard", "Premium", "Local"]),
            sku_family=dict(type="str", choices=["MeteredData", "UnlimitedData"]),
            allow_classic_operations=dict(type="bool"),
            tags=dict(type="dict"),
            purge_tags=dict(type="bool", default=True),
        ),
        wait_choices=["succeeded"], wait_default=["succeeded"], wait_splits=True,
        required_if=[("state", "present", ("location", "peering_location", "bandwidth"))],
        supports_check_mode=True,
    )
    try:
        circuits = module.api.client.express_route_circuits

        def read():
            return module.api.get_or_none("read circuit %s" % module.params["name"], circuits.get,
                                          module.params["resource_group"], module.params["name"])

        current, history = module.read_settled(read, "circuit %s" % module.params["name"])
        ensure = ensure_present if module.params["state"] == "present" else ensure_absent
        result = with_history(history, ensure(module, circuits, current))
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
