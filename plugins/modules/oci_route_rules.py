#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_route_rules
short_description: Ensure route rules for a list of CIDRs to a DRG in OCI route tables, leaving other rules alone
version_added: 1.0.0
description:
  - Adds, replaces or removes only the route rules this module owns, recognised by O(marker) at the
    start of the rule's C(description); every other rule of the table stays as it is.
  - The table is read, changed and written back under its etag (C(if-match)); when another writer
    changed it meanwhile (HTTP 412) it is read and merged again once.
  - A rule not owned by the module that already routes a CIDR to the same target counts as done; one
    that routes it elsewhere is a conflict and fails the module.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  route_table_ids:
    description: OCIDs of the route tables to manage.
    type: list
    elements: str
    required: true
    aliases: [route_table_id]
  cidrs:
    description:
      - Destination CIDR blocks (for example the Azure VNet address spaces).
      - With O(state=absent) and no O(cidrs), all rules owned by the module (with this O(marker)) are removed.
    type: list
    elements: str
    default: []
  network_entity_id:
    description: OCID of the route target, the DRG. Required with O(state=present).
    type: str
    aliases: [drg_id]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.oci.owned_rules
"""

EXAMPLES = r"""
- name: Route the Azure address space over the DRG
  crosscloud.interconnect.oci_route_rules:
    route_table_ids: ["{{ route_table_ocid }}"]
    cidrs: ["10.10.0.0/16", "10.11.0.0/16"]
    network_entity_id: "{{ drg_ocid }}"
    purge: true

- name: Remove this collection's routes again
  crosscloud.interconnect.oci_route_rules:
    route_table_ids: ["{{ route_table_ocid }}"]
    state: absent
"""

RETURN = r"""
route_tables:
  description: The route tables after the change (as they would be unchanged in check mode).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ocid1.routetable.oc1.iad.example
      route_rules:
        - destination: 10.10.0.0/16
          destination_type: CIDR_BLOCK
          network_entity_id: ocid1.drg.oc1.iad.example
          description: managed-by:crosscloud.interconnect
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    OCIModule,
    ensure_owned_rules,
    owned_rules_argument_spec,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci_rules import route_planner


def main():
    module = OCIModule(
        argument_spec=dict(
            route_table_ids=dict(type="list", elements="str", required=True, aliases=["route_table_id"]),
            cidrs=dict(type="list", elements="str", default=[]),
            network_entity_id=dict(type="str", aliases=["drg_id"]),
            **owned_rules_argument_spec()
        ),
        required_if=[("state", "present", ("network_entity_id",))],
        supports_check_mode=True,
    )
    try:
        ensure_owned_rules(module, "route table", module.params["route_table_ids"], route_planner)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
