# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugin in front of every provider module: the task's options checked on the controller, then the module.

Private to modelserving.cloud: this module may change without notice.

Some mistakes cannot be seen once the module runs: ansible-core turns a dictionary or a list given to a ``str``
option into Python's text of it (2.19 and later without a warning), so ModelArts ``tags: {app: chat}`` would reach
the API as ``{'app': 'chat'}`` and match nothing. Here, on the controller, the task's arguments are still what the
task gave (module_defaults merged in, templates rendered), and they are held to the provider's declaration with the
same check and message as ``sources`` (:func:`check_string_filters`). Then the module runs as it would without this
plugin (ansible-core's ``normal`` action does the same): on the task's host, with check mode, ``no_log``, async and
the module's ``invocation`` as ever.

A provider module's action plugin (``plugins/action/<module>.py``) is a subclass naming its provider declaration.
"""

from __future__ import annotations

import typing as t

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import mask_config
from ansible_collections.modelserving.cloud.plugins.module_utils.sources import check_string_filters


class ProviderModuleAction(ActionBase):
    """Check a provider module's task arguments against its provider declaration, then run the module."""

    PROVIDER: t.ClassVar[t.Any] = None  # the provider declaration module (module_utils/providers/<name>.py)
    # A module whose options hold a service's configuration: its secret values are masked in every result's
    # invocation (also when the module fails before it could mask them itself), and the module does not write its
    # arguments to the host's syslog.
    STEERS: t.ClassVar[bool] = False
    _supports_check_mode = True  # the module itself says whether it supports check mode
    _supports_async = True

    def run(self, tmp: t.Any = None, task_vars: t.Any = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp  # no longer used by ansible-core
        try:
            check_string_filters(self._task.action, self.PROVIDER, self._task.args)
        except ConfigError as exc:
            return dict(result, failed=True, msg=str(exc), error=exc.to_dict())
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:  # the async wrapper removes its own
            self._remove_tmp_path(self._connection._shell.tmpdir)
        module_args = (result.get("invocation") or {}).get("module_args")
        if self.STEERS and isinstance(module_args, dict) and module_args.get("config") is not None:
            module_args["config"] = mask_config(module_args["config"])
        return result

    def _update_module_args(self, module_name: str, module_args: dict[str, t.Any], task_vars: t.Any, *args: t.Any,
                            **kwargs: t.Any) -> None:
        # 2.19 added a keyword argument (ignore_unknown_opts): passed on as given, on every core.
        super()._update_module_args(module_name, module_args, task_vars, *args, **kwargs)
        if self.STEERS:  # the arguments hold a configuration whose secrets syslog would keep in clear
            module_args["_ansible_no_log"] = True
