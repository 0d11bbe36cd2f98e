"""OCI Core display names through the real oci SDK: 1-255 characters on create and update,
refused with the recorded 400 InvalidParameter; any characters accepted. Sources:
cloudsim/oci/naming.py and cloudsim/README.md."""
import pytest
from oci.core.models import (CreateDrgAttachmentDetails, CreateDrgDetails, CreateRouteTableDetails,
                             CreateSecurityListDetails, CreateVcnDetails,
                             CreateVirtualCircuitDetails, UpdateDrgDetails, UpdateVcnDetails)

from cloudsim.oci.testing import network_client, service_error
from cloudsim.sim import SimConfig

TENANCY = SimConfig().oci_tenancy_ocid  # the conftest runs the default configuration
REFUSED = (400, "InvalidParameter", "displayName size must be between 1 and 255")


@pytest.fixture
def client(running_sim):
    return network_client(running_sim)


def new_drg(client, name):
    return client.create_drg(CreateDrgDetails(compartment_id=TENANCY, display_name=name)).data


def new_vcn(client, name):
    return client.create_vcn(CreateVcnDetails(compartment_id=TENANCY, cidr_block="10.20.0.0/16",
                                              display_name=name)).data


def answer(call):
    error = service_error(call)
    return error.status, error.code, error.message


@pytest.mark.parametrize("name", ["", "x" * 256, "\U0001f600" * 128])
@pytest.mark.parametrize("create", [new_drg, new_vcn])
def test_a_display_name_of_the_wrong_length_is_refused(client, create, name):
    assert answer(lambda: create(client, name)) == REFUSED
    assert client.list_drgs(TENANCY).data == [] and client.list_vcns(TENANCY).data == []


@pytest.mark.parametrize("name", ["x", "x" * 255, "\U0001f600" * 127 + "x", "with spaces",
                                  "日本語の名前", "['x']", "-starts.and.ends-", " padded ",
                                  "a/b"])
def test_any_characters_within_the_length_are_kept_as_given(client, name):
    assert new_drg(client, name).display_name == name
    assert new_vcn(client, name).display_name == name


def test_no_display_name_still_gets_a_default(client):
    assert new_drg(client, None).display_name.startswith("drg")


def test_updates_are_held_to_the_same_length(client):
    drg, vcn = new_drg(client, "gw"), new_vcn(client, "net")
    for name in ("", "y" * 256):
        assert answer(lambda: client.update_drg(drg.id, UpdateDrgDetails(display_name=name))) \
            == REFUSED
        assert answer(lambda: client.update_vcn(vcn.id, UpdateVcnDetails(display_name=name))) \
            == REFUSED
    assert client.get_drg(drg.id).data.display_name == "gw"
    renamed = client.update_drg(drg.id, UpdateDrgDetails(display_name="y" * 255)).data
    assert renamed.display_name == "y" * 255


def test_every_kind_checks_its_display_name(client):
    drg, vcn = new_drg(client, "gw"), new_vcn(client, "net")
    creates = [
        lambda name: client.create_route_table(CreateRouteTableDetails(
            compartment_id=TENANCY, vcn_id=vcn.id, route_rules=[], display_name=name)),
        lambda name: client.create_security_list(CreateSecurityListDetails(
            compartment_id=TENANCY, vcn_id=vcn.id, ingress_security_rules=[],
            egress_security_rules=[], display_name=name)),
        lambda name: client.create_drg_attachment(CreateDrgAttachmentDetails(
            drg_id=drg.id, vcn_id=vcn.id, display_name=name)),
        lambda name: client.create_virtual_circuit(CreateVirtualCircuitDetails(
            compartment_id=TENANCY, type="PRIVATE", display_name=name)),
    ]
    for create in creates:
        assert answer(lambda: create("")) == REFUSED
        assert answer(lambda: create("z" * 256)) == REFUSED
    for create in creates[:3]:
        assert create("z" * 255).data.display_name == "z" * 255


def test_fixture_entries_pass_the_same_check(running_sim):
    fixture = {"oci": {"drgs": [{"id": "ocid1.drg.oc1.ap-tokyo-1.named", "compartmentId": TENANCY,
                                 "displayName": ""}]}}
    with pytest.raises(ValueError, match="displayName size must be between 1 and 255"):
        running_sim.sim.load_fixture(fixture)
