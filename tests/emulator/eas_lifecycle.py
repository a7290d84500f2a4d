# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PAI-EAS lifecycle operations as the cloud serves them, with the status changes it makes over time.

Written from the official SDK (alibabacloud-eas20210701 7.0.0; docs/docsite/rst/wire.rst), independently of the
collection's code: CreateService ``POST /api/v2/services`` (the configuration as the JSON body,
``WorkspaceId``, ``Develop`` and ``Labels`` - a JSON object as text - in the query), DescribeService ``GET``,
UpdateService ``PUT`` (``UpdateType`` merge or replace), DeleteService ``DELETE`` on
``/api/v2/services/{ClusterId}/{ServiceName}``, StartService / StopService / RestartService
``PUT .../start|stop|restart``, UpdateServiceLabel ``PUT .../label`` (``{"Labels": {...}}``) and DeleteServiceLabel
``DELETE .../label?Keys=a,b``. Each call's signed ``x-acs-action`` must name it.

Changes take :attr:`EasLifecycle.seconds` (2 by default; ``POST /_emulator/eas`` sets it) to finish: a created
service is ``Creating``, then ``Running`` (or ``Failed`` when an image's name holds ``crashloop``); an update or a
scale is ``Updating`` (then ``Running``, or ``Stopped`` again for a stopped service); a stop ``Stopping`` then
``Stopped``; a start or restart ``Starting``; a delete ``Deleting``, then gone. A service's ``SafetyLock``
``dangerous`` refuses stop and delete, ``all`` every change.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import typing as t
from urllib.parse import parse_qsl, unquote

from .pai_eas import EasError, json_object

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PATH = re.compile(r"^/api/v2/services/(?P<cluster>[^/]+)/(?P<name>[^/]+)(?:/(?P<verb>start|stop|restart|label))?$")
BUSY = ("Creating", "Waiting", "Starting", "Updating", "HotUpdate", "Committing", "Stopping", "Deleting")
DANGEROUS = ("stop", "delete")


ACTIONS = {"create": "CreateService", "describe": "DescribeService", "update": "UpdateService",
           "delete": "DeleteService", "start": "StartService", "stop": "StopService", "restart": "RestartService",
           "label": "UpdateServiceLabel", "unlabel": "DeleteServiceLabel"}


def _named(header: str | None, action: str) -> None:
    """The signed ``x-acs-action`` must be the operation's name, as the SDK sends it."""
    if header != ACTIONS[action]:
        raise EasError(400, "InvalidAction.Mismatch", "x-acs-action %r does not match this API (%s)." % (
            header, ACTIONS[action]))


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _object(body: bytes, what: str) -> dict[str, t.Any]:
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise EasError(400, "InvalidParameter", "The request body of %s must be a JSON object." % what)
    return data


def _merge(base: dict[str, t.Any], change: dict[str, t.Any]) -> dict[str, t.Any]:
    merged = dict(base)
    for key, value in change.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def _instances(config: dict[str, t.Any]) -> int:
    count = (config.get("metadata") or {}).get("instance")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise EasError(400, "InvalidParameter", "metadata.instance must be a whole number of instances, not %r."
                       % (count,))
    return count


class EasLifecycle:
    """The lifecycle calls on the emulator's PAI-EAS fleets (``services(region)`` gives a region's list)."""

    def __init__(self, services: t.Callable[[str], list[dict[str, t.Any]]], base_url: t.Callable[[], str],
                 lock: t.Any) -> None:
        self.fleet = services  # takes ``lock`` itself: called before it is held
        self.base_url = base_url
        self.lock = lock  # the emulator's, held while a fleet changes: its listings see whole changes
        self.seconds = 2.0
        self.pending: list[tuple[float, str, str, t.Callable[[dict[str, t.Any]], bool]]] = []
        self.created = 0

    def reset(self) -> None:
        self.seconds, self.pending, self.created = 2.0, [], 0

    # -- time --------------------------------------------------------------------------------------------------
    def later(self, region: str, service: dict[str, t.Any], change: t.Callable[[dict[str, t.Any]], bool]) -> None:
        """Apply ``change`` to the service after :attr:`seconds`; a change returning True removes the service. A
        newer change of the same service replaces one not yet made."""
        self.pending = [p for p in self.pending if p[2] != service["ServiceId"]]
        self.pending.append((time.monotonic() + self.seconds, region, service["ServiceId"], change))

    def apply_due(self) -> None:
        now = time.monotonic()
        with self.lock:
            due, self.pending = [p for p in self.pending if p[0] <= now], [p for p in self.pending if p[0] > now]
        for _when, region, service_id, change in due:
            fleet = self.fleet(region)
            with self.lock:
                for service in [s for s in fleet if s["ServiceId"] == service_id]:
                    if change(service):
                        fleet.remove(service)
                    else:
                        service["UpdateTime"] = _now()

    # -- the API ------------------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, raw_query: str, body: bytes, region: str,
               action: str | None) -> tuple[int, dict[str, t.Any]]:
        """Answer one lifecycle call, whose ``x-acs-action`` must name it; :class:`EasError` for the cloud's
        error replies."""
        self.apply_due()
        fleet = self.fleet(region)
        with self.lock:
            return self._handle(method, path, dict(parse_qsl(raw_query, keep_blank_values=True)), body, region, fleet,
                                action)

    def _handle(self, method: str, path: str, query: dict[str, str], body: bytes, region: str,
                fleet: list[dict[str, t.Any]], action_header: str | None) -> tuple[int, dict[str, t.Any]]:
        if path == "/api/v2/services":
            if method != "POST":
                raise EasError(404, "InvalidAction.NotFound", "No such API: %s %s" % (method, path))
            _named(action_header, "create")
            return self.create(fleet, region, query, body)
        match = PATH.match(path)
        if not match:
            raise EasError(404, "InvalidAction.NotFound", "No such API: %s %s" % (method, path))
        cluster, name, verb = unquote(match["cluster"]), unquote(match["name"]), match["verb"]
        if cluster != region:
            raise EasError(400, "InvalidParameter", "ClusterId %s is not this endpoint's region %s." % (
                cluster, region))
        service = self.find(fleet, region, name)
        action = {("GET", None): "describe", ("PUT", None): "update", ("DELETE", None): "delete",
                  ("PUT", "start"): "start", ("PUT", "stop"): "stop", ("PUT", "restart"): "restart",
                  ("PUT", "label"): "label", ("DELETE", "label"): "unlabel"}.get((method, verb))
        if action is None:
            raise EasError(404, "InvalidAction.NotFound", "No such API: %s %s" % (method, path))
        _named(action_header, action)
        if action == "describe":
            return 200, dict(service)
        lock = service.get("SafetyLock") or "none"
        if lock == "all" or (lock == "dangerous" and action in DANGEROUS):
            raise EasError(400, "Forbidden.SafetyLock", "The service %s is locked (SafetyLock %s): %s is not "
                           "allowed." % (name, lock, action))
        if action in ("update", "start", "stop", "restart") and service["Status"] in BUSY:
            raise EasError(400, "InvalidService.Status", "The service %s is %s; try again when it is done." % (
                name, service["Status"]))
        return getattr(self, action)(region, service, query, body)

    @staticmethod
    def find(fleet: list[dict[str, t.Any]], region: str, name: str) -> dict[str, t.Any]:
        found = [s for s in fleet if s["ServiceName"] == name]
        if not found:
            raise EasError(404, "InvalidService.NotFound", "The service %s does not exist in %s." % (name, region))
        return found[0]

    def create(self, fleet: list[dict[str, t.Any]], region: str, query: dict[str, str],
               body: bytes) -> tuple[int, dict[str, t.Any]]:
        config = _object(body, "CreateService")
        name = config.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            raise EasError(400, "InvalidParameter", "name must be 1 to 63 lower-case letters, digits or underscores, "
                           "starting with a letter, not %r." % (name,))
        if any(s["ServiceName"] == name for s in fleet):
            raise EasError(400, "InvalidService.Exists", "The service %s already exists." % name)
        instances = _instances(config)
        labels = json_object(query, "Labels", strings=True)
        self.created += 1
        uid = "eas-m-new%06d" % self.created
        service = {
            "ServiceId": uid, "ServiceName": name, "ServiceUid": uid, "Region": region, "Status": "Creating",
            "Reason": "CREATING", "Message": "Service is creating", "WorkspaceId": query.get("WorkspaceId", ""),
            "Labels": [{"LabelKey": k, "LabelValue": v} for k, v in labels.items()],
            "ServiceConfig": json.dumps(config, ensure_ascii=False), "TotalInstance": instances,
            "RunningInstance": 0, "PendingInstance": instances, "SafetyLock": "none", "Resource": "",
            "ResourceAlias": "", "ServiceGroup": "", "ParentUid": "", "QuotaId": "", "Gateway": "", "Role": "",
            "TrafficState": "standalone", "CallerUid": "", "AccessToken": secrets.token_urlsafe(24),
            "InternetEndpoint": "%s/api/predict/%s" % (self.base_url(), name),
            "IntranetEndpoint": "http://%s.vpc.%s.pai-eas.aliyuncs.com/api/predict/%s" % (uid, region, name),
            "Image": ((config.get("containers") or [{}])[0] or {}).get("image", ""), "CreateTime": _now(),
            "UpdateTime": _now(),
        }
        fleet.append(service)
        self.later(region, service, self._settle)
        return 200, {k: service[k] for k in ("ServiceId", "ServiceName", "Status", "Region", "InternetEndpoint",
                                             "IntranetEndpoint")}

    def update(self, region: str, service: dict[str, t.Any], query: dict[str, str],
               body: bytes) -> tuple[int, dict[str, t.Any]]:
        change = _object(body, "UpdateService")
        kind = query.get("UpdateType", "merge")
        if kind not in ("merge", "replace"):
            raise EasError(400, "InvalidParameter", "UpdateType must be merge or replace, not %r." % kind)
        current = json.loads(service["ServiceConfig"])
        config = _merge(current, change) if kind == "merge" else dict(change, name=service["ServiceName"])
        if config.get("name") != service["ServiceName"]:
            raise EasError(400, "InvalidParameter", "The name of a service cannot be changed.")
        instances = _instances(config)
        stopped = service["Status"] == "Stopped"  # it takes the new configuration and stays stopped
        service.update(ServiceConfig=json.dumps(config, ensure_ascii=False), TotalInstance=instances,
                       Status="Updating", Reason="UPDATING", Message="Service is updating",
                       PendingInstance=0 if stopped else abs(instances - service.get("RunningInstance", 0)))
        self.later(region, service, self._stopped if stopped else self._settle)
        return 200, {"Message": "Service %s is updating" % service["ServiceName"]}

    def start(self, region: str, service: dict[str, t.Any], _query: t.Any,
              _body: t.Any) -> tuple[int, dict[str, t.Any]]:
        if service["Status"] == "Running":
            raise EasError(400, "InvalidService.Status", "The service %s is already running." % service["ServiceName"])
        return self._begin(region, service, "Starting", "starting", self._settle)

    def restart(self, region: str, service: dict[str, t.Any], _query: t.Any,
                _body: t.Any) -> tuple[int, dict[str, t.Any]]:
        service["RunningInstance"] = 0
        return self._begin(region, service, "Starting", "restarting", self._settle)

    def stop(self, region: str, service: dict[str, t.Any], _query: t.Any,
             _body: t.Any) -> tuple[int, dict[str, t.Any]]:
        if service["Status"] == "Stopped":
            raise EasError(400, "InvalidService.Status", "The service %s is already stopped." % service["ServiceName"])

        return self._begin(region, service, "Stopping", "stopping", self._stopped)

    @staticmethod
    def _stopped(service: dict[str, t.Any]) -> bool:
        service.update(Status="Stopped", Reason="STOPPED", Message="Service is stopped", RunningInstance=0,
                       PendingInstance=0)
        return False

    def _begin(self, region: str, service: dict[str, t.Any], status: str, doing: str,
               then: t.Callable[[dict[str, t.Any]], bool]) -> tuple[int, dict[str, t.Any]]:
        """A change under way: its status now, ``then`` when it is done."""
        service.update(Status=status, Reason=doing.upper(), Message="Service is %s" % doing)
        self.later(region, service, then)
        return 200, {"Message": "Service %s is %s" % (service["ServiceName"], doing)}

    def delete(self, region: str, service: dict[str, t.Any], _query: t.Any,
               _body: t.Any) -> tuple[int, dict[str, t.Any]]:
        return self._begin(region, service, "Deleting", "deleting", lambda current: True)

    def label(self, _region: str, service: dict[str, t.Any], _query: t.Any,
              body: bytes) -> tuple[int, dict[str, t.Any]]:
        labels = _object(body, "UpdateServiceLabel").get("Labels")
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise EasError(400, "InvalidParameter", "Labels must be an object of strings.")
        kept = [item for item in service.get("Labels") or [] if item["LabelKey"] not in labels]
        service["Labels"] = kept + [{"LabelKey": k, "LabelValue": v} for k, v in labels.items()]
        return 200, {"Message": "Labels of %s updated" % service["ServiceName"]}

    def unlabel(self, _region: str, service: dict[str, t.Any], query: dict[str, str],
                _body: t.Any) -> tuple[int, dict[str, t.Any]]:
        keys = [key for key in query.get("Keys", "").split(",") if key]
        if not keys:
            raise EasError(400, "InvalidParameter", "Keys is required.")
        service["Labels"] = [item for item in service.get("Labels") or [] if item["LabelKey"] not in keys]
        return 200, {"Message": "Labels of %s deleted" % service["ServiceName"]}

    @staticmethod
    def _settle(service: dict[str, t.Any]) -> bool:
        """The end of a create, update, start or restart: Running with every instance, or Failed."""
        config = json.loads(service["ServiceConfig"])
        images = [str((c or {}).get("image", "")) for c in config.get("containers") or []]
        if any("crashloop" in image for image in images):
            service.update(Status="Failed", Reason="ContainerCrashLoop", RunningInstance=0,
                           Message="Back-off restarting failed container: exit code 1")
        else:
            total = service["TotalInstance"]
            service.update(Status="Running", Reason="RUNNING", Message="Service start successfully",
                           RunningInstance=total, PendingInstance=0)
        return False
