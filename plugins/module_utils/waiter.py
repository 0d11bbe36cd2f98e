# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one waiter of the collection and the table of what it can wait for.

Shaped after kubernetes.core's ``k8s/waiter.py``: a table of readiness predicates per kind of
resource, and one ``Waiter`` that polls a read function until the asked conditions hold. Every module
that waits offers the same options (``wait_for``, ``wait_timeout``, ``wait_interval``, see
``wait_argument_spec``) and returns the states it saw as ``wait_history``.

Pure: no SDK, no Ansible; values are the plain dicts the modules already return.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import time
from collections import namedtuple

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.desired import private_peering_summary

DEFAULT_WAIT_TIMEOUT = 1800
DEFAULT_WAIT_INTERVAL = 1.0

# ``holds(value)``: the condition is met. ``cannot_hold(value)``: a state from which it cannot follow
# (the wait fails at once instead of running into its timeout).
Condition = namedtuple("Condition", ["description", "holds", "cannot_hold"])
Kind = namedtuple("Kind", ["subject", "state_of", "conditions"])


def _never(value):
    return False


# -- Azure ExpressRoute circuit (the summary of azure.circuit_summary) -------------------------------

def circuit_state(circuit):
    if circuit is None:
        return "absent"
    peering = private_peering_summary(circuit)
    return "provider=%s peering=%s provisioning=%s" % (
        circuit.get("service_provider_provisioning_state"),
        peering["provisioning_state"] if peering else "absent", circuit.get("provisioning_state"))


def _provider_state_is(state):
    return lambda circuit: bool(circuit) and (circuit.get("service_provider_provisioning_state") or "").lower() \
        == state.lower()


def _circuit_gone_or_failed(circuit):
    return circuit is None or circuit.get("provisioning_state") == "Failed"


CIRCUIT = Kind("the circuit", circuit_state, {
    "provider_provisioned": Condition("provisioned by its provider", _provider_state_is("Provisioned"),
                                      _circuit_gone_or_failed),
    "provider_not_provisioned": Condition("released by its provider (NotProvisioned)", _provider_state_is("NotProvisioned"),
                                          _circuit_gone_or_failed),
    "private_peering_present": Condition(
        "carrying a provisioned private peering",
        lambda circuit: (private_peering_summary(circuit) or {}).get("provisioning_state") == "Succeeded",
        _circuit_gone_or_failed),
    "private_peering_absent": Condition("without a private peering",
                                        lambda circuit: bool(circuit) and private_peering_summary(circuit) is None,
                                        _circuit_gone_or_failed),
})

# -- OCI FastConnect virtual circuit (a plain snake_case dict) ----------------------------------------

# From these a virtual circuit does not become PROVISIONED (OCI VirtualCircuit lifecycle states).
VIRTUAL_CIRCUIT_DEAD_ENDS = ("FAILED", "INACTIVE", "TERMINATING", "TERMINATED")


def virtual_circuit_state(circuit):
    """lifecycle/provider/BGP state of a virtual circuit."""
    if not circuit:
        return "TERMINATED"
    return "%s/%s/%s" % (circuit.get("lifecycle_state"), circuit.get("provider_state"),
                         circuit.get("bgp_session_state"))


def _virtual_circuit_dead(circuit):
    return not circuit or circuit.get("lifecycle_state") in VIRTUAL_CIRCUIT_DEAD_ENDS


VIRTUAL_CIRCUIT = Kind("the virtual circuit", virtual_circuit_state, {
    "provisioned": Condition("PROVISIONED", lambda c: bool(c) and c.get("lifecycle_state") == "PROVISIONED",
                             _virtual_circuit_dead),
    # BGP can only be up on a provisioned circuit; asking for it alone means both.
    "bgp_up": Condition("PROVISIONED with BGP UP", lambda c: bool(c) and c.get("lifecycle_state") == "PROVISIONED"
                        and c.get("bgp_session_state") == "UP", _virtual_circuit_dead),
    "terminated": Condition("TERMINATED", lambda c: not c or c.get("lifecycle_state") == "TERMINATED", _never),
})

# -- Any OCI Core resource with a lifecycle state (a plain snake_case dict) ---------------------------

