# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``sources:`` shape, validated once for every face that takes it (inventory, roles, event source).

Private to modelserving.cloud: this module may change without notice.

A source names a ``provider``, its ``regions`` (or ``region``), the credential and connection options of that
provider's module, ``filters`` (exactly the filter options of that module), and optionally ``query``. Each source
becomes one job per region: the module options to list with, validated with the module's own argument spec.
"""

from __future__ import annotations

import difflib
import re
import typing as t
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError, ModelServingError
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import (
    CONNECTION_OPTIONS,
    PROVIDERS,
    argument_spec,
    list_services,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.records import apply_query
from ansible_collections.modelserving.cloud.plugins.module_utils.requirements import require

SOURCE_KEYS = ("provider", "regions", "region", "filters", "query")
# Connection options a face may set for all its sources at once (each source may set its own).
CONNECTION_KEYS = ("timeout", "connect_timeout", "deadline", "validate_certs", "ca_path", "max_retries", "concurrency",
                   "max_results")
_TYPE_NAMES = (("list", "a list"), ("dict", "a dictionary"), ("str", "a string"), ("int", "an integer"),
               ("float", "a number"), ("bool", "a boolean"), ("nonetype", "null"))
# A class name in an ansible-core message: <class 'list'>, or a bare internal one such as _AnsibleTaggedList.
_CLASS = re.compile(r"<class '([^']+)'>|\b(_?Ansible[A-Za-z]*(?:List|Dict|Str|Int|Float|Bool))\b")


def did_you_mean(name: str, allowed: t.Iterable[str], hints: t.Mapping[str, str] | None = None) -> str:
    """Return `` (did you mean X?)`` for a near miss, a known habit from another collection, or nothing.

    :param hints: names that are not allowed here but mean something elsewhere, with what to write instead; a near
        miss of one of them gets its advice too (``status`` -> ``service_status`` -> ``filters: {...}``).
    """
    hints = hints or {}
    if name in hints:
        return " (did you mean %s?)" % hints[name]
    close = _near(name, allowed)
    if close:
        return " (did you mean %s?)" % close
    close = _near(name, hints)
    return " (did you mean %s?)" % hints[close] if close else ""


def _near(name: str, pool: t.Iterable[str]) -> str | None:
    """A name like ``name``: one that holds all its words (``status`` in ``service_status``), else a close spelling."""
    pool = sorted(pool)
    words = set(name.split("_"))
    holding = sorted((candidate for candidate in pool if words <= set(candidate.split("_"))), key=len)
    if holding:
        return holding[0]
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_keys(where: str, given: t.Iterable[str], allowed: t.Iterable[str], what: str = "key",
                 hints: t.Mapping[str, str] | None = None) -> None:
    """Raise a :class:`ConfigError` naming every unknown key, with a suggestion for each near miss."""
    allowed = set(allowed)
    unknown = sorted(str(key) for key in given if key not in allowed)
    if unknown:
        named = ", ".join(name + did_you_mean(name, allowed, hints) for name in unknown)
        raise ConfigError("%s: unknown %s(s) %s; allowed: %s" % (where, what, named, ", ".join(sorted(allowed))),
                          operation="read the configuration")


def type_name(value: t.Any) -> str:
    """Name a value's type in plain words (``a list``), whatever class ansible-core wrapped it in."""
    for base, name in ((list, "a list"), (dict, "a dictionary"), (bool, "a boolean"), (str, "a string"),
                       (int, "an integer"), (float, "a number")):
        if isinstance(value, base):
            return name
    return "null" if value is None else "a %s" % type(value).__name__.lstrip("_")


def plain_message(message: str) -> str:
    """Replace class names (``<class '_AnsibleTaggedList'>``) in an ansible-core message by plain words."""
    def word(match: re.Match) -> str:
        name = (match.group(1) or match.group(2)).lower().rsplit(".", 1)[-1]
        return next((plain for key, plain in _TYPE_NAMES if key in name), "a value")
    return _CLASS.sub(word, message)


