"""The ``oci`` fixture format of cloudsim/oci/FIXTURE.md, loaded over the admin API and read back
through the real oci SDK. The example in FIXTURE.md is the one loaded, so the document stays true."""
import json
import re
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cloudsim.oci.testing import network_client

FIXTURE_DOC = Path(__file__).resolve().parents[2] / "cloudsim" / "oci" / "FIXTURE.md"
COMPARTMENT = "ocid1.compartment.oc1..demo"
VCN = "ocid1.vcn.oc1.ap-tokyo-1.demo"


@pytest.fixture
def documented_fixture():
    return json.loads(re.search(r"```json\n(.*?)```", FIXTURE_DOC.read_text(), re.S).group(1))


def post_fixture(running_sim, fixture):
    """POST /_sim/fixture; the HTTP status (the admin helper raises on errors)."""
    request = urllib.request.Request(running_sim.url + "/_sim/fixture", method="POST",
                                     data=json.dumps(fixture).encode(),
                                     headers={"Content-Type": "application/json"})
    context = ssl.create_default_context(cafile=str(running_sim.ca_bundle))
    try:
        with urllib.request.urlopen(request, context=context) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_documented_fixture_loads_and_reads_back(running_sim, documented_fixture):
    assert post_fixture(running_sim, documented_fixture) == 204
    client = network_client(running_sim)

    vcn = client.get_vcn(VCN).data
    assert (vcn.lifecycle_state, vcn.cidr_blocks, vcn.compartment_id) == \
        ("AVAILABLE", ["10.20.0.0/16"], COMPARTMENT)
    assert vcn.default_route_table_id == "ocid1.routetable.oc1.ap-tokyo-1.demo"
    assert vcn.default_security_list_id == "ocid1.securitylist.oc1.ap-tokyo-1.demo"
    attachment = client.list_drg_attachments(COMPARTMENT, vcn_id=VCN).data
    assert [(found.drg_id, found.lifecycle_state) for found in attachment] == \
        [("ocid1.drg.oc1.ap-tokyo-1.demo", "ATTACHED")]
    rules = client.get_security_list(vcn.default_security_list_id).data.ingress_security_rules
    assert [(rule.protocol, rule.tcp_options.destination_port_range.max) for rule in rules] == \
        [("6", 22)]
    assert [drg.display_name for drg in client.list_drgs(COMPARTMENT).data] == ["demo-drg"]


def test_vcn_without_listed_children_gets_defaults(running_sim):
    fixture = {"oci": {"vcns": [{"id": VCN, "compartmentId": running_sim.oci_config["tenancy"],
                                 "cidrBlocks": ["10.30.0.0/16"]}]}}
    assert post_fixture(running_sim, fixture) == 204
    client = network_client(running_sim)
    vcn = client.get_vcn(VCN).data
    table = client.get_route_table(vcn.default_route_table_id).data
    assert (table.vcn_id, table.route_rules) == (VCN, [])
    assert client.get_security_list(vcn.default_security_list_id).data.egress_security_rules


@pytest.mark.parametrize("breakage", [
    {"oci": {"routetables": []}},  # a misspelt key
    {"oci": {"drgs": [{"id": "ocid1.drg.oc1..x", "compartmentId": "ocid1.compartment.oc1..unknown"}]}},
    {"oci": {"drgs": [{"compartmentId": "ocid1.tenancy.oc1..cloudsimtenancy"}]}},  # no id
    {"oci": {"drgs": [{"id": "ocid1.drg.oc1..twice", "compartmentId": "ocid1.tenancy.oc1..cloudsimtenancy"}] * 2}},
])
def test_invalid_fixtures_are_refused(running_sim, breakage):
    assert post_fixture(running_sim, breakage) == 400


def test_route_to_an_unattached_drg_is_refused_whole(running_sim, documented_fixture):
    del documented_fixture["oci"]["drgAttachments"]
    documented_fixture["oci"]["routeTables"][0]["routeRules"][0]["networkEntityId"] = \
        "ocid1.drg.oc1.ap-tokyo-1.demo"
    assert post_fixture(running_sim, documented_fixture) == 400
    state = running_sim.admin("GET", "state")["oci"]
    assert state["resources"] == {}  # nothing of the refused fixture stayed behind
    assert COMPARTMENT not in state["compartments"]
