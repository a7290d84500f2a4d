# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Masking the secret values inside a service's configuration, for every face that returns or prints one.

Private to modelserving.cloud: this module may change without notice.

A service's configuration (PAI-EAS ``ServiceConfig``, a JSON text; ModelArts and DataArts Fabric ``config``) may hold
credentials: an access token, a database password in an environment variable. A value is secret by its name: a key,
or the ``name`` (or ``key``) of an entry such as an environment variable (``{"name": ..., "value": ...}``), holding
TOKEN, SECRET, PASSWORD, PASSWD, KEY or CREDENTIAL in any case. Such a value is replaced by :data:`MASK` (every value
inside it, when it is a mapping or a list); nothing else is: labels, names and other values stay readable. The cloud
still receives the real value: only what the collection returns, diffs and logs is masked.
"""

from __future__ import annotations

import json
import re
import typing as t

MASK = "********"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)


def secret_name(name: t.Any) -> bool:
    """Whether a key or an environment variable's name marks its value as secret."""
    return isinstance(name, str) and SECRET_NAME.search(name) is not None


def mask_config(value: t.Any) -> t.Any:
    """The configuration with its secret values masked; a JSON text stays a JSON text (masked inside it).

    A text that names no secret at all is returned as it is, without being parsed (most are). One that does but is not
    JSON is masked whole: what it holds cannot be told apart.
    """
    if isinstance(value, str):
        if not SECRET_NAME.search(value):
            return value
        try:
            parsed = json.loads(value)
        except ValueError:
            return MASK
        if not isinstance(parsed, (dict, list)):
            return value
        return json.dumps(_mask(parsed), ensure_ascii=False, separators=(",", ":"))
    return _mask(value)


def _mask(value: t.Any) -> t.Any:
    if isinstance(value, dict):
        if "value" in value and ("name" in value or "key" in value):  # an entry {"name"/"key": ..., "value": ...}
            secret = secret_name(value.get("name", value.get("key")))
            return {k: (v if k in ("name", "key") else _all(v) if (secret and k == "value") or secret_name(k)
                        else _mask(v)) for k, v in value.items()}
        return {k: (_all(v) if secret_name(k) else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def _all(value: t.Any) -> t.Any:
    """Every value inside a secret one masked, keeping its shape (a secret list stays a list)."""
    if isinstance(value, dict):
        return {k: _all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_all(item) for item in value]
    return None if value is None else MASK
