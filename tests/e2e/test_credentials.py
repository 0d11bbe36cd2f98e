"""Every credential source the collection supports, end to end: the demo's playbook signs in with it against
cloudsim (real azure-identity and oci signers), the simulator's request log showing which token flow ran.

The cheap pass over every source is a small playbook reading one network in each cloud (tests/e2e/playbooks/
sign_in.yml, one interconnect). The demo converges in full with each kind of credential that is not the simulator's
default (test_interconnect.py converges with a secret and an API key): for Azure a certificate, workload identity, the
Azure CLI, a credential file profile and managed identity (user- and system-assigned through IMDS, and App Service's);
for OCI a session token, a resource principal, an instance principal (the simulator's instance metadata service and
auth service) and an API key behind a pass phrase.
"""
import json
from pathlib import Path

import pytest

from cloudsim.azure.testing import client_certificate_file, fake_az_on_path, federated_token_file
from cloudsim.oci.testing import instance_principal_environment, session_key_and_token
from conftest import DEMO_INVENTORY, calls

# What the simulator's environment file holds for the service principal with a secret.
SERVICE_PRINCIPAL_VARIABLES = ("AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT")
TOKEN_PATH = "/%s/oauth2/v2.0/token"
SIGN_IN_PLAYBOOK = str(Path(__file__).with_name("playbooks") / "sign_in.yml")
# The OCI requests that show how a playbook signed in, by auth type; the other types sign each request by themselves.
OCI_SIGN_IN_PATHS = {"instance_principal": {"/opc/v2/instance/region", "/opc/v2/identity/cert.pem",
                                            "/opc/v2/identity/key.pem", "/opc/v2/identity/intermediate.pem",
                                            "/oci/ap-tokyo-1/v1/x509"}}


def without(sim, monkeypatch, *names):
    """Leave ``names`` out of the environment the playbooks get (run_playbook starts from sim.env)."""
    for name in names:
        monkeypatch.delitem(sim.env, name, raising=False)
        monkeypatch.delenv(name, raising=False)


def azure_environment(source, sim, monkeypatch, tmp_path):
    """``(environment to add, path of the sign-in request the simulator must see)`` for an Azure source."""
    config = sim.sim.config
    token_path = TOKEN_PATH % config.azure_tenant_id
    if source == "env-secret":
        return {"ANSIBLE_AZURE_AUTH_SOURCE": "env"}, token_path
    if source == "credential_file":
        without(sim, monkeypatch, *SERVICE_PRINCIPAL_VARIABLES + ("AZURE_SUBSCRIPTION_ID",))
        (tmp_path / "home" / ".azure").mkdir(parents=True)
        (tmp_path / "home" / ".azure" / "credentials").write_text(
            "[interconnect]\nsubscription_id=%s\nclient_id=%s\nsecret=%s\ntenant=%s\n" % (
                config.azure_subscription_id, config.azure_client_id, config.azure_client_secret,
                config.azure_tenant_id))
        return {"HOME": str(tmp_path / "home"), "ANSIBLE_AZURE_AUTH_SOURCE": "credential_file",
                "AZURE_PROFILE": "interconnect"}, token_path
    if source == "certificate":
        without(sim, monkeypatch, "AZURE_SECRET")
        return {"AZURE_X509_CERTIFICATE_PATH": str(client_certificate_file(sim, tmp_path / "sp.pem"))}, token_path
    if source == "workload_identity":
        # As the AKS workload identity webhook sets them: AZURE_TENANT_ID, not AZURE_TENANT.
        without(sim, monkeypatch, "AZURE_SECRET", "AZURE_TENANT")
        return {"AZURE_TENANT_ID": config.azure_tenant_id,
                "AZURE_FEDERATED_TOKEN_FILE": str(federated_token_file(sim, tmp_path / "token"))}, token_path
    if source == "cli":
        # No subscription either: the CLI's default one (az account show) is used, as azcollection does.
        without(sim, monkeypatch, *SERVICE_PRINCIPAL_VARIABLES + ("AZURE_SUBSCRIPTION_ID",))
        environment = dict(fake_az_on_path(sim, tmp_path), HOME=str(tmp_path))
        return environment, "/%s/oauth2/token" % config.azure_tenant_id
    if source == "msi-system":
        without(sim, monkeypatch, *SERVICE_PRINCIPAL_VARIABLES)
        return {"ANSIBLE_AZURE_AUTH_SOURCE": "msi", "AZURE_POD_IDENTITY_AUTHORITY_HOST": sim.url}, \
            "/metadata/identity/oauth2/token"
    if source == "msi-user":
        without(sim, monkeypatch, "AZURE_SECRET", "AZURE_TENANT")
        return {"ANSIBLE_AZURE_AUTH_SOURCE": "msi", "AZURE_CLIENT_ID": config.azure_user_identity_client_id,
                "AZURE_POD_IDENTITY_AUTHORITY_HOST": sim.url}, "/metadata/identity/oauth2/token"
    assert source == "msi-app-service", source
    without(sim, monkeypatch, *SERVICE_PRINCIPAL_VARIABLES)
    return {"ANSIBLE_AZURE_AUTH_SOURCE": "msi", "IDENTITY_ENDPOINT": sim.url + "/MSI/token/",
            "IDENTITY_HEADER": config.azure_identity_header}, "/MSI/token/"


