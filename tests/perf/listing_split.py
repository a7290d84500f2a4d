# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the inventory's listing goes: listing_split.py COLLECTIONS_ROOT INVENTORY_CONFIG_JSON RUNS.

Lists the sources of an inventory configuration RUNS times in this process, as the plugin lists them (the collection's
sources, transport and paging), in turn: once with every page's items left as the API sent them (the requests, TLS,
the emulator's answers and JSON decoding: what any client of these APIs spends), and once as the plugin does, every
item normalized into a record. Prints JSON: the median seconds of each, and the services listed.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

sys.path.insert(0, sys.argv[1])

from ansible_collections.modelserving.cloud.plugins.module_utils import listing, sources  # noqa: E402

with open(sys.argv[2], encoding="utf-8") as handle:
    config = json.load(handle)
todo, concurrency = sources.configure("listing_split", {
    "sources": config["sources"], "concurrency": config.get("concurrency", 8)})
normalize = listing.normalize


def raw(_spec, item, _region, _include=False, _defaults=None):
    """The item as the API sent it (the records a run makes this way are not services, which the checks after the
    requests say: only the time counts)."""
    return item


def list_once(kind: str) -> tuple[float, int]:
    """One listing of every source, the items left as sent (``raw``) or normalized (``listing``): its seconds and,
    normalized, how many services."""
    listing.normalize = raw if kind == "raw" else normalize
    started = time.perf_counter()
    listed = sources.list_jobs(todo, concurrency)
    elapsed = time.perf_counter() - started
    if kind == "listing" and any(result.error is not None for result in listed):
        raise SystemExit("a source failed: %s" % [str(result.error) for result in listed if result.error])
    return elapsed, sum(len(result.records) for result in listed) if kind == "listing" else 0


figures: dict = {"raw": [], "listing": []}
list_once("raw")  # untimed, one of each first: imports, caches and connections warm for both
_elapsed, count = list_once("listing")
for run in range(int(sys.argv[3])):  # in turn, each pair in the other order than the one before
    for kind in (("raw", "listing") if run % 2 == 0 else ("listing", "raw")):
        figures[kind].append(list_once(kind)[0])
print(json.dumps({"services": count, "raw": statistics.median(figures["raw"]),
                  "listing": statistics.median(figures["listing"])}))
