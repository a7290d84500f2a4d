# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unsafe marking: only strings that could be templates, recursively; nothing on data-tagging cores."""

from __future__ import annotations

from ansible_collections.modelserving.cloud.plugins.plugin_utils import unsafe


class Marked(str):
    """Stands for what wrap_var returns, so the test sees which values were wrapped."""


def test_only_template_like_strings_are_wrapped(monkeypatch):
    monkeypatch.setattr(unsafe, "DATA_TAGGING", False)
    monkeypatch.setattr(unsafe, "wrap_var", Marked)
    data = unsafe.make_unsafe({"name": "{{ lookup('pipe', 'id') }}", "plain": "echo", "n": 3, "brace": "a}",
                               "labels": [{"v": "{% raw %}"}, {"v": "ok"}], "t": ("{x",)})
    assert isinstance(data["name"], Marked) and isinstance(data["brace"], Marked)
    assert not isinstance(data["plain"], Marked) and data["n"] == 3
    assert isinstance(data["labels"][0]["v"], Marked) and not isinstance(data["labels"][1]["v"], Marked)
    assert isinstance(data["t"], tuple) and isinstance(data["t"][0], Marked)


def test_nothing_changes_with_data_tagging(monkeypatch):
    monkeypatch.setattr(unsafe, "DATA_TAGGING", True)
    value = {"name": "{{ x }}"}
    assert unsafe.make_unsafe(value) is value


def test_the_running_core_decides():
    assert unsafe.DATA_TAGGING == (tuple(int(p) for p in unsafe.ANSIBLE_VERSION.split(".")[:2]) >= (2, 19))
