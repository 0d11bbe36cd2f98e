#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fastconnect_virtual_circuit
short_description: Manage an OCI FastConnect private virtual circuit to a provider such as Microsoft Azure
version_added: 1.0.0
description:
  - Create, update or delete a private FastConnect virtual circuit, found by O(display_name) in a compartment.
  - Never creates a duplicate; fails when two live circuits carry the name.
  - Before creating, validates the provider service key and refuses one whose bandwidth or peering
    location disagrees with the request; the circuit gets the bandwidth shape the key names.
  - OCI itself refuses a create whose DRG (O(gateway_id)) it cannot see, so a create does not read the DRG
    first; when OCI refuses it, and in check mode (which creates nothing), the module reads the DRG to say
    whether it is the cause.
  - In check mode a create without O(service_key) is planned from the other options - the provider service is
    found, the bandwidth checked against its offered shapes (left to the key when O(bandwidth_shape) is not set)
    and the DRG read - with a warning that a real run still validates the key, which may disagree.
  - Waits through C(PENDING_PROVIDER) until C(PROVISIONED) (and optionally BGP C(UP)), returning the
    state history with elapsed seconds; O(state=absent) waits until C(TERMINATED).
  - Updates use the resource's etag (C(if-match)).
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  state:
    description: Whether the circuit should exist.
    type: str
    choices: [present, absent]
    default: present
  compartment_id:
    description: OCID of the compartment holding the circuit.
    type: str
    required: true
  display_name:
    description:
      - Name of the circuit; the key it is found by, so it is never changed.
    type: str
    required: true
    aliases: [name]
  provider_service_id:
    description:
      - OCID of the FastConnect provider service. When not set, it is looked up by O(provider_name).
      - The provider of an existing circuit cannot change.
    type: str
  provider_name:
    description: Provider name to look the provider service up by (case-insensitive).
    type: str
    default: Microsoft Azure
  provider_service_name:
    description: Provider service name, when the provider offers several private services.
    type: str
  service_key:
    description:
      - The provider service key (for Azure the ExpressRoute circuit's C(serviceKey)).
      - Required to create the circuit. An existing circuit keeps its key when this is not set.
      - In check mode a create is planned without it, with a warning, when it is not known yet (a new ExpressRoute
        circuit has its key only once a real run has created it); see the description.
    type: str
    aliases: [provider_service_key_name]
  gateway_id:
    description:
      - OCID of the dynamic routing gateway (DRG) the circuit attaches to.
      - Required with O(state=present).
    type: str
    aliases: [drg_id]
  bandwidth_shape:
    description:
      - Bandwidth, as a shape name such as V(1 Gbps) or a number of Gbps such as V(10).
      - Defaults to the bandwidth of the service key on create; must be one the provider offers.
    type: raw
    aliases: [bandwidth_shape_name]
  peering_location:
    description:
      - Expected peering location of the service key (for example C(Washington DC)); creating fails
        when the key's location differs.
    type: str
  cross_connect_mappings:
    description:
      - BGP peering addresses, one entry per session (primary, secondary), from the address plan.
      - Required to create; compared in any order on the fields given.
    type: list
    elements: dict
    suboptions:
      oracle_bgp_peering_ip:
        description: Oracle's address with prefix, for example C(10.255.0.1/30).
        type: str
        required: true
        aliases: [oracle_ip]
      customer_bgp_peering_ip:
        description: The other side's (Azure's) address with prefix, for example C(10.255.0.2/30).
        type: str
        required: true
        aliases: [customer_ip]
      vlan:
        description: VLAN; providers such as Azure pick it, so leave it unset for them.
        type: int
  customer_asn:
    description:
      - The customer BGP ASN. Azure manages BGP as the provider (ASN 12076), so leave it unset for Azure.
    type: int
  ip_mtu:
    description: IP MTU of the circuit.
    type: int
    choices: [1500, 9000]
    default: 1500
  wait_for:
    description:
      - What to wait for after a create or update with O(state=present); an empty list returns after the API call.
      - V(provisioned) waits for lifecycle C(PROVISIONED); V(bgp_up) for C(PROVISIONED) with the BGP session
        C(UP) (which needs the Azure private peering).
      - With O(state=absent) a non-empty list waits for C(TERMINATED).
      - After an update of the bandwidth, DRG or MTU of a C(PROVISIONED) circuit whose BGP session was C(UP), a
        non-empty list also waits for the session to be C(UP) again, since OCI re-provisions the circuit and takes
        the session down meanwhile. (A change of the BGP addresses or ASN brings the session back only once the
        other side follows, so it is not awaited.)
    type: list
    elements: str
    choices: [bgp_up, provisioned]
    default: [provisioned]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.attributes
