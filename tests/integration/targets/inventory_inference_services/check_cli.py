# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-inventory --graph and --host agree with --list: check_cli.py LIST.plain.json GRAPH HOST.json HOSTNAME."""

from __future__ import annotations

import json
import sys

from plain_json import plain

listing_path, graph_path, host_path, hostname = sys.argv[1:5]
with open(listing_path, encoding="utf-8") as handle:
    listing = json.load(handle)
with open(graph_path, encoding="utf-8") as handle:
    graph = handle.read().splitlines()
with open(host_path, encoding="utf-8") as handle:
    host = plain(json.load(handle))

# --graph provider_modelarts: the parent group, one child group per region, each with its hosts.
assert graph[0] == "@provider_modelarts:", graph[:3]
children = sorted(line.strip(" |-") for line in graph if line.startswith("  |--@"))
assert children == ["@modelarts_cn_north_4:", "@modelarts_eu_de:"], children
hosts = sorted(line.strip(" |-") for line in graph if line.startswith("  |  |--"))
expected = sorted(listing["modelarts_cn_north_4"]["hosts"] + listing["modelarts_eu_de"]["hosts"])
assert hosts == expected, (len(hosts), len(expected))

# --host: the same variables as --list has for that host.
assert host == listing["_meta"]["hostvars"][hostname], hostname
print("--graph: %d hosts in %d region groups; --host %s: %d variables" % (len(hosts), len(children), hostname,
                                                                          len(host)))
