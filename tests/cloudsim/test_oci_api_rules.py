"""Rules every OCI Core call follows: etags and if-match, retry tokens, paging, 404s, request
ids, compartments; plus the FastConnect provider catalogue."""
import oci
import pytest
from oci.core.models import CreateDrgDetails, CreateVcnDetails, UpdateDrgDetails

from cloudsim.oci.testing import network_client, service_error
from cloudsim.sim import SimConfig

TENANCY = SimConfig().oci_tenancy_ocid  # the conftest runs the default configuration


@pytest.fixture
def client(running_sim):
    return network_client(running_sim)


def new_drg(client, name="gw", compartment=TENANCY, **kwargs):
    return client.create_drg(CreateDrgDetails(compartment_id=compartment, display_name=name), **kwargs)


def test_every_answer_has_a_request_id_and_resources_an_etag(client):
    created = new_drg(client)
    assert created.headers["etag"] and created.request_id
    fetched = client.get_drg(created.data.id)  # PROVISIONING -> AVAILABLE is a change too
    assert fetched.headers["etag"] != created.headers["etag"]
    assert client.get_drg(created.data.id).headers["etag"] == fetched.headers["etag"]
    renamed = client.update_drg(created.data.id, UpdateDrgDetails(display_name="renamed"))
    assert renamed.headers["etag"] != fetched.headers["etag"]
    assert service_error(lambda: client.get_drg("ocid1.drg.oc1..missing")).request_id


def test_if_match_guards_updates_and_deletes(client):
    created = new_drg(client)
    stale = created.headers["etag"]
    current = client.update_drg(created.data.id, UpdateDrgDetails(display_name="b")).headers["etag"]

    error = service_error(lambda: client.update_drg(
        created.data.id, UpdateDrgDetails(display_name="c"), if_match=stale))
    assert (error.status, error.code) == (412, "NoEtagMatch")
    error = service_error(lambda: client.delete_drg(created.data.id, if_match=stale))
    assert (error.status, error.code) == (412, "NoEtagMatch")
    assert client.get_drg(created.data.id).data.display_name == "b"

    updated = client.update_drg(created.data.id, UpdateDrgDetails(display_name="c"),
                                if_match=current)
    assert updated.data.display_name == "c"
    assert client.delete_drg(created.data.id, if_match=updated.headers["etag"]).status == 204


def test_retry_token_replay_returns_the_first_resource(client):
    first = new_drg(client, opc_retry_token="replayed-token").data
    again = new_drg(client, opc_retry_token="replayed-token").data
    assert again.id == first.id
    assert [drg.id for drg in client.list_drgs(TENANCY).data] == [first.id]

    error = service_error(lambda: new_drg(client, "other",
                                          opc_retry_token="replayed-token"))
    assert error.status == 409
    assert new_drg(client, opc_retry_token="fresh-token").data.id != first.id


def test_lists_page_with_limit_and_opc_next_page(client):
    created = [new_drg(client, "gw%d" % index).data.id for index in range(5)]
    first = client.list_drgs(TENANCY, limit=2)
    assert len(first.data) == 2 and first.has_next_page
    seen, page = [drg.id for drg in first.data], first.next_page
    while page:
        answer = client.list_drgs(TENANCY, limit=2, page=page)
        seen += [drg.id for drg in answer.data]
        page = answer.next_page
    assert seen == created
    everything = oci.pagination.list_call_get_all_results(client.list_drgs, TENANCY, limit=2)
    assert [drg.id for drg in everything.data] == created
    assert service_error(lambda: client.list_drgs(TENANCY, page="garbage")).status == 400


def test_lists_filter_and_sort_as_the_sdk_asks(client):
    for index, name in enumerate(("b", "a", "c")):
        client.create_vcn(CreateVcnDetails(compartment_id=TENANCY, display_name=name,
                                           cidr_block="10.%d.0.0/16" % index))

    def names(**query):
        return [vcn.display_name for vcn in client.list_vcns(TENANCY, **query).data]

    assert names() == ["b", "a", "c"]
    assert names(sort_by="DISPLAYNAME") == ["a", "b", "c"]
    assert names(sort_by="DISPLAYNAME", sort_order="DESC") == ["c", "b", "a"]
    assert names(sort_by="TIMECREATED", sort_order="ASC") == ["b", "a", "c"]
    assert names(sort_by="TIMECREATED") == ["c", "a", "b"]  # OCI's default: newest first
    assert names(display_name="a") == ["a"]
    assert names(lifecycle_state="TERMINATED") == []
    assert client.list_drgs(TENANCY).data == []  # other types stay out of a listing


def test_unknown_ids_and_wrong_types_are_404(client):
    drg = new_drg(client).data
    for call in (lambda: client.get_drg("ocid1.drg.oc1.ap-tokyo-1.nothing"),
                 lambda: client.get_vcn(drg.id),
                 lambda: client.delete_vcn(drg.id),
                 lambda: client.get_fast_connect_provider_service(drg.id)):
        error = service_error(call)
        assert (error.status, error.code) == (404, "NotAuthorizedOrNotFound")


def test_unknown_compartment_is_404(client):
    unknown = "ocid1.compartment.oc1..notmine"
    error = service_error(lambda: client.list_drgs(unknown))
    assert (error.status, error.code) == (404, "NotAuthorizedOrNotFound")
    error = service_error(lambda: client.create_drg(CreateDrgDetails(compartment_id=unknown)))
    assert error.status == 404
    assert client.list_drgs(TENANCY).data == []


def test_fixture_compartments_are_known(running_sim, client):
    running_sim.sim.oci.load_fixture({"compartments": [{"id": "ocid1.compartment.oc1..demo"}]})
    new_drg(client, compartment="ocid1.compartment.oc1..demo")
    assert [drg.compartment_id for drg in client.list_drgs("ocid1.compartment.oc1..demo").data] \
        == ["ocid1.compartment.oc1..demo"]


def test_provider_catalogue_offers_azure_expressroute(client):
    services = client.list_fast_connect_provider_services(TENANCY).data
    azure = [service for service in services if service.provider_name == "Microsoft Azure"]
    assert len(azure) == 1 and len(services) > 1
    azure = azure[0]
    assert (azure.provider_service_name, azure.type) == ("ExpressRoute", "LAYER3")
    assert azure.supported_virtual_circuit_types == ["PRIVATE"]
    assert client.get_fast_connect_provider_service(azure.id).data == azure
    shapes = client.list_fast_connect_provider_virtual_circuit_bandwidth_shapes(azure.id).data
    assert [(shape.name, shape.bandwidth_in_mbps) for shape in shapes] == [
        ("1 Gbps", 1000), ("2 Gbps", 2000), ("5 Gbps", 5000), ("10 Gbps", 10000)]
    error = service_error(lambda: client.get_fast_connect_provider_service_key(
        azure.id, "00000000-0000-0000-0000-000000000000"))
    assert (error.status, error.code) == (404, "NotAuthorizedOrNotFound")


def test_colocated_bandwidth_shapes(client):
    shapes = client.list_virtual_circuit_bandwidth_shapes(TENANCY).data
    assert [shape.bandwidth_in_mbps for shape in shapes] == [1000, 10000, 100000]
    error = service_error(lambda: client.list_virtual_circuit_bandwidth_shapes(
        "ocid1.compartment.oc1..notmine"))
    assert error.status == 404
