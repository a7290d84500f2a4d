#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make the signing vectors of tests/unit/vectors.py with the vendors' official SDKs, and print them as JSON.

The SDKs are never a dependency of the collection or of `make test`; this tool is how the recorded vectors were
made, so anyone can make them again. In a throwaway venv:

    python3.11 -m venv /tmp/sdk && /tmp/sdk/bin/pip install alibabacloud-eas20210701==7.0.0 \\
        alibabacloud-tea-openapi==0.4.6 alibabacloud-credentials==1.0.12 huaweicloudsdkcore==3.1.219 \\
        huaweicloudsdkdataartsfabricep==3.1.219 huaweicloudsdkiam==3.1.219
    /tmp/sdk/bin/python tests/tools/make_vectors.py

The recorded vectors were made with those versions (and darabonba-core 1.0.9, alibabacloud-openapi-util 0.2.4,
alibabacloud-credentials 1.0.12, as pip resolved them). Nothing is sent: the SDKs' HTTP calls are stubbed where they
would go out, after signing. Time, nonce and user agent are frozen as docs/docsite/rst/wire.rst section D says:
Alibaba by patching ``alibabacloud_tea_openapi.utils.Utils.get_timestamp``, ``get_nonce`` and ``get_user_agent``; Huawei by
replacing the ``datetime`` of ``huaweicloudsdkcore.signer.signer`` and setting ``HttpConfig.user_agent``. The string
to sign is read from the SDKs' own functions (Alibaba: ``get_authorization``'s inputs; Huawei:
``Signer._process_string_to_sign``).

