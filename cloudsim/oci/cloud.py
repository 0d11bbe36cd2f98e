"""OciCloud: the OCI Core API (``/20160918``) as the unmodified ``oci`` SDK sees it.

Every request must carry a valid signature (an API key's, or a security token's session key's). Resources are served by one set of generic
handlers (:meth:`OciCloud.create` and friends) over the per-type hooks of
:class:`~cloudsim.oci.store.ResourceKind`; the rules OCI applies to all of them live here once:

- responses carry ``opc-request-id`` and, for single resources, ``etag``;
- ``if-match`` on PUT/DELETE must equal the current etag (412 NoEtagMatch);
- ``opc-retry-token`` on POST: a replay with the same body returns the first resource, a replay
  with another body is refused (409 InvalidatedRetryToken);
- list calls need a known ``compartmentId`` (404 otherwise) and page with ``limit``/``page``
  and the ``opc-next-page`` header;
- unknown OCIDs are 404 NotAuthorizedOrNotFound; deleted resources stay readable in their
  final state (TERMINATED, DETACHED), as OCI keeps them visible for a while;
- every region has its own endpoint (``/oci/<region>``, see ``regions.py``) that serves, lists
  and references that region's resources only: the kinds see the records of the region being
  served, and new OCIDs and ``region`` fields carry it.

Fixture format: see ``FIXTURE.md`` next to this file and :meth:`OciCloud.load_fixture`.

The Azure side is not known here: the simulator passes in the
:class:`~cloudsim.provider.ProviderLink` to its ExpressRoute circuits, and only the FastConnect
kinds use it.
"""
from __future__ import annotations

import contextlib
import itertools
from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ..http import Request, Response
from ..provider import ProviderLink
from .drg_routing import add_default_routing, list_by_drg
from .errors import OciError, not_found
from .fastconnect import FASTCONNECT_KINDS, colocated_shapes
from .instance_identity import FEDERATION_PATH, InstanceIdentity, is_imds_path
from .naming import check_display_name
from .network import NETWORK_KINDS
from .regions import API_ROOT, ENDPOINT_ROOT, region_of_ocid, split_regional_path
from .signature import SignatureVerifier
from .tokens import SecurityTokens
from .store import Record, ResourceKind, body_digest, ocid_unique_part, page_of, sort_records, \
    timestamp

Answer = Tuple[int, Any, Dict[str, str]]   # status, JSON body, headers
# Virtual circuits are left out on purpose: one is only consistent together with the Azure
# circuit's provider state, which the coupling (not a fixture) must produce.
FIXTURE_ORDER = ("vcns", "drgs", "drgAttachments", "routeTables", "securityLists")


class RegionalRecords(Mapping):
    """The records one region's endpoint sees: that region's, and the global ones."""

    def __init__(self, records: Dict[str, Record], region: str):
        self._records = records
        self._region = region

    def _visible(self, ocid: str) -> bool:
        return region_of_ocid(ocid) in ("", self._region)

    def __getitem__(self, ocid: str) -> Record:
        if not self._visible(ocid):
            raise KeyError(ocid)
        return self._records[ocid]

    def __iter__(self) -> Iterator[str]:
        return (ocid for ocid in list(self._records) if self._visible(ocid))

    def __len__(self) -> int:
        return sum(1 for _ocid in self)


