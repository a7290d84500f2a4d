# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every lifecycle module shares: comparing what a task wants with what the cloud reports, and waiting until
the cloud has done a change.

Private to modelserving.cloud: this module may change without notice.

Comparison: a task's configuration is a *subset* of what the cloud reports. Mappings compare key by key, and keys the
cloud adds (defaults, generated fields) are not differences; lists compare item by item and must be as long; other
values must be JSON-equal (``1`` and ``1.0`` are equal, ``1`` and ``"1"`` or ``true`` are not).

Waiting: after a write, the service is read again soon, then less and less often (:data:`POLL_DELAYS`, then every
:data:`POLL_CAP` seconds), so that a change of two seconds is seen within about three and a change of ten minutes
costs a few dozen reads. Each read goes through the transport with its retries.
"""

from __future__ import annotations

import time
import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ModelServingError

POLL_DELAYS = (0.5, 0.5, 1.0, 1.0, 2.0, 3.0, 5.0, 8.0)
POLL_CAP = 10.0
Record = t.Dict[str, t.Any]


def poll_delays() -> t.Iterator[float]:
    """Seconds to wait before each read while waiting: soon at first, then at most :data:`POLL_CAP`."""
    yield from POLL_DELAYS
    while True:
        yield POLL_CAP


def _json_equal(want: t.Any, have: t.Any) -> bool:
    if isinstance(want, bool) or isinstance(have, bool):
        return isinstance(want, bool) and isinstance(have, bool) and want == have
    if isinstance(want, (int, float)) and isinstance(have, (int, float)):
        return want == have
    return type(want) is type(have) and want == have  # noqa: E721 - str is not a number, None only None


def differences(want: t.Any, have: t.Any, path: str = "") -> dict[str, tuple[t.Any, t.Any]]:
    """Where ``want`` is not a subset of ``have``: ``{path: (wanted, reported)}``, empty when it is one.

    Paths read ``metadata.instance`` and ``containers[0].image``; a key the cloud does not report has ``None`` as
    its reported value.
    """
    if isinstance(want, dict):
        if not isinstance(have, dict):
            return {path or ".": (want, have)}
        found: dict[str, tuple[t.Any, t.Any]] = {}
        for key, value in want.items():
            where = "%s.%s" % (path, key) if path else str(key)
            if key not in have:
                found[where] = (value, None)
            else:
                found.update(differences(value, have[key], where))
        return found
    if isinstance(want, list):
        if not isinstance(have, list) or len(want) != len(have):
            return {path or ".": (want, have)}
        found = {}
        for index, (one, other) in enumerate(zip(want, have)):
            found.update(differences(one, other, "%s[%d]" % (path, index)))
        return found
    return {} if _json_equal(want, have) else {path or ".": (want, have)}


def subset(want: t.Any, have: t.Any) -> t.Any:
    """The part of ``have`` that ``want`` names (the same keys, list lengths as reported): what a diff shows as the
    cloud's side of a compared configuration."""
    if isinstance(want, dict) and isinstance(have, dict):
        return {key: subset(value, have.get(key)) for key, value in want.items()}
    if isinstance(want, list) and isinstance(have, list) and len(want) == len(have):
        return [subset(one, other) for one, other in zip(want, have)]
    return have


class WaitTimeout(ModelServingError):
    """The service did not reach the wanted state within ``wait_timeout``."""


class Waiter:
    """Reads a service until a condition holds, it fails, or the time is up.

    :param read: reads the service; None when it does not exist.
    :param describe: the state of a record in words, for messages (``status Creating``).
    :param failure: the reason a record has failed (status, reason, message), or None while it has not.
    :param timeout: seconds in all, from the first wait, over every wait of this waiter.
    """

    def __init__(self, read: t.Callable[[], Record | None], describe: t.Callable[[Record | None], str],
                 failure: t.Callable[[Record], str | None], timeout: float, where: dict[str, t.Any],
                 clock: t.Callable[[], float] = time.monotonic, sleep: t.Callable[[float], None] = time.sleep) -> None:
        self.read, self.describe, self.failure = read, describe, failure
        self.timeout, self.where, self.clock, self.sleep = timeout, where, clock, sleep
        self.reads = 0
        self.deadline: float | None = None  # set by the first wait: ``timeout`` bounds them all together

    def until(self, done: t.Callable[[Record | None], bool], goal: str,
              failure: t.Callable[[Record], str | None] | None = None) -> Record | None:
        """Wait until ``done(record)``; ``goal`` says what is waited for (``running``, ``gone``); ``failure``, when
        given, replaces the waiter's own for this wait.

        :raises ApiError: the service failed on the way (its status, reason and message named).
        :raises WaitTimeout: ``timeout`` passed; the last state seen is named.
        """
        if self.deadline is None:
            self.deadline = self.clock() + self.timeout
        deadline = self.deadline
        record: Record | None = None
        for delay in poll_delays():
            left = deadline - self.clock()
            if left <= 0:
                break
            self.sleep(min(delay, left))
            record = self.read()
            self.reads += 1
            if done(record):
                return record
            reason = (failure or self.failure)(record) if record is not None else None
            if reason:
                raise ApiError("the service failed while waiting for it to be %s: %s" % (goal, reason),
                               hint="See the service's events and logs in the console", **self.where)
        raise WaitTimeout("the service was not %s within wait_timeout (%g s); last seen: %s" % (
            goal, self.timeout, self.describe(record) if self.reads else "not read yet"),
            hint="Raise wait_timeout, or set wait: false and check later", **self.where)
