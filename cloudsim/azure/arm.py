"""A generic Azure Resource Manager resource engine.

One engine serves every simulated Microsoft.Network type: PUT/GET/DELETE/list, the
long-running-operation protocol (``Azure-AsyncOperation`` polled to a terminal status, 201/200
then polls for PUT, 202 for DELETE), etags, case-insensitive names and child resources that the
parent's body embeds (subnets in a virtual network, rules in a security group). Types add only
what differs through the small hooks of :class:`ResourceType`.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from cloudsim.azure import naming
from cloudsim.azure.errors import ArmError, bad_request
from cloudsim.http import Request, Response

TERMINAL_STATES = ("Succeeded", "Failed", "Canceled")


@dataclass
class Resource:
    kind: "ResourceType"
    id: str                                  # canonical spelling, as created
    body: Dict[str, Any]       # id, name, type, etag, [location, tags, sku], properties
    group: str                               # resource group name, lower case
    parent: Optional["Resource"] = None
    children: Dict[str, Dict[str, "Resource"]] = field(default_factory=dict)  # segment -> name -> r
    meta: Dict[str, Any] = field(default_factory=dict)   # simulator-private facts, never served

    @property
    def name(self) -> str:
        return self.body["name"]

    @property
    def properties(self) -> Dict[str, Any]:
        return self.body["properties"]

    @property
    def state(self) -> str:
        return self.properties.get("provisioningState", "Succeeded")

    @property
    def location(self) -> str:
        return self.body.get("location") or (self.parent.location if self.parent else "")

    def child_list(self, segment: str) -> List["Resource"]:
        return list(self.children.get(segment.lower(), {}).values())


@dataclass
class WriteContext:
    """What a type's hooks see while validating a PUT."""
    engine: "ArmEngine"
    request: Request
    name: str
    group: str
    body: Dict[str, Any]                     # the request body (an object)
    properties: Dict[str, Any]               # body["properties"], minus read-only keys
    existing: Optional[Resource]
    parent: Optional[Resource]
    parent_properties: Optional[Dict[str, Any]] = None   # the parent's new properties (inline)
    siblings: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)
    kind: Optional["ResourceType"] = None

    @property
    def parent_props(self) -> Dict[str, Any]:
        """The parent's properties as they will be after this write."""
        if self.parent_properties is not None:
            return self.parent_properties
        return self.parent.properties if self.parent else {}

    def resource_id(self, kind: Optional["ResourceType"] = None) -> str:
        return self.engine.resource_id(self.group, kind or self.kind, self.name, self.parent)


