# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service_info action against the emulator, started in this process on 127.0.0.1: every source listed once,
host names as the inventory gives them, failed sources strict or skipped, configuration errors as a failed result,
and no credential in any result."""

from __future__ import annotations

import json
import types

import pytest

from ansible_collections.modelserving.cloud.plugins.action import service_info as service_info_action
from ansible_collections.modelserving.cloud.plugins.action.service_info import ActionModule
from ansible_collections.modelserving.cloud.plugins.module_utils.records import default_host_names
from ansible_collections.modelserving.cloud.tests.unit.plugins.action.conftest import (
    HUAWEI_SK,
    SK,
    WRONG_SK,
    modelarts,
    pai_eas,
    run_action,
)


def run(**args):
    """Run the action as a task would, on the controller: a task with these arguments, no connection needed."""
    return run_action(ActionModule, "modelserving.cloud.service_info", dict(args, max_retries=0))


@pytest.fixture
def printed(monkeypatch):
    """The lines the action prints through the display, in order."""
    lines = []
    monkeypatch.setattr(service_info_action, "display", types.SimpleNamespace(display=lines.append))
    return lines


def test_every_source_is_listed_once_with_the_inventory_host_names(emulator):
    # The same PAI-EAS account twice (an overlap) and ModelArts: each service comes back once.
    result = run(sources=[pai_eas(emulator), modelarts(emulator), pai_eas(emulator)])
    assert not result.get("failed") and result["changed"] is False and result["failed_sources"] == []
    services = result["services"]
    expected = {("pai_eas", s["ServiceId"]) for s in emulator.pai_eas_services("cn-hangzhou")}
    expected |= {("modelarts", s["service_id"]) for s in emulator.huawei.modelarts_services("cn-north-4")
                 if s["workspace_id"] == "0"}  # ModelArts lists the default workspace unless told otherwise
    assert sorted((s["provider"], s["service_id"]) for s in services) == sorted(expected)
    assert result["total_count"] == len(services) == len(expected)
    assert [s["host"] for s in services] == default_host_names(services)
    assert len({s["host"] for s in services}) == len(services)


def test_remote_text_comes_back_as_it_is(emulator):
    """The hostile fleet's names, templates included, arrive as the cloud sent them, never rendered."""
    names = {s["ServiceName"] for s in emulator.pai_eas_services("cn-hangzhou")}
    assert any("{{" in name for name in names)
    result = run(sources=[pai_eas(emulator)])
    assert {s["service_name"] for s in result["services"]} == names


def test_filters_reach_the_cloud(emulator):
    wanted = emulator.pai_eas_services("cn-hangzhou")[0]
    result = run(sources=[pai_eas(emulator, filters={"service_name": wanted["ServiceName"]})])
    assert [s["service_id"] for s in result["services"]] == [
        s["ServiceId"] for s in emulator.pai_eas_services("cn-hangzhou") if s["ServiceName"] == wanted["ServiceName"]]


def test_a_failed_source_fails_the_task_by_default_and_names_no_secret(emulator):
    result = run(sources=[pai_eas(emulator, access_key_secret=WRONG_SK), modelarts(emulator)])
    assert result["failed"] is True and "services" not in result
    assert result["msg"].startswith("1 of 2 source regions failed: source 0 (pai_eas): ")
    assert "SignatureDoesNotMatch" in result["msg"]
    failure, = result["failed_sources"]
    assert (failure["source"], failure["provider"], failure["region"], failure["endpoint"]) == (
        0, "pai_eas", "cn-hangzhou", emulator.base_url)
    assert WRONG_SK not in json.dumps(result, default=str) and HUAWEI_SK not in json.dumps(result, default=str)


def test_a_failed_source_is_skipped_with_a_warning_when_not_strict(emulator):
    result = run(sources=[pai_eas(emulator, access_key_secret=WRONG_SK), modelarts(emulator)], strict_sources=False)
    assert not result.get("failed") and [f["source"] for f in result["failed_sources"]] == [0]
    assert result["services"] and {s["provider"] for s in result["services"]} == {"modelarts"}
    assert result["total_count"] == len(result["services"])
    assert "1 of 2 source regions failed and were skipped (failed_sources says which)" in result["warnings"]


def test_no_credential_in_a_successful_result(emulator):
    result = run(sources=[pai_eas(emulator), modelarts(emulator)])
    text = json.dumps(result, default=str)
    assert result["services"] and SK not in text and HUAWEI_SK not in text


