"""The generic part of every OCI Core resource: OCIDs, etags, lifecycle moves, listing rules.

Each resource type is a :class:`ResourceKind` subclass that only says what differs: how a
create body becomes a resource, which fields an update may change, what blocks a delete, and
which states it walks through. :class:`~cloudsim.oci.cloud.OciCloud` serves all of them with
one set of create/get/list/update/delete handlers; the kinds see it only as the
:class:`ServingCloud` declared here, so this module does not import the cloud.

Records hold the resource exactly as the API returns it (the JSON names of the SDK models'
``attribute_map``), so presenting one is a copy plus whatever a kind computes on read.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, \
    Mapping, Optional, Protocol, Tuple

from .errors import invalid_parameter, missing_parameter, not_found, related_not_found

if TYPE_CHECKING:  # pragma: no cover
    from ..http import Request

ALL_OPERATIONS = frozenset({"list", "get", "create", "update", "delete"})
READ_ONLY = frozenset({"list", "get"})
TAG_FIELDS = ("freeformTags", "definedTags")


def timestamp(moment: datetime.datetime) -> str:
    """RFC 3339 with milliseconds and a Z, as OCI writes ``timeCreated``."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        "%03dZ" % (moment.microsecond // 1000)


@dataclass
class Record:
    kind: "ResourceKind"
    data: Dict[str, Any]
    etag: str
    sequence: int            # creation order, the tie-breaker of every listing

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def state(self) -> Optional[str]:
        return self.data.get("lifecycleState")


class ServingCloud(Protocol):
    """What a resource kind uses of the cloud that serves it (OciCloud): the records, the other
    kinds, and the record keeping all kinds share. ``records``, ``live_records`` and ``region``
    are those of the region whose endpoint is being served (OCI Core is regional)."""
    records: Mapping[str, Record]
    kinds: Dict[str, "ResourceKind"]

    @property
    def region(self) -> str: ...

    def new_ocid(self, ocid_type: str) -> str: ...

    def readable_ocid(self, ocid_type: str, name: str) -> str: ...

    def is_simulated_ocid(self, ocid: str) -> bool: ...

    def add(self, kind: "ResourceKind", data: Dict[str, Any], ocid: Optional[str] = None,
            state: Optional[str] = None) -> Record: ...

    def set_state(self, record: Record, state: str) -> None: ...

    def move_later(self, record: Record, delay_name: str, expected: str, target: str,
                   then: Optional[Callable[[], None]] = None) -> None: ...

    def live_records(self, kind: Optional["ResourceKind"] = None,
                     every_region: bool = False) -> Iterator[Record]: ...

    def require_compartment(self, body: Dict[str, Any]) -> str: ...

    def json_body(self, request: "Request") -> Dict[str, Any]: ...


class ResourceKind:
    """One OCI Core resource type. Subclasses override the class attributes and hooks."""

    collection = ""                     # URL segment under /20160918, e.g. "drgs"
    ocid_type = ""                      # the <type> in ocid1.<type>.oc1.<region>.<unique>
    operations: FrozenSet[str] = ALL_OPERATIONS
    list_filters: Dict[str, str] = {}   # query parameter -> the field it must equal
    compartment_scoped = True           # list filters on compartmentId
    updatable: Tuple[str, ...] = ("displayName",) + TAG_FIELDS
    # The lifecycle of most Core resources (the lifecycle_state allowed values of the SDK models,
    # e.g. oci/core/models/vcn.py, route_table.py): PROVISIONING -> AVAILABLE on create,
    # TERMINATING -> TERMINATED on delete ("This is an asynchronous operation", delete_vcn).
    creating_state: Optional[str] = "PROVISIONING"
    ready_state: Optional[str] = "AVAILABLE"
    deleting_state: Optional[str] = "TERMINATING"
    deleted_state: Optional[str] = "TERMINATED"

    def __init__(self, cloud: ServingCloud):
        self.cloud = cloud

    # ---- hooks ------------------------------------------------------------------------------

    def build(self, body: Dict[str, Any]) -> Dict[str, Any]:
        """Validated fields of a new resource from a create body (id, time, state added later)."""
        return {"compartmentId": self.cloud.require_compartment(body),
                "displayName": body.get("displayName"), **tags_of(body)}

    def validate_update(self, record: Record, changes: Dict[str, Any]) -> Dict[str, Any]:
        """The changes to apply, validated and normalised; ``changes`` holds updatable keys only."""
        return changes

    def check_delete(self, record: Record) -> None:
        """Raise OciError when something still depends on ``record``."""

    def after_create(self, record: Record) -> None:
        self.cloud.move_later(record, "oci.lifecycle", self.creating_state, self.ready_state)

    def after_delete(self, record: Record) -> None:
        self.cloud.set_state(record, self.deleting_state)
        self.cloud.move_later(record, "oci.lifecycle", self.deleting_state, self.deleted_state)

    def present(self, record: Record) -> Dict[str, Any]:
        return dict(record.data)

    def listed(self, record: Record, request: "Request") -> bool:
        """Whether a list call shows ``record``, beyond ``list_filters`` (for query parameters
        that are not plain equality, e.g. one with a default)."""
        return True

    def subresource(self, record: Record, path: List[str], request: "Request") -> Any:
        """Answer ``/{collection}/{id}/<path...>``: a dict, or (items, next page) for a list."""
        raise not_found()

    # ---- helpers ----------------------------------------------------------------------------

    def is_gone(self, record: Record) -> bool:
        gone = (self.deleting_state, self.deleted_state)
        return record.state is not None and record.state in gone

    def default_name(self, now: datetime.datetime) -> str:
        return "%s%s" % (self.ocid_type, now.strftime("%Y%m%d%H%M%S"))


