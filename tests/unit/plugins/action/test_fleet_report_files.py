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
import types

from ansible_collections.modelserving.cloud.plugins.action.fleet_report_files import ActionModule
from ansible_collections.modelserving.cloud.plugins.filter.fleet_report import fleet_report
from ansible_collections.modelserving.cloud.plugins.plugin_utils import fleet_report as report_pages

SERVICES = [
    {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "a", "service_name": "{{ 7 * 6 }}",
     "status": "failed", "endpoint": None, "updated_at": "2024-01-02T03:04:05Z", "labels": {}},
    {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "b", "service_name": "ok", "status": "running",
     "endpoint": "https://e/ok", "updated_at": "2024-01-02T03:04:05Z", "labels": {}},
]


def run(check_mode=False, **args):
    """Run the action as a task would, on the controller."""
    task = types.SimpleNamespace(args=args, async_val=0, check_mode=check_mode,
                                 action="modelserving.cloud.fleet_report_files")
    connection = types.SimpleNamespace(_shell=types.SimpleNamespace(tmpdir=None))
    action = ActionModule(task, connection, play_context=None, loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "localhost"})


def test_every_format_written_once_then_left_alone(tmp_path, monkeypatch):
    # The pages say when the services were listed: the same moment for both runs, as within one second.
    moment = datetime.datetime(2026, 12, 6, 8, 2, 11, tzinfo=datetime.timezone.utc)
    monkeypatch.setattr(report_pages, "utc_now", lambda: moment)
    folder = str(tmp_path / "report")
    result = run(services=SERVICES, dir=folder, title="Fleet", sources=2)
    names = ["report.html", "report.md", "services.json", "services.csv"]
    assert not result.get("failed") and result["changed"] is True
    assert result["files"] == result["written"] == [os.path.join(folder, name) for name in names]
    assert sorted(os.listdir(folder)) == sorted(names)  # no temporary file left behind
    with open(os.path.join(folder, "services.json"), encoding="utf-8") as handle:
        assert json.load(handle) == SERVICES
    with open(os.path.join(folder, "report.md"), encoding="utf-8") as handle:
        markdown = handle.read()
    assert markdown.startswith("# Fleet\n") and "2 services from 2 sources" in markdown
    assert stat.S_IMODE(os.stat(os.path.join(folder, "report.html")).st_mode) == 0o644
    with open(os.path.join(folder, "services.csv"), encoding="utf-8", newline="") as handle:
        assert handle.read() == fleet_report(SERVICES, "csv")
    again = run(services=SERVICES, dir=folder, title="Fleet", sources=2, formats=["markdown", "csv"])
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
    assert "sources must be" in run(services=SERVICES, dir=str(tmp_path), sources="many")["msg"]
    assert os.listdir(str(tmp_path)) == []


def test_a_later_listing_rewrites_the_pages_that_say_when_it_was(tmp_path, monkeypatch):
    folder = str(tmp_path / "report")
    for second, changed in ((11, True), (12, True)):
        moment = datetime.datetime(2026, 12, 6, 8, 2, second, tzinfo=datetime.timezone.utc)
        monkeypatch.setattr(report_pages, "utc_now", lambda moment=moment: moment)
        result = run(services=SERVICES, dir=folder, formats=["markdown", "csv"])
        assert result["changed"] is changed
    assert result["written"] == [os.path.join(folder, "report.md")]  # the CSV holds no time: left alone
