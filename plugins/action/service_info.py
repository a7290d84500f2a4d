# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""service_info: the services of many providers, regions and accounts at once, listed on the controller.

It takes the inventory's ``sources`` (validated by the shared core, as the inventory, the event source and the roles
take them) and returns each service once, with the host name the inventory gives it. It runs here, on the
controller, so that the credentials inside ``sources`` never travel to a module process nor come back in its
``invocation``; see plugins/modules/service_info.py for its documentation. With ``wait_for`` it lists again until
the services have a status (plugin_utils/status_wait.py), printing one line per poll instead of a task's retries.
"""

from __future__ import annotations

import typing as t

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import configure
from ansible_collections.modelserving.cloud.plugins.plugin_utils.fleet_listing import (
    FATAL,
    Listing,
    list_sources,
    outcome,
)
from ansible_collections.modelserving.cloud.plugins.plugin_utils.status_wait import (
    WAIT_OPTIONS,
    progress_line,
    wait,
    wait_options,
)
from ansible_collections.modelserving.cloud.plugins.plugin_utils.unsafe import make_unsafe

NAME = "modelserving.cloud.service_info"
display = Display()


class ActionModule(ActionBase):
    """List every source on the controller; see the module's documentation."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: t.Any = None, task_vars: t.Any = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        result["changed"] = False
        args = dict(self._task.args)
        try:
            todo, concurrency = configure(NAME, args, ("strict_sources",) + tuple(WAIT_OPTIONS))
            want = wait_options(NAME, args)
        except ConfigError as exc:
            return dict(result, failed=True, msg=exc.message)
        strict = args.get("strict_sources", True)
        if not isinstance(strict, bool):
            return dict(result, failed=True, msg="%s: strict_sources must be true or false" % NAME)
        warnings: list[str] = []

        def poll() -> Listing:
            return list_sources(todo, concurrency, warnings)

        if want is None:
            listing, still = poll(), []
        else:
            host = (task_vars or {}).get("inventory_hostname")
            listing, polls, still = wait(poll, want, lambda missing, elapsed: display.display(
                progress_line(host, missing, elapsed, want)))
            result["polls"] = polls
        services, failed_sources = listing
        fatal = any(failure[FATAL] for failure in failed_sources)  # a configuration error: no wait mends it
        result.update(outcome(failed_sources, len(todo), warnings, fail=strict and (want is None or fatal)))
        if result.get("failed"):
            return result
        result.update(services=make_unsafe(services), total_count=len(services))
        if still:
            result.update(failed=True, msg=make_unsafe("%s: after %d s, still %s" % (NAME, want.timeout, "; ".join(
                still))))
        return result
