# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sources shape every face takes: jobs per region, and errors that say what to write instead."""

from __future__ import annotations

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import sources
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError


def test_jobs_one_per_region_with_defaults_and_query():
    jobs = sources.jobs([{"provider": "pai_eas", "regions": ["cn-hangzhou", "cn-beijing", "cn-hangzhou"],
                          "filters": {"service_status": "Running"}, "timeout": 5},
                         {"provider": "modelarts", "region": "cn-north-4", "query": "[?status=='stopped']"}],
                        {"timeout": 30.0, "concurrency": 8, "include_access_token": True}, "[?status=='running']")
    assert [(j["source"], j["provider"], j["params"]["region"]) for j in jobs] == [
        (0, "pai_eas", "cn-hangzhou"), (0, "pai_eas", "cn-beijing"), (1, "modelarts", "cn-north-4")]
    assert jobs[0]["params"]["timeout"] == 5.0 and jobs[2]["params"]["timeout"] == 30.0
    assert jobs[0]["params"]["include_access_token"] is True and "include_access_token" not in jobs[2]["params"]
    assert jobs[0]["params"]["service_status"] == "Running" and jobs[0]["params"]["query"] is None
    assert [j["query"] for j in jobs] == ["[?status=='running']"] * 2 + ["[?status=='stopped']"]


@pytest.mark.parametrize("given, text", [
    ("cn-hangzhou", "sources must be a list of sources, not a string"),
    (["pai_eas"], "sources[0] must be a dictionary with a provider, not a string"),
    ([{"provider": "pai-eas"}], "provider must be one of dataarts_fabric, modelarts, pai_eas, not 'pai-eas' "
                                "(did you mean pai_eas?)"),
    ([{"provider": "pai_eas", "region": "r", "filters": ["x"]}],
     "filters must be a dictionary of filter options, not a list"),
    ([{"provider": "modelarts", "region": "r", "filters": {"tags": ["app=chat"]}}],
     "sources[0] (modelarts): filter tags takes a string, not a list (['app=chat'])"),
])
def test_errors_say_what_to_write(given, text):
    with pytest.raises(ConfigError) as info:
        sources.jobs(given)
    assert text in str(info.value)


@pytest.mark.parametrize("message, plain", [
    ("argument 'timeout' is of type <class '_AnsibleTaggedList'> and we were unable to convert to float",
     "argument 'timeout' is of type a list and we were unable to convert to float"),
    ("argument 'page_size' is of type _AnsibleTaggedDict and we were unable to convert to int",
     "argument 'page_size' is of type a dictionary and we were unable to convert to int"),
    ("argument 'x' is of type <class 'NoneType'>", "argument 'x' is of type null"),
])
def test_messages_name_types_in_plain_words(message, plain):
    assert sources.plain_message(message) == plain


def test_did_you_mean():
    assert sources.did_you_mean("status", ["service_status", "order"]) == " (did you mean service_status?)"
    assert sources.did_you_mean("zzz", ["service_status"]) == ""
    assert sources.did_you_mean("no_such_filter", ["filter", "label"]) == ""
    assert sources.did_you_mean("keyed_group", ["keyed_groups", "groups"]) == " (did you mean keyed_groups?)"
    assert sources.did_you_mean("status", ["timeout"], {"service_status": "filters: {service_status: ...}"}) == \
        " (did you mean filters: {service_status: ...}?)"
    assert sources.did_you_mean("regions", [], {"regions": "sources[].regions"}) == " (did you mean sources[].regions?)"
