"""Entra ID token endpoint, ARM bearer check and the cloud metadata endpoint, driven by the real
azure-identity / azure-mgmt-network clients (raw HTTPS where the wire format is the point)."""
import time

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential
from azure.mgmt.network import NetworkManagementClient

from cloudsim.azure.testing import make_credential, make_network_client


def test_wrong_client_secret_is_refused_with_aadsts7000215(running_sim):
    credential = make_credential(running_sim, secret="not-the-secret")
    with pytest.raises(ClientAuthenticationError) as raised:
        credential.get_token(running_sim.url + "/.default")
    assert "AADSTS7000215" in str(raised.value)


def test_token_error_has_the_entra_shape(arm, running_sim):
    config = running_sim.sim.config
    answer = arm.request("POST", "/%s/oauth2/v2.0/token" % config.azure_tenant_id, auth=False,
                         api_version=None, data={
                             "grant_type": "client_credentials",
                             "client_id": config.azure_client_id, "client_secret": "wrong",
                             "scope": running_sim.url + "/.default"})
    body = answer.json()
    assert answer.status_code == 401
    assert body["error"] == "invalid_client"
    assert body["error_codes"] == [7000215]
    assert body["error_description"].startswith("AADSTS7000215: ")
    assert {"trace_id", "correlation_id", "timestamp"} <= set(body)
    assert config.azure_client_secret not in answer.text


def test_unknown_tenant_and_client_are_refused(arm, running_sim):
    config = running_sim.sim.config
    form = {"grant_type": "client_credentials", "client_id": config.azure_client_id,
            "client_secret": config.azure_client_secret, "scope": running_sim.url + "/.default"}
    other_tenant = arm.request("POST", "/00000000-1111-2222-3333-444444444444/oauth2/v2.0/token",
                               auth=False, api_version=None, data=form)
    other_client = arm.request("POST", "/%s/oauth2/v2.0/token" % config.azure_tenant_id,
                               auth=False, api_version=None,
                               data=dict(form, client_id="11111111-2222-3333-4444-555555555555"))
    assert (other_tenant.status_code, other_tenant.json()["error_codes"]) == (400, [90002])
    assert (other_client.status_code, other_client.json()["error_codes"]) == (400, [700016])


def test_v1_token_endpoint_serves_older_clients(arm, running_sim):
    config = running_sim.sim.config
    answer = arm.request("POST", "/%s/oauth2/token" % config.azure_tenant_id, auth=False,
                         api_version=None, data={
                             "grant_type": "client_credentials",
                             "client_id": config.azure_client_id,
                             "client_secret": config.azure_client_secret,
                             "resource": "https://management.core.windows.net/"})
    token = answer.json()
    assert answer.status_code == 200 and token["resource"] == "https://management.core.windows.net/"
    listed = arm.request("GET", arm.subscription_path("/resourcegroups"),
                         auth=False, headers={"Authorization": "Bearer " + token["access_token"]})
    assert listed.status_code == 200


def test_missing_bearer_gets_the_arm_401(arm):
    answer = arm.request("GET", arm.subscription_path("/resourcegroups"), auth=False)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "AuthenticationFailed"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer authorization_uri=")


@pytest.mark.parametrize("token, code", [
    ("garbage", "InvalidAuthenticationToken"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ4In0.c2lnbmF0dXJl", "InvalidAuthenticationToken"),
])
def test_forged_tokens_are_refused(arm, token, code):
    answer = arm.request("GET", arm.subscription_path("/resourcegroups"), auth=False,
                         headers={"Authorization": "Bearer " + token})
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, code)


def test_token_for_another_audience_is_refused(arm, running_sim, azure_credential):
    token = azure_credential.get_token("https://graph.microsoft.com/.default").token
    answer = arm.request("GET", arm.subscription_path("/resourcegroups"), auth=False,
                         headers={"Authorization": "Bearer " + token})
    assert (answer.status_code, answer.json()["error"]["code"]) == \
        (401, "InvalidAuthenticationTokenAudience")


def test_sdk_without_valid_credentials_fails_cleanly(running_sim):
    client = make_network_client(running_sim, make_credential(running_sim, secret="wrong"))
    with pytest.raises(ClientAuthenticationError):
        client.express_route_service_providers.list().next()


def test_api_version_is_required(arm):
    answer = arm.request("GET", arm.subscription_path("/resourcegroups"), api_version=None)
    assert (answer.status_code, answer.json()["error"]["code"]) == \
        (400, "MissingApiVersionParameter")


def test_openid_configuration_points_at_the_simulator(arm, running_sim):
    tenant = running_sim.sim.config.azure_tenant_id
    answer = arm.request("GET", "/%s/v2.0/.well-known/openid-configuration" % tenant,
                         auth=False, api_version=None).json()
    assert answer["token_endpoint"] == "%s/%s/oauth2/v2.0/token" % (running_sim.url, tenant)
    assert answer["issuer"] == "%s/%s/v2.0" % (running_sim.url, tenant)


