# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared converge step on the Huawei lifecycles (ModelArts, DataArts Fabric), against the emulator's Huawei
cloud behind a transport: a service found by its exact name, the ID a create assigns, ModelArts' two PUTs, what the
Fabric API cannot do refused before anything is sent, and which 404 means a missing service."""

from __future__ import annotations

import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import MASK
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import (
    dataarts_fabric,
    dataarts_fabric_lifecycle,
    modelarts,
    modelarts_lifecycle,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import Converge, Task
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Reply
from ansible_collections.modelserving.cloud.tests.emulator import huawei, huawei_lifecycle
from ansible_collections.modelserving.cloud.tests.unit.fakes import Clock

REGION = "cn-north-4"
WORKSPACE = "ws-0001"
MODEL = {"model_id": "m" * 32, "weight": 100, "specification": "modelarts.vm.cpu.2u", "instance_count": 1,
         "envs": {"MODEL_API_KEY": "ma-key-1", "LOG_LEVEL": "debug"}}
SOURCE = {"id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}
ENDPOINT = "b935d0ef-f4eb-4b95-aff1-9d33ae9f57b6"
FABRIC = {"model_instance_config": {"resource": {"min": 1, "max": 2, "spec_code": "mt.s1"}}}


class Signer:
    """What the converge step asks of a Huawei signer: the project of its credentials."""

    project_id = huawei.project_id(REGION)


class Cloud:
    """The emulator's Huawei cloud behind a transport, with an IAM token; records every call."""

    def __init__(self, monkeypatch):
        self.clock = Clock()
        monkeypatch.setattr(huawei_lifecycle.time, "monotonic", self.clock)
        self.api = huawei.HuaweiCloud(keys={}, users={("d", "u"): "pw"}, seed=1, modelarts_services=0,
                                      fabric_instances=0)
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "u", "password": "pw", "domain": {"name": "d"}}}}, "scope": {"project": {"name": REGION}}}})
        self.token = self.api.handle("POST", "/v3/auth/tokens", "", {}, body.encode(), REGION)[2]["X-Subject-Token"]
        self.calls = []
        self.answer = None  # an error reply to give instead of the cloud's: (status, code)

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        self.calls.append((method, path, query, json.loads(body) if body else None))
        if self.answer:
            raise ApiError("refused", provider=ctx.provider, region=REGION, operation=ctx.operation,
                           status=self.answer[0], code=self.answer[1])
        try:
            status, data, _extra = self.api.handle(method, path, query, dict(
                {"X-Auth-Token": self.token, "Content-Type": "application/json"}, **(headers or {})), body, REGION)
        except huawei.HuaweiError as err:
            raise ApiError(err.message, provider=ctx.provider, region=REGION, operation=ctx.operation,
                           status=err.status, code=err.code) from None
        return Reply(status, {}, data)

    def writes(self):
        return [(method, body) for method, _path, _query, body in self.calls if method != "GET"]

    def run(self, provider, adapter, params, check_mode=False, wait=True, **task):
        task = Task(**dict({"name": None, "state": "present"}, **task))
        steer = Converge(provider, adapter, dict({"region": REGION}, **params), task, self, Signer(), "https://h",
                         600.0, clock=self.clock, sleep=self.clock.sleep)
        return steer.run(check_mode, wait)

    def modelarts(self, **task):
        return self.run(modelarts, modelarts_lifecycle, {}, **task)

    def fabric(self, **task):
        return self.run(dataarts_fabric, dataarts_fabric_lifecycle, {"workspace_id": WORKSPACE}, **task)


@pytest.fixture
def cloud(monkeypatch):
    return Cloud(monkeypatch)


# -- ModelArts ------------------------------------------------------------------------------------------------------
def test_modelarts_create_takes_the_assigned_id_and_waits_for_running(cloud):
    result = cloud.modelarts(name="chat", config=[MODEL], extra={"description": "demo"})
    service = result["service"]
    assert result["changed"] and result["actions"] == ["create"]
    assert service["status"] == "running" and service["service_name"] == "chat"
    assert service["project_id"] == Signer.project_id and service["service_id"]
    assert service["config"][0]["envs"] == {"MODEL_API_KEY": MASK, "LOG_LEVEL": "debug"}
    sent = cloud.writes()
    assert sent == [("POST", {"service_name": "chat", "infer_type": "real-time", "config": [MODEL],
                              "description": "demo"})]
    # Each show after the create names the ID the create reply assigned.
    shows = {path for method, path, query, _body in cloud.calls[1:] if method == "GET" and "service_name" not in query}
    assert shows == {
        "/v1/%s/services/%s" % (Signer.project_id, service["service_id"])}


