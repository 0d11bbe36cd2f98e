"""Instance principals: the identity of the compute instance a client runs on, served as OCI serves it.

Two services take part, both driven by the ``oci`` SDK's ``InstancePrincipalsSecurityTokenSigner``
(``oci/auth/signers/instance_principals_security_token_signer.py``, ``oci/auth/certificate_retriever.py``,
``oci/auth/federation_client.py``):

- the instance metadata service, version 2 (``http://169.254.169.254/opc/v2``; the SDK reads another base
  URL from ``OCI_METADATA_BASE_URL``). The signer GETs ``instance/region`` (plain text, a region identifier
  or short code) and ``identity/cert.pem``, ``identity/key.pem``, ``identity/intermediate.pem`` (PEM), each
  with ``Authorization: Bearer Oracle``. Oracle's "Getting Instance Metadata" (Content/Compute/Tasks/
  gettingmetadata.htm): with v1 disabled "Requests to the v1 endpoints (/opc/v1 and /openstack) are
  rejected with a 404 not found error" and "All requests to the v2 endpoints must include an authorization
  header. Requests that do not include the authorization header are rejected." The page names no status
  for that rejection: 401 here is the simulator's choice. cloudsim serves v2 only, as an instance with v1
  disabled does.
- the auth service's X.509 federation endpoint (``https://auth.<region>.oraclecloud.com/v1/x509``: the
  Python SDK's ``endpoint_for('auth', region) + '/v1/x509'``; the Go SDK's ``newAuthClient`` in
  ``common/auth/federation_client.go`` takes the host from ``OCI_SDK_AUTH_CLIENT_REGION_URL`` when set).
  The client POSTs ``{"certificate", "publicKey", "intermediateCertificates"}`` (base64 DER, the PEM
  armour and newlines stripped: ``auth_utils.sanitize_certificate_string``) signed with the instance's
  leaf key as ``keyId="<tenancy>/fed-x509/<SHA-1 fingerprint of the leaf>"`` (``AuthTokenRequestSigner``;
  newer clients send ``fed-x509-sha256`` with the SHA-256 fingerprint: the PHP SDK's
  ``X509FederationClient`` and oracle/nosql-java-sdk's ``InstancePrincipalsProvider``), over ``date
  (request-target) content-length content-type x-content-sha256``. The answer is ``{"token": <JWT>}``
  whose ``jwk`` is the public key sent; the client then signs with ``keyId="ST$<token>"``.

Served here at ``/opc/v2/...`` and at ``/oci/<region>/v1/x509`` (every served region's auth service, on the
regional prefix as OCI Core: see ``regions.py``). The instance lives in the home region and its compartment
is the tenancy. The certificates follow the instance identity certificate that Teleport's RFD 231 ("New
Oracle Join Method") prints: issuer ``CN=PKISVC Identity Intermediate r2`` (an intermediate issued by an
"Instance Identity Root"), subject ``CN=<instance>, OU=opc-certtype:instance, OU=opc-compartment:<ocid>,
OU=opc-instance:<ocid>, OU=opc-tenant:<tenancy>`` (the SDK reads the tenancy from ``opc-tenant:``:
``auth_utils.get_tenancy_id_from_certificate``), about two hours of validity, a 2048-bit RSA key. The
token's claims follow the instance principal token of Teleport's RFD 192 ("Oracle cloud join method",
Appendix A), which lasts 20 minutes (``exp - iat`` = 1200).

The auth service refuses what it cannot verify with 401 NotAuthenticated, OCI's answer to a request whose
authentication "was not provided or was incorrect" (Oracle's "API Errors" page): a keyId of another form,
tenancy or fingerprint than the certificate's, a certificate this simulator's intermediate did not issue or
that is out of its validity, a signature that the certificate's key does not verify.
"""
from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass
from typing import Any, Dict, Optional

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from ..http import Request, Response
from ..tls import certificate_builder
from .errors import invalid_parameter, not_authenticated
from .signature import SignatureVerifier, parse_authorization
from .tokens import SecurityTokens

