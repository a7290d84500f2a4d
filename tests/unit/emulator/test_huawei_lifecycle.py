# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's ModelArts and DataArts Fabric lifecycles (wire.rst B.11, C.2): strict bodies, the documented
constraints of an update, and changes that take time. Calls go through HuaweiCloud.handle, authenticated."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import huawei
from ansible_collections.modelserving.cloud.tests.unit import vectors

REGION = "cn-north-4"
PROJECT = huawei.project_id(REGION)
SERVICES = "/v1/%s/services" % PROJECT
INSTANCES = "/v1/workspaces/ws-0001/services/instances"
ITEM = {"model_id": "m" * 32, "weight": 100, "specification": "modelarts.vm.cpu.2u", "instance_count": 1}
CREATE = {"service_name": "chat-svc", "infer_type": "real-time", "config": [ITEM]}
SOURCE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
ENDPOINT = "b935d0ef-f4eb-4b95-aff1-9d33ae9f57b6"
DEPLOY = {"source": {"id": SOURCE}, "name": "chat 服务_1.0", "description": "demo", "endpoint_id": ENDPOINT,
          "config": {"model_instance_config": {"resource": {"min": 1, "max": 2, "spec_code": "mt.s1"}}}}


class Client:
    """A caller with an IAM token for the region's project."""

    def __init__(self):
        self.cloud = huawei.HuaweiCloud(keys={}, users={("d", "u"): "pw"}, seed=1, modelarts_services=0,
                                        fabric_instances=0)
        self.cloud.lifecycle.seconds = 0.0  # every change is due at the next call
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "u", "password": "pw", "domain": {"name": "d"}}}}, "scope": {"project": {"name": REGION}}}})
        self.token = self.cloud.handle("POST", "/v3/auth/tokens", "", {}, body.encode(), REGION)[2]["X-Subject-Token"]

    def __call__(self, method, path, body=None, content_type="application/json", raw=None):
        headers = {"X-Auth-Token": self.token}
        if content_type:
            headers["Content-Type"] = content_type
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        status, data, _extra = self.cloud.handle(method, path, "", headers, payload, REGION)
        return status, data

    def refused(self, method, path, body=None, **kwargs):
        with pytest.raises(huawei.HuaweiError) as info:
            self(method, path, body, **kwargs)
        return info.value

    def show(self, service_id):
        return self("GET", "%s/%s" % (SERVICES, service_id))[1]

    def create(self, body=None):
        status, reply = self("POST", SERVICES, body or CREATE)
        assert status == 200 and set(reply) == {"service_id", "resource_ids"}
        return reply["service_id"]

    def running(self, body=None):
        service_id = self.create(body)
        assert self.show(service_id)["status"] == "running"
        return service_id

    def instance(self, instance_id):
        return self("GET", "%s/%s" % (INSTANCES, instance_id))[1]


@pytest.fixture
def api():
    return Client()


# -- ModelArts ------------------------------------------------------------------------------------------------------
def test_create_deploying_then_running_with_its_config(api):
    api.cloud.lifecycle.seconds = 60.0
    service_id = api.create(dict(CREATE, description="demo", workspace_id="ws-1"))
    service = api.show(service_id)
    assert (service["status"], service["progress"], service["tags"]) == ("deploying", 0, [])
    assert service["config"] == [ITEM] and service["workspace_id"] == "ws-1" and service["description"] == "demo"
    api.cloud.lifecycle.pending = [(0.0,) + p[1:] for p in api.cloud.lifecycle.pending]  # its time has come
    service = api.show(service_id)
    assert (service["status"], service["progress"]) == ("running", 100) and "error_msg" not in service
    listed = api("GET", SERVICES, None)[1]
    assert listed["count"] == 0  # workspace 0 is the default of the list
    assert api.cloud.handle("GET", SERVICES, "workspace_id=ws-1", {"X-Auth-Token": api.token}, b"", REGION)[1][
        "services"][0]["service_id"] == service_id


