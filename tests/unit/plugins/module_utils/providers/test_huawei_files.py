# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Huawei credentials from files when none are given: the SDK's credentials file, and a clouds.yaml entry."""

from __future__ import annotations

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth


def test_the_sdk_credentials_file_fills_what_is_not_set(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak = FILEAK\nsk = file%sk\nproject_id = p1\niam_endpoint = https://iam.example\n")
    got = huawei_auth.from_files({"credentials_file": str(path), "region": "cn-north-4", "project_id": "mine"}, "x")
    assert (got["access_key"], got["secret_key"], got["project_id"], got["iam_endpoint"]) == (
        "FILEAK", "file%sk", "mine", "https://iam.example")


def test_given_credentials_win_and_no_file_is_nothing(tmp_path):
    given = {"access_key": "AK", "secret_key": "SK", "credentials_file": str(tmp_path / "credentials")}
    assert huawei_auth.from_files(given, "x") is given
    with pytest.raises(ConfigError) as info:  # a file asked for must exist
        huawei_auth.from_files({"credentials_file": str(tmp_path / "credentials")}, "x")
    assert "does not exist" in str(info.value)


def test_without_a_file_at_the_default_place_nothing_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    options = {"region": "cn-north-4"}
    assert huawei_auth.from_files(options, "x") == options
    (tmp_path / ".huaweicloud").mkdir()
    (tmp_path / ".huaweicloud" / "credentials").write_text("[basic]\nak = HOMEAK\nsk = HOMESK\n")
    assert huawei_auth.from_files(options, "x")["access_key"] == "HOMEAK"


@pytest.mark.parametrize("text, message", [
    ("[global]\nak = a\nsk = b\n", "no [basic] section"),
    ("[basic]\nak = a\n", "has no ak and sk"),
    ("not an ini file", "not an INI file"),
])
def test_a_credentials_file_that_cannot_be_used_says_why(tmp_path, text, message):
    path = tmp_path / "credentials"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        huawei_auth.from_files({"credentials_file": str(path)}, "modelarts")
    assert message in str(info.value) and str(path) in str(info.value)


CLOUDS = """
clouds:
  otc-prod:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: alice
      password: s3cret
      user_domain_name: OTC-EU-DE-000000000010000000001
      project_name: eu-de_ml
    region_name: eu-de
  hwc:
    auth:
      ak: YAMLAK
      sk: YAMLSK
      project_id: 0123
    region_name: cn-north-4
"""


def test_a_clouds_yaml_entry_gives_user_project_region_and_the_cloud(tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text(CLOUDS)
    got = huawei_auth.from_files({"os_cloud": "otc-prod", "os_client_config_file": str(path),
                                  "cloud": "huaweicloud"}, "modelarts")
    assert (got["username"], got["password"], got["domain_name"], got["project_name"], got["region"]) == (
        "alice", "s3cret", "OTC-EU-DE-000000000010000000001", "eu-de_ml", "eu-de")
    assert got["iam_endpoint"] == "https://iam.eu-de.otc.t-systems.com/v3" and got["cloud"] == "otc"
    aksk = huawei_auth.from_files({"os_cloud": "hwc", "os_client_config_file": str(path), "region": "cn-east-3",
                                   "cloud": "huaweicloud"}, "modelarts")
    assert (aksk["access_key"], aksk["secret_key"], aksk["project_id"], aksk["region"], aksk["cloud"]) == (
        "YAMLAK", "YAMLSK", "0123", "cn-east-3", "huaweicloud")  # text, not the octal number


@pytest.mark.parametrize("options, message", [
    ({"os_cloud": "nope"}, "has no cloud 'nope' (clouds: hwc, otc-prod)"),
    ({"os_cloud": "hwc", "os_client_config_file": "/nonexistent/clouds.yaml"}, "there is no clouds.yaml"),
])
def test_a_missing_cloud_says_which_exist(tmp_path, options, message):
    path = tmp_path / "clouds.yaml"
    path.write_text(CLOUDS)
    with pytest.raises(ConfigError) as info:
        huawei_auth.from_files(dict({"os_client_config_file": str(path)}, **options), "modelarts")
    assert message in str(info.value)


def test_a_broken_credentials_file_never_shows_its_lines(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak = A\nsk TOPSECRETVALUE\n")
    with pytest.raises(ConfigError) as info:
        huawei_auth.from_files({"credentials_file": str(path)}, "modelarts")
    assert "not an INI file" in str(info.value) and "TOPSECRETVALUE" not in str(info.value)
    path.write_bytes(b"[basic]\nak = \xff\xfe\n")
    with pytest.raises(ConfigError) as info:
        huawei_auth.from_files({"credentials_file": str(path)}, "modelarts")
    assert "cannot be read" in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("clouds:\n  ml:\n    auth: {password: TOPSECRET\n", "is not YAML"),
    ("clouds:\n  - ml\n", "has no clouds mapping"),
    ("- just a list\n", "has no clouds mapping"),
])
def test_a_broken_clouds_yaml_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "clouds.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        huawei_auth.from_files({"os_cloud": "ml", "os_client_config_file": str(path)}, "modelarts")
    assert message in str(info.value) and "TOPSECRET" not in str(info.value)
