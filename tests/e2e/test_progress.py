"""Long waits show their progress: a wait split into module calls under until/retries, one line per
call in the output (the collection's progress callback), with no API call beyond the wait's own reads."""
import re
from datetime import datetime

import pytest

from conftest import DEMO_INVENTORY, calls

PROGRESS_CALLBACK = {"ANSIBLE_CALLBACKS_ENABLED": "crosscloud.interconnect.progress"}
PROGRESS_LINE = re.compile(r"^\[tokyo\] waiting for virtual circuit \S+ to be PROVISIONED: (\S+) after (\d+)s of "
                           r"1800s$", re.M)
RETRY_LINE = re.compile(r"^FAILED - RETRYING: \[tokyo\]: Ensure the FastConnect private virtual circuit", re.M)
VIRTUAL_CIRCUITS = "/oci/ap-tokyo-1/20160918/virtualCircuits"  # tokyo's region endpoint


@pytest.fixture
def slow_provider(sim):
    """The provider takes 40 s to provision (PROVISIONING -> PROVISIONED), every other step is instant."""
    sim.admin("PUT", "delays", {"provider.provision": 40})
    yield sim
    sim.admin("PUT", "delays", {"provider.provision": 0})


def test_a_long_provider_wait_shows_a_line_per_call_with_state_and_elapsed_seconds(slow_provider, run_playbook):
    run = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo",
                       extra_vars={"interconnect_progress_interval": 8}, environment=PROGRESS_CALLBACK)
    assert run.rc == 0, run.output
    lines = PROGRESS_LINE.findall(run.output)
    assert len(lines) >= 3, run.output
    assert all(state.startswith("PROVISIONING/") for state, dummy in lines), lines
    elapsed = [int(seconds) for dummy, seconds in lines]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 24, elapsed
    # Each line follows core's own retry line of the same call.
    assert len(RETRY_LINE.findall(run.output)) == len(lines)
    # The create, made by the first call only, is reported as the task's change.
    task = run.output.split("Ensure the FastConnect private virtual circuit", 1)[1].split("\nTASK [", 1)[0]
    assert "\nchanged: [tokyo]" in task, task

    # The calls after the create: the rules of both sides, written while the provider works, then the wait,
    # only reads of the virtual circuit (each call's first read is its find by name, the rest reads by id), at
    # most one per wait_interval (1 s) as one long call would read, until the provider has provisioned it and
    # the run goes on to Azure's gateway connection.
    log = calls(slow_provider)
    create = next(index for index, entry in enumerate(log)
                  if entry["method"] == "POST" and entry["path"] == VIRTUAL_CIRCUITS)
    first_read = next(index for index, entry in enumerate(log) if index > create
                      and entry["method"] == "GET" and entry["path"].startswith(VIRTUAL_CIRCUITS))
    rules_written = [entry["path"].split("/")[-2] for entry in log[create + 1:first_read] if entry["kind"] == "write"]
    assert sorted(set(rules_written)) == ["networkSecurityGroups", "routeTables", "securityLists"], rules_written
    reads = []
    for entry in log[first_read:]:
        if not (entry["method"] == "GET" and entry["path"].startswith(VIRTUAL_CIRCUITS)):
            break
        reads.append(datetime.fromisoformat(entry["time"]))
    waited = (reads[-1] - reads[0]).total_seconds()
    assert waited >= 30, "the wait of 40 s (less the rules written meanwhile) happened outside the reads: %s" % log
    assert len(reads) <= waited / 1.0 + 1, (len(reads), waited)
    assert not [entry for entry in log if entry["path"].startswith(VIRTUAL_CIRCUITS) and entry["method"] != "GET"
                and entry is not log[create]], "the create was repeated"


def test_a_long_teardown_wait_shows_its_progress_and_deletes_once(sim, run_playbook):
    built = run_playbook("interconnect.yml", DEMO_INVENTORY, "--limit", "tokyo")
    assert built.rc == 0, built.output
    sim.admin("PUT", "delays", {"provider.deprovision": 20})
    sim.admin("DELETE", "log")
    try:
        teardown = run_playbook("teardown.yml", DEMO_INVENTORY, "--limit", "tokyo",
                                extra_vars={"interconnect_progress_interval": 6}, environment=PROGRESS_CALLBACK)
    finally:
        sim.admin("PUT", "delays", {"provider.deprovision": 0})
    assert teardown.rc == 0, teardown.output
    lines = re.findall(r"^\[tokyo\] waiting for virtual circuit \S+ to be TERMINATED: (TERMINATING)\S* after (\d+)s",
                       teardown.output, re.M)
    assert len(lines) >= 2, teardown.output
    task = teardown.output.split("Delete the FastConnect virtual circuit", 1)[1].split("\nTASK [", 1)[0]
    assert "\nchanged: [tokyo]" in task, task
    deletes = [entry for entry in calls(sim, kind="write") if entry["method"] == "DELETE"
               and entry["path"].startswith(VIRTUAL_CIRCUITS)]
    assert len(deletes) == 1, deletes