"""

EXAMPLES = r"""
- name: Connect the DRG to an Azure ExpressRoute circuit
  crosscloud.interconnect.fastconnect_virtual_circuit:
    compartment_id: "{{ compartment_ocid }}"
    display_name: azure-interconnect
    service_key: "{{ expressroute.circuit.service_key }}"
    gateway_id: "{{ drg_ocid }}"
    bandwidth_shape: 1 Gbps
    peering_location: Washington DC
    cross_connect_mappings:
      - oracle_bgp_peering_ip: 10.255.0.1/30
        customer_bgp_peering_ip: 10.255.0.2/30
      - oracle_bgp_peering_ip: 10.255.0.5/30
        customer_bgp_peering_ip: 10.255.0.6/30
    wait_for: provisioned
  register: fastconnect

- name: Remove it
  crosscloud.interconnect.fastconnect_virtual_circuit:
    compartment_id: "{{ compartment_ocid }}"
    display_name: azure-interconnect
    state: absent
"""

RETURN = r"""
virtual_circuit:
  description: The circuit as the API returns it (snake_case); empty when absent.
  returned: always
  type: dict
  sample:
    id: ocid1.virtualcircuit.oc1.iad.example
    display_name: azure-interconnect
    lifecycle_state: PROVISIONED
    provider_state: ACTIVE
    bgp_session_state: UP
    bandwidth_shape_name: 1 Gbps
    bgp_management: PROVIDER_MANAGED
    cross_connect_mappings:
      - customer_bgp_peering_ip: 10.255.0.2/30
        oracle_bgp_peering_ip: 10.255.0.1/30
        vlan: 100
wait_history:
  description: Each distinct state seen while waiting, with the seconds elapsed when first seen.
  returned: when the module waited
  type: list
  elements: dict
  sample:
    - state: PENDING_PROVIDER/INACTIVE/DOWN
      after_seconds: 0.0
    - state: PROVISIONED/ACTIVE/UP
      after_seconds: 42.3
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, bandwidth_mbps, diff_result
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    changed_fields,
    normalize_mapping,
    same_bandwidth,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    EtagReader,
    FastConnectProviders,
    OCIModule,
    select_bandwidth_shape,
    service_key_disagreements,
    to_model,
    to_plain,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import WaitPending, state_moved

# The network-related fields of UpdateVirtualCircuitDetails this module sets that leave the BGP peers as they
# are (bandwidth, DRG, MTU): after OCI re-provisions the circuit, its session comes back by itself. A change of
# BGP addresses or ASN brings it back only once the other side follows (the private peering, a later step).
SESSION_KEEPING_FIELDS = ("bandwidth_shape_name", "gateway_id", "ip_mtu")
BGP_PEER_FIELDS = ("cross_connect_mappings", "customer_asn")

SUMMARY_FIELDS = ("display_name", "provider_service_id", "provider_service_key_name", "gateway_id",
                  "bandwidth_shape_name", "customer_asn", "ip_mtu")


def summary(circuit):
    """The fields this module manages, for the diff."""
    if not circuit:
        return {}
    # (A create planned in check mode without a service key has no key field: the diff shows none.)
    fields = dict((field, circuit.get(field)) for field in SUMMARY_FIELDS if field in circuit)
    fields["cross_connect_mappings"] = [normalize_mapping(m) for m in circuit.get("cross_connect_mappings") or []]
    return fields


def requested(params):
    """The managed fields as the request states them (None = not requested); ValueError names the option."""
    bandwidth = params["bandwidth_shape"]
    try:
        mbps = bandwidth_mbps(bandwidth) if bandwidth not in (None, "") else None
    except ValueError as err:
        raise ValueError("bandwidth_shape: %s" % err)
    mappings = params["cross_connect_mappings"]
    try:
        mappings = [normalize_mapping(m) for m in mappings] if mappings is not None else None
    except ValueError as err:
        raise ValueError("cross_connect_mappings: %s" % err)
    return dict(
        mbps=mbps,
        provider_service_key_name=params["service_key"] or None,
        gateway_id=params["gateway_id"],
        cross_connect_mappings=mappings,
        customer_asn=params["customer_asn"],
        ip_mtu="MTU_%d" % params["ip_mtu"],
    )


