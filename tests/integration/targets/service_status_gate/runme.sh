#!/usr/bin/env bash
# The status gate role against the emulator, whose services change status on schedule: a pass after a wait, a
# timeout with its table, too few services, and a configuration error that fails at once; and what it prints while it
# waits (one line per poll, never FAILED - RETRYING).
set -euo pipefail
out="${OUTPUT_DIR}/gate.log"
ansible-playbook gate.yml -e @../../integration_config.yml "$@" | tee "${out}"
# The timeout's table names the service that stayed failed, with its status (what a person reads).
grep -Eq "$(cat "${OUTPUT_DIR}/stuck.name") +pai_eas +cn-hangzhou +failed" "${out}"
grep -q "NAME *PROVIDER *REGION *STATUS *SINCE" "${out}"
# The wait prints no retry lines (a CI log reads them as failures), but one line per poll with what is still missing.
if grep -n "FAILED - RETRYING" "${out}"; then
    echo "status gate: the wait printed FAILED - RETRYING lines" >&2
    exit 1
fi
# One line per poll but the last (the poll that passes, or the one at the timeout), naming the service and its status:
# the starting service while it is stopped, the stuck one while it stays failed.
progress_lines() {  # the name of the file holding the service's name, the gate's timeout, the status shown
    local name
    name="$(cat "${OUTPUT_DIR}/$1.name")"
    grep -Ec "^\[localhost\] waiting for running, [0-9]+ of $2 s: 1 of 1 services are not running: \
${name}\.cn-hangzhou\.pai_eas \($3\)$" "${out}" || true
}
for check in "starting 60 stopped" "stuck 3 failed"; do
    read -r which timeout status <<<"${check}"
    lines="$(progress_lines "${which}" "${timeout}" "${status}")"
    polls="$(cat "${OUTPUT_DIR}/${which}.polls")"
    if [ "${lines}" -lt 1 ] || [ "${lines}" -ne $((polls - 1)) ]; then
        echo "status gate: ${lines} progress lines for the ${which} service over ${polls} polls; one per poll but the" \
             "last" >&2
        exit 1
    fi
done
# Matching nothing says so while it waits.
grep -Eq "^\[localhost\] waiting for running, [0-9]+ of 2 s: 0 services are found, at least 1 must be$" "${out}"
echo "status gate: pass, timeout with its table, too few services, a configuration error and the progress lines checked"
