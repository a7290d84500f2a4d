# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's HTTP(S) server: API routes, the admin API under /_emulator/, faults and the request log."""

from __future__ import annotations

import calendar
import json
import math
import random
import re
import secrets
import ssl
import threading
import time
import typing as t
import uuid
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import eas_lifecycle, fleet, huawei, pai_eas, sts

PROVIDERS = ("pai_eas", "modelarts", "dataarts_fabric")  # of scheduled status changes
ONE_SHOT = ("throttle", "http_error", "drop", "slow", "non_json", "truncated", "no_subject_token")
CLOUD_HOST = re.compile(r"^(?:modelarts|fabric-ep|iam|pai-eas|sts)\.([a-z0-9-]+)\."
                        r"(?:myhuaweicloud\.com|myhuaweicloud\.cn|otc\.t-systems\.com|aliyuncs\.com)$")
# The RAM roles STS knows after every reset, and the base keys each one trusts (the main PAI-EAS key unless said).
ROLE_READER = "acs:ram::1234567890123456:role/inventory-reader"
ROLE_OTHER_ACCOUNT = "acs:ram::6543210987654321:role/second-account-reader"
ROLE_EXTERNAL_ID = "modelserving-test"
ECS_ROLE_NAME = "inventory-reader"  # the RAM role of the emulated ECS instance (ROLE_READER)
HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>gateway error</body></html>"


