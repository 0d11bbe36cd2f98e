# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan verification of expressroute_peering and the gateway checks of expressroute_gateway_connection."""

from types import SimpleNamespace

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import settled
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.modules import expressroute_gateway_connection as conn
from ansible_collections.crosscloud.interconnect.plugins.modules import expressroute_peering as peering

PLAN = dict(peer_asn=31898, primary_peer_address_prefix="10.255.0.0/30",
            secondary_peer_address_prefix="10.255.0.4/30", vlan_id=None)


def provider_made(**overrides):
    properties = dict(peeringType="AzurePrivatePeering", state="Enabled", peerASN=31898, vlanId=412,
                      primaryPeerAddressPrefix="10.255.0.0/30", secondaryPeerAddressPrefix="10.255.0.4/30",
                      provisioningState="Succeeded", azureASN=12076)
    properties.update(overrides)
    return {"name": "AzurePrivatePeering", "properties": properties}


def test_provider_made_peering_matching_the_plan_has_no_mismatch_whatever_its_vlan():
    assert peering.peering_mismatches(provider_made(), peering.desired_peering(PLAN)) == []


def test_mismatches_name_the_option_and_both_values():
    current = provider_made(primaryPeerAddressPrefix="10.9.0.0/30", vlanId=5)
    found = peering.peering_mismatches(current, peering.desired_peering(dict(PLAN, vlan_id=100)))
    assert found == [dict(option="primary_peer_address_prefix", current="10.9.0.0/30", wanted="10.255.0.0/30"),
                     dict(option="vlan_id", current=5, wanted=100)]
    assert "primary_peer_address_prefix is '10.9.0.0/30', the plan says '10.255.0.0/30'" in peering.describe(found)


def test_disabled_peering_is_a_mismatch():
    found = peering.peering_mismatches(provider_made(state="Disabled"), peering.desired_peering(PLAN))
    assert [item["option"] for item in found] == ["state"]


def test_the_returned_circuit_carries_the_peering_as_the_module_left_it():
    microsoft = {"name": "MicrosoftPeering", "properties": {"peeringType": "MicrosoftPeering"}}
    circuit = {"name": "er", "properties": {"serviceKey": "secret-key", "serviceProviderProvisioningState": "Provisioned",
                                            "peerings": [microsoft, provider_made(vlanId=412)]}}
    updated = peering.circuit_with(circuit, provider_made(vlanId=300))
    assert [item["vlan_id"] for item in updated["peerings"] if item["name"] == "AzurePrivatePeering"] == [300]
    assert [item["name"] for item in updated["peerings"]] == ["MicrosoftPeering", "AzurePrivatePeering"]
    assert updated["service_provider_provisioning_state"] == "Provisioned"
    assert "service_key" not in updated
    assert [item["name"] for item in peering.circuit_with(circuit, None)["peerings"]] == ["MicrosoftPeering"]
    assert circuit["properties"]["peerings"][1]["properties"]["vlanId"] == 412, "the circuit read is not changed"


def gateway(gateway_type="ExpressRoute", sku="ErGw1AZ"):
    return {"name": "gw", "location": "westeurope", "properties": {"gatewayType": gateway_type, "sku": {"name": sku}}}


# The ExpressRoute gateway SKUs Azure documents, written out: the test must not read the module's list.
@pytest.mark.parametrize("sku", ["Standard", "HighPerformance", "UltraPerformance", "ErGw1AZ", "ErGw2AZ",
                                 "ErGw3AZ", "ErGwScale"])
def test_every_expressroute_sku_is_accepted(sku):
    assert conn.gateway_problem(gateway(sku=sku), fastpath=False) is None


def test_gateway_of_the_wrong_type_or_sku_is_refused():
    assert "is of type Vpn" in conn.gateway_problem(gateway("Vpn", "VpnGw1"), fastpath=False)
    assert "has SKU Basic" in conn.gateway_problem(gateway(sku="Basic"), fastpath=False)


@pytest.mark.parametrize("sku, allowed", [("UltraPerformance", True), ("ErGw3AZ", True), ("ergw3az", True),
                                          ("ErGw1AZ", False), ("HighPerformance", False), ("ErGwScale", False)])