def oci_environment(auth_type, sim, tmp_path):
    """The environment to add for an OCI auth type."""
    if auth_type == "api_key":
        return {}
    if auth_type == "api_key-pass-phrase":
        return {"OCI_CONFIG_FILE": str(pass_phrase_profile(sim, tmp_path)), "OCI_CONFIG_PROFILE": "LOCKED"}
    if auth_type == "security_token":
        session = session_key_and_token(sim, tmp_path / "session")
        # What `oci session authenticate` writes: no user, a security_token_file and the session key.
        profile = tmp_path / "oci_config"
        profile.write_text("[SESSION]\nfingerprint=%s\nkey_file=%s\ntenancy=%s\nregion=%s\nsecurity_token_file=%s\n" % (
            sim.sim.config.oci_fingerprint, session["key_file"], sim.sim.config.oci_tenancy_ocid,
            sim.sim.config.oci_region, session["security_token_file"]))
        return {"OCI_AUTH_TYPE": "security_token", "OCI_CONFIG_FILE": str(profile), "OCI_CONFIG_PROFILE": "SESSION"}
    if auth_type == "instance_principal":
        # This host as an instance of the simulated tenancy in its home region (Tokyo): the SDK reads the metadata
        # service's address, the collection the auth service's.
        return dict(instance_principal_environment(sim), OCI_AUTH_TYPE="instance_principal")
    assert auth_type == "resource_principal", auth_type
    session = session_key_and_token(sim, tmp_path / "resource", principal="resource")
    # RP v2.2, as an OCI function or job gets it (oci/auth/signers/resource_principals_signer.py).
    return {"OCI_AUTH_TYPE": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "2.2",
            "OCI_RESOURCE_PRINCIPAL_RPST": session["security_token_file"],
            "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": session["key_file"],
            "OCI_RESOURCE_PRINCIPAL_REGION": sim.sim.config.oci_region}


