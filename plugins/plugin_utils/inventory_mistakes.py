# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory configuration mistakes that other cloud inventories teach (controller only): what to write instead
of a source's key at the top of the file, of ``sources`` left out, and of amazon.aws tags in ``hostnames`` and
``keyed_groups``. Each gives the message; the inventory plugin decides whether it is an error or a warning.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import functools
import re
import typing as t
from collections.abc import Mapping

from ansible_collections.modelserving.cloud.plugins.module_utils.listing import PROVIDERS, argument_spec

# What users of amazon.aws and hetzner.hcloud inventories write at the top, and what it is here.
TOP_LEVEL_HINTS = {"hostvars_prefix": "hostvar_prefix", "hostvars_suffix": "hostvar_prefix",
                   "exclude_filters": "query, such as \"[?status!='stopped']\"",
                   "include_filters": "one source per selection, each with its filters",
                   "status": "sources[].filters.service_status (PAI-EAS) or sources[].filters.status"}
# amazon.aws habits that name no service: hostnames tag:Name (tag:Name=Value, tag:A,B), keyed_groups key: tags.Team.
TAG_HOSTNAME = re.compile(r"^\s*tags?:\s*([^=,]+)")
TAGS_KEY = re.compile(r"^\s*tags\b")


@functools.lru_cache(maxsize=1)
def top_level_hints() -> dict[str, str]:
    """What to write instead of a key that is not an option of the file: where each key of a source goes."""
    hints = {}
    for provider in PROVIDERS.values():
        filters = {f.option for f in provider.SPEC.filters + provider.SPEC.path_params}
        hints.update({key: "sources[].%s" % key for key in set(argument_spec(provider)) - filters})
        hints.update({key: "sources[].filters.%s" % key for key in filters})
    hints.update({key: "sources[].%s" % key for key in ("provider", "regions", "region", "filters")})
    hints.update(TOP_LEVEL_HINTS)
    return hints


def and_list(items: t.Iterable[str]) -> str:
    """``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else "%s and %s" % (", ".join(items[:-1]), items[-1])


def without_sources(path: str, raw: t.Mapping[t.Any, t.Any], options: t.Container[t.Any]) -> str:
    """The message for a file that gives no ``sources``: the keys of a source written at the top of it (regions,
    filters, provider...), the usual cause, with where each goes; else what ``sources`` is."""
    hints = top_level_hints()
    misplaced = [str(key) for key in raw if key not in options and str(hints.get(key, "")).startswith("sources[].")]
    if len(misplaced) == 1:
        key = misplaced[0]
        what = "a filter of each entry of sources, not a key" if hints[key].startswith("sources[].filters.") else (
            "a key of each entry of sources, not")
        return "%s: %s is %s of the inventory file: did you mean %s?" % (path, key, what, hints[key])
    if misplaced:
        return "%s: %s are keys of each entry of sources, not of the inventory file: did you mean %s?" % (
            path, and_list(misplaced), and_list(hints[k] for k in misplaced))
    return ("%s: sources is required: a list of sources, each with a provider and its regions, such as sources: "
            "[{provider: pai_eas, regions: [cn-hangzhou]}]" % path)


def tag_habits(hostnames: t.Any, keyed_groups: t.Any, compose: t.Any, hostvar_prefix: t.Any) -> list[str]:
    """amazon.aws tags in ``hostnames`` and ``keyed_groups``, which would name no host and make no group: what to
    write instead, one message each."""
    habits = []
    for entry in hostnames or []:
        match = TAG_HOSTNAME.match(str(entry))
        if match:
            label = match.group(1).strip()
            habits.append("hostnames entry %r gives no name, as service records have no tags: use \"{{ %s }}\" "
                          "(records carry labels, a dictionary) or service_name" % (
                              str(entry), "labels.%s" % label if label.isidentifier() and not hasattr(dict, label)
                              else "labels[%r]" % label))
    made = set(compose or {})  # a variable named tags that compose makes is the user's
    labels = (hostvar_prefix or "") + "labels"
    for keyed in keyed_groups or []:
        key = keyed.get("key") if isinstance(keyed, Mapping) else None
        if isinstance(key, str) and TAGS_KEY.match(key) and "tags" not in made:
            habits.append("keyed_groups key %r makes no group, as service records have no tags: use %s (records "
                          "carry labels, a dictionary)" % (str(key), TAGS_KEY.sub(labels, key, count=1)))
    return habits
