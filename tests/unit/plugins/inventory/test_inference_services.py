# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory plugin on a real InventoryData: hosts, groups, host variables, names, configuration errors."""

from __future__ import annotations

import hashlib
import json
import types

import pytest
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template
except ImportError:  # before ansible-core 2.19 every string may be a template
    def trust_as_template(value):
        return value

from ansible_collections.modelserving.cloud.plugins.inventory import inference_services
from ansible_collections.modelserving.cloud.plugins.inventory.inference_services import InventoryModule
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.records import normalize

EAS = {"ServiceId": "eas-m-1", "ServiceName": "echo", "Status": "Running", "WorkspaceId": "123445",
       "Resource": "eas-r-pool-a", "Region": "cn-hangzhou", "Namespace": "echo", "InternetEndpoint": "http://x/echo",
       "Labels": [{"LabelKey": "app", "LabelValue": "chat"}], "ServiceConfig": '{"name": "echo"}'}


def plugin(**options):
    """The plugin as ansible-core loads it: its documented defaults (fragments included) plus ``options``."""
    module = inventory_loader.get("modelserving.cloud.inference_services")
    module.inventory = InventoryData()
    module.templar = Templar(loader=DataLoader())
    module.set_options(direct=dict({"plugin": "modelserving.cloud.inference_services", "sources": []}, **options))
    return module


def named(**options):
    """The plugin naming hosts by the bare service name, which most tests here read more easily."""
    return plugin(**dict({"hostnames": ["name"]}, **options))


def test_defaults_make_the_documented_inventory():
    """With no option but the sources: qualified host names, five kinds of groups, a local connection, no token."""
    inventory = populate(plugin(), record(AccessToken="live-token"))
    assert list(inventory.hosts) == ["echo.cn-hangzhou.pai_eas"]
    assert {"provider_pai_eas", "pai_eas_cn_hangzhou", "region_cn_hangzhou", "status_running", "workspace_123445",
            "resource_group_eas_r_pool_a"} <= set(inventory.groups)
    host_vars = inventory.hosts["echo.cn-hangzhou.pai_eas"].vars
    assert host_vars["ansible_connection"] == "local"
    assert "live-token" not in json.dumps(host_vars)


def test_a_host_name_does_not_change_when_another_region_or_account_is_listed():
    def names(module, *listings):
        module._populate([{"records": list(records)} for records in listings], {})  # pylint: disable=protected-access
        return {h.vars["service_id"]: h.name for h in module.inventory.hosts.values()}

    hangzhou = [record(), record(ServiceId="eas-m-2", ServiceName="two")]
    shanghai = [record(ServiceId="eas-m-9", Region="cn-shanghai")]  # the same name in another region
    alone = names(plugin(), hangzhou)
    assert alone == {"eas-m-1": "echo.cn-hangzhou.pai_eas", "eas-m-2": "two.cn-hangzhou.pai_eas"}
    together = names(plugin(), hangzhou, shanghai)
    assert {k: together[k] for k in alone} == alone and together["eas-m-9"] == "echo.cn-shanghai.pai_eas"
    # Bare names collide across regions; then every service of that name gets its ID, whichever was listed first.
    assert names(named(), shanghai, hangzhou) == names(named(), hangzhou, shanghai) == {
        "eas-m-1": "echo_eas-m-1", "eas-m-2": "two", "eas-m-9": "echo_eas-m-9"}


def record(**changes):
    return normalize(pai_eas.SPEC, dict(EAS, **changes), "cn-hangzhou")


def populate(module, *records):
    module._populate([{"source": 0, "provider": "pai_eas", "region": "cn-hangzhou",  # pylint: disable=protected-access
                       "records": list(records)}], {})
    return module.inventory


@pytest.mark.parametrize("name, ok", [
    ("prod.inference_services.yml", True), ("inference_services.yaml", True), ("x.inference_services.json", False),
    ("aws_ec2.yml", False), ("inference_services.yml.bak", False),
])
def test_verify_file(tmp_path, name, ok):
    path = tmp_path / name
    path.write_text("plugin: modelserving.cloud.inference_services\n")
    assert InventoryModule().verify_file(str(path)) is ok


