# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report written in Python on the controller: the HTML page, the Markdown summary, the CSV rows and the
JSON of the records that service_info returns (controller only).

Private to modelserving.cloud: this module may change without notice.

Every remote value is data: it goes through ``html.escape`` (HTML), a backslash escape (Markdown) or the csv module
and is never formatted into a template. Rendering per row in Jinja cost about 13 ms a service; this is a few
microseconds.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import html
import io
import json
import re
import typing as t
from collections import Counter

# Status classes, in the order a person on call reads them: what failed first, what is running last.
CLASSES = ("failed", "unknown", "changing", "stopped", "healthy")
CLASS_STATUSES = {
    "healthy": ("running",),
    "changing": ("creating", "deploying", "updating", "hotupdate", "scaling", "starting", "stopping", "pending",
                 "waiting", "deleting", "restarting", "upgrading"),
    "stopped": ("stopped", "finished"),
    "failed": ("failed", "concerning", "error", "deletefailed", "createfailed"),
}
STATUS_CLASS = {status: name for name, statuses in CLASS_STATUSES.items() for status in statuses}
CLASS_LABELS = {"failed": "Failed", "unknown": "Unknown status", "changing": "Changing", "stopped": "Stopped",
                "healthy": "Running"}
# Dark enough for white text (contrast 7:1 or more): the badges say the status in words, the colour only groups.
COLOURS = {"healthy": "#1b5e20", "changing": "#0d47a1", "stopped": "#424242", "failed": "#b71c1c",
           "unknown": "#6a1b9a"}
# Where a provider says why a service is in its status: (code fields, message fields), the first non-empty of each.
CODE_FIELDS = ("reason", "error_code", "status_reason")
MESSAGE_FIELDS = ("message", "error_msg", "status_message", "failed_reason")
CSV_COLUMNS = ("provider", "region", "service_name", "service_id", "status", "workspace_id", "resource_group",
               "endpoint", "updated_at", "host")
NO_ENDPOINT = "the provider's list API gives no endpoint for these services"
_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?$", re.I)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_BLANKS = re.compile(r"[\r\n\t]+")

