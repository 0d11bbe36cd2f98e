# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one waiter: what it reads, how long it sleeps, what it reports, and its table of conditions."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import (
    KINDS,
    WaitPending,
    Waiter,
    check_wait_options,
    progress_line,
    wait_calls_needed,
    wait_argument_spec,
    wait_options_of,
)


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def reader(values):
    calls = []

    def read():
        calls.append(1)
        return values[min(len(calls), len(values)) - 1]
    return read, calls


def virtual_circuit(lifecycle, bgp="DOWN", provider="ACTIVE"):
    return dict(lifecycle_state=lifecycle, provider_state=provider, bgp_session_state=bgp)


def circuit(provider, peering=None, provisioning="Succeeded"):
    peerings = [dict(name="AzurePrivatePeering", peering_type="AzurePrivatePeering", provisioning_state=peering)] \
        if peering else []
    return dict(service_provider_provisioning_state=provider, provisioning_state=provisioning, peerings=peerings)


def waiter(kind, values, time):
    read, calls = reader(values)
    return Waiter(kind, read, sleep=time.sleep, clock=time.clock), calls


def test_waits_at_the_interval_and_records_each_new_state():
    time = FakeTime()
    wait, calls = waiter("virtual_circuit", [virtual_circuit("PROVISIONING"), virtual_circuit("PROVISIONING"),
                                             virtual_circuit("PROVISIONED")], time)
    value, history = wait.wait(["provisioned"], 60, 1.0)
    assert value["lifecycle_state"] == "PROVISIONED" and len(calls) == 3
    assert history == [{"state": "PROVISIONING/ACTIVE/DOWN", "after_seconds": 0.0},
                       {"state": "PROVISIONED/ACTIVE/DOWN", "after_seconds": 2.0}]


def test_a_value_already_read_costs_no_call_when_it_is_done():
    time = FakeTime()
    wait, calls = waiter("virtual_circuit", ["never read"], time)
    value, history = wait.wait(["provisioned"], 60, 1.0, first=virtual_circuit("PROVISIONED"))
    assert calls == [] and history == [{"state": "PROVISIONED/ACTIVE/DOWN", "after_seconds": 0.0}]


def test_a_value_already_read_is_judged_first_then_polling_goes_on():
    time = FakeTime()
    wait, calls = waiter("virtual_circuit", [virtual_circuit("PROVISIONED")], time)
    value = wait.wait(["provisioned"], 60, 1.0, first=virtual_circuit("PENDING_PROVIDER"))[0]
    assert value["lifecycle_state"] == "PROVISIONED" and len(calls) == 1 and time.now == 1.0


def test_a_timeout_names_the_subject_and_carries_history_and_last_value():
    time = FakeTime()
    wait = waiter("virtual_circuit", [virtual_circuit("PROVISIONED")], time)[0]
    with pytest.raises(InterconnectError) as timed_out:
        wait.wait(["bgp_up"], 3, 1.0, subject="virtual circuit vc1")
    assert timed_out.value.msg == ("Timed out after 3s waiting for virtual circuit vc1 to be PROVISIONED with BGP UP; "
                                   "last seen: PROVISIONED/ACTIVE/DOWN")
    assert timed_out.value.details["last_seen"]["bgp_session_state"] == "DOWN" and time.now == 3.0
    assert timed_out.value.details["wait_history"] == [{"state": "PROVISIONED/ACTIVE/DOWN", "after_seconds": 0.0}]


def test_a_dead_end_fails_at_once():
    time = FakeTime()
    wait, calls = waiter("virtual_circuit", [virtual_circuit("FAILED")], time)
    with pytest.raises(InterconnectError) as failed:
        wait.wait(["provisioned"], 600, 1.0)
    assert failed.value.msg == "Gave up waiting for the virtual circuit to be PROVISIONED: reached FAILED/ACTIVE/DOWN"
    assert len(calls) == 1 and time.now == 0.0


def test_every_asked_condition_must_hold_at_once():
    time = FakeTime()
    wait, calls = waiter("expressroute_circuit", [circuit("Provisioned"), circuit("Provisioned", "Updating"),
                                                  circuit("Provisioned", "Succeeded")], time)
    value = wait.wait(["provider_provisioned", "private_peering_present"], 60, 2.0)[0]
    assert len(calls) == 3 and time.now == 4.0 and value["peerings"][0]["provisioning_state"] == "Succeeded"


def test_accept_ends_the_wait_on_a_resource_allowed_to_be_gone():
    time = FakeTime()
    wait = waiter("expressroute_circuit", [None], time)[0]
    with pytest.raises(InterconnectError, match="reached absent"):
        wait.wait(["provider_not_provisioned"], 60, 1.0)
    assert wait.wait(["provider_not_provisioned"], 60, 1.0, accept=lambda value: value is None) == (
        None, [{"state": "absent", "after_seconds": 0.0}])


