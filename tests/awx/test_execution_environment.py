"""execution-environment.yml builds an image holding the collection and its Python and system deps.

``ansible-builder create`` writes the Containerfile and build context without a container engine;
the galaxy stage (collection install) and the assemble stage's dependency discovery (introspect.py
from that same context) are then replayed locally, so the image's content is checked, not just the
definition's syntax.
"""
import json
import re
import sys

import yaml

from .awx_testenv import REPO_ROOT, run_tool

COLLECTION = ("crosscloud", "interconnect")
# ansible-builder drops these from collection requirements: the image provides them itself.
PROVIDED_BY_IMAGE = {"ansible-core", "ansible"}


def requirement_names(lines):
    """Lower-case project names of requirement lines, comments and blank lines ignored."""
    names = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0].lower())
    return names


def pinned_versions(path):
    pins = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("#", 1)[0].strip().split("==")
            pins[name.lower()] = version
    return pins


def installed_collection(ee_collections):
    return ee_collections.joinpath("ansible_collections", *COLLECTION)


def test_create_lays_the_collection_tarball_into_the_context(ee_build_context, ee_definition, galaxy_metadata):
    tarball = "%s-%s-%s.tar.gz" % (galaxy_metadata["namespace"], galaxy_metadata["name"], galaxy_metadata["version"])
    assert ee_definition["additional_build_files"] == [{"src": tarball, "dest": "collections"}], (
        "execution-environment.yml must ship the tarball `ansible-galaxy collection build` writes for galaxy.yml's version")
    assert (ee_build_context / "_build" / "collections" / tarball).is_file()
    requirements = yaml.safe_load((ee_build_context / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "collections/" + tarball, "type": "file"}]}


def test_image_python_and_ansible_match_the_tested_versions(ee_build_context, ee_definition):
    containerfile = (ee_build_context / "Containerfile").read_text()
    pins = pinned_versions(REPO_ROOT / "constraints.txt")
    for key, package in (("ansible_core", "ansible-core"), ("ansible_runner", "ansible-runner")):
        assert ee_definition["dependencies"][key]["package_pip"] == "%s==%s" % (package, pins[package])
    # ansible-core 2.19 refuses to run a controller older than Python 3.11.
    match = re.search(r'^ARG PYCMD="/usr/bin/python3\.(\d+)"$', containerfile, re.MULTILINE)
    assert match and int(match.group(1)) >= 11, "the image must run ansible-core on Python >= 3.11"


def test_galaxy_stage_installs_the_built_collection(ee_collections, galaxy_metadata):
    collection = installed_collection(ee_collections)
    manifest = json.loads((collection / "MANIFEST.json").read_text())["collection_info"]
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy_metadata["namespace"], galaxy_metadata["name"], galaxy_metadata["version"])
    shipped = {entry["name"] for entry in json.loads((collection / "FILES.json").read_text())["files"]}
    assert {"meta/runtime.yml", "meta/execution-environment.yml", "requirements.txt", "bindep.txt"} <= shipped
    assert not any(name.startswith((".venv/", ".build/", ".sim/")) for name in shipped), "build_ignore leaks local state"


def test_collection_metadata_names_its_dependency_files(ee_collections):
    collection = installed_collection(ee_collections)
    metadata = yaml.safe_load((collection / "meta" / "execution-environment.yml").read_text())
    assert metadata["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
    for relative in metadata["dependencies"].values():
        assert (collection / relative).is_file()


def requirement_lines(path):
    """Requirement lines of a requirements file, comments and blank lines dropped."""
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]


def test_assemble_stage_installs_the_collection_dependencies(ee_build_context, ee_collections, tmp_path):
    """introspect.py is what the builder stage runs to collect every collection's requirements."""
    pip_out, bindep_out = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    run_tool([sys.executable, ee_build_context / "_build" / "scripts" / "introspect.py", "introspect", ee_collections,
              "--write-pip", pip_out, "--write-bindep", bindep_out])
    pip_lines, bindep_lines = pip_out.read_text().splitlines(), bindep_out.read_text().splitlines()

    expected_python = requirement_names((REPO_ROOT / "requirements.txt").read_text().splitlines()) - PROVIDED_BY_IMAGE
    assert expected_python, "requirements.txt lists no runtime dependency"
    assert requirement_names(pip_lines) == expected_python
    # The ranges reach the builder as written; the lock (next tests) picks the exact versions.
    assert set(pip_lines) >= {"%s  # from collection crosscloud.interconnect" % line
                              for line in requirement_lines(REPO_ROOT / "requirements.txt")}

    expected_system = requirement_names((REPO_ROOT / "bindep.txt").read_text().splitlines())
    assert requirement_names(bindep_lines) == expected_system


