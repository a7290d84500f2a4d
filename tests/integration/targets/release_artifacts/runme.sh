#!/usr/bin/env bash
# The release as a user gets it: the Galaxy tarball (nothing but the collection inside), installed and used from the
# tarball, and an execution environment build context made by ansible-builder from it.
set -euo pipefail
# Outside the tree under test: a collections path inside another ansible_collections folder is not searched.
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
collection=""
IFS=: read -r -a roots <<< "${ANSIBLE_COLLECTIONS_PATH:-${ANSIBLE_COLLECTIONS_PATHS:-}}"
for root in "${roots[@]}"; do
  if [ -f "${root}/ansible_collections/modelserving/cloud/galaxy.yml" ]; then collection="${root}/ansible_collections/modelserving/cloud"; fi
done
test -n "${collection}"

# The tarball holds the collection and nothing of the workspace: no venvs, build trees, caches or test output
# (the tree being tested has tests/output and caches in it right now).
ansible-galaxy collection build --force --output-path "${work}" "${collection}" > /dev/null
tarball=$(ls "${work}"/modelserving-cloud-*.tar.gz)
tar -tzf "${tarball}" > "${work}/members.txt"
if grep -E '(^|/)(\.venv[^/]*|\.build|\.cache|\.ansible|__pycache__|\.pytest_cache|\.ruff_cache|\.git)(/|$)|(^|/)tests/output/|\.pyc$|integration_config\.yml$|tests/integration/inventory$|^demo/run/' "${work}/members.txt"; then
  echo "the tarball holds workspace files (above)"; exit 1
fi
for wanted in MANIFEST.json FILES.json plugins/inventory/inference_services.py plugins/modules/pai_eas_service_info.py \
    meta/runtime.yml meta/execution-environment.yml requirements.txt bindep.txt extensions/awx/credential_types/alibaba_cloud.yml \
    extensions/awx/credential_types/huawei_cloud.yml docs/docsite/rst/awx.rst; do
  grep -qx "${wanted}" "${work}/members.txt" || { echo "the tarball lacks ${wanted}"; exit 1; }
done

# Installed from the tarball, as from Galaxy, and used from there.
ansible-galaxy collection install --force -p "${work}/collections" "${tarball}" > /dev/null  # --force: the tree under test is on the paths
ansible-galaxy collection list -p "${work}/collections" modelserving.cloud | grep -Eq '^modelserving\.cloud +[0-9]+\.[0-9]+\.[0-9]+'
# Only the installed copy: not the tree under test (ansible-test puts it on the paths).
bin_dir=$(dirname "${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python)}")
installed=(env -i PATH="${bin_dir}:/usr/bin:/bin" HOME="${HOME}" LANG=C.UTF-8
           ANSIBLE_COLLECTIONS_PATH="${work}/collections" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false)
cd "${work}"  # not from inside the tree under test, which ansible-core would take as the current collection
"${installed[@]}" ansible-doc modelserving.cloud.pai_eas_service_info | grep -q "ServiceStatus"
"${installed[@]}" ansible-doc -t inventory modelserving.cloud.inference_services | grep -q "qualified_name"
cd - > /dev/null

# An execution environment with the collection: ansible-builder finds its Python and system requirements in
# meta/execution-environment.yml, and nothing of them pins ansible-core.
ansible-builder introspect --sanitize "${work}/collections" > "${work}/introspect.yml"
grep -q "requests>=2.25  # from collection modelserving.cloud" "${work}/introspect.yml"
grep -q "jmespath>=0.10  # from collection modelserving.cloud" "${work}/introspect.yml"
# PyYAML, for a clouds.yaml, is declared; ansible-builder leaves it out of the list as ansible-core brings it.
grep -q "^PyYAML>=" "${work}/collections/ansible_collections/modelserving/cloud/requirements.txt"
if grep -qi "ansible-core\|ansible_core\|^ *- *'*ansible[<>= ]" "${work}/introspect.yml"; then
  echo "the collection's requirements pin ansible-core"; cat "${work}/introspect.yml"; exit 1
fi
sed "s#TARBALL#${tarball}#" "${collection}/docs/examples/execution-environment.yml" > "${work}/execution-environment.yml"
ansible-builder create -f "${work}/execution-environment.yml" --context "${work}/context" > /dev/null
grep -q "${tarball}" "${work}/context/_build/requirements.yml"
containerfile=$(find "${work}/context" -maxdepth 1 \( -name Containerfile -o -name Dockerfile \) | head -n 1)
grep -q "ansible-galaxy" "${containerfile}"
# A decision environment for the event source, from the docs' example.
sed "s#TARBALL#${tarball}#" "${collection}/docs/examples/decision-environment.yml" > "${work}/decision-environment.yml"
ansible-builder create -f "${work}/decision-environment.yml" --context "${work}/de-context" > /dev/null
grep -q "ansible-rulebook" "${work}/de-context/_build/requirements.txt"
grep -q "java-17" "${work}/de-context/_build/bindep.txt"
test -f "${work}/collections/ansible_collections/modelserving/cloud/extensions/eda/plugins/event_source/service_status.py"
echo "release artifacts: $(wc -l < "${work}/members.txt") files in the tarball, installed, documented, EE and DE" \
  "contexts made"
