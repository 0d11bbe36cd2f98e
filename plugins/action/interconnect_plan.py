# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks the address plan on the controller: pure computation needs no module process (as assert)."""

from __future__ import annotations

import getpass
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import problem
from ansible_collections.crosscloud.interconnect.plugins.module_utils.plan import (
    ARGUMENT_SPEC,
    HAS_NETADDR,
    failure_message,
    run_checks,
)


def report_dir_problems(path):
    """The report directory must be one the controller can write, or its nearest existing parent must be
    (the report step creates it): found now, not after both clouds are built."""
    if not path:
        return []
    existing = path
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        why = "%s is not a directory" % existing
    elif not os.access(existing, os.W_OK | os.X_OK):
        why = "%s is not writable by %s" % (existing, getpass.getuser())
    else:
        return []
    return [problem("interconnect_report_dir", path, "interconnect_report_dir=%s cannot hold the reports: %s."
                    % (path, why))]


class ActionModule(ActionBase):
    """The interconnect_plan module's checks, run where Ansible runs."""

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # no remote files
        if not HAS_NETADDR:
            raise AnsibleActionFail(missing_required_lib("netaddr"))
        dummy, params = self.validate_argument_spec(ARGUMENT_SPEC, mutually_exclusive=[("bandwidth_gbps", "bandwidth_mbps")])
        plan, problems, drift = run_checks(params, found=report_dir_problems(params.get("report_dir")))
        result["changed"] = False
        if problems:
            result.update(failed=True, msg=failure_message(problems), problems=problems)
        else:
            result["plan"] = plan
            if drift is not None:
                result.update(drift=drift[0], pending=drift[1], routes=drift[2])
        return result
