# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What several unit tests share: a clock the test moves."""

from __future__ import annotations


class Clock:
    """A monotonic clock that moves only when something sleeps on it: ``clock()`` or ``clock.monotonic()`` reads it,
    ``clock.sleep(seconds)`` moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