class Emulator:
    """The state behind every port: fleets, credentials, faults, the request log."""

    def __init__(self, *, seed: int, pai_eas_services: int, region: str, keys: dict[str, dict[str, str | None]],
                 huawei_cloud: huawei.HuaweiCloud, huawei_region: str = "cn-north-4", max_page_size: int = 100,
                 latency_ms: int = 0, hostile: bool = False) -> None:
        self.lock = threading.Lock()
        self.huawei = huawei_cloud
        self.huawei_region = huawei_region
        self.tls_context: ssl.SSLContext | None = None
        self.region = region
        self.max_page_size = max_page_size
        self.verifier = pai_eas.Acs3Verifier(keys)
        self.sts = sts.Sts(self.verifier.keys)
        self.metadata_tokens: set[str] = set()
        self.base_keys = dict(keys)
        self.base_url = "http://127.0.0.1"
        self.faults: list[dict[str, t.Any]] = []
        self.latency_ms = latency_ms
        self.log: deque[dict[str, t.Any]] = deque(maxlen=5000)
        self.statuses: Counter[int] = Counter()
        self.injected: Counter[str] = Counter()  # faults met, by kind: tests assert that each happened
        self.requests = 0
        self.next_index = 0
        self.services: list[dict[str, t.Any]] = []
        self.other_regions: dict[str, list[dict[str, t.Any]]] = {}
        self.transitions: list[dict[str, t.Any]] = []
        self.eas = eas_lifecycle.EasLifecycle(self.pai_eas_services, lambda: self.base_url, self.lock)
        self.huawei.lifecycle.lock = self.lock  # ModelArts and DataArts Fabric lifecycle calls change fleets under it
        self.reset(seed=seed, pai_eas_services=pai_eas_services, hostile=hostile)

    def reset(self, *, seed: int, pai_eas_services: int, hostile: bool = False, modelarts_services: int | None = None,
              fabric_instances: int | None = None, modelarts_offset: str | None = None) -> None:
        self.huawei.reset(seed, self.huawei.modelarts_count if modelarts_services is None else modelarts_services,
                          self.huawei.fabric_count if fabric_instances is None else fabric_instances)
        if modelarts_offset:
            self.huawei.offset_mode = modelarts_offset
        with self.lock:
            self.services = fleet.pai_eas_fleet(seed, pai_eas_services, self.region, self.base_url, hostile)
            self.seed, self.pai_eas_count, self.other_regions = seed, pai_eas_services, {}
            self.next_index = len(self.services) + 1000
            self.rng = random.Random(seed)
            self.faults = []
            self.transitions = []
            self.eas.reset()
            self.verifier.nonces.clear()
            self.clear_stats()
        self.reset_sts()

    def reset_sts(self) -> None:
        """The default roles (both trusted by the main PAI-EAS key), keys that last as long as asked, no key issued."""
        main = list(self.base_keys)[:1]
        self.sts.configure({ROLE_READER: {"trusts": list(self.base_keys) + [sts.OIDC_PROVIDER]},
                            ROLE_OTHER_ACCOUNT: {"trusts": main, "external_id": ROLE_EXTERNAL_ID}}, ttl=None)
        with self.sts.lock:
            for issued in [k for k, v in self.verifier.keys.items() if v.get("role")]:
                del self.verifier.keys[issued]
            self.sts.nonces.clear()

    def pai_eas_services(self, region: str) -> list[dict[str, t.Any]]:
        """The PAI-EAS fleet of a region: the main one (which faults change) or another, as many, made on demand."""
        with self.lock:
            if region == self.region:
                return self.services
            if region not in self.other_regions:
                self.other_regions[region] = fleet.pai_eas_fleet("%s/%s" % (self.seed, region), self.pai_eas_count,
                                                                 region, self.base_url)
            return self.other_regions[region]

    def schedule(self, transitions: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
        """Status changes to make ``after`` seconds from now, each on one service: ``provider`` (pai_eas, modelarts,
        dataarts_fabric), ``service_id`` or ``service_name``, ``status`` as the API spells it, and where the service
        lives (``region``; ``workspace_id`` for DataArts Fabric). They happen when a request comes after their time.
        The services must exist now: a change that names none, or that is malformed, raises TransitionError and
        none of the changes is scheduled."""
        if not isinstance(transitions, list):
            raise ValueError("transitions is a list of changes, not %r" % (transitions,))
        now = time.monotonic()
        checked = []
        for number, change in enumerate(transitions, 1):
            if not isinstance(change, dict) or change.get("provider") not in PROVIDERS or "status" not in change \
                    or not (change.get("service_id") or change.get("service_name")):
                raise TransitionError("transition %d: a transition needs provider (pai_eas, modelarts or "
                                      "dataarts_fabric), status, and service_id or service_name: %r; nothing of this "
                                      "request was scheduled" % (number, change), change)
            try:
                due = now + float(change.get("after", 0))
            except (TypeError, ValueError):
                raise TransitionError("transition %d: after is a number of seconds, not %r; nothing of this request "
                                      "was scheduled" % (number, change.get("after")), change) from None
            checked.append((number, change, due, self._transition_fleet(change)))
        with self.lock:
            for number, change, _due, (services, fields, where) in checked:
                if not _matching(services, fields, change):
                    named = " or ".join("%s %r" % (key, change[key]) for key in ("service_id", "service_name")
                                        if change.get(key))
                    raise TransitionError("transition %d: no %s service with %s in %s; nothing of this request was "
                                          "scheduled" % (number, change["provider"], named, where), change)
            for _number, change, due, _fleet in checked:
                self.transitions.append(dict(change, due=due, done=False))
            return [dict(change) for change in self.transitions]

    def _transition_fleet(self, change: dict[str, t.Any]) -> tuple[list[dict[str, t.Any]], tuple[str, str], str]:
        """The services a transition looks in, the fields of their id and name, and where they are, in words."""
        provider, region = change["provider"], change.get("region")
        if provider == "pai_eas":
            region = region or self.region
            return self.pai_eas_services(region), ("ServiceId", "ServiceName"), "region %s" % region
        if provider == "modelarts":
            region = region or self.huawei_region
            return self.huawei.modelarts_services(region), ("service_id", "service_name"), "region %s" % region
        workspace = change.get("workspace_id", "ws-0001")
        return self.huawei.fabric_instances(workspace), ("id", "name"), "workspace %s" % workspace

    def apply_transitions(self) -> None:
        """Make the scheduled status changes whose time has come (and those of the lifecycle calls)."""
        self.eas.apply_due()
        self.huawei.lifecycle.apply_due()
        now = time.monotonic()
        with self.lock:
            due = [change for change in self.transitions if not change["done"] and change["due"] <= now]
        for change in due:
            services, fields, _where = self._transition_fleet(change)
            with self.lock:
                found = _matching(services, fields, change)
                for service in found:
                    _set_status(change["provider"], service, change["status"])
                change.update(done=True, changed=len(found))

    def clear_stats(self) -> None:
        self.log.clear()
        self.statuses.clear()
        self.injected.clear()
        self.requests = 0

    def take_fault(self, provider: str) -> dict[str, t.Any] | None:
        """Return the first one-shot fault for this provider with hits left, spending one."""
        with self.lock:
            for fault in self.faults:
                if fault.get("provider", provider) != provider:
                    continue
                if fault.get("kind") in ONE_SHOT and fault.get("count", 1) > 0:
                    fault["count"] = fault.get("count", 1) - 1
                    self.injected[fault["kind"]] += 1
                    return dict(fault)
        return None

    def after_page(self, page: int) -> None:
        """Apply the fleet changes the faults ask for once a page was served."""
        with self.lock:
            for fault in self.faults:
                if fault.get("page", 1) != page or fault.get("count", 1) <= 0:
                    continue
                if fault.get("kind") == "insert_after_page":
                    fault["count"] = fault.get("count", 1) - 1
                    newest = max((s["CreateTime"] for s in self.services), default="2024-01-01T00:00:00Z")
                    service = fleet.pai_eas_service(self.rng, self.next_index, self.region, self.base_url)
                    self.next_index += 1
                    service["CreateTime"] = _later(newest)
                    self.services.append(service)
                    self.injected["insert_after_page"] += 1
                elif fault.get("kind") == "delete_after_page" and self.services:
                    fault["count"] = fault.get("count", 1) - 1
                    victim = pai_eas.default_order(self.services)[min(5, len(self.services) - 1)]
                    self.services.remove(victim)
                    self.injected["delete_after_page"] += 1

    def record(self, entry: dict[str, t.Any]) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[entry["status"]] += 1
            self.log.append(entry)


class TransitionError(ValueError):
    """A scheduled change refused, with the change (the admin API answers 400 with both)."""

    def __init__(self, message: str, transition: t.Any) -> None:
        super().__init__(message)
        self.transition = transition


def _matching(services: list[dict[str, t.Any]], fields: tuple[str, str],
              change: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The services a transition names, by id or by name."""
    return [s for s in services if (change.get("service_id") and s.get(fields[0]) == change["service_id"])
            or (change.get("service_name") and s.get(fields[1]) == change["service_name"])]


def _set_status(provider: str, service: dict[str, t.Any], status: str) -> None:
    """A service's status as its API shows a change: the status and the time of the change."""
    if provider == "pai_eas":
        message = "Service start successfully" if status == "Running" else "Service is %s" % status.lower()
        service.update(Status=status, Reason=status.upper(), Message=message,
                       UpdateTime=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    elif provider == "modelarts":
        service.update(status=status, transition_at=int(time.time() * 1000))
    else:
        service.update(status=status, update_time=time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))


def _later(stamp: str) -> str:
    """One hour after an ISO 8601 UTC stamp."""
    moment = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment + 3600))


