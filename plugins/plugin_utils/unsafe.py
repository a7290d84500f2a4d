# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Mark remote data so Ansible never evaluates it as a template (controller only).

Private to modelserving.cloud: this module may change without notice.

On ansible-core 2.19 and later, data an inventory plugin adds is untrusted unless marked trusted, and this module
never marks anything trusted. On 2.16 to 2.18, strings that could hold a template (those with ``{`` or ``}``) are
wrapped as unsafe, recursively; other values are left alone, since wrapping everything breaks consumers such as
AWX inventory syncs.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.common.text.converters import to_text
from ansible.release import __version__ as ANSIBLE_VERSION

try:
    from ansible.utils.unsafe_proxy import wrap_var
except ImportError:  # pragma: no cover - a future ansible-core without it has data tagging anyway
    wrap_var = None

DATA_TAGGING = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2]) >= (2, 19)


def make_unsafe(value: t.Any) -> t.Any:
    """Return ``value`` with every string that holds ``{`` or ``}`` marked unsafe (nothing to do on 2.19+)."""
    if DATA_TAGGING or wrap_var is None:
        return value
    return _wrap(value)


def _wrap(value: t.Any) -> t.Any:
    kind = type(value)
    if kind is str:  # the common cases first, by exact type: this runs over every value of every service
        return wrap_var(value) if ("{" in value or "}" in value) else value
    if kind is dict:
        return _wrap_dict(value)
    if kind is list:
        return _wrap_list(value)
    if kind in _LEFT_ALONE:
        return value
    if isinstance(value, dict):
        return {_wrap(k): _wrap(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return type(value)(_wrap(v) for v in value)
    if isinstance(value, (str, bytes)):
        text = to_text(value, errors="surrogate_or_strict")
        return wrap_var(text) if ("{" in text or "}" in text) else value
    return value


# A service's values are mostly plain strings and numbers: those are decided here, without a call each.
_LEFT_ALONE = frozenset((int, float, bool, type(None)))


def _wrap_dict(value: dict[t.Any, t.Any]) -> dict[t.Any, t.Any]:
    wrapped = {}
    for key, item in value.items():
        kind = type(item)
        if kind is str:
            if "{" in item or "}" in item:
                item = wrap_var(item)
        elif kind is dict:
            item = _wrap_dict(item)
        elif kind not in _LEFT_ALONE:
            item = _wrap(item)
        if type(key) is not str or "{" in key or "}" in key:  # pylint: disable=unidiomatic-typecheck
            key = _wrap(key)
        wrapped[key] = item
    return wrapped


def _wrap_list(value: list[t.Any]) -> list[t.Any]:
    wrapped = []
    for item in value:
        kind = type(item)
        if kind is str:
            if "{" in item or "}" in item:
                item = wrap_var(item)
        elif kind not in _LEFT_ALONE:
            item = _wrap(item)
        wrapped.append(item)
    return wrapped
