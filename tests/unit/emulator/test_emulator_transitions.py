# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scheduled status changes (POST /_emulator/transitions): a change for a service that does not exist is refused
with 400 and the request schedules nothing; a change for one that does happens when its time comes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import huawei, server

REGION = "cn-north-4"


@pytest.fixture(name="emu")
def running_emulator():
    """A served emulator with small fleets, its base URL and a JSON caller."""
    emulator = server.Emulator(seed=3, pai_eas_services=5, region="cn-hangzhou", keys={}, huawei_region=REGION,
                               huawei_cloud=huawei.HuaweiCloud(keys={}, users={}, seed=3, modelarts_services=4,
                                                               fabric_instances=3))
    httpd = server.serve(emulator, 0)
    base = "http://127.0.0.1:%d/_emulator/" % httpd.server_address[1]

    def call(method, route, body=None, raw=None):
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + route, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:  # nosec B310 - the local emulator
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    try:
        yield emulator, call
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("unknown, words", [
    ({"provider": "pai_eas", "service_name": "no-such-svc", "status": "Failed"},
     "no pai_eas service with service_name 'no-such-svc' in region cn-hangzhou"),
    ({"provider": "pai_eas", "region": "cn-shanghai", "service_id": "eas-m-nope", "status": "Failed"},
     "no pai_eas service with service_id 'eas-m-nope' in region cn-shanghai"),
    ({"provider": "modelarts", "region": REGION, "service_name": "no-such-svc", "status": "failed"},
     "no modelarts service with service_name 'no-such-svc' in region cn-north-4"),
    ({"provider": "dataarts_fabric", "workspace_id": "ws-0002", "service_name": "nope", "status": "FAILED"},
     "no dataarts_fabric service with service_name 'nope' in workspace ws-0002"),
])
def test_a_change_for_an_unknown_service_is_refused_and_nothing_is_scheduled(emu, unknown, words):
    emulator, call = emu
    before = dict(emulator.services[0])
    known = {"provider": "pai_eas", "service_name": before["ServiceName"], "status": "Stopping"}
    status, body = call("POST", "transitions", {"transitions": [known, unknown]})
    assert status == 400, body
    assert body == {"error": "transition 2: %s; nothing of this request was scheduled" % words, "transition": unknown}
    assert call("GET", "transitions") == (200, {"transitions": []})
    assert emulator.services[0] == before


def test_a_malformed_change_schedules_nothing_either(emu):
    emulator, call = emu
    known = {"provider": "pai_eas", "service_name": emulator.services[0]["ServiceName"], "status": "Failed"}
    status, body = call("POST", "transitions", {"transitions": [known, {"provider": "pai_eas", "status": "Failed"}]})
    assert status == 400 and body["error"].startswith("transition 2: a transition needs provider"), body
    status, body = call("POST", "transitions", {"transitions": [known, dict(known, after="soon")]})
    assert status == 400 and body["error"].startswith("transition 2: after is a number of seconds"), body
    assert call("GET", "transitions") == (200, {"transitions": []})


def test_a_change_for_a_known_service_happens(emu):
    emulator, call = emu
    pai = next(s for s in emulator.services if s["Status"] != "Failed")
    fabric = emulator.huawei.fabric_instances("ws-0001")[0]
    modelarts = emulator.huawei.modelarts_services(REGION)[0]
    changes = [{"provider": "pai_eas", "service_name": pai["ServiceName"], "status": "Failed"},
               {"provider": "modelarts", "region": REGION, "service_id": modelarts["service_id"], "status": "failed"},
               {"provider": "dataarts_fabric", "service_name": fabric["name"], "status": "FAILED", "after": 3600}]
    status, body = call("POST", "transitions", {"transitions": changes})
    assert status == 200, body
    assert [(c["provider"], c["done"], c.get("changed")) for c in body["transitions"]] == [
        ("pai_eas", True, 1), ("modelarts", True, 1), ("dataarts_fabric", False, None)]
    assert (pai["Status"], modelarts["status"]) == ("Failed", "failed")
    assert fabric["status"] != "FAILED"  # not yet: in an hour


@pytest.mark.parametrize("route", ["transitions", "faults", "lifecycle", "reset"])
def test_an_admin_body_that_is_not_an_object_is_refused(emu, route):
    _emulator, call = emu
    status, body = call("POST", route, [{"provider": "pai_eas"}])
    assert status == 400 and body == {"error": "body is a JSON object of the route's fields, not list"}
    assert call("GET", "transitions") == (200, {"transitions": []})


def test_an_admin_body_of_null_is_no_fields(emu):
    """uri with a body that templates to nothing sends null: the route answers as it would without a body."""
    emulator, call = emu
    status, body = call("GET", "fleet/pai_eas", raw=b"null")
    assert status == 200 and body["TotalCount"] == len(emulator.services), body
