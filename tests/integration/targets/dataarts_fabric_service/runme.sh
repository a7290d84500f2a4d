#!/usr/bin/env bash
# dataarts_fabric_service against the emulator's DataArts Fabric lifecycle: deploy, an idempotent second run, check
# mode, --diff, scale, what cannot change refused, no start or stop, by ID, a deploy that fails, a wait_timeout that
# ends on time, delete; no secret in the -vvv --diff output (../setup_steering/steer.sh).
exec ../setup_steering/steer.sh dataarts_fabric_service huawei_secret_key
