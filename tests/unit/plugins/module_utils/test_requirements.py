# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A missing Python library is one clear ConfigError, wherever the core first needs it."""

from __future__ import annotations

import importlib

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import requirements, sources
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_files
from ansible_collections.modelserving.cloud.plugins.module_utils.records import apply_query
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Transport


@pytest.fixture
def without(monkeypatch):
    """Make the named libraries fail to import, as on a Python that lacks them."""
    real = importlib.import_module

    def hide(*names):
        def import_module(name, *args, **kwargs):
            if name in names:
                raise ImportError("No module named %r" % name)
            return real(name, *args, **kwargs)
        monkeypatch.setattr(requirements.importlib, "import_module", import_module)
    return hide


def test_present_libraries_are_not_reported():
    assert [requirements.missing(name) for name in requirements.LIBRARIES] == [None, None, None]


@pytest.mark.parametrize("name, package, purpose", [("requests", "requests", "every API call"),
                                                    ("jmespath", "jmespath", "the query option"),
                                                    ("yaml", "PyYAML", "clouds.yaml")])
def test_missing_library_is_named_with_how_to_install_it(without, name, package, purpose):
    without(name)
    with pytest.raises(ConfigError) as info:
        requirements.require(name)
    text = str(info.value)
    assert text.startswith("Failed to load the Python library %s: %s is not installed" % (package, package))
    assert purpose in text and "pip install %s" % package in text and "\n" not in text


def test_the_transport_and_the_sources_check_say_requests_is_missing(without):
    without("requests")
    with pytest.raises(ConfigError, match="requests is not installed"):
        Transport()
    with pytest.raises(ConfigError, match="requests is not installed"):
        sources.jobs([{"provider": "pai_eas", "regions": ["cn-hangzhou"]}])


def test_query_says_jmespath_is_missing(without):
    without("jmespath")
    assert apply_query(None, [{"a": 1}]) == [{"a": 1}]  # no query, no need
    with pytest.raises(ConfigError, match="jmespath is not installed"):
        apply_query("[0]", [{"a": 1}])


def test_clouds_yaml_says_pyyaml_is_missing(without, tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text("clouds: {}\n")
    without("yaml")
    with pytest.raises(ConfigError, match="PyYAML is not installed"):
        huawei_files.from_files({"os_cloud": "hwc", "os_client_config_file": str(path)}, "modelarts")
