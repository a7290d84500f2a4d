# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shapes of a provider declaration: spellings folded, values encoded for the query string, a filter's value
spelled as the API does, and the query parameters of the filters that are set."""

from __future__ import annotations

import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.spec import (
    Filter,
    Paging,
    ProviderSpec,
    encode_value,
    fold,
)


@pytest.mark.parametrize("spellings", [
    ("Real_Time", "real-time", "REALTIME", "real time", "realtime"),
    ("HotUpdate", "hotupdate", "hot_update", "HOT-UPDATE"),
])
def test_fold_makes_spellings_one(spellings):
    assert {fold(spelling) for spelling in spellings} == {spellings[-1].lower().replace("-", "").replace("_", "")}


def test_fold_keeps_what_tells_values_apart():
    assert fold("Running") != fold("Runnings") and fold("a.b") == "a.b" and fold("v1") != fold("v2")


@pytest.mark.parametrize("value, wire", [
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (25, "25"),
    ("Running", "Running"),
    ({"app": "chat", "team": "a b"}, '{"app":"chat","team":"a b"}'),
    ({"名前": "値"}, '{"名前":"値"}'),  # non-ASCII kept raw, as the PAI-EAS SDK sends Label
])
def test_encode_value(value, wire):
    assert encode_value(value) == wire


def test_a_dict_is_encoded_as_json_the_api_reads_back():
    label = {"app": "chat", "n": 1, "nested": {"k": [1, 2]}}
    assert json.loads(encode_value(label)) == label and " " not in encode_value(label)


STATUS = Filter("service_status", "ServiceStatus", values=("Running", "HotUpdate", "Failed"))


@pytest.mark.parametrize("given, sent", [
    ("Running", "Running"),
    ("running", "Running"),
    ("hotupdate", "HotUpdate"),
    ("HOT_UPDATE", "HotUpdate"),
    ("hot-update", "HotUpdate"),
])
def test_spelled_sends_a_known_value_as_the_api_spells_it(given, sent):
    assert STATUS.spelled(given) == (sent, None)


def test_spelled_sends_an_unknown_value_as_given_with_a_warning():
    value, warning = STATUS.spelled("Sleeping")
    assert value == "Sleeping"
    assert warning == ("service_status 'Sleeping' is not a value the API document lists (Running, HotUpdate, "
                       "Failed); it is sent as given")


@pytest.mark.parametrize("flt, value", [
    (Filter("service_name", "ServiceName"), "anything"),  # no values listed: anything goes, unchanged
    (Filter("limit", "Limit", "int", values=("1", "2")), 3),  # not a string: the type check is the arg spec's
    (STATUS, None),
])
def test_spelled_leaves_what_it_cannot_judge(flt, value):
    assert flt.spelled(value) == (value, None)


def test_a_filter_argument_spec_is_its_type():
    assert Filter("label", "Label", "dict").argument_spec() == {"type": "dict"}
    assert Filter("service_name", "ServiceName").argument_spec() == {"type": "str"}


SPEC = ProviderSpec(
    name="example", title="Example", endpoints={"default": "https://example.{region}.test"},
    operation="ListThings", method="GET", path="/v1/things",
    filters=(Filter("service_name", "ServiceName"), Filter("label", "Label", "dict"),
             Filter("include_no_workspace", "IncludeNoWorkspace", "bool"), Filter("page_limit", "Limit", "int")),
    paging=Paging(style="page_number", index_param="PageNumber", size_param="PageSize", default_size=100),
    items_key="Things", total_key="TotalCount", request_id_key="RequestId", id_field="Id", common={},
    status_field="Status")


def test_wire_params_are_the_set_filters_by_wire_name():
    values = {"service_name": "echo", "label": {"app": "chat"}, "include_no_workspace": False, "page_limit": 0,
              "region": "cn-hangzhou", "access_key_secret": "S3CRET"}
    assert SPEC.wire_params(values) == {"ServiceName": "echo", "Label": '{"app":"chat"}',
                                        "IncludeNoWorkspace": "false", "Limit": "0"}


def test_wire_params_leave_out_what_is_unset():
    """None means unset; False, 0 and "" are values the user chose and are sent."""
    assert SPEC.wire_params({"service_name": None, "label": None}) == {}
    assert SPEC.wire_params({}) == {}
    assert SPEC.wire_params({"service_name": "", "include_no_workspace": False}) == {
        "ServiceName": "", "IncludeNoWorkspace": "false"}


def test_filter_by_option():
    assert list(SPEC.filter_by_option()) == ["service_name", "label", "include_no_workspace", "page_limit"]
    assert SPEC.filter_by_option()["label"].wire == "Label"
