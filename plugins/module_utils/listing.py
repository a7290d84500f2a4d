# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Listing the services of one provider and region: options in, common records out. Every face lists through it.

Also the options every listing takes (argument specs, limits) and the registry of providers.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import threading
import typing as t
from dataclasses import dataclass, field
from urllib.parse import quote

from ansible.module_utils.basic import env_fallback

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.paging import Page, PagedItems, list_pages, run_all
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import dataarts_fabric, modelarts, pai_eas
from ansible_collections.modelserving.cloud.plugins.module_utils.records import normalize
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Provider, ProviderSpec
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import (
    CallContext,
    Transport,
    canonical_query,
    url_of,
)

PROVIDERS: dict[str, Provider] = {"pai_eas": pai_eas, "modelarts": modelarts, "dataarts_fabric": dataarts_fabric}

# The options of every call (the modules that steer take these only), then those of a listing besides.
HTTP_OPTIONS: dict[str, dict[str, t.Any]] = {
    "timeout": {"type": "float", "default": 15.0},
    "connect_timeout": {"type": "float", "default": 5.0},
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "max_retries": {"type": "int", "default": 5},
}
CONNECTION_OPTIONS: dict[str, dict[str, t.Any]] = dict(HTTP_OPTIONS, **{
    "deadline": {"type": "float", "default": 300.0},
    "concurrency": {"type": "int", "default": 8},
})
LIMITS = {"timeout": (0.001, None), "connect_timeout": (0.001, None), "deadline": (1, None), "max_retries": (0, 20),
          "concurrency": (1, 64), "page_size": (1, None), "max_results": (1, None)}


def argument_spec(provider: Provider) -> dict[str, dict[str, t.Any]]:
    """Return the module argument spec of a provider's info module: credentials, connection, filters and listing
    options."""
    spec = credential_spec(provider)
    spec.update({name: dict(entry) for name, entry in CONNECTION_OPTIONS.items()})
    spec.update({f.option: dict(f.argument_spec(), required=True) for f in provider.SPEC.path_params})
    spec.update({f.option: f.argument_spec() for f in provider.SPEC.filters})
    spec["page_size"] = {"type": "int", "default": provider.SPEC.paging.default_size}
    spec["max_results"] = {"type": "int"}
    spec["query"] = {"type": "str"}
    if provider.SPEC.secret_fields:
        spec["include_access_token"] = {"type": "bool", "default": False}
    if provider.SPEC.detail_path:
        spec["details"] = {"type": "bool", "default": False}
    return spec


def credential_spec(provider: Provider) -> dict[str, dict[str, t.Any]]:
    """The credential options of a provider's family, with their environment variables, and the options of every
    call: what every module of the provider takes."""
    spec: dict[str, dict[str, t.Any]] = {}
    for name, option in provider.AUTH_OPTIONS.items():
        entry: dict[str, t.Any] = {"type": option.get("type", "str")}
        if "no_log" in option:
            entry["no_log"] = option["no_log"]
        if option.get("choices"):
            entry["choices"] = list(option["choices"])
        if "default" in option:
            entry["default"] = option["default"]
        if option.get("env"):
            entry["fallback"] = (env_fallback, list(option["env"]))
        spec[name] = entry
    spec.update({name: dict(entry) for name, entry in HTTP_OPTIONS.items()})
    return spec


REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def base_url(provider: Provider, params: t.Mapping[str, t.Any]) -> str:
    """Return ``scheme://host[:port]``: ``endpoint`` (a URL or a bare host, for HTTPS) or the provider's pattern."""
    spec = provider.SPEC
    if params.get("endpoint"):
        return url_of(params["endpoint"])
    region = params.get("region")
    env = provider.AUTH_OPTIONS["region"].get("env") or []
    if not region:
        raise ConfigError("no region given", provider=spec.name, operation=spec.operation,
                          hint="Set region%s, or endpoint" % (" (or %s)" % env[0] if env else ""))
    if not REGION_RE.match(region):
        raise ConfigError("%r is not a region ID" % region, provider=spec.name, operation=spec.operation,
                          hint="Use an ID such as cn-hangzhou or eu-de")
    cloud = params.get("cloud") or "default"
    pattern = spec.endpoints.get("%s/%s" % (cloud, region)) or spec.endpoints.get(cloud)
    if not pattern:
        raise ConfigError("%s is not offered on %s" % (spec.title, cloud), provider=spec.name, region=region,
                          operation=spec.operation, hint="Set endpoint if your cloud has it under another name")
    return pattern.format(region=region)


def api_path(spec: ProviderSpec, params: t.Mapping[str, t.Any], project_id: str | None) -> str:
    """Fill the path's placeholders: ``{project_id}`` from the credentials, the others from the path options."""
    values = {"project_id": project_id}
    values.update({f.option: params.get(f.option) for f in spec.path_params})
    return spec.path.format(**{k: quote(str(v), safe="") for k, v in values.items() if v is not None})


