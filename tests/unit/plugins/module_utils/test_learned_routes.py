"""The judgement of the routes BGP carries (desired.learned_routes_judged), on the reads of a converged
interconnect (test_desired.converged) plus the learned routes a verify reads."""
import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils import desired
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_desired import (
    EXPECTED,
    PLAN,
    converged,
)

VC_ATTACHMENT = "ocid1.drgattachment.oc1.iad.vc"
VCN_TABLE = "ocid1.drgroutetable.oc1.iad.vcn"


def route(network, path="31898"):
    return {"network": network, "next_hop": "10.255.0.1", "path": path}


def rule(destination, next_hop=VC_ATTACHMENT, route_type="DYNAMIC"):
    return {"destination": destination, "route_type": route_type, "next_hop_drg_attachment_id": next_hop}


def healthy_reads():
    """The reads of a converged interconnect with BGP carrying each side's CIDRs to the other."""
    azure, oci = converged()
    oci["virtual_circuit"]["display_name"] = "vc-er"
    azure["learned_routes"] = {device: [route(cidr) for cidr in PLAN["oci_vcn_cidrs"]] + [route("10.10.0.0/16", "65515")]
                               for device in ("primary", "secondary")}
    oci["learned_routes"] = {"drg_route_table_id": VCN_TABLE, "virtual_circuit_attachment_id": VC_ATTACHMENT,
                             "rules": [rule(cidr) for cidr in PLAN["azure_vnet_cidrs"]]
                             + [rule(cidr, next_hop="ocid1.drgattachment.oc1.iad.vcn") for cidr in PLAN["oci_vcn_cidrs"]]}
    return azure, oci


def judged(change=None):
    azure, oci = healthy_reads()
    if change:
        change(azure, oci)
    return desired.learned_routes_judged(azure, oci, PLAN)


def test_a_healthy_interconnect_lists_what_each_side_learns():
    report = judged()
    assert report == dict(azure={"primary": ["10.20.0.0/16"], "secondary": ["10.20.0.0/16"]},
                          oci=["10.10.0.0/16"], unexpected=[], problems=[])


def test_without_the_route_reads_nothing_is_judged():
    azure, oci = converged()
    assert desired.learned_routes_judged(azure, oci, PLAN) is None
    assert desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED))[0] == []


def _withdraw_on_secondary(azure, oci):
    azure["learned_routes"]["secondary"] = []


def _withdraw_on_oci(azure, oci):
    oci["learned_routes"]["rules"] = [r for r in oci["learned_routes"]["rules"] if r["next_hop_drg_attachment_id"] != VC_ATTACHMENT]


@pytest.mark.parametrize("change, message", [
    (_withdraw_on_secondary, "OCI VCN CIDR 10.20.0.0/16 not learned on the secondary path of circuit er"),
    (lambda azure, oci: azure["learned_routes"].update(primary=[route("10.20.0.0/16", "65515")]),
     "OCI VCN CIDR 10.20.0.0/16 not learned on the primary path of circuit er"),
    (_withdraw_on_oci, "Azure VNet CIDR 10.10.0.0/16 not learned by DRG route table %s over the attachment of "
                       "virtual circuit vc-er" % VCN_TABLE),
    (lambda azure, oci: oci["learned_routes"]["rules"].__setitem__(0, rule("10.10.0.0/16", route_type="STATIC")),
     "Azure VNet CIDR 10.10.0.0/16 not learned by DRG route table %s over the attachment of virtual circuit vc-er"
     % VCN_TABLE),
    (lambda azure, oci: oci["learned_routes"].update(virtual_circuit_attachment_id=None),
     "OCI virtual circuit vc-er has no DRG attachment to learn routes over"),
    (lambda azure, oci: azure["learned_routes"]["primary"].append(route("0.0.0.0/0")),
     "the primary path of circuit er learns a default route 0.0.0.0/0 over the interconnect"),
    (lambda azure, oci: oci["learned_routes"]["rules"].append(rule("10.20.128.0/17")),
     "DRG route table %s learns 10.20.128.0/17, which overlaps its own OCI VCN CIDR 10.20.0.0/16" % VCN_TABLE),
])
def test_each_route_problem_is_named_and_fails_the_verify(change, message):
    report = judged(change)
    assert message in report["problems"], report["problems"]
    azure, oci = healthy_reads()
    change(azure, oci)
    lines, pending = desired.drift_summary(desired.interconnect_drift(azure, oci, PLAN, EXPECTED))
    assert message in lines
    assert not any(pending.values()), "no converge step repairs what BGP carries"


def test_other_prefixes_are_reported_not_failed():
    def extra(azure, oci):
        azure["learned_routes"]["primary"].append(route("172.16.0.0/24", "64512 31898"))
        oci["learned_routes"]["rules"].append(rule("192.168.0.0/24"))
    report = judged(extra)
    assert report["problems"] == []
    assert report["unexpected"] == ["Azure primary: 172.16.0.0/24", "OCI: 192.168.0.0/24"]
    assert report["azure"]["primary"] == ["10.20.0.0/16", "172.16.0.0/24"]
