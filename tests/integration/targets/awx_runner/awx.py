# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An AWX inventory update and job run, done the way AWX does them: awx.py CONFIG WORKDIR.

The collection's credential types (extensions/awx/credential_types/) are rendered as AWX renders injectors (Jinja in
a sandbox, unset inputs as empty strings) into environment variables; ansible-runner then runs ansible-inventory
(an inventory source with "update on launch") and ansible-playbook (a job template) with those variables only.
Checks: the hosts and groups, the tasks' results, and that no secret appears in runner's stdout, events or artifacts.
Then the guide's job template that steers (docs/docsite/rst/awx.rst, scale.yml as written there, the emulator's
endpoints added to its module_defaults), limited to one service: as a check job (a diff, nothing sent), as a run (one
UpdateService of the instance count alone, through the role's temporary keys), and again to put the count back.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOTS = (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS", "")).split(":")
sys.path[:0] = ROOTS  # the collection's own declarations, imported as the installed collection
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import (  # noqa: E402 pylint: disable=wrong-import-position
    huawei_auth,
    pai_eas,
)

CONFIG = json.load(open(sys.argv[1], encoding="utf-8"))
WORK = sys.argv[2]
EMU = CONFIG["emulator_http_url"]
COLLECTION = next(os.path.join(root, "ansible_collections", "modelserving", "cloud") for root in ROOTS
                  if os.path.isdir(os.path.join(root, "ansible_collections", "modelserving", "cloud")))
TYPES = os.path.join(COLLECTION, "extensions", "awx", "credential_types")


def admin(route: str) -> dict:
    return request(route)


def request(route: str, body: dict | None = None) -> dict:
    import urllib.request  # pylint: disable=import-outside-toplevel
    sent = urllib.request.Request("%s/_emulator/%s" % (EMU, route), method="POST" if body is not None else "GET",
                                  data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(sent, timeout=30) as reply:  # nosec B310 - 127.0.0.1
        return json.load(reply)


def injected(type_file: str, inputs: dict, auth_options: dict) -> dict:
    """Render a credential type's injectors as AWX does; check it injects only what the collection reads."""
    with open(os.path.join(TYPES, type_file), encoding="utf-8") as handle:
        ctype = yaml.safe_load(handle)
    fields = {field["id"]: field for field in ctype["inputs"]["fields"]}
    assert ctype["kind"] == "cloud" and set(ctype["inputs"].get("required", [])) <= set(fields)
    assert set(fields) <= set(auth_options), set(fields) - set(auth_options)  # every input is an option
    for name, field in fields.items():  # secrets are marked so
        assert field.get("secret", False) == bool(auth_options[name].get("no_log")), name
    readable = {env: option for option, spec in auth_options.items() for env in spec.get("env") or []}
    env = ctype["injectors"]["env"]
    assert set(env) <= set(readable), set(env) - set(readable)  # only variables the collection reads
    assert {readable[name] for name in env} == set(fields)  # and one for every input
    sandbox = ImmutableSandboxedEnvironment()
    values = {name: inputs.get(name, "") for name in fields}
    return {name: sandbox.from_string(template).render(**values) for name, template in env.items()}


def no_secret(result: ansible_runner.Runner, secrets: list[str], where: str) -> None:
    """Nothing the run printed, emitted or wrote under artifacts holds a secret.

    Runner's own ``command`` file (mode 0600) records the environment it was given, credentials included, as it does
    in AWX; it is runner's record of its input, not something the collection wrote, so it is left out.
    """
    texts = [("stdout", result.stdout.read())]
    texts += [("event %s" % event.get("event"), json.dumps(event)) for event in result.events]
    artifacts = result.config.artifact_dir
    for folder, _dirs, files in os.walk(artifacts):
        for name in files:
            if folder == artifacts and name == "command":
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                texts.append((os.path.join(folder, name), handle.read()))
    for label, text in texts:
        leaked = [secret[:4] + "..." for secret in secrets if secret in text]
        assert not leaked, "%s: %s holds %s" % (where, label, leaked)


def temporary_keys_only(where: str, alibaba: bool = True, huawei: bool = True) -> None:
    """The credential's role and agency were assumed (the role's session name from the credential), and PAI-EAS and
    ModelArts saw their temporary keys only (of the families the run had credentials of)."""
    log = admin("stats")["log"]
    if alibaba:
        assumed = [e for e in log if e["provider"] == "sts"]
        assert assumed and all(e["status"] == 200 and e["query"]["RoleSessionName"] == "awx-job" for e in assumed), (
            where, assumed)
        listed = [e for e in log if e["provider"] == "pai_eas"]
        assert listed and all(e["credential"].startswith("STS.") for e in listed), (where, listed[:2])
    if huawei:
        agency = [e for e in log if e["path"] == "/v3.0/OS-CREDENTIAL/securitytokens"]
        modelarts = [e for e in log if e["path"].endswith("/services") and e["provider"] == "huawei"]
        assert agency and all(e["status"] == 201 for e in agency), (where, agency)
        assert modelarts and all(e["credential"] != CONFIG["huawei_access_key"] for e in modelarts), (
            where, modelarts[:2])
    request("stats/reset", {})


def run(private_data_dir: str, env: dict, **kwargs) -> ansible_runner.Runner:
    result = ansible_runner.interface.run(private_data_dir=private_data_dir, envvars=env, quiet=True, **kwargs)
    stdout = result.stdout.read()
    assert result.status == "successful" and result.rc == 0, stdout
    result.stdout.seek(0)
    return result


def main() -> int:
    request("stats/reset", {})  # the log of this target's requests only
    alibaba = injected("alibaba_cloud.yml", {
        "access_key_id": CONFIG["pai_eas_access_key_id"], "access_key_secret": CONFIG["pai_eas_access_key_secret"],
        "region": "cn-hangzhou", "role_arn": CONFIG["pai_eas_role_reader"], "role_session_name": "awx-job"},
        pai_eas.AUTH_OPTIONS)
    huawei = injected("huawei_cloud.yml", {
        "access_key": CONFIG["huawei_access_key"], "secret_key": CONFIG["huawei_secret_key"], "region": "cn-north-4",
        "iam_endpoint": EMU, "agency_name": CONFIG["huawei_agency"]["agency_name"],
        "agency_domain_name": CONFIG["huawei_agency"]["domain_name"]}, huawei_auth.AUTH_OPTIONS)
    fleet = admin("fleet/pai_eas")["Services"]
    secrets = [CONFIG["pai_eas_access_key_secret"], CONFIG["huawei_secret_key"]]
    secrets += [service["AccessToken"] for service in fleet]

    # The guide's inventory: one inventory source per cloud family, each with its file and its one credential (an AWX
    # inventory source takes one), as AWX runs inventory updates; AWX merges the two.
    alibaba_file = guide_inventory("inventories/prod-alibaba.inference_services.yml", {"sts_endpoint": EMU})
    huawei_file = guide_inventory("inventories/prod-huawei.inference_services.yml", {})
    listing, hosts = {}, {}
    for name, source_file, credential in (("alibaba", alibaba_file, alibaba), ("huawei", huawei_file, huawei)):
        part = inventory_update(name, source_file, credential)
        no_secret(part["result"], secrets, "inventory update (%s)" % name)
        temporary_keys_only("inventory update (%s)" % name, alibaba=name == "alibaba", huawei=name == "huawei")
        hosts.update(part["listing"]["_meta"]["hostvars"])
        for group, members in part["listing"].items():
            if group != "_meta":
                merged = listing.setdefault(group, {})
                for key in ("hosts", "children"):
                    merged[key] = sorted(set(merged.get(key, [])) | set(members.get(key, [])))
    modelarts = [s for s in admin("fleet/modelarts/cn-north-4")["services"] if s["workspace_id"] == "0"]
    assert len(hosts) == len(fleet) + len(modelarts), len(hosts)
    assert set(listing["provider_pai_eas"]["children"]) == {"pai_eas_cn_hangzhou"}
    assert set(listing["provider_modelarts"]["children"]) == {"modelarts_cn_north_4"}
    assert len(listing["pai_eas_cn_hangzhou"]["hosts"]) == len(fleet)
    both = {h.rsplit(".", 1)[1] for h in listing["status_running"]["hosts"]}
    assert both == {"pai_eas", "modelarts"}, both  # a group of the same name holds hosts of both families
    print("inventory: two sources, one credential each, merged: %d hosts, %d groups" % (len(hosts), len(listing)))
    # One file over both families with one credential: the source without one fails the update, named.
    mixed = os.path.join(WORK, "mixed.inference_services.yml")
    with open(mixed, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"plugin": "modelserving.cloud.inference_services", "strict_sources": True, "sources": [
            {"provider": "pai_eas", "endpoint": EMU, "sts_endpoint": EMU},
            {"provider": "modelarts", "endpoint": EMU}]}, handle)
    failed = inventory_update("mixed", mixed, alibaba, ok=False)
    text = failed["result"].stdout.read()
    assert failed["result"].status == "failed" and "source 1 (modelarts" in text and "no credentials given" in text, (
        text[-3000:])
    request("stats/reset", {})
    print("inventory: one file over both families with one credential fails, naming the source without one")

    # A job template: the credentials again only in the environment; module_defaults carry the endpoint.
    job = os.path.join(WORK, "job")
    os.makedirs(os.path.join(job, "project"))
    with open(os.path.join(job, "project", "list.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump([{
            "name": "List inference services", "hosts": "localhost", "gather_facts": False,
            "module_defaults": {"group/modelserving.cloud.pai_eas": {"endpoint": EMU, "sts_endpoint": EMU},
                                "group/modelserving.cloud.huaweicloud": {"endpoint": EMU}},
            "tasks": [
                {"name": "PAI-EAS", "modelserving.cloud.pai_eas_service_info": {"service_status": "running"},
                 "register": "eas"},
                {"name": "ModelArts", "modelserving.cloud.modelarts_service_info": {"max_results": 7},
                 "register": "ma"},
                {"name": "Both listed", "ansible.builtin.assert": {"that": [
                    "eas.services | length == %d" % len([s for s in fleet if s["Status"] == "Running"]),
                    "ma.services | length == 7"]}},
            ]}], handle)
    localhost = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory = {"all": {"hosts": {"localhost": localhost}}}
    env = dict(alibaba, **huawei)  # a job template takes a credential of each type
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    result = run(job, env, playbook="list.yml", inventory=inventory, verbosity=3)
    ok = [event for event in result.events if event.get("event") == "runner_on_ok"]
    assert len(ok) == 3, [event.get("event") for event in result.events]
    no_secret(result, secrets, "job")
    temporary_keys_only("job")
    print("job: %d tasks ok, no secret in %d events at -vvv" % (len(ok), len(list(result.events))))
    steering_job(env, alibaba_file, fleet, secrets)
    return 0


