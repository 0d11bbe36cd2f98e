"""OCI Core is regional (cloudsim/oci/regions.py): each region's endpoint serves, lists and
references its own resources only, and refuses another region's as OCI refuses what it cannot
find (404 NotAuthorizedOrNotFound, Oracle's "API Errors"). Driven by the real oci SDK."""
import oci
import pytest
import requests
from oci.core.models import (CreateDrgAttachmentDetails, CreateDrgDetails, RouteRule,
                             UpdateDrgDetails, UpdateRouteTableDetails)

from cloudsim.oci.testing import network_client, service_error, wait_for
from cloudsim.sim import SimConfig
from test_coupling import create_circuit, create_virtual_circuit

TENANCY = SimConfig().oci_tenancy_ocid
TOKYO, LONDON = "ap-tokyo-1", "uk-london-1"


def ocid(kind, region, name="site"):
    return "ocid1.%s.oc1.%s.%s" % (kind, region, name)


def site(region, cidr):
    """One VCN with an attached DRG in ``region``, as the demo fixture has per site."""
    return {"vcns": [{"id": ocid("vcn", region), "compartmentId": TENANCY, "cidrBlocks": [cidr]}],
            "drgs": [{"id": ocid("drg", region), "compartmentId": TENANCY}],
            "drgAttachments": [{"id": ocid("drgattachment", region), "drgId": ocid("drg", region),
                                "vcnId": ocid("vcn", region)}]}


@pytest.fixture
def two_regions(running_sim):
    tokyo, london = site(TOKYO, "10.20.0.0/16"), site(LONDON, "10.30.0.0/16")
    running_sim.sim.load_fixture({"oci": {key: tokyo[key] + london[key] for key in tokyo}})
    return running_sim


@pytest.fixture
def tokyo(two_regions):
    return network_client(two_regions, region=TOKYO)


@pytest.fixture
def london(two_regions):
    return network_client(two_regions, region=LONDON)


def refused_as_not_found(call):
    error = service_error(call)
    assert (error.status, error.code, error.message) == (
        404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.")


def test_another_regions_resource_is_not_found_through_this_regions_endpoint(tokyo, london):
    london_drg = ocid("drg", LONDON)
    assert london.get_drg(london_drg).data.lifecycle_state == "AVAILABLE"
    refused_as_not_found(lambda: tokyo.get_drg(london_drg))
    refused_as_not_found(lambda: tokyo.update_drg(london_drg, UpdateDrgDetails(display_name="moved")))
    refused_as_not_found(lambda: tokyo.delete_drg(london_drg))
    assert london.get_drg(london_drg).data.display_name != "moved"   # nothing happened to it
    assert london.get_drg(london_drg).data.lifecycle_state == "AVAILABLE"


def test_lists_show_the_regions_own_resources(tokyo, london):
    assert [vcn.id for vcn in tokyo.list_vcns(TENANCY).data] == [ocid("vcn", TOKYO)]
    assert [drg.id for drg in london.list_drgs(TENANCY).data] == [ocid("drg", LONDON)]
    # Every region has its own FastConnect provider services.
    for client, region in ((tokyo, TOKYO), (london, LONDON)):
        services = client.list_fast_connect_provider_services(TENANCY).data
        assert services and all(".%s." % region in service.id for service in services)


def test_new_ocids_carry_the_region_of_the_endpoint_that_created_them(london):
    created = london.create_drg(CreateDrgDetails(compartment_id=TENANCY)).data
    assert created.id.startswith("ocid1.drg.oc1.uk-london-1.")
    vcn = london.get_vcn(ocid("vcn", LONDON)).data
    assert ".uk-london-1." in vcn.default_route_table_id


def test_a_body_naming_another_regions_resource_is_refused(tokyo, london):
    drg = tokyo.create_drg(CreateDrgDetails(compartment_id=TENANCY)).data
    wait_for(lambda: tokyo.get_drg(drg.id).data, lambda found: found.lifecycle_state == "AVAILABLE")
    error = service_error(lambda: tokyo.create_drg_attachment(CreateDrgAttachmentDetails(
        drg_id=drg.id, vcn_id=ocid("vcn", LONDON))))
    assert (error.status, error.code) == (404, "RelatedResourceNotAuthorizedOrNotFound")
    # A route rule to another region's DRG: that DRG is no target of this region.
    table = tokyo.get_vcn(ocid("vcn", TOKYO)).data.default_route_table_id
    error = service_error(lambda: tokyo.update_route_table(table, UpdateRouteTableDetails(route_rules=[
        RouteRule(destination="10.40.0.0/16", network_entity_id=ocid("drg", LONDON))])))
    assert (error.status, error.code) == (400, "InvalidParameter")


def test_a_virtual_circuit_is_in_the_region_of_its_endpoint(two_regions, london, azure_network,
                                                            resource_group):
    circuit = create_circuit(azure_network, resource_group, "er-london", 1000)
    provider = next(service for service in london.list_fast_connect_provider_services(TENANCY).data
                    if service.provider_name == "Microsoft Azure")
    created = create_virtual_circuit(london, provider, london.get_drg(ocid("drg", LONDON)).data,
                                     circuit.service_key)
    assert created.id.startswith("ocid1.virtualcircuit.oc1.uk-london-1.")
    assert created.region == LONDON
    # One service key, one virtual circuit: another region does not take it a second time.
    tokyo = network_client(two_regions, region=TOKYO)
    tokyo_provider = next(service for service in tokyo.list_fast_connect_provider_services(TENANCY).data
                          if service.provider_name == "Microsoft Azure")
    error = service_error(lambda: create_virtual_circuit(
        tokyo, tokyo_provider, tokyo.get_drg(ocid("drg", TOKYO)).data, circuit.service_key))
    assert (error.status, error.code) == (409, "Conflict")


@pytest.mark.parametrize("path", ["/20160918/drgs", "/oci/xx-nowhere-1/20160918/drgs",
                                  "/oci/ap-tokyo-1/drgs"])
def test_a_path_outside_every_regions_api_is_not_found(running_sim, path):
    config = running_sim.oci_config
    answer = requests.get(running_sim.url + path, params={"compartmentId": TENANCY}, timeout=10,
                          verify=str(running_sim.ca_bundle),
                          auth=oci.signer.Signer(config["tenancy"], config["user"],
                                                 config["fingerprint"], config["key_file"]))
    assert answer.status_code == 404 and answer.json()["code"] == "NotAuthorizedOrNotFound"
    assert "/oci/<region>/20160918/" in answer.json()["message"]


def test_a_fixture_entry_of_a_region_not_served_is_refused(running_sim):
    with pytest.raises(ValueError, match="names region 'xx-nowhere-1', not one of the served regions"):
        running_sim.sim.load_fixture({"oci": {"drgs": [
            {"id": ocid("drg", "xx-nowhere-1"), "compartmentId": TENANCY}]}})
