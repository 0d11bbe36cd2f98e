#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: fastconnect_provider_info
short_description: Find an OCI FastConnect provider service and validate a provider service key
version_added: 1.0.0
description:
  - Finds the FastConnect provider service of a provider (by default C(Microsoft Azure)) that offers
    the wanted virtual circuit type, and lists the bandwidth shapes it offers.
  - With O(service_key), validates the key with the provider and returns its peering location and
    bandwidth shape; an unknown key fails.
author:
  - crosscloud.interconnect contributors (@crosscloud)
options:
  compartment_id:
    description: OCID of a compartment (usually the tenancy) to list the provider services in.
    type: str
    required: true
  provider_service_id:
    description: OCID of the provider service; skips the look-up by name.
    type: str
  provider_name:
    description: Provider name to look for (case-insensitive).
    type: str
    default: Microsoft Azure
  provider_service_name:
    description: Provider service name, when the provider offers several.
    type: str
  virtual_circuit_type:
    description: The virtual circuit type the provider service must support.
    type: str
    choices: [PRIVATE, PUBLIC]
    default: PRIVATE
  service_key:
    description: A provider service key (for Azure the ExpressRoute circuit's C(serviceKey)) to validate.
    type: str
    aliases: [provider_service_key_name]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.oci
  - crosscloud.interconnect.attributes.info
"""

EXAMPLES = r"""
- name: Validate the ExpressRoute service key with OCI
  crosscloud.interconnect.fastconnect_provider_info:
    compartment_id: "{{ tenancy_ocid }}"
    service_key: "{{ expressroute.circuit.service_key }}"
  register: azure_provider

- name: Show where the key peers
  ansible.builtin.debug:
    msg: "{{ azure_provider.service_key_details.peering_location }} at {{ azure_provider.service_key_details.bandwidth_shape_name }}"
"""

RETURN = r"""
provider_service:
  description: The provider service found.
  returned: always
  type: dict
  sample:
    id: ocid1.providerservice.oc1.iad.example
    provider_name: Microsoft Azure
    provider_service_name: ExpressRoute
    type: LAYER3
    supported_virtual_circuit_types: [PRIVATE]
    private_peering_bgp_management: CUSTOMER_MANAGED
    customer_asn_management: PROVIDER_MANAGED
bandwidth_shapes:
  description: The bandwidth shapes the provider service offers.
  returned: always
  type: list
  elements: dict
  sample:
    - name: 1 Gbps
      bandwidth_in_mbps: 1000
service_key_details:
  description: The validated key's bandwidth shape and peering location (its name is not repeated).
  returned: when O(service_key) is set
  type: dict
  sample:
    bandwidth_shape_name: 1 Gbps
    peering_location: Washington DC
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import FastConnectProviders, OCIModule


def main():
    module = OCIModule(
        argument_spec=dict(
            compartment_id=dict(type="str", required=True),
            provider_service_id=dict(type="str"),
            provider_name=dict(type="str", default="Microsoft Azure"),
            provider_service_name=dict(type="str"),
            virtual_circuit_type=dict(type="str", choices=["PRIVATE", "PUBLIC"], default="PRIVATE"),
            service_key=dict(type="str", no_log=True, aliases=["provider_service_key_name"]),
        ),
        supports_check_mode=True,
    )
    try:
        params = module.params
        providers = FastConnectProviders(module.api)
        service = providers.find(params["compartment_id"], params["provider_service_id"], params["provider_name"],
                                 params["provider_service_name"], params["virtual_circuit_type"])
        result = dict(changed=False, provider_service=service, bandwidth_shapes=providers.bandwidth_shapes(service["id"]))
        if params["service_key"]:
            key = providers.service_key(service["id"], params["service_key"])
            key.pop("name", None)
            result["service_key_details"] = key
        module.exit_json(**result)
    except InterconnectError as error:
        module.fail_json_error(error)


if __name__ == "__main__":
    main()
