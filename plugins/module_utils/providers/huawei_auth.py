# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud authentication, shared by ModelArts and DataArts Fabric (Huawei Cloud and Open Telekom Cloud).

Private to modelserving.cloud: this module may change without notice.

Three ways to authenticate, in this order of precedence when several are given:

1. ``access_key`` + ``secret_key`` (+ ``security_token`` for temporary keys): every request is signed with
   SDK-HMAC-SHA256, as huaweicloudsdkcore does (docs/docsite/rst/wire.rst B.4);
2. ``auth_token``: a ready IAM token, sent as ``X-Auth-Token``;
3. ``username`` + ``password`` + ``domain_name``: an IAM token is requested (``POST /v3/auth/tokens``, scoped to
   ``project_id``, else ``project_name``, else the project named after the region), kept for the run and
   requested again shortly before it expires.

The project id, needed in ModelArts paths and sent as ``X-Project-Id``, is ``project_id`` when given, the token's
project for password auth, and otherwise looked up once per run with ``GET /v3/projects?name=<project_name or
region>`` (docs/docsite/rst/wire.rst B.6).

With ``agency_name``, whichever of the three is given only asks IAM for the agency's temporary AK/SK (``POST
/v3.0/OS-CREDENTIAL/securitytokens``, ``assume_role``; docs/docsite/rst/wire.rst B.9), which then sign every request
and are fetched again before they expire.
"""

from __future__ import annotations

import configparser
import datetime
import hashlib
import hmac
import json
import os
import re
import threading
import typing as t
from urllib.parse import quote, unquote

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, AuthError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    CallContext, MetadataService, canonical_query)

ALGORITHM = "SDK-HMAC-SHA256"
IAM_ENDPOINTS = {"huaweicloud": "https://iam.{region}.myhuaweicloud.com",
                 "otc": "https://iam.{region}.otc.t-systems.com"}
REFRESH_MARGIN = datetime.timedelta(minutes=10)

# The credential options, with the environment variables read for each: the SDK's names first, then the
# names openstack and opentelekomcloud tooling use.
AUTH_OPTIONS: dict[str, dict[str, t.Any]] = {
    "access_key": {"env": ["HUAWEICLOUD_SDK_AK", "OS_ACCESS_KEY"], "no_log": False},
    "secret_key": {"env": ["HUAWEICLOUD_SDK_SK", "OS_SECRET_KEY"], "no_log": True},
    "security_token": {"env": ["HUAWEICLOUD_SDK_SECURITY_TOKEN", "OS_SECURITY_TOKEN"], "no_log": True},
    # The token alone names the account: an inventory cache key holds its SHA-256 (tokens are long and random).
    "auth_token": {"env": ["OS_AUTH_TOKEN"], "no_log": True, "identifies": True},
    "username": {"env": ["OS_USERNAME"]},
    "password": {"env": ["OS_PASSWORD"], "no_log": True},
    "domain_name": {"env": ["OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"]},
    "project_id": {"env": ["HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID"]},
    "project_name": {"env": ["OS_PROJECT_NAME"]},
    "region": {"env": ["HUAWEICLOUD_SDK_REGION", "OS_REGION_NAME"]},
    "cloud": {"choices": ["huaweicloud", "otc"], "default": "huaweicloud"},
    "endpoint": {},
    "iam_endpoint": {"env": ["HUAWEICLOUD_SDK_IAM_ENDPOINT", "OS_AUTH_URL"]},
    # The caller's account ID, which IAM wants (X-Domain-Id) when AK/SK sign a call to it; looked up if not given.
    "domain_id": {"env": ["HUAWEICLOUD_SDK_DOMAIN_ID"]},
    # An agency to assume (IAM assume_role): the collection's own variable names, the SDK has none.
    "agency_name": {"env": ["HUAWEICLOUD_AGENCY_NAME"]},
    "agency_domain_name": {"env": ["HUAWEICLOUD_AGENCY_DOMAIN_NAME"]},
    "agency_domain_id": {"env": ["HUAWEICLOUD_AGENCY_DOMAIN_ID"]},
    "agency_duration_seconds": {"type": "int", "default": 3600},
    "agency_session_user": {},
    # Where credentials come from when none are given: an OpenStack clouds.yaml entry, the SDK's credentials file.
    "os_cloud": {"env": ["OS_CLOUD"]},
    "os_client_config_file": {"type": "path", "env": ["OS_CLIENT_CONFIG_FILE"]},
    "credentials_file": {"type": "path", "env": ["HUAWEICLOUD_SDK_CREDENTIALS_FILE"]},
    "instance_metadata": {"type": "bool", "default": False},
}
CREDENTIALS_FILE = os.path.join("~", ".huaweicloud", "credentials")
CLOUDS_YAML = ("clouds.yaml", os.path.join("~", ".config", "openstack", "clouds.yaml"),
               os.path.join(os.sep, "etc", "openstack", "clouds.yaml"))
GIVEN = ("access_key", "secret_key", "auth_token", "username", "password", "instance_metadata")
AGENCY_DURATION = (900, 86400)
AUTH_HINT = ("Check access_key and secret_key (or auth_token, or username, password and domain_name), the "
             "project, the IAM permissions, and that this machine's clock is right")
AUTH_CODES = frozenset(("APIGW.0301", "APIGW.0303", "APIGW.0101", "APIGW.0302", "APIGW.0305", "APIGW.0306",
                        "ModelArts.0203", "ModelArts.0207", "ModelArts.0212", "IAM.0001", "401", "403"))
RETRY_CODES = frozenset(("APIGW.0308", "APIG.0308", "ModelArts.0108"))


def canonical_uri(path: str) -> str:
    """Re-encode each segment keeping only ``~``, and end with ``/``, as the wire path does not (docs/docsite/rst/wire.rst B.4
    step 5)."""
    uri = "/".join(quote(segment, safe="~") for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def aksk_authorization(method: str, path: str, query: str, headers: t.Mapping[str, str], body: bytes,
                       access_key: str, secret_key: str) -> tuple[str, str]:
    """Sign as huaweicloudsdkcore's signer does (docs/docsite/rst/wire.rst B.4); return (string to sign, Authorization).

    Every header given is signed except names holding ``_``; ``X-Sdk-Date`` must be among them.
    :param query: the canonical query string, which is also the wire query.
    """
    values = {name.lower(): str(value).strip() for name, value in headers.items() if "_" not in name}
    names = sorted(values)
    canonical_request = "\n".join((
        method,
        canonical_uri(path),
        query,
        "".join("%s:%s\n" % (name, values[name]) for name in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ))
    to_sign = "\n".join((ALGORITHM, values["x-sdk-date"],
                         hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()))
    signature = hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (ALGORITHM, access_key, ";".join(names), signature)
    return to_sign, authorization


class AkSkSigner:
    """Signs each attempt with a fresh ``X-Sdk-Date`` and the keys its credentials give at that moment (temporary
    keys are refreshed ahead of their expiry); adds ``X-Project-Id``, ``X-Domain-Id`` and ``X-Security-Token`` when
    known."""

    identity = ""  # what the keys are, for messages: "AK <access key>"

    def __init__(self, keys: t.Any, project_id: str | None = None, transport: t.Any = None,
                 domain_id: str | None = None) -> None:
        self.keys = keys
        self.project_id = project_id
        self.transport = transport
        self.domain_id = domain_id

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        keys = self.keys.get(self.transport)
        # The SDK sends Content-Type: application/json even on GET, and signs it.
        headers.setdefault("content-type", "application/json")
        headers["x-sdk-date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        if self.project_id:
            headers["x-project-id"] = self.project_id
        if self.domain_id:
            headers["x-domain-id"] = self.domain_id
        if keys.security_token:
            headers["x-security-token"] = keys.security_token
        headers["authorization"] = aksk_authorization(method, path, query, headers, body, keys.access_key_id,
                                                      keys.secret)[1]


class TokenSigner:
    """Sends an IAM token as ``X-Auth-Token``; ``token`` is called for every attempt so it can be refreshed."""

    identity = ""  # what the token is, for messages

    def __init__(self, token: t.Callable[[], str], project_id: str | None = None) -> None:
        self.token = token
        self.project_id = project_id

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        headers["content-type"] = "application/json"
        headers["x-auth-token"] = self.token()


class _NoSigner:
    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        headers["content-type"] = "application/json;charset=utf8"


def read_error(status: int, headers: t.Mapping[str, str], data: t.Any) -> tuple[str | None, str, str | None]:
    """Read a Huawei error body: ``error_code``/``error_msg``, ``errorCode``/``errorMsg``, ``code``/``message``, or
    IAM's nested ``{"error": {"code", "message"}}`` (docs/docsite/rst/wire.rst B.8); the request id from the body or
    ``X-Request-Id``."""
    body = data if isinstance(data, dict) else {}
    nested = body.get("error") if isinstance(body.get("error"), dict) else {}
    code = body.get("error_code") or body.get("errorCode") or body.get("code") or nested.get("code")
    message = (body.get("error_msg") or body.get("errorMsg") or body.get("message") or nested.get("message")
               or "HTTP %d" % status)
    request_id = body.get("request_id") or headers.get("X-Request-Id") or headers.get("x-request-id")
    return (str(code) if code is not None else None), str(message), request_id


class _TokenCache:
    """IAM tokens obtained with a password, per IAM endpoint, user and scope, for the life of the process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: dict[tuple[str, ...], tuple[str, str, datetime.datetime]] = {}


