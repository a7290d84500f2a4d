# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floor of the inventory benchmark: ansible-core adding the very same hosts, variables and groups.

It reads what ``ansible-inventory --list`` printed for the real plugin and adds every group, child, host and variable
as they are, with nothing else: what no inventory plugin can beat. The listing is made ready before the timed run, by
this file run as a script with the timed core's Python (``floor.py prepare LISTING.json READY.pickle``): the values
get the marks ansible-inventory printed (unsafe, and from ansible-core 2.19 on, trusted), which a pickle keeps; the
plugin then only unpickles it (``ready``, in its ``floor.yml``).
"""

from __future__ import annotations

import json
import pickle  # nosec B403 - the benchmark's own file, written by this script
import sys

from ansible.plugins.inventory import BaseInventoryPlugin

DOCUMENTATION = r"""
name: floor
short_description: The benchmark's floor (test equipment)
description: Adds the hosts, variables and groups of an ansible-inventory --list output, made ready by this file.
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [floor]
  ready:
    description: The path of the listing made ready (a pickle written by C(floor.py prepare)).
    type: path
    required: true
"""


def marked(value, wrap, trust):
    """The listing's values with the marks the plugin's had: what ansible-inventory printed as unsafe is unsafe
    (before ansible-core 2.19: ``wrap``ped; from 2.19 on, a plain string is untrusted), and from 2.19 on, what it
    printed plainly the plugin had from its trusted configuration (a region, the connection): ``trust``ed here too."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return wrap(value["__ansible_unsafe"]) if wrap else value["__ansible_unsafe"]
        return {k: marked(v, wrap, trust) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v, wrap, trust) for v in value]
    if trust and isinstance(value, str):
        return trust(value)
    return value


def prepare(listing: str, ready: str) -> None:
    """Write the listing with its marks as a pickle (which keeps them: wrapped strings, and 2.19's tags)."""
    try:
        from ansible.template import trust_as_template as trust  # ansible-core 2.19 and later: data tagging
        wrap = None
    except ImportError:
        from ansible.utils.unsafe_proxy import wrap_var as wrap
        trust = None
    with open(listing, encoding="utf-8") as handle:
        value = marked(json.load(handle), wrap, trust)
    with open(ready, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


class InventoryModule(BaseInventoryPlugin):
    NAME = "floor"

    def verify_file(self, path):
        return path.endswith("floor.yml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        with open(self.get_option("ready"), "rb") as handle:
            listing = pickle.load(handle)  # nosec B301 - the benchmark's own file
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


if __name__ == "__main__" and sys.argv[1:2] == ["prepare"]:
    prepare(sys.argv[2], sys.argv[3])
