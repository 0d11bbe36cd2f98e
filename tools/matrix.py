"""Run the product playbooks on every supported ansible-core, from the built and installed collection.

    python tools/matrix.py [--cells 2.16,2.21] [--jobs N] [--cache-dir DIR] [--work-dir DIR]

One cell per supported ansible-core minor (see CELLS), each on the Python it names:

1. a virtualenv with ``ansible-core>=2.X,<2.X+1`` and requirements.txt, cached between runs under
   ``${XDG_CACHE_HOME:-~/.cache}/crosscloud-interconnect/matrix/<cell>-<hash>``; the hash covers
   requirements.txt and the cell's spec (core range, exact Python version), so a change rebuilds it;
2. ``ansible-galaxy collection build`` of this checkout and ``ansible-galaxy collection install`` of
   the tarball into the cell's own collections path, both with the cell's ansible-galaxy;
3. against a cloudsim of its own (demo fixture, zero delays, own state dir and port): the installed
   collection's playbooks on inventories/demo -- converge, converge again (changed=0 everywhere),
   verify, teardown, teardown again (changed=0 everywhere). Every run must end rc 0, failed=0.

The cells' Pythons are looked up as ``python3.X`` on PATH, then through pyenv. A cell whose Python
is missing is skipped, with the reason; with ``CI=true`` in the environment it fails the run instead.
cloudsim runs on the Python running this script (the repository's .venv): it is the simulator, not
the product. Cells run in parallel (--jobs, default: the number of CPUs). A table at the end gives
each cell's Python, the ansible-core actually installed, and each step's result and seconds; the
exit status is 1 when a cell failed (or was skipped under CI=true).

Only the standard library is used.
"""
import argparse
import concurrent.futures
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import with_cloudsim  # noqa: E402  pylint: disable=wrong-import-position

# (ansible-core minor, Python minor): every ansible-core the collection supports, each on a Python it
# supports as a controller. requires_ansible in meta/runtime.yml says what these prove.
CELLS = (
    ("2.16", "3.11"),
    ("2.17", "3.11"),
    ("2.18", "3.11"),
    ("2.19", "3.11"),
    ("2.20", "3.12"),
    ("2.21", "3.13"),
)

# (step name, installed playbook, changed=0 required on every host)
PLAYBOOK_STEPS = (
    ("converge", "crosscloud.interconnect.interconnect", False),
    ("idempotent", "crosscloud.interconnect.interconnect", True),
    ("verify", "crosscloud.interconnect.verify", False),
    ("teardown", "crosscloud.interconnect.teardown", False),
    ("teardown again", "crosscloud.interconnect.teardown", True),
)
STEPS = ("venv", "build", "install") + tuple(step[0] for step in PLAYBOOK_STEPS)

INVENTORY = os.path.join(REPO, "inventories", "demo")
SIM_ARGS = ["--fixture", os.path.join(REPO, "cloudsim", "fixtures", "demo.json"), "--delays", "zero"]
PIP_TIMEOUT = 1200
STEP_TIMEOUT = 600
RECAP_LINE = re.compile(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$")


# ----------------------------------------------------------------------------------------------------
# Pure logic (tests/unit/tools/test_matrix.py)

def core_spec(core):
    """The pip requirement for one ansible-core minor: '2.16' -> 'ansible-core>=2.16,<2.17'."""
    major, minor = (int(part) for part in core.split("."))
    return "ansible-core>=%d.%d,<%d.%d" % (major, minor, major, minor + 1)


def cell_name(core, python):
    return "core%s-py%s" % (core, python)


def select_cells(text, cells=CELLS):
    """The cells named by --cells: ansible-core minors ('2.16,2.21'); empty means all."""
    if not text:
        return list(cells)
    wanted = [item.strip() for item in text.split(",") if item.strip()]
    known = {core: (core, python) for core, python in cells}
    unknown = [item for item in wanted if item not in known]
    if unknown:
        raise ValueError("unknown cell(s) %s; known: %s" % (", ".join(unknown), ", ".join(known)))
    return [known[item] for item in wanted]


def cache_key(requirements, spec):
    """Short hash of requirements.txt's content (bytes) and a cell spec (text)."""
    digest = hashlib.sha256()
    digest.update(requirements)
    digest.update(b"\0")
    digest.update(spec.encode())
    return digest.hexdigest()[:16]


def default_cache_dir(environ):
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "crosscloud-interconnect", "matrix")