def record_defaults(spec: ProviderSpec, params: t.Mapping[str, t.Any], project_id: str | None) -> dict[str, t.Any]:
    """What a record takes from the call when the API does not say: the path's options (a DataArts Fabric
    instance's ``workspace_id``) and the project (``project_id``, which a ModelArts lifecycle task needs)."""
    defaults = {f.option: params.get(f.option) for f in spec.path_params}
    if "{project_id}" in spec.path:
        defaults["project_id"] = project_id
    return defaults


@dataclass
class ServiceList:
    """The services one listing found, as common records, with what the API said about them."""

    services: list[dict[str, t.Any]]
    total_count: int | None
    request_ids: list[str]
    warnings: list[str] = field(default_factory=list)


def check_limits(provider: Provider, params: t.Mapping[str, t.Any]) -> None:
    """Reject option values outside what the collection or the API allows, naming the option."""
    limits = dict(LIMITS)
    limits["page_size"] = (1, provider.SPEC.paging.max_size)
    for f in provider.SPEC.filters:
        if f.minimum is not None or f.maximum is not None:
            limits[f.option] = (f.minimum, f.maximum)
    for f in provider.SPEC.path_params + provider.SPEC.filters:
        value = params.get(f.option)
        if f.pattern and value is not None and not re.fullmatch(f.pattern, str(value)):
            raise ConfigError("%s %r does not match %s" % (f.option, value, f.pattern), provider=provider.SPEC.name,
                              operation="check options", hint="The API allows only such values")
    for name, (low, high) in limits.items():
        value = params.get(name)
        if value is None:
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            allowed = "%s to %s" % (low, high) if high is not None else "at least %s" % low
            raise ConfigError("%s is %s; allowed: %s" % (name, value, allowed), provider=provider.SPEC.name,
                              operation="check options")


def check_connection(provider: Provider, params: t.Mapping[str, t.Any], url: str, operation: str) -> list[str]:
    """Check the connection options before anything is sent: a ``ca_path`` that is no file is an error; turning
    ``validate_certs`` off is a warning (returned)."""
    if params.get("ca_path") and not os.path.isfile(params["ca_path"]):
        raise ConfigError("ca_path %s is not a file" % params["ca_path"], provider=provider.SPEC.name,
                          region=params.get("region"), operation=operation,
                          hint="Give the path of a PEM file of CA certificates")
    if not params.get("validate_certs", True):
        return ["validate_certs is false: the TLS certificate of %s is not verified. Use this only for a test "
                "endpoint; give ca_path to trust a private CA instead" % url]
    return []


def _is_id(value: t.Any) -> bool:
    """A service ID is a non-empty string or an integer (never a boolean)."""
    return (isinstance(value, str) and value != "") or (isinstance(value, int) and not isinstance(value, bool))


def list_records(provider: Provider, transport: Transport, signer: t.Any, ctx: CallContext, url: str, path: str,
                 filters: dict[str, str], *, size: int, concurrency: int = 1, max_results: int | None = None,
                 log: t.Callable[[str], None] | None = None, executor: t.Any = None,
                 each_page: t.Callable[[list[dict[str, t.Any]]], None] | None = None) -> PagedItems:
    """Every record of the list API at ``path`` that matches ``filters`` (wire names and values), as the API gives
    them: each page checked (a list of records, each with its ID), paged as the provider declares.

    ``each_page(items)`` is called with the items of every page read, as it is read, in the thread that read it.
    """
    spec = provider.SPEC

    def fetch(paging: dict[str, int]) -> Page:
        query = dict(filters)
        query.update(paging)
        reply = transport.request(ctx, spec.method, url, path, canonical_query(query), signer)
        items = reply.data.get(spec.items_key)
        total = reply.data.get(spec.total_key) if spec.total_key else None
        request_id = reply.data.get(spec.request_id_key) if spec.request_id_key else None
        if spec.request_id_header and not request_id:
            request_id = reply.headers.get(spec.request_id_header)
        if items is None and total == 0:
            items = []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items) or not (
                total is None or isinstance(total, int)):
            raise ApiError("the reply has no list of %s or a bad %s" % (spec.items_key, spec.total_key),
                           provider=spec.name, region=ctx.region, operation=spec.operation,
                           request_id=request_id, status=reply.status)
        nameless = [n for n, item in enumerate(items, 1) if not _is_id(item.get(spec.id_field))]
        if nameless:  # a service without its ID cannot be told from another: never merge or drop it silently
            raise ApiError("the reply has %d of %s without a %s (item %d of this page is one)" % (
                len(nameless), spec.items_key, spec.id_field, nameless[0]),
                provider=spec.name, region=ctx.region, operation=spec.operation, request_id=request_id,
                status=reply.status)
        if each_page is not None:
            each_page(items)
        return Page(items, total, request_id)

    return list_pages(fetch, spec.paging, size=size, concurrency=concurrency,
                      id_of=lambda item: item.get(spec.id_field), max_results=max_results, log=log, executor=executor)


