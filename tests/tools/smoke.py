#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The smoke test of the ansible-core matrix: smoke.py BIN_DIR COLLECTIONS_ROOT CONFIG WORKDIR.

With the ansible-playbook and ansible-inventory of BIN_DIR (one ansible-core version) against the emulator: each
module once, the inventory plugin with two providers, a cache hit that makes no request, a hostile service name
that stays text through the inventory and a play, and service_info with the report and gate roles. Prints what it
checked; exits 1 on the first failure.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import urllib.request

BIN, ROOT, CONFIG_PATH, WORK = sys.argv[1:5]
with open(CONFIG_PATH, encoding="utf-8") as config_file:
    CONFIG = json.load(config_file)
EMU = CONFIG["emulator_http_url"]
ENV = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ROOT, ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_NOCOLOR="1",
           ANSIBLE_DEPRECATION_WARNINGS="false", PATH=BIN + os.pathsep + os.environ["PATH"], NO_PROXY="127.0.0.1")
ONLY_OURS = {"ANSIBLE_INVENTORY_ENABLED": "modelserving.cloud.inference_services"}
PAI = {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": EMU,
       "access_key_id": CONFIG["pai_eas_access_key_id"], "access_key_secret": CONFIG["pai_eas_access_key_secret"]}
MODELARTS = {"provider": "modelarts", "region": "cn-north-4", "endpoint": EMU, "iam_endpoint": EMU,
             "access_key": CONFIG["huawei_access_key"], "secret_key": CONFIG["huawei_secret_key"]}
HOSTILE = "{{ lookup('pipe', 'id') }}"