def test_fastpath_only_on_its_gateway_skus(sku, allowed):
    problem = conn.gateway_problem(gateway(sku=sku), fastpath=True)
    assert (problem is None) is allowed
    if not allowed:
        assert "FastPath" in problem


GW = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw"
ER = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1"
CONN_PARAMS = dict(routing_weight=0, express_route_gateway_bypass=False, tags=None, purge_tags=True)


def existing_connection(**properties):
    body = dict(connectionType="ExpressRoute", virtualNetworkGateway1={"id": GW.lower(), "properties": {}},
                peer={"id": ER}, routingWeight=0, expressRouteGatewayBypass=False, provisioningState="Succeeded")
    body.update(properties)
    return {"name": "c", "location": "westeurope", "properties": body}


def test_connection_differences_cover_weight_and_fastpath_and_ignore_id_case():
    from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import resource_differences
    current = existing_connection()
    assert resource_differences(current, conn.desired_connection(CONN_PARAMS, GW, ER, current)) == []
    assert resource_differences(current, conn.desired_connection(dict(CONN_PARAMS, routing_weight=10), GW, ER,
                                                                 current)) == ["properties.routingWeight"]
    assert resource_differences(current, conn.desired_connection(dict(CONN_PARAMS, express_route_gateway_bypass=True),
                                                                 GW, ER, current)) == ["properties.expressRouteGatewayBypass"]


def test_connection_endpoints_cannot_be_repointed():
    current = existing_connection()
    assert conn.endpoint_changes(current, GW, ER) == []
    problems = conn.endpoint_changes(current, GW, ER.replace("er1", "er2"))
    assert len(problems) == 1 and problems[0].startswith("circuit cannot change")


# -- a create Azure refused ------------------------------------------------------------------------

class Failed(Exception):
    pass


class FakeModule(object):
    """What the explainer reads of its module: the wait options, and an API layer the tests replace."""

    def __init__(self, wait_timeout=0):
        self.wait_options = dict(wait_for=["provider_provisioned", "succeeded"], wait_timeout=wait_timeout,
                                 wait_interval=1.0)
        self.api = None

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


GATEWAY_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/ergw"
CIRCUIT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er"


@pytest.fixture
def endpoints(monkeypatch):
    """Stands in for the gateway read and the circuit wait; records what the explainer asked for."""
    # The waiter's own state text of a circuit (waiter.circuit_state).
    seen = dict(gateway_reads=0, waits=[], history=[
        {"state": "provider=Provisioned peering=Succeeded provisioning=Succeeded", "after_seconds": 0.0}])

    def read_gateway(module, gateway_id):
        seen["gateway_reads"] += 1
        return gateway()

    def wait_for_provisioned_circuit(api, resource_group, name, wait):
        seen["waits"].append((resource_group, name, wait["wait_timeout"]))
        return {}, seen["history"]

    monkeypatch.setattr(conn, "read_gateway", read_gateway)
    monkeypatch.setattr(conn, "wait_for_provisioned_circuit", wait_for_provisioned_circuit)
    return seen


def test_a_circuit_provisioned_all_along_leaves_the_refusal_to_azure(endpoints):
    explain = conn.RefusalExplainer(FakeModule(60), GATEWAY_ID, CIRCUIT_ID)
    assert explain(error=None) is False
    assert endpoints["gateway_reads"] == 1 and endpoints["waits"] == [("rg", "er", 60)]
    assert explain.circuit_wait_history is None


def test_a_circuit_provisioned_while_waiting_sends_the_create_again(endpoints):
    endpoints["history"] = [{"state": "provider=Provisioning peering=absent provisioning=Succeeded", "after_seconds": 0.0},
                            {"state": "provider=Provisioned peering=Succeeded provisioning=Succeeded", "after_seconds": 3.0}]
    explain = conn.RefusalExplainer(FakeModule(60), GATEWAY_ID, CIRCUIT_ID, gateway_checked=True)
    assert explain(error=None) is True
    assert endpoints["gateway_reads"] == 0
    assert explain.circuit_wait_history == endpoints["history"]


# -- a peering to create: refused, or in check mode reported with a warning ---------------------------

