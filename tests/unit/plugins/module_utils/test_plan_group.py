# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan's checks of an interconnect group (a redundant pair in the two peering locations of one metro)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import (
    check_group,
    failure_message,
    run_checks,
)

SHARED = dict(
    interconnect_azure_location="eastus", interconnect_oci_region="us-ashburn-1",
    interconnect_azure_resource_group="rg-pair", interconnect_azure_vnet_name="vnet-pair",
    interconnect_azure_gateway_name="ergw-pair", interconnect_oci_vcn_id="ocid1.vcn.oc1.iad.pair",
    interconnect_oci_drg_id="ocid1.drg.oc1.iad.pair",
)
DC = dict(SHARED, interconnect_azure_peering_location="Washington DC", interconnect_bgp_cidr="10.255.1.0/29",
          interconnect_bandwidth_gbps=1)
DC2 = dict(SHARED, interconnect_azure_peering_location="Washington DC2", interconnect_bgp_cidr="10.255.1.8/29",
           interconnect_bandwidth_gbps=1)


def group_of(**members):
    return check_group("pair", "dc", dict(members))


def test_a_metro_pair_sharing_gateway_and_drg_is_accepted():
    assert group_of(dc=DC, dc2=DC2) == ([], [])


def test_names_compare_as_the_clouds_do():
    # ARM names ignore case and Azure accepts "East US" for eastus.
    other = dict(DC2, interconnect_azure_vnet_name="VNET-Pair", interconnect_azure_location="East US")
    assert group_of(dc=DC, dc2=other) == ([], [])


def test_the_same_peering_location_is_refused_naming_the_other_member():
    problems, _warnings = group_of(dc=DC, dc2=dict(DC2, interconnect_azure_peering_location="washington dc"))
    assert [found["field"] for found in problems] == ["interconnect_azure_peering_location"]
    message = problems[0]["message"]
    assert "interconnect_azure_peering_location=Washington DC of dc is also the peering location of dc2" in message
    assert "interconnect_group=pair" in message


def test_a_location_outside_the_metro_is_refused():
    problems, _warnings = group_of(dc=DC, dc2=dict(DC2, interconnect_azure_peering_location="Chicago"))
    assert len(problems) == 1
    assert "interconnect_azure_peering_location=Chicago of dc2" in problems[0]["message"]
    assert "Washington DC, Washington DC2" in problems[0]["message"]


def test_a_region_with_one_peering_location_has_no_pair():
    tokyo = dict(DC, interconnect_azure_location="japaneast", interconnect_oci_region="ap-tokyo-1",
                 interconnect_azure_peering_location="Tokyo")
    problems, _warnings = check_group("pair", "a", {"a": tokyo, "b": dict(tokyo)})
    assert [found["field"] for found in problems] == ["interconnect_azure_peering_location"]


def test_every_shared_resource_that_differs_is_a_problem_naming_both_values():
    other = dict(DC2, interconnect_azure_gateway_name="ergw-other", interconnect_oci_drg_id="ocid1.drg.oc1.iad.other",
                 interconnect_oci_region="us-phoenix-1")
    problems, _warnings = group_of(dc=DC, dc2=other)
    fields = sorted(found["field"] for found in problems)
    assert fields == ["interconnect_azure_gateway_name", "interconnect_oci_drg_id", "interconnect_oci_region"]
    drg = next(found for found in problems if found["field"] == "interconnect_oci_drg_id")
    assert drg["message"].startswith("interconnect_oci_drg_id=ocid1.drg.oc1.iad.pair of dc differs from "
                                     "interconnect_oci_drg_id=ocid1.drg.oc1.iad.other of dc2")


def test_another_bandwidth_is_a_warning_not_a_problem():
    problems, warnings = group_of(dc=DC, dc2=dict(DC2, interconnect_bandwidth_gbps=2))
    assert problems == []
    assert len(warnings) == 1 and "interconnect_bandwidth_gbps=1 of dc differs from interconnect_bandwidth_gbps=2 of dc2" \
        in warnings[0]


def module_params(member, others, **extra):
    """The interconnect_plan parameters of host ``member`` (as the role passes them, without the reads)."""
    values = dict(DC if member == "dc" else DC2)
    params = dict(
        azure_vnet_cidrs=["10.10.0.0/16"], oci_vcn_cidrs=["10.20.0.0/16"], bgp_cidr=values["interconnect_bgp_cidr"],
        gateway_subnet_cidr="10.10.255.0/27", bandwidth_gbps=values["interconnect_bandwidth_gbps"], bandwidth_mbps=None,
        azure_region="eastus", oci_region="us-ashburn-1", peering_location=values["interconnect_azure_peering_location"],
        region_pairs=[], region_pairs_replace=False, interconnect_name=member, inventory_bgp_cidrs=None,
        inputs=None, group=dict(name="pair", members=dict(others, **{member: dict(SHARED)})))
    params.update(extra)
    return params


def test_run_checks_takes_this_members_values_from_its_own_options():
    # The member's own location, /29 and bandwidth come from the options, the other's from the group.
    plan, problems, _drift = run_checks(module_params("dc", {"dc2": DC2}))
    assert problems == [] and plan["peering_location"] == "Washington DC"


def test_run_checks_refuses_the_other_members_29_with_limit_naming_it():
    # With --limit the other member is not in the run's inventory_bgp_cidrs: its /29 comes from the group.
    params = module_params("dc", {"dc2": dict(DC2, interconnect_bgp_cidr="10.255.1.0/29")})
    plan, problems, _drift = run_checks(params)
    assert plan is None
    assert len(problems) == 1 and problems[0]["field"] in ("inventory_bgp_cidrs.dc", "inventory_bgp_cidrs.dc2")
    assert "is the same range as interconnect" in problems[0]["message"]
    assert "'dc2' (10.255.1.0/29)" in problems[0]["message"] and "'dc' (10.255.1.0/29)" in problems[0]["message"]


def test_run_checks_lists_group_and_plan_problems_in_one_refusal_and_passes_warnings_on():
    warnings = []
    other = dict(DC2, interconnect_azure_peering_location="Washington DC", interconnect_bandwidth_gbps=2)
    params = module_params("dc", {"dc2": other}, bgp_cidr="10.255.1.1/29")
    plan, problems, _drift = run_checks(params, warnings=warnings)
    assert plan is None
    fields = [found["field"] for found in problems]
    assert "interconnect_azure_peering_location" in fields and "bgp_cidr" in fields
    assert failure_message(problems).startswith("The interconnect plan has %d problems" % len(problems))
    assert len(warnings) == 1 and "interconnect_bandwidth_gbps" in warnings[0]


def test_without_a_group_nothing_changes():
    params = module_params("dc", {}, group=None)
    plan, problems, _drift = run_checks(params)
    assert problems == [] and plan is not None
