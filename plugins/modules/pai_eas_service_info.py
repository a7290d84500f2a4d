#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pai_eas_service_info
short_description: List Alibaba Cloud PAI-EAS inference services
version_added: 0.1.0
description:
  - Lists the Elastic Algorithm Service (EAS) services of Alibaba Cloud Platform for AI (PAI) in one region, with
    the ListServices API (version 2021-07-01), reading every page.
  - Every query filter of the API is an option; unset options are not sent.
  - Each service is returned with the API's fields in snake_case plus the fields every provider of this
    collection fills (RV(services[].provider), RV(services[].status), RV(services[].resource_group) ...).
  - The service access token (C(AccessToken)) is left out unless O(include_access_token=true).
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.alibaba.modules
  - modelserving.cloud.connection
  - modelserving.cloud.connection.listing
  - modelserving.cloud.attributes.info_module
attributes:
  action:
    support: partial
    description: The options are checked on the controller first (a dictionary or list for a string filter is refused
      there, naming the option); then the module runs on the task's host.
options:
  filter:
    description: Fuzzy match on the service name (C(Filter)).
    type: str
  service_name:
    description: The exact service name (C(ServiceName)).
    type: str
  service_status:
    description:
      - The service status (C(ServiceStatus)).
      - One of V(Creating), V(Waiting), V(Starting), V(Running), V(Updating), V(HotUpdate), V(Committing), V(Stopping),
        V(Stopped), V(Deleting), V(Failed), V(DeleteFailed), V(Completed), in any case, with or without C(-) and C(_);
        it is sent as the API spells it, so the lower-case spelling of the status host groups works too. Another value
        is sent as given, with a warning.
    type: str
  service_type:
    description: The service type (C(ServiceType)), for example V(Standard), V(Async), V(Queue) or V(LLM).
    type: str
  service_uid:
    description: The service UID (C(ServiceUid)).
    type: str
  label:
    description:
      - Labels the services must carry (C(Label)), as a dictionary. A V(null) value matches any value of that key.
      - Sent as compact JSON, for example C({"app":"demo","env":null}).
    type: dict
  group_name:
    description: The service group name (C(GroupName)).
    type: str
  parent_service_uid:
    description: The primary service of a band member service (C(ParentServiceUid)).
    type: str
  workspace_id:
    description: The PAI workspace ID (C(WorkspaceId)).
    type: str
  include_no_workspace:
    description:
      - Whether services that belong to no workspace are listed (C(IncludeNoWorkspace)); the API's default is V(true).
    type: bool
  resource_id:
    description: The resource group ID (C(ResourceId)).
    type: str
  resource_alias_name:
    description: The custom name of the resource group (C(ResourceAliasName)).
    type: str
  resource_name:
    description: The resource group name or ID (C(ResourceName)); deprecated by the API in favour of O(resource_id).
    type: str
  resource_type:
    description: The type of resource the services use (C(ResourceType)), for example V(PublicResource).
    type: str
  resource_burstable:
    description: Whether the elastic resource pool is on (C(ResourceBurstable)).
    type: bool
  quota_id:
    description: The quota ID (C(QuotaId)).
    type: str
  gateway:
    description: The private gateway ID (C(Gateway)).
    type: str
  role:
    description: The service role (C(Role)), for example V(LLMGateway).
    type: str
  traffic_state:
    description: Whether a member service takes group traffic (C(TrafficState)), for example V(grouping).
    type: str
  autoscaler_enabled:
    description: Whether auto scaling is on (C(AutoscalerEnabled)).
    type: bool
  cronscaler_enabled:
    description: Whether scheduled scaling is on (C(CronscalerEnabled)).
    type: bool
  caller_uid:
    description: The UID of the account that created the service (C(CallerUid)).
    type: str
  sort:
    description: The field to sort by (C(Sort)), for example V(CreateTime), the API's default.
    type: str
  order:
    description:
      - The sort order (C(Order)); the API's default is V(desc).
      - One of V(asc), V(desc), in any case, with or without C(-) and C(_); it is sent as the API spells it. Another
        value is sent as given, with a warning.
    type: str
  page_size:
    description:
      - How many services each API call asks for (C(PageSize)); the pages are read until every service is listed.
    type: int
    default: 100
  include_access_token:
    description:
      - Return each service's access token in RV(services[].access_token).
      - The task must then set C(no_log=true), so that the tokens appear in no output; the module fails otherwise.
    type: bool
    default: false
