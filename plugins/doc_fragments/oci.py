# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Authentication and endpoint options shared by every OCI module of the collection."""

    DOCUMENTATION = r"""
options:
  auth_type:
    description:
      - How to authenticate.
      - V(api_key) signs requests with an API signing key, read from the config file
        and/or the explicit O(user), O(fingerprint), O(key_file), O(tenancy) and O(region) options.
      - V(instance_principal) uses the identity of the OCI compute instance the module runs on
        (for example AWX running on OCI), which needs a dynamic group of the instance and a policy allowing it;
        only O(region), O(service_endpoint) and O(auth_service_endpoint) are used then. The certificate of the
        instance comes from the instance metadata service, C(http://169.254.169.254/opc/v2) unless the
        E(OCI_METADATA_BASE_URL) environment variable names another address (read by the OCI SDK itself).
      - V(resource_principal) uses the identity of the OCI resource the module runs in (a function, a job of a
        service that provides one), from the E(OCI_RESOURCE_PRINCIPAL_VERSION) and C(OCI_RESOURCE_PRINCIPAL_*)
        variables that resource sets; only O(region) and O(service_endpoint) are used then.
      - V(security_token) uses the session that C(oci session authenticate) wrote into a profile of
        O(config_file) (its C(security_token_file) and C(key_file)); O(key_pass_phrase) or the profile's
        C(pass_phrase) opens an encrypted session key. Refresh the session with C(oci session refresh).
      - If not set, the value of the E(OCI_AUTH_TYPE) environment variable is used, then E(OCI_ANSIBLE_AUTH_TYPE)
        (the variable of oracle.oci).
    type: str
    choices: [api_key, instance_principal, resource_principal, security_token]
    default: api_key
  config_file:
    description:
      - Path of the OCI SDK/CLI configuration file.
      - If not set, the value of the E(OCI_CONFIG_FILE) environment variable is used, then C(~/.oci/config)
        when that file exists.
      - A file named explicitly must exist. Explicit options override the values read from the file.
    type: path
    aliases: [config_file_location]
  config_profile:
    description:
      - Profile of O(config_file) to use.
      - If not set, the value of the E(OCI_CONFIG_PROFILE) environment variable is used, then C(DEFAULT).
    type: str
    aliases: [config_profile_name]
  user:
    description:
      - OCID of the user the API signing key belongs to.
      - If not set, the value of the E(OCI_USER_ID) environment variable is used.
    type: str
    aliases: [api_user]
  fingerprint:
    description:
      - Fingerprint of the public half of the API signing key.
      - If not set, the value of the E(OCI_USER_FINGERPRINT) environment variable is used.
    type: str
    aliases: [api_user_fingerprint]
  key_file:
    description:
      - Path of the PEM private API signing key.
      - If not set, the value of the E(OCI_USER_KEY_FILE) environment variable is used.
    type: path
    aliases: [api_user_key_file]
  key_pass_phrase:
    description:
      - Pass phrase of O(key_file) when it is encrypted.
      - If not set, the value of the E(OCI_USER_KEY_PASS_PHRASE) environment variable is used.
    type: str
    aliases: [api_user_key_pass_phrase]
  tenancy:
    description:
      - OCID of the tenancy.
      - If not set, the value of the E(OCI_TENANCY) environment variable is used.
    type: str
  region:
    description:
      - OCI region identifier, for example C(us-ashburn-1).
      - If not set, the value of the E(OCI_REGION) environment variable is used.
    type: str
  service_endpoint:
    description:
      - Base URL of the Core Services API, replacing the one derived from O(region),
        for private endpoints or a simulator such as cloudsim.
      - C({region}) in it is replaced with the region in effect (O(region), else the config file's),
        as OCI Core has one endpoint per region and serves each resource from its own region's only;
        so one value, for example C(https://iaas.{region}.example.internal) or cloudsim's
        C(https://127.0.0.1:PORT/oci/{region}), serves hosts in several regions.
      - If not set, the value of the E(OCI_SERVICE_ENDPOINT) environment variable is used.
      - TLS certificates are verified against the bundle named by E(REQUESTS_CA_BUNDLE) when set.
    type: str
  auth_service_endpoint:
    description:
      - With O(auth_type=instance_principal), base URL of the OCI auth service that trades the instance's
        certificate for a token (at its C(/v1/x509) path), replacing C(https://auth.<region>.oraclecloud.com)
        that the SDK derives from the region the instance metadata service reports; for private endpoints,
        realms the SDK does not know yet, or a simulator such as cloudsim (C(https://127.0.0.1:PORT/oci/ap-tokyo-1)).
      - If not set, the value of the E(OCI_SDK_AUTH_CLIENT_REGION_URL) environment variable is used, the variable
        the OCI Go SDK reads for the same purpose.
      - Ignored by the other values of O(auth_type).
    type: str
requirements:
  - python >= 3.10
  - oci >= 2.100
notes:
  - API calls are retried a bounded number of times (HTTP 429, 5xx, 409 C(IncorrectState) and
    dropped connections) with exponential back-off; certificate errors fail at once.
  - Creates carry one C(opc-retry-token) per module run, so a retried create never makes a second resource.
  - All options can be set once for every OCI module with
    C(module_defaults) and the action group C(group/crosscloud.interconnect.oci).
"""

    # Options of the modules that manage their own rules inside a list other tools share.
    OWNED_RULES = r"""
options:
  state:
    description: Whether the rules for O(cidrs) should exist.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description: With O(state=present), also remove the rules this module owns that are not wanted now.
    type: bool
    default: false
  marker:
    description:
      - Start of the C(description) of the rules this module owns; rules without it are never changed.
      - Use a distinct marker per interconnect when several share a list.
    type: str
    default: managed-by:crosscloud.interconnect
"""

    # The security rules of the modules that own rules in security lists.
    SECURITY_RULES = r"""
options:
  directions:
    description: Which rule lists to manage.
    type: list
    elements: str
    choices: [ingress, egress]
    default: [ingress]
  protocol:
    description: V(all), V(tcp), V(udp), V(icmp), V(icmpv6) or an IANA protocol number.
    type: str
    default: all
  destination_ports:
    description:
      - Destination port or range (V(443), V(8000-8080)) for O(protocol=tcp) or O(protocol=udp); all ports when unset.
    type: str
  stateless:
    description: Whether the rules are stateless.
    type: bool
    default: false
"""
