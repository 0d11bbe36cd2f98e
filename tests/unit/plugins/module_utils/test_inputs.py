# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's inputs, checked against what the clouds refuse before anything is read: one test per category."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.inputs import check_inputs

GOOD = dict(
    interconnect_azure_resource_group="rg-interconnect-tokyo", interconnect_azure_circuit_name="er-tokyo-oci",
    interconnect_azure_connection_name="er-tokyo-oci-connection", interconnect_azure_gateway_name="ergw-tokyo",
    interconnect_azure_vnet_name="vnet-tokyo", interconnect_azure_location="japaneast",
    interconnect_azure_peering_location="Tokyo", interconnect_azure_nsg_names=["nsg-tokyo-workload"],
    interconnect_oci_region="ap-tokyo-1", interconnect_oci_compartment_id="ocid1.compartment.oc1..interconnectdemo",
    interconnect_oci_vcn_id="ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo",
    interconnect_oci_drg_id="ocid1.drg.oc1.nrt.aaaaaaaa4tokyo",
    interconnect_oci_route_table_ids=["ocid1.routetable.oc1.ap-tokyo-1.interconnecttokyo"],
    interconnect_oci_security_list_ids=["ocid1.securitylist.oc1.ap-tokyo-1.interconnecttokyo"],
    interconnect_oci_virtual_circuit_name="er-tokyo-oci", interconnect_bgp_cidr="10.255.0.0/29",
    interconnect_rule_prefix="interconnect", interconnect_wait_timeout=1800, interconnect_azure_peer_asn=31898,
    interconnect_azure_peering_vlan_id=None, interconnect_azure_sku_tier="Standard",
    interconnect_azure_sku_family="MeteredData", interconnect_oci_provider_name="Microsoft Azure",
)


def problems_with(**changes):
    return [(found["field"], found["message"]) for found in check_inputs(dict(GOOD, **changes))]


def test_the_demo_inputs_have_no_problem():
    assert check_inputs(GOOD) == []


@pytest.mark.parametrize("variable, value, message", [
    ("interconnect_azure_vnet_name", "", "interconnect_azure_vnet_name is missing: it is empty or null ('')."),
    ("interconnect_azure_resource_group", None, "interconnect_azure_resource_group is missing: it is empty or null (None)."),
    ("interconnect_bgp_cidr", None, "interconnect_bgp_cidr is missing: it is empty or null (None)."),
    ("interconnect_oci_vcn_id", " ", "interconnect_oci_vcn_id is missing: it is empty or null (' ')."),
    ("interconnect_azure_circuit_name", ["er-tokyo-oci"], "interconnect_azure_circuit_name must be a string, got a list "
                                                          "['er-tokyo-oci']."),
])
def test_empty_null_and_non_text_values_are_missing_with_the_variable_named(variable, value, message):
    assert problems_with(**{variable: value}) == [(variable, message)]


@pytest.mark.parametrize("variable, value", [
    ("interconnect_azure_circuit_name", "er tokyo"), ("interconnect_azure_circuit_name", "東京回線"),
    ("interconnect_azure_circuit_name", "er/tokyo"), ("interconnect_azure_circuit_name", "x" * 81),
    ("interconnect_azure_circuit_name", "['er-tokyo-oci']"), ("interconnect_azure_circuit_name", "-er"),
    ("interconnect_azure_connection_name", "conn."), ("interconnect_azure_gateway_name", "gw!"),
    ("interconnect_azure_vnet_name", "v"), ("interconnect_azure_vnet_name", "v" * 65),
    ("interconnect_azure_resource_group", "rg."), ("interconnect_azure_resource_group", "r" * 91),
    ("interconnect_azure_nsg_names", ["nsg ok"]),
])
def test_names_azure_refuses_are_refused_naming_the_rule(variable, value):
    found = [item for item in problems_with(**{variable: value}) if item[0] == variable]
    assert len(found) == 1
    assert "is not a name Azure accepts" in found[0][1] and repr(value if isinstance(value, str) else value[0]) in found[0][1]


@pytest.mark.parametrize("variable, value", [
    ("interconnect_azure_circuit_name", "x" * 80), ("interconnect_azure_circuit_name", "er_tokyo_"),
    ("interconnect_azure_vnet_name", "vn"), ("interconnect_azure_resource_group", "rg-(東京)"),
])
def test_names_at_the_edges_of_the_rules_pass(variable, value):
    assert [found for found in problems_with(**{variable: value}) if found[0] == variable] == []