_TOKENS = _TokenCache()
_PROJECTS: dict[tuple[str, ...], str] = {}


def iam_url(params: t.Mapping[str, t.Any]) -> str:
    """The IAM endpoint: ``iam_endpoint`` (``/v3`` at its end is dropped, as in ``OS_AUTH_URL``) or the cloud's."""
    url = params.get("iam_endpoint")
    if url:
        url = str(url).rstrip("/")
        if url.endswith("/v3"):
            url = url[:-3]
        return url if "://" in url else "https://" + url
    if not params.get("region"):
        raise ConfigError("no region given", operation="authenticate", hint="Set region (or OS_REGION_NAME), or "
                          "project_id and iam_endpoint")
    return IAM_ENDPOINTS[params.get("cloud") or "huaweicloud"].format(region=params["region"])


def _iam_context(provider: str, region: str | None, operation: str = "authenticate with IAM") -> CallContext:
    return CallContext(provider=provider, region=region, operation=operation,
                       retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error, auth_hint=AUTH_HINT)


def _project_id(params: t.Mapping[str, t.Any], transport: t.Any, signer: t.Any, provider: str, key: str) -> str:
    """Look the project up by name, once per run (docs/docsite/rst/wire.rst B.6)."""
    name = params.get("project_name") or params.get("region")
    if not name:
        raise ConfigError("no project_id, project_name or region given", provider=provider,
                          operation="authenticate with IAM", hint="Set project_id or region")
    cache_key = (iam_url(params), key, name)
    if cache_key not in _PROJECTS:
        try:
            reply = transport.request(_iam_context(provider, params.get("region"), "find the project"), "GET",
                                      iam_url(params), "/v3/projects", canonical_query({"name": name}), signer)
        except ApiError as exc:
            if exc.status is None:  # IAM could not be reached: say how to do without it
                exc.hint = ("Set project_id, and no project lookup is made; or set iam_endpoint if IAM for these "
                            "credentials is not at %s" % iam_url(params))
            raise
        projects = [p for p in reply.data.get("projects") or [] if isinstance(p, dict) and p.get("id")]
        if len(projects) != 1:
            raise AuthError("%s projects are named %r" % (len(projects) or "no", name), provider=provider,
                            region=params.get("region"), operation="find the project",
                            hint="Set project_id, or project_name to a project these credentials can see")
        _PROJECTS[cache_key] = str(projects[0]["id"])
    return _PROJECTS[cache_key]


