"""OCI regions as cloudsim serves them: one endpoint per region, and the region an OCID names.

OCI Core is regional. Each region has its own endpoint, ``https://iaas.<region>.oraclecloud.com``
(the ``service_endpoint_template`` ``https://iaas.{region}.{secondLevelDomain}`` of the SDK's
``oci/core/virtual_network_client.py``), and an OCID carries the region of its resource
(``ocid1.<type>.<realm>.<region>.<unique>``, Oracle's "Resource Identifiers"; tenancies and
compartments leave the region empty: IAM is global). A region's endpoint serves that region's
resources only: any other OCID in a request's path or query is 404 ``NotAuthorizedOrNotFound``,
and one in a request body ``RelatedResourceNotAuthorizedOrNotFound`` (Oracle's "API Errors" page,
https://docs.oracle.com/iaas/Content/API/References/apierrors.htm: "A resource specified via the URI
(path or query parameters) of the request was not found, or you do not have authorization").

cloudsim serves every region on its one HTTPS port, each under a path prefix of its own:
``https://127.0.0.1:PORT/oci/<region>`` is the ``service_endpoint`` of ``<region>``. One port and
one certificate serve them all (a container forwards one port; no DNS names are needed), and the
SDK keeps that path: its ``BaseClient.endpoint`` setter appends the base path ``/20160918`` to a
``service_endpoint``, ``_is_valid_endpoint_path`` accepts the path configured, and the signer signs
the whole path in ``(request-target)``. There is no region-less endpoint: real OCI has none.
"""
from __future__ import annotations

from typing import Optional, Tuple

ENDPOINT_ROOT = "/oci/"
API_ROOT = "/20160918/"

# The regions the simulated tenancy is subscribed to, and so the endpoints cloudsim serves: the OCI
# regions of the Azure interconnect's region pairs (/work/shared/reference/interconnect-facts.md,
# "Region pairs", from Oracle's "Access to Microsoft Azure").
SUBSCRIBED_REGIONS: Tuple[str, ...] = (
    "ap-tokyo-1", "ap-singapore-1", "ap-seoul-1", "eu-frankfurt-1", "eu-amsterdam-1", "uk-london-1",
    "af-johannesburg-1", "sa-vinhedo-1", "ca-toronto-1", "us-ashburn-1", "us-phoenix-1", "us-sanjose-1")


def regional_endpoint(base_url: str, region: str) -> str:
    """The ``service_endpoint`` of ``region`` on a simulator reached at ``base_url``."""
    return "%s%s%s" % (base_url.rstrip("/"), ENDPOINT_ROOT, region)


def is_oci_path(path: str) -> bool:
    """Whether a request path belongs to OCI: a regional endpoint, or the API root without one
    (answered with a pointer to the regional endpoints)."""
    return path.startswith(ENDPOINT_ROOT) or path.startswith(API_ROOT)


def split_regional_path(path: str) -> Tuple[Optional[str], str]:
    """``("<region>", "/20160918/...")`` of ``/oci/<region>/20160918/...``; ``(None, path)`` for a
    path outside any region's endpoint."""
    if not path.startswith(ENDPOINT_ROOT):
        return None, path
    region, _slash, rest = path[len(ENDPOINT_ROOT):].partition("/")
    return region, "/" + rest


def region_of_ocid(ocid: str) -> str:
    """The region part of an OCID; "" for a global one (tenancy, compartment, user)."""
    parts = ocid.split(".")
    return parts[3] if len(parts) >= 5 and parts[0] == "ocid1" else ""
