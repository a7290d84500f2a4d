# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-HMAC-SHA256 against the official SDK's own output (docs/docsite/rst/wire.rst section D), step by step.

Every vector goes through the collection's own path: module options, the provider declaration, the query encoding,
the canonical query and the signer; what comes out must be what the SDK signed (tests/unit/vectors.py says how those
were made).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import (
    dataarts_fabric,
    huawei_signer,
    modelarts,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import canonical_query
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK, PROJECT = vectors.HUAWEI_AK, vectors.HUAWEI_SK, vectors.PROJECT
CASES = {
    "D4": (modelarts, vectors.D4_OPTIONS, vectors.D4_PAGING, vectors.MODELARTS_PATH, vectors.MODELARTS_HEADERS,
           vectors.D4_QUERY, vectors.D4_STRING_TO_SIGN, vectors.D4_SIGNATURE),
    "H1": (modelarts, vectors.H1_OPTIONS, vectors.H1_PAGING, vectors.MODELARTS_PATH, vectors.MODELARTS_HEADERS,
           vectors.H1_QUERY, vectors.H1_STRING_TO_SIGN, vectors.H1_SIGNATURE),
    "D5": (dataarts_fabric, vectors.D5_OPTIONS, vectors.D5_PAGING, vectors.FABRIC_PATH, vectors.FABRIC_HEADERS,
           vectors.D5_QUERY, vectors.D5_STRING_TO_SIGN, vectors.D5_SIGNATURE),
    "H2": (dataarts_fabric, vectors.H2_OPTIONS, vectors.H2_PAGING, vectors.FABRIC_PATH, vectors.FABRIC_HEADERS,
           vectors.H2_QUERY, vectors.H2_STRING_TO_SIGN, vectors.H2_SIGNATURE),
}


def authorization(headers, signature):
    names = ";".join(sorted(name.lower() for name in headers))
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (AK, names, signature)


def test_canonical_uri_ends_with_a_slash():
    assert huawei_signer.canonical_uri(vectors.MODELARTS_PATH) == vectors.MODELARTS_PATH + "/"
    assert huawei_signer.canonical_uri("/v1/a b/") == "/v1/a%20b/"


@pytest.mark.parametrize("name", sorted(CASES))
def test_module_options_sign_as_the_sdk_did(name):
    provider, options, paging, path, headers, query, to_sign, signature = CASES[name]
    ours = canonical_query(dict(provider.SPEC.wire_params(options), **paging))
    assert ours == query
    got_to_sign, got = huawei_signer.aksk_authorization("GET", path, ours, headers, b"", AK, SK)
    assert got_to_sign == to_sign
    assert got == authorization(headers, signature)


def test_d6_encoding_edge_cases():
    query = canonical_query({"b": True, "a": ["z", "y"], "A": "x y~*"})
    assert query == vectors.D6_QUERY
    got = huawei_signer.aksk_authorization("GET", vectors.MODELARTS_PATH, query, vectors.MODELARTS_HEADERS, b"",
                                           AK, SK)[1]
    assert got == authorization(vectors.MODELARTS_HEADERS, vectors.D6_SIGNATURE)


def test_headers_with_underscores_are_not_signed():
    headers = dict(vectors.MODELARTS_HEADERS, **{"X_Custom": "1"})
    got = huawei_signer.aksk_authorization("GET", vectors.MODELARTS_PATH, vectors.D4_QUERY, headers, b"", AK, SK)[1]
    assert got == authorization(vectors.MODELARTS_HEADERS, vectors.D4_SIGNATURE)


class FrozenClock:
    """Stands for the ``datetime`` module in huawei_signer: the SDK's frozen X-Sdk-Date."""

    timezone = dt.timezone
    timedelta = dt.timedelta

    class datetime:  # pylint: disable=invalid-name
        """The module's class, by its name."""

        @staticmethod
        def now(tz=None):
            return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz)


@pytest.mark.parametrize("token, path, query, vector_headers, signature", [
    (None, vectors.MODELARTS_PATH, vectors.D4_QUERY, vectors.MODELARTS_HEADERS, vectors.D4_SIGNATURE),
    (vectors.SECURITY_TOKEN, vectors.FABRIC_PATH, vectors.H2_QUERY, vectors.FABRIC_HEADERS, vectors.H2_SIGNATURE),
])
def test_the_signer_signs_as_the_sdk_did(monkeypatch, token, path, query, vector_headers, signature):
    """The signer adds Content-Type, X-Sdk-Date, X-Project-Id and X-Security-Token; the result is the SDK's."""
    monkeypatch.setattr(huawei_signer, "datetime", FrozenClock)
    headers = {"host": vector_headers["Host"], "user-agent": vectors.HUAWEI_UA}  # what the transport sets
    signer = huawei_signer.AkSkSigner(credentials.FixedKeys(credentials.Keys(AK, SK, token)), project_id=PROJECT)
    signer.sign("GET", headers["host"], path, query, headers, b"")
    assert {k: v for k, v in headers.items() if k != "authorization"} == {
        k.lower(): v for k, v in vector_headers.items()}
    assert headers["authorization"] == authorization(vector_headers, signature)


# The lifecycle writes (wire.rst B.11, C.2): JSON bodies, PUT and DELETE.
WRITES = {name: getattr(vectors, name) for name in ("MODELARTS_UPDATE", "MODELARTS_DELETE", "FABRIC_CREATE")}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_sign_as_the_sdk_did(name):
    vector = WRITES[name]
    to_sign, got = huawei_signer.aksk_authorization(vector["method"], vector["path"], vector["query"],
                                                    vector["headers"], vector["body"].encode("utf-8"), AK, SK)
    assert to_sign == vector["string_to_sign"]
    assert got == authorization(vector["headers"], vector["signature"])


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_signer_signs_writes_as_the_sdk_did(monkeypatch, name):
    vector = WRITES[name]
    monkeypatch.setattr(huawei_signer, "datetime", FrozenClock)
    token = vector["headers"].get("X-Security-Token")
    headers = {"host": vector["headers"]["Host"], "user-agent": vectors.HUAWEI_UA}  # what the transport sets
    signer = huawei_signer.AkSkSigner(credentials.FixedKeys(credentials.Keys(AK, SK, token)), project_id=PROJECT)
    signer.sign(vector["method"], headers["host"], vector["path"], vector["query"], headers,
                vector["body"].encode("utf-8"))
    assert {k: v for k, v in headers.items() if k != "authorization"} == {
        k.lower(): v for k, v in vector["headers"].items()}
    assert headers["authorization"] == authorization(vector["headers"], vector["signature"])
