# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sources shape every face takes: jobs per region, and errors that say what to write instead."""

from __future__ import annotations

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import listing, sources
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.records import normalize


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


STRING_FILTERS = [(provider, declared.option) for provider in sorted(listing.PROVIDERS)
                  for declared in (listing.PROVIDERS[provider].SPEC.filters
                                   + listing.PROVIDERS[provider].SPEC.path_params)
                  if declared.type == "str"]


@pytest.mark.parametrize("value, named", [({"app": "chat"}, "a dictionary ({'app': 'chat'})"),
                                          (["app=chat"], "a list (['app=chat'])"), ([], "a list ([])")])
@pytest.mark.parametrize("provider, option", STRING_FILTERS)
def test_a_string_filter_refuses_a_dictionary_or_a_list(provider, option, value, named):
    """Every filter and path parameter a provider declares as a string refuses both, naming the option and its form."""
    with pytest.raises(ConfigError) as info:
        sources.check_string_filters("the_module", listing.PROVIDERS[provider], {option: value, "region": "r"})
    assert "the_module: filter %s takes a string, not %s" % (option, named) in str(info.value)
    assert info.value.hint.startswith("Give %s as the API's own string" % option)


def test_a_string_filter_takes_what_the_module_can_send():
    """Strings, numbers (made text by the module), unset filters and options that are neither filters nor
    credentials pass; a dict filter takes a dict; a value list is named in the hint."""
    assert len(STRING_FILTERS) > 20 and ("modelarts", "tags") in STRING_FILTERS
    assert ("dataarts_fabric", "workspace_id") in STRING_FILTERS  # a path parameter
    for values in ({"tags": "app=chat"}, {"tags": None}, {"service_id": 7}, {"query": ["x"], "timeout": {}},
                   {"region": "cn-north-4", "cloud": "otc"}, {}):
        sources.check_string_filters("m", listing.PROVIDERS["modelarts"], values)
    sources.check_string_filters("m", pai_eas, {"label": {"app": "chat"}, "filter": "chat"})
    with pytest.raises(ConfigError) as info:
        sources.check_string_filters("m", listing.PROVIDERS["modelarts"], {"infer_type": ["batch"]})
    assert info.value.hint == "Give infer_type as the API's own string, one of real-time, batch, edge"


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


EAS = {"ServiceId": "eas-m-1", "ServiceName": "echo", "Status": "Running", "Region": "cn-hangzhou"}


@pytest.mark.parametrize("query, ok", [
    ("[?status=='running']", True), ("[].service_name", False), ("length(@)", False), ("[0]", False),
])
def test_a_query_selects_whole_services(monkeypatch, query, ok):
    """Where sources are listed (inventory, event source), query selects services but may not reshape them."""
    services = [normalize(pai_eas.SPEC, dict(EAS), "cn-hangzhou"),
                normalize(pai_eas.SPEC, dict(EAS, ServiceId="eas-m-2", Status="Stopped"), "cn-hangzhou")]
    monkeypatch.setattr(sources, "list_services", lambda *args, **kwargs: listing.ServiceList(
        services=services, total_count=2, request_ids=[], warnings=["a warning"]))
    job = {"provider": "pai_eas", "params": {}, "query": query, "source": 0}
    [(listed_job, records, error, warnings)] = sources.list_jobs([job], 2)
    assert listed_job is job
    if ok:
        assert error is None and [r["service_id"] for r in records] == ["eas-m-1"] and warnings == ["a warning"]
    else:
        assert records is None and "did not return a list of whole services" in str(error)
        assert "[?status=='running']" in str(error)


def test_one_failing_job_does_not_stop_the_others(monkeypatch):
    def fake_listing(provider, params, **_kwargs):
        if params["region"] == "bad":
            raise ApiError("refused", provider="pai_eas", region="bad", operation="list services")
        return listing.ServiceList(services=[normalize(pai_eas.SPEC, dict(EAS), params["region"])], total_count=1,
                                   request_ids=[])
    monkeypatch.setattr(sources, "list_services", fake_listing)
    jobs = [{"provider": "pai_eas", "params": {"region": region}, "query": None, "source": 0}
            for region in ("cn-hangzhou", "bad", "cn-beijing")]
    listed = sources.list_jobs(jobs, 2)
    assert [(item.error is None, len(item.records or [])) for item in listed] == [(True, 1), (False, 0), (True, 1)]
    assert "refused" in str(listed[1].error)


def test_a_face_gets_its_jobs_and_one_validated_concurrency():
    """The event source and service_info check their options in one place; a concurrency given as text (from
    --env-vars or a template) is validated and converted, not a traceback later."""
    source = {"provider": "pai_eas", "region": "cn-hangzhou", "access_key_id": "a", "access_key_secret": "b"}
    todo, concurrency = sources.configure("face", {"sources": [source, dict(source, concurrency=12)],
                                                   "concurrency": "8"}, ("interval",))
    assert [job["params"]["concurrency"] for job in todo] == [8, 12] and concurrency == 12
    with pytest.raises(ConfigError) as info:
        sources.configure("face", {"sources": [source], "concurrency": "many"})
    assert "concurrency" in info.value.message
    with pytest.raises(ConfigError) as info:
        sources.configure("face", {"sources": [source], "regions": ["r"]})
    assert "face: unknown key(s) regions (did you mean sources[].regions?)" in info.value.message
    with pytest.raises(ConfigError) as info:
        sources.configure("face", {"interval": 5}, ("interval",))
    assert "face: sources is required" in info.value.message


@pytest.mark.parametrize("provider, option", [("pai_eas", "access_key_secret"), ("pai_eas", "role_arn"),
                                              ("modelarts", "password"), ("dataarts_fabric", "auth_token")])
def test_a_credential_given_as_a_mapping_or_list_is_refused_without_quoting_it(provider, option):
    for value in ({"s3cr3t": 1}, ["s3cr3t"]):
        with pytest.raises(ConfigError) as info:
            sources.check_string_filters("m", listing.PROVIDERS[provider], {option: value})
        assert "%s takes a string, not a" % option in str(info.value) and "s3cr3t" not in str(info.value)
    sources.check_string_filters("m", listing.PROVIDERS[provider], {option: "a string"})
