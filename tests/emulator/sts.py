# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Alibaba Cloud STS AssumeRole as the cloud serves it: the RPC signature (HMAC-SHA1, v1) checked, roles, temporary
keys that expire on the emulator's clock.

Written from the STS API document and the RPC signature document (docs/docsite/rst/wire.rst A.8), independently of
the collection's own signer. The keys it issues go into the same key table the PAI-EAS verifier reads, with their
token and expiry, so ListServices accepts them only with their token and only until they expire.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import typing as t
from urllib.parse import parse_qsl, quote

from .pai_eas import WINDOW, EasError, check_nonce

ROLE_ARN_RE = re.compile(r"^acs:ram::(\d+):role/(\S+)$")
OIDC_PROVIDER = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-emulator"
OIDC_ISSUER = "https://oidc-ack.cn-hangzhou.aliyuncs.com/emulator"
SESSION_NAME_RE = re.compile(r"^[\w.@-]{2,64}$")


def percent_encode(value: str) -> str:
    """The document's encoding: UTF-8, every byte but A-Z a-z 0-9 - _ . ~ as %XX (so a space is %20, * is %2A)."""
    return quote(value, safe="~")


def rpc_string_to_sign(method: str, query: dict[str, str]) -> str:
    canonical = "&".join("%s=%s" % (percent_encode(k), percent_encode(v)) for k, v in sorted(query.items()))
    return "%s&%s&%s" % (method, percent_encode("/"), percent_encode(canonical))


