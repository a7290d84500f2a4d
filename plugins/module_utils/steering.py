# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The converge step every lifecycle module shares: read the service, plan the writes, send them, wait.

Private to modelserving.cloud: this module may change without notice.

A provider's lifecycle is data (:class:`~.spec.Lifecycle`: its operations and what its statuses mean) plus a small
adapter (:class:`Adapter`) that reads the provider's service into a :class:`Seen` and says which calls bring it to
what a task wants. Everything else is here, once: the state machine (``present``, ``absent``, ``started``,
``stopped``, ``restarted``), check mode (no write, ``changed`` as a real run would say), the diff of the managed
fields, waiting for a busy service before changing it, and waiting after each write until the cloud has done it.
"""

from __future__ import annotations

import json
import string
import typing as t
from dataclasses import dataclass, field
from urllib.parse import quote

from ansible_collections.modelserving.cloud.plugins.module_utils.comparing import subset
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import api_path, list_records, record_defaults
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import mask_config
from ansible_collections.modelserving.cloud.plugins.module_utils.records import normalize
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import NO_SUCH_API, Lifecycle, Provider
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    CallContext,
    Signer,
    Transport,
    canonical_query,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.waiting import Waiter

Record = t.Dict[str, t.Any]


@dataclass
class Task:
    """What a lifecycle task asks for, in the provider's terms (``config`` as the API takes it)."""

    name: str | None  # None when the task names the service by the ID the cloud assigned (Lifecycle.assigned)
    state: str
    config: dict[str, t.Any] | None = None
    replicas: int | None = None
    labels: dict[str, str] | None = None
    purge_labels: bool = False
    extra: dict[str, t.Any] = field(default_factory=dict)  # provider-specific options (workspace_id, ...)
    assigned: str | None = None  # the ID the cloud assigned, when the task gives it (Lifecycle.assigned)

    @property
    def ref(self) -> str:
        """How messages name the service: its name, else its ID."""
        return self.name or "with ID %s" % self.assigned


@dataclass
class Seen:
    """A service as the cloud reports it, in the terms the converge step compares."""

    status: str
    config: dict[str, t.Any]
    replicas: t.Any  # the count, or what the provider counts (DataArts Fabric: {"min", "max"})
    labels: dict[str, str]
    ready: bool  # every instance it should have is running
    failure: str | None  # status, reason and message when it has failed
    fields: dict[str, t.Any] = field(default_factory=dict)  # other fields a task may set, by option (description)


# A call's target: the service no longer busy (a changed configuration leaves it running or stopped as it was).
SETTLED = "settled"
GONE = "gone"


@dataclass
class Call:
    """One write: the operation's role, its query and body, what it does in words, and the state to wait for."""

    op: str
    summary: str
    query: dict[str, str] = field(default_factory=dict)
    body: t.Any = None
    target: str | None = None  # running, stopped, settled, gone; None: nothing to wait for (labels)


