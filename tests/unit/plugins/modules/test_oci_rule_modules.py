# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planners of oci_route_rules, oci_security_rules and oci_rules: what they would write, with real SDK models."""

import oci
import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci_rules

MARKER = "managed-by:crosscloud.interconnect"
DRG = "ocid1.drg.oc1.iad.demo"
IGW = "ocid1.internetgateway.oc1.iad.demo"


def route_params(**overrides):
    params = dict(cidrs=["10.1.0.0/16"], network_entity_id=DRG, state="present", purge=False, marker=MARKER)
    params.update(overrides)
    return params


def table(*rules):
    return {"id": "ocid1.routetable.oc1.iad.demo", "route_rules": [
        {"destination": d, "destination_type": "CIDR_BLOCK", "network_entity_id": t, "description": desc,
         "cidr_block": d, "route_type": "STATIC"} for d, t, desc in rules]}


def written_routes(details):
    return [(r.destination, r.network_entity_id, r.description) for r in details.route_rules]


def test_route_plan_adds_ours_after_the_existing_rules():
    details, before, after = oci_rules.route_planner(route_params())(table(("0.0.0.0/0", IGW, None)))
    assert isinstance(details, oci.core.models.UpdateRouteTableDetails)
    assert written_routes(details) == [("0.0.0.0/0", IGW, None), ("10.1.0.0/16", DRG, MARKER)]
    assert len(after) == len(before) + 1


def test_route_plan_is_none_when_done_even_if_written_differently():
    plan = oci_rules.route_planner(route_params(cidrs=["10.1.0.0/16"]))
    details, before, after = plan(table(("0.0.0.0/0", IGW, None), ("10.1.0.0/16", DRG, MARKER)))
    assert details is None and before == after


def test_route_plan_refuses_to_take_over_a_foreign_destination():
    plan = oci_rules.route_planner(route_params())
    with pytest.raises(ValueError, match="routing elsewhere: 10.1.0.0/16 -> %s" % IGW):
        plan(table(("10.1.0.0/16", IGW, "hand-made")))


def test_route_plan_absent_without_cidrs_removes_all_own_rules_only():
    plan = oci_rules.route_planner(route_params(state="absent", cidrs=[]))
    details, dummy, dummy = plan(table(("0.0.0.0/0", IGW, None), ("10.1.0.0/16", DRG, MARKER),
                                       ("10.2.0.0/16", DRG, MARKER + " other")))
    assert written_routes(details) == [("0.0.0.0/0", IGW, None)]


def test_route_plan_absent_with_cidrs_removes_those():
    plan = oci_rules.route_planner(route_params(state="absent", cidrs=["10.2.0.0/16"]))
    details, dummy, dummy = plan(table(("10.1.0.0/16", DRG, MARKER), ("10.2.0.0/16", DRG, MARKER)))
    assert written_routes(details) == [("10.1.0.0/16", DRG, MARKER)]


def test_route_plan_rejects_bad_cidrs():
    with pytest.raises(ValueError, match="'10.1.0.1/16' is not a valid network"):
        oci_rules.route_planner(route_params(cidrs=["10.1.0.1/16"]))


def security_params(**overrides):
    params = dict(cidrs=["10.1.0.0/16"], directions=["ingress"], protocol="all", destination_ports=None,
                  stateless=False, state="present", purge=False, marker=MARKER)
    params.update(overrides)
    return params


SSH_FROM_ANYWHERE = {"source": "0.0.0.0/0", "source_type": "CIDR_BLOCK", "protocol": "6", "is_stateless": False,
                     "description": None, "icmp_options": None, "udp_options": None,
                     "tcp_options": {"destination_port_range": {"min": 22, "max": 22}, "source_port_range": None}}
ALL_OUT = {"destination": "0.0.0.0/0", "destination_type": "CIDR_BLOCK", "protocol": "all", "is_stateless": False,
           "description": None, "icmp_options": None, "udp_options": None, "tcp_options": None}


def security_list(ingress=(), egress=()):
    return {"id": "ocid1.securitylist.oc1.iad.demo", "ingress_security_rules": [SSH_FROM_ANYWHERE] + list(ingress),
            "egress_security_rules": [ALL_OUT] + list(egress)}


def test_security_plan_adds_a_stateful_all_protocol_rule_and_leaves_egress_alone():
    details, dummy, after = oci_rules.security_planner(security_params())(security_list())
    assert details.egress_security_rules is None
    ours = details.ingress_security_rules[-1]
    assert (ours.source, ours.protocol, ours.is_stateless, ours.description) == ("10.1.0.0/16", "all", False, MARKER)
    assert details.ingress_security_rules[0].tcp_options.destination_port_range.min == 22
    assert after["ingress_security_rules"][-1] == "10.1.0.0/16 all (%s)" % MARKER


def test_security_plan_tcp_ports_both_directions_then_idempotent():
    params = security_params(directions=["ingress", "egress"], protocol="tcp", destination_ports="8000-8080")
    plan = oci_rules.security_planner(params)
    details, dummy, dummy = plan(security_list())
    egress = details.egress_security_rules[-1]
    assert (egress.destination, egress.protocol) == ("10.1.0.0/16", "6")
    assert (egress.tcp_options.destination_port_range.min, egress.tcp_options.destination_port_range.max) == (8000, 8080)
    applied = security_list(ingress=[oci.util.to_dict(details.ingress_security_rules[-1])],
                            egress=[oci.util.to_dict(egress)])
    assert plan(applied)[0] is None


def test_security_plan_purge_replaces_own_rules_of_another_protocol():
    own_all = dict(SSH_FROM_ANYWHERE, source="10.1.0.0/16", protocol="all", tcp_options=None, description=MARKER)
    plan = oci_rules.security_planner(security_params(protocol="udp", purge=True))
    details, dummy, dummy = plan(security_list(ingress=[own_all]))
    assert [(r.source, r.protocol) for r in details.ingress_security_rules] == [("0.0.0.0/0", "6"), ("10.1.0.0/16", "17")]


def test_security_plan_absent_removes_own_matching_rules():
    own_all = dict(SSH_FROM_ANYWHERE, source="10.1.0.0/16", protocol="all", tcp_options=None, description=MARKER)
    plan = oci_rules.security_planner(security_params(state="absent"))
    details, dummy, dummy = plan(security_list(ingress=[own_all]))
    assert [r.source for r in details.ingress_security_rules] == ["0.0.0.0/0"]


@pytest.mark.parametrize("overrides, message", [
    (dict(protocol="gre"), "protocol 'gre' is not"),
    (dict(protocol="all", destination_ports="443"), "destination_ports needs protocol tcp or udp"),
    (dict(protocol="tcp", destination_ports="80-70"), "destination_ports '80-70' is not a port"),
    (dict(protocol="tcp", destination_ports="https"), "destination_ports 'https' is not a port"),
])
def test_security_plan_rejects_bad_options(overrides, message):
    with pytest.raises(ValueError, match=message):
        oci_rules.security_planner(security_params(**overrides))
