#!/usr/bin/env bash
# The EXAMPLES of the three lifecycle modules, run as written against the emulator (examples.py makes the play).
set -euo pipefail
python examples.py "${OUTPUT_DIR}/examples.yml"
ansible-playbook "${OUTPUT_DIR}/examples.yml" -e @../../integration_config.yml "$@"
