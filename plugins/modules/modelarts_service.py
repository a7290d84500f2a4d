#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: modelarts_service
short_description: Create, scale, stop, start and delete a Huawei Cloud ModelArts inference service
version_added: 0.1.0
description:
  - Steers one ModelArts real-time, batch or edge service of Huawei Cloud or Open Telekom Cloud, named by
    O(service_id) or by O(name) in O(workspace_id), with the ModelArts v1 services API (create, show, update,
    delete C(/v1/{project_id}/services)).
  - Idempotent - a write is sent only when the service differs from what the task asks for. O(config) is compared
    model by model as a subset of what the cloud reports (fields the cloud adds are not differences), O(replicas)
    with the instance count of the service's one model.
  - The v1 API starts and stops a service with an update of its status alone, and an update that carries both a
    status and a configuration changes only the status - so a task that changes both sends two updates, the
    configuration first, each waited for.
  - After each write the module waits until the cloud has done it (O(wait)). A service that is busy (deploying,
    stopping, pending, waiting) when the task starts is waited for before it is changed; O(state=absent) deletes it
    in whatever state it is.
  - Secret values inside O(config) (environment variables whose name holds TOKEN, SECRET, PASSWORD, PASSWD, KEY or
    CREDENTIAL) are masked in everything the module returns, its diff and its invocation included; the cloud gets
    them as given.
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.huawei.modules
  - modelserving.cloud.connection
  - modelserving.cloud.attributes.lifecycle_module
options:
  name:
    description:
      - The service's name (C(service_name)); 1 to 64 letters, digits, C(-) and C(_). Needed to create the service.
      - Without O(service_id), the service is found by this name in O(workspace_id); several services of that name
        are an error that names their IDs.
      - With O(service_id) too, the service must have this name.
    type: str
  service_id:
    description:
      - The service's ID, which names it directly. O(state=absent) deletes exactly the service named by O(name) or
        O(service_id).
    type: str
  state:
    description:
      - V(present) creates the service from O(config) when it does not exist, and otherwise brings its models,
        replicas and description to the task's, leaving it running or stopped as it is.
      - V(started) and V(stopped) do the same, then start or stop it unless it is so already (a C(concerning)
        service, running with some instances unhealthy, counts as running). Both fail when the service does not
        exist, creating nothing.
      - V(absent) deletes the service and waits until it is gone; a missing service is no change.
    type: str
    choices: [present, absent, started, stopped]
    default: present
  config:
    description:
      - The service's models, as the API takes them (C(model_id), C(weight), C(specification), C(instance_count),
        C(envs) ...). Required to create the service.
      - For an existing service with as many models, each model given is compared with the reported one at its
        place, and only the fields given; a difference sends the whole list again, the reported fields completed
        with the task's.
    type: list
    elements: dict
  replicas:
    description:
      - The instance count (C(instance_count)) of a service of one model; with several models, give each model's in
        O(config).
    type: int
  infer_type:
    description:
      - The inference type, V(real-time) when a service is created without it. It cannot change afterwards; a task
        that names another than the service's fails.
    type: str
    choices: [real-time, batch, edge]
  description:
    description:
      - The service's description, at most 100 characters.
    type: str
  workspace_id:
    description:
      - The workspace the service is created in and, without O(service_id), looked for in; the API's default
        workspace (V(0)) when not given.
    type: str
notes:
  - A service that turns C(failed) while the module waits fails the task with its status and C(error_msg).
seealso:
  - module: modelserving.cloud.modelarts_service_info
  - plugin: modelserving.cloud.inference_services
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: Deploy a real-time service of one model
  modelserving.cloud.modelarts_service:
    name: mnist-classifier
    region: cn-north-4
    description: digits, from the team's registry
    config:
      - model_id: 0e07b41b-173e-42db-8c16-8e1b44cc0d44
        weight: 100
        specification: modelarts.vm.cpu.2u
        instance_count: 1
        envs:
          MODEL_API_KEY: "{{ model_api_key }}"

- name: Scale it to three instances and make sure it runs (an update, then a start when it was stopped)
  modelserving.cloud.modelarts_service:
    name: mnist-classifier
    region: cn-north-4
    replicas: 3
    state: started

# In a play on the inventory's hosts, such as hosts: status_running
- name: Stop the ModelArts services of the inventory
  modelserving.cloud.modelarts_service:
    service_id: "{{ service_id }}"
    region: "{{ region }}"
    project_id: "{{ project_id }}"
    state: stopped
  delegate_to: localhost
  when: provider == 'modelarts'

- name: Delete a service by its ID
  modelserving.cloud.modelarts_service:
    service_id: 5e6f4a1c-90c4-4b11-8e73-2b6a7a41f0c7
    region: cn-north-4
    state: absent
"""

RETURN = r"""
service:
  description:
    - The service as M(modelserving.cloud.modelarts_service_info) returns it (the API's fields, plus
      RV(service.provider), RV(service.service_id), RV(service.service_name), RV(service.status) in lower case,
      RV(service.project_id), C(labels) from its tags ...), as the cloud reported it last; secret values of
      C(config) masked.
    - None once the service is deleted.
  returned: always
  type: dict
  contains:
    provider:
      description: V(modelarts).
      type: str
      returned: success
    service_id:
      description: The service ID.
      type: str
      returned: success
    service_name:
      description: The service name.
      type: str
      returned: success
    project_id:
      description: The project of the service (the credentials'), which names it in the API's paths with its ID.
      type: str
      returned: success
    status:
      description: The status, such as V(running), V(stopped) or V(concerning).
      type: str
      returned: success
    config:
      description: The service's models, secret values of their C(envs) masked.
      type: list
      elements: dict
      returned: success
actions:
  description: What the task did, or would do in check mode, in words (V(create), V(scale to 3), V(stop) ...).
  returned: always
  type: list
  elements: str
  sample: ["scale to 3", "start"]
diff:
  description: Under C(--diff), the managed fields before and after (C(state), C(status), C(replicas), the compared
    part of C(config), C(description)), secret values masked.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import modelarts, modelarts_lifecycle
from ansible_collections.modelserving.cloud.plugins.module_utils.steer_module import run_steer_module

OPTIONS = {"config": {"type": "list", "elements": "dict"}, "replicas": {"type": "int"},
           "infer_type": {"type": "str", "choices": ["real-time", "batch", "edge"]},
           "description": {"type": "str"}, "workspace_id": {"type": "str"}}


def main() -> None:
    run_steer_module(modelarts, modelarts_lifecycle, OPTIONS)


if __name__ == "__main__":
    main()