class VirtualCircuit(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = None
        self.providers = FastConnectProviders(module.api)

    def find(self):
        """The live circuit with the display name (dict) or None; fails on duplicates."""
        self.client = self.module.api.client
        return self.module.api.find_virtual_circuit(self.params["compartment_id"], self.params["display_name"])

    def checked_shape(self, provider_service_id, service_key, mbps=None):
        """The bandwidth shape name to use: the key's, when the key agrees with the request (``mbps``).

        The provider names the key's bandwidth with one of its own shapes, so the offered shapes are
        listed only to say that a bandwidth the key disagrees with is not offered at all."""
        key = self.providers.service_key(provider_service_id, service_key)
        problems = service_key_disagreements(key, mbps, self.params["peering_location"])
        if problems:
            if mbps is not None and not same_bandwidth(key.get("bandwidth_shape_name"), mbps):
                self.select_shape(self.providers.bandwidth_shapes(provider_service_id), mbps)
            key.pop("name", None)
            raise InterconnectError("Refusing service key: %s" % "; ".join(problems), service_key_details=key)
        if not key.get("bandwidth_shape_name"):  # (with a bandwidth asked, such a key disagrees above)
            raise InterconnectError("bandwidth_shape is required: the provider's service key carries no bandwidth")
        return key["bandwidth_shape_name"]

    def select_shape(self, shapes, mbps):
        try:
            return select_bandwidth_shape(shapes, mbps)["name"]
        except ValueError as err:
            raise InterconnectError("bandwidth_shape: %s" % err)

    def check_gateway(self, gateway_id):
        self.module.api.get_or_fail("read DRG %s" % gateway_id,
                                    "gateway_id: DRG %s not found (or not authorised)" % gateway_id,
                                    self.client.get_drg, gateway_id)

    def plan_create(self, wanted):
        """CreateVirtualCircuitDetails fields for a new circuit, after validating every reference.

        In check mode the service key may not exist yet (see plan_without_key); the details then lack it.
        """
        params = self.params
        key = wanted["provider_service_key_name"]
        for option in (() if self.module.check_mode else ("service_key",)) + ("gateway_id", "cross_connect_mappings"):
            if not params[option]:
                raise InterconnectError("%s is required to create virtual circuit %s" % (option, params["display_name"]))
        # A provider service id given is not read: the key's look-up below is made under it, and OCI answers
        # 404 for a service it does not know as for a key the service does not know.
        provider_id = params["provider_service_id"] or self.providers.find(
            params["compartment_id"], None, params["provider_name"], params["provider_service_name"])["id"]
        if key:
            shape_name = self.checked_shape(provider_id, key, wanted["mbps"])
        else:
            shape_name = self.plan_without_key(provider_id, wanted["mbps"])
        if self.module.check_mode:
            # A real run leaves the DRG to OCI's create, reading it only to explain a refusal.
            self.check_gateway(wanted["gateway_id"])
        details = dict(
            type="PRIVATE", compartment_id=params["compartment_id"], display_name=params["display_name"],
            provider_service_id=provider_id, gateway_id=wanted["gateway_id"], bandwidth_shape_name=shape_name,
            cross_connect_mappings=wanted["cross_connect_mappings"], ip_mtu=wanted["ip_mtu"],
        )
        if key:
            details["provider_service_key_name"] = key
        if wanted["customer_asn"] is not None:
            details["customer_asn"] = wanted["customer_asn"]
        return details

    def plan_without_key(self, provider_service_id, mbps):
        """The bandwidth shape of a create planned in check mode without a service key (None: the key's).

        The key is the ExpressRoute circuit's, which a check run does not create: the create is planned
        from the options, the bandwidth checked against the provider's offer instead of the key, with a
        warning that a real run still checks (and may refuse) the key.
        """
        shape_name = self.select_shape(self.providers.bandwidth_shapes(provider_service_id), mbps) if mbps else None
        self.module.warn(
            "Virtual circuit %s is planned without a service key (none was given: a new ExpressRoute circuit has one "
            "only once a real run has created it). A real run needs the key, checks its bandwidth%s and peering "
            "location against the request first, and refuses a key that disagrees." % (
                self.params["display_name"], "" if mbps else " (which the circuit then takes)"))
        return shape_name

    def plan_update(self, current, changes):
        """UpdateVirtualCircuitDetails fields for ``changes``, validating new references."""
        provider_id = current["provider_service_id"]
        if self.params["provider_service_id"] and self.params["provider_service_id"] != provider_id:
            raise InterconnectError("provider_service_id: virtual circuit %s uses provider service %s; the "
                                    "provider cannot change (delete the circuit first)" % (current["id"], provider_id))
        details = dict((field, value) for field, value in changes.items() if field != "mbps")
        if "mbps" in changes or "provider_service_key_name" in changes:
            key = self.params["service_key"] or current["provider_service_key_name"]
            mbps = changes.get("mbps") or bandwidth_mbps(current["bandwidth_shape_name"])
            shape_name = self.checked_shape(provider_id, key, mbps)
            if "mbps" in changes:
                details["bandwidth_shape_name"] = shape_name
        if "gateway_id" in changes:
            self.check_gateway(changes["gateway_id"])
        return details

    def create(self, details):
        from oci.core.models import CreateVirtualCircuitDetails

        return to_plain(self.module.api.call(
            "create virtual circuit %s" % details["display_name"], self.client.create_virtual_circuit,
            to_model(CreateVirtualCircuitDetails, details), opc_retry_token=self.module.api.retry_token,
            on_refusal=lambda error: self.check_gateway(details["gateway_id"])))

    def update(self, circuit_id, wanted, changes, details):
        """PUT what the circuit lacks under if-match; returns the circuit as it is now.

        The update is computed from the circuit read just before the PUT: ``details`` (planned for
        ``changes``) when that read still lacks the same fields. After a 412 another writer got in
        first, so the circuit is read again and the update recomputed from it: each field is
        replaced whole, so a field the other writer already set as requested is not sent, one it
        moved away from the request is sent too, and nothing is written when nothing is lacking.
        """
        from oci.core.models import UpdateVirtualCircuitDetails

        def write(current, etag):
            lacking = changed_fields(current, wanted)
            if not lacking:
                return None
            update = details if lacking == changes else self.plan_update(current, lacking)
            return self.client.update_virtual_circuit(
                circuit_id, to_model(UpdateVirtualCircuitDetails, update), if_match=etag).data

        reader = EtagReader(self.module.api, "read virtual circuit %s" % circuit_id, self.client.get_virtual_circuit,
                            circuit_id)
        updated = self.module.api.write_under_etag("update virtual circuit %s" % circuit_id, reader, write)
        return to_plain(updated) if updated is not None else reader.latest[0]

    def delete(self, circuit_id):
        self.module.api.call("delete virtual circuit %s" % circuit_id, self.client.delete_virtual_circuit,
                             circuit_id, tolerate=(404,))

    def wait(self, circuit_id, conditions, result, first=None):
        """Poll (starting from ``first`` when already read) until ``conditions``; return (circuit, history).
        ``result`` is what the call did before: a wait that goes on in a later call returns it with the wait.
        A circuit whose state moved meanwhile was changed, by this call or an earlier one of the same wait."""
        wait = dict(self.module.wait_options, wait_for=conditions)
        try:
            circuit, history = self.module.api.wait_for_virtual_circuit(circuit_id, wait, first=first)
        except WaitPending as pending:
            raise pending.carrying(changed=result["changed"] or pending.result["changed"], diff=result["diff"])
        result["changed"] = result["changed"] or state_moved(history)
        return circuit, history

    def conditions_after_update(self, current, details):
        """What to wait for after updating ``current`` with ``details``. Oracle's UpdateVirtualCircuit
        reference: a network-related change to a PROVISIONED circuit switches it to PROVISIONING and takes its
        BGP session down until Oracle re-provisions it, "make sure you confirm that the associated BGP session is
        back up": a session that was up is awaited up again, unless the change moves the BGP peers themselves."""
        conditions = list(self.params["wait_for"])
        changing = set(details)
        reprovisioned = current.get("lifecycle_state") == "PROVISIONED" and changing & set(SESSION_KEEPING_FIELDS) \
            and not changing & set(BGP_PEER_FIELDS)
        if conditions and reprovisioned and current.get("bgp_session_state") == "UP" and "bgp_up" not in conditions:
            conditions.append("bgp_up")
        return conditions

    def ensure_present(self, current, wanted):
        header = "virtual circuit %s" % self.params["display_name"]
        if current is not None and current.get("lifecycle_state") == "FAILED":
            # OCI's VirtualCircuit lifecycle has no way back from FAILED: an update would wait into the dead end.
            raise InterconnectError(
                "Virtual circuit %s (%s) is FAILED, and OCI does not bring a failed virtual circuit back: delete it "
                "(this module with state=absent, or the role's teardown), then converge again to create it anew. The "
                "ExpressRoute circuit and its service key can stay." % (self.params["display_name"], current["id"]),
                virtual_circuit=current)
        conditions = self.params["wait_for"]
        if current is None:
            details = self.plan_create(wanted)
            result = dict(changed=True, diff=diff_result({}, summary(details), header))
            circuit = None if self.module.check_mode else self.create(details)
        else:
            changes = changed_fields(current, wanted)
            if not changes:
                result = dict(changed=False, diff=diff_result(summary(current), summary(current), header))
                circuit = current
            else:
                details = self.plan_update(current, changes)
                planned = dict(current, **details)
                result = dict(changed=True, diff=diff_result(summary(current), summary(planned), header))
                circuit = current if self.module.check_mode else self.update(current["id"], wanted, changes, details)
                conditions = self.conditions_after_update(current, details)
        if circuit and not self.module.check_mode and conditions:
            circuit, result["wait_history"] = self.wait(circuit["id"], conditions, result, first=circuit)
        result["virtual_circuit"] = circuit or {}
        return result

    def ensure_absent(self, current):
        if current is None:
            return dict(changed=False, virtual_circuit={}, diff=diff_result({}, {}))
        deleting = current["lifecycle_state"] != "TERMINATING"
        result = dict(changed=deleting, virtual_circuit=current,
                      diff=diff_result(summary(current), {}, "virtual circuit %s" % self.params["display_name"]))
        if self.module.check_mode:
            return result
        if deleting:
            self.delete(current["id"])
        if self.params["wait_for"]:
            # A circuit found TERMINATING is judged as found (no read more); a deleted one is read again.
            circuit, result["wait_history"] = self.wait(current["id"], ["terminated"], result,
                                                        first=None if deleting else current)
            result["virtual_circuit"] = circuit or {}
        return result


def main():
    mapping_spec = dict(
        oracle_bgp_peering_ip=dict(type="str", required=True, aliases=["oracle_ip"]),
        customer_bgp_peering_ip=dict(type="str", required=True, aliases=["customer_ip"]),
        vlan=dict(type="int"),
    )
    module = OCIModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            compartment_id=dict(type="str", required=True),
            display_name=dict(type="str", required=True, aliases=["name"]),
            provider_service_id=dict(type="str"),
            provider_name=dict(type="str", default="Microsoft Azure"),
            provider_service_name=dict(type="str"),
            service_key=dict(type="str", no_log=True, aliases=["provider_service_key_name"]),
            gateway_id=dict(type="str", aliases=["drg_id"]),
            bandwidth_shape=dict(type="raw", aliases=["bandwidth_shape_name"]),
            peering_location=dict(type="str"),
            cross_connect_mappings=dict(type="list", elements="dict", options=mapping_spec),
            customer_asn=dict(type="int"),
            ip_mtu=dict(type="int", choices=[1500, 9000], default=1500),
        ),
        wait_choices=["bgp_up", "provisioned"], wait_default=["provisioned"], wait_splits=True,
        required_if=[("state", "present", ("gateway_id",))],
        supports_check_mode=True,
    )
    try:
        try:
            wanted = requested(module.params)
        except ValueError as err:
            raise InterconnectError(str(err))
        circuit = VirtualCircuit(module)
        current = circuit.find()
        if module.params["state"] == "absent":
            module.exit_json(**circuit.ensure_absent(current))
        module.exit_json(**circuit.ensure_present(current, wanted))
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