def test_modelarts_a_name_is_found_exactly_and_twice_is_unchanged(cloud):
    first = cloud.modelarts(name="chat", config=[MODEL])["service"]["service_id"]
    cloud.modelarts(name="chat-2", config=[MODEL])  # the list API's name filter matches it too
    cloud.calls.clear()
    again = cloud.modelarts(name="chat", config=[MODEL])
    assert not again["changed"] and again["service"]["service_id"] == first and cloud.writes() == []
    assert any("service_name=chat" in query for _m, _p, query, _b in cloud.calls)


def test_modelarts_two_services_of_one_name_are_an_error_naming_their_ids(cloud):
    first = cloud.modelarts(name="chat", config=[MODEL])["service"]["service_id"]
    services = cloud.api.modelarts_services(REGION)
    twin = json.loads(json.dumps(services[-1]))
    twin["service_id"] = "f" * 8 + first[8:]
    services.append(twin)
    cloud.calls.clear()
    with pytest.raises(ConfigError, match="2 services are named chat") as info:
        cloud.modelarts(name="chat", state="stopped")
    assert first in str(info.value) and twin["service_id"] in str(info.value) and cloud.writes() == []


def test_modelarts_scale_and_stop_are_two_puts(cloud):
    service_id = cloud.modelarts(name="chat", config=[MODEL])["service"]["service_id"]
    cloud.calls.clear()
    result = cloud.modelarts(assigned=service_id, replicas=3, state="stopped")
    assert result["actions"] == ["scale to 3", "stop"] and result["service"]["status"] == "stopped"
    sent = cloud.writes()
    assert [method for method, _body in sent] == ["PUT", "PUT"]
    assert sent[0][1]["config"][0]["instance_count"] == 3 and "status" not in sent[0][1]
    assert sent[1][1] == {"status": "stopped"}
    assert result["diff"]["before"]["replicas"] == 1 and result["diff"]["after"]["replicas"] == 3


def test_modelarts_a_name_and_an_id_of_another_service_are_an_error(cloud):
    service_id = cloud.modelarts(name="chat", config=[MODEL])["service"]["service_id"]
    cloud.calls.clear()
    with pytest.raises(ConfigError, match="is the service named 'chat', not 'other'"):
        cloud.modelarts(name="other", assigned=service_id, state="stopped")
    assert cloud.writes() == []


def test_modelarts_absent_deletes_until_gone_then_changes_nothing(cloud):
    cloud.modelarts(name="chat", config=[MODEL])
    gone = cloud.modelarts(name="chat", state="absent")
    assert gone["changed"] and gone["service"] is None and gone["diff"]["after"] == {"state": "absent"}
    cloud.calls.clear()
    assert not cloud.modelarts(name="chat", state="absent")["changed"] and cloud.writes() == []


def test_modelarts_infer_type_cannot_change(cloud):
    cloud.modelarts(name="chat", config=[MODEL])
    cloud.calls.clear()
    with pytest.raises(ConfigError, match="infer_type is real-time, and it cannot change to batch"):
        cloud.modelarts(name="chat", extra={"infer_type": "batch"})
    assert cloud.writes() == []


@pytest.mark.parametrize("code, missing", [("ModelArts.3502", True), ("APIG.0101", False), ("ModelArts.0101", False)])
def test_modelarts_only_its_not_found_code_is_a_missing_service(cloud, code, missing):
    cloud.answer = (404, code)
    if missing:
        assert cloud.modelarts(assigned="a" * 36, state="absent")["changed"] is False
    else:
        with pytest.raises(ApiError):
            cloud.modelarts(assigned="a" * 36, state="absent")
    assert cloud.writes() == []


def test_modelarts_a_crashing_model_fails_the_task_with_its_cause(cloud):
    with pytest.raises(ApiError, match="failed while waiting for it to be running: status failed: .*keeps crashing") \
            as info:
        cloud.modelarts(name="chat", config=[dict(MODEL, model_id="crashloop" + "m" * 23)])
    assert "ma-key-1" not in str(info.value)


# -- DataArts Fabric ------------------------------------------------------------------------------------------------
def fabric_task(**change):
    return dict({"name": "chat", "config": FABRIC, "extra": {"source": SOURCE, "endpoint_id": ENDPOINT}}, **change)


