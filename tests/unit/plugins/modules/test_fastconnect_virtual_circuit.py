# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure decisions of fastconnect_virtual_circuit: what is requested and what differs."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import virtual_circuit_state as circuit_state
from ansible_collections.crosscloud.interconnect.plugins.modules.fastconnect_virtual_circuit import (
    VirtualCircuit,
    changed_fields,
    requested,
)

MAPPINGS = [{"oracle_bgp_peering_ip": "10.255.0.1/30", "customer_bgp_peering_ip": "10.255.0.2/30", "vlan": None},
            {"oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30", "vlan": None}]
CIRCUIT = {
    "id": "ocid1.virtualcircuit.oc1.iad.demo", "display_name": "azure", "lifecycle_state": "PROVISIONED",
    "provider_state": "ACTIVE", "bgp_session_state": "UP", "provider_service_key_name": "key-1",
    "gateway_id": "ocid1.drg.oc1.iad.demo", "bandwidth_shape_name": "1 Gbps", "ip_mtu": "MTU_1500",
    "customer_asn": None, "provider_service_id": "ocid1.providerservice.oc1.iad.azure",
    "cross_connect_mappings": [
        {"oracle_bgp_peering_ip": "10.255.0.5/30", "customer_bgp_peering_ip": "10.255.0.6/30", "vlan": 301,
         "bgp_md5_auth_key": None, "cross_connect_or_cross_connect_group_id": None},
        {"oracle_bgp_peering_ip": "10.255.0.1/30", "customer_bgp_peering_ip": "10.255.0.2/30", "vlan": 301,
         "bgp_md5_auth_key": None, "cross_connect_or_cross_connect_group_id": None}],
}


def params(**overrides):
    base = dict(bandwidth_shape="1 Gbps", cross_connect_mappings=MAPPINGS, service_key="key-1",
                gateway_id="ocid1.drg.oc1.iad.demo", customer_asn=None, ip_mtu=1500)
    base.update(overrides)
    return base


def test_nothing_differs_for_the_same_request_in_another_spelling():
    assert changed_fields(CIRCUIT, requested(params(bandwidth_shape=1))) == {}
    assert changed_fields(CIRCUIT, requested(params(bandwidth_shape=None, cross_connect_mappings=None))) == {}


def test_changed_fields_lists_only_what_differs():
    wanted = requested(params(bandwidth_shape="10Gbps", ip_mtu=9000,
                              cross_connect_mappings=[dict(m, vlan=302) for m in MAPPINGS]))
    changes = changed_fields(CIRCUIT, wanted)
    assert sorted(changes) == ["cross_connect_mappings", "ip_mtu", "mbps"]
    assert changes["mbps"] == 10000 and changes["ip_mtu"] == "MTU_9000"


def test_new_key_and_gateway_are_changes():
    changes = changed_fields(CIRCUIT, requested(params(service_key="key-2", gateway_id="ocid1.drg.oc1.iad.other")))
    assert changes == {"provider_service_key_name": "key-2", "gateway_id": "ocid1.drg.oc1.iad.other"}


@pytest.mark.parametrize("overrides, option", [
    (dict(bandwidth_shape="fast"), "bandwidth_shape"),
    (dict(cross_connect_mappings=[dict(MAPPINGS[0], oracle_bgp_peering_ip="10.255.0.300/30")]),
     "cross_connect_mappings"),
])
def test_requested_names_the_bad_option(overrides, option):
    with pytest.raises(ValueError, match="^%s: " % option):
        requested(params(**overrides))


def test_circuit_state_is_readable_progress():
    assert circuit_state(CIRCUIT) == "PROVISIONED/ACTIVE/UP"
    assert circuit_state(None) == "TERMINATED"


# -- the bandwidth shape comes from the service key ---------------------------------------------------

class FakeModule(object):
    """What VirtualCircuit reads of its module: the options, and an API layer the tests replace."""

    def __init__(self, peering_location=None):
        self.params = dict(peering_location=peering_location)
        self.api = None


class FakeProviders(object):
    """The provider look-ups, answering from fixed data and counting the shape listings."""

    def __init__(self, key):
        self.key = key
        self.shape_listings = 0

    def service_key(self, provider_service_id, service_key):
        return dict(self.key, name=service_key)

    def bandwidth_shapes(self, provider_service_id):
        self.shape_listings += 1
        return [{"name": "1 Gbps", "bandwidth_in_mbps": 1000}, {"name": "10 Gbps", "bandwidth_in_mbps": 10000}]


