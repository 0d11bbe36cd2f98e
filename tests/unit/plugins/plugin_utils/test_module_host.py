"""The module host, as the action plugins use it: real host processes, real sockets, real payloads.

Each test gets its own temporary directory (so its own host directory) and a stand-in controller
process (``sleep``) whose end must end the host (see conftest.py).
"""
import json
import multiprocessing
import os
import socket
import stat
import subprocess
import textwrap
import threading
import time

import pytest

from ansible_collections.crosscloud.interconnect.plugins.plugin_utils import module_host

# A payload reports what a module would see: its process, environment, directory, arguments.
REPORTING_PAYLOAD = textwrap.dedent("""
    import json, os, sys
    print(json.dumps({"pid": os.getpid(), "parent": os.getppid(), "cwd": os.getcwd(), "argv": sys.argv,
                      "name": __name__, "marker": os.environ.get("MODULE_HOST_TEST"),
                      "netaddr_preloaded": "netaddr" in sys.modules, "path0": sys.path[0]}))
    sys.stderr.write("a warning\\n")
    sys.exit(3)
""")


def run(payload, controller, cwd, **environment):
    request = {"kind": "payload", "payload": payload, "environment": dict(os.environ, **environment), "cwd": str(cwd)}
    return module_host.run(request, controller.pid)


def run_module(name, arguments, controller, cwd):
    """One of this collection's modules, as the action plugins ask for it on ansible-core 2.19+."""
    return run_module_named("ansible_collections.crosscloud.interconnect.plugins.modules." + name, arguments,
                            controller, cwd)


def run_module_named(python_name, arguments, controller, cwd):
    request = {"kind": "module", "module": python_name, "params": json.dumps({"ANSIBLE_MODULE_ARGS": arguments}),
               "profile": "legacy", "environment": dict(os.environ), "cwd": str(cwd)}
    return module_host.run(request, controller.pid)


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_payload_runs_as_its_own_process_would(host_dir, controller, workdir):
    answer = run(REPORTING_PAYLOAD, controller, workdir, MODULE_HOST_TEST="seen")
    seen = json.loads(answer["stdout"])
    assert answer["rc"] == 3
    assert answer["stderr"] == "a warning\n"
    assert seen["marker"] == "seen"
    assert seen["cwd"] == str(workdir)
    assert seen["argv"] == [""] and seen["name"] == "__main__" and seen["path0"] == ""
    assert seen["netaddr_preloaded"], "the host imports the SDKs before it forks"
    assert seen["pid"] != os.getpid()
    assert answer["peak_rss_kib"] > 1000


PLAN = dict(azure_vnet_cidrs=["10.10.0.0/16"], oci_vcn_cidrs=["10.20.0.0/16"], bgp_cidr="10.255.0.0/29",
            gateway_subnet_cidr="10.10.255.0/27", bandwidth_gbps=1, azure_region="japaneast",
            oci_region="ap-tokyo-1", peering_location="Tokyo")


def test_an_installed_module_runs_with_its_arguments(host_dir, controller, workdir):
    answer = run_module("interconnect_plan", PLAN, controller, workdir)
    result = json.loads(answer["stdout"])
    assert answer["rc"] == 0, answer["stderr"]
    assert result["changed"] is False
    assert result["plan"]["primary"] == {"peer_cidr": "10.255.0.0/30", "oracle_bgp_ip": "10.255.0.1", "azure_bgp_ip": "10.255.0.2"}
    assert result["invocation"]["module_args"]["bgp_cidr"] == "10.255.0.0/29"


def test_an_installed_module_fails_as_in_its_own_process(host_dir, controller, workdir):
    answer = run_module("interconnect_plan", dict(PLAN, bgp_cidr="10.10.0.0/29"), controller, workdir)
    result = json.loads(answer["stdout"])
    assert answer["rc"] == 1
    assert result["failed"] is True
    assert "bgp_cidr '10.10.0.0/29'" in result["msg"]


def test_a_file_in_the_working_directory_does_not_shadow_a_modules_imports(host_dir, controller, workdir):
    # AnsiballZ takes the working directory (the playbook's) off sys.path; so must the host.
    (workdir / "crosscloud_shadow_probe.py").write_text("print('imported from the working directory')\n")
    answer = run_module_named("crosscloud_shadow_probe", {}, controller, workdir)
    assert "imported from the working directory" not in answer["stdout"]
    assert answer["rc"] == 1 and json.loads(answer["stdout"])["exception"]["event"]["msg"] == "No module named crosscloud_shadow_probe"