The lifecycle vectors (``lifecycle()``: EAS_CREATE, EAS_UPDATE, EAS_STOP, EAS_DELETE, MODELARTS_UPDATE,
MODELARTS_DELETE, FABRIC_CREATE) go through the same stubs, each through its SDK method: ``Client.create_service``,
``update_service``, ``stop_service``, ``delete_service`` of the PAI-EAS SDK, ``deploy_service_instance`` of the
DataArts Fabric SDK, and the core's generic ``Client.do_http_request`` for ModelArts v1 (huaweicloudsdkmodelarts
3.1.219 wraps only ``/v2/{project_id}/services``; wire.rst B.11). Their records add ``method``, ``path`` (Alibaba)
and ``body`` as sent.
"""

from __future__ import annotations

import datetime
import json
import sys

ALIBABA_AK, ALIBABA_SK = "LTAI5tTESTACCESSKEYID", "TestAccessKeySecret0123456789abcdef"
ALIBABA_DATE, ALIBABA_NONCE = "2024-01-02T03:04:05Z", "0123456789abcdef0123456789abcdef"
ALIBABA_UA = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2"
STS_TOKEN = "CAIS-test-security-token=="
HUAWEI_AK, HUAWEI_SK = "HPUATESTACCESSKEY0001", "HwTestSecretKey0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
DOMAIN_ID = "fedcba9876543210fedcba9876543210"
HUAWEI_UA = "test-agent"


class Captured(Exception):
    """Raised by the stubbed HTTP call: the request was signed and seen, and goes no further."""


def alibaba(request_fields: dict, sts: bool = False) -> dict:
    """Sign ListServices with the official PAI-EAS SDK (ACS3-HMAC-SHA256) and return what it would send."""
    from alibabacloud_eas20210701 import models

    return alibaba_call("list_services", (models.ListServicesRequest(**request_fields),), sts)


def alibaba_call(operation: str, args: tuple, sts: bool = False) -> dict:
    """Sign one operation of the official PAI-EAS SDK (ACS3-HMAC-SHA256) and return what it would send.

    :param operation: the SDK client's method, e.g. ``create_service``; ``args`` are its arguments.
    """
    from alibabacloud_eas20210701.client import Client
    from alibabacloud_tea_openapi import utils as tea_utils
    from alibabacloud_tea_openapi.models import Config
    from darabonba.core import DaraCore

    seen: dict = {}
    original = tea_utils.Utils.get_authorization

    def authorization(request, sign_type, payload, ak, secret):
        seen["canonical_query"] = tea_utils.get_canonical_query_string(request.query)
        headers, seen["signed_headers"] = tea_utils.get_canonicalized_headers(request.headers)
        parts = (request.method, request.pathname, seen["canonical_query"], headers, seen["signed_headers"], payload)
        canonical = "\n".join(parts)
        digest = tea_utils.Utils.hex_encode(tea_utils.Utils.hash(canonical.encode("utf-8"), sign_type))
        seen["string_to_sign"] = "%s\n%s" % (sign_type, digest)
        return original(request, sign_type, payload, ak, secret)

    def do_action(request, runtime=None):
        seen["wire"] = DaraCore.compose_url(request)
        seen["method"], seen["pathname"] = request.method, request.pathname
        seen["headers"] = dict(request.headers)
        body = request.body
        seen["body"] = body.decode("utf-8") if isinstance(body, bytes) else body
        raise Captured()

    tea_utils.Utils.get_timestamp = staticmethod(lambda: ALIBABA_DATE)
    tea_utils.Utils.get_nonce = staticmethod(lambda: ALIBABA_NONCE)
    tea_utils.Utils.get_user_agent = staticmethod(lambda user_agent=None: ALIBABA_UA)
    tea_utils.Utils.get_authorization = staticmethod(authorization)
    DaraCore.do_action = staticmethod(do_action)
    config = Config(access_key_id=ALIBABA_AK, access_key_secret=ALIBABA_SK, region_id="cn-hangzhou",
                    security_token=STS_TOKEN if sts else None)
    try:
        getattr(Client(config), operation)(*args)
    except Exception:  # pylint: disable=broad-exception-caught
        # The SDK wraps Captured in an exception of its own.
        if "wire" not in seen:
            raise
    vector = {"sdk": "alibabacloud-eas20210701 Client.%s" % operation, "wire": seen["wire"],
              "canonical_query": seen["canonical_query"], "signed_headers": seen["signed_headers"],
              "string_to_sign": seen["string_to_sign"],
              "authorization": next(v for k, v in seen["headers"].items() if k.lower() == "authorization"),
              "headers": {k: v for k, v in seen["headers"].items() if k.lower() != "authorization"}}
    if operation != "list_services":  # the list vectors were recorded without these
        vector.update(method=seen["method"], path=seen["pathname"], body=seen["body"])
    return vector


def huawei(host: str, path: str, query: list, token: str | None = None, fabric: dict | None = None) -> dict:
    """Sign a GET with huaweicloudsdkcore (SDK-HMAC-SHA256) and return what it would send.

    :param fabric: the DataArts Fabric request fields, to go through that SDK's own method; else the generic client.
    """
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.client import Client, ClientBuilder

    def call(config):
        credentials = BasicCredentials(HUAWEI_AK, HUAWEI_SK, PROJECT)
        if token:
            credentials = credentials.with_security_token(token)
        if fabric is not None:
            from huaweicloudsdkdataartsfabricep.v1 import DataArtsFabricEpClient, ListServicesInstancesRequest
            client = (DataArtsFabricEpClient.new_builder().with_http_config(config).with_credentials(credentials)
                      .with_endpoints(["https://" + host]).build())
            client.list_services_instances(ListServicesInstancesRequest(**fabric))
        else:
            client = (ClientBuilder(Client).with_http_config(config).with_credentials(credentials)
                      .with_endpoints(["https://" + host]).build())
            client.do_http_request("GET", path, query_params=query, header_params={})

    return _huawei_signed(host, call, "huaweicloudsdkcore %s" % (
        "DataArtsFabricEpClient.list_services_instances" if fabric is not None else "Client.do_http_request"))


def huawei_write(host: str, method: str, path: str, body: dict | None = None) -> dict:
    """Sign a ModelArts v1 write (PUT with a JSON body, DELETE) with huaweicloudsdkcore's generic client: the
    huaweicloudsdkmodelarts package wraps the v2 services API only, so no SDK method sends these."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.client import Client, ClientBuilder

    def call(config):
        client = (ClientBuilder(Client).with_http_config(config).with_credentials(BasicCredentials(
            HUAWEI_AK, HUAWEI_SK, PROJECT)).with_endpoints(["https://" + host]).build())
        client.do_http_request(method, path, query_params=[], header_params={}, body=body)

    return _huawei_signed(host, call, "huaweicloudsdkcore Client.do_http_request")