@pytest.mark.parametrize("api_version", ["2019-05-01", "2020-06-01"])
def test_metadata_endpoint_list_form(arm, running_sim, api_version):
    # What azure-cli's ARM_CLOUD_METADATA_URL and go-azure-helpers (2020-06-01) read: a list.
    answer = arm.request("GET", "/metadata/endpoints", auth=False, api_version=api_version)
    clouds = answer.json()
    assert answer.status_code == 200 and isinstance(clouds, list) and len(clouds) == 1
    assert clouds[0]["resourceManager"] == running_sim.url + "/"
    assert clouds[0]["authentication"]["loginEndpoint"] == running_sim.url + "/"
    assert clouds[0]["authentication"]["audiences"] == [running_sim.url + "/"]


def test_metadata_endpoint_object_form(arm, running_sim):
    answer = arm.request("GET", "/metadata/endpoints", auth=False, api_version="2015-01-01")
    cloud = answer.json()
    assert isinstance(cloud, dict)
    assert cloud["authentication"] == {"loginEndpoint": running_sim.url + "/",
                                       "audiences": [running_sim.url + "/"]}
    assert {"galleryEndpoint", "graphEndpoint", "portalEndpoint"} <= set(cloud)


def test_metadata_endpoint_2022_09_01_is_one_cloud_object(arm, running_sim):
    # go-azure-sdk and `az cloud register --endpoint-resource-manager` ask 2022-09-01 and decode
    # one object; the fields below are those both read (azure-cli's _arm_to_cli_mapper indexes
    # every one of them).
    answer = arm.request("GET", "/metadata/endpoints", auth=False, api_version="2022-09-01")
    cloud = answer.json()
    assert answer.status_code == 200 and isinstance(cloud, dict)
    assert cloud["name"] and cloud["resourceManager"] == running_sim.url + "/"
    assert cloud["authentication"]["loginEndpoint"] == running_sim.url + "/"
    assert cloud["authentication"]["audiences"] == [running_sim.url + "/"]
    for key in ("sqlManagement", "batch", "gallery", "graphAudience", "vmImageAliasDoc", "media",
                "microsoftGraphResourceId"):
        assert key in cloud, key
    assert {"storage", "keyVaultDns", "sqlServerHostname"} <= set(cloud["suffixes"])


def test_metadata_discovered_cloud_works_end_to_end(arm, running_sim, resource_group):
    """What AZURE_CLOUD_ENVIRONMENT=<url> users do: discover, get a token for the advertised
    audience from the advertised login endpoint, then call the advertised resource manager."""
    cloud = arm.request("GET", "/metadata/endpoints", auth=False,
                        api_version="2022-09-01").json()
    config = running_sim.sim.config
    credential = ClientSecretCredential(
        config.azure_tenant_id, config.azure_client_id, config.azure_client_secret,
        authority=cloud["authentication"]["loginEndpoint"], disable_instance_discovery=True,
        connection_verify=str(running_sim.ca_bundle))
    client = NetworkManagementClient(
        credential, config.azure_subscription_id, base_url=cloud["resourceManager"],
        credential_scopes=[cloud["authentication"]["audiences"][0] + ".default"],
        connection_verify=str(running_sim.ca_bundle))
    names = [p.name for p in client.express_route_service_providers.list()]
    assert "Oracle Cloud FastConnect" in names


def test_an_entra_id_outage_is_reported_as_an_outage_not_as_refused_credentials(running_sim, monkeypatch):
    """The collection's API layer (azure-identity underneath) against a token endpoint answering only 5xx."""
    from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import AzureApi
    from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError

    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, running_sim.env[name])
    running_sim.admin("PUT", "faults", dict(error_rate=1.0, retry_after=0, include_token_endpoint=True,
                                            path_pattern="oauth2"))
    env = running_sim.env
    api = AzureApi(dict(subscription_id=env["AZURE_SUBSCRIPTION_ID"], client_id=env["AZURE_CLIENT_ID"],
                        secret=env["AZURE_SECRET"], tenant=env["AZURE_TENANT"],
                        cloud_environment=env["AZURE_CLOUD_ENVIRONMENT"]), time_budget=4)
    started = time.monotonic()
    with pytest.raises(InterconnectError) as failed:
        api.sign_in()
    # A dead sign-in service fails within the time budget (plus the last back-off), not after a retry count.
    assert time.monotonic() - started < 4 + 20
    # Within the budget the last answer was a 5xx, or the budget ran out while waiting for one: an outage either way.
    assert failed.value.msg.startswith("Failed to sign in to Azure: Microsoft Entra ID could not sign in (")
    assert "refused the credentials" not in failed.value.msg
