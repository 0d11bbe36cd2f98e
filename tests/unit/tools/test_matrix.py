"""The pure logic of tools/matrix.py: interpreter lookup, PLAY RECAP checks, CI=true, cache keys."""
import importlib.util
import os

import pytest

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "matrix.py")
_SPEC = importlib.util.spec_from_file_location("crosscloud_matrix", _PATH)
matrix = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(matrix)

RECAP_OUTPUT = """
TASK [Write the summary report] ************************************************
ok: [tokyo]

PLAY RECAP *********************************************************************
london                     : ok=31   changed=0    unreachable=0    failed=0    skipped=4    rescued=0    ignored=0
tokyo                      : ok=33   changed=2    unreachable=0    failed=1    skipped=4    rescued=0    ignored=0

"""


class FakeLookup:
    """which/probe/pyenv stand-ins recording what find_python asked, in order."""

    def __init__(self, on_path=None, versions=(), prefixes=None, runs=None):
        self.on_path, self.versions, self.prefixes, self.runs = on_path or {}, list(versions), prefixes or {}, runs or {}
        self.calls = []

    def which(self, name):
        self.calls.append(("which", name))
        return self.on_path.get(name)

    def probe(self, path):
        self.calls.append(("probe", path))
        return self.runs.get(path)

    def pyenv_versions(self):
        self.calls.append(("pyenv versions",))
        return self.versions

    def pyenv_prefix(self, version):
        self.calls.append(("pyenv prefix", version))
        return self.prefixes.get(version)

    def find(self, minor):
        return matrix.find_python(minor, which=self.which, probe=self.probe, pyenv_versions=self.pyenv_versions,
                                  pyenv_prefix=self.pyenv_prefix)


def test_python_on_path_wins_and_pyenv_is_not_asked():
    lookup = FakeLookup(on_path={"python3.12": "/usr/bin/python3.12"}, runs={"/usr/bin/python3.12": "3.12.4"},
                        versions=["3.12.1"], prefixes={"3.12.1": "/pyenv/3.12.1"})
    assert lookup.find("3.12") == ("/usr/bin/python3.12", "3.12.4", "PATH")
    assert ("pyenv versions",) not in lookup.calls


def test_a_shim_that_does_not_run_falls_through_to_pyenv_newest_patch_first():
    lookup = FakeLookup(on_path={"python3.12": "/shims/python3.12"}, runs={"/pyenv/3.12.9/bin/python3.12": "3.12.9",
                                                                           "/pyenv/3.12.1/bin/python3.12": "3.12.1"},
                        versions=["3.11.7", "3.12.1", "3.12.10-dev", "3.12.9", "3.120.0", "miniconda3-3.12"],
                        prefixes={"3.12.1": "/pyenv/3.12.1", "3.12.9": "/pyenv/3.12.9"})
    assert lookup.find("3.12") == ("/pyenv/3.12.9/bin/python3.12", "3.12.9", "pyenv 3.12.9")
    assert lookup.calls[:3] == [("which", "python3.12"), ("probe", "/shims/python3.12"), ("pyenv versions",)]
    # Only exact 3.12.N versions are candidates, and 3.12.9 answered first, so 3.12.1 was never asked.
    assert [call for call in lookup.calls if call[0] == "pyenv prefix"] == [("pyenv prefix", "3.12.9")]


def test_patch_versions_sort_numerically_and_a_broken_one_is_skipped():
    lookup = FakeLookup(versions=["3.13.2", "3.13.10"], prefixes={"3.13.2": "/p/3.13.2", "3.13.10": "/p/3.13.10"},
                        runs={"/p/3.13.2/bin/python3.13": "3.13.2"})
    assert lookup.find("3.13") == ("/p/3.13.2/bin/python3.13", "3.13.2", "pyenv 3.13.2")
    assert [call[1] for call in lookup.calls if call[0] == "pyenv prefix"] == ["3.13.10", "3.13.2"]


def test_a_python_reporting_another_version_does_not_count():
    lookup = FakeLookup(on_path={"python3.13": "/bin/python3.13"}, runs={"/bin/python3.13": "3.11.7"})
    path, version, why = lookup.find("3.13")
    assert (path, version) == (None, None)
    assert why == "/bin/python3.13 on PATH does not run as 3.13; no pyenv version 3.13.*"


def test_missing_everywhere_says_what_was_tried():
    lookup = FakeLookup(versions=["3.12.1"], prefixes={})
    assert lookup.find("3.12") == (None, None, "no python3.12 on PATH; pyenv 3.12.1 gives no working python3.12")


@pytest.mark.parametrize("environ, outcome", [
    ({}, "skip"),
    ({"CI": "false"}, "skip"),
    ({"CI": "1"}, "skip"),
    ({"CI": "true"}, "fail"),
    ({"CI": "True"}, "fail"),
    ({"CI": " true\n"}, "fail"),
])
def test_missing_interpreter_skips_except_under_ci_true(environ, outcome):
    assert matrix.missing_interpreter_outcome(environ) == outcome


