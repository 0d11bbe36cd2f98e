# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Attribute support shared by every module of the collection, whatever the cloud.

    The descriptions come from ansible.builtin.action_common_attributes, which modules extend first.
    """

    # Modules that change resources (modules extend ansible.builtin.action_common_attributes and its flow
    # fragment first, for the descriptions).
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: all
  action:
    support: none
  async:
    support: full
  bypass_host_loop:
    support: none
"""

    # Read-only modules.
    INFO = r"""
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
    details: The module changes nothing, so there is nothing to diff.
  platform:
    platforms: all
  action:
    support: none
  async:
    support: full
  bypass_host_loop:
    support: none
"""

    # Actions that run on the controller only (interconnect_plan, interconnect_report); they also extend
    # ansible.builtin.action_common_attributes.flow.
    CONTROLLER = r"""
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
    details: There is nothing to diff; the result (the plan, or the report file) is the output.
  platform:
    platforms: all
  action:
    support: full
    details: Runs on the controller as an action plugin, whatever the host of the task; no module process.
  async:
    support: none
  bypass_host_loop:
    support: none
"""
