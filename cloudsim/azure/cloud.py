"""Azure: routing of Entra ID, cloud metadata and Resource Manager requests, resource groups
(Microsoft.Resources), and the :class:`~cloudsim.provider.ProviderLink` the simulator hands the
OCI side."""
from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Optional

from cloudsim.azure.arm import ArmEngine, ArmError, bad_request
from cloudsim.azure.identity import EntraId
from cloudsim.azure import naming, network
from cloudsim.http import Headers, HttpError, Request, Response
from cloudsim.provider import PeeringAddresses, PrivatePeering, ProvidedCircuit, ProviderRoutes

NETWORK_NAMESPACE = "Microsoft.Network"
# The managed identity endpoints (lower-case path segments): the VM's IMDS token path, and the
# App Service identity endpoint, as the documented IDENTITY_ENDPOINT (http://127.0.0.1:41741/MSI/token/).
MANAGED_IDENTITY_PATHS = {"imds": ["metadata", "identity", "oauth2", "token"], "app_service": ["msi", "token"]}


class AzureCloud:
    """Serves the Azure requests; also the ProviderLink through which the OCI side, as the
    circuits' provider, acts on them."""

    def __init__(self, sim):
        self.sim = sim
        self.identity = EntraId(sim)
        self.engine = ArmEngine(sim, network.RESOURCE_TYPES, NETWORK_NAMESPACE)
        self.groups: Dict[str, Dict[str, Any]] = {}      # lower-case name -> resource group body
        # What the provider advertises over BGP; the simulator connects the OCI side here.
        self.provider_routes: Optional[ProviderRoutes] = None

    # ---- contract with the Simulator ------------------------------------------------------

    def handle(self, request: Request) -> Response:
        try:
            response = self._route(request)
        except HttpError as exc:
            response = exc.response
        return self._finish(request, response)

    def fault_response(self, request: Request, status: int, code: str, message: str,
                       headers: Dict[str, str]) -> Response:
        """An injected fault, answered as ARM answers its errors."""
        return self._finish(request, ArmError(status, code, message, headers).response)

    def _finish(self, request: Request, response: Response) -> Response:
        response.headers.setdefault("x-ms-request-id", self.sim.new_guid())
        response.headers.setdefault("x-ms-correlation-request-id",
                                    request.headers.get("x-ms-client-request-id")
                                    or self.sim.new_guid())
        response.headers.setdefault("Cache-Control", "no-cache")
        return response

    def request_kind(self, request: Request) -> Optional[str]:
        """"auth" for Entra/metadata calls, "poll" for operation status GETs, "read" for the
        POSTs that only read a circuit's router tables, else None."""
        segments = [s.lower() for s in request.path.split("/") if s]
        if request.method == "POST" and segments[-2:-1] in (["routetables"], ["routetablessummary"],
                                                            ["arptables"]):
            return "read"
        if segments in (["metadata", "endpoints"], MANAGED_IDENTITY_PATHS["imds"], MANAGED_IDENTITY_PATHS["app_service"]) \
                or segments[1:2] in (["oauth2"], ["v2.0"], [".well-known"]):
            return "auth"
        if len(segments) == 8 and segments[2] == "providers" and segments[4] == "locations" \
                and segments[6] in ("operations", "operationresults"):
            return "poll"
        return None

    def dump(self) -> Dict[str, Any]:
        return {"resourceGroups": [copy.deepcopy(g) for g in self.groups.values()],
                "resources": self.engine.dump()}

    def reset(self) -> None:
        self.groups.clear()
        self.engine.reset()

    def load_fixture(self, section: Dict[str, Any]) -> None:
        """``{"resourceGroups": {name: {"location", "tags"}}, "resources": [{"path", "body"}]}``;
        a path is relative to the subscription (``resourceGroups/rg/providers/...``), and
        ``{subscriptionId}`` in a body stands for the configured subscription. Resources go
        through the same validation as a PUT and exist (Succeeded) at once."""
        unknown = sorted(set(section) - {"resourceGroups", "resources"})
        if unknown:
            raise ValueError("unknown key(s) in the azure fixture section: %s" % ", ".join(unknown))
        for name, group in (section.get("resourceGroups") or {}).items():
            try:
                naming.check_group_name(name)
            except HttpError as exc:
                raise ValueError("fixture resource group %s: %s" % (name, exc.response.body))
            self.put_group(name, group["location"], group.get("tags") or {})
        subscription = self.sim.config.azure_subscription_id
        self.engine.immediate = True
        try:
            for item in section.get("resources") or []:
                body = json.dumps(item["body"]).replace("{subscriptionId}", subscription)
                path = item["path"].strip("/")
                request = Request("PUT", "/subscriptions/%s/%s?api-version=fixture"
                                  % (subscription, path), Headers(), body.encode(),
                                  base_url="https://cloudsim.invalid")
                segments = path.split("/")
                try:
                    self._in_resource_groups(request, segments[1:],
                                             [s.lower() for s in segments[1:]])
                except HttpError as exc:
                    raise ValueError("fixture resource %s: %s" % (path, exc.response.body))
        finally:
            self.engine.immediate = False

    # ---- routing --------------------------------------------------------------------------

    def _route(self, request: Request) -> Response:
        segments = [s for s in request.path.split("/") if s]
        lower = [s.lower() for s in segments]
        if lower == ["metadata", "endpoints"] and request.method == "GET":
            return self.identity.metadata_endpoints(request)
        if lower == MANAGED_IDENTITY_PATHS["imds"] and request.method == "GET":
            return self.identity.imds_token(request)
        if lower == MANAGED_IDENTITY_PATHS["app_service"] and request.method == "GET":
            return self.identity.app_service_token(request)
        if lower[:1] == ["providers"] and len(segments) == 2 and request.method == "GET":
            self._arm_preamble(request)
            return Response(200, self._provider(segments[1], registered=None))
        if segments and lower[0] != "subscriptions":
            return self._entra(request, segments[0], lower[1:])
        if lower[:1] == ["subscriptions"]:
            return self._arm(request, segments[1:], lower[1:])
        raise ArmError(404, "NotFound", "No HTTP resource was found that matches the request "
                                        "URI '%s'." % request.path)

    def _entra(self, request: Request, tenant: str, rest: List[str]) -> Response:
        if request.method == "GET":
            for version, path in (("v2.0", ["v2.0", ".well-known", "openid-configuration"]),
                                  ("v1.0", [".well-known", "openid-configuration"])):
                if rest == path:
                    return self.identity.openid_configuration(request, tenant, version)
        if request.method == "POST":
            for version, path in (("v2.0", ["oauth2", "v2.0", "token"]),
                                  ("v1.0", ["oauth2", "token"])):
                if rest == path:
                    return self.identity.token(request, tenant, version)
        raise HttpError(Response(404, {"error": "not_found",
                                       "error_description": "No such endpoint: %s"
                                                            % request.path}))

    def _arm_preamble(self, request: Request) -> None:
        self.identity.authenticate(request)
        if not request.arg("api-version"):
            raise bad_request("MissingApiVersionParameter",
                              "The api-version query parameter (?api-version=) is required for "
                              "all requests.")

    def _arm(self, request: Request, segments: List[str], lower: List[str]) -> Response:
        self._arm_preamble(request)
        subscription = self.sim.config.azure_subscription_id
        if not segments and request.method == "GET":   # Subscriptions - List: the one we serve
            return Response(200, {"value": [self._subscription()], "count": {"type": "Total",
                                                                             "value": 1}})
        if not segments or lower[0] != subscription.lower():
            raise ArmError(404, "SubscriptionNotFound", "The subscription '%s' could not be found."
                           % (segments[0] if segments else ""))
        rest, lrest = segments[1:], lower[1:]
        if not rest and request.method == "GET":
            return Response(200, self._subscription())
        if lrest[:1] == ["resourcegroups"]:
            return self._in_resource_groups(request, rest[1:], lrest[1:])
        if lrest[:1] == ["providers"] and len(rest) >= 2:
            return self._subscription_provider(request, rest[1:], lrest[1:])
        raise _no_route(request)

    def _in_resource_groups(self, request: Request, rest: List[str], lrest: List[str]) -> Response:
        if not rest:
            if request.method != "GET":
                raise _no_route(request)
            return Response(200, {"value": [copy.deepcopy(g) for g in self.groups.values()]})
        naming.check_group_name(rest[0])
        if len(rest) == 1:
            return self._resource_group(request, rest[0])
        group = rest[0]
        if group.lower() not in self.groups:
            raise _group_not_found(group)
        if lrest[1] == "providers" and len(rest) >= 4:
            self._require_network(rest[2])
            return self.engine.handle(request, group, rest[3:])
        if lrest[1:] == ["resources"] and request.method == "GET":
            return Response(200, {"value": self._group_resources(group)})
        raise _no_route(request)

    def _group_resources(self, group: str) -> List[Dict[str, Any]]:
        """Resources - List By Resource Group (Microsoft.Resources REST reference, api-version
        2021-04-01: GET .../resourceGroups/{name}/resources): the group's top-level resources
        as GenericResourceExpanded (id, name, type, location, tags; sku where it has one)."""
        found = []
        for resource in self.engine.resources.values():
            if resource.group != group.lower() or resource.parent is not None:
                continue
            item = {key: copy.deepcopy(resource.body[key])
                    for key in ("id", "name", "type", "location", "tags", "sku")
                    if key in resource.body}
            found.append(item)
        return found

    def _subscription_provider(self, request: Request, rest: List[str],
                               lrest: List[str]) -> Response:
        namespace = rest[0]
        if len(rest) == 1 and request.method == "GET":
            return Response(200, self._provider(namespace, registered=True))
        if lrest[1:] == ["register"] and request.method == "POST":
            return Response(200, self._provider(namespace, registered=True))
        self._require_network(namespace)
        if lrest[1:] == ["expressrouteserviceproviders"] and request.method == "GET":
            return Response(200, {"value": network.service_providers(self.sim)})
        if len(rest) == 5 and lrest[1] == "locations" and request.method == "GET" \
                and lrest[3] in ("operations", "operationresults"):
            return self.engine.poll(request, rest[4], results=lrest[3] == "operationresults")
        if len(rest) == 2 and request.method == "GET":
            return self.engine.list_in_subscription(request, rest[1])
        raise _no_route(request)

    def _subscription(self) -> Dict[str, Any]:
        """A subscription as Subscriptions - Get/List answer (Microsoft.Resources API reference,
        api-version 2022-12-01: subscriptionPolicies, authorizationSource, managedByTenants)."""
        subscription = self.sim.config.azure_subscription_id
        return {"id": "/subscriptions/" + subscription, "subscriptionId": subscription,
                "tenantId": self.sim.config.azure_tenant_id, "displayName": "cloudsim",
                "state": "Enabled", "authorizationSource": "RoleBased", "managedByTenants": [],
                "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                         "quotaId": "PayAsYouGo_2014-09-01",
                                         "spendingLimit": "Off"}}

    def _provider(self, namespace: str, registered: Optional[bool]) -> Dict[str, Any]:
        """A resource provider as Providers - Get answers; at tenant scope (``registered``
        None) without the subscription's registration. Microsoft.Network lists the types served
        here with the api-versions clients send (see network.API_VERSIONS)."""
        scope = "/subscriptions/%s" % self.sim.config.azure_subscription_id if registered else ""
        body: Dict[str, Any] = {"id": "%s/providers/%s" % (scope, namespace), "namespace": namespace}
        if registered:
            body.update(registrationState="Registered", registrationPolicy="RegistrationRequired")
        body["resourceTypes"] = network.provider_resource_types() \
            if namespace.lower() == NETWORK_NAMESPACE.lower() else []
        return body

    @staticmethod
    def _require_network(namespace: str) -> None:
        if namespace.lower() != NETWORK_NAMESPACE.lower():
            raise bad_request("InvalidResourceNamespace",
                              "The resource namespace '%s' is invalid." % namespace)

    # ---- resource groups (Microsoft.Resources) --------------------------------------------

    def group_name(self, group: str) -> str:
        """The resource group's name as created (ARM keeps the first spelling)."""
        existing = self.groups.get(group.lower())
        return existing["name"] if existing else group

    def _resource_group(self, request: Request, name: str) -> Response:
        existing = self.groups.get(name.lower())
        if request.method in ("GET", "HEAD"):
            if existing is None:
                if request.method == "HEAD":
                    return Response(404)
                raise _group_not_found(name)
            return Response(204) if request.method == "HEAD" else \
                Response(200, copy.deepcopy(existing))
        if request.method == "PUT":
            body = request.json()
            if not isinstance(body, dict) or not isinstance(body.get("location"), str):
                raise bad_request("LocationRequired",
                                  "The location property is required for this definition.")
            group = self.put_group(name, body["location"], body.get("tags") or {})
            return Response(200 if existing else 201, copy.deepcopy(group))
        if request.method == "DELETE":
            if existing is None:
                raise _group_not_found(name)
            # Done at once; ARM's 202 would send clients polling an operation of its own.
            self.engine.remove_group(name)
            del self.groups[name.lower()]
            return Response(200)
        raise _no_route(request)

    def put_group(self, name: str, location: str, tags: Dict[str, str]) -> Dict[str, Any]:
        existing = self.groups.get(name.lower())
        canonical = existing["name"] if existing else name
        group_id = "/subscriptions/%s/resourceGroups/%s" % (self.sim.config.azure_subscription_id, canonical)
        group = {"id": group_id,
                 "name": canonical, "type": "Microsoft.Resources/resourceGroups",
                 "location": location.replace(" ", "").lower(), "tags": tags,
                 "properties": {"provisioningState": "Succeeded"}}
        self.groups[name.lower()] = group
        return group

    # ---- the ProviderLink (see cloudsim/provider.py) --------------------------------------

    def provider_circuit(self, service_key: str) -> Optional[ProvidedCircuit]:
        return network.provider_circuit(self.engine, service_key)

    def set_provider_state(self, service_key: str, state: str,
                           mappings: Optional[List[PeeringAddresses]] = None) -> None:
        network.set_provider_state(self.engine, service_key, state, mappings)

    def private_peering(self, service_key: str) -> Optional[PrivatePeering]:
        return network.private_peering(self.engine, service_key)

    def advertised_prefixes(self, service_key: str) -> List[str]:
        return network.advertised_prefixes(self.engine, service_key)


def _no_route(request: Request) -> ArmError:
    return ArmError(404, "NotFound", "No HTTP resource was found that matches the request URI "
                                     "'%s'." % request.path)


def _group_not_found(name: str) -> ArmError:
    return ArmError(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % name)