class PeeringModule(object):
    """What refuse_create reads of its module: the options and check mode; it keeps the warnings."""

    def __init__(self, check_mode, vlan_id=None, wait_for=("provider_provisioned", "succeeded")):
        self.check_mode = check_mode
        self.params = dict(circuit_name="er", vlan_id=vlan_id, wait_for=list(wait_for))
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)


def circuit(provider_state):
    return {"name": "er", "properties": {"serviceProviderProvisioningState": provider_state, "peerings": []}}


@pytest.mark.parametrize("found", [None, circuit("NotProvisioned")])
def test_check_mode_reports_the_peering_the_provider_would_make_with_a_warning(found):
    module = PeeringModule(check_mode=True)
    peering.refuse_create(module, found)
    assert len(module.warnings) == 1
    assert "the provider usually creates the private peering as it provisions the circuit" in module.warnings[0]
    assert "creating one itself would need vlan_id" in module.warnings[0]


def test_check_mode_warns_that_azure_wants_a_provisioned_circuit_for_a_peering_of_its_own():
    module = PeeringModule(check_mode=True, vlan_id=300, wait_for=["succeeded"])
    peering.refuse_create(module, circuit("NotProvisioned"))
    assert module.warnings == [
        "Circuit er is NotProvisioned. A real run fails unless its provider has provisioned it by then "
        "(wait_for: provider_provisioned would wait for that): Azure accepts a private peering only on a "
        "provisioned circuit."]


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_provisioned_circuit_without_a_peering_needs_a_vlan_to_create_one(check_mode):
    with pytest.raises(InterconnectError, match="^Circuit er has no private peering; creating it needs vlan_id$"):
        peering.refuse_create(PeeringModule(check_mode), circuit("Provisioned"))
    module = PeeringModule(check_mode, vlan_id=300)
    peering.refuse_create(module, circuit("Provisioned"))
    assert module.warnings == []


def test_a_real_run_refuses_a_peering_on_a_circuit_not_provisioned():
    with pytest.raises(InterconnectError, match="its provider state is NotProvisioned"):
        peering.refuse_create(PeeringModule(False, vlan_id=300), circuit("NotProvisioned"))


def test_without_a_circuit_yet_the_peering_has_no_circuit_to_return():
    assert peering.circuit_with(None, provider_made()) == {}


def test_the_diff_leaves_out_the_vlan_the_provider_will_choose():
    assert "vlan_id" not in peering.settings_of(peering.desired_peering(PLAN))
    assert peering.settings_of(peering.desired_peering(dict(PLAN, vlan_id=300)))["vlan_id"] == 300


# -- a peering an earlier call (or an interrupted run) is still writing ---------------------------------

class SettlingModule(object):
    """What settle_peering uses: the options, its settle (the real one of the module base) and circuit reads."""
    check_mode = False

    def __init__(self, *reads):
        self.params = dict(circuit_name="er", resource_group="rg")
        self.wait_options = dict(wait_for=["succeeded"], wait_timeout=60, wait_interval=0.001)
        self.reads = list(reads)
        self.api = self
        self.client = SimpleNamespace(express_route_circuits=SimpleNamespace(get=None))

    def get_or_none(self, action, operation, *args):
        return self.reads.pop(0)

    def settle(self, current, read, subject):
        return settled(self, current, read, subject, self.wait_options, self.check_mode)[:2]


def circuit_with_peering(state):
    return {"name": "er", "properties": {"serviceProviderProvisioningState": "Provisioned",
                                         "peerings": [provider_made(provisioningState=state)]}}


def test_a_peering_still_updating_is_judged_once_azure_has_finished_it():
    done = circuit_with_peering("Succeeded")
    module = SettlingModule(circuit_with_peering("Updating"), done)
    found, current, history = peering.settle_peering(module, circuit_with_peering("Updating"))
    assert found is done and current["properties"]["provisioningState"] == "Succeeded"
    assert [entry["state"] for entry in history] == ["Updating", "Succeeded"]
    assert peering.with_history(history, dict(changed=False))["changed"] is True


def test_a_settled_peering_costs_no_read():
    module = SettlingModule()
    found, current, history = peering.settle_peering(module, circuit_with_peering("Succeeded"))
    assert history == [] and current["properties"]["provisioningState"] == "Succeeded"
