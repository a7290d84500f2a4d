# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's Huawei side accepts what the official SDK signs (docs/docsite/rst/wire.rst D4, D5) and refuses
anything else."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_signer
from ansible_collections.modelserving.cloud.tests.emulator import huawei
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK = "HPUATESTACCESSKEY0001"
SK = "HwTestSecretKey0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
FROZEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc).timestamp()
D4_QUERY = ("infer_type=real-time&limit=100&offset=0&order=desc&service_name=%C3%BCn%C3%AF-%E6%9C%8D%E5%8A%A1%20test"
            "&sort_by=publish_at&status=running&tags=k1%3Dv1&workspace_id=0")
D4_HEADERS = {
    "Content-Type": "application/json",
    "Host": "modelarts.cn-north-4.myhuaweicloud.com",
    "User-Agent": "huaweicloud-usdk-python/3.0; test-agent",
    "X-Project-Id": PROJECT,
    "X-Sdk-Date": "20240102T030405Z",
    "Authorization": "SDK-HMAC-SHA256 Access=HPUATESTACCESSKEY0001, SignedHeaders=content-type;host;user-agent;"
                     "x-project-id;x-sdk-date, "
                     "Signature=70b291db73f4c700f1b607be27fb3360d389d1bb8d1ad86c0bcb129362244a6a",
}
D4_PATH = "/v1/%s/services" % PROJECT


def cloud(token=None, clock=FROZEN):
    return huawei.HuaweiCloud(keys={AK: {"secret": SK, "token": token}}, users={("d", "u"): "pw"}, seed=1,
                              modelarts_services=30, fabric_instances=30, clock=lambda: clock)


def test_accepts_d4():
    assert cloud().authenticate("GET", D4_PATH, D4_QUERY, D4_HEADERS, b"") == PROJECT


def test_accepts_d5_with_security_token():
    headers = dict(D4_HEADERS, Host="fabric-ep.cn-north-4.myhuaweicloud.com")
    headers["X-Security-Token"] = "CAIS-test-security-token=="
    headers["Authorization"] = ("SDK-HMAC-SHA256 Access=HPUATESTACCESSKEY0001, SignedHeaders=content-type;host;"
                                "user-agent;x-project-id;x-sdk-date;x-security-token, Signature="
                                "53fe3f7118932e2886543b1c90865cf0f49aabde45b766de7d1975b7f6f4b208")
    query = ("limit=10&name=%E6%9C%8D%E5%8A%A1%20instance&offset=0&order_by=DESC&sort_by=CREATE_TIME&type=LLM_MODEL"
             "&visibility=PRIVATE")
    assert cloud(token="CAIS-test-security-token==").authenticate(
        "GET", "/v1/workspaces/ws-0001/services/instances", query, headers, b"") == PROJECT


@pytest.mark.parametrize("change, code", [
    ({"Authorization": D4_HEADERS["Authorization"][:-1] + "0"}, "APIGW.0301"),
    ({"User-Agent": "other"}, "APIGW.0301"),
    ({"X-Sdk-Date": "20240102T033405Z"}, "APIGW.0303"),
    ({"Authorization": D4_HEADERS["Authorization"].replace(AK, "HPUAOTHER")}, "APIGW.0301"),
    ({"Authorization": "Bearer x"}, "APIGW.0301"),
    ({"X-Auth-Token": "unknown"}, "APIG.1002"),
])
def test_refuses(change, code):
    with pytest.raises(huawei.HuaweiError) as info:
        cloud().authenticate("GET", D4_PATH, D4_QUERY, dict(D4_HEADERS, **change), b"")
    assert info.value.code == code and info.value.status == 401


def test_refuses_a_changed_query_and_a_missing_security_token():
    with pytest.raises(huawei.HuaweiError):
        cloud().authenticate("GET", D4_PATH, D4_QUERY.replace("limit=100", "limit=101"), D4_HEADERS, b"")
    with pytest.raises(huawei.HuaweiError):
        cloud(token="expected").authenticate("GET", D4_PATH, D4_QUERY, D4_HEADERS, b"")


def test_iam_tokens_are_issued_checked_and_expire():
    iam = huawei.HuaweiCloud(keys={}, users={("d", "u"): "pw"}, seed=1, modelarts_services=3, fabric_instances=3)
    body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "u", "password": "pw", "domain": {"name": "d"}}}}, "scope": {"project": {"name": "eu-de"}}}}).encode()
    status, data, headers = iam.handle("POST", "/v3/auth/tokens", "", {}, body, "eu-de")
    assert status == 201 and data["token"]["project"]["id"] == huawei.project_id("eu-de")
    token = headers["X-Subject-Token"]
    assert iam.authenticate("GET", "/v3/projects", "", {"X-Auth-Token": token}, b"") == huawei.project_id("eu-de")
    iam.expire_tokens()
    with pytest.raises(huawei.HuaweiError) as info:
        iam.authenticate("GET", "/v3/projects", "", {"X-Auth-Token": token}, b"")
    assert info.value.code == "APIGW.0307"
    with pytest.raises(huawei.HuaweiError) as info:
        iam.handle("POST", "/v3/auth/tokens", "", {}, body.replace(b'"pw"', b'"no"'), "eu-de")
    assert info.value.body("r")["error"]["code"] == 401


