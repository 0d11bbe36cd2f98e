#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: interconnect_plan
short_description: Check and derive the address plan of an Azure <-> OCI interconnect
version_added: 0.1.0
description:
  - Validates the addressing of one Azure ExpressRoute <-> OCI FastConnect interconnect and derives
    every value the other modules need from it (the two /30 BGP sessions, the Azure private peering
    prefixes, the OCI cross-connect mappings, the bandwidth shape, ASNs and MTU).
  - Optionally checks that no two interconnects of an inventory use the same or overlapping /29s.
  - Reports B(every) problem at once, each naming the field and its value, rather than stopping at
    the first.
  - Reads nothing from the clouds and changes nothing; the result is always C(changed=false).
  - Runs on the controller, whatever the host (its action plugin calls the same checks), since a pure
    computation needs no module process.
author:
  - crosscloud.interconnect contributors (@crosscloud)
requirements:
  - netaddr
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.attributes.controller
options:
  azure_vnet_cidrs:
    description:
      - Address prefixes of the Azure virtual network (VNet) that holds the ExpressRoute gateway.
      - None of them may overlap an OCI VCN CIDR or O(bgp_cidr).
    type: list
    elements: str
    required: true
  oci_vcn_cidrs:
    description:
      - CIDR blocks of the OCI virtual cloud network (VCN) attached to the DRG.
      - None of them may overlap an Azure VNet CIDR or O(bgp_cidr).
    type: list
    elements: str
    required: true
  bgp_cidr:
    description:
      - The private /29 that carries the two BGP sessions. Its first /30 is the primary session, the
        second /30 the secondary; in each, the first usable address is Oracle's and the second Azure's.
      - Must be exactly a /29 on an 8-address boundary, in RFC 1918 or RFC 6598 (100.64.0.0/10) space,
        and disjoint from every VNet and VCN CIDR.
    type: str
    required: true
  gateway_subnet_cidr:
    description:
      - CIDR of the VNet's C(GatewaySubnet). Must be /27 or larger and inside one of O(azure_vnet_cidrs).
      - Not set is a problem (a VNet without a GatewaySubnet), listed with the others.
    type: str
  bandwidth_gbps:
    description:
      - Circuit bandwidth in Gbps, the same on both clouds. One of V(1), V(2), V(5), V(10).
      - Exactly one of O(bandwidth_gbps) and O(bandwidth_mbps) is required; neither is a problem listed with the
        others.
    type: int
  bandwidth_mbps:
    description:
      - Circuit bandwidth in Mbps, as Azure writes it. One of V(1000), V(2000), V(5000), V(10000).
    type: int
  azure_region:
    description:
      - Azure region of the VNet, for example V(eastus). Matched case-insensitively and ignoring
        spaces, so V(East US) works too.
    type: str
    required: true
  oci_region:
    description:
      - OCI region of the VCN, for example V(us-ashburn-1). Matched case-insensitively.
    type: str
    required: true
  peering_location:
    description:
      - ExpressRoute peering location of the circuit, for example V(Washington DC). It must be one of
        the locations of the O(azure_region) / O(oci_region) pair. Matched case-insensitively; the plan
        returns the table's spelling.
    type: str
    required: true
  region_pairs:
    description:
      - Region pairs to add to the built-in table, or to override entries of it.
      - An entry replaces the built-in entry with the same O(region_pairs[].oci_region) and
        O(region_pairs[].azure_region), so list all of its peering locations.
      - The built-in table holds the pairs documented by Oracle and Microsoft (for example
        V(us-ashburn-1) / V(eastus) / V(Washington DC), V(Washington DC2)).
    type: list
    elements: dict
    default: []
    suboptions:
      oci_region:
        description: OCI region name.
        type: str
        required: true
      azure_region:
        description: Azure region name.
        type: str
        required: true
      peering_locations:
        description: ExpressRoute peering locations that serve this pair.
        type: list
        elements: str
        required: true
  region_pairs_replace:
    description:
      - Use O(region_pairs) instead of the built-in table rather than merged over it.
    type: bool
    default: false
  gateway_sku:
    description:
      - SKU of an ExpressRoute gateway to be created (C(interconnect_azure_gateway_sku) of the role); a SKU that is
        not an ExpressRoute gateway's (a VPN SKU such as V(VpnGw1), or an unknown one) is a problem.
    type: str
    version_added: 1.4.0
  create_networks:
    description:
      - The networks (VNet, GatewaySubnet and ExpressRoute gateway; VCN and DRG) are to be created after this check
        (C(interconnect_create_networks) of the role) with O(azure_vnet_cidrs), O(gateway_subnet_cidr) and
        O(oci_vcn_cidrs), which the plan checks as for existing networks.
      - A VNet or gateway that O(azure_network) could not read is then no problem, and a network not read yet
        is not judged (gateway type and place, DRG attachment); ones that exist are. The OCI ids among O(inputs)
        are the network step's results, not inputs.
    type: bool
    default: false
    version_added: 1.4.0
  inventory_bgp_cidrs:
    description:
      - The /29 of every interconnect of the inventory, by interconnect name. When given, the module
        also fails if two of them are the same or overlap, naming both interconnects.
      - Checked by sort and sweep, so tens of thousands of entries take a fraction of a second.
    type: dict
  interconnect_name:
    description:
      - Name of this interconnect in O(inventory_bgp_cidrs). When set, its entry is taken from
        O(bgp_cidr) and only the conflicts that involve this interconnect are reported, so each host
        of a play fails for its own conflicts only.
    type: str
  group:
    description:
      - The interconnect group this interconnect (O(interconnect_name)) is a member of - interconnects in the two
        peering locations of one metro that share the ExpressRoute gateway and VNet, the DRG and VCN.
      - The module fails, with the other problems, when another member names another region, resource group, VNet,
        gateway, VCN or DRG, uses the same peering location, one that is not the other location of this region
        pair's metro, or the same or an overlapping /29 (checked with O(inventory_bgp_cidrs)); it warns when the
        bandwidths differ.
    type: dict
    version_added: 1.4.0
    suboptions:
      name:
        description: The group's name (the role's C(interconnect_group)).
        type: str
        required: true
      members:
        description:
          - Every member by name (this one's entry may be empty, its values are the module's own), each with the
            role's variables C(interconnect_azure_location), C(interconnect_oci_region),
            C(interconnect_azure_resource_group), C(interconnect_azure_vnet_name), C(interconnect_azure_gateway_name),
            C(interconnect_oci_vcn_id), C(interconnect_oci_drg_id), C(interconnect_azure_peering_location),
            C(interconnect_bgp_cidr), C(interconnect_bandwidth_gbps) and C(interconnect_azure_circuit_name).
        type: dict
        required: true
  azure_network:
    description:
      - The result of M(crosscloud.interconnect.azure_network_info) for this interconnect (VNet, gateway,
        NSGs, gateway connection and circuit read). With O(oci_network) and O(expected), the module also
        checks what was read (gateway type, DRG attachment, route tables and security lists in the VCN)
        and returns RV(drift).
    type: dict
    version_added: 1.1.0
  oci_network:
    description: The result of M(crosscloud.interconnect.oci_network_info) for this interconnect (VCN, DRG
      attachment, route tables, security lists and virtual circuit read).
    type: dict
    version_added: 1.1.0
  inputs:
    description:
      - The interconnect role's variables by name (C(interconnect_azure_circuit_name), C(interconnect_oci_vcn_id),
        ...), checked against what the clouds refuse before anything is written - empty or null values, Azure's
        naming rules per resource type, OCI display-name lengths, OCIDs of the wrong type or of another region than
        C(interconnect_oci_region), the wait timeout, peer ASN and VLAN ranges, the rule prefix, and SKU tier and
        family combinations. Each problem names the variable and its value.
      - With O(azure_network) and O(oci_network) read with C(collect_problems), their failed reads are problems
        of the same list, named by the variable behind the option; the VNet's and gateway's region and the
        gateway's place in the VNet are checked too.
    type: dict
    version_added: 1.2.0
  argument_problems:
    description:
      - Problems the interconnect role's own check of its variables found (the C(problems) of the
        P(crosscloud.interconnect.argument_check#filter) filter), each with C(field) (the variable), C(value) and
        C(message). They come first in the refusal; the role passes such a variable on empty or not at all, and
        what the other checks say of it is left out, so that each variable is named once.
    type: list
    elements: dict
    default: []
    version_added: 1.3.0
  report_dir:
    description:
      - The directory the reports will be written to (C(interconnect_report_dir)); a problem when neither it nor
        its nearest existing parent is a directory the controller can write. Checked by the action on the
        controller only.
    type: path
    version_added: 1.2.0
  expected:
    description: What the interconnect owns and relies on, to judge the reads against.
    type: dict
    version_added: 1.1.0
    suboptions:
      gateway_name:
        description: The ExpressRoute gateway's name (interconnect_azure_gateway_name).
        type: str
        required: true
      vcn_id:
        description: The VCN's OCID.
        type: str
        required: true
      drg_id:
        description: The DRG's OCID, which must be attached to the VCN and is the route rules' target.
        type: str
        required: true
      route_table_ids:
        description: Route tables that carry this interconnect's route rules.
        type: list
        elements: str
        default: []
      security_list_ids:
        description: Security lists that carry this interconnect's security rules.
        type: list
        elements: str
        default: []
      rule_marker:
        description: The marker (and, with a C(-), the NSG rule name prefix) of this interconnect's rules.
        type: str
        required: true
      circuit:
        description: The ExpressRoute circuit's settings.
        type: dict
        required: true
        suboptions:
          location:
            description: Azure region.
            type: str
            required: true
          peering_location:
            description: ExpressRoute peering location.
            type: str
            required: true
          sku_tier:
            description: SKU tier.
            type: str
            required: true
          sku_family:
            description: SKU family.
            type: str
            required: true
          service_provider_name:
            description: The provider.
            type: str
            default: Oracle Cloud FastConnect
notes:
  - IPv6 is not supported over the interconnect; IPv6 CIDRs are reported as problems.
seealso:
  - name: Access to Microsoft Azure (Oracle Cloud Infrastructure documentation)
    description: How the interconnect is set up and which regions support it.
    link: https://docs.oracle.com/en-us/iaas/Content/Network/Concepts/azure.htm
"""

EXAMPLES = r"""
- name: Check the plan and derive the BGP addressing
  crosscloud.interconnect.interconnect_plan:
    azure_vnet_cidrs: [10.10.0.0/16]
    oci_vcn_cidrs: [10.20.0.0/16]
    bgp_cidr: 10.255.0.0/29
    gateway_subnet_cidr: 10.10.255.0/27
    bandwidth_gbps: 1
    azure_region: eastus
    oci_region: us-ashburn-1
    peering_location: Washington DC
  register: interconnect

- name: Use the derived values
  ansible.builtin.debug:
    msg: "Oracle BGP {{ interconnect.plan.primary.oracle_bgp_ip }}, shape {{ interconnect.plan.bandwidth_shape_name }}"

- name: Check every host's plan, and that no two hosts share a /29
  crosscloud.interconnect.interconnect_plan:
    azure_vnet_cidrs: "{{ azure_vnet_cidrs }}"
    oci_vcn_cidrs: "{{ oci_vcn_cidrs }}"
    bgp_cidr: "{{ bgp_cidr }}"
    gateway_subnet_cidr: "{{ gateway_subnet_cidr }}"
    bandwidth_gbps: "{{ bandwidth_gbps }}"
    azure_region: "{{ azure_region }}"
    oci_region: "{{ oci_region }}"
    peering_location: "{{ peering_location }}"
    interconnect_name: "{{ inventory_hostname }}"
    inventory_bgp_cidrs: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'bgp_cidr'))) }}"

