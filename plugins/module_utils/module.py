# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of the collection's cloud modules.

Shaped after amazon.aws's ``AnsibleAWSModule``: the options every module of a cloud shares are merged into
the module's own spec, the wait options are checked once, ``fail_json_error`` is the one place an
InterconnectError becomes ``fail_json``, and ``exit_json_pending`` the one place a wait split into calls
returns before it has finished. The API layers (``AzureApi``, ``OciApi``) never see a module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.crosscloud.interconnect.plugins.module_utils.waiter import (
    check_wait_options,
    wait_argument_spec,
    wait_options_of,
)


class InterconnectModule(AnsibleModule):
    """AnsibleModule with ``cloud_spec`` (a cloud's shared options) and, with ``wait_choices``, the wait options
    (``wait_for`` among those choices, ``wait_default`` unless set; with ``wait_splits``, the options of a wait
    split into calls) merged into ``argument_spec``."""

    def __init__(self, argument_spec, cloud_spec, wait_choices=None, wait_default=(), wait_splits=False, **kwargs):
        spec = dict(cloud_spec)
        if wait_choices:
            spec.update(wait_argument_spec(wait_choices, wait_default, wait_splits))
        spec.update(argument_spec)
        super(InterconnectModule, self).__init__(argument_spec=spec, **kwargs)
        problems = check_wait_options(self.params)
        if problems:
            self.fail_json(msg="; ".join(problems))

    @property
    def wait_options(self):
        """The module's wait options as the API layers and the waiter take them (nothing asked without them)."""
        return wait_options_of(self.params)

    def fail_json_error(self, error):
        """Fail with an InterconnectError: its message and its details (the same keys for both clouds)."""
        self.fail_json(msg=error.msg, **error.details)

    def exit_json_pending(self, pending, **fields):
        """Return a wait split into calls that goes on (a WaitPending: ``waiting``, ``msg``, what the call did)
        successfully, so a task under ``until`` shows it and calls again; ``fields`` override its result."""
        self.exit_json(**dict(pending.result, **fields))