def test_one_host_serves_every_module_of_a_run(host_dir, controller, workdir):
    first = json.loads(run(REPORTING_PAYLOAD, controller, workdir)["stdout"])
    second = json.loads(run(REPORTING_PAYLOAD, controller, workdir)["stdout"])
    assert first["parent"] == second["parent"], "both children come from the same host"
    assert first["pid"] != second["pid"], "each module gets a fresh child"
    sockets = [name for name in os.listdir(host_dir) if name.endswith(".sock")]
    assert sockets == ["%d-%s.sock" % (controller.pid, module_host.process_start_time(controller.pid))]
    assert stat.S_IMODE(os.stat(host_dir).st_mode) == 0o700


def test_an_environment_change_does_not_leak_into_the_next_module(host_dir, controller, workdir):
    run("import os; os.environ['MODULE_HOST_TEST'] = 'leaked'; os.chdir('/')", controller, workdir)
    seen = json.loads(run(REPORTING_PAYLOAD, controller, workdir)["stdout"])
    assert seen["marker"] is None
    assert seen["cwd"] == str(workdir)


def test_modules_of_parallel_tasks_run_at_the_same_time(host_dir, controller, workdir):
    payload = "import json, os, time; start = time.time(); time.sleep(0.5); print(json.dumps([os.getpid(), start, time.time()]))"
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(json.loads(run(payload, controller, workdir)["stdout"])))
               for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({pid for pid, dummy, dummy in answers}) == 4
    latest_start = max(start for dummy, start, dummy in answers)
    earliest_end = min(end for dummy, dummy, end in answers)
    assert latest_start < earliest_end, "every child was running before the first finished"


@pytest.mark.parametrize("payload, status, message", [
    ("import sys; sys.exit('cannot go on')", 1, "cannot go on"),
    ("raise ValueError('broken module')", 1, "ValueError: broken module"),
    ("print('done')", 0, ""),
])
def test_exit_status_and_errors_are_those_of_a_process(host_dir, controller, workdir, payload, status, message):
    answer = run(payload, controller, workdir)
    assert answer["rc"] == status
    assert message in answer["stderr"]


def test_a_modules_subprocesses_report_their_exit_status(host_dir, controller, workdir):
    # The host ignores SIGCHLD; a child inheriting that would see every subprocess exit with 0.
    payload = "import subprocess, sys; sys.exit(subprocess.run(['sh', '-c', 'exit 3']).returncode)"
    assert run(payload, controller, workdir)["rc"] == 3


def test_exit_handlers_run_as_at_a_process_exit(host_dir, controller, workdir):
    # AnsibleModule.tmpdir is removed by one: a module in the host must not leave its temporary files.
    payload = "import atexit, sys; atexit.register(print, 'exit handler ran'); sys.exit(4)"
    answer = run(payload, controller, workdir)
    assert answer["rc"] == 4
    assert answer["stdout"] == "exit handler ran\n"


def test_a_module_whose_worker_is_gone_is_interrupted(host_dir, controller, workdir):
    # Ansible signals a module in its own process with its worker's process group (Ctrl-C, a job
    # cancelled); a module in the host must not go on making changes nobody waits for.
    payload = "import os, time; open('module.pid', 'w').write(str(os.getpid())); time.sleep(60)"
    connection = module_host.connect(controller.pid)
    module_host.send_message(connection, {"kind": "payload", "payload": payload, "environment": dict(os.environ),
                                          "cwd": str(workdir)})
    pid_file = workdir / "module.pid"
    assert wait_for(lambda: pid_file.exists() and pid_file.read_text())
    module = int(pid_file.read_text())
    connection.close()  # the worker ends
    assert wait_for(lambda: not os.path.exists("/proc/%d" % module) or _zombie(module), timeout=5)


def test_the_host_ends_with_its_controller_and_leaves_nothing(host_dir, controller, workdir):
    host = json.loads(run(REPORTING_PAYLOAD, controller, workdir)["stdout"])["parent"]
    controller.kill()
    controller.wait()
    assert wait_for(lambda: not os.path.exists("/proc/%d" % host) or _zombie(host))
    assert wait_for(lambda: os.listdir(host_dir) == [])


def _zombie(pid):
    with open("/proc/%d/stat" % pid) as handle:
        return handle.read().rsplit(")", 1)[1].split()[0] == "Z"


