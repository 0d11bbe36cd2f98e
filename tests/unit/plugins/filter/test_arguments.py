"""The argument_problems and argument_check filters: the role's own readable check of its variables, against the
role's real spec."""
from pathlib import Path

import pytest
import yaml

from ansible_collections.crosscloud.interconnect.plugins.filter.argument_check import argument_check
from ansible_collections.crosscloud.interconnect.plugins.filter.arguments import argument_problems

SPECS = yaml.safe_load((Path(__file__).resolve().parents[4] / "roles" / "interconnect" / "meta" /
                        "argument_specs.yml").read_text())["argument_specs"]
REQUIRED_IF_OF = yaml.safe_load((Path(__file__).resolve().parents[4] / "roles" / "interconnect" / "defaults" /
                                 "main.yml").read_text())["interconnect_arguments_required_if"]
REQUIRED_IF = REQUIRED_IF_OF["main"]
DEMO = Path(__file__).resolve().parents[4] / "inventories" / "demo"
DEMO_HOST = dict(yaml.safe_load((DEMO / "group_vars" / "interconnects.yml").read_text()),
                 **yaml.safe_load((DEMO / "hosts.yml").read_text())["interconnects"]["hosts"]["tokyo"])


@pytest.mark.parametrize("entry_point", ["main", "verify", "teardown"])
def test_the_demo_host_has_no_problem_at_any_entry_point(entry_point):
    assert argument_problems(SPECS[entry_point]["options"], DEMO_HOST) == []


@pytest.mark.parametrize("change, expected", [
    (dict(interconnect_bgp_cidr=None), "interconnect_bgp_cidr is missing: it is empty or null (None). It is the private, aligned /29"),
    (dict(interconnect_bgp_cidr=""), "interconnect_bgp_cidr is missing: it is empty or null ('')."),
    (dict(interconnect_bandwidth_gbps=3), "interconnect_bandwidth_gbps is 3; it must be one of 1, 2, 5, 10."),
    (dict(interconnect_bandwidth_gbps="fast"), "interconnect_bandwidth_gbps is 'fast' (a string); it must be a whole number."),
    (dict(interconnect_region_pairs="japaneast:ap-tokyo-1"),
     "interconnect_region_pairs is 'japaneast:ap-tokyo-1' (a string); it must be a list, each element a mapping."),
    (dict(interconnect_azure_sku_tier="Gold"), "interconnect_azure_sku_tier is 'Gold'; it must be one of Standard, Premium, Local."),
    (dict(interconnect_report_enabled="perhaps"), "interconnect_report_enabled is 'perhaps' (a string); it must be true or false."),
])
def test_one_bad_variable_is_named_with_its_value(change, expected):
    problems = argument_problems(SPECS["main"]["options"], dict(DEMO_HOST, **change))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_every_problem_is_listed_at_once_and_a_missing_variable_says_what_it_is_for():
    variables = dict(DEMO_HOST, interconnect_bandwidth_gbps=3, interconnect_azure_sku_tier="Gold")
    del variables["interconnect_oci_vcn_id"]
    problems = argument_problems(SPECS["main"]["options"], variables, REQUIRED_IF)
    assert [problem.split(" ")[0] for problem in problems] == [
        "interconnect_bandwidth_gbps", "interconnect_azure_sku_tier", "interconnect_oci_vcn_id"]
    assert problems[2] == ("interconnect_oci_vcn_id is missing: it is not set. It is the OCID of the VCN reached through the "
                           "DRG (needed as interconnect_create_networks is false).")


def test_values_a_validator_converts_are_accepted_and_long_values_are_shortened():
    options = SPECS["main"]["options"]
    assert argument_problems(options, dict(DEMO_HOST, interconnect_bandwidth_gbps="2", interconnect_report_enabled="yes")) == []
    [problem] = argument_problems(options, dict(DEMO_HOST, interconnect_wait_timeout="x" * 300))
    assert "'xxx" in problem and "..." in problem and len(problem) < 200


GREENFIELD = Path(__file__).resolve().parents[4] / "inventories" / "greenfield"
GREENFIELD_HOST = dict(yaml.safe_load((GREENFIELD / "group_vars" / "interconnects.yml").read_text()),
                       **yaml.safe_load((GREENFIELD / "hosts.yml").read_text())["interconnects"]["hosts"]["ashburn"])


@pytest.mark.parametrize("entry_point", ["main", "verify", "teardown"])
def test_the_greenfield_host_needs_no_oci_ids_at_any_entry_point(entry_point):
    assert "interconnect_oci_vcn_id" not in GREENFIELD_HOST
    assert argument_problems(SPECS[entry_point]["options"], GREENFIELD_HOST, REQUIRED_IF_OF[entry_point]) == []


