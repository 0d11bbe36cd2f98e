# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provider-neutral helpers shared by the Azure and OCI module utils.

Nothing here imports a cloud SDK or Ansible: the error type, the comparison and parsing helpers and the
error classification are pure so they can be unit-tested alone and reused by both clouds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import ipaddress
import re
import ssl


# One retry policy per cloud, bounded by time rather than by a count: a request may take this long with its
# retries, so a throttled but live cloud is ridden out and a dead one fails in bounded time with its last
# error. A Retry-After the cloud sends is honoured, up to a cap.
REQUEST_TIME_BUDGET = 90
RETRY_AFTER_CAP = 30.0

# A rule container (NSG, route table, security list) shared by the interconnects of one run is written by
# several forks at once: each 412 says another writer got in first, so the container is read and the change
# planned again from it, this many times at most.
CONCURRENT_WRITE_ATTEMPTS = 5


class InterconnectError(Exception):
    """The one error the collection's API layers raise; a module's ``main()`` catches it and fails once.

    ``msg`` says what failed and why, in words a user can act on; ``details`` are the result keys
    beside it, the same for both clouds: ``status_code``, ``error_code`` and ``request_id`` for a
    cloud's refusal (the ids its support asks for), and whatever else explains the failure (the
    state history of a wait, the exception of a missing library).
    """

    def __init__(self, msg, **details):
        super(InterconnectError, self).__init__(msg)
        self.msg = msg
        self.details = details


# The option of ReadProblems, documented in the crosscloud.interconnect.reads doc fragment.
COLLECT_PROBLEMS_SPEC = dict(collect_problems=dict(type="bool", default=False))


class ReadProblems(object):
    """The reads of an info module: with ``collect`` (its ``collect_problems`` option) a read that fails is
    recorded as ``{option, value, message}`` and gives ``default``, so one call reports every read that
    failed; without it the error goes on to ``main()``. Refused credentials (401), throttling (429) and
    outages (5xx) always go on: they are no problem of the resource read, and every read would repeat them."""

    def __init__(self, collect):
        self.collect = collect
        self.problems = []

    def read(self, option, value, operation, default=None):
        try:
            return operation()
        except InterconnectError as error:
            status = error.details.get("status_code") or 0
            if not self.collect or status in (401, 429) or status >= 500:
                raise
            found = dict(option=option, value=value, message=error.msg)
            if error.details.get("error_code"):
                found["error_code"] = error.details["error_code"]  # ResourceGroupNotFound tells what is missing
            self.problems.append(found)
            return default


def at_once(operations):
    """``operations`` (callables without arguments) started together, one thread each; returns, in the same
    order, callables that give each one's result or raise its error. Independent reads of one cloud then
    take as long as the slowest of them, its retries included, not the sum of all.

    Both SDKs share one client across threads: every Azure SDK client method is thread-safe ("Thread
    safety", Azure SDK Python design guidelines), and the OCI SDK's own UploadManager sends a multipart
    upload's parts from parallel threads through one client (oci/object_storage/transfer/upload_manager.py).
    """
    if len(operations) < 2:
        return list(operations)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=len(operations)) as pool:
        futures = [pool.submit(operation) for operation in operations]
    return [future.result for future in futures]


def import_for_the_process(importer):
    """``importer()`` (a cloud SDK's import), with the cyclic garbage collector paused while it runs and the
    objects it made frozen after it, for a module process that keeps them to its end.

    An SDK's import makes a few hundred thousand objects (azure-mgmt-network's and oci.core's models) that
    live as long as the process: the collections run while they are made, and the one at the interpreter's
    exit, cost about as much as the import itself (both SDKs with ansible.module_utils.basic, measured
    here: 1.0 s of start and exit without this, 0.55 s with it). ``gc.freeze()`` (Python >= 3.7) moves
    every tracked object to the permanent generation that later collections, the one at exit included,
    skip ("gc.freeze", Python library reference); the collector works as before on what the module makes
    afterwards. Each importer runs once a process; later calls give its first result.
    """
    if importer not in _IMPORTED:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            _IMPORTED[importer] = importer()
        finally:
            if was_enabled:
                gc.enable()
            freeze = getattr(gc, "freeze", None)  # absent before Python 3.7: only the pause helps there
            if freeze is not None:
                freeze()
    return _IMPORTED[importer]


_IMPORTED = {}  # importer -> its result, for import_for_the_process