def fabric_deploy(host: str, workspace_id: str, instance: dict) -> dict:
    """Sign DataArts Fabric's DeployServiceInstance (a POST with a JSON body) with huaweicloudsdkdataartsfabricep,
    temporary keys as D5."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkdataartsfabricep.v1 import DataArtsFabricEpClient, model

    def call(config):
        credentials = BasicCredentials(HUAWEI_AK, HUAWEI_SK, PROJECT).with_security_token(STS_TOKEN)
        client = (DataArtsFabricEpClient.new_builder().with_http_config(config).with_credentials(credentials)
                  .with_endpoints(["https://" + host]).build())
        resource = model.ResourceDemand(**instance["config"]["model_instance_config"]["resource"])
        body = model.ServiceInstanceInput(
            source=model.SourceRef(**instance["source"]), name=instance["name"],
            description=instance.get("description"), endpoint_id=instance["endpoint_id"],
            config=model.ServiceInstanceConfig(model_instance_config=model.ModelServiceInstanceConfig(resource)))
        client.deploy_service_instance(model.DeployServiceInstanceRequest(workspace_id=workspace_id, body=body))

    return _huawei_signed(host, call, "huaweicloudsdkdataartsfabricep DataArtsFabricEpClient.deploy_service_instance")


def huawei_agency(host: str, assume_role: dict) -> dict:
    """Sign IAM's CreateTemporaryAccessKeyByAgency (a POST with a JSON body) with huaweicloudsdkiam and
    GlobalCredentials (which add X-Domain-Id), and return what it would send."""
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkiam.v3 import IamClient, model

    def call(config):
        client = (IamClient.new_builder().with_http_config(config).with_credentials(GlobalCredentials(
            HUAWEI_AK, HUAWEI_SK, DOMAIN_ID)).with_endpoints(["https://" + host]).build())
        assume = model.IdentityAssumerole(**assume_role)
        body = model.CreateTemporaryAccessKeyByAgencyRequestBody(auth=model.AgencyAuth(
            identity=model.AgencyAuthIdentity(methods=["assume_role"], assume_role=assume)))
        client.create_temporary_access_key_by_agency(model.CreateTemporaryAccessKeyByAgencyRequest(body=body))

    return _huawei_signed(host, call, "huaweicloudsdkiam IamClient.create_temporary_access_key_by_agency")


def _huawei_signed(host: str, call, sdk: str) -> dict:
    """Run ``call(config)`` with the Huawei signer's clock frozen and the HTTP call stubbed after signing."""
    from huaweicloudsdkcore.http.http_client import HttpClient
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkcore.signer import signer as signer_module

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):  # pylint: disable=arguments-differ
            return cls(2024, 1, 2, 3, 4, 5)

    seen: dict = {}
    original = signer_module.Signer._process_string_to_sign  # pylint: disable=protected-access

    def string_to_sign(self, canonical_request, moment):
        seen["string_to_sign"] = original(self, canonical_request, moment)
        return seen["string_to_sign"]

    def send(self, request):
        seen["request"] = request
        raise Captured()

    signer_module.datetime = Frozen
    signer_module.Signer._process_string_to_sign = string_to_sign  # pylint: disable=protected-access
    HttpClient.do_request_sync = send
    config = HttpConfig.get_default_config()
    config.user_agent = HUAWEI_UA
    try:
        call(config)
    except Exception:  # pylint: disable=broad-exception-caught
        # The SDK may wrap Captured in an exception of its own.
        if "request" not in seen:
            raise
    request = seen["request"]
    query_string = request.uri.split("?", 1)[1] if "?" in request.uri else ""
    body = request.body if isinstance(request.body, str) else (request.body or b"").decode("utf-8")
    return {"sdk": sdk, "method": request.method, "wire": "https://%s%s" % (host, request.uri),
            "canonical_query": query_string,
            "string_to_sign": seen["string_to_sign"], "authorization": request.header_params["Authorization"],
            "headers": {k: v for k, v in request.header_params.items() if k != "Authorization"}, "body": body}


EAS_D1 = {"filter": "foo bar", "label": {"app": "demo", "env": "生产"}, "order": "asc", "page_number": 1,
          "page_size": 50, "service_name": "ünï-服务 test", "service_status": "Running", "sort": "CreateTime",
          "workspace_id": "1234"}
EAS_E1 = {"label": {"团队": "搜索 排序", "env": "生产"}, "service_status": "Running", "page_number": 1, "page_size": 100,
          "workspace_id": "123445"}
MODELARTS_HOST = "modelarts.cn-north-4.myhuaweicloud.com"
FABRIC_HOST = "fabric-ep.cn-north-4.myhuaweicloud.com"


# The lifecycle writes (wire.rst A.10, B.11, C.2): a small service description, the one-field scaling body, a
# ModelArts status change and a DataArts Fabric instance.
EAS_CLUSTER, EAS_SERVICE = "cn-hangzhou", "demo_svc"
EAS_CONFIG = ('{"name":"demo_svc","metadata":{"instance":1,"cpu":1,"memory":2000},'
              '"containers":[{"image":"registry.cn-hangzhou.aliyuncs.com/eas/demo:1","port":8000}]}')
