# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module benchmark's second floor: a module doing nothing but return a result read from a file.

Given the result a real module returned, it shows what ansible-core itself spends carrying a result of that size
(the module's exit, the worker, the controller's result handling), which no module can avoid.
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: replay
short_description: Return a recorded module result (benchmark equipment)
description: Returns the result recorded in a JSON file, as it is.
options:
  path:
    description: The JSON file of a module result.
    type: path
    required: true
author: modelserving.cloud contributors
"""


def main():
    module = AnsibleModule(argument_spec={"path": {"type": "path", "required": True}}, supports_check_mode=True)
    with open(module.params["path"], encoding="utf-8") as handle:
        result = json.load(handle)
    result.pop("invocation", None)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