def test_creating_networks_requires_their_cidrs_and_names():
    variables = dict(GREENFIELD_HOST)
    for name in ("interconnect_oci_vcn_cidrs", "interconnect_oci_drg_name"):
        del variables[name]
    problems = argument_problems(SPECS["main"]["options"], variables, REQUIRED_IF)
    assert [problem.split(" ")[0] for problem in problems] == ["interconnect_oci_vcn_cidrs", "interconnect_oci_drg_name"]
    assert all(problem.endswith("(needed as interconnect_create_networks is true).") for problem in problems)


def test_without_create_networks_the_demo_host_needs_its_ids_and_not_the_new_networks():
    variables = dict(DEMO_HOST, interconnect_create_networks=False)
    del variables["interconnect_oci_drg_id"]
    problems = argument_problems(SPECS["teardown"]["options"], variables, REQUIRED_IF_OF["teardown"])
    assert [problem.split(" ")[0] for problem in problems] == ["interconnect_oci_drg_id"]


def test_deleting_networks_needs_what_finds_them():
    variables = dict(DEMO_HOST, interconnect_delete_networks=True)
    del variables["interconnect_azure_vnet_name"]
    problems = argument_problems(SPECS["teardown"]["options"], variables, REQUIRED_IF_OF["teardown"])
    assert [problem.split(" ")[0] for problem in problems] == [
        "interconnect_azure_vnet_name", "interconnect_oci_vcn_name", "interconnect_oci_drg_name"]
    # The teardown has no option for the VNet's name: it is only required to be set.
    assert problems[0] == ("interconnect_azure_vnet_name is missing: it is not set (needed as interconnect_delete_networks "
                           "is true).")
    # An existing interconnect's teardown still needs neither.
    assert argument_problems(SPECS["teardown"]["options"], dict(DEMO_HOST), REQUIRED_IF_OF["teardown"]) == []


OMIT = "__omit_place_holder__0123"


def test_argument_check_says_the_same_as_a_problem_each_and_keeps_the_other_variables():
    variables = dict(DEMO_HOST, interconnect_bandwidth_gbps="fast", interconnect_azure_vnet_name="",
                     interconnect_state="present")
    del variables["interconnect_oci_vcn_id"]
    checked = argument_check(SPECS["verify"]["options"], variables, None, REQUIRED_IF)
    assert [found["message"] for found in checked["problems"]] == argument_problems(SPECS["verify"]["options"], variables,
                                                                                    REQUIRED_IF)
    # interconnect_oci_vcn_id is required by the mode (interconnect_create_networks false), so it comes after the spec's.
    assert [(found["field"], found["value"]) for found in checked["problems"]] == [
        ("interconnect_azure_vnet_name", ""), ("interconnect_bandwidth_gbps", "fast"), ("interconnect_oci_vcn_id", None)]
    # interconnect_state is no option of verify: not judged, and kept.
    assert checked["usable"] == dict((name, value) for name, value in variables.items() if name not in (
        "interconnect_azure_vnet_name", "interconnect_bandwidth_gbps"))


def test_a_value_equal_to_unset_is_not_set():
    variables = dict(DEMO_HOST, interconnect_azure_circuit_name=OMIT, interconnect_azure_connection_name=OMIT)
    checked = argument_check(SPECS["main"]["options"], variables, OMIT)
    assert [found["message"] for found in checked["problems"]] == [
        "interconnect_azure_circuit_name is missing: it is not set. It is the name of the ExpressRoute circuit."]
    # An optional variable that is not set has no problem, and no value to use.
    assert "interconnect_azure_connection_name" not in checked["usable"]
    assert "interconnect_azure_circuit_name" not in checked["usable"]
    assert checked["usable"]["interconnect_azure_vnet_name"] == DEMO_HOST["interconnect_azure_vnet_name"]


def test_a_usable_variable_is_kept_as_its_options_type():
    # As -e gives it: one string for a list variable is that list, not its characters.
    variables = dict(DEMO_HOST, interconnect_oci_route_table_ids="ocid1.routetable.oc1.ap-tokyo-1.a,ocid1.routetable.oc1.ap-tokyo-1.b",
                     interconnect_bandwidth_gbps="2")
    checked = argument_check(SPECS["main"]["options"], variables)
    assert checked["problems"] == []
    assert checked["usable"]["interconnect_oci_route_table_ids"] == [
        "ocid1.routetable.oc1.ap-tokyo-1.a", "ocid1.routetable.oc1.ap-tokyo-1.b"]
    assert checked["usable"]["interconnect_bandwidth_gbps"] == 2


def test_a_list_given_for_a_name_is_kept_as_given_for_the_preflight_to_refuse():
    checked = argument_check(SPECS["main"]["options"], dict(DEMO_HOST, interconnect_azure_circuit_name=["er-tokyo-oci"]))
    assert checked["usable"]["interconnect_azure_circuit_name"] == ["er-tokyo-oci"]
