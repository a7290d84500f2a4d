# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one error hierarchy of the collection.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import typing as t


class ModelServingError(Exception):
    """Base error: says what failed, where, and what to check.

    The message reads ``Failed to <operation> on <provider>/<region>: <message> (<code>, HTTP <status>, request id
    <id>). <hint>``; parts that are not known are left out. No secret ever goes into an error.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        region: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.region = region
        self.operation = operation
        self.status = status
        self.code = code
        self.request_id = request_id
        self.hint = hint

    def __str__(self) -> str:
        where = "/".join(part for part in (self.provider, self.region) if part)
        head = "Failed to %s" % (self.operation or "complete the request")
        if where:
            head += " on %s" % where
        details = [part for part in (
            self.code,
            "HTTP %s" % self.status if self.status is not None else None,
            "request id %s" % self.request_id if self.request_id else None,
        ) if part]
        text = "%s: %s" % (head, self.message)
        if details:
            text += " (%s)" % ", ".join(details)
        if self.hint:
            text += ". %s" % self.hint
        return text

    def to_dict(self) -> dict[str, t.Any]:
        """Return the structured fields, for ``fail_json(error=...)``."""
        return {
            "provider": self.provider,
            "region": self.region,
            "operation": self.operation,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "request_id": self.request_id,
            "hint": self.hint,
        }


class ApiError(ModelServingError):
    """The provider answered with an error, or with a reply that cannot be read, or could not be reached.

    ``maybe_done`` is set on the error of a call that is not idempotent and was not sent again because the server
    may have carried it out (a timeout, a reset, a 5xx): the caller reads the service to know.
    """

    maybe_done = False


class AuthError(ApiError):
    """The provider refused the credentials or the signature."""


class ConfigError(ModelServingError):
    """The options are wrong or incomplete; nothing was sent."""
