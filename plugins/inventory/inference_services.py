# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: inference_services
short_description: Inference services of PAI-EAS, ModelArts and DataArts Fabric as hosts
version_added: 0.1.0
description:
  - Lists the services of any mix of providers, regions and accounts, with the same clients, filters, retries and
    paging as the C(*_service_info) modules, and makes each service a host.
  - Hosts are grouped by provider, region, status, workspace and resource group, and can be grouped further with
    O(keyed_groups), O(groups) and O(compose).
  - Every value that comes from an API is untrusted data, never evaluated as a template; a service whose name holds
    a Jinja expression keeps that text as its name and runs nothing.
  - Every value of O(sources) may be a template, evaluated with the extra variables and lookups; host variables are
    shaped with O(compose), not with O(query).
  - The configuration file name must end in C(inference_services.yml) or C(inference_services.yaml).
author:
  - modelserving.cloud maintainers (@modelserving)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - modelserving.cloud.connection
  - modelserving.cloud.connection.listing
  - modelserving.cloud.sources
options:
  plugin:
    description: The name of this plugin.
    type: str
    required: true
    choices: [modelserving.cloud.inference_services]
  group_by:
    description:
      - Which default groups to make, each named C(<kind>_<value>) and sanitized, such as C(status_running),
        C(region_cn_north_4) or C(workspace_123445).
      - V(provider) makes one parent group per provider, C(provider_<provider>), whose children are that provider's
        regions, C(<provider>_<region>) (such as C(modelarts_cn_north_4)), which hold its hosts. C(region_<region>)
        holds the hosts of every provider in that region.
    type: list
    elements: str
    choices: [provider, region, status, workspace, resource_group]
    default: [provider, region, status, workspace, resource_group]
  hostnames:
    description:
      - How to name hosts, in order of preference. An entry is a field of the service record (such as
        V(service_name) or V(service_id); V(name) is V(service_name)), V(qualified_name), or a template evaluated
        with the record as variables, such as V({{ provider }}-{{ service_id }}); the first that gives a non-empty
        name is used (a template that uses a field the record lacks gives none). A service for which no entry gives
        a name is named by its service ID, and one warning counts such services.
      - V(qualified_name), the default, is C(<service_name>.<region>.<provider>), such as C(echo.cn-hangzhou.pai_eas);
        a service keeps its host name when other regions, providers or sources are added to the inventory. Set
        V([name]) for the bare service name, if your services have names unique across all sources.
      - When services share a name (with the default, only services of the same name in the same region and
        provider, from two accounts or DataArts Fabric workspaces), each of them is named C(<name>_<service_id>);
        one warning counts them and C(-vv) shows each. No other service's name depends on what else is listed.
      - An entry that gives a list or a dictionary (such as V(labels)) is an error, not a host name.
      - An C(amazon.aws) tag entry such as V(tag:Name) names no service, since services have C(labels) (a dictionary)
        and no tags; it is an error with O(strict) and a warning without, each saying to write V({{ labels.Name }}) or
        V(service_name) instead. So is a O(keyed_groups) key of C(tags), such as V(tags.Team), which would make no
        group; write V(labels.Team) instead.
      - Control characters in a name (a newline, an escape sequence) are replaced by C(_); the host variables keep
        the names as the API gave them.
    type: list
    elements: str
    default: [qualified_name]
  hostvar_prefix:
    description:
      - A prefix for the name of every host variable that comes from a service record.
      - Fields named like a name Ansible reserves (PAI-EAS C(namespace), C(tags), C(environment)...) or starting
        with C(ansible_) are renamed C(<provider>_<field>), such as C(pai_eas_namespace), so that no API value
        hides a keyword or sets a connection variable.
    type: str
    default: ""
  connection:
    description: The C(ansible_connection) of every host.
    type: str
    default: local
  include_access_token:
    description:
      - Keep PAI-EAS service access tokens in the host variables (as C(access_token)). They are left out by default.
      - Live tokens are never written to an inventory cache; this option cannot be combined with O(cache).
    type: bool
    default: false
  strict_sources:
    description:
      - When V(true), a source that fails (bad credentials, unreachable) fails the whole inventory, naming it.
        When V(false), the other sources are kept and a warning names the failed one.
      - A listing that lacks a failed source is never written to the cache (a warning says so); the next run
        reads every source again.
    type: bool
    default: true
