"""Entra ID (token endpoint and OIDC discovery), the managed identity endpoints, the ARM bearer-token
check and the cloud metadata endpoint that lets ``AZURE_CLOUD_ENVIRONMENT=<url>`` select the simulator.

The token endpoint takes a client secret or a client assertion (a certificate's or a workload
identity's federated token, see ``assertions``).

Tokens are JWTs signed with a per-process HMAC key: ARM accepts only tokens this process issued
(for the configured tenant and an ARM audience) and that have not expired.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any, Dict, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from cloudsim import b64url
from cloudsim.azure.assertions import JWT_BEARER, AssertionChecker, AssertionProblem, WorkloadIssuer
from cloudsim.http import HttpError, Request, Response

TOKEN_LIFETIME = 3599
PUBLIC_ARM_AUDIENCES = ("https://management.core.windows.net/", "https://management.azure.com/")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class EntraId:
    def __init__(self, sim):
        self.sim = sim
        self._signing_key = secrets.token_bytes(32)
        self.workload_issuer = WorkloadIssuer(sim.config.azure_federated_issuer)
        self.assertions = AssertionChecker(self.workload_issuer, sim.config.azure_federated_subject)

    @property
    def config(self):
        return self.sim.config

    # ---- discovery and tokens -------------------------------------------------------------

    def openid_configuration(self, request: Request, tenant: str, version: str) -> Response:
        self._require_tenant(request, tenant)
        base = "%s/%s%s" % (request.base_url, tenant, "/v2.0" if version == "v2.0" else "")
        oauth = "%s/%s/oauth2%s" % (request.base_url, tenant, "/v2.0" if version == "v2.0" else "")
        return Response(200, {
            "token_endpoint": oauth + "/token",
            "authorization_endpoint": oauth + "/authorize",
            "device_authorization_endpoint": oauth + "/devicecode",
            "issuer": base,
            "jwks_uri": "%s/%s/discovery/keys" % (request.base_url, tenant),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "token id_token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "WW",
            "cloud_instance_name": "cloudsim",
        })

    def token(self, request: Request, tenant: str, version: str) -> Response:
        """Client-credentials grant (v2.0 ``scope`` or v1 ``resource``)."""
        self._require_tenant(request, tenant)
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            raise self._aadsts(request, 400, "unsupported_grant_type", 70003,
                               "The app requested an unsupported grant type '%s'."
                               % form.get("grant_type", ""))
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = self._basic_auth(request)
        if basic:
            client_id, secret = basic
        if client_id.lower() != self.config.azure_client_id.lower():
            raise self._aadsts(request, 400, "unauthorized_client", 700016,
                               "Application with identifier '%s' was not found in the directory "
                               "'%s'. This can happen if the application has not been installed "
                               "by the administrator of the tenant or consented to by any user in "
                               "the tenant. You may have sent your authentication request to the "
                               "wrong tenant." % (client_id, tenant))
        assertion = form.get("client_assertion", "")
        if assertion and form.get("client_assertion_type") == JWT_BEARER:
            try:
                self.assertions.check(assertion, client_id, request.base_url + request.path)
            except AssertionProblem as problem:
                raise self._aadsts(request, 401, "invalid_client", problem.code, problem.description)
        elif not secret:
            raise self._aadsts(request, 401, "invalid_client", 7000216,
                               "'client_assertion', 'client_secret' or 'request' is required for "
                               "the 'client_credentials' grant type.")
        elif not hmac.compare_digest(secret.encode(), self.config.azure_client_secret.encode()):
            raise self._aadsts(request, 401, "invalid_client", 7000215,
                               "Invalid client secret provided. Ensure the secret being sent in "
                               "the request is the client secret value, not the client secret ID, "
                               "for a secret added to app '%s'." % client_id)
        if version == "v2.0":
            scope = form.get("scope", "")
            resources = [s[:-len(".default")] for s in scope.split() if s.endswith("/.default")]
            if len(resources) != 1:
                raise self._aadsts(request, 400, "invalid_scope", 1002012,
                                   "The provided value for scope %s is not valid. Client "
                                   "credential flows must have a scope value with /.default "
                                   "suffixed to the resource identifier (application ID URI)."
                                   % scope)
            audience = resources[0]
        else:
            audience = form.get("resource", "")
            if not audience:
                raise self._aadsts(request, 400, "invalid_request", 900144,
                                   "The request body must contain the following parameter: "
                                   "'resource'.")
        now = int(time.time())
        access_token = self._mint(audience, now)
        if version == "v2.0":
            return Response(200, {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME,
                                  "ext_expires_in": TOKEN_LIFETIME, "access_token": access_token})
        # The v1 endpoint answers numbers as strings, as the real one does.
        return Response(200, {"token_type": "Bearer", "expires_in": str(TOKEN_LIFETIME),
                              "ext_expires_in": str(TOKEN_LIFETIME),
                              "expires_on": str(now + TOKEN_LIFETIME), "not_before": str(now),
                              "resource": audience, "access_token": access_token})

    # ---- managed identity endpoints -------------------------------------------------------

    def imds_token(self, request: Request) -> Response:
        """``GET /metadata/identity/oauth2/token``, the VM's Instance Metadata Service (Microsoft Entra
        docs, "How to use managed identities for Azure resources on an Azure VM to acquire an access
        token": the ``Metadata: true`` header, ``api-version``, ``resource``, optional ``client_id``;
        numbers as strings in the answer; the error table's "Required metadata header not specified"
        and "Identity not found"). azure-identity reaches it at AZURE_POD_IDENTITY_AUTHORITY_HOST
        (msal ``managed_identity.py`` ``_obtain_token_on_azure_vm``)."""
        if request.headers.get("Metadata", "").lower() != "true":
            raise HttpError(Response(400, {"error": "invalid_request",
                                           "error_description": "Required metadata header not specified"}))
        client_id, audience = self._managed_identity_request(request, lambda message: HttpError(Response(
            400, {"error": "invalid_request", "error_description": message})))
        now = int(time.time())
        return Response(200, {"access_token": self._mint(audience, now, client_id), "refresh_token": "",
                              "expires_in": str(TOKEN_LIFETIME), "expires_on": str(now + TOKEN_LIFETIME),
                              "not_before": str(now), "resource": audience, "token_type": "Bearer",
                              "client_id": client_id})

    def app_service_token(self, request: Request) -> Response:
        """``GET {IDENTITY_ENDPOINT}`` of App Service / Functions / Automation (Microsoft docs, "Use managed
        identities for App Service and Azure Functions", REST endpoint reference: ``X-IDENTITY-HEADER``
        carrying IDENTITY_HEADER, ``api-version=2019-08-01``, ``resource``, optional ``client_id``; the
        answer's ``expires_on`` in epoch seconds). Errors carry ``statusCode`` and ``message``, which
        msal's ``_obtain_token_on_app_service`` reports."""
        def refusal(status):
            return lambda message: HttpError(Response(status, {"statusCode": status, "message": message}))

        if not hmac.compare_digest(request.headers.get("X-IDENTITY-HEADER", "").encode(),
                                   self.config.azure_identity_header.encode()):
            raise refusal(401)("The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
        client_id, audience = self._managed_identity_request(request, refusal(400))
        now = int(time.time())
        return Response(200, {"access_token": self._mint(audience, now, client_id),
                              "expires_on": str(now + TOKEN_LIFETIME), "resource": audience,
                              "token_type": "Bearer", "client_id": client_id})

    def _managed_identity_request(self, request: Request, refusal) -> Tuple[str, str]:
        """``(client id of the identity asked for, audience)``: the user-assigned identity named by
        ``client_id``, else the system-assigned one; ``refusal(message)`` is the error to raise."""
        if not request.arg("api-version"):
            raise refusal("Required query variable 'api-version' is missing")
        audience = request.arg("resource") or ""
        if not audience:
            raise refusal("Required query variable 'resource' is missing")
        if any(request.arg(name) for name in ("object_id", "principal_id", "msi_res_id", "mi_res_id")):
            raise refusal("Identity not found")  # cloudsim knows its identities by client id only
        asked = (request.arg("client_id") or "").lower()
        known = {self.config.azure_user_identity_client_id.lower(): self.config.azure_user_identity_client_id}
        if asked and asked not in known:
            raise refusal("Identity not found")
        return known[asked] if asked else self.config.azure_system_identity_client_id, audience

    def _mint(self, audience: str, now: int, client_id: Optional[str] = None) -> str:
        """An access token of the application, or of the managed identity ``client_id``."""
        tenant = self.config.azure_tenant_id
        client_id = client_id or self.config.azure_client_id
        claims = {"aud": audience, "iss": "https://sts.windows.net/%s/" % tenant,
                  "iat": now, "nbf": now, "exp": now + TOKEN_LIFETIME,
                  "appid": client_id, "appidacr": "1" if client_id == self.config.azure_client_id else "2",
                  "idtyp": "app", "oid": client_id, "sub": client_id, "tid": tenant, "ver": "1.0"}
        header = {"typ": "JWT", "alg": "HS256", "kid": "cloudsim"}
        signing_input = "%s.%s" % (b64url.encode(json.dumps(header).encode()),
                                   b64url.encode(json.dumps(claims).encode()))
        return "%s.%s" % (signing_input, b64url.encode(self._sign(signing_input)))

    def _sign(self, signing_input: str) -> bytes:
        return hmac.new(self._signing_key, signing_input.encode(), hashlib.sha256).digest()

    @staticmethod
    def _basic_auth(request: Request) -> Optional[tuple]:
        value = request.headers.get("Authorization", "")
        if not value.lower().startswith("basic "):
            return None
        try:
            client_id, secret = (base64.b64decode(value[6:]).decode().split(":", 1) + [""])[:2]
        except ValueError:
            return None
        return client_id, secret

    def _require_tenant(self, request: Request, tenant: str) -> None:
        if tenant.lower() != self.config.azure_tenant_id.lower():
            raise self._aadsts(request, 400, "invalid_tenant", 90002,
                               "Tenant '%s' not found. Check to make sure you have the correct "
                               "tenant ID and are signing into the correct cloud." % tenant)

    def _aadsts(self, request: Request, status: int, error: str, code: int,
                description: str) -> HttpError:
        trace_id, correlation_id = self.sim.new_guid(), self.sim.new_guid()
        stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
        return HttpError(Response(status, {
            "error": error,
            "error_description": "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s"
                                 % (code, description, trace_id, correlation_id, stamp),
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": "%s/error?code=%d" % (request.base_url, code),
        }))

    # ---- the ARM side: bearer check ------------------------------------------------------

    def authenticate(self, request: Request) -> None:
        """Raise the 401 ARM answers unless the request carries a valid bearer token."""
        problem = self._token_problem(request)
        if problem:
            code, message, description = problem
            # authorization_uri names where to get a token: this simulator's Entra endpoint.
            challenge = ('Bearer authorization_uri="%s/%s", error="invalid_token", '
                         'error_description="%s"' % (request.base_url,
                                                     self.config.azure_tenant_id, description))
            raise HttpError(Response(401, {"error": {"code": code, "message": message}},
                                     {"WWW-Authenticate": challenge}))

    def _token_problem(self, request: Request) -> Optional[Tuple[str, str, str]]:
        """(code, message, challenge description) of what is wrong, or None."""
        value = request.headers.get("Authorization", "")
        if not value:
            return ("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.",
                    "The authentication failed because of missing 'Authorization' header.")
        scheme, token = (value.split(" ", 1) + [""])[:2]
        if scheme.lower() != "bearer" or not token.strip():
            return ("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is provided in an invalid "
                    "format.",
                    "The authentication failed because of malformed 'Authorization' header.")
        claims = self._verify(token.strip())
        if claims is None:
            return ("InvalidAuthenticationToken", "The access token is invalid.",
                    "The access token is invalid.")
        now = time.time()
        if claims.get("exp", 0) < now:
            stamp = "%Y-%m-%dT%H:%M:%S.0000000Z"
            return ("ExpiredAuthenticationToken",
                    "The access token expiry UTC time '%s' is earlier than current UTC time '%s'."
                    % (time.strftime(stamp, time.gmtime(claims.get("exp", 0))),
                       time.strftime(stamp, time.gmtime(now))),
                    "The access token expiry UTC time is earlier than current UTC time.")
        if str(claims.get("tid", "")).lower() != self.config.azure_tenant_id.lower():
            return ("InvalidAuthenticationTokenTenant",
                    "The access token is from the wrong issuer.",
                    "The access token is from the wrong issuer.")
        if not self._arm_audience(str(claims.get("aud", "")), request.base_url):
            return ("InvalidAuthenticationTokenAudience",
                    "The access token has been obtained for wrong audience or resource '%s'. It "
                    "should exactly match with one of the allowed audiences '%s'."
                    % (claims.get("aud"), "','".join(self.arm_audiences(request.base_url))),
                    "The access token has been obtained for wrong audience or resource.")
        return None

    def _verify(self, token: str) -> Optional[Dict[str, Any]]:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            signature = b64url.decode(parts[2])
            claims = json.loads(b64url.decode(parts[1]))
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._sign("%s.%s" % (parts[0], parts[1]))):
            return None
        return claims if isinstance(claims, dict) else None

    @staticmethod
    def arm_audiences(base_url: str) -> list:
        return [base_url + "/", base_url] + [a for pub in PUBLIC_ARM_AUDIENCES
                                             for a in (pub, pub.rstrip("/"))]

    @staticmethod
    def _arm_audience(audience: str, base_url: str) -> bool:
        if audience.rstrip("/") in {a.rstrip("/") for a in PUBLIC_ARM_AUDIENCES}:
            return True
        # The simulator is the resource manager under the name it is reached by, and under any
        # of its loopback names (a token got via localhost serves 127.0.0.1 too).
        mine, theirs = urlsplit(base_url), urlsplit(audience.rstrip("/"))
        return (theirs.scheme == "https" and theirs.port == mine.port and not theirs.path
                and theirs.hostname in (mine.hostname, *LOOPBACK_HOSTS))

    # ---- cloud metadata (Azure Stack style discovery) -------------------------------------

    def metadata_endpoints(self, request: Request) -> Response:
        """``GET /metadata/endpoints``, in the form of the api-version asked:

        - from 2022-09-01: one cloud object. hashicorp/go-azure-sdk (sdk/internal/metadata/
          client.go, used by sdk/environments/from_endpoint.go) asks 2022-09-01 and decodes one
          ``metaDataResponse20220901`` struct; azure-cli's ``az cloud register
          --endpoint-resource-manager`` (src/azure-cli/azure/cli/command_modules/cloud/custom.py,
          ``_populate_from_metadata_endpoint``) asks 2022-09-01 and hands the answer to
          ``_arm_to_cli_mapper``, which indexes ``['name']``: a list crashes it.
        - 2019-05-01 up to 2022-09-01: the list of clouds. azure-cli's ``ARM_CLOUD_METADATA_URL``
          (src/azure-cli-core/azure/cli/core/cloud.py, ``_convert_arm_to_cli`` iterates the list),
          the Docker CLI's DefaultCloudMetadataURL (2019-05-01) and hashicorp/go-azure-helpers
          (authentication/environment.go, ``getSupportedEnvironments`` at 2020-06-01, decoding
          ``[]Environment``) read this form.
        - before 2019-05-01: the old object form (galleryEndpoint, graphEndpoint, ...) that
          msrestazure's get_cloud_from_metadata_endpoint asks with 2015-01-01.
        """
        base = request.base_url
        audiences = [base + "/"]
        api_version = request.arg("api-version") or "2015-01-01"
        if api_version < "2019-05-01":
            return Response(200, {
                "galleryEndpoint": base + "/",
                "graphEndpoint": base + "/",
                "portalEndpoint": base + "/",
                "authentication": {"loginEndpoint": base + "/", "audiences": audiences},
            })
        host = urlsplit(base).hostname
        cloud = {
            "name": "cloudsim",
            "portal": base,
            "resourceManager": base + "/",
            "authentication": {"loginEndpoint": base + "/", "audiences": audiences,
                               "tenant": "common", "identityProvider": "AAD"},
            "graph": base + "/",
            "graphAudience": base + "/",
            "microsoftGraphResourceId": base + "/",
            "activeDirectoryDataLake": base + "/",
            "batch": base + "/",
            "media": base,
            "sqlManagement": base + "/",
            "vmImageAliasDoc": base + "/",
            "gallery": base + "/",
            "suffixes": {"storage": host, "keyVaultDns": host, "acrLoginServer": host,
                         "sqlServerHostname": host},
        }
        return Response(200, cloud if api_version >= "2022-09-01" else [cloud])
