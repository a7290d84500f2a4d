# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PAI-EAS ListServices as the cloud serves it: ACS3-HMAC-SHA256 checked, every filter, sort and page.

Written from docs/docsite/rst/wire.rst section A and the API document, independently of the collection's own signer.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import threading
import time
import typing as t
from urllib.parse import parse_qsl, quote

from . import fleet

AUTH_RE = re.compile(r"^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$")
WINDOW = 15 * 60
NONCE_TTL = 31 * 60
EXACT = {  # query parameter -> service field, compared as strings
    "ServiceName": "ServiceName", "ServiceStatus": "Status", "ServiceType": "ServiceType",
    "GroupName": "ServiceGroup", "ParentServiceUid": "ParentUid", "ServiceUid": "ServiceUid",
    "WorkspaceId": "WorkspaceId", "QuotaId": "QuotaId", "Gateway": "Gateway", "Role": "Role",
    "ResourceType": "ResourceType", "ResourceAliasName": "ResourceAlias", "ResourceId": "Resource",
    "TrafficState": "TrafficState", "CallerUid": "CallerUid",
}
BOOLS = ("ResourceBurstable", "CronscalerEnabled", "AutoscalerEnabled")
PATH = "/api/v2/services"  # ListServices
# Every query parameter ListServices takes, with the values it allows where it checks them (None: any value). Any
# other parameter is refused: a parameter the collection sends and the emulator ignored would test nothing. The unit
# tests hold this against the provider's declaration, both ways.
QUERY: dict[str, tuple[str, ...] | None] = dict(
    dict.fromkeys(EXACT), **dict.fromkeys(BOOLS), Filter=None, Label=None, IncludeNoWorkspace=None,
    ResourceName=None, Sort=None, Order=("asc", "desc"), PageNumber=None, PageSize=None)


class EasError(Exception):
    """An error reply of the cloud: HTTP status, code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self, request_id: str, host: str) -> dict[str, t.Any]:
        return {"RequestId": request_id, "HostId": host, "Code": self.code, "Message": self.message,
                "Recommend": "https://api.aliyun.com/troubleshoot?q=%s&product=eas" % self.code}


def canonical_query(raw_query: str) -> str:
    """Rebuild the canonical query from what was sent, decoding ``+`` and ``%20`` alike (docs/docsite/rst/wire.rst
    A.3.5, E.2)."""
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in sorted(pairs))


class Acs3Verifier:
    """Checks a request's ACS3-HMAC-SHA256 signature, clock and nonce, as the cloud's gateway does."""

    def __init__(self, keys: dict[str, dict[str, str | None]], clock: t.Callable[[], float] = time.time) -> None:
        self.keys = keys  # AccessKey ID -> {"secret": ..., "token": STS token or None}
        self.clock = clock
        self.nonces: dict[str, float] = {}
        self.lock = threading.Lock()

    def verify(self, method: str, path: str, raw_query: str, headers: t.Mapping[str, str], body: bytes) -> str:
        """Return the AccessKey ID, or raise :class:`EasError` with the cloud's code."""
        lower = {k.lower(): v for k, v in headers.items()}
        match = AUTH_RE.match(lower.get("authorization", ""))
        if not match:
            raise EasError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        access_key_id, signed_list, signature = match.groups()
        key = self.keys.get(access_key_id)
        if key is None:
            raise EasError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if key.get("expires") and self.clock() > key["expires"]:  # temporary keys STS issued
            raise EasError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
        signed = signed_list.split(";")
        required = {"host"} | {name for name in lower if name.startswith("x-acs-")}
        if not required <= set(signed) or any(name not in lower for name in signed):
            raise EasError(400, "IncompleteSignature",
                           "The signed headers must include host and every x-acs-* header sent.")
        self._check_clock(lower.get("x-acs-date", ""))
        if lower.get("x-acs-content-sha256") != hashlib.sha256(body).hexdigest():
            raise EasError(400, "IncompleteSignature", "x-acs-content-sha256 does not match the request body.")
        if key.get("token"):
            if not lower.get("x-acs-security-token"):
                raise EasError(400, "InvalidSecurityToken.Malformed", "The security token is missing.")
            sent_key = lower.get("x-acs-accesskey-id", access_key_id)
            if lower["x-acs-security-token"] != key["token"] or sent_key != access_key_id:
                raise EasError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                               "The security token does not match the access key.")
        canonical_request = "\n".join((
            method, path, canonical_query(raw_query),
            "".join("%s:%s\n" % (name, lower[name].strip()) for name in sorted(signed)),
            ";".join(sorted(signed)), lower["x-acs-content-sha256"]))
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
        expected = hmac.new(str(key["secret"]).encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise EasError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        self._check_nonce(lower.get("x-acs-signature-nonce", ""))
        return access_key_id

    def _check_clock(self, value: str) -> None:
        try:
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise EasError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
                           ) from None
        if abs(moment.timestamp() - self.clock()) > WINDOW:
            raise EasError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")

    def _check_nonce(self, nonce: str) -> None:
        check_nonce(nonce, self.nonces, self.lock, self.clock())


