# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An ansible-rulebook event source: inference services that appear, disappear or change status.

It lists the services of its ``sources`` (the inventory plugin's shape) every ``interval`` seconds, on the
collection's own core, and puts one event on the queue for each change since the poll before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
import typing as t

DOCUMENTATION = r"""
---
short_description: Events when inference services appear, disappear or change status.
description:
  - An ansible-rulebook event source plugin that lists the inference services of PAI-EAS, ModelArts and DataArts
    Fabric every O(interval) seconds and sends one event for each service added, removed, or whose status changed
    since the poll before.
  - Each event names the host the inventory gives the service by default, in C(meta.hosts), so that run_playbook and
    run_job_template against that inventory limit to it.
  - A poll that fails for a source emits nothing for that source (never C(removed) for services it could not see),
    logs the error and is tried again, backing off. A configuration error stops the source at start.
  - It also takes the options C(query), C(timeout), C(connect_timeout), C(deadline), C(validate_certs), C(ca_path),
    C(max_retries), C(concurrency) and C(max_results) of C(modelserving.cloud.service_info), with the same meaning
    and defaults (C(ansible-doc modelserving.cloud.service_info)); a source may set its own.
  - Needs ansible-core in the same Python (the collection's core uses it), as decision environments have it.
options:
  sources:
    description:
      - Where to list services, exactly as the O(sources) of C(modelserving.cloud.service_info) and of the inventory,
        which C(ansible-doc modelserving.cloud.service_info) describes.
    type: list
    elements: dict
    required: true
  interval:
    description:
      - Seconds between polls. A string (from C(--env-vars)) is converted.
    type: float
    default: 60
  changes:
    description:
      - Which changes to emit, of C(added), C(removed) and C(status); a list or a comma-separated string.
    type: list
    elements: str
    default: [added, removed, status]
  initial:
    description:
      - Emit the services of the first poll as C(added) events (when there is no O(state_file) to start from).
    type: bool
    default: false
  state_file:
    description:
      - A file that keeps the services last seen (written atomically after each change, mode 0600), so that a
        restart neither repeats nor misses a transition. It holds the common records of the services, never a
        credential or access token.
    type: path
"""

EXAMPLES = r"""
- name: Inference services that fail
  hosts: all
  sources:
    - modelserving.cloud.service_status:
        sources:
          - provider: modelarts
            regions: [cn-north-4]
          - provider: pai_eas
            regions: [cn-hangzhou, cn-shanghai]
        interval: 30
        changes: [status]
        state_file: /var/lib/eda/service_status.json
  rules:
    - name: Remediate a failed service
      condition: event.service_status.new_status == "failed"
      throttle:
        once_within: 10 minutes
        group_by_attributes:
          - event.service_status.host
      action:
        run_playbook:
          name: remediate.yml
"""

LOG = logging.getLogger(__name__)
CHANGES = ("added", "removed", "status")
OPTIONS = ("interval", "changes", "initial", "state_file")  # beside sources, query and the connection options
STATE_VERSION = 1
MAX_BACKOFF = 8  # a failing poll waits up to 8 intervals before the next


def _collections_root() -> str:
    """ansible_collections/modelserving/cloud/extensions/eda/plugins/event_source/ -> the folder above."""
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 7))


try:  # ansible-rulebook runs this file outside Ansible's collection loader: the collection's root may be missing
    from ansible_collections.modelserving.cloud.plugins.module_utils import records as _records
except ImportError:
    sys.path.insert(0, _collections_root())
    from ansible_collections.modelserving.cloud.plugins.module_utils import records as _records

from ansible_collections.modelserving.cloud.plugins.module_utils import sources as _sources  # noqa: E402
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError  # noqa: E402

Key = t.Tuple[str, str, str]


class Settings(t.NamedTuple):
    jobs: list[dict[str, t.Any]]
    interval: float
    changes: tuple[str, ...]
    initial: bool
    state_file: str | None
    concurrency: int


def settings(args: t.Mapping[str, t.Any]) -> Settings:
    """Check the arguments and make the jobs, converting what arrives as strings; ValueError says what to fix."""
    if not isinstance(args, t.Mapping):
        raise ValueError("modelserving.cloud.service_status takes a dictionary of arguments")
    try:
        jobs, concurrency = _sources.configure("modelserving.cloud.service_status", args, OPTIONS)
    except ConfigError as exc:
        raise ValueError(exc.message) from None
    interval = _number("interval", args.get("interval", 60))
    changes = args.get("changes", list(CHANGES))
    if isinstance(changes, str):
        changes = [part.strip() for part in changes.split(",") if part.strip()]
    if not isinstance(changes, list) or not changes or any(change not in CHANGES for change in changes):
        raise ValueError("changes must be a list of %s, not %r" % (", ".join(CHANGES), changes))
    state_file = args.get("state_file")
    if state_file is not None and not isinstance(state_file, str):
        raise ValueError("state_file must be a path, not %r" % (state_file,))
    return Settings(jobs, interval, tuple(changes), _boolean("initial", args.get("initial", False)),
                    os.path.expanduser(state_file) if state_file else None, concurrency)


