# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's inputs checked against what the clouds would refuse, before anything is read or written.

Pure (no SDK, no I/O): ``check_inputs(values)`` takes the role's variables by name and returns every
problem, each naming the variable and its value, in the shape of ``plan.problem``. Each rule cites where
the cloud states it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import problem

# Microsoft, "Naming rules and restrictions for Azure resources"
# (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), section
# Microsoft.Network: expressRouteCircuits, connections, networkSecurityGroups and virtualNetworkGateways
# take 1-80 alphanumerics, underscores, periods and hyphens, starting with an alphanumeric and ending
# with an alphanumeric or an underscore; virtualNetworks the same in 2-64. Section Microsoft.Resources:
# resource groups take 1-90 letters or digits (of any script), underscores, hyphens, periods and
# parentheses, and cannot end with a period.
_NETWORK_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
AZURE_NAME_RULES = {
    "circuit": (1, 80, _NETWORK_NAME, "1-80 letters, digits, '_', '.' or '-', starting with a letter or digit "
                                      "and ending with a letter, digit or '_'"),
    "vnet": (2, 64, _NETWORK_NAME, "2-64 letters, digits, '_', '.' or '-', starting with a letter or digit "
                                   "and ending with a letter, digit or '_'"),
    "resource group": (1, 90, r"[\w().-]*[\w()-]", "1-90 letters, digits, '_', '-', '.', '(' or ')', not "
                                                   "ending with '.'"),
}
AZURE_NAME_VARIABLES = (
    ("interconnect_azure_resource_group", "resource group"),
    ("interconnect_azure_circuit_name", "circuit"),
    ("interconnect_azure_connection_name", "circuit"),
    ("interconnect_azure_gateway_name", "circuit"),
    ("interconnect_azure_vnet_name", "vnet"),
)
# OCI Core API reference (20160918), CreateVirtualCircuitDetails and UpdateVirtualCircuitDetails:
# displayName has minimum length 1 and maximum length 255.
OCI_DISPLAY_NAME_MAX = 255
# OCI "Resource Identifiers": ocid1.<RESOURCE TYPE>.<REALM>.[REGION][.FUTURE USE].<UNIQUE ID>
# (https://docs.oracle.com/iaas/Content/General/Concepts/identifiers.htm).
OCID = re.compile(r"^ocid1\.(?P<type>[a-z0-9]+)\.(?P<realm>[a-z0-9]+)\.(?P<region>[a-z0-9-]*)(?:\.[a-z0-9-]*)?"
                  r"\.(?P<unique>[A-Za-z0-9]+)$")
OCID_VARIABLES = (
    ("interconnect_oci_compartment_id", ("compartment", "tenancy")),
    ("interconnect_oci_vcn_id", ("vcn",)),
    ("interconnect_oci_drg_id", ("drg",)),
)
OCID_LIST_VARIABLES = (
    ("interconnect_oci_route_table_ids", ("routetable",)),
    ("interconnect_oci_security_list_ids", ("securitylist",)),
)
# Region keys OCIDs use in place of the region's name (OCI "Regions and Availability Domains",
# https://docs.oracle.com/iaas/Content/General/Concepts/regions.htm, column "Region Key").
OCI_REGION_KEYS = {
    "ap-tokyo-1": "nrt", "ap-osaka-1": "kix", "uk-london-1": "lhr", "eu-frankfurt-1": "fra",
    "eu-amsterdam-1": "ams", "us-ashburn-1": "iad", "us-phoenix-1": "phx", "us-sanjose-1": "sjc",
    "ca-toronto-1": "yyz", "sa-vinhedo-1": "vcp", "ap-singapore-1": "sin",
}
# Microsoft, "ExpressRoute routing requirements", Autonomous System numbers: 65515-65520 are reserved for
# Azure's internal use, and Microsoft's own 8074, 8075 and 12076 cannot be a peer's.
RESERVED_ASNS = (8074, 8075, 12076) + tuple(range(65515, 65521))
MAX_ASN = 4294967295  # 4-byte ASNs (RFC 6793), which private peering accepts
# IEEE 802.1Q: VLAN ids 1-4094 (0 and 4095 are reserved); the private peering's vlanId is one.
VLAN_RANGE = (1, 4094)
# An Azure NSG rule name (1-80 characters, the same rule as the circuit) is
# "<prefix>-<circuit>-<direction>-<cidr>": the prefix must leave room for the rest and be a name part.
RULE_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LONGEST_RULE_SUFFIX = len("-outbound-255.255.255.255-32")
# ExpressRoute Local is unlimited data only: "local circuits have always been unlimited in nature"
# (the ExpressRoute product group, MicrosoftDocs/azure-docs#87309; ExpressRoute FAQ, "ExpressRoute Local").
SKU_FAMILIES_OF_TIER = {"Local": ("UnlimitedData",)}
# Oracle, "Access to Microsoft Azure" (FastConnect): the virtual circuit takes the ExpressRoute service key through
# the provider "Microsoft Azure"; another provider's service does not know the key (OCI refuses it only after the
# ExpressRoute circuit, which bills from its creation, exists).
OCI_AZURE_PROVIDER = "Microsoft Azure"

