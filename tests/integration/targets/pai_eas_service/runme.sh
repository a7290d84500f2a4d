#!/usr/bin/env bash
# pai_eas_service against the emulator's PAI-EAS lifecycle: create, an idempotent second run, check mode, --diff,
# scale, stop / start / restart, labels, a create that fails, a wait_timeout that ends on time, delete; no secret in
# the -vvv --diff output (../setup_steering/steer.sh).
exec ../setup_steering/steer.sh pai_eas_service pai_eas_access_key_secret hf-0123456789-not-for-logs \
  db-password-not-for-logs
