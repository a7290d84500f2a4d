# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet report filter: attention first, status classes, one time format, "-" for no endpoint, hostile names
escaped and never templated, the page's script allowed by its hash, totals labelled; Markdown and CSV too."""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import html.parser
import io
import json
import re

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.modelserving.cloud.plugins.filter.fleet_report import FilterModule, fleet_report
from ansible_collections.modelserving.cloud.plugins.plugin_utils import fleet_report as report
from ansible_collections.modelserving.cloud.plugins.plugin_utils import unsafe

try:
    from ansible.template import trust_as_template
except ImportError:  # before ansible-core 2.19 every string written in a playbook may be a template
    def trust_as_template(value):
        return value

NOW = datetime.datetime(2026, 12, 6, 8, 2, 11, tzinfo=datetime.timezone.utc)
HOSTILE = ("<script>alert('x')</script>", "{{ 7 * 6 }}", "{% raw %}raw{% endraw %}-svc", "ctl-\x1b[31mred\x07",
           "pipe|svc|<b>bold</b>", "a\"quote'&amp;")


def record(name, status, provider="pai_eas", region="cn-hangzhou", **extra):
    base = {"provider": provider, "region": region, "service_id": "id-" + name, "service_name": name,
            "status": status, "workspace_id": "ws-1", "resource_group": "pool", "endpoint": "https://e/" + name,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T03:04:05Z", "labels": {}}
    base.update(extra)
    return base


FLEET = [
    record("run-b", "running"),
    record("stop-a", "stopped", reason="STOPPED", message="Service is stopped"),
    record("dep-a", "deploying", provider="modelarts", region="cn-north-4", endpoint=None,
           updated_at=1717000000123),
    record("fail-z", "failed", reason="ContainerCrashLoop", message="exit code 137"),
    record("odd", "hotupdate2"),
    record("fab-f", "failed", provider="dataarts_fabric", region="cn-north-4", endpoint=None, error_code="DLF.001",
           error_msg="image pull failed", updated_at="2024-05-01T10:00:00.000+08:00"),
    record("run-a", "running"),
    record("conc", "concerning", provider="modelarts", region="cn-north-4", endpoint=None),
]


class Page(html.parser.HTMLParser):
    """Elements by id with their text, the services table's rows (class, cells) and the script's text."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}
        self.rows: dict[str, list[tuple[str, list[str]]]] = {}
        self.script = ""
        self.order: list[str] = []
        self._stack: list[tuple[str, str | None]] = []
        self._texts: dict[str, list[str]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id")
        if ident:
            self.order.append(ident)
            self._texts[ident] = []
        self._stack.append((tag, ident))
        if tag == "table":
            self._table = ident
            self.rows.setdefault(ident, [])
        elif tag == "tr":
            self._row, self._class = [], attrs.get("class", "")
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        while self._stack:
            name, ident = self._stack.pop()
            if ident:
                self.ids[ident] = "".join(self._texts.pop(ident))
            if name == tag:
                break
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:  # not a heading
                self.rows[self._table].append((self._class, self._row))
            self._row = None

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "script":
            self.script += data
        for texts in self._texts.values():
            texts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page(services=None, **options):
    parsed = Page()
    text = report.render_html(FLEET if services is None else services, now=NOW, **options)
    parsed.feed(text)
    return text, parsed


@pytest.mark.parametrize("status, kind", [
    ("running", "healthy"), ("creating", "changing"), ("deploying", "changing"), ("updating", "changing"),
    ("scaling", "changing"), ("starting", "changing"), ("stopping", "changing"), ("pending", "changing"),
    ("waiting", "changing"), ("deleting", "changing"), ("hotupdate", "changing"), ("stopped", "stopped"),
    ("finished", "stopped"), ("failed", "failed"), ("concerning", "failed"), ("Failed", "failed"),
    ("teleporting", "unknown"), (None, "unknown"), ("", "unknown")])
def test_status_classes(status, kind):
    assert report.status_class(status) == kind


def test_one_colour_per_class_readable_on_white_text():
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert set(report.COLOURS) == set(report.CLASSES) and len(set(report.COLOURS.values())) == len(report.CLASSES)
    for colour in report.COLOURS.values():
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour  # WCAG AA for white text


def test_attention_first_failed_then_not_running_then_running():
    _text, parsed = page()
    names = [cells[3] for _kind, cells in parsed.rows["services"]]
    kinds = [kind for kind, _cells in parsed.rows["services"]]
    assert kinds == ["failed", "failed", "failed", "unknown", "changing", "stopped", "healthy", "healthy"], kinds
    assert names[:3] == ["fab-f", "conc", "fail-z"] and names[-2:] == ["run-a", "run-b"], names
    attention = parsed.rows["attention-list"]
    assert [cells[3] for _k, cells in attention] == names[:6]  # every service not running, in the same order
    assert attention[0][1][4] == "DLF.001: image pull failed"
    assert attention[2][1][4] == "ContainerCrashLoop: exit code 137"
    # The attention section comes before the legend, the breakdowns and the table.
    order = parsed.order
    assert order.index("totals") < order.index("attention") < order.index("legend") < order.index("by-provider") \
        < order.index("by-workspace") < order.index("services")


def test_all_running_says_so():
    _text, parsed = page([record("a", "running"), record("b", "running")])
    assert parsed.ids["all-running"] == "All 2 services are running."
    assert parsed.ids["total-failed"] == "0"


def test_totals_are_labelled():
    text, parsed = page()
    assert parsed.ids["total-services"] == "8" and parsed.ids["total-failed"] == "3"
    assert parsed.ids["total-healthy"] == "2" and parsed.ids["total-changing"] == "1"
    assert parsed.ids["total-stopped"] == "1" and parsed.ids["total-unknown"] == "1"
    for label, ident in (("Services", "services"), ("Failed", "failed"), ("Running", "healthy")):
        assert re.search(r"<dt>%s</dt><dd id=\"total-%s\">" % (label, ident), text), label


def test_legend_lists_each_class_with_the_statuses_seen():
    _text, parsed = page()
    legend = parsed.ids["legend"]
    for label in report.CLASS_LABELS.values():
        assert label in legend
    assert "Failed concerning, failed" in legend and "Unknown status hotupdate2" in legend


def test_breakdowns_by_provider_region_and_workspace():
    _text, parsed = page()
    places = {(cells[0], cells[1]): cells[2:8] for _kind, cells in parsed.rows["by-provider"]}
    # services, then failed, unknown, changing, stopped, running
    assert places[("modelarts", "cn-north-4")] == ["2", "1", "", "1", "", ""]
    assert places[("pai_eas", "cn-hangzhou")] == ["5", "1", "1", "", "1", "2"]
    assert parsed.rows["by-workspace"][0][1][:3] == ["dataarts_fabric", "ws-1", "1"]


def test_one_timestamp_format():
    text, parsed = page()
    stamps = [cells[8] for _k, cells in parsed.rows["services"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps), stamps
    by_name = {cells[3]: cells[8] for _k, cells in parsed.rows["services"]}
    assert by_name["fab-f"] == "2024-05-01T02:00:00Z"  # +08:00 and milliseconds, to UTC seconds
    assert by_name["dep-a"] == "2024-05-29T16:26:40Z"  # epoch milliseconds
    assert "listed <time>2026-12-06T08:02:11Z</time>" in text
    assert report.utc_stamp("2024-01-01 10:00:00") == "2024-01-01T10:00:00Z"
    assert report.utc_stamp("2024-01-01T10:00:00-0130") == "2024-01-01T11:30:00Z"
    assert report.utc_stamp("yesterday") == "yesterday" and report.utc_stamp(None) == ""


def test_missing_endpoint_is_a_dash_with_a_note():
    text, parsed = page()
    by_name = {cells[3]: cells[7] for _k, cells in parsed.rows["services"]}
    assert by_name["dep-a"] == "-" and by_name["fab-f"] == "-" and by_name["run-a"] == "https://e/run-a"
    assert parsed.ids["endpoint-note"] == 'Endpoint "-": %s (dataarts_fabric, modelarts).' % report.NO_ENDPOINT
    _text, parsed = page([record("a", "running")])
    assert "endpoint-note" not in parsed.ids


def test_hostile_names_are_escaped_and_shown_literally():
    services = [record(name, "failed", message=name) for name in HOSTILE]
    text, parsed = page(services, title="Fleet <b>report</b> | {{ weekly }}")
    shown = [cells[3] for _k, cells in parsed.rows["services"]]
    assert sorted(shown) == sorted(HOSTILE)
    assert "<script>alert" not in text and "<b>bold" not in text and "<b>report" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert text.count("<script>") == 1  # the page's own
    assert "<title>Fleet &lt;b&gt;report&lt;/b&gt; | {{ weekly }}</title>" in text


def test_output_is_never_templated_again():
    services = [record("{{ 7 * 6 }}", "failed", message="{{ lookup('pipe', 'id') }}")]
    for kind, shown in (("html", "{{ 7 * 6 }}"), ("markdown", "\\{\\{ 7 \\* 6 \\}\\}"), ("csv", "{{ 7 * 6 }}"),
                        ("json", "{{ 7 * 6 }}")):
        text = fleet_report(services, kind, title="{{ 6 * 7 }}")
        templar = Templar(loader=DataLoader(), variables={"text": text})
        rendered = templar.template(trust_as_template("{{ text }}"))
        # ansible-core before 2.19 turns a text that reads as JSON into its data: the same values, none evaluated
        assert rendered == (json.loads(text) if kind == "json" and not isinstance(rendered, str) else text), kind
        assert shown in text and ">42<" not in text and "| 42 |" not in text


def test_output_is_unsafe_before_data_tagging(monkeypatch):
    class Marked(str):
        pass

    monkeypatch.setattr(unsafe, "DATA_TAGGING", False)
    monkeypatch.setattr(unsafe, "wrap_var", Marked)
    assert isinstance(fleet_report([record("{{ 7 * 6 }}", "running")], "html"), Marked)


def test_the_script_is_allowed_by_its_hash_and_nothing_else():
    text, parsed = page()
    digest = "sha256-" + base64.b64encode(hashlib.sha256(parsed.script.encode("utf-8")).digest()).decode("ascii")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'%s'" % digest
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert not re.search(r"\b(src|href|action)=", text)  # nothing to load
    assert "data-script" in parsed.script


def test_markdown():
    text = report.render_markdown(FLEET + [record(name, "failed") for name in HOSTILE], title="A <b>|{{ x }}",
                                  sources=2, now=NOW)
    assert text.startswith("# A \\<b\\>\\|\\{\\{ x \\}\\}\n")
    assert "14 services from 2 sources, listed 2026-12-06T08:02:11Z" in text
    assert "**Services: 14** | **Failed: 9** | Unknown status: 1 | Changing: 1 | Stopped: 1 | Running: 2" in text
    attention = text[text.index("## Needs attention (12)"):text.index("Status classes:")]
    rows = [line for line in attention.splitlines() if line.startswith("| **") or line.startswith("| hot")
            or line.startswith("| deploying") or line.startswith("| stopped")]
    assert len(rows) == 12 and all(row.startswith("| **") for row in rows[:9]), rows
    assert all(re.sub(r"\\.", "", row).count("|") == 7 for row in rows)  # escaped pipes never split a row
    assert "pipe\\|svc\\|\\<b\\>bold\\</b\\>" in text and "<script>" not in text and "{{ 7" not in text
    assert "## By provider and region" in text and "## By workspace" in text
    assert "| ContainerCrashLoop: exit code 137 | 2024-01-02T03:04:05Z |" in text
    short = report.render_markdown(FLEET, now=NOW, limit=2)
    assert "The first 2 of 6; report.html and services.csv have them all." in short


def test_csv():
    services = [record("=HYPERLINK(\"x\")", "failed"), record("plain, \"quoted\"", "running", endpoint=None),
                record("-cmd", "stopped")]
    rows = list(csv.reader(io.StringIO(fleet_report(services, "csv"))))
    assert rows[0] == list(report.CSV_COLUMNS) and len(rows) == 4
    assert [row[2] for row in rows[1:]] == ["'=HYPERLINK(\"x\")", "plain, \"quoted\"", "'-cmd"]  # the API's order
    assert rows[2][7] == "" and all(len(row) == len(report.CSV_COLUMNS) for row in rows)


def test_refuses_what_is_not_a_listing():
    assert FilterModule().filters()["fleet_report"] is fleet_report
    with pytest.raises(AnsibleFilterError, match="list of service records"):
        fleet_report({"services": []})
    with pytest.raises(AnsibleFilterError, match="format must be one of"):
        fleet_report([], "pdf")


def test_json_is_what_to_nice_json_writes():
    from ansible.plugins.filter.core import to_nice_json

    services = FLEET + [record(name, "failed") for name in HOSTILE] + [record("unicode-服务-ünï-🚀", "running")]
    assert fleet_report(services, "json") == to_nice_json(services, sort_keys=True) + "\n"
