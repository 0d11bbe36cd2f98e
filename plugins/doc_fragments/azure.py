# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options every Azure module of the collection shares (the azure action group lets users set
    # them once through module_defaults).
    DOCUMENTATION = r"""
options:
  subscription_id:
    description:
      - The Azure subscription the resources live in.
      - If not set, the value of the E(AZURE_SUBSCRIPTION_ID) environment variable is used.
    type: str
  client_id:
    description:
      - The application (client) ID of the service principal the module authenticates as.
      - If not set, the value of the E(AZURE_CLIENT_ID) environment variable is used.
    type: str
  secret:
    description:
      - The client secret of the service principal.
      - If not set, the value of the E(AZURE_SECRET) environment variable is used.
    type: str
  tenant:
    description:
      - The Microsoft Entra ID tenant of the service principal.
      - If not set, the value of the E(AZURE_TENANT) environment variable is used.
    type: str
  cloud_environment:
    description:
      - The Azure cloud to talk to. Either a cloud name, V(AzureCloud), V(AzureChinaCloud) or V(AzureUSGovernment),
        or the HTTPS URL of a Resource Manager that publishes C(/metadata/endpoints) (Azure Stack Hub and other
        private clouds); the Resource Manager, login endpoint and token audience are then read from that metadata.
      - If not set, the value of the E(AZURE_CLOUD_ENVIRONMENT) environment variable is used, and V(AzureCloud)
        when that is not set either.
    type: str
requirements:
  - azure-identity
  - azure-mgmt-network
notes:
  - Authentication is by service principal and client secret, the variables the Automation Platform
    C(Microsoft Azure Resource Manager) credential injects.
  - TLS certificates are verified with the CA bundle named by E(REQUESTS_CA_BUNDLE); a certificate failure
    ends the module at once instead of being retried.
  - Set these options once for every Azure module with C(module_defaults) and the group
    C(group/crosscloud.interconnect.azure).
  - Throttling (HTTP 429) and transient server errors (5xx) are retried a few times, honouring C(Retry-After)
    up to 30 seconds.
"""

    TAGS = r"""
options:
  tags:
    description: Tags of the resource. Left as they are when not set.
    type: dict
  purge_tags:
    description: Whether tags not in O(tags) are removed. Only applies when O(tags) is set.
    type: bool
    default: true
"""