def _password_token(params: t.Mapping[str, t.Any], transport: t.Any, provider: str) -> tuple[str, str]:
    """Return an IAM token and its project id, from the cache while it is fresh."""
    if params.get("project_id"):
        scope: dict[str, t.Any] = {"project": {"id": params["project_id"]}}
    elif params.get("project_name") or params.get("region"):
        scope = {"project": {"name": params.get("project_name") or params["region"]}}
    else:
        raise ConfigError("no project_id, project_name or region given", provider=provider,
                          operation="authenticate with IAM", hint="Set project_id or region")
    key = (iam_url(params), str(params["domain_name"]), str(params["username"]), json.dumps(scope, sort_keys=True))
    now = datetime.datetime.now(datetime.timezone.utc)
    with _TOKENS.lock:
        cached = _TOKENS.tokens.get(key)
        if cached and cached[2] - REFRESH_MARGIN > now:
            return cached[0], cached[1]
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": params["username"], "password": params["password"], "domain": {"name": params["domain_name"]}}}},
            "scope": scope}}).encode("utf-8")
        reply = transport.request(_iam_context(provider, params.get("region")), "POST", iam_url(params),
                                  "/v3/auth/tokens", "nocatalog=true", _NoSigner(), body=body)
        token = reply.headers.get("X-Subject-Token")
        info = reply.data.get("token") if isinstance(reply.data.get("token"), dict) else {}
        project = (info.get("project") or {}).get("id")
        if not token or not project:
            raise AuthError("IAM issued no project-scoped token", provider=provider, region=params.get("region"),
                            operation="authenticate with IAM", hint="Scope the token to a project (project_id)")
        try:
            expires = datetime.datetime.strptime(str(info.get("expires_at"))[:19], "%Y-%m-%dT%H:%M:%S").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            expires = now + datetime.timedelta(hours=1)
        _TOKENS.tokens[key] = (token, str(project), expires)
        return token, str(project)