def circuit_with_key(key, peering_location=None):
    circuit = VirtualCircuit(FakeModule(peering_location))
    circuit.providers = FakeProviders(key)
    return circuit


@pytest.mark.parametrize("mbps", [1000, None])
def test_the_shape_is_the_one_the_agreeing_key_names_without_listing_shapes(mbps):
    circuit = circuit_with_key({"bandwidth_shape_name": "1 Gbps", "peering_location": "Tokyo"}, "tokyo")
    assert circuit.checked_shape("provider", "key", mbps) == "1 Gbps"
    assert circuit.providers.shape_listings == 0


@pytest.mark.parametrize("mbps, message", [
    (10000, "Refusing service key: the key's bandwidth is 1 Gbps, not the requested 10000 Mbps"),
    (3000, "bandwidth_shape: bandwidth shape of 3000 Mbps is not offered; offered: 1 Gbps, 10 Gbps"),
])
def test_a_key_that_disagrees_is_refused_naming_an_offer_the_bandwidth_is_not_in(mbps, message):
    circuit = circuit_with_key({"bandwidth_shape_name": "1 Gbps", "peering_location": "Tokyo"})
    with pytest.raises(InterconnectError) as failed:
        circuit.checked_shape("provider", "key", mbps)
    assert str(failed.value) == message
    assert circuit.providers.shape_listings == 1


def test_a_key_without_bandwidth_needs_one_asked_and_then_disagrees_with_it():
    circuit = circuit_with_key({"bandwidth_shape_name": None, "peering_location": "Tokyo"})
    with pytest.raises(InterconnectError, match="bandwidth_shape is required"):
        circuit.checked_shape("provider", "key", None)
    with pytest.raises(InterconnectError, match="the key's bandwidth is None, not the requested 10000 Mbps"):
        circuit.checked_shape("provider", "key", 10000)


# -- a create planned in check mode before the service key exists --------------------------------------

class CheckRunModule(object):
    """What plan_create reads of its module: options, check mode, and the warnings it gives."""

    def __init__(self, check_mode=True, **options):
        self.check_mode = check_mode
        self.params = dict(compartment_id="ocid1.compartment.oc1..demo", display_name="azure", provider_service_id=None,
                           provider_name="Microsoft Azure", provider_service_name=None, peering_location="Tokyo",
                           service_key=None, gateway_id="ocid1.drg.oc1.iad.demo", cross_connect_mappings=MAPPINGS,
                           bandwidth_shape="1 Gbps", customer_asn=None, ip_mtu=1500)
        self.params.update(options)
        self.api = None
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)


class KeylessProviders(FakeProviders):
    """The provider look-ups of a run without a key: asking about a key is a failure of the test."""

    def __init__(self):
        super(KeylessProviders, self).__init__(key=None)

    def find(self, compartment_id, provider_service_id, provider_name, provider_service_name):
        return {"id": "ocid1.providerservice.oc1.iad.azure"}

    def service_key(self, provider_service_id, service_key):
        raise AssertionError("no key to validate")


def keyless_circuit(**options):
    circuit = VirtualCircuit(CheckRunModule(**options))
    circuit.providers = KeylessProviders()
    circuit.gateways_checked = []
    circuit.check_gateway = circuit.gateways_checked.append
    return circuit


def test_check_mode_plans_a_create_without_the_key_from_the_offered_shape_and_the_drg():
    circuit = keyless_circuit()
    details = circuit.plan_create(requested(circuit.params))
    assert details["bandwidth_shape_name"] == "1 Gbps" and circuit.providers.shape_listings == 1
    assert "provider_service_key_name" not in details
    assert circuit.gateways_checked == ["ocid1.drg.oc1.iad.demo"]
    assert circuit.module.warnings == [
        "Virtual circuit azure is planned without a service key (none was given: a new ExpressRoute circuit has one "
        "only once a real run has created it). A real run needs the key, checks its bandwidth and peering location "
        "against the request first, and refuses a key that disagrees."]


def test_without_a_key_or_a_bandwidth_the_shape_is_left_to_the_key():
    circuit = keyless_circuit(bandwidth_shape=None)
    assert circuit.plan_create(requested(circuit.params))["bandwidth_shape_name"] is None
    assert "checks its bandwidth (which the circuit then takes) and peering location" in circuit.module.warnings[0]


def test_without_a_key_a_bandwidth_the_provider_does_not_offer_is_refused_in_check_mode_too():
    circuit = keyless_circuit(bandwidth_shape="3 Gbps")
    with pytest.raises(InterconnectError, match="bandwidth shape of 3000 Mbps is not offered; offered: 1 Gbps, 10 Gbps"):
        circuit.plan_create(requested(circuit.params))


