# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The common record: the provider's own fields in snake_case, plus normalized fields every provider fills.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import datetime
import functools
import re
import typing as t
from collections import Counter

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import mask_config
from ansible_collections.modelserving.cloud.plugins.module_utils.requirements import require
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import ProviderSpec

try:
    import jmespath
except ImportError:  # pragma: no cover - require() says so, in one line
    jmespath = None

if t.TYPE_CHECKING:  # pragma: no cover
    from typing import TypedDict

    class CommonRecord(TypedDict):
        """The normalized fields present in every record (None where the provider does not say)."""

        provider: str
        region: str | None
        service_id: str | None
        service_name: str | None
        status: str | None
        workspace_id: str | None
        resource_group: str | None
        endpoint: str | None
        created_at: str | None
        updated_at: str | None
        labels: dict[str, t.Any]

COMMON_FIELDS = ("provider", "region", "service_id", "service_name", "status", "workspace_id", "resource_group",
                 "endpoint", "created_at", "updated_at", "labels")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # never in a host name
_CAPS = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD = re.compile(r"([a-z0-9])([A-Z])")


@functools.lru_cache(maxsize=4096)  # a fleet's objects share a few hundred key names: each is converted once
def snake(name: str) -> str:
    """``ServiceName`` -> ``service_name``, ``GPUMemory`` -> ``gpu_memory``; snake_case stays as it is."""
    return _WORD.sub(r"\1_\2", _CAPS.sub(r"\1_\2", name)).lower()