def test_default_workspace_and_the_name_taken_there(api):
    api.create()
    assert api.show(api.cloud.modelarts_services(REGION)[0]["service_id"])["workspace_id"] == "0"
    error = api.refused("POST", SERVICES, CREATE)
    assert (error.status, error.code) == (400, "ModelArts.3501") and "already exists" in error.message
    api.create(dict(CREATE, workspace_id="other"))  # another workspace may use the name


BAD_CREATES = [
    ({"infer_type": "real-time", "config": [ITEM]}, "service_name is required"),
    (dict(CREATE, service_name="bad name"), "service_name must be"),
    (dict(CREATE, service_name="x" * 65), "service_name must be"),
    (dict(CREATE, infer_type="stream"), "infer_type must be"),
    (dict(CREATE, config=[]), "non-empty list"),
    (dict(CREATE, config={"model_id": "m"}), "non-empty list"),
    (dict(CREATE, config=["m"]), "config[0] must be an object"),
    (dict(CREATE, config=[{k: v for k, v in ITEM.items() if k != "specification"}]), "needs specification"),
    (dict(CREATE, config=[{k: v for k, v in ITEM.items() if k != "weight"}]), "needs weight"),
    (dict(CREATE, config=[dict(ITEM, instance_count=0)]), "instance_count must be"),
    (dict(CREATE, config=[dict(ITEM, instance_count="2")]), "instance_count must be"),
    (dict(CREATE, config=[dict(ITEM, instance_count=True)]), "instance_count must be"),
    (dict(CREATE, config=[dict(ITEM, weight=60)]), "add up to 100"),
    (dict(CREATE, config=[dict(ITEM, weight=60), dict(ITEM, weight=60)]), "add up to 100"),
    (dict(CREATE, config=[dict(ITEM, envs={"A": 1})]), "envs must be an object of strings"),
    (dict(CREATE, config=[dict(ITEM, replicas=2)]), "replicas is not a parameter of config[0]"),
    (dict(CREATE, description="x" * 101), "description must be"),
    (dict(CREATE, tags=[{"key": "a", "value": "b"}]), "tags is not a parameter of CreateService"),
    (dict(CREATE, workspace_id=0), "workspace_id must be a string"),
]


@pytest.mark.parametrize("body, text", BAD_CREATES)
def test_create_refuses_what_the_document_does_not_allow(api, body, text):
    error = api.refused("POST", SERVICES, body)
    assert (error.status, error.code) == (400, "ModelArts.0101") and text in error.message
    assert api.cloud.modelarts_services(REGION) == []


def test_a_batch_service_needs_no_weight(api):
    item = {k: v for k, v in ITEM.items() if k != "weight"}
    assert api.show(api.create(dict(CREATE, infer_type="batch", config=[item])))["status"] == "running"


@pytest.mark.parametrize("content_type, raw, text", [
    ("text/plain", b'{"service_name": "x"}', "Content-Type must be application/json"),
    (None, b'{"service_name": "x"}', "Content-Type must be application/json"),
    ("application/json", b"service_name=x", "not valid JSON"),
    ("application/json", b"[1]", "must be a JSON object"),
    ("application/json", b"", "must be a JSON object"),
])
def test_writes_need_a_json_object(api, content_type, raw, text):
    error = api.refused("POST", SERVICES, content_type=content_type, raw=raw)
    assert (error.status, error.code) == (400, "ModelArts.0101") and text in error.message


def test_another_project_is_refused(api):
    error = api.refused("POST", "/v1/%s/services" % huawei.project_id("eu-de"), CREATE)
    assert (error.status, error.code) == (403, "ModelArts.0203")


def test_stop_then_start(api):
    service_id = api.running()
    api.cloud.lifecycle.seconds = 60.0
    status, reply = api("PUT", "%s/%s" % (SERVICES, service_id), {"status": "stopped"})
    assert status == 200 and reply == {"service_id": service_id, "service_name": "chat-svc"}
    assert api.show(service_id)["status"] == "stopping"
    api.cloud.lifecycle.seconds = 0.0
    api("PUT", "%s/%s" % (SERVICES, service_id), {"status": "stopped"})  # stopping may be told to stop again
    assert api.show(service_id)["status"] == "stopped"
    api.cloud.lifecycle.seconds = 60.0
    api("PUT", "%s/%s" % (SERVICES, service_id), {"status": "running"})
    assert api.show(service_id)["status"] == "deploying"


