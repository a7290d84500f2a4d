# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keys as signers get them: fixed keys, temporary keys refreshed ahead of expiry on a fake clock, one fetch for many
threads, one session per base identity and role, and the fingerprint that tells secrets apart without holding them.

Each provider's own fetch (STS, OIDC, agencies, instance metadata) is tested with its provider."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.credentials import FixedKeys, Keys, RefreshingKeys

SECRET = "S3cr3tKeySecretValue"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Fetcher:
    """A fetch that hands out numbered keys lasting ``lifetime`` seconds from the clock's now (None: no expiry)."""

    def __init__(self, clock=time.time, lifetime=3600.0, delay=0.0, fail=0):
        self.clock, self.lifetime, self.delay, self.fail = clock, lifetime, delay, fail
        self.calls = 0
        self.transports = []
        self.lock = threading.Lock()

    def __call__(self, transport):
        time.sleep(self.delay)  # a network call: other threads arrive meanwhile
        with self.lock:
            self.calls += 1
            self.transports.append(transport)
            number = self.calls
        if number <= self.fail:
            raise RuntimeError("fetch %d failed" % number)
        expiration = None if self.lifetime is None else self.clock() + self.lifetime
        return Keys("STS.key%d" % number, "secret%d" % number, "token%d" % number, expiration)


def test_fixed_keys_are_given_back_as_they_are_and_named_by_their_id():
    keys = Keys("LTAI5tKEY", SECRET, "token")
    fixed = FixedKeys(keys)
    assert fixed.get() is keys and fixed.get(object()) is keys
    assert fixed.label == "AccessKey LTAI5tKEY" and SECRET not in fixed.label


def test_keys_are_fetched_on_first_use_not_before():
    fetch = Fetcher()
    session = RefreshingKeys(fetch, label="RAM role r")
    assert fetch.calls == 0 and session.label == "RAM role r"
    transport = object()
    assert session.get(transport).access_key_id == "STS.key1"
    assert fetch.transports == [transport] and session.fetches == 1


@pytest.mark.parametrize("lifetime, refresh_after", [(3600, 2700), (900, 600), (30, 20)])
def test_keys_are_fetched_again_ahead_of_expiry(lifetime, refresh_after):
    """15 minutes ahead, as Alibaba Cloud's credentials package does, but never more than a third of the lifetime."""
    clock = Clock()
    fetch = Fetcher(clock=clock, lifetime=lifetime)
    session = RefreshingKeys(fetch, clock=clock)
    first = session.get()
    clock.now += refresh_after - 1
    assert session.get() is first and fetch.calls == 1
    clock.now += 1
    second = session.get()
    assert second.access_key_id == "STS.key2" and fetch.calls == 2
    assert session.get() is second  # the new keys get a new refresh time, counted from their fetch


def test_keys_already_expired_are_fetched_on_every_use():
    clock = Clock()
    fetch = Fetcher(clock=clock, lifetime=-10)
    session = RefreshingKeys(fetch, clock=clock)
    session.get()
    session.get()
    assert fetch.calls == 2


def test_keys_without_an_expiry_are_fetched_once():
    clock = Clock()
    fetch = Fetcher(clock=clock, lifetime=None)
    session = RefreshingKeys(fetch, clock=clock)
    first = session.get()
    clock.now += 10 ** 9
    assert session.get() is first and fetch.calls == 1


def test_a_failed_fetch_raises_to_its_caller_and_the_next_caller_tries_again():
    clock = Clock()
    fetch = Fetcher(clock=clock, fail=1)
    session = RefreshingKeys(fetch, clock=clock)
    with pytest.raises(RuntimeError, match="fetch 1 failed"):
        session.get()
    assert session.get().access_key_id == "STS.key2" and fetch.calls == 2


def test_a_failed_refresh_keeps_nothing_stale_for_the_next_caller():
    """Keys due for a refresh are not handed out when the refresh fails: the next caller fetches again."""
    clock = Clock()
    fetch = Fetcher(clock=clock, lifetime=3600)
    session = RefreshingKeys(fetch, clock=clock)
    session.get()
    clock.now += 3000
    fetch.fail = 2
    with pytest.raises(RuntimeError, match="fetch 2 failed"):
        session.get()
    assert session.get().access_key_id == "STS.key3"


def test_one_fetch_for_many_threads():
    fetch = Fetcher(delay=0.05)
    session = RefreshingKeys(fetch)
    got = []
    threads = [threading.Thread(target=lambda: got.append(session.get())) for _worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetch.calls == 1 and len(got) == 8 and len({id(keys) for keys in got}) == 1


def test_shared_makes_one_session_per_key_even_when_threads_ask_at_once(monkeypatch):
    monkeypatch.setattr(credentials, "_SESSIONS", {})
    made = []

    def make():
        time.sleep(0.01)
        session = RefreshingKeys(Fetcher())
        made.append(session)
        return session

    got = []
    key = ("alibaba-role", "LTAI5tKEY", credentials.fingerprint(SECRET), "acs:ram::1:role/reader")
    threads = [threading.Thread(target=lambda: got.append(credentials.shared(key, make))) for _worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and all(session is made[0] for session in got)
    other = credentials.shared(key[:3] + ("acs:ram::1:role/other",), make)
    assert other is not made[0] and len(made) == 2
    assert credentials.shared(key, make) is made[0] and len(made) == 2


def test_fingerprint_tells_secrets_apart_without_holding_them():
    assert credentials.fingerprint(SECRET, "token") == credentials.fingerprint(SECRET, "token")
    assert credentials.fingerprint(SECRET, "token") != credentials.fingerprint(SECRET, "other")
    assert credentials.fingerprint(SECRET) != credentials.fingerprint(SECRET + "x")
    # Each secret keeps its place: a boundary moved between two secrets is another pair.
    assert credentials.fingerprint("ab", "c") != credentials.fingerprint("a", "bc")
    # An unset secret and an empty one are alike: neither is a secret.
    assert credentials.fingerprint(SECRET, None) == credentials.fingerprint(SECRET, "")
    digest = credentials.fingerprint(SECRET, "token")
    assert SECRET not in digest and len(digest) == 64 and int(digest, 16) >= 0
