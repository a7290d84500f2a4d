# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet_report filter: service_info records in, the report's page, summary, CSV or JSON text out (its documentation
is fleet_report.yml)."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.modelserving.cloud.plugins.plugin_utils import fleet_report as report
from ansible_collections.modelserving.cloud.plugins.plugin_utils.unsafe import make_unsafe

FORMATS = ("html", "markdown", "csv", "json")


def fleet_report(services: t.Any, format: str = "html",  # pylint: disable=redefined-builtin
                 title: str = "Inference services", sources: t.Any = 0) -> str:
    """Render the records; the text is data (marked unsafe on cores before data tagging, never templated again)."""
    if not isinstance(services, (list, tuple)) or not all(isinstance(s, dict) for s in services):
        raise AnsibleFilterError("fleet_report takes the list of service records that service_info returns")
    if format not in FORMATS:
        raise AnsibleFilterError("fleet_report: format must be one of %s, not %r" % (", ".join(FORMATS), format))
    count = len(sources) if isinstance(sources, (list, tuple)) else int(sources or 0)
    if format == "html":
        text = report.render_html(services, title=str(title), sources=count)
    elif format == "markdown":
        text = report.render_markdown(services, title=str(title), sources=count)
    elif format == "csv":
        text = report.render_csv(services)
    else:
        text = report.render_json(services)
    return make_unsafe(text)


class FilterModule:
    """The collection's report filter."""

    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"fleet_report": fleet_report}