# The SDK models' lifecycle states: VCNs, DRGs, route tables and security lists become AVAILABLE and end
# TERMINATED; DRG attachments become ATTACHED and end DETACHED (oci/core/models/vcn.py, drg_attachment.py).
OCI_READY_STATES = ("AVAILABLE", "ATTACHED")
OCI_GONE_STATES = ("TERMINATED", "DETACHED")
OCI_LEAVING_STATES = ("TERMINATING", "DETACHING", "FAILED") + OCI_GONE_STATES


def oci_lifecycle_state(resource):
    return "absent" if not resource else resource.get("lifecycle_state")


OCI_RESOURCE = Kind("the resource", oci_lifecycle_state, {
    "available": Condition("AVAILABLE (ATTACHED for an attachment)",
                           lambda resource: oci_lifecycle_state(resource) in OCI_READY_STATES,
                           lambda resource: oci_lifecycle_state(resource) in ("absent",) + OCI_LEAVING_STATES),
    "terminated": Condition("TERMINATED (DETACHED for an attachment) or gone",
                            lambda resource: oci_lifecycle_state(resource) in ("absent",) + OCI_GONE_STATES, _never),
})

# -- Any ARM resource (REST JSON) --------------------------------------------------------------------

# azure-mgmt-network's ProvisioningState: Creating, Updating and Deleting say an operation is still running on
# the resource; Succeeded, Failed and Canceled that none is.
ARM_TRANSITIONAL_STATES = ("Creating", "Updating", "Deleting")


def arm_provisioning_state(resource):
    return "absent" if resource is None else (resource.get("properties") or {}).get("provisioningState") or "Succeeded"


ARM_RESOURCE = Kind("the resource", arm_provisioning_state, {
    "settled": Condition("done with the operation running on it",
                         lambda resource: arm_provisioning_state(resource) not in ARM_TRANSITIONAL_STATES, _never),
})

# -- Azure long-running operation (the status of azure-core's poller) ---------------------------------

OPERATION = Kind("the operation", lambda status: status, {
    # Finished either way: a failed operation's error comes from the poller's result.
    "succeeded": Condition("finished",
                           lambda status: (status or "").lower() in ("succeeded", "failed", "canceled"), _never),
})

KINDS = {"expressroute_circuit": CIRCUIT, "virtual_circuit": VIRTUAL_CIRCUIT, "arm_resource": ARM_RESOURCE,
         "oci_resource": OCI_RESOURCE, "operation": OPERATION}


def wait_argument_spec(choices, default=(), splits=False):
    """``wait_for`` (the conditions, among ``choices``, that must all hold; empty: do not wait),
    ``wait_timeout`` and ``wait_interval``: the wait options of every module that waits, documented in the
    ``crosscloud.interconnect.wait`` doc fragment. With ``splits``, ``wait_return_after`` and ``wait_started``
    too (the ``crosscloud.interconnect.wait.split`` fragment): a module whose next call resumes the wait."""
    spec = dict(
        # None rather than [] when nothing is waited for by default, so required_by=dict(wait_for=...) works.
        wait_for=dict(type="list", elements="str", choices=sorted(choices), default=list(default) or None),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
        wait_interval=dict(type="float", default=DEFAULT_WAIT_INTERVAL),
    )
    if splits:
        spec.update(wait_return_after=dict(type="float", default=0), wait_started=dict(type="float"))
    return spec


def wait_options_of(params):
    """The wait options among a module's params (``wait_for`` empty when the module has none)."""
    return dict(wait_for=params.get("wait_for") or [], wait_timeout=params.get("wait_timeout", DEFAULT_WAIT_TIMEOUT),
                wait_interval=params.get("wait_interval", DEFAULT_WAIT_INTERVAL),
                wait_return_after=params.get("wait_return_after") or 0, wait_started=params.get("wait_started"))


def check_wait_options(params):
    """Problems of the wait options (a timeout or interval that cannot work)."""
    problems = []
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 0:
        problems.append("wait_timeout must be 0 or more seconds, got %s" % params["wait_timeout"])
    if params.get("wait_interval") is not None and params["wait_interval"] <= 0:
        problems.append("wait_interval must be more than 0 seconds, got %s" % params["wait_interval"])
    if params.get("wait_return_after") is not None and params["wait_return_after"] < 0:
        problems.append("wait_return_after must be 0 (never) or more seconds, got %s" % params["wait_return_after"])
    return problems


def wait_calls_needed(timeout, return_after):
    """How many calls of a module a wait split by ``return_after`` may take within ``timeout``: the
    ``retries`` a task under ``until`` needs so that the module's own timeout, not core's retry count,
    ends the wait (each call but the last lasts at least ``return_after``)."""
    if not return_after or return_after <= 0:
        return 1
    return int(math.ceil(float(timeout) / return_after)) + 1


