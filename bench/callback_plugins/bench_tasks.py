# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A callback for the interconnect bench: one JSON line per task and host, with its start and end.

Not part of the collection: the bench points ANSIBLE_CALLBACK_PLUGINS at this directory, enables
``bench_tasks`` and names the file in BENCH_TASK_LOG. Each line is
``{"host", "task", "action", "status", "start", "end"}`` (epoch seconds, the same clock as
cloudsim's request log and the bench's interpreter wrapper), and one ``{"playbook_start": t}``
line. The start is when the strategy hands the task to a worker for that host, the end when the
controller takes its result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: bench_tasks
    type: aggregate
    short_description: task start and end times for bench/interconnect_bench.py
    description:
      - Appends one JSON line per task and host to the file named by BENCH_TASK_LOG.
    requirements:
      - enabled in callbacks_enabled (the bench does it)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_tasks"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get("BENCH_TASK_LOG")
        self._started = {}

    def _write(self, record):
        if not self._path:
            return
        # One short O_APPEND write per line: nothing else writes this file meanwhile.
        descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, (json.dumps(record) + "\n").encode())
        finally:
            os.close(descriptor)

    def v2_playbook_on_start(self, playbook):
        self._write({"playbook_start": time.time()})

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()

    def _end(self, result, status):
        end = time.time()
        host, task = result._host.get_name(), result._task
        start = self._started.pop((host, task._uuid), end)
        self._write({"host": host, "task": task.get_name(), "action": task.action, "status": status,
                     "start": start, "end": end})

    def v2_runner_on_ok(self, result):
        self._end(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._end(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._end(result, "unreachable")