class UnknownProviders(KeylessProviders):
    """A run given the provider service id: looking the provider up by name is a failure of the test."""

    def find(self, compartment_id, provider_service_id, provider_name, provider_service_name):
        raise AssertionError("the provider service was looked up although its id was given")


def test_a_provider_service_id_given_is_used_without_looking_the_provider_up():
    circuit = keyless_circuit(provider_service_id="ocid1.providerservice.oc1.iad.given")
    circuit.providers = UnknownProviders()
    details = circuit.plan_create(requested(circuit.params))
    assert details["provider_service_id"] == "ocid1.providerservice.oc1.iad.given"
    assert circuit.providers.shape_listings == 1


@pytest.mark.parametrize("service_key", [None, ""])
def test_a_real_run_needs_the_key_to_create(service_key):
    circuit = keyless_circuit(check_mode=False, service_key=service_key)
    with pytest.raises(InterconnectError, match="^service_key is required to create virtual circuit azure$"):
        circuit.plan_create(requested(circuit.params))


# -- a wait split into calls: the first call's write, the next call's wait ------------------------------

class SplitWaitApi(object):
    """The API layer of a wait split into calls: each wait gives the next of ``outcomes`` (a value or an
    exception), and records the first value it was given to judge."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.waits = []

    def wait_for_virtual_circuit(self, circuit_id, wait, first=None):
        self.waits.append(dict(circuit_id=circuit_id, wait_for=wait["wait_for"], first=first))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def split_wait_circuit(api, **options):
    module = CheckRunModule(check_mode=False, service_key="key-1", wait_for=["provisioned"], **options)
    module.api = api
    module.wait_options = dict(wait_for=["provisioned"], wait_timeout=1800, wait_interval=1.0, wait_return_after=20,
                               wait_started=None)
    circuit = VirtualCircuit(module)
    circuit.deleted = []
    circuit.delete = circuit.deleted.append
    return circuit


def test_a_create_whose_wait_goes_on_returns_the_change_and_its_diff_with_the_wait():
    pending = WaitPending(dict(awaiting="virtual circuit vc to be PROVISIONED", state="PROVISIONING/ACTIVE/DOWN",
                               elapsed_seconds=21, timeout_seconds=1800), [])
    circuit = split_wait_circuit(SplitWaitApi(pending))
    circuit.plan_create = lambda wanted: dict(display_name="azure", gateway_id="ocid1.drg.oc1.iad.demo")
    circuit.create = lambda details: dict(CIRCUIT, lifecycle_state="PENDING_PROVIDER")
    with pytest.raises(WaitPending) as raised:
        circuit.ensure_present(None, requested(circuit.params))
    result = raised.value.result
    assert result["changed"] is True and result["waiting"]["state"] == "PROVISIONING/ACTIVE/DOWN"
    assert result["diff"]["before"] == {} and result["diff"]["after"]["display_name"] == "azure"


def test_the_next_call_finds_the_circuit_made_waits_from_it_and_reports_the_change_it_saw_through():
    provisioning = dict(CIRCUIT, lifecycle_state="PROVISIONING")
    history = [{"state": "PROVISIONING/ACTIVE/UP", "after_seconds": 22.0},
               {"state": "PROVISIONED/ACTIVE/UP", "after_seconds": 30.0}]
    api = SplitWaitApi((CIRCUIT, history))
    circuit = split_wait_circuit(api)
    circuit.plan_create = circuit.update = None  # neither a create nor an update may happen
    result = circuit.ensure_present(provisioning, requested(circuit.params))
    assert result["changed"] is True and result["virtual_circuit"] is CIRCUIT
    assert api.waits == [dict(circuit_id=CIRCUIT["id"], wait_for=["provisioned"], first=provisioning)]


def test_a_circuit_found_terminating_is_not_deleted_again_and_its_wait_starts_from_it():
    terminating = dict(CIRCUIT, lifecycle_state="TERMINATING")
    api = SplitWaitApi((None, [{"state": "TERMINATING/ACTIVE/UP", "after_seconds": 0.0},
                               {"state": "TERMINATED", "after_seconds": 4.0}]))
    circuit = split_wait_circuit(api)
    result = circuit.ensure_absent(terminating)
    assert circuit.deleted == [] and result["changed"] is True
    assert api.waits == [dict(circuit_id=CIRCUIT["id"], wait_for=["terminated"], first=terminating)]
