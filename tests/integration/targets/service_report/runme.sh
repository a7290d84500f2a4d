#!/usr/bin/env bash
# The fleet report role against a fleet with hostile names: every format written, checked as a reader sees it.
set -euo pipefail
report="${OUTPUT_DIR}/report"
rm -rf "${report}"
ansible-playbook report.yml -e @../../integration_config.yml -e "report=${report}" "$@"
python check_report.py "${report}" ../../integration_config.yml
