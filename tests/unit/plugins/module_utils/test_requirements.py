# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A missing Python library is one clear ConfigError, wherever the core first needs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils import requirements, sources
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_files
from ansible_collections.modelserving.cloud.plugins.module_utils.records import apply_query
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Transport


@pytest.fixture
def without(monkeypatch):
    """Make the named libraries fail to import, and not be found, as on a Python that lacks them."""
    def hide(*names):
        for name in names:
            monkeypatch.setitem(sys.modules, name, None)  # what Python's import system takes for "not there"
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


def test_the_sources_check_looks_for_requests_without_importing_it():
    """An inventory read from its cache sends nothing: validating its sources does not spend the import of requests
    (the transport imports it with the first request)."""
    code = ("import sys; from ansible_collections.modelserving.cloud.plugins.module_utils import sources; "
            "sources.jobs([{'provider': 'pai_eas', 'regions': ['cn-hangzhou'], 'access_key_id': 'LTAI5tEXAMPLE', "
            "'access_key_secret': 'secret'}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('requests', 'urllib3')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "[]\n")


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
