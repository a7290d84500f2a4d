# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ModelArts v1 and DataArts Fabric lifecycle operations as the clouds serve them, with the status changes they make
over time.

Written from docs/docsite/rst/wire.rst B.11 and C.2 (the documents and the SDK models), independently of the
collection's code. ModelArts: CreateService ``POST /v1/{project_id}/services``, ShowService ``GET`` (served by
huawei.py), UpdateService ``PUT`` and DeleteService ``DELETE`` on ``.../services/{service_id}``. DataArts Fabric:
DeployServiceInstance ``POST /v1/workspaces/{workspace_id}/services/instances``, ShowServiceInstanceDetail ``GET``,
UpdateServiceInstance ``PUT`` and DeleteServiceInstance ``DELETE`` on ``.../instances/{instance_id}``. Bodies are
strict: an unknown key, a missing required one or a value out of its documented range is refused.

Changes take :attr:`HuaweiLifecycle.seconds` (2 by default; ``POST /_emulator/lifecycle`` sets it): a created
ModelArts service is ``deploying``, then ``running`` (or ``failed`` with ``error_msg`` when a config item's
``model_id`` or ``specification`` holds ``crashloop``); a config update of a running service ``deploying`` again (a
stopped one takes the config and stays ``stopped``); ``status: stopped`` is ``stopping`` then ``stopped``;
``status: running`` is ``deploying`` then ``running``; a delete is ``deleting``, then gone. A Fabric instance is
``CREATING`` (or ``UPDATING``), then ``RUNNING``, or ``FAILED`` with ``error_code``/``error_msg`` when its
``spec_code`` holds ``crashloop``; a delete ``DELETING``, then gone.

