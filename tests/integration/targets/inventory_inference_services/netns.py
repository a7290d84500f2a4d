# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One scenario where an ECS instance's metadata services are, at their real addresses:
``unshare --net python netns.py --host-namespace NS [--serve-metadata] CONFIG WORK SCENARIO``.

The collection asks the instance metadata only at 100.100.100.200 (Alibaba Cloud) and 169.254.169.254 (Huawei Cloud),
port 80, and no setting moves it. So, inside a network namespace of its own (made by ``unshare --net``, which needs
root), this brings lo up and puts both addresses on it, starts an emulator there (listing APIs on 127.0.0.1 of the
namespace; with --serve-metadata its metadata services on both addresses, port 80), and runs the scenario
(scenarios.py) against that emulator. Nothing of this reaches the host's network.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

METADATA_ADDRESSES = ("100.100.100.200", "169.254.169.254")


def namespace(ip: str, host_namespace: str) -> None:
    """lo up, both metadata addresses on it: only in a namespace other than the host's, whose lo this would change."""
    if os.readlink("/proc/self/ns/net") == host_namespace:
        sys.exit("netns.py runs in a network namespace of its own: start it with `unshare --net`")
    commands = [[ip, "link", "set", "lo", "up"]]
    commands += [[ip, "addr", "add", "%s/32" % a, "dev", "lo"] for a in METADATA_ADDRESSES]
    for command in commands:
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        if run.returncode:
            sys.exit("%s failed: %s" % (" ".join(command), run.stdout.strip()))


def start_emulator(config: dict, work: str, serve_metadata: bool) -> tuple[subprocess.Popen, dict]:
    """An emulator of this namespace's own (the test's one listens in the host's namespace, out of reach here)."""
    state = os.path.join(work, "state.json")
    if os.path.exists(state):
        os.remove(state)
    os.makedirs(work, exist_ok=True)
    extra = [a for address in METADATA_ADDRESSES for a in ("--metadata-address", address)] if serve_metadata else []
    with open(os.path.join(work, "emulator.log"), "w", encoding="utf-8") as log:
        proc = subprocess.Popen([config["emulator_python"], "-m", "emulator", "--state-file", state, "--workdir", work]
                                + extra, env=dict(os.environ, PYTHONPATH=config["emulator_pythonpath"]),
                                stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not os.path.exists(state):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            with open(os.path.join(work, "emulator.log"), encoding="utf-8") as log:
                sys.exit("the emulator did not start in the namespace:\n%s" % log.read())
        time.sleep(0.1)
    with open(state, encoding="utf-8") as handle:
        return proc, json.load(handle)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host-namespace", required=True, help="the network namespace this must not run in")
    parser.add_argument("--serve-metadata", action="store_true")
    parser.add_argument("config")
    parser.add_argument("work")
    parser.add_argument("scenario")
    args = parser.parse_args()
    ip = shutil.which("ip") or shutil.which("ip", path="/usr/sbin:/sbin")
    if not ip:
        sys.exit("no `ip` command: install iproute2 (the target's runme.sh does so as root)")
    namespace(ip, args.host_namespace)
    with open(args.config, encoding="utf-8") as handle:
        config = json.load(handle)
    work = os.path.join(args.work, "netns-%s" % args.scenario)
    proc, state = start_emulator(config, work, args.serve_metadata)
    try:
        keys = state["credentials"]
        config.update(
            network_namespace=True, metadata_urls=state["metadata_urls"], emulator_http_url=state["http_url"],
            emulator_https_url=state["https_url"], emulator_ca_cert=state["ca_cert"],
            pai_eas_access_key_id=keys["pai_eas"]["access_key_id"],
            pai_eas_access_key_secret=keys["pai_eas"]["access_key_secret"],
            huawei_access_key=keys["huawei"]["access_key"], huawei_secret_key=keys["huawei"]["secret_key"])
        inner = os.path.join(work, "config.json")
        with open(inner, "w", encoding="utf-8") as out:
            json.dump(config, out, indent=2)
        scenarios = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios.py")
        return subprocess.run([sys.executable, scenarios, inner, args.work, args.scenario], check=False).returncode
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
