"""The simulator: configuration, clocked transitions, routing to the clouds, faults, request log
and the ``/_sim/`` admin API.

:meth:`Simulator.dispatch` is the single entry point the server calls for every request. It
holds one lock for the whole call, so cloud handlers and scheduled transitions never race.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import math
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Tuple

from cloudsim.faults import DropConnection, FaultInjector, FaultSettings
from cloudsim.http import Request, Response
from cloudsim.oci.instance_identity import is_imds_path
from cloudsim.oci.regions import SUBSCRIBED_REGIONS, is_oci_path
from cloudsim.scheduler import Scheduler

ADMIN_PREFIX = "/_sim/"

# Seconds per named transition. "zero" is for tests; "realistic" makes the demo watchable.
DELAY_NAMES = {
    "azure.lro": "Updating -> Succeeded of an ARM PUT/DELETE",
    "azure.gateway_lro": "the same for virtual network gateways and connections (slower in Azure)",
    "azure.retry_after": "Retry-After seconds sent with ARM long-running operations (0: none)",
    "provider.accept": "OCI PENDING_PROVIDER -> PROVISIONING (Azure NotProvisioned -> "
                       "Provisioning)",
    "provider.provision": "OCI PROVISIONING -> PROVISIONED (Azure Provisioning -> Provisioned)",
    "provider.deprovision": "OCI TERMINATING -> TERMINATED (Azure Deprovisioning -> "
                            "NotProvisioned)",
    "oci.lifecycle": "PROVISIONING -> AVAILABLE of DRGs, attachments and the like",
}
DELAY_PRESETS: Dict[str, Dict[str, float]] = {
    "zero": {name: 0.0 for name in DELAY_NAMES},
    "realistic": {"azure.lro": 2.0, "azure.gateway_lro": 4.0, "azure.retry_after": 1.0,
                  "provider.accept": 3.0, "provider.provision": 6.0,
                  "provider.deprovision": 4.0, "oci.lifecycle": 2.0},
}


def checked_delays(delays: Dict[str, Any]) -> Dict[str, float]:
    """``delays`` as seconds by name: the one check behind ``--delay`` and ``PUT /_sim/delays``.

    A ValueError names an unknown delay (and the known ones) or a value that is not a
    finite non-negative number (NaN and infinity are refused).
    """
    for name, value in delays.items():
        if name not in DELAY_NAMES:
            raise ValueError("unknown delay %r; known delays: %s" % (name, ", ".join(DELAY_NAMES)))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise ValueError("delay %s must be a finite non-negative number" % name)  # NaN fails the comparison too
    return {name: float(value) for name, value in delays.items()}


# fault -> (status, OCI error code, ARM error code, message, whether Retry-After is sent)
INJECTED_ANSWERS = {
    "throttle": (429, "TooManyRequests", "SubscriptionRequestsThrottled",
                 "Too many requests; retry after the Retry-After interval.", True),
    "error500": (500, "InternalServerError", "InternalServerError",
                 "An error occurred while processing the request.", False),
    "error503": (503, "ServiceUnavailable", "ServiceUnavailable",
                 "The service is temporarily unavailable.", True),
}


@dataclass
class SimConfig:
    """Identities the simulated clouds accept, transition delays, faults and the seed."""
    azure_tenant_id: str = "72f988bf-0000-4000-8000-00000000c10d"
    azure_client_id: str = "0a1b2c3d-0000-4000-8000-00000000c11e"
    azure_client_secret: str = "cloudsim-client-secret"
    azure_subscription_id: str = "5ab5c0de-0000-4000-8000-00000000005b"
    # Managed identities of the host the client runs on, and the secret App Service hands its apps
    # in IDENTITY_HEADER.
    azure_system_identity_client_id: str = "5e1f0000-0000-4000-8000-00000000c51d"
    azure_user_identity_client_id: str = "a55e7000-0000-4000-8000-00000000c0de"
    azure_identity_header: str = "cloudsim-identity-header"
    # The federated identity credential of the application: the workload issuer and subject it trusts
    # (the subject is the one AKS workload identity gives a Kubernetes service account).
    azure_federated_issuer: str = "https://oidc.cloudsim.invalid/workload-issuer"
    azure_federated_subject: str = "system:serviceaccount:awx:automation-job"
    oci_tenancy_ocid: str = "ocid1.tenancy.oc1..cloudsimtenancy"
    oci_user_ocid: str = "ocid1.user.oc1..cloudsimuser"
    oci_fingerprint: str = ""
    oci_public_key_pem: str = ""      # public half of the API signing key; registered at start
    oci_region: str = "ap-tokyo-1"   # the home region: the OCI config file's and OCI_REGION
    oci_regions: Tuple[str, ...] = SUBSCRIBED_REGIONS   # each served at /oci/<region>
    delays: Dict[str, float] = field(default_factory=lambda: dict(DELAY_PRESETS["zero"]))
    faults: FaultSettings = field(default_factory=FaultSettings)
    seed: Optional[int] = None        # ids and faults; None picks one (reported by /_sim/faults)
    fixture: Optional[Dict[str, Any]] = None   # {"azure", "oci"} sections; loaded at start/reset

    @property
    def oci_instance_ocid(self) -> str:
        """The compute instance the client runs on (instance principals): in the home region."""
        return "ocid1.instance.oc1.%s.cloudsiminstance" % self.oci_region

    @property
    def oci_key_id(self) -> str:
        return "%s/%s/%s" % (self.oci_tenancy_ocid, self.oci_user_ocid, self.oci_fingerprint)


class Simulator:
    LOG_LIMIT = 20000

    def __init__(self, config: Optional[SimConfig] = None):
        from cloudsim.azure import AzureCloud  # late: the cloud packages import this module
        from cloudsim.oci import OciCloud

        # Copies: the admin API changes delays and faults at run time, never the caller's config.
        self.config = dataclasses.replace(config or SimConfig())
        self.config.delays = dict(self.config.delays)
        self._start_delays = dict(self.config.delays)
        if self.config.seed is None:
            self.config.seed = random.SystemRandom().randrange(2 ** 31)
        if self.config.faults.seed is None:
            self.config.faults = dataclasses.replace(self.config.faults, seed=self.config.seed)
        self.scheduler = Scheduler()
        self.faults = FaultInjector(self.config.faults)
        self._ids = random.Random(self.config.seed)
        self._lock = threading.RLock()
        self._log: Deque[Dict[str, Any]] = collections.deque(maxlen=self.LOG_LIMIT)
        self._log_seq = 0
        self._current_path = ""
        self.azure = AzureCloud(self)
        # The OCI side acts as the provider of Azure's ExpressRoute circuits: it reaches them only
        # through the ProviderLink (cloudsim/provider.py) that AzureCloud implements.
        self.oci = OciCloud(self, expressroute=self.azure)
        # The routes each side learns over the interconnect's BGP sessions cross the other way.
        self.azure.provider_routes = self.oci
        if self.config.oci_public_key_pem:
            self.oci.register_api_key(self.config.oci_key_id, self.config.oci_public_key_pem)
        self.load_fixture(self.config.fixture or {})

    # ---- services for the cloud handlers -------------------------------------------------

    def delay(self, name: str) -> float:
        return float(self.config.delays.get(name, 0.0))

    def new_guid(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def lro_fails(self) -> bool:
        """Whether the long-running operation the current request starts should end Failed."""
        return self.faults.applies_to(self._current_path, is_auth=False) and self.faults.lro_fails()

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.timezone.utc)

    # ---- entry point ----------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        with self._lock:
            started = time.monotonic()
            self.scheduler.run_due()
            self._current_path = request.path
            cloud = self._cloud_of(request.path)
            kind = self._kind_of(request, cloud)
            fault = None
            try:
                if cloud == "sim":
                    response = self._admin(request)
                else:
                    fault = self._pick_fault(request.path, kind == "auth")
                    if fault == "drop":
                        raise DropConnection()
                    handler = self.oci if cloud == "oci" else self.azure
                    response = self._fault_response(fault, handler, request) if fault else \
                        handler.handle(request)
            except DropConnection:
                self._record(request, cloud, kind, None, "drop", started)
                raise
            self._record(request, cloud, kind, response.status, fault, started)
            return response

    @staticmethod
    def _cloud_of(path: str) -> str:
        if path.startswith(ADMIN_PREFIX) or path == ADMIN_PREFIX.rstrip("/"):
            return "sim"
        return "oci" if is_oci_path(path) or is_imds_path(path) else "azure"

    def _kind_of(self, request: Request, cloud: str) -> str:
        if cloud == "sim":
            return "admin"
        special = (self.azure if cloud == "azure" else self.oci).request_kind(request)
        if special:
            return special
        return "read" if request.method in ("GET", "HEAD") else "write"

    # ---- faults ---------------------------------------------------------------------------

    def _pick_fault(self, path: str, is_auth: bool) -> Optional[str]:
        if not self.faults.applies_to(path, is_auth):
            return None
        return self.faults.pick_request_fault()

    def _fault_response(self, fault: str, handler: Any, request: Request) -> Response:
        """The injected answer in the cloud's own error shape, with its usual headers."""
        status, oci_code, azure_code, message, sends_retry_after = INJECTED_ANSWERS[fault]
        headers = {"Retry-After": str(self.faults.settings.retry_after)} \
            if sends_retry_after else {}
        code = oci_code if handler is self.oci else azure_code
        return handler.fault_response(request, status, code, message, headers)

    # ---- request log ----------------------------------------------------------------------

    def _record(self, request: Request, cloud: str, kind: str, status: Optional[int],
                fault: Optional[str], started: float) -> None:
        self._log_seq += 1
        self._log.append({
            "seq": self._log_seq,
            "time": self.now().isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,      # never the query (may carry tokens) nor bodies
            "status": status,
            "cloud": cloud,
            "kind": kind,
            "fault": fault,
            "duration_ms": round((time.monotonic() - started) * 1000, 2),
        })

    # ---- state ----------------------------------------------------------------------------

    def load_fixture(self, fixture: Dict[str, Any]) -> None:
        unknown = sorted(set(fixture) - {"azure", "oci", "description"})
        if unknown:
            raise ValueError("unknown fixture section(s): %s" % ", ".join(unknown))
        with self._lock:
            if fixture.get("azure"):
                self.azure.load_fixture(fixture["azure"])
            if fixture.get("oci"):
                self.oci.load_fixture(fixture["oci"])

    def reset(self) -> None:
        """Back to the state at start: no resources but the start fixture's, no pending
        transitions, an empty log, the start delays, fault settings and seed."""
        with self._lock:
            self.scheduler.clear()
            self.config.delays = dict(self._start_delays)
            self.azure.reset()
            self.oci.reset()
            self._log.clear()
            self.faults.configure(self.config.faults)
            self._ids = random.Random(self.config.seed)
            self.load_fixture(self.config.fixture or {})

    def dump(self) -> Dict[str, Any]:
        with self._lock:
            return {"azure": self.azure.dump(), "oci": self.oci.dump(),
                    "pending_transitions": self.scheduler.pending()}

    # ---- admin API (/_sim/) ---------------------------------------------------------------

    def _admin(self, request: Request) -> Response:
        route = request.path[len(ADMIN_PREFIX):].strip("/")
        handlers = {
            ("GET", "health"): lambda: Response(200, {"status": "ok"}),
            ("GET", "log"): lambda: Response(200, {"entries": self._filtered_log(request)}),
            ("DELETE", "log"): self._clear_log,
            ("GET", "state"): lambda: Response(200, self.dump()),
            ("GET", "faults"): lambda: Response(200, self.faults.settings.as_dict()),
            ("PUT", "faults"): lambda: self._set_faults(request),
            ("GET", "delays"): lambda: Response(200, dict(self.config.delays)),
            ("PUT", "delays"): lambda: self._set_delays(request),
            ("POST", "reset"): self._reset_response,
            ("POST", "fixture"): lambda: self._load_fixture_response(request),
            ("POST", "azure/certificates"): lambda: self._register_certificate(request),
            ("POST", "azure/federated-token"): lambda: self._federated_token(request),
            ("POST", "oci/security-token"): lambda: self._oci_security_token(request),
        }
        handler = handlers.get((request.method, route))
        if handler is None:
            allowed = sorted(method for method, name in handlers if name == route)
            if allowed:
                return Response(405, {"error": "method not allowed"}, {"Allow": ", ".join(allowed)})
            return Response(404, {"error": "no admin endpoint /_sim/%s" % route,
                                  "endpoints": sorted({"/_sim/" + key[1] for key in handlers})})
        try:
            return handler()
        except ValueError as exc:
            return Response(400, {"error": str(exc)})

    def _filtered_log(self, request: Request) -> List[Dict[str, Any]]:
        since = int(request.arg("since", "0") or 0)
        filters = {name: request.arg(name) for name in ("cloud", "kind", "method")}
        return [entry for entry in self._log if entry["seq"] > since and all(
            value is None or str(entry[name]).lower() == value.lower()
            for name, value in filters.items())]

    def _clear_log(self) -> Response:
        self._log.clear()
        return Response(204)

    @staticmethod
    def _json_object(request: Request) -> Dict[str, Any]:
        """The admin body (none is ``{}``); a bad one is a ValueError, answered 400 by _admin."""
        return request.json(ValueError, not_json="body is not JSON: %s",
                            not_object="body must be a JSON object", empty={})

    def _set_faults(self, request: Request) -> Response:
        settings = self.faults.settings.updated(self._json_object(request))
        self.faults.configure(settings)
        return Response(200, self.faults.settings.as_dict())

    def _set_delays(self, request: Request) -> Response:
        self.config.delays.update(checked_delays(self._json_object(request)))
        return Response(200, dict(self.config.delays))

    def _reset_response(self) -> Response:
        self.reset()
        return Response(204)

    # Credentials the simulated clouds accept besides the configured ones: what an administrator
    # registers (a certificate) or an outside issuer hands out (tokens). They outlive a reset, as
    # the configured identities do.

    def _register_certificate(self, request: Request) -> Response:
        """Upload a certificate to the application's credentials: ``{"certificate": PEM}``."""
        certificate = self._json_object(request).get("certificate")
        if not isinstance(certificate, str):
            raise ValueError("body needs \"certificate\": a PEM certificate")
        return Response(201, self.azure.identity.assertions.register_certificate(certificate.encode()))

    def _federated_token(self, request: Request) -> Response:
        """A workload identity's token, as its cluster's issuer projects it into AZURE_FEDERATED_TOKEN_FILE:
        ``{"subject": ...}`` (the federated credential's subject unless given)."""
        subject = self._json_object(request).get("subject") or self.config.azure_federated_subject
        return Response(201, {"token": self.azure.identity.workload_issuer.token(str(subject))})

    def _oci_security_token(self, request: Request) -> Response:
        """A security token for a client's session key: ``{"public_key": PEM, "principal": "session"}`` (what
        ``oci session authenticate`` receives) or ``"resource"`` (a resource principal's token)."""
        body = self._json_object(request)
        token = self.oci.security_tokens.issue(body.get("public_key"), body.get("principal") or "session")
        return Response(201, {"token": token})

    def _load_fixture_response(self, request: Request) -> Response:
        self.load_fixture(self._json_object(request))
        return Response(204)
