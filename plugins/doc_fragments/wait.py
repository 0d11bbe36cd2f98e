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
