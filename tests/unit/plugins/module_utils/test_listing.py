# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""list_services with HTTP stubbed at the session: options to wire, pages to records."""

from __future__ import annotations

import gc
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from ansible_collections.modelserving.cloud.plugins.module_utils import listing
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas


def params(**overrides):
    values = {name: entry.get("default") for name, entry in listing.argument_spec(pai_eas).items()}
    values.update(access_key_id="AK", access_key_secret="SK", region="cn-hangzhou", max_retries=0)
    values.update(overrides)
    return values


class Cloud:
    """Answers ListServices pages from a list of services, recording each query."""

    def __init__(self, services, page_body=None):
        self.services = services
        self.queries = []
        self.page_body = page_body

    def send(self, prepared, **kwargs):
        query = dict(parse_qsl(urlsplit(prepared.url).query, keep_blank_values=True))
        self.queries.append((prepared.url, query, dict(prepared.headers)))
        number, size = int(query["PageNumber"]), int(query["PageSize"])
        body = self.page_body or {"RequestId": "R-%d" % number, "TotalCount": len(self.services),
                                  "Services": self.services[(number - 1) * size:number * size]}
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(body).encode()  # pylint: disable=protected-access
        return response


@pytest.fixture
def cloud(monkeypatch):
    holder = {}

    def install(services, page_body=None):
        holder["cloud"] = Cloud(services, page_body)
        original = listing.Transport.__init__

        def init(self, **kwargs):
            original(self, **kwargs)
            self.session.send = holder["cloud"].send

        monkeypatch.setattr(listing.Transport, "__init__", init)
        return holder["cloud"]

    return install


def test_filters_go_on_the_wire_signed_and_sorted(cloud):
    fake = cloud([{"ServiceId": "eas-m-%d" % i, "Status": "Running", "AccessToken": "tok"} for i in range(5)])
    result = listing.list_services(pai_eas, params(label={"app": "demo", "env": None}, include_no_workspace=False,
                                                   service_status="Running", page_size=2, concurrency=2))
    assert [s["service_id"] for s in result.services] == ["eas-m-%d" % i for i in range(5)]
    assert result.total_count == 5 and result.request_ids == ["R-1", "R-2", "R-3"]
    url, query, headers = fake.queries[0]
    assert url.startswith("https://pai-eas.cn-hangzhou.aliyuncs.com/api/v2/services?IncludeNoWorkspace=false&Label=")
    assert query["Label"] == '{"app":"demo","env":null}'
    assert query["ServiceStatus"] == "Running" and query["PageSize"] == "2"
    assert "service_name" not in json.dumps(query).lower()
    assert headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=accept;host;")
    assert all("access_token" not in s for s in result.services)
    assert "tok" not in json.dumps(result.services)


def test_access_token_kept_when_asked(cloud):
    cloud([{"ServiceId": "a", "AccessToken": "tok-a"}])
    result = listing.list_services(pai_eas, params(include_access_token=True))
    assert result.services[0]["access_token"] == "tok-a"


@pytest.mark.parametrize("body", [
    {"RequestId": "R", "TotalCount": 1, "Services": "nope"},
    {"RequestId": "R", "TotalCount": "1", "Services": []},
    {"RequestId": "R", "TotalCount": 1, "Services": [1, 2]},
])
def test_a_malformed_page_is_an_error(cloud, body):
    cloud([], page_body=body)
    with pytest.raises(ApiError) as info:
        listing.list_services(pai_eas, params())
    assert "no list of Services or a bad TotalCount" in str(info.value)
    assert info.value.request_id == "R"


@pytest.mark.parametrize("service", [{"ServiceName": "a"}, {"ServiceId": ""}, {"ServiceId": None},
                                     {"ServiceId": {"x": 1}}, {"ServiceId": True}])
def test_a_service_without_its_id_is_an_error(cloud, service):
    """Two such services could not be told apart: an error, never one merged or dropped silently."""
    cloud([{"ServiceId": "eas-m-1"}, service, dict(service)])
    with pytest.raises(ApiError) as info:
        listing.list_services(pai_eas, params())
    assert "the reply has 2 of Services without a ServiceId (item 2 of this page is one)" in str(info.value)
    assert info.value.request_id == "R-1"


