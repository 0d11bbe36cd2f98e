#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: azure_network_info
short_description: Read what an interconnect needs to know about an Azure virtual network, in one call
version_added: 1.0.0
description:
  - Returns a virtual network's address prefixes and subnets (including the C(GatewaySubnet) prefix), a virtual
    network gateway's type, SKU and id, and the ids of network security groups - the facts a preflight checks
    before planning an interconnect.
  - Makes one read per resource kind asked for (the security groups come from a single list of the resource
    group).
  - Unlike most info modules it fails, naming what is missing, when an asked-for resource does not exist, because
    that is the answer a preflight wants (except for O(virtual_network_gateway_connection)).
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the virtual network and, unless told otherwise, of the other resources.
    type: str
    required: true
  virtual_network:
    description: The name of the virtual network.
    type: str
  virtual_network_gateway:
    description: The name of the virtual network gateway.
    type: str
  virtual_network_gateway_resource_group:
    description: The resource group of the gateway. Defaults to O(resource_group).
    type: str
  network_security_groups:
    description: Names of network security groups in O(resource_group) whose ids to return.
    type: list
    elements: str
    default: []
  virtual_network_gateway_connection:
    description:
      - The name of a virtual network gateway connection in O(resource_group) to return.
      - The one resource this module does not fail for when it is missing (the result is empty), since a
        verify reports a missing connection rather than stopping at it.
    type: str
    version_added: 0.1.0
  express_route_service_provider:
    description:
      - When the circuit O(express_route_circuit) does not exist yet (or is not asked for), also list the ExpressRoute
        service providers and return them in RV(express_route_service_providers), so a preflight can check that this
        provider (for example C(Oracle Cloud FastConnect)) offers the peering location and bandwidth a create will ask
        for. An existing circuit has its offer already.
    type: str
    version_added: 1.2.0
  express_route_circuit:
    description:
      - The name of an ExpressRoute circuit in O(resource_group) to return, with its peerings (never its
        service key).
      - Like O(virtual_network_gateway_connection), a missing circuit gives an empty result, not a failure;
        a preflight reads it to learn whether a converge has anything left to do, a verify to judge it.
    type: str
    version_added: 1.1.0
  learned_routes:
    description:
      - Also read the routes table of the circuit's private peering on the primary and the secondary device path
        (two long-running POSTs of Express Route Circuits - List Routes Table, which a verify pays for and a
        converge does not) and return them in RV(learned_routes).
      - Needs O(express_route_circuit); nothing is read when the circuit or its private peering does not exist.
    type: bool
    default: false
    version_added: 1.3.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.reads
  - crosscloud.interconnect.attributes.info
"""

EXAMPLES = r"""
- name: Gather the Azure side for the preflight
  crosscloud.interconnect.azure_network_info:
    resource_group: interconnect-rg
    virtual_network: vnet-hub
    virtual_network_gateway: vnet-hub-ergw
    network_security_groups: [vnet-hub-nsg]
  register: azure_network

- name: Check the gateway subnet is at least a /27
  ansible.builtin.assert:
    that:
      - azure_network.virtual_network.gateway_subnet_prefix is not none
      - azure_network.virtual_network.gateway_subnet_prefix.split('/')[1] | int <= 27
"""

RETURN = r"""
express_route_service_providers:
  description: With O(express_route_service_provider) and no circuit, every ExpressRoute provider and what it offers.
  returned: always
  type: list
  elements: dict
  sample:
    - {"name": "Oracle Cloud FastConnect", "peering_locations": ["Tokyo", "London"], "bandwidths_offered_mbps": [1000, 2000]}
problems:
  description:
    - With O(collect_problems), each read that failed, with the option it was for, its value and the message, and
      the cloud's error code when it gave one (C(error_code), for example C(ResourceGroupNotFound)).
  returned: always
  type: list
  elements: dict
  sample:
    - {"option": "virtual_network", "value": "vnet-missing", "message": "The virtual network vnet-missing does not exist in resource group rg"}
virtual_network:
  description: The virtual network (empty when O(virtual_network) is not set).
  returned: always
  type: dict
  contains:
    id:
      description: The ARM id.
      type: str
    name:
      description: The name.
      type: str
    location:
      description: The region.
      type: str
    address_prefixes:
      description: The address prefixes of the virtual network.
      type: list
      elements: str
      sample: ["10.10.0.0/16"]
    subnets:
      description: The subnets, each with C(name), C(id), C(address_prefixes) and C(network_security_group_id).
      type: list
      elements: dict
    gateway_subnet_prefix:
      description: The prefix of the C(GatewaySubnet), or null when there is none.
      type: str
      sample: 10.10.255.0/27
