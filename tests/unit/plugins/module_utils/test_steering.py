# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared converge step with the PAI-EAS adapter, against the emulator's PAI-EAS lifecycle in this process (HTTP
stubbed at the transport, time on a fake clock)."""

from __future__ import annotations

import json
import threading

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import MASK
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas, pai_eas_lifecycle
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import Converge, Task
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Reply
from ansible_collections.modelserving.cloud.plugins.module_utils.waiting import WaitTimeout
from ansible_collections.modelserving.cloud.tests.emulator import eas_lifecycle
from ansible_collections.modelserving.cloud.tests.emulator.pai_eas import EasError
from ansible_collections.modelserving.cloud.tests.unit.fakes import Clock

REGION = "cn-hangzhou"
CONFIG = {"metadata": {"instance": 2, "cpu": 2}, "containers": [{"image": "r/chat:1", "env": [
    {"name": "HF_TOKEN", "value": "hf_secret"}]}]}


class Cloud:
    """The emulator's PAI-EAS lifecycle behind a transport: records every call, answers as the cloud."""

    def __init__(self, monkeypatch, seconds=2.0):
        self.clock = Clock()
        monkeypatch.setattr(eas_lifecycle.time, "monotonic", self.clock)
        self.fleet = []
        self.eas = eas_lifecycle.EasLifecycle(lambda region: self.fleet, lambda: "http://127.0.0.1",
                                              threading.Lock())
        self.eas.seconds = seconds
        self.calls = []

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        action = (headers or {}).get("x-acs-action")
        self.calls.append((action, method, path, query, body))
        try:
            status, data = self.eas.handle(method, path, query, body, REGION, action)
        except EasError as err:
            raise ApiError(err.message, provider="pai_eas", region=REGION, operation=ctx.operation,
                           status=err.status, code=err.code) from None
        return Reply(status, {}, data)

    def writes(self):
        return [call for call in self.calls if call[0] != "DescribeService"]


def converge(cloud, check_mode=False, wait=True, timeout=600.0, **task):
    task = Task(**dict({"name": "chat", "state": "present"}, **task))
    steer = Converge(pai_eas, pai_eas_lifecycle, {"region": REGION}, task, cloud, object(), "https://h", timeout,
                     clock=cloud.clock, sleep=cloud.clock.sleep)
    return steer.run(check_mode, wait)


@pytest.fixture
def cloud(monkeypatch):
    return Cloud(monkeypatch)


def test_create_waits_until_running_and_returns_the_masked_record(cloud):
    started = cloud.clock.now
    result = converge(cloud, config=CONFIG, labels={"env": "dev"}, extra={"workspace_id": "123"})
    assert result["changed"] and result["actions"] == ["create"]
    action, method, path, query, body = cloud.writes()[0]
    assert (action, method, path) == ("CreateService", "POST", "/api/v2/services")
    assert query == "Labels=%7B%22env%22%3A%22dev%22%7D&WorkspaceId=123"
    assert json.loads(body) == dict(CONFIG, name="chat")
    service = result["service"]
    assert service["status"] == "running" and service["running_instance"] == 2 and service["labels"] == {"env": "dev"}
    assert "hf_secret" not in json.dumps(result) and MASK in service["service_config"]
    assert cloud.clock.now - started <= 3.0  # a 2-second change is seen within about 3 s
    assert result["diff"]["before"] == {"state": "absent"} and result["diff"]["after"]["status"] == "running"


def test_a_second_run_and_check_mode_send_no_write(cloud):
    converge(cloud, config=CONFIG)
    cloud.calls.clear()
    again = converge(cloud, config=CONFIG)
    assert not again["changed"] and cloud.writes() == [] and again["diff"]["before"] == again["diff"]["after"]
    checked = converge(cloud, check_mode=True, config=dict(CONFIG, metadata={"instance": 4}))
    assert checked["changed"] and checked["actions"] == ["scale to 4"] and cloud.writes() == []
    assert checked["diff"]["before"]["replicas"] == 2 and checked["diff"]["after"]["config"]["metadata"] == {
        "instance": 4}
    assert checked["diff"]["after"]["config"]["containers"][0]["env"][0]["value"] == MASK