def test_status_and_config_in_one_put_change_only_the_status(api):
    service_id = api.running()
    before = api.show(service_id)
    status, reply = api("PUT", "%s/%s" % (SERVICES, service_id), {
        "status": "stopped", "config": [dict(ITEM, instance_count=3)], "description": "both"})
    assert status == 200 and "update_time" not in reply
    after = api.show(service_id)
    assert after["status"] == "stopped" and after["config"] == before["config"] == [ITEM]
    assert after["description"] == "both"


def test_a_config_update_redeploys_a_running_service_and_not_a_stopped_one(api):
    service_id = api.running()
    api.cloud.lifecycle.seconds = 60.0
    scaled = [dict(ITEM, instance_count=3)]
    status, reply = api("PUT", "%s/%s" % (SERVICES, service_id), {"config": scaled})
    assert status == 200 and isinstance(reply["update_time"], int) and reply["service_id"] == service_id
    service = api.show(service_id)
    assert service["status"] == "deploying" and service["config"] == scaled
    error = api.refused("PUT", "%s/%s" % (SERVICES, service_id), {"config": [ITEM]})
    assert (error.code, error.status) == ("ModelArts.3514", 400) and "deploying" in error.message
    api.cloud.lifecycle.seconds = 0.0
    api("PUT", "%s/%s" % (SERVICES, service_id), {"status": "stopped"})  # a deploying service may be stopped
    assert api.show(service_id)["status"] == "stopped"
    api.cloud.lifecycle.seconds = 60.0
    api("PUT", "%s/%s" % (SERVICES, service_id), {"config": [ITEM]})
    service = api.show(service_id)
    assert service["status"] == "stopped" and service["config"] == [ITEM]
    assert api.cloud.lifecycle.pending == []


def test_the_same_status_is_refused(api):
    service_id = api.running()
    error = api.refused("PUT", "%s/%s" % (SERVICES, service_id), {"status": "running"})
    assert (error.status, error.code) == (400, "ModelArts.3514") and "already running" in error.message


@pytest.mark.parametrize("current, body", [
    ("deploying", {"status": "running"}), ("stopping", {"status": "running"}), ("deleting", {"status": "running"}),
    ("deploying", {"config": [ITEM]}), ("stopping", {"config": [ITEM]}), ("deleting", {"config": [ITEM]}),
    ("waiting", {"status": "running"}), ("concerning", {"status": "running"}),
])
def test_busy_refusals(api, current, body):
    service_id = api.running()
    api.cloud.modelarts_services(REGION)[0]["status"] = current
    error = api.refused("PUT", "%s/%s" % (SERVICES, service_id), body)
    assert (error.status, error.code) == (400, "ModelArts.3514") and current in error.message


@pytest.mark.parametrize("current", ["waiting", "concerning"])
def test_waiting_or_concerning_takes_a_config(api, current):
    service_id = api.running()
    api.cloud.modelarts_services(REGION)[0]["status"] = current
    api("PUT", "%s/%s" % (SERVICES, service_id), {"config": [dict(ITEM, instance_count=2)]})
    assert api.show(service_id)["status"] == "running"


@pytest.mark.parametrize("body, text", [
    ({"service_name": "other"}, "service_name is not a parameter of UpdateService"),
    ({"status": "paused"}, "status must be running or stopped"),
    ({"config": [dict(ITEM, weight=50)]}, "add up to 100"),
    ({"config": []}, "non-empty list"),
    ({"description": "x" * 101}, "description must be"),
    ({}, "nothing to update"),
])
def test_update_refuses_what_the_document_does_not_allow(api, body, text):
    service_id = api.running()
    error = api.refused("PUT", "%s/%s" % (SERVICES, service_id), body)
    assert (error.status, error.code) == (400, "ModelArts.0101") and text in error.message


