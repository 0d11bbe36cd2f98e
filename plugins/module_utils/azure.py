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

AZURE_AUTH_SPEC = dict(
    subscription_id=dict(type="str", fallback=(env_fallback, ["AZURE_SUBSCRIPTION_ID"])),
    client_id=dict(type="str", fallback=(env_fallback, ["AZURE_CLIENT_ID"])),
    secret=dict(type="str", no_log=True, fallback=(env_fallback, ["AZURE_SECRET"])),
    tenant=dict(type="str", fallback=(env_fallback, ["AZURE_TENANT"])),
    cloud_environment=dict(type="str", fallback=(env_fallback, ["AZURE_CLOUD_ENVIRONMENT"])),
)
AUTH_ENV = dict(subscription_id="AZURE_SUBSCRIPTION_ID", client_id="AZURE_CLIENT_ID",
                secret="AZURE_SECRET", tenant="AZURE_TENANT")


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
# Errors


def describe_error(error):
    """Map an SDK exception to the message and keys of an InterconnectError.

    Returns ``dict(msg, status_code, error_code, request_id, correlation_request_id)``; values the
    error does not carry are None.
    """
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    odata = getattr(error, "error", None)
    details = dict(
        msg=_error_message(error, odata) + RETRIED_HINTS.get(_status_class(error, response), ""),
        status_code=getattr(error, "status_code", None) or getattr(response, "status_code", None),
        error_code=getattr(odata, "code", None),
        request_id=headers.get("x-ms-request-id"),
        correlation_request_id=headers.get("x-ms-correlation-request-id"),
    )
    if is_certificate_error(error):
        details["msg"] = ("TLS certificate verification failed: %s. Point %s at a CA bundle that includes "
                          "the certificate authority of the endpoint." % (_first_line(error), CA_BUNDLE_VARIABLES))
    elif isinstance(error, client_authentication_error()) and sign_in_unavailable(error):
        # azure-identity raises the same error for an Entra ID that does not answer as for one that refuses:
        # the HTTP status, or a request that never got an answer, tells an outage from a refusal.
        details["status_code"] = sign_in_status(error)
        details["msg"] = ("Microsoft Entra ID could not sign in (%s): the sign-in service is unavailable or "
                          "throttling, the credentials were not judged; retry later. %s" % (
                              "HTTP %s after retries" % details["status_code"] if details["status_code"]
                              else "no answer within the time budget", details["msg"]))
    elif isinstance(error, client_authentication_error()):
        details["msg"] = ("Azure refused the credentials (check client_id, secret and tenant, or AZURE_CLIENT_ID, "
                          "AZURE_SECRET and AZURE_TENANT): %s" % details["msg"])
    return details


_MSAL_HTTP_ERROR = re.compile(r"HTTP Error: (\d{3})")


def sign_in_status(error):
    """The HTTP status of a failed sign-in: the error's own (azure-identity's raise_for_status), or the one msal
    puts in its message for an answer that is no OAuth error ("HTTP Error: 503", msal's
    throttled_http_client.NormalizedResponse.raise_for_status, which azure-identity wraps)."""
    status = getattr(error, "status_code", None) or getattr(getattr(error, "response", None), "status_code", None)
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


def _status_class(error, response):
    status = getattr(error, "status_code", None) or getattr(response, "status_code", None) or 0
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
        self._client = None
        self._credential = None
        self._cloud = None
        self._session = None

    @property
    def subscription_id(self):
        return self.auth["subscription_id"]

    @property
    def client(self):
        """The NetworkManagementClient, built on first use."""
        if self._client is None:
            self._client = self._build_client()
        return self._client

    def _build_client(self):
        # Imported here, where the only path that needs them runs; a missing SDK fails as sanity expects.
        try:
            from azure.identity import ClientSecretCredential
            from azure.mgmt.network import NetworkManagementClient
        except ImportError:
            raise InterconnectError(missing_required_lib("azure-identity and azure-mgmt-network"),
                                    exception=traceback.format_exc())
        missing = ["%s (or %s)" % (option, variable) for option, variable in AUTH_ENV.items() if not self.auth[option]]
        if missing:
            raise InterconnectError("Missing Azure credentials: set %s. The collection authenticates with a "
                                    "service principal and its secret." % ", ".join(missing))

        cloud = self.cloud
        credential = self._credential = ClientSecretCredential(
            self.auth["tenant"], self.auth["client_id"], self.auth["secret"],
            authority=cloud["authority"],
            # A metadata-URL cloud (Azure Stack Hub, a private ARM) is unknown to Entra's public
            # instance discovery, which would refuse its authority.
            disable_instance_discovery=cloud["from_metadata"],
            retry_policy_class=retry_policy_class(), transport=self._transport(), timeout=self.time_budget,
            **RETRY_SETTINGS)
        return NetworkManagementClient(
            credential, self.subscription_id, base_url=cloud["resource_manager"],
            credential_scopes=[credential_scope(cloud["audience"])],
            polling_interval=DEFAULT_WAIT_INTERVAL,
            retry_policy=arm_retry_policy(self.time_budget), transport=self._transport())

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
    def error_from(error, action):
        """The InterconnectError of an SDK error, naming what we were doing and the ids Azure support asks for."""
        described = describe_error(error)
        details = dict((key, value) for key, value in described.items() if key != "msg")
        return InterconnectError("Failed to %s: %s" % (action, described["msg"]), **details)

    def call(self, action, operation, *args, **kwargs):
        """``operation(*args, **kwargs)``; an SDK error becomes an InterconnectError with ``action`` in its message."""
        try:
            return operation(*args, **kwargs)
        except azure_error() as error:
            raise self.error_from(error, action)

    def get_or_none(self, action, operation, *args, **kwargs):
        """REST JSON of a GET, or None when the resource does not exist.

        A missing resource group or parent still fails: it is a mistake in the input, not absence.
        """
        try:
            return as_json(operation(*args, **kwargs))
        except azure_error() as error:
            if is_not_found(error):
                return None
            raise self.error_from(error, action)

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
            raise self.error_from(error, action)

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
                raise self.error_from(error, action)
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
            raise self.error_from(error, action)
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