@pytest.mark.parametrize("args, text", [
    ({}, "modelserving.cloud.service_info: sources is required: a list of sources"),
    ({"sources": "pai_eas"}, "sources must be a list of sources, not a string"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou", "access_key_secret": SK, "colour": "red"}]},
     "sources[0] (pai_eas): unknown key(s) colour"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou"}], "regions": ["cn-hangzhou"]},
     "unknown key(s) regions (did you mean sources[].regions?)"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou"}], "strict_sources": "maybe"},
     "modelserving.cloud.service_info: strict_sources must be true or false"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou"}], "wait_timeout": 5},
     "modelserving.cloud.service_info: wait_timeout without wait_for"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou"}], "wait_for": {"status": "running"},
      "wait_interval": 0}, "modelserving.cloud.service_info: wait_interval is 0; allowed: at least 1"),
    ({"sources": [{"provider": "pai_eas", "region": "cn-hangzhou"}], "wait_for": {"stauts": "running"}},
     "modelserving.cloud.service_info: wait_for: unknown key(s) stauts (did you mean status?)"),
])
def test_configuration_errors_are_a_failed_result_not_a_traceback(args, text):
    result = run(**args)
    assert result["failed"] is True and text in result["msg"] and SK not in result["msg"]
    assert "services" not in result


def named(emulator, status):
    """A PAI-EAS service of the emulator with a plain name and this status (as the API spells it)."""
    return next(s for s in emulator.pai_eas_services("cn-hangzhou")
                if s["Status"] == status and s["ServiceName"].replace("_", "").isalnum())


def test_a_wait_that_holds_at_once_lists_once_and_prints_nothing(emulator, printed):
    service = named(emulator, "Running")
    result = run(sources=[pai_eas(emulator, filters={"service_name": service["ServiceName"]})],
                 wait_for={"status": "running"}, wait_interval=1, wait_timeout=30)
    assert not result.get("failed") and result["polls"] == 1 and printed == []
    assert [s["service_id"] for s in result["services"]] == [service["ServiceId"]]


def test_the_wait_prints_what_is_missing_once_per_poll_until_the_service_runs(emulator, printed):
    service = named(emulator, "Creating")
    emulator.schedule([{"provider": "pai_eas", "service_id": service["ServiceId"], "status": "Running", "after": 1.5}])
    try:
        result = run(sources=[pai_eas(emulator, filters={"service_name": service["ServiceName"]})],
                     wait_for={"status": "running"}, wait_interval=1, wait_timeout=30)
    finally:
        emulator.schedule([{"provider": "pai_eas", "service_id": service["ServiceId"], "status": "Creating"}])
    assert not result.get("failed") and result["services"][0]["status"] == "running"
    assert 2 <= result["polls"] <= 4 and len(printed) == result["polls"] - 1  # none after the poll that ends it
    assert printed[0] == ("[ci] waiting for running, 0 of 30 s: 1 of 1 services are not running: %s.cn-hangzhou.pai_eas"
                          " (creating)" % service["ServiceName"])


def test_the_timeout_fails_with_what_is_missing_and_the_last_listing(emulator, printed):
    service = named(emulator, "Running")
    result = run(sources=[pai_eas(emulator, filters={"service_name": service["ServiceName"]})],
                 wait_for={"status": "stopped", "min_count": 2}, wait_interval=1, wait_timeout=1)
    assert result["failed"] is True and result["polls"] == 2 and len(printed) == 1
    assert result["msg"] == (
        "modelserving.cloud.service_info: after 1 s, still 1 of 1 services are not stopped: %s.cn-hangzhou.pai_eas "
        "(running); 1 service is found, at least 2 must be" % service["ServiceName"])
    assert [s["service_id"] for s in result["services"]] == [service["ServiceId"]] and result["total_count"] == 1


def test_a_source_that_cannot_be_listed_is_waited_for_even_when_strict(emulator, printed):
    result = run(sources=[pai_eas(emulator, access_key_secret=WRONG_SK)], wait_for={"status": "running"},
                 wait_interval=1, wait_timeout=0)
    assert result["failed"] is True and result["polls"] == 1 and printed == []
    assert result["msg"].startswith("modelserving.cloud.service_info: after 0 s, still 0 services are found, at "
                                    "least 1 must be; 1 source region was not listed: source 0 (pai_eas, cn-hangzhou)")
    assert result["services"] == [] and [f["source"] for f in result["failed_sources"]] == [0]
    assert WRONG_SK not in json.dumps(result, default=str)


def test_a_source_the_listing_refuses_ends_the_wait_at_once(emulator, printed):
    """A bad JMESPath query is found only when the listing runs: the wait fails at the first poll, not the timeout."""
    result = run(sources=[pai_eas(emulator)], query="[?", wait_for={"status": "running"}, wait_interval=1,
                 wait_timeout=60)
    assert result["failed"] is True and result["polls"] == 1 and printed == []
    assert "1 of 1 source regions failed" in result["msg"]
    assert all("_fatal" not in failure for failure in result["failed_sources"])