def test_fabric_create_scale_and_delete(cloud):
    created = cloud.fabric(**fabric_task())["service"]
    assert created["status"] == "running" and created["workspace_id"] == WORKSPACE and created["service_id"]
    cloud.calls.clear()
    scaled = cloud.fabric(name="chat", extra={"min_replicas": 2, "max_replicas": 4})
    assert scaled["changed"] and cloud.writes() == [("PUT", {"config": {"model_instance_config": {"resource": {
        "min": 2, "max": 4}}}})]
    assert scaled["diff"]["after"]["replicas"] == {"min": 2, "max": 4}
    cloud.calls.clear()
    assert not cloud.fabric(name="chat", extra={"min_replicas": 2})["changed"] and cloud.writes() == []
    assert cloud.fabric(assigned=created["service_id"], state="absent")["service"] is None
    assert not cloud.fabric(name="chat", state="absent")["changed"]


@pytest.mark.parametrize("task, text", [
    ({"state": "stopped"}, "state stopped is not one the DataArts Fabric API has"),
    ({"config": {"model_instance_config": {"resource": {"spec_code": "mt.s2"}}}}, "spec_code"),
    ({"extra": {"endpoint_id": "c" * 36}}, "endpoint_id"),
])
def test_fabric_what_the_api_cannot_do_is_refused_and_nothing_is_sent(cloud, task, text):
    cloud.fabric(**fabric_task())
    cloud.calls.clear()
    with pytest.raises(ConfigError, match=text):
        cloud.fabric(**dict({"name": "chat"}, **task))
    assert cloud.writes() == []


@pytest.mark.parametrize("code, missing", [("DataArtsFabric.00040401", True), (None, True), ("APIG.0101", False),
                                           ("APIGW.0101", False)])
def test_fabric_any_404_but_the_gateways_is_a_missing_instance(cloud, code, missing):
    cloud.answer = (404, code)
    if missing:
        assert cloud.fabric(assigned="a" * 32, state="absent")["changed"] is False
    else:
        with pytest.raises(ApiError):
            cloud.fabric(assigned="a" * 32, state="absent")
    assert cloud.writes() == []


# -- what a review found ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("steer, task", [
    ("modelarts", {"name": "chat", "config": [MODEL]}),
    ("fabric", fabric_task()),
])
def test_an_id_that_does_not_exist_is_an_error_never_a_create(cloud, steer, task):
    """A task naming a service by an ID the cloud assigned cannot create it: the new one would have another ID, and
    each run would make one more."""
    with pytest.raises(ConfigError, match="does not exist, so it cannot be updated; nothing was created"):
        getattr(cloud, steer)(assigned="a" * 32, **task)
    assert cloud.writes() == []


@pytest.mark.parametrize("steer, task", [
    ("modelarts", {"name": "chat", "config": [MODEL]}),
    ("fabric", fabric_task()),
])
def test_present_on_a_service_being_deleted_waits_until_gone_then_creates_it(cloud, steer, task):
    first = getattr(cloud, steer)(**task)["service"]["service_id"]
    assert getattr(cloud, steer)(name="chat", state="absent", wait=False)["changed"]
    cloud.calls.clear()
    again = getattr(cloud, steer)(**task)
    assert again["changed"] and again["actions"] == ["create"] and again["service"]["status"] == "running"
    assert again["service"]["service_id"] != first
    assert [method for method, _body in cloud.writes()] == ["POST"]


def test_a_modelarts_update_keeps_the_environment_variables_it_does_not_name(cloud):
    envs = {"MODEL_API_KEY": "ma-key-1", "LOG_LEVEL": "debug"}
    cloud.modelarts(name="chat", config=[dict(MODEL, envs=envs)])
    cloud.calls.clear()
    result = cloud.modelarts(name="chat", config=[{"envs": {"LOG_LEVEL": "info"}, "instance_count": 2}])
    assert result["changed"]
    (method, body), = cloud.writes()
    assert method == "PUT" and body["config"][0]["envs"] == {"MODEL_API_KEY": "ma-key-1", "LOG_LEVEL": "info"}
    assert body["config"][0]["instance_count"] == 2


def test_a_fabric_name_the_list_filter_does_not_take_is_found_in_the_whole_list(cloud):
    task = fabric_task(name="qwen_chat 1.0")
    created = cloud.fabric(**task)["service"]["service_id"]
    cloud.calls.clear()
    again = cloud.fabric(**task)
    assert not again["changed"] and again["service"]["service_id"] == created and cloud.writes() == []
    assert not any("name=" in query for _m, _p, query, _b in cloud.calls)
