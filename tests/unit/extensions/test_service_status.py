# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source on an asyncio queue: added, removed and status events, the first snapshot, failing polls,
restarts with a state file, arguments as strings, and configuration errors."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import stat

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import JobResult

PATH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "extensions", "eda", "plugins",
                    "event_source", "service_status.py")
SPEC = importlib.util.spec_from_file_location("service_status", PATH)
source = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(source)

SECRET = "S3cr3tAccessKeySecretValue000000"
ARGS = {"sources": [{"provider": "pai_eas", "regions": ["cn-hangzhou", "cn-shanghai"], "access_key_id": "LTAIkey",
                     "access_key_secret": SECRET}], "interval": 0.001}


class Done(Exception):
    """The scripted polls are over."""


def service(name, status="running", region="cn-hangzhou", service_id=None):
    return {"provider": "pai_eas", "region": region, "service_id": service_id or "eas-m-%s" % name,
            "service_name": name, "status": status, "labels": {}}


def run(args, polls):
    """Run main over the scripted polls (each a list, per job, of records or an error); return the events."""
    config = source.settings(args)
    script = list(polls)

    def poll(_config):
        if not script:
            raise Done()
        answers = script.pop(0)
        failed = [isinstance(answer, Exception) for answer in answers]
        return [JobResult(job, None if bad else answer, answer if bad else None, [])
                for job, answer, bad in zip(config.jobs, answers, failed)]

    queue = asyncio.Queue()
    original, source.poll = source.poll, poll
    try:
        with pytest.raises(Done):
            asyncio.run(source.main(queue, args))
    finally:
        source.poll = original
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


def changes(events):
    return [(e["service_status"]["change"], e["service_status"]["service_name"], e["service_status"]["old_status"],
             e["service_status"]["new_status"]) for e in events]


def down():
    return ApiError("no reply", provider="pai_eas", region="cn-shanghai", operation="list services")


def test_added_removed_and_status_changes():
    events = run(ARGS, [
        [[service("a"), service("b")], [service("c", region="cn-shanghai")]],
        [[service("a", "failed"), service("d")], [service("c", region="cn-shanghai")]],
        [[service("a", "failed"), service("d")], []],
    ])
    assert changes(events) == [("status", "a", "running", "failed"), ("added", "d", None, "running"),
                               ("removed", "b", "running", None), ("removed", "c", "running", None)]
    first = events[0]
    assert first["meta"] == {"hosts": "a.cn-hangzhou.pai_eas"} and first["service_status"]["host"] == first["meta"][
        "hosts"]
    assert first["service_status"]["service"]["service_id"] == "eas-m-a" and first["service_status"]["region"] == (
        "cn-hangzhou")


def test_the_first_snapshot_is_a_baseline_unless_initial():
    polls = [[[service("a")], [service("b", region="cn-shanghai")]]]
    assert run(ARGS, polls) == []
    assert changes(run(dict(ARGS, initial=True), polls)) == [("added", "a", None, "running"),
                                                             ("added", "b", None, "running")]


def test_a_failing_poll_removes_nothing_and_changes_are_seen_after(caplog):
    events = run(ARGS, [
        [[service("a")], [service("b", region="cn-shanghai")]],
        [[service("a")], down()],
        [[service("a")], down()],
        [[service("a")], [service("b", "stopped", region="cn-shanghai")]],
    ])
    assert changes(events) == [("status", "b", "running", "stopped")]
    assert "no reply" in caplog.text and "tried again" in caplog.text and SECRET not in caplog.text


def test_a_source_that_fails_at_first_sets_its_baseline_when_it_answers():
    events = run(ARGS, [[[service("a")], down()], [[service("a")], [service("b", region="cn-shanghai")]],
                        [[service("a")], [service("b", region="cn-shanghai"), service("c", region="cn-shanghai")]]])
    assert changes(events) == [("added", "c", None, "running")]


