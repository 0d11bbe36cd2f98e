"""ARM error answers: ``{"error": {"code", "message"}}`` with the status ARM sends them with."""
from __future__ import annotations

from typing import Dict, Optional

from cloudsim.http import HttpError, Response


class ArmError(HttpError):
    """An ARM error answer: ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: Optional[Dict[str, str]] = None):
        super().__init__(Response(status, {"error": {"code": code, "message": message}},
                                  dict(headers or {})))
        self.code, self.message = code, message


def bad_request(code: str, message: str) -> ArmError:
    return ArmError(400, code, message)
