#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: expressroute_gateway_connection
short_description: Connect an Azure ExpressRoute virtual network gateway to an ExpressRoute circuit
version_added: 1.0.0
description:
  - Ensures a connection of type C(ExpressRoute) between a virtual network gateway and an ExpressRoute circuit,
    or that it is absent.
  - Refuses FastPath on a gateway that does not support it, reading the gateway before the write. Azure itself
    refuses a connection to a gateway that is not of type C(ExpressRoute) or to a circuit its provider has not
    provisioned, so a write names them without reading them first; when Azure refuses, the module reads the gateway
    and the circuit to say which one, waits for the provider to provision the circuit (O(wait_for=provider_provisioned))
    and sends the create once more.
  - Check mode reads the gateway and the circuit instead, as nothing is written there. A circuit its provider
    has not provisioned, or one that does not exist yet (a check run creates nothing before this step), is no
    failure there; the create is reported with a warning saying what a real run needs by then.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the connection.
    type: str
    required: true
  name:
    description: The name of the connection.
    type: str
    required: true
  state:
    description: Whether the connection should exist.
    type: str
    choices: [present, absent]
    default: present
  location:
    description:
      - The region of the connection. Defaults to the gateway's region, which costs a read of the gateway.
    type: str
  virtual_network_gateway:
    description:
      - The ExpressRoute virtual network gateway, by name (in O(virtual_network_gateway_resource_group)) or ARM id.
      - Required when O(state=present). It cannot change on an existing connection.
    type: str
  virtual_network_gateway_resource_group:
    description: The resource group of a gateway given by name. Defaults to O(resource_group).
    type: str
  circuit:
    description:
      - The ExpressRoute circuit, by name (in O(circuit_resource_group)) or ARM id.
      - Required when O(state=present). It cannot change on an existing connection.
    type: str
  circuit_resource_group:
    description: The resource group of a circuit given by name. Defaults to O(resource_group).
    type: str
  routing_weight:
    description: The routing weight of the connection.
    type: int
    default: 0
  express_route_gateway_bypass:
    description:
      - Whether to enable FastPath, which sends traffic past the gateway. Only C(UltraPerformance) and
        C(ErGw3AZ) gateways support it; the module refuses it on others.
    type: bool
    default: false
  return_circuit:
    description:
      - Also return the circuit (with its peerings, never its service key) as RV(circuit).
      - One more read; lets a caller judge the whole Azure side from this step, as the interconnect role does
        when the provider made the private peering.
      - On a create with C(provider_provisioned) in O(wait_for), the circuit is read first (and awaited until its
        provider has provisioned it) and that read is returned, since a connection changes nothing of the circuit.
        Otherwise it is read after the connection is in place.
    type: bool
    default: false
    version_added: 1.1.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.wait.circuit_write
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.azure.tags
seealso:
  - module: crosscloud.interconnect.expressroute_circuit
  - module: crosscloud.interconnect.azure_network_info
"""

EXAMPLES = r"""
- name: Connect the VNet's ExpressRoute gateway to the circuit once Oracle has provisioned it
  crosscloud.interconnect.expressroute_gateway_connection:
    resource_group: interconnect-rg
    name: er-oci-ams-connection
    virtual_network_gateway: vnet-hub-ergw
    circuit: er-oci-ams
    wait_for: [provider_provisioned, succeeded]
    wait_timeout: 1800

- name: Enable FastPath on an UltraPerformance gateway in another resource group
  crosscloud.interconnect.expressroute_gateway_connection:
    resource_group: interconnect-rg
    name: er-oci-ams-connection
    virtual_network_gateway: "{{ hub_ergw_id }}"  # /subscriptions/.../virtualNetworkGateways/hub-ergw
    circuit: er-oci-ams
    express_route_gateway_bypass: true

- name: Remove the connection (the first step of a teardown)
  crosscloud.interconnect.expressroute_gateway_connection:
    resource_group: interconnect-rg
    name: er-oci-ams-connection
    state: absent
"""

RETURN = r"""
circuit:
  description:
    - The circuit the connection connects, as M(crosscloud.interconnect.expressroute_circuit_info) returns it
      (with its peerings, without the service key); empty when it does not exist.
  returned: with O(return_circuit)
  type: dict
  version_added: 1.1.0
