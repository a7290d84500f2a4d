# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's STS accepts AssumeRole as Alibaba Cloud's credentials package signed it (vectors S1, S2), refuses
what the cloud refuses, and issues keys that ListServices takes only with their token and only until they expire."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import pai_eas, sts
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK
FROZEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc).timestamp()


class Clock:
    def __init__(self):
        self.now = FROZEN

    def __call__(self):
        return self.now


def service(token=None, external_id="abcd1234", trusts=(AK,)):
    clock = Clock()
    keys = {AK: {"secret": SK, "token": token}}
    emulator = sts.Sts(keys, clock=clock)
    role = {"trusts": list(trusts), "external_id": external_id, "max_duration": 3600}
    emulator.configure({vectors.STS_ROLE_ARN: role})
    return emulator, keys, clock


def wire(params, signature, **changes):
    """The query as the package's HTTP layer sends it (urlencode: + for a space, which these values lack)."""
    query = dict(params, Signature=signature)
    query.update(changes)
    return urlencode({k: v for k, v in query.items() if v is not None})


@pytest.mark.parametrize("token, params, signature", [
    (None, vectors.S1_PARAMS, vectors.S1_SIGNATURE),
    (vectors.SECURITY_TOKEN, vectors.S2_PARAMS, vectors.S2_SIGNATURE),
], ids=["S1", "S2"])
def test_accepts_the_packages_request_and_issues_keys(token, params, signature):
    emulator, keys, clock = service(token)
    reply = emulator.assume_role("GET", wire(params, signature))
    issued = reply["Credentials"]
    assert issued["AccessKeyId"].startswith("STS.") and keys[issued["AccessKeyId"]]["token"] == issued["SecurityToken"]
    assert issued["Expiration"] == datetime.datetime.fromtimestamp(clock.now + 1800, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    with pytest.raises(pai_eas.EasError) as info:  # the same nonce again
        emulator.assume_role("GET", wire(params, signature))
    assert info.value.code == "SignatureNonceUsed"


@pytest.mark.parametrize("changes, code", [
    ({"Signature": "AAAA" + vectors.S1_SIGNATURE[4:]}, "SignatureDoesNotMatch"),
    ({"DurationSeconds": "1801"}, "SignatureDoesNotMatch"),
    ({"AccessKeyId": "LTAI5tUNKNOWN"}, "InvalidAccessKeyId.NotFound"),
    ({"SignatureMethod": "HMAC-SHA256"}, "InvalidParameter"),
    ({"Timestamp": "2024-01-02T03:05:05Z"}, "SignatureDoesNotMatch"),
])
def test_refuses_an_altered_request(changes, code):
    emulator, _keys, _clock = service()
    with pytest.raises(pai_eas.EasError) as info:
        emulator.assume_role("GET", wire(vectors.S1_PARAMS, vectors.S1_SIGNATURE, **changes))
    assert info.value.code == code


def test_a_stale_timestamp_is_refused_before_the_signature():
    emulator, _keys, clock = service()
    clock.now += 16 * 60
    with pytest.raises(pai_eas.EasError) as info:
        emulator.assume_role("GET", wire(vectors.S1_PARAMS, vectors.S1_SIGNATURE))
    assert info.value.code == "InvalidTimeStamp.Expired"


@pytest.mark.parametrize("kwargs, status, code", [
    ({"external_id": "another"}, 403, "NoPermission"),
    ({"trusts": ("LTAI5tSOMEONEELSE",)}, 403, "NoPermission"),
])
def test_the_role_must_trust_the_caller(kwargs, status, code):
    emulator, _keys, _clock = service(**kwargs)
    with pytest.raises(pai_eas.EasError) as info:
        emulator.assume_role("GET", wire(vectors.S1_PARAMS, vectors.S1_SIGNATURE))
    assert (info.value.status, info.value.code) == (status, code)


def test_an_unknown_role_is_entity_not_exist():
    emulator, _keys, _clock = service()
    emulator.configure({})
    with pytest.raises(pai_eas.EasError) as info:
        emulator.assume_role("GET", wire(vectors.S1_PARAMS, vectors.S1_SIGNATURE))
    assert (info.value.status, info.value.code) == (404, "EntityNotExist.Role")


def test_issued_keys_expire_on_the_emulators_clock():
    emulator, keys, clock = service()
    emulator.configure(ttl=5)
    issued = emulator.assume_role("GET", wire(vectors.S1_PARAMS, vectors.S1_SIGNATURE))["Credentials"]
    verifier = pai_eas.Acs3Verifier(keys, clock=clock)
    clock.now += 6
    with pytest.raises(pai_eas.EasError) as info:  # refused before its signature is even looked at
        verifier.verify("GET", "/api/v2/services", "", {"authorization": "ACS3-HMAC-SHA256 Credential=%s,"
                        "SignedHeaders=host,Signature=%s" % (issued["AccessKeyId"], "0" * 64)}, b"")
    assert info.value.code == "InvalidSecurityToken.Expired"
