# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ACS3-HMAC-SHA256 against the official SDK's own output (WIRE.md section D), step by step."""

from __future__ import annotations

import re

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import encode_value
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import canonical_query
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK
D1_PARAMS = {
    "Filter": "foo bar", "Label": {"app": "demo", "env": "生产"}, "Order": "asc", "PageNumber": 1, "PageSize": 50,
    "ServiceName": "ünï-服务 test", "ServiceStatus": "Running", "Sort": "CreateTime", "WorkspaceId": 1234,
}
D1_QUERY, D1_HEADERS = vectors.D1_QUERY, vectors.D1_HEADERS


def test_label_is_compact_json_with_raw_non_ascii():
    assert encode_value({"app": "demo", "env": "生产"}) == '{"app":"demo","env":"生产"}'
    assert encode_value({"key1": "value1", "key2": None}) == '{"key1":"value1","key2":null}'


def test_booleans_are_lower_case():
    assert encode_value(True) == "true"
    assert encode_value(False) == "false"


def test_d1_canonical_query():
    assert canonical_query({k: encode_value(v) for k, v in D1_PARAMS.items()}) == D1_QUERY


def test_d1_string_to_sign_and_authorization():
    to_sign, authorization = pai_eas.acs3_authorization("GET", "/api/v2/services", D1_QUERY, D1_HEADERS, AK, SK)
    assert to_sign == "ACS3-HMAC-SHA256\n5d5a1594a30e762338683982f47ee774d63f79de70c18bbac279ba1268d51406"
    assert authorization == (
        "ACS3-HMAC-SHA256 Credential=LTAI5tTESTACCESSKEYID,SignedHeaders=accept;host;user-agent;x-acs-action;"
        "x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=d1b4b94c0a6280598c561bfe467053acdda8fc4425d672ca6e4794327f9c092b")


def test_d2_sts():
    to_sign, authorization = pai_eas.acs3_authorization("GET", "/api/v2/services", D1_QUERY, vectors.D2_HEADERS,
                                                        AK, SK)
    assert to_sign.endswith("37aaaaafd707a25c0ea0668f6759a40299635cc2b1d9c60f53738827ad0167b9")
    assert authorization.endswith("Signature=76809fcc8360b4811a6dd8b76a50f9118df7e1e3e6a3d02f10b456d9c8f44304")


def test_one_changed_byte_changes_the_signature():
    base = pai_eas.acs3_authorization("GET", "/api/v2/services", D1_QUERY, D1_HEADERS, AK, SK)[1]
    other = dict(D1_HEADERS, **{"x-acs-date": "2024-01-02T03:04:06Z"})
    assert pai_eas.acs3_authorization("GET", "/api/v2/services", D1_QUERY, other, AK, SK)[1] != base
    assert pai_eas.acs3_authorization("GET", "/api/v2/services", D1_QUERY, D1_HEADERS, AK, SK + "x")[1] != base


def test_signer_adds_fresh_date_and_nonce_and_sts_headers():
    signer = pai_eas.Acs3Signer(AK, SK, "token-1")
    first = {"host": "h", "accept": "application/json"}
    second = dict(first)
    signer.sign("GET", "h", "/api/v2/services", "", first, b"")
    signer.sign("GET", "h", "/api/v2/services", "", second, b"")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", first["x-acs-date"])
    assert first["x-acs-signature-nonce"] != second["x-acs-signature-nonce"]
    assert first["x-acs-security-token"] == "token-1"
    assert first["x-acs-accesskey-id"] == AK
    signed = first["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"host", "x-acs-security-token", "x-acs-accesskey-id", "x-acs-date", "x-acs-signature-nonce"} <= set(signed)
    expected = pai_eas.acs3_authorization("GET", "/api/v2/services", "",
                                          {k: v for k, v in first.items() if k != "authorization"}, AK, SK)[1]
    assert first["authorization"] == expected


def test_missing_keys_name_the_env_vars():
    with pytest.raises(ConfigError) as info:
        pai_eas.signer({"access_key_id": "x"})
    assert "access_key_secret" in str(info.value)
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" in str(info.value)


def test_read_error_takes_code_message_request_id():
    code, message, request_id = pai_eas.read_error(400, {}, {
        "Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched.", "RequestId": "R-1",
        "Recommend": "https://api.aliyun.com/troubleshoot"})
    assert (code, request_id) == ("SignatureDoesNotMatch", "R-1")
    assert "Specified signature" in message and "troubleshoot" in message
    assert pai_eas.read_error(502, {"x-acs-request-id": "R-2"}, None) == (None, "HTTP 502", "R-2")
