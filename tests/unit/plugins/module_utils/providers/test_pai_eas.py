# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ACS3-HMAC-SHA256 against the official SDK's own output (docs/docsite/rst/wire.rst section D), step by step.

Every vector goes through the collection's own path: module options, the provider declaration, the query encoding,
the canonical query and the signer; what comes out must be what the SDK signed (tests/unit/vectors.py says how those
were made).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import encode_value
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import canonical_query
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK
PATH = "/api/v2/services"
CASES = {
    "D1": (vectors.D1_OPTIONS, vectors.D1_PAGING, vectors.D1_QUERY, vectors.D1_HEADERS, vectors.D1_STRING_TO_SIGN,
           vectors.D1_SIGNATURE),
    "D2": (vectors.D1_OPTIONS, vectors.D1_PAGING, vectors.D1_QUERY, vectors.D2_HEADERS, vectors.D2_STRING_TO_SIGN,
           vectors.D2_SIGNATURE),
    "E1": (vectors.E1_OPTIONS, vectors.E1_PAGING, vectors.E1_QUERY, vectors.E1_HEADERS, vectors.E1_STRING_TO_SIGN,
           vectors.E1_SIGNATURE),
}


def signed_names(headers):
    return ";".join(sorted(headers))


def test_label_is_compact_json_with_raw_non_ascii():
    assert encode_value({"app": "demo", "env": "生产"}) == '{"app":"demo","env":"生产"}'
    assert encode_value({"key1": "value1", "key2": None}) == '{"key1":"value1","key2":null}'


def test_booleans_are_lower_case():
    assert encode_value(True) == "true"
    assert encode_value(False) == "false"


@pytest.mark.parametrize("name", sorted(CASES))
def test_module_options_sign_as_the_sdk_did(name):
    options, paging, query, headers, to_sign, signature = CASES[name]
    ours = canonical_query(dict(pai_eas.SPEC.wire_params(options), **paging))
    assert ours == query
    got_to_sign, authorization = pai_eas.acs3_authorization("GET", PATH, ours, headers, AK, SK)
    assert got_to_sign == to_sign
    assert authorization == "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (
        AK, signed_names(headers), signature)


def test_one_changed_byte_changes_the_signature():
    base = pai_eas.acs3_authorization("GET", PATH, vectors.D1_QUERY, vectors.D1_HEADERS, AK, SK)[1]
    other = dict(vectors.D1_HEADERS, **{"x-acs-date": "2024-01-02T03:04:06Z"})
    assert pai_eas.acs3_authorization("GET", PATH, vectors.D1_QUERY, other, AK, SK)[1] != base
    assert pai_eas.acs3_authorization("GET", PATH, vectors.D1_QUERY, vectors.D1_HEADERS, AK, SK + "x")[1] != base


class FrozenClock:
    """Stands for the ``datetime`` module in pai_eas: the SDK's frozen x-acs-date."""

    timezone = dt.timezone

    class datetime:  # pylint: disable=invalid-name
        """The module's class, by its name."""

        @staticmethod
        def now(tz=None):
            return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz)


class Nonce:
    """Stands for ``uuid``: the SDK's frozen nonce, then a fresh one."""

    def __init__(self, *values):
        self.values = list(values)

    def uuid4(self):
        return type("UUID", (), {"hex": self.values.pop(0)})()


@pytest.mark.parametrize("token, vector_headers, signature", [
    (None, vectors.D1_HEADERS, vectors.D1_SIGNATURE),
    (vectors.D2_TOKEN, vectors.D2_HEADERS, vectors.D2_SIGNATURE),
])
def test_the_signer_signs_as_the_sdk_did(monkeypatch, token, vector_headers, signature):
    """The signer adds the x-acs headers itself; with the SDK's clock and nonce it gives the SDK's Authorization."""
    monkeypatch.setattr(pai_eas, "datetime", FrozenClock)
    monkeypatch.setattr(pai_eas, "uuid", Nonce(vector_headers["x-acs-signature-nonce"], "another-nonce"))
    # What the transport sets, plus the SDK's informational x-acs-credentials-provider, which the vector signs.
    headers = {"host": vector_headers["host"], "user-agent": vectors.ALIBABA_UA, "accept": "application/json",
               "x-acs-credentials-provider": vector_headers["x-acs-credentials-provider"]}
    again = dict(headers)
    signer = pai_eas.Acs3Signer(credentials.FixedKeys(credentials.Keys(AK, SK, token)))
    signer.sign("GET", headers["host"], PATH, vectors.D1_QUERY, headers, b"")
    assert {k: v for k, v in headers.items() if k != "authorization"} == vector_headers
    assert headers["authorization"] == "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (
        AK, signed_names(vector_headers), signature)
    signer.sign("GET", headers["host"], PATH, vectors.D1_QUERY, again, b"")  # a retry: fresh nonce, new signature
    assert again["x-acs-signature-nonce"] == "another-nonce" and again["authorization"] != headers["authorization"]


