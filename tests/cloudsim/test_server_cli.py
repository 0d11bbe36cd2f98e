"""``python -m cloudsim`` and the state directory it writes, in real processes."""
import json
import os
import shlex
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import oci
import pytest
from cryptography import x509

from cloudsim.server import start, system_ca_file
from cloudsim.sim import SimConfig

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = {"AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT", "AZURE_SUBSCRIPTION_ID",
             "AZURE_CLOUD_ENVIRONMENT", "OCI_CONFIG_FILE", "OCI_CONFIG_PROFILE",
             "OCI_SERVICE_ENDPOINT", "OCI_REGION", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
             "SSL_CERT_FILE", "CLOUDSIM_URL"}


def cloudsim(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "cloudsim", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, **kwargs)


def read_env(state_dir):
    env = {}
    for line in (state_dir / "env").read_text().splitlines():
        name, value = line[len("export "):].split("=", 1)
        env[name] = shlex.split(value)[0]
    return env


def get_json(url, bundle):
    context = ssl.create_default_context(cafile=str(bundle))
    with urllib.request.urlopen(url, context=context, timeout=5) as answer:
        return json.loads(answer.read())


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in %.0f s" % timeout
        time.sleep(0.02)


def test_foreground_run_prints_the_url_writes_env_and_stops_on_sigterm(tmp_path):
    process = cloudsim("--port", "0", "--state-dir", str(tmp_path), "--seed", "4")
    try:
        url = process.stdout.readline().strip()
        env = read_env(tmp_path)
        assert url.startswith("https://127.0.0.1:") and env["CLOUDSIM_URL"] == url
        assert set(env) == ENV_NAMES
        assert (tmp_path / "pid").read_text().strip() == str(process.pid)
        assert get_json(url + "/_sim/health", env["REQUESTS_CA_BUNDLE"]) == {"status": "ok"}
        assert get_json(url + "/_sim/faults", env["REQUESTS_CA_BUNDLE"])["seed"] == 4
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert not (tmp_path / "env").exists() and not (tmp_path / "pid").exists()


def test_daemon_returns_once_serving_with_the_fixture(tmp_path):
    started = time.monotonic()
    process = cloudsim("--state-dir", str(tmp_path), "--daemon", "--fixture",
                       "cloudsim/fixtures/demo.json", "--delays", "realistic",
                       "--delay", "azure.lro=0.5")
    url = process.stdout.read().strip()
    assert process.wait(timeout=30) == 0
    elapsed = time.monotonic() - started
    pid = int((tmp_path / "pid").read_text())
    try:
        bundle = read_env(tmp_path)["REQUESTS_CA_BUNDLE"]
        state = get_json(url + "/_sim/state", bundle)
        delays = get_json(url + "/_sim/delays", bundle)
        assert len(state["azure"]["resourceGroups"]) == 3
        assert delays["azure.lro"] == 0.5 and delays["provider.provision"] > 0
        assert elapsed < 5  # typically ~0.5 s including the interpreter start
    finally:
        os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not (tmp_path / "env").exists())


def test_bad_arguments_are_reported(tmp_path):
    process = cloudsim("--state-dir", str(tmp_path), "--throttle-rate", "3",
                       stderr=subprocess.PIPE)
    errors = process.communicate(timeout=10)[1]
    assert process.returncode == 2 and "rate between 0 and 1" in errors


@pytest.mark.parametrize("setting, error", [
    ("azure.lrox=1", "argument --delay: unknown delay 'azure.lrox'; known delays: azure.lro, "
                     "azure.gateway_lro, azure.retry_after, provider.accept"),
    ("azure.lro=-1", "argument --delay: delay azure.lro must be a finite non-negative number"),
    ("azure.lro=nan", "argument --delay: delay azure.lro must be a finite non-negative number"),
    ("azure.lro=inf", "argument --delay: delay azure.lro must be a finite non-negative number"),
    ("azure.lro", "argument --delay: expected NAME=SECONDS, got 'azure.lro'"),
])
def test_bad_delays_are_refused_before_serving(tmp_path, setting, error):
    process = cloudsim("--state-dir", str(tmp_path), "--delay", setting, stderr=subprocess.PIPE)
    errors = process.communicate(timeout=10)[1]
    assert process.returncode == 2 and error in errors
    assert not (tmp_path / "env").exists()


def test_help_documents_options_delays_and_files():
    process = cloudsim("--help")
    text = process.communicate(timeout=10)[0]
    for word in ("--port", "--state-dir", "--fixture", "--delays", "--delay", "--seed",
                 "--throttle-rate", "--error-rate", "--drop-rate", "--lro-failure-rate",
                 "--daemon", "provider.provision", "ca-bundle.pem", "AZURE_CLOUD_ENVIRONMENT",
                 "/_sim/faults"):
        assert word in text