def test_only_the_changes_asked_for():
    polls = [[[service("a"), service("b")], []], [[service("a", "failed"), service("c")], []]]
    assert changes(run(dict(ARGS, changes="status"), polls)) == [("status", "a", "running", "failed")]
    assert changes(run(dict(ARGS, changes=["removed", "added"]), polls)) == [
        ("added", "c", None, "running"), ("removed", "b", "running", None)]


def test_a_restart_with_a_state_file_neither_repeats_nor_misses(tmp_path):
    state = str(tmp_path / "state.json")
    args = dict(ARGS, state_file=state)
    assert changes(run(args, [[[service("a")], []], [[service("a", "failed")], []]])) == [
        ("status", "a", "running", "failed")]
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600 and SECRET not in open(state, encoding="utf-8").read()
    # Restarted: the same status is no event; what changed while it was down is.
    assert run(args, [[[service("a", "failed")], []]]) == []
    assert changes(run(args, [[[service("a", "running"), service("n")], []]])) == [
        ("status", "a", "failed", "running"), ("added", "n", None, "running")]
    assert not [name for name in os.listdir(tmp_path) if name != "state.json"]  # no temporary file left


def test_shared_names_get_the_service_id_as_in_the_inventory():
    events = run(dict(ARGS, initial=True), [[[service("x", service_id="one"), service("x", service_id="two")], []]])
    assert sorted(e["meta"]["hosts"] for e in events) == ["x.cn-hangzhou.pai_eas_one", "x.cn-hangzhou.pai_eas_two"]


def test_arguments_from_env_vars_arrive_as_strings():
    config = source.settings(dict(ARGS, interval="2.5", initial="true", changes="status, added", concurrency="8",
                                  timeout="30"))
    assert config.interval == 2.5 and config.initial is True and config.changes == ("status", "added")
    assert config.concurrency == 8 and config.jobs[0]["params"]["timeout"] == 30.0


@pytest.mark.parametrize("args, text", [
    ({"sources": [{"provider": "pai-eas", "region": "r"}]}, "did you mean pai_eas"),
    (dict(ARGS, delay=5), "unknown key(s) delay"),
    (dict(ARGS, changes=["deleted"]), "changes must be a list of added, removed, status"),
    (dict(ARGS, interval="soon"), "interval must be a number of seconds above 0"),
    (dict(ARGS, interval=0), "interval must be a number of seconds above 0"),
    (dict(ARGS, initial="maybe"), "initial must be true or false"),
    ({"interval": 5}, "sources is required"),
    ({"sources": [{"provider": "pai_eas", "region": "r", "filters": {"status": "x"}}]}, "unknown filter(s) status"),
])
def test_configuration_errors_stop_it_at_start(args, text):
    with pytest.raises(ValueError) as info:
        asyncio.run(source.main(asyncio.Queue(), args))
    assert text in str(info.value) and SECRET not in str(info.value)


def test_a_state_file_it_cannot_read_is_named(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 99}))
    with pytest.raises(ValueError) as info:
        asyncio.run(source.main(asyncio.Queue(), dict(ARGS, state_file=str(state))))
    assert "state_file %s cannot be read" % state in str(info.value)


def test_cancelling_the_source_is_clean(caplog):
    """ansible-rulebook cancels its sources at shutdown: the task ends cancelled, between or during polls."""
    caplog.set_level("INFO")

    def slow_poll(config):
        return [JobResult(job, [service("a")], None, []) for job in config.jobs]

    async def scenario():
        original, source.poll = source.poll, slow_poll
        try:
            task = asyncio.ensure_future(source.main(asyncio.Queue(), dict(ARGS, interval=30)))
            await asyncio.sleep(0.2)  # the first poll is done; the source sleeps until the next
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        finally:
            source.poll = original
        return task

    assert asyncio.run(scenario()).cancelled()
    assert "stopped" in caplog.text and "Traceback" not in caplog.text
