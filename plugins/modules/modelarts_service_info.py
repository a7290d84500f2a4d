#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: modelarts_service_info
short_description: List ModelArts inference services on Huawei Cloud or Open Telekom Cloud
version_added: 0.1.0
description:
  - Lists the real-time, batch and edge inference services of ModelArts in one project, with the
    C(GET /v1/{project_id}/services) API, reading every page.
  - Every query filter of the API is an option; unset options are not sent.
  - Each service is returned with the API's fields plus the fields every provider of this collection fills.
  - The API documents C(offset) as a page number while other clients treat it as a record offset; when more than
    one page is needed, the module finds out which reading the endpoint uses, so no service is lost or repeated.
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.huawei.modules
  - modelserving.cloud.connection
  - modelserving.cloud.connection.listing
  - modelserving.cloud.attributes.info_module
attributes:
  action:
    support: partial
    description: The options are checked on the controller first (a dictionary or list for a string filter is refused
      there, naming the option); then the module runs on the task's host.
options:
  service_id:
    description: The service ID (C(service_id)).
    type: str
  service_name:
    description: The service name (C(service_name)).
    type: str
  model_id:
    description: The ID of a model the services use (C(model_id)).
    type: str
  workspace_id:
    description: The workspace ID (C(workspace_id)); the API's default is V(0), the default workspace.
    type: str
  infer_type:
    description:
      - The inference type (C(infer_type)); V(edge) exists on Huawei Cloud only.
      - One of V(real-time), V(batch), V(edge), in any case, with or without C(-) and C(_); it is sent as the API spells
        it. Another value is sent as given, with a warning.
    type: str
  status:
    description:
      - The service status (C(status)).
      - One of V(running), V(deploying), V(concerning), V(failed), V(stopped), V(finished), V(stopping), V(deleting),
        V(pending), V(waiting), in any case, with or without C(-) and C(_); it is sent as the API spells it. Another
        value is sent as given, with a warning.
    type: str
  sort_by:
    description:
      - The field to sort by (C(sort_by)); the API's default is V(publish_at).
      - One of V(publish_at), V(service_name), V(transition_at), in any case, with or without C(-) and C(_); it is sent
        as the API spells it. Another value is sent as given, with a warning.
    type: str
  order:
    description:
      - The sort order (C(order)); the API's default is V(desc).
      - One of V(asc), V(desc), in any case, with or without C(-) and C(_); it is sent as the API spells it. Another
        value is sent as given, with a warning.
    type: str
  tags:
    description: Tags the services must carry (C(tags)), passed to the API as written, for example V(k1=v1).
    type: str
  page_size:
    description: How many services each API call asks for (C(limit), at most 1000).
    type: int
    default: 1000
  details:
    description:
      - Also read each service's details (C(GET /v1/{project_id}/services/{service_id}), concurrently), which fills
        RV(services[].resource_group) with the resource pool and adds the service's C(config).
    type: bool
    default: false
seealso:
  - name: Obtaining Services
    description: The API this module calls (Open Telekom Cloud documentation).
    link: https://docs.otc.t-systems.com/modelarts/api-ref/service_management/obtaining_services.html
"""

EXAMPLES = r"""
- name: Running real-time services of the default workspace, with AK/SK from the environment
  modelserving.cloud.modelarts_service_info:
    region: cn-north-4
    status: running
    infer_type: real-time
  register: ma

- name: On Open Telekom Cloud, with an IAM user, and with each service's resource pool
  modelserving.cloud.modelarts_service_info:
    cloud: otc
    region: eu-de
    username: "{{ otc_user }}"
    password: "{{ otc_password }}"
    domain_name: "{{ otc_domain }}"
    details: true
  register: ma

- name: Credentials once for every Huawei module
  module_defaults:
    group/modelserving.cloud.huaweicloud:
      access_key: "{{ vault_huawei_ak }}"
      secret_key: "{{ vault_huawei_sk }}"
      region: cn-north-4
  block:
    - name: Names of failed services
      modelserving.cloud.modelarts_service_info:
        status: failed
        query: "[].service_name"
      register: failed
"""

RETURN = r"""
services:
  description:
    - The services, in the order of the API, each exactly once, with the API's fields and the normalized fields
      below. When O(query) is set, whatever the expression returns.
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: Always V(modelarts).
      type: str
      sample: modelarts
    region:
      description: The region the service was listed in.
      type: str
      sample: cn-north-4
    service_id:
      description: The service ID.
      type: str
      sample: f76f20ba-78f5-44e8-893a-37c8c600c02f
    service_name:
      description: The service name.
      type: str
      sample: service-demo
    status:
      description: The status, in lower case.
      type: str
      sample: running
    workspace_id:
      description: The workspace ID.
      type: str
      sample: "0"
    resource_group:
      description: The resource pool (C(pool_name), else C(cluster_id)) when O(details=true) finds one.
      type: str
    endpoint:
      description: The service's access address when the API gives one.
      type: str
    created_at:
      description: When the service was published (ISO 8601, UTC, from C(publish_at)).
      type: str
      sample: "2024-01-02T03:04:05Z"
    updated_at:
      description: When the service last changed status (ISO 8601, UTC, from C(transition_at)).
      type: str
    labels:
      description: The tags (C(tags)) as one dictionary, tag key to value; the API's list stays in C(tags).
      type: dict
      sample: {app: chat, env: prod}
total_count:
  description: The number of matching services the API reports.
  returned: success
  type: int
  sample: 2
request_ids:
  description: The request ID (C(X-Request-Id)) of every page read, for support cases.
  returned: success
  type: list
  elements: str
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.info_module import run_info_module
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import modelarts


def main() -> None:
    run_info_module(modelarts)


if __name__ == "__main__":
    main()