def test_integer_ids_are_ids(cloud):
    cloud([{"ServiceId": 0}, {"ServiceId": 1}, {"ServiceId": "2"}])
    assert [s["service_id"] for s in listing.list_services(pai_eas, params()).services] == [0, 1, "2"]


def test_an_empty_fleet(cloud):
    cloud([], page_body={"RequestId": "R", "TotalCount": 0})
    assert listing.list_services(pai_eas, params()).services == []


@pytest.mark.parametrize("overrides, text", [
    ({"page_size": 0}, "page_size is 0; allowed: at least 1"),
    ({"max_results": -1}, "max_results is -1"),
    ({"concurrency": 100}, "concurrency is 100; allowed: 1 to 64"),
    ({"max_retries": 21}, "max_retries is 21"),
])
def test_limits(overrides, text):
    with pytest.raises(ConfigError) as info:
        listing.list_services(pai_eas, params(**overrides))
    assert text in str(info.value)


@pytest.mark.parametrize("overrides, url", [
    ({"region": "cn-hangzhou"}, "https://pai-eas.cn-hangzhou.aliyuncs.com"),
    ({"region": "cn-hangzhou", "endpoint": "pai-eas-manage-vpc.cn-hangzhou.aliyuncs.com"},
     "https://pai-eas-manage-vpc.cn-hangzhou.aliyuncs.com"),
    ({"endpoint": "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080"),
])
def test_base_url(overrides, url):
    assert listing.base_url(pai_eas, overrides) == url


@pytest.mark.parametrize("overrides, texts", [
    ({}, ("no region given", "Set region (or ALIBABA_CLOUD_REGION_ID), or endpoint")),
    ({"region": "cn-hangzhou.evil.example/x"},
     ("'cn-hangzhou.evil.example/x' is not a region ID", "such as cn-hangzhou")),
])
def test_base_url_errors(overrides, texts):
    with pytest.raises(ConfigError) as info:
        listing.base_url(pai_eas, overrides)
    for text in texts:
        assert text in str(info.value)


@pytest.mark.parametrize("given, sent, warned", [
    ("running", "Running", False), ("RUNNING", "Running", False), ("hotupdate", "HotUpdate", False),
    ("Hot_Update", "HotUpdate", False), ("Runing", "Runing", True),
])
def test_enumerated_filters_take_any_spelling_and_warn_on_unknown_values(cloud, given, sent, warned):
    stub = cloud([])
    result = listing.list_services(pai_eas, params(service_status=given, order="DESC"))
    assert stub.queries[0][1]["ServiceStatus"] == sent and stub.queries[0][1]["Order"] == "desc"
    warnings = [w for w in result.warnings if "service_status" in w]
    if warned:
        assert warnings == ["service_status 'Runing' is not a value the API document lists (Creating, Waiting, "
                            "Starting, Running, Updating, HotUpdate, Committing, Stopping, Stopped, Deleting, Failed, "
                            "DeleteFailed, Completed); it is sent as given"]
    else:
        assert warnings == []


def test_collection_is_paused_while_listing_and_resumes_after_the_last_holder(cloud, monkeypatch):
    """A listing pauses Python's cyclic garbage collector (nested and in threads: until the last holder leaves), and
    leaves it as it found it."""
    assert gc.isenabled()
    try:
        with listing.collection_paused():
            assert not gc.isenabled()
            with listing.collection_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with listing.collection_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
    cloud([{"ServiceId": "eas-m-%d" % i, "Status": "Running"} for i in range(5)])
    seen = []
    normalize = listing.normalize
    monkeypatch.setattr(listing, "normalize", lambda *args: seen.append(gc.isenabled()) or normalize(*args))
    assert len(listing.list_services(pai_eas, params(page_size=2, concurrency=2)).services) == 5
    assert seen == [False] * 5 and gc.isenabled()