FORK = multiprocessing.get_context("fork")  # as Ansible starts its workers


def _report_controller_pid(sender):
    try:
        sender.send(module_host.find_controller_pid())
    except module_host.ModuleHostError as error:
        sender.send(str(error))


def _report_once_orphaned(sender):
    controller = multiprocessing.parent_process().pid
    while os.getppid() == controller:
        time.sleep(0.01)
    _report_controller_pid(sender)


def _start_worker_and_end(sender):
    FORK.Process(target=_report_once_orphaned, args=(sender,)).start()
    os._exit(0)  # at once, as a controller killed with SIGKILL: no waiting for the worker


def test_a_worker_names_its_controller_while_that_runs(host_dir):
    receiver, sender = FORK.Pipe(duplex=False)
    worker = FORK.Process(target=_report_controller_pid, args=(sender,))
    worker.start()
    worker.join(10)
    assert receiver.poll(10) and receiver.recv() == os.getpid()


def test_a_worker_whose_controller_ended_starts_no_host(host_dir):
    # Adopted by init (or a subreaper), it must not start a host named after that: it would never end.
    receiver, sender = FORK.Pipe(duplex=False)
    controller = FORK.Process(target=_start_worker_and_end, args=(sender,))
    controller.start()
    controller.join(10)
    assert receiver.poll(10)
    assert receiver.recv() == "the controller process %d has ended" % controller.pid


def test_a_host_whose_preload_fails_serves_and_the_module_reports_it(host_dir, controller, workdir, monkeypatch):
    # Broken at import (not only missing): the module that imports it says so, as in its own process.
    (workdir / "broken_at_import.py").write_text("raise RuntimeError('broken at import')\n")
    monkeypatch.syspath_prepend(str(workdir))
    controller_start = module_host.process_start_time(controller.pid)
    socket_path = os.path.join(module_host.host_directory(), "%d-%s.sock" % (controller.pid, controller_start))
    host = FORK.Process(target=module_host.serve, args=(socket_path, controller.pid, controller_start),
                        kwargs={"preload": (("broken_at_import", "netaddr"),)})
    host.start()
    host.join(1)
    assert host.is_alive(), "the host survived its preload"
    assert json.loads(run(REPORTING_PAYLOAD, controller, workdir)["stdout"])["parent"] == host.pid
    answer = run("import broken_at_import", controller, workdir)
    assert answer["rc"] == 1 and "RuntimeError: broken at import" in answer["stderr"]
    controller.kill()
    host.join(5)


def test_a_dead_hosts_socket_is_replaced(host_dir, controller, workdir):
    os.makedirs(host_dir, mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(host_dir / ("%d-%s.sock" % (controller.pid, module_host.process_start_time(controller.pid)))))
    stale.close()  # bound, never listening: what a killed host leaves
    assert run("print('fresh host')", controller, workdir)["stdout"] == "fresh host\n"


def test_a_new_host_removes_what_killed_hosts_left(host_dir, controller, workdir):
    ended = subprocess.Popen(["true"])
    ended.wait()
    os.makedirs(host_dir, mode=0o700)
    stale = ["%d-12345.sock" % ended.pid, "%d-12345.lock" % ended.pid, "%d-12345.log" % ended.pid,
             "%d-1.sock" % controller.pid]  # the controller's pid, another start time: a reused pid
    for name in stale:
        (host_dir / name).touch()
    (host_dir / ("%d-12345.log" % ended.pid)).write_text("why that host failed\n")
    run("print('fresh host')", controller, workdir)
    current = "%d-%s" % (controller.pid, module_host.process_start_time(controller.pid))
    kept = ["%d-12345.log" % ended.pid] + [current + suffix for suffix in (".sock", ".lock", ".log")]
    assert sorted(os.listdir(host_dir)) == sorted(kept), "a log that tells something stays, as a host leaves it"


def test_a_directory_others_can_enter_is_refused(host_dir, controller, workdir):
    os.makedirs(host_dir)
    os.chmod(host_dir, 0o755)
    with pytest.raises(module_host.ModuleHostError, match="closed to others"):
        run("print('never')", controller, workdir)


@pytest.mark.parametrize("value, expected", [
    (None, True), ("true", True), ("1", True), ("false", False), ("0", False), (" No ", False), ("off", False),
])
def test_the_host_can_be_switched_off(value, expected):
    environ = {} if value is None else {module_host.DISABLE_VARIABLE: value}
    assert module_host.enabled(environ) is expected
