#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's reference page, made from its DOCUMENTATION and EXAMPLES: eda_reference.py [ROOT].

antsibull-docs makes a page for every module and plugin but knows nothing of event sources, so this prints
docs/docsite/rst/service_status.rst from extensions/eda/plugins/event_source/service_status.py; a unit test keeps the
committed page equal to what this prints. Write it anew after changing the plugin's documentation:

    python tests/tools/eda_reference.py > docs/docsite/rst/service_status.rst
"""

from __future__ import annotations

import ast
import os
import re
import sys

import yaml

SOURCE = os.path.join("extensions", "eda", "plugins", "event_source", "service_status.py")
MARKUP = re.compile(r"\b([OCVE])\(([^()]*)\)")


def text(value: str) -> str:
    """Ansible's documentation markup as reStructuredText: O(), C(), V() and E() become literals."""
    return MARKUP.sub(lambda m: "``%s``" % m.group(2), value)


def strings(root: str) -> dict[str, str]:
    with open(os.path.join(root, SOURCE), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    return {node.targets[0].id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", None) in ("DOCUMENTATION", "EXAMPLES")}


def page(root: str) -> str:
    docs = strings(root)
    doc = yaml.safe_load(docs["DOCUMENTATION"])
    title = "modelserving.cloud.service_status event source"
    lines = [".. _ansible_collections.modelserving.cloud.docsite.service_status:", "", title, "=" * len(title), "",
             text(doc["short_description"]), ""]  # the label right before the title it names
    for paragraph in doc["description"]:
        lines += ["-  " + text(paragraph), ""]
    lines += ["The guide: :ref:`ansible_collections.modelserving.cloud.docsite.eda`.", "", "Options", "-------", "",
              ".. list-table::", "   :header-rows: 1", "", "   * - option", "     - type", "     - default",
              "     - description"]
    for name, option in doc["options"].items():
        kind = option.get("type", "str")
        if option.get("elements"):
            kind += " of %s" % option["elements"]
        default = option.get("default")
        if isinstance(default, bool):
            default = str(default).lower()
        elif isinstance(default, list):
            default = ", ".join(default)
        default = "(required)" if option.get("required") else "``%s``" % default if "default" in option else "none"
        lines += ["   * - ``%s``" % name, "     - %s" % kind, "     - %s" % default,
                  "     - %s" % " ".join(text(d) for d in option["description"])]
    lines += ["", "Example", "-------", "", ".. code-block:: yaml", ""]
    lines += ["   " + line if line else "" for line in docs["EXAMPLES"].strip("\n").splitlines()]
    lines += ["", "..", "   Made by tests/tools/eda_reference.py from the plugin's DOCUMENTATION: change that, "
              "not this page."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(page(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))))
