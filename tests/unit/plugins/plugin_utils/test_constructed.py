# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The constructed path against ansible-core's own Constructable, on the ansible-core in use (make test runs these
on every core the collection supports): the same configurations and hosts give the same hosts, groups, variables
(their types too, unsafe marking included) and the same errors, with strict on and off."""

from __future__ import annotations

import json
import types

import pytest
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable
from ansible.plugins.loader import inventory_loader
from ansible.release import __version__ as CORE_VERSION
from ansible.template import Templar
from ansible.utils.display import Display

try:
    from ansible.template import trust_as_template
    from_remote = None
except ImportError:  # before ansible-core 2.19 every string may be a template
    from ansible.utils.unsafe_proxy import wrap_var as from_remote

    def trust_as_template(value):
        return value

from ansible_collections.modelserving.cloud.plugins.plugin_utils import constructed, pure
from ansible_collections.modelserving.cloud.plugins.plugin_utils.constructed import (
    CompiledOnce,
    compile_once,
    construct,
)
from ansible_collections.modelserving.cloud.plugins.plugin_utils.narrowed import NarrowedCompose, narrow
from ansible_collections.modelserving.cloud.plugins.plugin_utils.unsafe import make_unsafe

REMOTE = "{{ 7 * 7 }}{% raw %}"  # a remote value that would be 49 if it were ever compiled

HOSTS = {
    "a": {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": "http://a", "gpu": 2,
          "labels": {"team": "nlp", "tier": "gold"}, "tags": ["x", "y z"], "status": "running"},
    "b": {"provider": "modelarts", "region": "cn-north-4", "endpoint": "", "gpu": "0",
          "labels": {"team": "", "tier": None}, "tags": [], "status": "failed"},
    "c": {"provider": "dataarts_fabric", "region": "cn-north-4", "endpoint": None, "labels": {},
          "tags": ["", "q"], "status": ""},
    "d": {"provider": "pai_eas", "region": "cn-shanghai", "endpoint": REMOTE, "gpu": 1,
          "labels": {"team": REMOTE, "tier": "a b|c"}, "tags": [REMOTE], "status": "Running"},
}

CONFIGS = {
    "compose_groups_and_keyed_groups": {
        "compose": {"svc_team": "labels.team | default('none')", "svc_url": "endpoint"},
        "groups": {"gpu": "(gpu | default(0) | int) > 0"},
        "keyed_groups": [{"key": "labels.team | default('none')", "prefix": "team"}, {"key": "provider", "prefix": "p"},
                         {"key": "provider ~ '_' ~ region", "prefix": "pr"}],
    },
    "undefined_and_types": {
        "compose": {"plain": "gpu", "missing": "nothing_here", "deep": "labels.tier.upper()", "listed": "tags",
                    "mapping": "labels", "number": "gpu | default(0) | int + 1", "literal": "'{{ not templated }}'",
                    "remote_copy": "endpoint ~ ''", "syntax": "labels |", "boolean": "status == 'running'"},
        "groups": {"running": "status == 'running'", "undefined": "nothing_here", "bad syntax": "gpu >",
                   "with-dash": "labels.team is defined and labels.team"},
    },
    "keyed_shapes": {
        "keyed_groups": [
            {"key": "tags", "prefix": "tag", "default_value": "untagged"},
            {"key": "labels", "prefix": "label", "separator": ""},
            {"key": "labels", "prefix": "lbl", "trailing_separator": False},
            {"key": "labels", "prefix": "lab", "default_value": "none"},
            {"key": "status", "prefix": "", "separator": "_"},
            {"key": "status", "default_value": "unknown", "parent_group": "statuses"},
            {"key": "region", "prefix": "r", "parent_group": "{{ provider }}_regions"},
            {"key": "endpoint", "prefix": "ep"},
            {"key": "nothing_here", "prefix": "never"},
        ],
    },
    "no_leading_separator": {
        "leading_separator": False,
        "keyed_groups": [{"key": "provider"}, {"key": "region", "prefix": ""}, {"key": "status", "prefix": "s"}],
    },
    "mutually_exclusive": {
        "keyed_groups": [{"key": "status", "default_value": "x", "trailing_separator": True}],
    },
    "not_a_dict_entry": {"keyed_groups": ["provider"]},
    "narrowed_and_not": {  # parts known to read only what they name, and parts that take ansible-core's path
        "compose": {"home": "lookup('env', 'HOME') is string", "rolled": "[1, 2, 3] | random is number",
                    "dashed": "provider | ansible.builtin.regex_replace('_', '-')", "team": "labels.get('team')",
                    "shout": "provider.upper()", "mapped": "tags | map('upper') | list",
                    "strings": "tags | select('string') | list", "counted": "range(2) | list",
                    "named_by_variable": "tags | map(provider) | list", "private": "provider.__class__.__name__",
                    "context": "self._TemplateReference__context.get('region')",
                    "encoded": "provider.encode() | length",
                    "a_list": "[provider, region]", "whole": "labels", "unknown_filter": "provider | no_such_filter",
                    "again": "labels.tier | default('none')"},
        "keyed_groups": [{"key": "labels.tier | default('none')", "prefix": "tier"},
                         {"key": "status", "parent_group": "{{ region }}_statuses"}],
    },
    "groups_narrowed_and_not": {  # conditionals known to read only what they name, and others
        "groups": {"gold": "labels.tier == 'gold'", "gpu_running": "gpu | default(0) | int > 0 and status == 'running'",
                   "pai": "provider == 'pai_eas'", "home": "lookup('env', 'HOME') is string",
                   "context": "self is defined", "shouting": "status.upper() == 'RUNNING'", "missing": "nothing_here",
                   "bad syntax": "provider ==", "tagged": "'q' in tags", "statement": "x %}{% if provider"},
    },
    "named_as_a_host": {  # a group with a host's name: which is which, when a membership is made again?
        "leading_separator": False,
        "groups": {"a": "provider == 'pai_eas'"},
        "keyed_groups": [{"key": "'b'"}, {"key": "provider"}],
    },
    "composed_then_grouped": {  # groups and keyed groups see what compose set (the host's variables merged in)
        "compose": {"tier": "labels.tier | default('none')", "provider": "'p_' ~ provider"},
        "groups": {"gold": "tier == 'gold'", "renamed": "provider.startswith('p_')"},
        "keyed_groups": [{"key": "tier", "prefix": "t"}, {"key": "provider", "prefix": ""},
                         {"key": "status", "parent_group": "{{ provider }}_all"}],
    },
}


class Stock(BaseInventoryPlugin, Constructable):
    """ansible-core's own Constructable, as a plugin has it, with options given directly."""

    NAME = "stock"

    def __init__(self, options: dict) -> None:
        super().__init__()
        self.given = options

    def get_option(self, option):
        return self.given.get(option, {"leading_separator": True, "use_extra_vars": False}.get(option))