def guide_inventory(caption: str, extra: dict) -> str:
    """The guide's inventory file of that caption, its sources pointed at the emulator (its one region)."""
    data = yaml.safe_load(guide_file(caption))
    for source in data["sources"]:
        source.update(dict(extra, endpoint=EMU), regions=["cn-hangzhou" if source["provider"] == "pai_eas"
                                                          else "cn-north-4"])
    path = os.path.join(WORK, os.path.basename(caption))
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)
    return path


def inventory_update(name: str, source: str, credential: dict, ok: bool = True) -> dict:
    """An inventory update as AWX runs it: ansible-inventory with the one credential's environment."""
    update = os.path.join(WORK, "inventory_update_%s" % name)
    os.makedirs(os.path.join(update, "artifacts"))
    output = os.path.join(update, "artifacts", "output.json")
    with open(os.path.join(update, "args"), "w", encoding="utf-8") as handle:
        handle.write("ansible-inventory --list --export -i %s --output %s" % (source, output))
    env = dict(credential, ANSIBLE_INVENTORY_UNPARSED_FAILED="True", ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    if not ok:
        result = ansible_runner.interface.run(private_data_dir=update, envvars=env, quiet=True)
        return {"result": result}
    result = run(update, env)
    with open(output, encoding="utf-8") as handle:
        return {"result": result, "listing": json.load(handle)}


def guide_file(caption: str) -> str:
    """A file of the AWX guide, by its caption, as the page shows it."""
    spec = importlib.util.spec_from_file_location("docs_suite", os.path.join(COLLECTION, "tests", "tools",
                                                                             "docs_suite.py"))
    docs_suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(docs_suite)
    with open(os.path.join(COLLECTION, "docs", "docsite", "rst", "awx.rst"), encoding="utf-8") as handle:
        return next(body for _language, options, body in docs_suite.code_blocks(handle.read())
                    if options.get("caption") == caption)


def steering_job(env: dict, source: str, fleet: list, secrets: list) -> None:
    """The guide's scale.yml on one running, unlocked service of a workspace: check, run, run back."""
    target = next(s for s in fleet if s["Status"] == "Running" and s.get("SafetyLock") == "none" and s["WorkspaceId"]
                  and re.fullmatch(r"[a-z0-9_]+", s["ServiceName"]) and s["TotalInstance"] < 9)
    host = "%s.cn-hangzhou.pai_eas" % target["ServiceName"]
    count = target["TotalInstance"]
    play = yaml.safe_load(guide_file("scale.yml"))
    play[0]["module_defaults"]["group/modelserving.cloud.pai_eas"].update(endpoint=EMU, sts_endpoint=EMU)
    job = os.path.join(WORK, "steer")
    os.makedirs(os.path.join(job, "project"))
    with open(os.path.join(job, "project", "scale.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle)

    def launch(replicas: int, check: bool) -> list:
        request("stats/reset", {})
        result = run(job, env, playbook="scale.yml", inventory=source, limit=host, verbosity=3,
                     extravars={"workspace": target["WorkspaceId"], "replicas": replicas},
                     cmdline="--check --diff" if check else "--diff")
        changed = [e for e in result.events
                   if e.get("event") == "runner_on_ok" and e["event_data"]["res"].get("changed")]
        assert [e["event_data"]["host"] for e in changed] == [host], [e.get("event") for e in result.events]
        no_secret(result, secrets, "steering job")
        log = admin("stats")["log"]
        steered = [e for e in log if e["provider"] == "pai_eas" and e["method"] != "GET"]
        assert all(e["credential"].startswith("STS.") for e in log if e["provider"] == "pai_eas"), steered
        return [(e["action"], json.loads(e["body"])) for e in steered]

    assert launch(count + 1, check=True) == []  # a check job sends nothing
    assert launch(count + 1, check=False) == [("UpdateService", {"metadata": {"instance": count + 1}})]
    assert launch(count, check=False) == [("UpdateService", {"metadata": {"instance": count}})]
    print("steering job: %s checked (no write), scaled to %d and back to %d, no secret at -vvv" % (
        host, count + 1, count))


if __name__ == "__main__":
    sys.exit(main())
