# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: wait_calls
short_description: How many calls a wait split into calls may take, for a task's retries
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - A module of this collection that waits returns after O(return_after) seconds with the wait still running when
    given C(wait_return_after); a task under C(until) then calls it again. This gives the C(retries) such a task
    needs so that the module's C(wait_timeout), not the retry count, ends the wait.
positional: return_after
options:
  _input:
    description: The wait's timeout in seconds (C(wait_timeout)).
    type: int
    required: true
  return_after:
    description: Seconds each call waits at most (C(wait_return_after)); V(0) means one call waits it all.
    type: float
    required: true
"""

EXAMPLES = r"""
- name: Wait for the virtual circuit, one line of progress about every 20 seconds
  crosscloud.interconnect.fastconnect_virtual_circuit_info:
    compartment_id: "{{ compartment_id }}"
    display_name: er-tokyo-oci
    wait_for: [provisioned]
    wait_timeout: 1800
    wait_return_after: 20
    wait_started: "{{ now().timestamp() }}"
  register: virtual_circuit
  until: virtual_circuit.waiting is not defined
  retries: "{{ 1800 | crosscloud.interconnect.wait_calls(20) }}"
  delay: 0
"""

RETURN = r"""
_value:
  description: The number of retries, at least 1.
  type: int
"""

from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import wait_calls_needed


def wait_calls(timeout, return_after):
    return wait_calls_needed(int(timeout), float(return_after))


class FilterModule(object):
    def filters(self):
        return {"wait_calls": wait_calls}
