# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""fleet_report_files: the fleet report's files written on the controller in one task (see
plugins/modules/fleet_report_files.py for its documentation).

A task a file (ansible.builtin.copy: a stat and a copy module run each) cost about half a second a file whatever the
fleet; here the files are rendered by plugin_utils/fleet_report.py and written in this process, each atomically
(a temporary file beside it, then renamed), and only when its text changed.
"""

from __future__ import annotations

import os
import tempfile
import typing as t

from ansible.plugins.action import ActionBase

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import configure
from ansible_collections.modelserving.cloud.plugins.plugin_utils import fleet_report as report
from ansible_collections.modelserving.cloud.plugins.plugin_utils.fleet_listing import (
    list_sources,
    outcome,
)

NAME = "modelserving.cloud.fleet_report_files"
FILES = {"html": "report.html", "markdown": "report.md", "json": "services.json", "csv": "services.csv"}


def render(kind: str, services: list[dict[str, t.Any]], title: str, sources: int) -> str:
    if kind == "html":
        return report.render_html(services, title=title, sources=sources)
    if kind == "markdown":
        return report.render_markdown(services, title=title, sources=sources)
    return report.render_json(services) if kind == "json" else report.render_csv(services)


def unchanged(path: str, text: str) -> bool:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read() == text
    except (OSError, UnicodeDecodeError):
        return False


def write(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically, mode 0644."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


class ActionModule(ActionBase):
    """Render and write the report's files on the controller; see the module's documentation."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: t.Any = None, task_vars: t.Any = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        unknown = sorted(set(args) - {"services", "sources", "strict_sources", "dir", "formats", "title"})
        if unknown:
            return dict(result, failed=True, msg="%s: unknown option(s) %s; allowed: services or sources, "
                        "strict_sources, dir, formats, title" % (NAME, ", ".join(unknown)))
        services, folder = args.get("services"), args.get("dir")
        formats = args.get("formats", list(FILES))
        if (services is None) == (args.get("sources") is None):
            return dict(result, failed=True, msg="%s: give either services (records service_info returned) or "
                        "sources (to list them in this task), one of them" % NAME)
        if services is not None and not (isinstance(services, list) and all(isinstance(s, dict) for s in services)):
            return dict(result, failed=True, msg="%s: services must be the list of records service_info returns" % NAME)
        if not isinstance(folder, str) or not folder:
            return dict(result, failed=True, msg="%s: dir must name a folder" % NAME)
        if not isinstance(formats, list) or not set(formats) <= set(FILES):
            return dict(result, failed=True, msg="%s: formats must be some of %s" % (NAME, ", ".join(FILES)))
        strict = args.get("strict_sources", True)
        if not isinstance(strict, bool):
            return dict(result, failed=True, msg="%s: strict_sources must be true or false" % NAME)
        title = str(args.get("title") or "Inference services")
        folder = os.path.abspath(os.path.expanduser(folder))
        sources = 0
        if services is None:
            try:
                todo, concurrency = configure(NAME, {"sources": args["sources"]})
            except ConfigError as exc:
                return dict(result, failed=True, msg=exc.message)
            warnings: list[str] = []
            services, failed_sources = list_sources(todo, concurrency, warnings)
            result.update(outcome(failed_sources, len(todo), warnings, fail=strict))
            if result.get("failed"):
                return result
            sources = len(args["sources"])
        files, written = [], []
        try:
            for kind in [kind for kind in FILES if kind in formats]:
                path = os.path.join(folder, FILES[kind])
                text = render(kind, services, title, sources)
                files.append(path)
                if unchanged(path, text):
                    continue
                written.append(path)
                if not self._task.check_mode:
                    os.makedirs(folder, mode=0o755, exist_ok=True)
                    write(path, text)
        except OSError as exc:
            return dict(result, failed=True, msg="%s: failed to write in %s: %s" % (NAME, folder, exc))
        return dict(result, changed=bool(written), files=files, written=written, total_count=len(services))
