# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report's files as their readers take them: check_report.py REPORT_DIR CONFIG.

HTML parsed as a browser's parser would (text shown, one inline script allowed by its hash, no external reference,
what needs attention before the table), Markdown cells escaped,
CSV read with the csv module (fixed columns, formulas neutralized), JSON the emulator's fleet; no secret anywhere.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import html.parser
import json
import os
import re
import sys
import urllib.request

REPORT, CONFIG = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
EMU = CONFIG["emulator_http_url"]
COLUMNS = ["provider", "region", "service_name", "service_id", "status", "workspace_id", "resource_group", "endpoint",
           "updated_at", "host"]


def read(name: str) -> str:
    with open(os.path.join(REPORT, name), encoding="utf-8") as handle:
        return handle.read()


def fleet() -> tuple[list[str], int]:
    with urllib.request.urlopen("%s/_emulator/fleet/pai_eas" % EMU, timeout=30) as reply:  # nosec B310 - 127.0.0.1
        pai = json.load(reply)["Services"]
    with urllib.request.urlopen("%s/_emulator/fleet/dataarts_fabric/ws-0001" % EMU,  # nosec B310 - 127.0.0.1
                                timeout=30) as reply:
        fabric = json.load(reply)["service_instances"]
    return [s["ServiceName"] for s in pai] + [i["name"] for i in fabric], len(pai) + len(fabric)


def markdown_escaped(text: str) -> str:
    """A remote value as the report writes it into a Markdown table cell."""
    text = re.sub(r"[\r\n\t]+", " ", text)
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~])", r"\\\1", text)


class Page(html.parser.HTMLParser):
    """The text a person sees, the tags, and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.references: list[str] = []
        self.cells: list[str] = []
        self.ids: list[str] = []
        self.scripts: list[str] = []
        self._cell: list[str] | None = None
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._script = tag == "script"
        self.ids += [v for k, v in attrs if k == "id"]
        self.references += ["%s=%s" % (k, v) for k, v in attrs if k in ("src", "href", "srcset", "action", "data")]
        self.references += [v for k, v in attrs if k == "style" and v and "url(" in v]
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        self._script = False
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._script:
            self.scripts.append(data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def main() -> int:
    names, total = fleet()
    secrets = [CONFIG["pai_eas_access_key_secret"], CONFIG["huawei_secret_key"]]
    hostile = [n for n in names if any(mark in n for mark in ("<script>", "{{", "|", "="))]
    assert len(hostile) >= 4, hostile

    page = Page()
    text = read("report.html")
    page.feed(text)
    shown = "".join(page.text)
    assert page.tags.count("script") == 1 and len(page.scripts) == 1 and not page.references, (
        page.tags.count("script"), page.references)
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode("ascii")
    assert "default-src 'none'" in text and "script-src 'sha256-%s'" % digest in text  # the one script, by its hash
    assert "Fleet <b>report</b> | {{ weekly }}" in shown  # the title as written, not as markup
    for name in hostile:
        assert name.replace("\x00", "") in page.cells or any(name[:40] in cell for cell in page.cells), name
    assert '<dt>Services</dt><dd id="total-services">%d</dd>' % total in text
    assert re.search(r'<dt>Failed</dt><dd id="total-failed">[1-9]\d*</dd>', text)
    # What needs attention comes before everything else, the failed services first, with the hostile two among them.
    ids = page.ids
    assert ids.index("totals") < ids.index("attention") < ids.index("legend") < ids.index("services"), ids
    attention = text[text.index('id="attention"'):text.index('id="legend"')]
    for name in ("<script>alert('x')</script>", "pipe|svc|<b>bold</b>"):
        assert html.escape(name) in attention, name
    assert attention.index('class="failed"') < min(attention.index('class="%s"' % k) for k in ("stopped", "changing"))
    stamps = re.findall(r'<td class="time">([^<]*)</td>', text)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps), stamps[:5]
    assert 'title="the provider' in text and 'id="endpoint-note"' in text  # Fabric lists no endpoint: "-", said

    markdown = read("report.md")
    records = json.loads(read("services.json"))
    assert "%d services from 2 sources" % total in markdown
    assert "# Fleet \\<b\\>report\\</b\\> \\| \\{\\{ weekly \\}\\}" in markdown, markdown[:200]
    assert "<script>" not in markdown and "{{ lookup" not in markdown
    shown = [r["service_name"] for r in records if r["status"] != "running" and r["service_name"] in hostile]
    assert {"<script>alert('x')</script>", "pipe|svc|<b>bold</b>"} <= set(shown), shown
    for name in shown:  # the services that are not running are listed, their names escaped
        assert markdown_escaped(name) in markdown, name
    attention = markdown[markdown.index("## Needs attention"):markdown.index("## By provider and region")]
    rows = [line for line in attention.splitlines() if line.startswith("| ") and "cn-hangzhou" in line]
    assert rows and all(line.count("|") - line.count("\\|") == 7 for line in rows), rows  # names do not split rows
    assert markdown.index("## Needs attention") < markdown.index("## By provider and region")
    assert "**Failed: " in markdown and "**Services: %d**" % total in markdown

    with open(os.path.join(REPORT, "services.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == COLUMNS and len(rows) == total + 1, (rows[0], len(rows), total)
    by_name = {row[2]: row for row in rows[1:]}
    for formula in ("=HYPERLINK(\"http://example.invalid\")", "@SUM(1+1)", "+cmd", "-cmd"):
        assert "'" + formula in by_name, formula
    assert all(len(row) == len(COLUMNS) for row in rows)

    assert len(records) == total and sorted(r["service_name"] for r in records) == sorted(names)
    for name in ("report.html", "report.md", "services.csv", "services.json"):
        text = read(name)
        assert not [s for s in secrets if s in text], name
        assert "access_token" not in text, name
    print("report: %d services; HTML, Markdown, CSV and JSON checked as readers take them" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
