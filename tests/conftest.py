"""Make this checkout importable as ``ansible_collections.crosscloud.interconnect``.

ansible-test does this by running from an ``ansible_collections/<ns>/<name>`` path; plain pytest gets
the same view through a symlink farm in a temporary directory. Also: where the clouds' own CLIs are
(tools/clis.py), for the tests that run them against cloudsim.
"""
import hashlib
import importlib.util
import os
import sys
import tempfile

import pytest

_REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COLLECTIONS_ROOT = None  # set below: a directory with ansible_collections/crosscloud/interconnect


def _collection_root():
    # Already inside ansible_collections/crosscloud/interconnect (ansible-test units): nothing to do.
    parts = _REPO_ROOT.split(os.sep)
    if parts[-3:-2] == ["ansible_collections"]:
        return os.sep.join(parts[:-3])
    # One farm per checkout: two checkouts tested at once must not repoint each other's link.
    checkout = hashlib.sha1(_REPO_ROOT.encode()).hexdigest()[:12]
    root = os.path.join(tempfile.gettempdir(), "crosscloud-interconnect-%d-%s" % (os.getuid(), checkout))
    link = os.path.join(root, "ansible_collections", "crosscloud", "interconnect")
    if os.path.realpath(link) != _REPO_ROOT:
        os.makedirs(os.path.dirname(link), exist_ok=True)
        tmp_link = "%s.%d" % (link, os.getpid())
        os.symlink(_REPO_ROOT, tmp_link)
        os.replace(tmp_link, link)  # atomic, so parallel pytest workers never see a half-made link
    return root


COLLECTIONS_ROOT = _collection_root()
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)


@pytest.fixture(scope="session")
def collections_root():
    """A directory holding ansible_collections/crosscloud/interconnect (this checkout)."""
    return COLLECTIONS_ROOT


def _load_clis_tool():
    spec = importlib.util.spec_from_file_location("crosscloud_clis", os.path.join(_REPO_ROOT, "tools", "clis.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLIS = _load_clis_tool()


def cli_directory(cli):
    """The directory holding the command of a cloud's own CLI (``azure-cli``, ``oci-cli``) as tools/clis.py
    built it (`make units` and `make e2e` build it first). Without it the test skips, saying why; with CI=true
    it fails."""
    directory, problem = CLIS.locate(cli)
    if directory is None:
        (pytest.fail if CLIS.is_ci(os.environ) else pytest.skip)(problem)
    return directory


@pytest.fixture(scope="session")
def azure_cli_directory():
    """Where the real ``az`` is (see cli_directory)."""
    return cli_directory("azure-cli")


@pytest.fixture(scope="session")
def oci_cli_directory():
    """Where the real ``oci`` is (see cli_directory)."""
    return cli_directory("oci-cli")
