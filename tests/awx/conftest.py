"""Fixtures for the AWX / Automation Platform tests.

The collection reaches these tests the way it reaches an AWX job: built into a tarball, laid into an
execution environment's build context by ``ansible-builder create``, and installed by the same
``ansible-galaxy`` command the image's galaxy stage runs. No container engine is involved.
"""
import shutil

import pytest
import yaml

from .awx_testenv import EE_FILE, REPO_ROOT, isolated_env, run_tool, venv_tool


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
