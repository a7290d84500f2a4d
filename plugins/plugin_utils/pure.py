# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which constructed expressions read only the variables they name, and give the same result for the same values;
and the keys those values are told apart by.

Private to modelserving.cloud: this module may change without notice.

:func:`plan` parses an expression with Jinja and accepts it only when its every part is known: names, constants,
operators, and the filters, tests and methods listed here, which are deterministic and read nothing but their
arguments (no variable by name, no file, no clock, no randomness). :func:`frozen` makes a hashable key of values
with their types and tags; :func:`templatable` tells a value that ansible-core could render as a template itself.
narrowed.py evaluates the accepted expressions with only those values, once per key.
"""

from __future__ import annotations

import typing as t

import jinja2
from jinja2 import nodes

try:
    from ansible.template import is_trusted_as_template  # ansible-core 2.19 and later: data tagging
except ImportError:
    is_trusted_as_template = None

_JINJA_FILTERS = (
    "abs attr batch capitalize center count d default dictsort e escape first float forceescape format groupby indent "
    "int items join last length list lower map max min reject rejectattr replace reverse round select selectattr "
    "slice sort string sum title tojson trim truncate unique upper urlencode wordcount wordwrap")
_ANSIBLE_FILTERS = (
    "b64decode b64encode basename bool checksum combine comment commonpath dict2items dirname extract flatten "
    "from_json from_yaml from_yaml_all hash items2dict mandatory md5 normpath path_join quote regex_escape "
    "regex_findall regex_replace regex_search sha1 split splitext subelements ternary to_datetime to_json "
    "to_nice_json to_nice_yaml to_uuid to_yaml type_debug win_basename win_dirname win_splitdrive combinations "
    "difference human_readable human_to_bytes intersect log permutations pow product rekey_on_member root "
    "symmetric_difference union zip zip_longest urldecode urlsplit")
_TESTS = (
    "!= < <= == > >= boolean callable defined divisibleby eq equalto escaped even false filter float ge greaterthan gt "
    "in integer iterable le lessthan lower lt mapping ne none number odd sameas sequence string test true undefined "
    "upper all any change changed failed failure finished match reachable regex search skip skipped started "
    "succeeded success successful timedout truthy falsy unreachable vault_encrypted version version_compare contains "
    "isnan issubset issuperset nan subset superset")


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split()) | frozenset("ansible.builtin." + word for word in words.split())


# Deterministic, and reading nothing but their arguments: no variable by name, no file, no clock, no randomness.
PURE_FILTERS = _names(_JINJA_FILTERS + " " + _ANSIBLE_FILTERS)
PURE_TESTS = _names(_TESTS)
PURE_GLOBALS = frozenset(("range", "dict"))
PURE_METHODS = frozenset((
    "capitalize casefold center count endswith find format get index isalnum isalpha isdigit islower isupper items "
    "join keys ljust lower lstrip partition replace rfind rindex rjust rpartition rsplit rstrip split splitlines "
    "startswith strip title upper values zfill").split())
# filter -> which positional argument names a test or a filter (map('lower'), select('defined'), selectattr('a', 'eq'))
_NAMED_BY_ARGUMENT = {"map": (0, PURE_FILTERS), "select": (0, PURE_TESTS), "reject": (0, PURE_TESTS),
                      "selectattr": (1, PURE_TESTS), "rejectattr": (1, PURE_TESTS)}
_TEMPLATE_MARKS = ("{{", "{%", "{#")
# Names Jinja itself gives a template, which reach beyond the variables (``self`` holds the whole context).
_CONTEXT_NAMES = frozenset(("self", "loop", "caller", "varargs", "kwargs", "context", "environment"))


def plan(expression: t.Any, template: bool = False) -> frozenset[str] | None:
    """The names of the variables an expression (or with ``template``, a template's text) reads, when its every part
    is known to read nothing else and to give the same result for the same values; None when it must take
    ansible-core's path as it is (another part, or text Jinja cannot parse: ansible-core then reports it as it
    would)."""
    if not isinstance(expression, str):
        return None
    try:
        tree = jinja2.Environment().parse(expression if template else "{{ %s }}" % expression)
    except jinja2.TemplateError:
        return None
    allowed = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.List, nodes.Tuple,
               nodes.Dict, nodes.Pair, nodes.Keyword, nodes.Concat, nodes.Compare, nodes.Operand, nodes.CondExpr,
               nodes.BinExpr, nodes.UnaryExpr, nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Filter, nodes.Test,
               nodes.Call, nodes.If)
    names = set()
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, allowed):
            return None
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name in _CONTEXT_NAMES:
                return None
            names.add(node.name)
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):  # an object's insides: its context?
            return None
        elif isinstance(node, nodes.Filter) and not _known(node, PURE_FILTERS):
            return None
        elif isinstance(node, nodes.Test) and node.name not in PURE_TESTS:
            return None
        elif isinstance(node, nodes.Call):  # range(3), or a method of a value: labels.get('team')
            called = node.node
            if not (isinstance(called, nodes.Name) and called.name in PURE_GLOBALS or isinstance(
                    called, nodes.Getattr) and called.attr in PURE_METHODS):
                return None
            if node.dyn_args is not None or node.dyn_kwargs is not None:
                return None
    return frozenset(names)  # a global's name too: a variable of that name hides it, for both paths alike


def _known(node: t.Any, known: frozenset[str]) -> bool:
    """A filter node whose filter, and any filter or test it names in an argument, is among ``known``."""
    if node.name not in known or node.dyn_args is not None or node.dyn_kwargs is not None:
        return False
    position, names = _NAMED_BY_ARGUMENT.get(node.name.rsplit(".", 1)[-1], (None, None))
    if position is None or len(node.args) <= position:
        return True
    named = node.args[position]
    return isinstance(named, nodes.Const) and isinstance(named.value, str) and named.value in names


class Unfrozen(Exception):
    """A value that cannot be part of a key (remembering is skipped for it)."""


_PLAIN = {kind: True for kind in (str, int, bool, type(None))}  # a type -> whether its values are keyed as they are


def frozen(value: t.Any) -> t.Any:
    """A hashable key of a value: its type, its tags (ansible-core 2.19 and later) and its content, in order (a float
    by its exact bits: 0.0 and -0.0 are equal but print differently)."""
    kind = type(value)
    plain = _PLAIN.get(kind)
    if plain is None:  # once a type: a text or a number that cannot carry tags (unsafe text before 2.19) is plain
        plain = _PLAIN[kind] = issubclass(kind, (str, int, bytes)) and not hasattr(kind, "_ansible_tags_mapping")
    if plain:
        return kind, value
    tags = getattr(value, "_ansible_tags_mapping", None)
    mark = (kind, frozenset(tags.values())) if tags else kind
    if isinstance(value, dict):
        return mark, tuple([(frozen(k), frozen(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return mark, tuple([frozen(v) for v in value])
    if isinstance(value, float):
        return mark, value.hex()
    if value is None or isinstance(value, (str, int, bytes)):
        return mark, value
    raise Unfrozen(kind.__name__)


def templatable(value: t.Any) -> bool:
    """Whether ansible-core could render ``value`` (or a value inside it) as a template when an expression reads it
    (and so read variables the expression does not name): a string with a template's marks that is trusted (2.19 and
    later) or not marked unsafe (before)."""
    if isinstance(value, str):
        if "{" not in value or not any(mark in value for mark in _TEMPLATE_MARKS):
            return False
        if is_trusted_as_template is not None:
            return is_trusted_as_template(value)
        return not getattr(value, "__UNSAFE__", False)
    if isinstance(value, dict):
        return any(templatable(k) or templatable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(templatable(v) for v in value)
    return not (value is None or isinstance(value, (int, float)))  # anything else (vaulted, a mapping...): maybe
