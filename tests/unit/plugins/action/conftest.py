# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator the actions that list sources (service_info, fleet_report_files) are run against, in this process on
127.0.0.1, and sources that reach it."""

from __future__ import annotations

import types

import pytest

from ansible_collections.modelserving.cloud.tests.emulator import huawei, server
from ansible_collections.modelserving.cloud.tests.unit import vectors

AK, SK = vectors.ALIBABA_AK, vectors.ALIBABA_SK
HUAWEI_AK, HUAWEI_SK = "HUAWEIEMULATORAK0001", "HuaweiEmulatorSecretKey0000000000000001"
WRONG_SK = "WrongSecretThatTheEmulatorRefuses000000"


@pytest.fixture(scope="module")
def emulator():
    """The emulator on a free port of 127.0.0.1, with one Alibaba and one Huawei key pair."""
    cloud = huawei.HuaweiCloud(keys={HUAWEI_AK: {"secret": HUAWEI_SK, "token": None}}, users={}, seed=7,
                               modelarts_services=6, fabric_instances=1)
    state = server.Emulator(seed=7, pai_eas_services=9, region="cn-hangzhou", keys={AK: {"secret": SK, "token": None}},
                            huawei_cloud=cloud, hostile=True)
    running = server.serve(state, 0)
    state.base_url = "http://127.0.0.1:%d" % running.server_address[1]
    yield state
    running.shutdown()
    running.server_close()


def pai_eas(emulator, **changes):
    return dict({"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": emulator.base_url,
                 "access_key_id": AK, "access_key_secret": SK}, **changes)


def modelarts(emulator, **changes):
    return dict({"provider": "modelarts", "region": "cn-north-4", "endpoint": emulator.base_url,
                 "access_key": HUAWEI_AK, "secret_key": HUAWEI_SK, "project_id": huawei.project_id("cn-north-4")},
                **changes)


def run_action(plugin: type, name: str, args: dict, check_mode: bool = False) -> dict:
    """Run an action plugin as a task would, on the controller: a task with these arguments, no connection needed."""
    task = types.SimpleNamespace(args=args, async_val=0, check_mode=check_mode, action=name)
    connection = types.SimpleNamespace(_shell=types.SimpleNamespace(tmpdir=None))
    action = plugin(task, connection, play_context=None, loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "ci"})
