# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action behind every module of the collection: run the module, warm when on the controller.

Ansible builds, checks and parses the module exactly as its default action does; only the last
step differs. When the module would run on the controller itself (connection local, no become, not
async, the controller's own Python), the payload goes to the run's module host
(``module_host.py``), which has the SDKs imported already, instead of to a new interpreter. Anything
else, or a host that cannot start, runs the usual way.
"""

from __future__ import annotations

import os
import sys

from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

from ansible_collections.crosscloud.interconnect.plugins.plugin_utils import module_host

display = Display()


class ModuleHostAction(NormalAction):
    """The default module action, with the module host as the interpreter where it can serve."""

    def _module_host_usable(self, interpreter_known=False):
        if not module_host.enabled() or self._connection.transport != "local" or self._task.async_val:
            return False
        if self._connection.become is not None and self._play_context.become:
            return False
        # The host is the controller's Python: a module meant for another interpreter runs in it.
        return not interpreter_known or (self._used_interpreter or "").replace("#!", "", 1).strip() == sys.executable

    def _is_pipelining_enabled(self, module_style, wrap_async=False):
        # Asked once before the interpreter is known (whether to make a temporary directory) and once
        # after it; the host takes the payload whole, as a pipelined interpreter does.
        interpreter_known = getattr(self, "_used_interpreter", None) is not None
        if module_style == "new" and not wrap_async and self._module_host_usable(interpreter_known):
            return True
        return super()._is_pipelining_enabled(module_style, wrap_async)

    def _low_level_execute_command(self, cmd, sudoable=True, in_data=None, executable=None,
                                   encoding_errors="surrogate_then_replace", chdir=None):
        if in_data is None or chdir or not self._module_host_usable(interpreter_known=True):
            return super()._low_level_execute_command(cmd, sudoable=sudoable, in_data=in_data, executable=executable,
                                                      encoding_errors=encoding_errors, chdir=chdir)
        task_environment = {}
        self._compute_environment_string(task_environment)
        environment = dict(os.environ, **{name: str(value) for name, value in task_environment.items()})
        try:
            # Workers are forked by the controller process: its pid names this run's host.
            answer = module_host.run(in_data, environment, self._loader.get_basedir(), os.getppid())
        except (OSError, ValueError, module_host.ModuleHostError) as error:
            display.warning("crosscloud.interconnect module host unavailable (%s); running %s in its own process"
                            % (error, self._task.action))
            return super()._low_level_execute_command(cmd, sudoable=sudoable, in_data=in_data, executable=executable,
                                                      encoding_errors=encoding_errors, chdir=chdir)
        display.vvv("crosscloud.interconnect module host ran %s: rc=%d, peak RSS %d KiB"
                    % (self._task.action, answer["rc"], answer["peak_rss_kib"]), host=self._play_context.remote_addr)
        stdout, stderr = answer["stdout"], answer["stderr"]
        return dict(rc=answer["rc"], stdout=stdout, stdout_lines=stdout.splitlines(),
                    stderr=stderr, stderr_lines=stderr.splitlines())
