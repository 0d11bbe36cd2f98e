# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OCI plumbing shared by the collection's OCI modules.

One place for: the authentication options and how they resolve into an SDK config/signer, the
VirtualNetworkClient factory with our own bounded retry policy (never the SDK defaults), the mapping
of SDK errors to the one InterconnectError, ``OciApi`` (the API layer, apart from any module) and the pure
FastConnect/rule helpers the modules share. ``OCIModule`` is the AnsibleModule subclass every OCI module
builds on: it holds the options and an ``OciApi``, so each ``main()`` stays short.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time
import traceback
import uuid

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import (
    DEFAULT_MARKER,
    OCI_OWNED_RULE_DEFAULTS,
    same_bandwidth,
    shape_name_mbps,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    CONCURRENT_WRITE_ATTEMPTS,
    REQUEST_TIME_BUDGET,
    RETRY_AFTER_CAP,
    InterconnectError,
    diff_result,
    import_for_the_process,
    is_certificate_error,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import (
    Waiter,
)
from ansible_collections.crosscloud.interconnect.plugins.module_utils.module import InterconnectModule


def sdk():
    """The OCI SDK, imported on first use: ``OCIModule`` asks for it once the module's arguments are
    valid (importing it takes about a third of a second), and pure helpers never need it."""
    return import_for_the_process(_import_sdk)


def _import_sdk():
    import oci
    import oci.core  # noqa: F401  (models and the client live here; importing oci alone leaves it out)
    return oci


def service_error_class():
    from oci.exceptions import ServiceError
    return ServiceError


DEFAULT_CONFIG_FILE = "~/.oci/config"
DEFAULT_PROFILE = "DEFAULT"

# The retry policy: bounded by time (common.REQUEST_TIME_BUDGET; the count is only a backstop), exponential
# back-off with full jitter, or the Retry-After OCI sends (up to RETRY_AFTER_CAP).
RETRY_MAX_ATTEMPTS = 100  # (12 bound first: twelve 429s with Retry-After 1 s ended a request after 13 s)
RETRY_TOTAL_SECONDS = REQUEST_TIME_BUDGET
RETRY_BASE_SLEEP_SECONDS = 1
RETRY_MAX_SLEEP_SECONDS = 10
RETRYABLE_SERVICE_ERRORS = {409: ["IncorrectState"], 429: []}
# OCI's answers to a request it refuses as such: 400 (InvalidParameter and the like), 404 for a
# resource the request names that the caller cannot see (RelatedResourceNotAuthorizedOrNotFound) and
# 409 for a clash with another resource (a provider service key in use).
REFUSAL_STATUSES = (400, 404, 409)
# (connect, read) seconds: a silent endpoint must not stall a play.
HTTP_TIMEOUT = (10, 60)
# Stands for the module's region in service_endpoint: OCI Core has one endpoint per region, so one
# setting (OCI_SERVICE_ENDPOINT) serves hosts in several regions. The SDK's own endpoint templates
# name the region so (VirtualNetworkClient's "https://iaas.{region}.{secondLevelDomain}").
REGION_PLACEHOLDER = "{region}"

# Where each signing setting comes from, for the message when one is missing.
API_KEY_SETTINGS = (
    ("user", "user", "OCI_USER_ID"),
    ("fingerprint", "fingerprint", "OCI_USER_FINGERPRINT"),
    ("key_file", "key_file", "OCI_USER_KEY_FILE"),
    ("tenancy", "tenancy", "OCI_TENANCY"),
    ("region", "region", "OCI_REGION"),
)


# oracle.oci's names for the same ways (its plugins/module_utils/oci_config_utils.py, auth_type choices).
AUTH_TYPES = ["api_key", "instance_principal", "resource_principal", "security_token"]
# What to check when OCI refuses a request's signature, per auth type.
SIGNATURE_REFUSED_HINTS = dict(
    api_key="check user, fingerprint, key_file and tenancy",
    instance_principal="check that the instance is in a dynamic group that a policy allows",
    resource_principal="check that the resource is in a dynamic group that a policy allows and that its "
                       "OCI_RESOURCE_PRINCIPAL_* token is current",
    security_token="the session token may have expired: run `oci session refresh` (within its 24 h) or "
                   "`oci session authenticate` for the profile",
)


# Instance principals (auth_type instance_principal): the SDK's signer reads the instance's certificates from the
# instance metadata service (its default address, or OCI_METADATA_BASE_URL) and trades them for a token at the auth
# service's X.509 federation path, of https://auth.<instance's region>.<realm domain> unless given one. The OCI Go SDK
# (common/auth/federation_client.go, newAuthClient) takes that service's base URL from OCI_SDK_AUTH_CLIENT_REGION_URL;
# the Python SDK has no variable but a federation_endpoint argument, which auth_service_endpoint feeds.
METADATA_URL_VARIABLE = "OCI_METADATA_BASE_URL"
AUTH_SERVICE_ENDPOINT_VARIABLE = "OCI_SDK_AUTH_CLIENT_REGION_URL"
FEDERATION_PATH = "/v1/x509"


def oci_argument_spec():
    """The authentication/endpoint options documented in doc_fragments/oci.py."""
    return dict(
        auth_type=dict(type="str", choices=AUTH_TYPES, default="api_key",
                       fallback=(env_fallback, ["OCI_AUTH_TYPE", "OCI_ANSIBLE_AUTH_TYPE"])),
        config_file=dict(type="path", aliases=["config_file_location"], fallback=(env_fallback, ["OCI_CONFIG_FILE"])),
        config_profile=dict(type="str", aliases=["config_profile_name"],
                            fallback=(env_fallback, ["OCI_CONFIG_PROFILE"])),
        user=dict(type="str", aliases=["api_user"], fallback=(env_fallback, ["OCI_USER_ID"])),
        fingerprint=dict(type="str", aliases=["api_user_fingerprint"],
                         fallback=(env_fallback, ["OCI_USER_FINGERPRINT"])),
        key_file=dict(type="path", aliases=["api_user_key_file"], fallback=(env_fallback, ["OCI_USER_KEY_FILE"])),
        key_pass_phrase=dict(type="str", no_log=True, aliases=["api_user_key_pass_phrase"],
                             fallback=(env_fallback, ["OCI_USER_KEY_PASS_PHRASE"])),
        tenancy=dict(type="str", fallback=(env_fallback, ["OCI_TENANCY"])),
        region=dict(type="str", fallback=(env_fallback, ["OCI_REGION"])),
        service_endpoint=dict(type="str", fallback=(env_fallback, ["OCI_SERVICE_ENDPOINT"])),
        auth_service_endpoint=dict(type="str", fallback=(env_fallback, [AUTH_SERVICE_ENDPOINT_VARIABLE])),
    )


class OCIConfigError(Exception):
    """The authentication settings cannot produce a working client."""


def config_file_profile(params, required=False):
    """``(profile settings, path)`` of the config file (option or OCI_CONFIG_FILE, else ~/.oci/config when it
    exists); ``({}, None)`` when there is none and none is ``required``.

    A config file named explicitly (option or OCI_CONFIG_FILE) must exist.
    """
    path = params.get("config_file")
    profile = params.get("config_profile") or DEFAULT_PROFILE
    if not (path or required or os.path.isfile(os.path.expanduser(DEFAULT_CONFIG_FILE))):
        return {}, None
    path = path or DEFAULT_CONFIG_FILE
    if not os.path.isfile(os.path.expanduser(path)):
        raise OCIConfigError("OCI config file %s does not exist (set config_file or OCI_CONFIG_FILE to an "
                             "existing file, or give user/fingerprint/key_file/tenancy/region)" % path)
    try:
        return sdk().config.from_file(path, profile), path
    except Exception as err:  # ProfileNotFound, InvalidKeyFilePath, ValueError from the parser
        raise OCIConfigError("Cannot use profile %s of OCI config file %s: %s" % (profile, path, err))


def api_key_config(params):
    """SDK config dict for API-key signing: the config file's profile overlaid with explicit options.

    The default config file is used only when present, so explicit options alone suffice.
    """
    config, path = config_file_profile(params)
    profile = params.get("config_profile") or DEFAULT_PROFILE
    for option, key, dummy in API_KEY_SETTINGS:
        if params.get(option):
            config[key] = params[option]
    if params.get("key_pass_phrase"):
        config["pass_phrase"] = params["key_pass_phrase"]
    missing = ["%s (option %s or env %s)" % (key, option, env)
               for option, key, env in API_KEY_SETTINGS if not config.get(key)]
    if missing:
        source = "profile %s of config file %s" % (profile, path) if path else "a config file profile"
        raise OCIConfigError("Missing OCI API key settings: %s. Set them in %s (config_file/config_profile) "
                             "or explicitly." % (", ".join(missing), source))
    if not os.path.isfile(os.path.expanduser(config["key_file"])):
        raise OCIConfigError("OCI API signing key file %s does not exist" % config["key_file"])
    return config


def error_result(action, error, endpoint=None, auth_type="api_key"):
    """``msg`` and the details describing ``error`` raised while doing ``action`` (signing as ``auth_type``)."""
    if isinstance(error, service_error_class()):
        # The keys every failure of the collection uses, whatever the cloud (see common.InterconnectError).
        result = dict(status_code=error.status, error_code=error.code, request_id=error.request_id)
        hint = {
            401: " (the signature was refused; auth_type %s: %s)" % (
                auth_type, SIGNATURE_REFUSED_HINTS.get(auth_type, SIGNATURE_REFUSED_HINTS["api_key"])),
            404: " (it does not exist, or the user is not authorised to see it)",
            412: " (the resource changed meanwhile; re-run to retry)",
            429: " (throttled through every retry within the time budget)",
        }.get(error.status, "")
        result["msg"] = "Failed to %s: %s %s: %s%s [opc-request-id: %s]" % (
            action, error.status, error.code, error.message, hint, error.request_id)
        return result
    if is_certificate_error(error):
        return dict(msg="Failed to %s: TLS certificate verification failed for %s. Set REQUESTS_CA_BUNDLE "
                        "to a CA bundle that includes the endpoint's CA. (%s)" % (action, endpoint, error))
    return dict(msg="Failed to %s: %s: %s" % (action, type(error).__name__, error))


def build_retry_strategy():
    """Our bounded retry policy: 429, 5xx, 409 IncorrectState and dropped connections; never TLS errors."""
    from oci.retry import ExponentialBackoffWithFullJitterRetryStrategy
    from oci.retry.retry_checkers import (
        LimitBasedRetryChecker,
        RetryCheckerContainer,
        TimeoutConnectionAndServiceErrorRetryChecker,
        TotalTimeExceededRetryChecker,
    )

    class FailFastOnCertificateChecker(TimeoutConnectionAndServiceErrorRetryChecker):
        # The SDK treats an SSLError as a retryable connection error; retried with back-off it looks
        # like a hang, and it never heals by itself.
        def should_retry(self, exception=None, response=None, **kwargs):
            if is_certificate_error(exception):
                return False
            return super(FailFastOnCertificateChecker, self).should_retry(exception, response, **kwargs)

    checkers = RetryCheckerContainer([
        LimitBasedRetryChecker(max_attempts=RETRY_MAX_ATTEMPTS),
        TotalTimeExceededRetryChecker(time_limit_seconds=RETRY_TOTAL_SECONDS),
        FailFastOnCertificateChecker(service_error_retry_config=RETRYABLE_SERVICE_ERRORS, retry_any_5xx=True),
    ])

    class RetryAfterOrFullJitter(ExponentialBackoffWithFullJitterRetryStrategy):
        # The sleep is the one customisation the SDK's strategy base class offers (do_sleep).
        def do_sleep(self, attempt, exception):
            asked = retry_after_seconds(exception)
            if asked is None:
                return super(RetryAfterOrFullJitter, self).do_sleep(attempt, exception)
            time.sleep(min(asked, RETRY_AFTER_CAP))

    return RetryAfterOrFullJitter(
        base_sleep_time_seconds=RETRY_BASE_SLEEP_SECONDS, exponent_growth_factor=2,
        max_wait_between_calls_seconds=RETRY_MAX_SLEEP_SECONDS, checker_container=checkers)


def retry_after_seconds(error):
    """The seconds of the Retry-After header of a ServiceError (OCI sends it with 429 and 503), or None."""
    headers = getattr(error, "headers", None) or {}
    value = next((headers[name] for name in headers if name.lower() == "retry-after"), None)
    try:
        return max(float(value), 0.0) if value is not None else None
    except (TypeError, ValueError):
        return None


def token_signer(params):
    """``(config, signer)`` of the auth types that sign with a security token and its session key: the
    instance's or the resource's principal, or the session of ``oci session authenticate``."""
    signers = sdk().auth.signers
    auth_type = params["auth_type"]
    if auth_type == "security_token":
        return session_token_signer(params)
    if auth_type == "instance_principal":
        signer = instance_principal_signer(params)
    else:
        try:
            # OCI_RESOURCE_PRINCIPAL_VERSION and the variables of that version, which the service sets.
            signer = signers.get_resource_principals_signer()
        except Exception as err:
            raise OCIConfigError("Resource principal authentication failed (does this run in an OCI resource that "
                                 "sets OCI_RESOURCE_PRINCIPAL_VERSION and its OCI_RESOURCE_PRINCIPAL_* variables?): %s"
                                 % err)
    return {"region": params.get("region") or signer.region}, signer


def instance_principal_signer(params):
    """The signer of the compute instance's identity; an OCIConfigError names the service that failed (the
    instance metadata service or the auth service) and what to check."""
    signers = sdk().auth.signers
    metadata_url = os.environ.get(METADATA_URL_VARIABLE, "").strip() or \
        signers.InstancePrincipalsSecurityTokenSigner.DEFAULT_METADATA_URL_BASE
    auth_service = params.get("auth_service_endpoint")
    federation_endpoint = auth_service.rstrip("/") + FEDERATION_PATH if auth_service else None
    try:
        return signers.InstancePrincipalsSecurityTokenSigner(federation_endpoint=federation_endpoint)
    except Exception as err:
        if not failed_at_auth_service(err):
            raise OCIConfigError(
                "auth_type instance_principal: cannot read the instance's identity from the instance metadata service "
                "at %s: %s (is this an OCI compute instance? %s sets another address of the service)"
                % (metadata_url, signer_error_text(err), METADATA_URL_VARIABLE))
        where = federation_endpoint or "https://auth.<the instance's region>.oraclecloud.com%s" % FEDERATION_PATH
        raise OCIConfigError(
            "auth_type instance_principal: the auth service at %s did not give the instance a token: %s (check that "
            "auth_service_endpoint or %s, when set, is the auth service of the instance's region; the instance's "
            "certificate comes from the instance metadata service at %s)"
            % (where, signer_error_text(err), AUTH_SERVICE_ENDPOINT_VARIABLE, metadata_url))


def signer_error_text(error):
    """The answer or failure of a request the instance principal signer made, in one line: the SDK's ServiceError
    prints all its fields, and it appends a usage hint to the arguments of the other errors."""
    if isinstance(error, service_error_class()):
        return "%s %s: %s" % (error.status, error.code, error.message) if error.code else error.message
    return "%s: %s" % (type(error).__name__, error.args[0] if error.args else error)


def failed_at_auth_service(error):
    """Whether the instance principal signer's ``error`` came from the auth service: an answer in OCI's error
    shape (the metadata service's HTTP errors reach the SDK's ServiceError without a code), or a request to
    the federation path that got no answer."""
    if isinstance(error, service_error_class()):
        return bool(error.code)
    request = getattr(error, "request", None)
    return (getattr(request, "url", None) or "").endswith(FEDERATION_PATH)


def session_token_signer(params):
    """``(config, signer)`` of a config file profile that ``oci session authenticate`` wrote: its
    ``security_token_file`` and session ``key_file`` (oracle's "Token-based Authentication for the SDKs":
    ``SecurityTokenSigner(token, private key)``)."""
    config, path = config_file_profile(params, required=True)
    where = "profile %s of OCI config file %s" % (params.get("config_profile") or DEFAULT_PROFILE, path)
    missing = [key for key in ("security_token_file", "key_file") if not config.get(key)]
    if missing:
        raise OCIConfigError("auth_type security_token: %s has no %s (create the profile with "
                             "`oci session authenticate`)" % (where, " or ".join(missing)))
    try:
        with open(os.path.expanduser(config["security_token_file"])) as token_file:
            token = token_file.read().strip()
        private_key = sdk().signer.load_private_key_from_file(
            config["key_file"], params.get("key_pass_phrase") or config.get("pass_phrase"))
    except Exception as err:  # unreadable files, a key that is no key or needs another pass phrase
        raise OCIConfigError("auth_type security_token: cannot use the session of %s: %s: %s"
                             % (where, type(err).__name__, err))
    signer = sdk().auth.signers.SecurityTokenSigner(token, private_key)
    return {"region": params.get("region") or config.get("region")}, signer


def regional_service_endpoint(service_endpoint, region):
    """``service_endpoint`` with ``{region}`` replaced by ``region`` (and no trailing slash)."""
    if REGION_PLACEHOLDER not in service_endpoint:
        return service_endpoint.rstrip("/")
    if not region:
        raise OCIConfigError("service_endpoint %s names {region}, but no region is set (option region, env "
                             "OCI_REGION or the config file's region)" % service_endpoint)
    return service_endpoint.replace(REGION_PLACEHOLDER, region).rstrip("/")


def virtual_network_client(params):
    """A VirtualNetworkClient for the resolved settings, with explicit retry and circuit-breaker strategies."""
    from oci.circuit_breaker import NoCircuitBreakerStrategy
    from oci.core import VirtualNetworkClient

    kwargs = dict(retry_strategy=build_retry_strategy(), circuit_breaker_strategy=NoCircuitBreakerStrategy(),
                  timeout=HTTP_TIMEOUT)
    if params.get("auth_type") in ("instance_principal", "resource_principal", "security_token"):
        config, kwargs["signer"] = token_signer(params)
    else:
        config = api_key_config(params)
    if params.get("service_endpoint"):
        kwargs["service_endpoint"] = regional_service_endpoint(params["service_endpoint"], config.get("region"))
    try:
        return VirtualNetworkClient(config, **kwargs)
    except Exception as err:  # InvalidConfig, InvalidPrivateKey, MissingPrivateKeyPassphrase
        if "signer" in kwargs:
            raise  # not the API key's settings: a token signer was built already
        raise OCIConfigError("Invalid OCI API key settings: %s: %s" % (type(err).__name__, err))


def to_plain(model):
    """A JSON-ready snake_case dict (or list) of an SDK model."""
    return sdk().util.to_dict(model)


def to_model(model_class, data):
    """Build an SDK model (recursively) from a snake_case dict such as ``to_plain`` returns."""
    models = sdk().core.models
    kwargs = {}
    for attribute, type_name in model_class().swagger_types.items():
        value = data.get(attribute)
        element_type = type_name[len("list["):-1] if type_name.startswith("list[") else None
        if isinstance(value, dict) and hasattr(models, type_name):
            value = to_model(getattr(models, type_name), value)
        elif isinstance(value, list) and hasattr(models, element_type or ""):
            value = [to_model(getattr(models, element_type), item) for item in value]
        kwargs[attribute] = value
    return model_class(**kwargs)


class OciApi(object):
    """The OCI API layer: one VirtualNetworkClient built from the auth options, and the calls the modules
    make through it, each turning an SDK error into the one InterconnectError. It never touches a
    module, so a benchmark or a test can use it as it is.

    ``auth`` holds the options of ``oci_argument_spec`` (a module's params will do).
    """

    def __init__(self, auth):
        self.auth = dict((option, auth.get(option)) for option in oci_argument_spec())
        # One token per run, reused by every retry of a create, so a retried create returns the
        # first result instead of making a second resource.
        self.retry_token = uuid.uuid4().hex
        self._client = None

    @property
    def client(self):
        if self._client is None:
            try:
                self._client = virtual_network_client(self.auth)
            except OCIConfigError as err:
                raise InterconnectError(str(err))
        return self._client

    @property
    def endpoint(self):
        """Where the calls go, for messages: the endpoint of the module's region."""
        region = self.auth.get("region")
        if not self.auth.get("service_endpoint"):
            return "the OCI API in region %s" % region
        try:
            return regional_service_endpoint(self.auth["service_endpoint"], region)
        except OCIConfigError:  # the region comes from the config file: the template says enough
            return self.auth["service_endpoint"]

    def call(self, action, operation, *args, **kwargs):
        """Run one SDK operation and return its data; any error becomes an InterconnectError.

        ``tolerate`` lists HTTP statuses that return ``None`` instead of failing (404 on a delete or
        a look-up with its own message). ``action`` completes "Failed to ..." in the message.
        ``on_refusal(error)`` runs before failing when OCI refused the request as such (see
        ``REFUSAL_STATUSES``): OCI checks every reference a write names, so a module can leave
        that to OCI and read a reference only to explain a refusal, raising a clearer error.
        """
        response = self.call_response(action, operation, *args, **kwargs)
        return None if response is None else response.data

    def call_response(self, action, operation, *args, **kwargs):
        """Like ``call`` but returns the whole SDK response (headers such as ``etag`` included)."""
        tolerate = kwargs.pop("tolerate", ())
        on_refusal = kwargs.pop("on_refusal", None)
        try:
            return operation(*args, **kwargs)
        except InterconnectError:
            raise
        except service_error_class() as err:
            if err.status in tolerate:
                return None
            if on_refusal is not None and err.status in REFUSAL_STATUSES:
                on_refusal(err)
            raise InterconnectError(**error_result(action, err, self.endpoint, self.auth.get("auth_type") or "api_key"))
        except Exception as err:  # connection/TLS/timeouts after the bounded retries
            raise InterconnectError(**error_result(action, err, self.endpoint))

    def get_or_fail(self, action, missing_message, operation, *args, **kwargs):
        """The data of a GET; fails with ``missing_message`` when OCI answers 404 (absent, or not
        visible to the user)."""
        found = self.call(action, operation, *args, tolerate=(404,), **kwargs)
        if found is None:
            raise InterconnectError(missing_message)
        return found

    def read_with_etag(self, action, operation, *args):
        """``(data as dict, etag)`` of a GET."""
        response = self.call_response(action, operation, *args)
        return to_plain(response.data), response.headers.get("etag")

    def write_under_etag(self, action, read, write):
        """Read-modify-write under ``if-match``, read and computed again when another writer got in first
        (412), up to ``CONCURRENT_WRITE_ATTEMPTS`` times.

        ``read()`` returns ``(current, etag)``; ``write(current, etag)`` computes the change from
        ``current``, sends it with ``if_match=etag`` through the raw SDK and returns the result, or
        ``None`` when nothing needs writing. After a 412 the state is read again and recomputed.
        """
        for attempt in range(1, CONCURRENT_WRITE_ATTEMPTS + 1):
            current, etag = read()
            try:
                return write(current, etag)
            except InterconnectError:
                raise
            except service_error_class() as err:
                if err.status == 412 and attempt < CONCURRENT_WRITE_ATTEMPTS:
                    continue
                raise InterconnectError(**error_result(action, err, self.endpoint))
            except Exception as err:
                raise InterconnectError(**error_result(action, err, self.endpoint))

    def list_all(self, action, operation, *args, **kwargs):
        """Every page of a list operation (``opc-next-page``) as one list.

        Paged here rather than with ``oci.pagination``, whose helpers wrap each page in the SDK's
        default retry strategy around the client's own (``retry.DEFAULT_RETRY_STRATEGY.make_retrying_call`` in
        oci/pagination/pagination_utils.py): each request here gets the client's one retry policy.
        """
        items, page_kwargs = [], dict(kwargs)
        while True:
            response = self.call_response(action, operation, *args, **page_kwargs)
            items.extend(response.data)
            if not response.has_next_page:
                return items
            page_kwargs["page"] = response.next_page

    def find_virtual_circuit(self, compartment_id, display_name):
        """The live virtual circuit (dict) of that display name in the compartment, or None; two or more of
        one name are an error (a module must not guess which one is meant)."""
        circuits = self.list_all("list virtual circuits in compartment %s" % compartment_id,
                                 self.client.list_virtual_circuits, compartment_id, display_name=display_name)
        found = [circuit for circuit in to_plain(circuits)
                 if circuit.get("display_name") == display_name and circuit.get("lifecycle_state") != "TERMINATED"]
        if len(found) > 1:
            raise InterconnectError("%d virtual circuits are named %s in compartment %s (%s); refusing to guess"
                                    % (len(found), display_name, compartment_id, ", ".join(c["id"] for c in found)))
        return found[0] if found else None

    def read_virtual_circuit(self, circuit_id):
        """The virtual circuit as a plain dict, None when it does not exist (any more)."""
        found = self.call("read virtual circuit %s" % circuit_id, self.client.get_virtual_circuit, circuit_id,
                          tolerate=(404,))
        return to_plain(found) if found else None

    def wait_for_virtual_circuit(self, circuit_id, wait, first=None):
        """Wait until virtual circuit ``circuit_id`` meets ``wait["wait_for"]`` (provisioned, bgp_up,
        terminated), judging ``first`` (already read) before reading again. Returns (circuit, history)."""
        return Waiter("virtual_circuit", lambda: self.read_virtual_circuit(circuit_id)).wait_as_asked(
            wait, subject="virtual circuit %s" % circuit_id, first=first)


class OCIModule(InterconnectModule):
    """A module with the OCI options (and, with ``wait_choices``, the wait options) and ``api``, the OCI API
    layer built from them."""

    def __init__(self, argument_spec, **kwargs):
        super(OCIModule, self).__init__(argument_spec, oci_argument_spec(), **kwargs)
        # The SDK only now, with the arguments valid: a bad option fails without paying for the import.
        try:
            sdk()
        except ImportError:
            self.fail_json_error(InterconnectError(missing_required_lib("oci"), exception=traceback.format_exc()))
        self.api = OciApi(self.params)

    # Every result and failure goes out with provider service keys masked (see hide_service_keys).
    def exit_json(self, **kwargs):
        super(OCIModule, self).exit_json(**hide_service_keys(kwargs))

    def fail_json(self, msg, **kwargs):
        super(OCIModule, self).fail_json(msg=msg, **hide_service_keys(kwargs))


# ---------------------------------------------------------------------------------------------
# FastConnect helpers (pure)

def select_bandwidth_shape(shapes, mbps):
    """The offered shape (dict with name, bandwidth_in_mbps) of ``mbps``; ValueError naming the offer."""
    for shape in shapes:
        if shape.get("bandwidth_in_mbps") == mbps or shape_name_mbps(shape.get("name")) == mbps:
            return shape
    raise ValueError("bandwidth shape of %s Mbps is not offered; offered: %s" % (
        mbps, ", ".join(shape["name"] for shape in shapes) or "none"))


def select_provider_service(services, provider_name, virtual_circuit_type="PRIVATE", provider_service_name=None):
    """The one provider service (dict) matching; ValueError listing what exists otherwise.

    Names compare case-insensitively: the console shows "Microsoft Azure: ExpressRoute" while the API
    has provider_name "Microsoft Azure".
    """
    def matches(service):
        return (service.get("provider_name", "").lower() == provider_name.lower()
                and virtual_circuit_type in (service.get("supported_virtual_circuit_types") or [])
                and (not provider_service_name
                     or (service.get("provider_service_name") or "").lower() == provider_service_name.lower()))

    found = [service for service in services if matches(service)]
    wanted = "%s%s (%s)" % (provider_name, ": %s" % provider_service_name if provider_service_name else "",
                            virtual_circuit_type)
    if not found:
        raise ValueError("FastConnect provider %s not found; available: %s" % (
            wanted, ", ".join(sorted(set("%s: %s" % (s.get("provider_name"), s.get("provider_service_name"))
                                         for s in services))) or "none"))
    if len(found) > 1:
        raise ValueError("FastConnect provider %s is ambiguous (%s); set provider_service_name or provider_service_id"
                         % (wanted, ", ".join("%s: %s" % (s.get("provider_service_name"), s.get("id")) for s in found)))
    return found[0]


# ---------------------------------------------------------------------------------------------
# Owned-rule reconciliation (pure), used by oci_route_rules and oci_security_rules


def owned_rules_argument_spec():
    """The options documented in the ``crosscloud.interconnect.oci.owned_rules`` doc fragment."""
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge=dict(type="bool", default=OCI_OWNED_RULE_DEFAULTS["purge"]),
        marker=dict(type="str", default=DEFAULT_MARKER),
    )