class Sts:
    """Roles, and the temporary keys issued for them."""

    def __init__(self, keys: dict[str, dict[str, t.Any]], clock: t.Callable[[], float] = time.time) -> None:
        self.keys = keys  # shared with the PAI-EAS verifier: AccessKey ID -> {"secret", "token", "expires", "role"}
        self.clock = clock
        self.lock = threading.Lock()
        self.nonces: dict[str, float] = {}
        self.roles: dict[str, dict[str, t.Any]] = {}
        self.ttl: float | None = None  # seconds the issued keys last; None: DurationSeconds, as the cloud
        self.issued = 0

    def configure(self, roles: dict[str, dict[str, t.Any]] | None = None, ttl: float | None = None) -> None:
        """``roles``: ARN -> {"trusts": [base AccessKey IDs], "external_id": str or None, "max_duration": s}."""
        with self.lock:
            if roles is not None:
                self.roles = {arn: dict(role) for arn, role in roles.items()}
            self.ttl = ttl

    def oidc_token(self, ttl: float, subject: str = "system:serviceaccount:awx:awx-ee") -> str:
        """A service account token as the cluster's OIDC issuer would write it (a JWT; the emulator reads its
        claims, it does not check a signature)."""
        def part(data: dict[str, t.Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
        claims = {"iss": OIDC_ISSUER, "sub": subject, "aud": ["sts.aliyuncs.com"], "exp": int(self.clock() + ttl),
                  "iat": int(self.clock())}
        return "%s.%s.%s" % (part({"alg": "RS256", "kid": "emulator"}), part(claims), secrets.token_urlsafe(32))

    def assume_role_with_oidc(self, raw_query: str) -> dict[str, t.Any]:
        """AssumeRoleWithOIDC: not signed; the token's issuer, audience and expiry are checked, and the role must
        trust the OIDC provider."""
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        if query.get("OIDCProviderArn") != OIDC_PROVIDER:
            raise EasError(404, "EntityNotExist.OIDCProvider", "The specified OIDC provider does not exist.")
        try:
            payload = query.get("OIDCToken", "").split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError):
            raise EasError(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid.") from None
        if claims.get("iss") != OIDC_ISSUER or "sts.aliyuncs.com" not in claims.get("aud", []):
            raise EasError(400, "AuthenticationFail.OIDCToken.Invalid", "The issuer or audience of the OIDC token "
                                                                        "does not match the provider.")
        if claims.get("exp", 0) < self.clock():
            raise EasError(400, "AuthenticationFail.OIDCToken.Expired", "The OIDC token is expired.")
        role = self.roles.get(query.get("RoleArn", ""))
        if role is None:
            raise EasError(404, "EntityNotExist.Role", "The specified Role not exists: %s" % query.get("RoleArn"))
        if OIDC_PROVIDER not in role.get("trusts", ()):
            raise EasError(403, "NoPermission", "You are not authorized to do this action. You should be "
                                                "authorized by RAM.")
        return self._issue(query, role)

    def credentials_uri(self, role_arn: str) -> dict[str, t.Any]:
        """What a credentials URI server answers: keys of a role, with Code Success."""
        role = self.roles.get(role_arn)
        if role is None:
            return {"Code": "RoleNotFound", "Message": "no role %s" % role_arn}
        issued = self._issue({"RoleArn": role_arn, "RoleSessionName": "credentials-uri"}, role)["Credentials"]
        return dict(issued, Code="Success")

    def assume_role(self, method: str, raw_query: str) -> dict[str, t.Any]:
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        self._check_common(method, query)
        base_id = query.get("AccessKeyId", "")
        base = self.keys.get(base_id)
        if base is None:
            raise EasError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        expected = base64.b64encode(hmac.new((str(base["secret"]) + "&").encode("utf-8"), rpc_string_to_sign(
            method, {k: v for k, v in query.items() if k != "Signature"}).encode("utf-8"), hashlib.sha1).digest())
        if not hmac.compare_digest(expected.decode("ascii"), query.get("Signature", "")):
            raise EasError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        if base.get("token") and query.get("SecurityToken") != base["token"]:
            raise EasError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                           "The security token does not match the access key.")
        if base.get("expires") and self.clock() > base["expires"]:
            raise EasError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
        self._check_nonce(query.get("SignatureNonce", ""))
        arn = query.get("RoleArn", "")
        if not ROLE_ARN_RE.match(arn):
            raise EasError(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.")
        role = self.roles.get(arn)
        if role is None:
            raise EasError(404, "EntityNotExist.Role", "The specified Role not exists: %s" % arn)
        if base_id not in role.get("trusts", ()) or (role.get("external_id") and
                                                     query.get("ExternalId") != role["external_id"]):
            raise EasError(403, "NoPermission", "You are not authorized to do this action. You should be "
                                                "authorized by RAM.")
        return self._issue(query, role)

    def _issue(self, query: dict[str, str], role: dict[str, t.Any]) -> dict[str, t.Any]:
        """Check the session name and duration, and issue keys for the role."""
        arn = query["RoleArn"]
        name = query.get("RoleSessionName", "")
        if not SESSION_NAME_RE.match(name):
            raise EasError(400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly "
                                                                    "formed.")
        try:
            duration = int(query.get("DurationSeconds", "3600"))
        except ValueError:
            duration = 0
        if not 900 <= duration <= int(role.get("max_duration", 3600)):
            raise EasError(400, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is "
                                                                    "15min/%ds." % int(role.get("max_duration", 3600)))
        expires = self.clock() + (self.ttl if self.ttl is not None else duration)
        access_key_id = "STS.N" + secrets.token_hex(10)
        issued = {"secret": secrets.token_urlsafe(24), "token": "CAIS" + secrets.token_urlsafe(48),
                  "expires": expires, "role": arn, "session": name}
        with self.lock:
            self.keys[access_key_id] = issued
            self.issued += 1
        expiration = datetime.datetime.fromtimestamp(int(expires), datetime.timezone.utc)
        return {"Credentials": {"AccessKeyId": access_key_id, "AccessKeySecret": issued["secret"],
                                "SecurityToken": issued["token"],
                                "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")},
                "AssumedRoleUser": {"Arn": "%s/%s" % (arn.replace(":role/", ":assumed-role/"), name),
                                    "AssumedRoleId": "3%016d:%s" % (self.issued, name)}}

    def _check_common(self, method: str, query: dict[str, str]) -> None:
        for name, value in (("Format", "JSON"), ("Version", "2015-04-01"), ("SignatureMethod", "HMAC-SHA1"),
                            ("SignatureVersion", "1.0")):
            if query.get(name, value if name == "Format" else None) != value:
                raise EasError(400, "InvalidParameter", "%s must be %s." % (name, value))
        if method not in ("GET", "POST"):
            raise EasError(400, "UnsupportedHTTPMethod", "This http method is not supported.")
        if "Signature" not in query or "AccessKeyId" not in query:
            raise EasError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        try:
            moment = datetime.datetime.strptime(query.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            raise EasError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well "
                                                           "formatted.") from None
        if abs(moment.timestamp() - self.clock()) > WINDOW:
            raise EasError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")

    def _check_nonce(self, nonce: str) -> None:
        check_nonce(nonce, self.nonces, self.lock, self.clock())
