# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report's HTML page as a person sees it, in headless Chromium: browser.py REPORT_DIR SCREENSHOT.

The page is served from a local HTTP server that records every request, rendered by Chromium (its DOM after
rendering, and a screenshot kept for humans), and checked: the total shown, every hostile name shown literally in
the services table, no script, and no request beyond the page itself (and the browser's own favicon probe).
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
    """The rendered DOM's table cells, the total, and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self.total = ""
        self._into: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "td" or dict(attrs).get("id") == "total-services":
            self._into, self._text = ("total" if tag == "span" else "cell"), []

    def handle_endtag(self, tag):
        if self._into == "cell" and tag == "td":
            self.cells.append("".join(self._text))
            self._into = None
        elif self._into == "total" and tag == "span":
            self.total = "".join(self._text)
            self._into = None

    def handle_data(self, data):
        if self._into:
            self._text.append(data)


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
            dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True, timeout=120,
                                 check=True).stdout
            subprocess.run(base + ["--window-size=1280,1800", "--screenshot=%s" % SCREENSHOT, url],
                           capture_output=True, timeout=120, check=True)
    finally:
        server.shutdown()
    with open(os.path.join(REPORT, "services.json"), encoding="utf-8") as handle:
        records = json.load(handle)
    seen = Seen()
    seen.feed(dom)
    assert seen.total == str(len(records)), (seen.total, len(records))
    hostile = [r["service_name"] for r in records if any(m in r["service_name"] for m in ("<script>", "{{", "|"))]
    assert len(hostile) >= 3, hostile
    for name in hostile:  # shown as the API sent it (the control characters aside)
        assert name.replace("\x00", "\ufffd") in seen.cells or name in seen.cells, name
    assert "script" not in seen.tags, "a script element was rendered"
    assert os.path.getsize(SCREENSHOT) > 10000, "the screenshot is empty"
    others = [path for path in requests if path not in ("/report.html", "/favicon.ico")]
    assert not others, "the page made requests: %s" % others
    print("browser: %d services shown, %d hostile names literal, no request beyond the page; screenshot %s" % (
        len(records), len(hostile), SCREENSHOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
