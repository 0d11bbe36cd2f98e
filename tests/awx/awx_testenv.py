"""The checkout, its .venv tools and a bare process environment, for the AWX tests."""
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
EE_FILE = REPO_ROOT / "execution-environment.yml"


def venv_tool(name):
    """Path of a console script from .venv; fail (never skip) when it is missing."""
    path = VENV_BIN / name
    if not path.is_file():
        pytest.fail("%s is missing: tests/awx need %s from requirements-dev.txt (run `make venv`)" % (path, name),
                    pytrace=False)
    return path


def isolated_env(home, **extra):
    """A bare process environment, like a fresh container: nothing leaks in from the caller's shell
    (ANSIBLE_COLLECTIONS_PATH from the Makefile, ~/.ansible/collections, cloud credentials)."""
    env = {"PATH": "%s:/usr/bin:/bin" % VENV_BIN, "HOME": str(home), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def run_tool(args, cwd=None, env=None, timeout=300):
    """Run a command and fail with its output when it does not exit 0."""
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        pytest.fail("%s exited %s\nstdout:\n%s\nstderr:\n%s"
                    % (" ".join(str(arg) for arg in args), result.returncode, result.stdout, result.stderr),
                    pytrace=False)
    return result
