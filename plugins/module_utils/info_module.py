# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The body of the three provider info modules (``pai_eas_service_info``, ``modelarts_service_info``,
``dataarts_fabric_service_info``): options from the provider's declaration, one listing, the services out.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ModelServingError
from ansible_collections.modelserving.cloud.plugins.module_utils.listing import argument_spec, list_services
from ansible_collections.modelserving.cloud.plugins.module_utils.records import apply_query
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Provider


def run_info_module(provider: Provider) -> None:
    """Parse the options of ``provider``'s module, list its services and exit with them. A missing Python library
    (requests, jmespath for ``query``) fails the task with the core's one-line message, as every error does."""
    module = AnsibleModule(argument_spec=argument_spec(provider), supports_check_mode=True)
    if module.params.get("include_access_token") and not module.no_log:
        module.fail_json(msg="include_access_token returns live service access tokens: set no_log: true on this "
                             "task so that they appear in no output")
    try:
        result = list_services(provider, module.params, warn=module.warn)
        services = apply_query(module.params["query"], result.services)
    except ModelServingError as exc:
        error = exc
    else:
        error = None
    if error is not None:
        # Outside the except block: ansible-core 2.19 would attach the active exception's traceback to the result.
        module.fail_json(msg=str(error), error=error.to_dict())
    for warning in result.warnings:
        module.warn(warning)
    module.exit_json(changed=False, services=services, total_count=result.total_count,
                     request_ids=result.request_ids)
