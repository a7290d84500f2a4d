#!/usr/bin/env bash
# A Python without requests (or, for a clouds.yaml, without PyYAML): every face says so in one line that names the
# library and how to install it, never with a traceback. The libraries are hidden by a folder put first on
# PYTHONPATH whose packages refuse to import: for the controller (inventory, service_info) and, through an
# interpreter wrapper, for a module's Python alone.
set -euo pipefail
hide="${OUTPUT_DIR}/hide-requests"  # the controller needs PyYAML itself: only requests is hidden from it
hide_all="${OUTPUT_DIR}/hide-all"
mkdir -p "${hide}/requests" "${hide_all}/requests" "${hide_all}/yaml"
for package in requests yaml; do
  echo "raise ImportError('No module named ${package} (hidden by the test)')" > "${hide_all}/${package}/__init__.py"
done
cp "${hide_all}/requests/__init__.py" "${hide}/requests/"
python=$(command -v "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}")
# shellcheck disable=SC2016  # the wrapper expands PYTHONPATH and "$@" itself, when it runs
printf '#!/bin/sh\nPYTHONPATH="%s${PYTHONPATH:+:$PYTHONPATH}" exec "%s" "$@"\n' "${hide_all}" "${python}" \
  > "${OUTPUT_DIR}/python-without"
chmod +x "${OUTPUT_DIR}/python-without"

# The modules: requests, and PyYAML for clouds.yaml, missing on the module's Python only.
ansible-playbook modules.yml -e @../../integration_config.yml -e "hidden_python=${OUTPUT_DIR}/python-without" \
  -e "output_dir=${OUTPUT_DIR}" "$@"

# The controller's faces: requests missing for ansible-inventory and for service_info.
one_line() {  # $1: what ran, $2: its output: the collection's line, and no traceback
  grep -q "requests is not installed for this Python, which needs it for every API call: install it with pip install requests" "$2" \
    || { echo "$1: no line saying requests is missing"; cat "$2"; exit 1; }
  if grep -Eq "Traceback|AttributeError|NoneType" "$2"; then echo "$1: a traceback"; cat "$2"; exit 1; fi
}
inventory="${OUTPUT_DIR}/missing.inference_services.yml"  # written by modules.yml
ANSIBLE_INVENTORY_UNPARSED_FAILED=true PYTHONPATH="${hide}${PYTHONPATH:+:$PYTHONPATH}" ansible-inventory -i "${inventory}" --list > "${OUTPUT_DIR}/inventory.out" 2>&1 \
  && { echo "ansible-inventory succeeded without requests"; exit 1; }
one_line ansible-inventory "${OUTPUT_DIR}/inventory.out"
PYTHONPATH="${hide}${PYTHONPATH:+:$PYTHONPATH}" ansible-playbook service_info.yml -e @../../integration_config.yml \
  > "${OUTPUT_DIR}/service_info.out" 2>&1 && { echo "service_info succeeded without requests"; exit 1; }
one_line service_info "${OUTPUT_DIR}/service_info.out"
echo "missing libraries: the modules, the inventory and service_info each said so in one line"