def trusted(value):
    """What ansible-core's configuration loader gives a plugin: the configuration's strings trusted as templates."""
    if isinstance(value, dict):
        return {k: trusted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trusted(v) for v in value]
    return trust_as_template(value) if isinstance(value, str) else value


class Narrowed(NarrowedCompose, Stock):
    """The same with the plugin's ``_compose``: each expression with only the variables it names, once per values."""


def build(config: dict, strict: bool, compiled: bool, hosts: dict | None = None,
          seen: list | None = None, extra: dict | None = None) -> tuple[object, list[CompiledOnce]]:
    """Hosts and groups as an inventory plugin makes them; the outcome as comparable data, or the error raised.

    ``compiled``: the plugin's path (compiled once, merged once, narrowed), else ansible-core's stock one. The hosts
    are ``hosts`` (their values as given) or HOSTS (marked as the plugin marks remote values); ``seen`` gets the
    plugin's Expressions; ``extra``: extra vars, with use_extra_vars on.
    """
    config = trusted(config)
    plugin = (Narrowed if compiled else Stock)({"leading_separator": config.get("leading_separator", True),
                                                "use_extra_vars": extra is not None})
    plugin._vars = extra or {}
    plugin.inventory = InventoryData()
    plugin.templar = Templar(loader=DataLoader())
    memories = compile_once(plugin.templar) if compiled else []
    expressions = narrow(plugin) if compiled else None
    if seen is not None:
        seen.append(expressions)
    try:
        for name, values in (hosts or {name: make_unsafe(values) for name, values in HOSTS.items()}).items():
            plugin.inventory.add_host(name)
            for key, value in values.items():
                plugin.inventory.set_variable(name, key, value)
            if compiled:  # the plugin's path: compiled once, the host's variables merged once
                construct(plugin, name, values, config.get("compose"), config.get("groups"),
                          config.get("keyed_groups"), strict)
                continue
            plugin._set_composite_vars(config.get("compose"), values, name, strict=strict)
            plugin._add_host_to_composed_groups(config.get("groups"), values, name, strict=strict)
            plugin._add_host_to_keyed_groups(config.get("keyed_groups"), values, name, strict=strict)
    except Exception as error:  # pylint: disable=broad-except
        return ("error", type(error).__name__, str(error)), memories
    return snapshot(plugin.inventory), memories


