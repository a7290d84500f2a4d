#!/usr/bin/env bash
# Secrets appear in no output: run every module at -vvv (success, STS and temporary keys, passwords, tokens,
# access tokens under no_log, failures),
# then look for every secret in what was printed.
set -euo pipefail

# ansible-test hands script targets no vars: read the emulator's URLs and keys as the role targets get them.
config=../../integration_config.yml
log="${OUTPUT_DIR}/secrets_in_no_output.log"
# ansible-core 2.21+ leaves the module arguments out of results unless asked: ask, so they are checked too.
ANSIBLE_INJECT_INVOCATION=true ansible-playbook run.yml -vvv -e "@${config}" "$@" > "${log}" 2>&1 || { tail -n 80 "${log}"; exit 1; }
# The inventory logs every request at -vvv: a role assumed with STS keys and an agency put no key, token or
# signature there (AssumeRole carries them in its query).
python roles_inventory.py "${config}" "${OUTPUT_DIR}/roles.inference_services.yml"
ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -vvv -i "${OUTPUT_DIR}/roles.inference_services.yml" \
  --list >> "${log}" 2>&1 || { tail -n 40 "${log}"; exit 1; }
ansible-playbook check.yml -e "@${config}" -e "log_path=${log}" "$@"
