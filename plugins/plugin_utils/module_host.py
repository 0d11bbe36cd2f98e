# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A warm interpreter for this collection's modules when they run on the controller.

Cloud modules run where the controller is (connection local). Started the usual way, every module
task is a new Python that imports the Azure or OCI SDK again: about 0.5 s of a task's 0.7 s, a dozen
times per interconnect. The module host is one process per ansible-playbook run that imports them
once (``PRELOAD``) and then forks a child per module task. The child runs the very payload Ansible
built (AnsiballZ, arguments included) as ``python`` would run it from standard input, with the task's
environment and working directory, and sends back exit status, stdout and stderr; the action plugin
hands those to Ansible's own result handling, so a module behaves exactly as in its own process.

The host listens on a Unix socket in a directory only this user can enter, named after the
controller process (pid and start time), and exits within a second of that process. ``run`` starts it
on first use; two workers racing to start it are serialised by a lock file. Set
``CROSSCLOUD_INTERCONNECT_MODULE_HOST=false`` to run every module in its own process instead.

Run as a script (``python module_host.py SOCKET CONTROLLER_PID CONTROLLER_START``) it is the host:
it imports this collection from the collection path it is installed in.
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import json
import multiprocessing
import os
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import types

_MODULE_UTILS = "ansible_collections.crosscloud.interconnect.plugins.module_utils."
# What a module of this collection imports that takes long (the SDKs, Ansible's module support, this
# collection's module_utils from where this file is installed), in the order the role needs them.
# Requests are served after each group but the first: a child forked earlier would import the SDK
# again itself, which costs parallel tasks far more than waiting.
PRELOAD = (
    ("ansible.module_utils.basic", "ansible.module_utils._internal._ansiballz._loader", "netaddr",
     _MODULE_UTILS + "common", _MODULE_UTILS + "plan"),
    ("azure.identity", "msal", "azure.mgmt.network", _MODULE_UTILS + "azure"),
    ("oci", "oci.core", _MODULE_UTILS + "oci"),
)
# .../ansible_collections/crosscloud/interconnect/plugins/plugin_utils/module_host.py -> ...
COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 5))
DISABLE_VARIABLE = "CROSSCLOUD_INTERCONNECT_MODULE_HOST"
START_TIMEOUT = 30.0
WATCH_INTERVAL = 1.0
_LENGTH = struct.Struct("!Q")


class ModuleHostError(Exception):
    """The module host could not be reached or started (the caller runs the module the usual way)."""


def enabled(environ=None):
    value = (environ if environ is not None else os.environ).get(DISABLE_VARIABLE, "true")
    return value.strip().lower() not in ("0", "false", "no", "off")


# -- framing: a length, then that many bytes of JSON ------------------------------------------------

def send_message(connection, message):
    data = json.dumps(message).encode("utf-8")
    connection.sendall(_LENGTH.pack(len(data)) + data)


def receive_message(connection):
    length = _LENGTH.unpack(_receive_exactly(connection, _LENGTH.size))[0]
    return json.loads(_receive_exactly(connection, length).decode("utf-8"))


def _receive_exactly(connection, size):
    chunks, remaining = [], size
    while remaining:
        chunk = connection.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ModuleHostError("the module host closed the connection before answering")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# -- the controller's side -------------------------------------------------------------------------

