# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report's HTML page as a person sees it, in headless Chromium: browser.py REPORT_DIR SCREENSHOT.

The page is served from a local HTTP server that records every request, rendered by Chromium (its DOM after
rendering, and a screenshot kept for humans), and checked: the total shown, what needs attention first with the
failed services, the legend, the services table sorted attention first, every hostile name shown literally, the
page's one script run under the page's Content-Security-Policy (it marks the table data-script="ran"; a blocked
script would not), the table sorted and filtered by that script when the address asks (#sort=name, #filter=...),
and no request beyond the page itself (and the browser's own favicon probe).
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

REPORT, SCREENSHOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars"]


class Seen(html.parser.HTMLParser):
    """The rendered DOM's table cells, the total, its tags, the order of its ids, and the services table: its
    attributes and its rows (class, hidden, cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.total = ""
        self.table: dict[str, str | None] = {}
        self.rows: dict[str, list[tuple[str, bool, list[str]]]] = {}
        self._into: str | None = None
        self._text: list[str] = []
        self._in: str | None = None
        self._row: tuple[str, bool, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "table":
            self._in = attrs.get("id")
            self.rows[self._in] = []
            if self._in == "services":
                self.table = attrs
        elif tag == "tr" and attrs.get("class"):
            self._row = (attrs["class"], "hidden" in attrs, [])
        if tag == "td" or attrs.get("id") == "total-services":
            self._into, self._text = ("total" if tag == "dd" else "cell"), []

    def handle_endtag(self, tag):
        if self._into == "cell" and tag == "td":
            self.cells.append("".join(self._text))
            if self._row is not None:
                self._row[2].append(self.cells[-1])
            self._into = None
        elif self._into == "total" and tag == "dd":
            self.total = "".join(self._text)
            self._into = None
        elif tag == "tr" and self._row is not None:
            self.rows[self._in].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._into:
            self._text.append(data)


RANK = {"failed": 0, "unknown": 1, "changing": 2, "stopped": 3, "healthy": 4}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("no chromium: install Debian's chromium package (the test set-up does so as root)")


def main() -> int:
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # pylint: disable=redefined-builtin
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=REPORT))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/report.html" % server.server_address[1]
    browser = chromium()
    try:
        with tempfile.TemporaryDirectory() as profile:
            base = [browser] + FLAGS + ["--user-data-dir=%s" % profile]
            doms = {view: subprocess.run(base + ["--dump-dom", url + view], capture_output=True, text=True,
                                         timeout=120, check=True).stdout
                    for view in ("", "#sort=name", "#filter=pipe%7Csvc")}
            subprocess.run(base + ["--window-size=1280,1800", "--screenshot=%s" % SCREENSHOT, url],
                           capture_output=True, timeout=120, check=True)
    finally:
        server.shutdown()
    with open(os.path.join(REPORT, "services.json"), encoding="utf-8") as handle:
        records = json.load(handle)
    seen = Seen()
    seen.feed(doms[""])
    assert seen.total == str(len(records)), (seen.total, len(records))
    hostile = [r["service_name"] for r in records if any(m in r["service_name"] for m in ("<script>", "{{", "|"))]
    assert len(hostile) >= 3, hostile
    for name in hostile:  # shown as the API sent it (the control characters aside)
        assert name.replace("\x00", "\ufffd") in seen.cells or name in seen.cells, name
    assert seen.tags.count("script") == 1, "a script beyond the page's own was rendered"
    # What needs attention comes first (after the totals), the failed services at its head; then the legend.
    order = seen.ids
    assert order.index("totals") < order.index("attention") < order.index("legend") < order.index("services"), order
    attention = seen.rows["attention-list"]
    failed = sorted(r["service_name"] for r in records if r["status"] in ("failed", "concerning"))
    assert sorted(cells[3] for kind, _h, cells in attention if kind == "failed") == failed
    assert [kind for kind, _h, _c in attention][:len(failed)] == ["failed"] * len(failed)
    assert "<script>alert('x')</script>" in [cells[3] for _k, _h, cells in attention]
    assert "legend" in order and all(k in doms[""] for k in ("Changing", "Stopped", "Unknown status"))
    # The script ran (the page's CSP allows it by its hash) and left the table sorted, attention first.
    rows = seen.rows["services"]
    assert seen.table.get("data-script") == "ran", "the page's script did not run (blocked by its CSP?)"
    ranks = [RANK[kind] for kind, _h, _c in rows]
    assert len(rows) == len(records) and ranks == sorted(ranks) and rows[0][0] == "failed", ranks[:10]
    by_name = Seen()
    by_name.feed(doms["#sort=name"])
    names = [cells[3].lower() for _k, _h, cells in by_name.rows["services"]]
    assert by_name.table.get("data-sorted") == "name" and names == sorted(names) and names != [
        cells[3].lower() for _k, _h, cells in rows], "sorting by name did not reorder the table"
    filtered = Seen()
    filtered.feed(doms["#filter=pipe%7Csvc"])
    shown = [cells[3] for _k, hidden, cells in filtered.rows["services"] if not hidden]
    assert filtered.table.get("data-filter") == "pipe|svc" and shown == ["pipe|svc|<b>bold</b>"], shown
    assert os.path.getsize(SCREENSHOT) > 10000, "the screenshot is empty"
    others = [path for path in requests if path not in ("/report.html", "/favicon.ico")]
    assert not others, "the page made requests: %s" % others
    print("browser: %d services shown, %d failed first, %d hostile names literal, the script ran (sorted, filtered), "
          "no request beyond the page; screenshot %s" % (len(records), len(failed), len(hostile), SCREENSHOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