def from_files(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
    """When no credentials are given: those of the ``os_cloud`` entry of a clouds.yaml, else those of the SDK's
    credentials file (``[basic]`` of ``credentials_file``, by default ~/.huaweicloud/credentials), filling only the
    options not set. Anything else is returned as it is."""
    if any(params.get(name) for name in GIVEN):
        return params
    if params.get("os_cloud"):
        return _from_clouds_yaml(params, provider)
    path = os.path.expanduser(str(params.get("credentials_file") or CREDENTIALS_FILE))
    if not os.path.exists(path):
        if params.get("credentials_file"):
            raise ConfigError("the credentials file %s does not exist" % path, provider=provider,
                              operation="read the credentials file")
        return params
    where = {"provider": provider, "region": params.get("region"),
             "operation": "read the credentials file %s" % path}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("it cannot be read: %s" % (getattr(exc, "strerror", None) or type(exc).__name__),
                          **where) from None
    except configparser.Error as exc:  # its text quotes the line, which may hold the secret key: not shown
        raise ConfigError("it is not an INI file (%s%s)" % (type(exc).__name__, ", line %s" % exc.lineno if getattr(
            exc, "lineno", None) else ""), **where) from None
    if not parser.has_section("basic"):
        raise ConfigError("it has no [basic] section", **where)
    basic = dict(parser.items("basic"))
    if not (basic.get("ak") and basic.get("sk")):
        raise ConfigError("its [basic] section has no ak and sk", **where)
    found = {"access_key": basic["ak"], "secret_key": basic["sk"], "security_token": basic.get("security_token"),
             "project_id": basic.get("project_id"), "domain_id": basic.get("domain_id"),
             "iam_endpoint": basic.get("iam_endpoint")}
    return dict(params, **{k: v for k, v in found.items() if v and not params.get(k)})


def _from_clouds_yaml(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
    """The entry ``os_cloud`` of the first clouds.yaml found where openstacksdk looks (``os_client_config_file``
    first): password, token or AK/SK under ``auth``, the project, ``auth_url`` as the IAM endpoint, ``region_name``.
    An ``auth_url`` on otc.t-systems.com means Open Telekom Cloud."""
    name = str(params["os_cloud"])
    candidates = [params["os_client_config_file"]] if params.get("os_client_config_file") else list(CLOUDS_YAML)
    path = next((os.path.expanduser(str(c)) for c in candidates if os.path.exists(os.path.expanduser(str(c)))), None)
    where = {"provider": provider, "region": params.get("region"),
             "operation": "read the clouds.yaml entry %s" % name}
    if path is None:
        raise ConfigError("os_cloud is %r, but there is no clouds.yaml at %s" % (name, ", ".join(
            str(c) for c in candidates)), hint="Set os_client_config_file (OS_CLIENT_CONFIG_FILE)", **where)
    import yaml  # pylint: disable=import-outside-toplevel  # ansible-core's own dependency
    try:
        with open(path, encoding="utf-8") as handle:
            # Every scalar as the text written: an unquoted project ID 0123... is not the octal number 83.
            document = yaml.load(handle, Loader=yaml.BaseLoader)  # nosec B506
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("%s cannot be read: %s" % (path, getattr(exc, "strerror", None) or type(exc).__name__),
                          **where) from None
    except yaml.YAMLError as exc:  # its text may quote a line with a password: only where it is
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError("%s is not YAML (%s%s)" % (path, type(exc).__name__, ", line %d" % (mark.line + 1)
                                                     if mark else ""), **where) from None
    clouds = document.get("clouds") if isinstance(document, dict) else None
    if not isinstance(clouds, dict):
        raise ConfigError("%s has no clouds mapping" % path, **where)
    cloud = clouds.get(name)
    if not isinstance(cloud, dict):
        raise ConfigError("%s has no cloud %r (clouds: %s)" % (path, name, ", ".join(sorted(clouds)) or "none"),
                          **where)
    auth = cloud.get("auth") if isinstance(cloud.get("auth"), dict) else {}
    found = {"access_key": auth.get("ak") or auth.get("access_key"),
             "secret_key": auth.get("sk") or auth.get("secret_key"),
             "security_token": auth.get("security_token"), "auth_token": auth.get("token"),
             "username": auth.get("username"), "password": auth.get("password"),
             "domain_name": auth.get("user_domain_name") or auth.get("domain_name"),
             "project_id": auth.get("project_id"), "project_name": auth.get("project_name"),
             "iam_endpoint": auth.get("auth_url"), "region": cloud.get("region_name")}
    merged = dict(params, **{k: str(v) for k, v in found.items() if v and not params.get(k)})
    if (params.get("cloud") or "huaweicloud") == "huaweicloud" and ".otc.t-systems.com" in str(
            auth.get("auth_url") or ""):
        merged["cloud"] = "otc"
    return merged


def signer(params: t.Mapping[str, t.Any], transport: t.Any, provider: str = "huawei") -> t.Any:
    """Build the signer for the first complete way to authenticate (see the module docstring), or, with
    ``agency_name``, the signer of the agency's temporary keys, fetched with it."""
    if not params.get("agency_name"):
        return _base_signer(params, transport, provider, project=True)
    # The base credentials only call IAM, in their own account: no project of theirs is needed, and the project
    # options name the agency's.
    base_params = dict(params, project_id=None, project_name=None)
    base = _base_signer(base_params, transport, provider, project=False)
    keys = agency_keys(params, base, transport, provider)
    aksk = AkSkSigner(keys, params.get("project_id"), transport)
    if not aksk.project_id:
        aksk.project_id = _project_id(params, transport, aksk, provider, "agency %s/%s %s" % (
            _agency_domain(params), params["agency_name"], base.identity))
    return aksk


def _base_signer(params: t.Mapping[str, t.Any], transport: t.Any, provider: str, project: bool) -> t.Any:
    """The signer of the credentials given; with ``project``, one that knows the project of the region."""
    access_key, secret_key = params.get("access_key"), params.get("secret_key")
    if access_key or secret_key:
        if not (access_key and secret_key):
            raise ConfigError("access_key and secret_key go together; %s is missing" % (
                "secret_key" if access_key else "access_key"), provider=provider, operation="authenticate",
                hint="Set both, or the environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
        keys = credentials.FixedKeys(credentials.Keys(access_key, secret_key, params.get("security_token")))
        return _aksk_signer(params, transport, provider, project, keys, "AK %s" % access_key, access_key)
    if params.get("auth_token"):
        token = str(params["auth_token"])
        ready = TokenSigner(lambda: token, params.get("project_id"))
        ready.identity = "an IAM token"
        if project and not ready.project_id:
            ready.project_id = _project_id(params, transport, ready, provider, hashlib.sha256(
                token.encode("utf-8")).hexdigest())
        return ready
    if params.get("username") or params.get("password"):
        missing = [name for name in ("username", "password", "domain_name") if not params.get(name)]
        if missing:
            raise ConfigError("password authentication needs %s" % " and ".join(missing), provider=provider,
                              operation="authenticate", hint="Set username, password and domain_name (the account)")
        project_id = _password_token(params, transport, provider)[1]
        user = TokenSigner(lambda: _password_token(params, transport, provider)[0], project_id)
        user.identity = "IAM user %s/%s" % (params["domain_name"], params["username"])
        return user
    if params.get("instance_metadata"):
        return _aksk_signer(params, transport, provider, project, metadata_keys(params, provider),
                            "the ECS instance's keys", "instance-metadata")
    raise ConfigError("no credentials given", provider=provider, operation="authenticate",
                      hint="Set access_key and secret_key (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK), or auth_token "
                           "(OS_AUTH_TOKEN), or username, password and domain_name (OS_USERNAME, OS_PASSWORD, "
                           "OS_USER_DOMAIN_NAME), or os_cloud (OS_CLOUD), or a credentials file "
                           "(~/.huaweicloud/credentials), or, on an ECS instance, instance_metadata: true")


def _aksk_signer(params: t.Mapping[str, t.Any], transport: t.Any, provider: str, project: bool, keys: t.Any,
                 identity: str, key: str) -> AkSkSigner:
    """An AK/SK signer; with ``project``, one that knows the project of the region, else one that names its
    account, for calls to IAM itself."""
    aksk = AkSkSigner(keys, params.get("project_id"), transport)
    aksk.identity = identity
    if project and not aksk.project_id:
        aksk.project_id = _project_id(params, transport, aksk, provider, key)
    if not project:  # a call to IAM itself, which AK/SK sign with the account ID, as the SDK does
        aksk.domain_id = params.get("domain_id") or _domain_id(params, transport, aksk, provider, key)
    return aksk


HUAWEI_METADATA = "http://169.254.169.254"


def metadata_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """The ECS instance's temporary AK/SK (the agency it runs with) from its metadata service: a metadata token
    first (without one, the plain request), then ``/openstack/latest/securitykey``. A machine without the service
    learns it in about a second."""
    url = HUAWEI_METADATA
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="get the ECS instance's keys from the instance metadata at %s" % url,
                      retry_codes=frozenset(), auth_codes=frozenset(), read_error=read_error)

    def fetch(_transport: t.Any) -> credentials.Keys:
        with MetadataService(ctx, url, "/meta-data/latest/api/token", "x-metadata-token-ttl-seconds",
                             "x-metadata-token", "This is not an ECS instance, or its metadata service is off: give "
                             "credentials instead") as service:
            return _read_credential(service.get("/openstack/latest/securitykey"), ctx)

    return credentials.shared(("huawei-metadata", url), lambda: credentials.RefreshingKeys(
        fetch, label="the ECS instance's keys"))


_DOMAINS: dict[tuple[str, ...], str] = {}


def _domain_id(params: t.Mapping[str, t.Any], transport: t.Any, aksk: AkSkSigner, provider: str, key: str) -> str:
    """The account ID of AK/SK, from ``GET /v3/auth/domains``, once per process (as the SDK's global credentials
    find it)."""
    cache_key = (iam_url(params), key)
    if cache_key not in _DOMAINS:
        reply = transport.request(_iam_context(provider, params.get("region"), "find the account of AK %s" % key),
                                  "GET", iam_url(params), "/v3/auth/domains", "", aksk)
        domains = [d for d in reply.data.get("domains") or [] if isinstance(d, dict) and d.get("id")]
        if len(domains) != 1:
            raise AuthError("IAM names %d accounts for these keys" % len(domains), provider=provider,
                            region=params.get("region"), operation="find the account of AK %s" % key,
                            hint="Set domain_id (HUAWEICLOUD_SDK_DOMAIN_ID), the account ID of the keys")
        _DOMAINS[cache_key] = str(domains[0]["id"])
    return _DOMAINS[cache_key]


def _agency_domain(params: t.Mapping[str, t.Any]) -> str:
    return str(params.get("agency_domain_name") or params.get("agency_domain_id") or "")


def check_agency(params: t.Mapping[str, t.Any], provider: str) -> None:
    """Refuse agency options IAM would refuse, before anything is sent."""
    where = {"provider": provider, "region": params.get("region"), "operation": "read the agency options"}
    if not (params.get("agency_domain_name") or params.get("agency_domain_id")):
        raise ConfigError("agency_name needs agency_domain_name or agency_domain_id, the account that owns the "
                          "agency", **where)
    duration = params.get("agency_duration_seconds") or 3600
    if not AGENCY_DURATION[0] <= duration <= AGENCY_DURATION[1]:
        raise ConfigError("agency_duration_seconds is %s; IAM allows %d to %d" % (
            duration, AGENCY_DURATION[0], AGENCY_DURATION[1]), **where)
    user = params.get("agency_session_user")
    if user and not re.match(r"^[A-Za-z][A-Za-z0-9_-]{4,63}$", str(user)):
        raise ConfigError("agency_session_user %r must be 5 to 64 letters, digits, '-' or '_', starting with a "
                          "letter" % user, **where)


def agency_keys(params: t.Mapping[str, t.Any], base: t.Any, transport: t.Any,
                provider: str) -> credentials.RefreshingKeys:
    """The temporary AK/SK of ``agency_name``, asked for with the ``base`` signer: one session per process for the
    same base credentials and agency, fetched again ahead of expiry."""
    check_agency(params, provider)
    assume: dict[str, t.Any] = {"agency_name": params["agency_name"]}
    if params.get("agency_domain_name"):
        assume["domain_name"] = params["agency_domain_name"]
    else:
        assume["domain_id"] = params["agency_domain_id"]
    assume["duration_seconds"] = params.get("agency_duration_seconds") or 3600
    if params.get("agency_session_user"):
        assume["session_user"] = {"name": params["agency_session_user"]}
    # As the SDK writes it (docs/docsite/rst/wire.rst B.9): its key order, json's default separators.
    body = json.dumps({"auth": {"identity": {"methods": ["assume_role"], "assume_role": assume}}}).encode("utf-8")
    url = iam_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume agency %s of account %s with %s" % (
                          params["agency_name"], _agency_domain(params), base.identity),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error,
                      auth_hint="Check that the agency exists in that account, that it delegates to the account of "
                                "these credentials, and that they may assume it (iam:agencies:assume)")

    def fetch(transport_: t.Any) -> credentials.Keys:
        reply = transport_.request(ctx, "POST", url, "/v3.0/OS-CREDENTIAL/securitytokens", "", base, body=body,
                                   headers={"content-type": "application/json;charset=utf-8"})
        return _read_credential(reply, ctx)

    key = ("huawei-agency", url, base.identity, credentials.fingerprint(*_secrets(params)), body)
    return credentials.shared(key, lambda: credentials.RefreshingKeys(fetch))


def _read_credential(reply: t.Any, ctx: CallContext) -> credentials.Keys:
    """The temporary AK/SK of an IAM or metadata reply, ``{"credential": {"access", "secret", "securitytoken",
    "expires_at"}}``, or an error saying the reply lacks them."""
    found = reply.data.get("credential") if isinstance(reply.data, dict) else None
    try:
        expires = datetime.datetime.strptime(str(found["expires_at"])[:19], "%Y-%m-%dT%H:%M:%S").replace(
            tzinfo=datetime.timezone.utc)
        return credentials.Keys(str(found["access"]), str(found["secret"]), str(found["securitytoken"]),
                                expires.timestamp())
    except (TypeError, KeyError, ValueError):
        raise ApiError("the reply has no credential with access, secret, securitytoken and expires_at",
                       provider=ctx.provider, region=ctx.region, operation=ctx.operation,
                       status=reply.status) from None


def _secrets(params: t.Mapping[str, t.Any]) -> tuple[str | None, ...]:
    return tuple(params.get(name) for name in ("secret_key", "security_token", "auth_token", "password"))
