"""End-to-end fixtures: the product playbooks run by ansible-playbook against one cloudsim.

The simulator serves the demo fixture with zero delays; every test starts from that fixture with an
empty request log, so the log tells exactly which calls a run made.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cloudsim.azure.testing import make_network_client
from cloudsim.server import start
from cloudsim.sim import SimConfig

REPO = Path(__file__).resolve().parents[2]
DEMO_INVENTORY = REPO / "inventories" / "demo"
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def fixture_of(name):
    """A fixture of cloudsim/fixtures/ by name (demo, greenfield)."""
    return json.loads((REPO / "cloudsim" / "fixtures" / ("%s.json" % name)).read_text())


def serve(fixture, tmp_path_factory):
    """A simulator serving ``fixture``, until the generator ends (for a fixture that yields it)."""
    running = start(SimConfig(fixture=fixture), tmp_path_factory.mktemp("cloudsim"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def sim_server(tmp_path_factory):
    yield from serve(fixture_of("demo"), tmp_path_factory)


@pytest.fixture
def sim(sim_server):
    """The simulator, reset to the demo fixture, with an empty request log and no faults."""
    sim_server.admin("POST", "reset")
    sim_server.admin("PUT", "faults", {"error_rate": 0, "drop_rate": 0, "throttle_rate": 0,
                                       "lro_failure_rate": 0, "path_pattern": ""})
    sim_server.admin("DELETE", "log")
    return sim_server


class PlaybookRun:
    def __init__(self, process, output):
        self.rc = process.returncode
        self.output = output
        self.recap = {host: dict(ok=int(ok), changed=int(changed), unreachable=int(unreachable), failed=int(failed))
                      for host, ok, changed, unreachable, failed in RECAP.findall(output)}

    def total(self, field):
        return sum(host[field] for host in self.recap.values())


@pytest.fixture
def run_playbook(sim, tmp_path, collections_root):
    """Run a playbook of playbooks/ on an inventory, with the simulator's environment."""

    def run(playbook, inventory=DEMO_INVENTORY, *options, extra_vars=None, environment=None):
        env = dict(os.environ, **sim.env)
        env.update(ANSIBLE_COLLECTIONS_PATH=collections_root, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                   ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_RETRY_FILES_ENABLED="False", **(environment or {}))
        extra = dict({"interconnect_report_dir": str(tmp_path / "reports")}, **(extra_vars or {}))
        command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory),
                   str(REPO / "playbooks" / playbook), "-e", json.dumps(extra)] + list(options)
        with subprocess.Popen(command, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) as process:
            output = process.communicate(timeout=600)[0]
        return PlaybookRun(process, output)

    return run


@pytest.fixture
def converged(sim, run_playbook):
    """Both demo interconnects built, with an empty request log."""
    run = run_playbook("interconnect.yml")
    assert run.rc == 0, run.output
    sim.admin("DELETE", "log")
    return sim


def calls(sim, kind=None, cloud=None):
    """The request log of the simulator, optionally only one kind (read/write/poll) or cloud."""
    query = "&".join("%s=%s" % item for item in (("kind", kind), ("cloud", cloud)) if item[1])
    return sim.admin("GET", "log" + ("?" + query if query else ""))["entries"]


def azure_client(sim):
    """The real azure-mgmt-network client, as an operator outside Ansible would use it."""
    return make_network_client(sim)
