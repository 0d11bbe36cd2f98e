"""Client assertions at the Entra token endpoint: a service principal's certificate, and the
federated token of a workload identity.

Both arrive as ``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer``
with a signed JWT in ``client_assertion`` (Microsoft identity platform, "Certificate credentials
for application authentication" and "Workload identity federation"):

- certificate: the JWT header names the certificate by ``x5t`` (base64url SHA-1 thumbprint, what
  azure-identity's CertificateCredential sends with RS256, ``_credentials/certificate.py`` and
  msal ``oauth2cli/assertion.py``) or ``x5t#S256`` (SHA-256, what msal sends with PS256 when it
  is given the certificate itself); ``aud`` is the token endpoint, ``iss`` and ``sub`` the
  client id; the signature must verify with the certificate registered for the application.
- federated token: a token of an external issuer the application trusts (here the simulated
  Kubernetes service-account issuer, ES256); its ``iss``, ``sub`` and ``aud``
  (``api://AzureADTokenExchange``) must match the application's federated identity credential.
"""
from __future__ import annotations

import json
import time
from typing import Any, Dict, Tuple

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from cloudsim import b64url

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FEDERATION_AUDIENCE = "api://AzureADTokenExchange"
# Entra allows a few minutes of clock skew on assertion times.
CLOCK_SKEW = 300
FEDERATED_TOKEN_LIFETIME = 86400


class AssertionProblem(Exception):
    """Why an assertion is refused: ``(AADSTS code, description)``."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def certificate_thumbprints(certificate_pem: bytes) -> Tuple[Any, Dict[str, str]]:
    """``(public key, {"x5t": ..., "x5t#S256": ...})`` of a PEM certificate (private key may precede it)."""
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    return certificate.public_key(), {
        "x5t": b64url.encode(certificate.fingerprint(hashes.SHA1())),  # noqa: S303 - the header Entra defines
        "x5t#S256": b64url.encode(certificate.fingerprint(hashes.SHA256())),
    }


def decode(token: str) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    """``(header, claims, signing input, signature)`` of a compact JWT; AssertionProblem if malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        raise AssertionProblem(50027, "JWT token is invalid or malformed.")
    try:
        header, claims = json.loads(b64url.decode(parts[0])), json.loads(b64url.decode(parts[1]))
        signature = b64url.decode(parts[2])
    except ValueError:
        raise AssertionProblem(50027, "JWT token is invalid or malformed.")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise AssertionProblem(50027, "JWT token is invalid or malformed.")
    return header, claims, ("%s.%s" % (parts[0], parts[1])).encode(), signature


def signature_verifies(key: Any, algorithm: str, signing_input: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``key``'s RS256, PS256 or ES256 signature of ``signing_input`` (RFC 7518)."""
    try:
        if algorithm == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif algorithm == "PS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input,
                       padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
                       hashes.SHA256())
        elif algorithm == "ES256" and isinstance(key, ec.EllipticCurvePublicKey) and len(signature) == 64:
            # JWS carries r || s; cryptography verifies the DER form.
            der = utils.encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                             int.from_bytes(signature[32:], "big"))
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def check_times(claims: Dict[str, Any], now: float) -> None:
    expires, not_before = claims.get("exp"), claims.get("nbf", claims.get("iat", 0))
    if not isinstance(expires, (int, float)) or expires + CLOCK_SKEW < now or \
            (isinstance(not_before, (int, float)) and not_before - CLOCK_SKEW > now):
        raise AssertionProblem(700024, "Client assertion is not within its valid time range.")


class WorkloadIssuer:
    """The external OIDC issuer of workload identity (a Kubernetes cluster's service-account
    issuer): it signs the projected service-account tokens that AZURE_FEDERATED_TOKEN_FILE holds."""

    def __init__(self, issuer: str):
        self.issuer = issuer
        # EC: generated instantly, and ES256 is a signing algorithm Kubernetes issuers use.
        self._key = ec.generate_private_key(ec.SECP256R1())

    def token(self, subject: str, audience: str = FEDERATION_AUDIENCE,
              lifetime: int = FEDERATED_TOKEN_LIFETIME) -> str:
        now = int(time.time())
        header = {"alg": "ES256", "typ": "JWT", "kid": "cloudsim-workload-issuer"}
        claims = {"iss": self.issuer, "sub": subject, "aud": [audience], "iat": now, "nbf": now,
                  "exp": now + lifetime}
        signing_input = "%s.%s" % (b64url.encode(json.dumps(header).encode()), b64url.encode(json.dumps(claims).encode()))
        r, s = utils.decode_dss_signature(self._key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return "%s.%s" % (signing_input, b64url.encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")))

    def verifies(self, algorithm: str, signing_input: bytes, signature: bytes) -> bool:
        return signature_verifies(self._key.public_key(), algorithm, signing_input, signature)


class AssertionChecker:
    """Checks the client assertion of an application (``client_id``) at ``token_endpoint``."""

    def __init__(self, issuer: WorkloadIssuer, federated_subject: str):
        self.issuer = issuer
        self.federated_subject = federated_subject
        self._certificates: Dict[str, Any] = {}   # x5t or x5t#S256 value -> public key

    def register_certificate(self, certificate_pem: bytes) -> Dict[str, str]:
        """Add a certificate to the application's credentials (as uploading it in the portal does)."""
        key, thumbprints = certificate_thumbprints(certificate_pem)
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("Entra accepts RSA certificates for client assertions")
        for value in thumbprints.values():
            self._certificates[value] = key
        return thumbprints

    def check(self, assertion: str, client_id: str, token_endpoint: str) -> None:
        """Raise AssertionProblem unless ``assertion`` proves the application ``client_id``."""
        header, claims, signing_input, signature = decode(assertion)
        if claims.get("iss") == self.issuer.issuer:
            self._check_federated(header, claims, signing_input, signature)
        else:
            self._check_certificate(header, claims, signing_input, signature, client_id, token_endpoint)
        check_times(claims, time.time())

    def _check_certificate(self, header, claims, signing_input, signature, client_id, token_endpoint) -> None:
        # msal pads its base64url thumbprints ("...=", oauth2cli/assertion.py _encode_thumbprint); JWS does not.
        thumbprint = str(header.get("x5t#S256") or header.get("x5t") or "")
        key = self._certificates.get(thumbprint.rstrip("="))
        if key is None or not signature_verifies(key, header.get("alg", ""), signing_input, signature):
            raise AssertionProblem(700027, "Client assertion contains an invalid signature. [Reason - The key "
                                           "was not found., Thumbprint of key used by client: '%s']" % thumbprint)
        if str(claims.get("iss", "")).lower() != client_id.lower() or \
                str(claims.get("sub", "")).lower() != client_id.lower():
            raise AssertionProblem(700023, "Client assertion audience claim does not match Realm issuer.")
        audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if token_endpoint.rstrip("/").lower() not in [str(value).rstrip("/").lower() for value in audiences]:
            raise AssertionProblem(700212, "Client assertion audience claim does not match the token "
                                           "endpoint '%s'." % token_endpoint)

    def _check_federated(self, header, claims, signing_input, signature) -> None:
        if not self.issuer.verifies(header.get("alg", ""), signing_input, signature):
            raise AssertionProblem(700027, "Client assertion failed signature validation.")
        audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if claims.get("sub") != self.federated_subject or FEDERATION_AUDIENCE not in audiences:
            raise AssertionProblem(70021, "No matching federated identity record found for presented assertion. "
                                          "Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: "
                                          "'%s'." % (claims.get("iss"), claims.get("sub"), ",".join(map(str, audiences))))
