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
  auth_source:
    description:
      - Where the credentials come from, with the meaning azure.azcollection gives this option.
      - V(env) uses the options below and their environment variables; the service principal signs in with
        O(secret), else with the certificate O(x509_certificate_path), else with the workload identity token
        O(federated_token_file) (what AKS workload identity provides), with O(client_id) and O(tenant) in each case.
      - V(credential_file) uses a profile of C(~/.azure/credentials) (O(profile), else C(default)); its keys are named
        as these options (C(subscription_id), C(client_id), C(secret), C(tenant), C(x509_certificate_path),
        C(x509_certificate_password), C(cloud_environment)).
      - V(cli) uses the login of the Azure CLI (C(az account get-access-token)); without O(subscription_id), the CLI's
        default subscription (C(az account show)).
      - V(msi) uses the managed identity of the host the module runs on (an Azure VM or scale set through IMDS, App
        Service and Functions through E(IDENTITY_ENDPOINT)); the system-assigned one, or the user-assigned one whose
        client ID O(client_id) gives.
      - V(auto) takes the first that has credentials, in azure.azcollection's order, the profile O(profile) if set,
        the options and environment variables, the C(default) profile of C(~/.azure/credentials), the Azure CLI
        when C(az) is on the E(PATH). It never tries the managed identity (off Azure, its endpoint would only add a
        time-out), so choose V(msi) for it.
      - If not set, the value of the E(ANSIBLE_AZURE_AUTH_SOURCE) environment variable is used, and V(auto) when that
        is not set either.
      - A failed sign-in names the credentials it tried, where they came from and what to check.
    type: str
    choices: [auto, env, credential_file, cli, msi]
    default: auto
  profile:
    description:
      - The profile of C(~/.azure/credentials) to use (O(auth_source=credential_file), or O(auth_source=auto)).
      - If not set, the value of the E(AZURE_PROFILE) environment variable is used.
    type: str
  subscription_id:
    description:
      - The Azure subscription the resources live in.
      - If not set, the value of the E(AZURE_SUBSCRIPTION_ID) environment variable is used.
    type: str
  client_id:
    description:
      - The application (client) ID of the service principal the module authenticates as, or, with
        O(auth_source=msi), the client ID of the user-assigned managed identity.
      - If not set, the value of the E(AZURE_CLIENT_ID) environment variable is used.
    type: str
  secret:
    description:
      - The client secret of the service principal.
      - If not set, the value of the E(AZURE_SECRET) environment variable is used.
    type: str
  x509_certificate_path:
    description:
      - Path of a PEM file holding the private key and the certificate of the service principal (the certificate
        uploaded to the application). Used when O(secret) is not set.
      - If not set, the value of the E(AZURE_X509_CERTIFICATE_PATH) environment variable is used, then
        E(AZURE_CLIENT_CERTIFICATE_PATH).
    type: path
    aliases: [cert_path]
  x509_certificate_password:
    description:
      - Password of O(x509_certificate_path) when its key is encrypted.
      - If not set, the value of the E(AZURE_CLIENT_CERTIFICATE_PASSWORD) environment variable is used.
    type: str
  federated_token_file:
    description:
      - Path of the workload identity token (a Kubernetes service account token the application trusts through a
        federated credential). Used when neither O(secret) nor O(x509_certificate_path) is set.
      - If not set, the value of the E(AZURE_FEDERATED_TOKEN_FILE) environment variable is used, which AKS workload
        identity sets, together with E(AZURE_CLIENT_ID) and E(AZURE_TENANT_ID).
    type: path
  tenant:
    description:
      - The Microsoft Entra ID tenant of the service principal.
      - If not set, the value of the E(AZURE_TENANT) environment variable is used, then E(AZURE_TENANT_ID).
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
  - The Automation Platform C(Microsoft Azure Resource Manager) credential injects E(AZURE_SUBSCRIPTION_ID),
    E(AZURE_CLIENT_ID), E(AZURE_SECRET), E(AZURE_TENANT) and E(AZURE_CLOUD_ENVIRONMENT), which O(auth_source=auto)
    or O(auth_source=env) use.
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
