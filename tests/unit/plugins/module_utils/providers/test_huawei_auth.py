# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-HMAC-SHA256 against the official SDK's own output (WIRE.md section D4 to D6), step by step."""

from __future__ import annotations

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import canonical_query

AK = "HPUATESTACCESSKEY0001"
SK = "HwTestSecretKey0123456789abcdefghijklmnop"
PROJECT = "0123456789abcdef0123456789abcdef"
HEADERS = {
    "Content-Type": "application/json",
    "Host": "modelarts.cn-north-4.myhuaweicloud.com",
    "User-Agent": "huaweicloud-usdk-python/3.0; test-agent",
    "X-Project-Id": PROJECT,
    "X-Sdk-Date": "20240102T030405Z",
}
D4_QUERY = ("infer_type=real-time&limit=100&offset=0&order=desc&service_name=%C3%BCn%C3%AF-%E6%9C%8D%E5%8A%A1%20test"
            "&sort_by=publish_at&status=running&tags=k1%3Dv1&workspace_id=0")
PATH = "/v1/%s/services" % PROJECT


def test_canonical_uri_ends_with_a_slash():
    assert huawei_auth.canonical_uri(PATH) == PATH + "/"
    assert huawei_auth.canonical_uri("/v1/a b/") == "/v1/a%20b/"


def test_d4_query():
    assert canonical_query({
        "service_name": "ünï-服务 test", "infer_type": "real-time", "status": "running", "workspace_id": 0,
        "offset": 0, "limit": 100, "sort_by": "publish_at", "order": "desc", "tags": "k1=v1"}) == D4_QUERY


def test_d4_modelarts():
    to_sign, authorization = huawei_auth.aksk_authorization("GET", PATH, D4_QUERY, HEADERS, b"", AK, SK)
    assert to_sign == ("SDK-HMAC-SHA256\n20240102T030405Z\n"
                       "39904c4d416abbee23782d273b4ffca31584f7953ff151addf697b8d1e5177cc")
    assert authorization == (
        "SDK-HMAC-SHA256 Access=HPUATESTACCESSKEY0001, SignedHeaders=content-type;host;user-agent;x-project-id;"
        "x-sdk-date, Signature=70b291db73f4c700f1b607be27fb3360d389d1bb8d1ad86c0bcb129362244a6a")


def test_d5_fabric_with_security_token():
    query = canonical_query({"name": "服务 instance", "limit": 10, "offset": 0, "visibility": "PRIVATE",
                             "type": "LLM_MODEL", "sort_by": "CREATE_TIME", "order_by": "DESC"})
    assert query == ("limit=10&name=%E6%9C%8D%E5%8A%A1%20instance&offset=0&order_by=DESC&sort_by=CREATE_TIME"
                     "&type=LLM_MODEL&visibility=PRIVATE")
    headers = dict(HEADERS, Host="fabric-ep.cn-north-4.myhuaweicloud.com")
    headers["X-Security-Token"] = "CAIS-test-security-token=="
    to_sign, authorization = huawei_auth.aksk_authorization("GET", "/v1/workspaces/ws-0001/services/instances",
                                                            query, headers, b"", AK, SK)
    assert to_sign.endswith("1ec58a301c0d8ebc4410cab8382a872bed930903c5709dccdc144eb720e20739")
    assert "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token," in authorization
    assert authorization.endswith("Signature=53fe3f7118932e2886543b1c90865cf0f49aabde45b766de7d1975b7f6f4b208")


def test_d6_encoding_edge_cases():
    query = canonical_query({"b": True, "a": ["z", "y"], "A": "x y~*"})
    assert query == "A=x%20y~%2A&a=y&a=z&b=true"
    authorization = huawei_auth.aksk_authorization("GET", PATH, query, HEADERS, b"", AK, SK)[1]
    assert authorization.endswith("Signature=cb20eb42524aad6e18fcbb55d038f166b6b9454b3d1efbe627a9d872c0b51afa")


def test_headers_with_underscores_are_not_signed():
    headers = dict(HEADERS, **{"X_Custom": "1"})
    assert huawei_auth.aksk_authorization("GET", PATH, D4_QUERY, headers, b"", AK, SK) == \
        huawei_auth.aksk_authorization("GET", PATH, D4_QUERY, HEADERS, b"", AK, SK)


def test_signer_sets_date_project_token_and_content_type():
    signer = huawei_auth.AkSkSigner(AK, SK, security_token="tok", project_id=PROJECT)
    headers = {"host": "h", "user-agent": "ua"}
    signer.sign("GET", "h", PATH, "", headers, b"")
    assert headers["content-type"] == "application/json"
    assert headers["x-project-id"] == PROJECT and headers["x-security-token"] == "tok"
    assert len(headers["x-sdk-date"]) == 16 and headers["x-sdk-date"].endswith("Z")
    unsigned = {k: v for k, v in headers.items() if k != "authorization"}
    assert headers["authorization"] == huawei_auth.aksk_authorization("GET", PATH, "", unsigned, b"", AK, SK)[1]
