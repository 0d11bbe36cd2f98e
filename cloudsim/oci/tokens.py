"""Security tokens for OCI request signing: a session token (what ``oci session authenticate``
leaves in ``security_token_file``), a resource principal session token (RPST) and an instance
principal's token (what the auth service's federation endpoint answers, see ``instance_identity.py``).

A client signing with a token sends ``keyId="ST$<token>"`` (``oci/auth/signers/
security_token_signer.py``, ``SECURITY_TOKEN_FORMAT_STRING``) and signs with the private half of
the session key it generated; the token, issued by OCI's identity service, carries the public half
as its ``jwk`` claim (a JSON string), so the service verifies the request with that key. The SDK
reads the token's claims without verifying it (``oci/auth/security_token_container.py``: ``exp``,
``iat``; ``res_tenant`` and ``res_compartment`` for resource principals); only the service can
check its signature, which here is this process's HMAC.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any, Dict, Optional

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cloudsim import b64url
from .errors import not_authenticated

TOKEN_PREFIX = "ST$"
# A session token lasts an hour (the OCI CLI's `oci session refresh` extends it); a resource
# principal's as long.
TOKEN_LIFETIME = 3600
# What the admin API hands out; an instance principal's token ("instance") comes from the federation
# endpoint only (instance_identity.py), which adds the instance's claims.
PRINCIPALS = ("session", "resource")


def _jwk(public_key: rsa.RSAPublicKey) -> str:
    numbers = public_key.public_numbers()
    length = (numbers.n.bit_length() + 7) // 8
    return json.dumps({"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "cloudsim-session-key",
                       "n": b64url.encode(numbers.n.to_bytes(length, "big")),
                       "e": b64url.encode(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big"))})


class SecurityTokens:
    """Issues tokens for client session keys and gives back the key of a token it issued."""

    def __init__(self, sim: Any):
        self.sim = sim
        self._signing_key = secrets.token_bytes(32)

    def issue(self, public_key_pem: Any, principal: str = "session", lifetime: int = TOKEN_LIFETIME,
              claims: Optional[Dict[str, Any]] = None) -> str:
        """A token for the RSA public key ``public_key_pem``; ``principal`` "session" (the configured user),
        "resource" (a function of the tenancy) or "instance" (with the instance's ``claims``). ValueError for
        a bad request."""
        if principal not in PRINCIPALS and not (principal == "instance" and claims):
            raise ValueError("principal must be one of %s" % ", ".join(PRINCIPALS))
        try:
            key = serialization.load_pem_public_key(str(public_key_pem).encode())
        except ValueError:
            raise ValueError("public_key must be a PEM public key")
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("OCI session keys are RSA keys")
        config, now = self.sim.config, int(time.time())
        payload: Dict[str, Any] = {"iss": "authService.oracle.com", "aud": "oci", "iat": now, "exp": now + lifetime,
                                   "jwk": _jwk(key), "tenant": config.oci_tenancy_ocid}
        if principal == "session":
            payload.update(sub=config.oci_user_ocid, ptype="user", sess_exp=now + 86400)
        elif principal == "resource":
            payload.update(sub="ocid1.fnfunc.oc1..cloudsimfunction", ptype="resource", res_type="fnfunc",
                           res_id="ocid1.fnfunc.oc1..cloudsimfunction", res_tenant=config.oci_tenancy_ocid,
                           res_compartment=config.oci_tenancy_ocid)
        else:
            payload.update(ptype="instance")
        payload.update(claims or {})
        header = {"alg": "HS256", "typ": "JWT", "kid": "cloudsim"}
        signing_input = "%s.%s" % (b64url.encode(json.dumps(header).encode()), b64url.encode(json.dumps(payload).encode()))
        return "%s.%s" % (signing_input, b64url.encode(self._sign(signing_input)))

    def public_key(self, token: str) -> rsa.RSAPublicKey:
        """The session key of a token this process issued and that has not expired; OciError(401) otherwise."""
        parts = token.split(".")
        try:
            claims = json.loads(b64url.decode(parts[1])) if len(parts) == 3 else None
            valid = claims is not None and hmac.compare_digest(b64url.decode(parts[2]),
                                                               self._sign("%s.%s" % (parts[0], parts[1])))
        except ValueError:
            valid = False
        if not valid or not isinstance(claims, dict):
            raise not_authenticated("the security token was not issued by this identity service")
        if claims.get("exp", 0) < time.time():
            raise not_authenticated("the security token has expired (refresh it: oci session refresh)")
        jwk = json.loads(claims["jwk"])
        numbers = rsa.RSAPublicNumbers(int.from_bytes(b64url.decode(jwk["e"]), "big"),
                                       int.from_bytes(b64url.decode(jwk["n"]), "big"))
        return numbers.public_key()

    def _sign(self, signing_input: str) -> bytes:
        return hmac.new(self._signing_key, signing_input.encode(), hashlib.sha256).digest()
