"""Fixtures for the AWX / Automation Platform tests.

The collection reaches these tests the way it reaches an AWX job: built into a tarball, laid into an
execution environment's build context by ``ansible-builder create``, and installed by the same
``ansible-galaxy`` command the image's galaxy stage runs. No container engine is involved.
"""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
EE_FILE = REPO_ROOT / "execution-environment.yml"
# Where the galaxy stage installs collections inside the image (ansible_builder.constants).
EE_COLLECTIONS_PATH = "/usr/share/ansible/collections"


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


@pytest.fixture(scope="session")
def galaxy_metadata():
    return yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text())


@pytest.fixture(scope="session")
def ee_definition():
    return yaml.safe_load(EE_FILE.read_text())


@pytest.fixture(scope="session")
def ee_build_context(tmp_path_factory):
    """``ansible-builder create`` run on execution-environment.yml after ``ansible-galaxy collection
    build``, as docs/awx.md tells users to. The EE file is copied next to a fresh tarball so the test
    never writes into the checkout; it references nothing else relative to itself."""
    workdir = tmp_path_factory.mktemp("ee")
    run_tool([venv_tool("ansible-galaxy"), "collection", "build", REPO_ROOT, "--output-path", workdir],
             env=isolated_env(workdir))
    shutil.copy(EE_FILE, workdir / EE_FILE.name)
    run_tool([venv_tool("ansible-builder"), "create", "--file", EE_FILE.name, "--context", "context",
              "--output-filename", "Containerfile"], cwd=workdir, env=isolated_env(workdir))
    return workdir / "context"


@pytest.fixture(scope="session")
def ee_collections(ee_build_context, tmp_path_factory):
    """The image's collections directory: the galaxy stage's install command, run from the build
    context's ``_build`` directory (the stage's WORKDIR) into a stand-in for /usr/share/ansible."""
    containerfile = (ee_build_context / "Containerfile").read_text()
    install_step = "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml"
    assert install_step in containerfile, "the Containerfile no longer installs collections from requirements.yml"
    home = tmp_path_factory.mktemp("galaxy-home")
    collections = home / "collections"
    run_tool([venv_tool("ansible-galaxy"), "collection", "install", "-r", "requirements.yml",
              "--collections-path", collections],
             cwd=ee_build_context / "_build",
             env=isolated_env(home, ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1"))
    return collections
