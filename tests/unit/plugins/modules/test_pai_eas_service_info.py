# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module's docs and argument spec hold to the one provider declaration."""

from __future__ import annotations

import yaml

from ansible_collections.modelserving.cloud.plugins.doc_fragments.alibaba import ModuleDocFragment as Alibaba
from ansible_collections.modelserving.cloud.plugins.doc_fragments.connection import ModuleDocFragment as Connection
from ansible_collections.modelserving.cloud.plugins.module_utils.client import argument_spec
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.modules import pai_eas_service_info as module

DOC_OPTIONS = yaml.safe_load(module.DOCUMENTATION)["options"]
ALL_DOC_OPTIONS = dict(yaml.safe_load(Alibaba.MODULES)["options"], **yaml.safe_load(Connection.DOCUMENTATION)["options"])
ALL_DOC_OPTIONS.update(DOC_OPTIONS)


def test_every_filter_is_documented_with_its_type_and_wire_name():
    for f in pai_eas.SPEC.filters:
        doc = DOC_OPTIONS[f.option]
        assert doc["type"] == f.type, f.option
        assert doc.get("choices") == (list(f.choices) if f.choices else None), f.option
        assert "C(%s)" % f.wire in str(doc["description"]), f.option


def test_documented_options_are_exactly_the_argument_spec():
    spec = argument_spec(pai_eas)
    assert set(ALL_DOC_OPTIONS) == set(spec)
    for name, entry in spec.items():
        assert ALL_DOC_OPTIONS[name]["type"] == entry["type"], name
        assert ALL_DOC_OPTIONS[name].get("default") == entry.get("default"), name


def test_secrets_are_no_log():
    spec = argument_spec(pai_eas)
    assert spec["access_key_secret"]["no_log"] and spec["security_token"]["no_log"]
    assert not spec["access_key_id"].get("no_log")


def test_env_vars_are_the_same_in_spec_module_docs_and_plugin_docs():
    spec = argument_spec(pai_eas)
    modules = yaml.safe_load(Alibaba.MODULES)["options"]
    plugins = yaml.safe_load(Alibaba.PLUGINS)["options"]
    for name, option in pai_eas.AUTH_OPTIONS.items():
        env = option["env"]
        if env:
            assert spec[name]["fallback"][1] == env
        text = " ".join(modules[name]["description"])
        assert [v for v in env if "E(%s)" % v in text] == env, name
        assert [e["name"] for e in plugins[name].get("env", [])] == env, name


def test_every_wire_parameter_is_unique():
    wires = [f.wire for f in pai_eas.SPEC.filters]
    assert len(wires) == len(set(wires))
    assert pai_eas.SPEC.paging.index_param not in wires and pai_eas.SPEC.paging.size_param not in wires
