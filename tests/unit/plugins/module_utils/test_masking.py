# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secret values inside a service's configuration are masked by their names, and nothing else is."""

from __future__ import annotations

import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.masking import MASK, mask_config, secret_name
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric, modelarts, pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.records import normalize

CONFIG = {
    "name": "chat",
    "token": "svc-token-1",
    "metadata": {"instance": 2, "cpu": 4},
    "containers": [{"image": "registry/chat:1", "env": [
        {"name": "DB_PASSWORD", "value": "hunter2"},
        {"name": "LOG_LEVEL", "value": "debug"},
        {"name": "oss_access_key_id", "value": "LTAIxxxx"},
    ]}],
    "labels": [{"key": "team", "value": "search"}, {"key": "api_key", "value": "k-1"}],
    "storage": [{"oss": {"path": "oss://bucket/model", "credentials": {"user": "u", "passwd": "p", "n": 3}}}],
}


@pytest.mark.parametrize("name, secret", [("token", True), ("AccessToken", True), ("DB_PASSWORD", True),
                                          ("db_passwd", True), ("api_key", True), ("Client-Secret", True),
                                          ("credentials", True), ("name", False), ("image", False),
                                          ("team", False), (None, False), (3, False)])
def test_secret_names(name, secret):
    assert secret_name(name) is secret


def test_secret_values_are_masked_and_nothing_else():
    masked = mask_config(CONFIG)
    assert masked["token"] == MASK
    env = masked["containers"][0]["env"]
    assert env == [{"name": "DB_PASSWORD", "value": MASK}, {"name": "LOG_LEVEL", "value": "debug"},
                   {"name": "oss_access_key_id", "value": MASK}]
    assert masked["labels"] == [{"key": "team", "value": "search"}, {"key": "api_key", "value": MASK}]
    assert masked["storage"][0]["oss"] == {"path": "oss://bucket/model",
                                           "credentials": {"user": MASK, "passwd": MASK, "n": MASK}}
    assert masked["name"] == "chat" and masked["metadata"] == {"instance": 2, "cpu": 4}
    assert CONFIG["token"] == "svc-token-1"  # the caller's configuration is left as it was (the cloud gets it)


def test_a_json_text_stays_a_json_text():
    text = json.dumps(CONFIG)
    masked = mask_config(text)
    assert isinstance(masked, str) and json.loads(masked) == mask_config(CONFIG)
    assert "hunter2" not in masked and "svc-token-1" not in masked and "LTAIxxxx" not in masked


def test_text_without_a_secret_name_is_kept_as_written_and_text_that_is_not_json_is_masked_whole():
    plain = '{"metadata": {"instance": 1},  "name": "a"}'
    assert mask_config(plain) is plain
    assert mask_config("token=abc; not json") == MASK


@pytest.mark.parametrize("provider, field, raw", [
    (pai_eas, "service_config", {"ServiceId": "s-1", "ServiceName": "a", "Status": "Running",
                                 "ServiceConfig": json.dumps(CONFIG)}),
    (modelarts, "config", {"service_id": "m-1", "service_name": "a", "status": "running",
                           "config": [{"model_id": "x", "envs": {"SECRET_KEY": "sk", "MODE": "fast"}}]}),
    (dataarts_fabric, "config", {"id": "f-1", "name": "a", "status": "RUNNING",
                                 "config": {"envs": [{"name": "HF_TOKEN", "value": "hf_1"}], "replicas": 1}}),
])
def test_every_provider_record_is_masked(provider, field, raw):
    record = normalize(provider.SPEC, raw, "r-1")
    text = json.dumps(record)
    assert not any(secret in text for secret in ("hunter2", "svc-token-1", "sk\"", "hf_1")), text
    assert MASK in text and record[field]


def test_an_entry_with_other_secret_keys_masks_them_too():
    assert mask_config({"env": [{"name": "MODE", "value": "fast", "token": "t0k"}]}) == {
        "env": [{"name": "MODE", "value": "fast", "token": MASK}]}


def test_a_configuration_keeps_its_keys_as_written():
    """Environment variable names are the user's: a record neither snake-cases them nor drops their case."""
    raw = {"service_id": "m-1", "service_name": "a", "status": "running",
           "config": [{"model_id": "x", "instance_count": 1, "envs": {"MODEL_API_KEY": "k", "LogLevel": "debug"}}]}
    record = normalize(modelarts.SPEC, raw, "r-1")
    assert record["config"] == [{"model_id": "x", "instance_count": 1,
                                 "envs": {"MODEL_API_KEY": MASK, "LogLevel": "debug"}}]
    assert record["service_id"] == "m-1" and "model_api_key" not in json.dumps(record)
