# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of the modules that create the networks an interconnect needs (``azure_network``,
``oci_network``): the tag that marks what the collection created, the gateway SKUs, the checks of the
new networks' inputs, and which OCI route rules point at a DRG.

No SDK, no Ansible: the plan check can use the same checks before any write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import diff_result
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import DEFAULT_MARKER

# What the collection created carries this tag (Azure tags, OCI freeform tags); only what carries it is ever
# deleted. Its value is the collection's name, as in the marker of the rules the collection owns.
OWNER_TAG_KEY = "created-by"
OWNER_TAG_VALUE = DEFAULT_MARKER.split(":", 1)[1]
OWNER_TAGS = {OWNER_TAG_KEY: OWNER_TAG_VALUE}

# The ExpressRoute gateway SKUs (Microsoft Learn, "About ExpressRoute virtual network gateways"); the AZ ones
# (ErGw1AZ-ErGw3AZ, ErGwScale) are zone-redundant. FastPath needs UltraPerformance or ErGw3AZ (ErGwScale
# with 10 scale units or more is not judged here).
EXPRESSROUTE_GATEWAY_SKUS = ("Standard", "HighPerformance", "UltraPerformance", "ErGw1AZ", "ErGw2AZ", "ErGw3AZ",
                             "ErGwScale")
ZONE_REDUNDANT_GATEWAY_SKUS = ("ErGw1AZ", "ErGw2AZ", "ErGw3AZ", "ErGwScale")
FASTPATH_GATEWAY_SKUS = ("UltraPerformance", "ErGw3AZ")
VPN_GATEWAY_SKUS = ("Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ",
                    "VpnGw4AZ", "VpnGw5AZ")
# Azure refuses a Basic public IP on every ExpressRoute gateway ("PublicIpWithBasicSkuNotAllowedOnExpressRoute
# Gateways", oracle-quickstart/oci-azure-interconnect#6), and a Standard IP must be static.
GATEWAY_PUBLIC_IP = dict(sku="Standard", allocation="Static")
# The smallest GatewaySubnet Azure recommends for ExpressRoute gateways (Microsoft Learn, "About ExpressRoute
# virtual network gateways": a /27 or larger); the plan check holds existing networks to it too. Azure's own
# minimum for a GatewaySubnet is /29.
GATEWAY_SUBNET_MAX_PREFIXLEN = 27


DNS_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,14}$")


def is_ours(tags):
    """Whether a resource's tags (Azure tags, OCI freeform tags) say the collection created it."""
    return (tags or {}).get(OWNER_TAG_KEY) == OWNER_TAG_VALUE


def tags_of_created(tags):
    """The tags of a resource the collection creates: the user's, and the owner tag."""
    return dict(tags or {}, **OWNER_TAGS)


def canonical_sku(value, choices):
    """``value`` spelled as in ``choices`` (ARM matches SKU names case-insensitively), or None."""
    return next((choice for choice in choices if choice.lower() == str(value or "").lower()), None)


def gateway_sku_problem(option, value):
    """Why ``value`` cannot be the SKU of an ExpressRoute gateway, or None."""
    if canonical_sku(value, EXPRESSROUTE_GATEWAY_SKUS):
        return None
    if canonical_sku(value, VPN_GATEWAY_SKUS):
        return ("%s %s is a VPN gateway SKU; the interconnect needs an ExpressRoute gateway, one of %s (FastPath needs "
                "%s)" % (option, value, ", ".join(EXPRESSROUTE_GATEWAY_SKUS), " or ".join(FASTPATH_GATEWAY_SKUS)))
    return "%s %s is not an ExpressRoute gateway SKU; choose one of %s" % (
        option, value, ", ".join(EXPRESSROUTE_GATEWAY_SKUS))


def cidr_problems(option, values):
    """``(networks, problems)`` of a list of CIDRs given as ``option``."""
    networks, problems = [], []
    for value in values or []:
        try:
            networks.append(ipaddress.ip_network(str(value).strip()))
        except ValueError as error:
            problems.append("%s: %s is not a network in CIDR notation (%s)" % (option, value, error))
    for index, network in enumerate(networks):
        for other in networks[index + 1:]:
            if network.version == other.version and network.overlaps(other):
                problems.append("%s: %s and %s overlap" % (option, network, other))
    return networks, problems