def snake_keys(value: t.Any) -> t.Any:
    """Convert the keys of a provider object, and of the objects nested in it, to snake_case."""
    if isinstance(value, dict):
        return {snake(k if isinstance(k, str) else str(k)): (v if type(v) in _SCALARS else snake_keys(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else snake_keys(v) for v in value]
    return value


_SCALARS = frozenset((str, int, float, bool, type(None)))  # most values: returned as they are, without a call


def iso8601(value: t.Any) -> str | None:
    """Return a timestamp as text: epoch milliseconds (ModelArts) as ISO 8601 UTC (``2024-05-01T08:00:00Z``); a
    string, which the APIs send as ISO 8601 already, as the API wrote it (its zone too)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.datetime.fromtimestamp(value / 1000.0, tz=datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _pick(raw: dict[str, t.Any], path: str) -> t.Any:
    """Return the first non-empty value among ``a|b`` alternatives, each a dotted path into ``raw`` (``config.0.x``
    indexes a list)."""
    for alternative in _alternatives(path):
        value: t.Any = raw
        for part, index in alternative:
            if index is not None and isinstance(value, list):
                value = value[index] if index < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        if value not in (None, ""):
            return value
    return None


@functools.lru_cache(maxsize=256)  # the paths of the provider declarations
def _alternatives(path: str) -> tuple[tuple[tuple[str, int | None], ...], ...]:
    return tuple(tuple((part, int(part) if part.isdigit() else None) for part in alternative.split("."))
                 for alternative in path.split("|"))


def normalize(spec: ProviderSpec, raw: dict[str, t.Any], region: str | None,
              include_secrets: bool = False, defaults: t.Mapping[str, t.Any] | None = None) -> dict[str, t.Any]:
    """Build the common record of one provider object.

    :param spec: the provider's declaration.
    :param raw: the object as the API returned it.
    :param region: the region it was listed in (used when the object does not say).
    :param include_secrets: keep ``spec.secret_fields`` (e.g. PAI-EAS ``AccessToken``).
    :param defaults: values for common fields the object does not carry (e.g. the workspace of a path).
    """
    config = spec.config_fields
    # A configuration's keys are the user's (environment variable names): kept as given (its secrets masked), the
    # rest in snake_case; scalars, most values, as they are.
    record = {snake(k): (v if type(v) in _SCALARS and k not in config else _nested(k, v, config))
              for k, v in raw.items() if include_secrets or k not in spec.secret_fields}
    if len(record) < len(raw) - (0 if include_secrets else sum(1 for name in spec.secret_fields if name in raw)):
        for name in config:  # two keys of one snake_case name: the configuration's value is the one kept
            if name in raw:
                record[snake(name)] = _nested(name, raw[name], config)
    for name, pick in _pickers(tuple(spec.common.items())):
        record[name] = pick(raw)
    record["provider"] = spec.name
    record["region"] = record.get("region") or region
    for name in ("created_at", "updated_at"):
        record[name] = iso8601(record.get(name))
    status = _pick(raw, spec.status_field)
    record["status"] = str(status).lower() if status is not None else None
    if status is not None and record["status"] != status:
        record["status_raw"] = status
    record["labels"] = labels(spec, raw, record)
    for name in COMMON_FIELDS:
        if record.get(name) is None:
            record[name] = defaults.get(name) if defaults else None
    for name in defaults or ():
        if record.get(name) is None:
            record[name] = defaults[name]
    return record


def _nested(key: str, value: t.Any, config: tuple[str, ...]) -> t.Any:
    """A value that is not a plain scalar, or one of a configuration field: as :func:`normalize` keeps it."""
    if key in config:
        return mask_config(value) if value else value
    return snake_keys(value)


@functools.lru_cache(maxsize=64)  # one per provider declaration
def _pickers(common: tuple[tuple[str, str], ...]) -> tuple[tuple[str, t.Callable[[dict[str, t.Any]], t.Any]], ...]:
    """For each common field, a function giving its value from a raw object, as :func:`_pick` does: a plain key is
    read at once, a path or alternatives through :func:`_pick`."""
    def plain(key: str) -> t.Callable[[dict[str, t.Any]], t.Any]:
        def pick(raw: dict[str, t.Any]) -> t.Any:
            value = raw.get(key)
            return None if value is None or value == "" else value
        return pick

    def path(text: str) -> t.Callable[[dict[str, t.Any]], t.Any]:
        return lambda raw: _pick(raw, text)

    return tuple((name, plain(text) if "." not in text and "|" not in text else path(text)) for name, text in common)


def labels(spec: ProviderSpec, raw: dict[str, t.Any], record: dict[str, t.Any]) -> dict[str, t.Any]:
    """The provider's labels (PAI-EAS ``Labels``, ModelArts ``tags``) as one key -> value dictionary, empty when the
    provider has none. The raw list keeps its own name, but PAI-EAS ``Labels`` would be ``labels`` in snake case, so
    it moves to ``labels_raw`` (as ``status_raw`` keeps the raw status)."""
    if spec.labels is None:
        return {}
    field, key, value = spec.labels
    if snake(field) == "labels" and "labels" in record:
        record["labels_raw"] = record.pop("labels")
    items = raw.get(field)
    return {str(item[key]): item.get(value) for item in items if isinstance(item, dict) and key in item} if isinstance(
        items, list) else {}


def apply_query(expression: str | None, services: list[dict[str, t.Any]]) -> t.Any:
    """Apply a JMESPath expression to the list of services; None returns the list unchanged."""
    if not expression:
        return services
    require("jmespath")
    try:
        return jmespath.search(expression, services)
    except jmespath.exceptions.JMESPathError as exc:
        raise ConfigError("invalid JMESPath expression %r: %s" % (expression, exc), operation="apply query",
                          hint="See https://jmespath.org for the syntax") from None


def service_key(record: t.Mapping[str, t.Any]) -> tuple[str, str, str]:
    """What tells services apart across sources: provider, region, service ID."""
    return (str(record.get("provider")), str(record.get("region")), str(record.get("service_id")))


def unique(records: t.Iterable[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Each service once (sources may overlap: the first record is kept), in provider, region, service ID order."""
    seen: dict[tuple[str, str, str], dict[str, t.Any]] = {}
    for record in records:
        seen.setdefault(service_key(record), record)
    return [seen[key] for key in sorted(seen)]


def qualified_name(record: t.Mapping[str, t.Any]) -> str | None:
    """``<service_name>.<region>.<provider>``, the default host name, or None when a part is missing."""
    parts = (record.get("service_name"), record.get("region"), record.get("provider"))
    return ".".join(str(part) for part in parts) if all(parts) else None


def unique_names(records: list[dict[str, t.Any]],
                 bases: list[str]) -> tuple[list[str], list[tuple[dict[str, t.Any], str, str]]]:
    """Each record's name: its base, unless records share it; then each of them gets ``_<service_id>``.

    :returns: the names, and ``(record, base, name)`` for each record whose base was shared.
    """
    shared = {name for name, count in Counter(bases).items() if count > 1}
    taken = set(bases) - shared
    names, clashes = [], []
    for record, base in zip(records, bases):
        name = base
        if base in shared:
            name = suffixed = CONTROL.sub("_", "%s_%s" % (base, record.get("service_id")))
            count = 2
            while name in taken:  # a service may be named like another's suffixed name
                name, count = "%s_%d" % (suffixed, count), count + 1
            clashes.append((record, base, name))
        taken.add(name)
        names.append(name)
    return names, clashes


def default_host_names(records: list[dict[str, t.Any]]) -> list[str]:
    """The names the inventory plugin gives ``records`` (as :func:`unique` orders them) with its default hostnames."""
    bases = [CONTROL.sub("_", str(qualified_name(record) or record.get("service_id"))) for record in records]
    return unique_names(records, bases)[0]