def service_key_disagreements(key, mbps=None, peering_location=None):
    """Why a validated provider service key (dict) does not fit the request; empty when it does."""
    problems = []
    if mbps is not None and not same_bandwidth(key.get("bandwidth_shape_name"), mbps):
        problems.append("the key's bandwidth is %s, not the requested %s Mbps" % (key.get("bandwidth_shape_name"), mbps))
    if peering_location and (key.get("peering_location") or "").lower() != peering_location.lower():
        problems.append("the key's peering location is %s, not the requested %s"
                        % (key.get("peering_location"), peering_location))
    return problems


class FastConnectProviders(object):
    """Provider-service look-ups shared by the FastConnect modules (through an ``OciApi``); each raises a
    clear InterconnectError."""

    def __init__(self, api):
        self.api = api

    def find(self, compartment_id, provider_service_id=None, provider_name="Microsoft Azure",
             provider_service_name=None, virtual_circuit_type="PRIVATE"):
        """The provider service (dict), by id or by provider name and virtual circuit type."""
        client = self.api.client
        if provider_service_id:
            return to_plain(self.api.get_or_fail(
                "get FastConnect provider service %s" % provider_service_id,
                "FastConnect provider service %s not found" % provider_service_id,
                client.get_fast_connect_provider_service, provider_service_id))
        services = self.api.list_all("list FastConnect provider services in compartment %s" % compartment_id,
                                     client.list_fast_connect_provider_services, compartment_id)
        try:
            return select_provider_service(to_plain(services), provider_name, virtual_circuit_type,
                                           provider_service_name)
        except ValueError as err:
            raise InterconnectError(str(err))

    def service_key(self, provider_service_id, service_key):
        """The key's bandwidth shape and peering location (dict); fails when the provider does not know it."""
        return to_plain(self.api.get_or_fail(
            "validate the provider service key",
            "Invalid service key: provider service %s does not know it (check the ExpressRoute circuit's "
            "serviceKey and that the circuit still exists, and that the provider service exists)" % provider_service_id,
            self.api.client.get_fast_connect_provider_service_key, provider_service_id, service_key))

    def bandwidth_shapes(self, provider_service_id):
        return to_plain(self.api.list_all(
            "list the bandwidth shapes of provider service %s" % provider_service_id,
            self.api.client.list_fast_connect_provider_virtual_circuit_bandwidth_shapes, provider_service_id))