class ResourceType:
    """Describes one resource type; subclasses override the hooks they need."""
    segment = ""                  # canonical path segment, e.g. "virtualNetworks"
    embed_key: Optional[str] = None    # the parent's property listing these children
    child_types: Tuple["ResourceType", ...] = ()
    fixed_names: Optional[Tuple[str, ...]] = None   # only these names exist (canonical spelling)
    delay_name = "azure.lro"
    in_use_code = ""              # error code when a referenced resource is deleted
    # Server-owned properties: values a client sends are ignored, as ARM does.
    read_only: Tuple[str, ...] = ("provisioningState", "resourceGuid")
    # What happens to embedded children a parent PUT omits: ARM replaces the collection.
    children_omitted_means_empty = True
    assigns_resource_guid = False   # ARM gives each new resource of the type a resourceGuid
    # Lower-case path segments after a resource's name that are actions on it, not child types
    # (a circuit's "stats", a peering's "routeTables/{devicePath}"); served by action().
    action_segments: Tuple[str, ...] = ()

    def __init__(self) -> None:
        self.parent_type: Optional[ResourceType] = None
        for child in self.child_types:
            child.parent_type = self

    @property
    def arm_type(self) -> str:
        if self.parent_type:
            return "%s/%s" % (self.parent_type.arm_type, self.segment)
        return "Microsoft.Network/" + self.segment

    @property
    def tracked(self) -> bool:
        """Top-level resources carry location and tags; children do not."""
        return self.parent_type is None

    def child(self, segment: str) -> Optional["ResourceType"]:
        return next((c for c in self.child_types if c.segment.lower() == segment.lower()), None)

    # ---- hooks ----------------------------------------------------------------------------

    def validate(self, ctx: WriteContext) -> Dict[str, Any]:
        """Return the properties to store (canonical spelling); raise ArmError when invalid."""
        return ctx.properties

    def top_level(self, ctx: WriteContext) -> Dict[str, Any]:
        """Top-level members other than location/tags/properties to store (e.g. ``sku``)."""
        return {}

    def created(self, resource: Resource, ctx: WriteContext) -> None:
        """Fill server-owned properties of a new resource (first response shows these)."""

    def first_response(self, view: Dict[str, Any], created: bool) -> Dict[str, Any]:
        """The body of the PUT answer; a few types answer fewer fields before the operation."""
        return view

    def succeeded(self, resource: Resource, engine: "ArmEngine", created: bool) -> None:
        """Called when a PUT's operation succeeds."""

    def decorate(self, view: Dict[str, Any], resource: Resource, engine: "ArmEngine") -> None:
        """Add computed, read-only members to a served body."""

    def action(self, resource: Resource, engine: "ArmEngine", request: Request,
               path: List[str]) -> Response:
        """Answer an action on ``resource``: ``path`` starts with one of action_segments."""
        raise ArmError(404, "NotFound", "No HTTP resource was found that matches the request "
                                        "URI '%s'." % request.path)

    def check_delete(self, resource: Resource, engine: "ArmEngine") -> Optional[ArmError]:
        """Raise ArmError to refuse a DELETE at once; return one to fail its operation."""
        referrers = engine.referrers(resource)
        if referrers and self.in_use_code:
            raise bad_request(self.in_use_code, "%s %s is in use by %s and cannot be deleted."
                              % (self.segment[:-1], resource.name, ", ".join(referrers)))
        return None


@dataclass
class Operation:
    id: str
    resource_key: str
    action: str                          # "put" | "delete" | "post" (an action's result)
    status: str = "InProgress"
    error: Optional[Dict[str, str]] = None
    result: Any = None                   # the body a finished "post" answers with

    def as_body(self) -> Dict[str, Any]:
        body: Dict[str, Any] = {"name": self.id, "status": self.status}
        if self.error:
            body["error"] = self.error
        return body


