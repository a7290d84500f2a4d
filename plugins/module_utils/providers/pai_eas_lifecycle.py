# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alibaba Cloud PAI-EAS lifecycle operations (2021-07-01, ROA; docs/docsite/rst/wire.rst A.10): the declaration and
the adapter the shared converge step (``steering.py``) needs.

Private to modelserving.cloud: this module may change without notice.

A service is named by its region (``{ClusterId}``) and name. Its configuration is the service description
CreateService takes; DescribeService reports it as a JSON text (``ServiceConfig``), its labels as a list of
``{LabelKey, LabelValue}``. Scaling is an UpdateService whose body is only ``{"metadata": {"instance": N}}``; labels
change with UpdateServiceLabel and DeleteServiceLabel.
"""

from __future__ import annotations

import json
import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.comparing import differences
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Lifecycle, Operation
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import SETTLED, Call, Seen, Task

SERVICE = "/api/v2/services/{region}/{name}"
LIFECYCLE = Lifecycle(
    operations={
        "describe": Operation("GET", SERVICE, "DescribeService"),
        "create": Operation("POST", "/api/v2/services", "CreateService", idempotent=False),
        "update": Operation("PUT", SERVICE, "UpdateService"),
        # Sent once: a second start or stop is refused while the first is under way, a second restart restarts again.
        "start": Operation("PUT", SERVICE + "/start", "StartService", idempotent=False),
        "stop": Operation("PUT", SERVICE + "/stop", "StopService", idempotent=False),
        "restart": Operation("PUT", SERVICE + "/restart", "RestartService", idempotent=False),
        "delete": Operation("DELETE", SERVICE, "DeleteService", idempotent=False),
        "set_labels": Operation("PUT", SERVICE + "/label", "UpdateServiceLabel"),
        "delete_labels": Operation("DELETE", SERVICE + "/label", "DeleteServiceLabel"),
    },
    states=("present", "absent", "started", "stopped", "restarted"),
    busy=frozenset(("creating", "waiting", "pending", "starting", "updating", "hotupdate", "committing", "scaling",
                    "cloning", "stopping", "deleting")),
    failed=frozenset(("failed", "deletefailed")),
    not_found=frozenset(("InvalidService.NotFound",)),
)


def identity(task: Task, params: t.Mapping[str, t.Any], signer: t.Any) -> dict[str, t.Any]:  # pylint: disable=unused-argument
    """``{ClusterId}`` is the region, ``{ServiceName}`` the name."""
    return {"region": params.get("region"), "name": task.name}


def observe(raw: dict[str, t.Any]) -> Seen:
    """A DescribeService reply in the converge step's terms."""
    try:
        config = json.loads(raw.get("ServiceConfig") or "{}")
    except ValueError:
        config = {}
    if not isinstance(config, dict):
        config = {}
    replicas = (config.get("metadata") or {}).get("instance")
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        replicas = raw.get("TotalInstance")
    labels = {str(item.get("LabelKey")): item.get("LabelValue") for item in raw.get("Labels") or []
              if isinstance(item, dict)}
    status = str(raw.get("Status") or "").lower()
    failure = None
    if status in LIFECYCLE.failed:
        failure = "status %s, reason %s: %s" % (raw.get("Status"), raw.get("Reason") or "none given",
                                                raw.get("Message") or "no message")
    total, running = raw.get("TotalInstance"), raw.get("RunningInstance")
    ready = not isinstance(total, int) or not isinstance(running, int) or running >= total
    return Seen(status=status, config=config, replicas=replicas, labels=labels, ready=ready, failure=failure)


def _config(task: Task) -> dict[str, t.Any]:
    """The task's configuration with its name (from ``name`` when it has none) and ``replicas`` folded in."""
    config = dict(task.config or {})
    if config.get("name", task.name) != task.name:
        raise ConfigError("config names the service %r, but name is %r" % (config["name"], task.name),
                          provider="pai_eas", operation="read the options",
                          hint="Leave name out of config, or make the two the same")
    config["name"] = task.name
    if not isinstance(config.get("metadata") or {}, dict):
        raise ConfigError("config.metadata must be a mapping (instance, cpu, memory ...), not %r" % (
            config["metadata"],), provider="pai_eas", operation="read the options")
    if task.replicas is not None:
        metadata = dict(config.get("metadata") or {})
        if metadata.get("instance") not in (None, task.replicas):
            raise ConfigError("replicas is %d but config.metadata.instance is %r" % (
                task.replicas, metadata["instance"]), provider="pai_eas", operation="read the options",
                hint="Give the number of instances once")
        metadata["instance"] = task.replicas
        config["metadata"] = metadata
    return config


def replicas(task: Task) -> int | None:
    """The number of instances the task asks for: ``replicas``, else its configuration's ``metadata.instance``."""
    if task.replicas is not None:
        return task.replicas
    count = ((task.config or {}).get("metadata") or {}).get("instance") if isinstance(
        (task.config or {}).get("metadata") or {}, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def create(task: Task) -> Call:
    """CreateService: the configuration as the body, the workspace and the labels (a JSON object as text) in the
    query."""
    query = {}
    if task.extra.get("workspace_id"):
        query["WorkspaceId"] = str(task.extra["workspace_id"])
    if task.labels:
        query["Labels"] = json.dumps(task.labels, ensure_ascii=False, separators=(",", ":"))
    return Call("create", "create", query=query, body=_config(task), target=LIFECYCLE.running)


def changes(task: Task, seen: Seen) -> list[Call]:
    """UpdateService for a configuration that is not a subset of the cloud's (a scale alone when only the number of
    instances differs), then the labels to set and, with ``purge_labels``, to delete."""
    calls = []
    if task.config is not None:
        wanted = _config(task)
        found = differences(wanted, seen.config)
        if set(found) == {"metadata.instance"}:
            calls.append(Call("update", "scale to %s" % wanted["metadata"]["instance"],
                              body={"metadata": {"instance": wanted["metadata"]["instance"]}},
                              target=SETTLED))
        elif found:
            calls.append(Call("update", "update %s" % ", ".join(sorted(found)), body=wanted,
                              target=SETTLED))
    elif task.replicas is not None and task.replicas != seen.replicas:
        calls.append(Call("update", "scale to %d" % task.replicas, body={"metadata": {"instance": task.replicas}},
                          target=SETTLED))
    if task.labels is not None:
        to_set = {k: v for k, v in task.labels.items() if seen.labels.get(k) != v}
        if to_set:
            calls.append(Call("set_labels", "set labels %s" % ", ".join(sorted(to_set)), body={"Labels": to_set}))
        stale = sorted(k for k in seen.labels if k not in task.labels) if task.purge_labels else []
        if stale:
            calls.append(Call("delete_labels", "delete labels %s" % ", ".join(stale), query={"Keys": ",".join(stale)}))
    return calls
