# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""STS AssumeRole against what Alibaba Cloud's credentials package sent (tests/unit/vectors.py S1, S2), and the
temporary keys' life: one session per base identity and role, refreshed ahead of expiry, shared by threads."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import types
from urllib.parse import parse_qsl

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import alibaba_chain, alibaba_sts, pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import CallContext, Reply
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK


def fixed(access_key_id=AK, token=None):
    return credentials.FixedKeys(credentials.Keys(access_key_id, SK, token))


@pytest.mark.parametrize("params, to_sign, signature", [
    (vectors.S1_PARAMS, vectors.S1_STRING_TO_SIGN, vectors.S1_SIGNATURE),
    (vectors.S2_PARAMS, vectors.S2_STRING_TO_SIGN, vectors.S2_SIGNATURE),
], ids=["S1", "S2"])
def test_string_to_sign_and_signature_are_the_packages(params, to_sign, signature):
    assert alibaba_sts.string_to_sign("GET", params) == to_sign
    assert alibaba_sts.signature(to_sign, SK) == signature


def test_a_space_is_percent_20_as_the_document_says():
    """The document encodes a space as %20 (the package's quote_plus would write +): the collection follows it."""
    assert "Policy%3Da%2520b%252A" in alibaba_sts.string_to_sign("GET", {"Policy": "a b*"})


