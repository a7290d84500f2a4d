# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Listing sources again and again until their services have a status, on the controller (service_info's wait_for).

Private to modelserving.cloud: this module may change without notice.

The wait is one loop in the action, not a task's ``until``/``retries``, so ansible-core prints no
``FAILED - RETRYING`` line per poll (which a CI log reads as a failure); instead the action prints at most one line
per poll saying what is still missing (:func:`progress_line`). A source region that cannot be listed on one poll is
listed again on the next, like any other thing still missing.
"""

from __future__ import annotations

import time
import typing as t

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import plain_message, type_name, unknown_keys
from ansible_collections.modelserving.cloud.plugins.plugin_utils.fleet_listing import FATAL, Listing

__all__ = ["FATAL", "WAIT_OPTIONS", "Listing", "WaitFor", "missing", "progress_line", "wait", "wait_options"]

# The options of service_info that ask it to wait (its module's argument spec and DOCUMENTATION hold to these).
WAIT_OPTIONS: dict[str, dict[str, t.Any]] = {
    "wait_for": {"type": "dict", "options": {
        "status": {"type": "str", "required": True},
        "min_count": {"type": "int", "default": 1},
    }},
    "wait_interval": {"type": "int", "default": 10},
    "wait_timeout": {"type": "int", "default": 600},
}
NAMES_SHOWN = 3  # services named on a progress line; the others are counted
NAME_LENGTH = 80  # characters of a name shown on a progress line


class WaitFor(t.NamedTuple):
    """What to wait for: every service in ``status``, at least ``min_count`` of them, and every source listed."""

    status: str
    min_count: int
    interval: int
    timeout: int


def wait_options(face: str, args: t.Mapping[str, t.Any]) -> WaitFor | None:
    """Check the wait options among a task's ``args``: None when it does not wait.

    :raises ConfigError: naming ``face``, the option and what it takes.
    """
    given = {name: args[name] for name in WAIT_OPTIONS if args.get(name) is not None}
    if "wait_for" not in given:
        if given:
            raise ConfigError("%s: %s without wait_for: say what to wait for (wait_for: {status: running})" % (
                face, " and ".join(sorted(given))), operation="read the options")
        return None
    if isinstance(given["wait_for"], dict):
        unknown_keys("%s: wait_for" % face, given["wait_for"], WAIT_OPTIONS["wait_for"]["options"])
        status = given["wait_for"].get("status")
        if isinstance(status, (dict, list)):
            raise ConfigError("%s: wait_for.status takes a string, not %s" % (face, type_name(status)),
                              operation="read the options", hint="Give one status, such as running")
    validated = ArgumentSpecValidator(WAIT_OPTIONS).validate(given)
    if validated.error_messages:
        raise ConfigError("%s: %s" % (face, "; ".join(plain_message(m) for m in validated.error_messages)),
                          operation="read the options")
    values = validated.validated_parameters
    want = WaitFor(values["wait_for"]["status"], values["wait_for"]["min_count"], values["wait_interval"],
                   values["wait_timeout"])
    for name, value, low in (("wait_for.min_count", want.min_count, 0), ("wait_interval", want.interval, 1),
                             ("wait_timeout", want.timeout, 0)):
        if value < low:
            raise ConfigError("%s: %s is %s; allowed: at least %s" % (face, name, value, low),
                              operation="read the options")
    if not want.status:
        raise ConfigError("%s: wait_for.status is empty; give a status such as running" % face,
                          operation="read the options")
    return want


def shown(text: t.Any) -> str:
    """A remote value made fit for one line of a terminal: no control characters, not too long."""
    text = "".join(char if char.isprintable() else "?" for char in str(text))
    return text if len(text) <= NAME_LENGTH else text[:NAME_LENGTH - 3] + "..."


def missing(listing: Listing, want: WaitFor) -> list[str]:
    """What keeps ``listing`` from what ``want`` waits for, in a few words each; nothing when the wait is over."""
    services, failed = listing.services, listing.failed_sources
    not_there = [service for service in services if service.get("status") != want.status]
    still = []
    if not_there:
        named = ", ".join("%s (%s)" % (shown(service.get("host") or service.get("service_name")),
                                       shown(service.get("status") or "unknown"))
                          for service in not_there[:NAMES_SHOWN])
        more = len(not_there) - NAMES_SHOWN
        still.append("%d of %d services are not %s: %s%s" % (
            len(not_there), len(services), shown(want.status), named, " and %d more" % more if more > 0 else ""))
    if len(services) < want.min_count:
        still.append("%d %s found, at least %d must be" % (
            len(services), "service is" if len(services) == 1 else "services are", want.min_count))
    if failed:
        still.append("%d source %s not listed: %s" % (
            len(failed), "region was" if len(failed) == 1 else "regions were", ", ".join(
                "source %s (%s, %s)" % (failure["source"], failure["provider"], shown(failure.get("region")))
                for failure in failed[:NAMES_SHOWN])))
    return still


def progress_line(host: str | None, still: list[str], elapsed: float, want: WaitFor) -> str:
    """The one line printed after a poll that did not end the wait."""
    where = "[%s] " % shown(host) if host else ""
    return "%swaiting for %s, %d of %d s: %s" % (where, shown(want.status), round(elapsed), want.timeout,
                                                 "; ".join(still))


def wait(poll: t.Callable[[], Listing], want: WaitFor, report: t.Callable[[list[str], float], None],
         clock: t.Callable[[], float] = time.monotonic,
         sleep: t.Callable[[float], None] = time.sleep) -> tuple[Listing, int, list[str]]:
    """Poll every ``want.interval`` seconds until nothing is missing or ``want.timeout`` seconds have passed.

    The first poll is at once, the last at the timeout at the latest, or the first whose listing failed for a
    source with an error of configuration (:data:`FATAL`), which no later poll can mend. ``report(still, elapsed)``
    is called once after each poll that is followed by another, never after the last.

    :returns: the last listing, how many polls were made, and what was still missing (nothing: the wait is over).
    """
    start = clock()
    deadline = start + want.timeout
    polls = 0
    while True:
        listing = poll()
        polls += 1
        still = missing(listing, want)
        left = deadline - clock()
        if not still or left <= 0 or any(failure.get(FATAL) for failure in listing.failed_sources):
            return listing, polls, still
        report(still, clock() - start)
        sleep(min(want.interval, left))
