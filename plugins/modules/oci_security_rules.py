#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oci_security_rules
short_description: Ensure ingress/egress rules for a list of CIDRs in OCI security lists, leaving other rules alone
version_added: 1.0.0
description:
  - Adds, replaces or removes only the security rules this module owns, recognised by O(marker) at the
    start of the rule's C(description); every other rule of the list stays as it is.
  - A rule is identified by direction, CIDR, protocol and destination ports; by default one stateful
    rule per CIDR allowing all protocols.
  - The list is read, changed and written back under its etag (C(if-match)); when another writer
    changed it meanwhile (HTTP 412) it is read and merged again once.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  security_list_ids:
    description: OCIDs of the security lists to manage.
    type: list
    elements: str
    required: true
    aliases: [security_list_id]
  cidrs:
    description:
      - Source CIDRs of ingress rules and destination CIDRs of egress rules (for example the Azure VNet
        address spaces).
      - With O(state=absent) and no O(cidrs), all rules owned by the module in O(directions) are removed.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.attributes
  - crosscloud.interconnect.oci.owned_rules
  - crosscloud.interconnect.oci.security_rules
"""

EXAMPLES = r"""
- name: Allow the Azure address space in
  crosscloud.interconnect.oci_security_rules:
    security_list_ids: ["{{ security_list_ocid }}"]
    cidrs: ["10.10.0.0/16"]
    directions: [ingress, egress]

- name: Allow only HTTPS from Azure, dropping other owned rules
  crosscloud.interconnect.oci_security_rules:
    security_list_ids: ["{{ security_list_ocid }}"]
    cidrs: ["10.10.0.0/16"]
    protocol: tcp
    destination_ports: "443"
    purge: true
"""

RETURN = r"""
security_lists:
  description: The security lists after the change (as they would be unchanged in check mode).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ocid1.securitylist.oc1.iad.example
      ingress_security_rules:
        - source: 10.10.0.0/16
          source_type: CIDR_BLOCK
          protocol: all
          is_stateless: false
          description: managed-by:crosscloud.interconnect
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import (
    OCIModule,
    ensure_owned_rules,
    owned_rules_argument_spec,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci_rules import SECURITY_RULE_SPEC, security_planner


def main():
    module = OCIModule(
        argument_spec=dict(
            security_list_ids=dict(type="list", elements="str", required=True, aliases=["security_list_id"]),
            cidrs=dict(type="list", elements="str", default=[]),
            **dict(SECURITY_RULE_SPEC, **owned_rules_argument_spec())
        ),
        supports_check_mode=True,
    )
    try:
        ensure_owned_rules(module, "security list", module.params["security_list_ids"], security_planner)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