def typed(value):
    """A value with the type of every part named, so that a str and an unsafe or tagged str differ."""
    if isinstance(value, dict):
        return (type(value).__name__, tuple(sorted((typed(k), typed(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(typed(v) for v in value))
    return (type(value).__name__, json.dumps(value, default=str))


def variable(outcome: dict, host: str, name: str):
    """One host variable of a snapshot, as its JSON text."""
    return json.loads(dict(outcome["hosts"][host][1])[typed(name)][1])


def snapshot(inventory: InventoryData) -> dict:
    return {
        "hosts": {name: typed(host.get_vars()) for name, host in inventory.hosts.items()},
        "groups": {name: (sorted(h.name for h in group.hosts), sorted(g.name for g in group.child_groups))
                   for name, group in inventory.groups.items()},
    }


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_compiled_path_is_ansible_cores_own(name, strict):
    """Identical hosts, groups, variables and errors with and without compiling once."""
    stock, _memories = build(CONFIGS[name], strict, compiled=False)
    compiled, memories = build(CONFIGS[name], strict, compiled=True)
    assert compiled == stock
    assert memories, ("compile_once found nothing to cache on ansible-core %s: add it to constructed.COVERED once this "
                      "test compares the compiled path with the stock one there" % CORE_VERSION)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_membership_made_again_is_ansible_cores_own(name, strict):
    """Each host twice (a2 has a's values): the second one's groups are made by the calls the first one's made,
    and the outcome is still ansible-core's own."""
    hosts = {host + again: make_unsafe(values) for again in ("", "2") for host, values in HOSTS.items()}
    seen: list = []
    compiled, _memories = build(CONFIGS[name], strict, compiled=True, hosts=hosts, seen=seen)
    assert compiled == build(CONFIGS[name], strict, compiled=False, hosts=hosts)[0]
    if name == "compose_groups_and_keyed_groups" and not strict and seen[0] is not None:
        assert seen[0].replayed == 8  # the groups and the keyed groups of a2, b2, c2 and d2


def test_a_reused_result_leaves_the_templar_as_ansible_core_does():
    """A keyed group's parent group is templated with the templar's variables after its key: for a host whose key
    was remembered, they are that host's too, not the last evaluated host's."""
    hosts = {"a": make_unsafe({"status": "ok", "region": "r1"}), "b": make_unsafe({"status": "ok", "region": "r2"})}
    config = {"keyed_groups": [{"key": "status", "parent_group": "{{ region }}_statuses"}]}
    seen: list = []
    compiled, _memories = build(config, False, compiled=True, hosts=hosts, seen=seen)
    assert compiled == build(config, False, compiled=False, hosts=hosts)[0]
    assert compiled["groups"]["r2_statuses"][1] == ["_ok"]
    assert seen[0] is None or seen[0].hits == 1


# Values a bare name may have: text that ansible-core 2.16-2.18 give back as it is, and text they parse or template.
BARE = ["http://a/b", "", "True", "False", "true", "[1, 2]", "{'a': 1}", "[", "{", " [1]", "[1] ", "x\n", "\n",
        "None", "null", "1", "-1.5", "0x10", "(1, 2)", "'q'", "{{ 7 * 7 }}", "a{%b", "a}b", "{#", "é ü", "a\\b",
        1, -0.0, None, True, ["a"], {"k": "v"}]


def test_a_bare_name_is_ansible_cores_own():
    """``compose: {url: endpoint}``: the value itself where ansible-core gives it back as it is (text with no
    template, or marked unsafe, that does not look like a list, a dictionary or a boolean), ansible-core's own
    rendering otherwise; with the same type, unsafe marking included."""
    # as the plugin marks them; then as given (trusted, as from a file); then all marked unsafe (2.16-2.18)
    values = BARE + BARE + ([from_remote(text) for text in BARE if isinstance(text, str)] if from_remote else [])
    hosts = {"h%d" % index: make_unsafe({"v": value}) if index < len(BARE) else {"v": value}
             for index, value in enumerate(values)}
    config = {"compose": {"same": "v", "spaced": " v ", "shown": "v ~ ''"}}
    seen: list = []
    compiled, _memories = build(config, False, compiled=True, hosts=hosts, seen=seen)
    assert compiled == build(config, False, compiled=False, hosts=hosts)[0]
    assert variable(compiled, "h0", "same") == "http://a/b"
    assert variable(compiled, "h2", "same") == (True if from_remote else "True")  # 2.16-2.18 parse it
    if from_remote is not None and seen[0] is not None:  # ansible-core 2.16-2.18: given as they are, not rendered
        assert seen[0].as_is >= 2 * 15
    extra = {"v": "from the extra vars"}  # over the host's: the extra var's value, as ansible-core's _compose reads
    compiled, _memories = build(config, False, compiled=True, hosts=hosts, extra=extra)
    assert compiled == build(config, False, compiled=False, hosts=hosts, extra=extra)[0]
    assert variable(compiled, "h0", "same") == "from the extra vars"


def test_a_value_that_is_a_template_itself_takes_ansible_cores_path():
    """A trusted template among the values an expression names reads variables the expression does not name."""
    hosts = {name: dict(make_unsafe(values), shown=trust_as_template("{{ provider }}/{{ region }}"),
                        nested={"in": [trust_as_template("{{ status }}")]}) for name, values in HOSTS.items()}
    config = {"compose": {"where": "shown", "also": "shown ~ '!'", "deep": "nested['in'][0] ~ ''"},
              "groups": {"hangzhou": "shown == 'pai_eas/cn-hangzhou'", "failed": "nested['in'][0] == 'failed'"},
              "keyed_groups": [{"key": "shown", "prefix": "at"}]}
    seen: list = []
    narrowed, _memories = build(config, False, compiled=True, hosts=hosts, seen=seen)
    assert narrowed == build(config, False, compiled=False, hosts=hosts)[0]
    assert variable(narrowed, "a", "where") == "pai_eas/cn-hangzhou"
    assert narrowed["groups"]["hangzhou"][0] == ["a"] and narrowed["groups"]["failed"][0] == ["b"]
    assert seen[0] is None or (seen[0].narrowed, seen[0].hits) == (0, 0)  # none of them narrowed


def test_extra_vars_that_are_templates_take_ansible_cores_path():
    """With use_extra_vars, ansible-core's _compose reads the extra vars over the host's: a template among them reads
    variables the expression does not name."""
    config = {"compose": {"env": "'prod'", "where": "env ~ '/' ~ plain"},
              "keyed_groups": [{"key": "env", "prefix": "e"}, {"key": "plain", "prefix": "x"}]}
    extra = {"env": trust_as_template("{{ region }}-x"), "plain": "fixed"}
    narrowed, _memories = build(config, False, compiled=True, extra=extra)
    assert narrowed == build(config, False, compiled=False, extra=extra)[0]
    assert "e_cn_hangzhou_x" in narrowed["groups"] and narrowed["groups"]["x_fixed"][0] == ["a", "b", "c", "d"]


def test_equal_values_that_print_differently_are_not_one_result():
    """0.0 and -0.0 are equal (and hash alike) but are two strings; 1 and True, two types."""
    hosts = {"a": {"x": 0.0, "y": 1}, "b": {"x": -0.0, "y": True}, "c": {"x": [-0.0], "y": 1.0}}
    config = {"compose": {"s": "x | string", "t": "y | string"}, "keyed_groups": [{"key": "x | string"}]}
    narrowed, _memories = build(config, False, compiled=True, hosts=hosts)
    assert narrowed == build(config, False, compiled=False, hosts=hosts)[0]
    assert variable(narrowed, "b", "s") == "-0.0" and variable(narrowed, "b", "t") == "True"


def test_the_narrowed_path_narrows_and_reuses():
    """The comparisons above compare the narrowed path: it evaluated expressions with only their variables, and
    reused results for hosts with the same values (hosts a and d are both pai_eas)."""
    seen: list = []
    build(CONFIGS["compose_groups_and_keyed_groups"], False, compiled=True, seen=seen)
    assert seen[0] is not None, ("the narrowed path is off on ansible-core %s: add it to constructed.COVERED once the "
                                 "equivalence tests pass there" % CORE_VERSION)
    assert seen[0].narrowed >= 8 and seen[0].hits >= 1
    seen = []
    grouped, _memories = build({"groups": {"pai": "provider == 'pai_eas'"}}, False, compiled=True, seen=seen)
    # the groups conditional too: a and d share their provider, so d's membership is a's, made again
    assert (seen[0].narrowed, seen[0].hits, seen[0].replayed) == (3, 0, 1)
    assert grouped["groups"]["pai"][0] == ["a", "d"]
    assert pure.plan("provider ~ '_' ~ region") == {"provider", "region"}
    for expression in ("lookup('env', 'HOME')", "x | random", "x | no_such_filter", "x.pop('a')",
                       "x | map(y) | list", "x | map('no_such') | list", "query('vars', 'a')", "{{ x",
                       "self._TemplateReference__context", "x.__class__", "loop.index"):
        assert pure.plan(expression) is None, expression


def test_outcomes_are_what_the_configurations_say():
    """The comparison above compares something: lenient runs build the groups, strict runs stop with a message."""
    lenient, _memories = build(CONFIGS["compose_groups_and_keyed_groups"], False, compiled=True)
    assert lenient["groups"]["gpu"][0] == ["a", "d"]
    assert lenient["groups"]["team_nlp"][0] == ["a"]
    assert lenient["groups"]["pr_pai_eas_cn_hangzhou"][0] == ["a"]
    assert variable(lenient, "b", "svc_team") == "" and variable(lenient, "c", "svc_team") == "none"
    shapes, _memories = build(CONFIGS["keyed_shapes"], False, compiled=True)
    assert "pai_eas_regions" in shapes["groups"] and "r_cn_hangzhou" in shapes["groups"]["pai_eas_regions"][1]
    assert shapes["groups"]["tag_untagged"][0] == ["c"]
    assert "labelteamnlp" in shapes["groups"]
    strict, _memories = build(CONFIGS["undefined_and_types"], True, compiled=True)
    assert strict[0] == "error" and "missing" in strict[2]
    composed, _memories = build(CONFIGS["composed_then_grouped"], False, compiled=True)
    assert composed["groups"]["gold"][0] == ["a"] and composed["groups"]["renamed"][0] == ["a", "b", "c", "d"]
    assert "p_pai_eas_all" in composed["groups"] and "_p_modelarts" in composed["groups"]
    exclusive, _memories = build(CONFIGS["mutually_exclusive"], False, compiled=True)
    assert exclusive[0] == "error" and "mutually exclusive" in exclusive[2]


def test_each_expression_is_compiled_once_and_no_remote_value_ever():
    """The memory is in use on this core, holds the configuration's expressions only, and a remote template stays
    text."""
    seen: list = []
    outcome, memories = build(CONFIGS["compose_groups_and_keyed_groups"], False, compiled=True, seen=seen)
    expressions = seen[0]  # what was reused, or given as it is, was not even evaluated again
    reused = expressions.hits + expressions.as_is + expressions.replayed if expressions is not None else 0
    assert sum(memory.hits for memory in memories) + reused >= (len(HOSTS) - 1) * 5
    sources = [source for memory in memories for source in memory.sources]
    assert sources and not any("7 * 7" in source for source in sources)
    assert any("labels.team | default('none')" in source for source in sources)
    assert variable(outcome, "d", "svc_url") == REMOTE and variable(outcome, "d", "svc_team") == REMOTE
    assert "team_49" not in outcome["groups"]


def test_the_inventory_plugin_compiles_once():
    """The plugin's own templar gets the memory as it populates, once however often it does."""
    module = inventory_loader.get("modelserving.cloud.inference_services")
    module.inventory = InventoryData()
    module.templar = Templar(loader=DataLoader())
    module.set_options(direct=trusted({"plugin": "modelserving.cloud.inference_services", "sources": [],
                                       "hostnames": ["service_id"], "compose": {"url": "endpoint ~ '/v1'"}}))
    records = [dict(values, service_id=name, service_name=name) for name, values in HOSTS.items()]
    for _run in range(2):
        module._populate([{"records": records}], {})  # pylint: disable=protected-access
    memories = compile_once(module.templar)
    assert sum(memory.hits for memory in memories) >= 2 * len(HOSTS) - 1
    assert module.inventory.get_host("a").get_vars()["url"] == "http://a/v1"
    assert module.inventory.get_host("d").get_vars()["url"] == REMOTE + "/v1"
    again = compile_once(module.templar)
    assert [id(memory) for memory in again] == [id(memory) for memory in memories]


def compile_functions(templar) -> list:
    """The compile functions a templar uses now, whichever ansible-core this is."""
    engine = getattr(templar, "_engine", None)
    if engine is not None:
        return [engine._compile_expression, engine._compile_template]  # pylint: disable=protected-access
    return [templar.environment.compile]


@pytest.mark.parametrize("version", ["2.15.13", "2.22.0", "2.22.0.dev0", "3.0.0", "1.9.6", "devel", ""])
def test_other_ansible_core_versions_take_the_stock_path(version):
    """Outside the versions the equivalence test covers, the templar is left as it is, and the log says why."""
    templar = Templar(loader=DataLoader())
    before = compile_functions(templar)
    said: list[str] = []
    assert compile_once(templar, version=version, log=said.append) == []
    assert compile_functions(templar) == before and not any(isinstance(f, CompiledOnce) for f in before)
    assert len(said) == 1 and "ansible-core %s:" % version in said[0] and "stock path" in said[0]
    assert "2.16 to 2.21" in said[0]


@pytest.mark.parametrize("version", ["2.16.0", "2.18.19", "2.19.14", "2.21.5", "2.21.0rc1"])
def test_covered_versions_take_the_compiled_path(version):
    """Inside the covered versions the compile functions of this core get their memory, and nothing is logged."""
    templar = Templar(loader=DataLoader())
    said: list[str] = []
    memories = compile_once(templar, version=version, log=said.append)
    assert memories and compile_functions(templar) == memories and not said


@pytest.mark.parametrize("templar", [
    types.SimpleNamespace(),
    types.SimpleNamespace(_engine=types.SimpleNamespace(_compile_expression=len)),
    types.SimpleNamespace(_engine=types.SimpleNamespace(), environment=types.SimpleNamespace(compile=len)),
    types.SimpleNamespace(environment=types.SimpleNamespace(compile="not callable")),
], ids=["nothing", "engine_half", "engine_without_compile", "environment_without_compile"])
def test_missing_internals_take_the_stock_path(templar):
    """A covered version whose templar lacks what the memory sits in front of runs the stock path, and says why."""
    said: list[str] = []
    before = dict(vars(templar))
    assert compile_once(templar, version=CORE_VERSION, log=said.append) == []
    assert vars(templar) == before
    assert len(said) == 1 and "stock path" in said[0] and "_compile_expression" in said[0]


def test_the_inventory_plugin_says_so_at_vvv(monkeypatch):
    """On a version outside the covered ones the plugin builds the same hosts on the stock path, and says so once at
    -vvv, naming the version."""
    module = inventory_loader.get("modelserving.cloud.inference_services")
    said: list[str] = []
    monkeypatch.setattr(Display(), "vvv", lambda msg, host=None: said.append(msg))  # Display is one object
    monkeypatch.setattr(constructed, "CORE_VERSION", "2.22.1")
    module.inventory = InventoryData()
    module.templar = Templar(loader=DataLoader())
    module.set_options(direct=trusted({"plugin": "modelserving.cloud.inference_services", "sources": [],
                                       "hostnames": ["service_id"], "compose": {"url": "endpoint ~ '/v1'"}}))
    records = [dict(values, service_id=name, service_name=name) for name, values in HOSTS.items()]
    module._populate([{"records": records}], {})  # pylint: disable=protected-access
    assert not any(isinstance(f, CompiledOnce) for f in compile_functions(module.templar))
    assert module.inventory.get_host("a").get_vars()["url"] == "http://a/v1"
    assert module.inventory.get_host("d").get_vars()["url"] == REMOTE + "/v1"
    notes = [msg for msg in said if "stock path" in msg]
    assert len(notes) == 1 and notes[0].startswith("modelserving.cloud.inference_services: ansible-core 2.22.1:")
