"""Shared fixtures for cloudsim's own tests: one simulator per test session (per xdist worker),
reset before every test, and the real SDK clients pointed at it over HTTPS."""
import pytest

from cloudsim.azure.testing import ArmCaller, make_credential, make_network_client
from cloudsim.server import start
from cloudsim.sim import SimConfig

RESOURCE_GROUP = "rg-cloudsim-test"


@pytest.fixture(scope="session")
def sim_server(tmp_path_factory):
    """The simulator of this session (delays 0, no faults). Tests should use ``running_sim``."""
    running = start(SimConfig(), tmp_path_factory.mktemp("cloudsim"))
    yield running
    running.stop()


@pytest.fixture
def running_sim(sim_server):
    """A :class:`cloudsim.server.RunningSim` with fresh state: no resources, empty request log,
    the start's fault settings and delays (all 0)."""
    sim_server.sim.reset()
    yield sim_server


@pytest.fixture
def sim(running_sim):
    """Short name for ``running_sim``."""
    return running_sim


@pytest.fixture
def oci_config(running_sim):
    """A config dict for ``oci.core.VirtualNetworkClient(config, service_endpoint=url)``."""
    return dict(running_sim.oci_config)


@pytest.fixture(scope="session")
def azure_credential(sim_server):
    return make_credential(sim_server)


@pytest.fixture
def azure_network(running_sim, azure_credential):
    """The real azure-mgmt-network client against the simulator."""
    return make_network_client(running_sim, azure_credential)


@pytest.fixture
def resource_group(running_sim):
    """The name of an existing resource group (japaneast)."""
    running_sim.sim.load_fixture({"azure": {"resourceGroups": {
        RESOURCE_GROUP: {"location": "japaneast"}}}})
    return RESOURCE_GROUP


@pytest.fixture
def arm(running_sim, azure_credential):
    """An :class:`ArmCaller` for raw ARM/Entra calls."""
    return ArmCaller(running_sim, azure_credential)