class ArmEngine:
    def __init__(self, sim, types: Tuple[ResourceType, ...], namespace: str):
        self.sim = sim
        self.namespace = namespace
        self.types = {t.segment.lower(): t for t in types}
        self.resources: Dict[str, Resource] = {}      # lower-case id -> resource (all levels)
        self.operations: Dict[str, Operation] = {}
        self.immediate = False    # finish operations at once (fixture loading)

    def reset(self) -> None:
        self.resources.clear()
        self.operations.clear()

    # ---- ids and lookups ------------------------------------------------------------------

    def resource_id(self, group: str, kind: ResourceType, name: str,
                    parent: Optional[Resource] = None) -> str:
        if parent is not None:
            return "%s/%s/%s" % (parent.id, kind.segment, name)
        return "/subscriptions/%s/resourceGroups/%s/providers/%s/%s/%s" % (
            self.sim.config.azure_subscription_id, self.sim.azure.group_name(group),
            self.namespace, kind.segment, name)

    def get(self, resource_id: str) -> Optional[Resource]:
        return self.resources.get(resource_id.lower().rstrip("/"))

    def of_type(self, kind: ResourceType) -> Iterator[Resource]:
        return (r for r in list(self.resources.values()) if r.kind is kind)

    def referrers(self, resource: Resource) -> List[str]:
        """Ids of other resources whose properties point at ``resource`` (or below it)."""
        target = resource.id.lower()
        found = []
        for other in self.resources.values():
            if other is resource or other.id.lower().startswith(target + "/"):
                continue
            if any(ref == target or ref.startswith(target + "/")
                   for ref in _referenced_ids(other.properties)):
                found.append(other.id)
        return found

    # ---- served bodies --------------------------------------------------------------------

    def view(self, resource: Resource) -> Dict[str, Any]:
        body = copy.deepcopy(resource.body)
        for child_type in resource.kind.child_types:
            if child_type.embed_key:
                body["properties"][child_type.embed_key] = [
                    self.view(child) for child in resource.child_list(child_type.segment)]
        resource.kind.decorate(body, resource, self)
        return body

    # ---- request handling -----------------------------------------------------------------

    def handle(self, request: Request, group: str, segments: List[str]) -> Response:
        """``segments``: the path after ``providers/<namespace>/``: [type, name, child, name]."""
        action_at = self._action_index(segments)
        if action_at is not None:
            kind, parent, name = self._resolve(request, group, segments[:action_at])
            target = self.get(self.resource_id(group, kind, name, parent))
            if target is None:
                raise self.not_found(kind, name, group)
            return kind.action(target, self, request, segments[action_at:])
        kind, parent, name = self._resolve(request, group, segments)
        if name is None:
            if request.method != "GET":
                raise _method_not_allowed(request)
            items = parent.child_list(kind.segment) if parent else \
                [r for r in self.of_type(kind) if r.group == group.lower()]
            return Response(200, {"value": [self.view(r) for r in items]})
        key = self.resource_id(group, kind, name, parent).lower()
        existing = self.resources.get(key)
        if request.method == "GET":
            if existing is None:
                raise self.not_found(kind, name, group)
            return Response(200, self.view(existing))
        if request.method == "PUT":
            return self._put(request, group, kind, name, parent, existing)
        if request.method == "DELETE":
            return self._delete(request, existing)
        if request.method == "PATCH" and kind.tracked:
            return self._patch_tags(request, kind, name, group, existing)
        raise _method_not_allowed(request)

    def _action_index(self, segments: List[str]) -> Optional[int]:
        """Where an action's segments start in ``segments`` ([type, name, (child, name)*,
        action, ...]), or None when the path names resources only."""
        kind = self.types.get(segments[0].lower())
        index = 2
        while kind is not None and index < len(segments):
            segment = segments[index].lower()
            if segment in kind.action_segments:
                return index
            kind, index = kind.child(segment), index + 2
        return None

    def start_action(self, request: Request, resource: Resource, compute: Callable[[], Any]) -> Response:
        """A POST action as a long-running operation: 202 with Azure-AsyncOperation and
        Location; once done, ``operationResults`` answers 200 with ``compute()``, worked out
        when the operation finishes (clients follow Location for the result of a POST)."""
        operation = Operation(self.sim.new_guid(), resource.id.lower(), "post")
        self.operations[operation.id] = operation

        def finish() -> None:
            operation.result, operation.status = compute(), "Succeeded"

        self.sim.scheduler.after(self.sim.delay("azure.lro"), finish)
        headers = self._operation_headers(request, resource, operation, remember=False)
        headers["Location"] = headers["Azure-AsyncOperation"].replace("/operations/",
                                                                      "/operationResults/")
        return Response(202, None, headers)

    def list_in_subscription(self, request: Request, segment: str) -> Response:
        kind = self.types.get(segment.lower())
        if kind is None:
            raise self._unknown_type(segment, request)
        return Response(200, {"value": [self.view(r) for r in self.of_type(kind)]})

    def _resolve(self, request: Request, group: str, segments: List[str]):
        """(type, parent resource, name or None for a list) for the path segments."""
        request_type = segments[0]
        kind = self.types.get(request_type.lower())
        if kind is None:
            raise self._unknown_type(request_type)
        parent: Optional[Resource] = None
        rest = segments[1:]
        while len(rest) > 1:
            parent_id = self.resource_id(group, kind, rest[0], parent)
            parent_resource = self.resources.get(parent_id.lower())
            child_kind = kind.child(rest[1])
            if child_kind is None:
                naming.check_split_name(request, rest)   # a name holding '/'
                raise self._unknown_type("%s/%s" % (kind.arm_type, rest[1]))
            if parent_resource is None:
                raise ArmError(404, "ParentResourceNotFound",
                               "Failed to perform 'read' on resource(s) of type '%s', because "
                               "the parent resource '%s' could not be found."
                               % (child_kind.arm_type, parent_id))
            kind, parent, rest = child_kind, parent_resource, rest[2:]
        name = rest[0] if rest else None
        if name is not None and kind.fixed_names:
            canonical = next((n for n in kind.fixed_names if n.lower() == name.lower()), None)
            if canonical is None:
                raise self.not_found(kind, name, group)
            name = canonical
        return kind, parent, name

    def not_found(self, kind: ResourceType, name: str, group: str) -> ArmError:
        return ArmError(404, "ResourceNotFound",
                        "The Resource '%s/%s' under resource group '%s' was not found. For more "
                        "details please go to https://aka.ms/ARMResourceNotFoundFix"
                        % (kind.arm_type, name, self.sim.azure.group_name(group)))

    def _unknown_type(self, segment: str, request: Optional[Request] = None) -> ArmError:
        version = request.arg("api-version") if request else ""
        return bad_request("InvalidResourceType",
                           "The resource type '%s' could not be found in the namespace '%s' for "
                           "api version '%s'." % (segment, self.namespace, version or ""))

    # ---- PUT ------------------------------------------------------------------------------

    def _put(self, request: Request, group: str, kind: ResourceType, name: str,
             parent: Optional[Resource], existing: Optional[Resource]) -> Response:
        self._check_preconditions(request, existing)
        self._check_idle(existing, parent)
        body = request.json()
        if not isinstance(body, dict):
            raise bad_request("InvalidRequestFormat", "Cannot parse the request.")
        ctx = self._context(request, group, kind, name, body, existing, parent)
        self._check_references(ctx)
        properties = kind.validate(ctx)
        inline = self._validate_inline_children(ctx, kind, properties)
        for child_type, children in inline.items():
            self._check_removals(existing, child_type, children)
        resource = self._store(ctx, kind, properties)
        for child_type, children in inline.items():
            self._replace_children(resource, child_type, children)
        operation = self._start(resource, "put", kind.delay_name, created=existing is None)
        view = kind.first_response(self.view(resource), created=existing is None)
        return Response(201 if existing is None else 200, view,
                        self._operation_headers(request, resource, operation))

    def _context(self, request, group, kind, name, body, existing, parent,
                 parent_properties=None, siblings=None) -> WriteContext:
        naming.check_resource_name(kind.arm_type, name)
        properties = body.get("properties") or {}
        if not isinstance(properties, dict):
            raise bad_request("InvalidRequestFormat", "Cannot parse the request.")
        properties = {k: copy.deepcopy(v) for k, v in properties.items()
                      if k not in kind.read_only}
        for child_type in kind.child_types:   # embedded children are handled by the engine
            properties.pop(child_type.embed_key, None)
        if siblings is None and parent is not None:
            siblings = [(c.name, c.properties) for c in parent.child_list(kind.segment)
                        if c.name.lower() != name.lower()]
        return WriteContext(self, request, name, group.lower(), body, properties, existing,
                            parent, parent_properties, siblings or [], kind)

    def _validate_inline_children(self, ctx: WriteContext, kind: ResourceType,
                                  properties: Dict[str, Any]):
        """{child type: [(name, validated properties, context)]} for the children the body
        embeds; an omitted collection is [] where ARM reads that as "none"."""
        inline = {}
        raw_properties = ctx.body.get("properties") or {}
        # Children validate against the parent as it will be (server-owned values included).
        parent_after = {**(ctx.existing.properties if ctx.existing else {}), **properties}
        for child_type in kind.child_types:
            if not child_type.embed_key:
                continue
            if child_type.embed_key not in raw_properties:
                if ctx.existing is None or child_type.children_omitted_means_empty:
                    inline[child_type] = []
                continue
            entries = raw_properties[child_type.embed_key] or []
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise bad_request("InvalidRequestFormat", "Cannot parse the request.")
            names = [str(e.get("name") or "") for e in entries]
            if not all(names):
                raise bad_request("InvalidRequestFormat",
                                  "Every item of %s needs a name." % child_type.embed_key)
            validated = []
            for index, entry in enumerate(entries):
                existing_child = ctx.existing and ctx.existing.children.get(
                    child_type.segment.lower(), {}).get(names[index].lower())
                siblings = [(n, e.get("properties") or {}) for i, (n, e) in
                            enumerate(zip(names, entries)) if i != index]
                child_ctx = self._context(ctx.request, ctx.group, child_type, names[index], entry,
                                          existing_child or None, ctx.existing,
                                          parent_after, siblings)
                self._check_references(child_ctx)
                validated.append((names[index], child_type.validate(child_ctx), child_ctx))
            inline[child_type] = validated
        return inline

    def _check_removals(self, existing: Optional[Resource], child_type: ResourceType,
                        children) -> None:
        """Refuse a parent PUT that would drop an embedded child that is still in use."""
        wanted = {child[0].lower() for child in children}
        for child in existing.child_list(child_type.segment) if existing else []:
            if child.name.lower() not in wanted:
                child_type.check_delete(child, self)

    def _replace_children(self, parent: Resource, child_type: ResourceType, children) -> None:
        current = parent.children.setdefault(child_type.segment.lower(), {})
        wanted = {child[0].lower() for child in children}
        for key in [k for k in current if k not in wanted]:
            self.remove(current[key])
        for name, properties, ctx in children:
            ctx.parent = parent
            self._store(ctx, child_type, properties)

    def _store(self, ctx: WriteContext, kind: ResourceType, properties: Dict[str, Any]) -> Resource:
        resource_id = ctx.existing.id if ctx.existing else ctx.resource_id(kind)
        body: Dict[str, Any] = {"name": ctx.existing.name if ctx.existing else ctx.name,
                                "id": resource_id, "etag": self.etag(),
                                "type": kind.arm_type}
        if kind.tracked:
            location = ctx.body.get("location")
            if not location or not isinstance(location, str):
                raise bad_request("LocationRequired",
                                  "The location property is required for this definition.")
            location = location.replace(" ", "").lower()
            if ctx.existing is not None and ctx.existing.body["location"] != location:
                raise bad_request("InvalidResourceLocation",
                                  "The resource '%s' already exists in location '%s' in resource "
                                  "group '%s'. A resource with the same name cannot be created "
                                  "in location '%s'." % (ctx.name, ctx.existing.body["location"],
                                                         self.sim.azure.group_name(ctx.group),
                                                         location))
            body["location"] = location
            body["tags"] = ctx.body.get("tags") or {}
        body.update(kind.top_level(ctx))
        kept = {k: v for k, v in (ctx.existing.properties if ctx.existing else {}).items()
                if k in kind.read_only}
        body["properties"] = {**kept, **properties, "provisioningState": "Updating"}
        if ctx.existing is not None:
            ctx.existing.body = body
            return ctx.existing
        resource = Resource(kind, resource_id, body, ctx.group, ctx.parent)
        if kind.assigns_resource_guid:
            resource.properties["resourceGuid"] = self.sim.new_guid()
        kind.created(resource, ctx)
        self.add(resource)
        return resource

    def add(self, resource: Resource) -> None:
        self.resources[resource.id.lower()] = resource
        if resource.parent is not None:
            resource.parent.children.setdefault(resource.kind.segment.lower(), {})[
                resource.name.lower()] = resource

    def _check_references(self, ctx: WriteContext) -> None:
        """ARM refuses a body that points at a resource of a served type that does not exist."""
        for ref in _referenced_ids(ctx.properties):
            if self._served_type(ref) and self.get(ref) is None:
                raise bad_request("InvalidResourceReference",
                                  "Resource %s referenced by resource %s was not found. Please "
                                  "make sure that the referenced resource exists, and that both "
                                  "resources are in the same region."
                                  % (ref, ctx.resource_id()))

    def _served_type(self, ref: str) -> bool:
        parts = ref.lower().split("/")
        # /subscriptions/s/resourcegroups/g/providers/ns/type/name[/child/name]
        if len(parts) < 9 or parts[5] != "providers" or parts[6] != self.namespace.lower():
            return False
        kind = self.types.get(parts[7])
        for child_segment in parts[9::2]:
            kind = kind.child(child_segment) if kind else None
        return kind is not None and len(parts) % 2 == 1

    def _check_preconditions(self, request: Request, existing: Optional[Resource]) -> None:
        if_match = request.headers.get("If-Match")
        if_none_match = request.headers.get("If-None-Match")
        current = existing.body.get("etag") if existing else None
        if if_match and (existing is None or if_match not in ("*", current)):
            raise ArmError(412, "PreconditionFailed",
                           "Precondition failed: the etag does not match.")
        if if_none_match == "*" and existing is not None:
            raise ArmError(412, "PreconditionFailed",
                           "Precondition failed: the resource already exists.")

    def _check_idle(self, *resources: Optional[Resource]) -> None:
        """ARM allows one operation at a time on a resource (and on its parent)."""
        for resource in resources:
            if resource is not None and resource.state in ("Updating", "Deleting"):
                raise ArmError(429, "AnotherOperationInProgress",
                               "Another operation on this or dependent resource is in progress. "
                               "To retrieve status of the operation use uri: %s."
                               % resource.meta.get("operation_url", resource.id),
                               self._retry_after(always=True))

    def _patch_tags(self, request: Request, kind: ResourceType, name: str, group: str,
                    existing: Optional[Resource]) -> Response:
        """``update_tags``: ARM applies a tags-only PATCH synchronously."""
        if existing is None:
            raise self.not_found(kind, name, group)
        self._check_preconditions(request, existing)
        body = request.json()
        tags = body.get("tags") if isinstance(body, dict) else None
        if not isinstance(tags, dict) or set(body) - {"tags"}:
            raise bad_request("InvalidRequestFormat",
                              "Cannot parse the request: PATCH accepts {\"tags\": {...}} only.")
        existing.body["tags"] = tags
        existing.body["etag"] = self.etag()
        return Response(200, self.view(existing))

    # ---- DELETE ---------------------------------------------------------------------------

    def _delete(self, request: Request, existing: Optional[Resource]) -> Response:
        if existing is None:
            return Response(204)
        self._check_preconditions(request, existing)
        self._check_idle(existing, existing.parent)
        refusal = existing.kind.check_delete(existing, self)
        previous_state = existing.state
        existing.properties["provisioningState"] = "Deleting"
        operation = self._start(existing, "delete", existing.kind.delay_name, refusal,
                                previous_state)
        headers = self._operation_headers(request, existing, operation)
        headers["Location"] = headers["Azure-AsyncOperation"].replace(
            "/operations/", "/operationResults/")
        return Response(202, None, headers)

    def remove(self, resource: Resource) -> None:
        for children in resource.children.values():
            for child in list(children.values()):
                self.remove(child)
        self.resources.pop(resource.id.lower(), None)
        if resource.parent is not None:
            resource.parent.children.get(resource.kind.segment.lower(), {}).pop(
                resource.name.lower(), None)

    def remove_group(self, group: str) -> None:
        for resource in [r for r in self.resources.values()
                         if r.group == group.lower() and r.parent is None]:
            self.remove(resource)

    # ---- long-running operations ----------------------------------------------------------

    def _start(self, resource: Resource, action: str, delay_name: str,
               refusal: Optional[ArmError] = None, previous_state: str = "Succeeded",
               created: bool = False) -> Operation:
        operation = Operation(self.sim.new_guid(), resource.id.lower(), action)
        self.operations[operation.id] = operation
        failure = refusal or (self._injected_failure() if self.sim.lro_fails() else None)

        def finish() -> None:
            target = self.resources.get(operation.resource_key)
            if failure is not None:
                operation.status, operation.error = "Failed", {"code": failure.code,
                                                               "message": failure.message}
                if target is not None:
                    # A refused delete leaves the resource as it was; a failed write marks it.
                    target.properties["provisioningState"] = previous_state if action == "delete" \
                        else "Failed"
                    self._mark_children(target, "Failed" if action == "put" else None)
                    target.body["etag"] = self.etag()
                return
            if action == "delete":
                if target is not None:
                    self.remove(target)
            elif target is not None:
                target.properties["provisioningState"] = "Succeeded"
                self._mark_children(target, "Succeeded")
                target.body["etag"] = self.etag()
                target.kind.succeeded(target, self, created)
            operation.status = "Succeeded"

        if self.immediate:
            finish()
        else:
            self.sim.scheduler.after(self.sim.delay(delay_name), finish)
        return operation

    def _mark_children(self, resource: Resource, state: Optional[str]) -> None:
        if state is None:
            return
        for children in resource.children.values():
            for child in children.values():
                if child.state == "Updating":
                    child.properties["provisioningState"] = state

    @staticmethod
    def _injected_failure() -> ArmError:
        return ArmError(500, "InternalServerError",
                        "An error occurred while processing the operation (injected by cloudsim).")

    def _operation_headers(self, request: Request, resource: Resource,
                           operation: Operation, remember: bool = True) -> Dict[str, str]:
        url = "%s/subscriptions/%s/providers/%s/locations/%s/operations/%s?api-version=%s" % (
            request.base_url, self.sim.config.azure_subscription_id, self.namespace,
            resource.location or "global", operation.id, request.arg("api-version"))
        if remember:   # the operation a concurrent write is told to wait for
            resource.meta["operation_url"] = url
        return {"Azure-AsyncOperation": url, **self._retry_after()}

    def _retry_after(self, always: bool = False) -> Dict[str, str]:
        """The Retry-After header of operation answers: ``azure.retry_after`` seconds, none when
        that is 0 - except on the answers where ARM always sends one (then at least 1 s)."""
        seconds = int(self.sim.delay("azure.retry_after"))
        if always:
            seconds = max(1, seconds)
        return {"Retry-After": str(seconds)} if seconds > 0 else {}

    def poll(self, request: Request, operation_id: str, results: bool) -> Response:
        """``.../operations/{id}`` (Azure-AsyncOperation) and ``.../operationResults/{id}``."""
        operation = self.operations.get(operation_id.lower())
        if operation is None:
            raise ArmError(404, "OperationNotFound",
                           "The operation '%s' could not be found." % operation_id)
        if not results:
            headers = self._retry_after() if operation.status == "InProgress" else {}
            return Response(200, operation.as_body(), headers)
        if operation.status == "InProgress":
            return Response(202, None, {"Location": request.base_url + request.target,
                                        **self._retry_after(always=True)})
        if operation.status == "Failed":
            return Response(400, {"error": operation.error})
        if operation.action == "post":
            return Response(200, operation.result)
        target = self.resources.get(operation.resource_key)
        if operation.action == "delete" or target is None:
            return Response(204)
        return Response(200, self.view(target))

    def etag(self) -> str:
        return 'W/"%s"' % self.sim.new_guid()

    # ---- fixtures and dumps ---------------------------------------------------------------

    def dump(self) -> List[Dict[str, Any]]:
        return [self.view(r) for r in self.resources.values() if r.parent is None]


def _referenced_ids(value: Any) -> Iterator[str]:
    """Every ``{"id": "..."}`` reference inside a properties tree, lower case."""
    if isinstance(value, dict):
        ref = value.get("id")
        if isinstance(ref, str) and ref.startswith("/subscriptions/"):
            yield ref.lower().rstrip("/")
        for item in value.values():
            yield from _referenced_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _referenced_ids(item)


def _method_not_allowed(request: Request) -> ArmError:
    return ArmError(405, "MethodNotAllowed",
                    "The requested resource does not support http method '%s'." % request.method)
