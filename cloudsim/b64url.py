"""base64url without padding (RFC 7515 section 2, "Base64url Encoding"), as JWTs carry their parts: Entra's
tokens and assertions and OCI's session tokens."""
import base64


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