def test_a_crashing_model_fails_with_its_cause(api):
    service_id = api.create(dict(CREATE, config=[dict(ITEM, specification="modelarts.crashloop.gpu")]))
    service = api.show(service_id)
    assert service["status"] == "failed" and "crashloop" in service["error_msg"]
    api("PUT", "%s/%s" % (SERVICES, service_id), {"config": [ITEM]})  # a failed service takes a new config
    service = api.show(service_id)
    assert service["status"] == "running" and "error_msg" not in service


def test_a_config_update_to_a_crashing_model_fails(api):
    service_id = api.running()
    api("PUT", "%s/%s" % (SERVICES, service_id), {"config": [dict(ITEM, model_id="crashloop-model")]})
    assert api.show(service_id)["status"] == "failed"


def test_delete_deleting_then_gone(api):
    service_id = api.running()
    api.cloud.lifecycle.seconds = 60.0
    assert api("DELETE", "%s/%s" % (SERVICES, service_id)) == (200, {})
    assert api.show(service_id)["status"] == "deleting"
    error = api.refused("DELETE", "%s/%s" % (SERVICES, service_id))
    assert (error.status, error.code) == (400, "ModelArts.3514")
    api.cloud.lifecycle.seconds = 0.0
    api.cloud.lifecycle.pending = [(0.0,) + p[1:] for p in api.cloud.lifecycle.pending]
    error = api.refused("GET", "%s/%s" % (SERVICES, service_id))
    assert (error.status, error.code, error.message) == (404, "ModelArts.3502",
                                                         "Service %s does not exist." % service_id)
    assert api.refused("PUT", "%s/%s" % (SERVICES, service_id), {"status": "stopped"}).status == 404


def test_delete_takes_no_body_but_json_content_type(api):
    service_id = api.running()
    assert api.refused("DELETE", "%s/%s" % (SERVICES, service_id), {"force": True}).code == "ModelArts.0101"
    assert api.refused("DELETE", "%s/%s" % (SERVICES, service_id), content_type=None).code == "ModelArts.0101"


def test_other_routes_keep_the_unknown_route_answer(api):
    for method, path in (("PUT", SERVICES), ("POST", SERVICES + "/x"), ("DELETE", INSTANCES)):
        error = api.refused(method, path, {})
        assert (error.status, error.code) == (404, "common.01000001")


# -- DataArts Fabric ------------------------------------------------------------------------------------------------
def deploy(api, body=None):
    status, reply = api("POST", INSTANCES, body or DEPLOY)
    assert status == 200 and set(reply) == {"id"} and len(reply["id"]) == 32
    return reply["id"]


def test_deploy_creating_then_running(api):
    api.cloud.lifecycle.seconds = 60.0
    instance_id = deploy(api)
    instance = api.instance(instance_id)
    assert (instance["status"], instance["type"], instance["visibility"]) == ("CREATING", "LLM_MODEL", "PRIVATE")
    assert (instance["error_code"], instance["error_msg"]) == ("", "")
    assert set(instance["url"]) == {"name", "address", "type"} and instance["config"] == DEPLOY["config"]
    assert instance["source"]["id"] == SOURCE and instance["name"] == DEPLOY["name"]
    api.cloud.lifecycle.pending = [(0.0,) + p[1:] for p in api.cloud.lifecycle.pending]
    assert api.instance(instance_id)["status"] == "RUNNING"
    listed = api.cloud.handle("GET", INSTANCES, "limit=100", {"X-Auth-Token": api.token}, b"", REGION)[1]
    assert [i["id"] for i in listed["service_instances"]] == [instance_id]


def resource(**change):
    body = copy.deepcopy(DEPLOY)
    body["config"]["model_instance_config"]["resource"].update(change)
    return body


