"""Transport-neutral request/response types shared by the server and both cloud handlers.

The server (``cloudsim.server``) turns each HTTPS request into a :class:`Request`, hands it to
the cloud that owns the path and writes the :class:`Response` back. Handlers never touch sockets.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional
from urllib.parse import parse_qs, unquote, urlsplit


class Headers(dict):
    """Header mapping with case-insensitive lookup (HTTP header names are case-insensitive)."""

    def __init__(self, items: Optional[Mapping[str, str]] = None):
        super().__init__()
        for key, value in (items or {}).items():
            self[key] = value

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


def invalid_request_content(message: str) -> "HttpError":
    """ARM's answer to a body that is not JSON."""
    return HttpError(Response(400, {"error": {"code": "InvalidRequestContent", "message": message}}))


@dataclass
class Request:
    method: str                      # upper case
    target: str                      # request-target exactly as sent: path?query
    headers: Headers
    body: bytes = b""
    base_url: str = ""               # https://host:port the simulator is reached at
    path: str = field(init=False)    # percent-decoded path, no query
    query: Dict[str, List[str]] = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.target)
        self.path = unquote(parts.path)
        self.query = parse_qs(parts.query, keep_blank_values=True)

    def arg(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """First value of a query parameter, name matched case-insensitively (as ARM does)."""
        for key, values in self.query.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return default

    def json(self, error: Callable[[str], Exception] = invalid_request_content, *,
             not_json: str = "Invalid JSON: %s", not_object: Optional[str] = None,
             empty: Any = None) -> Any:
        """The body as JSON, ``empty`` when there is none.

        Each API refuses a bad body in its own shape and words: malformed JSON raises
        ``error(not_json % reason)``; given ``not_object``, so does a body that is no JSON object.
        """
        if not self.body:
            body = empty
        else:
            try:
                body = json.loads(self.body)
            except ValueError as exc:
                raise error(not_json % exc) from exc
        if not_object is not None and not isinstance(body, dict):
            raise error(not_object)
        return body


@dataclass
class Response:
    status: int
    body: Any = None                 # dict/list -> JSON, bytes/str -> raw, None -> empty
    headers: Dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


class HttpError(Exception):
    """Raised by handlers to answer with ``response`` at once."""

    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response
