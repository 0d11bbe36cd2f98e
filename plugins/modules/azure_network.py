#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: azure_network
short_description: Create (or delete) the Azure network an interconnect needs (VNet, GatewaySubnet, public IP, ExpressRoute gateway)
version_added: 1.2.0
description:
  - With O(state=present), ensures the resource group (created if absent), a virtual network with O(address_prefixes)
    and a C(GatewaySubnet) of O(gateway_subnet_prefix), the Standard static public IP address the ExpressRoute gateway
    needs (Azure refuses a Basic one on every ExpressRoute gateway) and the ExpressRoute virtual network gateway.
  - Everything the module creates carries the tag C(created-by=crosscloud.interconnect), and only what carries it is
    ever deleted. Existing resources are used as they are and never tagged.
  - An existing virtual network gets the prefixes of O(address_prefixes) it lacks (none is removed) and a
    C(GatewaySubnet) when it has none. An existing gateway of another ExpressRoute SKU is resized, except between the
    zone-redundant SKUs and the others (Azure moves a gateway between them only by migration). A VPN gateway of the
    name, a gateway in another virtual network, a C(GatewaySubnet) of another prefix that holds a gateway, and a
    public IP of the Basic SKU are refused, with what was found, before any write.
  - Creating the gateway takes Azure 30 to 45 minutes; the module waits for it within O(wait_timeout), and with
    O(wait_return_after) returns while it goes on (C(waiting)), so a task under C(until) shows its progress.
  - With O(state=absent), deletes what carries the tag, in the order Azure needs, the gateway, the public IP, the
    virtual network, and the resource group when it carries the tag and nothing else is left in it. What does not
    carry the tag is left, and said so in RV(left). A gateway that still has a connection is refused by Azure;
    tear the interconnect down first.
  - The inputs are checked before any call, all problems at once.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  resource_group:
    description: The resource group of the network. Created (with the tag) when it does not exist.
    type: str
    required: true
  location:
    description: The Azure region of the resource group and of the resources created in it.
    type: str
    required: true
  virtual_network:
    description: The name of the virtual network.
    type: str
    required: true
  address_prefixes:
    description:
      - The address space of the virtual network, CIDRs. Required with O(state=present).
    type: list
    elements: str
  gateway_subnet_prefix:
    description:
      - The CIDR of the C(GatewaySubnet); inside O(address_prefixes) and a C(/27) or larger. Required with
        O(state=present).
    type: str
  virtual_network_gateway:
    description: The name of the ExpressRoute virtual network gateway.
    type: str
    required: true
  gateway_sku:
    description:
      - The SKU of the ExpressRoute gateway, one of V(Standard), V(HighPerformance), V(UltraPerformance), V(ErGw1AZ),
        V(ErGw2AZ), V(ErGw3AZ), V(ErGwScale) (the AZ ones and V(ErGwScale) are zone-redundant).
      - Only V(UltraPerformance) and V(ErGw3AZ) support FastPath (the gateway connection's
        C(express_route_gateway_bypass)); hence the default.
      - A VPN SKU is refused.
    type: str
    default: UltraPerformance
  public_ip_address:
    description: The name of the gateway's public IP address. Defaults to the gateway's name with C(-pip).
    type: str
  tags:
    description: Tags of the resources the module creates, besides C(created-by=crosscloud.interconnect).
    type: dict
  state:
    description: Whether the network should exist; V(absent) deletes only what the module created.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.azure
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.wait.operation
  - crosscloud.interconnect.attributes
seealso:
  - module: crosscloud.interconnect.azure_network_info
  - module: crosscloud.interconnect.expressroute_gateway_connection
  - module: crosscloud.interconnect.oci_network
