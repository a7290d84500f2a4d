# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet_report_files action: the files the formats name, as the fleet_report filter writes them, in one task on
the controller; nothing in check mode; an unchanged file left alone; wrong arguments refused."""

from __future__ import annotations

import datetime
import json
import os
import stat

from ansible_collections.modelserving.cloud.plugins.action.fleet_report_files import ActionModule
from ansible_collections.modelserving.cloud.plugins.action.service_info import ActionModule as ServiceInfo
from ansible_collections.modelserving.cloud.plugins.filter.fleet_report import fleet_report
from ansible_collections.modelserving.cloud.plugins.plugin_utils import fleet_report as report_pages
from ansible_collections.modelserving.cloud.tests.unit.plugins.action.conftest import (
    HUAWEI_SK,
    SK,
    WRONG_SK,
    modelarts,
    pai_eas,
    run_action,
)

SERVICES = [
    {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "a", "service_name": "{{ 7 * 6 }}",
     "status": "failed", "endpoint": None, "updated_at": "2024-01-02T03:04:05Z", "labels": {}},
    {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "b", "service_name": "ok", "status": "running",
     "endpoint": "https://e/ok", "updated_at": "2024-01-02T03:04:05Z", "labels": {}},
]


def run(check_mode=False, **args):
    """Run the action as a task would, on the controller."""
    return run_action(ActionModule, "modelserving.cloud.fleet_report_files", args, check_mode)


def test_every_format_written_once_then_left_alone(tmp_path, monkeypatch):
    # The pages say when the services were listed: the same moment for both runs, as within one second.
    moment = datetime.datetime(2026, 12, 6, 8, 2, 11, tzinfo=datetime.timezone.utc)
    monkeypatch.setattr(report_pages, "utc_now", lambda: moment)
    folder = str(tmp_path / "report")
    result = run(services=SERVICES, dir=folder, title="Fleet")
    names = ["report.html", "report.md", "services.json", "services.csv"]
    assert not result.get("failed") and result["changed"] is True
    assert result["files"] == result["written"] == [os.path.join(folder, name) for name in names]
    assert sorted(os.listdir(folder)) == sorted(names)  # no temporary file left behind
    with open(os.path.join(folder, "services.json"), encoding="utf-8") as handle:
        assert json.load(handle) == SERVICES
    with open(os.path.join(folder, "report.md"), encoding="utf-8") as handle:
        markdown = handle.read()
    assert markdown.startswith("# Fleet\n") and "\n2 services, listed 2026-12-06T08:02:11Z" in markdown
    assert stat.S_IMODE(os.stat(os.path.join(folder, "report.html")).st_mode) == 0o644
    with open(os.path.join(folder, "services.csv"), encoding="utf-8", newline="") as handle:
        assert handle.read() == fleet_report(SERVICES, "csv")
    again = run(services=SERVICES, dir=folder, title="Fleet", formats=["markdown", "csv"])
    assert again["changed"] is False and again["written"] == [] and len(again["files"]) == 2


def test_check_mode_writes_nothing(tmp_path):
    folder = str(tmp_path / "report")
    result = run(check_mode=True, services=SERVICES, dir=folder, formats=["csv"])
    assert result["changed"] is True and result["written"] == [os.path.join(folder, "services.csv")]
    assert not os.path.exists(folder)


def test_only_the_formats_asked_for(tmp_path):
    result = run(services=SERVICES, dir=str(tmp_path), formats=["csv"])
    assert os.listdir(str(tmp_path)) == ["services.csv"] and result["changed"] is True


def test_wrong_arguments_are_refused(tmp_path):
    assert "services must be" in run(services={"a": 1}, dir=str(tmp_path))["msg"]
    assert "dir must name" in run(services=SERVICES, dir="")["msg"]
    assert "formats must be" in run(services=SERVICES, dir=str(tmp_path), formats=["pdf"])["msg"]
    assert "give either services" in run(services=SERVICES, sources=[{"provider": "pai_eas"}],
                                         dir=str(tmp_path))["msg"]
    assert "give either services" in run(dir=str(tmp_path))["msg"]
    assert "unknown option(s) source;" in run(source=[], services=SERVICES, dir=str(tmp_path))["msg"]
    assert "strict_sources must be" in run(sources=[{}], strict_sources="no", dir=str(tmp_path))["msg"]
    assert os.listdir(str(tmp_path)) == []


def test_a_later_listing_rewrites_the_pages_that_say_when_it_was(tmp_path, monkeypatch):
    folder = str(tmp_path / "report")
    for second, changed in ((11, True), (12, True)):
        moment = datetime.datetime(2026, 12, 6, 8, 2, second, tzinfo=datetime.timezone.utc)
        monkeypatch.setattr(report_pages, "utc_now", lambda moment=moment: moment)
        result = run(services=SERVICES, dir=folder, formats=["markdown", "csv"])
        assert result["changed"] is changed
    assert result["written"] == [os.path.join(folder, "report.md")]  # the CSV holds no time: left alone


def test_sources_listed_in_the_task_the_records_service_info_returns(emulator, tmp_path):
    sources = [pai_eas(emulator, max_retries=0), modelarts(emulator, max_retries=0)]
    result = run(sources=sources, dir=str(tmp_path), formats=["json", "markdown"], title="Both")
    assert not result.get("failed") and result["failed_sources"] == [] and "warnings" not in result
    listed = run_action(ServiceInfo, "modelserving.cloud.service_info", {"sources": sources})["services"]
    with open(os.path.join(str(tmp_path), "services.json"), encoding="utf-8") as handle:
        assert json.load(handle) == json.loads(json.dumps(listed)) and len(listed) == result["total_count"] > 6
    with open(os.path.join(str(tmp_path), "report.md"), encoding="utf-8") as handle:
        assert "%d services from 2 sources" % len(listed) in handle.read()
    assert "services" not in result  # the records never pass through the task's result
    assert SK not in json.dumps(result) and HUAWEI_SK not in json.dumps(result)


def test_a_source_that_cannot_be_listed_fails_and_writes_nothing_unless_not_strict(emulator, tmp_path):
    sources = [pai_eas(emulator, access_key_secret=WRONG_SK, max_retries=0), modelarts(emulator, max_retries=0)]
    folder = str(tmp_path / "report")
    failed = run(sources=sources, dir=folder)
    assert failed["failed"] is True and failed["msg"].startswith("1 of 2 source regions failed: source 0 (pai_eas)")
    assert not os.path.exists(folder) and WRONG_SK not in json.dumps(failed)
    skipped = run(sources=sources, dir=folder, strict_sources=False, formats=["csv"])
    assert not skipped.get("failed") and [f["source"] for f in skipped["failed_sources"]] == [0]
    assert skipped["warnings"][-1].startswith("1 of 2 source regions failed and were skipped")
    assert os.listdir(folder) == ["services.csv"] and skipped["total_count"] > 0


def test_a_wrong_source_is_the_shared_core_s_message(tmp_path):
    result = run(sources=[{"provider": "pai_eas", "regions": ["cn-hangzhou"], "filter": {}}], dir=str(tmp_path))
    assert result["failed"] is True and "sources[0]" in result["msg"] and "filters" in result["msg"]
    assert os.listdir(str(tmp_path)) == []
