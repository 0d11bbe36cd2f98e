"""The real OCI CLI (oci-cli, pinned in tools/clis/oci-cli.txt) against the simulator's regional endpoint: a
client nobody here wrote signs each request with the API key of the simulator's config file (draft-cavage HTTP
signatures, its own code path through the oci SDK's signer) and reads the demo's networks."""
import json
import os
import subprocess
from pathlib import Path

import pytest
from oci.core.models import CreateVirtualCircuitDetails, CrossConnectMapping

from cloudsim.azure.testing import make_network_client
from cloudsim.oci.testing import network_client
from cloudsim.server import OCI_CONFIG

DEMO = json.loads((Path(__file__).resolve().parents[2] / "cloudsim/fixtures/demo.json").read_text())
COMPARTMENT = "ocid1.compartment.oc1..interconnectdemo"
VCN_TOKYO = "ocid1.vcn.oc1.ap-tokyo-1.interconnecttokyo"
DRG_TOKYO = "ocid1.drg.oc1.ap-tokyo-1.interconnecttokyo"


@pytest.fixture
def demo(running_sim):
    running_sim.sim.load_fixture(DEMO)
    return running_sim


@pytest.fixture
def oci_cli(oci_cli_directory, running_sim):
    """``oci_cli(*arguments, config_file=None)``: the CLI's answer (parsed JSON; None when it printed nothing), or
    AssertionError with what it said. Its config file is the simulator's (the demo's API key profile), its
    endpoint the simulator's endpoint of the config's region, its TLS trust the simulator's CA."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("OCI_")}
    # The CLI warns on stderr of an API key file without its OCI_API_KEY label line, and of a readable key.
    environment.update(REQUESTS_CA_BUNDLE=str(running_sim.ca_bundle), SUPPRESS_LABEL_WARNING="True",
                       OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING="True")

    def run(*arguments, config_file=None):
        command = [str(Path(oci_cli_directory) / "oci")] + list(arguments) + [
            "--config-file", str(config_file or running_sim.state_dir / OCI_CONFIG), "--profile", "DEFAULT",
            "--endpoint", running_sim.oci_endpoint()]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=180, check=False)
        if done.returncode != 0:
            raise AssertionError("`oci %s` exited %d: %s" % (" ".join(arguments[:3]), done.returncode, done.stderr))
        return json.loads(done.stdout) if done.stdout.strip() else None

    return run


def test_oci_gets_the_demo_vcn(oci_cli, demo):
    vcn = oci_cli("network", "vcn", "get", "--vcn-id", VCN_TOKYO)["data"]
    assert (vcn["display-name"], vcn["cidr-blocks"], vcn["compartment-id"], vcn["lifecycle-state"]) == (
        "vcn-tokyo", ["10.20.0.0/16"], COMPARTMENT, "AVAILABLE")


def test_oci_lists_the_vcns_of_the_region(oci_cli, demo):
    # A query string the signature covers ((request-target) with compartmentId): the region's VCN only.
    listed = oci_cli("network", "vcn", "list", "--compartment-id", COMPARTMENT, "--all")["data"]
    assert [vcn["id"] for vcn in listed] == [VCN_TOKYO]


def test_oci_lists_a_virtual_circuit_the_sdk_created(oci_cli, demo):
    circuit = make_network_client(demo).express_route_circuits.begin_create_or_update(
        "rg-interconnect-tokyo", "er-oci-cli", {
            "location": "japaneast", "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
            "properties": {"serviceProviderProperties": {"serviceProviderName": "Oracle Cloud FastConnect",
                                                         "peeringLocation": "Tokyo", "bandwidthInMbps": 1000}}},
        polling_interval=0).result()
    client = network_client(demo)
    provider = next(service for service in client.list_fast_connect_provider_services(COMPARTMENT).data
                    if service.provider_name == "Microsoft Azure")
    created = client.create_virtual_circuit(CreateVirtualCircuitDetails(
        compartment_id=COMPARTMENT, type="PRIVATE", display_name="vc-by-sdk", provider_service_id=provider.id,
        provider_service_key_name=circuit.service_key, gateway_id=DRG_TOKYO, bandwidth_shape_name="1 Gbps",
        # ExpressRoute's two links: a /30 each, Oracle on the first usable address.
        cross_connect_mappings=[CrossConnectMapping(oracle_bgp_peering_ip="10.255.0.%d/30" % (base + 1),
                                                    customer_bgp_peering_ip="10.255.0.%d/30" % (base + 2))
                                for base in (0, 4)])).data
    listed = oci_cli("network", "virtual-circuit", "list", "--compartment-id", COMPARTMENT, "--all")["data"]
    assert [(vc["id"], vc["display-name"], vc["provider-service-key-name"]) for vc in listed] == [
        (created.id, "vc-by-sdk", circuit.service_key)]


def test_a_request_signed_with_another_key_is_refused(oci_cli, demo, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = tmp_path / "other.pem"
    other_key.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    config = tmp_path / "config"
    config.write_text("[DEFAULT]\n%s\nkey_file=%s\n" % ("\n".join(
        "%s=%s" % item for item in demo.oci_config.items() if item[0] != "key_file"), other_key))
    config.chmod(0o600)
    with pytest.raises(AssertionError) as raised:
        oci_cli("network", "vcn", "get", "--vcn-id", VCN_TOKYO, config_file=config)
    assert "NotAuthenticated" in str(raised.value)
