#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: fleet_report_files
short_description: Write the fleet report's files of some service records, on the controller, in one task
version_added: 0.1.0
description:
  - Writes, in O(dir) on the controller, the files of the fleet report of O(services) that O(formats) names.
    C(report.html) is the page, C(report.md) the Markdown summary, C(services.json) the records and
    C(services.csv) one row a service.
  - The text of each file is what the P(modelserving.cloud.fleet_report#filter) filter returns, which documents what
    each shows. Every value from the APIs is data, escaped and never templated.
  - Runs on the controller, as an action plugin, like M(modelserving.cloud.service_info) that lists the services.
    One task writes every file. A file whose text is unchanged is left alone. The service_report role writes its
    report with it.
author:
  - modelserving.cloud maintainers (@modelserving)
attributes:
  check_mode:
    support: full
    description: Nothing is written, not even the folder; C(changed) and RV(written) say what a run would write.
  diff_mode:
    support: none
    description: The files are reports, too large for a diff.
  action:
    support: full
    description: Runs on the controller; C(delegate_to) and the host's connection do not matter.
options:
  services:
    description:
      - The service records, as M(modelserving.cloud.service_info) returns them in
        RV(modelserving.cloud.service_info#module:services).
    type: list
    elements: dict
    required: true
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
  sources:
    description:
      - How many sources were listed, for the line under the title.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: List the services
  modelserving.cloud.service_info:
    sources: "{{ my_sources }}"
  register: listing

- name: Write the page and the Markdown summary
  modelserving.cloud.fleet_report_files:
    services: "{{ listing.services }}"
    dir: /srv/reports/fleet
    formats: [html, markdown]
    title: Inference services, all clouds
    sources: "{{ my_sources | length }}"
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
"""

from ansible.module_utils.basic import AnsibleModule


def main() -> None:
    """The action plugin of the same name does the work; run as a module, it only says so."""
    module = AnsibleModule(argument_spec={
        "services": {"type": "list", "elements": "dict", "required": True},
        "dir": {"type": "path", "required": True},
        "formats": {"type": "list", "elements": "str", "choices": ["html", "markdown", "json", "csv"],
                    "default": ["html", "markdown", "json", "csv"]},
        "title": {"type": "str", "default": "Inference services"},
        "sources": {"type": "int", "default": 0}}, supports_check_mode=True)
    module.fail_json(msg="modelserving.cloud.fleet_report_files runs on the controller as an action plugin; it "
                         "cannot run as a module on its own")


if __name__ == "__main__":
    main()
