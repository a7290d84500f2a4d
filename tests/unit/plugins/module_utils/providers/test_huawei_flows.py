# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Huawei authentication flows with the transport stubbed: precedence, project lookup, IAM tokens, errors."""

from __future__ import annotations

import datetime
import threading

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, AuthError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth, huawei_iam, huawei_signer
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Reply


class FakeTransport:
    """Answers IAM calls; records them."""

    def __init__(self, projects=None, expires_in=datetime.timedelta(hours=24)):
        self.calls = []
        self.projects = projects if projects is not None else [{"id": "p-1", "name": "cn-north-4"}]
        self.expires_in = expires_in

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        sent = {}
        signer.sign(method, "iam", path, query, sent, body)
        self.calls.append((method, base_url, path, query, sent, body))
        if path == "/v3/projects":
            return Reply(200, {}, {"projects": self.projects})
        expires = datetime.datetime.now(datetime.timezone.utc) + self.expires_in
        return Reply(201, {"X-Subject-Token": "tok-%d" % len(self.calls)}, {"token": {
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.000000Z"), "project": {"id": "p-9"}}})


@pytest.fixture(autouse=True)
def fresh_caches():
    huawei_iam._PROJECTS.clear()  # pylint: disable=protected-access
    huawei_iam._TOKENS.tokens.clear()  # pylint: disable=protected-access


def test_aksk_wins_and_looks_the_project_up_once():
    transport = FakeTransport()
    params = {"access_key": "AK", "secret_key": "SK", "auth_token": "T", "region": "cn-north-4"}
    first = huawei_auth.signer(params, transport)
    second = huawei_auth.signer(params, transport)
    assert isinstance(first, huawei_signer.AkSkSigner) and first.project_id == second.project_id == "p-1"
    assert len(transport.calls) == 1
    method, base, path, query, sent, _body = transport.calls[0]
    assert (method, base, path, query) == ("GET", "https://iam.cn-north-4.myhuaweicloud.com", "/v3/projects",
                                           "name=cn-north-4")
    assert sent["authorization"].startswith("SDK-HMAC-SHA256 Access=AK, ")
    assert "x-project-id" not in sent


def test_given_project_id_needs_no_lookup_and_otc_iam():
    transport = FakeTransport()
    signer = huawei_auth.signer({"access_key": "AK", "secret_key": "SK", "project_id": "given"}, transport)
    assert signer.project_id == "given" and transport.calls == []
    assert huawei_iam.iam_url({"cloud": "otc", "region": "eu-de"}) == "https://iam.eu-de.otc.t-systems.com"
    assert huawei_iam.iam_url({"iam_endpoint": "https://iam.example.com/v3/"}) == "https://iam.example.com"


@pytest.mark.parametrize("projects, text", [([], "no projects are named"), ([{"id": "a"}, {"id": "b"}], "2 projects")])
def test_project_lookup_must_find_exactly_one(projects, text):
    with pytest.raises(AuthError) as info:
        huawei_auth.signer({"access_key": "AK", "secret_key": "SK", "region": "cn-north-4"}, FakeTransport(projects))
    assert text in str(info.value) and "project_id" in str(info.value)


def test_token_signer_sends_the_token():
    signer = huawei_auth.signer({"auth_token": "ready", "project_id": "p"}, FakeTransport())
    headers = {}
    signer.sign("GET", "h", "/", "", headers, b"")
    assert headers["x-auth-token"] == "ready" and signer.project_id == "p"


def test_password_token_is_scoped_cached_and_refreshed_before_expiry():
    transport = FakeTransport()
    params = {"username": "u", "password": "pw", "domain_name": "d", "region": "cn-north-4"}
    signer = huawei_auth.signer(params, transport)
    assert signer.project_id == "p-9"
    method, _base, path, query, _sent, body = transport.calls[0]
    assert (method, path, query) == ("POST", "/v3/auth/tokens", "nocatalog=true")
    assert b'"scope": {"project": {"name": "cn-north-4"}}' in body and b'"domain": {"name": "d"}' in body
    assert signer.token() == "tok-1" and len(transport.calls) == 1
    soon = FakeTransport(expires_in=datetime.timedelta(minutes=5))
    huawei_iam._TOKENS.tokens.clear()  # pylint: disable=protected-access
    short = huawei_auth.signer(params, soon)
    short.token()
    assert len(soon.calls) == 2  # requested again: it expires within the refresh margin


@pytest.mark.parametrize("params, texts", [
    ({}, ("no credentials given", "HUAWEICLOUD_SDK_AK", "OS_AUTH_TOKEN", "OS_USERNAME")),
    ({"access_key": "AK"}, ("secret_key is missing", "HUAWEICLOUD_SDK_SK")),
    ({"username": "u", "password": "p"}, ("needs domain_name", "domain_name (the account)")),
])
def test_incomplete_credentials(params, texts):
    with pytest.raises(ConfigError) as info:
        huawei_auth.signer(params, FakeTransport())
    for text in texts:
        assert text in str(info.value)


@pytest.mark.parametrize("body, headers, expected", [
    ({"error_code": "ModelArts.0101", "error_msg": "Invalid Argument."}, {"X-Request-Id": "r1"},
     ("ModelArts.0101", "Invalid Argument.", "r1")),
    ({"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail", "request_id": "r2"}, {},
     ("APIGW.0301", "verify aksk signature fail", "r2")),
    ({"error": {"code": 401, "message": "The request you have made requires authentication."}}, {},
     ("401", "The request you have made requires authentication.", None)),
    ({"errorCode": "X.1", "errorMsg": "m"}, {}, ("X.1", "m", None)),
    (None, {}, (None, "HTTP 502", None)),
])
def test_read_error(body, headers, expected):
    assert huawei_signer.read_error(502, headers, body) == expected


def test_a_slow_iam_holds_up_only_its_own_token():
    """Each token has its own lock: while one user's token request hangs, another user's token is issued."""
    release, entered = threading.Event(), threading.Event()

    class SlowForUserA(FakeTransport):
        def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
            if b'"name": "a"' in body:
                entered.set()
                assert release.wait(10)
            return super().request(ctx, method, base_url, path, query, signer, body, headers)

    transport = SlowForUserA()
    base = {"password": "pw", "domain_name": "d", "region": "cn-north-4"}
    slow = threading.Thread(target=huawei_iam.password_token, args=(dict(base, username="a"), transport, "modelarts"))
    slow.start()
    try:
        assert entered.wait(10)
        finished = []
        other = threading.Thread(target=lambda: finished.append(huawei_iam.password_token(
            dict(base, username="b"), transport, "modelarts")))
        other.start()
        other.join(5)
        assert finished and finished[0][1] == "p-9"  # user b got a token while user a's request still hangs
        assert slow.is_alive()
    finally:
        release.set()
        slow.join(10)


def test_one_token_request_for_many_threads_of_one_user():
    transport = FakeTransport()
    params = {"username": "u", "password": "pw", "domain_name": "d", "region": "cn-north-4"}
    threads = [threading.Thread(target=huawei_iam.password_token, args=(params, transport, "modelarts"))
               for _thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(transport.calls) == 1


def test_an_unreachable_iam_hints_at_project_id_but_a_failing_key_source_keeps_its_own_hint():
    class Unreachable(FakeTransport):
        def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
            raise ApiError("no reply from iam", provider="modelarts", operation=ctx.operation)

    with pytest.raises(ApiError) as info:
        huawei_auth.signer({"access_key": "AK", "secret_key": "SK", "region": "cn-north-4"}, Unreachable())
    assert "Set project_id, and no project lookup is made" in str(info.value)

    class NoMetadata:  # the signer's keys come from an instance metadata service that does not answer
        project_id = None

        def sign(self, *args):
            raise ApiError("no reply from 169.254.169.254", provider="modelarts", operation="get the keys",
                           hint="This is not an ECS instance")

    class Signing(FakeTransport):
        def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
            signer.sign(method, "iam", path, query, {}, body)

    with pytest.raises(ApiError) as info:
        huawei_iam.project_of({"region": "cn-north-4"}, Signing(), NoMetadata(), "modelarts", "metadata")
    assert info.value.hint == "This is not an ECS instance"


def test_another_password_for_the_same_user_is_not_given_the_cached_token():
    transport = FakeTransport()
    params = {"username": "u", "password": "right", "domain_name": "d", "region": "cn-north-4"}
    huawei_iam.password_token(params, transport, "modelarts")
    huawei_iam.password_token(dict(params, password="wrong"), transport, "modelarts")
    assert len(transport.calls) == 2  # IAM judges the second password