REQUIRED_TEXT = (
    "interconnect_azure_resource_group", "interconnect_azure_circuit_name", "interconnect_azure_connection_name",
    "interconnect_azure_gateway_name", "interconnect_azure_vnet_name", "interconnect_azure_location",
    "interconnect_azure_peering_location", "interconnect_oci_region", "interconnect_oci_compartment_id",
    "interconnect_oci_vcn_id", "interconnect_oci_drg_id", "interconnect_oci_virtual_circuit_name",
    "interconnect_bgp_cidr", "interconnect_rule_prefix",
    # Only with interconnect_create_networks (the preflight passes them then).
    "interconnect_oci_vcn_name", "interconnect_oci_drg_name",
)


def _missing(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_of(value):
    # The kinds a YAML value can be (Ansible hands some over as its own tagged subclasses).
    for kinds, word in (((list, tuple), "a list"), (dict, "a mapping"), (bool, "a boolean"), ((int, float), "a number")):
        if isinstance(value, kinds):
            return word
    return "a %s" % type(value).__name__


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return dict((key, _plain(item)) for key, item in value.items())
    return value


def _text_problems(values, problems):
    """Required text that is empty, null or not text; returns the variables that are usable."""
    usable = set()
    for variable in REQUIRED_TEXT:
        if variable not in values:
            continue
        value = values[variable]
        if _missing(value):
            problems.append(problem(variable, value, "%s is missing: it is empty or null (%r)." % (variable, value)))
        elif not isinstance(value, str):
            problems.append(problem(variable, value, "%s must be a string, got %s %r." % (
                variable, _kind_of(value), _plain(value))))
        elif value != value.strip():
            problems.append(problem(variable, value, "%s=%r has leading or trailing blanks." % (variable, value)))
        else:
            usable.add(variable)
    return usable


def _azure_name_problems(values, usable, problems):
    for variable, kind in AZURE_NAME_VARIABLES:
        if variable in usable:
            _check_azure_name(variable, values[variable], kind, problems)
    for name in values.get("interconnect_azure_nsg_names") or []:
        if _missing(name) or not isinstance(name, str):
            problems.append(problem("interconnect_azure_nsg_names", name,
                                    "interconnect_azure_nsg_names holds %r, which is no name." % (name,)))
        else:
            _check_azure_name("interconnect_azure_nsg_names", name, "circuit", problems)


def _check_azure_name(variable, name, kind, problems):
    low, high, pattern, words = AZURE_NAME_RULES[kind]
    if not low <= len(name) <= high or not re.match(r"^(?:%s)$" % pattern, name, re.UNICODE if kind == "resource group"
                                                    else 0):
        problems.append(problem(variable, name, "%s=%r is not a name Azure accepts for a %s: it takes %s (%d "
                                                "characters given)." % (variable, name, _azure_kind(variable, kind),
                                                                        words, len(name))))


def _azure_kind(variable, kind):
    if kind != "circuit":
        return "virtual network" if kind == "vnet" else kind
    return {"interconnect_azure_circuit_name": "circuit", "interconnect_azure_connection_name": "connection",
            "interconnect_azure_gateway_name": "virtual network gateway"}.get(variable, "network security group")


def _oci_problems(values, usable, problems):
    name = values.get("interconnect_oci_virtual_circuit_name")
    if "interconnect_oci_virtual_circuit_name" in usable and len(name.encode("utf-16-le")) // 2 > OCI_DISPLAY_NAME_MAX:
        problems.append(problem("interconnect_oci_virtual_circuit_name", name,
                                "interconnect_oci_virtual_circuit_name is %d characters long; OCI display names take "
                                "1-%d." % (len(name), OCI_DISPLAY_NAME_MAX)))
    region = values.get("interconnect_oci_region") if "interconnect_oci_region" in usable else None
    for variable, types in OCID_VARIABLES:
        if variable in usable:
            _check_ocid(variable, values[variable], types, region, problems)
    for variable, types in OCID_LIST_VARIABLES:
        for ocid in values.get(variable) or []:
            _check_ocid(variable, ocid, types, region, problems)


def _check_ocid(variable, ocid, types, region, problems):
    match = OCID.match(ocid) if isinstance(ocid, str) else None
    if match is None:
        problems.append(problem(variable, ocid, "%s=%r is not an OCID (ocid1.<type>.<realm>.<region>.<id>)."
                                % (variable, ocid)))
        return
    if match.group("type") not in types:
        problems.append(problem(variable, ocid, "%s=%s is the OCID of a %s, not of a %s." % (
            variable, ocid, match.group("type"), " or ".join(types))))
    found = match.group("region")
    if region and found and found not in (region.lower(), OCI_REGION_KEYS.get(region.lower())):
        problems.append(problem(variable, ocid, "%s=%s is in region %s, not in interconnect_oci_region=%s: OCI "
                                                "serves a resource only from its own region." % (
                                                    variable, ocid, found, region)))


def _integer(value):
    """An integer as the role's variables carry one (a template of an int may give its text); else as it is."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def _number_problems(values, problems):
    values = dict((name, _integer(values.get(name))) for name in (
        "interconnect_wait_timeout", "interconnect_progress_interval", "interconnect_azure_peer_asn",
        "interconnect_azure_peering_vlan_id") if name in values)
    if values.get("interconnect_azure_peering_vlan_id") == "":
        values["interconnect_azure_peering_vlan_id"] = None  # optional, and not set
    timeout = values.get("interconnect_wait_timeout")
    if "interconnect_wait_timeout" in values and (isinstance(timeout, bool) or not isinstance(timeout, int)
                                                  or timeout <= 0):
        problems.append(problem("interconnect_wait_timeout", timeout,
                                "interconnect_wait_timeout=%r must be a positive number of seconds." % (timeout,)))
    interval = values.get("interconnect_progress_interval")
    if "interconnect_progress_interval" in values and (isinstance(interval, bool) or not isinstance(interval, int)
                                                       or interval < 0):
        problems.append(problem("interconnect_progress_interval", interval,
                                "interconnect_progress_interval=%r must be 0 (no progress lines) or more seconds."
                                % (interval,)))
    asn = values.get("interconnect_azure_peer_asn")
    if "interconnect_azure_peer_asn" in values:
        if isinstance(asn, bool) or not isinstance(asn, int) or not 1 <= asn <= MAX_ASN:
            problems.append(problem("interconnect_azure_peer_asn", asn, "interconnect_azure_peer_asn=%r is not an "
                                                                        "AS number (1-%d)." % (asn, MAX_ASN)))
        elif asn in RESERVED_ASNS:
            problems.append(problem("interconnect_azure_peer_asn", asn, "interconnect_azure_peer_asn=%d is reserved by "
                                                                        "Microsoft (8074, 8075, 12076, 65515-65520); "
                                                                        "Oracle's is 31898." % asn))
    vlan = values.get("interconnect_azure_peering_vlan_id")
    if vlan is not None and (isinstance(vlan, bool) or not isinstance(vlan, int)
                             or not VLAN_RANGE[0] <= vlan <= VLAN_RANGE[1]):
        problems.append(problem("interconnect_azure_peering_vlan_id", vlan,
                                "interconnect_azure_peering_vlan_id=%r is not a VLAN id (%d-%d)." % ((vlan,) + VLAN_RANGE)))


def _rule_and_sku_problems(values, usable, problems):
    prefix = values.get("interconnect_rule_prefix")
    if "interconnect_rule_prefix" in usable:
        circuit = values.get("interconnect_azure_circuit_name") or ""
        longest = len(prefix) + 1 + len(circuit) + LONGEST_RULE_SUFFIX
        if not RULE_PREFIX.match(prefix):
            problems.append(problem("interconnect_rule_prefix", prefix, "interconnect_rule_prefix=%r must start with a "
                                                                        "letter or digit and hold only letters, digits, "
                                                                        "'_' and '-' (it starts every NSG rule name)."
                                    % prefix))
        elif longest > AZURE_NAME_RULES["circuit"][1]:
            problems.append(problem("interconnect_rule_prefix", prefix, "interconnect_rule_prefix=%r with "
                                                                        "interconnect_azure_circuit_name=%r makes NSG rule "
                                                                        "names of up to %d characters; Azure takes 80."
                                    % (prefix, circuit, longest)))
    provider = values.get("interconnect_oci_provider_name")
    if "interconnect_oci_provider_name" in values and (not isinstance(provider, str)
                                                       or provider.strip().lower() != OCI_AZURE_PROVIDER.lower()):
        problems.append(problem("interconnect_oci_provider_name", provider, "interconnect_oci_provider_name=%r is not "
                                "the FastConnect provider of an Azure interconnect: only %r takes an ExpressRoute "
                                "service key." % (provider, OCI_AZURE_PROVIDER)))
    tier, family = values.get("interconnect_azure_sku_tier"), values.get("interconnect_azure_sku_family")
    if family not in SKU_FAMILIES_OF_TIER.get(tier, (family,)):
        problems.append(problem("interconnect_azure_sku_family", family, "interconnect_azure_sku_family=%s does not go "
                                                                         "with interconnect_azure_sku_tier=%s: a %s "
                                                                         "circuit is %s." % (
                                                                             family, tier, tier,
                                                                             " or ".join(SKU_FAMILIES_OF_TIER[tier]))))


def check_inputs(values):
    """Every problem of the role's variables ``values`` (by name) that a cloud would refuse; only the
    variables present are checked."""
    problems = []
    usable = _text_problems(values, problems)
    _azure_name_problems(values, usable, problems)
    _oci_problems(values, usable, problems)
    _number_problems(values, problems)
    _rule_and_sku_problems(values, usable, problems)
    return problems
