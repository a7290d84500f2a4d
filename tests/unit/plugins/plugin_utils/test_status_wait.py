# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""service_info's wait: its options checked, what is still missing in a few words, one report per poll that is
followed by another, and the timeout, on a fake clock."""

from __future__ import annotations

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.modules import service_info as service_info_module
from ansible_collections.modelserving.cloud.plugins.plugin_utils.status_wait import (
    FATAL,
    WAIT_OPTIONS,
    Listing,
    WaitFor,
    missing,
    progress_line,
    shown,
    wait,
    wait_options,
)

RUNNING = WaitFor("running", 1, 10, 600)


def service(name, status="running"):
    return {"host": "%s.cn-hangzhou.pai_eas" % name, "service_name": name, "status": status}


def failure(source=0, region="cn-hangzhou"):
    return {"source": source, "provider": "pai_eas", "region": region, "endpoint": None, "msg": "Failed to list"}


def test_no_wait_options_no_wait():
    assert wait_options("f", {"sources": []}) is None
    assert wait_options("f", {"wait_for": None}) is None


def test_wait_options_with_their_defaults_and_converted_types():
    assert wait_options("f", {"wait_for": {"status": "stopped"}}) == WaitFor("stopped", 1, 10, 600)
    # As a role passes them, templated into strings on some cores.
    assert wait_options("f", {"wait_for": {"status": "running", "min_count": "3"}, "wait_interval": "2",
                              "wait_timeout": "0"}) == WaitFor("running", 3, 2, 0)


@pytest.mark.parametrize("args, text", [
    ({"wait_timeout": 5}, "f: wait_timeout without wait_for"),
    ({"wait_interval": 5, "wait_timeout": 5}, "f: wait_interval and wait_timeout without wait_for"),
    ({"wait_for": "running"}, "f: dictionary requested"),
    ({"wait_for": {}}, "f: missing required arguments: status found in wait_for"),
    ({"wait_for": {"status": "running", "count": 2}},
     "f: wait_for: unknown key(s) count (did you mean min_count?); allowed: min_count, status"),
    ({"wait_for": {"status": ["running"]}}, "f: wait_for.status takes a string, not a list"),
    ({"wait_for": {"status": ""}}, "f: wait_for.status is empty"),
    ({"wait_for": {"status": "running", "min_count": -1}}, "f: wait_for.min_count is -1; allowed: at least 0"),
    ({"wait_for": {"status": "running"}, "wait_interval": 0}, "f: wait_interval is 0; allowed: at least 1"),
    ({"wait_for": {"status": "running"}, "wait_timeout": -1}, "f: wait_timeout is -1; allowed: at least 0"),
    # ansible-core's words go on with "str" (2.19 and later) or "a string" (2.16 to 2.18)
    ({"wait_for": {"status": "running"}, "wait_timeout": "soon"}, "f: argument 'wait_timeout' is of type "),
])
def test_wrong_wait_options_are_a_configuration_error(args, text):
    with pytest.raises(ConfigError) as caught:
        wait_options("f", args)
    assert text in caught.value.message


def test_the_module_spec_is_the_actions():
    """service_info's module file cannot import plugin_utils: its copy of the wait options must stay the same."""
    captured = {}

    class Stop(Exception):
        pass

    class Module:
        def __init__(self, argument_spec, **_kwargs):
            captured.update(argument_spec)
            raise Stop

    original = service_info_module.AnsibleModule
    service_info_module.AnsibleModule = Module
    try:
        with pytest.raises(Stop):
            service_info_module.main()
    finally:
        service_info_module.AnsibleModule = original
    assert {name: captured[name] for name in WAIT_OPTIONS} == WAIT_OPTIONS


def test_nothing_missing_when_every_service_has_the_status():
    assert missing(Listing([service("a"), service("b")], []), RUNNING) == []
    assert missing(Listing([], []), WaitFor("running", 0, 10, 600)) == []


def test_services_not_there_yet_are_counted_and_the_first_three_named():
    services = [service("ok"), service("a", "stopped"), service("b", None), service("c", "failed"),
                service("d", "waiting"), service("e", "waiting")]
    assert missing(Listing(services, []), RUNNING) == [
        "5 of 6 services are not running: a.cn-hangzhou.pai_eas (stopped), b.cn-hangzhou.pai_eas (unknown), "
        "c.cn-hangzhou.pai_eas (failed) and 2 more"]
    assert missing(Listing(services[:2], []), RUNNING) == [
        "1 of 2 services are not running: a.cn-hangzhou.pai_eas (stopped)"]


