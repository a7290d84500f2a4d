#!/usr/bin/env bash
# The status gate role against the emulator, whose services change status on schedule: a pass after a wait, a
# timeout with its table, too few services, and a configuration error that fails at once.
set -euo pipefail
out="${OUTPUT_DIR}/gate.log"
ansible-playbook gate.yml -e @../../integration_config.yml "$@" | tee "${out}"
# The timeout's table names the service that stayed failed, with its status (what a person reads).
grep -Eq "$(cat "${OUTPUT_DIR}/stuck.name") +pai_eas +cn-hangzhou +failed" "${out}"
grep -q "NAME *PROVIDER *REGION *STATUS *SINCE" "${out}"
echo "status gate: pass, timeout with its table, too few services and a configuration error checked"