BAD_DEPLOYS = [
    ({k: v for k, v in DEPLOY.items() if k != "name"}, "name is required"),
    ({k: v for k, v in DEPLOY.items() if k != "endpoint_id"}, "endpoint_id is required"),
    (dict(DEPLOY, source={"version_id": SOURCE}), "source.id is required"),
    (dict(DEPLOY, source={"id": "short"}), "source.id must be"),
    (dict(DEPLOY, source={"id": SOURCE, "version_id": "v-0001"}), "source.version_id must be"),
    (dict(DEPLOY, endpoint_id="ep-0001"), "endpoint_id must be"),
    (dict(DEPLOY, name="a/b"), "name must be"),
    (dict(DEPLOY, name="x" * 65), "name must be"),
    (dict(DEPLOY, visibility="PUBLIC"), "visibility is not a parameter"),
    (dict(DEPLOY, config={}), "resource is required"),
    (resource(min=3, max=2), "must not be greater than max"),
    (resource(min=0), "min must be a whole number from 1 to 1000"),
    (resource(max=1001), "max must be a whole number from 1 to 1000"),
    (resource(spec_code=""), "spec_code must be"),
    (resource(replicas=2), "replicas is not a parameter"),
]


@pytest.mark.parametrize("body, text", BAD_DEPLOYS)
def test_deploy_refuses_what_the_sdk_model_does_not_allow(api, body, text):
    error = api.refused("POST", INSTANCES, body)
    assert (error.status, error.code) == (400, "common.01000001") and text in error.message
    assert api.cloud.fabric_instances("ws-0001") == []


def test_a_crashing_spec_fails_with_code_and_message(api):
    instance = api.instance(deploy(api, resource(spec_code="mt.crashloop")))
    assert instance["status"] == "FAILED" and instance["error_code"] == "DataArtsFabric.00050001"
    assert "mt.crashloop" in instance["error_msg"]


def test_update_scales_then_running(api):
    instance_id = deploy(api)
    api.instance(instance_id)
    api.cloud.lifecycle.seconds = 60.0
    status, reply = api("PUT", "%s/%s" % (INSTANCES, instance_id), {
        "description": "scaled", "config": {"model_instance_config": {"resource": {"min": 2, "max": 4}}}})
    assert (status, reply) == (200, {"id": instance_id})
    instance = api.instance(instance_id)
    assert instance["status"] == "UPDATING" and instance["description"] == "scaled"
    assert instance["config"]["model_instance_config"]["resource"] == {"min": 2, "max": 4, "spec_code": "mt.s1"}
    error = api.refused("PUT", "%s/%s" % (INSTANCES, instance_id), {"description": "again"})
    assert (error.status, error.code) == (400, "DataArtsFabric.00040901") and "UPDATING" in error.message
    api.cloud.lifecycle.pending = [(0.0,) + p[1:] for p in api.cloud.lifecycle.pending]
    assert api.instance(instance_id)["status"] == "RUNNING"


@pytest.mark.parametrize("body, text", [
    ({"config": {"model_instance_config": {"resource": {"min": 1, "max": 2, "spec_code": "mt.s2"}}}},
     "spec_code cannot be updated"),
    ({"endpoint_id": ENDPOINT}, "endpoint_id cannot be updated"),
    ({"config": {"model_instance_config": {"resource": {"min": 3, "max": 2}}}}, "must not be greater than max"),
    ({"config": {"model_instance_config": {"resource": {"max": 2}}}}, "needs min"),
    ({"name": "a/b"}, "name must be"),
    ({}, "nothing to update"),
])
def test_update_refuses_what_the_sdk_model_does_not_allow(api, body, text):
    instance_id = deploy(api)
    api.instance(instance_id)
    error = api.refused("PUT", "%s/%s" % (INSTANCES, instance_id), body)
    assert (error.status, error.code) == (400, "common.01000001") and text in error.message


@pytest.mark.parametrize("busy", ["CREATING", "UPDATING", "DELETING"])
def test_a_busy_instance_is_not_updated(api, busy):
    instance_id = deploy(api)
    api.cloud.fabric_instances("ws-0001")[0]["status"] = busy
    api.cloud.lifecycle.pending = []
    error = api.refused("PUT", "%s/%s" % (INSTANCES, instance_id), {"description": "x"})
    assert (error.status, error.code) == (400, "DataArtsFabric.00040901")