IMDS_ROOT = "/opc/"
IMDS_V2_ROOT = "/opc/v2/"
METADATA_AUTHORIZATION = "Bearer Oracle"
FEDERATION_PATH = "/v1/x509"
CERTIFICATE_LIFETIME = datetime.timedelta(hours=2)
INSTANCE_TOKEN_LIFETIME = 1200
# The federation request signs no host header (AuthTokenRequestSigner's generic_headers; the Go SDK's
# common/auth/federation_client.go: "The federation endpoint. Don't ask me why.").
FEDERATION_SIGNED_HEADERS = ("date", "(request-target)")
FINGERPRINTS = {"fed-x509": hashes.SHA1(), "fed-x509-sha256": hashes.SHA256()}  # noqa: S303 - OCI's keyId


def is_imds_path(path: str) -> bool:
    return path.startswith(IMDS_ROOT)


def fingerprint(certificate: x509.Certificate, algorithm: hashes.HashAlgorithm) -> str:
    """Colon-separated upper-case hex, as the SDKs put it in the keyId."""
    return ":".join("%02X" % byte for byte in certificate.fingerprint(algorithm))


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class _Credentials:
    root: x509.Certificate
    intermediate: x509.Certificate
    intermediate_key: rsa.RSAPrivateKey
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey


