#!/usr/bin/env bash
# AWX / AAP as it runs the collection: credential types rendered into the environment, an inventory update and a
# job template's playbook through ansible-runner (the library AWX uses), against the emulator.
set -euo pipefail
work="${OUTPUT_DIR}/awx"
rm -rf "${work}"
mkdir -p "${work}"
python awx.py ../../integration_config.yml "${work}"
