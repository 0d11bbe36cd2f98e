"""Build the clouds' own command line tools, which check cloudsim as clients nobody here wrote.

    python tools/clis.py [--clis azure-cli,oci-cli] [--cache-dir DIR]

Each CLI gets a virtualenv of its own (their pinned dependencies clash), built once on the Python running
this script and cached under ``${XDG_CACHE_HOME:-~/.cache}/crosscloud-interconnect/clis/<cli>-<hash>``; the
hash covers the CLI's pins (tools/clis/<cli>.txt, a ``pip freeze`` of it) and the Python version, so a
change of either rebuilds it. A venv is complete once its command answers ``--version``.

When pip cannot install a CLI (no network, no such package on the index), the reason is kept next to the
venv and the tests that need the CLI skip with it; with ``CI=true`` in the environment they fail instead,
and so does this script. Tests find the CLIs with :func:`locate` (tests/conftest.py).

Only the standard library is used.
"""
import argparse
import concurrent.futures
import fcntl
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import matrix  # noqa: E402  pylint: disable=wrong-import-position
# The same cache key (a hash of the pins' bytes and a spec, here the Python version) and CI=true switch.
from matrix import cache_key, is_ci  # noqa: E402,F401  pylint: disable=wrong-import-position

PINS_DIR = os.path.join(REPO, "tools", "clis")
# CLI (its package on PyPI) -> the command it installs.
COMMANDS = {"azure-cli": "az", "oci-cli": "oci"}
PIP_TIMEOUT = 2400
OUTPUT_TAIL = 30


def default_cache_dir(environ):
    """Next to the matrix's cell venvs: ``.../crosscloud-interconnect/clis``."""
    return os.path.join(os.path.dirname(matrix.default_cache_dir(environ)), "clis")


def pins_path(cli):
    return os.path.join(PINS_DIR, cli + ".txt")


def pinned_version(pins, cli):
    """The version of ``cli`` in its pins (text of a pip freeze)."""
    for line in pins.splitlines():
        name, equals, version = line.strip().partition("==")
        if equals and name.lower() == cli:
            return version
    raise ValueError("%s is not pinned in %s" % (cli, pins_path(cli)))


def venv_path(cli, cache_dir, python_version="%d.%d.%d" % sys.version_info[:3]):
    with open(pins_path(cli), "rb") as handle:
        return os.path.join(cache_dir, "%s-%s" % (cli, cache_key(handle.read(), python_version)))


def locate(cli, environ=None):
    """``(directory holding the CLI's command, None)`` when its venv is built, else ``(None, why not)``."""
    environ = os.environ if environ is None else environ
    venv = venv_path(cli, default_cache_dir(environ))
    if os.path.exists(os.path.join(venv, ".complete")):
        return os.path.join(venv, "bin"), None
    failed = venv + ".failed"
    if os.path.exists(failed):
        with open(failed) as handle:
            return None, "%s could not be installed: %s" % (cli, handle.read().strip())
    return None, "%s is not built: run `make clis` (python tools/clis.py)" % cli


def build(cli, cache_dir, log=print):
    """Build ``cli``'s venv unless it is there: ``("cached" | "built" | "failed", detail)``."""
    os.makedirs(cache_dir, exist_ok=True)
    with open(pins_path(cli)) as handle:
        pins = handle.read()
    venv = venv_path(cli, cache_dir)
    marker, failed = os.path.join(venv, ".complete"), venv + ".failed"
    with open(os.path.join(cache_dir, cli + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a `make units` and a `make e2e` at once build it once
        if os.path.exists(marker):
            return "cached", venv
        shutil.rmtree(venv, ignore_errors=True)
        started = time.monotonic()
        requirement = "%s==%s" % (cli, pinned_version(pins, cli))
        log("%s: building %s (pip install %s), a few minutes the first time" % (cli, venv, requirement))
        command_path = os.path.join(venv, "bin", COMMANDS[cli])
        for command in ([sys.executable, "-m", "venv", venv],
                        [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--quiet",
                         "--disable-pip-version-check", requirement, "-c", pins_path(cli)],
                        [command_path, "--version"]):
            try:
                result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        universal_newlines=True, timeout=PIP_TIMEOUT, check=False)
                rc, output = result.returncode, result.stdout
            except (OSError, subprocess.TimeoutExpired) as error:
                rc, output = None, str(error)
            if rc != 0:
                tail = "\n".join(line for line in output.splitlines()[-OUTPUT_TAIL:])
                shutil.rmtree(venv, ignore_errors=True)
                with open(failed, "w") as handle:
                    handle.write("`%s` exited %s\n%s\n" % (" ".join(command), rc, tail))
                return "failed", tail
        # Stale venvs of this CLI (older pins or interpreter) go, and so does an old failure.
        for entry in os.listdir(cache_dir):
            path = os.path.join(cache_dir, entry)
            if entry.startswith(cli + "-") and path not in (venv, failed):
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.remove(path)
        if os.path.exists(failed):
            os.remove(failed)
        seconds = time.monotonic() - started
        with open(marker, "w") as handle:
            handle.write("%s on Python %s, built in %.0f s\n" % (requirement, sys.version.split()[0], seconds))
        return "built", "%s in %.0f s" % (venv, seconds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--clis", default=",".join(COMMANDS),
                        help="comma-separated CLIs to build (default: %(default)s)")
    parser.add_argument("--cache-dir", default=default_cache_dir(os.environ))
    options = parser.parse_args(argv)
    clis = [cli.strip() for cli in options.clis.split(",") if cli.strip()]
    unknown = sorted(set(clis) - set(COMMANDS))
    if unknown:
        parser.error("unknown CLI(s) %s; known: %s" % (", ".join(unknown), ", ".join(COMMANDS)))
    # pip downloads mostly: the builds overlap.
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(clis)) as pool:
        outcomes = dict(zip(clis, pool.map(lambda cli: build(cli, options.cache_dir), clis)))
    failed = False
    for cli, (outcome, detail) in outcomes.items():
        if outcome == "failed":
            failed = True
            print("%s: NOT INSTALLED, the tests that run it %s:\n%s" % (
                cli, "fail (CI=true)" if is_ci(os.environ) else "skip", detail))
        else:
            print("%s: %s %s" % (cli, outcome, detail))
    return 1 if failed and is_ci(os.environ) else 0


if __name__ == "__main__":
    sys.exit(main())
