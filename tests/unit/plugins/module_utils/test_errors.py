# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one error hierarchy: its message with every part and with parts missing, its structured form, and that
neither carries a secret."""

from __future__ import annotations

import json

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import sources
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    ConfigError,
    ModelServingError,
)

SECRET = "S3cr3tAccessKeySecretValue000000"
FULL = {"provider": "pai_eas", "region": "cn-hangzhou", "operation": "list services", "status": 403,
        "code": "Forbidden.RAM", "request_id": "4C2F-RID", "hint": "Check the RAM policy of the AccessKey"}


def test_the_message_with_every_part():
    error = ApiError("the caller has no permission", **FULL)
    assert str(error) == ("Failed to list services on pai_eas/cn-hangzhou: the caller has no permission "
                          "(Forbidden.RAM, HTTP 403, request id 4C2F-RID). Check the RAM policy of the AccessKey")
    assert error.message == "the caller has no permission" and error.args == ("the caller has no permission",)


@pytest.mark.parametrize("parts, text", [
    ({}, "Failed to complete the request: boom"),
    ({"operation": "list services"}, "Failed to list services: boom"),
    ({"provider": "modelarts"}, "Failed to complete the request on modelarts: boom"),
    ({"region": "cn-north-4"}, "Failed to complete the request on cn-north-4: boom"),
    ({"status": 500}, "Failed to complete the request: boom (HTTP 500)"),
    ({"status": 0}, "Failed to complete the request: boom (HTTP 0)"),  # a status, unlike None
    ({"code": "Throttling.User", "request_id": "R1"}, "Failed to complete the request: boom (Throttling.User, "
                                                      "request id R1)"),
    ({"request_id": ""}, "Failed to complete the request: boom"),
    ({"hint": "Check the endpoint"}, "Failed to complete the request: boom. Check the endpoint"),
])
def test_parts_that_are_not_known_are_left_out(parts, text):
    assert str(ModelServingError("boom", **parts)) == text


def test_to_dict_holds_the_parts_for_fail_json():
    error = AuthError("signature mismatch", **FULL)
    assert error.to_dict() == dict(FULL, message="signature mismatch")
    assert json.loads(json.dumps(error.to_dict())) == error.to_dict()
    assert ConfigError("bad").to_dict() == {"provider": None, "region": None, "operation": None, "status": None,
                                            "code": None, "message": "bad", "request_id": None, "hint": None}


def test_the_hierarchy():
    """Faces catch the base; a refused credential is an API error; a configuration error sent nothing."""
    assert issubclass(AuthError, ApiError) and issubclass(ApiError, ModelServingError)
    assert issubclass(ConfigError, ModelServingError) and not issubclass(ConfigError, ApiError)


def test_an_error_takes_only_its_parts():
    """No credential or option set can be attached to an error, so none can reach a message or fail_json."""
    with pytest.raises(TypeError):
        raise ModelServingError("boom", access_key_secret=SECRET)  # pylint: disable=unexpected-keyword-arg
    with pytest.raises(TypeError):
        raise ModelServingError("boom", "pai_eas")  # pylint: disable=too-many-function-args


@pytest.mark.parametrize("source", [
    {"provider": "pai_eas", "region": "cn-hangzhou", "access_key_id": "AK", "access_key_secret": SECRET,
     "timeout": "soon"},
    {"provider": "pai_eas", "region": "cn-hangzhou", "access_key_id": "AK", "access_key_secrett": SECRET},
    {"provider": "pai_eas", "access_key_id": "AK", "access_key_secret": SECRET, "regions": "cn-hangzhou"},
    {"provider": "modelarts", "region": "cn-north-4", "password": SECRET, "filters": {"tags": {"app": "x"}}},
])
def test_configuration_errors_of_a_source_with_a_secret_quote_no_secret(source):
    with pytest.raises(ConfigError) as info:
        sources.jobs([source])
    assert SECRET not in str(info.value) and SECRET not in json.dumps(info.value.to_dict())
    assert str(info.value).startswith("Failed to read the configuration: sources[0]")
