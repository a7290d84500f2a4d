# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's cost beyond the listing: eda_poll.py COLLECTIONS_ROOT ARGS_JSON RUNS.

Lists the sources of ARGS_JSON (the event source's arguments) RUNS times with the source's own poll, and times,
separately, what the source does with each listing (the snapshot with host names, and the diff against the poll
before). Prints JSON: services, the median seconds of each, and their ratio.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import statistics
import sys
import time

root = os.path.abspath(sys.argv[1])
path = os.path.join(root, "ansible_collections", "modelserving", "cloud", "extensions", "eda", "plugins",
                    "event_source", "service_status.py")
spec = importlib.util.spec_from_file_location("service_status", path)
source = importlib.util.module_from_spec(spec)
spec.loader.exec_module(source)

config = source.settings(json.loads(sys.argv[2]))
listing, work, previous, count = [], [], None, 0
for _run in range(int(sys.argv[3])):
    started = time.perf_counter()
    listed = asyncio.run(asyncio.to_thread(source.poll, config))
    listing.append(time.perf_counter() - started)
    if any(item.error is not None for item in listed):
        raise SystemExit("a source failed: %s" % [str(item.error) for item in listed if item.error])
    started = time.perf_counter()
    now = source.snapshot(listed, previous)
    source.diff(previous, now, config.changes, True)
    work.append(time.perf_counter() - started)
    previous, count = now, len(now.services)
print(json.dumps({"services": count, "listing": statistics.median(listing), "diff": statistics.median(work),
                  "ratio": (statistics.median(listing) + statistics.median(work)) / statistics.median(listing)}))