def test_hosts_groups_and_vars():
    inventory = populate(named(), record(), record(ServiceId="eas-m-2", ServiceName="other", Status="Stopped",
                                                   WorkspaceId=""))
    assert sorted(inventory.hosts) == ["echo", "other"]
    groups = inventory.groups
    assert [g.name for g in groups["provider_pai_eas"].child_groups] == ["pai_eas_cn_hangzhou"]
    assert set(groups["provider_pai_eas"].get_hosts()) == {inventory.hosts["echo"], inventory.hosts["other"]}
    assert set(groups["pai_eas_cn_hangzhou"].hosts) == {inventory.hosts["echo"], inventory.hosts["other"]}
    assert [h.name for h in groups["status_running"].hosts] == ["echo"]
    assert [h.name for h in groups["workspace_123445"].hosts] == ["echo"]
    assert [h.name for h in groups["resource_group_eas_r_pool_a"].hosts] == ["echo", "other"]
    assert "region_cn_hangzhou" in groups
    host_vars = inventory.hosts["echo"].vars
    assert host_vars["ansible_connection"] == "local"
    assert host_vars["service_id"] == "eas-m-1" and host_vars["status"] == "running"
    assert host_vars["pai_eas_namespace"] == "echo" and "namespace" not in host_vars
    json.dumps(host_vars)  # the cache stores these records: they must serialize


def test_no_record_field_sets_a_connection_variable():
    inventory = populate(named(), record(AnsibleHost="evil.example", AnsiblePythonInterpreter="/tmp/evil",
                                         ansible_connection="ssh"))
    host_vars = inventory.hosts["echo"].vars
    assert not any(k.startswith("ansible_") for k in set(host_vars) - {"ansible_connection"})
    assert host_vars["ansible_connection"] == "local"
    assert host_vars["pai_eas_ansible_host"] == "evil.example"
    assert host_vars["pai_eas_ansible_python_interpreter"] == "/tmp/evil"


def test_group_by_hostvar_prefix_and_connection():
    inventory = populate(named(group_by=["status"], hostvar_prefix="eas_", connection="ssh"), record())
    assert "provider_pai_eas" not in inventory.groups and "status_running" in inventory.groups
    host_vars = inventory.hosts["echo"].vars
    assert host_vars["eas_service_id"] == "eas-m-1" and "service_id" not in host_vars
    assert host_vars["ansible_connection"] == "ssh"


