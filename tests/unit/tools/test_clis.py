"""The pure logic of tools/clis.py: cache keys, the pinned version, where tests find a CLI or why they cannot."""
import importlib.util
import os

import pytest

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "clis.py")
_SPEC = importlib.util.spec_from_file_location("crosscloud_clis_tool", _PATH)
clis = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(clis)


def test_cache_key_changes_with_the_pins_and_the_python():
    key = clis.cache_key(b"azure-cli==2.91.0\n", "3.11.7")
    assert key == clis.cache_key(b"azure-cli==2.91.0\n", "3.11.7") and len(key) == 16
    assert key != clis.cache_key(b"azure-cli==2.92.0\n", "3.11.7")
    assert key != clis.cache_key(b"azure-cli==2.91.0\n", "3.11.8")


def test_pinned_version_reads_the_cli_from_its_freeze():
    assert clis.pinned_version("# comment\nazure-cli-core==2.91.0\nAzure-CLI==2.91.0\n", "azure-cli") == "2.91.0"
    with pytest.raises(ValueError, match="oci-cli is not pinned"):
        clis.pinned_version("oci==2.189.0\n", "oci-cli")


@pytest.mark.parametrize("cli", sorted(clis.COMMANDS))
def test_each_cli_is_pinned_in_its_file(cli):
    with open(clis.pins_path(cli)) as handle:
        assert clis.pinned_version(handle.read(), cli)


def test_locate_says_why_a_cli_is_missing(tmp_path):
    environ = {"XDG_CACHE_HOME": str(tmp_path)}
    cache_dir = clis.default_cache_dir(environ)
    assert cache_dir == str(tmp_path / "crosscloud-interconnect" / "clis")
    directory, problem = clis.locate("azure-cli", environ)
    assert directory is None and problem == "azure-cli is not built: run `make clis` (python tools/clis.py)"
    venv = clis.venv_path("azure-cli", cache_dir)
    os.makedirs(cache_dir)
    with open(venv + ".failed", "w") as handle:
        handle.write("`pip install` exited 1\nERROR: No matching distribution found for azure-cli==2.91.0\n")
    directory, problem = clis.locate("azure-cli", environ)
    assert directory is None and problem.startswith("azure-cli could not be installed: `pip install` exited 1")
    assert "No matching distribution" in problem
    os.makedirs(os.path.join(venv, "bin"))
    open(os.path.join(venv, ".complete"), "w").close()
    assert clis.locate("azure-cli", environ) == (os.path.join(venv, "bin"), None)


def test_ci_true_makes_a_missing_cli_fail():
    assert clis.is_ci({"CI": "true"}) and clis.is_ci({"CI": " TRUE "})
    assert not clis.is_ci({}) and not clis.is_ci({"CI": "1"})
