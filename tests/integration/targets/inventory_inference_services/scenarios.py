# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Inventory behaviour through the real ansible-inventory, against the emulator: scenarios.py CONFIG WORKDIR [NAME...].

Each scenario writes a configuration, runs ansible-inventory (only this plugin enabled, an unreadable configuration
an error), drives the emulator's admin API (fleet, faults, request log) and checks what a user sees: hosts, host
variables, groups, warnings and errors. What is expected comes from the emulator's own fleet, never from the plugin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import typing as t
import urllib.request

from plain_json import plain

CONFIG = json.load(open(sys.argv[1], encoding="utf-8"))
WORK = sys.argv[2]
EMU = CONFIG["emulator_http_url"]
ENV = dict(os.environ, ANSIBLE_INVENTORY_ENABLED="modelserving.cloud.inference_services",
           ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_FORCE_COLOR="0", NO_PROXY="127.0.0.1")
for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
    ENV.pop(name, None)

PAI = {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": EMU,
       "access_key_id": CONFIG["pai_eas_access_key_id"], "access_key_secret": CONFIG["pai_eas_access_key_secret"]}
MODELARTS = {"provider": "modelarts", "region": "cn-north-4", "endpoint": EMU, "iam_endpoint": EMU,
             "access_key": CONFIG["huawei_access_key"], "secret_key": CONFIG["huawei_secret_key"]}
FLEET = {"seed": 41, "pai_eas_services": 120, "modelarts_services": 60, "fabric_instances": 30}


