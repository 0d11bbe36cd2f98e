"""cloudsim's layout: no import cycles, neither cloud package imports the other (cloudsim/sim.py
wires the provider link between them), and the clouds have what the interfaces between the rooms
promise. Imports under TYPE_CHECKING and inside functions count too. Run as a script to list the
imports between cloudsim's modules."""
import ast
import inspect
from pathlib import Path
from typing import Dict, List, Set

import pytest

from cloudsim.oci.store import ServingCloud
from cloudsim.provider import ProviderLink, ProviderRoutes
from cloudsim.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cloudsim"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: Set[str]) -> Set[str]:
    """The cloudsim modules that ``name`` imports (``from pkg import sub`` names the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] \
                if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = "%s.%s" % (source, alias.name)
                found.add(submodule if submodule in known else source)
    return {imported for imported in found if imported in known and imported != name}


def import_graph() -> Dict[str, Set[str]]:
    known = modules()
    return {name: imports_of(name, path, set(known)) for name, path in known.items()}


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Cycles found by a depth-first walk (at least one wherever there is one), each as the
    modules along it."""
    found, done = [], set()

    def walk(name: str, trail: List[str]) -> None:
        if name in trail:
            found.append(trail[trail.index(name):] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            walk(imported, trail + [name])
        done.add(name)

    for name in sorted(graph):
        walk(name, [])
    return found


def test_cloudsim_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cloud_packages_do_not_import_each_other():
    crossings = ["%s -> %s" % (name, imported)
                 for name, imported_names in import_graph().items()
                 for imported in imported_names
                 for own, other in (("cloudsim.oci", "cloudsim.azure"),
                                    ("cloudsim.azure", "cloudsim.oci"))
                 if name.startswith(own) and imported.startswith(other)]
    assert crossings == []


def test_the_graph_sees_the_known_imports():
    graph = import_graph()
    assert "cloudsim.oci.store" in graph["cloudsim.oci.fastconnect"]
    # from cloudsim.azure import network: the submodule, not the package
    assert "cloudsim.azure.network" in graph["cloudsim.azure.cloud"]
    assert "cloudsim.provider" in graph["cloudsim.oci.fastconnect"]


@pytest.mark.parametrize("interface, cloud", [(ProviderLink, "azure"), (ServingCloud, "oci"),
                                              (ProviderRoutes, "oci")])
def test_the_clouds_have_what_the_interfaces_promise(interface, cloud):
    implementer = getattr(Simulator(), cloud)
    for name in set(vars(interface)) | set(interface.__annotations__):
        if name.startswith("_"):
            continue
        assert hasattr(implementer, name), name
        promised = vars(interface).get(name)
        if inspect.isfunction(promised):
            assert list(inspect.signature(promised).parameters)[1:] == \
                list(inspect.signature(getattr(implementer, name)).parameters), name


if __name__ == "__main__":
    for module, imported_modules in sorted(import_graph().items()):
        print("%s -> %s" % (module, ", ".join(sorted(imported_modules)) or "-"))
    print("cycles:", cycles(import_graph()) or "none")
