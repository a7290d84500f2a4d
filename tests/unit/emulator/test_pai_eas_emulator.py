# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator is test equipment: it must accept what the official SDK signs and refuse anything else."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import fleet, pai_eas
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK
# What the SDK sent on the wire: the same query, with + for spaces (docs/docsite/rst/wire.rst A.3 step 11).
D1_WIRE_QUERY = vectors.D1_QUERY.replace("%20", "+")
D1_HEADERS = vectors.D1_HEADERS
SIGNED = ("accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
          "x-acs-signature-nonce;x-acs-version")
D1_AUTH = ("ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature="
           "d1b4b94c0a6280598c561bfe467053acdda8fc4425d672ca6e4794327f9c092b" % (AK, SIGNED))
D2_SIGNED = ("accept;host;user-agent;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;"
             "x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version")
FROZEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc).timestamp()


def verifier(token=None, clock=FROZEN):
    return pai_eas.Acs3Verifier({AK: {"secret": SK, "token": token}}, clock=lambda: clock)


def request(headers=None, query=D1_WIRE_QUERY, auth=D1_AUTH):
    return ("GET", "/api/v2/services", query, dict(headers or D1_HEADERS, authorization=auth), b"")


def test_accepts_d1_as_sent_by_the_sdk_with_plus_for_space():
    assert verifier().verify(*request()) == AK


def test_accepts_d1_with_percent_twenty_for_space():
    assert verifier().verify(*request(query=D1_WIRE_QUERY.replace("+", "%20"))) == AK


def test_accepts_d2_sts():
    headers = vectors.D2_HEADERS
    auth = "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (AK, D2_SIGNED, vectors.D2_SIGNATURE)
    assert verifier(token=vectors.D2_TOKEN).verify(*request(headers, auth=auth)) == AK


@pytest.mark.parametrize("change, code", [
    ({"auth": D1_AUTH[:-1] + "0"}, "SignatureDoesNotMatch"),
    ({"headers": dict(D1_HEADERS, **{"user-agent": "other"})}, "SignatureDoesNotMatch"),
    ({"query": D1_WIRE_QUERY.replace("PageSize=50", "PageSize=51")}, "SignatureDoesNotMatch"),
    ({"auth": D1_AUTH.replace(AK, "LTAI5tOTHER")}, "InvalidAccessKeyId.NotFound"),
    ({"auth": D1_AUTH.replace("accept;host;", "accept;")}, "IncompleteSignature"),
    ({"auth": "acs %s:abc" % AK}, "IncompleteSignature"),
    ({"headers": dict(D1_HEADERS, **{"x-acs-date": "2024-01-02T03:34:05Z"})}, "InvalidTimeStamp.Expired"),
])
def test_refuses(change, code):
    with pytest.raises(pai_eas.EasError) as info:
        verifier().verify(*request(**change))
    assert info.value.code == code


def test_refuses_a_reused_nonce_and_a_missing_sts_token():
    check = verifier()
    check.verify(*request())
    with pytest.raises(pai_eas.EasError) as info:
        check.verify(*request())
    assert info.value.code == "SignatureNonceUsed"
    with pytest.raises(pai_eas.EasError) as info:
        verifier(token="expected").verify(*request())
    assert info.value.code == "InvalidSecurityToken.Malformed"


SERVICES = fleet.pai_eas_fleet(3, 60, "cn-hangzhou", "http://127.0.0.1:1")


def names(page):
    return [s["ServiceName"] for s in page["Services"]]


def test_paging_and_default_order():
    everything = pai_eas.list_services(SERVICES, {"PageSize": "100"}, 100)
    assert everything["TotalCount"] == 60
    assert names(everything) == [s["ServiceName"] for s in pai_eas.default_order(SERVICES)]
    second = pai_eas.list_services(SERVICES, {"PageNumber": "2", "PageSize": "25"}, 100)
    assert names(second) == names(everything)[25:50]
    assert pai_eas.list_services(SERVICES, {"PageNumber": "9"}, 100)["Services"] == []


@pytest.mark.parametrize("query", [{"PageSize": "101"}, {"PageSize": "0"}, {"PageNumber": "x"}, {"Order": "up"},
                                   {"Sort": "NoSuchField"}, {"Label": "[1]"}, {"IncludeNoWorkspace": "maybe"}])
def test_bad_parameters(query):
    with pytest.raises(pai_eas.EasError) as info:
        pai_eas.list_services(SERVICES, query, 100)
    assert info.value.code == "InvalidParameter" and info.value.status == 400


