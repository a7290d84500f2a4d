#!/usr/bin/env bash
# The inventory plugin through the real ansible-inventory and ansible-playbook, against the emulator.
set -euo pipefail

config=../../integration_config.yml
# Only this plugin may read the configurations, and a configuration it cannot read is an error.
plugin_only=(env ANSIBLE_INVENTORY_ENABLED=modelserving.cloud.inference_services ANSIBLE_INVENTORY_UNPARSED_FAILED=true)
work="${OUTPUT_DIR}/inventory"
mkdir -p "${work}"
# The instance metadata scenarios put the metadata addresses on lo of a network namespace (netns.py), with `ip`.
if ! command -v ip > /dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq iproute2) > "${work}/iproute2-install.log" 2>&1 \
    || { tail -20 "${work}/iproute2-install.log"; exit 1; }
fi

# The inventory configurations, made from the emulator's URLs and keys.
ansible-playbook setup.yml -e "@${config}" -e "work=${work}" "$@"
proxy=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["emulator_http_url"])' "${config}")
EMU_PAI_SECRET=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["pai_eas_access_key_secret"])' "${config}")
export EMU_PAI_SECRET

says() {  # file, text: the file holds the text, however ansible-core wrapped its lines (cores before 2.19 do)
  tr -s '\n ' '  ' < "$1" | grep -qF -- "$2" || { echo "$1 does not say: $2"; cat "$1"; return 1; }
}

inventory_cli() {  # output file, ansible-inventory args...
  local out=$1
  shift
  "${plugin_only[@]}" HTTPS_PROXY="${proxy}" NO_PROXY="" ansible-inventory "$@" > "${work}/${out}" 2> "${work}/${out}.err" || {
    cat "${work}/${out}.err"; return 1; }
}

run_inventory() {  # config file, output file, extra ansible-inventory args...
  local source=$1 out=$2
  shift 2
  inventory_cli "${out}" -i "${work}/${source}" --list "$@"
}

# A mix of all three providers and two ModelArts regions.
run_inventory mixed.inference_services.yml mixed.json
python plain_json.py "${work}/mixed.json" "${work}/mixed.plain.json"
ansible-playbook check_mixed.yml -e "@${config}" -e "work=${work}" "$@"
# --graph and --host show the same inventory as --list.
inventory_cli mixed.graph -i "${work}/mixed.inference_services.yml" --graph provider_modelarts
host=$(python -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["_meta"]["hostvars"])[-1])' "${work}/mixed.plain.json")
inventory_cli mixed.host.json -i "${work}/mixed.inference_services.yml" --host "${host}"
python check_cli.py "${work}/mixed.plain.json" "${work}/mixed.graph" "${work}/mixed.host.json" "${host}"

# A playbook limited to the running services of one workspace checks each one's endpoint.
"${plugin_only[@]}" HTTPS_PROXY="${proxy}" NO_PROXY="127.0.0.1" ansible-playbook -i "${work}/mixed.inference_services.yml" health.yml \
  --limit 'status_running:&workspace_123445' -e "@${config}" -e "work=${work}" "$@"

# With the cache on, the second run makes no request; --flush-cache reads the APIs again.
run_inventory cached.inference_services.yml cached1.json
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=reset" "$@"
before=$(stat -c '%n %Y' "${work}"/cache/*)
sleep 1
run_inventory cached.inference_services.yml cached2.json
test "${before}" = "$(stat -c '%n %Y' "${work}"/cache/*)"  # a hit does not rewrite the cache (nor restart its TTL)
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=expect_none" "$@"
if ansible-inventory --help | grep -q -- --flush-cache; then
  run_inventory cached.inference_services.yml cached3.json --flush-cache
else  # ansible-inventory has --flush-cache from 2.19 on; ansible-playbook has it on every core
  "${plugin_only[@]}" HTTPS_PROXY="${proxy}" NO_PROXY="" ansible-playbook -i "${work}/cached.inference_services.yml" \
    --flush-cache emulator_stats.yml -e "@${config}" -e "action=none" "$@"
fi
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=expect_some" "$@"
test "${before}" != "$(stat -c '%n %Y' "${work}"/cache/*)"  # the fresh records were written back
cmp "${work}/cached1.json" "${work}/cached2.json"

# A fault storm on every provider: the same inventory, every service exactly once, no error.
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=reset" "$@"
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=storm" "$@"
run_inventory storm.inference_services.yml storm.json
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=expect_storm" "$@"
cmp "${work}/mixed.json" "${work}/storm.json"

# Credentials only in environment variables, as an AWX inventory update passes them.
ALIBABA_CLOUD_ACCESS_KEY_ID=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["pai_eas_access_key_id"])' "${config}") \
ALIBABA_CLOUD_ACCESS_KEY_SECRET="${EMU_PAI_SECRET}" ALIBABA_CLOUD_REGION_ID=cn-hangzhou \
  run_inventory from_env.inference_services.yml from_env.json
python -c 'import json,sys; hosts = json.load(open(sys.argv[1]))["_meta"]["hostvars"]; assert len(hosts) == 150, len(hosts)' \
  "${work}/from_env.json"

# Hostile names and labels stay literal.
ansible-playbook emulator_stats.yml -e "@${config}" -e "action=hostile" "$@"
run_inventory hostile.inference_services.yml hostile.json
"${plugin_only[@]}" ansible-playbook -i "${work}/hostile.inference_services.yml" hostile.yml -e "@${config}" -e "work=${work}" "$@" \
  > "${work}/hostile_play.log" 2>&1 || { cat "${work}/hostile_play.log"; exit 1; }
if grep -q "uid=" "${work}/hostile_play.log" "${work}/hostile.json"; then
  echo "a service name was evaluated as a template"; exit 1
fi

# Clear errors: an unknown filter, a dead source (strict), live tokens for the cache, and a dead source tolerated.
for bad in unknown_filter dead_source tokens_cached; do
  if run_inventory "${bad}.inference_services.yml" "${bad}.json"; then
    echo "${bad}: ansible-inventory should have failed"; exit 1
  fi
done
says "${work}/unknown_filter.json.err" "unknown filter(s) no_such_filter; allowed:"
says "${work}/dead_source.json.err" \
  "source 1 (pai_eas, region cn-hangzhou): Failed to list services on pai_eas/cn-hangzhou: cannot reach 127.0.0.1:9"
says "${work}/tokens_cached.json.err" "include_access_token and cache cannot be used together"
test -z "$(ls -A "${work}/token_cache" 2>/dev/null)"  # nothing cached (the cache plugin may make the folder)
run_inventory tolerant.inference_services.yml tolerant.json
python plain_json.py "${work}/tolerant.json" "${work}/tolerant.plain.json"
says "${work}/tolerant.json.err" "skipped source 1 (pai_eas, region cn-hangzhou)"
ansible-playbook check_tolerant.yml -e "@${config}" -e "work=${work}" "$@"
if grep -q Traceback "${work}"/*.err; then echo "a traceback"; exit 1; fi
# Scenarios of their own: caching a partial listing, cache expiry, query, extra vars, access tokens, strict,
# host name fallback, per-source options, the "list kept changing" warning.
python scenarios.py "${config}" "${work}"
# The documentation renders, with its examples.
ansible-doc -t inventory modelserving.cloud.inference_services | grep -q "provider: dataarts_fabric"
echo "inventory checks passed"
