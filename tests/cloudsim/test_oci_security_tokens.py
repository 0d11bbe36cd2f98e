"""Request signing with security tokens (keyId ``ST$<token>``), driven by the real oci signers:
a session token as ``oci session authenticate`` leaves it, and a resource principal's (RP v2.2
environment); also an API key whose PEM is protected by a pass phrase."""
import time

import oci
import pytest
from cryptography.hazmat.primitives import serialization

from cloudsim.oci.testing import network_client, service_error, session_key_and_token


def compartment_vcns(client, running):
    return client.list_vcns(running.sim.config.oci_tenancy_ocid).data


def test_session_token_signer_is_accepted(oci_config, running_sim, tmp_path):
    paths = session_key_and_token(running_sim, tmp_path)
    signer = oci.auth.signers.SecurityTokenSigner(
        open(paths["security_token_file"]).read(), oci.signer.load_private_key_from_file(paths["key_file"]))
    client = network_client(running_sim, {"region": oci_config["region"]}, signer=signer)
    assert compartment_vcns(client, running_sim) == []


def test_token_signed_with_another_key_is_refused(oci_config, running_sim, tmp_path):
    token = open(session_key_and_token(running_sim, tmp_path / "a")["security_token_file"]).read()
    other_key = oci.signer.load_private_key_from_file(session_key_and_token(running_sim, tmp_path / "b")["key_file"])
    client = network_client(running_sim, {"region": oci_config["region"]},
                            signer=oci.auth.signers.SecurityTokenSigner(token, other_key))
    error = service_error(lambda: compartment_vcns(client, running_sim))
    assert (error.status, error.code) == (401, "NotAuthenticated")


def test_expired_and_forged_tokens_are_refused(oci_config, running_sim, tmp_path):
    paths = session_key_and_token(running_sim, tmp_path)
    key = oci.signer.load_private_key_from_file(paths["key_file"])
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    expired = running_sim.sim.oci.security_tokens.issue(public_pem, lifetime=-1)
    token = open(paths["security_token_file"]).read()
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad, reason in ((expired, "expired"), (forged, "not issued")):
        client = network_client(running_sim, {"region": oci_config["region"]},
                                signer=oci.auth.signers.SecurityTokenSigner(bad, key))
        error = service_error(lambda: compartment_vcns(client, running_sim))
        assert error.status == 401 and reason in error.message


def test_resource_principal_v2_2_signer_is_accepted(monkeypatch, oci_config, running_sim, tmp_path):
    paths = session_key_and_token(running_sim, tmp_path, principal="resource")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_RPST", paths["security_token_file"])
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", paths["key_file"])
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_REGION", oci_config["region"])
    signer = oci.auth.signers.get_resource_principals_signer()
    assert signer.tenancy_id == running_sim.sim.config.oci_tenancy_ocid
    client = network_client(running_sim, {"region": signer.region}, signer=signer)
    assert compartment_vcns(client, running_sim) == []


def test_token_lasts_an_hour(running_sim, tmp_path):
    from cloudsim.azure.assertions import decode

    claims = decode(open(session_key_and_token(running_sim, tmp_path)["security_token_file"]).read())[1]
    assert claims["exp"] - time.time() == pytest.approx(3600, abs=60)
    assert claims["sub"] == running_sim.sim.config.oci_user_ocid and claims["ptype"] == "user"


def test_api_key_with_a_pass_phrase(oci_config, running_sim, tmp_path):
    key = serialization.load_pem_private_key(open(oci_config["key_file"], "rb").read(), None)
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"open sesame")))
    client = network_client(running_sim, dict(oci_config, key_file=str(encrypted), pass_phrase="open sesame"))
    assert compartment_vcns(client, running_sim) == []
