#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: the inventory plugin timed against ansible-core's own floor, with the figures printed.

bench.py COLLECTIONS_ROOT OUTPUT_DIR [--runs N] [--scale 1000,10000]

Against the emulator (20 ms per request), a fleet over the three providers (PAI-EAS in two regions, ModelArts in
two, one DataArts Fabric workspace), `concurrency: 8`:

* cold: `ansible-inventory --list` with the default groups, and with a typical constructed configuration, each
  against its floor: ansible-core adding the very same hosts, variables and groups from the plugin's own --list
  output with the trivial plugin in tests/perf (plus, for the cold runs, the network floor: the requests the
  listing needs, `concurrency` at a time, 20 ms each);
* warm: the same with the cache on and a cache hit (no request);
* the cost per service as the fleet grows.

Each figure is the median of N runs (wall seconds and peak RSS of the whole process); a table goes to stdout and
the figures as JSON to OUTPUT_DIR/bench.json. Targets (issue "Performance") are printed beside the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
LATENCY_MS = 20
CONCURRENCY = 8
CONSTRUCTED = {
    "compose": {"svc_team": "labels.team | default('none')", "svc_url": "endpoint"},
    "groups": {"gpu": "(gpu | default(0) | int) > 0"},
    "keyed_groups": [{"key": "labels.team | default('none')", "prefix": "team"}, {"key": "provider", "prefix": "p"},
                     {"key": "provider ~ '_' ~ region", "prefix": "pr"}],
}


