# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address plan of an Azure ExpressRoute <-> OCI FastConnect interconnect.

Pure logic (netaddr only, no I/O, no Ansible): :func:`check_plan` validates one interconnect's
inputs and derives everything the modules need (the two /30 BGP sessions, the Azure private peering
prefixes, the OCI cross-connect mappings, bandwidth, ASNs, MTU); :func:`check_inventory_bgp_cidrs`
checks that no two interconnects share or overlap a /29.

Both collect EVERY problem instead of stopping at the first one. A problem is a plain dict
``{"field", "value", "message"}`` (plus ``conflicts_with`` for conflicts between two fields) so it
can be returned by a module as is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import heapq
import re
import traceback

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import problem
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    drift_summary,
    interconnect_drift,
    normalize_location,
    offer_problems,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.greenfield import (
    EXPRESSROUTE_GATEWAY_SKUS,
    GATEWAY_SUBNET_MAX_PREFIXLEN,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.inputs import check_inputs

try:
    import netaddr
except ImportError:  # pragma: no cover - exercised by the import sanity test only
    netaddr = None
    NETADDR_IMPORT_ERROR = traceback.format_exc()
else:
    NETADDR_IMPORT_ERROR = None

HAS_NETADDR = netaddr is not None

MICROSOFT_ASN = 12076
ORACLE_ASN = 31898
MTU = 1500

BGP_CIDR_PREFIX_LENGTH = 29
PEER_PREFIX_LENGTH = 30
BANDWIDTH_GBPS = (1, 2, 5, 10)

# RFC 1918 and RFC 6598 (shared address space): the only blocks the /29 may come from.
PRIVATE_BLOCKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")

# (OCI region, Azure region, ExpressRoute peering locations), from Oracle's "Access to Microsoft
# Azure" page. It grows over time, so it is data: check_plan(region_pairs=...) extends or replaces it.
DEFAULT_REGION_PAIRS = (
    {"oci_region": "ap-tokyo-1", "azure_region": "japaneast", "peering_locations": ["Tokyo"]},
    {"oci_region": "ap-singapore-1", "azure_region": "southeastasia", "peering_locations": ["Singapore"]},
    {"oci_region": "ap-seoul-1", "azure_region": "koreacentral", "peering_locations": ["Seoul"]},
    {"oci_region": "eu-frankfurt-1", "azure_region": "germanywestcentral",
     "peering_locations": ["Frankfurt", "Frankfurt2"]},
    {"oci_region": "eu-amsterdam-1", "azure_region": "westeurope", "peering_locations": ["Amsterdam2"]},
    {"oci_region": "uk-london-1", "azure_region": "uksouth", "peering_locations": ["London"]},
    {"oci_region": "af-johannesburg-1", "azure_region": "southafricanorth", "peering_locations": ["Johannesburg"]},
    {"oci_region": "sa-vinhedo-1", "azure_region": "brazilsouth", "peering_locations": ["Campinas"]},
    {"oci_region": "ca-toronto-1", "azure_region": "canadacentral", "peering_locations": ["Toronto", "Toronto2"]},
    {"oci_region": "us-ashburn-1", "azure_region": "eastus",
     "peering_locations": ["Washington DC", "Washington DC2"]},
    {"oci_region": "us-phoenix-1", "azure_region": "westus3", "peering_locations": ["Phoenix"]},
    {"oci_region": "us-sanjose-1", "azure_region": "westus", "peering_locations": ["Silicon Valley"]},
)


# ---------------------------------------------------------------------------------------------
# CIDR parsing and overlap detection
# ---------------------------------------------------------------------------------------------

def parse_ipv4_cidr(field, value, problems):
    """The IPv4 network written as ``value``, or None after recording why it is not one.

    A CIDR must carry its prefix length and start on its own boundary (clouds refuse host bits).
    """
    if not isinstance(value, str) or "/" not in value:
        problems.append(problem(field, value, "%s %r is not a CIDR (expected a form like 10.0.0.0/16)"
                                % (field, value)))
        return None
    try:
        network = netaddr.IPNetwork(value.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        problems.append(problem(field, value, "%s %r is not a valid CIDR" % (field, value)))
        return None
    if network.version != 4:
        problems.append(problem(field, value, "%s %r is IPv6; the interconnect carries IPv4 only"
                                % (field, value)))
        return None
    if network.ip != network.network:
        problems.append(problem(field, value, "%s %r is not aligned to a %d-address boundary; the /%d containing "
                                "it is %s" % (field, value, network.size, network.prefixlen, network.cidr)))
    return network.cidr


def find_overlaps(ranges):
    """Pairs ``(a, b)`` of overlapping ``(first, last, key)`` integer ranges, ``a`` starting first.

    Sort and sweep: O(n log n) plus the number of pairs found, instead of comparing all pairs.
    Ranges still open (last >= the current start) are kept in a heap ordered by their end.
    """
    ordered = sorted(ranges, key=lambda item: (item[0], -item[1]))
    open_ranges = []  # heap of (last, position in ordered)
    pairs = []
    for position, current in enumerate(ordered):
        while open_ranges and open_ranges[0][0] < current[0]:
            heapq.heappop(open_ranges)
        for _last, earlier in sorted(open_ranges, key=lambda entry: entry[1]):
            pairs.append((ordered[earlier], current))
        heapq.heappush(open_ranges, (current[1], position))
    return pairs


def _relation(first, second):
    """How CIDR ``first`` meets ``second`` (both netaddr networks that overlap), as words."""
    if first == second:
        return "is the same range as"
    if first.first <= second.first and second.last <= first.last:
        return "contains"
    if second.first <= first.first and first.last <= second.last:
        return "lies inside"
    return "overlaps"


def _conflict(field, network, other_field, other_network, values):
    return problem(
        field, values[field],
        "%s %r %s %s %r" % (field, values[field], _relation(network, other_network), other_field,
                            values[other_field]),
        conflicts_with={"field": other_field, "value": values[other_field]},
    )


# ---------------------------------------------------------------------------------------------
# One interconnect
# ---------------------------------------------------------------------------------------------

def _parse_cidr_list(field, values, problems):
    """``{"field[i]": network}`` for the valid entries, recording a problem for every bad one."""
    if not isinstance(values, (list, tuple)) or not values:
        problems.append(problem(field, values, "%s must be a non-empty list of CIDRs, got %r" % (field, values)))
        return {}
    parsed = {}
    for index, value in enumerate(values):
        entry_field = "%s[%d]" % (field, index)
        network = parse_ipv4_cidr(entry_field, value, problems)
        if network is not None:
            parsed[entry_field] = network
    return parsed


# A conflict between two sides names the /29 first, then Azure, so it reads the same whatever the
# addresses' order.
_SIDE_ORDER = ("bgp_cidr", "azure_vnet_cidrs", "oci_vcn_cidrs")


def _side(field):
    return field.split("[", 1)[0]


def _check_overlaps(networks, values, problems):
    ranges = [(network.first, network.last, field) for field, network in networks.items()]
    for earlier, later in find_overlaps(ranges):
        sides = {_side(earlier[2]), _side(later[2])}
        if len(sides) == 1:
            continue  # several VNet (or VCN) CIDRs may legitimately nest; only cross-cloud matters
        field, other = sorted((earlier[2], later[2]), key=lambda name: _SIDE_ORDER.index(_side(name)))
        problems.append(_conflict(field, networks[field], other, networks[other], values))


def _check_bgp_cidr(network, value, problems):
    if network.prefixlen != BGP_CIDR_PREFIX_LENGTH:
        problems.append(problem("bgp_cidr", value, "bgp_cidr %r must be a /%d (two /%d BGP sessions), not /%d"
                                % (value, BGP_CIDR_PREFIX_LENGTH, PEER_PREFIX_LENGTH, network.prefixlen)))
    if not any(network in netaddr.IPNetwork(block) for block in PRIVATE_BLOCKS):
        problems.append(problem("bgp_cidr", value, "bgp_cidr %r is not private address space (use RFC 1918 "
                                "10/8, 172.16/12, 192.168/16 or RFC 6598 100.64/10)" % (value,)))


def _check_gateway_subnet(network, value, vnet_networks, problems):
    if network.prefixlen > GATEWAY_SUBNET_MAX_PREFIXLEN:
        problems.append(problem("gateway_subnet_cidr", value, "gateway_subnet_cidr %r is too small for an "
                                "ExpressRoute gateway: use /%d or larger (prefix length <= %d)"
                                % (value, GATEWAY_SUBNET_MAX_PREFIXLEN, GATEWAY_SUBNET_MAX_PREFIXLEN)))
    if vnet_networks and not any(network in vnet for vnet in vnet_networks.values()):
        problems.append(problem("gateway_subnet_cidr", value, "gateway_subnet_cidr %r is outside every Azure "
                                "VNet CIDR (%s)" % (value, ", ".join(str(vnet) for vnet in vnet_networks.values()))))


def bandwidth_from(bandwidth_gbps=None, bandwidth_mbps=None, problems=None):
    """Bandwidth in Gbps from either form (both may be given if they agree), or None after recording why."""
    problems = [] if problems is None else problems
    if bandwidth_gbps is None and bandwidth_mbps is None:
        problems.append(problem("bandwidth_gbps", None, "bandwidth_gbps (or bandwidth_mbps) is required"))
        return None
    gbps = {_bandwidth_in_gbps("bandwidth_gbps", bandwidth_gbps, 1, problems),
            _bandwidth_in_gbps("bandwidth_mbps", bandwidth_mbps, 1000, problems)} - {None}
    if len(gbps) > 1:
        problems.append(problem("bandwidth_mbps", bandwidth_mbps, "bandwidth_gbps %r and bandwidth_mbps %r disagree"
                                % (bandwidth_gbps, bandwidth_mbps)))
        return None
    return gbps.pop() if gbps else None


def _bandwidth_in_gbps(field, value, units_per_gbps, problems):
    if value is None:
        return None
    choices = [gbps * units_per_gbps for gbps in BANDWIDTH_GBPS]
    if isinstance(value, bool) or not isinstance(value, int) or value not in choices:
        problems.append(problem(field, value, "%s %r is not a FastConnect/ExpressRoute bandwidth; use one of %s"
                                % (field, value, ", ".join(str(choice) for choice in choices))))
        return None
    return value // units_per_gbps


# ---------------------------------------------------------------------------------------------
# Region pairs
# ---------------------------------------------------------------------------------------------

def _region_key(name):
    """Azure accepts "East US" for "eastus"; OCI region names are case-insensitive too."""
    return "".join(name.split()).lower()


def _location_key(name):
    return " ".join(name.split()).casefold()


def _is_text(value):
    return isinstance(value, str) and value.strip() != ""


def region_pair_table(region_pairs=None, replace=False, problems=None):
    """``{(oci key, azure key): pair}``: the built-in pairs with ``region_pairs`` merged over them.

    An entry of ``region_pairs`` replaces the built-in entry of the same (OCI, Azure) regions, so its
    peering locations are the whole list; ``replace=True`` drops the built-in table altogether.
    """
    problems = problems if problems is not None else []
    table = {}
    sources = [("region_pairs", region_pairs or [])]
    if not replace:
        sources.insert(0, (None, DEFAULT_REGION_PAIRS))
    for field, pairs in sources:
        for index, pair in enumerate(pairs):
            if field is not None and not _valid_region_pair("%s[%d]" % (field, index), pair, problems):
                continue
            table[(_region_key(pair["oci_region"]), _region_key(pair["azure_region"]))] = pair
    return table


def _valid_region_pair(field, pair, problems):
    if not isinstance(pair, dict):
        problems.append(problem(field, pair, "%s %r must be a dict with oci_region, azure_region and "
                                "peering_locations" % (field, pair)))
        return False
    valid = True
    for key in ("oci_region", "azure_region"):
        if not _is_text(pair.get(key)):
            problems.append(problem("%s.%s" % (field, key), pair.get(key), "%s.%s must be a region name, got %r"
                                    % (field, key, pair.get(key))))
            valid = False
    locations = pair.get("peering_locations")
    if not isinstance(locations, (list, tuple)) or not locations or not all(_is_text(name) for name in locations):
        problems.append(problem("%s.peering_locations" % field, locations, "%s.peering_locations must be a "
                                "non-empty list of peering location names, got %r" % (field, locations)))
        valid = False
    return valid


def _check_region_pair(table, azure_region, oci_region, peering_location, problems):
    """The matching table entry and the canonical peering location spelling, or (None, None)."""
    missing = [(field, value) for field, value in (("azure_region", azure_region), ("oci_region", oci_region),
                                                   ("peering_location", peering_location)) if not _is_text(value)]
    for field, value in missing:
        problems.append(problem(field, value, "%s is required, got %r" % (field, value)))
    if missing:
        return None, None
    pair = table.get((_region_key(oci_region), _region_key(azure_region)))
    if pair is None:
        problems.append(_unsupported_pair(table, azure_region, oci_region))
        return None, None
    for location in pair["peering_locations"]:
        if _location_key(location) == _location_key(peering_location):
            return pair, location
    message = "peering_location %r is not a peering location of the %s / %s pair (use one of: %s)" % (
        peering_location, pair["oci_region"], pair["azure_region"], ", ".join(pair["peering_locations"]))
    serving = ["%s / %s" % (other["oci_region"], other["azure_region"]) for other in table.values()
               if any(_location_key(name) == _location_key(peering_location) for name in other["peering_locations"])]
    if serving:
        message += "; %r serves %s" % (peering_location, ", ".join(serving))
    problems.append(problem("peering_location", peering_location, message))
    return None, None


def _unsupported_pair(table, azure_region, oci_region):
    partners = [pair["azure_region"] for (oci_key, _azure_key), pair in table.items()
                if oci_key == _region_key(oci_region)]
    if partners:
        return problem("azure_region", azure_region, "azure_region %r does not pair with oci_region %r (it pairs "
                       "with: %s); extend region_pairs if the clouds now support it"
                       % (azure_region, oci_region, ", ".join(partners)))
    return problem("oci_region", oci_region, "oci_region %r has no Azure interconnect in the region pair table "
                   "(supported: %s); extend region_pairs if the clouds now support it"
                   % (oci_region, ", ".join(sorted({pair["oci_region"] for pair in table.values()}))))


# ---------------------------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------------------------

def _bgp_session(peer_network):
    """In each /30: network, first usable = Oracle, second usable = Azure, broadcast."""
    return {
        "peer_cidr": str(peer_network),
        "oracle_bgp_ip": str(peer_network[1]),
        "azure_bgp_ip": str(peer_network[2]),
    }


def _cross_connect_mapping(session):
    suffix = "/%d" % PEER_PREFIX_LENGTH
    return {
        "oracle_bgp_peering_ip": session["oracle_bgp_ip"] + suffix,
        "customer_bgp_peering_ip": session["azure_bgp_ip"] + suffix,
    }


def derive_plan(bgp_network, vnet_networks, vcn_networks, gateway_network, bandwidth_gbps, pair, peering_location):
    """The plan of already validated inputs (see :func:`check_plan`)."""
    primary_network, secondary_network = bgp_network.subnet(PEER_PREFIX_LENGTH)
    primary, secondary = _bgp_session(primary_network), _bgp_session(secondary_network)
    return {
        "bgp_cidr": str(bgp_network),
        "primary": primary,
        "secondary": secondary,
        "azure_private_peering": {
            "peering_type": "AzurePrivatePeering",
            "peer_asn": ORACLE_ASN,
            "primary_peer_address_prefix": primary["peer_cidr"],
            "secondary_peer_address_prefix": secondary["peer_cidr"],
        },
        "oci_cross_connect_mappings": [_cross_connect_mapping(primary), _cross_connect_mapping(secondary)],
        "bandwidth_gbps": bandwidth_gbps,
        "bandwidth_mbps": bandwidth_gbps * 1000,
        "bandwidth_shape_name": "%d Gbps" % bandwidth_gbps,
        "azure_region": pair["azure_region"],
        "oci_region": pair["oci_region"],
        "peering_location": peering_location,
        "microsoft_asn": MICROSOFT_ASN,
        "oracle_asn": ORACLE_ASN,
        "mtu": MTU,
        "azure_vnet_cidrs": [str(network) for network in vnet_networks],
        "oci_vcn_cidrs": [str(network) for network in vcn_networks],
        "gateway_subnet_cidr": str(gateway_network),
    }


def check_plan(azure_vnet_cidrs, oci_vcn_cidrs, bgp_cidr, gateway_subnet_cidr, azure_region, oci_region,
               peering_location, bandwidth_gbps=None, bandwidth_mbps=None, region_pairs=None,
               region_pairs_replace=False):
    """Validate one interconnect's address plan; return ``(plan, problems)``.

    ``plan`` is the derived plan (see :func:`derive_plan`) when ``problems`` is empty, else None.
    Every rule is checked on every input, so ``problems`` lists all that is wrong at once.
    """
    problems = []
    vnets = _parse_cidr_list("azure_vnet_cidrs", azure_vnet_cidrs, problems)
    vcns = _parse_cidr_list("oci_vcn_cidrs", oci_vcn_cidrs, problems)
    bgp_network = parse_ipv4_cidr("bgp_cidr", bgp_cidr, problems)
    gateway_network = parse_ipv4_cidr("gateway_subnet_cidr", gateway_subnet_cidr, problems)

    named = dict(vnets)
    named.update(vcns)
    if bgp_network is not None:
        _check_bgp_cidr(bgp_network, bgp_cidr, problems)
        named["bgp_cidr"] = bgp_network
    values = _field_values(azure_vnet_cidrs, oci_vcn_cidrs, bgp_cidr)
    _check_overlaps(named, values, problems)
    if gateway_network is not None:
        _check_gateway_subnet(gateway_network, gateway_subnet_cidr, vnets, problems)

    gbps = bandwidth_from(bandwidth_gbps, bandwidth_mbps, problems)
    table = region_pair_table(region_pairs, region_pairs_replace, problems)
    pair, location = _check_region_pair(table, azure_region, oci_region, peering_location, problems)

    if problems:
        return None, problems
    return derive_plan(bgp_network, vnets.values(), vcns.values(), gateway_network, gbps, pair, location), []


def _field_values(azure_vnet_cidrs, oci_vcn_cidrs, bgp_cidr):
    """The value the user wrote for every indexed field name, so messages quote the input."""
    values = {"bgp_cidr": bgp_cidr}
    for field, entries in (("azure_vnet_cidrs", azure_vnet_cidrs), ("oci_vcn_cidrs", oci_vcn_cidrs)):
        if isinstance(entries, (list, tuple)):
            values.update(("%s[%d]" % (field, index), value) for index, value in enumerate(entries))
    return values


# ---------------------------------------------------------------------------------------------
# Across interconnects
# ---------------------------------------------------------------------------------------------

def check_inventory_bgp_cidrs(bgp_cidrs_by_name, only=None, field="inventory_bgp_cidrs"):
    """Problems where two interconnects use the same /29 or overlapping ones.

    ``bgp_cidrs_by_name`` maps an interconnect name to its /29. Each conflicting pair is reported
    once, naming both. ``only`` (a name) limits the report to the conflicts of that interconnect.
    Unparsable entries are reported unless ``only`` names another interconnect (its own check
    reports those). Sort and sweep keeps 10 000 interconnects well under a second.
    """
    problems = []
    networks = {}
    for name, value in bgp_cidrs_by_name.items():
        entry_problems = []
        network = parse_ipv4_cidr("%s.%s" % (field, name), value, entry_problems)
        if network is not None:
            networks[name] = network
        elif only is None or only == name:
            problems.extend(entry_problems)
    ranges = [(network.first, network.last, name) for name, network in networks.items()]
    for earlier, later in find_overlaps(ranges):
        first, second = earlier[2], later[2]
        if only is not None and only not in (first, second):
            continue
        first_network, second_network = networks[first], networks[second]
        problems.append(problem(
            "%s.%s" % (field, second), bgp_cidrs_by_name[second],
            "interconnect %r (%s) %s interconnect %r (%s): each interconnect needs its own /%d"
            % (second, second_network, _relation(second_network, first_network), first, first_network,
               BGP_CIDR_PREFIX_LENGTH),
            conflicts_with={"field": "%s.%s" % (field, first), "value": bgp_cidrs_by_name[first]},
        ))
    return problems


# ---------------------------------------------------------------------------------------------
# Interconnect groups: members in the two peering locations of one metro, sharing the gateway and DRG
# ---------------------------------------------------------------------------------------------

# What every member of a group shares (the role's variables): one Azure VNet with its ExpressRoute gateway,
# one OCI VCN with its DRG, in one region pair. Azure names compare without case (ARM ignores it).
GROUP_SHARED_VARIABLES = (
    "interconnect_azure_location", "interconnect_oci_region", "interconnect_azure_resource_group",
    "interconnect_azure_vnet_name", "interconnect_azure_gateway_name", "interconnect_oci_vcn_id",
    "interconnect_oci_drg_id",
)
# What each member has of its own; with the shared ones, the variables a member is judged by.
GROUP_MEMBER_VARIABLES = GROUP_SHARED_VARIABLES + (
    "interconnect_azure_peering_location", "interconnect_bgp_cidr", "interconnect_bandwidth_gbps",
    "interconnect_azure_circuit_name",
)
_EXACT_VARIABLES = ("interconnect_oci_vcn_id", "interconnect_oci_drg_id")
_REGION_VARIABLES = ("interconnect_azure_location", "interconnect_oci_region")


def _shared_key(variable, value):
    if not _is_text(value):
        return value
    if variable in _REGION_VARIABLES:
        return _region_key(value)
    return value.strip() if variable in _EXACT_VARIABLES else value.strip().casefold()


def check_group(group, name, members, region_pairs=None, region_pairs_replace=False):
    """``(problems, warnings)`` of interconnect ``name`` as a member of interconnect group ``group``.

    ``members`` maps every member's name (``name`` included) to its values of GROUP_MEMBER_VARIABLES. Against
    each other member: a shared variable with another value, the same peering location, or a peering location
    that is not the other one of this region pair's metro (problems, each naming both members and values); another
    bandwidth (a warning: the pair still works, but a failover then carries less). The /29s are checked with the
    inventory's (check_inventory_bgp_cidrs)."""
    problems, warnings = [], []
    mine = members[name]
    table = region_pair_table(region_pairs, region_pairs_replace)
    pair = table.get((_region_key(mine.get("interconnect_oci_region") or ""),
                      _region_key(mine.get("interconnect_azure_location") or "")))
    for other in sorted(member for member in members if member != name):
        theirs = members[other]
        for variable in GROUP_SHARED_VARIABLES:
            if _shared_key(variable, mine.get(variable)) != _shared_key(variable, theirs.get(variable)):
                problems.append(problem(variable, mine.get(variable), "%s=%s of %s differs from %s=%s of %s: the members "
                                        "of interconnect_group=%s share one VNet and ExpressRoute gateway, one VCN and "
                                        "DRG, in one region pair" % (variable, mine.get(variable), name, variable,
                                                                     theirs.get(variable), other, group)))
        _check_member_location(group, name, mine, other, theirs, pair, problems)
        if mine.get("interconnect_bandwidth_gbps") != theirs.get("interconnect_bandwidth_gbps"):
            warnings.append("interconnect_bandwidth_gbps=%s of %s differs from interconnect_bandwidth_gbps=%s of %s "
                            "(interconnect_group=%s): when one member is down, the other carries less than before"
                            % (mine.get("interconnect_bandwidth_gbps"), name, theirs.get("interconnect_bandwidth_gbps"),
                               other, group))
    return problems, warnings


def _check_member_location(group, name, mine, other, theirs, pair, problems):
    variable = "interconnect_azure_peering_location"
    location, other_location = mine.get(variable), theirs.get(variable)
    if not (_is_text(location) and _is_text(other_location)):
        return
    if _location_key(location) == _location_key(other_location):
        problems.append(problem(variable, location, "%s=%s of %s is also the peering location of %s: the members of "
                                "interconnect_group=%s need different peering locations, so that one location's outage "
                                "leaves the other member up" % (variable, location, name, other, group),
                                conflicts_with={"field": "%s of %s" % (variable, other), "value": other_location}))
    elif pair is not None and not any(_location_key(known) == _location_key(other_location)
                                      for known in pair["peering_locations"]):
        problems.append(problem(variable, location, "%s=%s of %s and %s=%s of %s are not the peering locations of one "
                                "metro for %s / %s (%s): the members of interconnect_group=%s share its gateway and DRG"
                                % (variable, location, name, variable, other_location, other, pair["oci_region"],
                                   pair["azure_region"], ", ".join(pair["peering_locations"]), group)))


def group_checks(params):
    """``(problems, warnings, bgp_cidrs)`` of the module's ``group`` option (none without it): this member's
    values are the module's own (O(inputs), O(bgp_cidr), the bandwidth), the others' as given; ``bgp_cidrs``
    the other members' /29s by name, for the inventory's overlap check."""
    group = params.get("group")
    name = params.get("interconnect_name")
    if not group or name is None:
        return [], [], {}
    members = dict((member, dict(values or {})) for member, values in (group.get("members") or {}).items())
    mine = dict(members.get(name) or {})
    mine.update((variable, value) for variable, value in (params.get("inputs") or {}).items()
                if variable in GROUP_MEMBER_VARIABLES)
    mine.update(interconnect_azure_location=params["azure_region"], interconnect_oci_region=params["oci_region"],
                interconnect_azure_peering_location=params["peering_location"], interconnect_bgp_cidr=params["bgp_cidr"],
                interconnect_bandwidth_gbps=bandwidth_from(params.get("bandwidth_gbps"), params.get("bandwidth_mbps")))
    members[name] = mine
    problems, warnings = check_group(group["name"], name, members, params.get("region_pairs"),
                                     params.get("region_pairs_replace", False))
    bgp_cidrs = dict((member, values.get("interconnect_bgp_cidr")) for member, values in members.items()
                     if member != name and _is_text(values.get("interconnect_bgp_cidr")))
    return problems, warnings, bgp_cidrs


# The interconnect_plan module's and action's options and checks (one definition for both).
PLAN_OPTIONS = (
    "azure_vnet_cidrs", "oci_vcn_cidrs", "bgp_cidr", "gateway_subnet_cidr", "bandwidth_gbps", "bandwidth_mbps",
    "azure_region", "oci_region", "peering_location", "region_pairs", "region_pairs_replace",
)

ARGUMENT_SPEC = dict(
    azure_vnet_cidrs=dict(type="list", elements="str", required=True),
    oci_vcn_cidrs=dict(type="list", elements="str", required=True),
    bgp_cidr=dict(type="str", required=True),
    # Not required: with the reads given, a VNet that could not be read has none, and that is a problem
    # of the read, listed with the others.
    gateway_subnet_cidr=dict(type="str"),
    bandwidth_gbps=dict(type="int"),
    bandwidth_mbps=dict(type="int"),
    azure_region=dict(type="str", required=True),
    oci_region=dict(type="str", required=True),
    peering_location=dict(type="str", required=True),
    region_pairs=dict(type="list", elements="dict", default=[], options=dict(
        oci_region=dict(type="str", required=True),
        azure_region=dict(type="str", required=True),
        peering_locations=dict(type="list", elements="str", required=True),
    )),
    region_pairs_replace=dict(type="bool", default=False),
    gateway_sku=dict(type="str"),
    create_networks=dict(type="bool", default=False),
    inventory_bgp_cidrs=dict(type="dict"),
    group=dict(type="dict", options=dict(
        name=dict(type="str", required=True),
        members=dict(type="dict", required=True),
    )),
    interconnect_name=dict(type="str"),
    azure_network=dict(type="dict"),
    oci_network=dict(type="dict"),
    inputs=dict(type="dict"),
    argument_problems=dict(type="list", elements="dict", default=[]),
    report_dir=dict(type="path"),
    expected=dict(type="dict", options=dict(
        gateway_name=dict(type="str", required=True),
        vcn_id=dict(type="str", required=True),
        drg_id=dict(type="str", required=True),
        route_table_ids=dict(type="list", elements="str", default=[]),
        security_list_ids=dict(type="list", elements="str", default=[]),
        rule_marker=dict(type="str", required=True),
        circuit=dict(type="dict", required=True, options=dict(
            location=dict(type="str", required=True),
            peering_location=dict(type="str", required=True),
            sku_tier=dict(type="str", required=True),
            sku_family=dict(type="str", required=True),
            service_provider_name=dict(type="str", default="Oracle Cloud FastConnect"),
        )),
    )),
)


def run_checks(params, found=(), warnings=None):
    """``(plan, problems, drift)`` for the module's parameters: the plan check, the inventory check, the checks of
    this interconnect against the other members of its group (their warnings appended to ``warnings``) and,
    given both clouds' reads, the checks of what was read and the drift of what the interconnect owns
    (``drift_summary``'s ``(lines, pending)`` and the learned routes judged, None unless the reads had them;
    None when the reads are not given or there are problems)."""
    refused = list(params.get("argument_problems") or [])
    problems = refused + list(found)
    creating = params.get("create_networks")
    if params.get("inputs") is not None:
        problems.extend(check_inputs(role_inputs(params["inputs"], creating)))
    reads = params.get("azure_network"), params.get("oci_network"), params.get("expected")
    unread = read_problems(reads[0], reads[1], set(found["field"] for found in problems),
                           skipped=CREATED_NETWORK_OPTIONS if creating else ())
    problems.extend(unread)
    plan, plan_problems = check_plan(**{name: params[name] for name in PLAN_OPTIONS})
    plan_problems.extend(gateway_sku_problems(params.get("gateway_sku")))
    unread = unread_sources(params, problems)
    plan_problems = [found for found in plan_problems if found["field"].split("[")[0] not in unread]
    group_problems, group_warnings, group_bgp_cidrs = group_checks(params)
    problems.extend(group_problems)
    if warnings is not None:
        warnings.extend(group_warnings)
    # The other members' /29s join the run's hosts': a --limit to one member still checks its partner's.
    inventory = dict(group_bgp_cidrs, **(params.get("inventory_bgp_cidrs") or {}))
    if inventory:
        name = params.get("interconnect_name")
        if name is not None:
            inventory[name] = params["bgp_cidr"]
        plan_problems.extend(check_inventory_bgp_cidrs(inventory, only=name))
    if params.get("expected") and (params.get("azure_network") or {}).get("express_route_service_providers"):
        plan_problems.extend(provider_offer_problems(params, plan))
    problems.extend(in_role_terms(plan_problems, params["inputs"], creating) if params.get("inputs") is not None
                    else plan_problems)
    drift = None
    if all(read is not None for read in reads):
        problems.extend(reference_problems(*reads, unread=unread, creating=creating))
        if not problems:
            judged = interconnect_drift(reads[0], reads[1], plan, reads[2])
            drift = drift_summary(judged) + (judged["learned_routes"],)
    # A variable refused by the role's own check (argument_problems, first) was passed on empty: what the
    # checks after it say of that variable only repeats it.
    refused_variables = set(found["field"] for found in refused)
    problems = refused + [found for found in problems[len(refused):] if found["field"] not in refused_variables]
    return (None if problems else plan), problems, drift


# The role's variable behind each option of the two preflight reads (azure_network_info, oci_network_info).
READ_VARIABLES = dict(
    resource_group="interconnect_azure_resource_group", virtual_network="interconnect_azure_vnet_name",
    virtual_network_gateway="interconnect_azure_gateway_name", network_security_groups="interconnect_azure_nsg_names",
    virtual_network_gateway_connection="interconnect_azure_connection_name",
    express_route_circuit="interconnect_azure_circuit_name", vcn_id="interconnect_oci_vcn_id",
    drg_id="interconnect_oci_drg_id", virtual_circuit_compartment_id="interconnect_oci_compartment_id",
    virtual_circuit_name="interconnect_oci_virtual_circuit_name", fastconnect_provider_name="interconnect_oci_provider_name",
)
# With create_networks the role creates these after the preflight: that they are not there yet is no problem.
CREATED_NETWORK_OPTIONS = ("virtual_network", "virtual_network_gateway")
# With create_networks these are the network step's results, not inputs (the preflight gives what it found, if anything).
CREATED_NETWORK_VARIABLES = ("interconnect_oci_vcn_id", "interconnect_oci_drg_id", "interconnect_oci_route_table_ids",
                             "interconnect_oci_security_list_ids")
# What the role creates networks from (the plan checks the CIDRs and the SKU; check_inputs the names).
NEW_NETWORK_VARIABLES = ("interconnect_azure_vnet_cidrs", "interconnect_azure_gateway_subnet_cidr",
                         "interconnect_azure_gateway_sku", "interconnect_oci_vcn_cidrs", "interconnect_oci_vcn_name",
                         "interconnect_oci_drg_name")
# The variables of the networks the role creates, for the plan's own names of their values.
NEW_NETWORK_TERMS = dict(azure_vnet_cidrs="interconnect_azure_vnet_cidrs", oci_vcn_cidrs="interconnect_oci_vcn_cidrs",
                         gateway_subnet_cidr="interconnect_azure_gateway_subnet_cidr")
# Without these read, the plan has no address space to check.
NETWORK_VARIABLES = ("interconnect_azure_resource_group", "interconnect_azure_vnet_name", "interconnect_oci_vcn_id",
                     "interconnect_oci_region")


# The plan's own names of its inputs, as the interconnect role's variables (or where a derived value comes
# from), so a refusal speaks of what the user wrote in the inventory.
ROLE_TERMS = dict(
    bgp_cidr="interconnect_bgp_cidr", azure_region="interconnect_azure_location", oci_region="interconnect_oci_region",
    peering_location="interconnect_azure_peering_location", bandwidth_gbps="interconnect_bandwidth_gbps",
    bandwidth_mbps="interconnect_bandwidth_gbps", region_pairs="interconnect_region_pairs",
    gateway_sku="interconnect_azure_gateway_sku",
)
_PLAN_TERM = re.compile(r"(?<![\w.])(?:(?P<list>azure_vnet_cidrs|oci_vcn_cidrs)(?:(?P<index>\[\d+\])|(?!\w))|inventory_bgp_cidrs\.(?P<host>[\w.-]+)"
                        r"|(?P<name>gateway_subnet_cidr|%s)(?![\w\[]))" % "|".join(ROLE_TERMS))

_SAME_TERM_TWICE = re.compile(r"\b(interconnect_\w+) \(or \1\)")


def in_role_terms(problems, inputs, creating=False):
    """``problems`` of the plan with its field names put as the role's variables: ``bgp_cidr`` is
    ``interconnect_bgp_cidr``, a VNet CIDR is the address space of ``interconnect_azure_vnet_name=<name>``, a VCN
    CIDR the CIDR blocks of ``interconnect_oci_vcn_id=<ocid>``, another host's /29 its ``interconnect_bgp_cidr``;
    with ``creating`` (create_networks) the new networks' CIDRs are their variables, with the index:
    ``interconnect_azure_vnet_cidrs[0]``."""
    sources = dict((name, (variable, variable)) for name, variable in NEW_NETWORK_TERMS.items()) if creating else dict(
        azure_vnet_cidrs=("interconnect_azure_vnet_name", "the address space of interconnect_azure_vnet_name=%s"
                          % inputs.get("interconnect_azure_vnet_name")),
        oci_vcn_cidrs=("interconnect_oci_vcn_id", "the CIDR blocks of interconnect_oci_vcn_id=%s"
                       % inputs.get("interconnect_oci_vcn_id")),
        gateway_subnet_cidr=("interconnect_azure_vnet_name", "the GatewaySubnet of interconnect_azure_vnet_name=%s"
                             % inputs.get("interconnect_azure_vnet_name")),
    )

    def term(match):
        if match.group("host"):
            return "interconnect_bgp_cidr of %s" % match.group("host")
        name = match.group("list") or match.group("name")
        if name not in sources:
            return ROLE_TERMS[name]
        return sources[name][1] + ((match.group("index") or "") if creating else "")

    def field(name):
        match = _PLAN_TERM.match(name)
        if match is None:
            return name
        if match.group("host"):
            return "interconnect_bgp_cidr"
        found = match.group("list") or match.group("name")
        return sources[found][0] if found in sources else ROLE_TERMS[found]

    # Two plan names of one variable ("bandwidth_gbps (or bandwidth_mbps)") name it once.
    return [dict(found, field=field(found["field"]), message=_SAME_TERM_TWICE.sub(r"\1", _PLAN_TERM.sub(term, found["message"])))
            for found in problems]


def provider_offer_problems(params, plan):
    """What the ExpressRoute provider (the providers azure_network_info listed, with no circuit yet) does not offer
    of the circuit a create will ask for: the peering location, and the plan's bandwidth."""
    provider = params["expected"]["circuit"]["service_provider_name"]
    mbps = plan["bandwidth_mbps"] if plan else None
    fields = dict(peering_location="peering_location", bandwidth="bandwidth_gbps")
    return [problem(fields.get(option, option), value, message) for option, value, message in offer_problems(
        params["azure_network"]["express_route_service_providers"], provider, params["peering_location"], mbps)]


def unread_sources(params, problems):
    """The plan's fields with no value because the network they come from was not read (a problem of its
    variable says why): their own "missing" problems would only repeat it."""
    if not any(found["field"] in NETWORK_VARIABLES for found in problems):
        return ()
    unread = set()
    if not params.get("azure_vnet_cidrs"):
        unread.update(("azure_vnet_cidrs", "gateway_subnet_cidr"))
    if not params.get("oci_vcn_cidrs"):
        unread.add("oci_vcn_cidrs")
    return unread


def read_problems(azure, oci, reported, skipped=()):
    """The problems the preflight reads returned (``problems`` of azure_network_info and oci_network_info with
    ``collect_problems``), each as a problem of the role's variable; a variable in ``reported`` (an input
    problem says it better) and a repeated message (a refused sign-in fails every read) count once, and the
    reads of the ``skipped`` options (networks the role creates) not at all; with networks to create, neither
    do the reads that found no resource group (the role creates it too)."""
    found, messages = [], set()
    for read in (azure or {}, oci or {}):
        for item in read.get("problems") or []:
            variable = READ_VARIABLES.get(item.get("option"), item.get("option"))
            if item.get("option") in skipped or variable in reported or item["message"] in messages:
                continue
            # A resource group the role creates (azure_network makes it if absent) holds nothing yet; an NSG the
            # inventory names in it cannot exist, though.
            if skipped and item.get("error_code") == "ResourceGroupNotFound" and item.get("option") != "network_security_groups":
                continue
            messages.add(item["message"])
            found.append(problem(variable, item.get("value"), "%s=%s could not be read: %s" % (
                variable, item.get("value"), item["message"])))
    return found


def azure_placement_problems(azure, expected):
    """A VNet or gateway outside the plan's Azure region, and a gateway that is not in the VNet (its IP
    configuration's subnet must be the VNet's GatewaySubnet)."""
    problems = []
    vnet, gateway = azure.get("virtual_network") or {}, azure.get("virtual_network_gateway") or {}
    region = expected["circuit"]["location"]
    for variable, resource in (("interconnect_azure_vnet_name", vnet), ("interconnect_azure_gateway_name", gateway)):
        location = resource.get("location")
        if location and normalize_location(location) != normalize_location(region):
            message = "%s=%s is in Azure region %s, not in interconnect_azure_location=%s." % (
                variable, resource.get("name"), location, region)
            problems.append(problem(variable, resource.get("name"), message))
    gateway_subnet = "%s/subnets/gatewaysubnet" % (vnet.get("id") or "").lower()
    subnets = [(subnet_id or "").lower() for subnet_id in gateway.get("subnet_ids") or []]
    if vnet.get("id") and subnets and gateway_subnet not in subnets:
        problems.append(problem("interconnect_azure_gateway_name", gateway.get("name"), "interconnect_azure_gateway_name=%s "
                                "is not in interconnect_azure_vnet_name=%s (its subnet is %s)." % (
                                    gateway.get("name"), vnet.get("name"), ", ".join(gateway.get("subnet_ids")))))
    return problems


def role_inputs(inputs, creating):
    """The role's variables to check as inputs: with create_networks the OCI ids are the network step's results,
    without it the new networks' variables mean nothing."""
    ignored = CREATED_NETWORK_VARIABLES if creating else NEW_NETWORK_VARIABLES
    return dict((name, value) for name, value in inputs.items() if name not in ignored)


def gateway_sku_problems(sku):
    """A gateway SKU (of a gateway to be created) that is no ExpressRoute SKU: a VPN gateway takes no circuit."""
    if sku is None or sku in EXPRESSROUTE_GATEWAY_SKUS:
        return []
    return [problem("gateway_sku", sku, "gateway_sku %r is not an ExpressRoute gateway SKU (VPN SKUs such as VpnGw1 "
                                        "cannot connect a circuit); use one of %s - UltraPerformance or ErGw3AZ for "
                                        "FastPath" % (sku, ", ".join(EXPRESSROUTE_GATEWAY_SKUS)))]


def reference_problems(azure, oci, expected, unread=(), creating=False):
    """What the read resources refuse to carry: a gateway that is not ExpressRoute, a DRG not attached to
    the VCN, route tables or security lists of another VCN. A cloud whose network was not read (``unread``,
    see unread_sources) is not judged, its read's problem says why; the other one still is (a host whose
    OCIDs are of another region than its interconnect_oci_region reads nothing in OCI, but its Azure side).
    With ``creating`` (create_networks), a network not there yet is judged once the role has made it."""
    problems = []
    if creating and not azure.get("virtual_network_gateway"):
        unread = set(unread) | {"azure_vnet_cidrs"}
    if creating and not oci.get("vcn"):
        unread = set(unread) | {"oci_vcn_cidrs"}
    if not set(unread) & {"azure_vnet_cidrs", "gateway_subnet_cidr"}:
        problems.extend(azure_placement_problems(azure, expected))
        gateway_type = (azure.get("virtual_network_gateway") or {}).get("gateway_type")
        if gateway_type != "ExpressRoute":
            problems.append(problem("interconnect_azure_gateway_name", expected["gateway_name"],
                                    "interconnect_azure_gateway_name=%s must be an ExpressRoute gateway (found %s)."
                                    % (expected["gateway_name"], gateway_type)))
    if "oci_vcn_cidrs" in unread:
        return problems
    attachment_state = (oci.get("drg_attachment") or {}).get("lifecycle_state") or "none"
    if attachment_state != "ATTACHED":
        problems.append(problem("interconnect_oci_drg_id", expected["drg_id"],
                                "interconnect_oci_drg_id=%s must be attached to interconnect_oci_vcn_id=%s "
                                "(attachment: %s)." % (expected["drg_id"], expected["vcn_id"], attachment_state)))
    for variable, field, kind in (("interconnect_oci_route_table_ids", "route_tables", "route table"),
                                  ("interconnect_oci_security_list_ids", "security_lists", "security list")):
        in_vcn = set(item["id"] for item in oci.get(field) or [])
        for item_id in expected[field[:-1] + "_ids"]:
            if item_id not in in_vcn:
                problems.append(problem(variable, item_id, "%s: %s %s is not in interconnect_oci_vcn_id=%s." % (
                    variable, kind, item_id, expected["vcn_id"])))
    return problems


def failure_message(problems):
    return "The interconnect plan has %d problem%s: %s" % (
        len(problems), "" if len(problems) == 1 else "s",
        "; ".join("(%d) %s" % (number, found["message"]) for number, found in enumerate(problems, 1)))
