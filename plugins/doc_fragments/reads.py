# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The network info modules' preflight mode (module_utils/common.py ReadProblems).
    DOCUMENTATION = r"""
options:
  collect_problems:
    description:
      - Instead of failing at the first read that fails (a missing resource, a refused permission, a malformed
        name or id), go on with the others and return every failed read in RV(problems), each with the option,
        its value and the message. The interconnect role's preflight reads with it, so one run lists every problem.
    type: bool
    default: false
    version_added: 1.2.0
"""
