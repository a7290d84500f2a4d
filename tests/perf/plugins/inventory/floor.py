# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floor of the inventory benchmark: ansible-core adding the very same hosts, variables and groups.

It reads the JSON that ``ansible-inventory --list`` printed for the real plugin (``floor.json`` files hold its path)
and adds every group, child, host and variable as they are, with nothing else: what no inventory plugin can beat.
"""

from __future__ import annotations

import json

from ansible.plugins.inventory import BaseInventoryPlugin

try:
    from ansible.template import trust_as_template  # ansible-core 2.19 and later: data tagging
except ImportError:
    trust_as_template = None
from ansible.utils.unsafe_proxy import wrap_var  # used before 2.19 only

DOCUMENTATION = r"""
name: floor
short_description: The benchmark's floor (test equipment)
description: Adds the hosts, variables and groups of an ansible-inventory --list output file.
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [floor]
  listing:
    description: The path of the ansible-inventory --list output.
    type: path
    required: true
"""


def plain(value):
    """The listing's values with the marks the plugin's had: what ansible-inventory printed as unsafe is unsafe
    (before ansible-core 2.19: wrapped); from 2.19 on, where it printed a string plainly, the plugin had it from its
    trusted configuration (a region, the connection), so it is trusted here too."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"] if trust_as_template else wrap_var(value["__ansible_unsafe"])
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if trust_as_template and isinstance(value, str):
        return trust_as_template(value)
    return value


class InventoryModule(BaseInventoryPlugin):
    NAME = "floor"

    def verify_file(self, path):
        return path.endswith("floor.yml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        with open(self.get_option("listing"), encoding="utf-8") as handle:
            listing = plain(json.load(handle))
        hostvars = listing.pop("_meta", {}).get("hostvars", {})
        for name in hostvars:
            self.inventory.add_host(name)
            for key, value in hostvars[name].items():
                self.inventory.set_variable(name, key, value)
        for group, content in listing.items():
            self.inventory.add_group(group)
            for child in content.get("children", []):
                self.inventory.add_group(child)
                self.inventory.add_child(group, child)
            for host in content.get("hosts", []):
                self.inventory.add_child(group, host)
