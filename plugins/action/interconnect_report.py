# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes a report on the controller: a local file needs no module process (template would start two)."""

from __future__ import annotations

import os
import stat
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = dict(
    path=dict(type="path", required=True),
    content=dict(type="str", required=True),
    mode=dict(type="str", default="0644"),
)


class ActionModule(ActionBase):
    """Write the content to the path on the controller, atomically, only when it or the mode differs."""

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # no remote files
        dummy, params = self.validate_argument_spec(ARGUMENT_SPEC)
        path, content = os.path.abspath(params["path"]), params["content"]
        try:
            mode = int(params["mode"], 8)
        except ValueError:
            raise AnsibleActionFail("mode must be an octal number such as 0644, got %r" % params["mode"]) from None
        result.update(path=path, changed=current_content(path) != content or current_mode(path) != mode)
        if result["changed"] and not self._task.check_mode:
            try:
                write_atomically(path, content, mode)
            except OSError as error:
                raise AnsibleActionFail("cannot write the report %s: %s" % (path, error)) from None
        return result


def current_content(path):
    try:
        with open(path, encoding="utf-8") as existing:
            return existing.read()
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        return None


def current_mode(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def write_atomically(path, content, mode):
    """A reader (or a second run) sees the old report or the new one, never half of one."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o755, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as report:
            report.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