def is_ci(environ):
    return environ.get("CI", "").strip().lower() == "true"


def missing_interpreter_outcome(environ):
    """'fail' under CI=true (a CI machine must run every cell), else 'skip'."""
    return "fail" if is_ci(environ) else "skip"


def parse_recap(output):
    """Hosts of the last PLAY RECAP in ansible-playbook's output -> {host: {counter: int}}."""
    start = output.rfind("PLAY RECAP")
    if start < 0:
        return {}
    recap = {}
    for line in output[start:].splitlines()[1:]:
        line = line.strip()
        if not line:
            if recap:
                break
            continue
        match = RECAP_LINE.match(line)
        if not match:
            break
        recap[match.group(1)] = {name: int(value) for name, value in
                                 (item.split("=") for item in match.group(2).split())}
    return recap


def recap_problems(recap, rc, expect_unchanged, hosts=None):
    """Why a playbook run does not pass: rc, failed/unreachable hosts, changes where none may be."""
    problems = []
    if rc != 0:
        problems.append("rc %s" % rc)
    if not recap:
        problems.append("no PLAY RECAP")
    missing = sorted(set(hosts or ()) - set(recap))
    if missing:
        problems.append("not in the recap: %s" % ", ".join(missing))
    for host in sorted(recap):
        counts = recap[host]
        for counter in ("failed", "unreachable"):
            if counts.get(counter, 0):
                problems.append("%s %s=%d" % (host, counter, counts[counter]))
        if expect_unchanged and counts.get("changed", 0):
            problems.append("%s changed=%d (expected 0)" % (host, counts["changed"]))
    return problems


def unsupported_warning(output):
    """ansible-core's warning that meta/runtime.yml's requires_ansible excludes the running core, if any."""
    match = re.search(r"Collection crosscloud\.interconnect does not support Ansible version \S+", output)
    return match.group(0) if match else None


def _version_key(version):
    return tuple(int(part) for part in version.split("."))


def find_python(minor, which=shutil.which, probe=None, pyenv_versions=None, pyenv_prefix=None):
    """Find Python ``minor`` ('3.12'): (path, full version, how found) or (None, None, why not).

    Order: ``python3.X`` on PATH, then pyenv's installed 3.X.* (newest patch first). A candidate only
    counts when it runs and reports that minor (a pyenv shim for a version not selected does not).
    The callables are injectable for tests: which(name), probe(path) -> 'X.Y.Z' or None,
    pyenv_versions() -> [names], pyenv_prefix(name) -> directory or None.
    """
    probe = probe or probe_python
    pyenv_versions = pyenv_versions or list_pyenv_versions
    pyenv_prefix = pyenv_prefix or find_pyenv_prefix
    name = "python" + minor
    tried = []
    on_path = which(name)
    if on_path:
        version = probe(on_path)
        if version and version.startswith(minor + "."):
            return on_path, version, "PATH"
        tried.append("%s on PATH does not run as %s" % (on_path, minor))
    else:
        tried.append("no %s on PATH" % name)
    pattern = re.compile(r"^%s\.\d+$" % re.escape(minor))
    candidates = sorted((v for v in pyenv_versions() if pattern.match(v)), key=_version_key, reverse=True)
    if not candidates:
        tried.append("no pyenv version %s.*" % minor)
    for candidate in candidates:
        prefix = pyenv_prefix(candidate)
        path = os.path.join(prefix, "bin", name) if prefix else None
        version = probe(path) if path else None
        if version and version.startswith(minor + "."):
            return path, version, "pyenv %s" % candidate
        tried.append("pyenv %s gives no working %s" % (candidate, name))
    return None, None, "; ".join(tried)


