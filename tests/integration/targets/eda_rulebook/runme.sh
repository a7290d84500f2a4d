#!/usr/bin/env bash
# The event source as a decision environment has it: the collection installed from its tarball, the real
# ansible-rulebook CLI (with its Java bridge) in a venv of its own, and a rulebook that reacts to a service the
# emulator fails during the run.
set -euo pipefail
work="${OUTPUT_DIR}/eda"
rm -rf "${work}"
mkdir -p "${work}"
python eda.py ../../integration_config.yml "${work}"
