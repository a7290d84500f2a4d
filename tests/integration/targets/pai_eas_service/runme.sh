#!/usr/bin/env bash
# pai_eas_service against the emulator's PAI-EAS lifecycle: create, an idempotent second run, check mode, --diff,
# scale, stop / start / restart, labels, a create that fails, a wait_timeout that ends on time, delete. The play runs
# at -vvv with --diff, and the secret values of the service's configuration, the credentials and the service's
# access token must appear nowhere in what ansible-playbook prints.
set -euo pipefail
out="${OUTPUT_DIR}/steer.log"
ansible-playbook steer.yml -e @../../integration_config.yml -vvv --diff "$@" > "${out}" 2>&1 || { cat "${out}"; exit 1; }
config=../../integration_config.yml
secret_key=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["pai_eas_access_key_secret"])' "${config}")
for secret in hf-0123456789-not-for-logs db-password-not-for-logs "${secret_key}"; do
  if grep -q -- "${secret}" "${out}"; then echo "a secret is in the -vvv --diff output"; grep -n -- "${secret}" "${out}" | head -5; exit 1; fi
done
if grep -q "access_token" "${out}"; then echo "the service's access token is in the output"; exit 1; fi
grep -q "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER\|\*\*\*\*\*\*\*\*" "${out}"  # the masked values are there, masked
tail -n 3 "${out}"
echo "pai_eas_service: every step checked; no secret in the -vvv --diff output"