# The page's one script, fixed text (no data in it): the page's Content-Security-Policy allows it by its hash. It
# sorts the services table by a clicked header, filters it by the text typed, takes both from the address's fragment
# (#sort=name&filter=pai) so a link can share a view, and marks the table data-script="ran" once it has run.
SCRIPT = """(function () {
  var table = document.getElementById("services"), body = table.tBodies[0], input = document.getElementById("filter");
  var heads = table.tHead.rows[0].cells, count = document.getElementById("shown"), state = {key: "", up: true};
  var columns = Array.prototype.map.call(heads, function (th) { return th.getAttribute("data-key"); });
  function key(row, column) {
    return column === 0 ? row.getAttribute("data-rank") : row.cells[column].textContent.toLowerCase();
  }
  function sort(name, up) {
    var column = columns.indexOf(name), rows = Array.prototype.slice.call(body.rows);
    if (column < 0) { return; }
    var keys = new Map(rows.map(function (row) { return [row, key(row, column)]; }));
    rows.sort(function (a, b) {
      var x = keys.get(a), y = keys.get(b), n = x < y ? -1 : x > y ? 1 : 0;
      if (!n) { return a.getAttribute("data-order") - b.getAttribute("data-order"); }
      return up ? n : -n;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(heads, function (th) {
      th.setAttribute("aria-sort", th.getAttribute("data-key") === name ? (up ? "ascending" : "descending") : "none");
    });
    state = {key: name, up: up};
    table.setAttribute("data-sorted", name + (up ? "" : ":desc"));
  }
  function filter(text) {
    var words = text.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var hay = row.textContent.toLowerCase();
      var hide = words.some(function (w) { return hay.indexOf(w) < 0; });
      row.hidden = hide;
      if (!hide) { shown += 1; }
    });
    count.textContent = shown;
    table.setAttribute("data-filter", text);
  }
  Array.prototype.forEach.call(heads, function (th) {
    th.tabIndex = 0;
    function go() {
      var name = th.getAttribute("data-key");
      sort(name, state.key === name ? !state.up : true);
    }
    th.addEventListener("click", go);
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
    });
  });
  input.addEventListener("input", function () { filter(input.value); });
  var wanted = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var i = part.indexOf("=");
    if (i > 0) { wanted[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1)); }
  });
  if (wanted.sort) { sort(wanted.sort.replace(/:desc$/, ""), !/:desc$/.test(wanted.sort)); }
  if (wanted.filter) { input.value = wanted.filter; filter(wanted.filter); }
  document.getElementById("controls").hidden = false;
  table.setAttribute("data-script", "ran");
})();"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src '%s'; base-uri 'none'; form-action 'none'" % (
    SCRIPT_HASH)

STYLE = """body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; margin: 2em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .5em; }
.meta, .note { color: #444; }
.totals { display: flex; flex-wrap: wrap; gap: .8em; margin: 1em 0; padding: 0; }
.total { border: 1px solid #bbb; border-left: .5em solid #bbb; border-radius: 6px; padding: .4em .9em; min-width: 8em; }
.total dt { font-size: .9em; color: #333; }
.total dd { margin: 0; font-size: 1.8em; font-weight: 600; }
.total.failed { border-color: #b71c1c; background: #fdecea; }
.total.failed dd { color: #b71c1c; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
th[data-key] { cursor: pointer; }
td.n, th.n { text-align: right; white-space: nowrap; }
.name { overflow-wrap: anywhere; }
.time, .status, .nw { white-space: nowrap; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; white-space: nowrap; }
.none { color: #444; }
.bar { display: flex; height: 1.1em; min-width: 1px; }
.bar span { display: block; height: 100%; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.4em; }
.legend .statuses { color: #444; }
#controls { margin: .5em 0; }
#filter { font: inherit; padding: .2em .4em; width: 20em; }
@media print { body { margin: 0; } #controls { display: none; } .total, tr { break-inside: avoid; }
  .badge, .bar span { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
"""


def status_class(status: t.Any) -> str:
    """``healthy``, ``changing``, ``stopped``, ``failed`` or ``unknown`` for a record's (lower-case) status."""
    return STATUS_CLASS.get(str(status).lower(), "unknown") if status not in (None, "") else "unknown"


def utc_stamp(value: t.Any) -> str:
    """A timestamp as ISO 8601 UTC to the second (``2026-12-06T08:02:11Z``); epoch milliseconds too. Text that is not
    a timestamp is returned as it is, and nothing as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.datetime.fromtimestamp(value / 1000.0, tz=datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value).strip()
    match = _STAMP.match(text)
    if not match:
        return text
    day, clock, zone = match.groups()
    moment = datetime.datetime.strptime("%sT%s" % (day, clock), "%Y-%m-%dT%H:%M:%S")
    if zone and zone.upper() != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        moment -= sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def reason(record: t.Mapping[str, t.Any]) -> str:
    """What the provider says of the status: ``CODE: message``, either part alone, or an empty string."""
    code = next((str(record[k]) for k in CODE_FIELDS if record.get(k) not in (None, "")), "")
    message = next((str(record[k]) for k in MESSAGE_FIELDS if record.get(k) not in (None, "")), "")
    return ": ".join(part for part in (code, message) if part)


def _text(value: t.Any) -> str:
    return "" if value is None else str(value)


def ordered(services: t.Iterable[t.Mapping[str, t.Any]]) -> list[tuple[str, t.Mapping[str, t.Any]]]:
    """The services with their status class, attention first (failed, then unknown, changing, stopped, then
    running), then by provider, region and name."""
    rank = {name: index for index, name in enumerate(CLASSES)}
    rows = [(status_class(s.get("status")), s) for s in services]
    rows.sort(key=lambda row: (rank[row[0]], _text(row[1].get("provider")), _text(row[1].get("region")),
                               _text(row[1].get("service_name")), _text(row[1].get("service_id"))))
    return rows


def _summary(rows: list[tuple[str, t.Mapping[str, t.Any]]]) -> dict[str, t.Any]:
    classes = Counter(kind for kind, _s in rows)
    statuses: dict[str, Counter] = {name: Counter() for name in CLASSES}
    places: dict[tuple[str, str], Counter] = {}
    workspaces: dict[tuple[str, str], Counter] = {}
    missing_endpoint: set[str] = set()
    for kind, service in rows:
        statuses[kind][_text(service.get("status")) or "(none)"] += 1
        provider = _text(service.get("provider"))
        places.setdefault((provider, _text(service.get("region"))), Counter())[kind] += 1
        workspaces.setdefault((provider, _text(service.get("workspace_id")) or "(none)"), Counter())[kind] += 1
        if not service.get("endpoint"):
            missing_endpoint.add(provider)
    return {"classes": classes, "statuses": statuses, "places": places, "workspaces": workspaces,
            "missing_endpoint": sorted(missing_endpoint)}


def _e(value: t.Any) -> str:
    return html.escape(_text(value), quote=True)


def _badge(kind: str, status: t.Any) -> str:
    return '<span class="badge %s">%s</span>' % (kind, _e(status or "(none)"))


def _bar(counts: Counter, widest: int) -> str:
    total = sum(counts.values())
    spans = "".join('<span title="%s: %d" style="width: %.2f%%; background: %s"></span>' % (
        CLASS_LABELS[kind], counts[kind], 100.0 * counts[kind] / total, COLOURS[kind])
        for kind in CLASSES if counts[kind])
    return '<div class="bar" style="width: %.1f%%">%s</div>' % (100.0 * total / max(widest, 1), spans)


def _breakdown(ident: str, first: str, second: str, groups: dict[tuple[str, str], Counter]) -> list[str]:
    widest = max([sum(c.values()) for c in groups.values()] or [1])
    out = ['<table class="breakdown" id="%s">' % ident,
           "<thead><tr><th>%s</th><th>%s</th><th class=\"n\">Services</th>%s<th style=\"width: 30%%\"></th></tr>"
           "</thead><tbody>" % (first, second, "".join('<th class="n">%s</th>' % CLASS_LABELS[k] for k in CLASSES))]
    for (one, two), counts in sorted(groups.items()):
        cells = "".join('<td class="n">%s</td>' % (counts[k] or "") for k in CLASSES)
        out.append('<tr><td class="name">%s</td><td class="name">%s</td><td class="n">%d</td>%s<td>%s</td></tr>' % (
            _e(one), _e(two), sum(counts.values()), cells, _bar(counts, widest)))
    out.append("</tbody></table>")
    return out


def _endpoint(service: t.Mapping[str, t.Any]) -> str:
    if service.get("endpoint"):
        return _e(service["endpoint"])
    return '<span class="none" title="%s">-</span>' % NO_ENDPOINT


def utc_now() -> datetime.datetime:
    """When the services were listed, as the pages say it (a function of its own, for tests to fix)."""
    return datetime.datetime.now(datetime.timezone.utc)


def counted(services: int, sources: int) -> str:
    """The line under the title: how many services, and from how many sources when that is known (not 0)."""
    return "%d services from %d sources" % (services, sources) if sources else "%d services" % services


def render_html(services: t.Sequence[t.Mapping[str, t.Any]], title: str = "Inference services", sources: int = 0,
                now: datetime.datetime | None = None) -> str:
    """The report as one self-contained page: labelled totals, what needs attention, a legend of the status
    classes, breakdowns by provider and region and by workspace, and every service in a sortable, filterable table.

    :param services: the records of service_info.
    :param title: the page's title (escaped like any other value).
    :param sources: how many sources were listed, for the line under the title (0: not said).
    :param now: when the services were listed (now by default).
    """
    rows = ordered(services)
    summary = _summary(rows)
    classes = summary["classes"]
    listed = utc_stamp((now or utc_now()).strftime("%Y-%m-%dT%H:%M:%SZ"))
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="%s">' % CSP,
           '<meta name="viewport" content="width=device-width, initial-scale=1">', "<title>%s</title>" % _e(title),
           "<style>", STYLE + "".join(".badge.%s { background: %s; }\n" % item for item in COLOURS.items()),
           "</style>", "</head>", "<body>", "<h1>%s</h1>" % _e(title),
           '<p class="meta">%s, listed <time>%s</time>. Times are UTC.</p>' % (counted(len(rows), sources), listed),
           '<dl class="totals" id="totals">',
           '<div class="total"><dt>Services</dt><dd id="total-services">%d</dd></div>' % len(rows)]
    for kind in CLASSES:
        out.append('<div class="total %s"><dt>%s</dt><dd id="total-%s">%d</dd></div>' % (
            kind, CLASS_LABELS[kind], kind, classes[kind]))
    out.append("</dl>")

    attention = [(kind, s) for kind, s in rows if kind != "healthy"]
    out.append('<section id="attention"><h2>Needs attention (%d)</h2>' % len(attention))
    if attention:
        out.append("<p class=\"note\">Failed services first, then the others that are not running, with what the "
                   "provider says of them.</p>")
        out.append('<table id="attention-list"><thead><tr><th>Status</th><th>Provider</th><th>Region</th>'
                   "<th>Name</th><th>Reason</th><th>Workspace</th><th>Updated</th></tr></thead><tbody>")
        out += ['<tr class="%s"><td class="status">%s</td><td class="nw">%s</td><td class="nw">%s</td><td class="name">'
                '%s</td><td class="name">%s</td><td class="name">%s</td><td class="time">%s</td></tr>' % (
                    kind, _badge(kind, s.get("status")), _e(s.get("provider")), _e(s.get("region")),
                    _e(s.get("service_name")), _e(reason(s)), _e(s.get("workspace_id")),
                    _e(utc_stamp(s.get("updated_at")))) for kind, s in attention]
        out.append("</tbody></table>")
    else:
        out.append('<p id="all-running">All %d services are running.</p>' % len(rows))
    out.append("</section>")

    out.append('<h2>Status classes</h2><ul class="legend" id="legend">')
    for kind in CLASSES:
        seen = ", ".join(_e(status) for status in sorted(summary["statuses"][kind]))
        out.append('<li>%s <span class="statuses">%s</span></li>' % (
            _badge(kind, CLASS_LABELS[kind]), seen or "(none in this fleet)"))
    out.append("</ul>")
    out.append("<h2>By provider and region</h2>")
    out += _breakdown("by-provider", "Provider", "Region", summary["places"])
    out.append("<h2>By workspace</h2>")
    out += _breakdown("by-workspace", "Provider", "Workspace", summary["workspaces"])

    out.append('<h2>Services</h2><p id="controls" hidden><label>Filter: <input id="filter" type="search" '
               'placeholder="name, status, region..."></label> <span id="shown">%d</span> shown; click a heading '
               "to sort.</p>" % len(rows))
    out.append('<table id="services"><thead><tr><th data-key="rank">Status</th><th data-key="provider">Provider</th>'
               '<th data-key="region">Region</th><th data-key="name">Name</th><th data-key="reason">Reason</th>'
               '<th data-key="workspace">Workspace</th><th data-key="group">Resource group</th>'
               '<th data-key="endpoint">Endpoint</th><th data-key="updated">Updated</th></tr></thead><tbody>')
    rank = {name: index for index, name in enumerate(CLASSES)}
    for order, (kind, s) in enumerate(rows):
        updated, why = utc_stamp(s.get("updated_at")), reason(s) if kind != "healthy" else ""
        out.append(
            '<tr class="%s" data-order="%d" data-rank="%d %s"><td class="status">%s</td><td class="nw">%s</td>'
            '<td class="nw">%s</td><td class="name">%s</td><td class="name">%s</td><td class="name">%s</td>'
            '<td class="name">%s</td><td class="name">%s</td><td class="time">%s</td></tr>' % (
                kind, order, rank[kind], _e(s.get("status")), _badge(kind, s.get("status")), _e(s.get("provider")),
                _e(s.get("region")), _e(s.get("service_name")), _e(why), _e(s.get("workspace_id")),
                _e(s.get("resource_group")), _endpoint(s), _e(updated)))
    out.append("</tbody></table>")
    if summary["missing_endpoint"]:
        out.append('<p class="note" id="endpoint-note">Endpoint "-": %s (%s).</p>' % (
            NO_ENDPOINT, ", ".join(_e(p) for p in summary["missing_endpoint"])))
    out += ["<script>%s</script>" % SCRIPT, "</body>", "</html>", ""]
    return "\n".join(out)


def md(value: t.Any) -> str:
    """A remote value for a Markdown table cell: on one line, every character Markdown or HTML would act on
    escaped with a backslash."""
    return _MD_SPECIAL.sub(r"\\\1", _BLANKS.sub(" ", _text(value)))


def render_markdown(services: t.Sequence[t.Mapping[str, t.Any]], title: str = "Inference services", sources: int = 0,
                    now: datetime.datetime | None = None, limit: int = 200) -> str:
    """The report's summary in Markdown: labelled totals, what needs attention (``limit`` rows at most), the status
    classes, and the breakdowns by provider and region and by workspace."""
    rows = ordered(services)
    summary = _summary(rows)
    classes = summary["classes"]
    listed = (now or utc_now()).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ["# %s" % md(title), "",
           "%s, listed %s (times are UTC)." % (counted(len(rows), sources), listed), "",
           "**Services: %d** | %s" % (len(rows), " | ".join(
               ("**%s: %d**" if kind == "failed" else "%s: %d") % (CLASS_LABELS[kind], classes[kind])
               for kind in CLASSES)), ""]
    attention = [(kind, s) for kind, s in rows if kind != "healthy"]
    if attention:
        out += ["## Needs attention (%d)" % len(attention), "", "Failed first, then the others that are not running.",
                "", "| Status | Provider | Region | Name | Reason | Updated |", "|---|---|---|---|---|---|"]
        out += ["| %s | %s | %s | %s | %s | %s |" % (
            ("**%s**" if kind == "failed" else "%s") % md(s.get("status")), md(s.get("provider")),
            md(s.get("region")), md(s.get("service_name")), md(reason(s)), md(utc_stamp(s.get("updated_at"))))
            for kind, s in attention[:limit]]
        if len(attention) > limit:
            out += ["", "The first %d of %d; report.html and services.csv have them all." % (limit, len(attention))]
    else:
        out.append("All %d services are running." % len(rows))
    out += ["", "Status classes: %s." % "; ".join(
        "%s (%s)" % (CLASS_LABELS[kind], ", ".join(md(s) for s in sorted(summary["statuses"][kind])) or "none")
        for kind in CLASSES)]
    header = "| %%s | %%s | Services | %s |" % " | ".join(CLASS_LABELS[k] for k in CLASSES)
    rule = "|---|---|---:|%s" % ("---:|" * len(CLASSES))
    for name, first, second, groups in (("By provider and region", "Provider", "Region", summary["places"]),
                                        ("By workspace", "Provider", "Workspace", summary["workspaces"])):
        out += ["", "## %s" % name, "", header % (first, second), rule]
        out += ["| %s | %s | %d | %s |" % (
            md(one), md(two), sum(counts.values()), " | ".join(str(counts[k]) for k in CLASSES))
            for (one, two), counts in sorted(groups.items())]
    if summary["missing_endpoint"]:
        providers = ", ".join(md(p) for p in summary["missing_endpoint"])
        out += ["", "No endpoint listed for %s: %s." % (providers, NO_ENDPOINT)]
    return "\n".join(out) + "\n"


def render_json(services: t.Sequence[t.Mapping[str, t.Any]]) -> str:
    """The records as ``to_nice_json(sort_keys=true)`` writes them, without a per-value encoder."""
    return json.dumps(services, indent=4, sort_keys=True, separators=(",", ": ")) + "\n"


def render_csv(services: t.Sequence[t.Mapping[str, t.Any]]) -> str:
    """One row a service in the API's order, fixed columns, every cell quoted; a cell a spreadsheet would run as a
    formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    buffer.write(",".join(CSV_COLUMNS) + "\n")
    for service in services:
        cells = [_text(service.get(column)) for column in CSV_COLUMNS]
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell for cell in cells])
    return buffer.getvalue()
