#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: the inventory plugin and a module timed against ansible-core's own floor, with the figures printed.

bench.py COLLECTIONS_ROOT OUTPUT_DIR [--runs N] [--scale 1000,10000,50000] [--full 10000]
         [--core LABEL=BIN_DIR ...] [--module-services 4000] [--steer-services 100]

Against the emulator (20 ms per request), a fleet over the three providers (PAI-EAS in two regions, ModelArts in
two, one DataArts Fabric workspace), `concurrency: 8`, on each ansible-core given (a venv's bin folder each):

* cold: `ansible-inventory --list` with the default groups, and with a typical constructed configuration, each
  against its floor: ansible-core adding the very same hosts, variables and groups from the plugin's own --list
  output with the trivial plugin in tests/perf, that output made ready (its unsafe marks) before the timed runs
  (plus, for the cold runs, the network floor: the requests the listing needs, `concurrency` at a time, 20 ms
  each); the floor must print the plugin's very inventory;
* warm: the same with the cache on and a cache hit (no request);
* the module: `pai_eas_service_info` listing 4,000 services in one task of `ansible-playbook`, against the same
  playbook with a no-op module plus the network floor, with its split (start-up, network, the rest);
* the cost per service as the fleet grows (1k, 10k, 50k): per host, after the cost of an empty fleet (process
  start-up, imports, the requests of an empty listing), for the plugin and for its floor;
* the default inventory's time beyond its floor, split: the listing's requests, TLS, answers and JSON beyond the
  network floor (tests/perf/listing_split.py lists the same sources leaving the items as the APIs sent them), the
  normalizing of the records, and the rest;
* the fleet report: the service_report role writing every format for the fleet's services, against the same
  playbook listing them with service_info alone;
* steering: --steer-services PAI-EAS services (100) stopped and started again from the inventory in one play
  (`forks: 10`, each task delegated to localhost, every change taking the emulator 1 s), with its wall time, its
  requests per service and the time beyond the emulator's transitions (2 changes x services / forks x 1 s).

The constructed, warm and module rows run at the --full scale; every scale runs the default groups and its floor.
Each figure is the median of N runs (wall seconds and peak RSS of the whole process). The inventory (cold and warm)
and the fleet report are paired: the command and its floor run in turn, N pairs, and the ratio shown is the median
of the N pairs' ratios, with their lowest and highest, so that the machine's drift cancels. Written: a table on stdout,
the figures in OUTPUT_DIR/bench.json, the table in OUTPUT_DIR/bench.md and a plot of the cost per service in
OUTPUT_DIR/per-service.svg (docs/docsite/rst/performance.rst shows a run's).

Beside each ratio, its target: the most it may be. The inventory cold with the default groups 1.05 times its floor,
with the constructed configuration 1.2, its peak RSS 1.2; warm 1.05 and no request at all; the module 2.0, against
the no-op module and against one returning the same result; an event source poll 1.1 times its listing alone; the
fleet report 2.0 times the listing; and the growth of the plugin's cost per service across the scales 1.2 times the
floor's.
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
FLOOR = os.path.join(HERE, "plugins", "inventory", "floor.py")
TESTS = os.path.dirname(HERE)
LATENCY_MS = 20
CONCURRENCY = 8
FORKS = 10
TRANSITION_S = 1.0  # how long each lifecycle change takes the emulator in the steering run
CONSTRUCTED = {
    "compose": {"svc_team": "labels.team | default('none')", "svc_url": "endpoint"},
    "groups": {"gpu": "(gpu | default(0) | int) > 0"},
    "keyed_groups": [{"key": "labels.team | default('none')", "prefix": "team"}, {"key": "provider", "prefix": "p"},
                     {"key": "provider ~ '_' ~ region", "prefix": "pr"}],
}


class Emulator:
    """The API emulator in a process of its own, with latency and a fleet of a given size."""

    def __init__(self, work: str, sizes: dict[str, int]) -> None:
        self.state = os.path.join(work, "state.json")
        self.sizes = sizes
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

    def cpu(self) -> float:
        """The CPU seconds the emulator has used so far (it serves on the same cores as the command timed)."""
        with open("/proc/%d/stat" % self.proc.pid, encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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


# Runs the measured command as its own child and reports its wall time and peak RSS. A process forked from this
# one would start with this process's RSS as its high-water mark (kept across exec), which grows with the listings
# read here; the launcher is small when it forks.
LAUNCHER = """import os, subprocess, sys, time
started = time.monotonic()
proc = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write("%f %d %f" % (time.monotonic() - started, usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed(command: list[str], env: dict) -> tuple[float, float, str, float]:
    """Run a command; return (wall seconds, peak RSS MiB of the process, stdout, CPU seconds of the process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as figures:
        status = subprocess.run([sys.executable, "-c", LAUNCHER, figures.name] + command, env=env, stdout=out,
                                stderr=err, check=False).returncode
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        if status != 0:
            err.seek(0)
            errors = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError("%s failed:\n%s%s" % (" ".join(command), text[-2000:], errors))
        wall, peak, cpu = figures.read().split()
    return float(wall), int(peak) / 1024.0, text, float(cpu)


def paired(runs: int, first: list[str], second: list[str], env: dict, network: float = 0.0) -> dict:
    """``first`` and ``second`` timed in turn, ``runs`` pairs (each pair in the other order than the one before), so
    that the machine's drift cancels in each pair's ratio ``first / (second + network)``: the median of those ratios,
    with their spread, and each command's figures (median wall and RSS; ``output``: its last run's stdout)."""
    figures: dict = {"first": {"walls": [], "rss": [], "cpus": []}, "second": {"walls": [], "rss": [], "cpus": []}}
    for run in range(runs):
        for which, command in ((("first", first), ("second", second)) if run % 2 == 0 else
                               (("second", second), ("first", first))):
            wall, peak, text, cpu = timed(command, env)
            figures[which]["walls"].append(wall)
            figures[which]["rss"].append(peak)
            figures[which]["cpus"].append(cpu)
            figures[which]["output"] = text
    ratios = [a / (b + network) for a, b in zip(figures["first"]["walls"], figures["second"]["walls"])]
    rss_ratios = [a / b for a, b in zip(figures["first"]["rss"], figures["second"]["rss"])]
    for which in ("first", "second"):
        walls, rss, cpus = figures[which].pop("walls"), figures[which].pop("rss"), figures[which].pop("cpus")
        figures[which].update(wall=statistics.median(walls), min=min(walls), max=max(walls),
                              rss=statistics.median(rss), cpu=statistics.median(cpus))
    return dict(figures, pairs=runs, ratios=ratios, ratio=statistics.median(ratios), ratio_min=min(ratios),
                ratio_max=max(ratios), rss_ratio=statistics.median(rss_ratios))


def median_of(runs: int, command: list[str], env: dict, before=None) -> dict:
    walls, rss, text = [], [], ""
    for _run in range(runs):
        if before:
            before()
        wall, peak, text, _cpu = timed(command, env)
        walls.append(wall)
        rss.append(peak)
    return {"wall": statistics.median(walls), "rss": statistics.median(rss), "min": min(walls), "max": max(walls),
            "output": text}


def fleet_sizes(fleet: int) -> dict[str, int]:
    """10,000 services: PAI-EAS 2 x 2,500, ModelArts 2 x 2,000, DataArts Fabric 1,000 (sizes are per region)."""
    return {"pai_eas": fleet // 4, "modelarts": fleet // 5, "fabric": fleet // 10}


class Bench:
    """The runs of one ansible-core (a venv's bin folder) against the emulators."""

    def __init__(self, label: str, bin_dir: str, args: argparse.Namespace, work: str) -> None:
        self.label, self.bin_dir, self.runs, self.work = label, bin_dir, args.runs, os.path.join(work, label)
        os.makedirs(self.work, exist_ok=True)
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.abspath(args.collections_root),
                        ANSIBLE_INVENTORY_PLUGINS=os.path.join(HERE, "plugins", "inventory"),
                        ANSIBLE_INVENTORY_ENABLED="modelserving.cloud.inference_services,floor",
                        ANSIBLE_INVENTORY_UNPARSED_FAILED="true", NO_PROXY="",
                        ANSIBLE_PYTHON_INTERPRETER=os.path.join(bin_dir, "python"),
                        PATH=bin_dir + os.pathsep + os.environ["PATH"])
        self.inventory = os.path.join(bin_dir, "ansible-inventory")

    def write(self, name: str, data: dict | str) -> str:
        path = os.path.join(self.work, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(data if isinstance(data, str) else json.dumps(data))
        return path

    def cold(self, emu: Emulator, name: str, extra: dict, fleet: int) -> dict:
        """The plugin cold and its floor fed the plugin's own output, run in turn (paired)."""
        self.env["HTTPS_PROXY"] = emu.url
        config = self.write("%s-%d.inference_services.yml" % (name, fleet), dict(
            {"plugin": "modelserving.cloud.inference_services", "sources": sources(emu),
             "concurrency": CONCURRENCY}, **extra))
        command = [self.inventory, "-i", config, "--list"]
        # One run first, untimed: the emulator makes a region's fleet when it is first asked, and this run's output is
        # what the floor adds, made ready for it (the marks it needs) before any timed run.
        emu.admin("stats/reset", {})
        _wall, _rss, text, _cpu = timed(command, self.env)
        requests = emu.admin("stats")["requests"]
        listing = self.write("%s-%d.json" % (name, fleet), text)
        ready = os.path.join(self.work, "%s-%d.pickle" % (name, fleet))
        timed([os.path.join(self.bin_dir, "python"), FLOOR, "prepare", listing, ready], self.env)
        floor_config = self.write("%s-%d.floor.yml" % (name, fleet), {"plugin": "floor", "ready": ready})
        network = math.ceil(requests / CONCURRENCY) * LATENCY_MS / 1000.0
        serving = emu.cpu()
        pair = paired(self.runs, command, [self.inventory, "-i", floor_config, "--list"], self.env, network)
        serving = (emu.cpu() - serving) / self.runs  # the floor sends nothing: all of it is the plugin's requests
        cold, floor = pair["first"], pair["second"]
        with open(listing, encoding="utf-8") as handle:
            expected = json.load(handle)
        if json.loads(cold.pop("output")) != expected:
            raise RuntimeError("the plugin's inventory changed between runs (%s)" % listing)
        if json.loads(floor.pop("output")) != expected:
            raise RuntimeError("the floor did not build the inventory the plugin built (%s)" % listing)
        return dict(pair, cold=cold, floor=floor, requests=requests, network_floor=network, emulator_cpu=serving,
                    hosts=len(expected["_meta"]["hostvars"]))

    def warm(self, emu: Emulator, fleet: int) -> dict:
        """The plugin with a cache hit (no request) and the default groups' floor, run in turn (paired)."""
        cached = self.write("cached-%d.inference_services.yml" % fleet, {
            "plugin": "modelserving.cloud.inference_services", "sources": sources(emu), "concurrency": CONCURRENCY,
            "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
            "cache_connection": os.path.join(self.work, "cache-%d" % fleet), "cache_timeout": 3600})
        timed([self.inventory, "-i", cached, "--list"], self.env)  # fills the cache
        emu.admin("stats/reset", {})
        floor_config = os.path.join(self.work, "default-%d.floor.yml" % fleet)
        pair = paired(self.runs, [self.inventory, "-i", cached, "--list"],
                      [self.inventory, "-i", floor_config, "--list"], self.env)
        warm, floor = pair["first"], pair["second"]
        warm.pop("output")
        floor.pop("output")
        return dict(pair, warm=warm, floor=floor, requests=emu.admin("stats")["requests"])

    def listing_split(self, emu: Emulator, fleet: int, cold: dict) -> dict:
        """What the default inventory spends beyond its floor, split: the listing's requests, TLS, answers and JSON
        beyond the network floor (what any client of these APIs spends), normalizing the records, and the rest
        (imports, naming, marking, adding the hosts beyond the floor's own adding)."""
        self.env["HTTPS_PROXY"] = emu.url
        config = os.path.join(self.work, "default-%d.inference_services.yml" % fleet)
        _wall, _rss, text, _cpu = timed([os.path.join(self.bin_dir, "python"), os.path.join(HERE, "listing_split.py"),
                                         self.env["ANSIBLE_COLLECTIONS_PATH"], config, str(self.runs)], self.env)
        split = json.loads(text)
        beyond = cold["cold"]["wall"] - cold["floor"]["wall"] - cold["network_floor"]
        return {"services": split["services"], "beyond_floor": beyond,
                "answers_beyond_network": split["raw"] - cold["network_floor"],
                "normalizing": split["listing"] - split["raw"],
                "rest": cold["cold"]["wall"] - cold["floor"]["wall"] - split["listing"]}

    def event_source(self, emu: Emulator) -> dict:
        """The event source's poll of the same fleet: the listing, and what it does beyond (names, snapshot, diff)."""
        self.env["HTTPS_PROXY"] = emu.url
        arguments = json.dumps({"sources": sources(emu), "concurrency": CONCURRENCY})
        _wall, _rss, text, _cpu = timed([os.path.join(self.bin_dir, "python"), os.path.join(HERE, "eda_poll.py"),
                                         self.env["ANSIBLE_COLLECTIONS_PATH"], arguments, str(self.runs)], self.env)
        return json.loads(text)

    def module(self, emu: Emulator, count: int) -> dict:
        """pai_eas_service_info listing ``count`` services in one task, against a no-op module plus the network, and
        against a module returning the very same result from a file (what ansible-core spends carrying it)."""
        self.env["HTTPS_PROXY"] = emu.url
        options = dict(emu.data["credentials"]["pai_eas"], region="cn-hangzhou", ca_path=emu.data["ca_cert"],
                       concurrency=CONCURRENCY)
        env = {k: v for k, v in self.env.items() if not k.startswith("ANSIBLE_INVENTORY_")}
        env["ANSIBLE_LIBRARY"] = os.path.join(HERE, "modules")
        # The module as a process of its own once: every service listed, once; its result kept for the replay.
        arguments = self.write("module-args.json", {"ANSIBLE_MODULE_ARGS": options})
        _wall, _rss, text, _cpu = timed([os.path.join(self.bin_dir, "python"), "-m",
                                         "ansible_collections.modelserving.cloud.plugins.modules.pai_eas_service_info",
                                         arguments], dict(env, PYTHONPATH=env["ANSIBLE_COLLECTIONS_PATH"]))
        result = json.loads(text)
        ids = {service["service_id"] for service in result.get("services", [])}
        if len(result.get("services", [])) != count or len(ids) != count:
            raise RuntimeError("the module listed %d services (%d distinct), not %d" % (
                len(result.get("services", [])), len(ids), count))
        recorded = self.write("module-result.json", text)

        def playbook(name: str, task: dict) -> list[str]:
            path = self.write(name, [{"hosts": "localhost", "gather_facts": False, "connection": "local",
                                      "tasks": [dict(task, register="listed")]}])
            return [os.path.join(self.bin_dir, "ansible-playbook"), "-i", "localhost,", path]

        emu.admin("stats/reset", {})
        module = median_of(self.runs, playbook("module.yml", {"modelserving.cloud.pai_eas_service_info": options}),
                           env)
        requests = emu.admin("stats")["requests"] / self.runs
        noop = median_of(self.runs, playbook("noop.yml", {"ansible.builtin.ping": {}}), env)
        replay = median_of(self.runs, playbook("replay.yml", {"replay": {"path": recorded}}), env)
        projected = median_of(self.runs, playbook("projected.yml", {"modelserving.cloud.pai_eas_service_info": dict(
            options, query="[].{name: service_name, status: status, endpoint: endpoint}")}), env)
        for figures in (module, noop, replay, projected):
            figures.pop("output")
        network = math.ceil(requests / CONCURRENCY) * LATENCY_MS / 1000.0
        return {"module": module, "noop": noop, "replay": replay, "projected": projected, "requests": requests,
                "network_floor": network, "services": count, "result_mib": len(text) / 1048576.0,
                "ratio": module["wall"] / (noop["wall"] + network),
                "replay_ratio": module["wall"] / (replay["wall"] + network),
                "split": {"start-up (no-op module)": noop["wall"], "network floor": network,
                          "ansible-core carrying the result": replay["wall"] - noop["wall"],
                          "the module's own work": module["wall"] - replay["wall"] - network}}

    def fleet_report(self, emu: Emulator) -> dict:
        """The service_report role (every format) against a play listing the same sources with service_info alone:
        what writing the report adds to the listing."""
        self.env["HTTPS_PROXY"] = emu.url
        env = {k: v for k, v in self.env.items() if not k.startswith("ANSIBLE_INVENTORY_")}
        folder = os.path.join(self.work, "fleet-report")

        def playbook(name: str, play: dict) -> list[str]:
            path = self.write(name, [dict({"hosts": "localhost", "gather_facts": False, "connection": "local"},
                                          **play)])
            return [os.path.join(self.bin_dir, "ansible-playbook"), "-i", "localhost,", path]

        pair = paired(self.runs, playbook("report.yml", {"roles": [{
            "role": "modelserving.cloud.service_report", "vars": {
                "service_report_sources": sources(emu), "service_report_dir": folder}}]}),
            playbook("listing.yml", {"tasks": [{
                "modelserving.cloud.service_info": {"sources": sources(emu)}, "register": "listing"}]}), env)
        report, listing = pair["first"], pair["second"]
        with open(os.path.join(folder, "services.json"), encoding="utf-8") as handle:
            services = len(json.load(handle))
        for name in ("report.html", "report.md", "services.csv"):
            if not os.path.getsize(os.path.join(folder, name)):
                raise RuntimeError("the fleet report wrote an empty %s" % name)
        report.pop("output")
        listing.pop("output")
        return dict(pair, report=report, listing=listing, services=services)

    def steering(self, emu: Emulator, count: int) -> dict:
        """``count`` PAI-EAS services, made untimed, then stopped and started again from the inventory in one play
        (FORKS at a time, delegated to localhost); the services are checked to have been stopped and started once
        each and to run again."""
        self.env["HTTPS_PROXY"] = emu.url
        env = {k: v for k, v in self.env.items() if not k.startswith("ANSIBLE_INVENTORY_")}
        source = dict(sources(emu)[0], regions=["cn-hangzhou"])
        defaults = {"group/modelserving.cloud.pai_eas": {
            k: source[k] for k in ("access_key_id", "access_key_secret", "ca_path")}}
        config = {"metadata": {"instance": 1, "cpu": 1, "memory": 2000},
                  "containers": [{"image": "registry.cn-hangzhou.aliyuncs.com/eas/bench:1"}]}
        emu.admin("lifecycle", {"seconds": TRANSITION_S})
        names = ["bench_svc_%03d" % i for i in range(count)]
        create = self.write("steer-create.yml", [{
            "hosts": "all", "gather_facts": False, "connection": "local", "module_defaults": defaults,
            "tasks": [{"modelserving.cloud.pai_eas_service": {
                "name": "{{ inventory_hostname }}", "region": "cn-hangzhou", "config": config, "wait": False}}]}])
        timed([os.path.join(self.bin_dir, "ansible-playbook"), "-i", ",".join(names) + ",", "-f", str(FORKS),
               create], env)
        time.sleep(TRANSITION_S + 0.5)  # every create done: the play starts from services that run
        inventory = self.write("steer.inference_services.yml", {
            "plugin": "modelserving.cloud.inference_services", "sources": [source]})
        steer = {"name": "{{ service_name }}", "region": "{{ region }}"}
        play = self.write("steer.yml", [{
            "hosts": "all", "gather_facts": False, "module_defaults": defaults, "tasks": [
                {"name": "Stop", "modelserving.cloud.pai_eas_service": dict(steer, state="stopped"),
                 "delegate_to": "localhost"},
                {"name": "Start", "modelserving.cloud.pai_eas_service": dict(steer, state="started"),
                 "delegate_to": "localhost"}]}])
        playbook = [os.path.join(self.bin_dir, "ansible-playbook"), "-i", inventory, "-f", str(FORKS)]
        plugin_env = dict(self.env, ANSIBLE_INVENTORY_ENABLED="modelserving.cloud.inference_services")
        emu.admin("stats/reset", {})
        wall, _rss, out, _cpu = timed(playbook + [play], plugin_env)
        stats = emu.admin("stats")
        # The floor: ansible-core running two tasks of a no-op module for the same hosts, the same way.
        noop = self.write("steer-noop.yml", [{
            "hosts": "all", "gather_facts": False, "tasks": [
                {"name": name, "ansible.builtin.ping": {}, "delegate_to": "localhost"} for name in ("Stop", "Start")]}])
        floor, _rss, _out, _cpu = timed(playbook + [noop], plugin_env)
        actions = [entry.get("action") for entry in stats["log"]]
        fleet = emu.admin("fleet/pai_eas/cn-hangzhou")["Services"]
        if actions.count("StopService") != count or actions.count("StartService") != count or sorted(
                s["ServiceName"] for s in fleet if s["Status"] == "Running") != names:
            raise RuntimeError("the steering play did not stop and start the %d services once each:\n%s" % (
                count, out[-2000:]))
        transitions = 2 * math.ceil(count / FORKS) * TRANSITION_S
        return {"services": count, "forks": FORKS, "wall": wall, "transitions": transitions, "floor": floor,
                "beyond": wall - transitions, "beyond_floor": wall - transitions - floor,
                "requests_per_service": stats["requests"] / count, "seconds_per_change": TRANSITION_S}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collections_root")
    parser.add_argument("output_dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="1000,10000,50000")
    parser.add_argument("--full", type=int, default=10000, help="the fleet size of the constructed and warm rows")
    parser.add_argument("--core", action="append", default=[],
                        help="LABEL=BIN_DIR, a venv with the ansible-core to time (default: this Python's)")
    parser.add_argument("--module-services", type=int, default=4000)
    parser.add_argument("--steer-services", type=int, default=100)
    parser.add_argument("--from-json", help="print the table and plot of an earlier bench.json, measuring nothing")
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as handle:
            results = json.load(handle, object_hook=lambda d: {int(k) if k.isdigit() else k: v for k, v in d.items()})
        scales = sorted(next(iter(results["cores"].values()))["scale"])[1:]
        for core in results["cores"].values():
            per_service(core, scales)
        report(results, args, scales)
        return 0
    work = tempfile.mkdtemp(prefix="bench-")
    cores = [item.split("=", 1) for item in args.core] or [[core_version(os.path.dirname(sys.executable)),
                                                           os.path.dirname(sys.executable)]]
    scales = sorted({int(size) for size in args.scale.split(",")} | {args.full})
    results: dict = {"latency_ms": LATENCY_MS, "concurrency": CONCURRENCY, "runs": args.runs, "cores": {}}
    benches = [Bench(label, os.path.abspath(bin_dir), args, work) for label, bin_dir in cores]
    for bench in benches:
        results["cores"][bench.label] = {"version": core_version(bench.bin_dir), "scale": {}}
    for fleet in [0] + scales:  # one emulator per fleet size, every core against it
        emu = Emulator(os.path.join(work, "emulator-%d" % fleet), fleet_sizes(fleet))
        try:
            for bench in benches:
                figures = {"default": bench.cold(emu, "default", {}, fleet)}
                if fleet == args.full:
                    figures["split"] = bench.listing_split(emu, fleet, figures["default"])
                    figures["constructed"] = bench.cold(emu, "constructed", CONSTRUCTED, fleet)
                    figures["warm"] = bench.warm(emu, fleet)
                    figures["event_source"] = bench.event_source(emu)
                    figures["report"] = bench.fleet_report(emu)
                results["cores"][bench.label]["scale"][fleet] = figures
                print("%s, %d services: done" % (bench.label, fleet), file=sys.stderr, flush=True)
        finally:
            emu.stop()
    emu = Emulator(os.path.join(work, "emulator-module"),
                   {"pai_eas": args.module_services, "modelarts": 0, "fabric": 0})
    try:
        for bench in benches:
            results["cores"][bench.label]["module"] = bench.module(emu, args.module_services)
    finally:
        emu.stop()
    for bench in benches:  # an emulator of its own for each: the services it makes are the whole fleet
        emu = Emulator(os.path.join(work, "emulator-steering-%s" % bench.label), {"pai_eas": 0, "modelarts": 0,
                                                                                  "fabric": 0})
        try:
            results["cores"][bench.label]["steering"] = bench.steering(emu, args.steer_services)
        finally:
            emu.stop()
    for core in results["cores"].values():
        per_service(core, scales)
    report(results, args, scales)
    return 0


def core_version(bin_dir: str) -> str:
    out = subprocess.run([os.path.join(bin_dir, "python"), "-c", "from ansible.release import __version__; "
                          "print(__version__)"], capture_output=True, text=True, check=True).stdout
    return out.strip()


def per_service(core: dict, scales: list[int]) -> None:
    """The cost per host beyond an empty fleet's, for the plugin and its floor; how each grows from the smallest
    fleet to the largest (ansible-core's own cost per host grows too: the floor shows by how much). In wall seconds,
    and in the CPU seconds of the process alone (without the emulator's serving, on the same cores)."""
    empty = core["scale"][0]["default"]
    for fleet in scales:
        row = core["scale"][fleet]["default"]
        row["per_service_ms"] = {
            "plugin": (row["cold"]["wall"] - empty["cold"]["wall"]) * 1000 / row["hosts"],
            "floor": (row["floor"]["wall"] - empty["floor"]["wall"]) * 1000 / row["hosts"],
            "plugin_raw": row["cold"]["wall"] * 1000 / row["hosts"]}
        if "cpu" in row["cold"] and "cpu" in empty["cold"]:  # not in a bench.json written before it was measured
            row["per_service_ms"].update(
                plugin_cpu=(row["cold"]["cpu"] - empty["cold"]["cpu"]) * 1000 / row["hosts"],
                floor_cpu=(row["floor"]["cpu"] - empty["floor"]["cpu"]) * 1000 / row["hosts"],
                emulator_cpu=(row["emulator_cpu"] - empty["emulator_cpu"]) * 1000 / row["hosts"])
    first, last = (core["scale"][fleet]["default"]["per_service_ms"] for fleet in (scales[0], scales[-1]))
    core["per_service_growth"] = {"plugin": last["plugin"] / first["plugin"], "floor": last["floor"] / first["floor"]}
    if "plugin_cpu" in first:
        core["per_service_growth"].update(plugin_cpu=last["plugin_cpu"] / first["plugin_cpu"],
                                          floor_cpu=last["floor_cpu"] / first["floor_cpu"])


def report(results: dict, args: argparse.Namespace, scales: list[int]) -> None:
    rows = []
    for label, core in results["cores"].items():
        full = core["scale"][args.full]
        default, constructed, warm, module = full["default"], full["constructed"], full["warm"], core["module"]
        rows += [
            (label, "inventory cold, default groups", default["cold"]["wall"],
             default["floor"]["wall"] + default["network_floor"], spread(default), 1.05, default["cold"]["rss"],
             default["requests"]),
        ]
        split = full.get("split")  # not in a bench.json written before it was measured
        if split:  # the network floor measured: the same listing, each item left as sent (listing_split.py)
            listed = split["answers_beyond_network"] + default["network_floor"]
            rows.append((label, "inventory cold, default groups, against the floor plus the listing as sent (measured)",
                         default["cold"]["wall"], default["floor"]["wall"] + listed,
                         (default["cold"]["wall"] / (default["floor"]["wall"] + listed), None, None), 1.05,
                         default["cold"]["rss"], default["requests"]))
        rows += [
            (label, "inventory cold, constructed", constructed["cold"]["wall"],
             constructed["floor"]["wall"] + constructed["network_floor"], spread(constructed), 1.2,
             constructed["cold"]["rss"], constructed["requests"]),
            (label, "inventory peak RSS (MiB)", default["cold"]["rss"], default["floor"]["rss"],
             (default["rss_ratio"], None, None), 1.2, default["cold"]["rss"], None),
            (label, "inventory warm (cache hit), 0 requests", warm["warm"]["wall"], warm["floor"]["wall"],
             spread(warm), 1.05 if not warm["requests"] else 0, warm["warm"]["rss"], warm["requests"]),
            (label, "module: %d PAI-EAS services, one task" % module["services"], module["module"]["wall"],
             module["noop"]["wall"] + module["network_floor"], (module["ratio"], None, None), 2.0,
             module["module"]["rss"], module["requests"]),
            (label, "module: the same, against a module returning its %.1f MiB result" % module["result_mib"],
             module["module"]["wall"], module["replay"]["wall"] + module["network_floor"],
             (module["replay_ratio"], None, None), 2.0, module["module"]["rss"], module["requests"]),
            (label, "event source: a poll's work beyond its listing (%d services)" % full["event_source"]["services"],
             full["event_source"]["listing"] + full["event_source"]["diff"], full["event_source"]["listing"],
             (full["event_source"]["ratio"], None, None), 1.1, None, None),
            (label, "growth of the cost per service, %s" % " -> ".join("%dk" % (s // 1000) for s in scales),
             core["per_service_growth"]["plugin"], core["per_service_growth"]["floor"],
             (core["per_service_growth"]["plugin"] / core["per_service_growth"]["floor"], None, None), 1.2, None,
             None),
        ]
        growth = core["per_service_growth"]
        if "plugin_cpu" in growth:  # the same in the CPU of the process alone: without the emulator's serving
            rows.append((label, "growth of the CPU per service (the process alone), %s" % " -> ".join(
                "%dk" % (s // 1000) for s in scales), growth["plugin_cpu"], growth["floor_cpu"],
                (growth["plugin_cpu"] / growth["floor_cpu"], None, None), 1.2, None, None))
        fleet_report = full.get("report")  # not in a bench.json written before it was measured
        if fleet_report:
            rows.append((label, "fleet report: %d services, every format, against listing them" % (
                fleet_report["services"]), fleet_report["report"]["wall"], fleet_report["listing"]["wall"],
                spread(fleet_report), 2.0, fleet_report["report"]["rss"], None))
    lines = ["| core | run (%d services unless said) | plugin s | floor s | ratio | paired ratios: min - max | "
             "target | met | peak RSS MiB | requests |" % args.full, "|---|---|---|---|---|---|---|---|---|---|"]
    for label, name, value, floor, (ratio, low, high), target, rss, requests in rows:
        lines.append("| %s | %s | %s | %s | %.2f | %s | <= %.2f | %s | %s | %s |" % (
            label, name, "" if value is None else "%.2f" % value, "" if floor is None else "%.2f" % floor, ratio,
            "" if low is None else "{:.2f} - {:.2f}".format(low, high), target, "yes" if ratio <= target else "**no**",
            "" if rss is None else "%.0f" % rss, "" if requests is None else "%g" % requests))
    lines += ["", "| core | services | hosts | plugin s | floor s | plugin ms/service | floor ms/service | "
              "plugin ms/service, start-up included | plugin CPU ms/service | floor CPU ms/service | emulator CPU "
              "ms/service |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, core in results["cores"].items():
        for fleet in scales:
            row = core["scale"][fleet]["default"]
            cost = row["per_service_ms"]
            cpu = ["%.3f" % cost[key] if key in cost else "" for key in ("plugin_cpu", "floor_cpu", "emulator_cpu")]
            lines.append("| %s | %d | %d | %.2f | %.2f | %.3f | %.3f | %.3f | %s |" % (
                label, fleet, row["hosts"], row["cold"]["wall"], row["floor"]["wall"], cost["plugin"], cost["floor"],
                cost["plugin_raw"], " | ".join(cpu)))
    lines += ["", "| core | the default inventory beyond its floor and the network floor, split | seconds |",
              "|---|---|---|"]
    for label, core in results["cores"].items():
        split = core["scale"][args.full].get("split")  # not in a bench.json written before it was measured
        if split:
            lines += ["| %s | %s | %.2f |" % (label, part, split[key]) for key, part in (
                ("beyond_floor", "all of it (%d services)" % split["services"]),
                ("answers_beyond_network", "the listing's requests, TLS, answers and JSON beyond the network floor"),
                ("normalizing", "normalizing the records"),
                ("rest", "the rest: imports, naming, marking, adding the hosts beyond the floor's adding"))]
    lines += ["", "| core | module split | seconds |", "|---|---|---|"]
    for label, core in results["cores"].items():
        lines += ["| %s | %s | %.2f |" % (label, part, seconds) for part, seconds in core["module"]["split"].items()]
        lines.append("| %s | the module with a query keeping 3 fields (all of it) | %.2f |" % (
            label, core["module"]["projected"]["wall"]))
    lines += ["", "| core | steering: services stopped and started from the inventory in one play | forks | wall s | "
                  "emulator's transitions s | beyond them s | the same play of no-op tasks s | beyond both s | "
                  "requests per service |", "|---|---|---|---|---|---|---|---|---|"]
    for label, core in results["cores"].items():
        steering = core.get("steering")
        if steering:
            figures = (label, steering["services"], steering["seconds_per_change"], steering["forks"],
                       steering["wall"], steering["transitions"], steering["beyond"], steering["floor"],
                       steering["beyond_floor"], steering["requests_per_service"])
            lines.append("| %s | %d PAI-EAS services, each change %.0f s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | "
                         "%.1f |" % figures)
    missed = ["%s %s" % (label, name) for label, name, _v, _f, (ratio, _l, _h), target, _r, _q in rows
              if ratio > target]
    if missed:
        lines += ["", "Not met: %s. Where the time goes and what was tried: docs/docsite/rst/performance.rst; the "
                      "split above shows the module's." % "; ".join(missed)]
    table = "\n".join(lines) + "\n"
    print(table)
    with open(os.path.join(args.output_dir, "bench.md"), "w", encoding="utf-8") as handle:
        handle.write(table)
    with open(os.path.join(args.output_dir, "bench.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(args.output_dir, "per-service.svg"), "w", encoding="utf-8") as handle:
        handle.write(plot(results, scales))
    print("figures: %s (bench.json, bench.md, per-service.svg)" % args.output_dir)


def spread(pair: dict) -> tuple[float, float | None, float | None]:
    """A paired measurement's median ratio and the lowest and highest of its pairs' (none for one written before
    the runs were paired)."""
    return pair["ratio"], pair.get("ratio_min"), pair.get("ratio_max")


def plot(results: dict, scales: list[int]) -> str:
    """An SVG of the cost per service against the fleet size (log scale), the plugin and its floor on each core."""
    width, height, left, bottom, top, right = 640, 360, 70, 50, 40, 180
    lines = []
    for label, core in results["cores"].items():
        for who, dash in (("plugin", ""), ("floor", "6,4")):
            points = [(fleet, core["scale"][fleet]["default"]["per_service_ms"][who]) for fleet in scales]
            lines.append(("%s %s" % (who, label), dash, points))
    highest = max(value for _name, _dash, points in lines for _fleet, value in points) or 1.0
    step = next(step for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if highest / step <= 6)
    ticks = math.ceil(highest * 1.05 / step)
    top_value = ticks * step
    low, high = math.log10(min(scales)), math.log10(max(scales))

    def x(fleet: int) -> float:
        return left + (math.log10(fleet) - low) / ((high - low) or 1) * (width - left - right)

    def y(value: float) -> float:
        return height - bottom - max(value, 0) / top_value * (height - bottom - top)

    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (width, height), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="14">inference_services: ms per service beyond an empty fleet</text>' % left,
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (
               left, height - bottom, width - right, height - bottom),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, top, left, height - bottom)]
    for fleet in scales:
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x(fleet), height - bottom + 18,
                                                                             "{:,}".format(fleet)))
    out.append('<text x="%d" y="%d" text-anchor="middle">services (log scale)</text>' % (
        (left + width - right) / 2, height - 10))
    for tick in range(ticks + 1):
        value = tick * step
        out.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 6, y(value) + 4, value))
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (
            left, y(value), width - right, y(value)))
    for index, (name, dash, points) in enumerate(lines):
        colour = colours[(index // 2) % len(colours)]
        path = " ".join("%.1f,%.1f" % (x(fleet), y(value)) for fleet, value in points)
        out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>' % (
            path, colour, ' stroke-dasharray="%s"' % dash if dash else ""))
        out += ['<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (x(fleet), y(value), colour)
                for fleet, value in points]
        legend_y = top + 18 * index
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>' % (
            width - right + 12, legend_y, width - right + 40, legend_y, colour,
            ' stroke-dasharray="%s"' % dash if dash else ""))
        out.append('<text x="%d" y="%d">%s</text>' % (width - right + 46, legend_y + 4, name))
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
