#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_rules
short_description: Ensure route rules to a DRG and security rules for a list of CIDRs in OCI, in one call
version_added: 1.1.0
description:
  - What M(crosscloud.interconnect.oci_route_rules) does in O(route_table_ids) and
    M(crosscloud.interconnect.oci_security_rules) does in O(security_list_ids), for the same O(cidrs) and
    O(marker), in one module run (one process, one client) instead of two.
  - Only the rules this module owns are added, replaced or removed, recognised by O(marker) at the start of
    the rule's C(description); every other rule stays as it is. A route rule not owned by the module that
    already routes a CIDR to the same target counts as done; one that routes it elsewhere is a conflict and
    fails the module before any security list is written.
  - Each table and list is read, changed and written back under its etag (C(if-match)); when another writer
    changed it meanwhile (HTTP 412) it is read and merged again.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  route_table_ids:
    description: OCIDs of the route tables whose route rules to manage.
    type: list
    elements: str
    default: []
  security_list_ids:
    description: OCIDs of the security lists whose security rules to manage.
    type: list
    elements: str
    default: []
  cidrs:
    description:
      - The other network's CIDR blocks (for example the Azure VNet address spaces) - the destinations of the
        route rules, the sources of ingress and destinations of egress security rules.
      - With O(state=absent) and no O(cidrs), all rules owned by the module (with this O(marker)) are removed.
    type: list
    elements: str
    default: []
  network_entity_id:
    description: OCID of the route target, the DRG. Required with O(state=present) and O(route_table_ids).
    type: str
    aliases: [drg_id]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.oci.owned_rules
  - crosscloud.interconnect.oci.security_rules
"""

EXAMPLES = r"""
- name: Route the Azure address space over the DRG and allow it in
  crosscloud.interconnect.oci_rules:
    route_table_ids: ["{{ route_table_ocid }}"]
    security_list_ids: ["{{ security_list_ocid }}"]
    cidrs: ["10.10.0.0/16"]
    network_entity_id: "{{ drg_ocid }}"
    marker: interconnect-er-tokyo

- name: Remove them again
  crosscloud.interconnect.oci_rules:
    route_table_ids: ["{{ route_table_ocid }}"]
    security_list_ids: ["{{ security_list_ocid }}"]
    marker: interconnect-er-tokyo
    state: absent
"""

RETURN = r"""
route_tables:
  description:
    - The route tables of O(route_table_ids) after the change (as they would be unchanged in check mode), as
      M(crosscloud.interconnect.oci_route_rules) returns them; empty without O(route_table_ids).
  returned: always
  type: list
  elements: dict
security_lists:
  description:
    - The security lists of O(security_list_ids) after the change (as they would be unchanged in check mode), as
      M(crosscloud.interconnect.oci_security_rules) returns them; empty without O(security_list_ids).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError, diff_result
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    OCIModule,
    owned_rules_argument_spec,
    owned_rules_result,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci_rules import (
    SECURITY_RULE_SPEC,
    route_planner,
    security_planner,
)

# The containers in the order they are reconciled: a route that conflicts fails before any security list is
# written.
CONTAINERS = (("route_tables", "route table", "route_table_ids", route_planner),
              ("security_lists", "security list", "security_list_ids", security_planner))


def reconcile(module):
    result = dict(changed=False, diff=diff_result({}, {}))
    for key, kind, option, planner in CONTAINERS:
        done = owned_rules_result(module, kind, module.params[option], planner) if module.params[option] else \
            dict(changed=False, diff=diff_result({}, {}), **{key: []})
        result["changed"] = result["changed"] or done["changed"]
        result[key] = done[key]
        for side in ("before", "after"):
            result["diff"][side][key] = done["diff"][side]
    return result


def main():
    module = OCIModule(
        argument_spec=dict(
            route_table_ids=dict(type="list", elements="str", default=[]),
            security_list_ids=dict(type="list", elements="str", default=[]),
            cidrs=dict(type="list", elements="str", default=[]),
            network_entity_id=dict(type="str", aliases=["drg_id"]),
            **dict(SECURITY_RULE_SPEC, **owned_rules_argument_spec())
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        if params["state"] == "present" and params["route_table_ids"] and not params["network_entity_id"]:
            raise InterconnectError("network_entity_id is required to route the CIDRs in route_table_ids (state=present)")
        module.exit_json(**reconcile(module))
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
