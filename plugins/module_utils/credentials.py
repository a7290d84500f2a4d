# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials that signers ask for on every attempt: fixed keys, or temporary keys refreshed before they expire;
and the instance metadata services that hand temporary keys to cloud machines.

Temporary keys (an assumed RAM role, a Huawei agency) are fetched once per process for the same base identity and
role, shared by every thread, and fetched again ahead of their expiry: 15 minutes ahead, as Alibaba Cloud's
credentials package does, but never more than a third of their lifetime ahead, so that short-lived keys are used for
a while. They live in memory only: never in a file, a log, a result or the inventory cache.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
import typing as t
from dataclasses import replace

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    UNSIGNED,
    CallContext,
    Reply,
    Transport,
)

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

    def get(self, transport: Transport | None = None) -> Keys:  # pylint: disable=unused-argument
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

    def get(self, transport: Transport | None = None) -> Keys:
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


# What a signer asks for keys: fixed ones, or temporary ones that refresh themselves.
KeySource = t.Union[FixedKeys, RefreshingKeys]
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


def expiry(value: t.Any) -> float:
    """Seconds since the epoch of an expiry written as ISO 8601 UTC (``2026-01-02T03:04:05Z``, ``...05.123000Z``: IAM,
    STS and both metadata services); :class:`ValueError` when it is not one."""
    moment = datetime.datetime.strptime(str(value)[:19], "%Y-%m-%dT%H:%M:%S")
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()


class MetadataService:
    """An instance metadata service, asked as both clouds' SDKs do: a session token first (``PUT token_path`` with
    ``ttl_header``), sent as ``token_header`` with every GET; a service that refuses the PUT is asked without one.
    One second to connect and to answer, one retry, no proxy: a machine without the service learns it in about a
    second, and the error's hint is ``absent``. Use it as a context manager."""

    def __init__(self, ctx: CallContext, url: str, token_path: str, ttl_header: str, token_header: str,
                 absent: str) -> None:
        self.ctx, self.url, self.absent = ctx, url, absent
        self.transport = Transport(timeout=1.0, connect_timeout=1.0, deadline=10.0, max_retries=1, pool_size=1,
                                   backoff_base=0.1, backoff_cap=0.2, use_env_proxies=False)
        self.headers: dict[str, str] = {}
        try:
            self.headers[token_header] = self._call("PUT", token_path, True, {ttl_header: "21600"}).data
        except ApiError as exc:
            if exc.status is None:  # nothing answered
                self.transport.close()
                raise
            # It answered, and refused a token: ask without one (IMDSv1).

    def __enter__(self) -> MetadataService:
        return self

    def __exit__(self, *exc_info: t.Any) -> None:
        self.transport.close()

    def get(self, path: str, text: bool = False) -> Reply:
        """GET ``path``: a JSON object, or with ``text`` the body as text."""
        return self._call("GET", path, text, dict(self.headers))

    def _call(self, method: str, path: str, text: bool, headers: dict[str, str]) -> Reply:
        ctx = replace(self.ctx, text_reply=True) if text else self.ctx
        try:
            return self.transport.request(ctx, method, self.url, path, "", UNSIGNED, headers=headers)
        except ApiError as exc:
            if exc.status is None:
                exc.hint = self.absent
            raise
