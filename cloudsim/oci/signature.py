"""Verification of OCI API request signatures (draft-cavage HTTP signatures as OCI profiles them).

A client signs ``name: value`` lines of the headers it lists in the ``Authorization`` header,
joined by ``\\n``, with RSA PKCS#1 v1.5 over SHA-256 (see ``oci/signer.py`` and the vendored
``httpsig_cffi``). ``(request-target)`` is ``<method lower> <path?query as sent>``. Requests
with a body must also sign ``x-content-sha256`` (base64 SHA-256 of the body), ``content-length``
and ``content-type``, and those values must describe the body actually received.

The key is an API signing key registered for ``<tenancy>/<user>/<fingerprint>``, or, for a
``keyId`` of ``ST$<security token>`` (session tokens, resource and instance principals), the session
key the token carries (see ``tokens.py``).
"""
from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import time
from typing import Callable, Dict, List, Optional, Tuple
from urllib.request import parse_http_list

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..http import Request
from .errors import not_authenticated
from .tokens import TOKEN_PREFIX

BODY_METHODS = ("POST", "PUT", "PATCH")
REQUIRED_HEADERS = ("(request-target)", "host")
REQUIRED_BODY_HEADERS = ("content-length", "content-type", "x-content-sha256")
MAX_CLOCK_SKEW_SECONDS = 300.0


def parse_authorization(value: str) -> Dict[str, str]:
    """The parameters of a ``Signature k="v",...`` header; raises OciError when malformed."""
    scheme, _space, params = value.partition(" ")
    if scheme != "Signature" or not params:
        raise not_authenticated("Authorization header is not of the Signature scheme")
    parsed = {}
    for item in parse_http_list(params):
        key, sep, raw = item.strip().partition("=")
        if not sep:
            raise not_authenticated("malformed Authorization parameter %r" % item)
        parsed[key] = raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw
    return parsed


class SignatureVerifier:
    """Checks requests against the API signing keys registered for this simulator."""

    def __init__(self, clock: Callable[[], float] = time.time,
                 max_skew: float = MAX_CLOCK_SKEW_SECONDS,
                 token_key: Optional[Callable[[str], rsa.RSAPublicKey]] = None):
        self._keys: Dict[str, rsa.RSAPublicKey] = {}
        self._token_key = token_key
        self._clock = clock
        self._max_skew = max_skew

    def register(self, key_id: str, public_key_pem: str) -> None:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("OCI API signing keys are RSA keys")
        self._keys[key_id] = key

    def verify(self, request: Request, key: Optional[rsa.RSAPublicKey] = None,
               required: Tuple[str, ...] = REQUIRED_HEADERS) -> str:
        """Return the verified keyId; raise OciError(401) for anything OCI would refuse. ``key``: the key
        the caller found for the keyId itself (the auth service's federation endpoint takes it from the
        certificate in the body); ``required``: the headers that must be signed besides the body's."""
        header = request.headers.get("authorization")
        if not header:
            raise not_authenticated("no Authorization header")
        params = parse_authorization(header)
        if params.get("version", "1") != "1":
            raise not_authenticated("unsupported signature version %r" % params["version"])
        if params.get("algorithm") != "rsa-sha256":
            raise not_authenticated("algorithm must be rsa-sha256")
        key_id = params.get("keyId", "")
        if key is None and key_id.startswith(TOKEN_PREFIX) and self._token_key is not None:
            key = self._token_key(key_id[len(TOKEN_PREFIX):])
        elif key is None:
            key = self._keys.get(key_id)
        if key is None:
            raise not_authenticated("unknown keyId %r" % params.get("keyId"))
        signed = params.get("headers", "date").lower().split()
        self._check_coverage(request, signed, required)
        self._check_date(request)
        if request.method in BODY_METHODS:
            self._check_body(request)
        try:
            signature = base64.b64decode(params.get("signature", ""), validate=True)
        except binascii.Error:
            raise not_authenticated("signature is not base64")
        try:
            key.verify(signature, self.signing_string(request, signed), padding.PKCS1v15(),
                       hashes.SHA256())
        except InvalidSignature:
            raise not_authenticated("signature does not verify")
        return params["keyId"]

    @staticmethod
    def signing_string(request: Request, signed: List[str]) -> bytes:
        lines = []
        for name in signed:
            if name == "(request-target)":
                lines.append("%s: %s %s" % (name, request.method.lower(), request.target))
            elif name in request.headers:
                lines.append("%s: %s" % (name, request.headers[name]))
            else:
                raise not_authenticated("signed header %r is missing" % name)
        return "\n".join(lines).encode()

    @staticmethod
    def _check_coverage(request: Request, signed: List[str], required_headers: Tuple[str, ...]) -> None:
        required = list(required_headers)
        if request.method in BODY_METHODS:
            required += REQUIRED_BODY_HEADERS
        if "date" not in signed and "x-date" not in signed:
            required.append("date")
        missing = [name for name in required if name not in signed]
        if missing:
            raise not_authenticated("headers %s must be signed" % ", ".join(missing))

    def _check_date(self, request: Request) -> None:
        value = request.headers.get("x-date") or request.headers.get("date") or ""
        try:
            sent = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            raise not_authenticated("no valid date header")
        if abs(self._clock() - sent.timestamp()) > self._max_skew:
            raise not_authenticated("date %r is more than %d seconds from the server clock"
                                    % (value, self._max_skew))

    @staticmethod
    def _check_body(request: Request) -> None:
        digest = base64.b64encode(hashlib.sha256(request.body).digest()).decode()
        if request.headers.get("x-content-sha256") != digest:
            raise not_authenticated("x-content-sha256 does not match the body")
        if request.headers.get("content-length") != str(len(request.body)):
            raise not_authenticated("content-length does not match the body")
