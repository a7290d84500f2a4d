# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shapes in which a provider declares its list API, once, as data, and the contract of a provider module.

Private to modelserving.cloud: this module may change without notice.

A provider file under ``providers/`` fills in one :class:`ProviderSpec` and offers what :class:`Provider` names
(its family's credential options, signer and error reader). The modules' argument specs, the inventory plugin's
``filters:`` validation and the tests are all derived from it.
"""

from __future__ import annotations

import json
import re
import typing as t
from dataclasses import dataclass, field

if t.TYPE_CHECKING:  # pragma: no cover - the transport imports this module
    from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Signer


def fold(value: str) -> str:
    """A value without case, ``-``, ``_`` or spaces: ``Real_Time``, ``real-time`` and ``REALTIME`` are one."""
    return re.sub(r"[-_ ]", "", value).lower()


def encode_value(value: t.Any) -> str:
    """Turn an option value into its query-string form.

    Booleans go as ``true``/``false`` (what the Java and Go SDKs send); dicts as compact JSON with non-ASCII kept
    raw, as the PAI-EAS SDK serializes ``Label`` (docs/docsite/rst/wire.rst A.1); everything else as ``str()``.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class Filter:
    """One query parameter of the list API.

    :param option: the Ansible option name (snake_case).
    :param wire: the parameter's name on the wire.
    :param type: the Ansible type (``str``, ``int``, ``bool``, ``dict``).
    :param values: the values the document lists, in the API's spelling. Any spelling that differs only by case,
        ``-`` or ``_`` (the common record's lower case, ``hotupdate`` for ``HotUpdate``) is sent as the API spells
        it; another value is sent as given, with a warning (the cloud judges it).
    :param minimum: the lowest value the document allows (ints).
    :param maximum: the highest value the document allows (ints).
    :param pattern: a regular expression a string value must match in whole, as the document constrains it.
    """

    option: str
    wire: str
    type: str = "str"
    values: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None

    def argument_spec(self) -> dict[str, t.Any]:
        return {"type": self.type}

    def spelled(self, value: t.Any) -> tuple[t.Any, str | None]:
        """Return the value as the API spells it, and a warning when the document does not know it."""
        if not self.values or not isinstance(value, str):
            return value, None
        for known in self.values:
            if fold(known) == fold(value):
                return known, None
        return value, ("%s %r is not a value the API document lists (%s); it is sent as given" % (
            self.option, value, ", ".join(self.values)))


@dataclass(frozen=True)
class Paging:
    """How the list API pages.

    :param style: ``page_number`` (1-based page index and a page size), ``offset`` (record offset and a limit) or
        ``offset_probe`` (an offset whose meaning is found out, see ``paging.py``).
    :param index_param: the wire name of the page number or offset.
    :param size_param: the wire name of the page size or limit.
    :param default_size: the page size the collection asks for unless told otherwise.
    :param max_size: the largest page size the API documents, if any.
    :param first: the first page number (``page_number`` style).
    """

    style: str
    index_param: str
    size_param: str
    default_size: int
    max_size: int | None = None
    first: int = 1


@dataclass(frozen=True)
class ProviderSpec:
    """A provider's list API, declared once.

    ``endpoints`` maps a cloud (``default`` where the provider has one) or ``<cloud>/<region>`` (an exception) to
    a URL pattern with ``{region}``; ``common`` maps each normalized field of the common record to the provider's
    own field (a dotted path where it is nested, ``a|b`` for the first that is set); ``secret_fields`` are provider
    fields dropped unless asked for; ``retry_codes`` are the provider's error codes that mean "try again later";
    ``labels`` names the provider's list of key/value objects and their two keys (``("Labels", "LabelKey",
    "LabelValue")``), from which every record's ``labels`` dictionary is made; ``config_fields`` hold the service's
    configuration, whose secret values are masked (``masking.py``).
    """

    name: str
    title: str
    endpoints: dict[str, str]
    operation: str
    method: str
    path: str
    filters: tuple[Filter, ...]
    paging: Paging
    items_key: str
    total_key: str | None
    request_id_key: str | None
    id_field: str
    common: dict[str, str]
    status_field: str
    path_params: tuple[Filter, ...] = ()
    detail_path: str | None = None
    request_id_header: str | None = None
    secret_fields: tuple[str, ...] = ()
    retry_codes: frozenset[str] = field(default_factory=frozenset)
    auth_codes: frozenset[str] = field(default_factory=frozenset)
    labels: tuple[str, str, str] | None = None
    config_fields: tuple[str, ...] = ()

    def filter_by_option(self) -> dict[str, Filter]:
        return {f.option: f for f in self.filters}

    def wire_params(self, values: t.Mapping[str, t.Any]) -> dict[str, str]:
        """Return the query parameters for the filter options that are set (None means unset)."""
        return {f.wire: encode_value(values[f.option]) for f in self.filters if values.get(f.option) is not None}


@dataclass(frozen=True)
class Operation:
    """One call on one service, as a provider's API takes it.

    :param method: the HTTP method.
    :param path: the path, with placeholders the service's identity fills (``{region}``, ``{name}``,
        ``{service_id}``, ``{project_id}``, ``{workspace_id}``), each percent-encoded as one segment.
    :param action: the name the call is signed as, where the API wants one (PAI-EAS ``x-acs-action``).
    :param idempotent: whether the call may be sent twice without harm (creating a service may not).
    :param body: the body the call always sends, where the API has no call of its own for it (ModelArts starts a
        service with an update whose body is ``{"status": "running"}``).
    """

    method: str
    path: str
    action: str | None = None
    idempotent: bool = True
    body: t.Any = None


@dataclass(frozen=True)
class Lifecycle:
    """A provider's lifecycle API, declared once beside its list API.

    :param operations: the calls by their role: ``describe``, ``create``, ``update``, ``delete``, and where the API
        has them ``start``, ``stop``, ``restart``, ``set_labels``, ``delete_labels``.
    :param states: the ``state`` values the provider's module offers.
    :param busy: statuses (lower case, as the common record has them) in which the service is changing.
    :param failed: statuses in which it has failed.
    :param not_found: error codes that mean the service does not exist, besides HTTP 404.
    :param any_404: whether every HTTP 404 on a service's own path means that it does not exist, but the API
        gateway's answer for an API it does not know (:data:`NO_SUCH_API`), for an API that documents no code.
    :param assigned: the path placeholder whose value the cloud assigns when it creates a service (ModelArts
        ``service_id``): when a task does not give it, the service is found by name in the list API, and after a
        create it is read from the reply's ``assigned_key``.
    :param gone: statuses of a service that no longer exists, though the API still shows it (``deleted``).
    """

    operations: dict[str, Operation]
    states: tuple[str, ...]
    busy: frozenset[str]
    failed: frozenset[str]
    running: str = "running"
    stopped: str = "stopped"
    deleting: str = "deleting"
    stopping: frozenset[str] = frozenset(("stopping",))  # busy statuses that end stopped (the others end running)
    not_found: frozenset[str] = field(default_factory=frozenset)
    any_404: bool = False
    assigned: str | None = None
    assigned_key: str | None = None
    gone: frozenset[str] = frozenset()


# The Huawei API gateways' code for a path no API is published at (HTTP 404): a wrong endpoint, never a missing
# service.
NO_SUCH_API = frozenset(("APIG.0101", "APIGW.0101"))


class Provider(t.Protocol):
    """A provider module under ``providers/`` (``pai_eas``, ``modelarts``, ``dataarts_fabric``), as the core and the
    faces use it. Providers of one cloud share their family's credentials (``huawei_auth`` for both Huawei ones)."""

    SPEC: ProviderSpec
    # The credential options: option -> {type, env (variables read, the SDK's names first), no_log, default, choices,
    # identifies (counted in an inventory cache key by its digest)}.
    AUTH_OPTIONS: dict[str, dict[str, t.Any]]
    AUTH_HINT: str  # what to check when the provider refuses the credentials

    @staticmethod
    def read_error(status: int, headers: t.Mapping[str, str], data: t.Any) -> tuple[str | None, str, str | None]:
        """``(code, message, request id)`` of an error reply."""

    @staticmethod
    def signer(params: t.Mapping[str, t.Any], transport: t.Any, provider: str) -> Signer:
        """The signer of the credentials in ``params`` (asking IAM or STS through ``transport`` when it must)."""

    @staticmethod
    def from_files(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
        """``params`` completed from credential files when they give no credentials (else unchanged)."""

    @staticmethod
    def cache_identity(params: t.Mapping[str, t.Any]) -> str | None:
        """What names the account beyond the options (never a secret), for the inventory's cache key."""
