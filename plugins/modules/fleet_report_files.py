#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: fleet_report_files
short_description: List the services of some sources and write the fleet report's files, on the controller, in one task
version_added: 0.1.0
description:
  - Lists the services of O(sources), as M(modelserving.cloud.service_info) lists them, and writes, in O(dir) on the
    controller, the files of their fleet report that O(formats) names. C(report.html) is the page, C(report.md) the
    Markdown summary, C(services.json) the records and C(services.csv) one row a service.
  - Or writes the report of O(services), records that M(modelserving.cloud.service_info) returned earlier.
  - Listing in this task is the fast way for a large fleet. The records never pass through a task's result, which
    ansible-core copies into the next task; at 10,000 services that copy costs more than the rendering.
  - The text of each file is what the P(modelserving.cloud.fleet_report#filter) filter returns, which documents what
    each shows. Every value from the APIs is data, escaped and never templated.
  - Runs on the controller, as an action plugin, like M(modelserving.cloud.service_info); the credentials inside
    O(sources) never travel to a module process nor appear in the result. One task writes every file. A file whose
    text is unchanged is left alone. The service_report role writes its report with it.
author:
  - modelserving.cloud maintainers (@modelserving)
attributes:
  check_mode:
    support: full
    description:
      - O(sources) are listed (which changes nothing); nothing is written, not even the folder; C(changed) and
        RV(written) say what a run would write.
  diff_mode:
    support: none
    description: The files are reports, too large for a diff.
  action:
    support: full
    description: Runs on the controller; C(delegate_to) and the host's connection do not matter.
options:
  sources:
    description:
      - The sources whose services to list and report, each as O(modelserving.cloud.service_info#module:sources)
        takes it (the shape of the C(modelserving.cloud.inference_services) inventory's C(sources), checked the same
        way). Connection options go in each source; this module has no top-level ones.
      - Exactly one of O(sources) and O(services) is required.
    type: list
    elements: dict
  strict_sources:
    description:
      - With O(sources), fail when a source region cannot be listed (the default), writing nothing. When false, the
        report is written without it, RV(failed_sources) says which failed, and a warning says so.
    type: bool
    default: true
  services:
    description:
      - The service records to report, as M(modelserving.cloud.service_info) returns them in
        RV(modelserving.cloud.service_info#module:services), instead of O(sources).
    type: list
    elements: dict
  dir:
    description:
      - The folder on the controller the files are written to, made (mode C(0755)) if missing. Files are written
        with mode C(0644).
    type: path
    required: true
  formats:
    description:
      - Which files to write.
    type: list
    elements: str
    choices: [html, markdown, json, csv]
    default: [html, markdown, json, csv]
  title:
    description:
      - The report's title.
    type: str
    default: Inference services
"""

EXAMPLES = r"""
- name: List the services of two clouds and write the page and the Markdown summary
  modelserving.cloud.fleet_report_files:
    sources:
      - provider: pai_eas
        regions: [cn-hangzhou, cn-shanghai]
      - provider: modelarts
        regions: [cn-north-4]
    dir: /srv/reports/fleet
    formats: [html, markdown]
    title: Inference services, all clouds

- name: Go on when a region is down (the report says nothing of it; failed_sources and a warning do)
  modelserving.cloud.fleet_report_files:
    sources: "{{ my_sources }}"
    strict_sources: false
    dir: /srv/reports/fleet
  register: report

- name: The report of services listed earlier, in CSV only
  modelserving.cloud.fleet_report_files:
    services: "{{ listing.services | selectattr('status', 'eq', 'failed') }}"
    dir: /srv/reports/failed
    formats: [csv]
"""

RETURN = r"""
files:
  description: The files of O(formats), written or left as they were.
  returned: always
  type: list
  elements: path
  sample: [/srv/reports/fleet/report.html, /srv/reports/fleet/report.md]
written:
  description: The files whose text changed (in check mode, those a run would write).
  returned: always
  type: list
  elements: path
  sample: [/srv/reports/fleet/report.html]
total_count:
  description: How many services the report holds.
  returned: success
  type: int
  sample: 42
failed_sources:
  description:
    - With O(sources), the source regions that could not be listed, with why, as
      RV(modelserving.cloud.service_info#module:failed_sources) gives them.
  returned: when O(sources) is given
  type: list
  elements: dict
  sample: [{source: 1, provider: modelarts, region: eu-de, endpoint: null, msg: "Failed to list services ..."}]
"""

from ansible.module_utils.basic import AnsibleModule


def main() -> None:
    """The action plugin of the same name does the work; run as a module, it only says so."""
    module = AnsibleModule(argument_spec={
        "sources": {"type": "list", "elements": "dict"},
        "strict_sources": {"type": "bool", "default": True},
        "services": {"type": "list", "elements": "dict"},
        "dir": {"type": "path", "required": True},
        "formats": {"type": "list", "elements": "str", "choices": ["html", "markdown", "json", "csv"],
                    "default": ["html", "markdown", "json", "csv"]},
        "title": {"type": "str", "default": "Inference services"}},
        mutually_exclusive=[["sources", "services"]], required_one_of=[["sources", "services"]],
        supports_check_mode=True)
    module.fail_json(msg="modelserving.cloud.fleet_report_files runs on the controller as an action plugin; it "
                         "cannot run as a module on its own")


if __name__ == "__main__":
    main()
