#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: service_info
short_description: List the inference services of many providers, regions and accounts at once
version_added: 0.1.0
description:
  - Lists the services of every source of O(sources), in the shape the C(modelserving.cloud.inference_services)
    inventory takes, checked the same way, and returns each service once with the host name that inventory gives
    it.
  - Runs on the controller, as an action plugin, so that the credentials inside O(sources) never travel to a module
    process nor appear in the task's result. The fleet report and status gate roles list through it.
  - For one provider and region, the provider's own module (M(modelserving.cloud.pai_eas_service_info),
    M(modelserving.cloud.modelarts_service_info), M(modelserving.cloud.dataarts_fabric_service_info)) takes its
    filters as options.
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - modelserving.cloud.connection
  - modelserving.cloud.connection.listing
  - modelserving.cloud.sources
  - modelserving.cloud.attributes.info_module
attributes:
  action:
    support: full
    description: Runs on the controller; C(delegate_to) and the host's connection do not matter.
options:
  strict_sources:
    description:
      - Fail when a source region cannot be listed (the default). When false, the others are returned and
        RV(failed_sources) says which failed, with a warning.
    type: bool
    default: true
  wait_for:
    description:
      - List the sources again every O(wait_interval) seconds until every service they match has the status
        O(wait_for.status), at least O(wait_for.min_count) services match, and every source region could be listed
        (one that cannot is listed again on the next poll, whatever O(strict_sources) says).
      - The task then returns the last listing. After O(wait_timeout) seconds it fails, returning the last listing
        all the same, with a message saying what is still missing.
      - 'The wait is a loop inside the task, not C(until)/C(retries), so ansible-core prints no C(FAILED - RETRYING)
        line. After each poll that is followed by another, the task prints one line saying what is still missing,
        such as C([localhost] waiting for running, 4 of 600 s: 1 of 3 services are not running:
        chat.cn-hangzhou.pai_eas (stopped)); it names three services at most and counts the others. These lines
        are printed also when the task has C(no_log), since they hold names and statuses only.'
      - A configuration error fails the task at once, without waiting.
    type: dict
    suboptions:
      status:
        description:
          - The status every service must have, as RV(services[].status) gives it (lower case), such as V(running)
            or V(stopped).
        type: str
        required: true
      min_count:
        description:
          - How many services must match at least. With the default, matching nothing is not the end of the wait.
        type: int
        default: 1
  wait_interval:
    description:
      - Seconds between polls, when O(wait_for) is given; at least 1.
    type: int
    default: 10
  wait_timeout:
    description:
      - Seconds to wait in all, when O(wait_for) is given, before the task fails. V(0) lists once.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Every running service of two clouds
  modelserving.cloud.service_info:
    sources:
      - provider: pai_eas
        regions: [cn-hangzhou, cn-shanghai]
        filters: {service_status: Running}
      - provider: modelarts
        regions: [cn-north-4]
        filters: {status: running}
  register: fleet

- name: Their host names, as the inventory has them
  ansible.builtin.debug:
    msg: "{{ fleet.services | map(attribute='host') | list }}"

- name: Wait up to 15 minutes until the services of a release are running, polling every 15 seconds
  modelserving.cloud.service_info:
    sources:
      - provider: pai_eas
        regions: [cn-hangzhou]
        filters: {label: {release: "2026.11"}}
    wait_for:
      status: running
      min_count: 3
    wait_interval: 15
    wait_timeout: 900
  register: release

- name: Go on when a region is down
  modelserving.cloud.service_info:
    sources: "{{ my_sources }}"
    strict_sources: false
  register: fleet
"""

RETURN = r"""
services:
  description:
    - Each service once, in provider, region and service ID order, as the provider's module returns it (the API's
      fields in snake_case plus the fields every provider fills), with RV(services[].host).
    - Service access tokens are never returned.
  returned: success
  type: list
  elements: dict
  contains:
    host:
      description:
        - The host name the inventory gives the service with its default C(hostnames),
          C(<service_name>.<region>.<provider>);
          services that share one get C(_<service_id>).
      type: str
      sample: chat.cn-hangzhou.pai_eas
    provider:
      description: V(pai_eas), V(modelarts) or V(dataarts_fabric).
      type: str
    region:
      description: The region the service was listed in.
      type: str
    service_id:
      description: The service's ID.
      type: str
    service_name:
      description: The service's name.
      type: str
    status:
      description: The status, in lower case (the API's own spelling is in C(status_raw) when it differs).
      type: str
    workspace_id:
      description: The workspace, where the provider has them.
      type: str
    resource_group:
      description: The resource group or pool, where the provider has them.
      type: str
    endpoint:
      description: The service's endpoint, where the provider gives one.
      type: str
    updated_at:
      description: When the service last changed, ISO 8601 UTC.
      type: str
    labels:
      description: The service's labels as one dictionary.
      type: dict
total_count:
  description: How many services RV(services) holds.
  returned: success
  type: int
  sample: 42
failed_sources:
  description: The source regions that could not be listed, with why.
  returned: always
  type: list
  elements: dict
  sample: [{source: 1, provider: modelarts, region: eu-de, endpoint: null, msg: "Failed to list services ..."}]
polls:
  description: How many times the sources were listed while waiting.
  returned: when O(wait_for) is given and the options are right
  type: int
  sample: 4
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.modelserving.cloud.plugins.module_utils.listing import CONNECTION_OPTIONS


def main() -> None:
    """The action plugin of the same name does the work; run as a module, it only says so."""
    spec = {name: dict(entry) for name, entry in CONNECTION_OPTIONS.items()}
    spec.update(sources={"type": "list", "elements": "dict", "required": True},
                strict_sources={"type": "bool", "default": True}, max_results={"type": "int"},
                query={"type": "str"})
    # The wait options as the action checks them (WAIT_OPTIONS in plugin_utils/status_wait.py; a unit test says so).
    spec.update(wait_for={"type": "dict", "options": {"status": {"type": "str", "required": True},
                                                      "min_count": {"type": "int", "default": 1}}},
                wait_interval={"type": "int", "default": 10}, wait_timeout={"type": "int", "default": 600})
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    module.fail_json(msg="modelserving.cloud.service_info runs on the controller as an action plugin; it cannot run "
                         "as a module on its own")


if __name__ == "__main__":
    main()
