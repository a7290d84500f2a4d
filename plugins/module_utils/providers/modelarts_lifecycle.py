# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud / Open Telekom Cloud ModelArts lifecycle operations (v1; docs/docsite/rst/wire.rst B.11): the
declaration and the adapter the shared converge step (``steering.py``) needs.

Private to modelserving.cloud: this module may change without notice.

A service is named by its project and ``service_id``; a task that gives only its name finds it in the list API.
Its configuration is the API's list of models. v1 has no start or stop of its own: both are an update whose body is
the status alone, and since an update that carries both ``status`` and ``config`` changes only the status, a task
that changes both sends two. A scale is an update of ``config`` with the one model's new ``instance_count``.
"""

from __future__ import annotations

import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.comparing import differences
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Lifecycle, Operation
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import SETTLED, Call, Seen, Task

SERVICE = "/v1/{project_id}/services/{service_id}"
LIFECYCLE = Lifecycle(
    operations={
        "describe": Operation("GET", SERVICE),
        "create": Operation("POST", "/v1/{project_id}/services", idempotent=False),
        "update": Operation("PUT", SERVICE),
        "start": Operation("PUT", SERVICE, body={"status": "running"}),
        "stop": Operation("PUT", SERVICE, body={"status": "stopped"}),
        "delete": Operation("DELETE", SERVICE, idempotent=False),
    },
    states=("present", "absent", "started", "stopped"),
    busy=frozenset(("deploying", "stopping", "deleting", "pending", "waiting")),
    failed=frozenset(("failed",)),
    # The Open Telekom Cloud reference's code for a service that does not exist; any other 404 is an error.
    not_found=frozenset(("ModelArts.3502",)),
    assigned="service_id",
    assigned_key="service_id",
)

# The fields of a model in a request (the reply adds model_name, model_version ... that a request does not take).
MODEL_FIELDS = ("model_id", "weight", "specification", "custom_spec", "instance_count", "envs", "cluster_id",
                "pool_name", "src_type", "src_path", "req_uri", "mapping_type", "mapping_rule", "dest_path", "nodes",
                "additional_properties", "inference_accelerator")
WHERE = {"provider": "modelarts", "operation": "read the options"}


def identity(task: Task, params: t.Mapping[str, t.Any], signer: t.Any) -> dict[str, t.Any]:
    """``{project_id}`` is the credentials' project, ``{service_id}`` the task's (else found by name)."""
    return {"project_id": getattr(signer, "project_id", None), "service_id": task.assigned}


def find_filters(task: Task, params: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The name, in the task's workspace (the list API shows the default workspace's otherwise)."""
    return {"service_name": task.name, "workspace_id": params.get("workspace_id")}


def _count(model: t.Any) -> int | None:
    count = model.get("instance_count") if isinstance(model, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def observe(raw: dict[str, t.Any]) -> Seen:
    """A show reply in the converge step's terms; ``concerning`` (running, some instances unhealthy) counts as
    running."""
    config = raw.get("config") if isinstance(raw.get("config"), list) else []
    counts = [_count(model) for model in config]
    replicas = counts[0] if len(counts) == 1 else (sum(counts) if counts and None not in counts else None)
    labels = {str(item.get("key")): item.get("value") for item in raw.get("tags") or [] if isinstance(item, dict)}
    status = str(raw.get("status") or "").lower()
    failure = None
    if status in LIFECYCLE.failed:
        failure = "status %s: %s" % (raw.get("status"), raw.get("error_msg") or "no message")
    return Seen(status="running" if status == "concerning" else status, config=config, replicas=replicas,
                labels=labels, ready=True, failure=failure,
                fields={"description": raw.get("description"), "infer_type": raw.get("infer_type")})


def _models(task: Task, base: list[t.Any] | None = None) -> list[dict[str, t.Any]]:
    """The list of models to send: the task's (each over the reported model at its place, when the lengths agree,
    so that a task may give only what it manages) or the reported one, with ``replicas`` as the one model's
    ``instance_count``."""
    base = [{k: v for k, v in model.items() if k in MODEL_FIELDS} for model in base or [] if isinstance(model, dict)]
    wanted = task.config
    if wanted is None:
        models = base
    elif len(wanted) == len(base):  # what the task does not give stays as reported, in nested maps (envs) too
        models = [{k: dict(old[k], **v) if isinstance(v, dict) and isinstance(old.get(k), dict) else v
                   for k, v in dict(old, **new).items()} for old, new in zip(base, wanted)]
    else:
        models = [dict(model) for model in wanted]
    if task.replicas is not None:
        if len(models) != 1:
            raise ConfigError("replicas sets the instance count of a service of one model, and this one has %d" % (
                len(models)), hint="Give each model's instance_count in config", **WHERE)
        if wanted is not None and _count(wanted[0]) not in (None, task.replicas):
            raise ConfigError("replicas is %d but config[0].instance_count is %r" % (
                task.replicas, wanted[0]["instance_count"]), hint="Give the number of instances once", **WHERE)
        models[0]["instance_count"] = task.replicas
    return models


def replicas(task: Task) -> int | None:
    """The instance count the task asks for: ``replicas``, else its one model's ``instance_count``."""
    if task.replicas is not None:
        return task.replicas
    return _count(task.config[0]) if task.config and len(task.config) == 1 else None


def create(task: Task) -> Call:
    """Create: the name, inference type, models, description and workspace."""
    body: dict[str, t.Any] = {"service_name": task.name, "infer_type": task.extra.get("infer_type") or "real-time",
                              "config": _models(task)}
    for option in ("description", "workspace_id"):
        if task.extra.get(option) is not None:
            body[option] = task.extra[option]
    return Call("create", "create", body=body, target=LIFECYCLE.running)


def changes(task: Task, seen: Seen) -> list[Call]:
    """One update of the description and the models when they differ (a scale when only an instance count does);
    the inference type cannot change."""
    infer_type = task.extra.get("infer_type")
    if infer_type is not None and seen.fields["infer_type"] not in (None, infer_type):
        raise ConfigError("the service's infer_type is %s, and it cannot change to %s" % (
            seen.fields["infer_type"], infer_type), hint="Delete the service and create it again", **WHERE)
    body: dict[str, t.Any] = {}
    what = []
    if task.config is not None or task.replicas is not None:
        models = _models(task, seen.config)
        found = differences(models, seen.config)
        if found:
            body["config"] = models
            scaled = {path for path in found if path.endswith(".instance_count")}
            what.append("scale to %s" % ", ".join(str(_count(m)) for m in models) if scaled == set(found)
                        else "update %s" % ", ".join("config%s" % path for path in sorted(found)))
    description = task.extra.get("description")
    if description is not None and description != seen.fields["description"]:
        body["description"] = description
        what.append("update description")
    return [Call("update", ", ".join(what), body=body, target=SETTLED)] if body else []