virtual_network_gateway:
  description:
    - The virtual network gateway (empty when O(virtual_network_gateway) is not set), with its C(id), C(name) and
      C(location) as in RV(virtual_network) and the keys below.
  returned: always
  type: dict
  contains:
    gateway_type:
      description: C(ExpressRoute) or C(Vpn).
      type: str
    sku:
      description: The SKU name, for example C(ErGw1AZ) or C(UltraPerformance).
      type: str
    provisioning_state:
      description: The ARM provisioning state.
      type: str
    subnet_ids:
      description: The subnets of the gateway's IP configurations.
      type: list
      elements: str
network_security_groups:
  description:
    - The asked-for network security groups, each with C(name), C(id), C(location) and C(security_rules)
      (each rule as ARM returns it, C(name) and C(properties)), in the order asked.
  returned: always
  type: list
  elements: dict
express_route_circuit:
  description:
    - The circuit as M(crosscloud.interconnect.expressroute_circuit_info) returns it, without the service key
      (empty when O(express_route_circuit) is not set or the circuit does not exist).
  returned: always
  type: dict
  version_added: 1.1.0
learned_routes:
  description:
    - With O(learned_routes), the routes table of the circuit's private peering by device path (C(primary),
      C(secondary)), each route with C(network), C(next_hop) and C(path) (the AS path, for example C(31898) for a
      route learned from OCI); empty when not asked for or the circuit has no private peering.
  returned: always
  type: dict
  version_added: 1.3.0
  sample: {"primary": [{"network": "10.20.0.0/16", "next_hop": "10.255.0.1", "path": "31898"}], "secondary": []}
virtual_network_gateway_connection:
  description: The connection (empty when O(virtual_network_gateway_connection) is not set or it does not exist).
  returned: always
  type: dict
  contains:
    id:
      description: The ARM id of the connection.
      type: str
    name:
      description: Its name.
      type: str
    connection_type:
      description: C(ExpressRoute) for a connection to a circuit.
      type: str
    virtual_network_gateway_id:
      description: The ARM id of the gateway it connects.
      type: str
    circuit_id:
      description: The ARM id of the circuit it connects to.
      type: str
    provisioning_state:
      description: The ARM provisioning state, C(Succeeded) when in place.
      type: str
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    COLLECT_PROBLEMS_SPEC,
    InterconnectError,
    ReadProblems,
    at_once,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    PRIVATE_PEERING,
    private_peering_summary,
    provider_view,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    circuit_summary,
    connection_summary,
)

GATEWAY_SUBNET = "GatewaySubnet"


def subnet_view(subnet):
    properties = subnet.get("properties") or {}
    prefixes = properties.get("addressPrefixes") or ([properties["addressPrefix"]] if properties.get("addressPrefix") else [])
    return dict(name=subnet.get("name"), id=subnet.get("id"), address_prefixes=prefixes,
                network_security_group_id=(properties.get("networkSecurityGroup") or {}).get("id"))


def virtual_network_view(network):
    properties = network.get("properties") or {}
    subnets = [subnet_view(subnet) for subnet in properties.get("subnets") or []]
    gateway_subnet = next((subnet for subnet in subnets if (subnet["name"] or "").lower() == GATEWAY_SUBNET.lower()), None)
    return dict(id=network.get("id"), name=network.get("name"), location=network.get("location"),
                address_prefixes=(properties.get("addressSpace") or {}).get("addressPrefixes") or [],
                subnets=subnets,
                gateway_subnet_prefix=gateway_subnet["address_prefixes"][0] if gateway_subnet and gateway_subnet["address_prefixes"] else None)


def gateway_view(gateway):
    properties = gateway.get("properties") or {}
    return dict(id=gateway.get("id"), name=gateway.get("name"), location=gateway.get("location"),
                gateway_type=properties.get("gatewayType"), sku=(properties.get("sku") or {}).get("name"),
                provisioning_state=properties.get("provisioningState"),
                subnet_ids=[((configuration.get("properties") or {}).get("subnet") or {}).get("id")
                            for configuration in properties.get("ipConfigurations") or []])


def select_groups(groups, names):
    """The groups named, in the order asked; raises KeyError naming the ones missing."""
    by_name = dict(((group.get("name") or "").lower(), group) for group in groups)
    missing = [name for name in names if name.lower() not in by_name]
    if missing:
        raise KeyError(", ".join(missing))
    return [group_view(by_name[name.lower()]) for name in names]


def group_view(group):
    rules = (group.get("properties") or {}).get("securityRules") or []
    return dict(name=group["name"], id=group["id"], location=group.get("location"),
                security_rules=[dict(name=rule["name"], properties=rule.get("properties") or {}) for rule in rules])


def read_existing(api, kind, operation, resource_group, name):
    return api.get_or_fail("read %s %s" % (kind, name),
                           "The %s %s does not exist in resource group %s" % (kind, name, resource_group),
                           operation, resource_group, name)


