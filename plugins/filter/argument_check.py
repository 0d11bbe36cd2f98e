# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: argument_check
short_description: Judge a role's variables against one entry point of its argument spec, and keep the good ones
version_added: 1.3.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - As P(crosscloud.interconnect.argument_problems#filter), with the same sentences, but each problem is a mapping in
    the shape of the problems of M(crosscloud.interconnect.interconnect_plan), and the answer also holds the variables
    that have none, so that a role can go on with those and list these problems first with the ones it finds later.
positional: variables, unset, required_if
options:
  _input:
    description: The C(options) of one entry point of the argument spec.
    type: dict
    required: true
  variables:
    description:
      - The variables by name; an option absent here is not set, a variable that is no option is not judged.
    type: dict
    required: true
  unset:
    description:
      - A value that means "not set", typically C(omit) after C(map('default', omit)) over the values read with
        C(ansible.builtin.vars), since a role default derived from a variable that is not set has no value either.
    type: raw
  required_if:
    description: As for P(crosscloud.interconnect.argument_problems#filter).
    type: list
    elements: list
    default: []
    version_added: 1.4.0
"""

EXAMPLES = r"""
- name: Keep the problems of the variables and the variables that are fine
  ansible.builtin.set_fact:
    role_argument_problems: "{{ checked.problems }}"
    role_arguments: "{{ checked.usable }}"
  vars:
    checked: "{{ spec.argument_specs.main.options | crosscloud.interconnect.argument_check(given, omit) }}"
"""

RETURN = r"""
_value:
  description: The problems and the usable variables.
  type: dict
  contains:
    problems:
      description: One per problem, in the spec's order; empty when every variable is fine.
      type: list
      elements: dict
      contains:
        field:
          description: The variable.
          type: str
        value:
          description: Its value (null when it is not set).
          type: raw
        message:
          description: What is wrong, the sentence P(crosscloud.interconnect.argument_problems#filter) says.
          type: str
    usable:
      description:
        - The variables that are set and have no problem (name to value); a list, number or boolean as its option's
          type (a comma-separated string given for a list is that list), a string as given.
      type: dict
"""

from ansible_collections.crosscloud.interconnect.plugins.filter.arguments import (
    option_problem, plain, required_if_problems, validated)


def converted(option):
    """Whether a variable of ``option`` is used as ansible-core's validator converts it (lists, numbers, booleans)."""
    return option is not None and (option or {}).get("type", "str") not in ("str", "path", "raw")


def argument_check(options, variables, unset=None, required_if=()):
    given = dict((name, value) for name, value in variables.items() if unset is None or value != unset)
    problems = []
    for name, option in options.items():
        message = option_problem(name, option or {}, name in given, given.get(name))
        if message:
            problems.append(dict(field=name, value=plain(given.get(name)), message=message))
    problems.extend(dict(field=name, value=plain(given.get(name)), message=message)
                    for name, message in required_if_problems(options, given, required_if))
    refused = set(found["field"] for found in problems)
    # A usable variable as its option's type (a comma-separated string given for a list is that list); a string
    # option, and a variable that is no option of this entry point, as given: the preflight's own check tells a
    # list given for a name from the name (ansible-core would make it the string "['name']").
    usable = dict((name, validated(name, options[name] or {}, value)[1] if converted(options.get(name)) else value)
                  for name, value in given.items() if name not in refused)
    return dict(problems=problems, usable=usable)


class FilterModule(object):
    def filters(self):
        return {"argument_check": argument_check}