SAMPLE = SERVICES[7]
FILTER_CASES = {
    # wire parameter: (value, which services match, told independently of the emulator's code)
    "ServiceName": (SAMPLE["ServiceName"], lambda s: s["ServiceName"] == SAMPLE["ServiceName"]),
    "ServiceStatus": ("Running", lambda s: s["Status"] == "Running"),
    "WorkspaceId": (SAMPLE["WorkspaceId"], lambda s: s["WorkspaceId"] == SAMPLE["WorkspaceId"]),
    "Label": ('{"%s":"%s"}' % (SAMPLE["Labels"][1]["LabelKey"], SAMPLE["Labels"][1]["LabelValue"]),
              lambda s: SAMPLE["Labels"][1] in s["Labels"]),
    "ResourceName": (SAMPLE["ResourceAlias"], lambda s: s["ResourceAlias"] == SAMPLE["ResourceAlias"]),
    "IncludeNoWorkspace": ("false", lambda s: bool(s["WorkspaceId"])),
    "AutoscalerEnabled": ("TRUE", lambda s: s["AutoscalerEnabled"] is True),
    "Filter": (SAMPLE["ServiceName"][:4].upper(), lambda s: SAMPLE["ServiceName"][:4] in s["ServiceName"]),
}


@pytest.mark.parametrize("key", sorted(FILTER_CASES))
def test_filters(key):
    value, matches = FILTER_CASES[key]
    expected = {s["ServiceId"] for s in SERVICES if matches(s)}
    assert 0 < len(expected) < len(SERVICES)  # the case tells services apart
    page = pai_eas.list_services(SERVICES, {key: value, "PageSize": "100"}, 100)
    assert page["TotalCount"] == len(expected)
    got = {s["ServiceId"] for s in page["Services"]}
    assert len(got) == min(100, len(expected)) and got <= expected


def test_label_with_a_null_value_matches_the_key():
    team = pai_eas.list_services(SERVICES, {"Label": '{"team":null}', "PageSize": "100"}, 100)
    expected = {s["ServiceId"] for s in SERVICES if any(item["LabelKey"] == "team" for item in s["Labels"])}
    assert expected and page_ids(team) <= expected and team["TotalCount"] == len(expected)


def page_ids(page):
    return {s["ServiceId"] for s in page["Services"]}


def test_fleet_is_deterministic_and_hostile_names_are_there():
    assert fleet.pai_eas_fleet(3, 5, "r", "u") == fleet.pai_eas_fleet(3, 5, "r", "u")
    hostile = fleet.pai_eas_fleet(3, 5, "r", "u", hostile=True)
    assert any("{{" in s["ServiceName"] for s in hostile)
    assert len({s["ServiceId"] for s in hostile}) == len(hostile)


def test_each_region_has_its_own_fleet_served_by_host_name():
    from ansible_collections.modelserving.cloud.tests.emulator import (  # pylint: disable=import-outside-toplevel
        huawei,
        server,
    )

    emulator = server.Emulator(seed=5, pai_eas_services=20, region="cn-hangzhou", keys={},
                               huawei_cloud=huawei.HuaweiCloud(keys={}, users={}, seed=5, modelarts_services=1,
                                                               fabric_instances=1))
    main, other = emulator.pai_eas_services("cn-hangzhou"), emulator.pai_eas_services("cn-shanghai")
    assert main is emulator.services and len(other) == 20
    assert {s["Region"] for s in other} == {"cn-shanghai"}
    assert not {s["ServiceId"] for s in main} & {s["ServiceId"] for s in other}
    assert emulator.pai_eas_services("cn-shanghai") is other
    emulator.reset(seed=5, pai_eas_services=20)
    assert [s["ServiceId"] for s in emulator.pai_eas_services("cn-shanghai")] == [s["ServiceId"] for s in other]
    assert server.CLOUD_HOST.match("pai-eas.cn-shanghai.aliyuncs.com").group(1) == "cn-shanghai"


def test_accepts_e1_a_non_ascii_label_as_the_sdk_sent_it():
    auth = "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (AK, SIGNED, vectors.E1_SIGNATURE)
    assert verifier().verify("GET", "/api/v2/services", vectors.E1_WIRE_QUERY,
                             dict(vectors.E1_HEADERS, authorization=auth), b"") == AK
    tampered = vectors.E1_WIRE_QUERY.replace("%E6%8E%92", "%E6%8E%93")
    with pytest.raises(pai_eas.EasError):
        verifier().verify("GET", "/api/v2/services", tampered, dict(vectors.E1_HEADERS, authorization=auth), b"")


def test_the_default_order_follows_the_fleet_as_it_changes():
    """A fleet's default order is kept between pages, and made anew when a service comes or goes."""
    services = fleet.pai_eas_fleet("order", 30, "cn-hangzhou", "https://pai-eas.cn-hangzhou.aliyuncs.com")

    def listed():
        return [s["ServiceId"] for number in (1, 2, 3, 4) for s in pai_eas.list_services(
            services, {"PageNumber": str(number), "PageSize": "10"}, 100)["Services"]]

    assert listed() == [s["ServiceId"] for s in pai_eas.default_order(services)] and listed() == listed()
    newest = dict(services[0], ServiceId="eas-m-newest", CreateTime="2999-01-01T00:00:00Z")
    services.append(newest)
    assert listed()[0] == "eas-m-newest" and len(listed()) == 31
    services.remove(newest)
    services.pop(3)
    assert listed() == [s["ServiceId"] for s in pai_eas.default_order(services)] and len(listed()) == 29
    ascending = pai_eas.list_services(services, {"Order": "asc", "PageSize": "100"}, 100)["Services"]
    assert ascending == pai_eas.default_order(services)[::-1]