Invented (no document names them; wire.rst E says so): the refusal codes ``ModelArts.0101`` (an invalid body, reused
from the list's invalid argument), ``ModelArts.3501`` (a name already used in the workspace), ``ModelArts.3514`` (the
status does not allow the change), ``DataArtsFabric.00040401`` (a missing instance, 404), ``DataArtsFabric.00040901``
(a busy instance), ``DataArtsFabric.00050001`` (a failed instance's cause) and the failure messages. Refused Fabric
bodies answer ``common.01000001``, the code the document shows for a 400.
"""

from __future__ import annotations

import json
import re
import time
import typing as t
import uuid

from . import huawei

MODELARTS, FABRIC = "modelarts", "dataarts_fabric"
MA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MA_INFER_TYPES = ("real-time", "batch", "edge")
MA_CREATE_KEYS = ("service_name", "infer_type", "config", "description", "workspace_id", "schedule", "cluster_id",
                  "pool_name", "vpc_id", "subnet_network_id", "security_group_id")
MA_UPDATE_KEYS = ("description", "status", "config", "schedule")
# A config item's fields: the real-time ones of B.11, what a batch or an edge service adds in the document, and the
# model's name and version the emulator's fleets show (a client may send back the list it read).
MA_ITEM_REQUIRED = ("model_id", "specification", "instance_count")
MA_ITEM_STRINGS = ("model_id", "specification", "cluster_id", "pool_name", "model_name", "model_version", "src_type",
                   "src_path", "dest_path", "req_uri", "mapping_type")
MA_ITEM_KEYS = MA_ITEM_STRINGS + ("weight", "instance_count", "envs", "custom_spec", "additional_properties",
                                  "mapping_rule", "nodes")
MA_STRINGS = ("workspace_id", "cluster_id", "pool_name", "vpc_id", "subnet_network_id", "security_group_id")
# UpdateService's constraints (B.11): no start and no config while these; no start while those.
MA_NO_CHANGE = ("deploying", "stopping", "deleting")
MA_NO_START = MA_NO_CHANGE + ("waiting", "concerning")
MA_INVALID, MA_NAME_TAKEN, MA_STATUS = "ModelArts.0101", "ModelArts.3501", "ModelArts.3514"

FABRIC_ID = re.compile(r"^[A-Za-z0-9-]{32,36}$")
FABRIC_NAME = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9_. -]{1,64}$")
FABRIC_CREATE_KEYS = ("source", "name", "description", "endpoint_id", "config")
FABRIC_UPDATE_KEYS = ("source", "name", "description", "config")
FABRIC_BUSY = ("CREATING", "UPDATING", "DELETING")
FABRIC_INVALID = "common.01000001"
# Invented: the documents do not say what a missing instance answers (C.2), nor a busy one, nor a failure's code.
FABRIC_MISSING, FABRIC_CONFLICT, FABRIC_FAILED = "DataArtsFabric.00040401", "DataArtsFabric.00040901", \
    "DataArtsFabric.00050001"

Change = t.Callable[[t.Dict[str, t.Any]], bool]


def refusal(status: int, code: str, message: str) -> huawei.HuaweiError:
    """An error reply of the cloud (huawei.py imports this module before it defines the class)."""
    return huawei.HuaweiError(status, code, message)


def _ms() -> int:
    return int(time.time() * 1000)


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def _is_int(value: t.Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_body(headers: t.Mapping[str, str], body: bytes, code: str, what: str,
              empty: bool = False) -> dict[str, t.Any]:
    """The body of a write: sent as ``application/json`` (also on a DELETE, as the SDK does) and a JSON object; with
    ``empty``, no body at all."""
    lower = {k.lower(): v for k, v in headers.items()}
    kind = lower.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise refusal(400, code, "%s: Content-Type must be application/json, not %r." % (
            what, lower.get("content-type", "")))
    if empty:
        if body.strip():
            raise refusal(400, code, "%s takes no request body." % what)
        return {}
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        raise refusal(400, code, "%s: the request body is not valid JSON." % what) from None
    if not isinstance(data, dict):
        raise refusal(400, code, "%s: the request body must be a JSON object." % what)
    return data


def _unknown(data: dict[str, t.Any], allowed: tuple[str, ...], code: str, where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise refusal(400, code, "Invalid parameter: %s is not a parameter of %s (allowed: %s)." % (
            ", ".join(unknown), where, ", ".join(allowed)))


def modelarts_config(config: t.Any, infer_type: str) -> list[dict[str, t.Any]]:
    """A whole ``config`` list as CreateService takes it (and UpdateService again): HuaweiError when it is not."""
    def bad(message: str) -> huawei.HuaweiError:
        return refusal(400, MA_INVALID, "Invalid parameter: %s" % message)

    if not isinstance(config, list) or not config:
        raise bad("config must be a non-empty list of model configurations.")
    for index, item in enumerate(config):
        where = "config[%d]" % index
        if not isinstance(item, dict):
            raise bad("%s must be an object." % where)
        _unknown(item, MA_ITEM_KEYS, MA_INVALID, where)
        required = MA_ITEM_REQUIRED + (("weight",) if infer_type == "real-time" else ())
        missing = [key for key in required if key not in item]
        if missing:
            raise bad("%s needs %s." % (where, ", ".join(missing)))
        for key in MA_ITEM_STRINGS:
            if key in item and (not isinstance(item[key], str) or (key in MA_ITEM_REQUIRED and not item[key])):
                raise bad("%s.%s must be a non-empty string." % (where, key))
        if not _is_int(item["instance_count"]) or item["instance_count"] < 1:
            raise bad("%s.instance_count must be a whole number of 1 or more, not %r." % (
                where, item["instance_count"]))
        if "weight" in item and (not _is_int(item["weight"]) or not 0 <= item["weight"] <= 100):
            raise bad("%s.weight must be a whole number from 0 to 100, not %r." % (where, item["weight"]))
        envs = item.get("envs", {})
        if not isinstance(envs, dict) or not all(isinstance(v, str) for v in envs.values()):
            raise bad("%s.envs must be an object of strings." % where)
        for key in ("custom_spec", "additional_properties"):
            if key in item and not isinstance(item[key], dict):
                raise bad("%s.%s must be an object." % (where, key))
    if infer_type == "real-time" and sum(item["weight"] for item in config) != 100:
        raise bad("the weights of a real-time service's config must add up to 100, not %d." % sum(
            item["weight"] for item in config))
    return config


def _crashloop(config: list[dict[str, t.Any]]) -> str | None:
    """The emulator's failure trigger: a model or a specification whose name holds ``crashloop``."""
    for item in config:
        for key in ("model_id", "specification"):
            if "crashloop" in str(item.get(key, "")):
                return "Failed to deploy the model %s: the instance of specification %s keeps crashing " \
                       "(CrashLoopBackOff, exit code 1)." % (item.get("model_id"), item.get("specification"))
    return None


def fabric_resource(resource: t.Any, create: bool) -> dict[str, t.Any]:
    """``config.model_instance_config.resource``: ``min``, ``max`` (1 to 1000) and, on create only, ``spec_code``."""
    def bad(message: str) -> huawei.HuaweiError:
        return refusal(400, FABRIC_INVALID, "Invalid parameter: %s" % message)

    where = "config.model_instance_config.resource"
    if not isinstance(resource, dict):
        raise bad("%s must be an object." % where)
    if not create:
        for key in ("spec_code", "endpoint_id"):
            if key in resource:
                raise bad("%s.%s cannot be updated." % (where, key))
    allowed = ("min", "max", "spec_code") if create else ("min", "max")
    _unknown(resource, allowed, FABRIC_INVALID, where)
    missing = [key for key in allowed if key not in resource]
    if missing:
        raise bad("%s needs %s." % (where, ", ".join(missing)))
    for key in ("min", "max"):
        if not _is_int(resource[key]) or not 1 <= resource[key] <= 1000:
            raise bad("%s.%s must be a whole number from 1 to 1000, not %r." % (where, key, resource[key]))
    if resource["min"] > resource["max"]:
        raise bad("%s.min (%d) must not be greater than max (%d)." % (where, resource["min"], resource["max"]))
    if create and (not isinstance(resource["spec_code"], str) or not resource["spec_code"]):
        raise bad("%s.spec_code must be a non-empty string." % where)
    return resource


def fabric_fields(data: dict[str, t.Any], create: bool) -> None:
    """Check a DeployServiceInstance (``create``) or UpdateServiceInstance body."""
    def bad(message: str) -> huawei.HuaweiError:
        return refusal(400, FABRIC_INVALID, "Invalid parameter: %s" % message)

    if not create and "endpoint_id" in data:
        raise bad("endpoint_id cannot be updated.")
    _unknown(data, FABRIC_CREATE_KEYS if create else FABRIC_UPDATE_KEYS, FABRIC_INVALID,
             "the service instance" if create else "the service instance update")
    if create:
        missing = [key for key in ("source", "name", "endpoint_id", "config") if key not in data]
        if missing:
            raise bad("%s is required." % ", ".join(missing))
    if not create and not data:
        raise bad("the request body names nothing to update.")
    if "source" in data:
        source = data["source"]
        if not isinstance(source, dict):
            raise bad("source must be an object.")
        _unknown(source, ("id", "version_id"), FABRIC_INVALID, "source")
        if "id" not in source:
            raise bad("source.id is required.")
        for key in ("id", "version_id"):
            if key in source and not (isinstance(source[key], str) and FABRIC_ID.match(source[key])):
                raise bad("source.%s must be 32 to 36 letters, digits and hyphens, not %r." % (key, source[key]))
    if "name" in data and not (isinstance(data["name"], str) and FABRIC_NAME.match(data["name"])):
        raise bad("name must be 1 to 64 Chinese characters, letters, digits, underscores (_), hyphens (-), periods "
                  "(.) and spaces, not %r." % (data["name"],))
    if "description" in data and not isinstance(data["description"], str):
        raise bad("description must be a string.")
    if "endpoint_id" in data and not (isinstance(data["endpoint_id"], str) and FABRIC_ID.match(data["endpoint_id"])):
        raise bad("endpoint_id must be 32 to 36 letters, digits and hyphens, not %r." % (data["endpoint_id"],))
    if "config" in data:
        config = data["config"]
        if not isinstance(config, dict):
            raise bad("config must be an object.")
        _unknown(config, ("model_instance_config",), FABRIC_INVALID, "config")
        model = config.get("model_instance_config")
        if not isinstance(model, dict) or "resource" not in model:
            raise bad("config.model_instance_config.resource is required.")
        _unknown(model, ("resource",), FABRIC_INVALID, "config.model_instance_config")
        fabric_resource(model["resource"], create)


class HuaweiLifecycle:
    """The lifecycle calls on the emulator's ModelArts fleets (``modelarts(region)``) and DataArts Fabric fleets
    (``fabric(workspace)``)."""

    def __init__(self, modelarts: t.Callable[[str], list[dict[str, t.Any]]],
                 fabric: t.Callable[[str], list[dict[str, t.Any]]], lock: t.Any) -> None:
        self.modelarts_of, self.fabric_of = modelarts, fabric  # each takes its own lock: called before ``lock``
        self.lock = lock  # the emulator's, held while a fleet changes: listings see whole changes
        self.seconds = 2.0
        self.pending: list[tuple[float, str, str, str, Change]] = []
        self.created = 0

    def reset(self) -> None:
        with self.lock:
            self.seconds, self.pending, self.created = 2.0, [], 0

    # -- time --------------------------------------------------------------------------------------------------
    def later(self, kind: str, where: str, key: str, change: Change) -> None:
        """Apply ``change`` to the record after :attr:`seconds` (called with :attr:`lock` held); a change returning
        True removes the record. A newer change of the same record replaces one not yet made."""
        self.pending = [p for p in self.pending if (p[1], p[2], p[3]) != (kind, where, key)]
        self.pending.append((time.monotonic() + self.seconds, kind, where, key, change))

    def apply_due(self) -> None:
        now = time.monotonic()
        with self.lock:
            due, self.pending = [p for p in self.pending if p[0] <= now], [p for p in self.pending if p[0] > now]
        for _when, kind, where, key, change in due:
            records, field = (self.modelarts_of(where), "service_id") if kind == MODELARTS else \
                (self.fabric_of(where), "id")
            with self.lock:
                for record in [r for r in records if r[field] == key]:
                    if change(record):
                        records.remove(record)

    # -- ModelArts ----------------------------------------------------------------------------------------------
    def modelarts(self, method: str, region: str, project: str, service_id: str | None,
                  headers: t.Mapping[str, str], body: bytes) -> tuple[int, dict[str, t.Any]]:
        """Answer CreateService (no ``service_id``), UpdateService or DeleteService; HuaweiError for refusals."""
        self.apply_due()
        services = self.modelarts_of(region)
        with self.lock:
            if service_id is None:
                return self._ma_create(services, region, project, json_body(headers, body, MA_INVALID,
                                                                            "CreateService"))
            found = [s for s in services if s["service_id"] == service_id]
            if not found:
                raise refusal(404, "ModelArts.3502", "Service %s does not exist." % service_id)
            if method == "PUT":
                return self._ma_update(region, found[0], json_body(headers, body, MA_INVALID, "UpdateService"))
            json_body(headers, body, MA_INVALID, "DeleteService", empty=True)
            service = found[0]
            if service["status"] == "deleting":
                raise refusal(400, MA_STATUS, "Service %s is already being deleted." % service_id)
            self._ma_status(service, "deleting")
            self.later(MODELARTS, region, service_id, lambda current: True)
            return 200, {}

    def _ma_create(self, services: list[dict[str, t.Any]], region: str, project: str,
                   data: dict[str, t.Any]) -> tuple[int, dict[str, t.Any]]:
        _unknown(data, MA_CREATE_KEYS, MA_INVALID, "CreateService")
        missing = [key for key in ("service_name", "infer_type", "config") if key not in data]
        if missing:
            raise refusal(400, MA_INVALID, "Invalid parameter: %s is required." % ", ".join(missing))
        name, infer_type = data["service_name"], data["infer_type"]
        if not isinstance(name, str) or not MA_NAME.match(name):
            raise refusal(400, MA_INVALID, "Invalid parameter: service_name must be 1 to 64 letters, digits, "
                                           "hyphens (-) and underscores (_), not %r." % (name,))
        if infer_type not in MA_INFER_TYPES:
            raise refusal(400, MA_INVALID, "Invalid parameter: infer_type must be one of %s, not %r." % (
                ", ".join(MA_INFER_TYPES), infer_type))
        config = modelarts_config(data["config"], infer_type)
        self._ma_common(data)
        for key in MA_STRINGS:
            if key in data and not isinstance(data[key], str):
                raise refusal(400, MA_INVALID, "Invalid parameter: %s must be a string." % key)
        workspace = data.get("workspace_id", "0")
        if any(s["service_name"] == name and s["workspace_id"] == workspace for s in services):
            raise refusal(400, MA_NAME_TAKEN, "Service name %s already exists in workspace %s." % (
                name, workspace))
        self.created += 1
        service_id, now = str(uuid.uuid4()), _ms()
        detail: dict[str, t.Any] = {
            "access_address": "https://%s.apig.%s.huaweicloudapis.com/v1/infers/%s" % (
                uuid.uuid4().hex[:12], region, service_id),
            "config": config}
        detail.update({k: data[k] for k in MA_STRINGS[1:] if k in data})
        service = {
            "service_id": service_id, "service_name": name, "description": data.get("description", ""),
            "owner": "%032x" % 0, "project": project, "tenant": "%032x" % 7, "workspace_id": workspace,
            "infer_type": infer_type, "status": "deploying", "progress": 0, "publish_at": now,
            "transition_at": now, "invocation_times": 0, "failed_times": 0, "is_shared": False, "shared_count": 0,
            "is_free": False, "is_opened_sample_collection": False, "schedule": data.get("schedule", []),
            "additional_properties": {}, "tags": [], "_detail": detail}
        services.append(service)
        self.later(MODELARTS, region, service_id, self._ma_settle)
        return 200, {"service_id": service_id, "resource_ids": [str(uuid.uuid4()) for _item in config]}

    @staticmethod
    def _ma_common(data: dict[str, t.Any]) -> None:
        """``description`` and ``schedule``, as create and update take them."""
        description = data.get("description", "")
        if not isinstance(description, str) or len(description) > 100:
            raise refusal(400, MA_INVALID, "Invalid parameter: description must be a string of at most 100 "
                                           "characters.")
        schedule = data.get("schedule", [])
        if not isinstance(schedule, list) or not all(isinstance(item, dict) for item in schedule):
            raise refusal(400, MA_INVALID, "Invalid parameter: schedule must be a list of objects.")

    def _ma_update(self, region: str, service: dict[str, t.Any],
                   data: dict[str, t.Any]) -> tuple[int, dict[str, t.Any]]:
        _unknown(data, MA_UPDATE_KEYS, MA_INVALID, "UpdateService")
        if not data:
            raise refusal(400, MA_INVALID, "Invalid parameter: the request body names nothing to update.")
        self._ma_common(data)
        current, service_id = service["status"], service["service_id"]
        if current == "deleting":
            raise refusal(400, MA_STATUS, "Service %s is deleting and cannot be updated." % service_id)
        reply = {"service_id": service_id, "service_name": service["service_name"]}
        if "status" in data:  # "If both parameters exist, modify only the status parameter."
            target = data["status"]
            if target not in ("running", "stopped"):
                raise refusal(400, MA_INVALID, "Invalid parameter: status must be running or stopped, not %r."
                              % (target,))
            if target == current:
                raise refusal(400, MA_STATUS, "Service %s is already %s." % (service_id, current))
            if target == "running" and current in MA_NO_START:
                raise refusal(400, MA_STATUS, "Service %s is %s and cannot be started now." % (
                    service_id, current))
        elif "config" in data:
            if current in MA_NO_CHANGE:
                raise refusal(400, MA_STATUS, "Service %s is %s; its config cannot be updated now." % (
                    service_id, current))
            config = modelarts_config(data["config"], service["infer_type"])
        for key in ("description", "schedule"):
            if key in data:
                service[key] = data[key]
        if "status" in data:
            if data["status"] == "stopped":
                self._ma_status(service, "stopping")
                self.later(MODELARTS, region, service_id, self._ma_stopped)
            else:
                self._ma_status(service, "deploying", progress=0)
                self.later(MODELARTS, region, service_id, self._ma_settle)
        elif "config" in data:
            now = _ms()
            service["_detail"].update(config=config, update_time=now)
            if current == "stopped":  # it takes the new config and stays stopped
                service["transition_at"] = now
            else:
                self._ma_status(service, "deploying", progress=0)
                self.later(MODELARTS, region, service_id, self._ma_settle)
            reply["update_time"] = now
        return 200, reply

    @staticmethod
    def _ma_status(service: dict[str, t.Any], status: str, **fields: t.Any) -> None:
        service.update(status=status, transition_at=_ms(), **fields)
        service["_detail"].pop("error_msg", None)

    def _ma_settle(self, service: dict[str, t.Any]) -> bool:
        """The end of a create, a config update or a start: running, or failed with its cause."""
        cause = _crashloop(service["_detail"]["config"])
        if cause:
            self._ma_status(service, "failed", progress=100)
            service["_detail"]["error_msg"] = cause
            service["failed_times"] = service.get("failed_times", 0) + 1
        else:
            self._ma_status(service, "running", progress=100)
        return False

    def _ma_stopped(self, service: dict[str, t.Any]) -> bool:
        self._ma_status(service, "stopped")
        return False

    # -- DataArts Fabric ----------------------------------------------------------------------------------------
    def fabric(self, method: str, region: str, workspace: str, instance_id: str | None,
               headers: t.Mapping[str, str], body: bytes) -> tuple[int, dict[str, t.Any]]:
        """Answer DeployServiceInstance (no ``instance_id``), ShowServiceInstanceDetail, UpdateServiceInstance or
        DeleteServiceInstance; HuaweiError for refusals."""
        self.apply_due()
        instances = self.fabric_of(workspace)
        with self.lock:
            if instance_id is None:
                data = json_body(headers, body, FABRIC_INVALID, "DeployServiceInstance")
                fabric_fields(data, create=True)
                return self._fabric_create(instances, region, workspace, data)
            found = [i for i in instances if i["id"] == instance_id]
            if not found:  # invented: the document does not say what a missing instance answers
                raise refusal(404, FABRIC_MISSING, "The service instance %s does not exist." % instance_id)
            instance = found[0]
            if method == "GET":
                return 200, json.loads(json.dumps(instance))
            if method == "PUT":
                data = json_body(headers, body, FABRIC_INVALID, "UpdateServiceInstance")
                fabric_fields(data, create=False)
                if instance["status"] in FABRIC_BUSY:
                    raise refusal(400, FABRIC_CONFLICT, "The service instance %s is %s and cannot be updated "
                                                        "now." % (instance_id, instance["status"]))
                for key in ("source", "name", "description"):
                    if key in data:
                        instance[key] = data[key]
                if "config" in data:
                    resource = instance["config"]["model_instance_config"]["resource"]
                    resource.update(data["config"]["model_instance_config"]["resource"])
                self._fabric_status(instance, "UPDATING")
                self.later(FABRIC, workspace, instance_id, self._fabric_settle)
                return 200, {"id": instance_id}
            json_body(headers, body, FABRIC_INVALID, "DeleteServiceInstance", empty=True)
            if instance["status"] == "DELETING":
                raise refusal(400, FABRIC_CONFLICT, "The service instance %s is already being deleted."
                              % instance_id)
            self._fabric_status(instance, "DELETING")
            self.later(FABRIC, workspace, instance_id, lambda current: True)
            return 200, {}

    def _fabric_create(self, instances: list[dict[str, t.Any]], region: str, workspace: str,
                       data: dict[str, t.Any]) -> tuple[int, dict[str, t.Any]]:
        self.created += 1
        instance_id, now = uuid.uuid4().hex, _stamp()
        user = {"domain_name": "emulator-domain", "user_name": "emulator-user"}
        instance = {
            "id": instance_id, "name": data["name"], "description": data.get("description", ""),
            "endpoint_id": data["endpoint_id"], "visibility": "PRIVATE",
            "source": {"id": data["source"]["id"], "version_id": data["source"].get("version_id", "")},
            "status": "CREATING", "create_time": now, "update_time": now, "duration": 0,
            "create_user": user, "update_user": dict(user), "type": "LLM_MODEL",
            "url": {"name": data["name"], "type": "HTTPS",
                    "address": "https://fabric-ep.%s.myhuaweicloud.com/v1/workspaces/%s/services/instances/%s/"
                               "invocations" % (region, workspace, instance_id)},
            "error_code": "", "error_msg": "",
            "config": json.loads(json.dumps(data["config"]))}
        instances.append(instance)
        self.later(FABRIC, workspace, instance_id, self._fabric_settle)
        return 200, {"id": instance_id}

    @staticmethod
    def _fabric_status(instance: dict[str, t.Any], status: str) -> None:
        instance.update(status=status, update_time=_stamp(), error_code="", error_msg="")

    def _fabric_settle(self, instance: dict[str, t.Any]) -> bool:
        """The end of a create or an update: RUNNING, or FAILED with its cause."""
        spec = str(instance["config"]["model_instance_config"]["resource"].get("spec_code", ""))
        if "crashloop" in spec:
            self._fabric_status(instance, "FAILED")
            instance.update(error_code=FABRIC_FAILED, error_msg="The model instance failed to start on resource "
                                                                "specification %s: the container keeps crashing "
                                                                "(CrashLoopBackOff)." % spec)
        else:
            self._fabric_status(instance, "RUNNING")
        return False