def problem(field, value, message, conflicts_with=None):
    """One problem found in the inputs; ``message`` is a full sentence naming field and value."""
    found = {"field": field, "value": value, "message": message}
    if conflicts_with is not None:
        found["conflicts_with"] = conflicts_with
    return found


def is_certificate_error(error):
    """True when ``error``, or anything it wraps, is a failed TLS certificate verification.

    The SDKs wrap the ssl error differently: azure-core keeps it as ``inner_exception``, requests and
    urllib3 pass it as an argument of their own SSLError, and the OCI SDK re-raises it as the argument
    of a RequestException; ``raise ... from`` and raising inside ``except`` chain it too. An
    ``ssl.SSLCertVerificationError`` counts, and any message carrying OpenSSL's CERTIFICATE_VERIFY_FAILED
    (requests and urllib3 put the reason in theirs). Other TLS failures (a handshake cut short, a reset)
    are not: they may pass, so they are retried like any connection error.
    """
    return any(isinstance(current, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(current)
               for current in error_chain(error))


def error_chain(error):
    """``error`` and everything it wraps: azure-core's ``inner_exception``, ``raise ... from``, an exception
    raised while handling another, and exceptions passed as arguments (requests, urllib3, the OCI SDK)."""
    seen, pending = set(), [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([getattr(current, "inner_exception", None), current.__cause__, current.__context__])
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))


def normalize_cidr(value, message="CIDR %r is not a valid network (%s)"):
    """Canonical network form of a CIDR, surrounding blanks ignored ("10.0.0.1/16" is an error: host
    bits set). The ValueError is ``message % (value, reason)``, so each module keeps its wording."""
    try:
        return str(ipaddress.ip_network(value.strip() if isinstance(value, str) else value))
    except ValueError as err:
        raise ValueError(message % (value, err))


_BANDWIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([gm])?(?:bps|b/s)?\s*$", re.IGNORECASE)


def bandwidth_mbps(value, unit_required=False):
    """Megabits per second of a bandwidth such as "1 Gbps", "10Gbps", "500 Mbps" or "1 Gb/s".

    A bare number ("10", 10, 0.5) means Gbps, as OCI shape names count in Gbps, unless
    ``unit_required`` (ExpressRoute bandwidths, where "1000" could be either). ValueError otherwise.
    """
    if unit_required:
        unlike = "bandwidth %r is not a bandwidth with its unit, such as 1Gbps or 500Mbps"
    else:
        unlike = "bandwidth %r is not like '1 Gbps', '500 Mbps' or a number of Gbps"
    if isinstance(value, bool):
        raise ValueError("bandwidth %r is not a bandwidth" % (value,))
    if isinstance(value, (int, float)) and not unit_required:
        number, unit = float(value), "g"
    else:
        match = _BANDWIDTH.match(str(value))
        if not match or (unit_required and not match.group(2)):
            raise ValueError(unlike % (value,))
        number, unit = float(match.group(1)), (match.group(2) or "g").lower()
    mbps = number * 1000 if unit == "g" else number
    if mbps <= 0 or mbps != int(mbps):
        raise ValueError("bandwidth %r is not a positive whole number of Mbps" % (value,))
    return int(mbps)


def differences(current, wanted, path="", ignore_case=False):
    """Paths where ``wanted`` is not satisfied by ``current``.

    Only keys present in ``wanted`` (and not None) are compared, so server-filled fields never count
    as drift. Lists compare element-wise in order; strings optionally case-insensitively, as ARM
    treats most enum values.
    """
    if wanted is None:
        return []
    if isinstance(wanted, dict):
        if not isinstance(current, dict):
            return [path or "."]
        found = []
        for key in sorted(wanted):
            found.extend(differences(current.get(key), wanted[key], _join(path, key), ignore_case))
        return found
    if isinstance(wanted, (list, tuple)):
        if not isinstance(current, (list, tuple)) or len(current) != len(wanted):
            return [path or "."]
        found = []
        for index, item in enumerate(wanted):
            found.extend(differences(current[index], item, "%s[%d]" % (path, index), ignore_case))
        return found
    if ignore_case and isinstance(wanted, str) and isinstance(current, str):
        return [] if wanted.lower() == current.lower() else [path or "."]
    return [] if current == wanted else [path or "."]


def _join(path, key):
    return "%s.%s" % (path, key) if path else str(key)


def diff_result(before, after, header=None):
    """The ``diff`` return value Ansible renders with --diff (``{}`` means absent)."""
    result = {"before": before if before is not None else {}, "after": after if after is not None else {}}
    if header:
        result["before_header"] = header
        result["after_header"] = header
    return result