@pytest.mark.parametrize("mode, offsets", [("pages", (0, 1, 2)), ("records", (0, 10, 20))])
def test_modelarts_offset_readings(mode, offsets):
    ma = cloud()
    ma.offset_mode = mode
    services = ma.modelarts_services("cn-north-4")
    default = sorted((s for s in services if s["workspace_id"] == "0"),
                     key=lambda s: (s["publish_at"], s["service_id"]), reverse=True)
    got = []
    for offset in offsets:
        got += ma._list_modelarts(services, {"offset": str(offset), "limit": "10"})["services"]  # pylint: disable=protected-access
    assert [s["service_id"] for s in got] == [s["service_id"] for s in default][:30]
    assert all("_detail" not in s for s in got)


@pytest.mark.parametrize("query, text", [
    ({"limit": "101"}, "limit"), ({"offset": "-1"}, "offset"), ({"type": "X"}, "type is invalid"),
    ({"name": "<script>"}, "name is invalid"), ({"name": "a/b"}, "name is invalid"), ({"name": ""}, "name is invalid"),
    ({"name": "x" * 65}, "name is invalid"), ({"id": "a b"}, "id is invalid"),
])
def test_fabric_document_limits(query, text):
    with pytest.raises(huawei.HuaweiError) as info:
        cloud()._list_fabric("ws-1", query)  # pylint: disable=protected-access
    assert info.value.status == 400 and info.value.code == "common.01000001" and text in info.value.message


def test_fabric_name_search_takes_what_names_hold():
    """Names may hold _ . spaces and non-ASCII letters (64 at most); the search is a case-insensitive part."""
    fabric = cloud()
    instances = fabric.fabric_instances("ws-1")
    special = [i["id"] for i in instances if "v1.2 服务" in i["name"]]
    assert special and len(special) < len(instances)
    found = fabric._list_fabric("ws-1", {"name": "V1.2 服务", "limit": "100"})  # pylint: disable=protected-access
    assert [i["id"] for i in found["service_instances"]] == sorted(
        special, key=lambda i: next(x["create_time"] for x in instances if x["id"] == i), reverse=True)
    assert found["total"] == len(special)


def sign(headers, signed_names, token=None, path=D4_PATH, query=D4_QUERY):
    """Sign with the collection's signer over the headers named, as a client that leaves some out would."""
    chosen = {k: v for k, v in headers.items() if k.lower() in signed_names}
    authorization = huawei_signer.aksk_authorization("GET", path, query, chosen, b"", AK, SK)[1]
    return dict(headers, Authorization=authorization)


def test_the_host_must_be_signed():
    unsigned = {k: v for k, v in D4_HEADERS.items() if k != "Authorization"}
    signed_with_host = sign(unsigned, {"host", "x-sdk-date"})
    assert cloud().authenticate("GET", D4_PATH, D4_QUERY, signed_with_host, b"") == PROJECT
    without_host = sign(unsigned, {"x-sdk-date", "x-project-id"})
    assert "SignedHeaders=x-project-id;x-sdk-date," in without_host["Authorization"]
    with pytest.raises(huawei.HuaweiError) as info:
        cloud().authenticate("GET", D4_PATH, D4_QUERY, without_host, b"")
    assert (info.value.status, info.value.code) == (401, "APIGW.0301")
    assert "the host header is not signed" in info.value.message


def test_a_security_token_with_a_permanent_key_is_refused():
    headers = dict({k: v for k, v in D4_HEADERS.items() if k != "Authorization"}, **{"X-Security-Token": "stolen"})
    signed = sign(headers, {"host", "x-sdk-date", "x-security-token"})
    with pytest.raises(huawei.HuaweiError) as info:
        cloud(token=None).authenticate("GET", D4_PATH, D4_QUERY, signed, b"")
    assert (info.value.status, info.value.code) == (401, "APIGW.0301")
    assert "security token was sent with a permanent access key" in info.value.message
    assert cloud(token="stolen").authenticate("GET", D4_PATH, D4_QUERY, signed, b"") == PROJECT


def test_accepts_h2_a_name_search_with_spaces_and_non_ascii():
    headers = dict(vectors.FABRIC_HEADERS, Authorization=(
        "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s;x-security-token, Signature=%s" % (
            AK, vectors.HUAWEI_SIGNED, vectors.H2_SIGNATURE)))
    assert cloud(token=vectors.SECURITY_TOKEN).authenticate("GET", vectors.FABRIC_PATH, vectors.H2_QUERY, headers,
                                                            b"") == PROJECT


def test_the_default_orders_follow_the_fleets_as_they_change():
    """The unfiltered default order of a fleet is kept between pages, and made anew when a service comes or goes."""
    ma = cloud()
    services = ma.modelarts_services("cn-north-4")

    def modelarts():
        return [s["service_id"] for s in ma._list_modelarts(  # pylint: disable=protected-access
            services, {"limit": "1000"})["services"]]

    def expected():
        return [s["service_id"] for s in sorted((s for s in services if s["workspace_id"] == "0"),
                                                key=lambda s: (s["publish_at"], s["service_id"]), reverse=True)]

    assert modelarts() == expected() and modelarts() == expected()
    services.append(dict(services[0], service_id="newest", workspace_id="0", publish_at=services[0]["publish_at"] * 2))
    assert modelarts()[0] == "newest" and modelarts() == expected()
    services.pop(0)
    assert modelarts() == expected()
    instances = ma.fabric_instances("ws-1")

    def fabric():
        return [i["id"] for i in ma._list_fabric("ws-1", {"limit": "100"})["service_instances"]]  # pylint: disable=protected-access

    assert fabric() == [i["id"] for i in sorted(instances, key=lambda i: (i["create_time"], i["id"]), reverse=True)]
    instances.pop(0)
    assert len(fabric()) == 29 and fabric() == [i["id"] for i in sorted(
        instances, key=lambda i: (i["create_time"], i["id"]), reverse=True)]
