# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator takes exactly what each provider declares: every filter's wire name, the paging parameters and the
path parameters, with the same listed values; and it refuses any other parameter, so the two cannot drift apart."""

from __future__ import annotations

import re
import string

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric, modelarts, pai_eas
from ansible_collections.modelserving.cloud.tests.emulator import fleet, huawei
from ansible_collections.modelserving.cloud.tests.emulator import pai_eas as eas_emulator

# Each provider's list API, and what the emulator takes in its query and serves it on.
APIS = {
    "pai_eas": (pai_eas.SPEC, eas_emulator.QUERY),
    "modelarts": (modelarts.SPEC, huawei.MODELARTS_QUERY),
    "dataarts_fabric": (dataarts_fabric.SPEC, huawei.FABRIC_QUERY),
}
PROJECT = huawei.project_id("cn-north-4")
WORKSPACE = "ws-fabric-0001"


def declared(spec):
    """The query parameters a provider declares: its filters' wire names and its paging parameters."""
    return {f.wire for f in spec.filters} | {spec.paging.index_param, spec.paging.size_param}


@pytest.mark.parametrize("provider", sorted(APIS))
def test_the_emulator_takes_every_declared_query_parameter(provider):
    spec, accepted = APIS[provider]
    assert declared(spec) - set(accepted) == set()


@pytest.mark.parametrize("provider", sorted(APIS))
def test_the_emulator_takes_no_query_parameter_that_is_not_declared(provider):
    spec, accepted = APIS[provider]
    assert set(accepted) - declared(spec) == set()


@pytest.mark.parametrize("provider", sorted(APIS))
def test_the_values_the_emulator_checks_are_the_declared_ones(provider):
    """Where the emulator allows only some values, the declaration lists the same, so that the collection sends a
    value the document lists in its spelling, and warns about another before the emulator refuses it."""
    spec, accepted = APIS[provider]
    by_wire = {f.wire: f for f in spec.filters}
    checked = {wire: allowed for wire, allowed in accepted.items() if allowed}
    assert {wire: set(allowed) for wire, allowed in checked.items()} == {
        wire: set(by_wire[wire].values or ()) for wire in checked}


def refused(provider, query, workspace=WORKSPACE):
    """The error the emulator answers a list request with ``query``, or None when it answers a page."""
    try:
        if provider == "pai_eas":
            eas_emulator.list_services(fleet.pai_eas_fleet(1, 3, "cn-hangzhou", "http://x"), query, 100)
        else:
            cloud = huawei.HuaweiCloud(keys={}, users={}, seed=1, modelarts_services=3, fabric_instances=3)
            if provider == "modelarts":
                cloud._list_modelarts(cloud.modelarts_services("cn-north-4"), query)  # pylint: disable=protected-access
            else:
                cloud._list_fabric(workspace, query)  # pylint: disable=protected-access
    except (eas_emulator.EasError, huawei.HuaweiError) as exc:
        return exc
    return None


def sample(flt):
    """A value the document allows for a filter."""
    if flt.wire == "Sort":  # a field of the service, which the document does not list
        return "ServiceName"
    if flt.values:
        return flt.values[0]
    return {"bool": "true", "int": "1", "dict": '{"app":"chat"}'}.get(flt.type, "abc-1")


@pytest.mark.parametrize("provider", sorted(APIS))
def test_the_handler_answers_every_declared_parameter_and_refuses_another(provider):
    """What the handler does, not only what its table says: every declared parameter gets a page, another an error."""
    spec, _accepted = APIS[provider]
    for flt in spec.filters:
        assert refused(provider, {flt.wire: sample(flt)}) is None, flt.wire
    assert refused(provider, {spec.paging.index_param: "0" if spec.paging.style != "page_number" else "1",
                              spec.paging.size_param: "10"}) is None
    error = refused(provider, {"NotDeclared": "x"})
    assert error is not None and error.status == 400 and "NotDeclared" in error.message


def placeholders(path):
    return [name for _text, name, _spec, _conv in string.Formatter().parse(path) if name]


@pytest.mark.parametrize("provider", sorted(APIS))
def test_path_parameters_are_the_paths_placeholders(provider):
    """Each placeholder of the path is a declared path parameter, except the project the credentials name."""
    spec, _accepted = APIS[provider]
    assert set(placeholders(spec.path)) - {"project_id"} == {f.wire for f in spec.path_params}
    assert all(f.option == f.wire for f in spec.path_params)  # the path is filled in by option name


@pytest.mark.parametrize("provider, route, path_for_emulator", [
    ("pai_eas", re.compile("^%s$" % re.escape(eas_emulator.PATH)), {}),
    ("modelarts", huawei.MA_SERVICE, {"project_id": PROJECT}),
    ("dataarts_fabric", huawei.FABRIC, {"workspace_id": WORKSPACE}),
])
def test_the_emulator_serves_the_declared_path(provider, route, path_for_emulator):
    """The declared path, filled in, is the emulator's route, and the route hands back each value in its place."""
    spec, _accepted = APIS[provider]
    match = route.match(spec.path.format(**path_for_emulator))
    assert match is not None
    assert [group for group in match.groups() if group is not None] == [
        path_for_emulator[name] for name in placeholders(spec.path)]
    if spec.detail_path:
        detail = route.match(spec.detail_path.format(service_id="svc-1", **path_for_emulator))
        assert detail is not None and detail.groups()[-1] == "svc-1"


def test_a_path_parameter_the_declaration_refuses_the_emulator_refuses_too():
    """DataArts Fabric's workspace ID: the declaration's pattern and the emulator's check agree on both sides."""
    flt, = dataarts_fabric.SPEC.path_params
    for workspace in (WORKSPACE, "a" * 36, "bad workspace", "a" * 37, "x/y"):
        declared_ok = re.fullmatch(flt.pattern, workspace) is not None
        served = huawei.FABRIC.match(dataarts_fabric.SPEC.path.format(workspace_id=workspace))
        emulator_ok = served is not None and refused("dataarts_fabric", {}, served.group(1)) is None
        assert declared_ok == emulator_ok, workspace