class Handler(BaseHTTPRequestHandler):
    """One request: admin, predict, or a cloud API call."""

    protocol_version = "HTTP/1.1"
    server_version = "emulator"
    sys_version = ""
    emulator: Emulator
    verbose = False

    def log_message(self, format: str, *args: t.Any) -> None:  # pylint: disable=redefined-builtin
        if self.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._route()

    def do_PUT(self) -> None:  # pylint: disable=invalid-name
        self._route()

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        self._route()

    def do_DELETE(self) -> None:  # pylint: disable=invalid-name
        self._route()

    def do_CONNECT(self) -> None:  # pylint: disable=invalid-name
        """Act as the HTTPS proxy of HTTPS_PROXY: answer for any cloud host, with the emulator's certificate."""
        context = self.emulator.tls_context
        if context is None:
            self._json(502, {"error": "no TLS here"})
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        tunnel = context.wrap_socket(self.connection, server_side=True)
        self.connection = tunnel
        self.rfile = tunnel.makefile("rb")
        self.wfile = tunnel.makefile("wb", buffering=0)
        self.close_connection = False

    def _region(self, default: str) -> str:
        match = CLOUD_HOST.match((self.headers.get("Host") or "").rsplit(":", 1)[0])
        return match.group(1) if match else default

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: bytes, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, data: t.Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), headers=headers)

    def _route(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path.startswith("/_emulator/"):
            self._admin(url.path[len("/_emulator/"):], body)
        elif url.path.startswith("/api/predict/") and self.command == "GET":
            self._json(200, {"service": unquote(url.path[len("/api/predict/"):]), "status": "ok"})
        elif url.path == "/" and "Action=AssumeRole" in url.query:
            self._sts(url.query)
        elif url.path.startswith(("/latest/", "/meta-data/", "/openstack/")):
            self._metadata(url.path)
        elif url.path == "/credentials-uri" and self.command == "GET":  # a credentials URI server, for a role
            role = dict(parse_qsl(url.query)).get("role", ROLE_READER)
            self._serve("credentials_uri", url.path, "", str(uuid.uuid4()), {}, lambda: (
                200, self.emulator.sts.credentials_uri(role), {}), note={"role": role})
        elif url.path == pai_eas.PATH and self.command == "GET":
            self._api(url.path, url.query, body)
        elif url.path.startswith("/api/v2/services"):
            self._eas_lifecycle(url.path, url.query, body)
        elif url.path.startswith(("/v1/", "/v3/", "/v3.0/")):
            self._huawei(url.path, url.query, body)
        else:
            self._json(404, {"Code": "InvalidAction.NotFound", "Message": "No such API: %s %s" % (
                self.command, url.path)})

    def _admin(self, route: str, body: bytes) -> None:
        emulator = self.emulator
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            self._json(400, {"error": "body is not JSON"})
            return
        data = {} if data is None else data  # a JSON null, as a GET with a body may send: no fields
        if not isinstance(data, dict):
            self._json(400, {"error": "body is a JSON object of the route's fields, not %s" % type(data).__name__})
            return
        if route == "health":
            self._json(200, {"ok": True})
        elif route == "reset" and self.command == "POST":
            emulator.reset(seed=int(data.get("seed", 1)), pai_eas_services=int(data.get("pai_eas_services", 100)),
                           hostile=bool(data.get("hostile", False)), modelarts_services=data.get("modelarts_services"),
                           fabric_instances=data.get("fabric_instances"), modelarts_offset=data.get("modelarts_offset"))
            self._json(200, {"ok": True, "pai_eas_services": len(emulator.services)})
        elif route == "faults":
            if self.command == "POST":
                with emulator.lock:
                    emulator.faults = [dict(f) for f in data.get("faults", [])]
                    emulator.latency_ms = next((int(f.get("ms", 0)) for f in emulator.faults
                                                if f.get("kind") == "latency"), emulator.latency_ms)
            self._json(200, {"faults": emulator.faults, "latency_ms": emulator.latency_ms})
        elif route == "stats":
            with emulator.lock:
                self._json(200, {"requests": emulator.requests, "by_status": dict(emulator.statuses),
                                 "injected": dict(emulator.injected), "log": list(emulator.log)})
        elif route == "stats/reset" and self.command == "POST":
            with emulator.lock:
                emulator.clear_stats()
            self._json(200, {"ok": True})
        elif route == "transitions":
            try:
                if self.command == "POST":
                    emulator.schedule(data.get("transitions", []))
            except TransitionError as exc:
                self._json(400, {"error": str(exc), "transition": exc.transition})
                return
            except (ValueError, TypeError) as exc:
                self._json(400, {"error": str(exc)})
                return
            emulator.apply_transitions()
            with emulator.lock:
                listed = [dict(change, due=None) for change in emulator.transitions]
            self._json(200, {"transitions": listed})
        elif route == "eas":  # how long PAI-EAS lifecycle changes take
            if self.command == "POST":
                with emulator.lock:
                    emulator.eas.seconds = float(data.get("seconds", emulator.eas.seconds))
            self._json(200, {"seconds": emulator.eas.seconds, "pending": len(emulator.eas.pending)})
        elif route == "lifecycle":  # how long lifecycle changes take: PAI-EAS, ModelArts and DataArts Fabric alike
            try:
                seconds = float(data["seconds"]) if self.command == "POST" else None
                if seconds is not None and not 0 <= seconds < math.inf:  # NaN too
                    raise ValueError(seconds)
            except (KeyError, TypeError, ValueError):
                self._json(400, {"error": 'POST /_emulator/lifecycle takes {"seconds": N}, N >= 0'})
                return
            with emulator.lock:
                if seconds is not None:
                    emulator.eas.seconds = emulator.huawei.lifecycle.seconds = seconds
                self._json(200, {"seconds": emulator.huawei.lifecycle.seconds,
                                 "pai_eas": {"seconds": emulator.eas.seconds, "pending": len(emulator.eas.pending)},
                                 "huawei": {"seconds": emulator.huawei.lifecycle.seconds,
                                            "pending": len(emulator.huawei.lifecycle.pending)}})
        elif route == "sts":
            if self.command == "POST":
                emulator.sts.configure(data.get("roles", emulator.sts.roles), data.get("ttl"))
            with emulator.sts.lock:
                self._json(200, {"roles": emulator.sts.roles, "ttl": emulator.sts.ttl, "issued": emulator.sts.issued})
        elif route == "oidc/token" and self.command == "POST":
            self._json(200, {"token": emulator.sts.oidc_token(float(data.get("ttl", 3600)))})
        elif route == "iam/agencies":
            if self.command == "POST":
                with emulator.huawei.lock:
                    emulator.huawei.agency_ttl = data.get("ttl")
            self._json(200, {"ttl": emulator.huawei.agency_ttl, "issued": emulator.huawei.issued})
        elif route == "iam/expire" and self.command == "POST":
            emulator.huawei.expire_tokens()
            self._json(200, {"ok": True})
        elif route.startswith("fleet/"):
            emulator.apply_transitions()
            self._fleet(route)
        else:
            self._json(404, {"error": "no admin route %s %s" % (self.command, route)})

    def _fleet(self, route: str) -> None:
        """The admin view of a fleet, in the API's default order."""
        emulator = self.emulator
        if route.startswith("fleet/modelarts/"):
            services = emulator.huawei.modelarts_services(route.split("/", 2)[2])
            ordered = sorted(services, key=lambda s: (s["publish_at"], s["service_id"]), reverse=True)
            self._json(200, {"services": ordered, "total_count": len(ordered)})
        elif route.startswith("fleet/dataarts_fabric/"):
            instances = emulator.huawei.fabric_instances(route.split("/", 2)[2])
            ordered = sorted(instances, key=lambda i: (i["create_time"], i["id"]), reverse=True)
            self._json(200, {"service_instances": ordered, "total": len(ordered)})
        elif route == "fleet/pai_eas" or route.startswith("fleet/pai_eas/"):
            region = route.split("/", 2)[2] if route.count("/") == 2 else emulator.region
            services = emulator.pai_eas_services(region)
            with emulator.lock:
                services = pai_eas.default_order(services)
            self._json(200, {"Services": services, "TotalCount": len(services)})
        else:
            self._json(404, {"error": "no admin route %s %s" % (self.command, route)})

    def _api(self, path: str, raw_query: str, body: bytes) -> None:
        """Serve PAI-EAS ListServices, from the fleet of the region in the Host name (the main one for 127.0.0.1)."""
        emulator = self.emulator
        request_id = str(uuid.uuid4()).upper()
        region = self._region(emulator.region)

        def answer() -> tuple[int, dict[str, t.Any], dict[str, str]]:
            emulator.verifier.verify(self.command, path, raw_query, dict(self.headers.items()), body)
            services = emulator.pai_eas_services(region)
            with emulator.lock:
                page = pai_eas.list_services(services, dict(parse_qsl(raw_query, keep_blank_values=True)),
                                             emulator.max_page_size)
            return 200, dict(page, RequestId=request_id), {}

        self._serve("pai_eas", path, raw_query, request_id, {"x-acs-request-id": request_id}, answer,
                    lambda page: emulator.after_page(page["PageNumber"]) if region == emulator.region else None,
                    region=region)

    def _eas_lifecycle(self, path: str, raw_query: str, body: bytes) -> None:
        """Serve a PAI-EAS lifecycle call (eas_lifecycle.py), signed as ListServices is."""
        emulator = self.emulator
        request_id = str(uuid.uuid4()).upper()
        region = self._region(emulator.region)
        action = self.headers.get("x-acs-action")

        def answer() -> tuple[int, dict[str, t.Any], dict[str, str]]:
            emulator.verifier.verify(self.command, path, raw_query, dict(self.headers.items()), body)
            status, data = emulator.eas.handle(self.command, path, raw_query, body, region, action)
            return status, dict(data, RequestId=request_id), {}

        self._serve("pai_eas", path, raw_query, request_id, {"x-acs-request-id": request_id}, answer, region=region,
                    note={"action": action, "body": body.decode("utf-8", "replace")[:2000]})

    def _metadata(self, path: str) -> None:
        """The instance metadata services of an ECS instance: Alibaba's (100.100.100.200, its RAM role) and Huawei's
        (169.254.169.254, its temporary AK/SK), each with a session token first (IMDSv2)."""
        emulator = self.emulator
        headers = {k.lower(): v for k, v in self.headers.items()}
        sent = headers.get("x-aliyun-ecs-metadata-token") or headers.get("x-metadata-token")
        entry = {"provider": "metadata", "method": self.command, "path": path, "status": 200, "code": None,
                 "with_token": bool(sent) and sent in emulator.metadata_tokens, "credential": None,
                 "host": self.headers.get("Host"), "address": "%s:%d" % self.connection.getsockname()[:2]}
        status, body, kind = 200, "", "text/plain"
        if self.command == "PUT" and path in ("/latest/api/token", "/meta-data/latest/api/token"):
            ttl = headers.get("x-aliyun-ecs-metadata-token-ttl-seconds") or headers.get("x-metadata-token-ttl-seconds")
            if not ttl:
                status, body = 400, "missing token ttl"
            else:
                body = secrets.token_urlsafe(24)
                emulator.metadata_tokens.add(body)
        elif self.command != "GET":
            status, body = 405, "method not allowed"
        elif sent and sent not in emulator.metadata_tokens:
            status, body = 401, "invalid token"
        elif path == "/latest/meta-data/ram/security-credentials/":
            body = ECS_ROLE_NAME
        elif path == "/latest/meta-data/ram/security-credentials/" + ECS_ROLE_NAME:
            issued = emulator.sts.credentials_uri(ROLE_READER)
            body, kind = json.dumps(dict(issued, LastUpdated=issued.get("Expiration"))), "application/json"
            entry["credential"] = issued.get("AccessKeyId")
        elif path == "/openstack/latest/securitykey":
            credential = emulator.huawei.instance_keys()
            body, kind = json.dumps({"credential": credential}), "application/json"
            entry["credential"] = credential["access"]
        else:
            status, body = 404, "not found"
        entry["status"] = status
        self._send(status, body.encode("utf-8"), kind)
        emulator.record(entry)

    def _sts(self, raw_query: str) -> None:
        """Serve STS AssumeRole (RPC: the parameters and their signature in the query)."""
        request_id = str(uuid.uuid4()).upper()
        query = dict(parse_qsl(raw_query, keep_blank_values=True))

        def answer() -> tuple[int, dict[str, t.Any], dict[str, str]]:
            if query.get("Action") == "AssumeRoleWithOIDC":
                return 200, dict(self.emulator.sts.assume_role_with_oidc(raw_query), RequestId=request_id), {}
            return 200, dict(self.emulator.sts.assume_role(self.command, raw_query), RequestId=request_id), {}

        self._serve("sts", "/", raw_query, request_id, {}, answer, note={
            "credential": query.get("AccessKeyId"), "role": query.get("RoleArn"),
            "action": query.get("Action"),
            "query": {k: v for k, v in query.items() if k not in ("Signature", "SecurityToken", "OIDCToken")}})

    def _huawei(self, path: str, raw_query: str, body: bytes) -> None:
        """Serve a Huawei request: IAM, ModelArts or DataArts Fabric."""
        region = self._region(self.emulator.huawei_region)
        request_id = uuid.uuid4().hex
        note: dict[str, t.Any] = {}
        if path == "/v3/auth/tokens":  # the scope asked for, so tests can tell a project ID from a name
            try:
                note["scope"] = json.loads(body)["auth"]["scope"]
            except (ValueError, KeyError, TypeError):
                pass
        action = huawei_action(self.command, path)
        if action:  # a lifecycle call: what it was and what it sent; a create's entry gets the new id once answered
            note.update(action=action[0], service_id=action[1], body=body.decode("utf-8", "replace")[:2000])

        def answer() -> tuple[int, dict[str, t.Any], dict[str, str]]:
            status, data, extra = self.emulator.huawei.handle(self.command, path, raw_query,
                                                              dict(self.headers.items()), body, region)
            if action and not action[1]:
                note["service_id"] = data.get("service_id") or data.get("id")
            return status, data, extra

        self._serve("huawei", path, raw_query, request_id, {"X-Request-Id": request_id}, answer, region=region,
                    note=note)

    def _serve(self, provider: str, path: str, raw_query: str, request_id: str, headers: dict[str, str],
               answer: t.Callable[[], tuple[int, dict[str, t.Any], dict[str, str]]],
               after: t.Callable[[dict[str, t.Any]], None] | None = None, region: str | None = None,
               note: dict[str, t.Any] | None = None) -> None:
        """Answer an API request, applying the faults set for ``provider``, and log it."""
        emulator = self.emulator
        authorization = self.headers.get("Authorization") or ""
        entry: dict[str, t.Any] = {
            "provider": provider, "method": self.command, "path": path, "region": region,
            "query": dict(parse_qsl(raw_query, keep_blank_values=True)), "status": 200, "code": None,
            "host": self.headers.get("Host"), "address": "%s:%d" % self.connection.getsockname()[:2],
            "signed_headers": authorization.partition("SignedHeaders=")[2].partition(",")[0],
            "auth": "token" if self.headers.get("X-Auth-Token") else ("aksk" if authorization else None),
            "credential": (re.search(r"(?:Credential|Access)=([^,\s/]+)", authorization) or [None, None])[1]}
        entry.update(note or {})
        if emulator.latency_ms:
            time.sleep(emulator.latency_ms / 1000.0)
        emulator.apply_transitions()
        fault = emulator.take_fault(provider) or {}
        kind = fault.get("kind")
        reply: tuple[t.Any, ...] | None = None  # what to send, sent only once the request is in the log
        try:
            if kind == "drop":
                entry.update(status=0, code="dropped")
                self.close_connection = True
                return
            if kind == "slow":
                time.sleep(float(fault.get("seconds", 5)))
            if kind in ("throttle", "http_error"):
                raise fault_error(provider, kind, fault, headers)
            status, data, extra = answer()
            if kind == "no_subject_token":  # an IAM that says 201 but issues no token
                extra.pop("X-Subject-Token", None)
            headers.update(extra)
            entry["status"] = status
            payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
            if kind == "non_json":
                entry.update(code="non_json")
                reply = (200, HTML, "text/html")
            elif kind == "truncated":
                entry.update(code="truncated")
                reply = (status, payload[:len(payload) // 2])
            else:
                reply = (status, payload)
            if after:  # the page's faults (a service added or deleted) happen before the client can ask again
                after(data)
        except (pai_eas.EasError, huawei.HuaweiError) as err:
            entry.update(status=err.status, code=err.code)
            reply = (err.status, json.dumps(err.body(request_id, self.headers.get("Host", "")),
                                            ensure_ascii=False).encode("utf-8"))
        finally:
            # Logged before the answer goes out: a client that reads the log right after its answer finds its
            # request there, in the order the requests were made.
            entry.update(note or {})  # what the answer added to the note (a created service's id)
            emulator.record(entry)
        if reply is not None:
            self._send(*reply, headers=headers)


def huawei_action(method: str, path: str) -> tuple[str, str | None] | None:
    """A Huawei lifecycle call's operation, as the document names it, and the id in its path (None for a create);
    None for any other request (lists, IAM)."""
    match = huawei.MA_SERVICE.match(path)
    if match:
        operations = {"POST": "CreateService", "GET": "ShowService", "PUT": "UpdateService", "DELETE": "DeleteService"}
        if (method == "POST") == (match.group(2) is None) and method in operations:
            return operations[method], match.group(2)
        return None
    if huawei.FABRIC.match(path) and method == "POST":
        return "DeployServiceInstance", None
    match = huawei.FABRIC_INSTANCE.match(path)
    operations = {"GET": "ShowServiceInstanceDetail", "PUT": "UpdateServiceInstance",
                  "DELETE": "DeleteServiceInstance"}
    if match and method in operations:
        return operations[method], match.group(2)
    return None


def fault_error(provider: str, kind: str, fault: dict[str, t.Any],
                headers: dict[str, str]) -> pai_eas.EasError | huawei.HuaweiError:
    """The error a throttling or failing gateway of ``provider`` answers, with its retry headers."""
    wait_ms = fault.get("retry_after_ms")
    if wait_ms:
        headers["Retry-After"] = str(math.ceil(int(wait_ms) / 1000.0))
    if provider == "pai_eas":
        if wait_ms:
            headers["x-acs-retry-after"] = str(int(wait_ms))
        if kind == "throttle":
            return pai_eas.EasError(int(fault.get("status", 400)), fault.get("code") or "Throttling.User",
                                    "Request was denied due to user flow control.")
        return pai_eas.EasError(int(fault.get("status", 503)), fault.get("code") or "ServiceUnavailable",
                                "The request has failed due to a temporary failure of the server.")
    if kind == "throttle":
        return huawei.HuaweiError(int(fault.get("status", 429)), fault.get("code") or "APIGW.0308",
                                  "The throttling threshold has been reached")
    return huawei.HuaweiError(int(fault.get("status", 503)), fault.get("code") or "common.00000500",
                              "The service is temporarily unavailable")


class Server(ThreadingHTTPServer):
    """A threading server whose handler threads do not keep the process alive."""

    daemon_threads = True
    allow_reuse_address = True


def serve(emulator: Emulator, port: int, tls: tuple[str, str] | None = None, verbose: bool = False,
          address: str = "127.0.0.1") -> Server:
    """Start serving on address:port (0 picks a free one) in a thread; return the server."""
    handler = type("BoundHandler", (Handler,), {"emulator": emulator, "verbose": verbose})
    server = Server((address, port), handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        emulator.tls_context = context
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, name="emulator-%d" % server.server_address[1],
                     daemon=True).start()
    return server