class Adapter(t.Protocol):
    """What a provider adds to its :class:`Lifecycle` declaration."""

    LIFECYCLE: Lifecycle

    @staticmethod
    def identity(task: Task, params: t.Mapping[str, t.Any], signer: Signer) -> dict[str, t.Any]:
        """The values of the operations' path placeholders."""

    @staticmethod
    def observe(raw: Record) -> Seen:
        """Read a described service."""

    @staticmethod
    def replicas(task: Task) -> t.Any:
        """The replicas the task asks for, from ``replicas`` or its configuration (as :attr:`Seen.replicas`)."""

    @staticmethod
    def create(task: Task) -> Call:
        """The call that creates the service the task describes."""

    @staticmethod
    def changes(task: Task, seen: Seen) -> list[Call]:
        """The calls that bring the configuration, replicas and labels to the task's (none when equal); each waits
        for :data:`SETTLED` or nothing."""

    # Only where the Lifecycle has ``assigned``:
    @staticmethod
    def find_filters(task: Task, params: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
        """The list API's filter options (``Filter.option``) that narrow it to services named as the task's."""


def heading(lifecycle: Lifecycle, seen: Seen) -> str:
    """Where a service is going: its status, or for a busy one the status its change ends in (``stopping`` ends
    stopped, ``deleting`` gone, any other change running)."""
    if seen.status not in lifecycle.busy:
        return seen.status
    if seen.status == lifecycle.deleting:
        return GONE
    return lifecycle.stopped if seen.status in lifecycle.stopping else lifecycle.running


def state_calls(lifecycle: Lifecycle, task: Task, seen: Seen) -> list[Call]:
    """The start, stop or restart the task's state asks for, given where the service is going."""
    going = heading(lifecycle, seen)
    if task.state == "started" and going != lifecycle.running:
        return [Call("start", "start", target=lifecycle.running)]
    if task.state == "stopped" and going != lifecycle.stopped:
        return [Call("stop", "stop", target=lifecycle.stopped)]
    if task.state == "restarted":
        return [Call("restart", "restart", target=lifecycle.running)]
    return []


def plan(lifecycle: Lifecycle, adapter: Adapter, task: Task, seen: Seen | None, where: dict[str, t.Any]) -> list[Call]:
    """The writes that bring the service to the task's state, in order; none when it is there already (or, for
    ``absent``, on its way out).

    :raises ConfigError: a state that needs the service when it does not exist, or a create without ``config``.
    """
    if task.state == "absent":
        return [] if seen is None or seen.status == lifecycle.deleting else [Call("delete", "delete", target=GONE)]
    if seen is not None and seen.status == lifecycle.deleting:
        seen = None  # on its way out: what the task asks of it is asked of a service that is gone
    if seen is None:
        if task.assigned:
            raise ConfigError("the service %s does not exist, so it cannot be %s; nothing was created" % (
                task.ref, task.state if task.state != "present" else "updated"),
                hint="To create a service, give its name and config without %s: the cloud assigns the ID" % (
                    lifecycle.assigned), **where)
        if task.state != "present":
            raise ConfigError("the service %s does not exist, so it cannot be %s; nothing was created" % (
                task.ref, task.state), hint="Create it with state: present and its config", **where)
        if task.config is None:
            raise ConfigError("the service %s does not exist, and creating it needs config" % task.ref,
                              hint="Give the service's configuration in config", **where)
        if not task.name:
            raise ConfigError("the service %s does not exist, and creating it needs its name" % task.ref,
                              hint="Give the name of the service to create in name", **where)
        return [adapter.create(task)]
    return adapter.changes(task, seen) + state_calls(lifecycle, task, seen)


def view(task: Task, seen: Seen | None) -> dict[str, t.Any]:
    """The managed fields of a service, as a diff shows them (masked): none but ``state`` when it does not exist."""
    if seen is None:
        return {"state": "absent"}
    shown: dict[str, t.Any] = {"state": "present", "status": seen.status, "replicas": seen.replicas}
    if task.config is not None:
        shown["config"] = mask_config(subset(task.config, seen.config))
    if task.labels is not None:
        shown["labels"] = dict(seen.labels)
    shown.update({k: v for k, v in seen.fields.items() if task.extra.get(k) is not None})
    return shown


def predicted(lifecycle: Lifecycle, adapter: Adapter, task: Task, seen: Seen | None,
              calls: list[Call]) -> dict[str, t.Any]:
    """What :func:`view` will show once ``calls`` are done."""
    if task.state == "absent":
        return {"state": "absent"}
    after = view(task, seen) if seen is not None else {"state": "present"}
    if task.config is not None:
        after["config"] = mask_config(task.config)
    wanted = adapter.replicas(task)
    if isinstance(wanted, dict):  # some of the counts: the others as they are
        wanted = dict(after.get("replicas") or {}, **wanted)
    after["replicas"] = wanted if wanted is not None else after.get("replicas")
    if task.labels is not None:
        labels = {} if task.purge_labels or seen is None else dict(seen.labels)
        labels.update(task.labels)
        after["labels"] = labels
    after.update({k: task.extra[k] for k in (seen.fields if seen is not None else {}) if task.extra.get(k) is not None})
    states = [call.target for call in calls if call.target in (lifecycle.running, lifecycle.stopped)]
    if states:
        after["status"] = states[-1]
    elif seen is not None:
        going = heading(lifecycle, seen)
        after["status"] = going if going != GONE else seen.status
    else:
        after["status"] = lifecycle.running
    return after


def check_state(provider: Provider, lifecycle: Lifecycle, state: str, region: str | None) -> None:
    """Refuse a state the provider's API has no calls for (DataArts Fabric has no start or stop).

    :raises ConfigError: naming the states it has.
    """
    if state not in lifecycle.states:
        raise ConfigError("state %s is not one the %s API has (%s): nothing was sent" % (
            state, provider.SPEC.title, ", ".join(lifecycle.states)),
            provider=provider.SPEC.name, region=region, operation="check options")


class Converge:
    """Steer one service of ``provider`` through ``transport``, signed by ``signer``."""

    def __init__(self, provider: Provider, adapter: Adapter, params: t.Mapping[str, t.Any], task: Task,
                 transport: Transport, signer: Signer, base_url: str, timeout: float, **clock: t.Any) -> None:
        self.provider, self.adapter, self.params, self.task = provider, adapter, params, task
        self.transport, self.signer, self.base_url, self.timeout = transport, signer, base_url, timeout
        self.clock = clock  # the waiter's clock and sleep, for tests
        self.lifecycle = adapter.LIFECYCLE
        check_state(provider, self.lifecycle, task.state, params.get("region"))
        self.where = {"provider": provider.SPEC.name, "region": params.get("region"),
                      "operation": "steer service %s" % task.ref}
        identity = adapter.identity(task, params, signer)
        needed = {name for op in self.lifecycle.operations.values()
                  for _text, name, _spec, _conv in string.Formatter().parse(op.path) if name}
        missing = sorted(name for name in needed - {self.lifecycle.assigned} if identity.get(name) in (None, ""))
        if missing:
            raise ConfigError("%s needed to name the service in its API's paths" % " and ".join(missing),
                              hint="Set %s" % " and ".join(missing), **self.where)
        self.values = {k: quote(str(v), safe="~") for k, v in identity.items() if v not in (None, "")}

    def context(self, operation: str, idempotent: bool = True) -> CallContext:
        spec = self.provider.SPEC
        return CallContext(provider=spec.name, region=self.params.get("region"), operation=operation,
                           retry_codes=spec.retry_codes, auth_codes=spec.auth_codes,
                           read_error=self.provider.read_error, auth_hint=self.provider.AUTH_HINT,
                           idempotent=idempotent)

    def send(self, role: str, query: dict[str, str] | None = None, body: t.Any = None) -> t.Any:
        """Make one operation's call (with the operation's own body when it has one); the reply's data."""
        op = self.lifecycle.operations[role]
        ctx = self.context("%s service %s" % (role.replace("_", " "), self.task.ref), op.idempotent)
        headers = {"x-acs-action": op.action} if op.action else {}
        payload = b""
        body = op.body if body is None else body
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["content-type"] = "application/json; charset=utf-8"
        reply = self.transport.request(ctx, op.method, self.base_url, op.path.format(**self.values),
                                       canonical_query(query or {}), self.signer, body=payload, headers=headers)
        return reply.data

    def read(self) -> Record | None:
        """The service as the cloud describes it, or None when it does not exist: not found by name, a not-found
        code, a 404 without a code (or with any code but the gateway's for an unknown API, where the API documents
        none), or a status that means it is gone. A 404 naming another code, such as an unknown API behind a wrong
        endpoint, is an error."""
        assigned = self.lifecycle.assigned
        if assigned and assigned not in self.values:
            found = self.find()
            if found is None:
                return None
            self.values[assigned] = quote(found, safe="~")
        try:
            raw = self.send("describe")
        except ApiError as exc:
            if exc.code in self.lifecycle.not_found or (exc.status == 404 and not exc.code) or (
                    exc.status == 404 and self.lifecycle.any_404 and exc.code not in NO_SUCH_API):
                return None
            raise
        if not isinstance(raw, dict) or self.adapter.observe(raw).status in self.lifecycle.gone:
            return None
        named = raw.get(self.provider.SPEC.common["service_name"])
        if self.task.name and self.task.assigned and named != self.task.name:
            raise ConfigError("%s %s is the service named %r, not %r" % (assigned, self.task.assigned, named,
                                                                         self.task.name),
                              hint="Give the name or the ID of one service, or both of the same", **self.where)
        return raw

    def find(self) -> str | None:
        """The ID of the service the task names, from the list API (its name exactly; services the API shows as
        gone left out); None when there is none.

        :raises ConfigError: several services have the name.
        """
        spec, assigned = self.provider.SPEC, self.lifecycle.assigned
        options = self.adapter.find_filters(self.task, self.params)
        path = api_path(spec, self.params, getattr(self.signer, "project_id", None))
        listing = list_records(self.provider, self.transport, self.signer, self.context(
            "find service %s" % self.task.ref), self.base_url, path, spec.wire_params(options),
            size=spec.paging.max_size or spec.paging.default_size)
        name_field = spec.common["service_name"]
        found = [item for item in listing.items if item.get(name_field) == self.task.name
                 and str(item.get(spec.status_field) or "").lower() not in self.lifecycle.gone]
        if len(found) > 1:
            raise ConfigError("%d services are named %s (%s %s)" % (
                len(found), self.task.name, spec.id_field, ", ".join(str(item[spec.id_field]) for item in found)),
                hint="Name the one to steer with %s" % assigned, **self.where)
        return str(found[0][spec.id_field]) if found else None

    def run(self, check_mode: bool, wait: bool) -> dict[str, t.Any]:
        """Converge; return the module's result: ``changed``, ``service`` (None once deleted), ``diff`` and
        ``actions`` (what was done, or would be in check mode, in words).

        A service that is busy (creating, updating, ...) is waited for before it is changed, and the plan made again
        from what it then is; only ``absent`` deletes it in whatever state it is, and one already being deleted is
        only waited for (another state waits until it is gone, then creates it as a missing one). Configuration and
        label changes go first, each waited for until the service is no longer busy; the start, stop or restart the
        state asks for is then decided from what the service has become. Each write but the last is waited for,
        since the API refuses a change while another is under way; the last one too unless ``wait`` is false.
        """
        waiter = Waiter(self.read, self.describe, self.failure, self.timeout, self.where, **self.clock)
        raw = self.read()
        seen = self.adapter.observe(raw) if raw is not None else None
        calls = plan(self.lifecycle, self.adapter, self.task, seen, self.where)
        if calls and not check_mode and seen is not None and seen.status == self.lifecycle.deleting \
                and self.task.state != "absent":  # being deleted: gone first, then made again
            raw = waiter.until(lambda r: r is None, GONE)
            seen = None
        elif calls and not check_mode and seen is not None and seen.status in self.lifecycle.busy \
                and self.task.state != "absent":
            keep_failed = self.task.state == "restarted"  # a restart is what a failed service needs
            raw = waiter.until(self.settled, "done with its last change", (lambda r: None) if keep_failed else None)
            seen = self.adapter.observe(raw) if raw is not None else None
            calls = plan(self.lifecycle, self.adapter, self.task, seen, self.where)
        diff = {"before": view(self.task, seen),
                "after": predicted(self.lifecycle, self.adapter, self.task, seen, calls)}
        result: dict[str, t.Any] = {"changed": bool(calls), "diff": diff, "actions": [c.summary for c in calls]}
        if check_mode or not calls:
            if not check_mode and wait and self.task.state == "absent" and raw is not None:  # already being deleted
                raw = waiter.until(lambda r: r is None, GONE)
            return dict(result, service=self.record(raw) if self.task.state != "absent" else None)
        done: list[str] = []
        state_planned = seen is not None and self.task.state in ("started", "stopped", "restarted")
        todo = [call for call in calls if call.op not in ("start", "stop", "restart")] if state_planned else calls
        raw = self.perform(todo, waiter, wait or state_planned, done, raw)  # settled before a start or stop
        if state_planned:
            now = self.adapter.observe(raw) if raw is not None else None
            if now is None:
                raise ApiError("the service %s disappeared while it was being changed" % self.task.ref,
                               **self.where)
            raw = self.perform(state_calls(self.lifecycle, self.task, now), waiter, wait, done, raw)
        if not (wait and done and self.waited):  # the last write was not waited for: what the cloud says now
            raw = self.read()
        return dict(result, changed=bool(done), actions=done,
                    service=self.record(raw) if self.task.state != "absent" else None)

    def perform(self, calls: list[Call], waiter: Waiter, wait: bool, done: list[str],
                raw: Record | None) -> Record | None:
        """Send ``calls`` in order, waiting after each as :meth:`run` says; ``done`` gets each one's summary.
        Returns the service as last read."""
        self.waited = False
        for index, call in enumerate(calls):
            failed_before = raw is not None and self.failure(raw) is not None
            last = index == len(calls) - 1
            try:
                reply = self.send(call.op, call.query, call.body)
                if call.op == "create" and self.lifecycle.assigned and isinstance(reply, dict) \
                        and reply.get(self.lifecycle.assigned_key):
                    self.values[self.lifecycle.assigned] = quote(str(reply[self.lifecycle.assigned_key]), safe="~")
            except ApiError as exc:
                if not exc.maybe_done or not call.target:
                    raise
                last = False  # whether it was done, only reading the service can tell
            done.append(call.summary)
            failure = self.failure_after(failed_before)
            self.waited = bool(call.target) and (wait or not last)
            if self.waited:
                raw = waiter.until(lambda r, target=call.target: self.reached(r, target), call.target, failure)
            elif not last:
                raw = waiter.until(self.settled, "done with its last change", failure)
        return raw

    def settled(self, raw: Record | None) -> bool:
        """Not busy, or gone."""
        return raw is None or self.adapter.observe(raw).status not in self.lifecycle.busy

    def failure(self, raw: Record) -> str | None:
        return self.adapter.observe(raw).failure

    def failure_after(self, failed_before: bool) -> t.Callable[[Record], str | None]:
        """The failure check after a write to a service that had failed (a restart of a failed service): its old
        failure counts only once it has been seen in another state, since the cloud may report it for a moment."""
        armed = [not failed_before]

        def check(raw: Record) -> str | None:
            reason = self.failure(raw)
            if reason is None:
                armed[0] = True
            return reason if armed[0] else None

        return check

    def reached(self, raw: Record | None, target: str) -> bool:
        if target == GONE:
            return raw is None
        if raw is None:
            return False
        seen = self.adapter.observe(raw)
        if target == SETTLED:
            return seen.status not in self.lifecycle.busy and (seen.status != self.lifecycle.running or seen.ready)
        return seen.status == target and (target != self.lifecycle.running or seen.ready)

    def describe(self, raw: Record | None) -> str:
        if raw is None:
            return "gone"
        seen = self.adapter.observe(raw)
        count = seen.replicas
        if isinstance(count, dict):
            count = "-".join(str(v) for v in count.values())
        return "status %s, %s of %s replicas ready" % (seen.status, "all" if seen.ready else "not all", count)

    def record(self, raw: Record | None) -> Record | None:
        spec = self.provider.SPEC
        return None if raw is None else normalize(spec, raw, self.params.get("region"), defaults=record_defaults(
            spec, self.params, getattr(self.signer, "project_id", None)))