def read_all(api, params):
    """The result: every resource asked for, read; with collect_problems the reads that failed in ``problems``."""
    reads = ReadProblems(params["collect_problems"])
    client = api.sign_in()  # first: missing or refused credentials are no problem of a resource
    result = dict(virtual_network={}, virtual_network_gateway={}, network_security_groups=[],
                  virtual_network_gateway_connection={}, express_route_circuit={}, express_route_service_providers=[],
                  learned_routes={}, problems=reads.problems)
    if not (params["resource_group"] or "").strip():
        # Everything below it would address another URL: "" is no resource group.
        reads.read("resource_group", params["resource_group"], lambda: _refuse("resource_group is empty"))
        return result
    group = params["resource_group"]
    # The reads asked for, each under its option with what it gives when it fails: independent of each other,
    # so they run at once.
    wanted = []
    if params["virtual_network"]:
        wanted.append(("virtual_network", {}, lambda: virtual_network_view(
            read_existing(api, "virtual network", client.virtual_networks.get, group, params["virtual_network"]))))
    if params["virtual_network_gateway"]:
        wanted.append(("virtual_network_gateway", {}, lambda: gateway_view(read_existing(
            api, "virtual network gateway", client.virtual_network_gateways.get,
            params["virtual_network_gateway_resource_group"] or group, params["virtual_network_gateway"]))))
    if params["network_security_groups"]:
        wanted.append(("network_security_groups", [],
                       lambda: read_groups(api, group, params["network_security_groups"])))
    if params["virtual_network_gateway_connection"]:
        connection = params["virtual_network_gateway_connection"]
        wanted.append(("virtual_network_gateway_connection", {}, lambda: (
            connection_summary(api.get_or_none("read virtual network gateway connection %s" % connection,
                                               client.virtual_network_gateway_connections.get, group, connection)))))
    if params["express_route_circuit"]:
        name = params["express_route_circuit"]
        wanted.append(("express_route_circuit", None, lambda: api.get_or_none(
            "read circuit %s" % name, client.express_route_circuits.get, group, name)))
    for (option, default, dummy), outcome in zip(wanted, at_once([read for dummy, dummy, read in wanted])):
        result[option] = reads.read(option, params[option], outcome, default)
    if params["express_route_circuit"]:
        circuit = result["express_route_circuit"]
        result["express_route_circuit"] = circuit_summary(circuit, include_service_key=False) if circuit else {}
        if params["learned_routes"] and private_peering_summary(result["express_route_circuit"]):
            result["learned_routes"] = reads.read("express_route_circuit", name, lambda: read_route_tables(api, group, name), {})
    provider = params["express_route_service_provider"]
    if provider and not result["express_route_circuit"]:
        # Only a create asks the provider for an offer: without a circuit, read what it offers.
        result["express_route_service_providers"] = reads.read("express_route_service_provider", provider, lambda: [
            provider_view(item) for item in api.list_all("list the ExpressRoute service providers",
                                                         client.express_route_service_providers.list)], [])
    return result


DEVICE_PATHS = ("primary", "secondary")


def read_route_tables(api, group, circuit):
    """The private peering's routes table on each device path: a long-running POST each (both at once),
    followed as AzureApi follows every operation."""
    def read_table(device):
        listed, dummy = api.run_lro("read the %s routes table of circuit %s" % (device, circuit),
                                    api.client.express_route_circuits.begin_list_routes_table,
                                    group, circuit, PRIVATE_PEERING, device)
        return [dict(network=route.get("network"), next_hop=route.get("nextHop"), path=route.get("path"))
                for route in (listed or {}).get("value") or []]

    tables = at_once([lambda device=device: read_table(device) for device in DEVICE_PATHS])
    return dict((device, table()) for device, table in zip(DEVICE_PATHS, tables))


def read_groups(api, group, names):
    groups = api.list_all("list the network security groups of resource group %s" % group,
                          api.client.network_security_groups.list, group)
    try:
        return select_groups(groups, names)
    except KeyError as error:
        raise InterconnectError("Network security group(s) %s do not exist in resource group %s" % (error.args[0], group))


def _refuse(message):
    raise InterconnectError(message)


def main():
    module = AzureInterconnectModule(
        argument_spec=dict(
            resource_group=dict(type="str", required=True),
            virtual_network=dict(type="str"),
            virtual_network_gateway=dict(type="str"),
            virtual_network_gateway_resource_group=dict(type="str"),
            network_security_groups=dict(type="list", elements="str", default=[]),
            virtual_network_gateway_connection=dict(type="str"),
            express_route_circuit=dict(type="str"),
            express_route_service_provider=dict(type="str"),
            learned_routes=dict(type="bool", default=False),
            **COLLECT_PROBLEMS_SPEC
        ),
        supports_check_mode=True,
    )
    try:
        module.exit_json(changed=False, **read_all(module.api, module.params))
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
