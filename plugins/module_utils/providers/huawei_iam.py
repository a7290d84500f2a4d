# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud IAM: the endpoint, tokens from a password, the project and account of credentials, agencies
(temporary AK/SK of another account's agency) and the ECS instance's own keys.

Private to modelserving.cloud: this module may change without notice.

Everything asked of IAM is asked once per process for the same credentials and kept in memory (projects, accounts)
or until shortly before it expires (tokens, temporary keys).
"""

from __future__ import annotations

import json
import re
import threading
import time
import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, AuthError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers.huawei_signer import (
    AUTH_CODES,
    AUTH_HINT,
    RETRY_CODES,
    AkSkSigner,
    HuaweiSigner,
    read_error,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    CallContext,
    Reply,
    Transport,
    Unsigned,
    canonical_query,
    url_of,
)

# A password token request carries no signature: the JSON content type is all it needs.
JSON_BODY = Unsigned({"content-type": "application/json;charset=utf8"})
IAM_ENDPOINTS = {"huaweicloud": "https://iam.{region}.myhuaweicloud.com",
                 "otc": "https://iam.{region}.otc.t-systems.com"}
REFRESH_MARGIN = 10 * 60  # seconds before its expiry when a password token is requested again
AGENCY_DURATION = (900, 86400)


class _TokenCache:
    """IAM tokens obtained with a password, per IAM endpoint, user and scope, for the life of the process.

    Each key has a lock of its own, held while its token is requested: threads wanting the same token wait for one
    request, and a slow IAM endpoint never holds up the tokens of other accounts.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards the two dictionaries only, never held across a request
        self.locks: dict[tuple[str, ...], threading.Lock] = {}
        self.tokens: dict[tuple[str, ...], tuple[str, str, float]] = {}

    def lock_for(self, key: tuple[str, ...]) -> threading.Lock:
        with self.lock:
            return self.locks.setdefault(key, threading.Lock())


_TOKENS = _TokenCache()
_PROJECTS: dict[tuple[str, ...], str] = {}


def iam_url(params: t.Mapping[str, t.Any]) -> str:
    """The IAM endpoint: ``iam_endpoint`` (``/v3`` at its end is dropped, as in ``OS_AUTH_URL``) or the cloud's."""
    if params.get("iam_endpoint"):
        url = url_of(params["iam_endpoint"])
        return url[:-3] if url.endswith("/v3") else url
    if not params.get("region"):
        raise ConfigError("no region given", operation="authenticate", hint="Set region (or OS_REGION_NAME), or "
                          "project_id and iam_endpoint")
    return IAM_ENDPOINTS[params.get("cloud") or "huaweicloud"].format(region=params["region"])


def _iam_context(provider: str, region: str | None, operation: str = "authenticate with IAM") -> CallContext:
    return CallContext(provider=provider, region=region, operation=operation,
                       retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error, auth_hint=AUTH_HINT)


def project_of(params: t.Mapping[str, t.Any], transport: Transport, signer: HuaweiSigner, provider: str,
               key: str) -> str:
    """Look the project up by name, once per run (docs/docsite/rst/wire.rst B.6)."""
    name = params.get("project_name") or params.get("region")
    if not name:
        raise ConfigError("no project_id, project_name or region given", provider=provider,
                          operation="authenticate with IAM", hint="Set project_id or region")
    cache_key = (iam_url(params), key, name)
    if cache_key not in _PROJECTS:
        ctx = _iam_context(provider, params.get("region"), "find the project")
        try:
            reply = transport.request(ctx, "GET", iam_url(params), "/v3/projects", canonical_query({"name": name}),
                                      signer)
        except ApiError as exc:
            # IAM could not be reached: say how to do without it. (An error of the signer's own keys, such as an
            # instance metadata service that does not answer, keeps its hint.)
            if exc.status is None and exc.operation == ctx.operation:
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


def password_token(params: t.Mapping[str, t.Any], transport: Transport, provider: str) -> tuple[str, str]:
    """Return an IAM token and its project id, from the cache while it is fresh."""
    if params.get("project_id"):
        scope: dict[str, t.Any] = {"project": {"id": params["project_id"]}}
    elif params.get("project_name") or params.get("region"):
        scope = {"project": {"name": params.get("project_name") or params["region"]}}
    else:
        raise ConfigError("no project_id, project_name or region given", provider=provider,
                          operation="authenticate with IAM", hint="Set project_id or region")
    key = (iam_url(params), str(params["domain_name"]), str(params["username"]), json.dumps(scope, sort_keys=True),
           credentials.fingerprint(params.get("password")))  # another password is another token, never a shared one
    with _TOKENS.lock_for(key):
        cached = _TOKENS.tokens.get(key)
        if cached and cached[2] - REFRESH_MARGIN > time.time():
            return cached[0], cached[1]
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": params["username"], "password": params["password"], "domain": {"name": params["domain_name"]}}}},
            "scope": scope}}).encode("utf-8")
        reply = transport.request(_iam_context(provider, params.get("region")), "POST", iam_url(params),
                                  "/v3/auth/tokens", "nocatalog=true", JSON_BODY, body=body)
        token = reply.headers.get("X-Subject-Token")
        info = reply.data.get("token") if isinstance(reply.data.get("token"), dict) else {}
        project = (info.get("project") or {}).get("id")
        if not token or not project:
            raise AuthError("IAM issued no project-scoped token", provider=provider, region=params.get("region"),
                            operation="authenticate with IAM", hint="Scope the token to a project (project_id)")
        try:
            expires = credentials.expiry(info.get("expires_at"))
        except ValueError:  # IAM tokens last 24 hours; an unreadable expiry is taken as one hour
            expires = time.time() + 3600
        _TOKENS.tokens[key] = (token, str(project), expires)
        return token, str(project)


