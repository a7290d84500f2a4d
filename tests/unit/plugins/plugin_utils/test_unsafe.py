# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unsafe marking: only strings that could be templates, recursively; nothing on data-tagging cores."""

from __future__ import annotations

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.modelserving.cloud.plugins.plugin_utils import unsafe

try:
    from ansible.template import trust_as_template
except ImportError:  # before ansible-core 2.19 every string written in a playbook may be a template
    def trust_as_template(value):
        return value


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


def test_other_types_take_the_general_path(monkeypatch):
    """Exact str, dict and list take a fast path; subclasses, sets and bytes are marked as before."""
    monkeypatch.setattr(unsafe, "DATA_TAGGING", False)
    monkeypatch.setattr(unsafe, "wrap_var", Marked)

    class Text(str):
        pass

    class Mapping(dict):
        pass

    data = unsafe.make_unsafe([Text("{x"), Text("x"), Mapping(k="}"), {"{s"}, b"{b", 1.5, None, True])
    assert isinstance(data[0], Marked) and not isinstance(data[1], Marked)
    assert isinstance(data[2]["k"], Marked)
    assert all(isinstance(item, Marked) for item in data[3]) and data[4] == "{b" and isinstance(data[4], Marked)
    assert data[5:] == [1.5, None, True]


def test_nothing_changes_with_data_tagging(monkeypatch):
    monkeypatch.setattr(unsafe, "DATA_TAGGING", True)
    value = {"name": "{{ x }}"}
    assert unsafe.make_unsafe(value) is value


def test_on_the_running_core_a_template_in_remote_data_is_never_rendered():
    """Whatever the core: before 2.19 the marking keeps Templar off, from 2.19 on remote data is untrusted."""
    templar = Templar(loader=DataLoader())
    data = unsafe.make_unsafe({"name": "{{ 7 * 6 }}", "labels": [{"value": "{% if true %}yes{% endif %}"}]})
    rendered = templar.template(data)
    assert rendered["name"] == "{{ 7 * 6 }}"
    assert rendered["labels"][0]["value"] == "{% if true %}yes{% endif %}"
    assert templar.template(trust_as_template("{{ 7 * 6 }}")) in ("42", 42)  # the same Templar renders trusted text
