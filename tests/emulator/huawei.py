# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Huawei Cloud as the clouds serve it: IAM tokens and projects, ModelArts services, DataArts Fabric instances (their
lifecycle calls in huawei_lifecycle.py).

AK/SK signatures (SDK-HMAC-SHA256) are recomputed from docs/docsite/rst/wire.rst B.4, independently of the
collection's signer.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import typing as t
from urllib.parse import parse_qsl, quote, unquote

from . import fleet, huawei_lifecycle

AUTH_RE = re.compile(r"^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([a-z0-9;_-]+), Signature=([0-9a-f]{64})$")
REGIONS = ("cn-north-4", "cn-north-1", "cn-southwest-2", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-de",
           "eu-nl")
WINDOW = 15 * 60
MA_SERVICE = re.compile(r"^/v1/([0-9a-f]{32})/services(?:/([^/]+))?$")
FABRIC = re.compile(r"^/v1/workspaces/([^/]+)/services/instances$")
FABRIC_INSTANCE = re.compile(r"^/v1/workspaces/([^/]+)/services/instances/([^/]+)$")
NAME = re.compile(r"^[A-Za-z0-9-]{1,36}$")
# The name search: what an instance name may hold (the document's response field: 1 to 64 letters, digits, -, _, .
# and spaces), non-ASCII letters included; the search is fuzzy.
SEARCH = re.compile(r"^[\w .-]{1,64}$")
# The account every key and user of the emulator belongs to, and the account that owns the agencies.
ACCOUNT = {"id": "d" * 32, "name": "emulator-account"}
AGENCY_ACCOUNT = {"id": "a" * 32, "name": "agency-account"}
AGENCY_READER = "modelarts-reader"
SESSION_USER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{4,63}$")
# Every query parameter of the two list APIs, with the values each allows where it checks them (None: any value).
# Any other parameter is refused: a parameter the collection sends and the emulator ignored would test nothing. The
# unit tests hold these against the providers' declarations, both ways.
MODELARTS_QUERY: dict[str, tuple[str, ...] | None] = {
    "service_id": None, "service_name": None, "model_id": None, "workspace_id": None,
    "infer_type": ("real-time", "batch", "edge"), "status": tuple(s for s, _weight in fleet.MA_STATUSES),
    "sort_by": ("publish_at", "service_name", "transition_at"), "order": ("asc", "desc"), "tags": None,
    "offset": None, "limit": None}
FABRIC_QUERY: dict[str, tuple[str, ...] | None] = {
    "id": None, "name": None, "endpoint_id": None, "source_id": None, "version_id": None,
    "type": ("PGSQL_SERVICE", "LLM_MODEL"), "visibility": ("PRIVATE", "PUBLIC"), "sort_by": ("CREATE_TIME", "DURATION"),
    "order_by": ("ASC", "DESC"), "offset": None, "limit": None}


