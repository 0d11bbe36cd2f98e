# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The floor of the interconnect bench: one interconnect converged by a single Python process.

    python bench/sdk_floor.py '<interconnect as JSON>'

The interconnect is one inventory host's variables (group variables merged in). The environment
points the SDKs at the cloud (cloudsim's ``env``) and PYTHONPATH holds a directory with
``ansible_collections/crosscloud/interconnect``, because the clients come from the collection's own
module_utils: the same credential, retry policy, LRO polling and poll interval as the modules.

It does the least the role has to do: one read of each resource to find its state, a write only
where something is missing, and the waits the clouds impose. Run again, it only reads. Prints one
JSON line: what it changed.
"""

import json
import os
import sys

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import AZURE_AUTH_SPEC, AzureApi
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    FastConnectProviders,
    OciApi,
    oci_argument_spec,
    sdk,
    to_plain,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import check_plan
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import rule_name

AZURE_PROVIDER = "Oracle Cloud FastConnect"
WAIT_FOR_BGP = dict(wait_for=["bgp_up"], wait_timeout=1800, wait_interval=1.0)
OCI_PROVIDER = "Microsoft Azure"


class Floor(object):
    """One interconnect's converge with an Azure and an OCI client, recording what it changed."""

    def __init__(self, host):
        self.host = host
        self.changed = []
        # The modules' own API layers (clients, error handling, LRO polling, waiter), built from the
        # environment as the modules' options fall back to it, without a module process per step.
        self.azure = AzureApi(from_environment(AZURE_AUTH_SPEC))
        sdk()
        self.oci = OciApi(dict(from_environment(oci_argument_spec()), region=host["interconnect_oci_region"]))
        self.network = self.azure.client
        self.core = self.oci.client
        self.resource_group = host["interconnect_azure_resource_group"]
        self.circuit_name = host["interconnect_azure_circuit_name"]
        self.marker = "interconnect-%s" % self.circuit_name

    # -- preflight ---------------------------------------------------------------------------------

    def plan(self):
        """Read the VNet, gateway, VCN and DRG attachment once; the plan as the role derives it."""
        host = self.host
        vnet = self.azure.get_or_none("read the VNet", self.network.virtual_networks.get, self.resource_group,
                                      host["interconnect_azure_vnet_name"])
        gateway = self.azure.get_or_none("read the gateway", self.network.virtual_network_gateways.get,
                                         self.resource_group, host["interconnect_azure_gateway_name"])
        vcn = self.oci.call("read the VCN", self.core.get_vcn, host["interconnect_oci_vcn_id"])
        attachments = self.oci.list_all("list the DRG attachments", self.core.list_drg_attachments,
                                        vcn.compartment_id, vcn_id=vcn.id)
        attached = [item for item in attachments
                    if item.drg_id == host["interconnect_oci_drg_id"] and item.lifecycle_state == "ATTACHED"]
        if gateway["properties"]["gatewayType"] != "ExpressRoute" or not attached:
            raise InterconnectError("the gateway or the DRG attachment cannot carry the interconnect")
        subnets = vnet["properties"]["subnets"]
        plan, problems = check_plan(
            azure_vnet_cidrs=vnet["properties"]["addressSpace"]["addressPrefixes"],
            oci_vcn_cidrs=vcn.cidr_blocks, bgp_cidr=host["interconnect_bgp_cidr"],
            gateway_subnet_cidr=next(s["properties"]["addressPrefix"] for s in subnets if s["name"] == "GatewaySubnet"),
            azure_region=host["interconnect_azure_location"], oci_region=host["interconnect_oci_region"],
            peering_location=host["interconnect_azure_peering_location"],
            bandwidth_gbps=host["interconnect_bandwidth_gbps"])
        if problems:
            raise InterconnectError("plan problems", problems=problems)
        return plan, gateway

    # -- circuits ----------------------------------------------------------------------------------

    def circuit(self, plan):
        circuits = self.network.express_route_circuits
        current = self.azure.get_or_none("read the circuit", circuits.get, self.resource_group, self.circuit_name)
        if current:
            return current
        tier, family = self.host["interconnect_azure_sku_tier"], self.host["interconnect_azure_sku_family"]
        body = dict(location=plan["azure_region"], sku=dict(name="%s_%s" % (tier, family), tier=tier, family=family),
                    properties=dict(serviceProviderProperties=dict(
                        serviceProviderName=AZURE_PROVIDER, peeringLocation=plan["peering_location"],
                        bandwidthInMbps=plan["bandwidth_mbps"])))
        self.changed.append("circuit")
        return self.azure.run_lro("create the circuit", circuits.begin_create_or_update, self.resource_group,
                                  self.circuit_name, body)[0]

    def virtual_circuit(self, plan, service_key):
        """The virtual circuit, created when missing and awaited until PROVISIONED with BGP UP."""
        from oci.core.models import CreateVirtualCircuitDetails, CrossConnectMapping

        compartment_id = self.host["interconnect_oci_compartment_id"]
        found = self.oci.list_all("list the virtual circuits", self.core.list_virtual_circuits, compartment_id,
                                  display_name=self.circuit_name)
        live = [item for item in found if item.lifecycle_state != "TERMINATED"]
        if live:
            return to_plain(live[0])
        provider = FastConnectProviders(self.oci).find(compartment_id, provider_name=OCI_PROVIDER)
        details = CreateVirtualCircuitDetails(
            type="PRIVATE", compartment_id=compartment_id, display_name=self.circuit_name,
            provider_service_id=provider["id"], provider_service_key_name=service_key,
            gateway_id=self.host["interconnect_oci_drg_id"], bandwidth_shape_name=plan["bandwidth_shape_name"],
            cross_connect_mappings=[CrossConnectMapping(**mapping) for mapping in plan["oci_cross_connect_mappings"]],
            ip_mtu="MTU_%d" % plan["mtu"])
        created = self.oci.call("create the virtual circuit", self.core.create_virtual_circuit, details,
                                opc_retry_token=self.oci.retry_token)
        self.changed.append("virtual circuit")
        # The create answer is the first state seen: no GET for it.
        circuit, dummy = self.oci.wait_for_virtual_circuit(created.id, WAIT_FOR_BGP, first=to_plain(created))
        return circuit

    def check_peering(self, circuit, plan):
        peerings = circuit["properties"].get("peerings") or []
        wanted = plan["azure_private_peering"]
        if not any(peering["properties"].get("primaryPeerAddressPrefix") == wanted["primary_peer_address_prefix"]
                   for peering in peerings):
            raise InterconnectError("the private peering does not carry the plan's /30s", peerings=peerings)

    def connection(self, gateway, circuit):
        connections = self.network.virtual_network_gateway_connections
        name = "%s-connection" % self.circuit_name
        if self.azure.get_or_none("read the connection", connections.get, self.resource_group, name):
            return
        body = dict(location=gateway["location"], properties=dict(
            connectionType="ExpressRoute", virtualNetworkGateway1=dict(id=gateway["id"]), peer=dict(id=circuit["id"]),
            routingWeight=0))
        self.changed.append("connection")
        self.azure.run_lro("create the connection", connections.begin_create_or_update, self.resource_group, name,
                           body)

    # -- rules ---------------------------------------------------------------------------------------

    def nsg_rules(self, plan):
        groups = self.network.network_security_groups
        for group_name in self.host["interconnect_azure_nsg_names"]:
            group = self.azure.get_or_none("read the NSG", groups.get, self.resource_group, group_name)
            rules = group["properties"].get("securityRules") or []
            names = set(rule["name"] for rule in rules)
            priorities = set(rule["properties"]["priority"] for rule in rules)
            free = (priority for priority in range(1000, 2000) if priority not in priorities)
            added = [nsg_rule(self.marker, direction, cidr, next(free))
                     for cidr in plan["oci_vcn_cidrs"] for direction in ("Inbound", "Outbound")
                     if rule_name(self.marker + "-", direction, cidr) not in names]
            if added:
                group["properties"]["securityRules"] = rules + added
                self.changed.append("NSG %s" % group_name)
                self.azure.run_lro("update the NSG", groups.begin_create_or_update, self.resource_group, group_name,
                                   group, headers={"If-Match": group["etag"]})

    def route_rules(self, plan):
        from oci.core.models import RouteRule, UpdateRouteTableDetails

        drg_id = self.host["interconnect_oci_drg_id"]
        for table_id in self.host["interconnect_oci_route_table_ids"]:
            answer = self.oci.call_response("read the route table", self.core.get_route_table, table_id)
            rules = answer.data.route_rules
            routed = set(rule.destination for rule in rules if rule.network_entity_id == drg_id)
            added = [RouteRule(destination=cidr, destination_type="CIDR_BLOCK", network_entity_id=drg_id,
                               description=self.marker) for cidr in plan["azure_vnet_cidrs"] if cidr not in routed]
            if added:
                self.changed.append("route table %s" % table_id)
                self.oci.call("update the route table", self.core.update_route_table, table_id,
                              UpdateRouteTableDetails(route_rules=rules + added), if_match=answer.headers["etag"])

    def security_rules(self, plan):
        from oci.core.models import IngressSecurityRule, UpdateSecurityListDetails

        for list_id in self.host["interconnect_oci_security_list_ids"]:
            answer = self.oci.call_response("read the security list", self.core.get_security_list, list_id)
            rules = answer.data.ingress_security_rules
            allowed = set(rule.source for rule in rules if rule.protocol == "all")
            added = [IngressSecurityRule(source=cidr, source_type="CIDR_BLOCK", protocol="all", is_stateless=False,
                                         description=self.marker)
                     for cidr in plan["azure_vnet_cidrs"] if cidr not in allowed]
            if added:
                self.changed.append("security list %s" % list_id)
                self.oci.call("update the security list", self.core.update_security_list, list_id,
                              UpdateSecurityListDetails(ingress_security_rules=rules + added),
                              if_match=answer.headers["etag"])

    # -- the whole sequence ----------------------------------------------------------------------

    def converge(self):
        plan, gateway = self.plan()
        circuit = self.circuit(plan)
        virtual_circuit = self.virtual_circuit(plan, circuit["properties"]["serviceKey"])
        if not (circuit["properties"].get("peerings") or []):
            # New circuit: the provider made the peering when the virtual circuit was provisioned.
            circuit = self.azure.get_or_none("read the circuit", self.network.express_route_circuits.get,
                                             self.resource_group, self.circuit_name)
        self.check_peering(circuit, plan)
        self.connection(gateway, circuit)
        self.nsg_rules(plan)
        self.route_rules(plan)
        self.security_rules(plan)
        return dict(changed=self.changed, bgp_session_state=virtual_circuit["bgp_session_state"])


def from_environment(spec):
    """The options of ``spec`` as their environment fallbacks give them: what a module gets without arguments."""
    return dict((option, next((os.environ[name] for name in details["fallback"][1] if name in os.environ), None))
                for option, details in spec.items() if "fallback" in details)


def nsg_rule(marker, direction, cidr, priority):
    inbound = direction == "Inbound"
    return dict(name=rule_name(marker + "-", direction, cidr), properties=dict(
        protocol="*", access="Allow", direction=direction, priority=priority, sourcePortRange="*",
        destinationPortRange="*", sourceAddressPrefix=cidr if inbound else "VirtualNetwork",
        destinationAddressPrefix="VirtualNetwork" if inbound else cidr))


def main():
    print(json.dumps(Floor(json.loads(sys.argv[1])).converge()))


if __name__ == "__main__":
    main()
