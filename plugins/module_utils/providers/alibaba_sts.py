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
import re
import time
import typing as t
import uuid
from urllib.parse import quote

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import CallContext, canonical_query

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
    if not ROLE_ARN_RE.match(params["role_arn"]):
        raise ConfigError("role_arn %r is not a RAM role ARN" % params["role_arn"], hint="Write it as "
                          "acs:ram::<account ID>:role/<role name>", **where)
    duration = params.get("role_duration_seconds") or 3600
    if not DURATION[0] <= duration <= DURATION[1]:
        raise ConfigError("role_duration_seconds is %s; STS allows %d to %d (and at most the role's maximum session "
                          "duration)" % (duration, DURATION[0], DURATION[1]), **where)
    name = params.get("role_session_name") or DEFAULT_SESSION_NAME
    if not SESSION_NAME_RE.match(name):
        raise ConfigError("role_session_name %r must be 2 to 64 letters, digits, '.', '@', '-' or '_'" % name,
                          **where)


def _policy(value: t.Any) -> str | None:
    """A policy as compact JSON text (a dictionary is dumped; a string is sent as written)."""
    if value in (None, ""):
        return None
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)


def role_keys(params: t.Mapping[str, t.Any], base: credentials.Keys, provider: str) -> credentials.RefreshingKeys:
    """The temporary keys of ``role_arn``, assumed with the ``base`` keys: one session per process for the same base
    keys, role and request."""
    check_role(params, provider)
    request = {
        "RoleArn": params["role_arn"],
        "RoleSessionName": params.get("role_session_name") or DEFAULT_SESSION_NAME,
        "DurationSeconds": str(params.get("role_duration_seconds") or 3600),
    }
    if params.get("role_external_id"):
        request["ExternalId"] = params["role_external_id"]
    policy = _policy(params.get("role_policy"))
    if policy:
        request["Policy"] = policy
    url = sts_base_url(params)
    ctx = CallContext(provider=provider, region=params.get("region"),
                      operation="assume RAM role %s with AccessKey %s" % (params["role_arn"], base.access_key_id),
                      retry_codes=RETRY_CODES, auth_codes=AUTH_CODES, read_error=read_error, secret_query=True,
                      auth_hint="Check that the role exists, that its trust policy lets the account of the "
                                "AccessKey assume it (and its ExternalId condition, if any), and that the RAM user "
                                "may call sts:AssumeRole on it")

    def fetch(transport: t.Any) -> credentials.Keys:
        def query() -> str:  # a fresh nonce and time for every attempt
            params_ = dict(request, Action="AssumeRole", Format="JSON", Version=VERSION, AccessKeyId=base.access_key_id,
                           SignatureMethod="HMAC-SHA1", SignatureVersion="1.0", SignatureNonce=uuid.uuid4().hex,
                           Timestamp=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            if base.security_token:
                params_["SecurityToken"] = base.security_token
            return signed_query(params_, base.secret)

        reply = transport.request(ctx, "GET", url, "/", query, UNSIGNED)
        return read_credentials(reply.data, ctx, reply.status)

    key = ("alibaba-sts", url, base.access_key_id, credentials.fingerprint(base.secret, base.security_token),
           tuple(sorted(request.items())))
    return credentials.shared(key, lambda: credentials.RefreshingKeys(fetch))


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
    """Read ``Code``, ``Message`` and ``RequestId`` of an STS error reply."""
    body = data if isinstance(data, dict) else {}
    message = body.get("Message") or "HTTP %d" % status
    return body.get("Code"), str(message), body.get("RequestId") or headers.get("x-acs-request-id")


class _Unsigned:
    """The AssumeRole query carries its own signature: nothing goes into the headers."""

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        pass


UNSIGNED = _Unsigned()
