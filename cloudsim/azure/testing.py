"""Helpers for tests that drive the real Azure SDK (or raw HTTPS) against a running cloudsim.

Imported by tests only (the simulator itself never needs the SDK)::

    client = make_network_client(running)      # NetworkManagementClient as the modules build it
    arm = ArmCaller(running, make_credential(running))
    arm.request("GET", arm.subscription_path("/resourcegroups")).status_code
"""
from __future__ import annotations

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
