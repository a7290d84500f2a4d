# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One listing of many sources on the controller: what service_info returns and what the fleet report writes.

Private to modelserving.cloud: this module may change without notice.

Both actions list through here, so that a source region that fails, its warnings and the host names are the same in
each: the services once each (``records.unique``), with the host name the inventory gives them, and the source
regions that could not be listed, each with why.
"""

from __future__ import annotations

import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.records import default_host_names, unique
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import list_jobs

FATAL = "_fatal"  # set on a failed source whose error is one of configuration: no later poll can mend it


class Listing(t.NamedTuple):
    """One listing: the services found (common records, with ``host``) and the source regions that were not listed."""

    services: list[dict[str, t.Any]]
    failed_sources: list[dict[str, t.Any]]


def list_sources(todo: list[dict[str, t.Any]], concurrency: int, warnings: list[str]) -> Listing:
    """List the jobs of ``sources.configure``; their warnings are added to ``warnings``.

    A failed source region is one entry of ``failed_sources`` (source, provider, region, endpoint, msg, and
    :data:`FATAL`, true when the error is one of configuration); the other regions are listed all the same.
    """
    listed = list_jobs(todo, concurrency, warn=lambda job, text: warnings.append(
        "source %d (%s): %s" % (job["source"], job["provider"], text)))
    failed_sources, records = [], []
    for job, found, error, job_warnings in listed:
        warnings.extend(job_warnings)
        if error is None:
            records += found
            continue
        params = job["params"]
        failed_sources.append({"source": job["source"], "provider": job["provider"], "region": params.get("region"),
                               "endpoint": params.get("endpoint"), "msg": str(error),
                               FATAL: isinstance(error, ConfigError)})
    services = unique(records)
    for service, host in zip(services, default_host_names(services)):
        service["host"] = host
    return Listing(services, failed_sources)


def outcome(failed_sources: list[dict[str, t.Any]], regions: int, warnings: list[str], fail: bool) -> dict[str, t.Any]:
    """The fields of a task's result that say how the listing of ``regions`` source regions went.

    With ``failed_sources`` and ``fail``, the task fails naming each; without ``fail``, a warning says they were
    skipped. Each warning is given once, however many polls repeated it.
    """
    for failure in failed_sources:
        failure.pop(FATAL, None)
    fields: dict[str, t.Any] = {"failed_sources": failed_sources}
    warnings = list(dict.fromkeys(warnings))
    if failed_sources and fail:
        fields.update(failed=True, msg="%d of %d source regions failed: %s" % (len(failed_sources), regions, "; ".join(
            "source %(source)d (%(provider)s): %(msg)s" % failure for failure in failed_sources)))
    elif failed_sources:
        warnings.append("%d of %d source regions failed and were skipped (failed_sources says which)" % (
            len(failed_sources), regions))
    if warnings:
        fields["warnings"] = warnings
    return fields
