# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where Alibaba Cloud credentials come from, in the order of the official default credentials chain (docs/docsite/
rst/wire.rst A.9): the keys given, an OIDC token file (Kubernetes RRSA), a profile of the aliyun CLI, a credentials
URI, the ECS instance's RAM role. A RAM role (``role_arn``) may be assumed on top of any of them (alibaba_sts.py).

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import base64
import json
import os
import typing as t
from urllib.parse import quote, unquote, urlsplit

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers.alibaba_sts import (
    oidc_keys,
    read_credentials,
    read_error,
    role_keys,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import CallContext, Reply, Transport


def chain(params: t.Mapping[str, t.Any], provider: str) -> tuple[credentials.KeySource, bool]:
    """The base credentials, in the order of Alibaba Cloud's default credentials chain (docs/docsite/rst/wire.rst
    A.9): the keys given (options, then environment variables); an OIDC token file (Kubernetes RRSA) with
    ``role_arn``; a profile of the aliyun CLI; a credentials URI; the ECS instance's RAM role (only when asked,
    ``instance_metadata`` or ``ecs_role_name``). Returns the keys and whether ``role_arn`` was used up on the way
    (OIDC)."""
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


def _profile_file(params: t.Mapping[str, t.Any]) -> str:
    return os.path.expanduser(str(params.get("profile_file") or os.path.join("~", ".aliyun", "config.json")))


def _read_profiles(path: str) -> tuple[str | None, dict[str, dict[str, t.Any]]]:
    """The aliyun CLI configuration at ``path``: its ``current`` profile and its profiles by name. Raises OSError or
    ValueError when it cannot be read as one."""
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not isinstance(config, dict) or not isinstance(config.get("profiles") or [], list):
        raise ValueError("it is not an object with a list of profiles")
    profiles = {str(p.get("name")): p for p in config.get("profiles") or [] if isinstance(p, dict)}
    return config.get("current"), profiles


def cli_profile(params: t.Mapping[str, t.Any], provider: str) -> credentials.KeySource | None:
    """The credentials of a profile in the aliyun CLI's file (``profile_file``, by default ~/.aliyun/config.json):
    ``profile`` (or ALIBABA_CLOUD_PROFILE), else the file's ``current``. None when there is no file and no profile
    was asked for, or ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true."""
    if str(params.get("cli_profile_disabled") or "").lower() == "true":
        return None
    path = _profile_file(params)
    where = {"provider": provider, "region": params.get("region"), "operation": "read the aliyun CLI profile"}
    if not os.path.exists(path):
        if params.get("profile"):
            raise ConfigError("profile %r is asked for, but %s does not exist" % (params["profile"], path), **where)
        return None
    try:
        current, profiles = _read_profiles(path)
    except (OSError, ValueError) as exc:
        raise ConfigError("%s cannot be read as the aliyun CLI's configuration: %s" % (path, exc), **where) from None
    return _profile_keys(params, profiles, str(params.get("profile") or current or "default"), path, provider, ())


def profile_identity(params: t.Mapping[str, t.Any]) -> str | None:
    """What names the account when keys come from the CLI profile file (the profile in use, its AccessKey ID and
    role), for a cache key: never a secret. None when the chain does not reach the file."""
    earlier = ("access_key_id", "access_key_secret", "oidc_provider_arn", "oidc_token_file", "cli_profile_disabled")
    if any(params.get(name) for name in earlier):
        return None
    try:
        current, profiles = _read_profiles(_profile_file(params))
    except (OSError, ValueError):
        return None
    name = str(params.get("profile") or current or "default")
    profile = profiles.get(name)
    if profile is None:
        return None
    return "%s:%s:%s:%s" % (name, profile.get("mode"), profile.get("access_key_id"), profile.get("ram_role_arn"))


def _number(value: t.Any) -> t.Any:
    """A number written as text in a profile file is a number; anything else is left for the checks to refuse."""
    try:
        return int(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _profile_keys(params: t.Mapping[str, t.Any], profiles: dict[str, t.Any], name: str, path: str, provider: str,
                  seen: tuple[str, ...]) -> credentials.KeySource:
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
            "role_duration_seconds": _number(profile.get("expired_seconds")),
            "role_external_id": profile.get("external_id"),
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

    def fetch(transport: Transport) -> credentials.Keys:
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

    def fetch(_transport: Transport) -> credentials.Keys:
        with credentials.MetadataService(
                ctx, url, "/latest/api/token", "x-aliyun-ecs-metadata-token-ttl-seconds", "x-aliyun-ecs-metadata-token",
                "This is not an ECS instance, or its metadata service is off: give keys, or another way of the chain, "
                "instead of instance_metadata / ecs_role_name") as service:
            role = name or service.get(ECS_CREDENTIALS_PATH, text=True).data.strip()
            return read_success(service.get(ECS_CREDENTIALS_PATH + quote(role, safe="")), ctx)

    return credentials.shared(("alibaba-ecs", url, name), lambda: credentials.RefreshingKeys(
        fetch, label="the ECS RAM role %s" % (name or "of this instance")))


def read_success(reply: Reply, ctx: CallContext) -> credentials.Keys:
    """The keys of a credentials URI or metadata reply: ``{"Code": "Success", "AccessKeyId", ...}``."""
    data = reply.data if isinstance(reply.data, dict) else {}
    if data.get("Code") != "Success":
        raise ApiError("the reply's Code is %r, not Success" % data.get("Code"), provider=ctx.provider,
                       region=ctx.region, operation=ctx.operation, status=reply.status)
    return read_credentials({"Credentials": data}, ctx, reply.status)


class _Basic:
    """HTTP basic authentication, when a credentials URI carries a user and password."""

    project_id = None

    def __init__(self, user: str | None, password: str | None) -> None:
        self.user, self.password = user, password

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        if self.user is not None:
            pair = "%s:%s" % (unquote(self.user), unquote(self.password or ""))
            headers["authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
