# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waiting for a change, on a fake clock."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError
from ansible_collections.modelserving.cloud.plugins.module_utils.waiting import (
    POLL_CAP,
    Waiter,
    WaitTimeout,
    poll_delays,
)
from ansible_collections.modelserving.cloud.tests.unit.fakes import Clock


def test_polls_soon_then_backs_off_to_the_cap():
    delays = list(itertools.islice(poll_delays(), 12))
    assert delays[0] <= 0.5 and sum(delays[:4]) <= 3.0  # a 2-second change is seen within about 3 s
    assert delays[-1] == POLL_CAP and max(delays) == POLL_CAP
    assert len(list(itertools.takewhile(lambda total: total < 600, itertools.accumulate(poll_delays())))) < 75


def waiter(statuses, timeout=60.0):
    clock = Clock(0.0)
    states = iter(statuses)

    def read():
        status = next(states)
        return None if status is None else {"status": status, "reason": "OOM", "message": "killed"}

    def failure(record):
        return "status %(status)s, reason %(reason)s: %(message)s" % record if record["status"] == "Failed" else None

    where = {"provider": "pai_eas", "region": "cn-hangzhou", "operation": "create service chat"}
    return Waiter(read, lambda r: "status %s" % (r or {}).get("status", "gone"), failure, timeout, where,
                  clock=clock, sleep=clock.sleep), clock


def test_waits_until_done():
    wait, clock = waiter(["Creating", "Creating", "Running"])
    assert wait.until(lambda r: r and r["status"] == "Running", "running")["status"] == "Running"
    assert wait.reads == 3 and clock.now == sum(itertools.islice(poll_delays(), 3))


def test_gone_is_a_goal_too():
    wait, _clock = waiter(["Deleting", None])
    assert wait.until(lambda r: r is None, "gone") is None


def test_a_failure_is_named_with_its_reason():
    wait, _clock = waiter(["Creating", "Failed"])
    with pytest.raises(ApiError) as info:
        wait.until(lambda r: r and r["status"] == "Running", "running")
    text = str(info.value)
    assert text.startswith("Failed to create service chat on pai_eas/cn-hangzhou: the service failed while waiting")
    assert "status Failed, reason OOM: killed" in text


def test_the_timeout_ends_on_time_naming_the_last_status():
    wait, clock = waiter(itertools.repeat("Creating"), timeout=30.0)
    with pytest.raises(WaitTimeout) as info:
        wait.until(lambda r: r and r["status"] == "Running", "running")
    assert clock.now == pytest.approx(30.0)
    assert "not running within wait_timeout (30 s); last seen: status Creating" in str(info.value)


def test_the_timeout_bounds_every_wait_together():
    wait, clock = waiter(itertools.chain(["Creating"] * 3, ["Running"], itertools.repeat("Creating")), timeout=30.0)
    assert wait.until(lambda r: r and r["status"] == "Running", "running")["status"] == "Running"
    spent = clock.now
    with pytest.raises(WaitTimeout):
        wait.until(lambda r: r and r["status"] == "Running", "running")
    assert clock.now == pytest.approx(30.0) and spent < 30.0