class OciCloud:
    def __init__(self, sim: Any, expressroute: ProviderLink):
        self.sim = sim
        self.security_tokens = SecurityTokens(sim)
        self.verifier = SignatureVerifier(token_key=self.security_tokens.public_key)
        self.instance_identity = InstanceIdentity(sim, self.security_tokens, self.verifier)
        kinds = [cls(self) for cls in NETWORK_KINDS] + \
            [cls(self, expressroute) for cls in FASTCONNECT_KINDS]
        self.kinds: Dict[str, ResourceKind] = {kind.collection: kind for kind in kinds}
        self.collection_routes: Dict[str, Callable[["OciCloud", Request], Any]] = {
            "virtualCircuitBandwidthShapes": colocated_shapes,
            "drgRouteTables": list_by_drg("drgRouteTables"),
            "drgRouteDistributions": list_by_drg("drgRouteDistributions")}
        self.all_records: Dict[str, Record] = {}
        self.serving_region: Optional[str] = None   # the region whose endpoint is being served
        self.compartments: Dict[str, str] = {}
        self.retry_tokens: Dict[Tuple[str, str], Tuple[str, str]] = {}  # (path, token) -> (body digest, id)
        self._sequence = itertools.count()
        self.reset()

    # ---- contract with the simulator -------------------------------------------------------

    @property
    def tenancy(self) -> str:
        return self.sim.config.oci_tenancy_ocid

    @property
    def region(self) -> str:
        """The region being served; the home region between requests."""
        return self.serving_region or self.sim.config.oci_region

    @property
    def regions(self) -> Tuple[str, ...]:
        return self.sim.config.oci_regions

    @property
    def records(self) -> Mapping:
        """What the region being served sees; everything between requests (admin, transitions)."""
        if self.serving_region is None:
            return self.all_records
        return RegionalRecords(self.all_records, self.serving_region)

    @contextlib.contextmanager
    def serving(self, region: str) -> Iterator[None]:
        outer, self.serving_region = self.serving_region, region
        try:
            yield
        finally:
            self.serving_region = outer

    def provider_prefixes(self, service_key: str) -> Optional[List[str]]:
        """ProviderRoutes (cloudsim/provider.py): what the provider advertises to Azure."""
        return self.kinds["virtualCircuits"].advertised_prefixes(service_key)

    def register_api_key(self, key_id: str, public_key_pem: str) -> None:
        self.verifier.register(key_id, public_key_pem)

    def reset(self) -> None:
        self.all_records.clear()
        self.retry_tokens.clear()
        self.compartments = {self.tenancy: "root"}
        for region in self.regions:   # every region lists its own provider services
            with self.serving(region):
                self.kinds["fastConnectProviderServices"].load_catalogue()

    def dump(self) -> Dict[str, Any]:
        resources: Dict[str, List[Dict[str, Any]]] = {}
        for record in self.ordered(self.all_records.values()):
            if "create" in record.kind.operations:  # the provider catalogue is not state
                resources.setdefault(record.kind.collection, []).append(
                    {**record.kind.present(record), "etag": record.etag})
        return {"compartments": dict(self.compartments), "resources": resources,
                "retry_tokens": len(self.retry_tokens)}

    def load_fixture(self, section: Dict[str, Any]) -> None:
        """Load the ``oci`` section of a fixture (format: FIXTURE.md). Entries are create
        bodies plus a fixed ``id``; they pass the same validation as API creates and start in
        their kind's ready state unless they give ``lifecycleState``. All or nothing: a bad
        entry raises ValueError and leaves the state as it was."""
        unknown = sorted(set(section) - set(FIXTURE_ORDER) - {"compartments"})
        if unknown:
            raise ValueError("unknown oci fixture key(s): %s" % ", ".join(unknown))
        records, compartments = dict(self.all_records), dict(self.compartments)
        try:
            self._load_entries(section)
        except Exception as exc:  # restore, then report any failure as a bad fixture
            self.all_records, self.compartments = records, compartments
            reason = exc.message if isinstance(exc, OciError) else "%s: %s" % (
                type(exc).__name__, exc)
            raise ValueError("oci fixture: %s" % reason) from exc

    def _load_entries(self, section: Dict[str, Any]) -> None:
        for compartment in section.get("compartments", []):
            self.compartments[compartment["id"]] = compartment.get("name", compartment["id"])
        for collection in FIXTURE_ORDER:
            kind = self.kinds[collection]
            for entry in section.get(collection, []):
                if entry["id"] in self.all_records:
                    raise ValueError("%s %s is defined twice" % (collection, entry["id"]))
                with self.serving(self.fixture_region(collection, entry["id"])):
                    check_display_name(collection, entry)
                    data = kind.build(entry)
                    for name in ("defaultRouteTableId", "defaultSecurityListId", "timeCreated"):
                        if entry.get(name):
                            data[name] = entry[name]
                    self.add(kind, data, ocid=entry["id"],
                             state=entry.get("lifecycleState", kind.ready_state))
        for vcn in self.live_records(self.kinds["vcns"]):
            with self.serving(region_of_ocid(vcn.id)):
                self.adopt_default_children(vcn)
        # A DRG's default route tables and distributions live in the DRG's region.
        for drg in self.live_records(self.kinds["drgs"]):
            with self.serving(region_of_ocid(drg.id)):
                add_default_routing(self, drg)
        for attachment in self.live_records(self.kinds["drgAttachments"]):
            with self.serving(region_of_ocid(attachment.id)):
                self.kinds["drgAttachments"].assign_default_table(attachment)

    def fixture_region(self, collection: str, ocid: str) -> str:
        """The region a fixture entry lives in: the one its OCID names, which must be served."""
        region = region_of_ocid(ocid)
        if region not in self.regions:
            raise ValueError("%s %s names region %r, not one of the served regions (%s)"
                             % (collection, ocid, region, ", ".join(self.regions)))
        return region

    def adopt_default_children(self, vcn: Record) -> None:
        """A fixture VCN's first route table / security list is its default unless it names one."""
        for field, collection in (("defaultRouteTableId", "routeTables"),
                                  ("defaultSecurityListId", "securityLists")):
            if vcn.data.get(field) is None:
                vcn.data[field] = next((child.id for child in self.live_records(self.kinds[collection])
                                        if child.data["vcnId"] == vcn.id), None)
        self.kinds["vcns"].add_defaults(vcn)

    # ---- records ---------------------------------------------------------------------------

    def new_ocid(self, ocid_type: str) -> str:
        return "ocid1.%s.oc1.%s.%s" % (ocid_type, self.region, ocid_unique_part(self.sim.new_guid()))

    def readable_ocid(self, ocid_type: str, name: str) -> str:
        return "ocid1.%s.oc1.%s.%s" % (ocid_type, self.region, name)

    def is_simulated_ocid(self, ocid: str) -> bool:
        kind_of_ocid = ocid.split(".")[1] if ocid.count(".") >= 4 else ""
        return any(kind.ocid_type == kind_of_ocid for kind in self.kinds.values())

    def add(self, kind: ResourceKind, data: Dict[str, Any], ocid: Optional[str] = None,
            state: Optional[str] = None) -> Record:
        ocid = ocid or self.new_ocid(kind.ocid_type)
        data = {"id": ocid, **data}
        data.setdefault("timeCreated", timestamp(self.sim.now()))
        data["displayName"] = data.get("displayName") or kind.default_name(self.sim.now())
        if kind.creating_state:
            data["lifecycleState"] = state or kind.creating_state
        record = Record(kind, data, self.new_etag(), next(self._sequence))
        self.all_records[ocid] = record
        return record

    def new_etag(self) -> str:
        return self.sim.new_guid().replace("-", "")

    def set_state(self, record: Record, state: str) -> None:
        record.data["lifecycleState"] = state
        record.etag = self.new_etag()

    def move_later(self, record: Record, delay_name: str, expected: str, target: str,
                   then: Optional[Callable[[], None]] = None) -> None:
        """After ``delay_name`` seconds move ``record`` from ``expected`` to ``target`` (and run
        ``then``), unless something else moved it meanwhile."""
        def action() -> None:
            if self.all_records.get(record.id) is record and record.state == expected:
                self.set_state(record, target)
                if then is not None:
                    then()
        self.sim.scheduler.after(self.sim.delay(delay_name), action)

    def live_records(self, kind: Optional[ResourceKind] = None,
                     every_region: bool = False) -> Iterator[Record]:
        """Live records of the region being served (of every region with ``every_region``)."""
        records = self.all_records if every_region else self.records
        for record in self.ordered(records.values()):
            if (kind is None or record.kind is kind) and not record.kind.is_gone(record):
                yield record

    @staticmethod
    def ordered(records: Any) -> List[Record]:
        return sorted(records, key=lambda record: record.sequence)

    def require_compartment(self, body: Dict[str, Any]) -> str:
        compartment = body.get("compartmentId")
        if not compartment:
            raise OciError(400, "MissingParameter", "Missing required parameter 'compartmentId'.")
        if compartment not in self.compartments:
            raise not_found("compartment")
        return compartment

    # ---- HTTP ------------------------------------------------------------------------------

    def request_kind(self, request: Request) -> Optional[str]:
        """"auth" for the instance metadata service and the auth service's federation endpoint."""
        return "auth" if is_imds_path(request.path) or self.is_federation(request) else None

    def is_federation(self, request: Request) -> bool:
        region, api_path = split_regional_path(request.path)
        return region in self.regions and api_path == FEDERATION_PATH and request.method == "POST"

    def handle(self, request: Request) -> Response:
        if is_imds_path(request.path):  # the instance's own service, no OCI API: plain answers
            return self.instance_identity.metadata(request)
        request_id = self.request_id(request)
        region, api_path = split_regional_path(request.path)
        try:
            if self.is_federation(request):
                return self._answer(request_id, 200, self.instance_identity.federate(request, self.json_body(request)), {})
            self.verifier.verify(request)
            if region not in self.regions or not api_path.startswith(API_ROOT):
                raise self.no_endpoint(region)
            with self.serving(region):
                status, body, headers = self.route(request, api_path)
        except OciError as exc:
            status, body, headers = exc.status, {"code": exc.code, "message": exc.message}, {}
        return self._answer(request_id, status, body, headers)

    def fault_response(self, request: Request, status: int, code: str, message: str,
                       headers: Dict[str, str]) -> Response:
        """An injected fault, answered as OCI answers its errors."""
        return self._answer(self.request_id(request), status, {"code": code, "message": message}, headers)

    @staticmethod
    def _answer(request_id: str, status: int, body: Any, headers: Dict[str, str]) -> Response:
        headers = {"opc-request-id": request_id, **headers}
        if body is not None:
            headers["content-type"] = "application/json"
        return Response(status, body, headers)

    def no_endpoint(self, region: Optional[str]) -> OciError:
        """The simulator's own answer to a path outside every region's API: real OCI has no
        region-less endpoint, and an unknown region's host name does not resolve."""
        where = "no region" if region is None else "region %r, which is not served" % region
        return OciError(404, "NotAuthorizedOrNotFound",
                        "cloudsim serves OCI per region at %s<region>%s... (this path names %s; "
                        "served: %s)." % (ENDPOINT_ROOT, API_ROOT, where, ", ".join(self.regions)))

    def request_id(self, request: Request) -> str:
        # OCI answers with the client's id (if any) followed by its own parts.
        own = self.sim.new_guid().replace("-", "").upper()
        client = request.headers.get("opc-request-id")
        return "%s/%s" % (client, own) if client else own

    def route(self, request: Request, api_path: str) -> Answer:
        segments = api_path[len(API_ROOT):].strip("/").split("/")
        if len(segments) == 1 and segments[0] in self.collection_routes and request.method == "GET":
            items, next_page = self.collection_routes[segments[0]](self, request)
            return self.list_response(items, next_page)
        kind = self.kinds.get(segments[0])
        if kind is None:
            raise not_found()
        if len(segments) == 1:
            operation = {"GET": "list", "POST": "create"}.get(request.method)
        elif len(segments) == 2:
            operation = {"GET": "get", "PUT": "update", "DELETE": "delete"}.get(request.method)
        else:
            record = self.find(kind, segments[1])
            result = kind.subresource(record, segments[2:], request)
            return self.list_response(*result) if isinstance(result, tuple) else (200, result, {})
        if operation not in kind.operations:
            raise not_found()
        if operation == "list":
            return self.list_response(*self.list(kind, request))
        if operation == "create":
            return self.single_response(self.create(kind, request))
        record = self.find(kind, segments[1])
        if operation == "get":
            return self.single_response(record)
        self.check_etag(record, request)
        if operation == "update":
            return self.single_response(self.update(record, request))
        self.delete(record)
        return 204, None, {"etag": record.etag}

    @staticmethod
    def list_response(items: List[Any], next_page: Optional[str]) -> Answer:
        return 200, items, {"opc-next-page": next_page} if next_page else {}

    @staticmethod
    def single_response(record: Record) -> Answer:
        return 200, record.kind.present(record), {"etag": record.etag}

    def find(self, kind: ResourceKind, ocid: str) -> Record:
        record = self.records.get(ocid)
        if record is None or record.kind is not kind:
            raise not_found()
        return record

    @staticmethod
    def check_etag(record: Record, request: Request) -> None:
        expected = request.headers.get("if-match")
        if expected and expected != record.etag:
            raise OciError(412, "NoEtagMatch",
                           "The If-Match header %s does not match the resource's etag." % expected)

    @staticmethod
    def json_body(request: Request) -> Dict[str, Any]:
        return request.json(lambda message: OciError(400, "CannotParseRequest", message),
                            not_json="The request body is not JSON: %s",
                            not_object="The request body must be a JSON object.")

    # ---- the generic operations ------------------------------------------------------------

    def create(self, kind: ResourceKind, request: Request) -> Record:
        body = self.json_body(request)
        check_display_name(kind.collection, body)
        token = request.headers.get("opc-retry-token")
        token_key = (request.path, token)
        if token and token_key in self.retry_tokens:
            digest, ocid = self.retry_tokens[token_key]
            if digest != body_digest(request.body):
                raise OciError(409, "InvalidatedRetryToken",
                               "The retry token was already used for a different request.")
            return self.records[ocid]
        record = self.add(kind, kind.build(body))
        kind.after_create(record)
        if token:
            self.retry_tokens[token_key] = (body_digest(request.body), record.id)
        return record

    def update(self, record: Record, request: Request) -> Record:
        body = self.json_body(request)
        check_display_name(record.kind.collection, body)
        if record.kind.is_gone(record):
            raise OciError(409, "IncorrectState", "The resource is %s." % record.state)
        changes = {name: body[name] for name in record.kind.updatable if name in body}
        record.data.update(record.kind.validate_update(record, changes))
        record.etag = self.new_etag()
        return record

    def delete(self, record: Record) -> None:
        if record.kind.is_gone(record):
            return  # deleting what is already going away changes nothing
        record.kind.check_delete(record)
        record.kind.after_delete(record)

    def list(self, kind: ResourceKind, request: Request) -> Tuple[List[Any], Optional[str]]:
        compartment = self.require_compartment({"compartmentId": request.arg("compartmentId")})
        wanted = {field: request.arg(param) for param, field in kind.list_filters.items()
                  if request.arg(param)}
        if kind.compartment_scoped:
            wanted["compartmentId"] = compartment
        for field in ("displayName", "lifecycleState"):
            if request.arg(field):
                wanted[field] = request.arg(field)
        matching = [record for record in self.records.values() if record.kind is kind and
                    all(record.data.get(field) == value for field, value in wanted.items())
                    and kind.listed(record, request)]
        ordered = sort_records(matching, request.arg("sortBy"), request.arg("sortOrder"))
        return page_of([kind.present(record) for record in ordered], request)
