# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired-vs-current logic of expressroute_circuit and the waiter's conditions on circuits, on real summaries."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import circuit_summary, resource_differences
from ansible_collections.crosscloud.interconnect.plugins.modules import expressroute_circuit as mod
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import CIRCUIT, circuit_state

PARAMS = dict(location="West Europe", service_provider_name="Oracle Cloud FastConnect", peering_location="Amsterdam2",
              bandwidth="1Gbps", sku_tier=None, sku_family=None, allow_classic_operations=None, tags=None,
              purge_tags=True)
PROVIDERS = [
    {"name": "Oracle Cloud FastConnect", "properties": {"peeringLocations": ["Amsterdam2", "Washington DC"],
                                                        "bandwidthsOffered": [{"offerName": "2Gbps", "valueInMbps": 2000},
                                                                              {"offerName": "1Gbps", "valueInMbps": 1000}]}},
    {"name": "Equinix", "properties": {"peeringLocations": ["Amsterdam"], "bandwidthsOffered": []}},
]


def existing(bandwidth=1000, family="MeteredData", tier="Standard", location="Amsterdam2", tags=None):
    return {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1",
            "name": "er1", "location": "westeurope", "tags": tags or {},
            "sku": {"name": "%s_%s" % (tier, family), "tier": tier, "family": family},
            "properties": {"serviceProviderProperties": {"serviceProviderName": "Oracle Cloud FastConnect",
                                                         "peeringLocation": location, "bandwidthInMbps": bandwidth},
                           "serviceKey": "key", "serviceProviderProvisioningState": "NotProvisioned",
                           "provisioningState": "Succeeded", "peerings": []}}


def wanted(current=None, **changes):
    return mod.desired_circuit(dict(PARAMS, **changes), current)


def test_an_unchanged_circuit_has_no_differences_despite_case_and_spacing():
    current = existing()
    assert resource_differences(current, wanted(current, peering_location="amsterdam2")) == []


def test_new_circuit_defaults_to_standard_metered():
    body = wanted()
    assert body["sku"] == {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"}
    assert body["location"] == "westeurope" and "tags" not in body


def test_existing_sku_is_kept_when_not_asked():
    current = existing(family="UnlimitedData", tier="Premium")
    assert wanted(current)["sku"]["name"] == "Premium_UnlimitedData"
    assert resource_differences(current, wanted(current)) == []


def test_every_managed_option_is_compared():
    current = existing(tags={"a": "1"})
    assert resource_differences(current, wanted(current, bandwidth="2Gbps")) == [
        "properties.serviceProviderProperties.bandwidthInMbps"]
    assert resource_differences(current, wanted(current, sku_tier="Premium")) == ["sku.name", "sku.tier"]
    assert resource_differences(current, wanted(current, allow_classic_operations=True)) == [
        "properties.allowClassicOperations"]
    assert resource_differences(current, wanted(current, tags={"b": "2"})) == ["tags"]
    assert resource_differences(current, wanted(current, tags={"b": "2"}, purge_tags=False)) == ["tags"]
    assert resource_differences(current, wanted(current, tags={"a": "1"})) == []
    assert resource_differences(current, wanted(current, location="eastus")) == ["location"]


@pytest.mark.parametrize("changes, fragment", [
    (dict(bandwidth="500Mbps"), "bandwidth can only increase"),
    (dict(sku_family="MeteredData"), "UnlimitedData back to MeteredData"),
    (dict(peering_location="Washington DC"), "peering_location cannot change"),
    (dict(service_provider_name="Equinix"), "service_provider_name cannot change"),
])
def test_changes_azure_forbids_are_refused(changes, fragment):
    current = existing(family="UnlimitedData")
    problems = mod.forbidden_changes(current, wanted(current, **changes))
    assert len(problems) == 1 and fragment in problems[0]


def test_allowed_changes_are_not_refused():
    current = existing()
    assert mod.forbidden_changes(current, wanted(current, bandwidth="2Gbps", sku_family="UnlimitedData",
                                                 sku_tier="Premium")) == []


def test_offer_is_checked_against_the_provider_list():
    assert mod.offer_problem(PROVIDERS, "oracle cloud fastconnect", "amsterdam2", 1000) is None
    assert "is not an ExpressRoute provider" in mod.offer_problem(PROVIDERS, "Megaport", "Amsterdam2", 1000)
    location = mod.offer_problem(PROVIDERS, "Oracle Cloud FastConnect", "Tokyo", 1000)
    assert "peering_location 'Tokyo'" in location and "Amsterdam2, Washington DC" in location
    bandwidth = mod.offer_problem(PROVIDERS, "Oracle Cloud FastConnect", "Amsterdam2", 5000)
    assert "5000 Mbps is not offered" in bandwidth and "1000 Mbps, 2000 Mbps" in bandwidth


def test_diff_settings_never_show_the_service_key():
    settings = mod.settings_of(existing())
    assert "service_key" not in settings and settings["bandwidth_in_mbps"] == 1000


def summary(provider_state="NotProvisioned", peering_state=None, provisioning="Succeeded"):
    circuit = existing()
    circuit["properties"]["serviceProviderProvisioningState"] = provider_state
    circuit["properties"]["provisioningState"] = provisioning
    if peering_state:
        circuit["properties"]["peerings"] = [{"name": "AzurePrivatePeering",
                                              "properties": {"provisioningState": peering_state}}]
    return circuit_summary(circuit)


CIRCUIT_CONDITIONS = CIRCUIT.conditions


def holds(summary_, *conditions):
    """Whether every one of ``conditions`` (names of the waiter's table) holds for a circuit summary."""
    return all(CIRCUIT_CONDITIONS[name].holds(summary_) for name in conditions)


def test_wait_conditions_must_all_hold():
    wait_for = ("provider_provisioned", "private_peering_present")
    assert not holds(summary("Provisioned"), *wait_for)
    assert not holds(summary("Provisioning", "Succeeded"), *wait_for)
    assert not holds(summary("Provisioned", "Updating"), *wait_for)
    assert holds(summary("Provisioned", "Succeeded"), *wait_for)
    teardown = ("provider_not_provisioned", "private_peering_absent")
    assert holds(summary(), *teardown)
    assert not holds(summary("NotProvisioned", "Succeeded"), *teardown)
    assert not holds(None, *teardown)


def test_wait_states_are_printable_and_failures_stop_the_wait():
    assert circuit_state(summary("Provisioned", "Succeeded")) == \
        "provider=Provisioned peering=Succeeded provisioning=Succeeded"
    assert circuit_state(None) == "absent"
    cannot_happen = CIRCUIT_CONDITIONS["provider_provisioned"].cannot_hold
    assert cannot_happen(None) and cannot_happen(summary(provisioning="Failed"))
    assert not cannot_happen(summary())