def test_delete_then_404_with_its_invented_code(api):
    instance_id = deploy(api)
    api.cloud.lifecycle.seconds = 60.0
    assert api("DELETE", "%s/%s" % (INSTANCES, instance_id)) == (200, {})
    assert api.instance(instance_id)["status"] == "DELETING"
    api.cloud.lifecycle.pending = [(0.0,) + p[1:] for p in api.cloud.lifecycle.pending]
    error = api.refused("GET", "%s/%s" % (INSTANCES, instance_id))
    assert (error.status, error.code) == (404, "DataArtsFabric.00040401")
    assert error.message == "The service instance %s does not exist." % instance_id


def test_reset_forgets_pending_changes(api):
    api.cloud.lifecycle.seconds = 60.0
    deploy(api)
    api.create()
    assert len(api.cloud.lifecycle.pending) == 2 and api.cloud.lifecycle.created == 2
    api.cloud.reset(1, 0, 0)
    assert (api.cloud.lifecycle.pending, api.cloud.lifecycle.created, api.cloud.lifecycle.seconds) == ([], 0, 2.0)
    assert api.cloud.modelarts_services(REGION) == [] and api.cloud.fabric_instances("ws-0001") == []


# -- The SDK's signed writes ----------------------------------------------------------------------------------------
FROZEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc).timestamp()


