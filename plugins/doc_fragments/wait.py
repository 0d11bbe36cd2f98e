# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The wait options every waiting module shares (module_utils/waiter.py); each module documents the
    # conditions its O(wait_for) offers, except the Azure writers, which share OPERATION.
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - How many seconds the conditions of O(wait_for) may take together. The cloud keeps working after a timeout;
        a re-run follows the resource from where it is.
    type: int
    default: 1800
  wait_interval:
    description:
      - Seconds between two reads while waiting. For an Azure long-running operation, a C(Retry-After) that Azure
        sends takes precedence, as ARM asks of its clients.
    type: float
    default: 1.0
"""

    # A wait split into calls: each call waits its share and returns; the next resumes from what it finds.
    SPLIT = r"""
options:
  wait_return_after:
    description:
      - Seconds this call waits at most; V(0) waits up to O(wait_timeout) in one call. A wait that has not finished
        by then returns successfully, with C(waiting) saying what is awaited (C(awaiting)), the state now
        (C(state)), the seconds since O(wait_started) (C(elapsed_seconds)) and O(wait_timeout) (C(timeout_seconds)),
        and C(msg) saying the same in a line.
      - Meant for a task under C(until) with C(retries), so each call shows as a retry with the state in its result
        (the C(crosscloud.interconnect.progress) callback prints it in a line), until the result has no C(waiting).
        Every call finds the resource as it is and acts only where it still differs from the options, so a create or
        delete made by an earlier call is not repeated and the wait goes on where it was.
      - The call returns after a sleep of O(wait_interval), so the next call reads at once and the reads keep their
        interval.
    type: float
    default: 0
  wait_started:
    description:
      - When the wait began, in seconds since the epoch (the controller's clock), for a wait split into calls by
        O(wait_return_after); the elapsed times (those of C(wait_history) too) and O(wait_timeout) count from it. Give every call of one wait the
        same value, for example C({{ now().timestamp() }}) in the task, which Ansible templates once for all its
        retries.
      - Unset, the wait begins with this call.
    type: float
"""

    OPERATION = r"""
options:
  wait_for:
    description:
      - What to wait for before returning. V(succeeded) follows the long-running Azure operation until it has
        finished; an empty list returns the resource as Azure first answered, typically with
        C(provisioning_state=Updating).
    type: list
    elements: str
    choices: [succeeded]
    default: [succeeded]
"""

    CIRCUIT_WRITE = r"""
options:
  wait_for:
    description:
      - What to wait for, within O(wait_timeout) in all.
      - V(provider_provisioned) waits, where the write needs it, until the provider of the ExpressRoute circuit has
        provisioned it (Azure accepts a private peering or a gateway connection only on such a circuit). Without it,
        the module fails at once on a circuit that is not provisioned.
      - V(succeeded) follows the long-running Azure operation until it has finished.
      - Check mode never waits; it reports the write it would make, with a warning where a real run would wait.
    type: list
    elements: str
    choices: [provider_provisioned, succeeded]
    default: [succeeded]
"""
