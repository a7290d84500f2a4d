# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting until the cloud has done a change to a service.

Private to modelserving.cloud: this module may change without notice.

After a write, the service is read again soon, then less and less often (:data:`POLL_DELAYS`, then every
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
        self.last: Record | None = None  # the service as last read, by any wait

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
        for delay in poll_delays():
            left = deadline - self.clock()
            if left <= 0:
                break
            self.sleep(min(delay, left))
            record = self.last = self.read()
            self.reads += 1
            # A failure first: a failed service is no longer busy, but it is not done either.
            reason = (failure or self.failure)(record) if record is not None else None
            if reason:
                raise ApiError("the service failed while waiting for it to be %s: %s" % (goal, reason),
                               hint="See the service's events and logs in the console", **self.where)
            if done(record):
                return record
        raise WaitTimeout("the service was not %s within wait_timeout (%g s); last seen: %s" % (
            goal, self.timeout, self.describe(self.last) if self.reads else "not read yet"),
            hint="Raise wait_timeout, or set wait: false and check later", **self.where)
