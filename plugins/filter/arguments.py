# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: argument_problems
short_description: Judge a role's variables against one entry point of its argument spec, readably
version_added: 0.1.0
author: crosscloud.interconnect contributors (@crosscloud)
description:
  - Checks the given variables against the options of a role entry point (the C(options) of one entry in
    C(meta/argument_specs.yml)) with ansible-core's own validator, and says every problem in one short
    sentence that names the variable, the value given and what is wanted.
  - Unlike the validation ansible-core inserts at the start of a role, the answer carries no copy of the
    spec, and a required variable that is set but empty (C(null) or C("")) counts as missing.
positional: variables
options:
  _input:
    description: The options of the entry point (name to option spec).
    type: dict
    required: true
  variables:
    description: The variables that are set (name to value); a variable of the spec absent here is not set.
    type: dict
    required: true
  required_if:
    description:
      - Requirements that depend on another variable, as C(required_if) of a module's argument spec - each
        C([name, value, [names]]) - since a role's argument spec has no such key. A required variable the entry point
        has no option for is only required to be set.
    type: list
    elements: list
    default: []
    version_added: 1.4.0
"""

EXAMPLES = r"""
- name: Refuse bad variables, all at once
  ansible.builtin.fail:
    msg: "{{ problems | join('\n') }}"
  when: problems | length > 0
  vars:
    problems: "{{ spec.argument_specs.main.options | crosscloud.interconnect.argument_problems(given) }}"
"""

RETURN = r"""
_value:
  description: One sentence per problem, in the spec's order; empty when every variable is fine.
  type: list
  elements: str
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from collections.abc import Mapping, Sequence
from ansible.module_utils.errors import ArgumentValueError

# The option keys ansible-core's validator understands; documentation keys are left out.
VALIDATOR_KEYS = ("type", "elements", "choices", "options", "default", "no_log")

TYPE_WORDS = {"str": "a string", "int": "a whole number", "bool": "true or false", "path": "a path",
              "dict": "a mapping", "list": "a list", "float": "a number", "raw": "any value"}

LONGEST_VALUE = 80


def wanted(option):
    """What an option wants, in words: 'a list of mappings', 'a whole number'."""
    kind = option.get("type", "str")
    if kind == "list" and option.get("elements"):
        element = TYPE_WORDS.get(option["elements"], option["elements"])
        return "a list, each element %s" % element
    return TYPE_WORDS.get(kind, kind)


def kind_of(value):
    """A value's kind in words (templated strings are str subclasses, so test with isinstance)."""
    for python_type, word in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (Mapping, "dict"),
                              (Sequence, "list")):
        if isinstance(value, python_type):
            return TYPE_WORDS[word]
    return type(value).__name__


def shown(value):
    text = repr(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 3] + "..."


def summary_of(option):
    """The first sentence of an option's description, to say what a missing variable is for."""
    description = option.get("description") or ""
    if isinstance(description, list):
        description = description[0] if description else ""
    return description.split(". ")[0].rstrip(".")


def plain(value):
    """``value`` as plain dicts and lists: the validator deep-copies what it checks, and a deep copy of
    the lazy containers newer ansible-core templates into would copy its plugin loaders too."""
    if isinstance(value, Mapping):
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [plain(item) for item in value]
    return value


def sentence_part(phrase):
    """``phrase`` to go inside a sentence: its first letter lower-cased unless it starts an acronym (OCID)."""
    return phrase[:1].lower() + phrase[1:] if phrase[1:2].islower() else phrase


def validated(name, option, value):
    """ansible-core's judgement of one variable: ``(errors, value as the option's type)``, for example a
    comma-separated string given for a list (as ``-e`` gives it) as that list."""
    spec = dict((key, option[key]) for key in VALIDATOR_KEYS if key in option)
    result = ArgumentSpecValidator({name: spec}).validate({name: plain(value)})
    return result.errors.errors, result.validated_parameters.get(name)


def option_problem(name, option, given, value):
    if not given or value is None or value == "":
        if not option.get("required"):
            return None
        # The preflight's own wording for an empty value (module_utils/inputs.py), so both read alike.
        state = "it is not set" if not given else "it is empty or null (%s)" % shown(value)
        purpose = summary_of(option)
        return "%s is missing: %s.%s" % (name, state, " It is the %s." % sentence_part(purpose) if purpose else "")
    errors = validated(name, option, value)[0]
    if not errors:
        return None
    error = errors[0]
    if isinstance(error, ArgumentValueError) and option.get("choices"):
        return "%s is %s; it must be one of %s." % (name, shown(value), ", ".join(str(choice) for choice in option["choices"]))
    return "%s is %s (%s); it must be %s." % (name, shown(value), kind_of(value), wanted(option))


def required_if_problems(options, variables, required_if):
    """``(name, sentence)`` for each variable that ``required_if`` (``[name, value, [names]]`` entries, as a module's
    argument spec has them) requires here and that is not set; one the entry point has no option for is only
    required to be set."""
    problems = []
    for condition, value, names in required_if or ():
        if condition not in options or variables.get(condition, options[condition].get("default")) != value:
            continue
        for name in names:
            if options.get(name, {}).get("required"):
                continue
            problem = option_problem(name, dict(options.get(name) or {}, required=True), name in variables,
                                     variables.get(name))
            if problem:
                setting = str(value).lower() if isinstance(value, bool) else shown(value)   # as YAML writes it
                problems.append((name, "%s (needed as %s is %s)." % (problem.rstrip("."), condition, setting)))
    return problems


def argument_problems(options, variables, required_if=()):
    problems = []
    for name, option in options.items():
        problem = option_problem(name, option or {}, name in variables, variables.get(name))
        if problem:
            problems.append(problem)
    return problems + [problem for dummy, problem in required_if_problems(options, variables, required_if)]


class FilterModule(object):
    def filters(self):
        return {"argument_problems": argument_problems}
