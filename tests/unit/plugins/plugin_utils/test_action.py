"""The modules' action with Ansible's own plumbing around a real module host: when a module runs in the
host, when in its own process, and that a module the host failed running never runs a second time."""
import json
import os
import sys
from unittest import mock

import pytest
from ansible.errors import AnsibleError

from ansible_collections.crosscloud.interconnect.plugins.plugin_utils import action as module_action
from ansible_collections.crosscloud.interconnect.plugins.plugin_utils import module_host

OWN_PROCESS_RESULT = b'{"ran": "in its own process"}'


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(module_action.display, "warning", shown.append)
    return shown


@pytest.fixture
def action(controller, workdir, monkeypatch):
    """The action of a task on a host with connection local and the controller's Python."""
    monkeypatch.setattr(module_host, "find_controller_pid", lambda: controller.pid)
    task = mock.MagicMock(async_val=0, delegate_to=None, environment=[{"MODULE_HOST_TEST": "from the task"}],
                          action="crosscloud.interconnect.interconnect_plan", collections=[])
    connection = mock.MagicMock(transport="local", become=None, allow_executable=False)
    connection.is_pipelining_enabled.return_value = False
    connection.exec_command.return_value = (0, OWN_PROCESS_RESULT, b"")
    loader = mock.MagicMock()
    loader.get_basedir.return_value = str(workdir)
    templar = mock.MagicMock()
    templar.template.side_effect = lambda value: value
    plugin = module_action.ModuleHostAction(task, connection, mock.MagicMock(become=False), loader, templar)
    plugin._shared_loader_obj = mock.MagicMock()
    plugin._shared_loader_obj.module_loader.find_plugin_with_context.return_value = mock.MagicMock(
        resolved=True, resolved_fqcn="crosscloud.interconnect.interconnect_plan", plugin_resolved_path="interconnect_plan.py")
    plugin._used_interpreter = "#!" + sys.executable
    return plugin


def test_a_payload_runs_in_the_host_with_the_tasks_environment(action, workdir):
    payload = b"import json, os; print(json.dumps([os.environ.get('MODULE_HOST_TEST'), os.getcwd()]))"
    result = action._low_level_execute_command("python", in_data=payload)
    assert result["rc"] == 0
    assert json.loads(result["stdout"]) == ["from the task", str(workdir)]
    action._connection.exec_command.assert_not_called()


def test_a_payload_built_for_another_interpreter_runs_in_its_own_process(action, host_dir):
    action._used_interpreter = "#!/usr/bin/python3"  # discovered: the host is not that Python
    result = action._low_level_execute_command("/usr/bin/python3", in_data=b"print('{}')")
    assert result["stdout"] == OWN_PROCESS_RESULT.decode()
    assert not host_dir.exists(), "no host started"


def test_a_module_the_host_failed_running_is_not_run_again(action):
    # Killed half-way, the module may have changed things already: a second run is not safe.
    payload = b"import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    with pytest.raises(AnsibleError, match="module host failed running crosscloud.interconnect.interconnect_plan"):
        action._low_level_execute_command("python", in_data=payload)
    action._connection.exec_command.assert_not_called()


def test_a_host_that_cannot_start_is_tried_once_per_task(action, host_dir, warnings):
    os.makedirs(host_dir, mode=0o755)
    os.chmod(host_dir, 0o755)  # refused: others could enter it
    task_vars = {"ansible_python_interpreter": sys.executable}
    assert action._direct_module("crosscloud.interconnect.interconnect_plan", {}, task_vars) is None
    assert not action._is_pipelining_enabled("new")
    result = action._low_level_execute_command("python", in_data=b"print('{}')")
    assert result["stdout"] == OWN_PROCESS_RESULT.decode()
    assert len(warnings) == 1 and "closed to others" in warnings[0]


def test_kept_remote_files_leave_the_module_to_its_own_process(action, monkeypatch):
    # ANSIBLE_KEEP_REMOTE_FILES asks for the AnsiballZ file of every module, to debug it.
    assert action._module_host_usable(interpreter_known=True)
    monkeypatch.setattr(module_action.C, "DEFAULT_KEEP_REMOTE_FILES", True)
    assert not action._module_host_usable(interpreter_known=True)
    assert action._direct_module("crosscloud.interconnect.interconnect_plan", {},
                                 {"ansible_python_interpreter": sys.executable}) is None
    assert not action._is_pipelining_enabled("new")


@pytest.mark.parametrize("interpreter", [None, "auto", "auto_silent", "/usr/bin/python3"])
def test_a_module_for_another_or_a_discovered_interpreter_is_built_the_usual_way(action, host_dir, interpreter):
    task_vars = {} if interpreter is None else {"ansible_python_interpreter": interpreter}
    assert action._direct_module("crosscloud.interconnect.interconnect_plan", {}, task_vars) is None
    assert not host_dir.exists(), "no host started"


def test_a_module_delegated_to_the_controller_runs_in_the_host(action, controller):
    action._task.delegate_to = "localhost"
    task_vars = {"ansible_python_interpreter": "/usr/bin/python3",
                 "ansible_delegated_vars": {"localhost": {"ansible_python_interpreter": sys.executable}}}
    built, dummy = action._direct_module("crosscloud.interconnect.interconnect_plan", {"bgp_cidr": "10.255.0.0/29"},
                                         task_vars)
    request = json.loads(built.b_module_data)
    assert request["module"] == "ansible_collections.crosscloud.interconnect.plugins.modules.interconnect_plan"
    assert json.loads(request["params"]) == {"ANSIBLE_MODULE_ARGS": {"bgp_cidr": "10.255.0.0/29"}}
    assert built.shebang == "#!" + sys.executable


def test_become_leaves_the_module_to_its_own_process(action):
    action._connection.become = mock.MagicMock()
    action._play_context.become = True
    assert not action._module_host_usable(interpreter_known=True)
    assert not action._is_pipelining_enabled("new")


def test_the_controller_python_is_recognised_under_its_other_names_in_its_directory(tmp_path):
    directory = os.path.dirname(sys.executable)
    siblings = [os.path.join(directory, name) for name in ("python", "python3", "python3.%d" % sys.version_info[1])]
    other_names = [path for path in siblings if path != sys.executable and os.path.exists(path)
                   and os.path.samefile(path, sys.executable)]
    assert other_names, "a virtual environment has python and python3 side by side"
    assert all(module_action.is_controller_python(path) for path in other_names)
    # The same file elsewhere (a link, the base Python of a venv) has other packages: not the controller's.
    elsewhere = tmp_path / "python"
    elsewhere.symlink_to(sys.executable)
    assert not module_action.is_controller_python(str(elsewhere))
    base = os.path.realpath(sys.executable)
    if os.path.dirname(base) != directory:
        assert not module_action.is_controller_python(base)
    for value in (None, "", "auto", "/usr/bin/python3-no-such"):
        assert not module_action.is_controller_python(value)
