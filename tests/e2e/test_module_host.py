"""The module host in a real run: it serves every module task, ends with the run, and switched off
the same run gives the same result with every module in its own process."""
import os
import re
import tempfile
import time

import pytest

from conftest import DEMO_INVENTORY

# A converge verifies from its own reads: the info modules run in a verify (or when BGP is not UP yet).
MODULES_OF_A_CONVERGE = {
    "azure_network_info", "oci_network_info", "expressroute_circuit", "fastconnect_virtual_circuit",
    "expressroute_peering", "expressroute_gateway_connection", "azure_nsg_rules", "oci_route_rules",
    "oci_security_rules",
}
SERVED = re.compile(r"module host ran crosscloud\.interconnect\.(\w+) \(module\): rc=0, peak RSS (\d+) KiB")
HOST_DIRECTORY = os.path.join(tempfile.gettempdir(), "crosscloud-ic-%d" % os.getuid())


def host_traces(controller_pid):
    """Files of the host of one run (socket, lock, log) and host processes serving it."""
    files = [name for name in os.listdir(HOST_DIRECTORY) if name.startswith("%d-" % controller_pid)] \
        if os.path.isdir(HOST_DIRECTORY) else []
    processes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        if any(arg.endswith(b"module_host.py") for arg in argv) and str(controller_pid).encode() in argv:
            processes.append(int(pid))
    return files, processes


def gone_within(controller_pid, seconds=5.0):
    deadline = time.monotonic() + seconds
    while host_traces(controller_pid) != ([], []):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_every_module_task_runs_in_the_host_which_ends_with_the_run(sim, run_playbook, tmp_path):
    run = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo", "-vvv")
    assert run.rc == 0, run.output[-3000:]
    served = SERVED.findall(run.output)
    assert {module for module, dummy in served} == MODULES_OF_A_CONVERGE
    assert all(int(kib) < 150 * 1024 for dummy, kib in served), served
    assert gone_within(run.pid), host_traces(run.pid)


@pytest.mark.parametrize("environment", [
    {"CROSSCLOUD_INTERCONNECT_MODULE_HOST": "false"},
    {"CROSSCLOUD_INTERCONNECT_MODULE_HOST": "0"},
    {"ANSIBLE_KEEP_REMOTE_FILES": "1"},  # debugging a module: Ansible keeps its AnsiballZ file
], ids=["false", "0", "keep-remote-files"])
def test_switched_off_every_module_runs_in_its_own_process(sim, run_playbook, tmp_path, environment):
    remote_tmp = tmp_path / "remote-tmp"
    run = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo", "-vvv",
                       environment=dict(environment, ANSIBLE_REMOTE_TMP=str(remote_tmp)))
    assert run.rc == 0, run.output[-3000:]
    assert SERVED.findall(run.output) == []
    assert "AnsiballZ_expressroute_circuit.py" in run.output, "the module ran from Ansible's own payload"
    assert host_traces(run.pid) == ([], [])
    kept = {path.name for path in remote_tmp.glob("*/AnsiballZ_*.py")}
    assert ("AnsiballZ_expressroute_circuit.py" in kept) == ("ANSIBLE_KEEP_REMOTE_FILES" in environment), kept
    report = (tmp_path / "reports" / "tokyo.md").read_text()
    assert report.startswith("# Interconnect `tokyo`: healthy"), report[:200]
