#!/usr/bin/env bash
# modelarts_service against the emulator's ModelArts v1 lifecycle: create, an idempotent second run, check mode,
# --diff, scale, status and replicas in one task (two PUTs), stop / start, by ID, a create that fails, a wait_timeout
# that ends on time, delete; no secret in the -vvv --diff output (../setup_steering/steer.sh).
exec ../setup_steering/steer.sh modelarts_service huawei_secret_key ma-api-key-not-for-logs
