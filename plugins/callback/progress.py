# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: progress
type: notification
short_description: One line of progress for every call of a long wait
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - >-
    The collection's modules split a long wait into calls when given C(wait_return_after), and the role runs them
    under C(until) (see the role's C(interconnect_progress_interval)). ansible-core then prints a C(FAILED - RETRYING)
    line after each call, naming the task only. This callback adds, after each such call, one line with what is
    awaited, the state now, the seconds elapsed and the timeout, for example
    C([tokyo] waiting for virtual circuit ocid1... to be PROVISIONED: PROVISIONING/ACTIVE/DOWN after 62s of 1800s).
  - It runs beside any stdout callback (the default one, or AWX's, where each line becomes a job event of its own).
  - A task with C(no_log) shows only that it still waits, and the attempt.
  - Needs ansible-core 2.19 or later, the first to give callbacks the task result under a public name; with older
    versions it prints nothing and core's C(FAILED - RETRYING) lines remain.
requirements:
  - Enabled in C(ansible.cfg) (C(callbacks_enabled = crosscloud.interconnect.progress)) or with
    C(ANSIBLE_CALLBACKS_ENABLED=crosscloud.interconnect.progress).
"""

from ansible.plugins.callback import CallbackBase
from ansible.utils.display import Display

from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import progress_line

display = Display()


def progress_of(host, task_name, result):
    """The line for one call of a split wait (``result``: its task result), None for any other retry."""
    if result.get("waiting"):
        return "[%s] %s" % (host, progress_line(result["waiting"]))
    if result.get("censored") and result.get("attempts"):
        return "[%s] %s: still waiting after call %d (no_log hides the state)" % (host, task_name, result["attempts"])
    return None


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "crosscloud.interconnect.progress"
    CALLBACK_NEEDS_ENABLED = True

    def v2_runner_retry(self, result):
        # ``result.result`` and ``result.host`` are public from ansible-core 2.19 on (see DOCUMENTATION).
        task_result, host = getattr(result, "result", None), getattr(result, "host", None)
        if task_result is None or host is None:
            return
        line = progress_of(host.get_name(), result.task_name, task_result)
        if line:
            display.display(line)