def test_recap_parses_every_host_of_the_last_recap():
    earlier = RECAP_OUTPUT.replace("changed=2", "changed=9").replace("london  ", "paris   ")
    recap = matrix.parse_recap(earlier + "\nPLAY [again]\n" + RECAP_OUTPUT)
    assert recap == {
        "london": dict(ok=31, changed=0, unreachable=0, failed=0, skipped=4, rescued=0, ignored=0),
        "tokyo": dict(ok=33, changed=2, unreachable=0, failed=1, skipped=4, rescued=0, ignored=0),
    }


def test_recap_stops_at_the_first_line_that_is_not_a_host():
    output = RECAP_OUTPUT.rstrip() + "\nWARNING: something: ok=1\n"
    assert set(matrix.parse_recap(output)) == {"london", "tokyo"}
    assert matrix.parse_recap("ERROR! the playbook could not be found\n") == {}


def test_recap_problems_name_failed_and_changed_hosts():
    recap = matrix.parse_recap(RECAP_OUTPUT)
    assert matrix.recap_problems(recap, 2, expect_unchanged=False) == ["rc 2", "tokyo failed=1"]
    assert matrix.recap_problems(recap, 2, expect_unchanged=True) == [
        "rc 2", "tokyo failed=1", "tokyo changed=2 (expected 0)"]


def test_a_clean_recap_passes_and_changes_only_matter_when_none_are_expected():
    recap = {"tokyo": dict(ok=3, changed=2, unreachable=0, failed=0), "london": dict(ok=3, changed=0, unreachable=0,
                                                                                     failed=0)}
    assert matrix.recap_problems(recap, 0, expect_unchanged=False) == []
    assert matrix.recap_problems(recap, 0, expect_unchanged=True) == ["tokyo changed=2 (expected 0)"]
    assert matrix.recap_problems(recap, 0, False, hosts=["tokyo", "london", "paris"]) == ["not in the recap: paris"]


def test_a_run_without_recap_fails_even_with_rc_0():
    assert matrix.recap_problems({}, 0, expect_unchanged=True) == ["no PLAY RECAP"]
    assert matrix.recap_problems({"tokyo": dict(ok=1, changed=0, unreachable=1, failed=0)}, 4, False) == [
        "rc 4", "tokyo unreachable=1"]


def test_requires_ansible_warning_is_found_in_the_output():
    output = ("[WARNING]: Collection crosscloud.interconnect does not support Ansible version 2.22.0\n" + RECAP_OUTPUT)
    assert matrix.unsupported_warning(output) == "Collection crosscloud.interconnect does not support Ansible version 2.22.0"
    assert matrix.unsupported_warning(RECAP_OUTPUT) is None
    assert matrix.unsupported_warning("Collection other.thing does not support Ansible version 2.22.0") is None


def test_core_spec_is_one_minor_series():
    assert matrix.core_spec("2.16") == "ansible-core>=2.16,<2.17"
    assert matrix.core_spec("2.9") == "ansible-core>=2.9,<2.10"


def test_cells_cover_the_supported_cores_each_on_its_python():
    assert matrix.CELLS == (("2.16", "3.11"), ("2.17", "3.11"), ("2.18", "3.11"), ("2.19", "3.11"),
                            ("2.20", "3.12"), ("2.21", "3.13"))
    assert matrix.select_cells("") == list(matrix.CELLS)
    assert matrix.select_cells("2.21, 2.16") == [("2.21", "3.13"), ("2.16", "3.11")]
    with pytest.raises(ValueError, match="unknown cell.*2.15"):
        matrix.select_cells("2.15,2.16")


def test_cache_key_changes_with_requirements_and_spec_only():
    key = matrix.cache_key(b"oci>=2.189.0\n", "ansible-core>=2.16,<2.17 python3.11.7")
    assert key == matrix.cache_key(b"oci>=2.189.0\n", "ansible-core>=2.16,<2.17 python3.11.7")
    assert len(key) == 16
    assert key != matrix.cache_key(b"oci>=2.190.0\n", "ansible-core>=2.16,<2.17 python3.11.7")
    assert key != matrix.cache_key(b"oci>=2.189.0\n", "ansible-core>=2.16,<2.17 python3.11.8")


def test_cache_dir_follows_xdg_cache_home():
    assert matrix.default_cache_dir({"XDG_CACHE_HOME": "/x"}) == "/x/crosscloud-interconnect/matrix"
    assert matrix.default_cache_dir({}) == os.path.join(os.path.expanduser("~"), ".cache",
                                                        "crosscloud-interconnect", "matrix")


def test_table_aligns_columns_under_a_rule():
    lines = matrix.format_table([["cell", "result"], ["core2.16-py3.11", "passed"]])
    assert lines == ["cell             result", "---------------  ------", "core2.16-py3.11  passed"]
