#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dataarts_fabric_service_info
short_description: List Huawei Cloud DataArts Fabric service instances
version_added: 0.1.0
description:
  - Lists the service instances (LLM models and PostgreSQL services) of a DataArts Fabric workspace, with the
    C(GET /v1/workspaces/{workspace_id}/services/instances) API, reading every page (100 instances a call).
  - Every query filter of the API is an option; unset options are not sent.
  - Each instance is returned with the API's fields plus the fields every provider of this collection fills.
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
  workspace_id:
    description:
      - The workspace whose instances are listed; 1 to 36 letters, digits and hyphens.
      - It goes into the URL path, so other values are refused before anything is sent.
    type: str
    required: true
  id:
    description: The service instance ID (C(id)).
    type: str
  name:
    description:
      - A part of the service instance name (C(name)); the search is fuzzy.
      - Sent as given (spaces, C(_), C(.) and non-ASCII text are percent-encoded and signed); the API judges the
        value, and its error comes back as the module's error.
    type: str
  endpoint_id:
    description: The endpoint the instances run on (C(endpoint_id)).
    type: str
  source_id:
    description: The source service ID (C(source_id)).
    type: str
  version_id:
    description: The source service version ID (C(version_id)).
    type: str
  type:
    description:
      - The service type (C(type)).
      - One of V(PGSQL_SERVICE), V(LLM_MODEL), in any case, with or without C(-) and C(_); it is sent as the API spells
        it. Another value is sent as given, with a warning.
    type: str
  visibility:
    description:
      - The visibility (C(visibility)); when not set, your own private and all public instances are listed.
      - One of V(PRIVATE), V(PUBLIC), in any case, with or without C(-) and C(_); it is sent as the API spells it.
        Another value is sent as given, with a warning.
    type: str
  sort_by:
    description:
      - The field to sort by (C(sort_by)).
      - One of V(CREATE_TIME), V(DURATION), in any case, with or without C(-) and C(_); it is sent as the API spells it.
        Another value is sent as given, with a warning.
    type: str
  order_by:
    description:
      - The sort order (C(order_by)).
      - One of V(ASC), V(DESC), in any case, with or without C(-) and C(_); it is sent as the API spells it. Another
        value is sent as given, with a warning.
    type: str
  page_size:
    description: How many instances each API call asks for (C(limit), 1 to 100).
    type: int
    default: 100
seealso:
  - name: DataArts Fabric API reference
    description: The Huawei Cloud API this module calls (ListServicesInstances).
    link: https://support.huaweicloud.com/intl/en-us/api-dataartsfabric/ListServicesInstances.html
"""

EXAMPLES = r"""
- name: The LLM instances of a workspace
  modelserving.cloud.dataarts_fabric_service_info:
    region: cn-north-4
    workspace_id: ws-0001
    type: LLM_MODEL
  register: fabric

- name: Private instances, newest first, with a temporary AK/SK
  modelserving.cloud.dataarts_fabric_service_info:
    region: cn-southwest-2
    access_key: "{{ sts.access }}"
    secret_key: "{{ sts.secret }}"
    security_token: "{{ sts.securitytoken }}"
    workspace_id: ws-0001
    visibility: PRIVATE
    sort_by: CREATE_TIME
    order_by: DESC
"""

RETURN = r"""
services:
  description:
    - The service instances, in the order of the API, each exactly once, with the API's fields and the normalized
      fields below. When O(query) is set, whatever the expression returns.
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: Always V(dataarts_fabric).
      type: str
      sample: dataarts_fabric
    region:
      description: The region the instance was listed in.
      type: str
      sample: cn-north-4
    service_id:
      description: The instance ID (C(id)).
      type: str
    service_name:
      description: The instance name (C(name)).
      type: str
    status:
      description: The status, in lower case.
      type: str
      sample: running
    workspace_id:
      description: The workspace listed.
      type: str
      sample: ws-0001
    resource_group:
      description: The endpoint the instance runs on (C(endpoint_id)).
      type: str
    endpoint:
      description: Always V(null); the list API gives no address.
      type: str
    created_at:
      description: When the instance was created (C(create_time)).
      type: str
    updated_at:
      description: When the instance was last updated (C(update_time)).
      type: str
    labels:
      description: Always empty, DataArts Fabric has no labels; there so that every provider's record has it.
      type: dict
      sample: {}
total_count:
  description: The number of matching instances the API reports (C(total)).
  returned: success
  type: int
request_ids:
  description: The request ID (C(X-Request-Id)) of every page read.
  returned: success
  type: list
  elements: str
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.info_module import run_info_module
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric


def main() -> None:
    run_info_module(dataarts_fabric)


if __name__ == "__main__":
    main()