def stage(containerfile, name):
    """The lines of one stage (``FROM ... AS name``) of a Containerfile."""
    match = re.search(r"^FROM \S+ AS %s$(.*?)(?=^FROM |\Z)" % name, containerfile, re.MULTILINE | re.DOTALL)
    assert match, "no %s stage in the Containerfile" % name
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_requirements_are_ranges_whose_lower_bounds_are_the_lock():
    """requirements.txt: what users install; the oldest tested version, which is the lock's, as lower bound."""
    pins = pinned_versions(REPO_ROOT / "constraints.txt")
    lines = requirement_lines(REPO_ROOT / "requirements.txt")
    assert "ansible-core" not in requirement_names(lines), "ansible-core runs the collection; it is no requirement"
    for line in lines:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][^,;\s]*)", line)
        assert match, "%r: a runtime requirement is a lower bound only (add an upper one for a known break)" % line
        assert pins[match.group(1).lower()] == match.group(2), "%s: lower bound is not the lock's version" % line


def test_image_installs_the_python_dependencies_with_the_lock(ee_build_context, ee_collections):
    """The builder stage gets the lock as /tmp/src/upper-constraints.txt, which its assemble script builds
    the wheels with and copies to /output for the final stage's install-from-bindep; the final stage
    also brings the dependencies of ansible-core and ansible-runner (installed in the base stage, before
    any collection) to the lock."""
    containerfile = (ee_build_context / "Containerfile").read_text()
    lock_in_collection = "/usr/share/ansible/collections/ansible_collections/crosscloud/interconnect/constraints.txt"
    builder = stage(containerfile, "builder")
    copy_lock = "COPY --from=galaxy %s /tmp/src/upper-constraints.txt" % lock_in_collection
    assert copy_lock in builder
    assert builder.index(copy_lock) < builder.index("RUN /output/scripts/assemble")

    scripts = ee_build_context / "_build" / "scripts"
    assemble, install = (scripts / "assemble").read_text(), (scripts / "install-from-bindep").read_text()
    assert 'CONSTRAINTS="-c /tmp/src/upper-constraints.txt"' in assemble
    assert "cp /tmp/src/upper-constraints.txt /output/upper-constraints.txt" in assemble
    assert "$PIPCMD install $CONSTRAINTS $PIP_OPTS --cache-dir=/output/wheels -r /tmp/src/requirements.txt" in assemble
    assert 'CONSTRAINTS="-c /output/upper-constraints.txt"' in install
    assert "$PIPCMD install $CONSTRAINTS $PIP_OPTS --cache-dir=/output/wheels -r /output/requirements.txt" in install

    final = stage(containerfile, "final")
    assert final.index("COPY --from=galaxy %s /tmp/constraints.txt" % lock_in_collection) < final.index(
        "RUN $PYCMD -m pip install --no-cache-dir -c /tmp/constraints.txt $ANSIBLE_INSTALL_REFS && rm /tmp/constraints.txt")

    # The file those steps copy is this checkout's lock, shipped in the collection.
    shipped = installed_collection(ee_collections) / "constraints.txt"
    assert shipped.read_text() == (REPO_ROOT / "constraints.txt").read_text()


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_resolves_the_image_dependencies_to_the_tested_versions(ee_build_context, ee_collections, tmp_path):
    """What assemble's pip install resolves, replayed with pip's dry run: every runtime dependency and
    everything they pull in is at the lock's version."""
    pip_out = tmp_path / "requirements.txt"
    run_tool([sys.executable, ee_build_context / "_build" / "scripts" / "introspect.py", "introspect", ee_collections,
              "--write-pip", pip_out, "--write-bindep", tmp_path / "bindep.txt"])
    report = tmp_path / "report.json"
    run_tool([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
              "--disable-pip-version-check", "--report", report, "-c", REPO_ROOT / "constraints.txt", "-r", pip_out],
             timeout=300)
    resolved = {normalized(item["metadata"]["name"]): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    pins = {normalized(name): version for name, version in pinned_versions(REPO_ROOT / "constraints.txt").items()}
    assert {normalized(name) for name in requirement_names(pip_out.read_text().splitlines())} <= set(resolved)
    assert {name: version for name, version in resolved.items() if pins.get(name) != version} == {}