def progress_line(waiting):
    """One line saying what is awaited, the state now, and the elapsed time against the timeout."""
    return "waiting for %s: %s after %ds of %ds" % (waiting["awaiting"], waiting["state"],
                                                    waiting["elapsed_seconds"], waiting["timeout_seconds"])


def state_moved(history):
    """True when the awaited resource changed state during the wait: the call saw a change through
    (an earlier call of the same split wait started it, or an interrupted run did)."""
    return len(history) > 1


class WaitPending(Exception):
    """A wait split into calls (``wait_return_after``) that has not finished when this call's share
    ran out. ``result`` is what the module returns then: ``waiting`` (what is awaited, the state now,
    the seconds elapsed since ``wait_started`` and the timeout), ``wait_history``, ``msg``, and
    ``changed`` when the call wrote before waiting. A task calls the module again under ``until``
    (``until: result.waiting is not defined``): the next call finds the resource as it is and waits on.
    """

    def __init__(self, waiting, history):
        super(WaitPending, self).__init__(progress_line(waiting))
        self.result = dict(changed=state_moved(history), waiting=waiting, wait_history=history,
                           msg="Still %s; calling again continues the wait" % progress_line(waiting))

    def carrying(self, **fields):
        """This pending wait, its result with ``fields`` (what the call did before waiting)."""
        self.result.update(fields)
        return self


class Waiter(object):
    """Polls ``read()`` until every asked condition of ``kind`` holds.

    ``wait(conditions, timeout, interval, subject, first)`` returns ``(value, history)``; ``history``
    records each distinct state with the seconds elapsed when it was first seen, so a module returns
    what was awaited and for how long. ``first`` is a value the caller read already: the first round
    judges it without a call. ``accept(value)`` ends the wait successfully too (a resource allowed to be
    gone). A timeout or a state the conditions cannot follow raises InterconnectError with
    ``wait_history`` and ``last_seen``.
    """

    def __init__(self, kind, read, sleep=time.sleep, clock=time.monotonic, wall_clock=time.time):
        self.kind = KINDS[kind]
        self.read = read
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock

    def wait_as_asked(self, options, conditions=None, **kwargs):
        """``wait`` with a module's wait options (``wait_options_of``); ``conditions`` default to its ``wait_for``."""
        return self.wait(conditions if conditions is not None else options["wait_for"], options["wait_timeout"],
                         options["wait_interval"], return_after=options.get("wait_return_after"),
                         started=options.get("wait_started"), **kwargs)

    def wait(self, conditions, timeout, interval=DEFAULT_WAIT_INTERVAL, subject="", first=None, accept=None,
             return_after=None, started=None):
        """``return_after`` (seconds, None or 0: never) ends this call's share of the wait with WaitPending;
        ``started`` (epoch seconds, from an earlier call of the same wait) is when the wait began: the
        elapsed times and ``timeout`` count from it."""
        chosen = [self.kind.conditions[name] for name in conditions]
        description = "%s to be %s" % (subject or self.kind.subject, " and ".join(c.description for c in chosen))
        call_start = self.clock()
        start = call_start - (max(0.0, self.wall_clock() - started) if started else 0.0)
        history = []
        while True:
            value, first = (first, None) if first is not None else (self.read(), None)
            state = self.kind.state_of(value)
            if not history or history[-1]["state"] != state:
                history.append({"state": state, "after_seconds": round(self.clock() - start, 1)})
            if all(condition.holds(value) for condition in chosen) or (accept is not None and accept(value)):
                return value, history
            if any(condition.cannot_hold(value) for condition in chosen):
                raise InterconnectError("Gave up waiting for %s: reached %s" % (description, state),
                                        wait_history=history, last_seen=value)
            remaining = timeout - (self.clock() - start)
            if remaining <= 0:
                raise InterconnectError("Timed out after %ss waiting for %s; last seen: %s" % (timeout, description, state),
                                        wait_history=history, last_seen=value)
            self.sleep(min(max(interval, 0), remaining))
            # After the sleep, not before: the next call reads at once, so the reads keep their interval.
            if return_after and self.clock() - call_start >= return_after:
                raise WaitPending(dict(awaiting=description, state=state, elapsed_seconds=int(self.clock() - start),
                                       timeout_seconds=timeout), history)
