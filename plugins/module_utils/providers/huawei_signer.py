# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud request signing (SDK-HMAC-SHA256 with AK/SK, or an IAM token) and error replies, shared by ModelArts,
DataArts Fabric and IAM itself, on Huawei Cloud and Open Telekom Cloud.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import typing as t
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"

AUTH_CODES = frozenset(("APIGW.0301", "APIGW.0303", "APIGW.0101", "APIGW.0302", "APIGW.0305", "APIGW.0306",
                        "ModelArts.0203", "ModelArts.0207", "ModelArts.0212", "IAM.0001", "401", "403"))

AUTH_HINT = ("Check access_key and secret_key (or auth_token, or username, password and domain_name), the "
             "project, the IAM permissions, and that this machine's clock is right")
RETRY_CODES = frozenset(("APIGW.0308", "APIG.0308", "ModelArts.0108"))


def canonical_uri(path: str) -> str:
    """Re-encode each segment keeping only ``~``, and end with ``/``, as the wire path does not
    (docs/docsite/rst/wire.rst B.4 step 5)."""
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


# The signers of Huawei credentials, as the IAM calls and the services take them.
HuaweiSigner = t.Union[AkSkSigner, TokenSigner]


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