def format_table(rows):
    """Rows of equal length (the first the header) -> aligned text lines."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


# ----------------------------------------------------------------------------------------------------
# Interpreters

def probe_python(path):
    try:
        result = subprocess.run([path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _pyenv():
    found = shutil.which("pyenv")
    if found:
        return found
    root = os.environ.get("PYENV_ROOT") or os.path.join(os.path.expanduser("~"), ".pyenv")
    candidate = os.path.join(root, "bin", "pyenv")
    return candidate if os.access(candidate, os.X_OK) else None


def list_pyenv_versions():
    pyenv = _pyenv()
    if not pyenv:
        return []
    try:
        result = subprocess.run([pyenv, "versions", "--bare", "--skip-aliases"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return result.stdout.split() if result.returncode == 0 else []


def find_pyenv_prefix(version):
    pyenv = _pyenv()
    try:
        result = subprocess.run([pyenv, "prefix", version], capture_output=True, text=True, timeout=30,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    prefix = result.stdout.strip()
    return prefix if result.returncode == 0 and os.path.isdir(prefix) else None


# ----------------------------------------------------------------------------------------------------
# Running a cell

class StepFailed(Exception):
    pass


class Cell:
    def __init__(self, core, python_minor, options):
        self.core, self.python_minor, self.options = core, python_minor, options
        self.name = cell_name(core, python_minor)
        self.work = os.path.join(options.work_dir, self.name)
        self.python = None          # full version of the cell's Python
        self.core_version = None    # ansible-core installed in the venv
        self.results = {}           # step -> (status, seconds)
        self.status = "pending"     # passed / FAILED / skipped
        self.reason = ""
        self.venv = None
        self.interpreter = None     # (path, full version, how found)
        self.tarball = None
        self.collections = os.path.join(self.work, "collections")

    def log(self, message):
        with PRINT_LOCK:
            print("[%s] %s" % (self.name, message), flush=True)

    def run_command(self, step, command, env=None, cwd=None, timeout=STEP_TIMEOUT):
        """Run a command, its output to <work>/<step>.log; return (rc, output)."""
        log_path = os.path.join(self.work, "%s.log" % step.replace(" ", "-"))
        try:
            result = subprocess.run(command, env=env, cwd=cwd or self.work, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
            rc, output = result.returncode, result.stdout
        except subprocess.TimeoutExpired as error:
            rc, output = "timeout after %ss" % timeout, error.stdout or ""
            if isinstance(output, bytes):
                output = output.decode(errors="replace")
        with open(log_path, "w") as handle:
            handle.write("$ %s\n%s" % (" ".join(command), output))
        return rc, output

    def step(self, name, function):
        started = time.monotonic()
        try:
            detail = function()
        except StepFailed as error:
            self.results[name] = ("FAIL", time.monotonic() - started)
            raise StepFailed("%s: %s" % (name, error)) from None
        self.results[name] = (detail or "ok", time.monotonic() - started)
        self.log("%s %s (%.1fs)" % (name, detail or "ok", self.results[name][1]))

    def fail_with_output(self, command, rc, output, lines=40):
        tail = "\n".join(output.rstrip().splitlines()[-lines:])
        raise StepFailed("`%s` exited %s\n%s" % (" ".join(command), rc, tail))

    # -- steps -----------------------------------------------------------------------------------

    def prepare_venv(self):
        base, version, how = self.interpreter
        spec = "%s python%s" % (core_spec(self.core), version)
        with open(os.path.join(REPO, "requirements.txt"), "rb") as handle:
            key = cache_key(handle.read(), spec)
        os.makedirs(self.options.cache_dir, exist_ok=True)
        self.venv = os.path.join(self.options.cache_dir, "%s-%s" % (self.name, key))
        marker = os.path.join(self.venv, ".complete")
        with open(os.path.join(self.options.cache_dir, self.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another `make matrix` building the same cell waits
            if os.path.exists(marker) and probe_python(os.path.join(self.venv, "bin", "python")):
                return "cached"
            shutil.rmtree(self.venv, ignore_errors=True)
            for command in ([base, "-m", "venv", self.venv],
                            [os.path.join(self.venv, "bin", "python"), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", core_spec(self.core), "-r",
                             os.path.join(REPO, "requirements.txt")]):
                rc, output = self.run_command("venv", command, timeout=PIP_TIMEOUT)
                if rc != 0:
                    shutil.rmtree(self.venv, ignore_errors=True)
                    self.fail_with_output(command, rc, output)
            # Stale venvs of this cell (older requirements or interpreter) go.
            for entry in os.listdir(self.options.cache_dir):
                path = os.path.join(self.options.cache_dir, entry)
                if entry.startswith(self.name + "-") and path != self.venv and os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
            with open(marker, "w") as handle:
                handle.write("%s\nfrom %s (%s)\n" % (spec, base, how))
        return "built"

    def read_core_version(self):
        command = [os.path.join(self.venv, "bin", "python"), "-c",
                   "import importlib.metadata as m; print(m.version('ansible-core'))"]
        rc, output = self.run_command("core-version", command)
        if rc != 0:
            self.fail_with_output(command, rc, output)
        self.core_version = output.strip()

    def build(self):
        command = [os.path.join(self.venv, "bin", "ansible-galaxy"), "collection", "build", REPO,
                   "--output-path", os.path.join(self.work, "dist"), "--force"]
        rc, output = self.run_command("build", command, env=self.ansible_env())
        if rc != 0:
            self.fail_with_output(command, rc, output)
        tarballs = [name for name in os.listdir(os.path.join(self.work, "dist")) if name.endswith(".tar.gz")]
        if len(tarballs) != 1:
            raise StepFailed("expected one tarball, found %s" % tarballs)
        self.tarball = os.path.join(self.work, "dist", tarballs[0])

    def install(self):
        command = [os.path.join(self.venv, "bin", "ansible-galaxy"), "collection", "install", self.tarball,
                   "-p", self.collections, "--force"]
        rc, output = self.run_command("install", command, env=self.ansible_env())
        if rc != 0:
            self.fail_with_output(command, rc, output)
        installed = os.path.join(self.collections, "ansible_collections", "crosscloud", "interconnect", "MANIFEST.json")
        if not os.path.isfile(installed):
            raise StepFailed("%s missing after install" % installed)

    def ansible_env(self, sim_env=None):
        env = dict(os.environ, **(sim_env or {}))
        for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "ANSIBLE_CONFIG", "ANSIBLE_STDOUT_CALLBACK",
                     "ANSIBLE_CALLBACKS_ENABLED", "ANSIBLE_INVENTORY", "ANSIBLE_ROLES_PATH"):
            env.pop(name, None)
        env.update(
            PATH=os.path.join(self.venv, "bin") + os.pathsep + env.get("PATH", ""),
            ANSIBLE_COLLECTIONS_PATH=self.collections,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="False",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_RETRY_FILES_ENABLED="False",
            ANSIBLE_LOCAL_TEMP=os.path.join(self.work, "tmp"),
            ANSIBLE_HOME=os.path.join(self.work, "ansible-home"),
        )
        return env

    def playbook(self, step, playbook, expect_unchanged, sim_env):
        command = [os.path.join(self.venv, "bin", "ansible-playbook"), "-i", INVENTORY, playbook,
                   "-e", "interconnect_report_dir=%s" % os.path.join(self.work, "reports")]
        rc, output = self.run_command(step, command, env=self.ansible_env(sim_env))
        problems = recap_problems(parse_recap(output), rc, expect_unchanged)
        if unsupported_warning(output):  # requires_ansible must say what the matrix proves
            problems.append(unsupported_warning(output))
        if problems:
            tail = "\n".join(output.rstrip().splitlines()[-40:])
            raise StepFailed("%s\n`%s`\n%s" % ("; ".join(problems), " ".join(command), tail))

    def run(self):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(os.path.join(self.work, "tmp"))
        try:
            self.step("venv", self.prepare_venv)
            self.read_core_version()
            self.step("build", self.build)
            self.step("install", self.install)
            self.run_playbooks()
        except StepFailed as error:
            self.status, self.reason = "FAILED", str(error)
            self.log("FAILED at %s" % self.reason)
            return
        self.status = "passed"

    def start_cloudsim(self):
        """with_cloudsim.start, with the simulator's output in <work>/cloudsim.log, not on the terminal."""
        state_dir = os.path.join(self.work, "sim")
        os.makedirs(state_dir, exist_ok=True)
        env_file = os.path.join(state_dir, "env")  # cloudsim writes it atomically once it serves
        with open(os.path.join(self.work, "cloudsim.log"), "w") as log:
            process = subprocess.Popen([sys.executable, "-m", "cloudsim", "--port", "0", "--state-dir", state_dir]
                                       + SIM_ARGS, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + with_cloudsim.STARTUP_TIMEOUT
        while not os.path.exists(env_file):
            if process.poll() is not None:
                raise StepFailed("cloudsim exited with %s before it was ready (see %s)" % (
                    process.returncode, os.path.join(self.work, "cloudsim.log")))
            if time.monotonic() > deadline:
                process.kill()
                raise StepFailed("cloudsim did not write %s within %ss" % (env_file, with_cloudsim.STARTUP_TIMEOUT))
            time.sleep(0.05)
        return process, with_cloudsim.read_env_file(env_file)

    def run_playbooks(self):
        try:
            process, sim_env = self.start_cloudsim()
        except StepFailed:
            self.results["converge"] = ("FAIL", 0.0)
            raise
        try:
            for name, playbook, expect_unchanged in PLAYBOOK_STEPS:
                self.step(name, lambda args=(name, playbook, expect_unchanged, sim_env): self.playbook(*args))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


PRINT_LOCK = threading.Lock()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cells", default=os.environ.get("MATRIX_CELLS", ""),
                        help="comma-separated ansible-core minors to run (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cells run at once")
    parser.add_argument("--cache-dir", default=default_cache_dir(os.environ), help="where cell venvs are kept")
    parser.add_argument("--work-dir", default=os.path.join(REPO, ".build", "matrix"),
                        help="logs, tarballs, installed collections, reports and cloudsim state of each cell")
    options = parser.parse_args(argv)
    try:
        selected = select_cells(options.cells)
    except ValueError as error:
        parser.error(str(error))
    options.work_dir = os.path.abspath(options.work_dir)
    options.cache_dir = os.path.abspath(options.cache_dir)
    started = time.monotonic()

    cells, runnable = [], []
    for core, python_minor in selected:
        cell = Cell(core, python_minor, options)
        cells.append(cell)
        path, version, how = find_python(python_minor)
        if not path:
            outcome = missing_interpreter_outcome(os.environ)
            cell.status = "FAILED" if outcome == "fail" else "skipped"
            cell.reason = "no Python %s (%s)%s" % (python_minor, how, " and CI=true" if outcome == "fail" else "")
            cell.log("%s: %s" % (cell.status, cell.reason))
            continue
        cell.interpreter, cell.python = (path, version, how), version
        cell.log("Python %s from %s (%s); %s" % (version, how, path, core_spec(core)))
        runnable.append(cell)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for future in [pool.submit(cell.run) for cell in runnable]:
            future.result()

    header = ["cell", "python", "ansible-core"] + list(STEPS) + ["result"]
    rows = [header]
    for cell in cells:
        row = [cell.name, cell.python or "-", cell.core_version or "-"]
        for step in STEPS:
            status, seconds = cell.results.get(step, (None, None))
            row.append("%s %.1fs" % (status, seconds) if status else "-")
        row.append(cell.status)
        rows.append(row)
    print("\nansible-core version matrix (%s; logs in %s)" % (
        "cells in parallel: %d" % options.jobs, options.work_dir))
    print("\n".join(format_table(rows)))
    for cell in cells:
        if cell.reason:
            print("\n%s %s: %s" % (cell.name, cell.status, cell.reason))
    failed = [cell.name for cell in cells if cell.status == "FAILED"]
    skipped = [cell.name for cell in cells if cell.status == "skipped"]
    print("\nmatrix: %d passed, %d failed, %d skipped in %.0fs" % (
        sum(cell.status == "passed" for cell in cells), len(failed), len(skipped), time.monotonic() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