"""

EXAMPLES = r"""
# inference_services.yml: PAI-EAS in two regions and ModelArts, credentials from the environment
plugin: modelserving.cloud.inference_services
sources:
  - provider: pai_eas
    regions: [cn-hangzhou, cn-shanghai]
    filters:
      service_status: Running
  - provider: modelarts
    regions: [cn-north-4]
    filters:
      infer_type: real-time
keyed_groups:
  - key: labels
    prefix: label

# Open Telekom Cloud ModelArts with an IAM user, and DataArts Fabric workspaces
plugin: modelserving.cloud.inference_services
sources:
  - provider: modelarts
    cloud: otc
    regions: [eu-de]
    username: "{{ lookup('env', 'OTC_USER') }}"
    password: "{{ lookup('env', 'OTC_PASSWORD') }}"
    domain_name: OTC-EU-DE-00000000001000000001
  - provider: dataarts_fabric
    regions: [cn-north-4]
    filters:
      workspace_id: ws-0001
      type: LLM_MODEL
hostnames:
  - "{{ provider }}-{{ service_name }}"
compose:
  ansible_host: endpoint
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/inference_services_cache
cache_timeout: 600
"""

import hashlib
import json
import re
import typing as t
from collections.abc import Mapping

from ansible import constants as C
from ansible.errors import AnsibleParserError, AnsibleUndefinedVariable
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display
from ansible.utils.vars import combine_vars, load_extra_vars
from ansible.vars.reserved import get_reserved_names
from jinja2.defaults import DEFAULT_NAMESPACE

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import (
    PROVIDERS,
    argument_spec,
    collection_paused,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.records import (
    CONTROL,
    qualified_name,
    unique,
    unique_names,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import (
    CONNECTION_KEYS,
    list_jobs,
    type_name,
    unknown_keys,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import jobs as source_jobs
from ansible_collections.modelserving.cloud.plugins.plugin_utils.constructed import compile_once, construct
from ansible_collections.modelserving.cloud.plugins.plugin_utils.inventory_mistakes import (
    tag_habits,
    top_level_hints,
    without_sources,
)
from ansible_collections.modelserving.cloud.plugins.plugin_utils.narrowed import NarrowedCompose, narrow
from ansible_collections.modelserving.cloud.plugins.plugin_utils.unsafe import make_unsafe

display = Display()
GROUP_FIELDS = {"provider": "provider", "region": "region", "status": "status", "workspace": "workspace_id",
                "resource_group": "resource_group"}
HOSTNAME_ALIASES = {"name": "service_name"}
# ansible-core 2.17+ counts the template globals among its reserved names; a host variable named like one hides it
# on 2.16 too, so they are renamed on every core (a record's variables have the same names everywhere).
TEMPLATE_GLOBALS = frozenset(DEFAULT_NAMESPACE) | {"lookup", "query", "q", "now", "undef", "omit"}
OURS = re.compile(r"[\"']?plugin[\"']?\s*:\s*[\"']?modelserving\.cloud\.inference_services\b")


class InventoryModule(NarrowedCompose, BaseInventoryPlugin, Constructable, Cacheable):
    """Services as hosts; see DOCUMENTATION."""

    NAME = "modelserving.cloud.inference_services"

    def verify_file(self, path: str) -> bool:
        if not super().verify_file(path):
            return False
        if path.endswith(("inference_services.yml", "inference_services.yaml")):
            return True
        # ansible-core would only say "could not be verified": say why, when the file is meant for this plugin.
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            return False
        if OURS.search(head):
            display.warning("%s: %s names this plugin, but only files whose names end in inference_services.yml or "
                            "inference_services.yaml are read: rename it, such as prod.inference_services.yml" % (
                                self.NAME, path))
        return False

    def parse(self, inventory: t.Any, loader: t.Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._check_sources_given(path)
        config = self._read_config_data(path)
        self._check_options(path, config)
        extra = load_extra_vars(loader) if self.get_option("use_extra_vars") else {}
        self.templar.available_variables = extra
        jobs = self._jobs()
        key = self._cache_key(path, jobs)
        use_cache = self.get_option("cache") and cache
        with collection_paused():  # the listing's records, then the hosts made of them
            listings = None
            if use_cache:
                try:
                    listings = self._cache[key]
                except KeyError:
                    pass
            if listings is None:
                listings, failed = self._fetch(jobs)
                if self.get_option("cache") and failed:
                    # A listing known to lack a source is never cached: the next run reads every source again.
                    display.warning("%s: %d of %d source regions failed, so this run's listing was not written to "
                                    "the cache; the next run reads every source again" % (self.NAME, failed,
                                                                                          len(jobs)))
                elif self.get_option("cache"):
                    self._cache[key] = listings
            self._populate(listings, extra)

    # -- configuration ------------------------------------------------------------------------------------------
    def _check_sources_given(self, path: str) -> None:
        """Without sources, say what to write before ansible-core's "Required config 'sources'" does."""
        try:
            raw = self.loader.load_from_file(path, cache=False)  # uncached, as _read_config_data reads it
        except Exception:  # pylint: disable=broad-exception-caught
            return  # _read_config_data says what is wrong with the file
        if not isinstance(raw, Mapping) or raw.get("sources") is not None or raw.get("plugin") not in (
                getattr(self, "_redirected_names", None) or [self.NAME]):
            return
        options = C.config.get_configuration_definitions("inventory", self._load_name) or {}
        raise AnsibleParserError(without_sources(path, raw, options))

    def _check_options(self, path: str, config: dict[str, t.Any]) -> None:
        # ansible-core ignores keys no option has: habits from other plugins (regions, filters at the top) would
        # list everything, unfiltered, without a word.
        try:
            unknown_keys(path, config, self._options, hints=top_level_hints())
        except ConfigError as exc:
            raise AnsibleParserError(exc.message) from None
        if self.get_option("include_access_token") and self.get_option("cache"):
            raise AnsibleParserError("include_access_token and cache cannot be used together: the cache would keep "
                                     "live service access tokens in %s. Turn one of them off" % (
                                         self.get_option("cache_plugin")))
        for habit in tag_habits(self.get_option("hostnames"), self.get_option("keyed_groups"),
                                self.get_option("compose"), self.get_option("hostvar_prefix")):
            if self.get_option("strict"):
                raise AnsibleParserError(habit)
            display.warning("%s: %s" % (self.NAME, habit))

    def _jobs(self) -> list[dict[str, t.Any]]:
        """Template every source, validate it and expand it into one job per region: {source, provider, params}."""
        raw = self.get_option("sources") or []
        sources = [self.templar.template(source) if isinstance(source, dict) else source for source in raw]
        defaults = {k: self.get_option(k) for k in CONNECTION_KEYS + ("include_access_token",)}
        try:
            return source_jobs(sources, defaults, self.get_option("query"))
        except ConfigError as exc:
            raise AnsibleParserError(exc.message) from None

    def _cache_key(self, path: str, jobs: list[dict[str, t.Any]]) -> str:
        """Everything that changes the cached listings (account, region, endpoint, filters, query), never a secret.

        A secret counts as set or unset, since a non-secret option names the account (AccessKey ID, user name);
        but a Huawei ``auth_token`` alone names it, so it counts by its SHA-256 fingerprint.
        """
        public = []
        for job in jobs:
            provider = PROVIDERS[job["provider"]]
            spec = argument_spec(provider)
            entry = {}
            for k, v in sorted(job["params"].items()):
                if spec.get(k, {}).get("no_log"):
                    identifies = provider.AUTH_OPTIONS.get(k, {}).get("identifies") and v
                    v = hashlib.sha256(str(v).encode("utf-8")).hexdigest() if identifies else bool(v)
                entry[k] = v
            entry["_identity"] = provider.cache_identity(job["params"])  # keys from a file the options do not name
            public.append({"provider": job["provider"], "params": entry, "query": job["query"]})
        digest = hashlib.sha256(json.dumps(public, sort_keys=True, default=str).encode("utf-8")).hexdigest()
        return "%s_%s" % (self.get_cache_key(path), digest[:24])

    # -- fetching -----------------------------------------------------------------------------------------------
    def _fetch(self, jobs: list[dict[str, t.Any]]) -> tuple[list[dict[str, t.Any]], int]:
        """List every source and region with one pool of ``concurrency`` threads, which their pages share.

        :returns: the listings of the sources that answered, and how many failed (skipped: ``strict_sources`` off).
        """
        listings, failed = [], 0
        for job, records, error, warnings in list_jobs(
                jobs, self.get_option("concurrency"), log=self._log,
                warn=lambda job, text: display.warning("%s: source %d: %s" % (self.NAME, job["source"], text))):
            params = job["params"]
            if error is not None:
                failed += 1
                where = "region %s" % params["region"] if params.get("region") else "endpoint %s" % params["endpoint"]
                message = "source %d (%s, %s): %s" % (job["source"], job["provider"], where, error)
                if isinstance(error, ConfigError) and error.operation == "apply query":
                    message += ". In an inventory, shape host variables with compose"
                if self.get_option("strict_sources"):
                    raise AnsibleParserError(message)
                display.warning("%s: skipped %s" % (self.NAME, message))
                continue
            for warning in warnings:
                display.warning("%s: %s" % (self.NAME, warning))
            display.v("%s: %d services from source %d (%s, %s)" % (
                self.NAME, len(records), job["source"], job["provider"], params.get("region")))
            listings.append({"source": job["source"], "provider": job["provider"], "region": params.get("region"),
                             "records": records})
        return listings, failed

    def _log(self, line: str) -> None:
        display.vvv("%s: %s" % (self.NAME, line))

    # -- hosts and groups ---------------------------------------------------------------------------------------
    def _populate(self, listings: list[dict[str, t.Any]], extra: dict[str, t.Any]) -> None:
        # hostnames, compose, groups, keyed_groups: each expression compiled once a run, on the cores that allow it
        compile_once(self.templar, log=self._log)
        expressions = narrow(self)  # each expression with only the variables it names, once per distinct values
        records = self._unique([r for listing in listings for r in listing["records"] if isinstance(r, dict)])
        reserved = get_reserved_names() | TEMPLATE_GLOBALS
        prefix = self.get_option("hostvar_prefix") or ""
        strict = self.get_option("strict")
        unnamed: list[str] = []
        clashes: list[str] = []
        names = self._names(records, unnamed, clashes)
        group_by = self.get_option("group_by")
        compose, composed_groups = self.get_option("compose"), self.get_option("groups")
        keyed_groups = self.get_option("keyed_groups")
        groups: dict[tuple[str, str, str | None], str] = {}
        renamed: dict[tuple[t.Any, ...], list[str]] = {}  # a provider and a record's keys -> its variables' names
        for record, name in zip(records, names):
            keys = (record["provider"],) + tuple(record)
            variables = renamed.get(keys)
            if variables is None:  # once for each shape of record, not for each record
                variables = renamed[keys] = [prefix + ("%s_%s" % (keys[0], key) if key in reserved or key.startswith(
                    "ansible_") else key) for key in keys[1:]]  # an API never sets a connection variable
            host_vars = make_unsafe(dict(zip(variables, record.values())))
            self.inventory.add_host(name)
            for key, value in host_vars.items():
                self.inventory.set_variable(name, key, value)
            self.inventory.set_variable(name, "ansible_connection", self.get_option("connection"))
            for kind in group_by:
                value = record.get(GROUP_FIELDS[kind])
                if value in (None, ""):
                    continue
                region = record.get("region") if kind == "provider" else None
                key = (kind, str(value), str(region) if region else None)  # remote values may be lists
                group = groups.get(key)
                if group is None:  # each group made (and nested) once, not once per host
                    group = groups[key] = self._group(kind, value, key[2])
                self.inventory.add_child(group, name)
            construct(self, name, combine_vars(host_vars, extra), compose, composed_groups, keyed_groups, strict)
        if expressions is not None and (expressions.hits or expressions.narrowed or expressions.replayed):
            self._log("constructed expressions: %d evaluated with only the variables they name (%d of them bare names "
                      "taken as they are), %d results reused for hosts with the same values; %d times a host's groups "
                      "were made by the calls of an earlier host with the same values" % (
                          expressions.narrowed, expressions.as_is, expressions.hits, expressions.replayed))
        if unnamed:
            display.warning("%s: %d services have no value for any entry of hostnames (%s), so they are named by their "
                            "service ID, as %s is" % (self.NAME, len(unnamed), ", ".join(self.get_option("hostnames")),
                                                      unnamed[0]))
        if clashes:
            display.warning("%s: %d services share their host name with another service (two accounts or workspaces "
                            "with a service of the same name in one region?), so each of them is named "
                            "<name>_<service_id>, as %s is; -vv lists them" % (self.NAME, len(clashes), clashes[0]))

    def _group(self, kind: str, value: str, region: str | None) -> str:
        """The group of hosts whose ``kind`` is ``value``; for a provider with a region, its ``<provider>_<region>``
        child, which is returned."""
        group = self.inventory.add_group(self._sanitize_group_name("%s_%s" % (kind, value)))
        if region:
            parent, group = group, self.inventory.add_group(self._sanitize_group_name("%s_%s" % (value, region)))
            self.inventory.add_child(parent, group)
        return group

    def _unique(self, records: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
        """Each service once (sources may overlap: the first source's record is kept), in provider, region, ID order."""
        kept = unique(records)
        if len(kept) < len(records):
            display.v("%s: %d services were listed by more than one source; each is one host" % (
                self.NAME, len(records) - len(kept)))
        return kept

    def _names(self, records: list[dict[str, t.Any]], unnamed: list[str], clashes: list[str]) -> list[str]:
        """Each record's host name: its own, unless services share it; then each of them gets ``_<service_id>``.

        A name depends on its service alone (and, by default, holds its region and provider), so it does not change
        when another region or source is listed, unless that lists a service of the very same name.
        """
        names, shared = unique_names(records, [self._hostname(record, unnamed) for record in records])
        for record, base, name in shared:
            display.vv("%s: %r is the name of more than one service; %s is %r" % (
                self.NAME, base, record.get("service_id"), name))
            clashes.append(name)
        return [make_unsafe(name) for name in names]

    def _hostname(self, record: dict[str, t.Any], unnamed: list[str]) -> str:
        """The first name the ``hostnames`` entries give this record, or its service ID."""
        name = None
        for entry in self.get_option("hostnames"):
            if "{{" in entry or "{%" in entry:
                # The entry is the user's template; the record is only its variables (marked unsafe, so cores
                # before 2.19 do not template them again), never its text.
                self.templar.available_variables = make_unsafe(record)
                try:
                    name = self.templar.template(entry)
                except AnsibleUndefinedVariable:
                    name = None  # a field this record lacks: the next preference applies
            elif entry == "qualified_name":
                name = qualified_name(record)
            else:
                name = record.get(HOSTNAME_ALIASES.get(entry, entry))
            if isinstance(name, (dict, list, tuple, set)):
                raise AnsibleParserError("hostnames entry %r gives %s for service %s, not a name: use a field that "
                                         "holds a string, or a template that makes one" % (
                                             entry, type_name(name), record.get("service_id")))
            if name not in (None, ""):
                break
        if name in (None, ""):
            name = record.get("service_id")
            unnamed.append(str(name))
        return CONTROL.sub("_", str(name))
