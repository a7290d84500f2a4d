# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's IAM assume_role accepts the request huaweicloudsdkiam signed (vector H3), refuses what IAM refuses,
and issues AK/SK that the gateway takes only until they expire."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import huawei
from ansible_collections.modelserving.cloud.tests.unit import vectors

PATH = "/v3.0/OS-CREDENTIAL/securitytokens"
FROZEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc).timestamp()
SIGNED = dict(vectors.H3_HEADERS, authorization="SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;user-agent;"
              "x-domain-id;x-sdk-date, Signature=%s" % (vectors.HUAWEI_AK, vectors.H3_SIGNATURE))


class Clock:
    def __init__(self):
        self.now = FROZEN

    def __call__(self):
        return self.now


@pytest.fixture(name="iam")
def fixture_iam(monkeypatch):
    monkeypatch.setattr(huawei, "ACCOUNT", {"id": vectors.HUAWEI_DOMAIN_ID, "name": "caller"})
    cloud = huawei.HuaweiCloud(keys={vectors.HUAWEI_AK: {"secret": vectors.HUAWEI_SK, "token": None}}, users={},
                               seed=1, modelarts_services=1, fabric_instances=1, clock=Clock())
    return cloud


def test_accepts_the_sdks_request_and_issues_keys_that_expire(iam):
    status, reply, _headers = iam.handle("POST", PATH, "", SIGNED, vectors.H3_BODY.encode("utf-8"), "cn-north-4")
    issued = reply["credential"]
    assert status == 201 and iam.keys[issued["access"]]["token"] == issued["securitytoken"]
    assert issued["expires_at"].startswith("2024-01-02T04:04:05")  # duration_seconds 3600
    iam.clock.now += 3601
    late = {"host": "iam.cn-north-4.myhuaweicloud.com", "x-sdk-date": "20240102T040406Z",
            "authorization": "SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-date, Signature=%s" % (
                issued["access"], "0" * 64)}
    with pytest.raises(huawei.HuaweiError) as info:
        iam.handle("GET", "/v3/projects", "name=cn-north-4", late, b"", "cn-north-4")
    assert info.value.status == 401 and "expired" in info.value.message


def test_aksk_without_the_account_id_are_refused(iam):
    """Signed right, but without X-Domain-Id: IAM is a global service, and AK/SK must name their account."""
    headers = {k: v for k, v in vectors.H3_HEADERS.items() if k != "x-domain-id"}
    names = sorted(headers)
    body = vectors.H3_BODY.encode("utf-8")
    digest = hashlib.sha256(huawei.canonical_request("POST", PATH, "", headers, names, body).encode()).hexdigest()
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (headers["x-sdk-date"], digest)
    signature = hmac.new(vectors.HUAWEI_SK.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        vectors.HUAWEI_AK, ";".join(names), signature)
    with pytest.raises(huawei.HuaweiError) as info:
        iam.handle("POST", PATH, "", headers, body, "cn-north-4")
    assert info.value.status == 401 and "X-Domain-Id" in info.value.message


@pytest.mark.parametrize("change, status", [
    ({"agency_name": "nope"}, 404),
    ({"domain_name": "someone-else"}, 404),
    ({"duration_seconds": 600}, 400),
    ({"session_user": {"name": "1job"}}, 400),
])
def test_refuses_what_iam_refuses(iam, change, status):
    body = json.loads(vectors.H3_BODY)
    body["auth"]["identity"]["assume_role"].update(change)
    with pytest.raises(huawei.HuaweiError) as info:
        iam._assume_agency({"x-auth-token": "t"}, json.dumps(body).encode())  # pylint: disable=protected-access
    assert info.value.status == status


def test_an_agency_that_does_not_delegate_to_the_caller_is_forbidden(iam):
    iam.agencies[("agency-account", "modelarts-reader")]["trusts"] = ["another-account"]
    with pytest.raises(huawei.HuaweiError) as info:
        iam._assume_agency({"x-auth-token": "t"}, vectors.H3_BODY.encode())  # pylint: disable=protected-access
    assert info.value.status == 403