def azure_network_problems(address_prefixes, gateway_subnet_prefix, gateway_sku, names=None):
    """Every problem of the inputs of a new Azure network, at once. ``names`` maps the option names used in the
    messages (``address_prefixes``, ``gateway_subnet_prefix``, ``gateway_sku``) to the caller's (the role's
    inventory variables)."""
    names = dict(dict(address_prefixes="address_prefixes", gateway_subnet_prefix="gateway_subnet_prefix",
                      gateway_sku="gateway_sku"), **(names or {}))
    space, problems = cidr_problems(names["address_prefixes"], address_prefixes)
    if not address_prefixes:
        problems.append("%s: at least one CIDR is needed for a new virtual network" % names["address_prefixes"])
    if not gateway_subnet_prefix:
        problems.append("%s: a CIDR for the GatewaySubnet is needed" % names["gateway_subnet_prefix"])
    else:
        subnet, subnet_problems = cidr_problems(names["gateway_subnet_prefix"], [gateway_subnet_prefix])
        problems.extend(subnet_problems)
        for network in subnet:
            if network.prefixlen > GATEWAY_SUBNET_MAX_PREFIXLEN:
                problems.append("%s: %s is smaller than a /%d, the smallest GatewaySubnet for an ExpressRoute gateway"
                                % (names["gateway_subnet_prefix"], network, GATEWAY_SUBNET_MAX_PREFIXLEN))
            if space and not any(network.version == block.version and network.subnet_of(block) for block in space):
                problems.append("%s: %s is not inside the virtual network's %s %s" % (
                    names["gateway_subnet_prefix"], network, names["address_prefixes"],
                    ", ".join(str(block) for block in space)))
    problem = gateway_sku_problem(names["gateway_sku"], gateway_sku)
    if problem:
        problems.append(problem)
    return problems


def oci_network_problems(cidr_blocks, dns_label=None, names=None):
    """Every problem of the inputs of a new VCN, at once (OCI: IPv4 blocks of /16 to /30, Networking
    "VCNs and Subnets"; a DNS label of letters and digits starting with a letter, at most 15)."""
    names = dict(dict(cidr_blocks="cidr_blocks", dns_label="dns_label"), **(names or {}))
    blocks, problems = cidr_problems(names["cidr_blocks"], cidr_blocks)
    if not cidr_blocks:
        problems.append("%s: at least one CIDR is needed for a new VCN" % names["cidr_blocks"])
    for block in blocks:
        if block.version != 4 or not 16 <= block.prefixlen <= 30:
            problems.append("%s: %s is not an IPv4 block of /16 to /30, as a VCN needs" % (names["cidr_blocks"], block))
    if dns_label is not None and not DNS_LABEL.match(dns_label):
        problems.append("%s: %s is not 1 to 15 letters and digits starting with a letter" % (
            names["dns_label"], dns_label))
    return problems


def zone_family_change(current_sku, wanted_sku):
    """Why an existing gateway cannot be resized from ``current_sku`` to ``wanted_sku``, or None: a gateway moves
    between the zone-redundant SKUs and the others only by migration (Microsoft Learn, "About migrating to an
    availability zone-enabled ExpressRoute virtual network gateway"), not by a resize."""
    current_zonal = canonical_sku(current_sku, ZONE_REDUNDANT_GATEWAY_SKUS) is not None
    wanted_zonal = canonical_sku(wanted_sku, ZONE_REDUNDANT_GATEWAY_SKUS) is not None
    if current_zonal == wanted_zonal:
        return None
    return ("its SKU %s cannot be resized to %s: a gateway moves between the zone-redundant SKUs (%s) and the others "
            "only by Azure's gateway migration" % (current_sku, wanted_sku, ", ".join(ZONE_REDUNDANT_GATEWAY_SKUS)))


def rules_targeting(route_table, target_id):
    """The route rules of ``route_table`` (snake_case dict with ``route_rules``) whose target is ``target_id``."""
    return [rule for rule in route_table.get("route_rules") or [] if rule.get("network_entity_id") == target_id]


class NetworkRun(object):
    """One run of a network module (its module, parameters and cloud client) and what it did: its changes (one
    line each), the states seen while waiting, and the result. A module's run class says what the network looks
    like now (``summaries``)."""

    def __init__(self, module):
        self.module, self.params, self.check_mode = module, module.params, module.check_mode
        self.api = module.api
        self.client = module.api.client
        self.changes, self.history = [], []
        self.result = dict(changed=False)

    def note(self, what):
        """A write this run makes (or in check mode would make)."""
        self.changes.append(what)
        self.result["changed"] = True

    def summaries(self):
        raise NotImplementedError

    def finish(self, before, header):
        """The module's result: the network now, the changes, the diff from ``before`` and the waits."""
        after = self.summaries()
        self.result.update(after, changes=self.changes)
        if self.result["changed"]:
            self.result["diff"] = diff_result(dict(before, ours=None), dict(after, ours=None), header=header)
        if self.history:
            self.result["wait_history"] = self.history
        return self.result
