# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alibaba Cloud STS ``AssumeRole`` (2015-04-01, RPC style, HMAC-SHA1 signature v1): temporary keys of a RAM role.

The request is what Alibaba Cloud's ``alibabacloud-credentials`` package sends for a RAM role ARN (docs/docsite/rst/
wire.rst A.8): a GET to ``https://sts.aliyuncs.com/`` (or ``sts.<region>.aliyuncs.com``) whose query carries the
parameters and their signature.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import hashlib
import hmac
import json
import os
import re
import time
import typing as t
import uuid
from urllib.parse import quote, unquote, urlsplit

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    CallContext, MetadataService, canonical_query)

VERSION = "2015-04-01"
DEFAULT_SESSION_NAME = "ansible-modelserving-cloud"
DURATION = (900, 43200)
SESSION_NAME_RE = re.compile(r"^[\w.@-]{2,64}$")
ROLE_ARN_RE = re.compile(r"^acs:ram::\d+:role/\S+$")
RETRY_CODES = frozenset(("Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable", "InternalError"))
AUTH_CODES = frozenset(("NoPermission", "EntityNotExist.Role", "InvalidAccessKeyId.NotFound",
                        "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch", "IncompleteSignature",
                        "InvalidTimeStamp.Expired", "SignatureNonceUsed", "InvalidSecurityToken.Expired",
                        "InvalidSecurityToken.Malformed", "InvalidSecurityToken.MismatchWithAccessKey",
                        "AuthenticationFail.NoPermission", "Forbidden.RAM"))
OIDC_CODES = frozenset(("AuthenticationFail.OIDCToken.Expired", "AuthenticationFail.OIDCToken.Invalid",
                        "EntityNotExist.OIDCProvider", "InvalidParameter.OIDCToken"))


def string_to_sign(method: str, params: t.Mapping[str, t.Any]) -> str:
    """``METHOD&%2F&`` and the percent-encoded canonical query (sorted, each key and value encoded keeping ``~``)."""
    return "%s&%s&%s" % (method, quote("/", safe="~"), quote(canonical_query(params), safe="~"))


def signature(to_sign: str, secret: str) -> str:
    """Base64 of HMAC-SHA1 keyed with the AccessKey secret and ``&``."""
    digest = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_query(params: t.Mapping[str, t.Any], secret: str, method: str = "GET") -> str:
    """The query string that goes on the wire: the canonical query with ``Signature`` added."""
    query = dict(params)
    query["Signature"] = signature(string_to_sign(method, params), secret)
    return canonical_query(query)


def sts_base_url(params: t.Mapping[str, t.Any]) -> str:
    """``sts_endpoint`` (a URL or a bare host), else ``sts.<sts_region>.aliyuncs.com``, else ``sts.aliyuncs.com``."""
    endpoint = params.get("sts_endpoint")
    if endpoint:
        endpoint = str(endpoint).rstrip("/")
        return endpoint if "://" in endpoint else "https://" + endpoint
    region = params.get("sts_region")
    return "https://sts.%s.aliyuncs.com" % region if region else "https://sts.aliyuncs.com"


def check_role(params: t.Mapping[str, t.Any], provider: str) -> None:
    """Refuse role options the API would refuse, before anything is sent."""
    where = {"provider": provider, "region": params.get("region"), "operation": "read the role options"}
    if not isinstance(params.get("role_arn"), str) or not ROLE_ARN_RE.match(params["role_arn"]):
        raise ConfigError("role_arn %r is not a RAM role ARN" % (params.get("role_arn"),), hint="Write it as "
                          "acs:ram::<account ID>:role/<role name>", **where)
    duration = params.get("role_duration_seconds") or 3600
    if not isinstance(duration, int) or isinstance(duration, bool) or not DURATION[0] <= duration <= DURATION[1]:
        raise ConfigError("role_duration_seconds is %s; STS allows %d to %d (and at most the role's maximum session "
                          "duration)" % (duration, DURATION[0], DURATION[1]), **where)
    name = params.get("role_session_name") or DEFAULT_SESSION_NAME
    if not isinstance(name, str) or not SESSION_NAME_RE.match(name):
        raise ConfigError("role_session_name %r must be 2 to 64 letters, digits, '.', '@', '-' or '_'" % name,
                          **where)


