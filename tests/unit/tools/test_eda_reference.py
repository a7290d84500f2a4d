# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's reference page is what its DOCUMENTATION says, and the site lists it."""

from __future__ import annotations

import os

import yaml

from ansible_collections.modelserving.cloud.tests.tools import eda_reference

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))


def test_the_committed_page_is_the_one_the_documentation_makes():
    with open(os.path.join(ROOT, "docs", "docsite", "rst", "service_status.rst"), encoding="utf-8") as handle:
        committed = handle.read()
    assert committed == eda_reference.page(ROOT), "run: python tests/tools/eda_reference.py > " \
                                                  "docs/docsite/rst/service_status.rst"


def test_every_option_is_on_the_page_with_its_default():
    page = eda_reference.page(ROOT)
    options = yaml.safe_load(eda_reference.strings(ROOT)["DOCUMENTATION"])["options"]
    assert options and all("   * - ``%s``" % name in page for name in options)
    assert "     - ``60``" in page and "     - (required)" in page and "``added, removed, status``" in page


def test_the_site_lists_the_page():
    with open(os.path.join(ROOT, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        sections = yaml.safe_load(handle)["sections"]
    assert any("service_status" in section["toctree"] for section in sections)
