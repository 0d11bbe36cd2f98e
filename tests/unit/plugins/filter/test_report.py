"""The interconnect_report_view filter: the report's rows of the rules, from the reads."""
from ansible_collections.crosscloud.interconnect.plugins.filter.report import interconnect_report_view
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_desired import (
    DRG,
    EXPECTED,
    MARKER,
    PLAN,
    converged,
)


def view(azure, oci, **options):
    return interconnect_report_view(azure, oci, PLAN, MARKER, DRG, route_table_ids=EXPECTED["route_table_ids"],
                                    security_list_ids=EXPECTED["security_list_ids"], **options)


def test_a_converged_interconnect_shows_its_rules_as_planned():
    shown = view(*converged())
    assert [(row["kind"], row["state"]) for row in shown["azure"] + shown["oci"]] == [
        ("NSG", "as planned"), ("Route table", "as planned"), ("Security list", "as planned")]
    assert shown["oci"][0]["rules"] == ["10.10.0.0/16 -> %s" % DRG]
    assert shown["oci"][1]["rules"] == ["ingress 10.10.0.0/16, protocol all, stateful"]
    assert shown["unhealthy_parts"] == []


def test_drift_is_shown_as_found_or_as_repaired_and_an_unread_nsg_says_so():
    azure, oci = converged()
    oci["route_tables"][0]["route_rules"].pop()
    drift = "drift: route table ocid1.routetable.oc1.iad.rt: rule for 10.10.0.0/16 missing"
    shown = view(azure, oci, nsg_names=["nsg", "other"], problems=[drift[len("drift: "):]])
    assert shown["oci"][0]["state"] == drift and shown["unhealthy_parts"] == ["vcn"]
    assert shown["azure"][1]["state"] == "could not be read"
    repaired = view(azure, oci, repaired=True)["oci"][0]
    assert repaired["repaired"] and repaired["state"] == "repaired in this run: " + drift[len("drift: "):]
