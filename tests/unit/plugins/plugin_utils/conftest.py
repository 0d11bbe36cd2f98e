"""Fixtures of the module host tests: a host directory of their own and a stand-in controller."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def host_dir(monkeypatch):
    # Not under pytest's tmp_path: a Unix socket's path must stay under 108 bytes.
    temporary = tempfile.mkdtemp(prefix="mh-", dir="/tmp")
    monkeypatch.setattr(tempfile, "tempdir", temporary)
    yield Path(temporary) / ("crosscloud-ic-%d" % os.getuid())
    shutil.rmtree(temporary, ignore_errors=True)


@pytest.fixture
def workdir(host_dir):
    """The directory a module runs in (not pytest's tmp_path, which follows the patched tempdir)."""
    return host_dir.parent


@pytest.fixture
def controller():
    """A process standing in for ansible-playbook: the host lives as long as it does."""
    process = subprocess.Popen(["sleep", "120"])
    yield process
    process.kill()
    process.wait()