def test_too_few_services_and_unlisted_regions_are_missing_too():
    assert missing(Listing([], []), RUNNING) == ["0 services are found, at least 1 must be"]
    assert missing(Listing([service("a")], [failure(1, "eu-de")]), WaitFor("running", 2, 10, 600)) == [
        "1 service is found, at least 2 must be", "1 source region was not listed: source 1 (pai_eas, eu-de)"]
    assert missing(Listing([service("a")], [failure(0), failure(1)]), RUNNING) == [
        "2 source regions were not listed: source 0 (pai_eas, cn-hangzhou), source 1 (pai_eas, cn-hangzhou)"]


def test_remote_names_cannot_steer_the_terminal_or_flood_the_line():
    assert shown("evil\x1b[2J\nname") == "evil?[2J?name"
    assert shown("x" * 200) == "x" * 77 + "..."
    still = missing(Listing([service("\x1b]0;title\x07", "stopped")], []), RUNNING)
    assert "\x1b" not in still[0] and "\x07" not in still[0]


def test_the_progress_line():
    still = ["1 of 1 services are not running: a.cn-hangzhou.pai_eas (stopped)"]
    assert progress_line("localhost", still, 3.6, RUNNING) == (
        "[localhost] waiting for running, 4 of 600 s: 1 of 1 services are not running: a.cn-hangzhou.pai_eas (stopped)")
    assert progress_line(None, still + ["0 services are found, at least 1 must be"], 0, RUNNING) == (
        "waiting for running, 0 of 600 s: 1 of 1 services are not running: a.cn-hangzhou.pai_eas (stopped); "
        "0 services are found, at least 1 must be")


class Clock:
    """A fake clock that each poll moves on by ``cost`` seconds and each sleep by what it sleeps."""

    def __init__(self, cost=0.0):
        self.now, self.cost, self.sleeps = 100.0, cost, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def polls_of(clock, listings):
    listings = iter(listings)

    def poll():
        clock.now += clock.cost
        return next(listings)
    return poll


def test_the_wait_ends_at_the_first_poll_that_has_it_all_without_a_report():
    clock, reports = Clock(), []
    listing = Listing([service("a")], [])
    assert wait(polls_of(clock, [listing]), RUNNING, lambda *a: reports.append(a), clock, clock.sleep) == (
        listing, 1, [])
    assert reports == [] and clock.sleeps == []


def test_one_report_per_poll_that_another_follows_then_the_end():
    clock, reports = Clock(cost=0.5), []
    stopped = Listing([service("a", "stopped")], [])
    unlisted = Listing([], [failure()])
    done = Listing([service("a")], [])
    result = wait(polls_of(clock, [stopped, unlisted, done]), WaitFor("running", 1, 2, 60),
                  lambda still, elapsed: reports.append((still, elapsed)), clock, clock.sleep)
    assert result == (done, 3, [])
    assert reports == [(missing(stopped, RUNNING), 0.5), (missing(unlisted, RUNNING), 3.0)]
    assert clock.sleeps == [2, 2]


def test_the_timeout_ends_the_wait_with_what_is_still_missing_and_no_report_after_the_last_poll():
    clock, reports = Clock(), []
    stopped = Listing([service("a", "stopped")], [])
    listing, polls, still = wait(polls_of(clock, [stopped] * 10), WaitFor("running", 1, 2, 5),
                                 lambda *a: reports.append(a), clock, clock.sleep)
    assert (listing, polls, still) == (stopped, 4, missing(stopped, RUNNING))
    assert clock.sleeps == [2, 2, 1] and len(reports) == 3  # polls at 0, 2, 4 and 5 s: the last at the timeout


def test_a_zero_timeout_lists_once():
    clock, reports = Clock(), []
    stopped = Listing([service("a", "stopped")], [])
    assert wait(polls_of(clock, [stopped]), WaitFor("running", 1, 10, 0), lambda *a: reports.append(a), clock,
                clock.sleep)[1] == 1
    assert reports == [] and clock.sleeps == []


def test_a_configuration_error_of_a_source_ends_the_wait_at_once():
    """No later poll can mend a source whose options the listing refused: the wait ends at the first poll."""
    clock, reports = Clock(), []
    refused = Listing([], [{"source": 0, "provider": "pai_eas", "msg": "page_size is 101", FATAL: True}])
    listing, polls, _still = wait(polls_of(clock, [refused] * 10), WaitFor("running", 1, 2, 60),
                                  lambda *a: reports.append(a), clock, clock.sleep)
    assert (listing, polls, reports, clock.sleeps) == (refused, 1, [], [])
