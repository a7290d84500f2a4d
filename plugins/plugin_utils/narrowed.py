# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Constructed expressions evaluated with only the variables they name, and once per distinct set of their values.

Private to modelserving.cloud: this module may change without notice.

ansible-core's engine prepares every variable of the host for each evaluation (2.19 and later make a lazy container
of each), though an expression reads the few it names. An expression whose every part is known (pure.py) reads no
variable it does not name, so it is given only those; and when every part is also deterministic, its result for
the same values (their types and tags too) is the result for every host that has them, so it is evaluated once.
A host's ``groups`` and ``keyed_groups`` go one step further: when every expression they evaluated was such, the
calls ansible-core made to the inventory for the first host with some values are made again for the next host with
the same values. Anything else, or a value among those an expression names that could be a template itself (which
could name others), takes ansible-core's path as it is. The equivalence test
(tests/unit/plugins/plugin_utils/test_constructed.py) compares the outcome with ansible-core's own on every
supported core.
"""

from __future__ import annotations

import typing as t

from ansible.release import __version__ as CORE_VERSION
from ansible.utils.vars import combine_vars

from ansible_collections.modelserving.cloud.plugins.plugin_utils.constructed import covered
from ansible_collections.modelserving.cloud.plugins.plugin_utils.pure import (
    Unfrozen,
    frozen,
    is_trusted_as_template,
    plan,
    templatable,
)

if is_trusted_as_template is None:  # before ansible-core 2.19: a remote text is marked by its type
    from ansible.utils.unsafe_proxy import AnsibleUnsafeText as UNSAFE_TEXT
else:
    UNSAFE_TEXT = None

MAX_REMEMBERED = 65536  # results kept per run: a fleet's distinct values, not its hosts
MISSING = object()


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

        Whichever way the result comes (evaluated with fewer variables, remembered, given as it is), the templar's
        variables are left as ``stock`` leaves them: a keyed group's ``parent_group`` is templated with them
        afterwards.
        """
        def evaluate(read: t.Any) -> t.Any:
            value = self.as_it_is(plugin, template, read)
            return stock(template, read, *args, **kwargs) if value is MISSING else value

        try:
            return self.evaluate(plugin, ("compose", template, False), variables, args, kwargs, evaluate,
                                 lambda: stock(template, variables, *args, **kwargs))
        finally:
            self.restore(plugin, variables)

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
        if known is not None and known[0] is not config:
            known = None  # another configuration (a new run): learnt again
        if known is not None and known[1] is None:
            return stock()  # this configuration runs as it is
        key: t.Any = None
        if known is not None:
            key = _membership_key(kind, strict, known[1], variables)
            if key is None:
                return stock()
            calls = self.recorded.get(key)
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
        if key is None:
            key = _membership_key(kind, strict, names, variables)
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


def _membership_key(kind: str, strict: bool, names: frozenset[str], variables: t.Any) -> t.Any:
    """What decides a membership's calls: the values of ``names`` (types and tags too); None if they cannot say."""
    if not isinstance(variables, dict):
        return None
    try:
        key = (kind, strict, frozen({name: variables[name] for name in names if name in variables}))
        hash(key)
    except (Unfrozen, TypeError):
        return None
    return key


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
