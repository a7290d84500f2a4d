# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The retry policy and error mapping, with HTTP stubbed at the session."""

from __future__ import annotations

import json
import os
import socket
import warnings

import pytest
import requests
import yaml

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials, listing, transport
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, AuthError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import CallContext, Transport, server_wait
from ansible_collections.modelserving.cloud.tests.unit.fakes import Clock

CTX = CallContext(provider="pai_eas", region="cn-hangzhou", operation="list services",
                  retry_codes=pai_eas.SPEC.retry_codes, auth_codes=pai_eas.SPEC.auth_codes,
                  read_error=pai_eas.read_error, auth_hint=pai_eas.AUTH_HINT)


def reply(status, body, headers=None):
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()  # pylint: disable=protected-access
    response.headers.update(headers or {})
    return response


class Script:
    """Plays a list of replies (or exceptions) and records the signed requests."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.sent = []

    def __call__(self, prepared, **kwargs):
        self.sent.append(prepared)
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


class NullSigner:
    def __init__(self):
        self.count = 0

    def sign(self, method, host, path, query, headers, body):
        self.count += 1
        headers["authorization"] = "sig-%d" % self.count


def make(script, **kwargs):
    waits = []
    transport = Transport(sleep=waits.append, **kwargs)
    transport.session.send = script
    return transport, waits


def call(transport, signer=None):
    return transport.request(CTX, "GET", "https://h", "/api/v2/services", "PageNumber=1", signer or NullSigner())


def test_throttling_then_success_signs_each_attempt_anew():
    throttled = reply(400, {"Code": "Throttling.User", "Message": "Request was denied due to user flow control.",
                            "RequestId": "R1"}, {"x-acs-retry-after": "1500"})
    script = Script(throttled, throttled, reply(503, b"<html>busy</html>"), reply(200, {"Services": []}))
    transport, waits = make(script, max_retries=5)
    signer = NullSigner()
    assert call(transport, signer).data == {"Services": []}
    assert [p.headers["authorization"] for p in script.sent] == ["sig-1", "sig-2", "sig-3", "sig-4"]
    assert len(waits) == 3
    assert waits[0] >= 1.5 and waits[1] >= 1.5
    assert script.sent[0].url == "https://h/api/v2/services?PageNumber=1"


def test_gives_up_after_max_retries_with_the_last_error():
    script = Script(*[reply(503, {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "R9"})] * 3)
    transport, waits = make(script, max_retries=2)
    with pytest.raises(ApiError) as info:
        call(transport)
    text = str(info.value)
    assert "ServiceUnavailable" in text and "HTTP 503" in text and "R9" in text and "3 attempts" in text
    assert len(waits) == 2


def test_backoff_is_capped_full_jitter():
    script = Script(*[requests.exceptions.ConnectionError("reset")] * 6)
    transport, waits = make(script, max_retries=5, backoff_base=1, backoff_cap=3)
    with pytest.raises(ApiError) as info:
        call(transport)
    assert "cannot reach h" in str(info.value)
    assert all(0 <= w <= 3 for w in waits) and len(waits) == 5


def test_signature_error_is_not_retried_and_says_what_to_check():
    script = Script(reply(400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched "
                                "with our calculation.", "RequestId": "R2"}))
    transport, waits = make(script)
    with pytest.raises(AuthError) as info:
        call(transport)
    text = str(info.value)
    assert text.startswith("Failed to list services on pai_eas/cn-hangzhou: Specified signature")
    assert "(SignatureDoesNotMatch, HTTP 400, request id R2)" in text
    assert "access_key_secret" in text
    assert waits == []


def test_other_client_errors_are_not_retried():
    transport, waits = make(Script(reply(400, {"Code": "InvalidParameter", "Message": "PageSize"})))
    with pytest.raises(ApiError) as info:
        call(transport)
    assert not isinstance(info.value, AuthError)
    assert waits == []


@pytest.mark.parametrize("body, text", [
    (b"<html><body>Bad gateway</body></html>", "not a JSON object"),
    (b'{"Services": [{"ServiceId": "a"', "not a JSON object"),
    (b"[]", "not a JSON object"),
])
def test_unreadable_replies_are_retried_then_shown(body, text):
    transport, waits = make(Script(reply(200, body), reply(200, body)), max_retries=1)
    with pytest.raises(ApiError) as info:
        call(transport)
    assert text in str(info.value)
    assert repr(body[:20].decode())[1:-1] in str(info.value)
    assert len(waits) == 1


def test_timeout_and_tls():
    transport, _waits = make(Script(requests.exceptions.ReadTimeout()), max_retries=0, timeout=2)
    with pytest.raises(ApiError) as info:
        call(transport)
    assert "no reply from h within 2 s" in str(info.value) and "max_retries is 0: no retry" in str(info.value)
    transport, waits = make(Script(requests.exceptions.SSLError("bad cert")), max_retries=3)
    with pytest.raises(ApiError) as info:
        call(transport)
    assert "TLS verification failed" in str(info.value) and "ca_path" in str(info.value)
    assert waits == []


def test_server_wait():
    assert server_wait({"x-acs-retry-after": "250"}) == 0.25
    assert server_wait({"Retry-After": "3"}) == 3.0
    assert server_wait({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert server_wait({"Retry-After": "9999"}) == 60.0
    assert server_wait({}) == 0.0


def test_ca_path_and_validate_certs():
    assert Transport(ca_path="/tmp/ca.pem").session.verify == "/tmp/ca.pem"
    assert Transport(validate_certs=False, ca_path="/tmp/ca.pem").session.verify is False
    assert Transport().session.verify is True


def test_a_netrc_entry_never_replaces_the_signature(monkeypatch, tmp_path):
    """requests would put a ~/.netrc password in the Authorization header, where the signature is."""
    netrc = tmp_path / "netrc"
    netrc.write_text("default login someone password secret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    script = Script(reply(200, {}))
    transport_, _waits = make(script)
    call(transport_)
    assert script.sent[0].headers["Authorization"] == "sig-1"


def test_proxies_come_from_the_environment_once_per_endpoint(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    for name in ("https_proxy", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    used = []
    transport_ = Transport()
    transport_.session.send = lambda prepared, **kwargs: used.append(kwargs["proxies"]) or reply(200, {})
    call(transport_)
    assert used[-1].get("https") == "http://proxy.example:3128"
    transport_.request(CTX, "GET", "https://api.internal.example", "/x", "", NullSigner())
    assert used[-1] == {}  # NO_PROXY
    assert Transport(use_env_proxies=False).proxies("https://h") == {}  # the instance metadata service: never


def test_user_agent_names_the_collection_version():
    galaxy = os.path.join(os.path.dirname(transport.__file__), "..", "..", "galaxy.yml")
    with open(galaxy, encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["version"] == transport.COLLECTION_VERSION
    assert "modelserving.cloud/%s" % transport.COLLECTION_VERSION in Transport().session.headers["User-Agent"]


def silent_endpoint(clock):
    def send(prepared, timeout=None, **kwargs):
        clock.now += timeout[1]
        raise requests.exceptions.ReadTimeout("read timed out")
    return send


def test_a_silent_endpoint_fails_within_a_minute_with_the_defaults(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(transport.time, "monotonic", clock.monotonic)
    defaults = {name: entry["default"] for name, entry in listing.CONNECTION_OPTIONS.items() if "default" in entry}
    tries = Transport(timeout=defaults["timeout"], connect_timeout=defaults["connect_timeout"],
                      deadline=defaults["deadline"], max_retries=defaults["max_retries"], sleep=clock.sleep)
    tries.session.send = silent_endpoint(clock)
    with pytest.raises(ApiError) as info:
        call(tries)
    assert clock.now - 1000.0 <= 60
    assert "no reply from h within 15.0 s (gave up after 3 attempts in " in str(info.value)
    assert ", 3 of them without a reply)" in str(info.value)


def test_a_host_name_that_does_not_resolve_is_not_retried():
    cause = socket.gaierror(-2, "Name or service not known")
    error = requests.exceptions.ConnectionError("Max retries exceeded")
    error.__context__ = cause
    transport_, waits = make(Script(error, reply(200, {})), max_retries=5)
    with pytest.raises(ApiError) as info:
        call(transport_)
    assert waits == []
    assert "the host name h does not resolve" in str(info.value) and "Check the region" in str(info.value)


def test_the_deadline_bounds_retries_and_says_so(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(transport.time, "monotonic", clock.monotonic)
    throttled = reply(429, {"Code": "Throttling", "Message": "slow down"}, {"Retry-After": "4"})
    bounded = Transport(deadline=10, max_retries=20, sleep=clock.sleep)
    bounded.session.send = Script(*[throttled] * 20)
    with pytest.raises(ApiError) as info:
        call(bounded)
    assert clock.now - 1000.0 <= 10
    assert "the deadline of 10 s is reached" in str(info.value) and "Throttling" in str(info.value)
    clock.now = 1010.0
    with pytest.raises(ApiError) as info:
        call(bounded)  # the next request of the listing does not even start
    assert "the deadline of 10 s was reached before every request was made" in str(info.value)


def test_a_connect_timeout_says_it_could_not_connect():
    transport_, _waits = make(Script(requests.exceptions.ConnectTimeout("x")), max_retries=0, connect_timeout=2)
    with pytest.raises(ApiError) as info:
        call(transport_)
    assert "could not connect to h within 2 s (max_retries is 0: no retry)" in str(info.value)


def test_unverified_warning_is_silenced_for_that_host_only():
    """validate_certs: false quiets urllib3's warning for the endpoint it names, not for every request of the
    controller process (other plugins, other hosts)."""
    from urllib3.exceptions import InsecureRequestWarning  # pylint: disable=import-outside-toplevel

    def shown(host):
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn("Unverified HTTPS request is being made to host '%s'. Adding certificate verification is "
                          "strongly advised." % host, InsecureRequestWarning)
        return len(caught)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        script = Script(reply(200, {"Services": []}))
        quiet, _waits = make(script, validate_certs=False)
        quiet.request(CTX, "GET", "https://unverified-only.example:8443", "/x", "", NullSigner())
        assert shown("unverified-only.example") == 0
        assert shown("another-host.example") == 1
        verified, _waits = make(Script(reply(200, {"Services": []})))
        verified.request(CTX, "GET", "https://verified-only.example", "/x", "", NullSigner())
        assert shown("verified-only.example") == 1


WRITE = CallContext(provider="pai_eas", region="cn-hangzhou", operation="create service chat",
                    retry_codes=pai_eas.SPEC.retry_codes, auth_codes=pai_eas.SPEC.auth_codes,
                    read_error=pai_eas.read_error, idempotent=False)


def test_a_write_is_retried_only_when_the_server_cannot_have_done_it():
    throttled = reply(400, {"Code": "Throttling.User", "Message": "Request was denied due to user flow control."})
    script = Script(requests.exceptions.ConnectTimeout(), throttled, reply(200, {"ServiceId": "s-1"}))
    transport, _waits = make(script, max_retries=5)
    assert transport.request(WRITE, "POST", "https://h", "/api/v2/services", "", NullSigner(), body=b"{}").data == {
        "ServiceId": "s-1"}
    assert len(script.sent) == 3


@pytest.mark.parametrize("failure", [requests.exceptions.ReadTimeout(), requests.exceptions.ConnectionError(),
                                     reply(503, b"busy"), reply(500, {"Code": "InternalError", "Message": "x"})])
def test_a_write_that_may_have_been_done_is_not_sent_again(failure):
    script = Script(failure, reply(200, {"ServiceId": "s-1"}))
    transport, _waits = make(script, max_retries=5)
    with pytest.raises(ApiError) as info:
        transport.request(WRITE, "POST", "https://h", "/api/v2/services", "", NullSigner(), body=b"{}")
    assert len(script.sent) == 1
    assert "not retried: the call may have been carried out" in str(info.value)


def test_the_pai_eas_signer_signs_the_action_it_is_given():
    signer = pai_eas.Acs3Signer(credentials.FixedKeys(credentials.Keys("AK", "SK")))
    headers = {"host": "h", "x-acs-action": "StopService"}
    signer.sign("PUT", "h", "/api/v2/services/cn-hangzhou/chat/stop", "", headers, b"")
    assert headers["x-acs-action"] == "StopService" and "x-acs-action" in headers["authorization"]
    listing = {"host": "h"}
    signer.sign("GET", "h", "/api/v2/services", "", listing, b"")
    assert listing["x-acs-action"] == "ListServices"
