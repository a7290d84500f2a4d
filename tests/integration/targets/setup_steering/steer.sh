#!/usr/bin/env bash
# What every lifecycle module's target checks around its play: steer.yml runs at -vvv with --diff, and the secret
# values of the service's configuration, the credentials and the service's access token must appear nowhere in what
# ansible-playbook prints, while the masked values are there, masked.
# Usage: steer.sh <module> <integration_config key of the credentials' secret> <secret value of the config>...
set -euo pipefail
module=$1 key=$2
shift 2
out="${OUTPUT_DIR}/steer.log"
ansible-playbook steer.yml -e @../../integration_config.yml -vvv --diff > "${out}" 2>&1 || { cat "${out}"; exit 1; }
config=../../integration_config.yml
secret_key=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "${config}" "${key}")
for secret in "$@" "${secret_key}"; do
  if grep -q -- "${secret}" "${out}"; then echo "a secret is in the -vvv --diff output"; grep -n -- "${secret}" "${out}" | head -5; exit 1; fi
done
if grep -q "access_token" "${out}"; then echo "the service's access token is in the output"; exit 1; fi
grep -q "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER\|\*\*\*\*\*\*\*\*" "${out}"  # the masked values are there, masked
tail -n 3 "${out}"
echo "${module}: every step checked; no secret in the -vvv --diff output"