def tags_of(body: Dict[str, Any]) -> Dict[str, Any]:
    return {name: body.get(name) or {} for name in TAG_FIELDS}


def require(body: Dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value in (None, "", []):
        raise missing_parameter(name)
    return value


def require_reference(cloud: ServingCloud, body: Dict[str, Any], field: str,
                      kind: str) -> Record:
    """The live resource of ``kind`` (a collection name) that ``body[field]`` names."""
    ocid = require(body, field)
    record = cloud.records.get(ocid)
    if record is None or record.kind.collection != kind or record.kind.is_gone(record):
        raise related_not_found(field, ocid)
    return record


def one_of(value: Any, allowed: Iterable[str], field: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise invalid_parameter("%s must be one of %s, not %r" % (field, ", ".join(allowed), value))
    return value


# ---- listing --------------------------------------------------------------------------------

SORT_FIELDS = {"TIMECREATED": "timeCreated", "DISPLAYNAME": "displayName"}
DEFAULT_SORT_ORDER = {"TIMECREATED": "DESC", "DISPLAYNAME": "ASC"}  # as OCI documents them
MAX_LIMIT = 1000


def sort_records(records: List[Record], sort_by: Optional[str],
                 sort_order: Optional[str]) -> List[Record]:
    """Creation order by default; else by the field, ties broken by creation order."""
    if sort_by is None:
        if sort_order is not None:
            one_of(sort_order, ("ASC", "DESC"), "sortOrder")
        return sorted(records, key=lambda record: record.sequence)
    field = SORT_FIELDS[one_of(sort_by, SORT_FIELDS, "sortBy")]
    order = one_of(sort_order or DEFAULT_SORT_ORDER[sort_by], ("ASC", "DESC"), "sortOrder")
    return sorted(records, key=lambda record: ((record.data.get(field) or "").lower(),
                                               record.sequence),
                  reverse=order == "DESC")


def page_of(items: List[Any], request: "Request") -> Tuple[List[Any], Optional[str]]:
    """The page of ``items`` that the request's ``limit`` and ``page`` ask for."""
    return paginate(items, request.arg("limit"), request.arg("page"))


def paginate(items: List[Any], limit: Optional[str], page: Optional[str]) -> Tuple[List[Any], Optional[str]]:
    """One page of ``items`` and the opaque token of the next page (None on the last page)."""
    start = decode_page(page) if page else 0
    if limit is None:
        size = MAX_LIMIT
    else:
        try:
            size = int(limit)
        except ValueError:
            raise invalid_parameter("limit must be an integer, not %r" % limit)
        if not 1 <= size <= MAX_LIMIT:
            raise invalid_parameter("limit must be between 1 and %d" % MAX_LIMIT)
    end = start + size
    return items[start:end], encode_page(end) if end < len(items) else None


def encode_page(offset: int) -> str:
    return base64.urlsafe_b64encode(("offset:%d" % offset).encode()).decode().rstrip("=")


def decode_page(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        label, _colon, offset = text.partition(":")
        if label == "offset" and offset.isdigit():
            return int(offset)
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid_parameter("page token %r is not valid" % token)


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def ocid_unique_part(seed: str) -> str:
    """60 lowercase base32 characters, the shape of a real OCID's unique part."""
    digest = hashlib.sha512(seed.encode()).digest()
    return "a" + base64.b32encode(digest).decode().lower()[:59]
