"""The Entra flows behind each credential source, driven by the real azure-identity credentials:
a service principal's certificate, managed identity (IMDS and App Service endpoints, system- and
user-assigned) and workload identity; the Azure CLI's in test_azure_cli.py."""
import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import (
    CertificateCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

from cloudsim.azure.testing import client_certificate_file, federated_token_file, make_network_client
from cloudsim.tls import make_client_certificate

MANAGED_IDENTITY_VARIABLES = ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
                              "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                              "AZURE_FEDERATED_TOKEN_FILE")


def lists_providers(running, credential):
    """Whether ARM accepts the credential's token: one authenticated read."""
    client = make_network_client(running, credential)
    return bool(list(client.express_route_service_providers.list()))


def token_claims(token):
    from cloudsim.azure.assertions import decode

    return decode(token)[1]


@pytest.fixture
def identity_environment(monkeypatch, running_sim):
    """No managed identity variables but those a test sets; REQUESTS_CA_BUNDLE trusts the simulator."""
    for name in MANAGED_IDENTITY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(running_sim.ca_bundle))
    return monkeypatch


def certificate_credential(running, path):
    config = running.sim.config
    return CertificateCredential(config.azure_tenant_id, config.azure_client_id, str(path), authority=running.url,
                                 disable_instance_discovery=True, connection_verify=str(running.ca_bundle))


def test_registered_certificate_signs_in(running_sim, tmp_path):
    credential = certificate_credential(running_sim, client_certificate_file(running_sim, tmp_path / "sp.pem"))
    assert lists_providers(running_sim, credential)


def test_unregistered_certificate_is_refused_with_aadsts700027(running_sim, tmp_path):
    path = tmp_path / "other.pem"
    path.write_bytes(make_client_certificate())
    with pytest.raises(ClientAuthenticationError) as raised:
        certificate_credential(running_sim, path).get_token(running_sim.url + "/.default")
    assert "AADSTS700027" in str(raised.value)


def test_msal_sha256_assertion_with_ps256_is_accepted(running_sim, tmp_path):
    # msal signs with PS256 and names the certificate by x5t#S256 when it is given the certificate
    # itself (msal application.py, since 1.35): the other header Entra accepts.
    import msal
    import requests

    session = requests.Session()
    session.verify, session.trust_env = str(running_sim.ca_bundle), False
    pem = client_certificate_file(running_sim, tmp_path / "sp.pem").read_text()
    config = running_sim.sim.config
    key, certificate = pem.split("-----BEGIN CERTIFICATE-----")
    app = msal.ConfidentialClientApplication(
        config.azure_client_id, authority="%s/%s" % (running_sim.url, config.azure_tenant_id),
        client_credential={"private_key": key, "public_certificate": "-----BEGIN CERTIFICATE-----" + certificate},
        instance_discovery=False, http_client=session)
    result = app.acquire_token_for_client([running_sim.url + "/.default"])
    assert "access_token" in result, result


def test_imds_serves_system_and_user_assigned_identities(identity_environment, running_sim):
    config = running_sim.sim.config
    identity_environment.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", running_sim.url)
    system = ManagedIdentityCredential()
    user = ManagedIdentityCredential(client_id=config.azure_user_identity_client_id)
    assert lists_providers(running_sim, system) and lists_providers(running_sim, user)
    scope = running_sim.url + "/.default"
    assert token_claims(system.get_token(scope).token)["appid"] == config.azure_system_identity_client_id
    assert token_claims(user.get_token(scope).token)["appid"] == config.azure_user_identity_client_id


def test_imds_refuses_an_unknown_identity_and_a_missing_metadata_header(arm, identity_environment, running_sim):
    identity_environment.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", running_sim.url)
    with pytest.raises(ClientAuthenticationError) as raised:
        ManagedIdentityCredential(client_id="00000000-0000-4000-8000-000000000000").get_token(
            running_sim.url + "/.default")
    assert "Identity not found" in str(raised.value)
    answer = arm.request("GET", "/metadata/identity/oauth2/token", auth=False, api_version="2018-02-01",
                         params={"resource": running_sim.url})
    assert (answer.status_code, answer.json()["error_description"]) == \
        (400, "Required metadata header not specified")


def test_app_service_endpoint_needs_the_identity_header(identity_environment, running_sim):
    config = running_sim.sim.config
    identity_environment.setenv("IDENTITY_ENDPOINT", running_sim.url + "/MSI/token/")
    identity_environment.setenv("IDENTITY_HEADER", config.azure_identity_header)
    assert lists_providers(running_sim, ManagedIdentityCredential(client_id=config.azure_user_identity_client_id))
    identity_environment.setenv("IDENTITY_HEADER", "not-the-header")
    with pytest.raises(ClientAuthenticationError):
        ManagedIdentityCredential().get_token(running_sim.url + "/.default")


def test_workload_identity_signs_in_with_the_federated_token(running_sim, tmp_path):
    config = running_sim.sim.config
    credential = WorkloadIdentityCredential(
        tenant_id=config.azure_tenant_id, client_id=config.azure_client_id,
        token_file_path=str(federated_token_file(running_sim, tmp_path / "token")), authority=running_sim.url,
        disable_instance_discovery=True, connection_verify=str(running_sim.ca_bundle))
    assert lists_providers(running_sim, credential)


def test_federated_token_of_another_subject_is_refused_with_aadsts70021(running_sim, tmp_path):
    config = running_sim.sim.config
    credential = WorkloadIdentityCredential(
        tenant_id=config.azure_tenant_id, client_id=config.azure_client_id,
        token_file_path=str(federated_token_file(running_sim, tmp_path / "token", "system:serviceaccount:x:y")),
        authority=running_sim.url, disable_instance_discovery=True, connection_verify=str(running_sim.ca_bundle))
    with pytest.raises(ClientAuthenticationError) as raised:
        credential.get_token(running_sim.url + "/.default")
    assert "AADSTS70021" in str(raised.value)
