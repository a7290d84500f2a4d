# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-rulebook with the service_status event source, against the emulator: eda.py CONFIG WORKDIR.

The collection is built and installed from its tarball into a folder of its own, as a decision environment has it,
and ansible-rulebook (from the venv CONFIG names: eda_venv_bin) runs a rulebook whose source watches one ModelArts
service, with the inference_services inventory. The emulator fails that service a few seconds in; the rule matches
``new_status == "failed"``, prints the event, runs confirm.yml (the module reads the service again and leaves a
marker) and shuts ansible-rulebook down. Checks: the exit status, the event's fields, the marker, and that no
secret is in ansible-rulebook's -vv output. The service gets its status back at the end.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import yaml

CONFIG = json.load(open(sys.argv[1], encoding="utf-8"))
WORK = os.path.abspath(sys.argv[2])
EMU = CONFIG["emulator_http_url"]
HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "cn-north-4"
TIMEOUT = 240


def admin(route: str, body: dict | None = None) -> dict:
    request = urllib.request.Request("%s/_emulator/%s" % (EMU, route), method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:  # nosec B310 - the emulator on 127.0.0.1
        return json.load(reply)


def collection_root() -> str:
    roots = (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS", "")).split(":")
    return next(os.path.join(root, "ansible_collections", "modelserving", "cloud") for root in roots
                if os.path.isfile(os.path.join(root, "ansible_collections", "modelserving", "cloud", "galaxy.yml")))


def install(eda_bin: str) -> str:
    """The tarball, built from the tree under test and installed into WORK/collections."""
    subprocess.run([shutil.which("ansible-galaxy"), "collection", "build", "--force", "--output-path", WORK,
                    collection_root()], check=True, stdout=subprocess.DEVNULL)
    tarball = glob.glob(os.path.join(WORK, "modelserving-cloud-*.tar.gz"))[0]
    collections = os.path.join(WORK, "collections")
    subprocess.run([os.path.join(eda_bin, "ansible-galaxy"), "collection", "install", "--force", "-p", collections,
                    tarball], check=True, stdout=subprocess.DEVNULL)
    return collections


def main() -> int:
    eda_bin = CONFIG.get("eda_venv_bin")
    if not eda_bin or not os.path.isfile(os.path.join(eda_bin, "ansible-rulebook")):
        print("no ansible-rulebook: run through make test, which makes the venv (tests/requirements-eda.txt)")
        return 1
    collections = install(eda_bin)
    services = admin("fleet/modelarts/%s" % REGION)["services"]
    target = next(s for s in services if s["status"] == "running" and s["workspace_id"] == "0")
    name = target["service_name"]
    secrets = [CONFIG["huawei_secret_key"], CONFIG["huawei_password"], CONFIG["huawei_temp_secret_key"],
               CONFIG["pai_eas_access_key_secret"]]
    marker = os.path.join(WORK, "marker.json")
    source = {"provider": "modelarts", "region": REGION, "filters": {"service_name": name},
              "ca_path": CONFIG["emulator_ca_cert"]}
    rulebook = [{
        "name": "Inference services that fail", "hosts": "all",
        "sources": [{"modelserving.cloud.service_status": {
            "sources": [source], "interval": "1", "changes": "status"}}],
        "rules": [{"name": "A service failed",
                   "condition": 'event.service_status.new_status == "failed"',
                   "actions": [{"print_event": {"pretty": True}},
                               {"run_playbook": {"name": os.path.join(HERE, "confirm.yml"), "extra_vars": {
                                   "marker": marker, "region": REGION, "service_name": name,
                                   "ca_path": CONFIG["emulator_ca_cert"]}}},
                               {"shutdown": {"message": "confirmed"}}]}],
    }]
    with open(os.path.join(WORK, "rulebook.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulebook, handle)
    inventory = os.path.join(WORK, "eda.inference_services.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"plugin": "modelserving.cloud.inference_services", "sources": [source]}, handle)
    env = {"PATH": os.pathsep.join((eda_bin, "/usr/local/bin", "/usr/bin", "/bin")), "HOME": os.environ["HOME"],
           "LANG": "C.UTF-8", "ANSIBLE_COLLECTIONS_PATH": collections, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
           "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true", "HTTPS_PROXY": EMU, "NO_PROXY": "",
           "HUAWEICLOUD_SDK_AK": CONFIG["huawei_access_key"], "HUAWEICLOUD_SDK_SK": CONFIG["huawei_secret_key"],
           "ANSIBLE_PYTHON_INTERPRETER": os.path.join(eda_bin, "python")}
    if os.environ.get("JAVA_HOME"):
        env["JAVA_HOME"] = os.environ["JAVA_HOME"]
    # The service fails once ansible-rulebook has had time to start and take its baseline.
    admin("transitions", {"transitions": [{"provider": "modelarts", "region": REGION, "service_name": name,
                                           "status": "failed", "after": 12}]})
    started = time.monotonic()
    try:
        with open(os.path.join(WORK, "rulebook.log"), "w+", encoding="utf-8") as log:
            proc = subprocess.run([os.path.join(eda_bin, "ansible-rulebook"), "--rulebook",
                                   os.path.join(WORK, "rulebook.yml"), "-i", inventory, "-vv"], cwd=WORK, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False)
            log.seek(0)
            output = log.read()
    finally:
        admin("transitions", {"transitions": [{"provider": "modelarts", "region": REGION, "service_name": name,
                                               "status": "running", "after": 0}]})
    print(output[-6000:])
    host = "%s.%s.modelarts" % (name, REGION)
    assert proc.returncode == 0, "ansible-rulebook exited with %d" % proc.returncode
    assert os.path.isfile(marker), "confirm.yml left no marker"
    with open(marker, encoding="utf-8") as handle:
        confirmed = json.load(handle)
    assert confirmed["host"] == host and confirmed["status"] == "failed", confirmed
    event = confirmed["event"]
    status = event["service_status"]
    assert event["meta"]["hosts"] == host and status["host"] == host, event
    assert (status["change"], status["old_status"], status["new_status"]) == ("status", "running", "failed"), status
    assert (status["provider"], status["region"], status["service_name"]) == ("modelarts", REGION, name), status
    assert status["service"]["service_id"] == status["service_id"] == target["service_id"], status
    assert "new_status" in output, "the printed event is not in the output"
    leaked = [secret[:4] + "..." for secret in secrets if secret in output]
    assert not leaked, "ansible-rulebook's output holds %s" % leaked
    print("eda: the event came, confirm.yml ran for %s, in %.0f s, no secret in the output" % (
        host, time.monotonic() - started))
    restart_from_event(eda_bin, env, secrets)
    bad_configuration(eda_bin, env, source)
    return 0


def cookbook(*captions: str) -> list[str]:
    """The files of the EDA guide's cookbook entry, by caption, as the page shows them."""
    root = collection_root()
    spec = importlib.util.spec_from_file_location("docs_suite", os.path.join(root, "tests", "tools", "docs_suite.py"))
    docs_suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(docs_suite)
    with open(os.path.join(root, "docs", "docsite", "rst", "eda.rst"), encoding="utf-8") as handle:
        files = {options.get("caption"): body for _language, options, body in docs_suite.code_blocks(handle.read())}
    return [files[caption] for caption in captions]


def restart_from_event(eda_bin: str, env: dict, secrets: list[str]) -> None:
    """The cookbook entry: a PAI-EAS service fails, the guide's rule runs the guide's playbook, which restarts it."""
    region = "cn-hangzhou"  # the emulator's main PAI-EAS region
    services = admin("fleet/pai_eas/%s" % region)["Services"]
    names = [s["ServiceName"] for s in services]
    target = next(s for s in services if s["Status"] == "Running" and s.get("SafetyLock") in (None, "none")
                  and names.count(s["ServiceName"]) == 1
                  and not any(n != s["ServiceName"] and s["ServiceName"] in n for n in names))
    name = target["ServiceName"]
    rulebook_text, playbook_text = cookbook("restart.rulebook.yml", "restart.yml")
    rulebook = yaml.safe_load(rulebook_text)
    source = {"provider": "pai_eas", "regions": [region], "filters": {"service_name": name},
              "ca_path": CONFIG["emulator_ca_cert"]}
    watch = rulebook[0]["sources"][0]["modelserving.cloud.service_status"]
    watch.update(sources=[source], interval=1)  # one service of the emulator's, polled every second
    rule = rulebook[0]["rules"][0]
    rule["actions"] = [rule.pop("action"), {"shutdown": {"message": "restarted"}}]
    with open(os.path.join(WORK, "restart.rulebook.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulebook, handle)
    playbook = yaml.safe_load(playbook_text)
    playbook[0]["tasks"][0]["modelserving.cloud.pai_eas_service"]["ca_path"] = CONFIG["emulator_ca_cert"]
    with open(os.path.join(WORK, "restart.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(playbook, handle)
    inventory = os.path.join(WORK, "restart.inference_services.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"plugin": "modelserving.cloud.inference_services", "sources": [source]}, handle)
    env = dict(env, ALIBABA_CLOUD_ACCESS_KEY_ID=CONFIG["pai_eas_access_key_id"],
               ALIBABA_CLOUD_ACCESS_KEY_SECRET=CONFIG["pai_eas_access_key_secret"])
    admin("stats/reset", {})
    admin("transitions", {"transitions": [{"provider": "pai_eas", "region": region, "service_name": name,
                                           "status": "Failed", "after": 12}]})
    started = time.monotonic()
    with open(os.path.join(WORK, "restart.log"), "w+", encoding="utf-8") as log:
        proc = subprocess.run([os.path.join(eda_bin, "ansible-rulebook"), "--rulebook", "restart.rulebook.yml",
                               "-i", inventory], cwd=WORK, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=TIMEOUT, check=False)
        log.seek(0)
        output = log.read()
    print(output[-4000:])
    assert proc.returncode == 0, "ansible-rulebook exited with %d" % proc.returncode
    restarts = [e for e in admin("stats")["log"] if e.get("action") == "RestartService"]
    assert [e["path"].rsplit("/", 2)[-2] for e in restarts] == [name], restarts
    status = next(s["Status"] for s in admin("fleet/pai_eas/%s" % region)["Services"] if s["ServiceName"] == name)
    assert status == "Running", "the service is %s after the restart" % status
    assert re.search(r" : ok=\d+ +changed=1 +unreachable=0 +failed=0 ", output), "the playbook's recap: no restart"
    leaked = [secret[:4] + "..." for secret in secrets if secret in output]
    assert not leaked, "ansible-rulebook's output holds %s" % leaked
    print("eda: the guide's rule restarted %s when it failed, in %.0f s; it runs again" % (
        name, time.monotonic() - started))


def bad_configuration(eda_bin: str, env: dict, source: dict) -> None:
    """A configuration error stops ansible-rulebook at start, saying what to fix."""
    misspelt = {"sources": [dict(source, provider="model-arts")], "interval": 1}
    rulebook = [{"name": "Misspelt", "hosts": "all",
                 "sources": [{"modelserving.cloud.service_status": misspelt}],
                 "rules": [{"name": "never", "condition": "event.service_status is defined",
                            "action": {"print_event": {}}}]}]
    path = os.path.join(WORK, "misspelt.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulebook, handle)
    proc = subprocess.run([os.path.join(eda_bin, "ansible-rulebook"), "--rulebook", path], cwd=WORK, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, "a misspelt provider did not stop ansible-rulebook:\n%s" % output[-3000:]
    assert "provider must be one of dataarts_fabric, modelarts, pai_eas, not 'model-arts' (did you mean modelarts?)" \
        in output, output[-3000:]
    print("eda: a misspelt provider stops ansible-rulebook at start, naming the fix")


if __name__ == "__main__":
    sys.exit(main())