def _policy(value: t.Any, provider: str) -> str | None:
    """A policy as compact JSON text (a dictionary is dumped; a string is sent as written)."""
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ConfigError("role_policy cannot be written as JSON: %s" % exc, provider=provider,
                          operation="read the role options",
                          hint="Quote dates and times in the policy, or give it as JSON text") from None


def role_keys(params: t.Mapping[str, t.Any], base: t.Any, provider: str) -> credentials.RefreshingKeys:
    """The temporary keys of ``role_arn``, assumed with the keys ``base`` gives at that moment (fixed keys, or
    temporary ones of the chain): one session per process for the same base, role and request."""
    check_role(params, provider)
    request = {
        "RoleArn": params["role_arn"],
        "RoleSessionName": params.get("role_session_name") or DEFAULT_SESSION_NAME,
        "DurationSeconds": str(params.get("role_duration_seconds") or 3600),
    }
    if params.get("role_external_id"):
        request["ExternalId"] = params["role_external_id"]
    policy = _policy(params.get("role_policy"), provider)
    if policy:
        request["Policy"] = policy
    url = sts_base_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume RAM role %s with %s" % (params["role_arn"], base.label),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error, secret_query=True,
                      auth_hint="Check that the role exists, that its trust policy lets the account of the "
                                "AccessKey assume it (and its ExternalId condition, if any), and that the RAM user "
                                "may call sts:AssumeRole on it")

    def fetch(transport: t.Any) -> credentials.Keys:
        keys = base.get(transport)

        def query() -> str:  # a fresh nonce and time for every attempt
            params_ = dict(request, Action="AssumeRole", Format="JSON", Version=VERSION, AccessKeyId=keys.access_key_id,
                           SignatureMethod="HMAC-SHA1", SignatureVersion="1.0", SignatureNonce=uuid.uuid4().hex,
                           Timestamp=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            if keys.security_token:
                params_["SecurityToken"] = keys.security_token
            return signed_query(params_, keys.secret)

        reply = transport.request(ctx, "GET", url, "/", query, UNSIGNED)
        return read_credentials(reply.data, ctx, reply.status)

    if isinstance(base, credentials.FixedKeys):
        identity: t.Any = (base.keys.access_key_id, credentials.fingerprint(base.keys.secret, base.keys.security_token))
    else:  # temporary keys of the chain, themselves one shared session
        identity = id(base)
    key = ("alibaba-sts", url, identity, tuple(sorted(request.items())))
    return credentials.shared(key, lambda: credentials.RefreshingKeys(fetch, label="RAM role %s" % params["role_arn"]))


def chain(params: t.Mapping[str, t.Any], provider: str) -> tuple[t.Any, bool]:
    """The base credentials, in the order of Alibaba Cloud's default credentials chain (docs/docsite/rst/wire.rst
    A.9): the keys given (options, then environment variables); an OIDC token file (Kubernetes RRSA) with
    ``role_arn``; a credentials URI. Returns the keys and whether ``role_arn`` was used up on the way (OIDC)."""
    access_key_id, secret = params.get("access_key_id"), params.get("access_key_secret")
    if access_key_id or secret:
        if not (access_key_id and secret):
            raise ConfigError("no %s given" % ("access_key_secret" if access_key_id else "access_key_id"),
                              provider=provider, operation="read the credentials",
                              hint="Set access_key_id and access_key_secret, or the environment variables "
                                   "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        return credentials.FixedKeys(credentials.Keys(access_key_id, secret, params.get("security_token"))), False
    if params.get("oidc_provider_arn") or params.get("oidc_token_file"):
        return oidc_keys(params, provider), True
    profile = cli_profile(params, provider)
    if profile is not None:
        return profile, False
    if params.get("credentials_uri"):
        return uri_keys(params, provider), False
    if params.get("instance_metadata") or params.get("ecs_role_name"):
        return ecs_role_keys(params, provider), False
    raise ConfigError("no credentials given", provider=provider, operation="read the credentials",
                      hint="Set access_key_id and access_key_secret (ALIBABA_CLOUD_ACCESS_KEY_ID, "
                           "ALIBABA_CLOUD_ACCESS_KEY_SECRET); or, on Kubernetes with RRSA, role_arn, "
                           "oidc_provider_arn and oidc_token_file (ALIBABA_CLOUD_ROLE_ARN, "
                           "ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE); or a profile of the "
                           "aliyun CLI (~/.aliyun/config.json, profile or ALIBABA_CLOUD_PROFILE); or credentials_uri "
                           "(ALIBABA_CLOUD_CREDENTIALS_URI); or, on an ECS instance, instance_metadata: true or "
                           "ecs_role_name (ALIBABA_CLOUD_ECS_METADATA)")


PROFILE_MODES = ("AK", "StsToken", "RamRoleArn", "ChainableRamRoleArn", "OIDC")


def cli_profile(params: t.Mapping[str, t.Any], provider: str) -> t.Any:
    """The credentials of a profile in the aliyun CLI's file (``profile_file``, by default ~/.aliyun/config.json):
    ``profile`` (or ALIBABA_CLOUD_PROFILE), else the file's ``current``. None when there is no file and no profile
    was asked for, or ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true."""
    if str(params.get("cli_profile_disabled") or "").lower() == "true":
        return None
    path = os.path.expanduser(str(params.get("profile_file") or os.path.join("~", ".aliyun", "config.json")))
    where = {"provider": provider, "region": params.get("region"), "operation": "read the aliyun CLI profile"}
    if not os.path.exists(path):
        if params.get("profile"):
            raise ConfigError("profile %r is asked for, but %s does not exist" % (params["profile"], path), **where)
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
        profiles = {str(p.get("name")): p for p in config.get("profiles") or [] if isinstance(p, dict)}
    except (OSError, ValueError, AttributeError) as exc:
        raise ConfigError("%s cannot be read as the aliyun CLI's configuration: %s" % (path, exc), **where) from None
    return _profile_keys(params, profiles, str(params.get("profile") or config.get("current") or "default"), path,
                         provider, ())


def profile_identity(params: t.Mapping[str, t.Any]) -> str | None:
    """What names the account when keys come from the CLI profile file (the profile in use, its AccessKey ID and
    role), for a cache key: never a secret. None when the chain does not reach the file."""
    earlier = ("access_key_id", "access_key_secret", "oidc_provider_arn", "oidc_token_file", "cli_profile_disabled")
    if any(params.get(name) for name in earlier):
        return None
    path = os.path.expanduser(str(params.get("profile_file") or os.path.join("~", ".aliyun", "config.json")))
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
        name = str(params.get("profile") or config.get("current") or "default")
        profile = next(p for p in config.get("profiles") or [] if isinstance(p, dict) and p.get("name") == name)
    except (OSError, ValueError, AttributeError, StopIteration):
        return None
    return "%s:%s:%s:%s" % (name, profile.get("mode"), profile.get("access_key_id"), profile.get("ram_role_arn"))


def _number(value: t.Any) -> t.Any:
    """A number written as text in a profile file is a number; anything else is left for the checks to refuse."""
    try:
        return int(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _profile_keys(params: t.Mapping[str, t.Any], profiles: dict[str, t.Any], name: str, path: str, provider: str,
                  seen: tuple[str, ...]) -> t.Any:
    where = {"provider": provider, "region": params.get("region"), "operation": "read the aliyun CLI profile %s of %s"
             % (name, path)}
    profile = profiles.get(name)
    if profile is None:
        raise ConfigError("there is no profile %r (profiles: %s)" % (name, ", ".join(sorted(profiles)) or "none"),
                          **where)
    mode = profile.get("mode")
    if mode not in PROFILE_MODES:
        raise ConfigError("mode %r is not one the collection reads (%s)" % (mode, ", ".join(PROFILE_MODES)),
                          hint="Use such a profile, or give the keys it makes" if mode else None, **where)
    role = {"role_arn": profile.get("ram_role_arn"), "role_session_name": profile.get("ram_session_name"),
            "role_duration_seconds": _number(profile.get("expired_seconds")), "role_external_id": profile.get("external_id"),
            "role_policy": profile.get("policy"), "sts_region": profile.get("sts_region")}
    derived = dict(params, **role)
    if mode == "OIDC":
        return oidc_keys(dict(derived, oidc_provider_arn=profile.get("oidc_provider_arn"),
                              oidc_token_file=profile.get("oidc_token_file"),
                              role_session_name=profile.get("role_session_name")), provider)
    if mode == "ChainableRamRoleArn":
        source = str(profile.get("source_profile") or "")
        if source in seen + (name,):
            raise ConfigError("source_profile %r makes a loop" % source, **where)
        return role_keys(derived, _profile_keys(params, profiles, source, path, provider, seen + (name,)), provider)
    if not (profile.get("access_key_id") and profile.get("access_key_secret")):
        raise ConfigError("the profile has no access_key_id and access_key_secret", **where)
    keys = credentials.FixedKeys(credentials.Keys(str(profile["access_key_id"]), str(profile["access_key_secret"]),
                                                  profile.get("sts_token") if mode == "StsToken" else None))
    return role_keys(derived, keys, provider) if mode == "RamRoleArn" else keys


def oidc_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """The temporary keys of ``role_arn`` for the OIDC token in ``oidc_token_file`` (STS AssumeRoleWithOIDC, which
    is not signed: the token is the credential). The file is read again for every fetch, as Kubernetes rotates it."""
    missing = [name for name in ("role_arn", "oidc_provider_arn", "oidc_token_file") if not params.get(name)]
    if missing:
        raise ConfigError("OIDC credentials need %s" % " and ".join(missing), provider=provider,
                          operation="read the credentials", hint="Set role_arn, oidc_provider_arn and "
                          "oidc_token_file (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "
                          "ALIBABA_CLOUD_OIDC_TOKEN_FILE), as ack-pod-identity-webhook sets them for RRSA")
    check_role(params, provider)
    path = str(params["oidc_token_file"])
    request = {"RoleArn": params["role_arn"], "OIDCProviderArn": params["oidc_provider_arn"],
               "RoleSessionName": params.get("role_session_name") or DEFAULT_SESSION_NAME,
               "DurationSeconds": str(params.get("role_duration_seconds") or 3600)}
    policy = _policy(params.get("role_policy"), provider)
    if policy:
        request["Policy"] = policy
    url = sts_base_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume RAM role %s with the OIDC token of %s" % (params["role_arn"], path),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES | OIDC_CODES, read_error=read_error,
                      secret_query=True, auth_hint="Check that the token file is the service account token the "
                      "cluster keeps fresh, that oidc_provider_arn is the cluster's OIDC provider, and that the "
                      "role's trust policy names that provider and service account")

    def fetch(transport: t.Any) -> credentials.Keys:
        try:
            with open(path, encoding="utf-8") as handle:
                token = handle.read().strip()
        except OSError as exc:
            raise ConfigError("the OIDC token file %s cannot be read: %s" % (path, exc.strerror), provider=provider,
                              region=params.get("region"), operation=ctx.operation,
                              hint="Check oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)") from None
        if not token:
            raise ConfigError("the OIDC token file %s is empty" % path, provider=provider,
                              region=params.get("region"), operation=ctx.operation)

        def query() -> str:
            return canonical_query(dict(request, Action="AssumeRoleWithOIDC", Format="JSON", Version=VERSION,
                                        OIDCToken=token, Timestamp=datetime.datetime.now(
                                            datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))

        reply = transport.request(ctx, "GET", url, "/", query, UNSIGNED)
        return read_credentials(reply.data, ctx, reply.status)

    key = ("alibaba-oidc", url, path, tuple(sorted(request.items())))
    return credentials.shared(key, lambda: credentials.RefreshingKeys(
        fetch, label="the OIDC token of %s" % path))


def uri_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """Temporary keys from ``credentials_uri``: a GET answering ``{"Code": "Success", "AccessKeyId",
    "AccessKeySecret", "SecurityToken", "Expiration"}``, as the credentials package reads it."""
    uri = str(params["credentials_uri"])
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("credentials_uri is not an http(s) URL (it starts %r)" % uri[:8], provider=provider,
                          operation="read the credentials")
    # Named by scheme, host and path: a user, a password or a token in the URL never reaches a message.
    base_url = "%s://%s%s" % (parts.scheme, parts.hostname, ":%d" % parts.port if parts.port else "")
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="get credentials from %s%s" % (base_url, parts.path),
                      retry_codes=frozenset(), auth_codes=frozenset(), read_error=read_error, secret_query=True)

    def fetch(transport: t.Any) -> credentials.Keys:
        return read_success(transport.request(ctx, "GET", base_url, parts.path or "/", parts.query,
                                              _Basic(parts.username, parts.password)), ctx)

    return credentials.shared(("alibaba-uri", uri), lambda: credentials.RefreshingKeys(
        fetch, label="the keys of %s" % ctx.operation[len("get credentials from "):]))


ECS_METADATA = "http://100.100.100.200"
ECS_CREDENTIALS_PATH = "/latest/meta-data/ram/security-credentials/"


def ecs_role_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """The keys of the ECS instance's RAM role, from its metadata service: an IMDSv2 token first (without one,
    IMDSv1), the role's name (``ecs_role_name``, else the one the service names), then its keys. A machine without
    the service learns it in about a second."""
    url = ECS_METADATA
    name = params.get("ecs_role_name")
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="get the keys of the ECS RAM role %s from the instance metadata at %s" % (
                          name or "of this instance", url),
                      retry_codes=frozenset(), auth_codes=frozenset(), read_error=read_error)

    def fetch(_transport: t.Any) -> credentials.Keys:
        with MetadataService(ctx, url, "/latest/api/token", "x-aliyun-ecs-metadata-token-ttl-seconds",
                             "x-aliyun-ecs-metadata-token", "This is not an ECS instance, or its metadata service is "
                             "off: give keys, or another way of the chain, instead of instance_metadata / "
                             "ecs_role_name") as service:
            role = name or service.get(ECS_CREDENTIALS_PATH, text=True).data.strip()
            return read_success(service.get(ECS_CREDENTIALS_PATH + quote(role, safe="")), ctx)

    return credentials.shared(("alibaba-ecs", url, name), lambda: credentials.RefreshingKeys(
        fetch, label="the ECS RAM role %s" % (name or "of this instance")))


def read_success(reply: t.Any, ctx: CallContext) -> credentials.Keys:
    """The keys of a credentials URI or metadata reply: ``{"Code": "Success", "AccessKeyId", ...}``."""
    data = reply.data if isinstance(reply.data, dict) else {}
    if data.get("Code") != "Success":
        raise ApiError("the reply's Code is %r, not Success" % data.get("Code"), provider=ctx.provider,
                       region=ctx.region, operation=ctx.operation, status=reply.status)
    return read_credentials({"Credentials": data}, ctx, reply.status)


def read_credentials(data: t.Any, ctx: CallContext, status: int) -> credentials.Keys:
    """The ``Credentials`` of an AssumeRole reply, or an error saying the reply lacks them."""
    found = data.get("Credentials") if isinstance(data, dict) else None
    request_id = data.get("RequestId") if isinstance(data, dict) else None
    try:
        expiration = calendar.timegm(time.strptime(found["Expiration"], "%Y-%m-%dT%H:%M:%SZ"))
        keys = credentials.Keys(str(found["AccessKeyId"]), str(found["AccessKeySecret"]),
                                str(found["SecurityToken"]), float(expiration))
    except (TypeError, KeyError, ValueError):
        raise ApiError("the reply has no Credentials with AccessKeyId, AccessKeySecret, SecurityToken and "
                       "Expiration", provider=ctx.provider, region=ctx.region, operation=ctx.operation,
                       status=status, request_id=request_id) from None
    return keys


def read_error(status: int, headers: t.Mapping[str, str], data: t.Any) -> tuple[str | None, str, str | None]:
    """Read ``Code``, ``Message`` and ``RequestId`` of an STS error reply. A ``SignatureDoesNotMatch`` message quotes
    the server's string to sign, which holds the whole query (a base security token, an OIDC token): it is cut off."""
    body = data if isinstance(data, dict) else {}
    message = str(body.get("Message") or "HTTP %d" % status)
    cut = message.lower().find("string to sign")
    if cut >= 0:
        message = message[:cut].rstrip(" :,.") + " (the server's string to sign is left out: it holds credentials)"
    return body.get("Code"), message, body.get("RequestId") or headers.get("x-acs-request-id")


class _Basic:
    """HTTP basic authentication, when a credentials URI carries a user and password."""

    def __init__(self, user: str | None, password: str | None) -> None:
        self.user, self.password = user, password

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        if self.user is not None:
            pair = "%s:%s" % (unquote(self.user), unquote(self.password or ""))
            headers["authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


class _Unsigned:
    """The AssumeRole query carries its own signature: nothing goes into the headers."""

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        pass


UNSIGNED = _Unsigned()
