# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``sources`` and connection options are documented once, in two fragments, and those hold to the declaration.

Every face that takes them shows the fragments' text (merged as ``ansible-doc`` merges it); the event source, whose
docs are not merged with fragments, and the roles name them instead of copying them.
"""

from __future__ import annotations

import os
import re
import typing as t

import pytest
import yaml
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.modelserving.cloud.plugins.doc_fragments.connection import ModuleDocFragment as Connection
from ansible_collections.modelserving.cloud.plugins.doc_fragments.sources import ModuleDocFragment as Sources
from ansible_collections.modelserving.cloud.plugins.inventory import inference_services
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import (
    CONNECTION_OPTIONS,
    HTTP_OPTIONS,
    PROVIDERS,
    argument_spec,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import CONNECTION_KEYS, SOURCE_KEYS
from ansible_collections.modelserving.cloud.plugins.modules import (
    dataarts_fabric_service_info,
    modelarts_service_info,
    pai_eas_service_info,
    service_info,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(service_info.__file__), os.pardir, os.pardir))
HTTP = yaml.safe_load(Connection.DOCUMENTATION)["options"]
CONNECTION = dict(HTTP, **yaml.safe_load(Connection.LISTING)["options"])
SOURCES = yaml.safe_load(Sources.DOCUMENTATION)["options"]
# Every face that takes the connection options as options of its own, with how ansible-doc names its type.
FACES = {"inventory": (inference_services, "inventory"), "service_info": (service_info, "module"),
         "pai_eas_service_info": (pai_eas_service_info, "module"),
         "modelarts_service_info": (modelarts_service_info, "module"),
         "dataarts_fabric_service_info": (dataarts_fabric_service_info, "module")}
EVENT_SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "service_status.py")
ROLES = {"service_report": "service_report_sources", "service_status_gate": "service_status_gate_sources"}


def merged(face: str) -> dict[str, t.Any]:
    """The face's documentation with its fragments merged, as ansible-doc shows it."""
    module, kind = FACES[face]
    doc = get_docstring(module.__file__, fragment_loader, collection_name="modelserving.cloud",
                        is_module=kind == "module", plugin_type=kind)[0]
    return doc["options"]


def text(option: t.Mapping[str, t.Any]) -> str:
    description = option["description"]
    return " ".join(description) if isinstance(description, list) else description


def test_connection_fragment_is_the_declaration():
    """Names, types and defaults: what the core declares is what the fragment says, no more, no less."""
    assert set(CONNECTION) == set(CONNECTION_KEYS) | {"query"}
    assert set(HTTP) == set(HTTP_OPTIONS)  # what every call takes, and the modules that steer take alone
    spec = argument_spec(PROVIDERS["pai_eas"])  # the listing options every provider's module has
    for name in CONNECTION:
        declared = CONNECTION_OPTIONS.get(name) or spec[name]
        assert CONNECTION[name]["type"] == declared["type"], name
        assert CONNECTION[name].get("default") == declared.get("default"), name


@pytest.mark.parametrize("face", sorted(FACES))
def test_every_face_shows_the_connection_fragment_unchanged(face):
    options = merged(face)
    for name, option in CONNECTION.items():
        assert options[name] == option, "%s redefines %s" % (face, name)


def test_one_concurrency_default_everywhere():
    assert CONNECTION["concurrency"]["default"] == CONNECTION_OPTIONS["concurrency"]["default"]
    for name, provider in PROVIDERS.items():
        assert argument_spec(provider)["concurrency"]["default"] == CONNECTION_OPTIONS["concurrency"]["default"], name
    assert merged("inventory")["concurrency"]["default"] == CONNECTION_OPTIONS["concurrency"]["default"]


def test_sources_fragment_names_every_key_of_a_source():
    option = SOURCES["sources"]
    assert (option["type"], option["elements"], option["required"]) == ("list", "dict", True)
    described = text(option)
    assert [key for key in SOURCE_KEYS if "C(%s)" % key not in described] == []
    assert [name for name in PROVIDERS if "V(%s)" % name not in described] == []
    assert [name for name in PROVIDERS if "M(modelserving.cloud.%s_service_info)" % name not in described] == []


def test_inventory_and_service_info_show_the_same_sources_text():
    inventory, module = merged("inventory")["sources"], merged("service_info")["sources"]
    assert inventory == module == SOURCES["sources"]


def test_event_source_points_at_the_fragments_and_names_every_face_option():
    """ansible-rulebook does not merge fragments: one sentence names the options, and no option is copied."""
    with open(EVENT_SOURCE, encoding="utf-8") as handle:
        source = handle.read()
    doc = yaml.safe_load(re.search(r'DOCUMENTATION = r"""(.*?)"""', source, re.S).group(1))
    assert not set(doc["options"]) & set(CONNECTION), "copied from the connection fragment"
    assert "modelserving.cloud.service_info" in text(doc["options"]["sources"])
    assert "C(provider)" not in text(doc["options"]["sources"]), "copied from the sources fragment"
    named = set(re.findall(r"C\((\w+)\)", " ".join(line for line in doc["description"]
                                                   if "modelserving.cloud.service_info" in line)))
    assert set(CONNECTION) <= named


@pytest.mark.parametrize("role", sorted(ROLES))
def test_roles_point_at_the_sources_of_service_info(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        option = yaml.safe_load(handle)["argument_specs"]["main"]["options"][ROLES[role]]
    assert (option["type"], option["elements"], option["required"]) == ("list", "dict", True)
    assert "O(modelserving.cloud.service_info#module:sources)" in text(option)
    assert "C(provider)" not in text(option)  # pointed at, not copied


def test_no_fragment_is_unused():
    """Every fragment (and variant) is extended by some plugin or module of the collection."""
    used = set()
    for folder, _dirs, files in os.walk(os.path.join(ROOT, "plugins")):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    used.update(re.findall(r"^  - modelserving\.cloud\.([\w.]+)$", handle.read(), re.M))
    fragments = os.path.join(ROOT, "plugins", "doc_fragments")
    declared = set()
    for name in os.listdir(fragments):
        if name.endswith(".py"):
            with open(os.path.join(fragments, name), encoding="utf-8") as handle:
                for variant in re.findall(r"^    ([A-Z_]+) = r\"\"\"", handle.read(), re.M):
                    declared.add(name[:-3] if variant == "DOCUMENTATION" else "%s.%s" % (name[:-3], variant.lower()))
    assert declared == used