def test_state_directory_contents(tmp_path):
    running = start(SimConfig(), tmp_path)
    try:
        bundle = (tmp_path / "ca-bundle.pem").read_text()
        system = Path(system_ca_file()).read_text()
        assert bundle.startswith(system.rstrip("\n"))
        assert bundle.endswith((tmp_path / "ca.pem").read_text())
        oci_config = (tmp_path / "oci_config").read_text()
        assert oci_config.startswith("[DEFAULT]\n")
        assert "key_file=%s" % (tmp_path / "oci_api_key.pem") in oci_config
        assert "fingerprint=%s" % running.sim.config.oci_fingerprint in oci_config
        # The OCI CLI warns about a key or config file readable by others (anything past 0600).
        for private in ("oci_api_key.pem", "oci_config"):
            assert oct((tmp_path / private).stat().st_mode & 0o777) == "0o600", private
        assert set(running.env) == ENV_NAMES
        assert running.env["AZURE_CLOUD_ENVIRONMENT"] == running.url
    finally:
        running.stop()


def test_oci_config_of_an_earlier_run_becomes_owner_only(tmp_path):
    # A state directory of an older cloudsim (0644 config, a leftover .tmp) is tightened too, and
    # the oci SDK reads the file as the collection does.
    import oci
    for leftover in ("oci_config", "oci_config.tmp"):
        (tmp_path / leftover).write_text("[DEFAULT]\n")
        os.chmod(tmp_path / leftover, 0o644)
    running = start(SimConfig(), tmp_path)
    try:
        assert oct((tmp_path / "oci_config").stat().st_mode & 0o777) == "0o600"
        config = oci.config.from_file(str(tmp_path / "oci_config"), "DEFAULT")
        oci.config.validate_config(config)
        assert config["fingerprint"] == running.sim.config.oci_fingerprint
    finally:
        running.stop()


def test_bundle_of_an_earlier_run_is_not_nested(tmp_path, monkeypatch):
    first = start(SimConfig(), tmp_path / "one")
    first.stop()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(first.ca_bundle))
    second = start(SimConfig(), tmp_path / "two")
    second.stop()
    assert second.ca_bundle.read_text().count("BEGIN CERTIFICATE") == \
        Path(system_ca_file()).read_text().count("BEGIN CERTIFICATE") + 1


@pytest.mark.parametrize("env_name", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_system_ca_file_follows_the_environment(tmp_path, monkeypatch, env_name):
    custom = tmp_path / "corporate.pem"
    custom.write_text("corporate CA\n")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv(env_name, str(custom))
    assert system_ca_file() == str(custom)


def test_extra_tls_names_are_in_the_certificate(tmp_path):
    running = start(SimConfig(), tmp_path, tls_names=["sim.example.test", "192.0.2.10"])
    try:
        certificate = x509.load_pem_x509_certificate((tmp_path / "server.pem").read_bytes())
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert "sim.example.test" in names.get_values_for_type(x509.DNSName)
        assert {str(a) for a in names.get_values_for_type(x509.IPAddress)} == \
            {"127.0.0.1", "::1", "192.0.2.10"}
    finally:
        running.stop()


def test_env_file_serves_the_oci_sdk_and_curl(tmp_path, monkeypatch):
    """What `source .sim/env` gives a shell: the OCI SDK and curl trust the simulator."""
    running = start(SimConfig(), tmp_path)
    try:
        env = read_env(tmp_path)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        config = oci.config.from_file(env["OCI_CONFIG_FILE"], env["OCI_CONFIG_PROFILE"])
        # A placeholder the collection fills in; a script using the SDK itself names the region.
        assert env["OCI_SERVICE_ENDPOINT"] == running.url + "/oci/{region}"
        client = oci.core.VirtualNetworkClient(
            config, service_endpoint=env["OCI_SERVICE_ENDPOINT"].format(region=config["region"]),
            retry_strategy=oci.retry.NoneRetryStrategy())
        services = client.list_fast_connect_provider_services(config["tenancy"]).data
        assert "Microsoft Azure" in {s.provider_name for s in services}
        curl = subprocess.run(["curl", "-sS", env["CLOUDSIM_URL"] + "/_sim/health"],
                              capture_output=True, text=True, timeout=10, check=True)
        assert json.loads(curl.stdout) == {"status": "ok"}
    finally:
        running.stop()
