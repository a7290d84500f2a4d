#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pai_eas_service
short_description: Create, scale, stop, start, restart and delete an Alibaba Cloud PAI-EAS inference service
version_added: 0.1.0
description:
  - Steers one Elastic Algorithm Service (EAS) service of Alibaba Cloud Platform for AI, named by O(name) in
    O(region), with the PAI-EAS API 2021-07-01 (CreateService, DescribeService, UpdateService, StartService,
    StopService, RestartService, DeleteService, UpdateServiceLabel, DeleteServiceLabel).
  - Idempotent - a write is sent only when the service differs from what the task asks for. O(config) is compared
    as a subset of the configuration the cloud reports (keys the cloud adds are not differences), O(replicas)
    with the configured number of instances, O(labels) with the service's labels.
  - After each write the module waits until the cloud has done it (O(wait)), reading the service soon after the
    write and then less often, up to every ten seconds. A service that is busy (creating, updating, stopping ...)
    when the task starts is waited for before it is changed; O(state=absent) deletes it in whatever state it is.
  - Secret values inside O(config) (a C(token) key, keys or environment variables whose name holds TOKEN, SECRET,
    PASSWORD, PASSWD, KEY or CREDENTIAL) are masked in everything the module returns, its diff and its invocation
    included; the cloud gets them as given. The service's access token is never returned.
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.alibaba.modules
  - modelserving.cloud.connection
  - modelserving.cloud.attributes.lifecycle_module
options:
  name:
    description:
      - The service's name (C(ServiceName)); with O(region), what names the service. O(state=absent) deletes exactly
        this service.
    type: str
    required: true
  state:
    description:
      - V(present) creates the service from O(config) when it does not exist, and otherwise brings its
        configuration, replicas and labels to the task's, leaving it running or stopped as it is.
      - V(started) and V(stopped) do the same, then start or stop it unless it is so already; V(restarted) restarts
        it every time (also a service that failed). These three fail when the service does not exist, creating
        nothing.
      - V(absent) deletes the service and waits until it is gone; a missing service is no change.
    type: str
    choices: [present, absent, started, stopped, restarted]
    default: present
  config:
    description:
      - The service description, as CreateService takes it (C(metadata), C(containers) or C(processor), C(storage)
        ...). Its C(name) is O(name) when it has none; a different one is an error.
      - Required to create the service. For an existing service only the keys given are compared, and a
        difference is sent with UpdateService (C(merge)).
    type: dict
  replicas:
    description:
      - The number of instances (C(metadata.instance)). A task that changes only this scales the service with an
        UpdateService whose body is the number alone.
    type: int
  workspace_id:
    description:
      - The workspace the service is created in (C(WorkspaceId)); it is not changed afterwards.
    type: str
  labels:
    description:
      - Labels the service has (key -> value). Labels not named here are kept unless O(purge_labels=true).
    type: dict
  purge_labels:
    description:
      - Delete the service's labels that O(labels) does not name.
    type: bool
    default: false
notes:
  - A service whose C(SafetyLock) forbids the operation (V(dangerous) forbids stop and delete, V(all) every change)
    fails the task with the cloud's message.
  - A service that turns C(Failed) while the module waits fails the task with its status, reason and message.
seealso:
  - module: modelserving.cloud.pai_eas_service_info
  - plugin: modelserving.cloud.inference_services
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: Deploy a service from its configuration
  modelserving.cloud.pai_eas_service:
    name: chat_qwen
    region: cn-hangzhou
    workspace_id: "123445"
    labels:
      team: search
    config:
      metadata:
        instance: 2
        cpu: 8
        memory: 32000
      containers:
        - image: eas-registry-vpc.cn-hangzhou.cr.aliyuncs.com/pai-eas/vllm:latest
          port: 8000
          env:
            - name: HF_TOKEN
              value: "{{ hf_token }}"

- name: Scale it down at night
  modelserving.cloud.pai_eas_service:
    name: chat_qwen
    region: cn-hangzhou
    replicas: 1

# In a play on the inventory's hosts, such as hosts: label_env_dev
- name: Stop the services labelled env=dev
  modelserving.cloud.pai_eas_service:
    name: "{{ service_name }}"
    region: "{{ region }}"
    state: stopped
  delegate_to: localhost
  when: provider == 'pai_eas'

- name: Restart a service that failed
  modelserving.cloud.pai_eas_service:
    name: chat_qwen
    region: cn-hangzhou
    state: restarted

- name: Delete a service a test created, without waiting for it to be gone
  modelserving.cloud.pai_eas_service:
    name: ci_tmp_service
    region: cn-hangzhou
    state: absent
    wait: false
"""

RETURN = r"""
service:
  description:
    - The service as M(modelserving.cloud.pai_eas_service_info) returns it (the API's fields in snake_case, plus
      RV(service.provider), RV(service.service_id), RV(service.service_name), RV(service.status) in lower case,
      RV(service.labels) ...), as the cloud reported it last; secret values of C(service_config) masked.
    - None once the service is deleted.
  returned: always
  type: dict
  contains:
    provider:
      description: V(pai_eas).
      type: str
      returned: success
    service_id:
      description: The service ID (C(ServiceId)).
      type: str
      returned: success
    service_name:
      description: The service name.
      type: str
      returned: success
    status:
      description: The status in lower case, such as V(running) or V(stopped); C(status_raw) holds the API's.
      type: str
      returned: success
    labels:
      description: The labels, key -> value.
      type: dict
      returned: success
    service_config:
      description: The configuration as the cloud reports it (a JSON text), secret values masked.
      type: str
      returned: success
actions:
  description: What the task did, or would do in check mode, in words (V(create), V(scale to 3), V(stop) ...).
  returned: always
  type: list
  elements: str
  sample: ["scale to 3", "set labels team"]
diff:
  description: Under C(--diff), the managed fields before and after (C(state), C(status), C(replicas), the compared
    part of C(config), C(labels)), secret values masked.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas, pai_eas_lifecycle
from ansible_collections.modelserving.cloud.plugins.module_utils.steer_module import run_steer_module

OPTIONS = {"config": {"type": "dict"}, "replicas": {"type": "int"}, "workspace_id": {"type": "str"},
           "labels": {"type": "dict"}, "purge_labels": {"type": "bool", "default": False}}


def main() -> None:
    run_steer_module(pai_eas, pai_eas_lifecycle, OPTIONS)


if __name__ == "__main__":
    main()
