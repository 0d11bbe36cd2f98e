# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the fastconnect_virtual_circuit_info module; on the controller, in the run's warm module host."""

from __future__ import annotations

from ansible_collections.crosscloud.interconnect.plugins.plugin_utils.action import ModuleHostAction


class ActionModule(ModuleHostAction):
    """See plugin_utils/action.py."""
