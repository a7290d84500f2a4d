#!/usr/bin/env bash
# The fleet report role against a fleet with hostile names: every format written, checked as a reader sees it,
# and the HTML page rendered by headless Chromium (Debian's package, installed here when missing and root).
set -euo pipefail
report="${OUTPUT_DIR}/report"
rm -rf "${report}"
# Check mode lists, writes nothing and says so.
ansible-playbook check.yml -e @../../integration_config.yml -e "report=${report}" --check "$@" \
  > "${OUTPUT_DIR}/check.log" 2>&1 || { cat "${OUTPUT_DIR}/check.log"; exit 1; }
grep -q "services listed; check mode: nothing written, a run would write in ${report}" "${OUTPUT_DIR}/check.log" \
  || { echo "check mode did not say that it wrote nothing"; tail -30 "${OUTPUT_DIR}/check.log"; exit 1; }
if [ -e "${report}" ]; then echo "check mode wrote ${report}"; exit 1; fi
ansible-playbook report.yml -e @../../integration_config.yml -e "report=${report}" "$@"
python check_report.py "${report}" ../../integration_config.yml
if ! command -v chromium > /dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) > "${OUTPUT_DIR}/chromium-install.log" 2>&1 \
    || { tail -20 "${OUTPUT_DIR}/chromium-install.log"; exit 1; }
fi
python browser.py "${report}" "${OUTPUT_DIR}/report.png"