EAS_LABELS = {"env": "dev", "团队": "搜索 排序"}
MODELARTS_SERVICE_PATH = "/v1/%s/services/2d7ac7e5-2f3b-4c1e-9f0a-6b5c4d3e2f1a" % PROJECT
FABRIC_INSTANCE = {"name": "chat-1", "description": "demo", "endpoint_id": "ep-0001",
                   "source": {"id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "version_id": "v-0001"},
                   "config": {"model_instance_config": {"resource": {"min": 1, "max": 2, "spec_code": "mt.s1"}}}}


def lifecycle() -> dict:
    """The lifecycle writes, each signed by its SDK method (ModelArts v1 through the generic client)."""
    from alibabacloud_eas20210701 import models

    return {
        "EAS_CREATE": alibaba_call("create_service", (models.CreateServiceRequest(
            workspace_id="1234", labels=EAS_LABELS, body=EAS_CONFIG),)),
        "EAS_UPDATE": alibaba_call("update_service", (EAS_CLUSTER, EAS_SERVICE, models.UpdateServiceRequest(
            body='{"metadata":{"instance":2}}'))),
        "EAS_STOP": alibaba_call("stop_service", (EAS_CLUSTER, EAS_SERVICE)),
        "EAS_DELETE": alibaba_call("delete_service", (EAS_CLUSTER, EAS_SERVICE)),
        "MODELARTS_UPDATE": huawei_write(MODELARTS_HOST, "PUT", MODELARTS_SERVICE_PATH, {"status": "stopped"}),
        "MODELARTS_DELETE": huawei_write(MODELARTS_HOST, "DELETE", MODELARTS_SERVICE_PATH),
        "FABRIC_CREATE": fabric_deploy(FABRIC_HOST, "ws-0001", FABRIC_INSTANCE),
    }


STS_ROLE_ARN = "acs:ram::1234567890123456:role/inventory-reader"
STS_DATE, STS_NONCE = "2024-01-02T03:04:05Z", "8c2f9b1e-0d4a-5f6b-9c7d-0123456789ab"
STS_POLICY = '{"Statement":[{"Action":["eas:ListServices"],"Effect":"Allow","Resource":"*"}],"Version":"1"}'


def sts(security_token: str | None = None) -> dict:
    """Sign AssumeRole with alibabacloud-credentials' RAM role ARN provider and return what it would send."""
    from alibabacloud_credentials.provider import ram_role_arn
    from alibabacloud_credentials.utils import parameter_helper

    seen: dict = {}

    def do_action(request, _runtime):
        query = {k: v for k, v in request.query.items() if k != "Signature"}
        seen.update(query=dict(request.query), host=request.headers["host"], method=request.method,
                    string_to_sign=parameter_helper.compose_string_to_sign("GET", query))
        raise Captured()

    parameter_helper.get_iso_8061_date = lambda: STS_DATE
    parameter_helper.get_uuid = lambda: STS_NONCE
    ram_role_arn.TeaCore.do_action = do_action
    provider = ram_role_arn.RamRoleArnCredentialsProvider(
        access_key_id=ALIBABA_AK, access_key_secret=ALIBABA_SK, security_token=security_token,
        role_arn=STS_ROLE_ARN, role_session_name="ansible-modelserving-cloud", duration_seconds=1800,
        policy=STS_POLICY, external_id="abcd1234", sts_region_id="cn-hangzhou")
    try:
        provider.get_credentials()
    except Captured:
        pass
    return seen


def main() -> int:
    vectors = {
        "D1": alibaba(EAS_D1),
        "D2": alibaba(EAS_D1, sts=True),
        "E1": alibaba(EAS_E1),
        "D4": huawei(MODELARTS_HOST, "/v1/%s/services" % PROJECT, [
            ("service_name", "ünï-服务 test"), ("infer_type", "real-time"), ("status", "running"),
            ("workspace_id", "0"), ("offset", 0), ("limit", 100), ("sort_by", "publish_at"), ("order", "desc"),
            ("tags", "k1=v1")]),
        "H1": huawei(MODELARTS_HOST, "/v1/%s/services" % PROJECT, [
            ("service_name", "chat 服务 v1.2_a"), ("status", "running"), ("limit", 1000), ("offset", 0)]),
        "D5": huawei(FABRIC_HOST, "", [], token=STS_TOKEN, fabric={
            "workspace_id": "ws-0001", "name": "服务 instance", "limit": 10, "offset": 0, "visibility": "PRIVATE",
            "type": "LLM_MODEL", "sort_by": "CREATE_TIME", "order_by": "DESC"}),
        "H2": huawei(FABRIC_HOST, "", [], token=STS_TOKEN, fabric={
            "workspace_id": "ws-0001", "name": "chat_v1.2 服务 a", "limit": 100, "offset": 0}),
        "D6": huawei(MODELARTS_HOST, "/v1/%s/services" % PROJECT, [("b", True), ("a", ["z", "y"]), ("A", "x y~*")]),
        "H3": huawei_agency("iam.cn-north-4.myhuaweicloud.com", {
            "agency_name": "modelarts-reader", "domain_name": "agency-account", "duration_seconds": 3600,
            "session_user": {"name": "nightly_job"}}),
        "S1": sts(),
        "S2": sts(STS_TOKEN),
    }
    vectors.update(lifecycle())
    json.dump(vectors, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