class EtagReader(object):
    """``read`` callable for ``OciApi.write_under_etag``: the first call returns the state read at
    construction (no second GET), later calls read again; ``latest`` is the last ``(data, etag)``."""

    def __init__(self, api, action, get, resource_id):
        self.api, self.action, self.get, self.resource_id = api, action, get, resource_id
        self.latest = api.read_with_etag(action, get, resource_id)
        self._unused = True

    def __call__(self):
        if not self._unused:
            self.latest = self.api.read_with_etag(self.action, self.get, self.resource_id)
        self._unused = False
        return self.latest


def ensure_owned_rules(module, kind, container_ids, planner):
    """Run an owned-rules module: plan from its options, then reconcile each container and exit."""
    module.exit_json(**owned_rules_result(module, kind, container_ids, planner))


def owned_rules_result(module, kind, container_ids, planner):
    """The owned rules of ``kind`` reconciled in each container, as the module result.

    ``kind`` names the container ("route table", "security list") and so its SDK operations
    (``get_route_table``/``update_route_table``); ``planner(params)`` returns the ``plan``
    function described in ``reconcile_rule_containers`` or raises ValueError for bad options.
    """
    try:
        plan = planner(module.params)
    except ValueError as err:
        raise InterconnectError(str(err))
    name = kind.replace(" ", "_")
    client = module.api.client
    return reconcile_rule_containers(module.api, module.check_mode, kind, container_ids,
                                     getattr(client, "get_" + name), getattr(client, "update_" + name), plan)