def test_scale_is_an_update_with_the_instance_count_alone(cloud):
    converge(cloud, config=CONFIG)
    cloud.calls.clear()
    result = converge(cloud, replicas=3)
    assert result["actions"] == ["scale to 3"] and result["service"]["total_instance"] == 3
    (action, method, path, query, body), = cloud.writes()
    assert (action, method, path, query, body) == ("UpdateService", "PUT", "/api/v2/services/cn-hangzhou/chat", "",
                                                   b'{"metadata":{"instance":3}}')


def test_stop_start_restart(cloud):
    converge(cloud, config=CONFIG)
    assert converge(cloud, state="stopped")["service"]["status"] == "stopped"
    assert not converge(cloud, state="stopped")["changed"]
    assert converge(cloud, state="started")["service"]["status"] == "running"
    assert not converge(cloud, state="started")["changed"]
    cloud.calls.clear()
    restarted = converge(cloud, state="restarted")
    assert restarted["changed"] and [c[0] for c in cloud.writes()] == ["RestartService"]


def test_labels_are_set_and_purged_only_when_asked(cloud):
    converge(cloud, config=CONFIG, labels={"a": "1", "b": "2"})
    cloud.calls.clear()
    assert not converge(cloud, labels={"a": "1"})["changed"]  # others are kept
    result = converge(cloud, labels={"a": "9"}, purge_labels=True)
    assert [c[0] for c in cloud.writes()] == ["UpdateServiceLabel", "DeleteServiceLabel"]
    assert cloud.writes()[1][3] == "Keys=b" and result["service"]["labels"] == {"a": "9"}


def test_delete_waits_until_gone_and_absent_twice_changes_nothing(cloud):
    converge(cloud, config=CONFIG)
    result = converge(cloud, state="absent")
    assert result["changed"] and result["service"] is None and cloud.fleet == []
    assert not converge(cloud, state="absent")["changed"]


def test_a_create_that_fails_names_the_reason(cloud):
    with pytest.raises(ApiError) as info:
        converge(cloud, config=dict(CONFIG, containers=[{"image": "r/crashloop:1"}]))
    assert "status Failed, reason ContainerCrashLoop: Back-off restarting failed container" in str(info.value)


def test_a_failed_service_can_be_restarted(cloud):
    converge(cloud, config=CONFIG)
    cloud.fleet[0].update(Status="Failed", Reason="OOMKilled", Message="out of memory")
    assert converge(cloud, state="restarted")["service"]["status"] == "running"


def test_wait_timeout_ends_on_time_naming_the_last_status(monkeypatch):
    cloud = Cloud(monkeypatch, seconds=3600)
    started = cloud.clock.now
    with pytest.raises(WaitTimeout) as info:
        converge(cloud, config=CONFIG, timeout=30)
    assert cloud.clock.now - started == pytest.approx(30)
    assert "not running within wait_timeout (30 s); last seen: status creating" in str(info.value)


def test_wait_false_returns_at_once(monkeypatch):
    cloud = Cloud(monkeypatch, seconds=3600)
    result = converge(cloud, config=CONFIG, wait=False)
    assert result["changed"] and result["service"]["status"] == "creating" and cloud.clock.now == 1000.0


def test_a_busy_service_is_waited_for_before_it_changes(cloud):
    converge(cloud, config=CONFIG, wait=False)
    result = converge(cloud, replicas=1)  # still creating: wait, then scale
    assert result["actions"] == ["scale to 1"] and result["service"]["total_instance"] == 1


@pytest.mark.parametrize("task, text", [
    ({"state": "started"}, "does not exist, so it cannot be started; nothing was created"),
    ({"state": "present"}, "creating it needs config"),
    ({"config": dict(CONFIG, name="other")}, "config names the service 'other', but name is 'chat'"),
])
def test_mistakes_send_nothing(cloud, task, text):
    with pytest.raises(ConfigError, match=text):
        converge(cloud, **task)
    assert cloud.writes() == []