class FrozenClock(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


class FakeUuid:
    """``uuid.uuid4().hex`` giving the vector's nonce."""

    def __init__(self, nonce):
        self.hex = nonce

    def uuid4(self):
        return self


class FakeTransport:
    """Answers AssumeRole with keys that last ``lifetime`` seconds; records each query it was asked to send."""

    def __init__(self, lifetime=3600.0, clock=time.time, delay=0.0):
        self.queries = []
        self.lifetime = lifetime
        self.clock = clock
        self.delay = delay
        self.lock = threading.Lock()

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        query = query() if callable(query) else query
        time.sleep(self.delay)
        with self.lock:
            self.queries.append((method, base_url, path, query, ctx.operation))
            number = len(self.queries)
        expiry = dt.datetime.fromtimestamp(int(self.clock() + self.lifetime), dt.timezone.utc)
        return Reply(200, {}, {"RequestId": "R%d" % number, "Credentials": {
            "AccessKeyId": "STS.key%d" % number, "AccessKeySecret": "secret%d" % number,
            "SecurityToken": "token%d" % number, "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}})


def role_options(**extra):
    options = {"region": "cn-hangzhou", "role_arn": vectors.STS_ROLE_ARN, "role_session_name":
               "ansible-modelserving-cloud", "role_duration_seconds": 1800, "role_external_id": "abcd1234",
               "role_policy": vectors.STS_POLICY, "sts_region": "cn-hangzhou"}
    options.update(extra)
    return options


@pytest.mark.parametrize("token, params, signature", [
    (None, vectors.S1_PARAMS, vectors.S1_SIGNATURE),
    (vectors.SECURITY_TOKEN, vectors.S2_PARAMS, vectors.S2_SIGNATURE),
], ids=["S1", "S2"])
def test_the_collections_request_is_the_packages(monkeypatch, token, params, signature):
    """Options in, through role_keys and the transport: the query carries what the package sent, signed alike."""
    monkeypatch.setattr(alibaba_sts, "datetime", types.SimpleNamespace(datetime=FrozenClock, timezone=dt.timezone))
    monkeypatch.setattr(alibaba_sts, "uuid", FakeUuid(params["SignatureNonce"]))
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    transport = FakeTransport()
    keys = alibaba_sts.role_keys(role_options(), fixed(token=token), "pai_eas").get(transport)
    method, base_url, path, query, _operation = transport.queries[0]
    sent = dict(parse_qsl(query, keep_blank_values=True))
    assert (method, base_url, path) == ("GET", "https://" + vectors.STS_HOST, "/")
    assert sent == dict(params, Signature=signature)
    assert keys.access_key_id == "STS.key1" and keys.security_token == "token1"


def test_a_dict_policy_goes_as_compact_json(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    transport = FakeTransport()
    policy = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["eas:ListServices"], "Resource": "*"}]}
    alibaba_sts.role_keys(role_options(role_policy=policy), fixed(), "pai_eas").get(transport)
    assert dict(parse_qsl(transport.queries[0][3]))["Policy"] == vectors.STS_POLICY


def test_each_attempt_gets_a_fresh_nonce_and_signature(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    transport = FakeTransport()
    session = alibaba_sts.role_keys(role_options(), fixed(), "pai_eas")
    seen = []

    def twice(ctx, method, base_url, path, query, signer, body=b"", headers=None):
        seen.extend([query(), query()])  # what a retry does
        return FakeTransport.request(transport, ctx, method, base_url, path, query, signer)

    transport_twice = FakeTransport()
    transport_twice.request = twice
    session.get(transport_twice)
    first, second = (dict(parse_qsl(q)) for q in seen)
    assert first["SignatureNonce"] != second["SignatureNonce"] and first["Signature"] != second["Signature"]


@pytest.mark.parametrize("options, message", [
    ({"role_arn": "inventory-reader"}, "is not a RAM role ARN"),
    ({"role_duration_seconds": 600}, "STS allows 900 to 43200"),
    ({"role_duration_seconds": 50000}, "STS allows 900 to 43200"),
    ({"role_session_name": "a b"}, "must be 2 to 64 letters"),
])
def test_role_options_the_api_would_refuse_are_refused_first(options, message):
    with pytest.raises(ConfigError) as info:
        alibaba_sts.role_keys(role_options(**options), fixed(), "pai_eas")
    assert message in str(info.value)


def test_sts_endpoint_choice():
    assert alibaba_sts.sts_base_url({}) == "https://sts.aliyuncs.com"
    assert alibaba_sts.sts_base_url({"sts_region": "cn-shanghai"}) == "https://sts.cn-shanghai.aliyuncs.com"
    assert alibaba_sts.sts_base_url({"sts_endpoint": "sts-vpc.cn-hangzhou.aliyuncs.com", "sts_region": "x"}) == \
        "https://sts-vpc.cn-hangzhou.aliyuncs.com"
    assert alibaba_sts.sts_base_url({"sts_endpoint": "http://127.0.0.1:9/"}) == "http://127.0.0.1:9"


@pytest.mark.parametrize("reply", [{}, {"Credentials": {"AccessKeyId": "STS.x"}}, "text",
                                   {"Credentials": {"AccessKeyId": "a", "AccessKeySecret": "b", "SecurityToken": "c",
                                                    "Expiration": "tomorrow"}}])
def test_a_reply_without_credentials_is_an_error_not_a_traceback(reply):
    ctx = pai_eas_context()
    with pytest.raises(ApiError) as info:
        alibaba_sts.read_credentials(reply, ctx, 200)
    assert "the reply has no Credentials" in str(info.value) and "assume" in str(info.value)


def pai_eas_context():
    return CallContext(provider="pai_eas", region="cn-hangzhou", operation="assume RAM role x with AccessKey y",
                       retry_codes=frozenset(), auth_codes=frozenset(), read_error=alibaba_sts.read_error)


class Clock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_one_fetch_for_many_threads_and_one_session_per_role(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    transport = FakeTransport(delay=0.05)
    base = fixed()
    sessions = [alibaba_sts.role_keys(role_options(), base, "pai_eas") for attempt in range(3)]
    assert sessions[0] is sessions[1] is sessions[2]
    got = []
    threads = [threading.Thread(target=lambda: got.append(sessions[0].get(transport))) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(transport.queries) == 1 and len(set(got)) == 1
    other_role = alibaba_sts.role_keys(role_options(role_arn="acs:ram::1:role/other"), base, "pai_eas")
    other_base = alibaba_sts.role_keys(role_options(), fixed("LTAI5tOTHER"), "pai_eas")
    assert other_role is not sessions[0] and other_base is not sessions[0]


def test_the_signer_uses_the_role_keys_and_names_no_secret(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    transport = FakeTransport()
    signer = pai_eas.signer(dict(role_options(), access_key_id=AK, access_key_secret=SK), transport)
    headers = {"host": "pai-eas.cn-hangzhou.aliyuncs.com"}
    signer.sign("GET", headers["host"], "/api/v2/services", "", headers, b"")
    assert headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=STS.key1,")
    assert headers["x-acs-security-token"] == "token1" and headers["x-acs-accesskey-id"] == "STS.key1"
    assert "assume RAM role %s with AccessKey %s" % (vectors.STS_ROLE_ARN, AK) == transport.queries[0][4]
    assert SK not in transport.queries[0][4]


class RecordingTransport(FakeTransport):
    """FakeTransport that also keeps the decoded query of each request, and can answer a credentials URI."""

    def __init__(self, clock=time.time, lifetime=3600.0, uri_code="Success"):
        super().__init__(lifetime=lifetime, clock=clock)
        self.sent = []
        self.uri_code = uri_code

    def request(self, ctx, method, base_url, path, query, signer, body=b"", headers=None):
        reply = FakeTransport.request(self, ctx, method, base_url, path, query, signer, body, headers)
        self.sent.append((base_url, path, dict(parse_qsl(self.queries[-1][3], keep_blank_values=True))))
        if path == "/credentials":
            return Reply(200, {}, dict(reply.data["Credentials"], Code=self.uri_code))
        return reply


def test_the_oidc_token_file_is_read_again_for_every_fetch(tmp_path, monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    token_file = tmp_path / "token"
    token_file.write_text("first.token.jwt\n")
    clock = Clock()
    transport = RecordingTransport(clock=clock, lifetime=3600)
    options = {"region": "cn-hangzhou", "role_arn": vectors.STS_ROLE_ARN, "oidc_token_file": str(token_file),
               "oidc_provider_arn": "acs:ram::1234567890123456:oidc-provider/ack"}
    keys, role_used = alibaba_chain.chain(options, "pai_eas")
    keys.clock = clock
    assert role_used
    keys.get(transport)
    token_file.write_text("second.token.jwt")  # the kubelet rotates it
    clock.now += 2700 + 1
    keys.get(transport)
    sent = [query for _url, _path, query in transport.sent]
    assert [q["OIDCToken"] for q in sent] == ["first.token.jwt", "second.token.jwt"]
    assert all(q["Action"] == "AssumeRoleWithOIDC" and "Signature" not in q and "AccessKeyId" not in q for q in sent)
    assert sent[0]["OIDCProviderArn"] == options["oidc_provider_arn"] and sent[0]["RoleArn"] == vectors.STS_ROLE_ARN


def test_a_missing_token_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    options = {"role_arn": vectors.STS_ROLE_ARN, "oidc_token_file": str(tmp_path / "nope"),
               "oidc_provider_arn": "acs:ram::1:oidc-provider/ack"}
    keys, _role_used = alibaba_chain.chain(options, "pai_eas")
    with pytest.raises(ConfigError) as info:
        keys.get(RecordingTransport())
    assert "the OIDC token file %s cannot be read" % (tmp_path / "nope") in str(info.value)


@pytest.mark.parametrize("options, message", [
    ({"oidc_token_file": "/t"}, "OIDC credentials need role_arn and oidc_provider_arn"),
    ({"access_key_id": AK}, "no access_key_secret given"),
    ({"access_key_secret": SK, "oidc_token_file": "/t"}, "no access_key_id given"),
    ({"credentials_uri": "file:///etc/passwd"}, "is not an http(s) URL"),
    ({}, "no credentials given"),
])
def test_the_chain_says_what_is_missing(options, message):
    with pytest.raises(ConfigError) as info:
        alibaba_chain.chain(options, "pai_eas")
    assert message in str(info.value)


def test_keys_come_first_then_the_role_is_assumed_with_them(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    options = {"access_key_id": AK, "access_key_secret": SK, "oidc_token_file": "/t", "credentials_uri": "http://x/",
               "role_arn": vectors.STS_ROLE_ARN}
    keys, role_used = alibaba_chain.chain(options, "pai_eas")
    assert isinstance(keys, credentials.FixedKeys) and not role_used


def test_a_credentials_uri_gives_refreshing_keys(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    keys, _role_used = alibaba_chain.chain({"credentials_uri": "http://127.0.0.1:9/credentials?role=r"}, "pai_eas")
    transport = RecordingTransport()
    assert keys.get(transport).access_key_id == "STS.key1"
    base_url, path, query = transport.sent[0]
    assert (base_url, path, query) == ("http://127.0.0.1:9", "/credentials", {"role": "r"})
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    keys, _role_used = alibaba_chain.chain({"credentials_uri": "http://127.0.0.1:9/credentials"}, "pai_eas")
    with pytest.raises(ApiError) as info:
        keys.get(RecordingTransport(uri_code="Failed"))
    assert "the reply's Code is 'Failed', not Success" in str(info.value)


def write_profiles(tmp_path, current, *profiles):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"current": current, "profiles": list(profiles)}))
    return str(path)


@pytest.mark.parametrize("profile, expect", [
    ({"name": "p", "mode": "AK", "access_key_id": AK, "access_key_secret": SK}, (AK, None, [])),
    ({"name": "p", "mode": "StsToken", "access_key_id": "STS.x", "access_key_secret": SK, "sts_token": "tok"},
     ("STS.x", "tok", [])),
    ({"name": "p", "mode": "RamRoleArn", "access_key_id": AK, "access_key_secret": SK,
      "ram_role_arn": vectors.STS_ROLE_ARN, "ram_session_name": "cli-session", "expired_seconds": 1800},
     ("STS.key1", "token1", ["AssumeRole"])),
])
def test_the_current_cli_profile_gives_the_keys(tmp_path, monkeypatch, profile, expect):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    path = write_profiles(tmp_path, "p", {"name": "other", "mode": "AK"}, profile)
    keys, role_used = alibaba_chain.chain({"profile_file": path}, "pai_eas")
    transport = RecordingTransport()
    got = keys.get(transport)
    assert (got.access_key_id, got.security_token, [q["Action"] for _u, _p, q in transport.sent]) == expect
    assert not role_used
    if expect[2]:
        query = transport.sent[0][2]
        assert (query["RoleSessionName"], query["DurationSeconds"], query["AccessKeyId"]) == ("cli-session", "1800", AK)


def test_a_chainable_profile_assumes_its_role_with_its_source(tmp_path, monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    path = write_profiles(tmp_path, "default",
                          {"name": "base", "mode": "RamRoleArn", "access_key_id": AK, "access_key_secret": SK,
                           "ram_role_arn": "acs:ram::1:role/first"},
                          {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "base",
                           "ram_role_arn": "acs:ram::2:role/second"})
    keys, _role_used = alibaba_chain.chain({"profile_file": path, "profile": "chained"}, "pai_eas")
    transport = RecordingTransport()
    assert keys.get(transport).access_key_id == "STS.key2"
    first, second = (q for _u, _p, q in transport.sent)
    assert (first["RoleArn"], first["AccessKeyId"]) == ("acs:ram::1:role/first", AK)
    assert (second["RoleArn"], second["AccessKeyId"]) == ("acs:ram::2:role/second", "STS.key1")


@pytest.mark.parametrize("config, options, message", [
    ({"current": "x", "profiles": []}, {}, "there is no profile 'x'"),
    ({"profiles": [{"name": "default", "mode": "EcsRamRole", "ram_role_name": "r"}]}, {},
     "mode 'EcsRamRole' is not one the collection reads"),
    ({"profiles": [{"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "a",
                    "ram_role_arn": "acs:ram::1:role/r"}]}, {"profile": "a"}, "source_profile 'a' makes a loop"),
    ({"profiles": [{"name": "default", "mode": "AK"}]}, {}, "has no access_key_id and access_key_secret"),
])
def test_a_profile_that_cannot_be_used_says_why(tmp_path, config, options, message):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    with pytest.raises(ConfigError) as info:
        alibaba_chain.chain(dict(options, profile_file=str(path)), "pai_eas")
    assert message in str(info.value) and str(path) in str(info.value)


def test_no_cli_file_is_no_profile_unless_one_is_asked_for(tmp_path):
    missing = str(tmp_path / "none.json")
    assert alibaba_chain.cli_profile({"profile_file": missing}, "pai_eas") is None
    present = write_profiles(tmp_path, "p", {"name": "p", "mode": "AK", "access_key_id": AK, "access_key_secret": SK})
    assert alibaba_chain.cli_profile({"profile_file": present, "cli_profile_disabled": True}, "pai_eas") is None
    assert alibaba_chain.cli_profile({"profile_file": present}, "pai_eas") is not None
    with pytest.raises(ConfigError) as info:
        alibaba_chain.cli_profile({"profile_file": missing, "profile": "prod"}, "pai_eas")
    assert "profile 'prod' is asked for, but %s does not exist" % missing in str(info.value)


def test_the_servers_string_to_sign_never_reaches_a_message():
    """STS quotes its string to sign, the whole query with a base security token, in SignatureDoesNotMatch."""
    code, message, _rid = alibaba_sts.read_error(400, {}, {
        "Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our calculation. server "
        "string to sign is:GET&%2F&AccessKeyId%3DSTS.x%26SecurityToken%3DCAISsecret"})
    assert code == "SignatureDoesNotMatch" and "CAISsecret" not in message and "not matched" in message


def test_a_credentials_uri_is_named_without_its_user_password_or_query(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    keys, _role_used = alibaba_chain.chain({"credentials_uri": "http://u:pw@127.0.0.1:9/credentials?token=T0K"},
                                           "pai_eas")
    transport = RecordingTransport()
    keys.get(transport)
    _method, base_url, path, _query, operation = transport.queries[0]
    assert (base_url, path) == ("http://127.0.0.1:9", "/credentials")
    assert "pw" not in operation and "T0K" not in operation and "pw" not in keys.label


@pytest.mark.parametrize("profile, message", [
    ({"mode": "RamRoleArn", "access_key_id": AK, "access_key_secret": SK}, "role_arn None is not a RAM role ARN"),
    ({"mode": "RamRoleArn", "access_key_id": AK, "access_key_secret": SK, "ram_role_arn": vectors.STS_ROLE_ARN,
      "ram_session_name": 12}, "role_session_name 12 must be"),
    ({"mode": "RamRoleArn", "access_key_id": AK, "access_key_secret": SK, "ram_role_arn": vectors.STS_ROLE_ARN,
      "expired_seconds": "a day"}, "role_duration_seconds is a day"),
])
def test_odd_values_in_a_profile_are_configuration_errors(tmp_path, profile, message):
    path = write_profiles(tmp_path, "p", dict(profile, name="p"))
    with pytest.raises(ConfigError) as info:
        alibaba_chain.chain({"profile_file": path}, "pai_eas")
    assert message in str(info.value)


def test_a_policy_that_cannot_be_json_is_a_configuration_error():
    with pytest.raises(ConfigError) as info:
        alibaba_sts.role_keys(role_options(role_policy={"Condition": dt.datetime(2024, 1, 1)}), fixed(), "pai_eas")
    assert "role_policy cannot be written as JSON" in str(info.value)


def test_the_profile_in_use_names_the_account_for_a_cache_key(tmp_path):
    path = write_profiles(tmp_path, "a", {"name": "a", "mode": "AK", "access_key_id": "LTAIa", "access_key_secret": SK},
                          {"name": "b", "mode": "AK", "access_key_id": "LTAIb", "access_key_secret": SK})
    first = alibaba_chain.profile_identity({"profile_file": path})
    other = alibaba_chain.profile_identity({"profile_file": path, "profile": "b"})
    assert first != other and "LTAIa" in first and SK not in first + other
    assert alibaba_chain.profile_identity({"profile_file": path, "access_key_id": AK}) is None
