#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_network_info
short_description: Read what an OCI interconnect needs to know about a VCN, its DRG, route tables and security lists
version_added: 1.0.0
description:
  - Read-only preflight for the interconnect; returns a VCN's CIDR blocks, the DRG attached to it
    and the attachment's state, and the ids and names of the VCN's route tables and security lists.
  - Uses at most six API calls (VCN, DRG attachments, DRG, route tables, security lists, virtual circuits), two
    more with O(learned_routes).
  - Fails clearly when the VCN or the requested DRG does not exist (the DRG only with O(drg_details)).
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  vcn_id:
    description: OCID of the VCN.
    type: str
    required: true
  compartment_id:
    description: OCID of the compartment of the DRG attachments, route tables and security lists; defaults to the VCN's.
    type: str
  drg_id:
    description:
      - OCID of the DRG expected to be attached to the VCN. When unset, the DRG of the VCN's only DRG
        attachment is returned (none when there are several).
    type: str
  drg_details:
    description:
      - Whether to read the DRG itself for RV(drg), failing when it does not exist.
      - V(false) saves that call where the attachment is all that matters, as in the interconnect role's
        preflight. RV(drg) is then empty, and a DRG that does not exist shows as no RV(drg_attachment), since
        only an existing DRG can be attached.
    type: bool
    default: true
  virtual_circuit_name:
    description:
      - Display name of a FastConnect virtual circuit in O(virtual_circuit_compartment_id) to return as
        RV(virtual_circuit) (terminated ones are ignored). A missing one gives an empty result, not a failure.
      - One more call (the list of the compartment's virtual circuits); lets a preflight or a verify read the
        whole OCI side in one module call.
    type: str
    version_added: 1.1.0
  virtual_circuit_compartment_id:
    description: OCID of the compartment of O(virtual_circuit_name). Defaults to the VCN's compartment.
    type: str
    version_added: 1.1.0
  fastconnect_provider_name:
    description:
      - When the virtual circuit O(virtual_circuit_name) does not exist yet (or is not asked for), also find the
        private FastConnect provider service of this provider (for example C(Microsoft Azure)) in the compartment and
        return it as RV(fastconnect_provider_service); a provider not offered there is a read that fails.
    type: str
    version_added: 1.2.0
  learned_routes:
    description:
      - Also read what the DRG learns over the virtual circuit O(virtual_circuit_name) and return it in
        RV(learned_routes) - two more calls (the virtual circuit's DRG attachment, and the route rules of the DRG
        route table of the VCN's attachment), which a verify pays for and a converge does not.
      - Nothing is read without the virtual circuit or the VCN's DRG attachment.
    type: bool
    default: false
    version_added: 1.3.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.reads
  - crosscloud.interconnect.attributes.info
"""

EXAMPLES = r"""
- name: Preflight the OCI side
  crosscloud.interconnect.oci_network_info:
    vcn_id: "{{ vcn_ocid }}"
    drg_id: "{{ drg_ocid }}"
  register: oci_network

- name: The DRG must be attached
  ansible.builtin.assert:
    that: oci_network.drg_attachment.lifecycle_state | default('') == 'ATTACHED'
"""

RETURN = r"""
fastconnect_provider_service:
  description: With O(fastconnect_provider_name) and no virtual circuit, the provider's private FastConnect service.
  returned: always
  type: dict
problems:
  description:
    - With O(collect_problems), the reads that failed (VCN, DRG, virtual circuit listing, provider service), each
      with the option it was for (C(option)), that option's value (C(value)) and why (C(message)).
  returned: always
  type: list
  elements: dict
  sample:
    - {"option": "vcn_id", "value": "ocid1.vcn.oc1.ap-tokyo-1.missing", "message": "vcn_id: VCN ocid1.vcn.oc1.ap-tokyo-1.missing not found (or not authorised)"}
vcn:
  description: The VCN (snake_case API fields), including C(cidr_blocks).
  returned: always
  type: dict
  sample:
    id: ocid1.vcn.oc1.iad.example
    display_name: app-vcn
    cidr_blocks: [10.20.0.0/16]
    default_route_table_id: ocid1.routetable.oc1.iad.example
drg:
  description: The DRG (O(drg_id), or the one attached); empty when none or with O(drg_details=false).
  returned: always
  type: dict
  sample:
    id: ocid1.drg.oc1.iad.example
    display_name: app-drg
    lifecycle_state: AVAILABLE
drg_attachment:
  description: The attachment of that DRG to the VCN; empty when it is not attached.
  returned: always
  type: dict
  sample:
    id: ocid1.drgattachment.oc1.iad.example
    drg_id: ocid1.drg.oc1.iad.example
    lifecycle_state: ATTACHED
drg_attachments:
  description: All DRG attachments of the VCN.
  returned: always
  type: list
  elements: dict
route_tables:
  description: The VCN's route tables (id, display_name, lifecycle_state, is_default, route_rules).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ocid1.routetable.oc1.iad.example
      display_name: Default Route Table for app-vcn
      lifecycle_state: AVAILABLE
      is_default: true
security_lists:
  description: The VCN's security lists (id, display_name, lifecycle_state, is_default, ingress_security_rules,
    egress_security_rules).
  returned: always
  type: list
  elements: dict
learned_routes:
  description:
    - With O(learned_routes), the DRG route table of the VCN's attachment (C(drg_route_table_id)), the virtual
      circuit's DRG attachment (C(virtual_circuit_attachment_id), null when it has none) and the table's route
      rules (C(rules), each with C(destination), C(route_type) STATIC or DYNAMIC, C(next_hop_drg_attachment_id)
      and C(route_provenance)); empty when not asked for or not readable.
  returned: always
  type: dict
  version_added: 1.3.0
  sample:
    drg_route_table_id: ocid1.drgroutetable.oc1.iad.example
    virtual_circuit_attachment_id: ocid1.drgattachment.oc1.iad.vc
    rules:
      - {"destination": "10.10.0.0/16", "route_type": "DYNAMIC", "next_hop_drg_attachment_id": "ocid1.drgattachment.oc1.iad.vc",
         "route_provenance": "VIRTUAL_CIRCUIT"}
virtual_circuit:
  description:
    - The virtual circuit named O(virtual_circuit_name) as M(crosscloud.interconnect.fastconnect_virtual_circuit_info)
      returns it (the provider service key masked); empty when not asked for or not found.
  returned: always
  type: dict
  version_added: 1.1.0
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    COLLECT_PROBLEMS_SPEC,
    InterconnectError,
    ReadProblems,
    at_once,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import FastConnectProviders, OCIModule, to_plain


RULE_FIELDS = ("route_rules", "ingress_security_rules", "egress_security_rules")


def brief(items, default_id):
    """Each route table or security list with its rules (the rule modules' input), as plain dicts."""
    views = []
    for item in to_plain(items):
        view = dict(id=item["id"], display_name=item.get("display_name"), lifecycle_state=item.get("lifecycle_state"),
                    is_default=item["id"] == default_id)
        view.update((field, item[field]) for field in RULE_FIELDS if field in item)
        views.append(view)
    return views


def read_all(api, params):
    """The result: the VCN and what hangs off it, the DRG and the virtual circuit; with collect_problems the
    reads that failed in ``problems``. Reads that do not need another's answer run at once: the VCN (whose
    compartment the others use unless one is given), then its parts, the DRG and the virtual circuit, then
    what depends on whether the circuit exists."""
    reads = ReadProblems(params["collect_problems"])
    client = api.client  # first: a configuration that cannot sign fails the module; it is no problem of a resource
    vcn_id, drg_id = params["vcn_id"], params["drg_id"]
    result = dict(vcn={}, drg={}, drg_attachment={}, drg_attachments=[], route_tables=[], security_lists=[],
                  virtual_circuit={}, fastconnect_provider_service={}, learned_routes={}, problems=reads.problems)
    vcn = reads.read("vcn_id", vcn_id, lambda: api.get_or_fail(
        "read VCN %s" % vcn_id, "vcn_id: VCN %s not found (or not authorised)" % vcn_id, client.get_vcn, vcn_id))
    compartment_id = params["virtual_circuit_compartment_id"] or (vcn.compartment_id if vcn is not None else None)

    def drg_read(drg):
        return ("drg", "drg_id", drg, {}, lambda: to_plain(api.get_or_fail(
            "read DRG %s" % drg, "drg_id: DRG %s not found (or not authorised)" % drg, client.get_drg, drg)))

    # The second round, each read as (its key, option, value, what it gives when it fails, the read).
    wanted = vcn_part_reads(api, params, vcn) if vcn is not None else []
    if drg_id and params["drg_details"]:
        wanted.append(drg_read(drg_id))
    if params["virtual_circuit_name"] and compartment_id:
        wanted.append(("virtual_circuit", "virtual_circuit_compartment_id", compartment_id, {},
                       lambda: api.find_virtual_circuit(compartment_id, params["virtual_circuit_name"])))
    read = {}
    for (key, option, value, default, dummy), outcome in zip(wanted, at_once([item[-1] for item in wanted])):
        read[key] = reads.read(option, value, outcome, default)
    if vcn is not None:
        result.update(vcn_parts(params, vcn, read))
        drg_id = drg_id or result["drg_attachment"].get("drg_id")
    if drg_id and params["drg_details"]:
        # The DRG of the VCN's attachment is known only now when none was named.
        if "drg" not in read:
            dummy, option, value, default, operation = drg_read(drg_id)
            read["drg"] = reads.read(option, value, operation, default)
        result["drg"] = read["drg"]
    result["virtual_circuit"] = read.get("virtual_circuit") or {}
    attachment = result["drg_attachment"]
    if params["learned_routes"] and result["virtual_circuit"] and attachment.get("drg_route_table_id"):
        result["learned_routes"] = reads.read("virtual_circuit_name", params["virtual_circuit_name"], lambda: (
            read_learned_routes(api, attachment, result["virtual_circuit"])), {})
    provider = params["fastconnect_provider_name"]
    if provider and compartment_id and not result["virtual_circuit"]:
        # A create needs the provider's service: without a virtual circuit, find it now.
        result["fastconnect_provider_service"] = reads.read("fastconnect_provider_name", provider, lambda: (
            FastConnectProviders(api).find(compartment_id, provider_name=provider)), {})
    return result


RULE_VIEW = ("destination", "route_type", "next_hop_drg_attachment_id", "route_provenance")


def read_learned_routes(api, vcn_attachment, virtual_circuit):
    """The virtual circuit's DRG attachment (ListDrgAttachments lists VCN attachments unless asked for
    another type) and the rules of the DRG route table the VCN's attachment uses, where the DRG puts the
    routes it learns from every attachment (both lists at once)."""
    table_id = vcn_attachment["drg_route_table_id"]
    circuit_attachments, rules = (outcome() for outcome in at_once([
        lambda: api.list_all(
            "list the DRG attachment of virtual circuit %s" % virtual_circuit["id"], api.client.list_drg_attachments,
            vcn_attachment["compartment_id"], drg_id=vcn_attachment["drg_id"], network_id=virtual_circuit["id"],
            attachment_type="VIRTUAL_CIRCUIT"),
        lambda: api.list_all("list the rules of DRG route table %s" % table_id, api.client.list_drg_route_rules,
                             table_id)]))
    attached = [item.id for item in circuit_attachments if item.lifecycle_state == "ATTACHED"]
    return dict(drg_route_table_id=table_id, virtual_circuit_attachment_id=attached[0] if attached else None,
                rules=[dict((field, getattr(rule, field, None)) for field in RULE_VIEW) for rule in rules])


def vcn_part_reads(api, params, vcn):
    """The reads of a VCN's DRG attachments, route tables and security lists, in ``read_all``'s form."""
    compartment_id = params["compartment_id"] or vcn.compartment_id

    def listed(key, what, operation):
        return (key, "vcn_id", vcn.id, [],
                lambda: api.list_all("list the %s of VCN %s" % (what, vcn.id), operation, compartment_id, vcn_id=vcn.id))

    return [listed("drg_attachments", "DRG attachments", api.client.list_drg_attachments),
            listed("route_tables", "route tables", api.client.list_route_tables),
            listed("security_lists", "security lists", api.client.list_security_lists)]


def vcn_parts(params, vcn, read):
    """The VCN with what ``vcn_part_reads`` read: the DRG attachment the interconnect uses (the one of
    drg_id, or the only one), and the route tables and security lists in brief."""
    drg_id = params["drg_id"]
    attachments = [to_plain(attachment) for attachment in read["drg_attachments"] if attachment.lifecycle_state != "DETACHED"]
    attachment = {}
    if drg_id:
        attachment = next((a for a in attachments if a["drg_id"] == drg_id), {})
    elif len(attachments) == 1:
        attachment = attachments[0]
    return dict(vcn=to_plain(vcn), drg_attachment=attachment, drg_attachments=attachments,
                route_tables=brief(read["route_tables"], vcn.default_route_table_id),
                security_lists=brief(read["security_lists"], vcn.default_security_list_id))


def main():
    module = OCIModule(
        argument_spec=dict(
            vcn_id=dict(type="str", required=True),
            compartment_id=dict(type="str"),
            drg_id=dict(type="str"),
            drg_details=dict(type="bool", default=True),
            virtual_circuit_name=dict(type="str"),
            virtual_circuit_compartment_id=dict(type="str"),
            fastconnect_provider_name=dict(type="str"),
            learned_routes=dict(type="bool", default=False),
            **COLLECT_PROBLEMS_SPEC
        ),
        supports_check_mode=True,
    )
    try:
        module.exit_json(changed=False, **read_all(module.api, module.params))
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