@pytest.mark.parametrize("kind, condition, value, holds, cannot_hold", [
    ("virtual_circuit", "provisioned", virtual_circuit("PROVISIONED"), True, False),
    ("virtual_circuit", "bgp_up", virtual_circuit("PROVISIONING", bgp="UP"), False, False),
    ("virtual_circuit", "bgp_up", virtual_circuit("PROVISIONED", bgp="UP"), True, False),
    ("virtual_circuit", "provisioned", virtual_circuit("INACTIVE"), False, True),
    ("virtual_circuit", "terminated", None, True, False),
    ("expressroute_circuit", "provider_provisioned", circuit("provisioned"), True, False),
    ("expressroute_circuit", "provider_provisioned", circuit("Provisioning", provisioning="Failed"), False, True),
    ("expressroute_circuit", "private_peering_absent", circuit("NotProvisioned"), True, False),
    ("expressroute_circuit", "private_peering_absent", circuit("Provisioned", "Succeeded"), False, False),
    ("operation", "succeeded", "InProgress", False, False),
    ("operation", "succeeded", "Failed", True, False),  # finished: the poller's result raises its error
])
def test_the_conditions_table(kind, condition, value, holds, cannot_hold):
    entry = KINDS[kind].conditions[condition]
    assert (entry.holds(value), entry.cannot_hold(value)) == (holds, cannot_hold)


def test_one_option_vocabulary_for_every_wait():
    spec = wait_argument_spec(["succeeded"], ["succeeded"])
    assert sorted(spec) == ["wait_for", "wait_interval", "wait_timeout"]
    assert spec["wait_for"] == dict(type="list", elements="str", choices=["succeeded"], default=["succeeded"])
    # Nothing waited for by default is None, so required_by=dict(wait_for=...) holds only when it is set.
    assert wait_argument_spec(["bgp_up", "provisioned"])["wait_for"]["default"] is None
    assert wait_options_of(dict(wait_for=None, wait_timeout=5, wait_interval=2.0)) == dict(
        wait_for=[], wait_timeout=5, wait_interval=2.0, wait_return_after=0, wait_started=None)
    # A module whose next call resumes the wait also offers to split it into calls.
    assert sorted(wait_argument_spec(["succeeded"], splits=True)) == [
        "wait_for", "wait_interval", "wait_return_after", "wait_started", "wait_timeout"]
    assert check_wait_options(dict(wait_timeout=-5, wait_interval=0)) == [
        "wait_timeout must be 0 or more seconds, got -5", "wait_interval must be more than 0 seconds, got 0"]


def split_waiter(values, time, wall_now=1000.0):
    read, calls = reader(values)
    return Waiter("virtual_circuit", read, sleep=time.sleep, clock=time.clock, wall_clock=lambda: wall_now), calls


def test_a_split_wait_returns_its_progress_after_its_share_and_after_a_sleep():
    time = FakeTime()
    wait, calls = split_waiter([virtual_circuit("PENDING_PROVIDER")] * 3 + [virtual_circuit("PROVISIONING")] * 9, time)
    with pytest.raises(WaitPending) as pending:
        wait.wait(["provisioned"], 600, 2.0, subject="virtual circuit vc1", return_after=5)
    # Reads at 0, 2, 4; the sleep after the third crosses the share: the next call reads at once.
    assert len(calls) == 3 and time.now == 6.0
    assert pending.value.result["waiting"] == dict(
        awaiting="virtual circuit vc1 to be PROVISIONED", state="PENDING_PROVIDER/ACTIVE/DOWN", elapsed_seconds=6,
        timeout_seconds=600)
    assert pending.value.result["changed"] is False
    assert pending.value.result["msg"] == ("Still waiting for virtual circuit vc1 to be PROVISIONED: "
                                           "PENDING_PROVIDER/ACTIVE/DOWN after 6s of 600s; calling again continues "
                                           "the wait")
    assert pending.value.carrying(changed=True).result["changed"] is True


def test_a_later_call_counts_elapsed_time_and_timeout_from_when_the_wait_began():
    time = FakeTime()
    wait, calls = split_waiter([virtual_circuit("PROVISIONING")], time, wall_now=1090.0)
    with pytest.raises(WaitPending) as pending:
        wait.wait(["provisioned"], 600, 1.0, return_after=3, started=1000.0)
    assert pending.value.result["waiting"]["elapsed_seconds"] == 93
    assert pending.value.result["wait_history"] == [{"state": "PROVISIONING/ACTIVE/DOWN", "after_seconds": 90.0}]
    with pytest.raises(InterconnectError, match="Timed out after 95s"):
        split_waiter([virtual_circuit("PROVISIONING")], FakeTime(), wall_now=1094.5)[0].wait(
            ["provisioned"], 95, 1.0, return_after=30, started=1000.0)


def test_a_split_wait_that_finishes_within_its_share_returns_as_one_call_would():
    time = FakeTime()
    wait, calls = split_waiter([virtual_circuit("PROVISIONING"), virtual_circuit("PROVISIONED")], time)
    value, history = wait.wait(["provisioned"], 600, 1.0, return_after=30)
    assert value["lifecycle_state"] == "PROVISIONED" and len(history) == 2


def test_retries_enough_for_the_module_timeout_to_end_a_split_wait():
    assert wait_calls_needed(1800, 30) == 61
    assert wait_calls_needed(100, 30) == 5
    assert wait_calls_needed(1800, 0) == 1
    assert progress_line(dict(awaiting="x to be y", state="s", elapsed_seconds=5, timeout_seconds=60)) == (
        "waiting for x to be y: s after 5s of 60s")
