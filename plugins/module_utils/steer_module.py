# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The body of the lifecycle modules (``pai_eas_service``, ...): options from the declarations, one converge step,
the service out.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError, ModelServingError
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import (
    base_url,
    check_connection,
    check_limits,
    credential_spec,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.masking import mask_config
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Provider
from ansible_collections.modelserving.cloud.plugins.module_utils.steering import Adapter, Converge, Task, check_state
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Transport

# The options every lifecycle module has, beside its credentials and its own (config, replicas, ...).
COMMON: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 600},
}
TASK_FIELDS = ("name", "state", "config", "replicas", "labels", "purge_labels")


def argument_spec(provider: Provider, adapter: Adapter, own: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Credentials and connection, ``name`` (or the ID the cloud assigns, where the API names a service by it),
    ``state`` (the states the provider's API has), waiting, and ``own``."""
    spec = credential_spec(provider)
    spec.update({name: dict(entry) for name, entry in COMMON.items()})
    if adapter.LIFECYCLE.assigned:
        spec["name"]["required"] = False
        spec[adapter.LIFECYCLE.assigned] = {"type": "str"}
    spec["state"] = {"type": "str", "default": "present", "choices": list(adapter.LIFECYCLE.states)}
    spec.update(own)
    return spec


def task_of(params: t.Mapping[str, t.Any], assigned: str | None = None) -> Task:
    """The task the options ask for; options beyond the common ones go to ``extra``."""
    labels = params.get("labels")
    return Task(name=params.get("name"), state=params["state"], config=params.get("config"),
                replicas=params.get("replicas"),
                labels=None if labels is None else {str(k): "" if v is None else str(v) for k, v in labels.items()},
                purge_labels=bool(params.get("purge_labels")),
                extra={k: v for k, v in params.items() if k not in TASK_FIELDS},
                assigned=params.get(assigned) if assigned else None)


def run_steer_module(provider: Provider, adapter: Adapter, own: dict[str, dict[str, t.Any]]) -> None:
    """Parse the options, converge the service, and exit with ``changed``, ``service``, ``actions`` and, under
    ``--diff``, ``diff``. Secret values inside ``config`` are masked in what the module returns, its ``invocation``
    included; the cloud gets them as given."""
    assigned = adapter.LIFECYCLE.assigned
    module = AnsibleModule(argument_spec=argument_spec(provider, adapter, own), supports_check_mode=True,
                           required_one_of=[["name", assigned]] if assigned else None)
    shown = dict(module.params, config=mask_config(module.params.get("config")))
    try:
        if module.params["wait_timeout"] < 1:
            raise ConfigError("wait_timeout is %s; it must be at least 1 second" % module.params["wait_timeout"],
                              provider=provider.SPEC.name, operation="check options")
        check_state(provider, adapter.LIFECYCLE, module.params["state"], module.params.get("region"))  # before a login
        params = provider.from_files(module.params, provider.SPEC.name)
        check_limits(provider, params)
        url = base_url(provider, params)
        named = params.get("name") or params.get(assigned)
        for warning in check_connection(provider, params, url, "steer service %s" % named):
            module.warn(warning)
        transport = Transport(timeout=params["timeout"], connect_timeout=params["connect_timeout"],
                              validate_certs=params["validate_certs"], ca_path=params.get("ca_path"),
                              max_retries=params["max_retries"], pool_size=1)
        try:
            signer = provider.signer(params, transport, provider.SPEC.name)
            result = Converge(provider, adapter, params, task_of(params, assigned), transport, signer, url,
                              float(params["wait_timeout"])).run(module.check_mode, params["wait"])
        finally:
            transport.close()
    except ModelServingError as exc:
        error = exc
    else:
        error = None
    if error is not None:
        # Outside the except block: ansible-core 2.19 would attach the active exception's traceback to the result.
        module.fail_json(msg=str(error), error=error.to_dict(), invocation={"module_args": shown})
    if not module._diff:  # pylint: disable=protected-access  # --diff, as ansible-core's own modules read it
        result.pop("diff")
    module.exit_json(invocation={"module_args": shown}, **result)
