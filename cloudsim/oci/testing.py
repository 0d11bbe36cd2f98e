"""Helpers for tests that drive the real ``oci`` SDK against a running cloudsim.

Imported by tests only (the simulator itself never needs the SDK)::

    client = network_client(running)            # VirtualNetworkClient, no retries, no breaker
    london = network_client(running, region="uk-london-1")   # through London's endpoint
    wait_for(lambda: client.get_drg(drg_id).data, lambda drg: drg.lifecycle_state == "AVAILABLE")
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TypeVar

import oci
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .instance_identity import IMDS_V2_ROOT

T = TypeVar("T")


def network_client(running: Any, config: Optional[Dict[str, Any]] = None,
                   region: Optional[str] = None, **kwargs: Any) -> "oci.core.VirtualNetworkClient":
    """A VirtualNetworkClient for the simulator ``running`` (a cloudsim.server.RunningSim),
    through the endpoint of ``region`` (the config's region by default), as a real client reaches
    the endpoint of the region its config names.

    Retries and the circuit breaker are off so that a wrong answer fails the test at once
    instead of being retried for minutes. The session trusts the simulator's CA bundle and
    ignores the environment, whose REQUESTS_CA_BUNDLE would otherwise win over ``verify``.
    """
    config = dict(config or running.oci_config)
    if region:
        config["region"] = region
    client = oci.core.VirtualNetworkClient(
        config, service_endpoint=running.oci_endpoint(config["region"]),
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy(), **kwargs)
    client.base_client.session.verify = str(running.ca_bundle)
    client.base_client.session.trust_env = False
    return client


def session_key_and_token(running: Any, directory: Any, principal: str = "session") -> Dict[str, str]:
    """A new session key and the simulator's security token for it, written to ``directory`` as
    ``oci session authenticate`` leaves them (``session_key.pem``, ``token``); returns their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    token = running.admin("POST", "oci/security-token", {"public_key": public_pem, "principal": principal})["token"]
    Path(directory).mkdir(parents=True, exist_ok=True)
    paths = {"key_file": str(Path(directory) / "session_key.pem"), "security_token_file": str(Path(directory) / "token")}
    Path(paths["key_file"]).write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                                          serialization.NoEncryption()))
    Path(paths["security_token_file"]).write_text(token)
    return paths


def instance_principal_environment(running: Any, region: Optional[str] = None) -> Dict[str, str]:
    """The environment that makes a client on this host an instance of the simulated tenancy: the SDK reads the
    instance metadata service's address from OCI_METADATA_BASE_URL, and the collection the auth service's
    (of ``region``, the home region by default) from OCI_SDK_AUTH_CLIENT_REGION_URL, the Go SDK's name. The
    SDK reaches both over HTTPS with REQUESTS_CA_BUNDLE."""
    return {"OCI_METADATA_BASE_URL": running.url + IMDS_V2_ROOT.rstrip("/"),
            "OCI_SDK_AUTH_CLIENT_REGION_URL": running.oci_endpoint(region),
            "REQUESTS_CA_BUNDLE": str(running.ca_bundle)}


def wait_for(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 10.0,
             interval: float = 0.05) -> T:
    """Call ``read`` until ``done`` holds for its result; the last result, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError("still not there after %.1f s: %r" % (timeout, value))
        time.sleep(interval)


def service_error(call: Callable[[], Any]) -> "oci.exceptions.ServiceError":
    """The ServiceError ``call`` raises (AssertionError if it succeeds)."""
    try:
        result = call()
    except oci.exceptions.ServiceError as error:
        return error
    raise AssertionError("expected a ServiceError, got %r" % (getattr(result, "data", result),))