"""

EXAMPLES = r"""
- name: Create the VNet and its ExpressRoute gateway, showing the gateway's progress every 30 seconds
  crosscloud.interconnect.azure_network:
    resource_group: rg-interconnect
    location: eastus
    virtual_network: vnet-hub
    address_prefixes: [10.10.0.0/16]
    gateway_subnet_prefix: 10.10.255.0/27
    virtual_network_gateway: ergw-hub
    gateway_sku: ErGw3AZ
    wait_timeout: 3600
    wait_return_after: 30
    wait_started: "{{ now().timestamp() }}"
  register: network
  until: network.waiting is not defined
  retries: 121
  delay: 0

- name: Delete what the module created, once the interconnect is torn down
  crosscloud.interconnect.azure_network:
    resource_group: rg-interconnect
    location: eastus
    virtual_network: vnet-hub
    virtual_network_gateway: ergw-hub
    state: absent
"""

RETURN = r"""
resource_group:
  description: The resource group (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: Its name.
      type: str
    location:
      description: Its region.
      type: str
    created:
      description: Whether the collection created it (it carries the tag).
      type: bool
virtual_network:
  description: The virtual network (empty when absent; in check mode, as it would be).
  returned: always
  type: dict
  contains:
    id:
      description: Its ARM id (none before a check-mode create).
      type: str
    name:
      description: Its name.
      type: str
    address_prefixes:
      description: Its address space.
      type: list
      elements: str
    gateway_subnet_prefix:
      description: The prefix of its C(GatewaySubnet).
      type: str
public_ip_address:
  description: The gateway's public IP address (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Its ARM id.
      type: str
    name:
      description: Its name.
      type: str
virtual_network_gateway:
  description: The ExpressRoute gateway (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Its ARM id.
      type: str
    name:
      description: Its name.
      type: str
    sku:
      description: Its SKU.
      type: str
    gateway_type:
      description: Always C(ExpressRoute).
      type: str
    provisioning_state:
      description: Its provisioning state.
      type: str
ours:
  description: For each of C(resource_group), C(virtual_network), C(public_ip_address), C(virtual_network_gateway),
    whether it carries the tag C(created-by=crosscloud.interconnect) (the module created it; only those are deleted).
  returned: always
  type: dict
changes:
  description: What was (or in check mode would be) created, changed or deleted, one line each.
  returned: always
  type: list
  elements: str
removed:
  description: The ARM ids deleted (or in check mode to be deleted).
  returned: with O(state=absent)
  type: list
  elements: str
left:
  description: What was found without the tag and left in place, with why.
  returned: with O(state=absent)
  type: list
  elements: str
wait_history:
  description: The states seen while waiting for the gateway's operation, with seconds elapsed.
  returned: when the module waited
  type: list
  elements: dict
diff:
  description: The network before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

import copy

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import (
    AzureInterconnectModule,
    resource_id,
    same_id,
    with_history,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import normalize_location
from ansible_collections.crosscloud.interconnect.plugins.module_utils.greenfield import (
    EXPRESSROUTE_GATEWAY_SKUS,
    GATEWAY_PUBLIC_IP,
    NetworkRun,
    azure_network_problems,
    canonical_sku,
    is_ours,
    tags_of_created,
    zone_family_change,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending, Waiter

GATEWAY_SUBNET = "GatewaySubnet"
# Microsoft.Resources (resource groups and their resources), called through the network client's pipeline.
RESOURCES_API_VERSION = "2021-04-01"
PARTS = ("resource_group", "virtual_network", "public_ip_address", "virtual_network_gateway")


class ResourceGroups(object):
    """Resource groups through ``send_request`` of the network client (the collection needs no
    azure-mgmt-resource for three calls): get, create, list its resources, delete."""

    def __init__(self, api):
        self.api = api

    def _send(self, action, method, path, body=None):
        from azure.core.rest import HttpRequest

        request = HttpRequest(method, "/subscriptions/%s/resourcegroups/%s" % (self.api.subscription_id, path),
                              params={"api-version": RESOURCES_API_VERSION}, json=body)
        response = self.api.call(action, self.api.client.send_request, request)
        if response.status_code == 404 and method == "GET":
            return None
        self.api.call(action, response.raise_for_status)
        return response.json() if response.content else {}

    def get(self, name):
        return self._send("read resource group %s" % name, "GET", name)

    def create(self, name, location, tags):
        return self._send("create resource group %s" % name, "PUT", name, dict(location=location, tags=tags))

    def resources(self, name):
        page = self._send("list the resources of resource group %s" % name, "GET", name + "/resources") or {}
        return page.get("value") or []

    def delete(self, name, wait):
        self._send("delete resource group %s" % name, "DELETE", name)
        # ARM deletes a group in the background (202, then Deleting): read it until it is gone.
        waiter = Waiter("arm_resource", lambda: self.get(name))
        waiter.wait_as_asked(dict(wait, wait_return_after=0), ["settled"], subject="resource group %s" % name)


def network_summary(vnet):
    if not vnet:
        return {}
    properties = vnet.get("properties") or {}
    gateway_subnet = find_gateway_subnet(vnet) or {}
    return dict(id=vnet.get("id"), name=vnet.get("name"),
                address_prefixes=list((properties.get("addressSpace") or {}).get("addressPrefixes") or []),
                gateway_subnet_prefix=(gateway_subnet.get("properties") or {}).get("addressPrefix"))


def public_ip_summary(pip):
    return dict(id=pip.get("id"), name=pip.get("name")) if pip else {}


def gateway_summary(gateway):
    if not gateway:
        return {}
    properties = gateway.get("properties") or {}
    return dict(id=gateway.get("id"), name=gateway.get("name"), sku=(properties.get("sku") or {}).get("name"),
                gateway_type=properties.get("gatewayType"), provisioning_state=properties.get("provisioningState"))


def group_summary(group):
    return dict(name=group.get("name"), location=group.get("location"), created=is_ours(group.get("tags"))) \
        if group else {}


def find_gateway_subnet(vnet):
    return next((subnet for subnet in (vnet.get("properties") or {}).get("subnets") or []
                 if (subnet.get("name") or "").lower() == GATEWAY_SUBNET.lower()), None)


def gateway_subnet_of(gateway):
    """The subnet id of a gateway's (first) IP configuration."""
    for config in (gateway.get("properties") or {}).get("ipConfigurations") or []:
        return ((config.get("properties") or {}).get("subnet") or {}).get("id")
    return None


def wanted_vnet(current, params, location):
    """The virtual network body to write, or None when ``current`` already has what is asked: the prefixes it
    lacks added, the GatewaySubnet added or set to the asked prefix."""
    prefixes, subnet_prefix = params["address_prefixes"], params["gateway_subnet_prefix"]
    if current is None:
        return dict(location=location, tags=tags_of_created(params["tags"]), properties=dict(
            addressSpace=dict(addressPrefixes=list(prefixes)),
            subnets=[dict(name=GATEWAY_SUBNET, properties=dict(addressPrefix=subnet_prefix))]))
    body = copy.deepcopy(current)
    properties = body.setdefault("properties", {})
    space = properties.setdefault("addressSpace", {}).setdefault("addressPrefixes", [])
    missing = [prefix for prefix in prefixes if prefix not in space]
    space.extend(missing)
    subnet = find_gateway_subnet(body)
    if subnet is None:
        properties.setdefault("subnets", []).append(dict(name=GATEWAY_SUBNET, properties=dict(addressPrefix=subnet_prefix)))
    elif (subnet.get("properties") or {}).get("addressPrefix") != subnet_prefix:
        subnet["properties"] = dict(subnet.get("properties") or {}, addressPrefix=subnet_prefix)
        subnet["properties"].pop("addressPrefixes", None)
    else:
        subnet = True
    return body if missing or subnet is not True else None


def wanted_gateway(params, location, subnet_id, pip_id):
    sku = canonical_sku(params["gateway_sku"], EXPRESSROUTE_GATEWAY_SKUS)
    return dict(location=location, tags=tags_of_created(params["tags"]), properties=dict(
        gatewayType="ExpressRoute", sku=dict(name=sku, tier=sku),
        ipConfigurations=[dict(name="default", properties=dict(
            privateIPAllocationMethod="Dynamic", subnet=dict(id=subnet_id), publicIPAddress=dict(id=pip_id)))]))


def existing_problems(params, vnet, pip, gateway, gateway_subnet_id, pip_id):
    """Why existing resources cannot become what is asked, all at once (before any write)."""
    problems = []
    subnet = find_gateway_subnet(vnet) if vnet else None
    subnet_prefix = ((subnet or {}).get("properties") or {}).get("addressPrefix")
    if subnet and subnet_prefix != params["gateway_subnet_prefix"] and (subnet.get("properties") or {}).get(
            "ipConfigurations"):
        problems.append("the GatewaySubnet of virtual network %s is %s, not gateway_subnet_prefix %s, and holds a "
                        "gateway, so it cannot change" % (params["virtual_network"], subnet_prefix,
                                                          params["gateway_subnet_prefix"]))
    if pip:
        sku = (pip.get("sku") or {}).get("name") or "Basic"
        if sku != GATEWAY_PUBLIC_IP["sku"]:
            problems.append("public IP address %s is of the %s SKU; Azure accepts only a %s one on an ExpressRoute "
                            "gateway: choose another public_ip_address" % (pip["name"], sku, GATEWAY_PUBLIC_IP["sku"]))
        config = ((pip.get("properties") or {}).get("ipConfiguration") or {}).get("id")
        if config and not (gateway and config.lower().startswith(gateway["id"].lower() + "/")):
            problems.append("public IP address %s is in use by %s; choose another public_ip_address" % (pip["name"],
                                                                                                        config))
    if gateway:
        summary = gateway_summary(gateway)
        if (summary["gateway_type"] or "").lower() != "expressroute":
            problems.append("virtual network gateway %s is a %s gateway (SKU %s), not an ExpressRoute one; choose "
                            "another virtual_network_gateway" % (gateway["name"], summary["gateway_type"],
                                                                 summary["sku"]))
        else:
            family = zone_family_change(summary["sku"], params["gateway_sku"])
            if family:
                problems.append("virtual network gateway %s: %s" % (gateway["name"], family))
        if not same_id(gateway_subnet_of(gateway), gateway_subnet_id):
            problems.append("virtual network gateway %s is in subnet %s, not in the GatewaySubnet of virtual network "
                            "%s" % (gateway["name"], gateway_subnet_of(gateway), params["virtual_network"]))
    return problems


class AzureNetwork(NetworkRun):
    """One run of the module: reads the four resources, then makes them as asked (or deletes ours)."""

    def __init__(self, module):
        super(AzureNetwork, self).__init__(module)
        self.groups = ResourceGroups(module.api)
        self.settle_history = []

    # ---- reads ------------------------------------------------------------------------------------------

    def read_all(self):
        params = self.params
        self.group = self.groups.get(params["resource_group"])
        self.vnet = self.pip = self.gateway = None
        if self.group is None:
            return
        group = params["resource_group"]
        for attribute, subject, operations, name in (
                ("vnet", "virtual network", self.client.virtual_networks, params["virtual_network"]),
                ("pip", "public IP address", self.client.public_ip_addresses, params["public_ip_address"]),
                ("gateway", "virtual network gateway", self.client.virtual_network_gateways,
                 params["virtual_network_gateway"])):
            read = self.reader(subject, operations, group, name)
            current, history = self.module.read_settled(read, "%s %s" % (subject, name))
            self.settle_history.extend(history)
            setattr(self, attribute, current)

    def reader(self, subject, operations, group, name):
        return lambda: self.api.get_or_none("read %s %s" % (subject, name), operations.get, group, name)

    def ids(self):
        params = self.params
        subscription = self.api.subscription_id
        vnet_id = resource_id(subscription, params["resource_group"], "virtualNetworks", params["virtual_network"])
        return (vnet_id + "/subnets/" + GATEWAY_SUBNET,
                resource_id(subscription, params["resource_group"], "publicIPAddresses", params["public_ip_address"]))

    def summaries(self):
        return dict(resource_group=group_summary(self.group), virtual_network=network_summary(self.vnet),
                    public_ip_address=public_ip_summary(self.pip), virtual_network_gateway=gateway_summary(self.gateway),
                    ours=dict((part, bool(resource) and is_ours(resource.get("tags"))) for part, resource in zip(
                        PARTS, (self.group, self.vnet, self.pip, self.gateway))))

    # ---- writes -----------------------------------------------------------------------------------------

    def write(self, what, operations, name, body):
        """Create or update ``name`` and wait for it (short operations: the whole wait in this call)."""
        self.note(what)
        if self.module.check_mode:
            return body
        wait = dict(self.module.wait_options, wait_for=["succeeded"], wait_return_after=0)
        return self.api.run_lro(what, operations.begin_create_or_update, self.params["resource_group"], name, body,
                                wait=wait)[0]

    def present(self):
        params = self.params
        location = normalize_location(params["location"])
        gateway_subnet_id, pip_id = self.ids()
        problems = existing_problems(params, self.vnet, self.pip, self.gateway, gateway_subnet_id, pip_id)
        if problems:
            raise InterconnectError("The existing network cannot become the one asked: %s" % "; ".join(problems))
        before = self.summaries()
        if self.group is None:
            self.note("create resource group %s" % params["resource_group"])
            self.group = dict(name=params["resource_group"], location=location, tags=tags_of_created(params["tags"]))
            if not self.module.check_mode:
                self.group = self.groups.create(params["resource_group"], location, tags_of_created(params["tags"]))
        vnet_body = wanted_vnet(self.vnet, params, location)
        if vnet_body is not None:
            self.vnet = self.write("%s virtual network %s" % ("update" if self.vnet else "create",
                                                              params["virtual_network"]),
                                   self.client.virtual_networks, params["virtual_network"], vnet_body)
        if self.pip is None:
            self.pip = self.write("create public IP address %s" % params["public_ip_address"],
                                  self.client.public_ip_addresses, params["public_ip_address"], dict(
                                      location=location, tags=tags_of_created(params["tags"]),
                                      sku=dict(name=GATEWAY_PUBLIC_IP["sku"], tier="Regional"),
                                      properties=dict(publicIPAllocationMethod=GATEWAY_PUBLIC_IP["allocation"])))
            self.pip.setdefault("name", params["public_ip_address"])
        self.ensure_gateway(location, gateway_subnet_id, pip_id, before)
        return self.finish(before, self.params["virtual_network"])

    def ensure_gateway(self, location, gateway_subnet_id, pip_id, before):
        params = self.params
        name = params["virtual_network_gateway"]
        if self.gateway is None:
            body = wanted_gateway(params, location, gateway_subnet_id, pip_id)
            what = "create virtual network gateway %s (%s)" % (name, body["properties"]["sku"]["name"])
        else:
            sku = canonical_sku(params["gateway_sku"], EXPRESSROUTE_GATEWAY_SKUS)
            if gateway_summary(self.gateway)["sku"].lower() == sku.lower():
                return
            body = copy.deepcopy(self.gateway)
            body["properties"]["sku"] = dict(name=sku, tier=sku)
            what = "resize virtual network gateway %s from %s to %s" % (name, gateway_summary(self.gateway)["sku"], sku)
        self.note(what)
        if self.module.check_mode:
            self.gateway = dict(body, name=name)
            return
        try:
            self.gateway, history = self.api.run_lro(what, self.client.virtual_network_gateways.begin_create_or_update,
                                                     params["resource_group"], name, body, wait=self.module.wait_options)
        except WaitPending as pending:
            raise pending.carrying(changes=self.changes, **self.summaries())
        self.history.extend(history)

    def absent(self):
        params = self.params
        before = self.summaries()
        removed, left = [], []
        self.result.update(removed=removed, left=left)
        group = params["resource_group"]
        for attribute, subject, operations, name in (
                ("gateway", "virtual network gateway", self.client.virtual_network_gateways,
                 params["virtual_network_gateway"]),
                ("pip", "public IP address", self.client.public_ip_addresses, params["public_ip_address"]),
                ("vnet", "virtual network", self.client.virtual_networks, params["virtual_network"])):
            current = getattr(self, attribute)
            if current is None:
                continue
            if not is_ours(current.get("tags")):
                left.append("%s %s (not created by the collection: no created-by tag)" % (subject, name))
                continue
            self.delete(subject, operations, group, name, current["id"], removed)
            setattr(self, attribute, None)
        if self.group is not None:
            self.delete_group(removed, left)
        return self.finish(before, self.params["virtual_network"])

    def delete(self, subject, operations, group, name, resource_id_, removed):
        what = "delete %s %s" % (subject, name)
        self.note(what)
        removed.append(resource_id_)
        if self.module.check_mode:
            return
        wait = self.module.wait_options if subject == "virtual network gateway" else \
            dict(self.module.wait_options, wait_for=["succeeded"], wait_return_after=0)
        try:
            history = self.api.run_lro(what, operations.begin_delete, group, name, wait=wait,
                                       on_refusal=self.explain_refused_delete(subject, name))[1]
        except WaitPending as pending:
            raise pending.carrying(changes=self.changes, removed=removed, **self.summaries())
        self.history.extend(history)

    def explain_refused_delete(self, subject, name):
        def explain(error):
            if subject == "virtual network gateway":
                raise InterconnectError(
                    "Azure refused to delete virtual network gateway %s, which still has a connection (%s): tear the "
                    "interconnect down first (its gateway connection), then delete the network" % (
                        name, getattr(getattr(error, "error", None), "message", None) or error))
            return False
        return explain

    def delete_group(self, removed, left):
        name = self.params["resource_group"]
        if not is_ours(self.group.get("tags")):
            left.append("resource group %s (not created by the collection: no created-by tag)" % name)
            return
        remaining = [resource["id"] for resource in self.groups.resources(name)
                     if not any(same_id(resource["id"], gone) for gone in removed)]
        if remaining:
            left.append("resource group %s (created by the collection, but it still holds %s)" % (
                name, ", ".join(remaining)))
            return
        self.note("delete resource group %s" % name)
        removed.append(self.group.get("id") or name)
        if not self.module.check_mode:
            self.groups.delete(name, self.module.wait_options)
        self.group = None


def main():
    module = AzureInterconnectModule(
        argument_spec=dict(
            resource_group=dict(type="str", required=True),
            location=dict(type="str", required=True),
            virtual_network=dict(type="str", required=True),
            address_prefixes=dict(type="list", elements="str"),
            gateway_subnet_prefix=dict(type="str"),
            virtual_network_gateway=dict(type="str", required=True),
            gateway_sku=dict(type="str", default="UltraPerformance"),
            public_ip_address=dict(type="str"),
            tags=dict(type="dict"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        wait_choices=["succeeded"], wait_default=["succeeded"], wait_splits=True,
        required_if=[("state", "present", ("address_prefixes", "gateway_subnet_prefix"))],
        supports_check_mode=True,
    )
    params = module.params
    params["public_ip_address"] = params["public_ip_address"] or "%s-pip" % params["virtual_network_gateway"]
    if params["state"] == "present":
        problems = azure_network_problems(params["address_prefixes"], params["gateway_subnet_prefix"],
                                          params["gateway_sku"])
        if problems:
            module.fail_json(msg="Invalid network settings: %s" % "; ".join(problems), problems=problems)
    try:
        network = AzureNetwork(module)
        network.read_all()
        result = network.present() if params["state"] == "present" else network.absent()
        result = with_history(network.settle_history, result)
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
