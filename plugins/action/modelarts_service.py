# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""modelarts_service: options checked on the controller, then the module (see provider_action.py)."""

from __future__ import annotations

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import modelarts
from ansible_collections.modelserving.cloud.plugins.plugin_utils.provider_action import ProviderModuleAction


class ActionModule(ProviderModuleAction):
    PROVIDER = modelarts
    STEERS = True
