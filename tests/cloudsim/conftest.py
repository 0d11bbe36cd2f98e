"""Shared fixtures for cloudsim's own tests: one simulator per test session (per xdist worker),
reset before every test, and the real SDK clients pointed at it over HTTPS."""
import pytest
from azure.identity import ClientSecretCredential
from azure.mgmt.network import NetworkManagementClient

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


def make_credential(running, secret=None):
    config = running.sim.config
    return ClientSecretCredential(
        config.azure_tenant_id, config.azure_client_id,
        config.azure_client_secret if secret is None else secret,
        authority=running.url, disable_instance_discovery=True,
        connection_verify=str(running.ca_bundle))


def make_network_client(running, credential=None, **kwargs):
    """NetworkManagementClient as the collection's modules build it, with quick polls/retries."""
    options = dict(base_url=running.url, credential_scopes=[running.url + "/.default"],
                   polling_interval=0.01, connection_verify=str(running.ca_bundle),
                   retry_total=3, retry_backoff_factor=0.01, retry_backoff_max=0.1)
    options.update(kwargs)
    return NetworkManagementClient(credential or make_credential(running),
                                   running.sim.config.azure_subscription_id, **options)


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
    running_sim.sim.azure.put_group(RESOURCE_GROUP, "japaneast", {})
    return RESOURCE_GROUP


class ArmCaller:
    """Raw HTTPS calls to the simulator, for what the SDK hides (status codes, headers, bodies)."""

    def __init__(self, running, credential):
        import requests  # the SDKs' own transport; imported here to keep the fixtures light

        self.running = running
        self.session = requests.Session()
        self.session.verify = str(running.ca_bundle)
        self.session.trust_env = False
        self._credential = credential

    def bearer(self):
        token = self._credential.get_token(self.running.url + "/.default").token
        return {"Authorization": "Bearer " + token}

    def subscription_path(self, path=""):
        return "/subscriptions/%s%s" % (self.running.sim.config.azure_subscription_id, path)

    def request(self, method, path, auth=True, api_version="2024-05-01", **kwargs):
        headers = dict(self.bearer() if auth else {}, **kwargs.pop("headers", {}))
        params = kwargs.pop("params", {})
        if api_version:
            params.setdefault("api-version", api_version)
        return self.session.request(method, self.running.url + path, headers=headers,
                                    params=params, timeout=10, **kwargs)


@pytest.fixture
def arm(running_sim, azure_credential):
    """An :class:`ArmCaller` for raw ARM/Entra calls."""
    return ArmCaller(running_sim, azure_credential)
