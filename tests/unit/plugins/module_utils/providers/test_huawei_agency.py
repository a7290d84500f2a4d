# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An agency's temporary AK/SK (IAM assume_role): the request as huaweicloudsdkiam sent it (vector H3), who signs
what, and the options IAM would refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth, huawei_iam, huawei_signer
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Reply
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.HUAWEI_AK, vectors.HUAWEI_SK
PATH = "/v3.0/OS-CREDENTIAL/securitytokens"
PROJECT = "0" * 32


def test_a_post_with_a_body_is_signed_as_the_sdk_signed_it():
    to_sign, authorization = huawei_signer.aksk_authorization("POST", PATH, "", vectors.H3_HEADERS,
                                                              vectors.H3_BODY.encode("utf-8"), AK, SK)
    assert to_sign == vectors.H3_STRING_TO_SIGN
    assert authorization.endswith("Signature=%s" % vectors.H3_SIGNATURE)
    assert "SignedHeaders=content-type;host;user-agent;x-domain-id;x-sdk-date," in authorization


class FakeIam:
    """Answers IAM as the emulator would, and records each call: path, the headers its signer set, the body."""

    def __init__(self):
        self.calls = []

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        sent = {"host": base_url.split("://", 1)[1]}
        sent.update(headers or {})
        signer.sign(method, sent["host"], path, query, sent, body)
        self.calls.append((method, path, sent, body, ctx.operation))
        if path == "/v3/auth/domains":
            return Reply(200, {}, {"domains": [{"id": vectors.HUAWEI_DOMAIN_ID, "name": "caller"}]})
        if path == PATH:
            expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            return Reply(201, {}, {"credential": {"access": "TEMPAK%d" % len(self.calls), "secret": "tempsk",
                                                  "securitytoken": "temptoken", "expires_at": expires}})
        if path == "/v3/projects":
            return Reply(200, {}, {"projects": [{"id": PROJECT, "name": "cn-north-4"}]})
        raise AssertionError(path)


def options(**extra):
    params = {"region": "cn-north-4", "cloud": "huaweicloud", "iam_endpoint": None, "access_key": AK,
              "secret_key": SK, "agency_name": "modelarts-reader", "agency_domain_name": "agency-account",
              "agency_duration_seconds": 3600, "agency_session_user": "nightly_job"}
    params.update(extra)
    return params


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    monkeypatch.setattr(huawei_iam, "_DOMAINS", {})
    monkeypatch.setattr(huawei_iam, "_PROJECTS", {})


def test_aksk_find_their_account_ask_for_the_agency_and_its_keys_sign_the_rest():
    iam = FakeIam()
    signer = huawei_auth.signer(options(), iam, "modelarts")
    (_m1, domains, _h1, _b1, _o1), (method, path, headers, body, operation), (_m3, projects, found, _b3, _o3) = \
        iam.calls
    assert (domains, method, path, projects) == ("/v3/auth/domains", "POST", PATH, "/v3/projects")
    assert body.decode("utf-8") == vectors.H3_BODY  # the SDK's very body
    assert headers["x-domain-id"] == vectors.HUAWEI_DOMAIN_ID and "Access=%s," % AK in headers["authorization"]
    assert headers["content-type"] == vectors.H3_HEADERS["content-type"] and "x-project-id" not in headers
    assert operation == "assume agency modelarts-reader of account agency-account with AK %s" % AK
    assert "Access=TEMPAK2," in found["authorization"] and found["x-security-token"] == "temptoken"
    listing = {"host": "modelarts.cn-north-4.myhuaweicloud.com"}
    signer.sign("GET", listing["host"], "/v1/%s/services" % PROJECT, "", listing, b"")
    assert "Access=TEMPAK2," in listing["authorization"] and listing["x-project-id"] == PROJECT
    assert SK not in repr(iam.calls[1][4])


def test_a_given_domain_id_spares_the_lookup_and_a_project_id_is_the_agencys():
    iam = FakeIam()
    signer = huawei_auth.signer(options(domain_id=vectors.HUAWEI_DOMAIN_ID, project_id="p" * 32,
                                        agency_domain_name=None, agency_domain_id="a" * 32), iam, "modelarts")
    assert not iam.calls  # the keys are asked for when the first request is signed
    signer.sign("GET", "modelarts.cn-north-4.myhuaweicloud.com", "/v1/x/services", "", {}, b"")
    assert [call[1] for call in iam.calls] == [PATH]
    assert b'"domain_id": "' + b"a" * 32 + b'"' in iam.calls[0][3]
    assert signer.project_id == "p" * 32


def test_a_token_asks_for_the_agency_with_the_token():
    iam = FakeIam()
    huawei_auth.signer(options(access_key=None, secret_key=None, auth_token="MIIEtoken"), iam, "modelarts")
    assert iam.calls[0][1] == PATH and iam.calls[0][2]["x-auth-token"] == "MIIEtoken"
    assert "with an IAM token" in iam.calls[0][4]


def test_one_session_per_base_credentials_and_agency():
    iam = FakeIam()
    first = huawei_auth.signer(options(domain_id="d" * 32), iam, "modelarts")
    again = huawei_auth.signer(options(domain_id="d" * 32), iam, "modelarts")
    assert first.keys is again.keys and [c[1] for c in iam.calls].count(PATH) == 1
    other = huawei_auth.signer(options(domain_id="d" * 32, agency_name="another"), iam, "modelarts")
    assert other.keys is not first.keys


@pytest.mark.parametrize("extra, message", [
    ({"agency_domain_name": None}, "needs agency_domain_name or agency_domain_id"),
    ({"agency_duration_seconds": 600}, "IAM allows 900 to 86400"),
    ({"agency_session_user": "1job"}, "must be 5 to 64 letters"),
])
def test_agency_options_iam_would_refuse_are_refused_first(extra, message):
    iam = FakeIam()
    with pytest.raises(ConfigError) as info:
        huawei_auth.signer(options(domain_id="d" * 32, **extra), iam, "modelarts")
    assert message in str(info.value) and not iam.calls