seealso:
  - name: ListServices API reference
    description: The Alibaba Cloud API this module calls.
    link: https://www.alibabacloud.com/help/en/pai/developer-reference/api-eas-2021-07-01-listservices
"""

EXAMPLES = r"""
- name: List every running service of a workspace
  modelserving.cloud.pai_eas_service_info:
    region: cn-hangzhou
    workspace_id: "123445"
    service_status: Running
  register: eas

- name: Services labelled app=chat, whatever their env label, oldest first
  modelserving.cloud.pai_eas_service_info:
    region: cn-shanghai
    label:
      app: chat
      env: null
    sort: CreateTime
    order: asc

- name: Names of the failed services, with credentials set once for the group
  module_defaults:
    group/modelserving.cloud.pai_eas:
      access_key_id: "{{ vault_alibaba_access_key_id }}"
      access_key_secret: "{{ vault_alibaba_access_key_secret }}"
      region: cn-beijing
  block:
    - name: Find them
      modelserving.cloud.pai_eas_service_info:
        service_status: Failed
        query: "[].service_name"
      register: failed

- name: Through a VPC endpoint, with an internal CA
  modelserving.cloud.pai_eas_service_info:
    endpoint: pai-eas-manage-vpc.cn-hangzhou.aliyuncs.com
    ca_path: /etc/pki/internal-ca.pem

- name: Access tokens, for calling the services (never shown)
  modelserving.cloud.pai_eas_service_info:
    region: cn-hangzhou
    service_name: echo
    include_access_token: true
  no_log: true
  register: echo
"""

RETURN = r"""
services:
  description:
    - The services, in the order of the API, each exactly once.
    - Each holds every field of the API's service object in snake_case (C(ServiceName) becomes C(service_name),
      C(Labels) becomes C(labels_raw), since C(labels) is the normalized dictionary), plus the normalized fields
      below.
    - When O(query) is set, whatever the expression returns.
  returned: always
  type: list
  elements: dict
  contains:
    provider:
      description: Always V(pai_eas).
      type: str
      sample: pai_eas
    region:
      description: The region of the service.
      type: str
      sample: cn-hangzhou
    service_id:
      description: The service ID.
      type: str
      sample: eas-m-xxasdat
    service_name:
      description: The service name.
      type: str
      sample: echo
    status:
      description: The status, in lower case.
      type: str
      sample: running
    status_raw:
      description: The status as the API wrote it, when it differs from RV(services[].status).
      type: str
      returned: when it differs
      sample: Running
    workspace_id:
      description: The workspace ID, or V(null) for services in no workspace.
      type: str
      sample: "123445"
    resource_group:
      description: The resource group (C(Resource)) the service runs in.
      type: str
      sample: eas-r-xxxxxxx
    endpoint:
      description: The internet endpoint, or the intranet one when there is none.
      type: str
      sample: http://10123.cn-shanghai.pai-eas.aliyuncs.com/api/predict/echo
    created_at:
      description: When the service was created (ISO 8601, UTC).
      type: str
      sample: "2021-01-29T11:13:20Z"
    updated_at:
      description: When the service was last updated (ISO 8601, UTC).
      type: str
      sample: "2021-01-29T11:13:20Z"
    labels:
      description:
        - The labels (C(Labels)) as one dictionary, label key to value; the API's list is C(labels_raw).
      type: dict
      sample: {app: chat, env: prod}
    access_token:
      description: The service's access token.
      type: str
      returned: when O(include_access_token=true)
total_count:
  description: The number of matching services the API reports.
  returned: success
  type: int
  sample: 1050
request_ids:
  description: The request ID of every page read, for support cases.
  returned: success
  type: list
  elements: str
  sample: ["40325405-579C-4D82-9624-EC2B1779848E"]
"""

from ansible_collections.modelserving.cloud.plugins.module_utils.info_module import run_info_module
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas


def main() -> None:
    run_info_module(pai_eas)


if __name__ == "__main__":
    main()