def _number(name: str, value: t.Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or not number > 0:
        raise ValueError("%s must be a number of seconds above 0, not %r" % (name, value))
    return number


def _boolean(name: str, value: t.Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0", ""):
        return False
    raise ValueError("%s must be true or false, not %r" % (name, value))


def job_key(job: t.Mapping[str, t.Any]) -> str:
    """What a service remembers of the job that saw it, so a failed job's services are kept as they were."""
    params = job["params"]
    return "%s/%s/%s" % (job["source"], job["provider"], params.get("region") or params.get("endpoint"))


class State(t.NamedTuple):
    """What one poll saw: the services by key, and the jobs that answered at least once (their baseline is set)."""

    services: dict[Key, dict[str, t.Any]]
    jobs: frozenset[str]


def snapshot(listed: list[_sources.JobResult], previous: State | None) -> State:
    """The services now: those the jobs that answered listed, named as the inventory names them by default, plus
    those a failed job saw last time (as they were: no news is not a removal)."""
    failed = {job_key(item.job) for item in listed if item.error is not None}
    seen: dict[Key, tuple[dict[str, t.Any], str]] = {}
    for item in listed:
        if item.records is not None:
            job = job_key(item.job)
            for record in item.records:
                seen.setdefault(_records.service_key(record), (record, job))  # as records.unique keeps them
    keys = sorted(seen)
    records = [seen[key][0] for key in keys]
    now = {key: {"job": seen[key][1], "host": host, "status": record.get("status"), "record": record}
           for key, record, host in zip(keys, records, _records.default_host_names(records))}
    if previous is not None:
        for key, entry in previous.services.items():
            if entry["job"] in failed and key not in now:
                now[key] = entry
    answered = frozenset(job_key(item.job) for item in listed if item.error is None)
    return State(now, answered | (previous.jobs if previous is not None else frozenset()))


def diff(previous: State | None, now: State, changes: tuple[str, ...], initial: bool) -> list[dict[str, t.Any]]:
    """The events from one snapshot to the next, in one pass over each (O(n)).

    A job seen for the first time (the first poll, or a source that failed until now) sets its baseline: its services
    are ``added`` only with ``initial``.
    """
    known = previous.jobs if previous is not None else frozenset()
    before_all = previous.services if previous is not None else {}
    events = []
    for key, entry in now.services.items():
        before = before_all.get(key)
        if before is None:
            if "added" in changes and (entry["job"] in known or initial):
                events.append(event("added", None, entry))
        elif before["status"] != entry["status"] and "status" in changes:
            events.append(event("status", before, entry))
    if "removed" in changes:
        events += [event("removed", entry, None) for key, entry in before_all.items() if key not in now.services]
    return events


def event(change: str, before: dict | None, after: dict | None) -> dict[str, t.Any]:
    entry = after or before or {}
    record = entry["record"]
    return {"service_status": {
        "change": change, "provider": record.get("provider"), "region": record.get("region"),
        "service_id": record.get("service_id"), "service_name": record.get("service_name"), "host": entry["host"],
        "old_status": before["status"] if before else None, "new_status": after["status"] if after else None,
        "service": record}, "meta": {"hosts": entry["host"]}}


def load_state(path: str | None) -> State | None:
    """The services of the last poll before a restart, or None (no file yet: this is the first poll)."""
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("version") != STATE_VERSION:
            raise ValueError("version %r, not %d" % (data.get("version"), STATE_VERSION))
        services = {tuple(entry["key"]): {k: entry[k] for k in ("job", "host", "status", "record")}
                    for entry in data["services"]}
        return State(services, frozenset(data["jobs"]))  # type: ignore[arg-type]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError("state_file %s cannot be read (%s): move it away to start afresh" % (path, exc)) from None


def save_state(path: str, state: State) -> None:
    """Write the services atomically (a file beside it, then rename), readable by the owner only."""
    folder = os.path.dirname(os.path.abspath(path))
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=".service_status.",
                                         delete=False)
    try:
        with handle:
            json.dump({"version": STATE_VERSION, "jobs": sorted(state.jobs),
                       "services": [dict(entry, key=list(key)) for key, entry in state.services.items()]}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o600)
        os.replace(handle.name, path)
    except BaseException:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
        raise


def poll(config: Settings) -> list[_sources.JobResult]:
    """One listing of every job (in a thread: the listing blocks)."""
    return _sources.list_jobs(config.jobs, config.concurrency, warn=lambda job, text: LOG.warning(
        "source %d (%s): %s", job["source"], job["provider"], text))


async def main(queue: asyncio.Queue, args: dict[str, t.Any]) -> None:
    """Poll the sources and put an event on ``queue`` for each change."""
    config = settings(args)
    previous = load_state(config.state_file)
    failures = 0
    LOG.info("watching %d source regions every %g s", len(config.jobs), config.interval)
    try:
        while True:
            listed = await asyncio.to_thread(poll, config)
            for item in listed:
                if item.error is not None:
                    LOG.error("source %d (%s, %s): %s; its services are kept as they were and it is tried again",
                              item.job["source"], item.job["provider"],
                              item.job["params"].get("region") or item.job["params"].get("endpoint"), item.error)
            now = snapshot(listed, previous)
            for change in diff(previous, now, config.changes, config.initial):
                await queue.put(change)
            if config.state_file and now != previous:
                save_state(config.state_file, now)
            previous = now
            failures = failures + 1 if any(item.error is not None for item in listed) else 0
            await asyncio.sleep(config.interval * min(2 ** failures, MAX_BACKOFF) if failures else config.interval)
    except asyncio.CancelledError:
        LOG.info("stopped")
        raise


if __name__ == "__main__":

    class _Printer(asyncio.Queue):
        async def put(self, item: t.Any) -> None:
            print(json.dumps(item))  # noqa: T201

    asyncio.run(main(_Printer(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
