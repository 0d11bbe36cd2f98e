#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: interconnect_report
short_description: Write an interconnect report on the controller
version_added: 0.1.0
description:
  - Writes text (the role's Markdown report or summary, rendered with the P(ansible.builtin.template#lookup)
    lookup) to a file on the controller, the machine that runs Ansible, whatever the host of the task.
  - Creates missing parent directories, replaces the file atomically and only when the content or the
    mode differs, so a reader never sees half a report.
  - An action plugin with no module process, which M(ansible.builtin.template) with C(delegate_to=localhost)
    would start twice per report.
author:
  - crosscloud.interconnect contributors (@crosscloud)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - crosscloud.interconnect.attributes.controller
options:
  path:
    description: Where to write the report on the controller.
    type: path
    required: true
  content:
    description: The text of the report.
    type: str
    required: true
  mode:
    description: Permissions of the file, as an octal string.
    type: str
    default: "0644"
"""

EXAMPLES = r"""
- name: Write the report of this interconnect
  crosscloud.interconnect.interconnect_report:
    path: "reports/{{ inventory_hostname }}.md"
    content: "{{ lookup('ansible.builtin.template', 'report.md.j2') }}"
"""

RETURN = r"""
path:
  description: The absolute path of the report.
  returned: always
  type: str
  sample: /home/ops/reports/tokyo.md
"""
