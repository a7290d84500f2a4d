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
    UNSAFE_TEXT: t.Any = None
except ImportError:
    is_trusted_as_template = None
    from ansible.utils.unsafe_proxy import AnsibleUnsafeText as UNSAFE_TEXT

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


class Expressions:
    """A plugin's expressions evaluated with only what they read, each result of a pure one remembered by values."""

    def __init__(self) -> None:
        self.plans: dict[t.Any, frozenset[str] | None] = {}  # an expression's key -> the names it reads
        self.texts: dict[tuple[str, int], tuple[t.Any, t.Any, frozenset[str] | None]] = {}  # (kind, id) -> its plan
        self.use_extra: bool | None = None
        self.results: dict[t.Any, t.Any] = {}
        self.hits = 0
        self.narrowed = 0
        self.stocked = 0  # evaluations that took ansible-core's path as it is
        self.reading: set[str] | None = None  # while a membership is recorded: the names its evaluations read
        self.plans_of: dict[str, tuple[t.Any, frozenset[str] | None]] = {}  # a kind -> (its configuration, names)
        self.recorded: dict[t.Any, list[tuple[str, tuple[t.Any, ...]]]] = {}  # a membership's key -> its calls
        self.replayed = 0
        self.as_is = 0  # bare names given as they are

    def compose(self, plugin: t.Any, stock: t.Callable[..., t.Any], template: t.Any, variables: t.Any,
                *args: t.Any, **kwargs: t.Any) -> t.Any:
        """What ``stock(template, variables, *args, **kwargs)`` (ansible-core's ``_compose`` of ``plugin``) returns.

        The templar's variables are left as ``stock`` leaves them (a keyed group's ``parent_group`` is templated with
        them afterwards).
        """
        def evaluate(read: t.Any) -> t.Any:
            try:
                value = self.as_it_is(plugin, template, read)
                return stock(template, read, *args, **kwargs) if value is MISSING else value
            finally:
                self.restore(plugin, variables)

        return self.evaluate(plugin, ("compose", template, False), variables, args, kwargs, evaluate,
                             lambda: stock(template, variables, *args, **kwargs),
                             settle=lambda: self.restore(plugin, variables))

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
                 extras: bool = True, settle: t.Callable[[], t.Any] | None = None) -> t.Any:
        """``narrowed(read)``: the evaluation with only the variables read (``read``), its result remembered for the
        same values; or ``stock()``, ansible-core's evaluation as it is, where that is not known to be the same.

        :param what: the kind of evaluation, its text (an expression, or with the third item true a template's text).
        :param extras: whether the evaluation reads the plugin's extra vars over the host's (``_compose`` does).
        :param settle: called when a remembered result is given, to leave the templar as the evaluation would.
        """
        kind, source, template = what
        given = self.texts.get((kind, id(source)))  # the configuration's own text, planned before
        if given is not None and given[0] is source:
            source_key, known = given[1], given[2]
        else:
            try:
                source_key = (kind, frozen(source))  # the text and its tags: a trusted and an untrusted text differ
                known = self.plans.get(source_key, MISSING)
            except (Unfrozen, TypeError):  # not text
                source_key, known = None, None
            if known is MISSING:
                known = self.plans[source_key] = plan(source, template=template)
            if not template and len(self.texts) < MAX_REMEMBERED:  # a template's text is made anew for each host
                self.texts[(kind, id(source))] = (source, source_key, known)  # kept: its id stays its own
        if known is None or not isinstance(variables, dict):
            self.stocked += 1
            return stock()
        if self.reading is not None:
            self.reading.update(known)
        read = {name: variables[name] for name in known if name in variables}
        try:
            key: t.Any = (source_key, args, tuple(sorted(kwargs.items())) if kwargs else (), frozen(read))
            result = self.results.get(key, MISSING)
        except (Unfrozen, TypeError):
            key, result = None, MISSING
        if result is not MISSING:  # these very values (their types and tags too) passed below
            self.hits += 1
            if settle is not None:
                settle()
            return result
        over = self.extras(plugin) if extras else None  # ansible-core's _compose reads the extra vars over the host's
        if any(templatable(value) for value in read.values()) or over and any(
                templatable(over[name]) for name in known if name in over):
            self.stocked += 1
            return stock()
        self.narrowed += 1
        result = narrowed(read)
        if key is not None and len(self.results) < MAX_REMEMBERED and (
                result is None or isinstance(result, (str, int, float))):  # immutable: one object for many hosts
            self.results[key] = result
        return result

    def as_it_is(self, plugin: t.Any, expression: t.Any, read: dict[str, t.Any]) -> t.Any:
        """The value of a bare name (``endpoint``) where ansible-core 2.16-2.18 give it back as it is, else MISSING.

        There, ``{{ name }}`` renders a text marked unsafe, or a plain one with no template in it, as that very text,
        and the rendering's concat (``ansible_eval_concat``) keeps it unless it looks like a list, a dictionary or a
        boolean (which it parses); so such text, native Jinja (which parses any text) and every other type take
        the templar. A plain text here has no ``{`` at all (the plugin marks those unsafe).
        """
        if UNSAFE_TEXT is None or len(read) != 1:
            return MISSING
        name, value = next(iter(read.items()))
        kind = type(value)
        if not (kind is UNSAFE_TEXT or kind is str and "{" not in value) or value.startswith(("{", "[")) or (
                value in ("True", "False") or expression.strip() != name or
                getattr(plugin.templar, "jinja2_native", True)):
            return MISSING
        over = self.extras(plugin)
        if over and name in over:
            return MISSING
        self.as_is += 1
        return value

    def membership(self, plugin: t.Any, kind: str, config: t.Any, variables: t.Any, host: t.Any, strict: bool,
                   stock: t.Callable[[], t.Any], settle: t.Callable[[], t.Any]) -> t.Any:
        """What ``stock()`` (ansible-core's ``_add_host_to_composed_groups`` or ``_add_host_to_keyed_groups`` for
        ``host``, of the configuration ``config``) does: for the first host with some values of what its expressions
        read, it runs, its calls to the inventory written down; for the next host with the same values, the same
        calls are made with that host's name, and ``settle()`` leaves the templar as ``stock`` would.

        Replayed only when every expression it evaluated is narrowed (known to read only what it names, no value
        among those a template), so that those values decide its every call, and it called the inventory for
        nothing but adding (no host's variables read); else it runs as it is, for this host and the next.
        """
        known = self.plans_of.get(kind)
        if known is not None and (known[0] is not config or known[1] is None):
            if known[0] is config:
                return stock()
            known = None  # another configuration (a new run): learnt again
        key: t.Any = None
        if known is not None and isinstance(variables, dict):
            try:
                key = (kind, strict, frozen({name: variables[name] for name in known[1] if name in variables}))
                calls = self.recorded.get(key)
            except (Unfrozen, TypeError):
                return stock()
            if calls is not None:
                self.replayed += 1
                inventory = plugin.inventory
                for method, args in calls:
                    getattr(inventory, method)(*[host if arg is HOST else arg for arg in args])
                settle()
                return None
        recorder = Recorder(plugin.inventory, host)
        outer, stocked, self.reading = self.reading, self.stocked, set()
        plugin.inventory = recorder
        try:
            result = stock()
        finally:
            plugin.inventory = recorder.inventory
            names, self.reading = frozenset(self.reading), outer
        if outer is not None or not recorder.replayable or self.stocked != stocked or (
                known is not None and known[1] != names):
            self.plans_of[kind] = (config, None)  # runs as it is from now on
            return result
        self.plans_of[kind] = (config, names)
        if key is None and isinstance(variables, dict):
            try:
                key = (kind, strict, frozen({name: variables[name] for name in names if name in variables}))
                hash(key)
            except (Unfrozen, TypeError):
                key = None
        if key is not None and len(self.recorded) < MAX_REMEMBERED:
            self.recorded[key] = recorder.calls
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

    def _add_host_to_composed_groups(self, groups: t.Any, variables: t.Any, host: t.Any, strict: bool = False,
                                     fetch_hostvars: bool = True) -> t.Any:
        stock = super()._add_host_to_composed_groups  # type: ignore[misc]  # Constructable's
        expressions = self._expressions
        if expressions is None:
            return stock(groups, variables, host, strict=strict, fetch_hostvars=fetch_hostvars)

        def conditionals() -> t.Any:
            templar = self.templar
            self.templar = ConditionalTemplar(templar, self, expressions)  # its conditionals through Expressions
            try:
                return stock(groups, variables, host, strict=strict, fetch_hostvars=fetch_hostvars)
            finally:
                self.templar = templar

        if fetch_hostvars or not (groups and isinstance(groups, dict)):
            return conditionals()

        def settle() -> None:
            self.templar.available_variables = variables

        return expressions.membership(self, "groups", groups, variables, host, strict, conditionals, settle)

    def _add_host_to_keyed_groups(self, keys: t.Any, variables: t.Any, host: t.Any, strict: bool = False,
                                  fetch_hostvars: bool = True) -> t.Any:
        stock = super()._add_host_to_keyed_groups  # type: ignore[misc]  # Constructable's
        expressions = self._expressions
        if expressions is None or fetch_hostvars or not (keys and isinstance(keys, list)) or any(
                isinstance(keyed, dict) and "{" in str(keyed.get("parent_group") or "") for keyed in keys):
            # a parent group's template reads the templar's variables, not through Expressions
            return stock(keys, variables, host, strict=strict, fetch_hostvars=fetch_hostvars)
        return expressions.membership(
            self, "keyed_groups", keys, variables, host, strict,
            lambda: stock(keys, variables, host, strict=strict, fetch_hostvars=False),
            lambda: expressions.restore(self, variables))


HOST = object()  # where a recorded call had the host's name


class Recorder:
    """An inventory while a host's groups are made: each call passed on and written down, the host's name as
    :data:`HOST`; replayable while nothing but adding was called and the host's name is only where a host goes."""

    _ADDING = frozenset(("add_group", "add_host", "add_child"))

    def __init__(self, inventory: t.Any, host: t.Any) -> None:
        self.__dict__.update(inventory=inventory, host=host, calls=[], replayable=True)

    def __getattr__(self, name: str) -> t.Any:
        value = getattr(self.inventory, name)
        if name not in self._ADDING or not callable(value):
            self.__dict__["replayable"] = False  # reading the inventory (a host's variables?): not replayed
            return value

        def call(*args: t.Any, **kwargs: t.Any) -> t.Any:
            if kwargs or any(arg == self.host and arg is not self.host for arg in args):
                self.__dict__["replayable"] = False  # a group named as the host: which is which, when replayed?
            self.calls.append((name, tuple(HOST if arg is self.host else arg for arg in args)))
            return value(*args, **kwargs)

        return call

    def __setattr__(self, name: str, value: t.Any) -> None:
        self.__dict__["replayable"] = False
        setattr(self.inventory, name, value)


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
