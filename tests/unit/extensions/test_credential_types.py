# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The credential types of AWX / AAP controller and of EDA controller: one set of credentials, the same either way."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "extensions")


def load(kind: str, name: str) -> dict:
    import yaml  # pylint: disable=import-outside-toplevel

    with open(os.path.join(ROOT, kind, "credential_types", name + ".yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_both_controllers_have_the_same_credential_types():
    """A type added for one controller only would leave jobs or activations without its credentials."""
    awx, eda = (sorted(os.listdir(os.path.join(ROOT, kind, "credential_types"))) for kind in ("awx", "eda"))
    assert awx == eda == ["alibaba_cloud.yml", "huawei_cloud.yml"]


@pytest.mark.parametrize("name", ["alibaba_cloud", "huawei_cloud"])
def test_the_eda_credential_types_inject_what_the_awx_ones_do(name):
    """One set of credentials serves jobs, inventories and activations: the same inputs and environment."""
    eda, awx = load("eda", name), load("awx", name)
    assert eda["inputs"] == awx["inputs"] and eda["injectors"] == awx["injectors"] and eda["injectors"]["env"]


@pytest.mark.parametrize("name", ["execution-environment.yml", "decision-environment.yml"])
def test_the_environment_examples_ask_for_the_ansible_core_the_collection_supports(name):
    """The examples' ansible-core bounds are the collection's own (requires_ansible)."""
    import re  # pylint: disable=import-outside-toplevel

    import yaml  # pylint: disable=import-outside-toplevel

    top = os.path.join(ROOT, os.pardir)
    with open(os.path.join(top, "meta", "runtime.yml"), encoding="utf-8") as handle:  # ">=2.16.0,<2.22.0"
        supported = re.sub(r"\.0(?=,|$)", "", yaml.safe_load(handle)["requires_ansible"].replace(" ", ""))
    with open(os.path.join(top, "docs", "examples", name), encoding="utf-8") as handle:
        asked = yaml.safe_load(handle)["dependencies"]["ansible_core"]["package_pip"].replace(" ", "")
    assert asked == "ansible-core" + supported, (asked, supported)


def test_the_awx_guide_lists_every_variable_the_credential_types_inject():
    """The guide's table of injected variables is the types' injectors, no more, no less."""
    import re  # pylint: disable=import-outside-toplevel

    with open(os.path.join(ROOT, os.pardir, "docs", "docsite", "rst", "awx.rst"), encoding="utf-8") as handle:
        text = handle.read()
    section = text[text.index("2. The credential types"):text.index("3. The project")]
    listed = set(re.findall(r"``([A-Z][A-Z0-9_]+)``", section))
    injected = {var for name in ("alibaba_cloud", "huawei_cloud") for var in load("awx", name)["injectors"]["env"]}
    assert listed == injected, (listed - injected, injected - listed)


def test_the_as_code_example_uses_the_shipped_types_and_one_credential_per_inventory_source():
    """docs/examples/awx-as-code.yml: the credential types read from the collection's own files (no copy to drift),
    one credential per inventory source, each naming a file the AWX guide shows, and both on the job template."""
    import yaml  # pylint: disable=import-outside-toplevel

    top = os.path.join(ROOT, os.pardir)
    with open(os.path.join(top, "docs", "examples", "awx-as-code.yml"), encoding="utf-8") as handle:
        play = yaml.safe_load(handle)[0]
    with open(os.path.join(top, "docs", "docsite", "rst", "awx.rst"), encoding="utf-8") as handle:
        guide = handle.read()
    tasks = {next(k for k in task if k.startswith("awx.awx.")): task for task in play["tasks"]}
    assert os.path.normpath(os.path.join(top, "docs", "examples", play["vars"]["credential_types"].replace(
        "{{ playbook_dir }}/", ""))) == os.path.normpath(os.path.join(ROOT, "awx", "credential_types"))
    for var, name in (("alibaba_type", "alibaba_cloud.yml"), ("huawei_type", "huawei_cloud.yml")):
        assert "credential_types ~ '/%s'" % name in play["vars"][var]
    sources = tasks["awx.awx.inventory_source"]["loop"]
    credentials = [item["name"] for item in tasks["awx.awx.credential"]["loop"]]
    assert sorted(source["credential"] for source in sources) == sorted(credentials)
    assert all(":caption: %s" % source["path"] in guide for source in sources)
    assert sorted(tasks["awx.awx.job_template"]["awx.awx.job_template"]["credentials"]) == sorted(credentials)
    assert tasks["awx.awx.credential"].get("no_log") is True