def check_nonce(nonce: str, nonces: dict[str, float], lock: threading.Lock, now: float) -> None:
    """Refuse a missing nonce, or one seen in the last NONCE_TTL seconds; remember it (every Alibaba signature)."""
    if not nonce:
        raise EasError(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
    with lock:
        for old in [n for n, seen in nonces.items() if now - seen > NONCE_TTL]:
            del nonces[old]
        if nonce in nonces:
            raise EasError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        nonces[nonce] = now


def _bool(name: str, value: str) -> bool:
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise EasError(400, "InvalidParameter", "%s must be true or false, not %r." % (name, value))


def _int(name: str, value: str | None, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if number < low or (high is not None and number > high):
        raise EasError(400, "InvalidParameter", "%s must be an integer from %d%s, not %r." % (
            name, low, " to %d" % high if high is not None else "", value))
    return number


def json_object(query: t.Mapping[str, str], name: str, strings: bool = False) -> dict[str, t.Any]:
    """A query parameter that holds a JSON object as text (ListServices ``Label``, CreateService ``Labels``); empty
    when it is not given, an error when it is not one (or, with ``strings``, when a value is no string)."""
    if name not in query:
        return {}
    try:
        found = json.loads(query[name])
    except ValueError:
        found = None
    if not isinstance(found, dict) or (strings and not all(isinstance(v, str) for v in found.values())):
        raise EasError(400, "InvalidParameter", "%s must be a JSON object%s, not %r." % (
            name, " of strings" if strings else "", query[name]))
    return found


def default_order(services: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """The API's default order: newest CreateTime first."""
    return sorted(services, key=lambda s: (s["CreateTime"], s["ServiceId"]), reverse=True)


def list_services(services: list[dict[str, t.Any]], query: dict[str, str], max_page_size: int) -> dict[str, t.Any]:
    """Answer one ListServices page for the decoded query (the last value of a repeated key wins)."""
    unknown = sorted(set(query) - set(QUERY))
    if unknown:
        raise EasError(400, "InvalidParameter", "ListServices takes no parameter %s." % ", ".join(unknown))
    page_number = _int("PageNumber", query.get("PageNumber"), 1, 1, None)
    page_size = _int("PageSize", query.get("PageSize"), 100, 1, max_page_size)
    for name, allowed in QUERY.items():
        if allowed and name in query and query[name] not in allowed:
            raise EasError(400, "InvalidParameter", "%s must be %s, not %r." % (
                name, " or ".join(allowed), query[name]))
    order = query.get("Order", "desc")
    sort = query.get("Sort") or "CreateTime"
    if services and sort not in services[0]:
        raise EasError(400, "InvalidParameter", "Sort field %r is not supported." % sort)
    label = json_object(query, "Label")
    wanted_bools = {name: _bool(name, query[name]) for name in BOOLS if name in query}
    include_no_workspace = _bool("IncludeNoWorkspace", query.get("IncludeNoWorkspace", "true"))
    fuzzy = query.get("Filter", "").lower()

    def matches(service: dict[str, t.Any]) -> bool:
        labels = {item["LabelKey"]: item["LabelValue"] for item in service.get("Labels") or []}
        return (all(str(service.get(field)) == query[param] for param, field in EXACT.items() if param in query)
                and all(service.get(name) is value for name, value in wanted_bools.items())
                and (fuzzy in service["ServiceName"].lower())
                and (include_no_workspace or bool(service.get("WorkspaceId")))
                and query.get("ResourceName", service["Resource"]) in (service["Resource"], service["ResourceAlias"])
                and all(key in labels and (value is None or labels[key] == value) for key, value in label.items()))

    filtered = (any(param in query for param in EXACT) or wanted_bools or fuzzy or not include_no_workspace
                or "ResourceName" in query or label)
    # Without a filter every service matches: skipping the test keeps a big fleet's pages cheap to serve.
    if not filtered and sort == "CreateTime":  # the default: the order of an earlier page, if the fleet is the same
        selected = fleet.in_order(services, "CreateTime", lambda s: (str(s.get("CreateTime")), s["ServiceId"]),
                                  order == "desc")
    else:
        selected = sorted((s for s in services if matches(s)) if filtered else services,
                          key=lambda s: (str(s.get(sort)), s["ServiceId"]), reverse=order == "desc")
    start = (page_number - 1) * page_size
    return {"Services": selected[start:start + page_size], "PageNumber": page_number, "PageSize": page_size,
            "TotalCount": len(selected)}
