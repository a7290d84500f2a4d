# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A task's configuration compared with the cloud's as a subset, JSON-equal."""

from __future__ import annotations

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.comparing import differences, subset

REPORTED = {"name": "chat", "metadata": {"instance": 2, "cpu": 4, "region": "cn-hangzhou"},
            "containers": [{"image": "r/chat:1", "port": 8000}], "flag": True}


@pytest.mark.parametrize("want, found", [
    ({"metadata": {"instance": 2}}, {}),
    ({"metadata": {"instance": 2.0}}, {}),
    ({"containers": [{"image": "r/chat:1"}]}, {}),
    ({}, {}),
    ({"metadata": {"instance": 3}}, {"metadata.instance": (3, 2)}),
    ({"metadata": {"instance": "2"}}, {"metadata.instance": ("2", 2)}),
    ({"flag": 1}, {"flag": (1, True)}),
    ({"metadata": {"gpu": 1}}, {"metadata.gpu": (1, None)}),
    ({"containers": [{"image": "r/chat:2"}]}, {"containers[0].image": ("r/chat:2", "r/chat:1")}),
    ({"containers": [{}, {}]}, {"containers": ([{}, {}], [{"image": "r/chat:1", "port": 8000}])}),
    ({"name": {"x": 1}}, {"name": ({"x": 1}, "chat")}),
])
def test_differences_are_where_the_task_is_not_a_subset(want, found):
    assert differences(want, REPORTED) == found


def test_subset_is_the_cloud_side_of_what_the_task_names():
    assert subset({"metadata": {"instance": 3}, "containers": [{"image": "x"}]}, REPORTED) == {
        "metadata": {"instance": 2}, "containers": [{"image": "r/chat:1"}]}
