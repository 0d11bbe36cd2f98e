# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action behind every module of the collection: run the module, warm when on the controller.

Ansible checks the arguments and parses the result exactly as its default action does; only how the
module runs differs. When it would run on the controller itself (connection local, no become, not
async, the controller's own Python), it runs in the run's module host (``module_host.py``), which has
the SDKs and this collection's module_utils imported already:

- on ansible-core 2.19 and later the host runs the installed module with the encoded arguments, as
  AnsiballZ does once unpacked, so no AnsiballZ payload is built (about half of a warm module task);
- on earlier versions the host runs the AnsiballZ payload Ansible built.

Anything else, or a host that cannot start, runs the usual way.
"""

from __future__ import annotations

import json
import os
import sys

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

from ansible_collections.crosscloud.interconnect.plugins.plugin_utils import module_host

try:  # ansible-core >= 2.19: a module's build result and its argument encoding
    from ansible.executor.module_common import _BuiltModule
    from ansible.module_utils.common.json import Direction, get_module_encoder
except ImportError:
    _BuiltModule = None

display = Display()

COLLECTION = "crosscloud.interconnect"
# This collection's modules declare no serialization profile; Ansible's default for them.
MODULE_PROFILE = "legacy"


def is_controller_python(interpreter):
    """Whether ``interpreter`` is the Python the controller (and so the host) runs: its very path, or
    another name for it in the same directory (python and python3 of one virtual environment). The
    same file elsewhere, such as the base Python of a venv, has other packages, so it is not."""
    if not isinstance(interpreter, str) or not interpreter:
        return False
    if interpreter == sys.executable:
        return True
    try:
        return (os.path.dirname(os.path.abspath(interpreter)) == os.path.dirname(os.path.abspath(sys.executable))
                and os.path.samefile(interpreter, sys.executable))
    except OSError:
        return False


class ModuleHostAction(NormalAction):
    """The default module action, with the module host as the interpreter where it can serve."""

    _module_request = None  # set when the host runs one of this collection's modules unpacked
    _host_connection = None
    _host_unavailable = False  # tried for this task and failed: the module runs in its own process

    def _module_host_usable(self, interpreter_known=False):
        # Kept remote files are how a module is debugged; Ansible stops pipelining for them, so does the host.
        if self._host_unavailable or not module_host.enabled() or C.DEFAULT_KEEP_REMOTE_FILES:
            return False
        if self._connection.transport != "local" or self._task.async_val:
            return False
        if self._connection.become is not None and self._play_context.become:
            return False
        # The host is the controller's Python: a module meant for another interpreter runs in it.
        return not interpreter_known or is_controller_python((self._used_interpreter or "").replace("#!", "", 1).strip())

    def _configure_module(self, module_name, module_args, task_vars):
        direct = self._direct_module(module_name, module_args, task_vars)
        if direct is not None:
            return direct
        return super()._configure_module(module_name, module_args, task_vars)

    def _direct_module(self, module_name, module_args, task_vars):
        """The host request for one of this collection's modules, where the host can run it unpacked."""
        if _BuiltModule is None or not self._module_host_usable():
            return None
        use_vars = task_vars["ansible_delegated_vars"][self._task.delegate_to] if self._task.delegate_to else task_vars
        if not is_controller_python(self._templar.template(use_vars.get("ansible_python_interpreter"))):
            return None  # unset means discovery, which may pick another Python
        found = self._shared_loader_obj.module_loader.find_plugin_with_context(
            module_name, ".py", collection_list=self._task.collections)
        if not found.resolved or not found.resolved_fqcn.startswith(COLLECTION + "."):
            return None
        # Connected now, so a host that cannot start leaves time to build the module the usual way.
        if not self._connect_module_host():
            return None
        encoder = get_module_encoder(MODULE_PROFILE, Direction.CONTROLLER_TO_MODULE)
        self._module_request = {
            "kind": "module",
            "module": "ansible_collections.%s.plugins.modules.%s" % (COLLECTION, found.resolved_fqcn.rsplit(".", 1)[1]),
            "params": json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder),
            "profile": MODULE_PROFILE,
        }
        # Ansible hands this on as the pipelined payload; the host is sent the request itself.
        return _BuiltModule(b_module_data=json.dumps(self._module_request).encode(), module_style="new",
                            shebang="#!" + sys.executable, serialization_profile=MODULE_PROFILE), found.plugin_resolved_path

    def _connect_module_host(self):
        """Whether the run's module host is connected; if it cannot be, says so once for the task."""
        try:
            self._host_connection = module_host.connect(module_host.find_controller_pid())
        except (OSError, module_host.ModuleHostError) as error:
            self._host_unavailable = True
            display.warning("crosscloud.interconnect module host unavailable (%s); running %s in its own process"
                            % (error, self._task.action))
        return self._host_connection is not None

    def _is_pipelining_enabled(self, module_style, wrap_async=False):
        # Asked once before the interpreter is known (whether to make a temporary directory) and once
        # after it; the host takes the payload whole, as a pipelined interpreter does.
        interpreter_known = getattr(self, "_used_interpreter", None) is not None
        if module_style == "new" and not wrap_async and self._module_host_usable(interpreter_known):
            return True
        return super()._is_pipelining_enabled(module_style, wrap_async)

    def _low_level_execute_command(self, cmd, sudoable=True, in_data=None, executable=None,
                                   encoding_errors="surrogate_then_replace", chdir=None):
        if (in_data is None or chdir or not self._module_host_usable(interpreter_known=True)
                or not (self._host_connection or self._connect_module_host())):
            return super()._low_level_execute_command(cmd, sudoable=sudoable, in_data=in_data, executable=executable,
                                                      encoding_errors=encoding_errors, chdir=chdir)
        task_environment = {}
        self._compute_environment_string(task_environment)
        environment = dict(os.environ, **{name: str(value) for name, value in task_environment.items()})
        if self._module_request is not None:
            request = dict(self._module_request)
        else:
            request = {"kind": "payload", "payload": in_data.decode("utf-8", "surrogateescape")}
        request.update(environment=environment, cwd=self._loader.get_basedir())
        try:
            answer = module_host.run(request, connection=self._host_connection)
        except (OSError, ValueError, module_host.ModuleHostError) as error:
            # The module may have run, and changed things, before it failed: it must not run twice.
            raise AnsibleError("the crosscloud.interconnect module host failed running %s: %s (set %s=false to "
                               "run modules in their own processes)"
                               % (self._task.action, error, module_host.DISABLE_VARIABLE)) from None
        display.vvv("crosscloud.interconnect module host ran %s (%s): rc=%d, peak RSS %d KiB"
                    % (self._task.action, request["kind"], answer["rc"], answer["peak_rss_kib"]),
                    host=self._play_context.remote_addr)
        stdout, stderr = answer["stdout"], answer["stderr"]
        return dict(rc=answer["rc"], stdout=stdout, stdout_lines=stdout.splitlines(),
                    stderr=stderr, stderr_lines=stderr.splitlines())