def test_missing_keys_name_the_env_vars():
    with pytest.raises(ConfigError) as info:
        pai_eas.signer({"access_key_id": "x"})
    assert "access_key_secret" in str(info.value)
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" in str(info.value)


def test_read_error_takes_code_message_request_id():
    code, message, request_id = pai_eas.read_error(400, {}, {
        "Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched.", "RequestId": "R-1",
        "Recommend": "https://api.aliyun.com/troubleshoot"})
    assert (code, request_id) == ("SignatureDoesNotMatch", "R-1")
    assert "Specified signature" in message and "troubleshoot" in message
    assert pai_eas.read_error(502, {"x-acs-request-id": "R-2"}, None) == (None, "HTTP 502", "R-2")


# The lifecycle writes (wire.rst A.10): a JSON body, PUT and DELETE, and JSON carried in the query.
WRITES = {name: getattr(vectors, name) for name in ("EAS_CREATE", "EAS_UPDATE", "EAS_STOP", "EAS_DELETE")}


def body_bytes(vector):
    return (vector["body"] or "").encode("utf-8")


def test_create_query_carries_the_labels_as_the_sdk_did():
    """CreateService's Labels: the same compact JSON as ListServices' Label, then the canonical query."""
    query = canonical_query(vectors.EAS_CREATE["options"])
    assert query == vectors.EAS_CREATE["query"]
    assert query.replace("%20", "+") == vectors.EAS_CREATE["wire_query"]  # the SDK's wire differs only there


@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_sign_as_the_sdk_did(name):
    vector = WRITES[name]
    assert hashlib.sha256(body_bytes(vector)).hexdigest() == vector["headers"]["x-acs-content-sha256"]
    to_sign, authorization = pai_eas.acs3_authorization(vector["method"], vector["path"], vector["query"],
                                                        vector["headers"], AK, SK)
    assert to_sign == vector["string_to_sign"]
    assert authorization == "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (
        AK, signed_names(vector["headers"]), vector["signature"])


def sign_write(monkeypatch, vector):
    """Sign a write vector's request with Acs3Signer, its clock and nonce frozen to the SDK's, the operation's action
    given as the lifecycle calls give it (an ``x-acs-action`` header); return the headers."""
    monkeypatch.setattr(pai_eas, "datetime", FrozenClock)
    monkeypatch.setattr(pai_eas, "uuid", Nonce(vector["headers"]["x-acs-signature-nonce"]))
    given = ("host", "user-agent", "accept", "x-acs-credentials-provider", "content-type", "x-acs-action")
    headers = {name: vector["headers"][name] for name in given if name in vector["headers"]}
    signer = pai_eas.Acs3Signer(credentials.FixedKeys(credentials.Keys(AK, SK, None)))
    signer.sign(vector["method"], headers["host"], vector["path"], vector["query"], headers, body_bytes(vector))
    return headers


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_signer_signs_writes_as_the_sdk_did(monkeypatch, name):
    """Given the operation's action, Acs3Signer sends it, hashes the body and signs PUT, DELETE and a JSON query as
    the SDK did."""
    vector = WRITES[name]
    headers = sign_write(monkeypatch, vector)
    assert headers["x-acs-action"] == vector["headers"]["x-acs-action"] != pai_eas.ACTION
    assert {k: v for k, v in headers.items() if k != "authorization"} == vector["headers"]
    assert headers["authorization"].endswith(",Signature=" + vector["signature"])