_DOMAINS: dict[tuple[str, ...], str] = {}


def domain_of(params: t.Mapping[str, t.Any], transport: Transport, aksk: AkSkSigner, provider: str, key: str) -> str:
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


def agency_domain(params: t.Mapping[str, t.Any]) -> str:
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


def agency_keys(params: t.Mapping[str, t.Any], base: HuaweiSigner, transport: Transport,
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
                          params["agency_name"], agency_domain(params), base.identity),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error,
                      auth_hint="Check that the agency exists in that account, that it delegates to the account of "
                                "these credentials, and that they may assume it (iam:agencies:assume)")

    def fetch(transport_: Transport) -> credentials.Keys:
        reply = transport_.request(ctx, "POST", url, "/v3.0/OS-CREDENTIAL/securitytokens", "", base, body=body,
                                   headers={"content-type": "application/json;charset=utf-8"})
        return read_credential(reply, ctx)

    key = ("huawei-agency", url, base.identity, credentials.fingerprint(*_secrets(params)), body)
    return credentials.shared(key, lambda: credentials.RefreshingKeys(fetch))


HUAWEI_METADATA = "http://169.254.169.254"


def metadata_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """The ECS instance's temporary AK/SK (the agency it runs with) from its metadata service: a metadata token
    first (without one, the plain request), then ``/openstack/latest/securitykey``. A machine without the service
    learns it in about a second."""
    url = HUAWEI_METADATA
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="get the ECS instance's keys from the instance metadata at %s" % url,
                      retry_codes=frozenset(), auth_codes=frozenset(), read_error=read_error)

    def fetch(_transport: Transport) -> credentials.Keys:
        with credentials.MetadataService(
                ctx, url, "/meta-data/latest/api/token", "x-metadata-token-ttl-seconds", "x-metadata-token",
                "This is not an ECS instance, or its metadata service is off: give credentials instead") as service:
            return read_credential(service.get("/openstack/latest/securitykey"), ctx)

    return credentials.shared(("huawei-metadata", url), lambda: credentials.RefreshingKeys(
        fetch, label="the ECS instance's keys"))


def read_credential(reply: Reply, ctx: CallContext) -> credentials.Keys:
    """The temporary AK/SK of an IAM or metadata reply, ``{"credential": {"access", "secret", "securitytoken",
    "expires_at"}}``, or an error saying the reply lacks them."""
    found = reply.data.get("credential") if isinstance(reply.data, dict) else None
    try:
        return credentials.Keys(str(found["access"]), str(found["secret"]), str(found["securitytoken"]),
                                credentials.expiry(found["expires_at"]))
    except (TypeError, KeyError, ValueError):
        raise ApiError("the reply has no credential with access, secret, securitytoken and expires_at",
                       provider=ctx.provider, region=ctx.region, operation=ctx.operation,
                       status=reply.status) from None


def _secrets(params: t.Mapping[str, t.Any]) -> tuple[str | None, ...]:
    return tuple(params.get(name) for name in ("secret_key", "security_token", "auth_token", "password"))
