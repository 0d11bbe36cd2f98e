# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A retried create never makes a second virtual circuit.

The whole fastconnect_virtual_circuit module runs in-process with the real oci SDK against a
cloudsim over HTTPS. The connection of the first create is dropped after cloudsim has processed
it (the answer never arrives), so our retry policy sends the create again; the one retry token of
the run makes cloudsim answer with the first circuit.
"""

import json
import os
import sys

import pytest
from ansible.module_utils.testing import patch_module_args
from oci._vendor.requests.exceptions import ConnectionError as RequestsConnectionError

from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci as oci_utils
from ansible_collections.crosscloud.interconnect.plugins.modules import fastconnect_virtual_circuit

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from cloudsim.oci.testing import network_client  # noqa: E402  (needs the repository root on the path)
from cloudsim.server import start  # noqa: E402

COMPARTMENT = "ocid1.compartment.oc1..retrytoken"
DRG = "ocid1.drg.oc1.ap-tokyo-1.retrytoken"
CIRCUIT_PATH = "resourceGroups/rg-retry/providers/Microsoft.Network/expressRouteCircuits/er-retry"
FIXTURE = {
    "azure": {
        "resourceGroups": {"rg-retry": {"location": "japaneast"}},
        "resources": [{"path": CIRCUIT_PATH, "body": {
            "location": "japaneast",
            "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
            "properties": {"serviceProviderProperties": {"serviceProviderName": "Oracle Cloud FastConnect",
                                                         "peeringLocation": "Tokyo", "bandwidthInMbps": 1000}}}}],
    },
    "oci": {
        "compartments": [{"id": COMPARTMENT, "name": "retrytoken"}],
        "drgs": [{"id": DRG, "compartmentId": COMPARTMENT, "displayName": "drg-retry"}],
    },
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    running = start(state_dir=tmp_path_factory.mktemp("cloudsim"))
    running.sim.load_fixture(FIXTURE)
    yield running
    running.stop()


def find_service_key(state):
    """The serviceKey of the fixture's ExpressRoute circuit in a /_sim/state dump."""
    if isinstance(state, dict):
        if state.get("serviceKey"):
            return state["serviceKey"]
        state = list(state.values())
    for item in state if isinstance(state, list) else []:
        found = find_service_key(item)
        if found:
            return found
    return None


@pytest.fixture
def drop_first_create_answer(monkeypatch):
    """Make the client drop the connection of the first create after the server processed it."""
    sent = []
    make_client = oci_utils.virtual_network_client

    def client_dropping_first_answer(params):
        client = make_client(params)
        session = client.base_client.session
        send = session.send

        def send_then_drop(request, **kwargs):
            response = send(request, **kwargs)
            if request.method == "POST" and request.path_url.endswith("/virtualCircuits"):
                sent.append(request.headers.get("opc-retry-token"))
                if len(sent) == 1:
                    raise RequestsConnectionError("connection dropped after the create was processed")
            return response

        session.send = send_then_drop
        return client

    monkeypatch.setattr(oci_utils, "virtual_network_client", client_dropping_first_answer)
    # The server's answer is slow to arrive, not absent: keep the back-off short for the test.
    monkeypatch.setattr(oci_utils, "RETRY_BASE_SLEEP_SECONDS", 0.1)
    return sent


def run_module(args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            fastconnect_virtual_circuit.main()
    return json.loads(capsys.readouterr().out)


def test_retried_create_makes_one_circuit(sim, monkeypatch, capsys, drop_first_create_answer):
    for name, value in sim.env.items():
        monkeypatch.setenv(name, value)
    service_key = find_service_key(sim.admin("GET", "state")["azure"])
    assert service_key, "the fixture's ExpressRoute circuit has no service key"
    sim.admin("DELETE", "log")

    result = run_module(dict(
        compartment_id=COMPARTMENT, display_name="vc-retry", service_key=service_key, gateway_id=DRG,
        bandwidth_shape="1 Gbps", wait_for="none",
        cross_connect_mappings=[{"oracle_ip": "10.255.0.1/30", "customer_ip": "10.255.0.2/30"},
                                {"oracle_ip": "10.255.0.5/30", "customer_ip": "10.255.0.6/30"}],
    ), capsys)

    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    # Two creates went out, with the same token: the retry really happened, and was idempotent.
    assert len(drop_first_create_answer) == 2
    assert drop_first_create_answer[0] and drop_first_create_answer[0] == drop_first_create_answer[1]
    creates = [entry for entry in sim.admin("GET", "log")["entries"]
               if entry["method"] == "POST" and entry["path"].endswith("/virtualCircuits")]
    assert [entry["status"] for entry in creates] == [200, 200]
    circuits = network_client(sim).list_virtual_circuits(COMPARTMENT, display_name="vc-retry").data
    assert [circuit.id for circuit in circuits] == [result["virtual_circuit"]["id"]]
