"""A request body that is not the JSON a call needs is refused in each API's own error shape:
ARM's {"error": {"code", "message"}}, OCI's {"code", "message"} and the admin API's {"error"}."""
import oci
import pytest
import requests

from cloudsim.sim import SimConfig

TENANCY = SimConfig().oci_tenancy_ocid  # the conftest runs the default configuration


@pytest.fixture
def signed_session(running_sim):
    """A requests session that signs like the OCI SDK, for bodies the SDK would never send."""
    config = running_sim.oci_config
    session = requests.Session()
    session.auth = oci.signer.Signer(config["tenancy"], config["user"], config["fingerprint"],
                                     config["key_file"])
    session.verify = str(running_sim.ca_bundle)
    session.trust_env = False
    return session


def raw(running_sim, method, path, body):
    return requests.request(method, running_sim.url + path, data=body, timeout=10,
                            verify=str(running_sim.ca_bundle),
                            headers={"Content-Type": "application/json"})


def test_arm_refuses_malformed_json_and_bodies_that_are_not_objects(arm, resource_group):
    path = arm.subscription_path("/resourceGroups/%s/providers/Microsoft.Network/"
                                 "virtualNetworks/vnet-body" % resource_group)
    malformed = arm.request("PUT", path, data=b"{not json")
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "InvalidRequestContent"
    assert malformed.json()["error"]["message"].startswith("Invalid JSON: Expecting property name")
    for body in (b"[]", b""):
        refused = arm.request("PUT", path, data=body)
        assert (refused.status_code, refused.json()["error"]) == (
            400, {"code": "InvalidRequestFormat", "message": "Cannot parse the request."})


def test_oci_refuses_malformed_json_and_bodies_that_are_not_objects(running_sim, signed_session):
    url = running_sim.oci_endpoint() + "/20160918/drgs"
    headers = {"Content-Type": "application/json"}
    malformed = signed_session.post(url, data=b"{not json", headers=headers, timeout=10)
    assert malformed.status_code == 400 and malformed.json()["code"] == "CannotParseRequest"
    assert malformed.json()["message"].startswith("The request body is not JSON: Expecting")
    for body in (b"[1]", b""):
        refused = signed_session.post(url, data=body, headers=headers, timeout=10)
        assert (refused.status_code, refused.json()["code"], refused.json()["message"]) == (
            400, "CannotParseRequest", "The request body must be a JSON object.")


def test_admin_api_refuses_malformed_json_and_reads_no_body_as_empty(running_sim):
    malformed = raw(running_sim, "PUT", "/_sim/faults", b"{not json")
    assert malformed.status_code == 400
    assert malformed.json()["error"].startswith("body is not JSON: Expecting property name")
    listed = raw(running_sim, "PUT", "/_sim/delays", b"[]")
    assert (listed.status_code, listed.json()) == (400, {"error": "body must be a JSON object"})
    assert raw(running_sim, "POST", "/_sim/fixture", b"").status_code == 204