class HuaweiError(Exception):
    """An error reply: HTTP status, ``error_code``, ``error_msg`` (or IAM's nested form)."""

    def __init__(self, status: int, code: str, message: str, iam: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.iam = status, code, message, iam

    def body(self, request_id: str, host: str = "") -> dict[str, t.Any]:  # pylint: disable=unused-argument
        if self.iam:
            return {"error": {"code": self.status, "message": self.message, "title": "Unauthorized"}}
        return {"error_code": self.code, "error_msg": self.message, "request_id": request_id}


def project_id(region: str) -> str:
    return hashlib.md5(("project-" + region).encode()).hexdigest()  # nosec B324 - an id, not security


def canonical_request(method: str, path: str, raw_query: str, headers: t.Mapping[str, str], signed: list[str],
                      body: bytes) -> str:
    uri = "/".join(quote(segment, safe="~") for segment in unquote(path).split("/"))
    uri = uri if uri.endswith("/") else uri + "/"
    pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
    query = "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs)
    canon = "".join("%s:%s\n" % (name, headers[name].strip()) for name in signed)
    return "\n".join((method, uri, query, canon, ";".join(signed), hashlib.sha256(body).hexdigest()))


class HuaweiCloud:
    """IAM, ModelArts and DataArts Fabric behind one gateway, as the emulator's Huawei side."""

    def __init__(self, *, keys: dict[str, dict[str, str | None]], users: dict[tuple[str, str], str], seed: int,
                 modelarts_services: int, fabric_instances: int, offset_mode: str = "pages",
                 token_ttl: int = 86400, clock: t.Callable[[], float] = time.time) -> None:
        self.keys, self.users, self.clock = keys, users, clock
        self.offset_mode, self.token_ttl = offset_mode, token_ttl
        self.tokens: dict[str, tuple[str, float]] = {}
        self.lock = threading.Lock()
        self.agencies: dict[tuple[str, str], dict[str, t.Any]] = {}
        self.agency_ttl: float | None = None
        self.issued = 0
        # The lifecycle calls; the emulator's server gives it its own lock, so that its listings see whole changes.
        self.lifecycle = huawei_lifecycle.HuaweiLifecycle(self.modelarts_services, self.fabric_instances,
                                                          threading.Lock())
        self.reset(seed, modelarts_services, fabric_instances)

    def reset(self, seed: int, modelarts_services: int, fabric_instances: int) -> None:
        self.seed, self.modelarts_count, self.fabric_count = seed, modelarts_services, fabric_instances
        self.modelarts: dict[str, list[dict[str, t.Any]]] = {}
        self.fabric: dict[str, list[dict[str, t.Any]]] = {}
        self.lifecycle.reset()
        with self.lock:  # the default agency, delegated to the emulator's account; no temporary key issued
            self.agencies = {(AGENCY_ACCOUNT["name"], AGENCY_READER): {"trusts": [ACCOUNT["id"]], "max": 86400}}
            self.agency_ttl = None
            for issued in [k for k, v in self.keys.items() if v.get("agency")]:
                del self.keys[issued]

    def modelarts_services(self, region: str) -> list[dict[str, t.Any]]:
        with self.lock:
            if region not in self.modelarts:
                self.modelarts[region] = fleet.modelarts_fleet(self.seed, self.modelarts_count, region,
                                                               project_id(region))
            return self.modelarts[region]

    def fabric_instances(self, workspace: str) -> list[dict[str, t.Any]]:
        with self.lock:
            if workspace not in self.fabric:
                self.fabric[workspace] = fleet.fabric_fleet(self.seed, self.fabric_count, workspace)
            return self.fabric[workspace]

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {token: (project, 0.0) for token, (project, _expiry) in self.tokens.items()}

    # -- authentication ---------------------------------------------------------------------------------------
    def authenticate(self, method: str, path: str, raw_query: str, headers: t.Mapping[str, str],
                     body: bytes) -> str | None:
        """Return the caller's project id (None when the request names none), or raise HuaweiError."""
        lower = {k.lower(): v for k, v in headers.items()}
        token = lower.get("x-auth-token")
        if token:
            with self.lock:
                known = self.tokens.get(token)
            if not known:
                raise HuaweiError(401, "APIG.1002", "Incorrect token or token resolution failed")
            if known[1] < self.clock():
                raise HuaweiError(401, "APIGW.0307", "The token must be updated.")
            return known[0]
        match = AUTH_RE.match(lower.get("authorization", ""))
        if not match:
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: no authorization")
        access, signed_list, signature = match.groups()
        key = self.keys.get(access)
        if key is None:
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: ak %s not found" % access)
        signed = signed_list.split(";")
        if "x-sdk-date" not in signed or any(name not in lower for name in signed) or signed != sorted(signed):
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: bad signed headers")
        if "host" not in signed:  # a signature that does not cover the host could be replayed on another one
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: the host header is not "
                                                 "signed")
        try:
            moment = datetime.datetime.strptime(lower["x-sdk-date"], "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            moment = 0.0
        if abs(moment - self.clock()) > WINDOW:
            raise HuaweiError(401, "APIGW.0303", "Incorrect app authentication information: the request time is "
                                                 "more than 15 minutes off")
        if key.get("expires") and self.clock() > float(key["expires"]):  # type: ignore[arg-type]
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: the temporary access "
                                                 "key has expired")
        if key.get("token") and lower.get("x-security-token") != key["token"]:
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: bad security token")
        if not key.get("token") and "x-security-token" in lower:
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: a security token was "
                                                 "sent with a permanent access key; it belongs to temporary keys only")
        to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (lower["x-sdk-date"], hashlib.sha256(canonical_request(
            method, path, raw_query, lower, signed, body).encode("utf-8")).hexdigest())
        expected = hmac.new(str(key["secret"]).encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")
        return lower.get("x-project-id")

    # -- routes -------------------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, raw_query: str, headers: t.Mapping[str, str], body: bytes,
               region: str) -> tuple[int, dict[str, t.Any], dict[str, str]]:
        """Answer one request: (status, JSON body, extra headers)."""
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        if method == "POST" and path == "/v3/auth/tokens":
            return self._issue_token(body)
        caller = self.authenticate(method, path, raw_query, headers, body)
        if method == "GET" and path == "/v3/auth/domains":
            return 200, {"domains": [dict(ACCOUNT, enabled=True)]}, {}
        if method == "POST" and path == "/v3.0/OS-CREDENTIAL/securitytokens":
            return self._assume_agency(headers, body)
        if method == "GET" and path == "/v3/projects":
            names = [query["name"]] if "name" in query else list(REGIONS)
            return 200, {"projects": [{"id": project_id(n), "name": n, "domain_id": "d" * 32, "enabled": True}
                                      for n in names if n in REGIONS]}, {}
        self.lifecycle.apply_due()
        match = MA_SERVICE.match(path)
        if match and (method == "GET" or (method == "POST" and not match.group(2))
                      or (method in ("PUT", "DELETE") and match.group(2))):
            if match.group(1) != project_id(region) or (caller and caller != match.group(1)):
                raise HuaweiError(403, "ModelArts.0203", "The project %s is not the caller's project in %s." % (
                    match.group(1), region))
            if method != "GET":
                return self.lifecycle.modelarts(method, region, match.group(1), match.group(2), headers, body) + ({},)
            services = self.modelarts_services(region)
            with self.lifecycle.lock:
                if match.group(2):
                    found = [s for s in services if s["service_id"] == match.group(2)]
                    if not found:
                        raise HuaweiError(404, "ModelArts.3502", "Service %s does not exist." % match.group(2))
                    return 200, json.loads(json.dumps(dict(public(found[0]), **found[0]["_detail"]))), {}
                return 200, self._list_modelarts(services, query), {}
        match = FABRIC.match(path)
        if method == "GET" and match:
            with self.lifecycle.lock:
                return 200, json.loads(json.dumps(self._list_fabric(match.group(1), query))), {}
        if (method == "POST" and match) or (method in ("GET", "PUT", "DELETE") and FABRIC_INSTANCE.match(path)):
            workspace, instance = (match.group(1), None) if match else FABRIC_INSTANCE.match(path).groups()
            if not NAME.match(workspace):
                raise HuaweiError(400, "common.01000001", "workspace_id is invalid")
            return self.lifecycle.fabric(method, region, workspace, instance, headers, body) + ({},)
        raise HuaweiError(404, "common.01000001", "response status exception, code: 404")

    def _issue_token(self, body: bytes) -> tuple[int, dict[str, t.Any], dict[str, str]]:
        try:
            auth = json.loads(body)["auth"]
            user = auth["identity"]["password"]["user"]
            scope = auth["scope"]["project"]
        except (ValueError, KeyError, TypeError):
            raise HuaweiError(400, "IAM.0001", "The request body is invalid.", iam=True) from None
        if self.users.get((user["domain"]["name"], user["name"])) != user.get("password"):
            raise HuaweiError(401, "IAM.0001", "The username or password is wrong.", iam=True)
        region = scope.get("name") or next((r for r in REGIONS if project_id(r) == scope.get("id")), None)
        if region not in REGIONS:
            raise HuaweiError(401, "IAM.0001", "The project is not found.", iam=True)
        token = "MIIE" + secrets.token_urlsafe(48)
        expires = self.clock() + self.token_ttl
        with self.lock:
            self.tokens[token] = (project_id(region), expires)
        stamp = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        return 201, {"token": {"expires_at": stamp, "methods": ["password"], "project": {
            "id": project_id(region), "name": region}, "user": {"name": user["name"]}}}, {"X-Subject-Token": token}

    def _assume_agency(self, headers: t.Mapping[str, str], body: bytes) -> tuple[int, dict[str, t.Any], dict]:
        """IAM assume_role: temporary AK/SK of an agency, for a caller of the account the agency delegates to."""
        lower = {k.lower(): v for k, v in headers.items()}
        if "authorization" in lower and lower.get("x-domain-id") != ACCOUNT["id"]:
            # AK/SK on a global service name the account, as the SDK's global credentials do.
            raise HuaweiError(401, "APIGW.0301", "Incorrect IAM authentication information: X-Domain-Id is missing "
                                                 "or not the account of the access key")
        try:
            identity = json.loads(body)["auth"]["identity"]
            assume = identity["assume_role"]
            if identity["methods"] != ["assume_role"] or not isinstance(assume, dict):
                raise KeyError("methods")
            domain = assume.get("domain_name") or {AGENCY_ACCOUNT["id"]: AGENCY_ACCOUNT["name"]}.get(
                assume.get("domain_id"), assume.get("domain_id"))
            duration = int(assume.get("duration_seconds", 900))
        except (ValueError, KeyError, TypeError):
            raise HuaweiError(400, "IAM.0001", "The request body is invalid.", iam=True) from None
        agency = self.agencies.get((str(domain), str(assume.get("agency_name"))))
        if agency is None:
            raise HuaweiError(404, "IAM.0001", "Could not find agency %s of domain %s." % (
                assume.get("agency_name"), domain), iam=True)
        if ACCOUNT["id"] not in agency["trusts"]:
            raise HuaweiError(403, "IAM.0001", "You are not authorized to perform the requested action.", iam=True)
        if not 900 <= duration <= agency.get("max", 86400):
            raise HuaweiError(400, "IAM.0001", "duration_seconds must be 900 to %d." % agency.get("max", 86400),
                              iam=True)
        user = (assume.get("session_user") or {}).get("name")
        if user is not None and not SESSION_USER.match(str(user)):
            raise HuaweiError(400, "IAM.0001", "session_user.name is invalid.", iam=True)
        return 201, {"credential": self._issue_keys(duration, "%s/%s" % (domain, assume.get("agency_name")))}, {}

    def instance_keys(self) -> dict[str, t.Any]:
        """The temporary AK/SK the metadata service of an ECS instance hands out (its agency's, here the account's
        own), for a day unless the agency TTL says otherwise."""
        return self._issue_keys(86400, "ecs-instance")

    def _issue_keys(self, duration: float, agency: str) -> dict[str, t.Any]:
        expires = self.clock() + (self.agency_ttl if self.agency_ttl is not None else duration)
        access = "T" + secrets.token_hex(10).upper()[:19]
        issued = {"secret": secrets.token_urlsafe(30), "token": "gQpjbi" + secrets.token_urlsafe(60),
                  "expires": expires, "agency": agency}
        with self.lock:
            self.keys[access] = issued
            self.issued += 1
        stamp = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        return {"access": access, "secret": issued["secret"], "securitytoken": issued["token"], "expires_at": stamp}

    def _list_modelarts(self, services: list[dict[str, t.Any]], query: dict[str, str]) -> dict[str, t.Any]:
        for name in sorted(query):
            if name not in MODELARTS_QUERY:
                raise HuaweiError(400, "ModelArts.0101", "Invalid Argument: unknown parameter %s." % name)
        offset, limit = _int(query, "offset", 0, 0, None), _int(query, "limit", 1000, 1, None)
        for name, allowed in MODELARTS_QUERY.items():
            if allowed and name in query and query[name] not in allowed:
                raise HuaweiError(400, "ModelArts.0101", "Invalid Argument: %s." % name)
        tags = dict(item.split("=", 1) for item in query.get("tags", "").split(",") if "=" in item)
        sort = query.get("sort_by", "publish_at")
        reverse = query.get("order", "desc") == "desc"
        if set(query) <= {"offset", "limit", "order"} and sort == "publish_at":  # unfiltered, in the default order
            selected = fleet.in_order(services, "publish_at", lambda s: (s["publish_at"], s["service_id"]), reverse,
                                      keep=lambda s: s["workspace_id"] == "0")
        else:
            selected = [s for s in services
                        if all(str(s.get(k)) == query[k] for k in ("service_id", "service_name", "infer_type",
                                                                   "status") if k in query)
                        and s["workspace_id"] == query.get("workspace_id", "0")
                        and ("model_id" not in query or any(c["model_id"] == query["model_id"]
                                                            for c in s["_detail"]["config"]))
                        and all({"key": k, "value": v} in s["tags"] for k, v in tags.items())]
            selected.sort(key=lambda s: (s[sort], s["service_id"]), reverse=reverse)
        start = offset * limit if self.offset_mode == "pages" else offset
        page = [public(s) for s in selected[start:start + limit]]
        return {"total_count": len(selected), "count": len(page), "services": page}

    def _list_fabric(self, workspace: str, query: dict[str, str]) -> dict[str, t.Any]:
        if not NAME.match(workspace):
            raise HuaweiError(400, "common.01000001", "workspace_id is invalid")
        for name in sorted(query):
            if name not in FABRIC_QUERY:
                raise HuaweiError(400, "common.01000001", "failed to read http request, please check your input, "
                                                          "code: 400, reason: unknown parameter %s" % name)
        offset, limit = _int(query, "offset", 0, 0, 10 ** 9), _int(query, "limit", 10, 1, 100)
        for name in ("id", "endpoint_id", "source_id", "version_id"):
            if name in query and not NAME.match(query[name]):
                raise HuaweiError(400, "common.01000001", "%s is invalid: 1 to 36 letters, digits and hyphens" % name)
        if "name" in query and not SEARCH.match(query["name"]):
            raise HuaweiError(400, "common.01000001", "name is invalid: 1 to 64 letters, digits, hyphens (-), "
                                                      "underscores (_), periods (.) and spaces")
        for name, allowed in FABRIC_QUERY.items():
            if allowed and name in query and query[name] not in allowed:
                raise HuaweiError(400, "common.01000001", "failed to read http request, please check your input, "
                                                          "code: 400, reason: %s is invalid" % name)
        field = {"CREATE_TIME": "create_time", "DURATION": "duration"}[query.get("sort_by", "CREATE_TIME")]
        reverse = query.get("order_by", "DESC") == "DESC"
        if set(query) <= {"offset", "limit", "order_by"} and field == "create_time":  # unfiltered, the default order
            selected = fleet.in_order(self.fabric_instances(workspace), "create_time",
                                      lambda i: (i["create_time"], i["id"]), reverse)
        else:
            selected = [i for i in self.fabric_instances(workspace)
                        if all(str(i.get(k)) == query[k] for k in ("id", "endpoint_id", "type", "visibility")
                               if k in query)
                        and query.get("name", "").lower() in i["name"].lower()
                        and query.get("source_id", i["source"]["id"]) == i["source"]["id"]
                        and query.get("version_id", i["source"]["version_id"]) == i["source"]["version_id"]]
            selected.sort(key=lambda i: (i[field], i["id"]), reverse=reverse)
        return {"total": len(selected), "service_instances": selected[offset:offset + limit]}


def public(service: dict[str, t.Any]) -> dict[str, t.Any]:
    """A service without the emulator's own bookkeeping."""
    return {k: v for k, v in service.items() if not k.startswith("_")}


def _int(query: dict[str, str], name: str, default: int, low: int, high: int | None) -> int:
    try:
        value = int(query.get(name, default))
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        raise HuaweiError(400, "ModelArts.0101" if high is None else "common.01000001",
                          "Invalid Argument: %s must be %d%s." % (name, low, " to %d" % high if high else " or more"))
    return value