def pass_phrase_profile(sim, tmp_path):
    """A config file whose profile LOCKED holds the simulator's API key encrypted, with its pass_phrase."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(open(sim.oci_config["key_file"], "rb").read(), None)
    locked = tmp_path / "locked_key.pem"
    locked.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.BestAvailableEncryption(b"open sesame")))
    config = tmp_path / "oci_config_locked"
    config.write_text("[LOCKED]\n%s\nkey_file=%s\npass_phrase=open sesame\n" % ("\n".join(
        "%s=%s" % (key, value) for key, value in sim.oci_config.items() if key != "key_file"), locked))
    return config


def credentials(azure_source, oci_auth_type, sim, monkeypatch, tmp_path):
    """``(environment to add, path of the Azure sign-in request)`` for a pair of sources."""
    environment, sign_in_path = azure_environment(azure_source, sim, monkeypatch, tmp_path)
    environment.update(oci_environment(oci_auth_type, sim, tmp_path))
    return environment, sign_in_path


def signed_in_with(sim, path):
    return [entry for entry in calls(sim, kind="auth", cloud="azure") if entry["path"] == path]


def oci_signed_in_as(sim, auth_type):
    """Whether the OCI sign-in requests are those of ``auth_type`` (none for the types that need none)."""
    return {entry["path"] for entry in calls(sim, kind="auth", cloud="oci")} == OCI_SIGN_IN_PATHS.get(auth_type, set())


@pytest.mark.parametrize("azure_source, oci_auth_type", [
    ("env-secret", "api_key-pass-phrase"),
    ("credential_file", "api_key"),
    ("certificate", "security_token"),
    ("workload_identity", "resource_principal"),
    ("cli", "api_key"),
    ("msi-system", "api_key"),
    ("msi-user", "api_key"),
    ("msi-app-service", "api_key"),
    ("env-secret", "instance_principal"),
])
def test_each_source_signs_in_and_reads_the_demo_networks(sim, run_playbook, monkeypatch, tmp_path, azure_source,
                                                          oci_auth_type):
    environment, sign_in_path = credentials(azure_source, oci_auth_type, sim, monkeypatch, tmp_path)
    run = run_playbook(SIGN_IN_PLAYBOOK, DEMO_INVENTORY, "--limit", "tokyo", environment=environment)
    assert run.rc == 0 and run.recap["tokyo"]["failed"] == 0, run.output
    assert "Read vnet-tokyo and " in run.output
    assert signed_in_with(sim, sign_in_path), calls(sim, kind="auth")
    assert oci_signed_in_as(sim, oci_auth_type), calls(sim, kind="auth", cloud="oci")
    assert calls(sim, cloud="oci"), "the playbook reads OCI"
    assert calls(sim, kind="write") == []


@pytest.mark.parametrize("azure_source, oci_auth_type", [
    ("certificate", "security_token"),
    ("workload_identity", "resource_principal"),
    ("cli", "api_key-pass-phrase"),
    ("msi-user", "api_key"),
    ("msi-system", "api_key"),
    ("msi-app-service", "api_key"),
    ("credential_file", "api_key"),
    ("env-secret", "instance_principal"),
])
def test_the_demo_converges_with_other_kinds_of_credentials(sim, run_playbook, monkeypatch, tmp_path, azure_source,
                                                            oci_auth_type):
    environment, sign_in_path = credentials(azure_source, oci_auth_type, sim, monkeypatch, tmp_path)
    run = run_playbook("interconnect.yml", environment=environment)
    assert run.rc == 0, run.output
    assert all(run.recap[host]["changed"] > 0 for host in ("tokyo", "london"))
    assert signed_in_with(sim, sign_in_path)
    assert oci_signed_in_as(sim, oci_auth_type)
    state = json.dumps(sim.admin("GET", "state"))
    assert "er-tokyo-oci-connection" in state and "er-london-oci-connection" in state


def test_a_refused_certificate_names_the_source_and_what_to_check(sim, run_playbook, monkeypatch, tmp_path):
    from cloudsim.tls import make_client_certificate

    without(sim, monkeypatch, "AZURE_SECRET")
    unregistered = tmp_path / "unregistered.pem"
    unregistered.write_bytes(make_client_certificate())
    run = run_playbook(SIGN_IN_PLAYBOOK, DEMO_INVENTORY, "--limit", "tokyo",
                       environment={"AZURE_X509_CERTIFICATE_PATH": str(unregistered)})
    assert run.rc != 0
    assert ("Azure refused the credentials of a service principal and its certificate (auth_source auto; check "
            "that x509_certificate_path (AZURE_X509_CERTIFICATE_PATH) holds the private key") in run.output
    assert "AADSTS700027" in run.output and "Traceback" not in run.output


def test_an_expired_oci_session_says_to_refresh_it(sim, run_playbook, tmp_path):
    environment = oci_environment("security_token", sim, tmp_path)
    session_key = tmp_path / "session" / "session_key.pem"
    from cryptography.hazmat.primitives import serialization

    public_pem = serialization.load_pem_private_key(session_key.read_bytes(), None).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    (tmp_path / "session" / "token").write_text(sim.sim.oci.security_tokens.issue(public_pem, lifetime=-1))
    run = run_playbook(SIGN_IN_PLAYBOOK, DEMO_INVENTORY, "--limit", "tokyo", environment=environment)
    assert run.rc != 0
    assert "401 NotAuthenticated" in run.output and "the security token has expired" in run.output
    assert "auth_type security_token: the session token may have expired: run `oci session refresh`" in run.output


def test_a_failed_instance_principal_names_the_service_and_what_to_check(sim, run_playbook, tmp_path):
    environment = oci_environment("instance_principal", sim, tmp_path)
    metadata_url, auth_url = environment["OCI_METADATA_BASE_URL"], sim.url + "/oci/xx-nowhere-1"
    refused = run_playbook(SIGN_IN_PLAYBOOK, DEMO_INVENTORY, "--limit", "tokyo",
                           environment=dict(environment, OCI_SDK_AUTH_CLIENT_REGION_URL=auth_url))
    assert refused.rc != 0 and "Traceback" not in refused.output
    assert ("auth_type instance_principal: the auth service at %s/v1/x509 did not give the instance a token: 401 "
            "NotAuthenticated" % auth_url) in refused.output
    assert ("check that auth_service_endpoint or OCI_SDK_AUTH_CLIENT_REGION_URL, when set, is the auth service of the "
            "instance's region; the instance's certificate comes from the instance metadata service at %s)"
            % metadata_url) in refused.output
    # An address that is no metadata service (another service refuses the request): named, with what to check.
    elsewhere = sim.oci_endpoint()
    lost = run_playbook(SIGN_IN_PLAYBOOK, DEMO_INVENTORY, "--limit", "tokyo",
                        environment=dict(environment, OCI_METADATA_BASE_URL=elsewhere))
    assert lost.rc != 0
    assert ("auth_type instance_principal: cannot read the instance's identity from the instance metadata service at "
            "%s: 401 Client Error: Unauthorized for url: %s/identity/cert.pem" % (elsewhere, elsewhere)) in lost.output
    assert "(is this an OCI compute instance? OCI_METADATA_BASE_URL sets another address of the service)" in lost.output