def check_string_filters(where: str, provider: t.Any, options: t.Mapping[str, t.Any]) -> None:
    """Refuse a dictionary or a list given to a filter, or a credential option, that ``provider`` declares as a string.

    ansible-core would turn it into Python's text of it (2.19 and later without a warning) and the API would match that
    text against nothing or everything. The ``sources`` of every face and the modules' own options (checked on the
    controller by their action plugins) are held to this one rule, with this one message.

    :param where: what the options belong to, first in the message (``sources[0] (modelarts)``, a module's name).
    :param provider: a provider declaration module (``providers/modelarts.py``); its filters and path parameters.
    :param options: the options as given; those that are neither filters nor credential options are ignored.
    :raises ConfigError: naming ``where``, the option, what it got and what it takes.
    """
    for declared in provider.SPEC.filters + provider.SPEC.path_params:
        value = options.get(declared.option)
        if declared.type == "str" and isinstance(value, (dict, list)):
            hint = "Give %s as the API's own string" % declared.option
            if declared.values:
                hint += ", one of %s" % ", ".join(declared.values)
            raise ConfigError("%s: filter %s takes a string, not %s (%r): the API would get Python's text of it and "
                              "match nothing or everything" % (where, declared.option, type_name(value), value),
                              operation="read the configuration", hint=hint)
    for name, declared in provider.AUTH_OPTIONS.items():  # never quoted: a secret may be among them
        value = options.get(name)
        if declared.get("type", "str") == "str" and isinstance(value, (dict, list)):
            raise ConfigError("%s: %s takes a string, not %s: it would be sent as Python's text of it" % (
                where, name, type_name(value)), operation="read the configuration",
                hint="Give %s as a string (quote a value that YAML would read otherwise)" % name)


def _regions(where: str, source: t.Mapping[str, t.Any]) -> list[t.Any]:
    regions = source.get("regions")
    if regions is None:
        regions = [source.get("region")]
    if not isinstance(regions, list) or not regions:
        raise ConfigError("%s: regions must be a list of region IDs (such as [cn-hangzhou]), not %s" % (
            where, type_name(regions) if regions != [] else "an empty list"), operation="read the configuration")
    bad = [n for n, region in enumerate(regions, 1) if not isinstance(region, (str, type(None)))]
    if bad:
        raise ConfigError("%s: regions must be a list of region IDs (such as [cn-hangzhou]); item %d is %s" % (
            where, bad[0], type_name(regions[bad[0] - 1])), operation="read the configuration")
    return list(dict.fromkeys(regions))  # each once, in order


def jobs(sources: t.Any, defaults: t.Mapping[str, t.Any] | None = None,
         query: str | None = None) -> list[dict[str, t.Any]]:
    """Validate ``sources`` and expand each into one job per region: ``{source, provider, params, query}``.

    :param sources: the list of sources, templated already.
    :param defaults: module options every source takes unless it sets them (the connection options); those a
        provider does not have are left out for it.
    :param query: the JMESPath query of sources that have none of their own.
    :raises ConfigError: naming ``sources[i]``, its provider and what to fix.
    """
    # Before any source is listed: one line, not one failure per source. Only looked for: the transport imports it
    # when the first request is made, and an inventory read from its cache makes none.
    require("requests", load=False)
    if not isinstance(sources, list):
        raise ConfigError("sources must be a list of sources, not %s" % type_name(sources),
                          operation="read the configuration")
    defaults = dict(defaults or {})
    result = []
    for index, source in enumerate(sources):
        where = "sources[%d]" % index
        if not isinstance(source, dict):
            raise ConfigError("%s must be a dictionary with a provider, not %s" % (where, type_name(source)),
                              operation="read the configuration")
        name = source.get("provider")
        if name not in PROVIDERS:
            raise ConfigError("%s: provider must be one of %s, not %r%s" % (
                where, ", ".join(sorted(PROVIDERS)), name, did_you_mean(str(name), PROVIDERS)),
                operation="read the configuration")
        where = "%s (%s)" % (where, name)
        provider = PROVIDERS[name]
        spec = argument_spec(provider)
        filters = {f.option: f for f in provider.SPEC.filters + provider.SPEC.path_params}
        settable = set(spec) - set(filters) - {"include_access_token"} - set(SOURCE_KEYS)
        unknown_keys(where, source, settable | set(SOURCE_KEYS),
                     hints={name: "filters: {%s: ...}" % name for name in filters})
        chosen = source.get("filters") or {}
        if not isinstance(chosen, dict):
            raise ConfigError("%s: filters must be a dictionary of filter options, not %s" % (
                where, type_name(chosen)), operation="read the configuration")
        unknown_keys(where, chosen, filters, what="filter")
        check_string_filters(where, provider, chosen)
        for region in _regions(where, source):
            params = {k: v for k, v in source.items() if k not in SOURCE_KEYS}
            params.update(chosen)
            params.update({k: v for k, v in defaults.items() if k in spec and k not in params and k != "query"})
            if region is not None:  # else the provider's region environment variable applies
                params["region"] = region
            validated = ArgumentSpecValidator(spec).validate(params)
            if validated.error_messages:
                raise ConfigError("%s: %s" % (where, "; ".join(plain_message(m) for m in validated.error_messages)),
                                  operation="read the configuration")
            values = validated.validated_parameters
            values = dict(provider.from_files(values, name))  # a clouds.yaml entry may name the region
            if not values.get("region") and not values.get("endpoint"):
                env = provider.AUTH_OPTIONS["region"].get("env") or []
                raise ConfigError("%s: no region: set regions (a list) or region in the source%s" % (
                    where, ", or the environment variable %s" % env[0] if env else ""),
                    operation="read the configuration")
            result.append({"source": index, "provider": name, "params": values,
                           "query": source.get("query") or query})
    return result