connection:
  description: The connection after the module ran (empty when absent; in check mode, as it would be).
  returned: always
  type: dict
  contains:
    id:
      description: The ARM id of the connection.
      type: str
    name:
      description: The connection name.
      type: str
    location:
      description: The region.
      type: str
    tags:
      description: The tags.
      type: dict
    connection_type:
      description: Always C(ExpressRoute).
      type: str
    virtual_network_gateway_id:
      description: The ARM id of the gateway.
      type: str
    circuit_id:
      description: The ARM id of the circuit.
      type: str
    routing_weight:
      description: The routing weight.
      type: int
    express_route_gateway_bypass:
      description: Whether FastPath is on.
      type: bool
    provisioning_state:
      description: The ARM provisioning state.
      type: str
    connection_status:
      description: The connection status Azure reports, for example C(Connected).
      type: str
changes:
  description: The settings that differed and were (or in check mode would be) written.
  returned: always
  type: list
  elements: str
circuit_wait_history:
  description: The circuit provider states observed while waiting for C(Provisioned), with seconds elapsed.
  returned: when Azure refused the create because the circuit was not provisioned yet and the module waited
  type: list
  elements: dict
diff:
  description: The connection before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import normalize_location
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
    connection_summary,
    deep_merge,
    managed_resource_spec,
    name_or_id,
    parse_resource_id,
    repair_of_failed,
    resource_differences,
    same_id,
    unprovisioned_circuit_warning,
    wait_for_provisioned_circuit,
    wanted_tags,
    with_history,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, diff_result