def test_services_that_share_a_name_each_get_their_id(monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    inventory = populate(named(), record(), record(ServiceId="eas-m-2"), record(ServiceId="eas-m-3"),
                         record(ServiceId="eas-m-0", ServiceName="echo_eas-m-2"))
    assert sorted(inventory.hosts) == ["echo_eas-m-1", "echo_eas-m-2", "echo_eas-m-2_2", "echo_eas-m-3"]
    assert inventory.hosts["echo_eas-m-2"].vars["service_id"] == "eas-m-0"  # its own name, which it had first
    assert inventory.hosts["echo_eas-m-2_2"].vars["service_id"] == "eas-m-2"
    assert len(warnings) == 1 and "3 services share their host name with another service" in warnings[0]


def test_provider_parent_groups_per_region():
    module = named()
    module._populate([  # pylint: disable=protected-access
        {"records": [record(), record(ServiceId="eas-m-2", ServiceName="sh", Region="cn-shanghai")]},
        {"records": [dict(record(ServiceId="ma-1", ServiceName="ma"), provider="modelarts", region="cn-north-4")]},
    ], {})
    groups = module.inventory.groups
    assert sorted(g.name for g in groups["provider_pai_eas"].child_groups) == [
        "pai_eas_cn_hangzhou", "pai_eas_cn_shanghai"]
    assert [g.name for g in groups["provider_modelarts"].child_groups] == ["modelarts_cn_north_4"]
    assert sorted(h.name for h in groups["provider_pai_eas"].get_hosts()) == ["echo", "sh"]
    assert [h.name for h in groups["region_cn_north_4"].hosts] == ["ma"]


def test_hostname_name_and_control_characters():
    inventory = populate(plugin(hostnames=["name"]), record(ServiceName="bad\nname\x1b[31m"))
    assert list(inventory.hosts) == ["bad_name_[31m"]
    assert inventory.hosts["bad_name_[31m"].vars["service_name"] == "bad\nname\x1b[31m"


def test_hostnames_preference_and_templates():
    # Config files are trusted; a string written in a test must be made so, as the config loader does.
    inventory = populate(plugin(hostnames=["no_such_field", trust_as_template("{{ no_such_field }}-x"),
                                           trust_as_template("{{ provider }}-{{ service_id }}")]), record())
    assert list(inventory.hosts) == ["pai_eas-eas-m-1"]


def test_constructed_options():
    module = named(compose={"health_url": trust_as_template("endpoint")},
                   keyed_groups=[{"key": trust_as_template("labels"), "prefix": "label"}],
                   groups={"in_workspace": trust_as_template("workspace_id == '123445'")})
    inventory = populate(module, record())
    assert inventory.hosts["echo"].vars["health_url"] == "http://x/echo"
    assert "label_app_chat" in inventory.groups and "in_workspace" in inventory.groups


def test_constructed_work_is_counted_at_vvv(monkeypatch):
    """-vvv says how much of the constructed work was narrowed, reused, or made again from an earlier host's calls."""
    lines = []
    module = named(compose={"team": trust_as_template("labels.app | default('none')")},
                   keyed_groups=[{"key": trust_as_template("labels"), "prefix": "label"}],
                   groups={"chat": trust_as_template("labels.app == 'chat'")})
    monkeypatch.setattr(module, "_log", lines.append)
    inventory = populate(module, record(), record(ServiceId="eas-m-2", ServiceName="two"))
    assert inventory.groups["chat"].get_hosts() and len(inventory.groups["label_app_chat"].get_hosts()) == 2
    counted = [line for line in lines if line.startswith("constructed expressions:")]
    assert counted and "2 times a host's groups were made by the calls of an earlier host" in counted[0], lines


@pytest.mark.parametrize("source, text", [
    ({"provider": "nope"}, "provider must be one of dataarts_fabric, modelarts, pai_eas"),
    ({"provider": "pai_eas", "filters": {"color": "red"}}, "unknown filter(s) color; allowed:"),
    ({"provider": "pai_eas", "acces_key_id": "x"}, "unknown key(s) acces_key_id (did you mean access_key_id?)"),
    ({"provider": "pai_eas", "service_status": "Running"},
     "unknown key(s) service_status (did you mean filters: {service_status: ...}?)"),
    ({"provider": "modelarts", "region": "cn-north-4", "filters": {"status_": "running"}},
     "unknown filter(s) status_ (did you mean status?)"),
    ({"provider": "modelarts", "region": "cn-north-4", "filters": {"tags": {"app": "chat"}}},
     "filter tags takes a string, not a dictionary ({'app': 'chat'})"),
    ({"provider": "pai_eas", "region": "cn-hangzhou", "timeout": [1]},
     "argument 'timeout' is of type"),
    ({"provider": "pai_eas"}, "no region: set regions (a list) or region in the source, or the environment variable "
                              "ALIBABA_CLOUD_REGION_ID"),
    ({"provider": "dataarts_fabric", "region": "cn-north-4"}, "missing required arguments: workspace_id"),
    ({"provider": "pai_eas", "regions": "cn-hangzhou"}, "regions must be a list of region IDs (such as [cn-hangzhou]), "
                                                        "not a string"),
    ({"provider": "pai_eas", "regions": ["cn-hangzhou", {"a": 1}]},
     "regions must be a list of region IDs (such as [cn-hangzhou]); item 2 is a dictionary"),
])
def test_configuration_errors_name_the_source(monkeypatch, source, text):
    for name in ("ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(AnsibleParserError) as info:
        plugin(sources=[source])._jobs()  # pylint: disable=protected-access
    assert "sources[0]" in str(info.value) and text in str(info.value)


def key_material(monkeypatch, module, path="/x.inference_services.yml"):
    """The cache key of ``module``'s sources, and the text it is the digest of, caught on its way into SHA-256."""
    hashed = []

    def sha256(data=b""):
        hashed.append(data)
        return hashlib.sha256(data)

    with monkeypatch.context() as patch:
        patch.setattr(inference_services, "hashlib", types.SimpleNamespace(sha256=sha256))
        key = module._cache_key(path, module._jobs())  # pylint: disable=protected-access
    # The key is the plugin's key for the path and the start of the last digest taken: that of the material.
    assert key.endswith("_" + hashlib.sha256(hashed[-1]).hexdigest()[:24])
    return key, hashed[-1].decode("utf-8")


def test_jobs_per_region():
    module = plugin(sources=[{"provider": "pai_eas", "regions": ["cn-hangzhou", "cn-shanghai"],
                              "access_key_id": "AK", "access_key_secret": "TOPSECRET",
                              "filters": {"service_status": "Running"}}])
    jobs = module._jobs()  # pylint: disable=protected-access
    assert [job["params"]["region"] for job in jobs] == ["cn-hangzhou", "cn-shanghai"]
    assert jobs[0]["params"]["service_status"] == "Running" and jobs[0]["params"]["concurrency"] == 8


def test_the_cache_key_is_made_of_the_account_not_its_secret(monkeypatch):
    """A secret counts as set or unset in what the key is made from; the AccessKey ID names the account."""
    def source(**changes):
        return plugin(sources=[dict({"provider": "pai_eas", "regions": ["cn-hangzhou", "cn-shanghai"],
                                     "access_key_id": "AK", "access_key_secret": "TOPSECRET",
                                     "security_token": "STS-TOKEN", "filters": {"service_status": "Running"}},
                                    **changes)])

    key, material = key_material(monkeypatch, source())
    assert "TOPSECRET" not in material and "STS-TOKEN" not in material
    made_of = json.loads(material)
    assert [entry["params"]["region"] for entry in made_of] == ["cn-hangzhou", "cn-shanghai"]
    params = made_of[0]["params"]
    assert (params["access_key_id"], params["access_key_secret"], params["security_token"]) == ("AK", True, True)
    assert params["service_status"] == "Running"
    assert key_material(monkeypatch, source(access_key_id="AK2"))[0] != key
    assert key_material(monkeypatch, source(access_key_secret="OTHER-SECRET"))[0] == key  # the same account
    assert json.loads(key_material(monkeypatch, source(security_token=None))[1])[0]["params"]["security_token"] is False


def test_cache_key_tells_token_accounts_apart(monkeypatch):
    """An IAM token alone names its account: the key is made from its SHA-256 fingerprint, never from the token."""
    def key(token):
        return key_material(monkeypatch, plugin(sources=[{"provider": "modelarts", "region": "cn-north-4",
                                                          "auth_token": token, "project_name": "cn-north-4"}]))

    (key_a, material), (key_b, _material_b) = key("TOKEN-ACCOUNT-A"), key("TOKEN-ACCOUNT-B")
    assert key_a != key_b and key("TOKEN-ACCOUNT-A")[0] == key_a
    assert "TOKEN-ACCOUNT" not in material
    assert json.loads(material)[0]["params"]["auth_token"] == hashlib.sha256(b"TOKEN-ACCOUNT-A").hexdigest()


def test_cache_key_covers_the_query():
    """The cache holds each source's services after its query, so another query is another entry."""
    def key(top=None, **options):
        module = plugin(sources=[dict({"provider": "pai_eas", "region": "cn-hangzhou"}, **options)], query=top)
        return module._cache_key("/x.inference_services.yml", module._jobs())  # pylint: disable=protected-access

    for with_query in (lambda text: key(query=text), lambda text: key(top=text)):  # the source's, the top-level
        assert key() != with_query("[?status=='running']")
        assert with_query("[?status=='running']") != with_query("[?status=='stopped']")
        assert with_query("[?status=='running']") == with_query("[?status=='running']")


def test_remote_text_is_never_a_template():
    hostile = "{{ lookup('pipe', 'echo pwned') }}"
    module = plugin(hostnames=[trust_as_template("{{ service_name }}-x")],
                    compose={"copy": trust_as_template("service_name")})
    inventory = populate(module, record(ServiceName=hostile))
    assert list(inventory.hosts) == [hostile + "-x"]
    assert inventory.hosts[hostile + "-x"].vars["copy"] == hostile


def test_source_options_are_templated():
    module = plugin(sources=[{"provider": "pai_eas", "region": trust_as_template("{{ 'cn-' ~ 'hangzhou' }}"),
                              "access_key_id": trust_as_template("{{ 'AK' | lower }}"),
                              "filters": {"service_status": trust_as_template("{{ 'Run' ~ 'ning' }}")}}])
    jobs = module._jobs()  # pylint: disable=protected-access
    assert jobs[0]["params"]["region"] == "cn-hangzhou"
    assert jobs[0]["params"]["service_status"] == "Running"
    assert jobs[0]["params"]["access_key_id"] == "ak"


def test_region_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")
    jobs = plugin(sources=[{"provider": "pai_eas"}])._jobs()  # pylint: disable=protected-access
    assert jobs[0]["params"]["region"] == "cn-beijing"


def test_access_tokens_are_never_cached():
    module = plugin(include_access_token=True, cache=True, cache_plugin="ansible.builtin.jsonfile")
    with pytest.raises(AnsibleParserError, match="include_access_token and cache cannot be used together"):
        module._check_options("x", {})  # pylint: disable=protected-access
    plugin(include_access_token=True, cache=False)._check_options("x", {})  # pylint: disable=protected-access
    plugin(include_access_token=False, cache=True)._check_options("x", {})  # pylint: disable=protected-access


def test_overlapping_sources_give_each_service_once():
    module = named()
    module._populate([  # pylint: disable=protected-access
        {"records": [record(), record(ServiceId="eas-m-2", ServiceName="two")]},
        {"records": [record(ServiceName="echo-from-source-2"), record(ServiceId="eas-m-3", ServiceName="three")]},
    ], {})
    assert sorted(module.inventory.hosts) == ["echo", "three", "two"]
    module = named(sources=[{"provider": "pai_eas", "regions": ["cn-hangzhou", "cn-beijing", "cn-hangzhou"]}])
    jobs = module._jobs()  # pylint: disable=protected-access
    assert [job["params"]["region"] for job in jobs] == ["cn-hangzhou", "cn-beijing"]


def test_unknown_top_level_keys_are_named_with_what_to_write(tmp_path):
    """amazon.aws habits at the top of a file would list everything unfiltered: they are errors instead."""
    path = tmp_path / "prod.inference_services.yml"
    path.write_text("plugin: modelserving.cloud.inference_services\nsources: []\nregions: [cn-hangzhou]\n"
                    "hostvars_prefix: eas_\nkeyed_group: []\nexclude_filters: []\n")
    module = inventory_loader.get("modelserving.cloud.inference_services")
    with pytest.raises(AnsibleParserError) as info:
        module.parse(InventoryData(), DataLoader(), str(path), cache=False)
    text = str(info.value)
    assert str(path) in text
    assert "unknown key(s) exclude_filters (did you mean query, such as \"[?status!='stopped']\"?), " in text
    assert "hostvars_prefix (did you mean hostvar_prefix?), keyed_group (did you mean keyed_groups?), " in text
    assert "regions (did you mean sources[].regions?); allowed: " in text


def test_services_without_a_name_are_counted_in_one_warning(monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    inventory = populate(plugin(hostnames=["no_such_field"]), record(), record(ServiceId="eas-m-2"))
    assert sorted(inventory.hosts) == ["eas-m-1", "eas-m-2"]
    assert warnings == ["modelserving.cloud.inference_services: 2 services have no value for any entry of hostnames "
                        "(no_such_field), so they are named by their service ID, as eas-m-1 is"]


@pytest.mark.parametrize("entry, kind", [("labels", "a dictionary"), ("labels_raw", "a list"),
                                         (trust_as_template("{{ labels.keys() | list }}"), "a list")])
def test_a_name_that_is_not_a_string_is_refused(entry, kind):
    with pytest.raises(AnsibleParserError) as info:
        populate(plugin(hostnames=[entry]), record())
    assert "hostnames entry %r gives %s for service eas-m-1, not a name" % (str(entry), kind) in str(info.value)


def test_a_misnamed_file_meant_for_this_plugin_says_why_it_is_not_read(tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    mine, other = tmp_path / "prod.yml", tmp_path / "hosts.yml"
    mine.write_text("---\nplugin: 'modelserving.cloud.inference_services'\nsources: []\n")
    other.write_text("plugin: amazon.aws.aws_ec2\n")
    assert InventoryModule().verify_file(str(mine)) is False and InventoryModule().verify_file(str(other)) is False
    assert len(warnings) == 1 and "%s names this plugin, but only files whose names end in " % mine in warnings[0]


def test_group_values_of_any_shape_make_groups_once():
    """A remote value that is a list or a mapping still names a group (as text); each group is made and nested once."""
    module = named()
    inventory = populate(module, record(), record(ServiceId="eas-m-2", ServiceName="two", WorkspaceId=["w", 1]),
                         record(ServiceId="eas-m-3", ServiceName="three", Status={"odd": True}))
    text_named = {module._sanitize_group_name("workspace_%s" % (["w", 1],)),  # pylint: disable=protected-access
                  module._sanitize_group_name("status_%s" % str({"odd": True}).lower())}  # pylint: disable=protected-access
    assert text_named <= set(inventory.groups) and all(" " not in name for name in text_named)
    assert [g.name for g in inventory.groups["provider_pai_eas"].child_groups] == ["pai_eas_cn_hangzhou"]
    assert sorted(h.name for h in inventory.groups["pai_eas_cn_hangzhou"].get_hosts()) == ["echo", "three", "two"]


def parse_file(tmp_path, text):
    """parse() on a configuration file written as ``text``, as ansible-inventory calls it."""
    path = tmp_path / "prod.inference_services.yml"
    path.write_text("plugin: modelserving.cloud.inference_services\n" + text)
    module = inventory_loader.get("modelserving.cloud.inference_services")
    module.parse(InventoryData(), DataLoader(), str(path), cache=False)
    return module


@pytest.mark.parametrize("text, message", [
    ("regions: [cn-hangzhou]\n",
     "regions is a key of each entry of sources, not of the inventory file: did you mean sources[].regions?"),
    ("provider: pai_eas\nregion: cn-hangzhou\nfilters: {service_status: Running}\n",
     "provider, region and filters are keys of each entry of sources, not of the inventory file: did you mean "
     "sources[].provider, sources[].region and sources[].filters?"),
    ("service_status: Running\n", "service_status is a filter of each entry of sources, not a key of the inventory "
                                  "file: did you mean sources[].filters.service_status?"),
    ("sources:\nregions: [cn-hangzhou]\n",  # sources given empty (null): the same
     "regions is a key of each entry of sources, not of the inventory file: did you mean sources[].regions?"),
    ("keyed_groups: []\n", "sources is required: a list of sources, each with a provider and its regions, such as "
                           "sources: [{provider: pai_eas, regions: [cn-hangzhou]}]"),
])
def test_source_keys_without_sources_are_named_before_the_required_option(tmp_path, text, message):
    """Without sources, ansible-core would only say "Required config 'sources'": the collection says what to write."""
    with pytest.raises(AnsibleParserError) as info:
        parse_file(tmp_path, text)
    assert str(info.value) == "%s: %s" % (tmp_path / "prod.inference_services.yml", message)


def test_top_level_connection_options_are_not_taken_for_source_keys(tmp_path):
    """timeout is an option of the file as well as of a source: only sources is missing."""
    with pytest.raises(AnsibleParserError, match="sources is required: "):
        parse_file(tmp_path, "timeout: 5\nquery: \"[?status=='running']\"\n")


TAG_NAME = ("hostnames entry 'tag:Name' gives no name, as service records have no tags: use \"{{ labels.Name }}\" "
            "(records carry labels, a dictionary) or service_name")


@pytest.mark.parametrize("hostnames, message", [
    (["tag:Name"], TAG_NAME),
    (["tag:Name", "service_name"], TAG_NAME),
    (["tag:app.kubernetes.io/name=x,Owner"],
     "hostnames entry 'tag:app.kubernetes.io/name=x,Owner' gives no name, as service records have no tags: use "
     "\"{{ labels['app.kubernetes.io/name'] }}\" (records carry labels, a dictionary) or service_name"),
    (["tag:items"], "hostnames entry 'tag:items' gives no name, as service records have no tags: use \"{{ "
                    "labels['items'] }}\" (records carry labels, a dictionary) or service_name"),  # not dict.items
])
def test_an_amazon_tag_in_hostnames_is_an_error_when_strict(hostnames, message):
    with pytest.raises(AnsibleParserError) as info:
        plugin(hostnames=hostnames, strict=True)._check_options("x", {})  # pylint: disable=protected-access
    assert str(info.value) == message


def test_an_amazon_tag_in_hostnames_is_a_warning_with_the_same_hint_when_not_strict(monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    module = plugin(hostnames=["tag:Name"])
    module._check_options("x", {})  # pylint: disable=protected-access
    inventory = populate(module, record())
    assert list(inventory.hosts) == ["eas-m-1"]  # as before: named by its service ID
    assert warnings[0] == "modelserving.cloud.inference_services: " + TAG_NAME
    assert len(warnings) == 2 and "1 services have no value for any entry of hostnames (tag:Name)" in warnings[1]
    # What the hint says to write names the host by its label Name.
    named_by_label = record(Labels=[{"LabelKey": "Name", "LabelValue": "chat-bot"}])
    assert list(populate(plugin(hostnames=[trust_as_template("{{ labels.Name }}")]), named_by_label).hosts) == [
        "chat-bot"]


@pytest.mark.parametrize("key, hint", [("tags.Team", "labels.Team"), ("tags['Team']", "labels['Team']"),
                                       ("tags", "labels"), (" tags | dict2items", "labels | dict2items")])
def test_a_keyed_group_of_tags_is_an_error_when_strict(key, hint):
    module = plugin(keyed_groups=[{"key": "status"}, {"key": key, "prefix": "team"}], strict=True)
    with pytest.raises(AnsibleParserError) as info:
        module._check_options("x", {})  # pylint: disable=protected-access
    assert str(info.value) == ("keyed_groups key %r makes no group, as service records have no tags: use %s (records "
                               "carry labels, a dictionary)" % (key, hint))


def test_a_keyed_group_of_tags_is_a_warning_with_the_same_hint_when_not_strict(monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    module = plugin(keyed_groups=[{"key": trust_as_template("tags.Team"), "prefix": "team"}], hostvar_prefix="x_")
    module._check_options("x", {})  # pylint: disable=protected-access
    assert warnings == ["modelserving.cloud.inference_services: keyed_groups key 'tags.Team' makes no group, as "
                        "service records have no tags: use x_labels.Team (records carry labels, a dictionary)"]
    inventory = populate(module, record())
    assert not [name for name in inventory.groups if name.startswith("team")]  # as before: no group, no error
    module = plugin(keyed_groups=[{"key": trust_as_template("x_labels.app"), "prefix": "team"}], hostvar_prefix="x_")
    assert "team_chat" in populate(module, record()).groups  # what the hint says to write makes the group


def test_keys_named_like_tags_but_not_tags_are_left_alone(monkeypatch):
    warnings = []
    monkeypatch.setattr(inference_services.display, "warning", warnings.append)
    plugin(hostnames=["tagline", "service_name"], keyed_groups=[{"key": "tags_count"}, {"key": "labels.tags"}],
           strict=True)._check_options("x", {})  # pylint: disable=protected-access
    # A variable named tags that compose makes is the user's own.
    module = plugin(compose={"tags": "labels"}, keyed_groups=[{"key": "tags.Team"}], strict=True)
    module._check_options("x", {})  # pylint: disable=protected-access
    assert not warnings