class InstanceIdentity:
    """The instance's metadata service and the auth service's federation endpoint."""

    def __init__(self, sim: Any, tokens: SecurityTokens, verifier: SignatureVerifier):
        self.sim = sim
        self.tokens = tokens
        self.verifier = verifier
        self._credentials: Optional[_Credentials] = None

    @property
    def instance_ocid(self) -> str:
        return self.sim.config.oci_instance_ocid

    @property
    def tenancy(self) -> str:
        return self.sim.config.oci_tenancy_ocid

    def credentials(self) -> _Credentials:
        """The instance's certificates, made on first use (RSA keys take a while) and renewed once expired,
        as OCI rotates them."""
        now = self.sim.now()
        if self._credentials is None or self._credentials.leaf.not_valid_after_utc <= now:
            self._credentials = self._issue(now - datetime.timedelta(minutes=1))
        return self._credentials

    def _issue(self, start: datetime.datetime) -> _Credentials:
        root_key, intermediate_key, leaf_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                                                for role in ("root", "intermediate", "leaf"))
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloudsim Instance Identity Root")])
        intermediate_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PKISVC Identity Intermediate r2")])
        unit = NameOID.ORGANIZATIONAL_UNIT_NAME
        leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.instance_ocid),
                               x509.NameAttribute(unit, "opc-certtype:instance"),
                               x509.NameAttribute(unit, "opc-compartment:%s" % self.tenancy),
                               x509.NameAttribute(unit, "opc-instance:%s" % self.instance_ocid),
                               x509.NameAttribute(unit, "opc-tenant:%s" % self.tenancy)])

        def certificate(subject, issuer, key, signing_key, lifetime, ca):
            return (certificate_builder(subject, issuer, key.public_key(), start, lifetime)
                    .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                    .sign(signing_key, hashes.SHA256()))

        year = datetime.timedelta(days=365)
        root = certificate(root_name, root_name, root_key, root_key, year, True)
        intermediate = certificate(intermediate_name, root_name, intermediate_key, root_key, year, True)
        leaf = certificate(leaf_name, intermediate_name, leaf_key, intermediate_key, CERTIFICATE_LIFETIME, False)
        return _Credentials(root, intermediate, intermediate_key, leaf, leaf_key)

    # ---- the instance metadata service -----------------------------------------------------------

    def metadata(self, request: Request) -> Response:
        if not request.path.startswith(IMDS_V2_ROOT):
            return Response(404, "Not Found", {"Content-Type": "text/plain"})
        if request.headers.get("authorization") != METADATA_AUTHORIZATION:
            return Response(401, "Unauthorized", {"Content-Type": "text/plain"})
        route = request.path[len(IMDS_V2_ROOT):].strip("/")
        if request.method != "GET" or route not in ("instance/region", "identity/cert.pem", "identity/key.pem",
                                                    "identity/intermediate.pem"):
            return Response(404, "Not Found", {"Content-Type": "text/plain"})
        if route == "instance/region":
            body = self.sim.config.oci_region
        else:
            credentials = self.credentials()
            body = {
                "identity/cert.pem": _pem(credentials.leaf),
                "identity/intermediate.pem": _pem(credentials.intermediate),
                "identity/key.pem": credentials.leaf_key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption()).decode(),
            }[route]
        return Response(200, body, {"Content-Type": "text/plain"})

    # ---- the auth service's federation endpoint --------------------------------------------------

    def federate(self, request: Request, body: Dict[str, Any]) -> Dict[str, str]:
        """``{"token": ...}`` for a verified federation request; OciError otherwise."""
        certificate = self._certificate(body.get("certificate"), "certificate")
        session_key = self._public_key(body.get("publicKey"))
        if not request.headers.get("authorization"):
            raise not_authenticated("no Authorization header")
        key_id = parse_authorization(request.headers["authorization"]).get("keyId", "")
        tenancy, _slash, rest = key_id.partition("/")
        kind, _slash, sent_fingerprint = rest.partition("/")
        if kind not in FINGERPRINTS:
            raise not_authenticated("keyId must be <tenancy>/fed-x509/<certificate fingerprint>")
        if sent_fingerprint.upper() != fingerprint(certificate, FINGERPRINTS[kind]):
            raise not_authenticated("the keyId's fingerprint is not the certificate's")
        self._check_issued(certificate)
        certificate_tenancy = next((attribute.value[len("opc-tenant:"):] for attribute in certificate.subject
                                    if str(attribute.value).startswith("opc-tenant:")), None)
        if tenancy != certificate_tenancy or tenancy != self.tenancy:
            raise not_authenticated("the keyId's tenancy is not the certificate's")
        public_key = certificate.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise not_authenticated("the certificate's key is not an RSA key")
        self.verifier.verify(request, key=public_key, required=FEDERATION_SIGNED_HEADERS)
        claims = {"sub": self.instance_ocid, "opc-certtype": "instance", "opc-instance": self.instance_ocid,
                  "opc-compartment": self.tenancy, "opc-tenant": self.tenancy, "ttype": "x509",
                  "fprint": fingerprint(certificate, hashes.SHA1())}  # noqa: S303
        token = self.tokens.issue(session_key.public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
                                  principal="instance", lifetime=INSTANCE_TOKEN_LIFETIME, claims=claims)
        return {"token": token}

    @staticmethod
    def _der(value: Any, field: str) -> bytes:
        if not isinstance(value, str) or not value:
            raise invalid_parameter("%s must be the base64 DER of a PEM without its armour" % field)
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise invalid_parameter("%s is not base64" % field)

    def _certificate(self, value: Any, field: str) -> x509.Certificate:
        try:
            return x509.load_der_x509_certificate(self._der(value, field))
        except ValueError:
            raise invalid_parameter("%s is not an X.509 certificate" % field)

    def _public_key(self, value: Any) -> rsa.RSAPublicKey:
        try:
            key = serialization.load_der_public_key(self._der(value, "publicKey"))
        except ValueError:
            raise invalid_parameter("publicKey is not a public key")
        if not isinstance(key, rsa.RSAPublicKey):
            raise invalid_parameter("publicKey must be an RSA key")
        return key

    def _check_issued(self, certificate: x509.Certificate) -> None:
        """The certificate must be one this instance identity's intermediate issued, and current."""
        intermediate = self.credentials().intermediate
        now = self.sim.now()
        try:
            intermediate.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes,
                                             padding.PKCS1v15(), certificate.signature_hash_algorithm)
        except (InvalidSignature, TypeError, ValueError):
            raise not_authenticated("the certificate was not issued to an instance of this tenancy")
        if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc:
            raise not_authenticated("the certificate is not valid at this time")