def admin(route: str, body: dict | None = None) -> dict:
    request = urllib.request.Request("%s/_emulator/%s" % (EMU, route), method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:  # nosec B310 - the emulator on 127.0.0.1
        return json.load(reply)


def faults(*items: dict) -> None:
    admin("faults", {"faults": list(items)})


def requests_made() -> int:
    return admin("stats")["requests"]


def inventory(name: str, config: dict, *args: str, ok: bool = True, env: dict | None = None) -> tuple[dict, str]:
    """Write ``<name>.inference_services.yml``, run ansible-inventory --list on it: (plain JSON, what it printed).

    The JSON goes to a file (--output), so that what the command printed (stdout, where -v lines go, and stderr) is
    all diagnostics.
    """
    path = os.path.join(WORK, "%s.inference_services.yml" % name)
    output = os.path.join(WORK, "%s.json" % name)
    if os.path.exists(output):
        os.remove(output)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dict({"plugin": "modelserving.cloud.inference_services"}, **config), handle, indent=2)  # JSON is YAML
    run = subprocess.run(["ansible-inventory", "-i", path, "--list", "--output", output] + list(args),
                         env=dict(ENV, **(env or {})),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    with open(os.path.join(WORK, "%s.log" % name), "a", encoding="utf-8") as log:
        log.write(run.stdout)
    assert "Traceback" not in run.stdout, run.stdout
    if not ok:
        assert run.returncode != 0, "%s: ansible-inventory should have failed" % name
        return {}, folded(run.stdout)
    assert run.returncode == 0, "%s: ansible-inventory failed:\n%s" % (name, run.stdout)
    with open(output, encoding="utf-8") as handle:
        return plain(json.load(handle)), folded(run.stdout)


def folded(text: str) -> str:
    """Older cores wrap warnings at 80 columns: fold all white space to one space before matching."""
    return re.sub(r"\s+", " ", text)


def hostvars(listing: dict) -> dict:
    return listing["_meta"]["hostvars"]


def of(listing: dict, provider: str) -> dict:
    return {name: v for name, v in hostvars(listing).items() if v["provider"] == provider}


def eas_fleet() -> list:
    return admin("fleet/pai_eas")["Services"]


def modelarts_fleet() -> list:
    """The services ModelArts lists without filters: those of the default workspace, "0"."""
    return [s for s in admin("fleet/modelarts/cn-north-4")["services"] if s["workspace_id"] == "0"]


def cached(name: str, timeout: int = 3600) -> dict:
    """Cache options with a folder of their own, emptied first."""
    folder = os.path.join(WORK, name)
    shutil.rmtree(folder, ignore_errors=True)
    return {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": folder,
            "cache_timeout": timeout}


# -- scenarios --------------------------------------------------------------------------------------------------
def partial_listing_is_not_cached() -> None:
    """A lenient inventory whose source fails caches nothing; the next run lists the recovered source."""
    config = dict({"sources": [PAI, dict(MODELARTS, max_retries=0)], "strict_sources": False},
                  **cached("cache_partial"))
    faults({"provider": "huawei", "kind": "http_error", "count": 1, "status": 503})
    admin("stats/reset", {})
    first, err = inventory("partial", config)
    assert admin("stats")["injected"] == {"http_error": 1}, "the failing source was not read"
    assert "skipped source 1 (modelarts, region cn-north-4)" in err, err
    assert "1 of 2 source regions failed, so this run's listing was not written to the cache" in err, err
    assert not of(first, "modelarts") and len(of(first, "pai_eas")) == len(eas_fleet())
    faults()
    admin("stats/reset", {})
    second, err = inventory("partial", config)
    assert requests_made() > 0, "the second run read the cache that should not have been written"
    assert sorted(v["service_id"] for v in of(second, "modelarts").values()) == sorted(
        s["service_id"] for s in modelarts_fleet())
    admin("stats/reset", {})
    third, _err = inventory("partial", config)
    assert requests_made() == 0 and third == second  # the complete listing was cached


def cache_expires_and_a_changed_config_reads_again() -> None:
    config = dict({"sources": [PAI]}, **cached("cache_expiry", timeout=2))
    inventory("expiry", config)
    admin("stats/reset", {})
    inventory("expiry", config)
    assert requests_made() == 0, "a fresh cache entry was not used"
    time.sleep(3)
    inventory("expiry", config)
    assert requests_made() > 0, "an expired cache entry was used"
    admin("stats/reset", {})
    changed, _err = inventory("expiry", dict(config, sources=[dict(PAI, filters={"service_status": "Stopped"})]))
    assert requests_made() > 0, "a changed filter read the old entry"
    assert {v["status"] for v in hostvars(changed).values()} == {"stopped"}


def query_top_level_and_per_source() -> None:
    running = [s for s in eas_fleet() if s["Status"] == "Running"]
    listing, _err = inventory("query", {"sources": [PAI, MODELARTS], "query": "[?status=='running']"})
    assert sorted(v["service_id"] for v in of(listing, "pai_eas").values()) == sorted(s["ServiceId"] for s in running)
    assert {v["status"] for v in hostvars(listing).values()} == {"running"}
    assert of(listing, "modelarts")
    listing, _err = inventory("query_source", {"sources": [PAI, dict(MODELARTS, query="[?status=='stopped']")],
                                               "query": "[?status=='running']"})
    assert {v["status"] for v in of(listing, "modelarts").values()} == {"stopped"}  # the source's own wins
    assert len(of(listing, "modelarts")) == len([s for s in modelarts_fleet() if s["status"] == "stopped"])
    assert len(of(listing, "pai_eas")) == len(running)


def extra_vars_template_sources_and_override_compose() -> None:
    config = {"sources": [dict(PAI, region="{{ emu_region }}", filters={"service_status": "{{ emu_status }}"})],
              "use_extra_vars": True, "compose": {"svc_status": "status", "svc_team": "emu_team"}}
    listing, _err = inventory("extra", config, "-e", "emu_region=cn-hangzhou", "-e", "emu_status=Stopped",
                              "-e", "emu_team=blue", "-e", "status=overridden")
    stopped = {s["ServiceId"] for s in eas_fleet() if s["Status"] == "Stopped"}
    assert {v["service_id"] for v in hostvars(listing).values()} == stopped
    assert {v["svc_team"] for v in hostvars(listing).values()} == {"blue"}, hostvars(listing)
    svc_status = {v["svc_status"] for v in hostvars(listing).values()}
    assert svc_status == {"overridden"}, svc_status  # extra vars win in compose, as in ansible-core's constructed
    _listing, err = inventory("extra_off", dict(config, use_extra_vars=False), "-e", "emu_region=cn-hangzhou",
                              ok=False)
    assert "emu_region" in err, err


def access_tokens_only_when_asked_and_never_logged() -> None:
    tokens = {s["ServiceId"]: s["AccessToken"] for s in eas_fleet()}
    listing, err = inventory("tokens", {"sources": [PAI], "include_access_token": True}, "-vvv")
    assert {v["service_id"]: v["access_token"] for v in hostvars(listing).values()} == tokens
    leaked = [token for token in tokens.values() if token in err]
    assert not leaked, "%d access tokens in the -vvv output" % len(leaked)
    assert CONFIG["pai_eas_access_key_secret"] not in err
    listing, _err = inventory("no_tokens", {"sources": [PAI]})
    assert not any("access_token" in v for v in hostvars(listing).values())


def constructed_strict() -> None:
    config = {"sources": [PAI], "compose": {"broken": "no_such_var + 1"}}
    _listing, err = inventory("strict", dict(config, strict=True), ok=False)
    assert "no_such_var" in err, err
    listing, _err = inventory("lenient", dict(config, strict=False))
    assert hostvars(listing) and not any("broken" in v for v in hostvars(listing).values())


def hostnames_fall_back_to_the_service_id() -> None:
    listing, out = inventory("by_id", {"sources": [PAI], "hostnames": ["no_such_field"]})
    assert sorted(hostvars(listing)) == sorted(s["ServiceId"] for s in eas_fleet())
    assert "%d services have no value for any entry of hostnames (no_such_field), so they are named by their " \
           "service ID" % len(eas_fleet()) in out, out
    _listing, out = inventory("by_labels", {"sources": [PAI], "hostnames": ["labels"]}, ok=False)
    assert "hostnames entry 'labels' gives a dictionary for service" in out, out


def the_example_ansible_cfg_makes_a_broken_inventory_fail() -> None:
    """docs/examples/ansible.cfg: without it ansible-core warns and goes on with no hosts; with it, the run fails."""
    dead = dict(PAI, endpoint="http://127.0.0.1:9", max_retries=0)
    env = {name: value for name, value in ENV.items() if not name.startswith("ANSIBLE_INVENTORY_")}
    path = os.path.join(WORK, "broken.inference_services.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"plugin": "modelserving.cloud.inference_services", "sources": [dead]}, handle)
    roots = (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS", "")).split(":")
    example = next(candidate for candidate in (os.path.join(root, "ansible_collections", "modelserving", "cloud",
                                                            "docs", "examples", "ansible.cfg") for root in roots)
                   if os.path.isfile(candidate))
    plain = subprocess.run(["ansible-inventory", "-i", path, "--list"], env=env, capture_output=True, text=True,
                           timeout=120, check=False)
    assert plain.returncode == 0, plain.stderr  # what users get without the setting: success...
    assert json.loads(plain.stdout)["_meta"]["hostvars"] == {}  # ...and no hosts
    strict = subprocess.run(["ansible-inventory", "-i", path, "--list"], env=dict(env, ANSIBLE_CONFIG=example),
                            capture_output=True, text=True, timeout=120, check=False)
    assert strict.returncode != 0, strict.stdout
    assert "cannot reach 127.0.0.1:9" in folded(strict.stderr), strict.stderr


def per_source_details_page_size_and_max_results() -> None:
    admin("stats/reset", {})
    listing, _err = inventory("per_source", {"sources": [dict(PAI, page_size=7),
                                                         dict(MODELARTS, details=True, max_results=5)]})
    log = admin("stats")["log"]
    sizes = {entry["query"].get("PageSize") for entry in log if entry["path"] == "/api/v2/services"}
    assert sizes == {"7"}, sizes
    assert len(of(listing, "pai_eas")) == len(eas_fleet())
    modelarts = of(listing, "modelarts")
    assert len(modelarts) == 5
    assert all(v["endpoint"].startswith("https://") for v in modelarts.values())  # from the detail API
    details = [entry for entry in log if re.search(r"/services/[^/]+$", entry["path"])]
    assert len(details) == 5


def list_kept_changing_warning() -> None:
    faults({"provider": "pai_eas", "kind": "insert_after_page", "page": 1, "count": 3})
    _listing, err = inventory("changing", {"sources": [dict(PAI, page_size=50)]})
    assert admin("stats")["injected"].get("insert_after_page") == 3
    assert "The list kept changing while it was read (3 passes)" in err, err
    faults()


def config_mistakes_are_named() -> None:
    """Habits from other inventories and wrong shapes fail naming what to write, before any request."""
    admin("stats/reset", {})
    cases = [
        ({"sources": [PAI], "regions": ["cn-hangzhou"], "hostvars_prefix": "x_", "filters": {"status": "running"}},
         ["unknown key(s) filters (did you mean sources[].filters?), hostvars_prefix (did you mean hostvar_prefix?), "
          "regions (did you mean sources[].regions?); allowed:"]),
        ({"sources": [dict(MODELARTS, filters={"tags": {"app": "chat"}})]},
         ["sources[0] (modelarts): filter tags takes a string, not a dictionary"]),
        ({"sources": [dict(PAI, status="Running")]},
         ["sources[0] (pai_eas): unknown key(s) status (did you mean filters: {service_status: ...}?)"]),
        ({"sources": [dict(PAI, timeout=[1])]},
         ["sources[0] (pai_eas): argument 'timeout' is of type list and we were unable to convert to float"]),
        # No sources at all: the collection's words, not ansible-core's "Required config 'sources'".
        ({"regions": ["cn-hangzhou"], "filters": {"service_status": "Running"}},
         ["regions and filters are keys of each entry of sources, not of the inventory file: did you mean "
          "sources[].regions and sources[].filters?"]),
        ({"hostnames": ["tag:Name"], "strict": True, "sources": [PAI]},
         ["hostnames entry 'tag:Name' gives no name, as service records have no tags: use \"{{ labels.Name }}\" "
          "(records carry labels, a dictionary) or service_name"]),
        ({"keyed_groups": [{"key": "tags['Team']", "prefix": "team"}], "strict": True, "sources": [PAI]},
         ["keyed_groups key \"tags['Team']\" makes no group, as service records have no tags: use labels['Team'] "
          "(records carry labels, a dictionary)"]),
    ]
    for number, (config, texts) in enumerate(cases):
        _listing, out = inventory("mistake%d" % number, config, ok=False)
        for text in texts:
            assert text in out, (text, out)
        assert "_Ansible" not in out and "<class" not in out and "Required config" not in out, out
    assert requests_made() == 0


def amazon_habits_warn_without_strict() -> None:
    """Without strict, tag:Name and tags.Team keep naming hosts by ID and making no group, with the same hint."""
    listing, out = inventory("habits", {"sources": [PAI], "hostnames": ["tag:Name"],
                                        "keyed_groups": [{"key": "tags.Team", "prefix": "team"}]})
    assert sorted(hostvars(listing)) == sorted(s["ServiceId"] for s in eas_fleet())
    assert not [name for name in listing if name.startswith("team")]
    for text in ("hostnames entry 'tag:Name' gives no name, as service records have no tags: use \"{{ labels.Name }}\" "
                 "(records carry labels, a dictionary) or service_name",
                 "keyed_groups key 'tags.Team' makes no group, as service records have no tags: use labels.Team "
                 "(records carry labels, a dictionary)"):
        assert text in out, (text, out)


def source_keys_without_sources_are_named_by_default_plugins_too() -> None:
    """With ansible-core's default plugins and unparsed_is_failed off, the run goes on, but the collection says why."""
    path = os.path.join(WORK, "no_sources.inference_services.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("plugin: modelserving.cloud.inference_services\nregions: [cn-hangzhou]\n")
    env = {name: value for name, value in ENV.items() if not name.startswith("ANSIBLE_INVENTORY_")}
    run = subprocess.run(["ansible-inventory", "-i", path, "--list"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert run.returncode == 0 and json.loads(run.stdout)["_meta"]["hostvars"] == {}, run.stderr
    err = folded(run.stderr)
    assert "%s: regions is a key of each entry of sources, not of the inventory file: did you mean " \
           "sources[].regions?" % path in err, err
    assert "Required config" not in err and "Traceback" not in err, err


def one_vocabulary_across_providers() -> None:
    """Lower-case statuses filter every provider; labels group every provider; host names are stable."""
    listing, _err = inventory("vocabulary", {
        "sources": [dict(PAI, filters={"service_status": "running"}), dict(MODELARTS, filters={"status": "RUNNING"})],
        "keyed_groups": [{"key": "labels", "prefix": "label"}],
        # The recipe of docs/docsite/rst/inventory.rst.
        "compose": {"service_url": "endpoint", "ansible_host": "endpoint | urlsplit('hostname')"}})
    running = {s["ServiceId"] for s in eas_fleet() if s["Status"] == "Running"}
    assert {v["service_id"] for v in of(listing, "pai_eas").values()} == running
    assert {v["status"] for v in hostvars(listing).values()} == {"running"}
    groups = {name: set(group.get("hosts", [])) for name, group in listing.items() if name != "_meta"}
    chat = groups.get("label_app_chat", set())
    assert {hostvars(listing)[host]["provider"] for host in chat} == {"pai_eas", "modelarts"}, chat
    assert all(v["labels"]["app"] == "chat" for host, v in hostvars(listing).items() if host in chat)
    assert all(v["ansible_host"] == "127.0.0.1" and v["service_url"] == v["endpoint"]
               for v in of(listing, "pai_eas").values())
    assert all(v["ansible_host"] is None for v in of(listing, "modelarts").values())  # no endpoint without details
    names = {v["service_id"]: host for host, v in of(listing, "pai_eas").items()}
    sample = sorted(names)[0]
    assert names[sample] == "%s.cn-hangzhou.pai_eas" % hostvars(listing)[names[sample]]["service_name"]
    wider, _err = inventory("vocabulary_wider", {"sources": [
        dict(PAI, filters={"service_status": "running"}), dict(MODELARTS, filters={"status": "RUNNING"}),
        dict(PAI, region="cn-shanghai", endpoint=None, ca_path=CONFIG["emulator_ca_cert"])]},
        env={"HTTPS_PROXY": EMU, "NO_PROXY": ""})
    assert {v["service_id"]: host for host, v in of(wider, "pai_eas").items() if v["region"] == "cn-hangzhou"} == names
    unknown, err = inventory("vocabulary_unknown", {"sources": [dict(PAI, filters={"service_status": "Runing"})]})
    assert "service_status 'Runing' is not a value the API document lists" in err and not hostvars(unknown)


def misnamed_file_says_why() -> None:
    path = os.path.join(WORK, "prod.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("plugin: modelserving.cloud.inference_services\nsources: []\n")
    run = subprocess.run(["ansible-inventory", "-i", path, "--list"], env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=120, check=False)
    assert run.returncode != 0
    assert "names this plugin, but only files whose names end in inference_services.yml" in folded(run.stdout), \
        run.stdout


def a_role_per_source_with_temporary_keys_only() -> None:
    """Each source assumes its own RAM role (STS through the proxy, under the real host names); every listing is
    signed with that role's temporary keys, never the base keys; a refused role names itself and the base key."""
    through_proxy = {"endpoint": None, "ca_path": CONFIG["emulator_ca_cert"]}
    reader = dict(PAI, role_arn=CONFIG["pai_eas_role_reader"], **through_proxy)
    other = dict(PAI, region="cn-shanghai", role_arn=CONFIG["pai_eas_role_other_account"],
                 role_external_id=CONFIG["pai_eas_role_external_id"], role_session_name="second-account",
                 **through_proxy)
    proxy = {"HTTPS_PROXY": EMU, "NO_PROXY": ""}
    listing, _err = inventory("roles", {"sources": [reader, other]}, env=proxy)
    assert {v["region"] for v in of(listing, "pai_eas").values()} == {"cn-hangzhou", "cn-shanghai"}
    log = admin("stats")["log"]
    assumed = [e for e in log if e["provider"] == "sts"]
    assert sorted(e["role"] for e in assumed) == sorted([reader["role_arn"], other["role_arn"]]), assumed
    assert all(e["status"] == 200 and e["host"].startswith("sts.aliyuncs.com") for e in assumed), assumed
    listed = [e for e in log if e["provider"] == "pai_eas"]
    assert listed and all(e["status"] == 200 and e["credential"].startswith("STS.") for e in listed), listed
    by_region = {e["region"]: e["credential"] for e in listed}
    assert by_region["cn-hangzhou"] != by_region["cn-shanghai"], by_region  # each source its own role's keys
    # Without the external ID the role's trust policy asks for: STS refuses, and the message says which role and
    # which base key, and nothing secret.
    refused = dict(other)
    del refused["role_external_id"]
    _listing, err = inventory("roles_refused", {"sources": [refused]}, ok=False, env=proxy)
    assert ("assume RAM role %s with AccessKey %s" % (other["role_arn"], PAI["access_key_id"])) in err, err
    assert "NoPermission" in err and "HTTP 403" in err and PAI["access_key_secret"] not in err, err


AGENCY = {"agency_name": CONFIG["huawei_agency"]["agency_name"],
          "agency_domain_name": CONFIG["huawei_agency"]["domain_name"]}


def roles_and_agencies_in_one_inventory() -> None:
    """A RAM role for PAI-EAS, an agency for ModelArts and one for DataArts Fabric: every listing request is signed
    with temporary keys; the base keys only called STS and IAM."""
    fabric = dict(MODELARTS, provider="dataarts_fabric", filters={"workspace_id": "ws-0001"}, **AGENCY)
    listing, _err = inventory("roles_agencies", {"sources": [
        dict(PAI, role_arn=CONFIG["pai_eas_role_reader"], sts_endpoint=EMU), dict(MODELARTS, **AGENCY), fabric]})
    assert {v["provider"] for v in hostvars(listing).values()} == {"pai_eas", "modelarts", "dataarts_fabric"}
    assert len(of(listing, "modelarts")) == len(modelarts_fleet())
    log = admin("stats")["log"]
    base = {PAI["access_key_id"], MODELARTS["access_key"]}
    for entry in log:
        if entry["provider"] == "sts" or entry["path"] in ("/v3.0/OS-CREDENTIAL/securitytokens", "/v3/auth/domains"):
            assert entry["credential"] in base and entry["status"] in (200, 201), entry
        else:  # listing, and the project lookup, with the role's or the agency's keys
            assert entry["credential"] not in base and entry["status"] == 200, entry
    assert sum(1 for e in log if e["path"] == "/v3.0/OS-CREDENTIAL/securitytokens") == 1  # one session, shared
    refused = dict(MODELARTS, agency_name="not-an-agency", agency_domain_name=AGENCY["agency_domain_name"])
    _listing, err = inventory("agency_refused", {"sources": [refused]}, ok=False)
    assert "assume agency not-an-agency of account %s with AK %s" % (
        AGENCY["agency_domain_name"], MODELARTS["access_key"]) in err and "HTTP 404" in err, err
    assert MODELARTS["secret_key"] not in err


def the_rest_of_the_alibaba_chain_from_the_environment() -> None:
    """No keys at all: a Kubernetes service account's OIDC token file (RRSA) with the role, a credentials URI, each
    from the environment variables the official chain reads, and the aliyun CLI's profiles; an expired token names
    the file and the role."""
    token_file = os.path.join(WORK, "oidc-token")
    with open(token_file, "w", encoding="utf-8") as handle:
        handle.write(admin("oidc/token", {"ttl": 600})["token"])
    keyless = {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": EMU, "sts_endpoint": EMU}
    rrsa = {"ALIBABA_CLOUD_ROLE_ARN": CONFIG["pai_eas_role_reader"], "ALIBABA_CLOUD_OIDC_TOKEN_FILE": token_file,
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": CONFIG["pai_eas_oidc_provider"]}
    listing, _err = inventory("oidc", {"sources": [keyless]}, env=rrsa)
    assert len(of(listing, "pai_eas")) == len(eas_fleet())
    log = admin("stats")["log"]
    assert [e["action"] for e in log if e["provider"] == "sts"] == ["AssumeRoleWithOIDC"], log[:3]
    assert all(e["credential"].startswith("STS.") for e in log if e["provider"] == "pai_eas")
    with open(token_file, "w", encoding="utf-8") as handle:
        handle.write(admin("oidc/token", {"ttl": -60})["token"])
    _listing, err = inventory("oidc_expired", {"sources": [keyless]}, ok=False, env=rrsa)
    assert "assume RAM role %s with the OIDC token of %s" % (CONFIG["pai_eas_role_reader"], token_file) in err, err
    assert "AuthenticationFail.OIDCToken.Expired" in err, err
    admin("stats/reset", {})
    uri = {"ALIBABA_CLOUD_CREDENTIALS_URI": "%s/credentials-uri?role=%s" % (EMU, CONFIG["pai_eas_role_reader"])}
    listing, _err = inventory("credentials_uri", {"sources": [keyless]}, env=uri)
    assert len(of(listing, "pai_eas")) == len(eas_fleet())
    log = admin("stats")["log"]
    assert [e["provider"] for e in log if e["provider"] != "pai_eas"] == ["credentials_uri"], log[:3]
    assert all(e["credential"].startswith("STS.") for e in log if e["provider"] == "pai_eas")
    _listing, err = inventory("no_credentials", {"sources": [keyless]}, ok=False)
    assert "no credentials given" in err and "ALIBABA_CLOUD_OIDC_TOKEN_FILE" in err, err
    # The aliyun CLI's profiles, in ~/.aliyun/config.json: the current one assumes a role with its keys, another
    # named by ALIBABA_CLOUD_PROFILE is plain keys.
    home = os.path.join(WORK, "home")
    os.makedirs(os.path.join(home, ".aliyun"), exist_ok=True)
    keys = {"access_key_id": PAI["access_key_id"], "access_key_secret": PAI["access_key_secret"]}
    with open(os.path.join(home, ".aliyun", "config.json"), "w", encoding="utf-8") as handle:
        json.dump({"current": "ops", "profiles": [
            dict(keys, name="ops", mode="RamRoleArn", ram_role_arn=CONFIG["pai_eas_role_reader"],
                 ram_session_name="aliyun-cli-profile", region_id="cn-hangzhou"),
            dict(keys, name="plain", mode="AK")]}, handle)
    admin("stats/reset", {})
    listing, _err = inventory("cli_profile", {"sources": [keyless]}, env={"HOME": home})
    assert len(of(listing, "pai_eas")) == len(eas_fleet())
    log = admin("stats")["log"]
    assumed = [e for e in log if e["provider"] == "sts"]
    assert [(e["credential"], e["query"]["RoleSessionName"]) for e in assumed] == [
        (PAI["access_key_id"], "aliyun-cli-profile")], assumed
    assert all(e["credential"].startswith("STS.") for e in log if e["provider"] == "pai_eas")
    admin("stats/reset", {})
    inventory("cli_profile_named", {"sources": [keyless]}, env={"HOME": home, "ALIBABA_CLOUD_PROFILE": "plain"})
    assert {e["credential"] for e in admin("stats")["log"]} == {PAI["access_key_id"]}


def huawei_credentials_from_files() -> None:
    """No credentials in the source: the SDK's credentials file in HOME, then (OS_CLOUD) a clouds.yaml entry whose
    password, account, IAM endpoint and region the source takes."""
    home = os.path.join(WORK, "home-huawei")
    os.makedirs(os.path.join(home, ".huaweicloud"), exist_ok=True)
    with open(os.path.join(home, ".huaweicloud", "credentials"), "w", encoding="utf-8") as handle:
        handle.write("[basic]\nak = %s\nsk = %s\niam_endpoint = %s\n" % (
            MODELARTS["access_key"], MODELARTS["secret_key"], EMU))
    keyless = {"provider": "modelarts", "region": "cn-north-4", "endpoint": EMU}
    listing, _err = inventory("huawei_file", {"sources": [keyless]}, env={"HOME": home})
    assert len(of(listing, "modelarts")) == len(modelarts_fleet())
    assert {e["credential"] for e in admin("stats")["log"]} == {MODELARTS["access_key"]}
    clouds = os.path.join(WORK, "clouds.yaml")
    with open(clouds, "w", encoding="utf-8") as handle:
        json.dump({"clouds": {"ml": {"region_name": "cn-north-4", "auth": {
            "auth_url": EMU + "/v3", "username": CONFIG["huawei_username"], "password": CONFIG["huawei_password"],
            "user_domain_name": CONFIG["huawei_domain_name"]}}}}, handle)  # JSON is YAML
    admin("stats/reset", {})
    regionless = {"provider": "modelarts", "endpoint": EMU}
    listing, _err = inventory("huawei_clouds_yaml", {"sources": [regionless]},
                              env={"HOME": home, "OS_CLOUD": "ml", "OS_CLIENT_CONFIG_FILE": clouds})
    assert len(of(listing, "modelarts")) == len(modelarts_fleet())
    assert {v["region"] for v in hostvars(listing).values()} == {"cn-north-4"}
    log = admin("stats")["log"]
    assert [e["path"] for e in log][:1] == ["/v3/auth/tokens"] and all(e["auth"] == "token" for e in log[1:]), log[:3]
    _listing, err = inventory("huawei_clouds_yaml_missing", {"sources": [regionless]}, ok=False,
                              env={"OS_CLOUD": "nope", "OS_CLIENT_CONFIG_FILE": clouds})
    assert "has no cloud 'nope' (clouds: ml)" in err, err


METADATA_SOURCES = [{"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": EMU, "instance_metadata": True},
                    {"provider": "modelarts", "region": "cn-north-4", "endpoint": EMU, "iam_endpoint": EMU,
                     "instance_metadata": True}]


def instance_metadata_of_both_clouds() -> None:
    """On an ECS instance (in a network namespace, the emulator's metadata services at the real addresses, port 80):
    the Alibaba RAM role's keys and the Huawei instance's AK/SK, each with a session token first."""
    listing, _err = inventory("metadata", {"sources": METADATA_SOURCES})
    assert len(of(listing, "pai_eas")) == len(eas_fleet()) and len(of(listing, "modelarts")) == len(modelarts_fleet())
    log = admin("stats")["log"]
    asked = [(e["method"], e["path"], e["with_token"], e["address"], e["host"])
             for e in log if e["provider"] == "metadata"]
    alibaba, huawei = ("100.100.100.200:80", "100.100.100.200"), ("169.254.169.254:80", "169.254.169.254")
    assert sorted(asked) == sorted([
        ("PUT", "/latest/api/token", False) + alibaba,
        ("GET", "/latest/meta-data/ram/security-credentials/", True) + alibaba,
        ("GET", "/latest/meta-data/ram/security-credentials/inventory-reader", True) + alibaba,
        ("PUT", "/meta-data/latest/api/token", False) + huawei,
        ("GET", "/openstack/latest/securitykey", True) + huawei]), asked
    issued = {e["credential"] for e in log if e["provider"] == "metadata" and e["credential"]}
    listed = {e["credential"] for e in log if e["provider"] in ("pai_eas", "huawei")}
    assert listed == issued and len(issued) == 2, (listed, issued)
    # The listing APIs stay where the sources say, on the loopback address.
    assert {e["address"].rsplit(":", 1)[0] for e in log if e["provider"] != "metadata"} == {"127.0.0.1"}, log[-1]


def no_instance_metadata_is_an_error_within_seconds() -> None:
    """Where the metadata addresses accept connections and never answer (in a network namespace), either cloud's
    source fails within seconds, never the 30 s of a request timeout, naming the metadata address that did not answer.
    """
    for source, address in zip(METADATA_SOURCES, ("100.100.100.200", "169.254.169.254")):
        with socket.socket() as silent:  # accepts connections, never answers
            silent.bind((address, 80))
            silent.listen(8)
            started = time.monotonic()
            _listing, err = inventory("metadata_absent_%s" % source["provider"], {"sources": [source]}, ok=False)
            took = time.monotonic() - started
            silent.settimeout(0.1)
            try:
                silent.accept()[0].close()
            except TimeoutError:
                raise AssertionError("nothing connected to %s:80: %s" % (address, err)) from None
        assert "instance metadata at http://%s" % address in err and "no reply from %s" % address in err, err
        assert took < 20, took  # ansible-inventory's own start included
        assert "not an ECS instance" in err and "Set project_id" not in err, err


def in_a_network_namespace(scenario: t.Callable[[], None], serve_metadata: bool) -> None:
    """Run ``scenario`` by netns.py in a network namespace of its own (``unshare --net``), where the instance
    metadata addresses are on lo: a test that needs root, and fails without it rather than skip."""
    if os.geteuid() != 0:
        raise AssertionError("needs root, to make a network namespace where the instance metadata addresses are "
                             "(unshare --net, ip addr add): run the integration tests as root, as CI does")
    unshare = shutil.which("unshare") or shutil.which("unshare", path="/usr/bin:/bin")
    assert unshare, "no `unshare` command: install util-linux"
    here = os.path.dirname(os.path.abspath(__file__))
    run = subprocess.run([unshare, "--net", sys.executable, os.path.join(here, "netns.py"),
                          "--host-namespace", os.readlink("/proc/self/ns/net")]
                         + (["--serve-metadata"] if serve_metadata else [])
                         + [sys.argv[1], WORK, scenario.__name__],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    with open(os.path.join(WORK, "%s.netns.log" % scenario.__name__), "w", encoding="utf-8") as log:
        log.write(run.stdout)
    assert run.returncode == 0 and "ok %s" % scenario.__name__ in run.stdout, "in a network namespace:\n" + run.stdout


def temporary_keys_are_refreshed_before_they_expire() -> None:
    """Keys that last 4 s, listings that take longer (latency on each of many pages): the plugin assumes the role
    and the agency again before their keys expire (a third of their life ahead), and no request is refused."""
    admin("sts", {"ttl": 4})
    admin("iam/agencies", {"ttl": 4})
    faults({"kind": "latency", "ms": 200})  # 24 and 30 pages one after the other: 5 and 6 s
    sources = [dict(PAI, role_arn=CONFIG["pai_eas_role_reader"], sts_endpoint=EMU, page_size=5),
               dict(MODELARTS, page_size=2, **AGENCY)]
    try:
        listing, _err = inventory("refresh", {"sources": sources, "concurrency": 1})
    finally:
        faults({"kind": "latency", "ms": 0})  # a reset keeps the latency
    assert len(of(listing, "pai_eas")) == len(eas_fleet()) and len(of(listing, "modelarts")) == len(modelarts_fleet())
    log = admin("stats")["log"]
    assumed = [e for e in log if e["provider"] == "sts"]
    listed = [e for e in log if e["provider"] == "pai_eas"]
    assert len(assumed) >= 2 and all(e["status"] == 200 for e in assumed + listed), (assumed, listed[-3:])
    assert len({e["credential"] for e in listed}) == len(assumed) >= 2
    agency = [e for e in log if e["path"] == "/v3.0/OS-CREDENTIAL/securitytokens"]
    pages = [e for e in log if e["path"].endswith("/services")]
    assert len(agency) >= 2 and all(e["status"] == 200 for e in pages), (agency, pages[-3:])


SCENARIOS = [
    a_role_per_source_with_temporary_keys_only, roles_and_agencies_in_one_inventory,
    the_rest_of_the_alibaba_chain_from_the_environment, huawei_credentials_from_files, instance_metadata_of_both_clouds,
    no_instance_metadata_is_an_error_within_seconds, temporary_keys_are_refreshed_before_they_expire,
    config_mistakes_are_named, one_vocabulary_across_providers, misnamed_file_says_why, partial_listing_is_not_cached,
    cache_expires_and_a_changed_config_reads_again, query_top_level_and_per_source,
    extra_vars_template_sources_and_override_compose, access_tokens_only_when_asked_and_never_logged,
    constructed_strict, hostnames_fall_back_to_the_service_id, the_example_ansible_cfg_makes_a_broken_inventory_fail,
    per_source_details_page_size_and_max_results, list_kept_changing_warning, amazon_habits_warn_without_strict,
    source_keys_without_sources_are_named_by_default_plugins_too,
]


# Scenarios that run in a network namespace of their own (netns.py), and whether its emulator serves the metadata.
NAMESPACED = {instance_metadata_of_both_clouds: True, no_instance_metadata_is_an_error_within_seconds: False}


def main() -> int:
    chosen = sys.argv[3:]
    failed = 0
    for scenario in SCENARIOS:
        if chosen and scenario.__name__ not in chosen:
            continue
        try:
            if scenario in NAMESPACED and not CONFIG.get("network_namespace"):
                in_a_network_namespace(scenario, NAMESPACED[scenario])
            else:
                admin("reset", FLEET)
                scenario()
        except AssertionError as exc:
            failed += 1
            print("FAILED %s: %s" % (scenario.__name__, exc), flush=True)
        else:
            print("ok %s" % scenario.__name__, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
