# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared waiter: what it reads, how long it sleeps, what it reports."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import WaitFailed, WaitTimeout, wait_until


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


def test_waits_at_the_interval_and_records_each_new_state():
    time = FakeTime()
    read, calls = reader(["Provisioning", "Provisioning", "Provisioned"])
    value, history = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, interval=1.0,
                                sleep=time.sleep, clock=time.clock)
    assert value == "Provisioned" and len(calls) == 3
    assert history == [{"state": "Provisioning", "after_seconds": 0.0}, {"state": "Provisioned", "after_seconds": 2.0}]


def test_a_value_already_read_costs_no_call_when_it_is_done():
    read, calls = reader(["never read"])
    value, history = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, first="Provisioned",
                                sleep=FakeTime().sleep)
    assert value == "Provisioned" and calls == [] and history[0]["state"] == "Provisioned"


def test_a_value_already_read_is_judged_first_then_polling_goes_on():
    time = FakeTime()
    read, calls = reader(["Provisioned"])
    value = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, first="Provisioning",
                       sleep=time.sleep, clock=time.clock)[0]
    assert value == "Provisioned" and len(calls) == 1


def test_timeout_and_dead_end_carry_the_history():
    time = FakeTime()
    read = reader(["Provisioning"])[0]
    with pytest.raises(WaitTimeout) as timed_out:
        wait_until(read, str, lambda v: False, "circuit", 3, interval=1.0, sleep=time.sleep, clock=time.clock)
    assert timed_out.value.last == "Provisioning" and time.now == 3.0
    with pytest.raises(WaitFailed) as failed:
        wait_until(reader(["FAILED"])[0], str, lambda v: False, "circuit", 3, is_failed=lambda v: v == "FAILED",
                   sleep=time.sleep, clock=time.clock)
    assert failed.value.history == [{"state": "FAILED", "after_seconds": 0.0}]
