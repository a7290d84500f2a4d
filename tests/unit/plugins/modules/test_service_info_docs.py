# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each module's docs and argument spec hold to its one provider declaration."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.modelserving.cloud.plugins.doc_fragments.alibaba import ModuleDocFragment as Alibaba
from ansible_collections.modelserving.cloud.plugins.doc_fragments.connection import ModuleDocFragment as Connection
from ansible_collections.modelserving.cloud.plugins.doc_fragments.huawei import ModuleDocFragment as Huawei
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import argument_spec
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric, modelarts, pai_eas
from ansible_collections.modelserving.cloud.plugins.modules import (
    dataarts_fabric_service_info,
    modelarts_service_info,
    pai_eas_service_info,
)

CASES = [
    (pai_eas_service_info, pai_eas, Alibaba),
    (modelarts_service_info, modelarts, Huawei),
    (dataarts_fabric_service_info, dataarts_fabric, Huawei),
]
IDS = ["pai_eas", "modelarts", "dataarts_fabric"]


def doc_options(module, fragment):
    options = dict(yaml.safe_load(fragment.MODULES)["options"])
    options.update(yaml.safe_load(Connection.DOCUMENTATION)["options"])
    options.update(yaml.safe_load(Connection.LISTING)["options"])
    options.update(yaml.safe_load(module.DOCUMENTATION)["options"])
    return options


@pytest.mark.parametrize("module, provider, fragment", CASES, ids=IDS)
def test_every_filter_is_documented_with_its_type_and_wire_name(module, provider, fragment):
    own = yaml.safe_load(module.DOCUMENTATION)["options"]
    for f in provider.SPEC.filters:
        doc = own[f.option]
        assert doc["type"] == f.type, f.option
        assert "choices" not in doc, f.option  # any spelling is taken: the values are listed in the description
        assert all("V(%s)" % value in str(doc["description"]) for value in f.values or ()), f.option
        assert "C(%s)" % f.wire in str(doc["description"]), f.option
    for f in provider.SPEC.path_params:
        assert own[f.option]["required"] is True


@pytest.mark.parametrize("module, provider, fragment", CASES, ids=IDS)
def test_documented_options_are_exactly_the_argument_spec(module, provider, fragment):
    spec = argument_spec(provider)
    docs = doc_options(module, fragment)
    assert set(docs) == set(spec)
    for name, entry in spec.items():
        assert docs[name]["type"] == entry["type"], name
        assert docs[name].get("default") == entry.get("default"), name
        assert docs[name].get("choices") == entry.get("choices"), name


@pytest.mark.parametrize("module, provider, fragment", CASES, ids=IDS)
def test_secrets_are_no_log(module, provider, fragment):
    spec = argument_spec(provider)
    for name, entry in spec.items():
        if any(word in name for word in ("secret", "password", "token")) and entry["type"] == "str":
            assert entry.get("no_log") is True, name


@pytest.mark.parametrize("provider, fragment", [(pai_eas, Alibaba), (modelarts, Huawei)], ids=["alibaba", "huawei"])
def test_env_vars_are_the_same_in_spec_and_docs(provider, fragment):
    spec = argument_spec(provider)
    modules = yaml.safe_load(fragment.MODULES)["options"]
    assert set(modules) == set(provider.AUTH_OPTIONS)
    for name, option in provider.AUTH_OPTIONS.items():
        env = option.get("env") or []
        if env:
            assert spec[name]["fallback"][1] == env
        text = " ".join(modules[name]["description"]) if isinstance(modules[name]["description"], list) else \
            modules[name]["description"]
        assert [v for v in env if "E(%s)" % v in text] == env, name


@pytest.mark.parametrize("provider", [pai_eas, modelarts, dataarts_fabric], ids=IDS)
def test_every_wire_parameter_is_unique(provider):
    wires = [f.wire for f in provider.SPEC.filters]
    assert len(wires) == len(set(wires))
    assert provider.SPEC.paging.index_param not in wires and provider.SPEC.paging.size_param not in wires
