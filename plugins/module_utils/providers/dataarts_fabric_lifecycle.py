# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud DataArts Fabric service instance lifecycle (docs/docsite/rst/wire.rst C.2): the declaration and the
adapter the shared converge step (``steering.py``) needs.

Private to modelserving.cloud: this module may change without notice.

An instance is named by its workspace and ``id``; a task that gives only its name finds it in the list API (whose
name search is fuzzy: the name must match exactly). Its configuration is the API's ``config`` object; its replicas
are the ``min`` and ``max`` of ``config.model_instance_config.resource``. The API has no start or stop, and its
``spec_code`` and ``endpoint_id`` cannot be changed once the instance is created.
"""

from __future__ import annotations

import copy
import re
import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.comparing import differences
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Lifecycle, Operation
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import SETTLED, Call, Seen, Task

INSTANCES = "/v1/workspaces/{workspace_id}/services/instances"
INSTANCE = INSTANCES + "/{instance_id}"
LIFECYCLE = Lifecycle(
    operations={
        "describe": Operation("GET", INSTANCE),
        "create": Operation("POST", INSTANCES, idempotent=False),
        "update": Operation("PUT", INSTANCE),
        "delete": Operation("DELETE", INSTANCE, idempotent=False),
    },
    states=("present", "absent"),
    busy=frozenset(("pending", "creating", "updating", "stopping", "deleting")),
    failed=frozenset(("failed",)),
    any_404=True,  # the document names no code for an instance that does not exist
    assigned="instance_id",
    assigned_key="id",
    gone=frozenset(("deleted",)),
)
WHERE = {"provider": "dataarts_fabric", "operation": "read the options"}
FIXED = ("spec_code", "endpoint_id")  # what an update cannot change


def identity(task: Task, params: t.Mapping[str, t.Any], signer: t.Any) -> dict[str, t.Any]:  # pylint: disable=unused-argument
    """``{workspace_id}`` is the task's, ``{instance_id}`` too (else found by name)."""
    return {"workspace_id": params.get("workspace_id"), "instance_id": task.assigned}


def find_filters(task: Task, params: t.Mapping[str, t.Any]) -> dict[str, t.Any]:  # pylint: disable=unused-argument
    """The name (the workspace is in the list's path), when the list API's filter takes it: that filter allows 1 to
    36 letters, digits and hyphens, an instance's name more (``_``, ``.``, spaces, Chinese characters); another
    name is found in the whole list."""
    return {"name": task.name} if re.fullmatch(r"[A-Za-z0-9-]{1,36}", task.name or "") else {}


def _resource(config: t.Any) -> dict[str, t.Any]:
    resource = ((config or {}).get("model_instance_config") or {}).get("resource") if isinstance(config, dict) \
        else None
    return resource if isinstance(resource, dict) else {}


def _config(task: Task) -> dict[str, t.Any] | None:
    """The task's configuration with ``min_replicas`` and ``max_replicas`` folded in (None when it gives neither)."""
    counts = {k: task.extra.get(o) for k, o in (("min", "min_replicas"), ("max", "max_replicas"))
              if task.extra.get(o) is not None}
    if task.config is None and not counts:
        return None
    config = copy.deepcopy(task.config or {})
    if not isinstance(config.get("model_instance_config", {}), dict) or not isinstance(
            config.get("model_instance_config", {}).get("resource", {}), dict):
        raise ConfigError("config.model_instance_config.resource must be a mapping (min, max, spec_code)", **WHERE)
    resource = config.setdefault("model_instance_config", {}).setdefault("resource", {})
    for key, count in counts.items():
        if resource.get(key) not in (None, count):
            raise ConfigError("%s_replicas is %d but config.model_instance_config.resource.%s is %r" % (
                key, count, key, resource[key]), hint="Give the number of replicas once", **WHERE)
        resource[key] = count
    return config


def observe(raw: dict[str, t.Any]) -> Seen:
    """A detail reply in the converge step's terms."""
    config = raw.get("config") if isinstance(raw.get("config"), dict) else {}
    resource = _resource(config)
    status = str(raw.get("status") or "").lower()
    failure = None
    if status in LIFECYCLE.failed:
        failure = "status %s, error %s: %s" % (raw.get("status"), raw.get("error_code") or "none given",
                                               raw.get("error_msg") or "no message")
    return Seen(status=status, config=config, replicas={"min": resource.get("min"), "max": resource.get("max")},
                labels={}, ready=True, failure=failure,
                fields={k: raw.get(k) for k in ("description", "endpoint_id", "source")})


def replicas(task: Task) -> dict[str, t.Any] | None:
    """The ``min`` and ``max`` the task asks for (those it gives)."""
    resource = _resource(_config(task))
    counts = {k: resource[k] for k in ("min", "max") if resource.get(k) is not None}
    return counts or None


def create(task: Task) -> Call:
    """Deploy: the source, name, description, endpoint and configuration."""
    missing = [option for option in ("source", "endpoint_id") if not task.extra.get(option)]
    if missing:
        raise ConfigError("creating the service instance %s needs %s" % (task.name, " and ".join(missing)),
                          hint="Give the model's source (id, version_id) and the endpoint_id to deploy it to",
                          **WHERE)
    body: dict[str, t.Any] = {"source": task.extra["source"], "name": task.name}
    if task.extra.get("description") is not None:
        body["description"] = task.extra["description"]
    body["endpoint_id"] = task.extra["endpoint_id"]
    body["config"] = _config(task)
    return Call("create", "create", body=body, target=LIFECYCLE.running)


def changes(task: Task, seen: Seen) -> list[Call]:
    """One update of the source, description and replicas when they differ; the spec_code and endpoint_id cannot
    change, and the update's resource holds ``min`` and ``max`` only."""
    wanted = _config(task)
    fixed = {}
    if wanted is not None:
        fixed.update({"config.model_instance_config.resource.%s" % k: v for k, v in differences(
            {k: v for k, v in _resource(wanted).items() if k == "spec_code"}, _resource(seen.config)).items()})
    if task.extra.get("endpoint_id") not in (None, seen.fields["endpoint_id"]):
        fixed["endpoint_id"] = (task.extra["endpoint_id"], seen.fields["endpoint_id"])
    if fixed:
        raise ConfigError("%s cannot be changed once the instance is created (%s)" % (
            " and ".join(sorted(fixed)), "; ".join("%s is %r, not %r" % (k, have, want) for k, (want, have) in sorted(
                fixed.items()))), hint="Delete the instance and create it again", **WHERE)
    body: dict[str, t.Any] = {}
    what = []
    source = task.extra.get("source")
    if source is not None and differences(source, seen.fields["source"]):
        body["source"] = source
        what.append("update source")
    if task.extra.get("description") is not None and task.extra["description"] != seen.fields["description"]:
        body["description"] = task.extra["description"]
        what.append("update description")
    if wanted is not None:
        found = differences(wanted, seen.config)
        if found:
            if set(found) - {"model_instance_config.resource.min", "model_instance_config.resource.max"}:
                raise ConfigError("config can change only in model_instance_config.resource min and max, and the "
                                  "task changes %s" % ", ".join(sorted(found)),
                                  hint="Delete the instance and create it again", **WHERE)
            resource = dict(_resource(seen.config), **_resource(wanted))
            body["config"] = {"model_instance_config": {"resource": {"min": resource.get("min"),
                                                                     "max": resource.get("max")}}}
            what.append("scale to %s-%s" % (resource.get("min"), resource.get("max")))
    return [Call("update", ", ".join(what), body=body, target=SETTLED)] if body else []
