"""Helpers for tests that drive the real Azure SDK (or raw HTTPS) against a running cloudsim.

Imported by tests only (the simulator itself never needs the SDK)::

    client = make_network_client(running)      # NetworkManagementClient as the modules build it
    arm = ArmCaller(running, make_credential(running))
    arm.request("GET", arm.subscription_path("/resourcegroups")).status_code
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import requests
from azure.identity import ClientSecretCredential
from azure.mgmt.network import NetworkManagementClient


def make_credential(running, secret=None):
    """A ClientSecretCredential for ``running`` (a cloudsim.server.RunningSim)."""
    config = running.sim.config
    return ClientSecretCredential(
        config.azure_tenant_id, config.azure_client_id,
        config.azure_client_secret if secret is None else secret,
        authority=running.url, disable_instance_discovery=True,
        connection_verify=str(running.ca_bundle))


def client_certificate_file(running, path):
    """Write a new client certificate (key and certificate, PEM) to ``path`` and register it for the
    simulator's application, as uploading it in the portal does; returns ``path``."""
    from cloudsim.tls import make_client_certificate

    pem = make_client_certificate()
    running.admin("POST", "azure/certificates", {"certificate": pem.decode()})
    Path(path).write_bytes(pem)
    return path


def federated_token_file(running, path, subject=None):
    """Write a workload identity token of the simulated cluster issuer to ``path`` (what the AKS
    workload identity webhook projects at AZURE_FEDERATED_TOKEN_FILE); returns ``path``."""
    token = running.admin("POST", "azure/federated-token", {"subject": subject} if subject else {})["token"]
    Path(path).write_text(token)
    return path


def make_network_client(running, credential=None, **kwargs):
    """NetworkManagementClient as the collection's modules build it, with quick polls/retries."""
    options = dict(base_url=running.url, credential_scopes=[running.url + "/.default"],
                   polling_interval=0.01, connection_verify=str(running.ca_bundle),
                   retry_total=3, retry_backoff_factor=0.01, retry_backoff_max=0.1)
    options.update(kwargs)
    return NetworkManagementClient(credential or make_credential(running),
                                   running.sim.config.azure_subscription_id, **options)


class ArmCaller:
    """Raw HTTPS calls to the simulator, for what the SDK hides (status codes, headers, bodies)."""

    def __init__(self, running, credential):
        self.running = running
        self.session = requests.Session()
        self.session.verify = str(running.ca_bundle)
        self.session.trust_env = False
        self._credential = credential

    def bearer(self):
        token = self._credential.get_token(self.running.url + "/.default").token
        return {"Authorization": "Bearer " + token}

    def subscription_path(self, path=""):
        return "/subscriptions/%s%s" % (self.running.sim.config.azure_subscription_id, path)

    def request(self, method, path, auth=True, api_version="2024-05-01", **kwargs):
        headers = dict(self.bearer() if auth else {}, **kwargs.pop("headers", {}))
        params = kwargs.pop("params", {})
        if api_version:
            params.setdefault("api-version", api_version)
        return self.session.request(method, self.running.url + path, headers=headers,
                                    params=params, timeout=10, **kwargs)


def az_logged_in(running, directory, az_directory):
    """Log the real Azure CLI (``az`` in ``az_directory``, see tools/clis.py) in to the simulator as its service
    principal, with a config dir of its own under ``directory``; returns the environment to add for later ``az``
    runs: PATH (this az first), AZURE_CONFIG_DIR and REQUESTS_CA_BUNDLE (the CLI's requests trust the
    simulator's CA).

    The simulator is registered as a custom cloud from its metadata endpoint, as for Azure Stack Hub
    (``az cloud register --endpoint-resource-manager``, learn.microsoft.com "Connect to Azure Stack Hub with
    Azure CLI"), made the active cloud, and ``az login --service-principal`` signs in with the client secret.
    The config file turns off telemetry and MSAL's instance discovery: MSAL asks login.microsoftonline.com to
    vouch for an authority host it does not know (msal/authority.py ``_initialize_entra_authority``), which
    azure-cli turns off with ``core.instance_discovery=false`` "in Azure Stack environment"
    (azure-cli-core/azure/cli/core/_profile.py ``_create_identity_instance``)."""
    config = running.sim.config
    config_dir = Path(directory) / "azure"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config").write_text("[core]\ncollect_telemetry = no\ninstance_discovery = false\n")
    environment = {"PATH": "%s%s%s" % (az_directory, os.pathsep, os.environ.get("PATH", "")),
                   "AZURE_CONFIG_DIR": str(config_dir), "REQUESTS_CA_BUNDLE": str(running.ca_bundle)}
    for arguments in (("cloud", "register", "--name", "cloudsim", "--endpoint-resource-manager", running.url + "/"),
                      ("cloud", "set", "--name", "cloudsim"),
                      ("login", "--service-principal", "--username", config.azure_client_id,
                       "--password", config.azure_client_secret, "--tenant", config.azure_tenant_id)):
        run_az(environment, *arguments)
    return environment


def run_az(environment, *arguments):
    """``az arguments --output json`` with ``environment`` added (as az_logged_in returns it): the answer
    parsed, or AssertionError with what the CLI said."""
    command = [str(Path(environment["PATH"].split(os.pathsep)[0]) / "az")] + list(arguments) + ["--output", "json"]
    done = subprocess.run(command, env=dict(os.environ, **environment), capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError("`az %s` exited %d: %s" % (" ".join(arguments[:3]), done.returncode, done.stderr))
    return json.loads(done.stdout) if done.stdout.strip() else None


def az_commands_run(environment):
    """The commands az ran with ``environment``'s config dir, oldest first ("account get-access-token"): the CLI
    logs each in ``$AZURE_CONFIG_DIR/commands/<date>.<time>.<command_words>.<pid>.log``."""
    logs = sorted((Path(environment["AZURE_CONFIG_DIR"]) / "commands").glob("*.log"))
    return [log.name.split(".")[2].replace("_", " ") for log in logs]