def signed(vector, token=None):
    names = vectors.HUAWEI_SIGNED + (";x-security-token" if token else "")
    return dict(vector["headers"], Authorization="SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        vectors.HUAWEI_AK, names, vector["signature"]))


def test_the_sdks_signed_writes_pass_the_verifier(monkeypatch):
    """MODELARTS_UPDATE and MODELARTS_DELETE over the real route, on a service of the vectors' project and id;
    FABRIC_CREATE passes the signature check and is then judged on its body (its ids are shorter than the
    document's 32 to 36 characters)."""
    monkeypatch.setattr(huawei, "project_id", lambda region: vectors.PROJECT)
    cloud = huawei.HuaweiCloud(keys={vectors.HUAWEI_AK: {"secret": vectors.HUAWEI_SK, "token": None}}, users={},
                               seed=1, modelarts_services=3, fabric_instances=0, clock=lambda: FROZEN)
    services = cloud.modelarts_services(REGION)
    services[0].update(service_id=vectors.MODELARTS_SERVICE_PATH.rsplit("/", 1)[1], status="running")
    for vector, status in ((vectors.MODELARTS_UPDATE, "stopping"), (vectors.MODELARTS_DELETE, "deleting")):
        cloud.lifecycle.seconds = 60.0
        reply = cloud.handle(vector["method"], vector["path"], vector["query"], signed(vector),
                             vector["body"].encode(), REGION)
        assert reply[0] == 200 and services[0]["status"] == status
    fabric = huawei.HuaweiCloud(keys={vectors.HUAWEI_AK: {"secret": vectors.HUAWEI_SK,
                                                          "token": vectors.SECURITY_TOKEN}},
                                users={}, seed=1, modelarts_services=0, fabric_instances=0, clock=lambda: FROZEN)
    vector = vectors.FABRIC_CREATE
    with pytest.raises(huawei.HuaweiError) as info:
        fabric.handle(vector["method"], vector["path"], vector["query"], signed(vector, token=True),
                      vector["body"].encode(), REGION)
    assert (info.value.status, info.value.code) == (400, "common.01000001")
    assert "source.version_id must be" in info.value.message
    body = json.loads(vector["body"])
    assert body["source"]["id"] == SOURCE  # its source id is well formed: the body is what is refused
    with pytest.raises(huawei.HuaweiError) as info:  # the same request with one byte changed: the signature fails
        fabric.handle(vector["method"], vector["path"], vector["query"], signed(vector, token=True),
                      vector["body"].replace("chat-1", "chat-2").encode(), REGION)
    assert (info.value.status, info.value.code) == (401, "APIGW.0301")


# -- Over HTTP: the shared delay, reset, and the request log --------------------------------------------------------
def test_served_with_the_shared_delay_reset_and_the_log():
    import urllib.error  # pylint: disable=import-outside-toplevel
    import urllib.request  # pylint: disable=import-outside-toplevel

    from ansible_collections.modelserving.cloud.tests.emulator import server  # pylint: disable=import-outside-toplevel

    emulator = server.Emulator(seed=5, pai_eas_services=2, region="cn-hangzhou", keys={}, huawei_region=REGION,
                               huawei_cloud=huawei.HuaweiCloud(keys={}, users={("d", "u"): "pw"}, seed=5,
                                                               modelarts_services=0, fabric_instances=0))
    httpd = server.serve(emulator, 0)
    base = "http://127.0.0.1:%d" % httpd.server_address[1]

    def call(method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method, headers=dict(
            {"Content-Type": "application/json"}, **(headers or {})))
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:  # nosec B310 - the local emulator
                return reply.status, json.loads(reply.read()), dict(reply.headers)
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read()), dict(err.headers)

    try:
        assert call("GET", "/_emulator/lifecycle")[1]["seconds"] == 2.0
        assert call("POST", "/_emulator/lifecycle", {"seconds": "x"})[0] == 400
        knob = call("POST", "/_emulator/lifecycle", {"seconds": 30})[1]
        assert knob["seconds"] == knob["pai_eas"]["seconds"] == knob["huawei"]["seconds"] == 30.0
        assert emulator.eas.seconds == emulator.huawei.lifecycle.seconds == 30.0
        assert emulator.huawei.lifecycle.lock is emulator.lock
        auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "u", "password": "pw", "domain": {"name": "d"}}}}, "scope": {"project": {"name": REGION}}}}
        token = {"X-Auth-Token": call("POST", "/v3/auth/tokens", auth)[2]["X-Subject-Token"]}
        call("POST", "/_emulator/stats/reset")
        status, created, _headers = call("POST", SERVICES, CREATE, token)
        assert status == 200
        service = "%s/%s" % (SERVICES, created["service_id"])
        assert call("GET", service, None, token)[1]["status"] == "deploying"
        assert call("PUT", service, {"description": "x" * 101}, token)[1]["error_code"] == "ModelArts.0101"
        status, instance, _headers = call("POST", INSTANCES, DEPLOY, token)
        assert status == 200
        assert call("GET", SERVICES, None, token)[0] == 200
        log = [e for e in call("GET", "/_emulator/stats")[1]["log"] if e.get("action")]
        assert [(e["method"], e["action"], e["service_id"], e["status"]) for e in log] == [
            ("POST", "CreateService", created["service_id"], 200),
            ("GET", "ShowService", created["service_id"], 200),
            ("PUT", "UpdateService", created["service_id"], 400),
            ("POST", "DeployServiceInstance", instance["id"], 200)]
        assert json.loads(log[0]["body"]) == CREATE and log[1]["body"] == "" and log[0]["path"] == SERVICES
        writes = [e for e in log if e["method"] in ("POST", "PUT", "DELETE") and e["service_id"] == created[
            "service_id"]]
        assert len(writes) == 2
        call("POST", "/_emulator/lifecycle", {"seconds": 0})
        assert call("GET", service, None, token)[1]["status"] == "deploying"  # a change made before keeps its time
        assert call("GET", "/_emulator/lifecycle")[1]["huawei"]["pending"] == 2
        call("POST", "/_emulator/reset", {"seed": 5, "pai_eas_services": 2})
        knob = call("GET", "/_emulator/lifecycle")[1]
        assert knob["huawei"] == {"seconds": 2.0, "pending": 0} and emulator.huawei.lifecycle.created == 0
        token = {"X-Auth-Token": call("POST", "/v3/auth/tokens", auth)[2]["X-Subject-Token"]}
        assert call("GET", service, None, token)[1]["error_code"] == "ModelArts.3502"
    finally:
        httpd.shutdown()
        httpd.server_close()
