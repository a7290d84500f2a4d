# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action plugin in front of each provider module: the check on the controller, then the module as ever."""

from __future__ import annotations

import importlib
import types

import pytest
from ansible.playbook.task import Task
from ansible.plugins.loader import action_loader

from ansible_collections.modelserving.cloud.plugins.module_utils.listing import PROVIDERS
from ansible_collections.modelserving.cloud.plugins.plugin_utils.provider_action import ProviderModuleAction

MODULE_RESULT = {"changed": False, "services": [], "total_count": 0, "invocation": {"module_args": {"tags": "a=b"}}}


def action(name: str, args: dict) -> tuple[ProviderModuleAction, list[dict]]:
    """The collection's action plugin for ``name``, on a task with ``args``; its module calls are recorded."""
    task = Task()
    task.action = "modelserving.cloud.%s" % name
    task.args = args
    connection = types.SimpleNamespace(has_native_async=False, _shell=types.SimpleNamespace(tmpdir=None))
    plugin = action_loader.get(task.action, task=task, connection=connection, play_context=None, loader=None,
                               templar=None, shared_loader_obj=None)
    assert isinstance(plugin, ProviderModuleAction)
    calls: list[dict] = []

    def execute_module(**kwargs):
        calls.append(kwargs)
        return dict(MODULE_RESULT)

    plugin._execute_module = execute_module  # pylint: disable=protected-access
    plugin._remove_tmp_path = lambda path: None  # pylint: disable=protected-access
    return plugin, calls


@pytest.mark.parametrize("name, provider", [("pai_eas_service_info", "pai_eas"),
                                            ("modelarts_service_info", "modelarts"),
                                            ("dataarts_fabric_service_info", "dataarts_fabric")])
def test_each_info_module_has_the_action_of_its_provider(name, provider):
    module = importlib.import_module("ansible_collections.modelserving.cloud.plugins.action.%s" % name)
    assert module.ActionModule.PROVIDER is PROVIDERS[provider]
    assert issubclass(module.ActionModule, ProviderModuleAction)


def test_a_dictionary_for_a_string_filter_fails_before_the_module_runs():
    plugin, calls = action("modelarts_service_info", {"tags": {"app": "chat"}, "region": "cn-north-4"})
    result = plugin.run(task_vars={})
    assert result["failed"] is True and not calls
    assert ("modelserving.cloud.modelarts_service_info: filter tags takes a string, not a dictionary "
            "({'app': 'chat'})") in result["msg"]
    assert "Give tags as the API's own string" in result["msg"] and result["error"]["hint"]


def test_a_list_for_a_path_parameter_fails_too():
    plugin, calls = action("dataarts_fabric_service_info", {"workspace_id": ["a", "b"]})
    result = plugin.run(task_vars={})
    assert result["failed"] is True and not calls and "filter workspace_id takes a string, not a list" in result["msg"]


def test_good_options_run_the_module_and_return_its_result():
    plugin, calls = action("pai_eas_service_info", {"label": {"app": "chat"}, "filter": "chat"})
    result = plugin.run(task_vars={"x": 1})
    assert calls == [{"task_vars": {"x": 1}, "wrap_async": False}]
    assert not result.get("failed") and result["invocation"] == MODULE_RESULT["invocation"]
    assert result["services"] == [] and result["total_count"] == 0