def reconcile_rule_containers(api, check_mode, kind, container_ids, get, put, plan):
    """Apply ``plan`` to each rule container (route table, security list) under if-match.

    ``plan(current)`` takes the container as a dict and returns ``(update_details or None, before,
    after)``: the SDK update model when something must change, and the managed view of the rules
    before and after for the diff; it raises ValueError for a conflict. Each container is read once;
    after a 412 it is re-read and re-planned (``CONCURRENT_WRITE_ATTEMPTS`` in all). Returns the module
    result (``<kind>s`` lists the containers as they are now).
    """
    changed = False
    before, after, containers = {}, {}, []
    for container_id in container_ids:
        reader = EtagReader(api, "read %s %s" % (kind, container_id), get, container_id)
        try:
            update, before[container_id], after[container_id] = plan(reader.latest[0])
        except ValueError as err:
            raise InterconnectError("%s %s: %s" % (kind, container_id, err))
        container = reader.latest[0]
        if update is not None and not check_mode:
            written = api.write_under_etag("update %s %s" % (kind, container_id), reader,
                                           _planned_writer(plan, put, container_id))
            container = to_plain(written) if written is not None else reader.latest[0]
            update = written
        changed = changed or update is not None
        containers.append(container)
    return dict(changed=changed, diff=diff_result(before, after), **{kind.replace(" ", "_") + "s": containers})


def _planned_writer(plan, put, container_id):
    def write(current, etag):
        details = plan(current)[0]
        return None if details is None else put(container_id, details, if_match=etag).data
    return write


SERVICE_KEY_FIELD = "provider_service_key_name"
HIDDEN_SERVICE_KEY = "(hidden: provider service key)"


def hide_service_keys(value):
    """``value`` with every provider service key masked.

    The key is the other cloud's credential for the circuit (the Azure ExpressRoute service key), so
    results, diffs and hence logs and AWX job events never carry it, whatever options the module got.
    """
    if isinstance(value, dict):
        return dict((key, HIDDEN_SERVICE_KEY if key == SERVICE_KEY_FIELD and item else hide_service_keys(item))
                    for key, item in value.items())
    if isinstance(value, list):
        return [hide_service_keys(item) for item in value]
    return value
