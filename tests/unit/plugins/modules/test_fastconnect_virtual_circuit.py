# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure decisions of fastconnect_virtual_circuit: what is requested and what differs."""

import pytest

from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import virtual_circuit_state as circuit_state
from ansible_collections.crosscloud.interconnect.plugins.modules.fastconnect_virtual_circuit import (
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
