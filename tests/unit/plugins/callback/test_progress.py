# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress callback: one line per call of a wait split into calls, nothing for other retries."""

from ansible_collections.crosscloud.interconnect.plugins.callback import progress

WAITING = dict(awaiting="virtual circuit vc1 to be PROVISIONED", state="PROVISIONING/ACTIVE/DOWN", elapsed_seconds=42,
               timeout_seconds=1800)


class Host:
    def get_name(self):
        return "tokyo"


class RetryResult:
    """The public face of a task result given to callbacks from ansible-core 2.19 on."""
    task_name = "Ensure the virtual circuit"

    def __init__(self, result):
        self.result = result
        self.host = Host()


def shown(result, monkeypatch):
    lines = []
    monkeypatch.setattr(progress.display, "display", lambda line, *args, **kwargs: lines.append(line))
    progress.CallbackModule().v2_runner_retry(result)
    return lines


def test_a_call_that_still_waits_shows_what_is_awaited_the_state_and_the_time(monkeypatch):
    assert shown(RetryResult(dict(waiting=WAITING, attempts=2, retries=91)), monkeypatch) == [
        "[tokyo] waiting for virtual circuit vc1 to be PROVISIONED: PROVISIONING/ACTIVE/DOWN after 42s of 1800s"]


def test_a_hidden_result_shows_only_that_the_task_still_waits(monkeypatch):
    censored = dict(censored="the output has been hidden", attempts=3, retries=91, changed=False)
    assert shown(RetryResult(censored), monkeypatch) == [
        "[tokyo] Ensure the virtual circuit: still waiting after call 3 (no_log hides the state)"]


def test_other_retries_and_older_cores_show_nothing(monkeypatch):
    assert shown(RetryResult(dict(attempts=1, retries=3, failed=True)), monkeypatch) == []

    class OlderResult:  # ansible-core before 2.19: the result only under a private name
        task_name = "t"
        _result = dict(waiting=WAITING)

    assert shown(OlderResult(), monkeypatch) == []