def configure(face: str, options: t.Mapping[str, t.Any],
              own: t.Iterable[str] = ()) -> tuple[list[dict[str, t.Any]], int]:
    """Check the options of a face that takes ``sources`` beside options of its ``own`` (the event source, the
    service_info action) and make its jobs.

    :returns: the jobs, and how many requests to make at once over all of them (the highest ``concurrency`` of their
        validated options).
    :raises ConfigError: naming the face and what to fix.
    """
    unknown_keys(face, options, ("sources", "query") + tuple(own) + CONNECTION_KEYS,
                 hints={key: "sources[].%s" % key for key in SOURCE_KEYS})
    if not options.get("sources"):
        raise ConfigError("%s: sources is required: a list of sources, as the inference_services inventory takes "
                          "them" % face, operation="read the options")
    defaults = {key: options[key] for key in CONNECTION_KEYS if options.get(key) is not None}
    todo = jobs(options["sources"], defaults, options.get("query"))
    return todo, max([job["params"]["concurrency"] for job in todo] or [CONNECTION_OPTIONS["concurrency"]["default"]])


class JobResult(t.NamedTuple):
    """What listing one job gave: its records, or the error that stopped it, and its warnings."""

    job: dict[str, t.Any]
    records: list[dict[str, t.Any]] | None
    error: ModelServingError | None
    warnings: list[str]


def list_jobs(todo: list[dict[str, t.Any]], concurrency: int, log: t.Callable[[str], None] | None = None,
              warn: t.Callable[[dict[str, t.Any], str], None] | None = None) -> list[JobResult]:
    """List every job (see :func:`jobs`) with one pool of ``concurrency`` threads, which their pages share.

    A job that fails does not stop the others: its :class:`JobResult` holds the error. ``warn(job, text)`` is called at
    once with each warning about a job's options (the rest are in its ``warnings``).
    """
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(_list_job, job, pool, log, warn) for job in todo]
        return [future.result() for future in futures]


def _list_job(job: dict[str, t.Any], pool: ThreadPoolExecutor, log: t.Callable[[str], None] | None,
              warn: t.Callable[[dict[str, t.Any], str], None] | None) -> JobResult:
    try:
        result = list_services(PROVIDERS[job["provider"]], job["params"], log=log, executor=pool,
                               warn=(lambda text: warn(job, text)) if warn else None)
        records = apply_query(job["query"], result.services)
        whole = isinstance(records, list) and all(
            isinstance(r, dict) and r.get("provider") and r.get("service_id") not in (None, "") for r in records)
        if not whole:
            raise ConfigError("query %r did not return a list of whole services" % job["query"],
                              provider=job["provider"], operation="apply query",
                              hint="Where sources are listed, query selects services and keeps every field, such as "
                                   "\"[?status=='running']\"")
    except ModelServingError as exc:
        return JobResult(job, None, exc, [])
    return JobResult(job, records, None, list(result.warnings))
