#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_network
short_description: Create (or delete) the OCI network an interconnect needs, a VCN with an attached DRG
version_added: 1.2.0
description:
  - With O(state=present), ensures a VCN of O(vcn_name) with O(cidr_blocks), a DRG of O(drg_name), the DRG attachment
    of the VCN, and, when named, a route table and a security list (without rules) for the workload subnet; without
    O(route_table_name) or O(security_list_name) the VCN's default route table or security list is the one to use.
  - VCNs, DRGs, route tables and security lists are found by display name in O(compartment_id) (two of one name are
    an error, the module does not guess). Each wait for a lifecycle state goes through the collection's waiter.
  - Everything the module creates carries the freeform tag C(created-by=crosscloud.interconnect), and only what
    carries it is ever deleted. Existing resources are used as they are and never tagged. An existing VCN whose CIDR
    blocks or DNS label differ from the options, or one attached to another DRG, is refused with what was found,
    before any write.
  - With O(state=absent), only what carries the tag is deleted, in the order OCI needs, the route rules in the VCN's
    route tables that target the DRG (when the DRG or the attachment is deleted; RV(removed_route_rules) lists
    them), the route table and the security list, the attachment (awaited until DETACHED), the DRG, the VCN (awaited
    until TERMINATED). A VCN or DRG without the tag is left and said so in RV(left).
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  compartment_id:
    description: The OCID of the compartment of the VCN, the DRG and the tables.
    type: str
    required: true
  vcn_name:
    description: The display name of the VCN.
    type: str
    required: true
  cidr_blocks:
    description: The IPv4 CIDR blocks of the VCN (each /16 to /30). Required with O(state=present).
    type: list
    elements: str
  dns_label:
    description: The DNS label of a new VCN (letters and digits, starting with a letter, at most 15).
    type: str
  drg_name:
    description: The display name of the DRG.
    type: str
    required: true
  route_table_name:
    description:
      - The display name of a route table to create in the VCN for the workload subnet. Not set, the VCN's default
        route table is the one to use (RV(route_table_ids)).
    type: str
  security_list_name:
    description:
      - The display name of a security list to create in the VCN for the workload subnet. Not set, the VCN's default
        security list is the one to use (RV(security_list_ids)).
    type: str
  tags:
    description: Freeform tags of the resources the module creates, besides C(created-by=crosscloud.interconnect).
    type: dict
  state:
    description: Whether the network should exist; V(absent) deletes only what the module created.
    type: str
    choices: [present, absent]
    default: present
  wait_for:
    description:
      - V(settled) waits until what the module created or deleted last has reached its final state (the VCN
        TERMINATED, the attachment ATTACHED). An empty list returns without that wait; the waits the next step
        needs (the VCN AVAILABLE before its attachment, the attachment DETACHED before the DRG's delete) are always
        made.
    type: list
    elements: str
    choices: [settled]
    default: [settled]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.wait
  - crosscloud.interconnect.wait.split
  - crosscloud.interconnect.attributes
seealso:
  - module: crosscloud.interconnect.oci_network_info
  - module: crosscloud.interconnect.azure_network
"""

EXAMPLES = r"""
- name: Create the VCN, the DRG and its attachment, with a route table and a security list for the workload
  crosscloud.interconnect.oci_network:
    compartment_id: "{{ compartment_ocid }}"
    region: us-ashburn-1
    vcn_name: vcn-interconnect
    cidr_blocks: [10.20.0.0/16]
    dns_label: interconnect
    drg_name: drg-interconnect
    route_table_name: rt-workload
    security_list_name: sl-workload

- name: Delete what the module created, once the interconnect is torn down
  crosscloud.interconnect.oci_network:
    compartment_id: "{{ compartment_ocid }}"
    region: us-ashburn-1
    vcn_name: vcn-interconnect
    drg_name: drg-interconnect
    route_table_name: rt-workload
    security_list_name: sl-workload
    state: absent
"""

RETURN = r"""
vcn:
  description: The VCN (empty when absent; in check mode, as it would be, without ids).
  returned: always
  type: dict
  contains:
    id:
      description: Its OCID.
      type: str
    display_name:
      description: Its display name.
      type: str
    cidr_blocks:
      description: Its CIDR blocks.
      type: list
      elements: str
    default_route_table_id:
      description: The OCID of its default route table.
      type: str
    default_security_list_id:
      description: The OCID of its default security list.
      type: str
drg:
  description: The DRG (empty when absent), with its C(id) and C(display_name).
  returned: always
  type: dict
drg_attachment:
  description: The DRG attachment of the VCN (empty when absent), with its C(id).
  returned: always
  type: dict
route_table_ids:
  description: The route table for the workload subnet, the one created of O(route_table_name) or else the VCN's default.
  returned: always
  type: list
  elements: str
security_list_ids:
  description: The security list for the workload subnet, the one created of O(security_list_name) or else the default.
  returned: always
  type: list
  elements: str
ours:
  description: For each of C(vcn), C(drg), C(drg_attachment), C(route_table), C(security_list), whether it carries the
    tag C(created-by=crosscloud.interconnect) (only those are deleted).
  returned: always
  type: dict
changes:
  description: What was (or in check mode would be) created or deleted, one line each.
  returned: always
  type: list
  elements: str
removed_route_rules:
  description: The route rules removed because they targeted the DRG, each with C(route_table_id) and C(destination).
  returned: with O(state=absent)
  type: list
  elements: dict
left:
  description: What was found without the tag and left in place.
  returned: with O(state=absent)
  type: list
  elements: str
wait_history:
  description: The lifecycle states seen while waiting, with seconds elapsed.
  returned: when the module waited
  type: list
  elements: dict
diff:
  description: The network before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.greenfield import (
    NetworkRun,
    is_ours,
    oci_network_problems,
    rules_targeting,
    tags_of_created,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    EtagReader,
    OCIModule,
    sdk,
    to_plain,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import OCI_GONE_STATES, WaitPending, Waiter

PARTS = ("vcn", "drg", "drg_attachment", "route_table", "security_list")


def live(items):
    return [item for item in items if item.get("lifecycle_state") not in OCI_GONE_STATES + ("TERMINATING", "DETACHING")]


def only_one(kind, name, compartment_id, found):
    if len(found) > 1:
        raise InterconnectError("%d %ss are named %s in compartment %s (%s); refusing to guess" % (
            len(found), kind, name, compartment_id, ", ".join(item["id"] for item in found)))
    return found[0] if found else None


def vcn_summary(vcn):
    if not vcn:
        return {}
    return dict(id=vcn.get("id"), display_name=vcn.get("display_name"), cidr_blocks=list(vcn.get("cidr_blocks") or []),
                default_route_table_id=vcn.get("default_route_table_id"),
                default_security_list_id=vcn.get("default_security_list_id"))


def named_summary(resource):
    return dict(id=resource.get("id"), display_name=resource.get("display_name")) if resource else {}


def vcn_problems(params, vcn, attachment, drg):
    """Why an existing VCN cannot be the one asked (all at once)."""
    problems = []
    if not vcn:
        return problems
    if sorted(vcn.get("cidr_blocks") or []) != sorted(params["cidr_blocks"] or []):
        problems.append("VCN %s has the CIDR blocks %s, not cidr_blocks %s; the module does not change an existing "
                        "VCN's blocks" % (params["vcn_name"], ", ".join(vcn.get("cidr_blocks") or []),
                                          ", ".join(params["cidr_blocks"])))
    if params["dns_label"] and vcn.get("dns_label") != params["dns_label"]:
        problems.append("VCN %s has the DNS label %s, not dns_label %s; OCI cannot change a VCN's DNS label" % (
            params["vcn_name"], vcn.get("dns_label"), params["dns_label"]))
    if attachment and (not drg or attachment.get("drg_id") != drg["id"]):
        problems.append("VCN %s is attached to DRG %s, not to %s; a VCN has one DRG attachment" % (
            params["vcn_name"], attachment.get("drg_id"), params["drg_name"]))
    return problems


class OciNetwork(NetworkRun):
    """One run of the module: finds the resources by name, then makes them as asked (or deletes ours)."""

    def __init__(self, module):
        super(OciNetwork, self).__init__(module)
        self.models = sdk().core.models

    # ---- reads ------------------------------------------------------------------------------------------

    def list(self, what, operation, **kwargs):
        return live(to_plain(self.api.list_all(what, operation, self.params["compartment_id"], **kwargs)))

    def find(self, kind, name, operation, **kwargs):
        found = [item for item in self.list("list %ss in compartment %s" % (kind, self.params["compartment_id"]),
                                            operation, **kwargs) if item.get("display_name") == name]
        return only_one(kind, name, self.params["compartment_id"], found)

    def read_all(self):
        params = self.params
        self.vcn = self.find("VCN", params["vcn_name"], self.client.list_vcns, display_name=params["vcn_name"])
        self.drg = self.find("DRG", params["drg_name"], self.client.list_drgs)
        self.attachment = self.route_table = self.security_list = None
        if self.vcn:
            self.vcn = self.settle(self.vcn, "vcn", "VCN %s" % params["vcn_name"])
            attachments = self.list("list the DRG attachments of VCN %s" % params["vcn_name"],
                                    self.client.list_drg_attachments, vcn_id=self.vcn["id"])
            self.attachment = attachments[0] if attachments else None
            for attribute, kind, option, operation in (
                    ("route_table", "route table", "route_table_name", self.client.list_route_tables),
                    ("security_list", "security list", "security_list_name", self.client.list_security_lists)):
                if params[option]:
                    setattr(self, attribute, self.find(kind, params[option], operation, vcn_id=self.vcn["id"],
                                                       display_name=params[option]))
        if self.drg:
            self.drg = self.settle(self.drg, "drg", "DRG %s" % params["drg_name"])
        if self.attachment:
            self.attachment = self.settle(self.attachment, "drg_attachment", "the DRG attachment of VCN %s"
                                          % params["vcn_name"])

    def reader(self, kind, resource_id):
        get = getattr(self.client, "get_" + kind)

        def read():
            found = self.api.call("read %s %s" % (kind.replace("_", " "), resource_id), get, resource_id,
                                  tolerate=(404,))
            return to_plain(found) if found else None
        return read

    def settle(self, resource, kind, subject):
        """``resource``, waited for while it is still PROVISIONING or ATTACHING (another run's, or an earlier call
        of a split wait); check mode does not wait."""
        if resource.get("lifecycle_state") in ("AVAILABLE", "ATTACHED") or self.module.check_mode:
            return resource
        return self.await_state(kind, resource, "available", subject)

    def await_state(self, kind, resource, condition, subject, optional=False):
        """Wait until ``resource`` (a ``kind`` as the SDK's get_<kind> names it) meets ``condition``; a wait the next
        step does not need (``optional``) is made only with wait_for settled."""
        wait = self.module.wait_options
        if optional and "settled" not in wait["wait_for"]:
            return resource
        try:
            value, history = Waiter("oci_resource", self.reader(kind, resource["id"])).wait_as_asked(
                wait, [condition], subject=subject, first=resource)
        except WaitPending as pending:
            raise pending.carrying(changed=self.result["changed"] or pending.result["changed"], changes=self.changes,
                                   **self.summaries())
        self.history.extend(history)
        return value

    def summaries(self):
        params = self.params
        vcn = self.vcn or {}
        default_tables = [vcn["default_route_table_id"]] if vcn.get("default_route_table_id") else []
        default_lists = [vcn["default_security_list_id"]] if vcn.get("default_security_list_id") else []
        return dict(
            vcn=vcn_summary(self.vcn), drg=named_summary(self.drg),
            drg_attachment=dict(id=self.attachment.get("id")) if self.attachment else {},
            route_table_ids=[self.route_table["id"]] if self.route_table and self.route_table.get("id")
            else ([] if params["route_table_name"] else default_tables),
            security_list_ids=[self.security_list["id"]] if self.security_list and self.security_list.get("id")
            else ([] if params["security_list_name"] else default_lists),
            ours=dict((part, bool(resource) and is_ours(resource.get("freeform_tags"))) for part, resource in zip(
                PARTS, (self.vcn, self.drg, self.attachment, self.route_table, self.security_list))))

    # ---- present ----------------------------------------------------------------------------------------

    def create(self, kind, what, details, subject, optional=False):
        """Create a ``kind`` (``create_<kind>``) and wait until it is AVAILABLE/ATTACHED."""
        self.note(what)
        tags = tags_of_created(self.params["tags"])
        if self.module.check_mode:
            return dict(to_plain(details), freeform_tags=tags, lifecycle_state="AVAILABLE", id=None)
        details.freeform_tags = tags
        created = to_plain(self.api.call(what, getattr(self.client, "create_" + kind), details,
                                         opc_retry_token="%s-%s" % (self.api.retry_token, kind)))
        return self.await_state(kind, created, "available", subject, optional=optional)

    def present(self):
        params, models = self.params, self.models
        problems = vcn_problems(params, self.vcn, self.attachment, self.drg)
        if problems:
            raise InterconnectError("The existing network cannot become the one asked: %s" % "; ".join(problems))
        before = self.summaries()
        compartment = params["compartment_id"]
        if self.vcn is None:
            self.vcn = self.create("vcn", "create VCN %s" % params["vcn_name"], models.CreateVcnDetails(
                compartment_id=compartment, display_name=params["vcn_name"], cidr_blocks=params["cidr_blocks"],
                dns_label=params["dns_label"]), "VCN %s" % params["vcn_name"])
        if self.drg is None:
            self.drg = self.create("drg", "create DRG %s" % params["drg_name"], models.CreateDrgDetails(
                compartment_id=compartment, display_name=params["drg_name"]), "DRG %s" % params["drg_name"])
        if self.attachment is None:
            self.attachment = self.create(
                "drg_attachment", "attach VCN %s to DRG %s" % (params["vcn_name"], params["drg_name"]),
                models.CreateDrgAttachmentDetails(
                    drg_id=self.drg.get("id"), display_name="%s-%s" % (params["drg_name"], params["vcn_name"]),
                    network_details=models.VcnDrgAttachmentNetworkCreateDetails(type="VCN", id=self.vcn.get("id"))),
                "the DRG attachment of VCN %s" % params["vcn_name"], optional=True)
        for attribute, kind, option, details_class, rules in (
                ("route_table", "route_table", "route_table_name", models.CreateRouteTableDetails,
                 dict(route_rules=[])),
                ("security_list", "security_list", "security_list_name", models.CreateSecurityListDetails,
                 dict(ingress_security_rules=[], egress_security_rules=[]))):
            name = params[option]
            if name and getattr(self, attribute) is None:
                setattr(self, attribute, self.create(
                    kind, "create %s %s in VCN %s" % (kind.replace("_", " "), name, params["vcn_name"]),
                    details_class(compartment_id=compartment, vcn_id=self.vcn.get("id"), display_name=name, **rules),
                    "%s %s" % (kind.replace("_", " "), name), optional=True))
        return self.finish(before, self.params["vcn_name"])

    # ---- absent -----------------------------------------------------------------------------------------

    def delete(self, kind, resource, what, subject, optional=False):
        self.note(what)
        self.result["removed"].append(resource["id"])
        if self.module.check_mode:
            return
        self.api.call(what, getattr(self.client, "delete_" + kind), resource["id"], tolerate=(404,))
        self.await_state(kind, resource, "terminated", subject, optional=optional)

    def absent(self):
        params = self.params
        before = self.summaries()
        self.result.update(removed=[], left=[], removed_route_rules=[])
        left = self.result["left"]
        attachment_ours = self.attachment and is_ours(self.attachment.get("freeform_tags"))
        drg_ours = self.drg and is_ours(self.drg.get("freeform_tags"))
        if self.vcn and self.drg and (attachment_ours or drg_ours):
            self.remove_routes_to_drg()
        for attribute, kind, option in (("route_table", "route_table", "route_table_name"),
                                        ("security_list", "security_list", "security_list_name")):
            resource = getattr(self, attribute)
            if resource is None:
                continue
            if is_ours(resource.get("freeform_tags")):
                self.delete(kind, resource, "delete %s %s" % (kind.replace("_", " "), params[option]),
                            "%s %s" % (kind.replace("_", " "), params[option]))
                setattr(self, attribute, None)
            else:
                left.append("%s %s (no created-by tag)" % (kind.replace("_", " "), params[option]))
        if self.attachment is not None:
            if attachment_ours:
                self.delete("drg_attachment", self.attachment, "detach VCN %s from its DRG" % params["vcn_name"],
                            "the DRG attachment of VCN %s" % params["vcn_name"])
                self.attachment = None
            else:
                left.append("the DRG attachment of VCN %s (no created-by tag)" % params["vcn_name"])
        for attribute, kind, label, option in (("drg", "drg", "DRG", "drg_name"), ("vcn", "vcn", "VCN", "vcn_name")):
            resource = getattr(self, attribute)
            if resource is None:
                continue
            if is_ours(resource.get("freeform_tags")):
                self.delete(kind, resource, "delete %s %s" % (label, params[option]), "%s %s" % (label, params[option]),
                            optional=kind == "vcn")
                setattr(self, attribute, None)
            else:
                left.append("%s %s (no created-by tag)" % (label, params[option]))
        return self.finish(before, self.params["vcn_name"])

    def remove_routes_to_drg(self):
        """Remove every route rule of the VCN's route tables that targets the DRG (OCI refuses to delete a DRG that
        a route table lists as a target), each table under its etag."""
        drg_id = self.drg["id"]
        tables = self.list("list the route tables of VCN %s" % self.params["vcn_name"], self.client.list_route_tables,
                           vcn_id=self.vcn["id"])
        for table in tables:
            targeting = rules_targeting(table, drg_id)
            if not targeting:
                continue
            what = "remove the route rules of route table %s that target DRG %s" % (
                table.get("display_name"), self.params["drg_name"])
            self.note(what)
            self.result["removed_route_rules"].extend(dict(route_table_id=table["id"],
                                                           destination=rule.get("destination"))
                                                      for rule in targeting)
            if not self.module.check_mode:
                reader = EtagReader(self.api, "read route table %s" % table["id"], self.client.get_route_table,
                                    table["id"])
                self.api.write_under_etag(what, reader, self.route_table_writer(table["id"], drg_id))

    def route_table_writer(self, table_id, drg_id):
        models = self.models

        def write(current, etag):
            kept = [rule for rule in current.get("route_rules") or [] if rule.get("network_entity_id") != drg_id]
            if len(kept) == len(current.get("route_rules") or []):
                return None
            rules = [models.RouteRule(destination=rule.get("destination"), destination_type=rule.get("destination_type"),
                                      network_entity_id=rule.get("network_entity_id"), description=rule.get("description"),
                                      route_type=rule.get("route_type")) for rule in kept]
            return self.client.update_route_table(table_id, models.UpdateRouteTableDetails(route_rules=rules),
                                                  if_match=etag).data
        return write


def main():
    module = OCIModule(
        argument_spec=dict(
            compartment_id=dict(type="str", required=True),
            vcn_name=dict(type="str", required=True),
            cidr_blocks=dict(type="list", elements="str"),
            dns_label=dict(type="str"),
            drg_name=dict(type="str", required=True),
            route_table_name=dict(type="str"),
            security_list_name=dict(type="str"),
            tags=dict(type="dict"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        wait_choices=["settled"], wait_default=["settled"], wait_splits=True,
        required_if=[("state", "present", ("cidr_blocks",))],
        supports_check_mode=True,
    )
    params = module.params
    if params["state"] == "present":
        problems = oci_network_problems(params["cidr_blocks"], params["dns_label"])
        if problems:
            module.fail_json(msg="Invalid network settings: %s" % "; ".join(problems), problems=problems)
    try:
        network = OciNetwork(module)
        network.read_all()
        result = network.present() if params["state"] == "present" else network.absent()
    except WaitPending as pending:
        module.exit_json_pending(pending)
    except InterconnectError as error:
        module.fail_json_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
