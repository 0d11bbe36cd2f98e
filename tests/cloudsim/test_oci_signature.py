"""cloudsim verifies OCI API-key request signatures the way OCI does.

The SDK's own signer (``oci.signer.Signer``) is used as a plain ``requests`` auth object to
build requests that are correct except for the one thing each test breaks.
"""
import email.utils
import json
import time

import oci
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cloudsim.oci.testing import network_client, service_error


@pytest.fixture
def signer(running_sim):
    config = running_sim.oci_config
    return oci.signer.Signer(config["tenancy"], config["user"], config["fingerprint"],
                             config["key_file"])


@pytest.fixture
def session(running_sim):
    http = requests.Session()
    http.verify = str(running_sim.ca_bundle)
    http.trust_env = False
    return http


def drgs_url(running_sim):
    return "%s/20160918/drgs" % running_sim.oci_endpoint()


def drg_body(running_sim, name="signed"):
    return json.dumps({"compartmentId": running_sim.oci_config["tenancy"], "displayName": name})


def write_new_key(path):
    """A fresh API signing key written where an OCI config's key_file can name it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def assert_not_authenticated(answer):
    assert answer.status_code == 401, answer.text
    assert answer.json()["code"] == "NotAuthenticated"
    assert answer.headers["opc-request-id"]


def test_sdk_client_is_accepted(running_sim):
    client = network_client(running_sim)
    services = client.list_fast_connect_provider_services(running_sim.oci_config["tenancy"])
    assert services.status == 200 and services.data


def test_hand_signed_request_is_accepted(running_sim, signer, session):
    # Any correct client works, not just the SDK's call path: sign with plain requests.
    answer = session.post(drgs_url(running_sim), data=drg_body(running_sim), auth=signer,
                          headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["displayName"] == "signed"


def test_missing_authorization_is_refused(running_sim, session):
    answer = session.get(drgs_url(running_sim),
                         params={"compartmentId": running_sim.oci_config["tenancy"]})
    assert_not_authenticated(answer)


def test_unregistered_key_is_refused(running_sim, tmp_path):
    key_file = tmp_path / "other.pem"
    write_new_key(key_file)
    client = network_client(running_sim, config={**running_sim.oci_config,
                                                 "key_file": str(key_file)})
    error = service_error(lambda: client.list_drgs(running_sim.oci_config["tenancy"]))
    assert (error.status, error.code) == (401, "NotAuthenticated")


def test_key_registered_later_is_accepted(running_sim, tmp_path):
    key_file = tmp_path / "second.pem"
    other_key = write_new_key(key_file)
    config = {**running_sim.oci_config, "fingerprint": "0f:" * 15 + "0f"}
    public_pem = other_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    running_sim.sim.oci.register_api_key(
        "%s/%s/%s" % (config["tenancy"], config["user"], config["fingerprint"]), public_pem)
    client = network_client(running_sim, config={**config, "key_file": str(key_file)})
    assert client.list_drgs(config["tenancy"]).status == 200


def test_tampered_body_is_refused(running_sim, signer, session):
    prepared = requests.Request("POST", drgs_url(running_sim), data=drg_body(running_sim, "a"),
                                headers={"content-type": "application/json"},
                                auth=signer).prepare()
    prepared.body = drg_body(running_sim, "b")  # same length, signed digest no longer matches
    assert_not_authenticated(session.send(prepared))
    listed = network_client(running_sim).list_drgs(running_sim.oci_config["tenancy"]).data
    assert listed == []


def test_tampered_query_is_refused(running_sim, signer, session):
    prepared = requests.Request("GET", drgs_url(running_sim), auth=signer,
                                params={"compartmentId": running_sim.oci_config["tenancy"]}
                                ).prepare()
    prepared.url += "&limit=1"  # (request-target) covers the query string
    assert_not_authenticated(session.send(prepared))


def test_stale_date_is_refused(running_sim, signer, session):
    stale = email.utils.formatdate(time.time() - 600, usegmt=True)
    answer = session.get(drgs_url(running_sim), auth=signer, headers={"date": stale},
                         params={"compartmentId": running_sim.oci_config["tenancy"]})
    assert_not_authenticated(answer)


def test_body_headers_must_be_signed(running_sim, signer, session):
    # The SDK's "without content headers" mode is for object uploads; Core refuses it.
    answer = session.post(drgs_url(running_sim), data=drg_body(running_sim),
                          auth=signer.without_content_headers,
                          headers={"content-type": "application/json"})
    assert_not_authenticated(answer)
