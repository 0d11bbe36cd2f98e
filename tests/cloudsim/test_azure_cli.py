"""The real Azure CLI (azure-cli, pinned in tools/clis/azure-cli.txt) against the simulator: a client nobody
here wrote registers cloudsim as a custom cloud from its metadata endpoint, signs in as the service principal
through its Entra endpoints (MSAL), and reads and writes networks through ARM."""
import json
from pathlib import Path

import pytest
import requests
from azure.identity import AzureCliCredential, CredentialUnavailableError

from cloudsim.azure.testing import az_logged_in, make_network_client, run_az

# azure-identity waits 10 s for az by default; a busy test machine starts az slower than that.
CLI_TIMEOUT = 120
DEMO = json.loads((Path(__file__).resolve().parents[2] / "cloudsim/fixtures/demo.json").read_text())


@pytest.fixture(scope="module")
def az(sim_server, azure_cli_directory, tmp_path_factory):
    """The environment of an az logged in to the simulator (one login per module: tokens outlive resets)."""
    sim_server.sim.reset()  # what running_sim does per test: no faults of the test before
    return az_logged_in(sim_server, tmp_path_factory.mktemp("az"), azure_cli_directory)


@pytest.fixture
def demo(running_sim):
    running_sim.sim.load_fixture(DEMO)
    return running_sim


def test_the_login_is_the_simulated_subscription_in_the_custom_cloud(az, running_sim):
    config = running_sim.sim.config
    account = run_az(az, "account", "show")
    assert (account["id"], account["tenantId"], account["environmentName"], account["isDefault"]) == (
        config.azure_subscription_id, config.azure_tenant_id, "cloudsim", True)
    assert account["user"] == {"name": config.azure_client_id, "type": "servicePrincipal"}
    cloud = run_az(az, "cloud", "show")
    # What az cloud register read from the simulator's metadata endpoint.
    assert cloud["endpoints"]["resourceManager"] == running_sim.url + "/"
    assert cloud["endpoints"]["activeDirectory"] == running_sim.url + "/"


def test_az_reads_the_demo_vnet(az, demo):
    vnet = run_az(az, "network", "vnet", "show", "--resource-group", "rg-interconnect-tokyo", "--name", "vnet-tokyo")
    fixture = next(item["body"] for item in DEMO["azure"]["resources"] if item["path"].endswith("/vnet-tokyo"))
    assert vnet["addressSpace"]["addressPrefixes"] == fixture["properties"]["addressSpace"]["addressPrefixes"]
    assert sorted(subnet["name"] for subnet in vnet["subnets"]) == sorted(
        subnet["name"] for subnet in fixture["properties"]["subnets"])
    assert vnet["provisioningState"] == "Succeeded"


def test_az_creates_a_circuit_the_sdk_reads_and_lists_it(az, demo):
    created = run_az(az, "network", "express-route", "create", "--resource-group", "rg-interconnect-tokyo",
                     "--name", "er-by-az", "--location", "japaneast", "--bandwidth", "1000",
                     "--peering-location", "Tokyo", "--provider", "Oracle Cloud FastConnect",
                     "--sku-family", "MeteredData", "--sku-tier", "Standard")
    assert created["provisioningState"] == "Succeeded" and created["serviceKey"]
    listed = run_az(az, "network", "express-route", "list", "--resource-group", "rg-interconnect-tokyo")
    assert [(circuit["name"], circuit["serviceKey"]) for circuit in listed] == [("er-by-az", created["serviceKey"])]
    by_sdk = make_network_client(demo).express_route_circuits.get("rg-interconnect-tokyo", "er-by-az")
    assert (by_sdk.service_key, by_sdk.service_provider_properties.service_provider_name) == (
        created["serviceKey"], "Oracle Cloud FastConnect")


def test_a_missing_vnet_is_the_cli_error_of_arm(az, demo):
    with pytest.raises(AssertionError) as raised:
        run_az(az, "network", "vnet", "show", "--resource-group", "rg-interconnect-tokyo", "--name", "vnet-nowhere")
    assert "ResourceNotFound" in str(raised.value) and "vnet-nowhere" in str(raised.value)


def test_the_cli_access_token_is_accepted_by_arm(az, running_sim):
    config = running_sim.sim.config
    token = run_az(az, "account", "get-access-token")
    assert (token["subscription"], token["tenant"], token["tokenType"]) == (
        config.azure_subscription_id, config.azure_tenant_id, "Bearer")
    answer = requests.get(running_sim.url + "/subscriptions/%s/providers/Microsoft.Network" % config.azure_subscription_id,
                          params={"api-version": "2022-12-01"}, verify=str(running_sim.ca_bundle), timeout=10,
                          headers={"Authorization": "Bearer " + token["accessToken"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["registrationState"] == "Registered"
    refused = requests.get(answer.url, verify=str(running_sim.ca_bundle), timeout=10,
                           headers={"Authorization": "Bearer " + token["accessToken"][:-4] + "AAAA"})
    assert refused.status_code == 401


def test_azure_cli_credential_runs_the_real_az(az, running_sim, monkeypatch):
    for name, value in az.items():
        monkeypatch.setenv(name, value)
    client = make_network_client(running_sim, AzureCliCredential(process_timeout=CLI_TIMEOUT))
    assert [provider.name for provider in client.express_route_service_providers.list()]


def test_azure_cli_credential_without_login_is_unavailable(az, running_sim, monkeypatch, tmp_path):
    for name, value in dict(az, AZURE_CONFIG_DIR=str(tmp_path / "never-logged-in")).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(CredentialUnavailableError) as raised:
        AzureCliCredential(process_timeout=CLI_TIMEOUT).get_token(running_sim.url + "/.default")
    assert "az login" in str(raised.value)
