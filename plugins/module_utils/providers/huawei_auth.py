# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud authentication: the SDK-HMAC-SHA256 (AK/SK) signer.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import typing as t
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"


def canonical_uri(path: str) -> str:
    """Re-encode each segment keeping only ``~``, and end with ``/`` (WIRE.md B.4 step 5; the wire path does not)."""
    uri = "/".join(quote(segment, safe="~") for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def aksk_authorization(method: str, path: str, query: str, headers: t.Mapping[str, str], body: bytes,
                       access_key: str, secret_key: str) -> tuple[str, str]:
    """Sign as huaweicloudsdkcore's signer does (WIRE.md B.4); return (string to sign, Authorization).

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
    """Signs each attempt with a fresh ``X-Sdk-Date``; adds ``X-Project-Id`` and ``X-Security-Token`` when known."""

    def __init__(self, access_key: str, secret_key: str, security_token: str | None = None,
                 project_id: str | None = None) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.security_token = security_token
        self.project_id = project_id

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        # The SDK sends Content-Type: application/json even on GET, and signs it.
        headers["content-type"] = "application/json"
        headers["x-sdk-date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        if self.project_id:
            headers["x-project-id"] = self.project_id
        if self.security_token:
            headers["x-security-token"] = self.security_token
        headers["authorization"] = aksk_authorization(method, path, query, headers, body, self.access_key,
                                                      self.secret_key)[1]
