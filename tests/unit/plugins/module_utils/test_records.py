# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The common record."""

from __future__ import annotations

import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import records
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric, modelarts, pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.records import (
    COMMON_FIELDS,
    apply_query,
    iso8601,
    normalize,
    snake,
)

EAS = {
    "ServiceId": "eas-m-xxasdat", "ServiceName": "echo", "Status": "Running", "WorkspaceId": "123445",
    "Resource": "eas-r-xxxxxxx", "ResourceAlias": "my_resource", "Region": "cn-shanghai",
    "InternetEndpoint": "http://x/api/predict/echo", "IntranetEndpoint": "http://vpc/api/predict/echo",
    "CreateTime": "2021-01-29T11:13:20Z", "UpdateTime": "2021-01-29T11:13:21Z", "AccessToken": "SECRET-TOKEN",
    "Labels": [{"LabelKey": "key1", "LabelValue": "value1"}], "GPUCorePercentage": 50, "Namespace": "echo",
    "InstanceCountInResource": {"Quota": 10},
}


@pytest.mark.parametrize("name, expected", [
    ("ServiceName", "service_name"), ("GPUCorePercentage", "gpu_core_percentage"), ("Cpu", "cpu"),
    ("InstanceCountInResource", "instance_count_in_resource"), ("service_id", "service_id"),
    ("SecondaryInternetEndpoint", "secondary_internet_endpoint"), ("RequestId", "request_id"),
])
def test_snake(name, expected):
    assert snake(name) == expected


def test_normalize_eas():
    record = normalize(pai_eas.SPEC, EAS, "cn-hangzhou")
    assert record["provider"] == "pai_eas"
    assert record["region"] == "cn-shanghai"
    assert record["service_id"] == "eas-m-xxasdat"
    assert record["status"] == "running"
    assert record["status_raw"] == "Running"
    assert record["resource_group"] == "eas-r-xxxxxxx"
    assert record["endpoint"] == "http://x/api/predict/echo"
    assert record["labels"] == {"key1": "value1"}
    assert record["labels_raw"] == [{"label_key": "key1", "label_value": "value1"}]
    assert record["instance_count_in_resource"] == {"quota": 10}
    assert "access_token" not in record
    assert "SECRET-TOKEN" not in json.dumps(record)
    assert set(COMMON_FIELDS) <= set(record)


def test_normalize_keeps_secret_only_when_asked():
    assert normalize(pai_eas.SPEC, EAS, None, include_secrets=True)["access_token"] == "SECRET-TOKEN"


def test_normalize_fills_missing_common_fields():
    record = normalize(pai_eas.SPEC, {"ServiceId": "a", "IntranetEndpoint": "http://vpc"}, "cn-beijing")
    assert record["region"] == "cn-beijing"
    assert record["endpoint"] == "http://vpc"
    assert record["status"] is None and record["workspace_id"] is None and record["created_at"] is None


def test_iso8601_reads_epoch_milliseconds():
    assert iso8601(1704164645000) == "2024-01-02T03:04:05Z"
    assert iso8601("2021-01-29T11:13:20Z") == "2021-01-29T11:13:20Z"
    assert iso8601("") is None


def test_apply_query():
    services = [{"service_name": "a", "status": "running"}, {"service_name": "b", "status": "failed"}]
    assert apply_query("[?status=='running'].service_name", services) == ["a"]
    assert apply_query(None, services) is services
    with pytest.raises(ConfigError) as info:
        apply_query("[?", services)
    assert "invalid JMESPath" in str(info.value)


def test_labels_are_one_dictionary_on_every_provider():
    """keyed_groups on labels works alike whatever the provider; the raw lists keep their own names."""
    modelarts_record = normalize(modelarts.SPEC, {"service_id": "m", "tags": [{"key": "app", "value": "chat"},
                                                                              {"key": "env", "value": None}]}, "r")
    assert modelarts_record["labels"] == {"app": "chat", "env": None}
    assert modelarts_record["tags"] == [{"key": "app", "value": "chat"}, {"key": "env", "value": None}]
    assert normalize(dataarts_fabric.SPEC, {"id": "f"}, "r")["labels"] == {}
    odd = normalize(pai_eas.SPEC, {"ServiceId": "a", "Labels": "not a list"}, "r")
    assert odd["labels"] == {} and odd["labels_raw"] == "not a list"
    assert normalize(pai_eas.SPEC, {"ServiceId": "a"}, "r")["labels"] == {}


def test_default_host_names_are_the_inventorys():
    """Qualified names; services sharing one get their service ID; control characters never reach a name."""
    rows = records.unique([
        {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "b", "service_name": "echo"},
        {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "a", "service_name": "echo"},
        {"provider": "pai_eas", "region": "cn-hangzhou", "service_id": "a", "service_name": "echo (again)"},
        {"provider": "modelarts", "region": "cn-north-4", "service_id": "m\n1", "service_name": None},
        {"provider": "modelarts", "region": "cn-north-4", "service_id": "m2", "service_name": "x\x07y"}])
    assert [r["service_id"] for r in rows] == ["m\n1", "m2", "a", "b"]
    assert records.default_host_names(rows) == ["m_1", "x_y.cn-north-4.modelarts", "echo.cn-hangzhou.pai_eas_a",
                                                "echo.cn-hangzhou.pai_eas_b"]
