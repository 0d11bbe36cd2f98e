# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything the Azure modules share: auth options, cloud resolution, the client factory, retry and
LRO policies under our control, SDK error mapping and ARM resource helpers.

The SDKs are optional at import time (sanity's import test runs without them); a module that needs
them fails through ``missing_required_lib`` when it first asks for a client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.common.dict_transformations import dict_merge
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    REQUEST_TIME_BUDGET,
    RETRY_AFTER_CAP,
    InterconnectError,
    differences,
    error_chain,
    import_for_the_process,
    is_certificate_error,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import (
    ARM_TRANSITIONAL_STATES,
    DEFAULT_WAIT_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    WaitPending,
    Waiter,
    arm_provisioning_state,
    state_moved,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.module import InterconnectModule


def azure_error():
    """azure-core's base error; the SDK is imported on first use, once a module's arguments are valid."""
    from azure.core.exceptions import AzureError
    return AzureError


NETWORK = "Microsoft.Network"
METADATA_API_VERSION = "2022-09-01"

# The retry policy (common.REQUEST_TIME_BUDGET): the counts are only a backstop, the time budget is the bound;
# Retry-After is honoured up to RETRY_AFTER_CAP.
# (A count of 12 bound first: twelve 429s with Retry-After 1 s ended a throttled request after 13 s.)
RETRY_SETTINGS = dict(retry_total=100, retry_connect=100, retry_read=100, retry_status=100,
                      retry_backoff_factor=1.0, retry_backoff_max=20)
# What a 429 or 5xx that ends a request means: the retries within the time budget did not get past it.
RETRIED_HINTS = {429: " (throttled through every retry within the time budget)",
                 500: " (the service kept failing through every retry within the time budget)"}

# Answers that say the service is unavailable or throttling, not that it refused.
UNAVAILABLE = (429, 500, 502, 503, 504)
CA_BUNDLE_VARIABLES = "REQUESTS_CA_BUNDLE (also SSL_CERT_FILE and CURL_CA_BUNDLE)"

# Named clouds: ARM endpoint, Entra ID authority and the audience the ARM token is requested for.
KNOWN_CLOUDS = {
    "AzureCloud": dict(resource_manager="https://management.azure.com",
                       authority="https://login.microsoftonline.com",
                       audience="https://management.azure.com"),
    "AzureChinaCloud": dict(resource_manager="https://management.chinacloudapi.cn",
                            authority="https://login.chinacloudapi.cn",
                            audience="https://management.chinacloudapi.cn"),
    "AzureUSGovernment": dict(resource_manager="https://management.usgovcloudapi.net",
                              authority="https://login.microsoftonline.us",
                              audience="https://management.core.usgovcloudapi.net"),
}
# The names azure.azcollection and the Azure CLI also accept for the same clouds.
CLOUD_ALIASES = {"azurepubliccloud": "AzureCloud", "azurechinacloud": "AzureChinaCloud",
                 "azureusgovernmentcloud": "AzureUSGovernment"}

# How modules sign in (auth_source), with azure.azcollection's names and meaning (its plugins/module_utils/
# azure_rm_common.py: the choices, ANSIBLE_AZURE_AUTH_SOURCE, the ~/.azure/credentials profiles and the order of auto).
AUTH_SOURCES = ["auto", "env", "credential_file", "cli", "msi"]
CREDENTIAL_FILE = "~/.azure/credentials"
# How long `az account get-access-token` may take: azure-identity's 10 s is less than the CLI takes to start on
# a busy controller (seen over 10 s with azure-cli 2.91 at a load of 15 on two cores); a real failure still ends it.
CLI_PROCESS_TIMEOUT = 60
DEFAULT_PROFILE = "default"

AZURE_AUTH_SPEC = dict(
    auth_source=dict(type="str", choices=AUTH_SOURCES, default="auto",
                     fallback=(env_fallback, ["ANSIBLE_AZURE_AUTH_SOURCE"])),
    profile=dict(type="str", fallback=(env_fallback, ["AZURE_PROFILE"])),
    subscription_id=dict(type="str", fallback=(env_fallback, ["AZURE_SUBSCRIPTION_ID"])),
    client_id=dict(type="str", fallback=(env_fallback, ["AZURE_CLIENT_ID"])),
    secret=dict(type="str", no_log=True, fallback=(env_fallback, ["AZURE_SECRET"])),
    # azcollection's name, then azure-identity's EnvironmentCredential's.
    x509_certificate_path=dict(type="path", aliases=["cert_path"],
                               fallback=(env_fallback, ["AZURE_X509_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"])),
    x509_certificate_password=dict(type="str", no_log=True,
                                   fallback=(env_fallback, ["AZURE_CLIENT_CERTIFICATE_PASSWORD"])),
    # What the AKS workload identity webhook injects (with AZURE_CLIENT_ID and AZURE_TENANT_ID).
    federated_token_file=dict(type="path", fallback=(env_fallback, ["AZURE_FEDERATED_TOKEN_FILE"])),
    tenant=dict(type="str", fallback=(env_fallback, ["AZURE_TENANT", "AZURE_TENANT_ID"])),
    cloud_environment=dict(type="str", fallback=(env_fallback, ["AZURE_CLOUD_ENVIRONMENT"])),
)

# The service principal credentials, in the order a source holding several uses them (azcollection's order:
# secret before certificate), each with the settings it needs and the variables users set them with.
SIGN_IN_KINDS = dict(
    secret=dict(label="a service principal and its secret", needs=("client_id", "secret", "tenant"),
                check="client_id, secret and tenant, or AZURE_CLIENT_ID, AZURE_SECRET and AZURE_TENANT"),
    certificate=dict(label="a service principal and its certificate", needs=("client_id", "x509_certificate_path", "tenant"),
                     check="that x509_certificate_path (AZURE_X509_CERTIFICATE_PATH) holds the private key and the "
                           "certificate uploaded to application client_id (AZURE_CLIENT_ID) of tenant (AZURE_TENANT)"),
    workload_identity=dict(label="workload identity", needs=("client_id", "federated_token_file", "tenant"),
                           check="that application client_id (AZURE_CLIENT_ID) has a federated credential for this "
                                 "workload's issuer and subject, and that federated_token_file (AZURE_FEDERATED_TOKEN_FILE) "
                                 "holds a current token"),
    cli=dict(label="the Azure CLI's login", needs=(),
             check="that az is on the PATH of the user running the module and `az account get-access-token` works "
                   "for that user (`az login`)"),
    managed_identity=dict(label="the managed identity of this host", needs=(),
                          check="that this host has the managed identity (system-assigned, or the user-assigned one "
                                "whose client_id is given) and that its endpoint answers (IMDS, or IDENTITY_ENDPOINT "
                                "on App Service)"),
)
# The option each credential setting comes from, and its environment variable, for the messages.
SETTING_VARIABLES = dict(subscription_id="AZURE_SUBSCRIPTION_ID", client_id="AZURE_CLIENT_ID", secret="AZURE_SECRET",
                         tenant="AZURE_TENANT", x509_certificate_path="AZURE_X509_CERTIFICATE_PATH",
                         federated_token_file="AZURE_FEDERATED_TOKEN_FILE")
# What a credential file profile may hold: the options' names, as azcollection reads them.
PROFILE_SETTINGS = ("subscription_id", "client_id", "secret", "tenant", "x509_certificate_path",
                    "x509_certificate_password", "cloud_environment")


class CloudResolutionError(Exception):
    """The cloud_environment names no known cloud, or its metadata endpoint gave no usable answer."""


# ---------------------------------------------------------------------------------------------
# Cloud environment


def resolve_cloud(cloud_environment, fetch_metadata):
    """Endpoints for ``cloud_environment``: a cloud name or the URL of an ARM with a metadata endpoint.

    ``fetch_metadata(url)`` returns the decoded JSON of ``{url}/metadata/endpoints`` (only called for
    URLs). Returns ``dict(resource_manager, authority, audience, from_metadata)``.
    """
    value = (cloud_environment or "AzureCloud").strip()
    if not value.lower().startswith(("https://", "http://")):
        name = CLOUD_ALIASES.get(value.lower(), value)
        for known, endpoints in KNOWN_CLOUDS.items():
            if known.lower() == name.lower():
                return dict(endpoints, from_metadata=False)
        raise CloudResolutionError(
            "cloud_environment %r is neither a known cloud (%s) nor an https:// metadata URL"
            % (value, ", ".join(sorted(KNOWN_CLOUDS))))
    url = value.rstrip("/")
    entry = _metadata_entry(fetch_metadata(url), url)
    authentication = entry.get("authentication") or {}
    audiences = authentication.get("audiences") or []
    missing = [field for field, present in (("resourceManager", entry.get("resourceManager")),
                                            ("authentication.loginEndpoint", authentication.get("loginEndpoint")),
                                            ("authentication.audiences", audiences)) if not present]
    if missing:
        raise CloudResolutionError("The metadata of %s lacks %s" % (url, ", ".join(missing)))
    return dict(resource_manager=entry["resourceManager"].rstrip("/"),
                authority=authentication["loginEndpoint"].rstrip("/"),
                audience=audiences[0].rstrip("/"),
                from_metadata=True)


def _metadata_entry(document, url):
    # api-version 2022-09-01 answers with one cloud object (go-azure-sdk's sdk/internal/metadata decodes
    # one); the 2019-05-01 to 2020-06-01 versions answered a list of clouds, which some private endpoints
    # may still do: from a list, take the cloud whose resourceManager is the URL we asked.
    if isinstance(document, dict):
        return document
    if isinstance(document, list) and document:
        for entry in document:
            if isinstance(entry, dict) and (entry.get("resourceManager") or "").rstrip("/").lower() == url.lower():
                return entry
        if isinstance(document[0], dict):
            return document[0]
    raise CloudResolutionError("The metadata endpoint of %s returned no cloud description" % url)


def credential_scope(audience):
    return audience.rstrip("/") + "/.default"


# ---------------------------------------------------------------------------------------------
# Credential sources


class SignIn(object):
    """How the API layer signs in: the auth_source that decided (``source``), the kind of credential (a key of
    SIGN_IN_KINDS), its ``settings`` (the auth options, or a credential file profile's) and, for a profile,
    ``profile``, its name."""

    def __init__(self, source, kind, settings, profile=None):
        self.source = source
        self.kind = kind
        self.settings = settings
        self.profile = profile

    def __repr__(self):
        return "SignIn(%r, %r, profile=%r)" % (self.source, self.kind, self.profile)

    @property
    def label(self):
        if self.kind == "managed_identity" and self.settings.get("client_id"):
            return "the user-assigned managed identity %s" % self.settings["client_id"]
        return SIGN_IN_KINDS[self.kind]["label"]

    @property
    def origin(self):
        """Where the settings came from, for messages."""
        if self.profile:
            return "auth_source %s, profile %s of %s" % (self.source, self.profile, CREDENTIAL_FILE)
        return "auth_source %s" % self.source

    @property
    def check(self):
        """What to check when Azure refuses these credentials."""
        if self.profile:
            return "the settings of profile %s in %s (%s)" % (self.profile, CREDENTIAL_FILE,
                                                              SIGN_IN_KINDS[self.kind]["check"])
        return SIGN_IN_KINDS[self.kind]["check"]

    def missing(self):
        """The settings this sign-in needs and lacks, named as users set them."""
        # The CLI has a default subscription (az account show); every other source needs one.
        needs = SIGN_IN_KINDS[self.kind]["needs"] + (() if self.kind == "cli" else ("subscription_id",))
        absent = [option for option in needs if not self.settings.get(option)]
        if self.profile:
            return ["%s in profile %s of %s" % (option, self.profile, CREDENTIAL_FILE) for option in absent]
        return ["%s (or %s)" % (option, SETTING_VARIABLES[option]) for option in absent]


def service_principal_kind(settings):
    """The service principal credential ``settings`` hold (secret, certificate or workload identity), or None."""
    for kind, option in (("secret", "secret"), ("certificate", "x509_certificate_path"),
                         ("workload_identity", "federated_token_file")):
        if settings.get(option):
            return kind
    return None


def read_credential_file(profile, path=CREDENTIAL_FILE):
    """The settings of ``profile`` in the Azure credential file (INI, keys named as the options), or None when the
    file or the profile does not exist."""
    import configparser

    parser = configparser.RawConfigParser()
    if not parser.read(os.path.expanduser(path)) or not parser.has_section(profile):
        return None
    return dict((key, parser.get(profile, key)) for key in PROFILE_SETTINGS if parser.has_option(profile, key))


def profile_sign_in(source, auth, read_profile, required):
    """The SignIn of a credential file profile (``profile``, else ``default``); None when it does not exist and
    is not ``required``. The profile's own subscription and cloud win; the options fill in what it lacks."""
    name = auth.get("profile") or DEFAULT_PROFILE
    settings = read_profile(name)
    if settings is None:
        if not required:
            return None
        raise InterconnectError("auth_source %s: profile %s of %s does not exist (set profile or AZURE_PROFILE to one "
                                "of its sections, or choose another auth_source)" % (source, name, CREDENTIAL_FILE))
    for option in ("subscription_id", "cloud_environment"):
        settings.setdefault(option, auth.get(option))
    kind = service_principal_kind(settings)
    if kind is None:
        raise InterconnectError("auth_source %s: profile %s of %s holds no secret, x509_certificate_path or "
                                "federated_token_file" % (source, name, CREDENTIAL_FILE))
    return SignIn(source, kind, settings, profile=name)


def choose_sign_in(auth, read_profile=read_credential_file, cli_available=None):
    """The SignIn that ``auth`` (the auth options) asks for.

    ``auth_source`` as azure.azcollection reads it: ``env`` the options and their environment variables,
    ``credential_file`` a profile of ~/.azure/credentials, ``cli`` the Azure CLI's login, ``msi`` the managed
    identity of the host (user-assigned when ``client_id`` is set), ``auto`` (or unset) the first that has
    credentials of: the ``profile`` asked for, the options and environment, the ``default`` profile, the CLI when
    ``az`` is on the PATH (``cli_available()``). ``auto`` never tries the managed identity, as azcollection's does
    not: off Azure its endpoint answers nothing and the attempt would only add a time-out.
    """
    source = auth.get("auth_source") or "auto"
    if source == "msi":
        return SignIn(source, "managed_identity", auth)
    if source == "cli":
        return SignIn(source, "cli", auth)
    if source == "credential_file" or (source == "auto" and auth.get("profile")):
        return profile_sign_in(source, auth, read_profile, required=True)
    kind = service_principal_kind(auth)
    if kind is not None:
        return SignIn(source, kind, auth)
    if source == "env":
        raise InterconnectError(
            "auth_source env: no Azure credentials in the options or the environment: set secret (AZURE_SECRET), "
            "x509_certificate_path (AZURE_X509_CERTIFICATE_PATH) or federated_token_file (AZURE_FEDERATED_TOKEN_FILE), "
            "with client_id (AZURE_CLIENT_ID), tenant (AZURE_TENANT) and subscription_id (AZURE_SUBSCRIPTION_ID)")
    found = profile_sign_in(source, auth, read_profile, required=False)
    if found is not None:
        return found
    if (cli_available or default_cli_available)():
        return SignIn(source, "cli", auth)
    raise InterconnectError(
        "No Azure credentials found (auth_source auto looked for a secret, a certificate or a federated token in the "
        "options and AZURE_* variables, for profile %s of %s, and for az on the PATH): set AZURE_CLIENT_ID, "
        "AZURE_SECRET, AZURE_TENANT and AZURE_SUBSCRIPTION_ID, or choose auth_source msi on an Azure host with a "
        "managed identity" % (DEFAULT_PROFILE, CREDENTIAL_FILE))


def default_cli_available():
    from shutil import which

    return which("az") is not None


def cli_default_subscription(timeout=CLI_PROCESS_TIMEOUT):
    """The Azure CLI's default subscription (``az account show``), which azcollection's cli source uses when no
    subscription_id is given."""
    import json
    import subprocess
    from shutil import which

    az = which("az")
    if az is None:
        raise InterconnectError("auth_source cli: no subscription_id (AZURE_SUBSCRIPTION_ID) and no az on the PATH to "
                                "ask for the Azure CLI's default subscription")
    try:
        shown = subprocess.run([az, "account", "show", "--output", "json"], capture_output=True, text=True,
                               timeout=timeout, check=False)
        if shown.returncode == 0:
            return json.loads(shown.stdout)["id"]
        problem = _first_line(shown.stderr or "exit status %d" % shown.returncode)
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired) as error:
        problem = _first_line(error)
    raise InterconnectError("auth_source cli: no subscription_id (AZURE_SUBSCRIPTION_ID), and `az account show` did not "
                            "give the Azure CLI's default subscription (%s): set subscription_id, or run az login" % problem)


# ---------------------------------------------------------------------------------------------
# Errors


def describe_error(error, sign_in=None):
    """Map an SDK exception to the message and keys of an InterconnectError.

    ``sign_in`` (a SignIn) names the credentials a failed sign-in used (a service principal's secret from the
    options or environment when not given). Returns ``dict(msg, status_code, error_code, request_id,
    correlation_request_id)``; values the error does not carry are None.
    """
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    odata = getattr(error, "error", None)
    details = dict(
        msg=_error_message(error, odata) + RETRIED_HINTS.get(_status_class(error), ""),
        status_code=http_status(error),
        error_code=getattr(odata, "code", None),
        request_id=headers.get("x-ms-request-id"),
        correlation_request_id=headers.get("x-ms-correlation-request-id"),
    )
    sign_in = sign_in or SignIn("auto", "secret", {})
    if is_certificate_error(error):
        details["msg"] = ("TLS certificate verification failed: %s. Point %s at a CA bundle that includes "
                          "the certificate authority of the endpoint." % (_first_line(error), CA_BUNDLE_VARIABLES))
    elif isinstance(error, credential_unavailable_error()):
        # azure-identity's word for a source this host does not offer: no az login, no managed identity endpoint.
        details["msg"] = "Signing in with %s is not possible here (%s; check %s): %s" % (
            sign_in.label, sign_in.origin, sign_in.check, details["msg"])
    elif isinstance(error, client_authentication_error()) and sign_in_unavailable(error):
        # azure-identity raises the same error for an Entra ID that does not answer as for one that refuses:
        # the HTTP status, or a request that never got an answer, tells an outage from a refusal.
        details["status_code"] = sign_in_status(error)
        details["msg"] = ("Microsoft Entra ID could not sign in (%s): the sign-in service is unavailable or "
                          "throttling, the credentials were not judged; retry later (signing in with %s, %s). %s" % (
                              "HTTP %s after retries" % details["status_code"] if details["status_code"]
                              else "no answer within the time budget", sign_in.label, sign_in.origin, details["msg"]))
    elif isinstance(error, client_authentication_error()):
        details["msg"] = "Azure refused the credentials of %s (%s; check %s): %s" % (
            sign_in.label, sign_in.origin, sign_in.check, details["msg"])
    return details


_MSAL_HTTP_ERROR = re.compile(r"HTTP Error: (\d{3})")


def sign_in_status(error):
    """The HTTP status of a failed sign-in: the error's own (azure-identity's raise_for_status), or the one msal
    puts in its message for an answer that is no OAuth error ("HTTP Error: 503", msal's
    throttled_http_client.NormalizedResponse.raise_for_status, which azure-identity wraps)."""
    status = http_status(error)
    for current in error_chain(error) if status is None else ():
        match = _MSAL_HTTP_ERROR.search(str(getattr(current, "message", None) or current))
        if match:
            return int(match.group(1))
    return status


def sign_in_unavailable(error):
    """Whether a failed sign-in is an outage: an HTTP status saying so, or no answer at all (azure-core's
    ServiceRequestError / ServiceResponseError, timeouts included, anywhere in the error's chain)."""
    if sign_in_status(error) in UNAVAILABLE:
        return True
    from azure.core.exceptions import ServiceRequestError, ServiceResponseError

    return any(isinstance(current, (ServiceRequestError, ServiceResponseError)) for current in error_chain(error))


def http_status(error):
    """The HTTP status an SDK error carries: its own, or its response's (None for a request never answered)."""
    return getattr(error, "status_code", None) or getattr(getattr(error, "response", None), "status_code", None)


def _status_class(error):
    status = http_status(error) or 0
    return 500 if status >= 500 else status


def _error_message(error, odata):
    message = getattr(odata, "message", None)
    if message:
        return message
    return _first_line(getattr(error, "message", None) or error)


def _first_line(value):
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__


def is_not_found(error):
    """A 404 that means "this resource does not exist" (not a missing resource group or parent)."""
    if getattr(error, "status_code", None) != 404:
        return False
    code = getattr(getattr(error, "error", None), "code", None) or ""
    return code not in ("ResourceGroupNotFound", "ParentResourceNotFound", "SubscriptionNotFound")


def is_refusal(error):
    """Azure refused the request as such (400 Bad Request): nothing was started or changed."""
    return getattr(error, "status_code", None) == 400


# ---------------------------------------------------------------------------------------------
# Pipeline policies


_POLICY_CLASSES = {}


def retry_policy_class():
    """azure-core's retry with a cap on Retry-After and no retries of certificate failures (made on first
    use, as it extends an SDK class)."""
    if "retry" not in _POLICY_CLASSES:
        from azure.core.pipeline.policies import RetryPolicy

        class InterconnectRetryPolicy(RetryPolicy):
            def get_retry_after(self, response):
                delay = super(InterconnectRetryPolicy, self).get_retry_after(response)
                return min(delay, RETRY_AFTER_CAP) if delay else delay

            def increment(self, settings, response=None, error=None):
                # A certificate problem does not heal with back-off; retrying it only looks like a hang.
                if error is not None and is_certificate_error(error):
                    return False
                return super(InterconnectRetryPolicy, self).increment(settings, response=response, error=error)

        _POLICY_CLASSES["retry"] = InterconnectRetryPolicy
    return _POLICY_CLASSES["retry"]


def arm_retry_policy(time_budget=REQUEST_TIME_BUDGET):
    """The retry policy of every ARM request: bounded by ``time_budget`` (azure-core's ``timeout`` counts the
    requests and the sleeps between them), Retry-After honoured up to RETRY_AFTER_CAP."""
    return retry_policy_class()(timeout=time_budget, **RETRY_SETTINGS)


def client_authentication_error():
    from azure.core.exceptions import ClientAuthenticationError
    return ClientAuthenticationError


def credential_unavailable_error():
    """azure-identity's error for a credential source this host does not offer (a ClientAuthenticationError)."""
    from azure.identity import CredentialUnavailableError
    return CredentialUnavailableError


# ---------------------------------------------------------------------------------------------
# ARM resource ids and shapes


def resource_id(subscription_id, resource_group, resource_type, name):
    """``/subscriptions/.../providers/Microsoft.Network/<type>/<name>`` (azure-mgmt-core's helper)."""
    from azure.mgmt.core.tools import resource_id as arm_resource_id

    return arm_resource_id(subscription=subscription_id, resource_group=resource_group, namespace=NETWORK,
                           type=resource_type, name=name)


def name_or_id(value, subscription_id, resource_group, resource_type):
    """An ARM id given either as the id itself or as a name in ``resource_group``."""
    if value.startswith("/"):
        parse_resource_id(value)
        return value
    return resource_id(subscription_id, resource_group, resource_type, value)


def parse_resource_id(value):
    """``dict(subscription_id, resource_group, type, name)`` of an ARM id (parsed by azure-mgmt-core's
    helper, which lower-cases the type); raises ValueError if it is none."""
    from azure.mgmt.core.tools import is_valid_resource_id, parse_resource_id as arm_parse_resource_id

    parts = arm_parse_resource_id(value) if isinstance(value, str) and is_valid_resource_id(value) else {}
    wanted = dict(subscription_id="subscription", resource_group="resource_group", type="type", name="name")
    if not all(parts.get(key) for key in wanted.values()):
        raise ValueError("%r is not an Azure resource id" % value)
    return dict((ours, parts[theirs]) for ours, theirs in wanted.items())


def same_id(first, second):
    """ARM ids compare case-insensitively."""
    return (first or "").rstrip("/").lower() == (second or "").rstrip("/").lower()


def wanted_tags(current, tags, purge_tags):
    """The tags a resource should end up with (None: leave them as they are)."""
    if tags is None:
        return None
    merged = {} if purge_tags else dict(current or {})
    merged.update(tags)
    return merged


def deep_merge(base, overlay):
    """``base`` with ``overlay`` written over it, dicts merged recursively (ansible-core's ``dict_merge``;
    neither is modified). Tags are replaced whole: their purge was decided already."""
    merged = dict_merge(base or {}, dict((key, value) for key, value in overlay.items() if key != "tags"))
    if "tags" in overlay:
        merged["tags"] = overlay["tags"]
    return merged


def peering_summary(peering):
    """The user-facing view of an ExpressRoute circuit peering (REST JSON in, snake_case out)."""
    properties = peering.get("properties") or {}
    return dict(
        id=peering.get("id"),
        name=peering.get("name"),
        peering_type=properties.get("peeringType"),
        state=properties.get("state"),
        provisioning_state=properties.get("provisioningState"),
        peer_asn=properties.get("peerASN"),
        azure_asn=properties.get("azureASN"),
        vlan_id=properties.get("vlanId"),
        primary_peer_address_prefix=properties.get("primaryPeerAddressPrefix"),
        secondary_peer_address_prefix=properties.get("secondaryPeerAddressPrefix"),
        primary_azure_port=properties.get("primaryAzurePort"),
        secondary_azure_port=properties.get("secondaryAzurePort"),
        last_modified_by=properties.get("lastModifiedBy"),
    )


def connection_summary(connection):
    """The user-facing view of a virtual network gateway connection (REST JSON in, snake_case out)."""
    if not connection:
        return {}
    properties = connection.get("properties") or {}
    return dict(
        id=connection.get("id"),
        name=connection.get("name"),
        location=connection.get("location"),
        tags=connection.get("tags") or {},
        connection_type=properties.get("connectionType"),
        virtual_network_gateway_id=(properties.get("virtualNetworkGateway1") or {}).get("id"),
        circuit_id=(properties.get("peer") or {}).get("id"),
        routing_weight=properties.get("routingWeight"),
        express_route_gateway_bypass=properties.get("expressRouteGatewayBypass"),
        provisioning_state=properties.get("provisioningState"),
        connection_status=properties.get("connectionStatus"),
    )


def circuit_summary(circuit, include_service_key=True):
    """The user-facing view of an ExpressRoute circuit (REST JSON in, snake_case out)."""
    properties = circuit.get("properties") or {}
    provider = properties.get("serviceProviderProperties") or {}
    sku = circuit.get("sku") or {}
    summary = dict(
        id=circuit.get("id"),
        name=circuit.get("name"),
        location=circuit.get("location"),
        tags=circuit.get("tags") or {},
        etag=circuit.get("etag"),
        sku=dict(name=sku.get("name"), tier=sku.get("tier"), family=sku.get("family")),
        service_provider_name=provider.get("serviceProviderName"),
        peering_location=provider.get("peeringLocation"),
        bandwidth_in_mbps=provider.get("bandwidthInMbps"),
        allow_classic_operations=properties.get("allowClassicOperations"),
        global_reach_enabled=properties.get("globalReachEnabled"),
        provisioning_state=properties.get("provisioningState"),
        circuit_provisioning_state=properties.get("circuitProvisioningState"),
        service_provider_provisioning_state=properties.get("serviceProviderProvisioningState"),
        peerings=[peering_summary(peering) for peering in properties.get("peerings") or []],
    )
    if include_service_key:
        summary["service_key"] = properties.get("serviceKey")
    return summary


def as_json(model):
    """REST JSON of an SDK model (the models of azure-mgmt-network 33 are mappings over it)."""
    if model is None:
        return None
    if hasattr(model, "as_dict"):
        return model.as_dict()
    return dict(model)


# ---------------------------------------------------------------------------------------------
# The API layer


def sdk():
    """``(azure.identity, NetworkManagementClient)``, imported on first use once a module's arguments are valid."""
    return import_for_the_process(_import_sdk)


def _import_sdk():
    from azure import identity
    from azure.mgmt.network import NetworkManagementClient
    return identity, NetworkManagementClient


class AzureApi(object):
    """The Azure API layer: one NetworkManagementClient built from the auth options, and the calls the
    modules make through it, each turning an SDK error into the one InterconnectError. It never
    touches a module, so a benchmark or a test can use it as it is.

    ``auth`` holds the options of ``AZURE_AUTH_SPEC`` (a module's params will do); ``time_budget`` bounds every
    request with its retries, the sign-in's included.
    """

    def __init__(self, auth, time_budget=REQUEST_TIME_BUDGET):
        self.auth = dict((option, auth.get(option)) for option in AZURE_AUTH_SPEC)
        self.time_budget = time_budget
        self._sign_in = None
        self._subscription_id = None
        self._client = None
        self._credential = None
        self._cloud = None
        self._session = None

    @property
    def subscription_id(self):
        """The subscription the client works in: the option's, a credential file profile's or the CLI's default."""
        return self._subscription_id or self.auth["subscription_id"]

    @property
    def client(self):
        """The NetworkManagementClient, built on first use."""
        if self._client is None:
            self._client = self._build_client()
        return self._client

    def _build_client(self):
        # Imported here, where the only path that needs them runs; a missing SDK fails as sanity expects.
        try:
            identity, NetworkManagementClient = sdk()
        except ImportError:
            raise InterconnectError(missing_required_lib("azure-identity and azure-mgmt-network"),
                                    exception=traceback.format_exc())
        sign_in = self.sign_in_choice
        missing = sign_in.missing()
        if missing:
            raise InterconnectError("Missing Azure credentials: set %s (to sign in with %s, %s)."
                                    % (", ".join(missing), sign_in.label, sign_in.origin))
        self._subscription_id = sign_in.settings.get("subscription_id") or cli_default_subscription()
        cloud = self.cloud
        credential = self._credential = self._credential_of(identity, sign_in)
        return NetworkManagementClient(
            credential, self._subscription_id, base_url=cloud["resource_manager"],
            credential_scopes=[credential_scope(cloud["audience"])],
            polling_interval=DEFAULT_WAIT_INTERVAL,
            retry_policy=arm_retry_policy(self.time_budget), transport=self._transport())

    @property
    def sign_in_choice(self):
        """The SignIn the auth options ask for (chosen once)."""
        if self._sign_in is None:
            self._sign_in = choose_sign_in(self.auth)
        return self._sign_in

    def _credential_of(self, identity, sign_in):
        """The credential of ``sign_in`` (``identity``: the azure.identity package). Those that ask Entra ID
        themselves get the cloud's authority and the collection's retry policy, transport and time budget; the
        CLI and the managed identity endpoint have their own."""
        settings = sign_in.settings
        if sign_in.kind == "cli":
            return identity.AzureCliCredential(tenant_id=settings.get("tenant") or "", process_timeout=CLI_PROCESS_TIMEOUT)
        if sign_in.kind == "managed_identity":
            return identity.ManagedIdentityCredential(client_id=settings.get("client_id") or None,
                                                      transport=self._transport())
        cloud = self.cloud
        entra = dict(authority=cloud["authority"],
                     # A metadata-URL cloud (Azure Stack Hub, a private ARM) is unknown to Entra's public
                     # instance discovery, which would refuse its authority.
                     disable_instance_discovery=cloud["from_metadata"],
                     retry_policy_class=retry_policy_class(), transport=self._transport(), timeout=self.time_budget,
                     **RETRY_SETTINGS)
        if sign_in.kind == "secret":
            return identity.ClientSecretCredential(settings["tenant"], settings["client_id"], settings["secret"], **entra)
        if sign_in.kind == "workload_identity":
            return identity.WorkloadIdentityCredential(tenant_id=settings["tenant"], client_id=settings["client_id"],
                                                       token_file_path=settings["federated_token_file"], **entra)
        try:
            return identity.CertificateCredential(settings["tenant"], settings["client_id"],
                                                  settings["x509_certificate_path"],
                                                  password=settings.get("x509_certificate_password") or None, **entra)
        except (OSError, ValueError) as error:  # unreadable file, no key or certificate in it, wrong password
            raise InterconnectError("Cannot use the certificate %s (%s): %s" % (
                settings["x509_certificate_path"], sign_in.origin, _first_line(error)))

    def sign_in(self):
        """Get the ARM token now, so refused credentials fail here rather than as the first read's problem; the
        reads after it reuse the token (the credential caches it), so it costs no extra request."""
        client = self.client
        self.call("sign in to Azure", self._credential.get_token, credential_scope(self.cloud["audience"]))
        return client

    def _transport(self):
        """A transport on the one HTTP session: where the metadata, sign-in and ARM hosts coincide (a
        private cloud), their calls share connections instead of a TLS setup each."""
        from azure.core.pipeline.transport import RequestsTransport

        if self._session is None:
            owner = RequestsTransport()
            owner.open()  # makes the session and configures it (no urllib3 retries) as azure-core does
            self._session = owner.session
        return RequestsTransport(session=self._session, session_owner=False)

    @property
    def cloud(self):
        if self._cloud is None:
            try:
                self._cloud = resolve_cloud(self.auth["cloud_environment"], self._fetch_metadata)
            except CloudResolutionError as error:
                raise InterconnectError(str(error), cloud_environment=self.auth["cloud_environment"])
        return self._cloud

    def _fetch_metadata(self, url):
        from azure.core import PipelineClient
        from azure.core.rest import HttpRequest

        pipeline = PipelineClient(url, policies=[retry_policy_class()(**RETRY_SETTINGS)], transport=self._transport())
        request = HttpRequest("GET", url + "/metadata/endpoints", params={"api-version": METADATA_API_VERSION})
        response = self.call("read the cloud metadata of %s" % url, pipeline.send_request, request)
        try:
            response.raise_for_status()
            return response.json()
        except (azure_error(), ValueError) as error:
            raise CloudResolutionError("Could not read the cloud metadata of %s: %s" % (url, _first_line(error)))

    @staticmethod
    def error_from(error, action, sign_in=None):
        """The InterconnectError of an SDK error, naming what we were doing, the ids Azure support asks for and, for
        a failed sign-in, the credentials of ``sign_in``."""
        described = describe_error(error, sign_in)
        details = dict((key, value) for key, value in described.items() if key != "msg")
        return InterconnectError("Failed to %s: %s" % (action, described["msg"]), **details)

    def call(self, action, operation, *args, **kwargs):
        """``operation(*args, **kwargs)``; an SDK error becomes an InterconnectError with ``action`` in its message."""
        try:
            return operation(*args, **kwargs)
        except azure_error() as error:
            raise self.error_from(error, action, self._sign_in)

    def get_or_none(self, action, operation, *args, **kwargs):
        """REST JSON of a GET, or None when the resource does not exist.

        A missing resource group or parent still fails: it is a mistake in the input, not absence.
        """
        try:
            return as_json(operation(*args, **kwargs))
        except azure_error() as error:
            if is_not_found(error):
                return None
            raise self.error_from(error, action, self._sign_in)

    def get_or_fail(self, action, missing_message, operation, *args, **kwargs):
        """REST JSON of a GET; fails with ``missing_message`` when the resource does not exist."""
        found = self.get_or_none(action, operation, *args, **kwargs)
        if found is None:
            raise InterconnectError(missing_message)
        return found

    def list_all(self, action, operation, *args, **kwargs):
        """REST JSON of every item of a paged list."""
        try:
            return [as_json(item) for item in operation(*args, **kwargs)]
        except azure_error() as error:
            raise self.error_from(error, action, self._sign_in)

    def run_lro(self, action, begin_operation, *args, **kwargs):
        """Start a long-running operation and, when ``wait`` (the wait options: ``wait_for``, ``wait_timeout``,
        ``wait_interval``) asks for ``succeeded`` (the default), follow it with the collection's waiter.

        Returns ``(REST JSON of the final resource, wait history)`` (of the first response when not
        waiting; None for deletes).

        ``on_refusal(error)``, when given, runs if Azure refuses the request itself (HTTP 400): Azure
        validates every reference, so a module can send its write without reading them first and
        read them only to explain a refusal. It raises the clearer error it finds, or returns True
        when the cause has gone (a circuit provisioned meanwhile) to send the request once more;
        otherwise Azure's own error is reported.
        """
        on_refusal = kwargs.pop("on_refusal", None)
        wait = kwargs.pop("wait", None) or dict(wait_for=["succeeded"], wait_timeout=DEFAULT_WAIT_TIMEOUT,
                                                wait_interval=DEFAULT_WAIT_INTERVAL)
        waiting = "succeeded" in wait["wait_for"]

        def begin():
            # azure-mgmt-core's ARM polling follows Azure-AsyncOperation/Location at the interval asked,
            # or at the Retry-After ARM sends with it, as ARM asks of its clients.
            from azure.mgmt.core.polling.arm_polling import ARMPolling

            polling = ARMPolling(wait["wait_interval"], path_format_arguments={"endpoint": self.cloud["resource_manager"]})
            return begin_operation(*args, polling=polling if waiting else False, **kwargs)

        try:
            poller = begin()
        except azure_error() as error:
            if not (on_refusal is not None and is_refusal(error) and on_refusal(error)):
                raise self.error_from(error, action, self._sign_in)
            poller = self.call(action, begin)
        if not waiting:
            return as_json(poller.result()), []
        # The poller polls on its own thread; the waiter reads its status and bounds the wait (the
        # poller's wait is its sleep: it returns early when the operation ends).
        try:
            dummy, history = Waiter("operation", poller.status, sleep=poller.wait).wait_as_asked(
                wait, ["succeeded"], subject="the operation (%s)" % action)
            return as_json(poller.result()), history
        except WaitPending as pending:
            # The write is made: the next call finds the resource Updating and waits for it to settle.
            raise pending.carrying(changed=True)
        except azure_error() as error:
            raise self.error_from(error, action, self._sign_in)
        except InterconnectError as error:
            raise InterconnectError("%s; it continues in Azure, re-run with a larger wait_timeout to follow it" % error.msg,
                                    **error.details)


# ---------------------------------------------------------------------------------------------
# Module base


class AzureInterconnectModule(InterconnectModule):
    """A module with the shared Azure options and ``api``, the Azure API layer built from them.

    ``AzureInterconnectModule(argument_spec=..., supports_check_mode=True)`` merges the auth options
    (and, with ``wait_choices``, the wait options, ``wait_for`` among those choices) into the module's own spec.
    """

    def __init__(self, argument_spec, **kwargs):
        super(AzureInterconnectModule, self).__init__(argument_spec, AZURE_AUTH_SPEC, **kwargs)
        self.api = AzureApi(self.params)

    def read_settled(self, read, subject):
        """``(resource, wait history)``: ``read()``, and while an operation still runs on the resource, waited for
        (``settled``; in check mode a warning instead)."""
        return self.settle(read(), read, subject)

    def settle(self, current, read, subject):
        """``read_settled`` of a resource already read (``current``)."""
        current, history, warning = settled(self.api, current, read, subject, self.wait_options, self.check_mode)
        if warning:
            self.warn(warning)
        return current, history


# ---------------------------------------------------------------------------------------------
# Desired-vs-current


def resource_differences(current, wanted):
    """Paths where ``current`` does not satisfy ``wanted``: case-insensitive (as ARM is), except tags,
    which must be exactly the wanted set when ``wanted`` holds them."""
    wanted = dict(wanted)
    tags = wanted.pop("tags", None)
    found = differences(current or {}, wanted, ignore_case=True)
    if tags is not None and ((current or {}).get("tags") or {}) != tags:
        found.append("tags")
    return sorted(found)


def settled(api, current, read, subject, wait, check_mode):
    """``(resource, history, warning)``: ``current`` (REST JSON), waited for while an operation still runs on it
    (provisioning state Creating, Updating or Deleting: another run's, or an interrupted one's), so nothing is
    decided from a resource half made (a circuit being created still has an all-zero service key). Check mode
    does not wait: it warns. ``read()`` reads the resource again; a resource deleted meanwhile comes back None."""
    state = arm_provisioning_state(current)
    if current is None or state not in ARM_TRANSITIONAL_STATES:
        return current, [], None
    if check_mode:
        return current, [], "%s is %s (an operation is still running on it): a real run waits for it first" % (
            subject, state)
    value, history = Waiter("arm_resource", read).wait_as_asked(wait, ["settled"], subject=subject, first=current)
    return value, history, None


def with_history(history, result):
    """``result`` with the wait for a settling resource put before the waits of its own operation; a resource
    that settled meanwhile was changed (by an earlier call of a split wait, or an interrupted run)."""
    if history:
        result["wait_history"] = history + result.get("wait_history", [])
    if state_moved(history):
        result["changed"] = True
    return result


def repair_of_failed(current):
    """``["provisioning_state"]`` when a failed operation left ``current`` Failed: Azure repairs a resource by a PUT
    of its wanted state again, so the module writes it even when its settings already match; else ``[]``."""
    return ["provisioning_state"] if arm_provisioning_state(current) == "Failed" else []


def wait_for_provisioned_circuit(api, resource_group, name, wait, first=None):
    """Wait (``wait``: the wait options) until the provider has provisioned circuit ``name``.

    Returns ``(circuit JSON, history)``. ``first`` is a circuit already read by the caller: when it is
    provisioned no call is made, otherwise polling starts from it.
    """
    latest = dict(circuit=first)

    def read():
        latest["circuit"] = api.get_or_none("read circuit %s" % name, api.client.express_route_circuits.get,
                                            resource_group, name)
        return summarize(latest["circuit"])

    try:
        history = Waiter("expressroute_circuit", read).wait_as_asked(
            wait, ["provider_provisioned"], subject="circuit %s" % name, first=summarize(first))[1]
    except InterconnectError as error:
        raise InterconnectError("%s. Azure accepts a private peering or a gateway connection only on a circuit its "
                                "provider has provisioned: create the OCI virtual circuit first, or wait longer "
                                "(wait_timeout)." % error.msg, **error.details)
    return latest["circuit"], history


def summarize(circuit):
    """The circuit summary without its service key (None stays None), as the waiter judges circuits."""
    return circuit_summary(circuit, include_service_key=False) if circuit else None


def unprovisioned_circuit_warning(name, circuit, wait_for, why):
    """What a check run says before reporting a write on circuit ``name`` that its provider has not
    provisioned (``circuit``: its JSON, None when it does not exist); None when it has.

    A check run does nothing before this step either (it creates no circuit, and no OCI virtual circuit
    provisions one), so it reports the write and says what a real run needs by then, and ``why``.
    """
    state = summarize(circuit)["service_provider_provisioning_state"] if circuit else None
    if state == "Provisioned":
        return None
    if circuit:
        found = "Circuit %s is %s." % (name, state)
    else:
        found = "Circuit %s does not exist yet: a real run fails here unless an earlier step has created it." % name
    if "provider_provisioned" in wait_for:
        then = "A real run waits for its provider to provision it (wait_for: provider_provisioned)"
    else:
        then = ("A real run fails unless its provider has provisioned it by then (wait_for: provider_provisioned "
                "would wait for that)")
    return "%s %s: %s." % (found, then, why)


def managed_resource_spec(name_option="name", **options):
    """Argument spec of a module that manages one named thing in a resource group, present or absent,
    extended with the module's own ``options``."""
    spec = dict(resource_group=dict(type="str", required=True),
                state=dict(type="str", choices=["present", "absent"], default="present"))
    spec[name_option] = dict(type="str", required=True)
    spec.update(options)
    return spec
