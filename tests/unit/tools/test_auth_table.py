# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The credential tables of the docs are what tests/tools/auth_table.py writes from the option declarations."""

from __future__ import annotations

import os
import re

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import modelarts, pai_eas
from ansible_collections.modelserving.cloud.tests.tools import auth_table

GUIDE = os.path.join(auth_table.DOCS, "authentication.rst")


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_the_committed_tables_are_the_generated_ones():
    """Run ``python tests/tools/auth_table.py`` after changing an option, its env vars or its fragment."""
    tables = auth_table.tables()
    stale = [name for name in sorted(os.listdir(auth_table.DOCS)) if name.endswith(".rst")
             and auth_table.update(read(os.path.join(auth_table.DOCS, name)), tables) != read(
                 os.path.join(auth_table.DOCS, name))]
    assert stale == []


def test_the_guide_has_a_table_per_cloud_with_every_option_and_env_var():
    text = read(GUIDE)
    blocks = {match.group(2): match.group(3) for match in auth_table.BLOCK.finditer(text)}
    assert set(blocks) == {"pai_eas", "modelarts"}
    for name, provider in (("pai_eas", pai_eas), ("modelarts", modelarts)):
        rows = re.findall(r"^   \* - ``(\w+)``$", blocks[name], re.M)
        assert rows == list(provider.AUTH_OPTIONS), name
        for option in provider.AUTH_OPTIONS.values():
            for env in option.get("env") or ():
                assert "``%s``" % env in blocks[name], env


def test_a_table_edited_by_hand_or_a_new_option_is_caught():
    tables = auth_table.tables()
    text = read(GUIDE)
    edited = text.replace("``ALIBABA_CLOUD_ROLE_ARN``", "``ALIBABA_ROLE_ARN``", 1)
    assert edited != text and auth_table.update(edited, tables) == text
    options = dict(pai_eas.AUTH_OPTIONS, new_option={"env": ["ALIBABA_CLOUD_NEW"], "no_log": True})
    docs = dict(auth_table.declarations()["pai_eas"][1], new_option={"description": ["A new O(option)."]})
    grown = auth_table.update(text, dict(tables, pai_eas=auth_table.table(options, docs)))
    row = "   * - ``new_option``\n     - ``ALIBABA_CLOUD_NEW``\n     - ``str``, secret\n     - A new ``option``.\n"
    assert row in grown and row not in text


def test_markup_becomes_rst():
    assert auth_table.rst("O(a=b), C(c), V(x(y)), E(ENV), M(ns.c.m) and I(it)") == \
        "``a=b``, ``c``, ``x(y)``, ``ENV``, ``ns.c.m`` and *it*"
