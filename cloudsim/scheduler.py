"""Deferred state transitions.

Clouds move resources through states over time (Updating -> Succeeded, PENDING_PROVIDER ->
PROVISIONED). Handlers schedule those moves here with a delay taken from the simulator's
configured delays; the server calls :meth:`Scheduler.run_due` before serving each request, so a
delay of 0 means "done by the next request" and no background thread ever mutates state.
"""
from __future__ import annotations

import heapq
import itertools
import time
from typing import Callable, List, Tuple


class Scheduler:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._queue: List[Tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def after(self, delay: float, action: Callable[[], None]) -> None:
        """Run ``action`` once ``delay`` seconds have passed (at the next request after that)."""
        heapq.heappush(self._queue, (self._clock() + max(delay, 0.0), next(self._order), action))

    def run_due(self) -> None:
        # The clock is read again after each action, so a follow-up scheduled with delay 0 runs in
        # this same call: a zero-delay chain completes before the request that observes it.
        while self._queue and self._queue[0][0] <= self._clock():
            action = heapq.heappop(self._queue)[2]
            action()

    def pending(self) -> int:
        return len(self._queue)

    def clear(self) -> None:
        self._queue.clear()