from ansible_collections.crosscloud.interconnect.plugins.module_utils.greenfield import (
    EXPRESSROUTE_GATEWAY_SKUS,
    FASTPATH_GATEWAY_SKUS,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending

SETTINGS = ("location", "virtual_network_gateway_id", "circuit_id", "routing_weight",
            "express_route_gateway_bypass", "tags")


def desired_connection(params, gateway_id, circuit_id, current):
    wanted = dict(properties=dict(
        connectionType="ExpressRoute",
        virtualNetworkGateway1=dict(id=gateway_id),
        peer=dict(id=circuit_id),
        routingWeight=params["routing_weight"],
        expressRouteGatewayBypass=params["express_route_gateway_bypass"]))
    tags = wanted_tags((current or {}).get("tags"), params["tags"], params["purge_tags"])
    if tags is not None:
        wanted["tags"] = tags
    return wanted


def endpoint_changes(current, gateway_id, circuit_id):
    """Why an existing connection cannot become the asked one (Azure cannot re-point a connection)."""
    have = connection_summary(current)
    problems = []
    for option, field, wanted in (("virtual_network_gateway", "virtual_network_gateway_id", gateway_id),
                                  ("circuit", "circuit_id", circuit_id)):
        if not same_id(have[field], wanted):
            problems.append("%s cannot change on an existing connection (it is %s, %s was asked); delete the "
                            "connection first" % (option, have[field], wanted))
    return problems


def gateway_problem(gateway, fastpath):
    """Why ``gateway`` cannot carry this ExpressRoute connection, or None."""
    properties = gateway.get("properties") or {}
    gateway_type = properties.get("gatewayType")
    sku = (properties.get("sku") or {}).get("name")
    name = gateway.get("name")
    if (gateway_type or "").lower() != "expressroute":
        return ("virtual network gateway %s is of type %s; an ExpressRoute connection needs a gateway of type "
                "ExpressRoute" % (name, gateway_type))
    if (sku or "").lower() not in [allowed.lower() for allowed in EXPRESSROUTE_GATEWAY_SKUS]:
        return "virtual network gateway %s has SKU %s; ExpressRoute needs one of %s" % (
            name, sku, ", ".join(EXPRESSROUTE_GATEWAY_SKUS))
    if fastpath and sku.lower() not in [allowed.lower() for allowed in FASTPATH_GATEWAY_SKUS]:
        return ("express_route_gateway_bypass (FastPath) needs an %s gateway; %s has SKU %s" % (
            " or ".join(FASTPATH_GATEWAY_SKUS), name, sku))
    return None


def warn_unless_provisioned(module, target):
    """In check mode, instead of the wait (or failure) of a real run: warn when the circuit is not provisioned,
    or does not exist yet (a check run creates nothing before this step)."""
    circuit = module.api.get_or_none("read circuit %s" % target["name"], module.api.client.express_route_circuits.get,
                                     target["resource_group"], target["name"])
    warning = unprovisioned_circuit_warning(target["name"], circuit, module.params["wait_for"],
                                            "Azure connects a gateway only to a provisioned circuit")
    if warning:
        module.warn(warning)


def read_gateway(module, gateway_id):
    target = parse_id(module, gateway_id)
    gateway = module.api.get_or_fail("read virtual network gateway %s" % target["name"],
                                     "Virtual network gateway %s does not exist in resource group %s" % (
                                     target["name"], target["resource_group"]),
                                     module.api.client.virtual_network_gateways.get, target["resource_group"], target["name"])
    problem = gateway_problem(gateway, module.params["express_route_gateway_bypass"])
    if problem:
        raise InterconnectError(problem)
    return gateway


def parse_id(module, value):
    try:
        return parse_resource_id(value)
    except ValueError as error:
        raise InterconnectError(str(error))


def ensure_present(module, connections, current, gateway_id, circuit_id):
    params = module.params
    wanted = desired_connection(params, gateway_id, circuit_id, current)
    result = dict(changed=True)
    circuit = None  # the circuit as read before a create, when that read is the one to return
    if current:
        problems = endpoint_changes(current, gateway_id, circuit_id)
        if problems:
            raise InterconnectError("Connection %s cannot be changed as asked: %s" % (params["name"], "; ".join(problems)))
        result["changes"] = resource_differences(current, wanted) + repair_of_failed(current)
        if not result["changes"]:
            return dict(changed=False, changes=[], connection=connection_summary(current),
                        **connected_circuit(module, circuit_id))
        gateway = check_gateway_before_write(module, gateway_id, need_location=False)
    else:
        result["changes"] = ["(create)"]
        gateway = check_gateway_before_write(module, gateway_id, need_location=not params["location"])
        if module.check_mode:
            # Nothing provisions the circuit during a check run: report the create instead of waiting.
            warn_unless_provisioned(module, parse_id(module, circuit_id))
        elif params["return_circuit"] and "provider_provisioned" in params["wait_for"]:
            circuit, history = provisioned_circuit_before_create(module, circuit_id)
            if waited(history):
                result["circuit_wait_history"] = history
        wanted["location"] = normalize_location(params["location"] or gateway["location"])
    body = deep_merge(current, wanted) if current else wanted
    result["diff"] = diff_result(settings_of(current), settings_of(body), header=params["name"])
    if not module.check_mode:
        explain = None if current else RefusalExplainer(module, gateway_id, circuit_id, gateway_checked=bool(gateway))
        body, result["wait_history"] = module.api.run_lro(
            "%s connection %s" % ("update" if current else "create", params["name"]),
            connections.begin_create_or_update, params["resource_group"], params["name"], body,
            on_refusal=explain, wait=module.wait_options)
        if explain is not None and explain.circuit_wait_history:
            result["circuit_wait_history"] = explain.circuit_wait_history
    return dict(connection=connection_summary(body), **dict(result, **connected_circuit(module, circuit_id, circuit)))


def provisioned_circuit_before_create(module, circuit_id):
    """``(circuit, history)``: the circuit read (and awaited until its provider has provisioned it) before a
    create, with the states seen. Azure connects a gateway only to a provisioned circuit, and a connection
    changes nothing of the circuit (its peerings and their BGP are the provider's and Microsoft's edge's), so
    this read is also the one return_circuit gives. Read first, the provider's provisioning is noticed as
    soon as the module runs, not after the create."""
    target = parse_id(module, circuit_id)
    return wait_for_provisioned_circuit(module.api, target["resource_group"], target["name"], module.wait_options)


def waited(history):
    """Whether a wait that ended well saw the circuit in another state first: the waiter notes a state when it
    changes (the first read included), so a circuit provisioned at the first read leaves one entry."""
    return len(history) > 1


def connected_circuit(module, circuit_id, circuit=None):
    """``{"circuit": ...}`` with return_circuit (a caller judging the interconnect from this step needs no
    module of its own to read it): ``circuit`` when read before a create, else as read now; empty without
    return_circuit."""
    if not module.params["return_circuit"]:
        return {}
    if circuit is None:
        target = parse_id(module, circuit_id)
        circuit = module.api.get_or_none("read circuit %s" % target["name"], module.api.client.express_route_circuits.get,
                                         target["resource_group"], target["name"])
    return dict(circuit=circuit_summary(circuit, include_service_key=False) if circuit else {})


def check_gateway_before_write(module, gateway_id, need_location):
    """The gateway, read and checked where the write cannot leave that to Azure; else None.

    Azure refuses a connection to a gateway of another type, but not FastPath on a SKU without it;
    check mode writes nothing to be refused; and a connection without a location takes the gateway's.
    """
    if module.check_mode or module.params["express_route_gateway_bypass"] or need_location:
        return read_gateway(module, gateway_id)
    return None


class RefusalExplainer(object):
    """``on_refusal`` of the create: says which endpoint Azure refused, or waits for the circuit.

    Called only when Azure refused the create (400): the gateway, unless checked before the write,
    is read for a clear message on a wrong type or SKU, then the circuit is awaited until its provider
    has provisioned it (with ``wait_for: provider_provisioned``); the create is sent again only when the
    circuit was not provisioned.
    """

    def __init__(self, module, gateway_id, circuit_id, gateway_checked=False):
        self.module, self.gateway_id, self.circuit_id = module, gateway_id, circuit_id
        self.gateway_checked = gateway_checked
        self.circuit_wait_history = None

    def __call__(self, error):
        if not self.gateway_checked:
            read_gateway(self.module, self.gateway_id)
        target = parse_id(self.module, self.circuit_id)
        wait = self.module.wait_options
        if "provider_provisioned" not in wait["wait_for"]:
            wait = dict(wait, wait_timeout=0)  # read the circuit once, to explain the refusal
        history = wait_for_provisioned_circuit(self.module.api, target["resource_group"], target["name"], wait)[1]
        if not waited(history):
            return False  # provisioned all along: the refusal is about something else, Azure's message says what
        self.circuit_wait_history = history
        return True


def settings_of(connection):
    summary = connection_summary(connection)
    return dict((key, summary[key]) for key in SETTINGS) if summary else {}


def ensure_absent(module, connections, current):
    name = module.params["name"]
    if not current:
        return dict(changed=False, changes=[], connection={})
    result = dict(changed=True, changes=["(delete)"], connection={},
                  diff=diff_result(settings_of(current), None, header=name))
    if not module.check_mode:
        result["wait_history"] = module.api.run_lro("delete connection %s" % name, connections.begin_delete,
                                                    module.params["resource_group"], name, wait=module.wait_options)[1]
    return result


def main():
    module = AzureInterconnectModule(
        argument_spec=managed_resource_spec(
            location=dict(type="str"),
            virtual_network_gateway=dict(type="str"),
            virtual_network_gateway_resource_group=dict(type="str"),
            circuit=dict(type="str"),
            circuit_resource_group=dict(type="str"),
            routing_weight=dict(type="int", default=0),
            express_route_gateway_bypass=dict(type="bool", default=False),
            return_circuit=dict(type="bool", default=False),
            tags=dict(type="dict"),
            purge_tags=dict(type="bool", default=True),
        ),
        wait_choices=["provider_provisioned", "succeeded"], wait_default=["succeeded"], wait_splits=True,
        required_if=[("state", "present", ("virtual_network_gateway", "circuit"))],
        supports_check_mode=True,
    )
    try:
        params = module.params
        connections = module.api.client.virtual_network_gateway_connections

        def read():
            return module.api.get_or_none("read connection %s" % params["name"], connections.get,
                                          params["resource_group"], params["name"])

        current, history = module.read_settled(read, "connection %s" % params["name"])
        if params["state"] == "absent":
            module.exit_json(**with_history(history, ensure_absent(module, connections, current)))
        try:
            gateway_id = name_or_id(params["virtual_network_gateway"], module.api.subscription_id,
                                    params["virtual_network_gateway_resource_group"] or params["resource_group"],
                                    "virtualNetworkGateways")
            circuit_id = name_or_id(params["circuit"], module.api.subscription_id,
                                    params["circuit_resource_group"] or params["resource_group"], "expressRouteCircuits")
        except ValueError as error:
            raise InterconnectError(str(error))
        result = with_history(history, ensure_present(module, connections, current, gateway_id, circuit_id))
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
