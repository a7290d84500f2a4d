# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The EXAMPLES of the lifecycle modules as one play against the emulator: examples.py PLAYBOOK.

Each module's examples run in their order, as written; the play adds only what a playbook around them would have:
credentials and the emulator's endpoints in module_defaults, the variables the examples name (``hf_token``, ...),
and, for an example written for a play on the inventory's hosts, the host variables the inventory gives
(``service_name``, ``service_id``, ``project_id``, ``region``, ``provider``), taken from the service the module's
first example made. Each example is checked to have succeeded and the first of each module to have created its
service; what the examples leave behind is deleted at the end.
"""

from __future__ import annotations

import ast
import os
import sys

import yaml

MODULES = ("pai_eas_service", "modelarts_service", "dataarts_fabric_service")
HOST_VARS = ("provider", "region", "service_name", "service_id", "project_id", "workspace_id")


def collection_root() -> str:
    roots = (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS", "")).split(":")
    return next(os.path.join(root, "ansible_collections", "modelserving", "cloud") for root in roots
                if os.path.isfile(os.path.join(root, "ansible_collections", "modelserving", "cloud", "galaxy.yml")))


def examples(module: str) -> list[dict]:
    """The module's EXAMPLES, as tasks."""
    path = os.path.join(collection_root(), "plugins", "modules", module + ".py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets))
    return yaml.safe_load(text)


def main() -> int:
    tasks: list[dict] = [{"name": "Changes take a second", "ansible.builtin.uri": {
        "url": "{{ emulator_http_url }}/_emulator/lifecycle", "method": "POST", "body_format": "json",
        "body": {"seconds": 1}}}]
    checks = []
    for module in MODULES:
        first = "%s_0" % module
        for index, task in enumerate(examples(module)):
            task = dict(task, register="%s_%d" % (module, index))
            if index:  # what the inventory would give the host of the service the first example made
                task["vars"] = {name: "{{ %s.service.%s | default(omit) }}" % (first, name) for name in HOST_VARS}
            tasks.append(task)
            checks.append("%s_%d is succeeded" % (module, index))
        checks.append("%s is changed and %s.actions == ['create']" % (first, first))
    tasks.append({"name": "Every example succeeded; the first of each module created its service",
                  "ansible.builtin.assert": {"that": checks}})
    tasks += [
        {"name": "Delete what the examples left", "modelserving.cloud.pai_eas_service": {
            "name": "chat_qwen", "region": "cn-hangzhou", "state": "absent"}},
        {"name": "Delete what the examples left (ModelArts)", "modelserving.cloud.modelarts_service": {
            "name": "mnist-classifier", "region": "cn-north-4", "state": "absent"}},
    ]
    play = [{
        "name": "The lifecycle modules' EXAMPLES, as written", "hosts": "localhost", "gather_facts": False,
        "vars": {"hf_token": "hf-example-token", "model_api_key": "example-model-api-key"},
        "module_defaults": {
            "group/modelserving.cloud.pai_eas": {
                "access_key_id": "{{ pai_eas_access_key_id }}", "access_key_secret": "{{ pai_eas_access_key_secret }}",
                "endpoint": "{{ emulator_http_url }}"},
            "group/modelserving.cloud.huaweicloud": {
                "access_key": "{{ huawei_access_key }}", "secret_key": "{{ huawei_secret_key }}",
                "endpoint": "{{ emulator_http_url }}", "iam_endpoint": "{{ emulator_http_url }}"}},
        "tasks": tasks}]
    with open(sys.argv[1], "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