class Emulator:
    """The API emulator in a process of its own, with latency and a fleet of a given size."""

    def __init__(self, work: str, fleet: int) -> None:
        self.state = os.path.join(work, "state.json")
        # 10,000 services: PAI-EAS 2 x 2,500, ModelArts 2 x 2,000, DataArts Fabric 1,000.
        self.sizes = {"pai_eas": fleet // 4, "modelarts": fleet // 5, "fabric": fleet // 10}
        env = dict(os.environ, PYTHONPATH=TESTS)
        self.proc = subprocess.Popen([sys.executable, "-m", "emulator", "--state-file", self.state,
                                      "--workdir", work, "--latency-ms", str(LATENCY_MS),
                                      "--pai-eas-services", str(self.sizes["pai_eas"]),
                                      "--modelarts-services", str(self.sizes["modelarts"]),
                                      "--fabric-instances", str(self.sizes["fabric"]),
                                      "--pai-eas-max-page-size", "100"], env=env, cwd=TESTS,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not os.path.exists(self.state):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.1)
        with open(self.state, encoding="utf-8") as handle:
            self.data = json.load(handle)
        self.url = self.data["http_url"]

    def admin(self, route: str, body: dict | None = None) -> dict:
        request = urllib.request.Request("%s/_emulator/%s" % (self.url, route),
                                         data=json.dumps(body).encode() if body is not None else None,
                                         method="POST" if body is not None else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as reply:  # nosec B310 - the emulator on 127.0.0.1
            return json.load(reply)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def sources(emu: Emulator) -> list[dict]:
    """Two PAI-EAS regions, two ModelArts regions, one DataArts Fabric workspace, at their real host names through
    the emulator's HTTPS proxy (HTTPS_PROXY and its CA), as a user would reach the clouds."""
    pai, hw = emu.data["credentials"]["pai_eas"], emu.data["credentials"]["huawei"]
    tls = {"ca_path": emu.data["ca_cert"]}
    return [dict(pai, provider="pai_eas", regions=["cn-hangzhou", "cn-shanghai"], **tls),
            dict(hw, provider="modelarts", regions=["cn-north-4", "cn-north-1"], **tls),
            dict(hw, provider="dataarts_fabric", region="cn-north-4", filters={"workspace_id": "ws-0001"}, **tls)]


def timed(command: list[str], env: dict) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak RSS MiB of the process, stdout)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed" % " ".join(command[:3]))
    return wall, usage.ru_maxrss / 1024.0, text


def median_of(runs: int, command: list[str], env: dict, before=None) -> dict:
    walls, rss, text = [], [], ""
    for _run in range(runs):
        if before:
            before()
        wall, peak, text = timed(command, env)
        walls.append(wall)
        rss.append(peak)
    return {"wall": statistics.median(walls), "rss": statistics.median(rss), "min": min(walls), "max": max(walls),
            "output": text}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collections_root")
    parser.add_argument("output_dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="1000,10000")
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-")
    bin_dir = os.path.dirname(sys.executable)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.abspath(args.collections_root),
               ANSIBLE_INVENTORY_PLUGINS=os.path.join(HERE, "plugins", "inventory"),
               ANSIBLE_INVENTORY_ENABLED="modelserving.cloud.inference_services,floor",
               ANSIBLE_INVENTORY_UNPARSED_FAILED="true", NO_PROXY="",
               PATH=bin_dir + os.pathsep + os.environ["PATH"])
    inventory = os.path.join(bin_dir, "ansible-inventory")
    results: dict = {"latency_ms": LATENCY_MS, "concurrency": CONCURRENCY, "runs": args.runs, "scale": {}}
    rows = []
    for fleet in [int(size) for size in args.scale.split(",")]:
        emu = Emulator(os.path.join(work, "emulator-%d" % fleet), fleet)
        try:
            env["HTTPS_PROXY"] = emu.url
            figures = {}
            for name, extra in (("default", {}), ("constructed", CONSTRUCTED)):
                config = os.path.join(work, "%s-%d.inference_services.yml" % (name, fleet))
                with open(config, "w", encoding="utf-8") as handle:
                    json.dump(dict({"plugin": "modelserving.cloud.inference_services", "sources": sources(emu),
                                    "concurrency": CONCURRENCY}, **extra), handle)
                emu.admin("stats/reset", {})
                cold = median_of(args.runs, [inventory, "-i", config, "--list"], env)
                requests = emu.admin("stats")["requests"] / args.runs
                listing = os.path.join(work, "%s-%d.json" % (name, fleet))
                with open(listing, "w", encoding="utf-8") as handle:
                    handle.write(cold.pop("output"))
                floor_config = os.path.join(work, "%s-%d.floor.yml" % (name, fleet))
                with open(floor_config, "w", encoding="utf-8") as handle:
                    json.dump({"plugin": "floor", "listing": listing}, handle)
                floor = median_of(args.runs, [inventory, "-i", floor_config, "--list"], env)
                floor.pop("output")
                network = math.ceil(requests / CONCURRENCY) * LATENCY_MS / 1000.0
                hosts = len(json.load(open(listing, encoding="utf-8"))["_meta"]["hostvars"])
                figures[name] = {"cold": cold, "floor": floor, "requests": requests, "network_floor": network,
                                 "hosts": hosts, "ratio": cold["wall"] / (floor["wall"] + network),
                                 "rss_ratio": cold["rss"] / floor["rss"], "per_service_ms": cold["wall"] * 1000 / hosts}
            cached = os.path.join(work, "cached-%d.inference_services.yml" % fleet)
            with open(cached, "w", encoding="utf-8") as handle:
                json.dump({"plugin": "modelserving.cloud.inference_services", "sources": sources(emu),
                           "concurrency": CONCURRENCY, "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
                           "cache_connection": os.path.join(work, "cache-%d" % fleet), "cache_timeout": 3600}, handle)
            timed([inventory, "-i", cached, "--list"], env)  # fills the cache
            emu.admin("stats/reset", {})
            warm = median_of(args.runs, [inventory, "-i", cached, "--list"], env)
            warm.pop("output")
            figures["warm"] = {"warm": warm, "requests": emu.admin("stats")["requests"],
                               "ratio": warm["wall"] / figures["default"]["floor"]["wall"]}
            results["scale"][fleet] = figures
            default, constructed = figures["default"], figures["constructed"]
            rows += [
                ("%d services: inventory cold, default groups" % fleet, default["cold"]["wall"],
                 default["floor"]["wall"] + default["network_floor"], default["ratio"], "<= 1.10", default["requests"]),
                ("%d services: inventory cold, constructed" % fleet, constructed["cold"]["wall"],
                 constructed["floor"]["wall"] + constructed["network_floor"], constructed["ratio"], "<= 1.5",
                 constructed["requests"]),
                ("%d services: inventory peak RSS (MiB)" % fleet, default["cold"]["rss"], default["floor"]["rss"],
                 default["rss_ratio"], "<= 1.2", None),
                ("%d services: inventory warm (cache hit)" % fleet, warm["wall"], default["floor"]["wall"],
                 figures["warm"]["ratio"], "<= 1.05, 0 requests", figures["warm"]["requests"]),
            ]
        finally:
            emu.stop()
    sizes = sorted(results["scale"])
    if len(sizes) > 1:
        costs = [results["scale"][size]["default"]["per_service_ms"] for size in sizes]
        results["per_service_growth"] = costs[-1] / costs[0]
    print("\n%-48s %10s %10s %8s %-20s %s" % ("run", "plugin", "floor", "ratio", "target", "requests"))
    for name, value, floor, ratio, target, requests in rows:
        count = "" if requests is None else "%g" % requests
        print("%-48s %10.2f %10.2f %8.2f %-20s %s" % (name, value, floor, ratio, target, count))
    if "per_service_growth" in results:
        print("cost per service (default groups): %s ms; growth %.2f x (target: flat within 20 %%)" % (
            ", ".join("%d: %.3f" % (size, results["scale"][size]["default"]["per_service_ms"]) for size in sizes),
            results["per_service_growth"]))
    with open(os.path.join(args.output_dir, "bench.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    print("figures: %s" % os.path.join(args.output_dir, "bench.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