_PAUSE = threading.Lock()
_PAUSED = {"holders": 0, "enabled": False}


@contextlib.contextmanager
def collection_paused() -> t.Iterator[None]:
    """Python's cyclic garbage collector paused while a listing's records (and an inventory's hosts) are made.

    Every collection walks the objects made since the last one and, as they pile up, all of them again, finding no
    garbage: records hold no reference cycles. Collection resumes when the last holder leaves (listings nest and run
    in threads), and only if it was on.
    """
    with _PAUSE:
        if not _PAUSED["holders"]:
            _PAUSED["enabled"] = gc.isenabled()
            gc.disable()
        _PAUSED["holders"] += 1
    try:
        yield
    finally:
        with _PAUSE:
            _PAUSED["holders"] -= 1
            if not _PAUSED["holders"] and _PAUSED["enabled"]:
                gc.enable()


@collection_paused()
def list_services(provider: Provider, params: t.Mapping[str, t.Any], log: t.Callable[[str], None] | None = None,
                  executor: t.Any = None, warn: t.Callable[[str], None] | None = None) -> ServiceList:
    """List every service that matches the filter options in ``params``, as common records.

    :param provider: a provider module from ``providers/``.
    :param params: the options, as validated by :func:`argument_spec`.
    :param log: called with one line per HTTP attempt.
    :param executor: a thread pool for pages and details, shared with other listings (the inventory's); the calling
        thread may be one of its workers.
    :param warn: called at once with each warning about the options (a filter value the document does not list), so
        it reaches the user even when the API then refuses the value; without it they go to the result's warnings.
    :raises ModelServingError: on bad options, API errors, or replies that cannot be read.
    """
    spec = provider.SPEC
    params = provider.from_files(params, spec.name)  # credentials, region, cloud from files: before the endpoint
    check_limits(provider, params)
    ctx = CallContext(provider=spec.name, region=params.get("region"), operation=spec.operation,
                      retry_codes=spec.retry_codes, auth_codes=spec.auth_codes, read_error=provider.read_error,
                      auth_hint=provider.AUTH_HINT)
    url = base_url(provider, params)
    params = dict(params)
    spelled: list[str] = []
    for warning in check_connection(provider, params, url, spec.operation):
        (warn or spelled.append)(warning)
    for f in spec.filters:
        if params.get(f.option) is not None:
            params[f.option], warning = f.spelled(params[f.option])
            if warning:
                (warn or spelled.append)(warning)
    transport = Transport(timeout=params["timeout"], connect_timeout=params["connect_timeout"],
                          deadline=params["deadline"], validate_certs=params["validate_certs"],
                          ca_path=params.get("ca_path"), max_retries=params["max_retries"],
                          pool_size=params["concurrency"], log=log)
    include = bool(params.get("include_access_token"))
    details = bool(params.get("details") and spec.detail_path)
    # Each page's items are normalized as the page arrives, in the thread that read it, while others wait for theirs
    # (with details, once those are read). Keyed by the item object, which the entry holds: an id is never reused.
    records: dict[int, tuple[dict[str, t.Any], dict[str, t.Any]]] = {}
    try:
        signer = provider.signer(params, transport, spec.name)
        defaults = record_defaults(spec, params, signer.project_id)

        def each_page(items: list[dict[str, t.Any]]) -> None:
            for item in items:
                try:
                    records[id(item)] = (item, normalize(spec, item, params.get("region"), include, defaults))
                except Exception:  # pylint: disable=broad-exception-caught
                    pass  # normalized again at the end, if kept: only then is its error the listing's

        filters = spec.wire_params(params)
        path = api_path(spec, params, signer.project_id)
        listing = list_records(provider, transport, signer, ctx, url, path, filters, size=params["page_size"],
                               concurrency=params["concurrency"], max_results=params.get("max_results"), log=log,
                               executor=executor, each_page=None if details else each_page)
        if details and listing.items:
            def detail(item: dict[str, t.Any]) -> None:
                where = spec.detail_path.format(**{k: quote(str(v), safe="") for k, v in dict(
                    item, project_id=signer.project_id or "").items()})
                item.update(transport.request(ctx, "GET", url, where, "", signer).data)

            run_all(detail, listing.items, executor=executor, concurrency=params["concurrency"])
    finally:
        transport.close()

    def record(item: dict[str, t.Any]) -> dict[str, t.Any]:
        entry = records.get(id(item))
        if entry is not None and entry[0] is item:
            return entry[1]
        return normalize(spec, item, params.get("region"), include, defaults)

    return ServiceList(
        services=[record(item) for item in listing.items],
        total_count=listing.total,
        request_ids=listing.request_ids,
        warnings=spelled + listing.warnings,
    )
