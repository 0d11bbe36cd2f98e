"""OCI error answers: ``{"code", "message"}`` bodies with the status codes OCI uses for them."""
from __future__ import annotations


class OciError(Exception):
    """Raised anywhere below :class:`~cloudsim.oci.cloud.OciCloud`; turned into an error response."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status = status
        self.code = code
        self.message = message


def invalid_parameter(message: str) -> OciError:
    return OciError(400, "InvalidParameter", message)


def missing_parameter(name: str) -> OciError:
    return OciError(400, "MissingParameter", "Missing required parameter '%s'." % name)


def not_found(what: str = "resource") -> OciError:
    return OciError(404, "NotAuthorizedOrNotFound",
                    "Authorization failed or requested %s not found." % what)


def related_not_found(field: str, ocid: str) -> OciError:
    # OCI's answer when an OCID in the request body names nothing the caller can see.
    return OciError(404, "RelatedResourceNotAuthorizedOrNotFound",
                    "The resource %s given in '%s' was not found or is not authorized." % (ocid, field))


def incorrect_state(message: str) -> OciError:
    return OciError(409, "IncorrectState", message)


def conflict(message: str) -> OciError:
    return OciError(409, "Conflict", message)


def not_authenticated(reason: str) -> OciError:
    return OciError(401, "NotAuthenticated",
                    "The required information to complete authentication was not provided or was "
                    "incorrect. (%s)" % reason)
