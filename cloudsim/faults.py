"""Seeded fault injection: throttling, server errors, failed long-running operations, dropped
connections.

Every decision is drawn from one ``random.Random(seed)`` in request order, so the same seed and
the same sequence of requests replays the same faults. The seed in effect is always reported
(``GET /_sim/faults``), also when it was picked at random, so a failing run can be replayed.
"""
from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional


class DropConnection(Exception):
    """Raised by the simulator to make the server close the connection without answering."""


@dataclass
class FaultSettings:
    throttle_rate: float = 0.0          # share of calls answered 429 with Retry-After
    retry_after: int = 1                # seconds in that Retry-After header
    error_rate: float = 0.0             # share of calls answered 500 or 503 (half each)
    drop_rate: float = 0.0              # share of calls whose connection is closed unanswered
    lro_failure_rate: float = 0.0       # share of long-running operations that end Failed
    include_token_endpoint: bool = False  # also fault Entra token/discovery and cloud metadata
    path_pattern: str = ""              # only fault calls whose path matches this regex
    # A provider-side outage of BGP sessions of every private peering: "primary" and/or "secondary".
    # The customer has no way to take one path down, so only a fault can; the other path carries on.
    bgp_down_paths: List[str] = dataclasses.field(default_factory=list)
    # The same provider-side outage of both BGP sessions of the named ExpressRoute circuits only (names, any
    # case): one member of a redundant pair goes down while the other carries on. No more a customer can
    # cause than bgp_down_paths, so the same basis: only a fault can.
    bgp_down_circuits: List[str] = dataclasses.field(default_factory=list)
    seed: Optional[int] = None          # None: pick one (reported back)

    _RATES = ("throttle_rate", "error_rate", "drop_rate", "lro_failure_rate")

    def validate(self) -> None:
        for name in self._RATES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0 <= value <= 1:
                raise ValueError("%s must be a number between 0 and 1" % name)
        if not isinstance(self.retry_after, int) or self.retry_after < 0:
            raise ValueError("retry_after must be a non-negative integer")
        if not isinstance(self.include_token_endpoint, bool):
            raise ValueError("include_token_endpoint must be true or false")
        if self.seed is not None and (isinstance(self.seed, bool)
                                      or not isinstance(self.seed, int)):
            raise ValueError("seed must be an integer")
        if not isinstance(self.bgp_down_paths, list) or not set(self.bgp_down_paths) <= {"primary", "secondary"}:
            raise ValueError("bgp_down_paths must be a list of primary and/or secondary")
        if not isinstance(self.bgp_down_circuits, list) or not all(
                isinstance(name, str) and name.strip() for name in self.bgp_down_circuits):
            raise ValueError("bgp_down_circuits must be a list of ExpressRoute circuit names")
        try:
            re.compile(self.path_pattern)
        except (re.error, TypeError) as exc:
            raise ValueError("path_pattern is not a valid regular expression: %s" % exc)

    def bgp_down(self, circuit_name: str, path: str) -> bool:
        """Whether the provider-side outage faults take the BGP session of ``path`` (primary or secondary) of
        the ExpressRoute circuit ``circuit_name`` down."""
        return path in self.bgp_down_paths or \
            circuit_name.lower() in set(name.lower() for name in self.bgp_down_circuits)

    def updated(self, changes: Dict[str, Any]) -> "FaultSettings":
        """A copy with ``changes`` applied; unknown names and bad values raise ValueError."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError("unknown fault setting(s): %s" % ", ".join(unknown))
        result = dataclasses.replace(self, **changes)
        result.validate()
        return result

    def as_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


class FaultInjector:
    """Decides, call by call, whether to inject a fault."""

    def __init__(self, settings: FaultSettings):
        self.configure(settings)

    def configure(self, settings: FaultSettings) -> None:
        settings.validate()
        if settings.seed is None:
            settings = dataclasses.replace(settings, seed=random.SystemRandom().randrange(2 ** 31))
        self.settings = settings
        self._random = random.Random(settings.seed)

    def applies_to(self, path: str, is_auth: bool) -> bool:
        if is_auth and not self.settings.include_token_endpoint:
            return False
        pattern = self.settings.path_pattern
        return not pattern or re.search(pattern, path) is not None

    def pick_request_fault(self) -> Optional[str]:
        """None, or one of "drop", "throttle", "error500", "error503" for this call."""
        s = self.settings
        if not (s.drop_rate or s.throttle_rate or s.error_rate):
            return None  # consume no randomness when idle, so enabling faults later is reproducible
        roll = self._random.random()
        for name, rate in (("drop", s.drop_rate), ("throttle", s.throttle_rate),
                           ("error", s.error_rate)):
            if roll < rate:
                if name == "error":
                    return "error500" if self._random.random() < 0.5 else "error503"
                return name
            roll -= rate
        return None

    def lro_fails(self) -> bool:
        """Whether the long-running operation being started should end Failed."""
        rate = self.settings.lro_failure_rate
        return bool(rate) and self._random.random() < rate
