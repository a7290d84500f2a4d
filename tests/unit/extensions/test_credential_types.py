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
