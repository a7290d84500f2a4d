# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's PAI-EAS lifecycle: each call as the SDK names it, strict bodies, and changes that take time."""

from __future__ import annotations

import json
import threading

import pytest

from ansible_collections.modelserving.cloud.tests.emulator.eas_lifecycle import EasLifecycle
from ansible_collections.modelserving.cloud.tests.emulator.pai_eas import EasError

REGION = "cn-hangzhou"
CONFIG = {"name": "chat", "metadata": {"instance": 2, "cpu": 2}, "containers": [{"image": "r/chat:1"}]}


@pytest.fixture
def eas():
    fleet: list = []
    lifecycle = EasLifecycle(lambda region: fleet, lambda: "http://127.0.0.1", threading.Lock())
    lifecycle.seconds = 0.0  # every change is due at the next call
    lifecycle.fleet_list = fleet
    return lifecycle


def call(eas, method, path, action, body=None, query=""):
    payload = json.dumps(body).encode() if body is not None else b""
    return eas.handle(method, path, query, payload, REGION, action)


def describe(eas, name="chat"):
    return call(eas, "GET", "/api/v2/services/%s/%s" % (REGION, name), "DescribeService")[1]


def test_create_then_running_with_its_labels_and_workspace(eas):
    status, reply = call(eas, "POST", "/api/v2/services", "CreateService", CONFIG,
                         "WorkspaceId=123&Labels=%7B%22env%22%3A%22dev%22%7D")
    assert status == 200 and reply["Status"] == "Creating" and reply["ServiceName"] == "chat"
    service = describe(eas)
    assert service["Status"] == "Running" and service["RunningInstance"] == 2 and service["WorkspaceId"] == "123"
    assert service["Labels"] == [{"LabelKey": "env", "LabelValue": "dev"}]
    assert json.loads(service["ServiceConfig"]) == CONFIG


def test_scale_stop_start_restart_label_delete(eas):
    call(eas, "POST", "/api/v2/services", "CreateService", CONFIG)
    base = "/api/v2/services/%s/chat" % REGION
    describe(eas)
    call(eas, "PUT", base, "UpdateService", {"metadata": {"instance": 3}}, "UpdateType=merge")
    scaled = describe(eas)
    assert scaled["TotalInstance"] == 3 and json.loads(scaled["ServiceConfig"])["containers"] == CONFIG["containers"]
    call(eas, "PUT", base + "/stop", "StopService")
    assert describe(eas)["Status"] == "Stopped"
    call(eas, "PUT", base + "/start", "StartService")
    assert describe(eas)["Status"] == "Running"
    call(eas, "PUT", base + "/restart", "RestartService")
    assert describe(eas)["Status"] == "Running"
    call(eas, "PUT", base + "/label", "UpdateServiceLabel", {"Labels": {"a": "1", "b": "2"}})
    call(eas, "DELETE", base + "/label", "DeleteServiceLabel", query="Keys=a")
    assert describe(eas)["Labels"] == [{"LabelKey": "b", "LabelValue": "2"}]
    call(eas, "DELETE", base, "DeleteService")
    with pytest.raises(EasError) as info:
        describe(eas)
    assert (info.value.status, info.value.code) == (404, "InvalidService.NotFound")


def test_a_crashing_image_fails_with_its_reason(eas):
    call(eas, "POST", "/api/v2/services", "CreateService", dict(CONFIG, containers=[{"image": "r/crashloop:1"}]))
    service = describe(eas)
    assert service["Status"] == "Failed" and service["Reason"] == "ContainerCrashLoop" and service["Message"]


def test_changes_take_their_time(eas):
    eas.seconds = 60.0
    call(eas, "POST", "/api/v2/services", "CreateService", CONFIG)
    assert describe(eas)["Status"] == "Creating"
    with pytest.raises(EasError, match="is Creating"):
        call(eas, "PUT", "/api/v2/services/%s/chat/stop" % REGION, "StopService")


@pytest.mark.parametrize("method, path, action, body, query, code", [
    ("POST", "/api/v2/services", "CreateService", {"metadata": {"instance": 1}}, "", "InvalidParameter"),
    ("POST", "/api/v2/services", "CreateService", {"name": "Bad-Name", "metadata": {"instance": 1}}, "",
     "InvalidParameter"),
    ("POST", "/api/v2/services", "CreateService", {"name": "x", "metadata": {"instance": "2"}}, "",
     "InvalidParameter"),
    ("POST", "/api/v2/services", "CreateService", CONFIG, "Labels=notjson", "InvalidParameter"),
    ("POST", "/api/v2/services", "ListServices", CONFIG, "", "InvalidAction.Mismatch"),
    ("GET", "/api/v2/services/cn-hangzhou/none", "DescribeService", None, "", "InvalidService.NotFound"),
    ("GET", "/api/v2/services/cn-shanghai/none", "DescribeService", None, "", "InvalidParameter"),
])
def test_refuses_what_the_cloud_refuses(eas, method, path, action, body, query, code):
    with pytest.raises(EasError) as info:
        call(eas, method, path, action, body, query)
    assert info.value.code == code


def test_a_safety_lock_refuses_stop_and_delete(eas):
    call(eas, "POST", "/api/v2/services", "CreateService", CONFIG)
    describe(eas)
    eas.fleet_list[0]["SafetyLock"] = "dangerous"
    for verb, action in (("/stop", "StopService"), ("", "DeleteService")):
        with pytest.raises(EasError) as info:
            call(eas, "PUT" if verb else "DELETE", "/api/v2/services/%s/chat%s" % (REGION, verb), action)
        assert info.value.code == "Forbidden.SafetyLock"
    call(eas, "PUT", "/api/v2/services/%s/chat" % REGION, "UpdateService", {"metadata": {"instance": 1}})
