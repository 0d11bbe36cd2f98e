"""The display names OCI Core refuses, and its answer.

OCI puts no rule on a display name's characters ("A user-friendly name. Does not have to be
unique, and it's changeable."): spaces, any script and punctuation are all accepted. Its length
is bounded: ``displayName`` is "Minimum Length: 1, Maximum Length: 255" in the Core API reference
(https://docs.oracle.com/iaas/api/#/en/iaas/20160918/, e.g. UpdateVcnDetails as the Private
Cloud Appliance's copy of the 20160918 API prints it), on create and on update alike.
"""
from __future__ import annotations

from typing import Any, Dict, Tuple

from .errors import invalid_parameter

# collection -> (min, max) length of displayName, for every kind clients can create or update.
DISPLAY_NAME_LENGTH: Dict[str, Tuple[int, int]] = {
    collection: (1, 255) for collection in (
        "vcns",              # CreateVcnDetails / UpdateVcnDetails
        "drgs",              # CreateDrgDetails / UpdateDrgDetails
        "drgAttachments",    # CreateDrgAttachmentDetails / UpdateDrgAttachmentDetails
        "routeTables",       # CreateRouteTableDetails / UpdateRouteTableDetails
        "securityLists",     # CreateSecurityListDetails / UpdateSecurityListDetails
        "virtualCircuits",   # CreateVirtualCircuitDetails / UpdateVirtualCircuitDetails
    )}


def java_length(text: str) -> int:
    """Length as Bean Validation's @Size counts a String: UTF-16 code units. (OCI's refusal is
    @Size's own message, "size must be between {min} and {max}".)"""
    return len(text.encode("utf-16-le")) // 2


def check_display_name(collection: str, body: Dict[str, Any]) -> None:
    """Raise OCI's answer when a create or update body's ``displayName`` has the wrong length.

    The answer as recorded: 400 InvalidParameter "displayName size must be between 1 and 255"
    for an empty display name (abhirockzz/fn-oci-compute README, UpdateInstance through the Go
    SDK, which prints it as "Service error:InvalidParameter. displayName size must be between 1
    and 255. http status code: 400"); the same wording for another field in
    hitrov/oci-arm-host-capacity#132 ({"code": "InvalidParameter", "message": "shape size must
    be between 1 and 255"}). A null or absent displayName is no name, not a wrong one.
    """
    name = body.get("displayName")
    limits = DISPLAY_NAME_LENGTH.get(collection)
    if name is None or limits is None:
        return
    if not isinstance(name, str) or not limits[0] <= java_length(name) <= limits[1]:
        raise invalid_parameter("displayName size must be between %d and %d" % limits)
