#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dataarts_fabric_service
short_description: Deploy, scale and delete a Huawei Cloud DataArts Fabric service instance
version_added: 0.1.0
description:
  - Steers one DataArts Fabric service instance (a model deployed to an inference endpoint), named by
    O(instance_id) or by O(name) in O(workspace_id), with the API C(/v1/workspaces/{workspace_id}/services/instances)
    (DeployServiceInstance, ShowServiceInstanceDetail, UpdateServiceInstance, DeleteServiceInstance).
  - Idempotent - a write is sent only when the instance differs from what the task asks for. O(config) is compared
    as a subset of the configuration the cloud reports, O(min_replicas) and O(max_replicas) with its resource's
    C(min) and C(max).
  - The API has no start or stop, and an instance's C(spec_code) and O(endpoint_id) cannot change once it is
    created; a task that asks for either fails, sending nothing.
  - After each write the module waits until the cloud has done it (O(wait)). An instance that is busy (pending,
    creating, updating) when the task starts is waited for before it is changed; O(state=absent) deletes it in
    whatever state it is.
  - Secret values inside O(config) (keys whose name holds TOKEN, SECRET, PASSWORD, PASSWD, KEY or CREDENTIAL) are
    masked in everything the module returns; the cloud gets them as given.
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.huawei.modules
  - modelserving.cloud.connection
  - modelserving.cloud.attributes.lifecycle_module
options:
  name:
    description:
      - The instance's name. Needed to deploy it.
      - Without O(instance_id), the instance is found by this exact name in O(workspace_id) (the API's name search
        is fuzzy; only an equal name counts); several instances of that name are an error that names their IDs.
      - With O(instance_id) too, the instance must have this name.
    type: str
  instance_id:
    description:
      - The instance's ID (C(id)), which names it directly. O(state=absent) deletes exactly the instance named by
        O(name) or O(instance_id).
    type: str
  workspace_id:
    description:
      - The workspace of the instance; 1 to 36 letters, digits and hyphens.
    type: str
    required: true
  state:
    description:
      - V(present) deploys the instance when it does not exist, and otherwise brings its source, description and
        replicas to the task's.
      - V(absent) deletes the instance and waits until it is gone; a missing instance is no change.
      - V(started) and V(stopped) fail, sending nothing - the API has no start or stop.
    type: str
    choices: [present, absent, started, stopped]
    default: present
  source:
    description:
      - The model to deploy - its C(id) and C(version_id). Needed to deploy; a different one updates the instance.
    type: dict
  endpoint_id:
    description:
      - The inference endpoint to deploy to. Needed to deploy; it cannot change afterwards.
    type: str
  description:
    description:
      - The instance's description.
    type: str
  config:
    description:
      - The instance's configuration, as the API takes it - C(model_instance_config.resource) with C(min), C(max)
        (1 to 1000) and C(spec_code). Needed to deploy.
      - For an existing instance only the keys given are compared; only C(min) and C(max) can change.
    type: dict
  min_replicas:
    description:
      - The fewest replicas (C(config.model_instance_config.resource.min)).
    type: int
  max_replicas:
    description:
      - The most replicas (C(config.model_instance_config.resource.max)).
    type: int
notes:
  - An instance that turns C(FAILED) while the module waits fails the task with its C(error_code) and C(error_msg).
seealso:
  - module: modelserving.cloud.dataarts_fabric_service_info
  - plugin: modelserving.cloud.inference_services
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: Deploy a model to an endpoint
  modelserving.cloud.dataarts_fabric_service:
    name: qwen-chat
    workspace_id: 9c3e4b1f-2d0a-4a6f-b1c7-0e2d4f6a8b9c
    region: cn-north-4
    source:
      id: 6f1b2c3d4e5f40718293a4b5c6d7e8f9
      version_id: 0a1b2c3d4e5f40718293a4b5c6d7e8f9
    endpoint_id: b935d0ef-f4eb-4b95-aff1-9d33ae9f57b6
    config:
      model_instance_config:
        resource:
          min: 1
          max: 4
          spec_code: fabric.llm.small

- name: Let it scale up to eight replicas
  modelserving.cloud.dataarts_fabric_service:
    name: qwen-chat
    workspace_id: 9c3e4b1f-2d0a-4a6f-b1c7-0e2d4f6a8b9c
    region: cn-north-4
    max_replicas: 8

- name: Delete it, without waiting for it to be gone
  modelserving.cloud.dataarts_fabric_service:
    name: qwen-chat
    workspace_id: 9c3e4b1f-2d0a-4a6f-b1c7-0e2d4f6a8b9c
    region: cn-north-4
    state: absent
    wait: false
"""

RETURN = r"""
service:
  description:
    - The instance as M(modelserving.cloud.dataarts_fabric_service_info) returns it (the API's fields, plus
      RV(service.provider), RV(service.service_id), RV(service.service_name), RV(service.status) in lower case ...),
      as the cloud reported it last; secret values of C(config) masked.
    - None once the instance is deleted.
  returned: always
  type: dict
  contains:
    provider:
      description: V(dataarts_fabric).
      type: str
      returned: success
    service_id:
      description: The instance ID (C(id)).
      type: str
      returned: success
    service_name:
      description: The instance name.
      type: str
      returned: success
    status:
      description: The status in lower case, such as V(running); C(status_raw) holds the API's.
      type: str
      returned: success
actions:
  description: What the task did, or would do in check mode, in words (V(create), V(scale to 1-8) ...).
  returned: always
  type: list
  elements: str
  sample: ["scale to 1-8"]
diff:
  description: Under C(--diff), the managed fields before and after (C(state), C(status), C(replicas) as C(min)
    and C(max), the compared part of C(config), C(source), C(endpoint_id), C(description)), secret values masked.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import (
    dataarts_fabric,
    dataarts_fabric_lifecycle,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.steer_module import run_steer_module

OPTIONS = {"workspace_id": {"type": "str", "required": True}, "source": {"type": "dict"},
           "endpoint_id": {"type": "str"}, "description": {"type": "str"}, "config": {"type": "dict"},
           "min_replicas": {"type": "int"}, "max_replicas": {"type": "int"},
           # The API has no start or stop: these two are refused with that said, before anything is sent.
           "state": {"type": "str", "default": "present", "choices": ["present", "absent", "started", "stopped"]}}


def main() -> None:
    run_steer_module(dataarts_fabric, dataarts_fabric_lifecycle, OPTIONS)


if __name__ == "__main__":
    main()
