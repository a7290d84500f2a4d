# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests as the vendors' official SDKs signed them (docs/docsite/rst/wire.rst section D), for the signer and
emulator tests.

How they were made: tests/tools/make_vectors.py drove the SDKs with fake credentials and frozen time, nonce and user
agent, and stubbed the HTTP call after signing. Alibaba vectors: alibabacloud-eas20210701 7.0.0
``Client.list_services`` on alibabacloud-tea-openapi 0.4.6 (darabonba-core 1.0.9), ACS3-HMAC-SHA256, region
cn-hangzhou. Huawei vectors: huaweicloudsdkcore 3.1.219 (``Client.do_http_request`` for ModelArts v1, which no SDK
package wraps) and huaweicloudsdkdataartsfabricep 3.1.219 (``DataArtsFabricEpClient.list_services_instances``),
SDK-HMAC-SHA256 with ``BasicCredentials(AK, SK, PROJECT)``, ``HttpConfig.user_agent = "test-agent"``, cn-north-4.
Run the tool again (its docstring says how) and it prints the same values.

Each vector's ``options`` are what a user gives the collection's module; the tests send them through the
collection's own path (declaration, encoding, canonical query, signer) and compare with what the SDK signed.
"""

from __future__ import annotations

ALIBABA_AK = "LTAI5tTESTACCESSKEYID"
ALIBABA_SK = "TestAccessKeySecret0123456789abcdef"
ALIBABA_UA = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2"
HUAWEI_AK = "HPUATESTACCESSKEY0001"
HUAWEI_SK = "HwTestSecretKey0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_UA = "huaweicloud-usdk-python/3.0; test-agent"
SECURITY_TOKEN = "CAIS-test-security-token=="
EAS_SIGNED = ("accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
              "x-acs-signature-nonce;x-acs-version")

# -- Alibaba PAI-EAS ListServices ---------------------------------------------------------------------------------
# D1: ListServicesRequest(filter="foo bar", label={"app": "demo", "env": "生产"}, order="asc", page_number=1,
# page_size=50, service_name="ünï-服务 test", service_status="Running", sort="CreateTime", workspace_id="1234"),
# x-acs-date 2024-01-02T03:04:05Z, nonce 0123456789abcdef0123456789abcdef, static AK.
D1_OPTIONS = {"filter": "foo bar", "label": {"app": "demo", "env": "生产"}, "order": "asc", "service_name": "ünï-服务 test",
              "service_status": "Running", "sort": "CreateTime", "workspace_id": "1234"}
D1_PAGING = {"PageNumber": 1, "PageSize": 50}
D1_QUERY = ("Filter=foo%20bar&Label=%7B%22app%22%3A%22demo%22%2C%22env%22%3A%22%E7%94%9F%E4%BA%A7%22%7D&Order=asc"
            "&PageNumber=1&PageSize=50&ServiceName=%C3%BCn%C3%AF-%E6%9C%8D%E5%8A%A1%20test&ServiceStatus=Running"
            "&Sort=CreateTime&WorkspaceId=1234")
D1_HEADERS = {
    "accept": "application/json",
    "host": "pai-eas.cn-hangzhou.aliyuncs.com",
    "user-agent": ALIBABA_UA,
    "x-acs-action": "ListServices",
    "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-acs-credentials-provider": "static_ak",
    "x-acs-date": "2024-01-02T03:04:05Z",
    "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
    "x-acs-version": "2021-07-01",
}
D1_STRING_TO_SIGN = "ACS3-HMAC-SHA256\n5d5a1594a30e762338683982f47ee774d63f79de70c18bbac279ba1268d51406"
D1_SIGNATURE = "d1b4b94c0a6280598c561bfe467053acdda8fc4425d672ca6e4794327f9c092b"
# D2: D1 with STS keys (Config(security_token=SECURITY_TOKEN)): the SDK adds and signs the two STS headers.
D2_TOKEN = SECURITY_TOKEN
D2_HEADERS = dict(D1_HEADERS, **{"x-acs-credentials-provider": "static_sts", "x-acs-accesskey-id": ALIBABA_AK,
                                 "x-acs-security-token": D2_TOKEN})
D2_STRING_TO_SIGN = "ACS3-HMAC-SHA256\n37aaaaafd707a25c0ea0668f6759a40299635cc2b1d9c60f53738827ad0167b9"
D2_SIGNATURE = "76809fcc8360b4811a6dd8b76a50f9118df7e1e3e6a3d02f10b456d9c8f44304"
# E1: a Label whose keys and values are non-ASCII and hold a space: ListServicesRequest(label={"团队": "搜索 排序",
# "env": "生产"}, service_status="Running", page_number=1, page_size=100, workspace_id="123445"), as D1 otherwise.
# The SDK sends the space as "+" on the wire and signs it as %20.
E1_OPTIONS = {"label": {"团队": "搜索 排序", "env": "生产"}, "service_status": "Running", "workspace_id": "123445"}
E1_PAGING = {"PageNumber": 1, "PageSize": 100}
E1_WIRE_QUERY = ("Label=%7B%22%E5%9B%A2%E9%98%9F%22%3A%22%E6%90%9C%E7%B4%A2+%E6%8E%92%E5%BA%8F%22%2C%22env%22%3A%22"
                 "%E7%94%9F%E4%BA%A7%22%7D&PageNumber=1&PageSize=100&ServiceStatus=Running&WorkspaceId=123445")
E1_QUERY = E1_WIRE_QUERY.replace("+", "%20")
E1_HEADERS = D1_HEADERS
E1_STRING_TO_SIGN = "ACS3-HMAC-SHA256\ndb35416e588128ddb6b6f1ec5d724b1f5c8a23b9975cdc06db27b0c5fb22e2c3"
E1_SIGNATURE = "06e2a3d337d8706816ccc3d5cae04f7b0364e9bdab77d34637c356e115b5825c"

# -- Huawei (X-Sdk-Date 20240102T030405Z) ------------------------------------------------------------------------
MODELARTS_PATH = "/v1/%s/services" % PROJECT
MODELARTS_HEADERS = {
    "Content-Type": "application/json",
    "Host": "modelarts.cn-north-4.myhuaweicloud.com",
    "User-Agent": HUAWEI_UA,
    "X-Project-Id": PROJECT,
    "X-Sdk-Date": "20240102T030405Z",
}
HUAWEI_SIGNED = "content-type;host;user-agent;x-project-id;x-sdk-date"
# D4: ModelArts v1, query_params [("service_name", "ünï-服务 test"), ("infer_type", "real-time"), ("status", "running"),
# ("workspace_id", "0"), ("offset", 0), ("limit", 100), ("sort_by", "publish_at"), ("order", "desc"),
# ("tags", "k1=v1")].
D4_OPTIONS = {"service_name": "ünï-服务 test", "infer_type": "real-time", "status": "running", "workspace_id": "0",
              "sort_by": "publish_at", "order": "desc", "tags": "k1=v1"}
D4_PAGING = {"offset": 0, "limit": 100}
D4_QUERY = ("infer_type=real-time&limit=100&offset=0&order=desc&service_name=%C3%BCn%C3%AF-%E6%9C%8D%E5%8A%A1%20test"
            "&sort_by=publish_at&status=running&tags=k1%3Dv1&workspace_id=0")
D4_STRING_TO_SIGN = ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                     "39904c4d416abbee23782d273b4ffca31584f7953ff151addf697b8d1e5177cc")
D4_SIGNATURE = "70b291db73f4c700f1b607be27fb3360d389d1bb8d1ad86c0bcb129362244a6a"
# H1: ModelArts v1, a service_name with spaces, a period, an underscore and non-ASCII: query_params
# [("service_name", "chat 服务 v1.2_a"), ("status", "running"), ("limit", 1000), ("offset", 0)].
H1_OPTIONS = {"service_name": "chat 服务 v1.2_a", "status": "running"}
H1_PAGING = {"limit": 1000, "offset": 0}
H1_QUERY = "limit=1000&offset=0&service_name=chat%20%E6%9C%8D%E5%8A%A1%20v1.2_a&status=running"
H1_STRING_TO_SIGN = ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                     "37fa98204e38c510f32ddbe7e3a495028e071c5e2b016488621ede8e2414a464")
H1_SIGNATURE = "b9ed17a5468aa80055d259c321c7b32261113c6b04cfd06218036dbe92b14e06"
# D5: DataArts Fabric through ListServicesInstancesRequest(workspace_id="ws-0001", name="服务 instance", limit=10,
# offset=0, visibility="PRIVATE", type="LLM_MODEL", sort_by="CREATE_TIME", order_by="DESC"), temporary AK/SK
# (BasicCredentials(...).with_security_token(SECURITY_TOKEN)).
FABRIC_PATH = "/v1/workspaces/ws-0001/services/instances"
FABRIC_HEADERS = dict(MODELARTS_HEADERS, **{"Host": "fabric-ep.cn-north-4.myhuaweicloud.com",
                                            "X-Security-Token": SECURITY_TOKEN})
D5_OPTIONS = {"name": "服务 instance", "visibility": "PRIVATE", "type": "LLM_MODEL", "sort_by": "CREATE_TIME",
              "order_by": "DESC"}
D5_PAGING = {"limit": 10, "offset": 0}
D5_QUERY = ("limit=10&name=%E6%9C%8D%E5%8A%A1%20instance&offset=0&order_by=DESC&sort_by=CREATE_TIME&type=LLM_MODEL"
            "&visibility=PRIVATE")
D5_STRING_TO_SIGN = ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                     "1ec58a301c0d8ebc4410cab8382a872bed930903c5709dccdc144eb720e20739")
D5_SIGNATURE = "53fe3f7118932e2886543b1c90865cf0f49aabde45b766de7d1975b7f6f4b208"
# H2: DataArts Fabric, a name search with an underscore, a period, spaces and non-ASCII:
# ListServicesInstancesRequest(workspace_id="ws-0001", name="chat_v1.2 服务 a", limit=100, offset=0), as D5.
H2_OPTIONS = {"name": "chat_v1.2 服务 a"}
H2_PAGING = {"limit": 100, "offset": 0}
H2_QUERY = "limit=100&name=chat_v1.2%20%E6%9C%8D%E5%8A%A1%20a&offset=0"
H2_STRING_TO_SIGN = ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                     "d8700cfb167bc79ef460516efb9ad15e63671464b46d23590b280f4f7417f040")
H2_SIGNATURE = "0b65382ab7a9edf4458fe62ed7e563bb526fd2d55f1dc55109776f653579b100"
# D6: encoding edge cases through the generic client: query_params [("b", True), ("a", ["z", "y"]), ("A", "x y~*")]
# on the ModelArts path: a boolean, a list as a repeated key (values sorted), a space, ~ kept and * encoded.
D6_QUERY = "A=x%20y~%2A&a=y&a=z&b=true"
D6_SIGNATURE = "cb20eb42524aad6e18fcbb55d038f166b6b9454b3d1efbe627a9d872c0b51afa"

# -- Alibaba Cloud STS AssumeRole (RPC, HMAC-SHA1 signature v1) --------------------------------------------------------
# S1: alibabacloud-credentials 1.0.12 RamRoleArnCredentialsProvider(access_key_id=ALIBABA_AK,
# access_key_secret=ALIBABA_SK, role_arn=STS_ROLE_ARN, role_session_name="ansible-modelserving-cloud",
# duration_seconds=1800, policy=STS_POLICY, external_id="abcd1234", sts_region_id="cn-hangzhou").get_credentials(),
# with parameter_helper.get_iso_8061_date and get_uuid frozen and TeaCore.do_action stubbed (make_vectors.py sts()).
# S2: the same with security_token=SECURITY_TOKEN (STS base keys). The package signs with quote_plus, which differs
# from the document's percent-encoding only for a space; these values have none.
STS_ROLE_ARN = "acs:ram::1234567890123456:role/inventory-reader"
STS_POLICY = '{"Statement":[{"Action":["eas:ListServices"],"Effect":"Allow","Resource":"*"}],"Version":"1"}'
STS_HOST = "sts.cn-hangzhou.aliyuncs.com"
S1_PARAMS = {
    'Action': 'AssumeRole',
    'Format': 'JSON',
    'Version': '2015-04-01',
    'DurationSeconds': '1800',
    'RoleArn': STS_ROLE_ARN,
    'RoleSessionName': 'ansible-modelserving-cloud',
    'SignatureMethod': 'HMAC-SHA1',
    'SignatureVersion': '1.0',
    'Timestamp': '2024-01-02T03:04:05Z',
    'SignatureNonce': '8c2f9b1e-0d4a-5f6b-9c7d-0123456789ab',
    'Policy': STS_POLICY,
    'ExternalId': 'abcd1234',
    'AccessKeyId': ALIBABA_AK,
}
S1_STRING_TO_SIGN = (
    'GET&%2F&AccessKeyId%3DLTAI5tTESTACCESSKEYID%26Action%3DAssumeRole%26DurationSeconds%3D1800%26Externa'
    'lId%3Dabcd1234%26Format%3DJSON%26Policy%3D%257B%2522Statement%2522%253A%255B%257B%2522Action%2522%25'
    '3A%255B%2522eas%253AListServices%2522%255D%252C%2522Effect%2522%253A%2522Allow%2522%252C%2522Resourc'
    'e%2522%253A%2522%252A%2522%257D%255D%252C%2522Version%2522%253A%25221%2522%257D%26RoleArn%3Dacs%253A'
    'ram%253A%253A1234567890123456%253Arole%252Finventory-reader%26RoleSessionName%3Dansible-modelserving'
    '-cloud%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D8c2f9b1e-0d4a-5f6b-9c7d-0123456789ab%26Signa'
    'tureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2015-04-01')
S1_SIGNATURE = "YDMP8bTVgJFSGil5qKdCVWknlUU="
S2_PARAMS = {
    'Action': 'AssumeRole',
    'Format': 'JSON',
    'Version': '2015-04-01',
    'DurationSeconds': '1800',
    'RoleArn': STS_ROLE_ARN,
    'RoleSessionName': 'ansible-modelserving-cloud',
    'SignatureMethod': 'HMAC-SHA1',
    'SignatureVersion': '1.0',
    'Timestamp': '2024-01-02T03:04:05Z',
    'SignatureNonce': '8c2f9b1e-0d4a-5f6b-9c7d-0123456789ab',
    'Policy': STS_POLICY,
    'ExternalId': 'abcd1234',
    'AccessKeyId': ALIBABA_AK,
    'SecurityToken': SECURITY_TOKEN,
}
S2_STRING_TO_SIGN = (
    'GET&%2F&AccessKeyId%3DLTAI5tTESTACCESSKEYID%26Action%3DAssumeRole%26DurationSeconds%3D1800%26Externa'
    'lId%3Dabcd1234%26Format%3DJSON%26Policy%3D%257B%2522Statement%2522%253A%255B%257B%2522Action%2522%25'
    '3A%255B%2522eas%253AListServices%2522%255D%252C%2522Effect%2522%253A%2522Allow%2522%252C%2522Resourc'
    'e%2522%253A%2522%252A%2522%257D%255D%252C%2522Version%2522%253A%25221%2522%257D%26RoleArn%3Dacs%253A'
    'ram%253A%253A1234567890123456%253Arole%252Finventory-reader%26RoleSessionName%3Dansible-modelserving'
    '-cloud%26SecurityToken%3DCAIS-test-security-token%253D%253D%26SignatureMethod%3DHMAC-SHA1%26Signatur'
    'eNonce%3D8c2f9b1e-0d4a-5f6b-9c7d-0123456789ab%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%2'
    '53A04%253A05Z%26Version%3D2015-04-01')
S2_SIGNATURE = "I4awT/6VF05IHw9aplKIGTl6evI="

# -- Huawei IAM: an agency's temporary AK/SK (assume_role) ---------------------------------------------------------
# H3: huaweicloudsdkiam 3.1.219 IamClient.create_temporary_access_key_by_agency(CreateTemporaryAccessKeyByAgencyRequest(
# body=...(identity=AgencyAuthIdentity(methods=["assume_role"], assume_role=IdentityAssumerole(
# agency_name="modelarts-reader", domain_name="agency-account", duration_seconds=3600,
# session_user={"name": "nightly_job"}))))) with GlobalCredentials(HUAWEI_AK, HUAWEI_SK, HUAWEI_DOMAIN_ID), as D4:
# a POST with a JSON body, and X-Domain-Id (make_vectors.py huawei_agency()).
HUAWEI_DOMAIN_ID = "fedcba9876543210fedcba9876543210"
H3_BODY = ('{"auth": {"identity": {"methods": ["assume_role"], "assume_role": {"agency_name": "modelarts-reader"'
           ', "domain_name": "agency-account", "duration_seconds": 3600, "session_user": {"name": "nightly_job"}'
           '}}}}')
H3_HEADERS = {
    "content-type": "application/json;charset=utf-8",
    "user-agent": "huaweicloud-usdk-python/3.0; test-agent",
    "x-domain-id": "fedcba9876543210fedcba9876543210",
    "x-sdk-date": "20240102T030405Z",
    "host": "iam.cn-north-4.myhuaweicloud.com"
}
H3_STRING_TO_SIGN = 'SDK-HMAC-SHA256\n20240102T030405Z\n7fd4dc44402b4f6cb35e6d98f41b122df95520029804910e2b7aa95bf9ecb0da'
H3_SIGNATURE = "ef5ed631e3ef8a7ee57ab4f3391bb098e6da48c04e327f15f6fb3f7b15a55cbb"

# -- Lifecycle writes (docs/docsite/rst/wire.rst A.10, B.11, C.2) --------------------------------------------------
# Made by make_vectors.py lifecycle() with the same keys, frozen date, nonce and user agent as above. Each gives the
# request as the SDK sent it: method, path, query (canonical; the wire query where it differs), headers without
# Authorization, body (the exact bytes hashed; None for none), string to sign and signature.
EAS_CLUSTER, EAS_SERVICE = "cn-hangzhou", "demo_svc"
EAS_SERVICE_PATH = "/api/v2/services/%s/%s" % (EAS_CLUSTER, EAS_SERVICE)
EAS_WRITE_SIGNED = ("accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;"
                    "x-acs-date;x-acs-signature-nonce;x-acs-version")
EAS_BODY_HEADERS = dict(D1_HEADERS, **{"content-type": "application/json; charset=utf-8"})
# EAS_CREATE: Client.create_service(CreateServiceRequest(workspace_id="1234", labels=EAS_CREATE_LABELS,
# body=EAS_CREATE_BODY)): the body is the JSON text given, sent as it is; Labels go into the query as the SDK's compact
# JSON (non-ASCII raw, then percent-encoded), the space as "+" on the wire and %20 in the signed query (as E1).
EAS_CREATE_LABELS = {"env": "dev", "团队": "搜索 排序"}
EAS_CREATE = {
    "method": "POST",
    "path": "/api/v2/services",
    "options": {"WorkspaceId": "1234", "Labels": EAS_CREATE_LABELS},
    "wire_query": ("Labels=%7B%22env%22%3A%22dev%22%2C%22%E5%9B%A2%E9%98%9F%22%3A%22%E6%90%9C%E7%B4%A2+%E6%8E%92%E5%BA"
                   "%8F%22%7D&WorkspaceId=1234"),
    "query": ("Labels=%7B%22env%22%3A%22dev%22%2C%22%E5%9B%A2%E9%98%9F%22%3A%22%E6%90%9C%E7%B4%A2%20%E6%8E%92%E5%BA%8F"
              "%22%7D&WorkspaceId=1234"),
    "headers": dict(EAS_BODY_HEADERS, **{
        "x-acs-action": "CreateService",
        "x-acs-content-sha256": "75674642ff40fa588218a11a2363e252fa1b3921df7e33d446e3ccd843d58c77"}),
    "body": ('{"name":"demo_svc","metadata":{"instance":1,"cpu":1,"memory":2000},'
             '"containers":[{"image":"registry.cn-hangzhou.aliyuncs.com/eas/demo:1","port":8000}]}'),
    "string_to_sign": "ACS3-HMAC-SHA256\nc508980324929d4d967c61bc160ce752a7d663e40d4b8232b69321629ccd22c2",
    "signature": "dcf528b853456784b79aa4a72b84e74202339cfca200d80e3a4419641d75d7f8",
}
# EAS_UPDATE: Client.update_service("cn-hangzhou", "demo_svc",
# UpdateServiceRequest(body='{"metadata":{"instance":2}}')): scaling; no UpdateType given, so none in the query (the
# server's default is merge).
EAS_UPDATE = {
    "method": "PUT",
    "path": EAS_SERVICE_PATH,
    "query": "",
    "headers": dict(EAS_BODY_HEADERS, **{
        "x-acs-action": "UpdateService",
        "x-acs-content-sha256": "f1aa557f5bec1c05537b55ad4415d78c437d494470b1bd21e3a333ac2b51fb84"}),
    "body": '{"metadata":{"instance":2}}',
    "string_to_sign": "ACS3-HMAC-SHA256\nbd15014e601e2c0a83efaecfab84a8aa30f26eadd664d84791f7f3bc55e05f4a",
    "signature": "d543e663958713dbfc299bdf88d7f5d5ce7b9106b32b5fb23d9728e472e5597b",
}
# EAS_STOP: Client.stop_service("cn-hangzhou", "demo_svc"): a PUT without a body, so no content-type and the empty
# body's hash, as a GET.
EAS_STOP = {
    "method": "PUT",
    "path": EAS_SERVICE_PATH + "/stop",
    "query": "",
    "headers": dict(D1_HEADERS, **{"x-acs-action": "StopService"}),
    "body": None,
    "string_to_sign": "ACS3-HMAC-SHA256\n536a44f59286d1f9c28430164acabf50b42fac71a9974a01057f4a51fb84bb91",
    "signature": "fdd6c6da4effe23db4fede53076eadcede0c4c3fee3ac7a2fb97e61682128b5e",
}
# EAS_DELETE: Client.delete_service("cn-hangzhou", "demo_svc").
EAS_DELETE = {
    "method": "DELETE",
    "path": EAS_SERVICE_PATH,
    "query": "",
    "headers": dict(D1_HEADERS, **{"x-acs-action": "DeleteService"}),
    "body": None,
    "string_to_sign": "ACS3-HMAC-SHA256\nb232b8adfe4ddb4c908bf3eb83e4aef2f8c48aff1a0a4dd08dc23f117c2ee4f6",
    "signature": "6f34ca4b2ac0991c0dd4c5483296128d6a27970f8720567a5f51cc1da277ce7d",
}
# MODELARTS_UPDATE: huaweicloudsdkcore Client.do_http_request("PUT", MODELARTS_SERVICE_PATH, body={"status":
# "stopped"}) with BasicCredentials(HUAWEI_AK, HUAWEI_SK, PROJECT), as D4: the SDK serializes a dict body with
# json.dumps (", " and ": " separators) and signs those bytes; Content-Type application/json as on a GET.
MODELARTS_SERVICE_PATH = MODELARTS_PATH + "/2d7ac7e5-2f3b-4c1e-9f0a-6b5c4d3e2f1a"
MODELARTS_UPDATE = {
    "method": "PUT",
    "path": MODELARTS_SERVICE_PATH,
    "query": "",
    "headers": MODELARTS_HEADERS,
    "body": '{"status": "stopped"}',
    "string_to_sign": ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                       "eadd859b79a016e7ee6662067adf4067fd74304ce1420cf90e028606f0365429"),
    "signature": "129f329d8bd970331c44af01c9df6d4d65fc79b85c4c93d6fd8513ec65052b6d",
}
# MODELARTS_DELETE: the same client, DELETE on the same path, no body (the empty body's hash); Content-Type is still
# sent and signed.
MODELARTS_DELETE = {
    "method": "DELETE",
    "path": MODELARTS_SERVICE_PATH,
    "query": "",
    "headers": MODELARTS_HEADERS,
    "body": "",
    "string_to_sign": ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                       "e3180044ce68e34ac6d104d16cace8bb7b690d8ad59caca48646d1d085b4f957"),
    "signature": "794e02f790146c0647fb8e03eb81eaa42cfe42cc21ccaeae2249c91fe2f079c6",
}
# FABRIC_CREATE: huaweicloudsdkdataartsfabricep DataArtsFabricEpClient.deploy_service_instance(
# DeployServiceInstanceRequest(workspace_id="ws-0001", body=ServiceInstanceInput(source=SourceRef(id=..., version_id=
# "v-0001"), name="chat-1", description="demo", endpoint_id="ep-0001", config=ServiceInstanceConfig(
# model_instance_config=ModelServiceInstanceConfig(ResourceDemand(min=1, max=2, spec_code="mt.s1")))))), temporary
# keys as D5: the body in the model's attribute order, json.dumps separators.
FABRIC_CREATE = {
    "method": "POST",
    "path": FABRIC_PATH,
    "query": "",
    "headers": FABRIC_HEADERS,
    "body": ('{"source": {"id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "version_id": "v-0001"}, "name": "chat-1", '
             '"description": "demo", "endpoint_id": "ep-0001", "config": {"model_instance_config": {"resource": '
             '{"min": 1, "max": 2, "spec_code": "mt.s1"}}}}'),
    "string_to_sign": ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                       "0a5bbd559535f7e278c47d2b4a3f6260c16d6064309416311a2d4caf7e53c38e"),
    "signature": "cfde20ef137af503bf50389cfde7828d3276779df441746f32fc4e6746580ba7",
}