def process_start_time(pid):
    """The kernel's start time of a process (Linux), so a reused pid is not taken for the same run."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            # Field 22; the command name (field 2) may hold spaces, so count from its closing bracket.
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


def host_directory():
    """A directory only this user can enter: the socket accepts anyone who can reach it."""
    path = os.path.join(tempfile.gettempdir(), "crosscloud-ic-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or not os.path.isdir(path) or os.path.islink(path):
        raise ModuleHostError("%s must be a directory owned by uid %d and closed to others" % (path, os.getuid()))
    return path


def find_controller_pid():
    """The ansible-playbook process this Ansible worker was forked by: its pid names the run's host.

    A worker still running once that process has ended (killed, while a loop or retries go on) is
    adopted by another process, and a host named after that one would outlive the run: there is none.
    """
    controller = multiprocessing.parent_process()
    pid = os.getppid() if controller is None else controller.pid
    if os.getppid() != pid:
        raise ModuleHostError("the controller process %d has ended" % pid)
    return pid


def connect(controller_pid):
    """A connection to the host of the controller process, starting the host if there is none yet."""
    controller_start = process_start_time(controller_pid)
    base = os.path.join(host_directory(), "%d-%s" % (controller_pid, controller_start))
    connection = _connect(base + ".sock")
    if connection is None:
        with open(base + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one worker starts the host; the others find it
            connection = _connect(base + ".sock") or _start(base, controller_pid, controller_start)
    return connection


def run(request, controller_pid=None, connection=None):
    """Have the host of the controller process (or the open ``connection``) answer a request.

    A request is ``{"kind": "payload", "payload": <AnsiballZ script>}`` or ``{"kind": "module",
    "module": <python name>, "params": <encoded arguments>, "profile": <serialization profile>}``, with
    the ``environment`` and ``cwd`` to run in. The answer holds rc, stdout, stderr (text) and
    peak_rss_kib (the child's peak resident set).
    """
    with connection or connect(controller_pid) as open_connection:
        send_message(open_connection, request)
        return receive_message(open_connection)


def _connect(path):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError as error:
        connection.close()
        if error.errno in (errno.ENOENT, errno.ECONNREFUSED):
            return None
        raise ModuleHostError("cannot reach the module host at %s: %s" % (path, error))
    return connection


def _start(base, controller_pid, controller_start):
    path = base + ".sock"
    try:
        os.unlink(path)  # a host that died left its socket behind
    except FileNotFoundError:
        pass
    _remove_stale_traces(os.path.dirname(base))
    with open(base + ".log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), path, str(controller_pid), controller_start],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, close_fds=True, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        connection = _connect(path)
        if connection is not None:
            return connection
        if process.poll() is not None:
            raise ModuleHostError("the module host exited with %s at start (see %s.log)" % (process.returncode, base))
        time.sleep(0.01)
    process.kill()
    raise ModuleHostError("the module host did not listen within %d s" % START_TIMEOUT)


# -- the host's side -------------------------------------------------------------------------------

def serve(path, controller_pid, controller_start, preload=PRELOAD):
    """Accept module requests until the controller process is gone; a forked child answers each."""
    sys.path.insert(0, COLLECTIONS_ROOT)  # where this collection's modules are imported from
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(128)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    try:
        for number, group in enumerate(preload):
            if number > 1:
                _serve_waiting(listener, timeout=0)
            for name in group:
                try:
                    __import__(name)
                except Exception:  # pylint: disable=broad-except
                    # Missing or broken, it fails again in the child of a module that imports it, as in
                    # that module's own process (a failed import leaves no module behind); ending the host
                    # here would fail every module instead.
                    pass
        while process_alive(controller_pid, controller_start):
            _serve_waiting(listener, timeout=WATCH_INTERVAL)
    finally:
        _remove_traces(path[:-len(".sock")])


def _serve_waiting(listener, timeout):
    """Fork a child for every connection waiting, or for the first to come within ``timeout``."""
    listener.settimeout(timeout)
    while True:
        try:
            connection, dummy = listener.accept()
        except OSError:  # nothing (more) waiting: socket.timeout or BlockingIOError
            return
        if os.fork() == 0:
            listener.close()
            _answer(connection)
        connection.close()
        listener.settimeout(0)


def _remove_traces(base):
    """The socket and lock go with the host; its log stays only if something was written to it."""
    for suffix in (".sock", ".lock", ".log"):
        try:
            if suffix != ".log" or not os.path.getsize(base + suffix):
                os.unlink(base + suffix)
        except FileNotFoundError:
            pass


def _remove_stale_traces(directory):
    """What hosts killed before they could clean up left behind (their controllers have ended too)."""
    for name in os.listdir(directory):
        base = os.path.join(directory, name.rsplit(".", 1)[0])
        pid, dummy, start = os.path.basename(base).partition("-")
        if pid.isdigit() and not process_alive(int(pid), start):
            _remove_traces(base)


def process_alive(pid, start):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return process_start_time(pid) == start


def _answer(connection):
    """In the forked child: run one payload as its own process would, answer, and exit."""
    status = 70
    try:
        connection.settimeout(None)  # blocking, whatever the listener was set to when it accepted
        request = receive_message(connection)
        _interrupt_when_abandoned(connection)
        prepare_process(request["environment"], request["cwd"])
        if request["kind"] == "module":
            answer = capture(run_module, request["module"], request["params"], request["profile"])
        else:
            answer = capture(run_payload, request["payload"])
        send_message(connection, answer)
        status = 0
    except BaseException:  # pylint: disable=broad-except
        traceback.print_exc()
    finally:
        os._exit(status)


def _interrupt_when_abandoned(connection):
    """Interrupt the module once its worker is gone, as Ansible signals a module in its own process with
    its worker (Ctrl-C, a cancelled job); the worker sends nothing after its request, so a readable
    connection means it was closed."""
    def watch():
        select.select([connection], [], [])
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="abandoned", daemon=True).start()


def prepare_process(environment, cwd):
    """The child's environment, directory, standard input and signals, as for a new interpreter."""
    # The host ignores SIGCHLD to have its children reaped; inherited, a module's subprocesses would
    # all seem to exit with 0 (waitpid fails with ECHILD and subprocess takes that as success).
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    sys.argv = [""]
    sys.stdin = open(os.devnull)
    os.dup2(sys.stdin.fileno(), 0)


def capture(runner, *arguments):
    """Run ``runner`` with fd 1 and 2 captured; its exit status, output and peak memory."""
    captured = {}
    for fd in (1, 2):
        captured[fd] = tempfile.TemporaryFile()
        os.dup2(captured[fd].fileno(), fd)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    rc = 0
    try:
        runner(*arguments)
    except SystemExit as exit_request:
        rc = _exit_status(exit_request.code)
    except BaseException:  # pylint: disable=broad-except
        traceback.print_exc()
        rc = 1
    # As the interpreter does at exit; AnsibleModule removes its tmpdir so, for one.
    atexit._run_exitfuncs()  # pylint: disable=protected-access
    sys.stdout.flush()
    sys.stderr.flush()
    output = {}
    for fd, capture_file in captured.items():
        capture_file.seek(0)
        output[fd] = capture_file.read().decode("utf-8", "replace")
    return {"rc": rc, "stdout": output[1], "stderr": output[2],
            "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def run_payload(payload):
    """An AnsiballZ payload, as ``python`` runs it from standard input."""
    sys.path.insert(0, "")  # as for a script read from standard input (AnsiballZ takes it out again)
    sys.modules["__main__"] = main = types.ModuleType("__main__")
    exec(compile(payload, "<stdin>", "exec"), main.__dict__)  # pylint: disable=exec-used


def run_module(module, params, profile):
    """An installed module with its encoded arguments, as AnsiballZ runs it once unpacked.

    The working directory stays off ``sys.path``, as AnsiballZ keeps it: a file in the playbook's
    directory must not shadow what the module imports.
    """
    from ansible.module_utils._internal._ansiballz import _loader  # pylint: disable=import-outside-toplevel

    _loader.run_module(json_params=params.encode("utf-8"), profile=profile, module_fqn=module,
                       modlib_path=COLLECTIONS_ROOT, extensions={})


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write("%s\n" % code)  # as the interpreter does for sys.exit("message")
    return 1


if __name__ == "__main__":
    del sys.path[0]  # plugin_utils itself: nothing is imported from there
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
