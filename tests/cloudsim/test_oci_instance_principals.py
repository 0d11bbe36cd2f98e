"""Instance principals against cloudsim, driven by the real oci SDK: the instance metadata service (v2) and the
auth service's X.509 federation endpoint (cloudsim/oci/instance_identity.py)."""
import ssl
import time
import urllib.error
import urllib.request

import oci
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cloudsim.oci.testing import instance_principal_environment, network_client
from cloudsim.tls import make_client_certificate


@pytest.fixture
def instance(running_sim, monkeypatch):
    """This host as an instance of the simulated tenancy: the SDK's environment, and the federation endpoint."""
    environment = instance_principal_environment(running_sim)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return dict(environment, federation_endpoint=environment["OCI_SDK_AUTH_CLIENT_REGION_URL"] + "/v1/x509")


def metadata(running_sim, path, headers=None):
    """``(status, text)`` of a GET to the simulator's instance metadata service."""
    request = urllib.request.Request(running_sim.url + path, headers=headers or {})
    context = ssl.create_default_context(cafile=str(running_sim.ca_bundle))
    try:
        with urllib.request.urlopen(request, context=context) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def identity(running_sim, name):
    return metadata(running_sim, "/opc/v2/identity/" + name, {"Authorization": "Bearer Oracle"})[1]


def test_the_sdk_signer_federates_and_signs_core_requests(running_sim, instance):
    signer = oci.auth.signers.InstancePrincipalsSecurityTokenSigner(federation_endpoint=instance["federation_endpoint"])
    config = running_sim.sim.config
    assert (signer.region, signer.tenancy_id) == (config.oci_region, config.oci_tenancy_ocid)
    client = network_client(running_sim, {"region": signer.region}, signer=signer)
    assert client.list_vcns(config.oci_tenancy_ocid).data == []
    auth_calls = [(entry["method"], entry["path"]) for entry in running_sim.admin("GET", "log?kind=auth")["entries"]]
    assert ("GET", "/opc/v2/instance/region") in auth_calls and ("POST", "/oci/ap-tokyo-1/v1/x509") in auth_calls


def test_the_token_names_the_instance_and_carries_the_session_key(running_sim, instance):
    from cloudsim.azure.assertions import decode

    signer = oci.auth.signers.InstancePrincipalsSecurityTokenSigner(federation_endpoint=instance["federation_endpoint"])
    claims = decode(signer.federation_client.get_security_token())[1]
    config = running_sim.sim.config
    assert claims["ptype"] == "instance" and claims["sub"] == claims["opc-instance"] == config.oci_instance_ocid
    assert claims["opc-tenant"] == claims["tenant"] == config.oci_tenancy_ocid
    assert claims["exp"] - time.time() == pytest.approx(1200, abs=60)
    session_key = signer.federation_client.session_key_supplier.get_key_pair()["public"]
    token_key = running_sim.sim.oci.security_tokens.public_key(signer.federation_client.get_security_token())
    assert token_key.public_numbers() == session_key.public_numbers()


def test_the_leaf_certificate_names_the_tenancy_and_comes_from_the_intermediate(running_sim, instance):
    leaf = x509.load_pem_x509_certificate(identity(running_sim, "cert.pem").encode())
    intermediate = x509.load_pem_x509_certificate(identity(running_sim, "intermediate.pem").encode())
    key = serialization.load_pem_private_key(identity(running_sim, "key.pem").encode(), None)
    leaf.verify_directly_issued_by(intermediate)
    assert key.public_key().public_numbers() == leaf.public_key().public_numbers()
    units = [attribute.value for attribute in leaf.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)]
    config = running_sim.sim.config
    assert "opc-tenant:" + config.oci_tenancy_ocid in units and "opc-instance:" + config.oci_instance_ocid in units
    assert oci.auth.auth_utils.get_tenancy_id_from_certificate(leaf) == config.oci_tenancy_ocid


def test_the_metadata_service_wants_the_v2_header_and_serves_no_v1(running_sim):
    assert metadata(running_sim, "/opc/v2/instance/region", {"Authorization": "Bearer Oracle"}) == (200, "ap-tokyo-1")
    assert metadata(running_sim, "/opc/v2/instance/region")[0] == 401
    assert metadata(running_sim, "/opc/v1/instance/region")[0] == 404


def federation_client(running_sim, instance, certificate_pem, key_pem):
    """The SDK's X509FederationClient with the given leaf certificate and signing key, no retries."""
    return oci.auth.federation_client.X509FederationClient(
        federation_endpoint=instance["federation_endpoint"],
        tenancy_id=running_sim.sim.config.oci_tenancy_ocid,
        session_key_supplier=oci.auth.session_key_supplier.SessionKeySupplier(),
        leaf_certificate_retriever=oci.auth.certificate_retriever.PEMStringCertificateRetriever(
            certificate_pem=certificate_pem, private_key_pem=key_pem),
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy())


def refusal(client):
    with pytest.raises(oci.exceptions.ServiceError) as raised:
        client.get_security_token()
    return raised.value


def test_the_federation_refuses_another_key_and_a_foreign_certificate(running_sim, instance):
    certificate, key = identity(running_sim, "cert.pem"), identity(running_sim, "key.pem")
    assert federation_client(running_sim, instance, certificate, key).get_security_token()
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()
    foreign = make_client_certificate("opc-tenant:" + running_sim.sim.config.oci_tenancy_ocid).decode()
    foreign_key, foreign_certificate = foreign.split("-----END PRIVATE KEY-----\n")
    cases = [
        (federation_client(running_sim, instance, certificate, other_key), "signature does not verify"),
        (federation_client(running_sim, instance, foreign_certificate, foreign_key + "-----END PRIVATE KEY-----\n"),
         "not issued to an instance of this tenancy"),
    ]
    for client, reason in cases:
        error = refusal(client)
        assert (error.status, error.code) == (401, "NotAuthenticated") and reason in error.message