def stopped_service(cloud):
    converge(cloud, config=CONFIG)
    converge(cloud, state="stopped")
    cloud.calls.clear()


@pytest.mark.parametrize("state, status, actions", [
    ("present", "stopped", ["scale to 3"]),  # a stopped service scaled stays stopped
    ("stopped", "stopped", ["scale to 3"]),
    ("started", "running", ["scale to 3", "start"]),
])
def test_a_stopped_service_changed_ends_as_the_state_says(cloud, state, status, actions):
    stopped_service(cloud)
    result = converge(cloud, state=state, replicas=3)
    assert result["actions"] == actions and result["service"]["status"] == status
    assert result["service"]["total_instance"] == 3


def test_absent_on_a_service_being_deleted_only_waits(cloud):
    converge(cloud, config=CONFIG)
    converge(cloud, state="absent", wait=False)
    cloud.calls.clear()
    result = converge(cloud, state="absent")
    assert not result["changed"] and cloud.writes() == [] and cloud.fleet == []


def test_a_404_that_names_another_code_is_an_error_not_a_missing_service(cloud):
    def wrong_endpoint(ctx, *args, **kwargs):
        raise ApiError("No such API", provider="pai_eas", operation=ctx.operation, status=404,
                       code="InvalidAction.NotFound")

    cloud.request = wrong_endpoint
    with pytest.raises(ApiError, match="No such API"):
        converge(cloud, state="absent")


def test_a_region_is_needed_to_name_the_service(cloud):
    task = Task(name="chat", state="absent")
    with pytest.raises(ConfigError, match="region needed to name the service"):
        Converge(pai_eas, pai_eas_lifecycle, {"endpoint": "https://h"}, task, cloud, object(), "https://h", 60.0)


def test_a_restart_that_may_have_been_done_is_waited_for_not_sent_again(cloud):
    converge(cloud, config=CONFIG)
    send = cloud.request

    def lost_reply(ctx, method, base_url, path, query, signer, body=b"", headers=None):
        reply = send(ctx, method, base_url, path, query, signer, body, headers)
        if (headers or {}).get("x-acs-action") == "RestartService":
            error = ApiError("no reply within 15 s", provider="pai_eas", operation=ctx.operation)
            error.maybe_done = True
            raise error
        return reply

    cloud.request = lost_reply
    result = converge(cloud, state="restarted")
    assert result["actions"] == ["restart"] and result["service"]["status"] == "running"
    assert [c[0] for c in cloud.writes()].count("RestartService") == 1


def test_check_mode_plans_from_where_a_busy_service_is_going(monkeypatch):
    cloud = Cloud(monkeypatch, seconds=3600)
    converge(cloud, config=CONFIG, wait=False)  # creating for an hour
    checked = converge(cloud, check_mode=True, state="started")
    assert not checked["changed"] and checked["actions"] == []


def test_a_busy_service_that_fails_while_waited_for_fails_the_task(cloud):
    converge(cloud, config=CONFIG)
    cloud.fleet[0].update(Status="Updating")

    def fail(service):
        service.update(Status="Failed", Reason="OOM", Message="killed")
        return False

    cloud.eas.later("cn-hangzhou", cloud.fleet[0], fail)
    with pytest.raises(ApiError, match="status Failed, reason OOM: killed"):
        converge(cloud, replicas=3)


def test_the_diff_shows_the_replicas_a_configuration_asks_for(cloud):
    converge(cloud, config=CONFIG)
    checked = converge(cloud, check_mode=True, config={"metadata": {"instance": 4}})
    assert checked["diff"]["before"]["replicas"] == 2 and checked["diff"]["after"]["replicas"] == 4
    created = converge(cloud, check_mode=True, name="other", config=CONFIG)
    assert created["diff"]["after"]["replicas"] == 2 and created["diff"]["after"]["status"] == "running"
