# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Comparing what a lifecycle task wants with what the cloud reports.

Private to modelserving.cloud: this module may change without notice.

A task's configuration is a *subset* of what the cloud reports. Mappings compare key by key, and keys the cloud adds
(defaults, generated fields) are not differences; lists compare item by item and must be as long; other values must
be JSON-equal (``1`` and ``1.0`` are equal, ``1`` and ``"1"`` or ``true`` are not).
"""

from __future__ import annotations

import typing as t


def _json_equal(want: t.Any, have: t.Any) -> bool:
    if isinstance(want, bool) or isinstance(have, bool):
        return isinstance(want, bool) and isinstance(have, bool) and want == have
    if isinstance(want, (int, float)) and isinstance(have, (int, float)):
        return want == have
    return type(want) is type(have) and want == have  # noqa: E721 - str is not a number, None only None


def differences(want: t.Any, have: t.Any, path: str = "") -> dict[str, tuple[t.Any, t.Any]]:
    """Where ``want`` is not a subset of ``have``: ``{path: (wanted, reported)}``, empty when it is one.

    Paths read ``metadata.instance`` and ``containers[0].image``; a key the cloud does not report has ``None`` as
    its reported value.
    """
    if isinstance(want, dict):
        if not isinstance(have, dict):
            return {path or ".": (want, have)}
        found: dict[str, tuple[t.Any, t.Any]] = {}
        for key, value in want.items():
            where = "%s.%s" % (path, key) if path else str(key)
            if key not in have:
                found[where] = (value, None)
            else:
                found.update(differences(value, have[key], where))
        return found
    if isinstance(want, list):
        if not isinstance(have, list) or len(want) != len(have):
            return {path or ".": (want, have)}
        found = {}
        for index, (one, other) in enumerate(zip(want, have)):
            found.update(differences(one, other, "%s[%d]" % (path, index)))
        return found
    return {} if _json_equal(want, have) else {path or ".": (want, have)}


def subset(want: t.Any, have: t.Any) -> t.Any:
    """The part of ``have`` that ``want`` names (the same keys, list lengths as reported): what a diff shows as the
    cloud's side of a compared configuration."""
    if isinstance(want, dict) and isinstance(have, dict):
        return {key: subset(value, have.get(key)) for key, value in want.items()}
    if isinstance(want, list) and isinstance(have, list) and len(want) == len(have):
        return [subset(one, other) for one, other in zip(want, have)]
    return have