def test_a_virtual_circuit_name_longer_than_oci_takes():
    assert problems_with(interconnect_oci_virtual_circuit_name="v" * 256)[0][0] == "interconnect_oci_virtual_circuit_name"
    assert problems_with(interconnect_oci_virtual_circuit_name="v" * 255) == []


@pytest.mark.parametrize("variable, value, words", [
    ("interconnect_oci_vcn_id", "vcn-tokyo", "is not an OCID"),
    ("interconnect_oci_vcn_id", "ocid1.drg.oc1.ap-tokyo-1.interconnecttokyo", "is the OCID of a drg, not of a vcn"),
    ("interconnect_oci_drg_id", "ocid1.drg.oc1.uk-london-1.interconnectlondon", "is in region uk-london-1, not in "
                                                                                "interconnect_oci_region=ap-tokyo-1"),
    ("interconnect_oci_compartment_id", "ocid1.vcn.oc1..x", "not of a compartment or tenancy"),
    ("interconnect_oci_route_table_ids", ["ocid1.routetable.oc1.lhr.aaaa"], "is in region lhr"),
])
def test_ocids_of_another_type_or_region_are_refused(variable, value, words):
    found = problems_with(**{variable: value})
    assert len(found) == 1 and found[0][0] == variable and words in found[0][1]


@pytest.mark.parametrize("variable, value, words", [
    ("interconnect_wait_timeout", -5, "must be a positive number of seconds"),
    ("interconnect_wait_timeout", 0, "must be a positive number of seconds"),
    ("interconnect_progress_interval", -1, "must be 0 (no progress lines) or more seconds"),
    ("interconnect_azure_peer_asn", -1, "is not an AS number"),
    ("interconnect_azure_peer_asn", 12076, "is reserved by Microsoft"),
    ("interconnect_azure_peer_asn", 65517, "is reserved by Microsoft"),
    ("interconnect_azure_peering_vlan_id", 5000, "is not a VLAN id (1-4094)"),
    ("interconnect_azure_peering_vlan_id", 0, "is not a VLAN id (1-4094)"),
    ("interconnect_rule_prefix", "-x", "must start with a letter or digit"),
    ("interconnect_rule_prefix", "x" * 40, "Azure takes 80"),
    ("interconnect_oci_provider_name", "Megaport", "only 'Microsoft Azure' takes an ExpressRoute service key"),
    ("interconnect_azure_sku_tier", "Local", "interconnect_azure_sku_family=MeteredData does not go with "
                                             "interconnect_azure_sku_tier=Local: a Local circuit is UnlimitedData"),
])
def test_numbers_prefixes_and_sku_combinations_the_clouds_refuse(variable, value, words):
    found = problems_with(**{variable: value})
    assert len(found) == 1 and words in found[0][1]


def test_a_circuit_name_too_long_for_the_rule_names_built_from_it():
    found = problems_with(interconnect_azure_circuit_name="c" * 40)
    assert found == [("interconnect_rule_prefix", "interconnect_rule_prefix='interconnect' with "
                      "interconnect_azure_circuit_name='%s' makes NSG rule names of up to 81 characters; Azure "
                      "takes 80." % ("c" * 40))]
    assert problems_with(interconnect_azure_circuit_name="c" * 39) == []


def test_an_empty_rule_prefix_is_missing():
    assert problems_with(interconnect_rule_prefix="") == [
        ("interconnect_rule_prefix", "interconnect_rule_prefix is missing: it is empty or null ('').")]


def test_every_problem_is_listed_at_once():
    found = problems_with(interconnect_azure_circuit_name="er tokyo", interconnect_oci_vcn_id="",
                          interconnect_azure_peering_vlan_id=5000, interconnect_wait_timeout=-5,
                          interconnect_oci_drg_id="ocid1.drg.oc1.uk-london-1.x")
    assert [field for field, dummy in found] == [
        "interconnect_oci_vcn_id", "interconnect_azure_circuit_name", "interconnect_oci_drg_id",
        "interconnect_wait_timeout", "interconnect_azure_peering_vlan_id"]
