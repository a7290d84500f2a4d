# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The constructed path: ansible-core's own ``compose``, ``groups`` and ``keyed_groups``, each expression compiled once
and each host's variables merged once (:func:`construct`); narrowed.py evaluates each with only the variables it names.

Private to modelserving.cloud: this module may change without notice.

ansible-core's Constructable compiles every expression again for every host (Jinja's parser, code generator and
Python's ``compile``: about 80 % of its time). :func:`compile_once` gives a plugin's own templar a memory of what it
compiled, so each expression of the configuration is compiled once per run and the compiled form is evaluated for
every host. Nothing else changes: the stock Constructable methods run as they are, with the engine of the
ansible-core in use, so hosts, groups, variables, errors and undefined-variable behaviour are ansible-core's own
(tests/unit/plugins/plugin_utils/test_constructed.py compares both on every supported core).

Only what the engine itself compiles is kept, and it compiles only trusted templates: the configuration's. Remote
values are variables, never compiled (2.19 and later refuse untrusted templates; before, they are marked unsafe). A
compile that fails is not kept, so its error names the place it came from, as it would without this.

The memory sits in front of ansible-core internals that are private (the template engine's ``_compile_expression``
and ``_compile_template``, Jinja's ``environment.compile`` beneath ansible-core's templar), so it is installed only on
the ansible-core versions in :data:`COVERED`: those on which the equivalence test runs (``make matrix`` runs it on
each). On any other version, or when the expected internals are missing, nothing is installed and ansible-core's
stock Constructable runs uncached: correct, only slower; the inventory plugin says so at ``-vvv``. Add a version to
:data:`COVERED` only once the equivalence test passes on it.
"""

from __future__ import annotations

import re
import types
import typing as t
from collections import OrderedDict

from ansible.release import __version__ as CORE_VERSION
from ansible.utils.vars import combine_vars

MAX_COMPILED = 256  # expressions of one configuration; more is not expected, and the oldest are dropped
# The ansible-core versions (major, minor) on which the equivalence test runs: the compiled path is kept to these.
COVERED = ((2, 16), (2, 21))


class CompiledOnce:
    """A bounded memory of compiled forms in front of one compile function."""

    def __init__(self, compile_function: t.Callable[..., t.Any], key: t.Callable[..., t.Any]) -> None:
        self.compile_function = compile_function
        self.key = key
        self.compiled: OrderedDict[t.Any, t.Any] = OrderedDict()
        self.hits = 0

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        key = self.key(*args, **kwargs)
        if key is None:  # not a text source: compiled as ever
            return self.compile_function(*args, **kwargs)
        if key in self.compiled:
            self.hits += 1
            self.compiled.move_to_end(key)
            return self.compiled[key]
        result = self.compile_function(*args, **kwargs)
        if not isinstance(result, types.FunctionType):  # 2.19+: a failed compile is a function that raises its error
            self.compiled[key] = result
            if len(self.compiled) > MAX_COMPILED:
                self.compiled.popitem(last=False)
        return result

    @property
    def sources(self) -> list[str]:
        """The texts compiled so far (for tests: remote values are never among them)."""
        return [key[0] for key in self.compiled]


def _engine_key(source: t.Any, options: t.Any) -> t.Any:
    return (str(source), options) if isinstance(source, str) else None


def _jinja_key(source: t.Any, name: t.Any = None, filename: t.Any = None, raw: bool = False,
               defer_init: bool = False) -> t.Any:
    return (str(source), name, filename, raw, defer_init) if isinstance(source, str) else None


def covered(version: str) -> bool:
    """Tell whether ``version`` (``2.19.14``, ``2.21.0rc1``) is an ansible-core version within :data:`COVERED`."""
    match = re.match(r"(\d+)\.(\d+)", version)
    return match is not None and COVERED[0] <= (int(match.group(1)), int(match.group(2))) <= COVERED[1]


def compile_once(templar: t.Any, version: str | None = None,
                 log: t.Callable[[str], None] | None = None) -> list[CompiledOnce]:
    """Make ``templar`` (a plugin's own) compile each template and expression once; return the memories installed.

    ansible-core 2.19 and later: the template engine's ``_compile_expression`` and ``_compile_template`` (the key is
    the text and the template options). 2.16 to 2.18: the Jinja environment's ``compile`` (its arguments), beneath
    ``from_string``, so every template is still a new object with its own globals.

    :param version: the ansible-core version in use (tests give others).
    :param log: called with one line when the stock path runs, saying why.
    :returns: the memories; an empty list means the stock path runs uncached (correct but slower), because
        ``version`` is outside :data:`COVERED` or this core lacks the internals expected.
    """
    version = CORE_VERSION if version is None else version
    if not covered(version):
        if log:
            log("ansible-core %s: constructed expressions take ansible-core's stock path, uncached (they are compiled "
                "once only on ansible-core %d.%d to %d.%d, the versions the collection's equivalence test covers)" % (
                    (version,) + COVERED[0] + COVERED[1]))
        return []
    memories = _install(templar)
    if not memories and log:
        log("ansible-core %s: constructed expressions take ansible-core's stock path, uncached (its templar has "
            "neither the engine's _compile_expression and _compile_template nor Jinja's environment.compile)" % version)
    return memories


def _install(templar: t.Any) -> list[CompiledOnce]:
    """Put a memory in front of the compile functions ``templar`` has; an empty list if it has none of them."""
    engine = getattr(templar, "_engine", None)
    if engine is not None and all(callable(getattr(engine, name, None))
                                  for name in ("_compile_expression", "_compile_template")):
        memories = []
        for name in ("_compile_expression", "_compile_template"):
            memory = getattr(engine, name)
            if not isinstance(memory, CompiledOnce):  # once per templar
                memory = CompiledOnce(memory, _engine_key)
                setattr(engine, name, memory)
            memories.append(memory)
        return memories
    environment = getattr(templar, "environment", None)
    if engine is None and environment is not None and callable(getattr(environment, "compile", None)):
        memory = environment.compile
        if not isinstance(memory, CompiledOnce):
            memory = environment.compile = CompiledOnce(memory, _jinja_key)
        return [memory]
    return []


def construct(plugin: t.Any, host: str, variables: t.Mapping[str, t.Any], compose: t.Any, groups: t.Any,
              keyed_groups: t.Any, strict: bool) -> None:
    """``compose``, ``groups`` and ``keyed_groups`` for one host, by ansible-core's own Constructable methods.

    The stock methods merge the host's variables (the composed ones among them) into ``variables`` again for the
    ``groups`` and for every ``keyed_groups`` entry (``fetch_hostvars``); nothing changes the host between those
    merges, so here they are merged once and given to both: the same variables, one merge a host instead of one an
    entry.
    """
    plugin._set_composite_vars(compose, variables, host, strict=strict)
    if groups or keyed_groups:
        variables = combine_vars(variables, plugin.inventory.get_host(host).get_vars())
        plugin._add_host_to_composed_groups(groups, variables, host, strict=strict, fetch_hostvars=False)
        plugin._add_host_to_keyed_groups(keyed_groups, variables, host, strict=strict, fetch_hostvars=False)
