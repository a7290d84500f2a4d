#!/usr/bin/env bash
# Secrets appear in no output: run the module at -vvv (success, STS, access tokens under no_log, a failure),
# then look for every secret in what was printed.
set -euo pipefail

log="${OUTPUT_DIR}/pai_eas_secrets.log"
ansible-playbook run.yml -vvv "$@" > "${log}" 2>&1
ansible-playbook check.yml -e "log_path=${log}" "$@"
