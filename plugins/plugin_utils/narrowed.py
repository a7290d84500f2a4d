# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Constructed expressions evaluated with only the variables they name, and once per distinct set of their values.

Private to modelserving.cloud: this module may change without notice.

ansible-core's engine prepares every variable of the host for each evaluation (2.19 and later make a lazy container
of each), though an expression reads the few it names. An expression whose every part is known (below) reads no
variable it does not name, so it is given only those; and when every part is also deterministic, its result for
the same values (their types and tags too) is the result for every host that has them, so it is evaluated once.
Anything else, or a value among those it names that could be a template itself (which could name others), takes
ansible-core's path as it is. The equivalence test (tests/unit/plugins/plugin_utils/test_constructed.py) compares
the outcome with ansible-core's own on every supported core.
"""

from __future__ import annotations

import typing as t

import jinja2
from ansible.release import __version__ as CORE_VERSION
from ansible.utils.vars import combine_vars
from jinja2 import nodes

from ansible_collections.modelserving.cloud.plugins.plugin_utils.constructed import covered

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
MAX_REMEMBERED = 65536  # results kept per run: a fleet's distinct values, not its hosts
MISSING = object()


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


_PLAIN = frozenset((str, int, bool, type(None)))  # untagged, unwrapped: the common case, keyed at once


def frozen(value: t.Any) -> t.Any:
    """A hashable key of a value: its type, its tags (ansible-core 2.19 and later) and its content, in order (a float
    by its exact bits: 0.0 and -0.0 are equal but print differently)."""
    kind = type(value)
    if kind in _PLAIN:
        return kind, value
    tags = getattr(value, "_ansible_tags_mapping", None)
    mark = (kind, frozenset(tags.values())) if tags else kind
    if isinstance(value, dict):
        return mark, tuple((frozen(k), frozen(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return mark, tuple(frozen(v) for v in value)
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


class Expressions:
    """A plugin's expressions evaluated with only what they read, each result of a pure one remembered by values."""

    def __init__(self) -> None:
        self.plans: dict[t.Any, frozenset[str] | None] = {}  # an expression's key -> the names it reads
        self.use_extra: bool | None = None
        self.results: dict[t.Any, t.Any] = {}
        self.hits = 0
        self.narrowed = 0

    def compose(self, plugin: t.Any, stock: t.Callable[..., t.Any], template: t.Any, variables: t.Any,
                *args: t.Any, **kwargs: t.Any) -> t.Any:
        """What ``stock(template, variables, *args, **kwargs)`` (ansible-core's ``_compose`` of ``plugin``) returns.

        The templar's variables are left as ``stock`` leaves them (a keyed group's ``parent_group`` is templated with
        them afterwards).
        """
        def evaluate(read: t.Any) -> t.Any:
            try:
                return stock(template, read, *args, **kwargs)
            finally:
                self.restore(plugin, variables)

        return self.evaluate(plugin, ("compose", template, False), variables, args, kwargs, evaluate,
                             lambda: stock(template, variables, *args, **kwargs))

    def conditional(self, plugin: t.Any, templar: t.Any, method: str, text: t.Any, variables: t.Any,
                    args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
        """What ``templar.<method>(text, *args, **kwargs)`` returns with ``variables`` available: ansible-core's
        ``groups`` conditional (``evaluate_conditional`` of the expression on 2.19 and later; before, ``template`` of
        ``{% if expression %} True {% else %} False {% endif %}``). The variables are left available."""
        call = getattr(templar, method)

        def evaluate(read: t.Any) -> t.Any:
            templar.available_variables = read
            try:
                return call(text, *args, **kwargs)
            finally:
                templar.available_variables = variables

        return self.evaluate(plugin, (method, text, method == "template"), variables, args, kwargs, evaluate,
                             lambda: call(text, *args, **kwargs), extras=False)

    def evaluate(self, plugin: t.Any, what: tuple[str, t.Any, bool], variables: t.Any, args: tuple[t.Any, ...],
                 kwargs: dict[str, t.Any], narrowed: t.Callable[[t.Any], t.Any], stock: t.Callable[[], t.Any],
                 extras: bool = True) -> t.Any:
        """``narrowed(read)``: the evaluation with only the variables read (``read``), its result remembered for the
        same values; or ``stock()``, ansible-core's evaluation as it is, where that is not known to be the same.

        :param what: the kind of evaluation, its text (an expression, or with the third item true a template's text).
        :param extras: whether the evaluation reads the plugin's extra vars over the host's (``_compose`` does).
        """
        kind, source, template = what
        try:
            source_key = (kind, frozen(source))  # the text and its tags: a trusted and an untrusted text differ
            known = self.plans.get(source_key, MISSING)
        except (Unfrozen, TypeError):  # not text
            known = None
        if known is MISSING:
            known = self.plans[source_key] = plan(source, template=template)
        if known is None or not isinstance(variables, dict):
            return stock()
        read = {name: variables[name] for name in known if name in variables}
        try:
            key: t.Any = (source_key, args, tuple(sorted(kwargs.items())) if kwargs else (), frozen(read))
            hash(key)
        except (Unfrozen, TypeError):
            key = None
        if key is not None and key in self.results:  # these very values (their types and tags too) passed below
            self.hits += 1
            return self.results[key]
        over = self.extras(plugin) if extras else None  # ansible-core's _compose reads the extra vars over the host's
        if any(templatable(value) for value in read.values()) or over and any(
                templatable(over[name]) for name in known if name in over):
            return stock()
        self.narrowed += 1
        result = narrowed(read)
        if key is not None and len(self.results) < MAX_REMEMBERED and (
                result is None or isinstance(result, (str, int, float))):  # immutable: one object for many hosts
            self.results[key] = result
        return result

    def extras(self, plugin: t.Any) -> t.Any:
        """The extra vars ansible-core's ``_compose`` puts over the host's variables: the plugin's ``_vars`` when its
        ``use_extra_vars`` is on (the option read once a run), else none."""
        if self.use_extra is None:
            try:  # as ansible-core's own _compose: a plugin without the option does not use extra vars
                self.use_extra = bool(plugin.get_option("use_extra_vars"))
            except Exception:  # pylint: disable=broad-exception-caught
                self.use_extra = False
        return getattr(plugin, "_vars", None) if self.use_extra else None

    def restore(self, plugin: t.Any, variables: t.Any) -> None:
        """Leave the templar's variables as ansible-core's ``_compose`` leaves them: the host's, with the extra vars
        when the plugin's ``use_extra_vars`` is on."""
        extras = self.extras(plugin)
        plugin.templar.available_variables = combine_vars(variables, extras) if self.use_extra else variables


class NarrowedCompose:
    """A Constructable plugin's ``_compose`` and ``groups`` conditionals through :class:`Expressions`, once
    :func:`narrow` gave it one; put it before ``Constructable`` among the plugin's bases."""

    _expressions: Expressions | None = None
    templar: t.Any

    def _compose(self, template: t.Any, variables: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        stock = super()._compose  # type: ignore[misc]  # Constructable's
        if self._expressions is None:
            return stock(template, variables, *args, **kwargs)
        return self._expressions.compose(self, stock, template, variables, *args, **kwargs)

    def _add_host_to_composed_groups(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        stock = super()._add_host_to_composed_groups  # type: ignore[misc]  # Constructable's
        if self._expressions is None:
            return stock(*args, **kwargs)
        templar = self.templar
        self.templar = ConditionalTemplar(templar, self, self._expressions)  # its conditionals through Expressions
        try:
            return stock(*args, **kwargs)
        finally:
            self.templar = templar


class ConditionalTemplar:
    """A plugin's templar while ansible-core's ``_add_host_to_composed_groups`` runs: the variables it is given are
    kept, and its conditionals evaluated by :meth:`Expressions.conditional`; everything else is the templar's own."""

    def __init__(self, templar: t.Any, plugin: t.Any, expressions: Expressions) -> None:
        self.__dict__.update(_templar=templar, _plugin=plugin, _expressions=expressions, _variables=None)

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._templar, name)

    def __setattr__(self, name: str, value: t.Any) -> None:
        if name == "available_variables":
            self.__dict__["_variables"] = value
        setattr(self._templar, name, value)

    def template(self, text: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # before 2.19
        return self._expressions.conditional(self._plugin, self._templar, "template", text, self._variables, args,
                                             kwargs)

    def evaluate_conditional(self, conditional: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # 2.19 and later
        return self._expressions.conditional(self._plugin, self._templar, "evaluate_conditional", conditional,
                                             self._variables, args, kwargs)


def narrow(plugin: NarrowedCompose, version: str | None = None) -> Expressions | None:
    """Give ``plugin`` a new memory of results for this run, on the ansible-core versions of :data:`COVERED` (the
    equivalence test's); elsewhere its ``_compose`` stays ansible-core's own."""
    plugin._expressions = Expressions() if covered(CORE_VERSION if version is None else version) else None
    return plugin._expressions
