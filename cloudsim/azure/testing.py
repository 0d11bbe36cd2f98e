"""Helpers for tests that drive the real Azure SDK (or raw HTTPS) against a running cloudsim.

Imported by tests only (the simulator itself never needs the SDK)::

    client = make_network_client(running)      # NetworkManagementClient as the modules build it
    arm = ArmCaller(running, make_credential(running))
    arm.request("GET", arm.subscription_path("/resourcegroups")).status_code
"""
from __future__ import annotations

import json
import os
import sys
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


def fake_az_on_path(running, directory):
    """Put ``tests/fakes/fake_az.py`` on a PATH as ``az``, logged in to the simulator as its service
    principal. Returns the environment to add: PATH (the fake first) and AZURE_CONFIG_DIR."""
    directory = Path(directory)
    config = running.sim.config
    (directory / "bin").mkdir(parents=True, exist_ok=True)
    script = Path(__file__).resolve().parents[2] / "tests" / "fakes" / "fake_az.py"
    az = directory / "bin" / "az"
    az.write_text('#!/bin/sh\nexec "%s" "%s" "$@"\n' % (sys.executable, script))
    az.chmod(0o755)
    (directory / "azure").mkdir(exist_ok=True)
    (directory / "azure" / "cloudsim_login.json").write_text(json.dumps({
        "authority": running.url, "tenant": config.azure_tenant_id, "client_id": config.azure_client_id,
        "secret": config.azure_client_secret, "subscription": config.azure_subscription_id}))
    return {"PATH": "%s%s%s" % (directory / "bin", os.pathsep, os.environ.get("PATH", "")),
            "AZURE_CONFIG_DIR": str(directory / "azure")}
