# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which credentials the Azure modules sign in with (auth_source, as azure.azcollection reads it), and what a
failed sign-in says."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import CredentialUnavailableError

from ansible_collections.crosscloud.interconnect.plugins.module_utils import azure as az
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError

SERVICE_PRINCIPAL = dict(subscription_id="s", client_id="c", tenant="t")
PROFILES = {"default": dict(subscription_id="s-file", client_id="c-file", secret="x-file", tenant="t-file"),
            "certified": dict(client_id="c", tenant="t", x509_certificate_path="/p/cert.pem")}


def choose(cli_available=False, profiles=None, **auth):
    profiles = PROFILES if profiles is None else profiles
    return az.choose_sign_in(auth, read_profile=lambda name: dict(profiles[name]) if name in profiles else None,
                             cli_available=lambda: cli_available)


@pytest.mark.parametrize("settings, kind", [
    (dict(secret="x"), "secret"),
    (dict(x509_certificate_path="/p/cert.pem"), "certificate"),
    (dict(federated_token_file="/var/run/secrets/azure/tokens/azure-identity-token"), "workload_identity"),
    # azcollection's order when several are set: the secret first.
    (dict(secret="x", x509_certificate_path="/p/cert.pem", federated_token_file="/t"), "secret"),
    (dict(x509_certificate_path="/p/cert.pem", federated_token_file="/t"), "certificate"),
])
@pytest.mark.parametrize("source", ["env", "auto", None])
def test_options_and_environment_give_the_service_principal_credential(source, settings, kind):
    chosen = choose(auth_source=source, **dict(SERVICE_PRINCIPAL, **settings))
    assert (chosen.source, chosen.kind, chosen.profile) == (source or "auto", kind, None)


def test_auto_prefers_the_environment_to_the_default_profile_and_the_cli():
    assert choose(cli_available=True, secret="x", **SERVICE_PRINCIPAL).kind == "secret"


def test_auto_without_credentials_takes_the_default_profile_then_the_cli():
    from_file = choose(cli_available=True)
    assert (from_file.kind, from_file.profile, from_file.settings["client_id"]) == ("secret", "default", "c-file")
    assert choose(cli_available=True, profiles={}).kind == "cli"


def test_auto_with_nothing_at_all_says_where_it_looked():
    # A client_id alone (a user-assigned identity's, say) is no credential: auto never tries the managed
    # identity, as azcollection's does not.
    with pytest.raises(InterconnectError) as raised:
        choose(profiles={}, client_id="c")
    assert "No Azure credentials found (auth_source auto looked for" in raised.value.msg
    assert "~/.azure/credentials" in raised.value.msg and "az on the PATH" in raised.value.msg


def test_a_profile_asked_for_wins_even_in_auto_and_the_options_fill_in_its_subscription():
    chosen = choose(profile="certified", secret="from-env", **SERVICE_PRINCIPAL)
    assert (chosen.kind, chosen.profile, chosen.settings["subscription_id"]) == ("certificate", "certified", "s")
    assert "secret" not in chosen.settings


def test_credential_file_source_needs_the_profile():
    with pytest.raises(InterconnectError) as raised:
        choose(auth_source="credential_file", profile="nope", secret="x", **SERVICE_PRINCIPAL)
    assert raised.value.msg.startswith("auth_source credential_file: profile nope of ~/.azure/credentials does not exist")


def test_env_source_never_reads_the_file_or_the_cli():
    with pytest.raises(InterconnectError) as raised:
        choose(auth_source="env", cli_available=True, **SERVICE_PRINCIPAL)
    assert raised.value.msg.startswith("auth_source env: no Azure credentials")


@pytest.mark.parametrize("source, kind", [("cli", "cli"), ("msi", "managed_identity")])
def test_cli_and_msi_are_chosen_explicitly_whatever_else_is_set(source, kind):
    assert choose(auth_source=source, secret="x", **SERVICE_PRINCIPAL).kind == kind


def test_missing_settings_are_named_as_users_set_them():
    assert az.SignIn("env", "certificate", dict(client_id="c")).missing() == [
        "x509_certificate_path (or AZURE_X509_CERTIFICATE_PATH)", "tenant (or AZURE_TENANT)",
        "subscription_id (or AZURE_SUBSCRIPTION_ID)"]
    assert az.SignIn("credential_file", "secret", dict(client_id="c", secret="x", tenant="t"),
                     profile="p").missing() == ["subscription_id in profile p of ~/.azure/credentials"]
    # The CLI has a default subscription; a managed identity needs only the subscription.
    assert az.SignIn("cli", "cli", {}).missing() == []
    assert az.SignIn("msi", "managed_identity", {}).missing() == ["subscription_id (or AZURE_SUBSCRIPTION_ID)"]


def test_a_refusal_names_the_source_and_what_to_check():
    sign_in = az.SignIn("auto", "certificate", dict(client_id="c"))
    message = az.describe_error(ClientAuthenticationError(message="AADSTS700027: invalid signature"), sign_in)["msg"]
    assert message.startswith("Azure refused the credentials of a service principal and its certificate "
                              "(auth_source auto; check that x509_certificate_path")
    assert message.endswith("AADSTS700027: invalid signature")


def test_a_source_this_host_does_not_offer_says_so():
    sign_in = az.SignIn("msi", "managed_identity", dict(client_id="u-1"))
    message = az.describe_error(CredentialUnavailableError(message="No managed identity endpoint found."),
                                sign_in)["msg"]
    assert message.startswith("Signing in with the user-assigned managed identity u-1 is not possible here "
                              "(auth_source msi; check that this host has the managed identity")


def test_a_profile_refusal_points_at_the_profile():
    sign_in = az.SignIn("credential_file", "secret", {}, profile="prod")
    message = az.describe_error(ClientAuthenticationError(message="AADSTS7000215"), sign_in)["msg"]
    assert "(auth_source credential_file, profile prod of ~/.azure/credentials; check the settings of profile prod" \
        in message


def test_the_credential_file_is_read_as_azcollection_writes_it(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[default]\nsubscription_id=s\nclient_id=c\nsecret=x%y\ntenant=t\nunknown=1\n\n[other]\nclient_id=o\n")
    assert az.read_credential_file("default", str(path)) == dict(subscription_id="s", client_id="c", secret="x%y",
                                                                 tenant="t")
    assert az.read_credential_file("missing", str(path)) is None
    assert az.read_credential_file("default", str(tmp_path / "absent")) is None


@pytest.mark.parametrize("variable, expected", [(None, "auto"), ("msi", "msi"), ("cli", "cli")])
def test_auth_source_falls_back_to_ansible_azure_auth_source(monkeypatch, variable, expected):
    monkeypatch.delenv("ANSIBLE_AZURE_AUTH_SOURCE", raising=False)
    if variable:
        monkeypatch.setenv("ANSIBLE_AZURE_AUTH_SOURCE", variable)
    assert ArgumentSpecValidator(az.AZURE_AUTH_SPEC).validate({}).validated_parameters["auth_source"] == expected


def test_the_variables_of_workload_identity_and_azure_identity_are_read(monkeypatch):
    for name, value in (("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_CERTIFICATE_PATH", "/p.pem"),
                        ("AZURE_FEDERATED_TOKEN_FILE", "/token")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AZURE_TENANT", raising=False)
    monkeypatch.delenv("AZURE_X509_CERTIFICATE_PATH", raising=False)
    parameters = ArgumentSpecValidator(az.AZURE_AUTH_SPEC).validate({}).validated_parameters
    assert (parameters["tenant"], parameters["x509_certificate_path"], parameters["federated_token_file"]) == (
        "t", "/p.pem", "/token")
