# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials that signers ask for on every attempt: fixed keys, or temporary keys refreshed before they expire.

Temporary keys (an assumed RAM role, a Huawei agency) are fetched once per process for the same base identity and
role, shared by every thread, and fetched again ahead of their expiry: 15 minutes ahead, as Alibaba Cloud's
credentials package does, but never more than a third of their lifetime ahead, so that short-lived keys are used for
a while. They live in memory only: never in a file, a log, a result or the inventory cache.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import hashlib
import threading
import time
import typing as t

REFRESH_AHEAD = 15 * 60


class Keys(t.NamedTuple):
    """An access key pair, with its security token and expiry (seconds since the epoch) when temporary."""

    access_key_id: str
    secret: str
    security_token: str | None = None
    expiration: float | None = None


class FixedKeys:
    """Keys given as they are (options or environment); nothing to refresh."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.label = "AccessKey %s" % keys.access_key_id  # what they are, for messages

    def get(self, transport: t.Any = None) -> Keys:  # pylint: disable=unused-argument
        return self.keys


class RefreshingKeys:
    """Temporary keys from ``fetch(transport)``, fetched on first use and again ahead of their expiry.

    One caller fetches while the others wait for its keys; a fetch that fails raises to the caller that made it, and
    the next caller tries again.
    """

    def __init__(self, fetch: t.Callable[[t.Any], Keys], clock: t.Callable[[], float] = time.time,
                 label: str = "temporary keys") -> None:
        self.fetch = fetch
        self.label = label
        self.clock = clock
        self.keys: Keys | None = None
        self.refresh_at = 0.0
        self.fetches = 0
        self.lock = threading.Lock()

    def get(self, transport: t.Any = None) -> Keys:
        with self.lock:
            if self.keys is None or self.clock() >= self.refresh_at:
                fetched_at = self.clock()
                keys = self.fetch(transport)
                self.fetches += 1
                self.keys = keys
                if keys.expiration is None:
                    self.refresh_at = float("inf")
                else:
                    lifetime = max(keys.expiration - fetched_at, 0.0)
                    self.refresh_at = keys.expiration - min(REFRESH_AHEAD, lifetime / 3.0)
            return self.keys


_SESSIONS: dict[tuple[t.Any, ...], RefreshingKeys] = {}
_SESSIONS_LOCK = threading.Lock()


def fingerprint(*secrets: str | None) -> str:
    """A digest that tells secrets apart in a process-local key without holding them."""
    return hashlib.sha256("\0".join(s or "" for s in secrets).encode("utf-8")).hexdigest()


def shared(key: tuple[t.Any, ...], make: t.Callable[[], RefreshingKeys]) -> RefreshingKeys:
    """The one :class:`RefreshingKeys` of this process for ``key`` (the base identity and the role), made once."""
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            session = _SESSIONS[key] = make()
        return session
