"""Certificates for the simulator's HTTPS endpoint and keys for the OCI API-key auth.

Every start makes a fresh CA and a server certificate for localhost/127.0.0.1/::1 signed by it;
clients trust the CA through the bundle the state directory holds. Keys are generated here too
(never shipped), so nothing secret lives in the repository.
"""
from __future__ import annotations

import datetime
import hashlib
import ipaddress
from dataclasses import dataclass
from typing import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = datetime.timedelta(days=30)


@dataclass
class TlsMaterial:
    ca_cert_pem: bytes
    server_cert_pem: bytes      # leaf followed by the CA, as a server sends its chain
    server_key_pem: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cloudsim"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _alt_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def certificate_builder(subject: x509.Name, issuer: x509.Name, public_key, not_before: datetime.datetime,
                        lifetime: datetime.timedelta = _VALIDITY) -> x509.CertificateBuilder:
    """A certificate of ``public_key`` for ``subject`` by ``issuer``, valid from ``not_before`` for ``lifetime``."""
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_before + lifetime))


def make_tls_material(extra_names: Sequence[str] = ()) -> TlsMaterial:
    """A throw-away CA and a server certificate signed by it, valid for the loopback names and
    ``extra_names`` (host names or addresses clients use to reach the simulator)."""
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    # EC keys: generating them is instant, unlike RSA, which matters for a sub-second start.
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("cloudsim local CA")
    ca_cert = (
        certificate_builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    names = dict.fromkeys(["localhost", "127.0.0.1", "::1", *extra_names])
    alt_names = [_alt_name(name) for name in names]
    server_cert = (
        certificate_builder(_name("localhost"), ca_name, server_key.public_key(), now)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = server_key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    return TlsMaterial(ca_cert_pem=_pem(ca_cert),
                       server_cert_pem=_pem(server_cert) + _pem(ca_cert),
                       server_key_pem=key_pem)


@dataclass
class ApiKey:
    private_key_pem: bytes
    public_key_pem: str
    fingerprint: str            # OCI style: colon-separated MD5 of the DER public key


def make_api_key(key=None) -> ApiKey:
    """An RSA key pair for OCI request signing (the OCI SDK signs with RSA only), or the ApiKey of ``key``."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_der = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashlib.md5(public_der).hexdigest()  # noqa: S324 - OCI defines the fingerprint as MD5
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return ApiKey(
        private_key_pem=key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()),
        public_key_pem=public_pem.decode(),
        fingerprint=":".join(digest[i:i + 2] for i in range(0, len(digest), 2)),
    )


def make_client_certificate(common_name: str = "cloudsim-client") -> bytes:
    """A private key and its self-signed certificate in one PEM, the form azure-identity's
    CertificateCredential reads (RSA: Entra signs client assertions with RS256/PS256)."""
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(common_name)
    certificate = certificate_builder(name, name, key.public_key(), now).sign(key, hashes.SHA256())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()) + _pem(certificate)