- name: Use a pair the built-in table does not know yet
  crosscloud.interconnect.interconnect_plan:
    azure_vnet_cidrs: [10.10.0.0/16]
    oci_vcn_cidrs: [10.20.0.0/16]
    bgp_cidr: 10.255.0.8/29
    gateway_subnet_cidr: 10.10.255.0/27
    bandwidth_gbps: 10
    azure_region: eastus2
    oci_region: us-ashburn-1
    peering_location: Washington DC
    region_pairs:
      - oci_region: us-ashburn-1
        azure_region: eastus2
        peering_locations: [Washington DC, Washington DC2]

- name: Report every problem without failing the play
  crosscloud.interconnect.interconnect_plan:
    azure_vnet_cidrs: [10.10.0.0/16]
    oci_vcn_cidrs: [10.10.128.0/17]
    bgp_cidr: 8.8.8.0/29
    gateway_subnet_cidr: 10.10.255.0/28
    bandwidth_gbps: 3
    azure_region: westeurope
    oci_region: us-ashburn-1
    peering_location: Tokyo
  register: check
  failed_when: false

- name: Show them
  ansible.builtin.debug:
    msg: "{{ check.problems | map(attribute='message') | list }}"
"""

RETURN = r"""
drift:
  description:
    - Every way the interconnect differs from what a converge makes it (states, settings of the circuit and
      virtual circuit, the peering, the gateway connection and this interconnect's rules on both sides), one
      sentence each naming the resource; empty when there is nothing to do.
  returned: when O(azure_network), O(oci_network) and O(expected) are given and there are no problems
  type: list
  elements: str
  version_added: 1.1.0
pending:
  description:
    - What a converge must run to repair RV(drift).
    - C(links) (bool) for the circuit, virtual circuit, peering and gateway connection steps, which depend on each
      other; C(nsg_names) the NSGs whose rules differ; C(route_rules) and C(security_rules) (bools).
  returned: with RV(drift)
  type: dict
  version_added: 1.1.0
routes:
  description:
    - What each side learns over BGP, judged, when O(azure_network) and O(oci_network) hold the learned routes
      (C(learned_routes) of M(crosscloud.interconnect.azure_network_info) and M(crosscloud.interconnect.oci_network_info));
      null otherwise.
    - Its C(problems) (an OCI VCN CIDR not learned on a path of the circuit, an Azure VNet CIDR not learned over the
      virtual circuit's DRG attachment, a default route, a prefix overlapping the learner's own CIDRs) are in RV(drift)
      too; no converge step repairs them.
  returned: with RV(drift)
  type: dict
  version_added: 1.3.0
  contains:
    azure:
      description: The prefixes the circuit learns from OCI (AS path ending in 31898), by device path.
      type: dict
      sample: {"primary": ["10.20.0.0/16"], "secondary": ["10.20.0.0/16"]}
    oci:
      description: The prefixes the DRG route table of the VCN's attachment learns over the virtual circuit's attachment.
      type: list
      elements: str
      sample: ["10.10.0.0/16"]
    unexpected:
      description: Other learned prefixes, reported but not judged a problem, each with its side.
      type: list
      elements: str
      sample: ["OCI: 192.168.0.0/24"]
    problems:
      description: What is wrong with the learned routes, one sentence each.
      type: list
      elements: str
plan:
  description: The derived plan. Addresses are normalized (for example C(10.10.0.0/16)).
  returned: success
  type: dict
  contains:
    bgp_cidr:
      description: The /29 of the two BGP sessions.
      type: str
      sample: 10.255.0.0/29
    primary:
      description: The primary BGP session, on the first /30 of O(bgp_cidr).
      type: dict
      contains:
        peer_cidr:
          description: The /30 of the session.
          type: str
          sample: 10.255.0.0/30
        oracle_bgp_ip:
          description: Oracle's BGP address, the first usable address of the /30.
          type: str
          sample: 10.255.0.1
        azure_bgp_ip:
          description: Azure's BGP address, the second usable address of the /30.
          type: str
          sample: 10.255.0.2
    secondary:
      description: The secondary BGP session, on the second /30 of O(bgp_cidr); same keys as RV(plan.primary).
      type: dict
      sample: {peer_cidr: 10.255.0.4/30, oracle_bgp_ip: 10.255.0.5, azure_bgp_ip: 10.255.0.6}
    azure_private_peering:
      description: The Azure circuit's private peering values (C(primaryPeerAddressPrefix) and
        C(secondaryPeerAddressPrefix) in the ARM API).
      type: dict
      contains:
        peering_type:
          description: The peering type.
          type: str
          sample: AzurePrivatePeering
        peer_asn:
          description: The peer ASN as Azure sees it (Oracle's).
          type: int
          sample: 31898
        primary_peer_address_prefix:
          description: C(primaryPeerAddressPrefix), the first /30 of RV(plan.bgp_cidr).
          type: str
          sample: 10.255.0.0/30
        secondary_peer_address_prefix:
          description: C(secondaryPeerAddressPrefix), the second /30 of RV(plan.bgp_cidr).
          type: str
          sample: 10.255.0.4/30
    oci_cross_connect_mappings:
      description: The OCI virtual circuit's C(cross_connect_mappings), primary first, addresses with the /30 suffix.
      type: list
      elements: dict
      contains:
        oracle_bgp_peering_ip:
          description: Oracle's BGP address with the /30 suffix.
          type: str
          sample: 10.255.0.1/30
        customer_bgp_peering_ip:
          description: Azure's BGP address with the /30 suffix.
          type: str
          sample: 10.255.0.2/30
    bandwidth_gbps:
      description: Bandwidth in Gbps.
      type: int
      sample: 1
    bandwidth_mbps:
      description: Bandwidth in Mbps, the Azure circuit's C(bandwidthInMbps).
      type: int
      sample: 1000
    bandwidth_shape_name:
      description: The OCI FastConnect bandwidth shape name.
      type: str
      sample: 1 Gbps
    azure_region:
      description: Azure region, as spelled in the region pair table.
      type: str
      sample: eastus
    oci_region:
      description: OCI region, as spelled in the region pair table.
      type: str
      sample: us-ashburn-1
    peering_location:
      description: ExpressRoute peering location, as spelled in the region pair table.
      type: str
      sample: Washington DC
    microsoft_asn:
      description: Microsoft's ASN.
      type: int
      sample: 12076
    oracle_asn:
      description: Oracle's ASN, the peer ASN of the Azure private peering.
      type: int
      sample: 31898
    mtu:
      description: MTU of the ExpressRoute link.
      type: int
      sample: 1500
    azure_vnet_cidrs:
      description: Azure VNet CIDRs, normalized.
      type: list
      elements: str
      sample: [10.10.0.0/16]
    oci_vcn_cidrs:
      description: OCI VCN CIDRs, normalized.
      type: list
      elements: str
      sample: [10.20.0.0/16]
    gateway_subnet_cidr:
      description: GatewaySubnet CIDR, normalized.
      type: str
      sample: 10.10.255.0/27
problems:
  description: Every problem found, grouped by rule. The module fails when there is any.
  returned: failure
  type: list
  elements: dict
  contains:
    field:
      description: The option (with list index or interconnect name) at fault.
      type: str
      sample: oci_vcn_cidrs[0]
    value:
      description: The value given for that field.
      type: raw
      sample: 10.10.128.0/17
    message:
      description: What is wrong, naming the field and the value.
      type: str
      sample: "azure_vnet_cidrs[0] '10.10.0.0/16' contains oci_vcn_cidrs[0] '10.10.128.0/17'"
    conflicts_with:
      description: For a conflict between two fields, the other one.
      type: dict
      returned: for overlaps and shared /29s
      sample: {"field": "azure_vnet_cidrs[0]", "value": "10.10.0.0/16"}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import (
    ARGUMENT_SPEC,
    HAS_NETADDR,
    NETADDR_IMPORT_ERROR,
    failure_message,
    run_checks,
)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("bandwidth_gbps", "bandwidth_mbps")],
        supports_check_mode=True,
    )
    if not HAS_NETADDR:
        module.fail_json(msg=missing_required_lib("netaddr"), exception=NETADDR_IMPORT_ERROR)
    warnings = []
    plan, problems, drift = run_checks(module.params, warnings=warnings)
    for warning in warnings:
        module.warn(warning)
    if problems:
        module.fail_json(msg=failure_message(problems), problems=problems, changed=False)
    if drift is None:
        module.exit_json(changed=False, plan=plan)
    module.exit_json(changed=False, plan=plan, drift=drift[0], pending=drift[1], routes=drift[2])


if __name__ == "__main__":
    main()