def admin(route: str, body: dict | None = None) -> dict:
    request = urllib.request.Request("%s/_emulator/%s" % (EMU, route), method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:  # nosec B310 - the emulator on 127.0.0.1
        return json.load(reply)


def plain(value):
    """ansible-inventory's JSON with {"__ansible_unsafe": ...} markers (2.19+) as plain strings."""
    if isinstance(value, dict):
        return value["__ansible_unsafe"] if set(value) == {"__ansible_unsafe"} else {k: plain(v) for k, v in
                                                                                     value.items()}
    return [plain(v) for v in value] if isinstance(value, list) else value


def command(*args: str, env: dict | None = None) -> str:
    run = subprocess.run(list(args), env=dict(ENV, **(env or {})), cwd=WORK, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    if run.returncode != 0 or "Traceback" in run.stdout:
        raise SystemExit("%s failed:\n%s" % (" ".join(args[:3]), run.stdout))
    return run.stdout


def inventory(name: str, config: dict) -> dict:
    path = os.path.join(WORK, "%s.inference_services.yml" % name)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dict({"plugin": "modelserving.cloud.inference_services"}, **config), handle)
    output = os.path.join(WORK, "%s.json" % name)
    command("ansible-inventory", "-i", path, "--list", "--output", output, env=ONLY_OURS)
    with open(output, encoding="utf-8") as handle:
        return plain(json.load(handle))


def main() -> int:
    os.makedirs(WORK, exist_ok=True)
    admin("reset", {"seed": 5, "pai_eas_services": 30, "modelarts_services": 20, "fabric_instances": 10,
                    "hostile": True})
    eas = admin("fleet/pai_eas")["Services"]
    modelarts = [s for s in admin("fleet/modelarts/cn-north-4")["services"] if s["workspace_id"] == "0"]

    # Each module once.
    play = os.path.join(WORK, "modules.yml")
    with open(play, "w", encoding="utf-8") as handle:
        json.dump([{"name": "Each module once", "hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "PAI-EAS", "modelserving.cloud.pai_eas_service_info": {
                k: v for k, v in PAI.items() if k != "provider"}, "register": "eas"},
            {"name": "ModelArts", "modelserving.cloud.modelarts_service_info": {
                k: v for k, v in MODELARTS.items() if k != "provider"}, "register": "ma"},
            {"name": "DataArts Fabric", "modelserving.cloud.dataarts_fabric_service_info": dict(
                {k: v for k, v in MODELARTS.items() if k != "provider"}, workspace_id="ws-0001"), "register": "fabric"},
            {"name": "Counts", "ansible.builtin.assert": {"that": [
                "eas.services | length == %d" % len(eas), "ma.services | length == %d" % len(modelarts),
                "fabric.services | length == 10"]}},
        ]}], handle)
    command("ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
            "ansible_python_interpreter=%s" % sys.executable, play)
    print("modules: PAI-EAS %d, ModelArts %d, DataArts Fabric 10" % (len(eas), len(modelarts)))

    # A service steered through its life, its credentials from module_defaults through the action group (the
    # provider modules' action plugin sits in front of the module on every core).
    admin("eas", {"seconds": 0.5})
    steer = {"name": "smoke_steer"}
    play = os.path.join(WORK, "steer.yml")
    with open(play, "w", encoding="utf-8") as handle:
        json.dump([{"name": "Steer", "hosts": "localhost", "gather_facts": False, "module_defaults": {
            "group/modelserving.cloud.pai_eas": {k: v for k, v in PAI.items() if k != "provider"}}, "tasks": [
            {"name": "Create", "modelserving.cloud.pai_eas_service": dict(steer, config={
                "metadata": {"instance": 1}, "containers": [{"image": "r/smoke:1"}]}), "register": "created"},
            {"name": "Scale", "modelserving.cloud.pai_eas_service": dict(steer, replicas=2), "register": "scaled"},
            {"name": "Scale again", "modelserving.cloud.pai_eas_service": dict(steer, replicas=2),
             "register": "again"},
            {"name": "Delete", "modelserving.cloud.pai_eas_service": dict(steer, state="absent"),
             "register": "deleted"},
            {"name": "Each did what it says", "ansible.builtin.assert": {"that": [
                "created is changed and created.service.status == 'running'",
                "scaled.actions == ['scale to 2'] and scaled.service.running_instance == 2",
                "again is not changed", "deleted is changed and deleted.service is none"]}},
        ]}], handle)
    command("ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
            "ansible_python_interpreter=%s" % sys.executable, play)
    print("pai_eas_service: created, scaled, unchanged, deleted, with module_defaults")

    # The inventory with two providers, then a cache hit: no request, the same inventory.
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_timeout": 3600,
             "cache_connection": os.path.join(WORK, "cache")}
    config = dict({"sources": [PAI, MODELARTS], "hostnames": ["service_name"]}, **cache)
    first = inventory("two", config)
    assert len(first["_meta"]["hostvars"]) == len(eas) + len(modelarts), len(first["_meta"]["hostvars"])
    admin("stats/reset", {})
    second = inventory("two", config)
    assert admin("stats")["requests"] == 0 and second == first, "the cache was not used"
    print("inventory: %d hosts of two providers, cache hit with no request" % len(first["_meta"]["hostvars"]))

    # A hostile name stays text in the inventory and in a play that uses it.
    assert HOSTILE in first["_meta"]["hostvars"], "the hostile service is missing"
    path = os.path.join(WORK, "two.inference_services.yml")
    use = os.path.join(WORK, "use.yml")
    with open(use, "w", encoding="utf-8") as handle:
        json.dump([{"name": "Use the names", "hosts": "all", "gather_facts": False,
                    "vars": {"ansible_python_interpreter": sys.executable}, "tasks": [
                        {"name": "Show", "ansible.builtin.debug": {"msg": "name={{ service_name }} {{ message }}"}}]}],
                  handle)
    out = command("ansible-playbook", "-i", path, use, "--limit", "provider_pai_eas", env=ONLY_OURS)
    assert "uid=" not in out and "lookup('pipe', 'id')" in out, "a service name was evaluated"
    print("hostile name: literal in the inventory and in a play")

    # service_info and the two roles on this core: the report's files, and a gate that passes.
    running = next(s["ServiceName"] for s in eas if s["Status"] == "Running")
    report = os.path.join(WORK, "report")
    roles = os.path.join(WORK, "roles.yml")
    with open(roles, "w", encoding="utf-8") as handle:
        json.dump([{"name": "The roles", "hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "Both providers at once", "modelserving.cloud.service_info": {"sources": [PAI, MODELARTS]},
             "register": "both"},
            {"name": "Every service once", "ansible.builtin.assert": {"that": [
                "both.services | length == %d" % (len(eas) + len(modelarts)),
                "both.services | map(attribute='host') | unique | length == both.services | length"]}},
            {"name": "Report", "ansible.builtin.include_role": {"name": "modelserving.cloud.service_report"},
             "vars": {"service_report_sources": [PAI, MODELARTS], "service_report_dir": report}},
            {"name": "Gate", "ansible.builtin.include_role": {"name": "modelserving.cloud.service_status_gate"},
             "vars": {"service_status_gate_sources": [dict(PAI, filters={"service_name": running})],
                      "service_status_gate_interval": 1, "service_status_gate_timeout": 20}},
        ]}], handle)
    out = command("ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
                  "ansible_python_interpreter=%s" % sys.executable, roles)
    written = {name: open(os.path.join(report, name), encoding="utf-8").read()
               for name in ("report.html", "report.md", "services.json", "services.csv")}
    assert "uid=" not in out and not any("uid=" in text for text in written.values()), "a name was evaluated"
    assert any(r["service_name"] == HOSTILE for r in json.loads(written["services.json"])), "the name changed"
    assert html.escape("lookup('pipe', 'id')") in written["report.html"], "the name is not shown as written"
    assert "1 service is running" in out, "the gate did not pass"
    print("roles: service_info, the report (4 files) and a passing gate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
