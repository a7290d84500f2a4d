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
import datetime
import hashlib
import hmac
import json
import re
import typing as t
import uuid
from urllib.parse import quote

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    UNSIGNED,
    CallContext,
    Transport,
    canonical_query,
    url_of,
)

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
    if params.get("sts_endpoint"):
        return url_of(params["sts_endpoint"])
    region = params.get("sts_region")
    return "https://sts.%s.aliyuncs.com" % region if region else "https://sts.aliyuncs.com"


def _now() -> str:
    """The time as STS wants it in a query, UTC to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def _role_request(params: t.Mapping[str, t.Any], provider: str) -> dict[str, str]:
    """The parameters AssumeRole and AssumeRoleWithOIDC share, from checked role options."""
    check_role(params, provider)
    request = {"RoleArn": params["role_arn"],
               "RoleSessionName": params.get("role_session_name") or DEFAULT_SESSION_NAME,
               "DurationSeconds": str(params.get("role_duration_seconds") or 3600)}
    policy = _policy(params.get("role_policy"), provider)
    if policy:
        request["Policy"] = policy
    return request


def role_keys(params: t.Mapping[str, t.Any], base: credentials.KeySource, provider: str) -> credentials.RefreshingKeys:
    """The temporary keys of ``role_arn``, assumed with the keys ``base`` gives at that moment (fixed keys, or
    temporary ones of the chain): one session per process for the same base, role and request."""
    request = _role_request(params, provider)
    if params.get("role_external_id"):
        request["ExternalId"] = params["role_external_id"]
    url = sts_base_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume RAM role %s with %s" % (params["role_arn"], base.label),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error, secret_query=True,
                      auth_hint="Check that the role exists, that its trust policy lets the account of the "
                                "AccessKey assume it (and its ExternalId condition, if any), and that the RAM user "
                                "may call sts:AssumeRole on it")

    def fetch(transport: Transport) -> credentials.Keys:
        keys = base.get(transport)

        def query() -> str:  # a fresh nonce and time for every attempt
            params_ = dict(request, Action="AssumeRole", Format="JSON", Version=VERSION, AccessKeyId=keys.access_key_id,
                           SignatureMethod="HMAC-SHA1", SignatureVersion="1.0", SignatureNonce=uuid.uuid4().hex,
                           Timestamp=_now())
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


def oidc_keys(params: t.Mapping[str, t.Any], provider: str) -> credentials.RefreshingKeys:
    """The temporary keys of ``role_arn`` for the OIDC token in ``oidc_token_file`` (STS AssumeRoleWithOIDC, which
    is not signed: the token is the credential). The file is read again for every fetch, as Kubernetes rotates it."""
    missing = [name for name in ("role_arn", "oidc_provider_arn", "oidc_token_file") if not params.get(name)]
    if missing:
        raise ConfigError("OIDC credentials need %s" % " and ".join(missing), provider=provider,
                          operation="read the credentials", hint="Set role_arn, oidc_provider_arn and "
                          "oidc_token_file (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "
                          "ALIBABA_CLOUD_OIDC_TOKEN_FILE), as ack-pod-identity-webhook sets them for RRSA")
    path = str(params["oidc_token_file"])
    request = dict(_role_request(params, provider), OIDCProviderArn=params["oidc_provider_arn"])
    url = sts_base_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume RAM role %s with the OIDC token of %s" % (params["role_arn"], path),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES | OIDC_CODES, read_error=read_error,
                      secret_query=True, auth_hint="Check that the token file is the service account token the "
                      "cluster keeps fresh, that oidc_provider_arn is the cluster's OIDC provider, and that the "
                      "role's trust policy names that provider and service account")

    def fetch(transport: Transport) -> credentials.Keys:
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
                                        OIDCToken=token, Timestamp=_now()))

        reply = transport.request(ctx, "GET", url, "/", query, UNSIGNED)
        return read_credentials(reply.data, ctx, reply.status)

    key = ("alibaba-oidc", url, path, tuple(sorted(request.items())))
    return credentials.shared(key, lambda: credentials.RefreshingKeys(
        fetch, label="the OIDC token of %s" % path))


def read_credentials(data: t.Any, ctx: CallContext, status: int) -> credentials.Keys:
    """The ``Credentials`` of an AssumeRole reply, or an error saying the reply lacks them."""
    found = data.get("Credentials") if isinstance(data, dict) else None
    request_id = data.get("RequestId") if isinstance(data, dict) else None
    try:
        keys = credentials.Keys(str(found["AccessKeyId"]), str(found["AccessKeySecret"]),
                                str(found["SecurityToken"]), credentials.expiry(found["Expiration"]))
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
