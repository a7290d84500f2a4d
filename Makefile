# modelserving.cloud: `make demo` needs only python3 (3.11) and network access to PyPI; `make test` needs shellcheck
# as well (ansible-test's shellcheck sanity test must run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BUILD := .build
TREE := $(BUILD)/ansible_collections/modelserving/cloud
TEST_HOME := $(BUILD)/home
GET_PIP := $(TEST_HOME)/.ansible/test/cache
RELEASE_VENV := .venv-release
EDA_VENV := .venv-eda
RUN := $(VENV)/bin/python tests/tools/run_suites.py --tree $(TREE) --venv $(VENV) --home $(TEST_HOME) \
	--release-venv $(RELEASE_VENV) --eda-venv $(EDA_VENV)

.PHONY: help test sanity units integration release release-checks docs-checks matrix docs bench demo tree clean

help:
	@echo "make test         sanity, units, integration, changelog lint and release checks, from scratch; ends with 'N passed, N failed, N skipped'"
	@echo "make sanity|units|integration|release-checks|matrix   one suite (TARGETS=\"a b\": only those targets)"
	@echo "make docs-checks  make demo, the quick start run as written, the site built without a warning, links checked"
	@echo "make release VERSION=x.y.z   CHANGELOG.rst, tarball and docs site of the version galaxy.yml names"
	@echo "make docs         the documentation site in .build/docs-site"
	@echo "make bench        the inventory and a module timed against ansible-core's floors (BENCH_SCALE, BENCH_RUNS)"
	@echo "make demo         build and install the collection, start the API emulator, run demo/demo.yml"
	@echo "make clean        remove .venv and .build"

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

# galaxy-importer pins its own tools: a venv of its own.
$(RELEASE_VENV)/.installed: tests/requirements-release.txt
	$(PYTHON) -m venv $(RELEASE_VENV)
	$(RELEASE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-release.txt
	touch $@

# ansible-rulebook (Java 17 on the PATH or JAVA_HOME) and ansible-core, as a decision environment has them: a venv of
# its own, for the event source's integration test.
$(EDA_VENV)/.installed: tests/requirements-eda.txt
	$(PYTHON) -m venv $(EDA_VENV)
	$(EDA_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-eda.txt
	touch $@

# The checkout, as files git knows (tracked, or untracked and not ignored), in the ansible_collections/ layout
# ansible-test needs; plus the offline get-pip stand-in ansible-test looks for before downloading one.
tree: $(VENV)/.installed
	rm -rf $(TREE)
	mkdir -p $(TREE) $(GET_PIP)
	git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(TREE)
	for v in 23_1_2 24_2 25_2; do cp tests/tools/get_pip.py $(GET_PIP)/get_pip_$$v.py; done
	git -C $(TREE) init --quiet  # its own repository: ansible-test lists files with git, and .build is ignored here

test: tree $(RELEASE_VENV)/.installed $(EDA_VENV)/.installed
	$(RUN) lint sanity units integration changelog release docs matrix bench

sanity units: tree
	$(RUN) $@

# make demo, the quick start run as written, the documentation site and the links of README and the guides.
docs-checks: tree $(RELEASE_VENV)/.installed
	$(RUN) docs

integration: tree $(EDA_VENV)/.installed
	$(RUN) $@

release-checks: tree $(RELEASE_VENV)/.installed
	$(RUN) release

# A release of the version galaxy.yml names (this bumps nothing): CHANGELOG.rst from the fragments, then the tarball
# in .build/dist. docs/docsite/rst/release.rst says the steps around it.
release: $(VENV)/.installed $(RELEASE_VENV)/.installed
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z, the version galaxy.yml names"; exit 2; }
	@grep -qx "version: $(VERSION)" galaxy.yml || { echo "galaxy.yml names version $$(sed -n 's/^version: //p' \
		galaxy.yml), not $(VERSION): set the version there first (make release bumps nothing)"; exit 2; }
	$(VENV)/bin/antsibull-changelog release --version $(VERSION)
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD)/dist .
	$(MAKE) --no-print-directory docs
	@echo "release $(VERSION): CHANGELOG.rst, $(BUILD)/dist/modelserving-cloud-$(VERSION).tar.gz, $(SITE)/build/html"

# The inventory and a module against ansible-core's own floors (tests/perf/bench.py), on the pinned ansible-core
# (2.19) and on 2.18 in a venv of its own: a table on stdout; JSON, Markdown and an SVG plot in tests/output/bench.
BENCH_SCALE ?= 1000,10000,50000
BENCH_RUNS ?= 5
BENCH_218 := $(BUILD)/bench/venv-2.18
$(BENCH_218)/.installed: tests/requirements-matrix.txt
	$(PYTHON) -m venv $(BENCH_218)
	$(BENCH_218)/bin/python -m pip install --quiet --disable-pip-version-check ansible-core==2.18.19 \
		-r tests/requirements-matrix.txt
	touch $@
bench: tree $(BENCH_218)/.installed
	$(VENV)/bin/python tests/perf/bench.py $(abspath $(BUILD)) tests/output/bench --scale $(BENCH_SCALE) \
		--runs $(BENCH_RUNS) --core 2.19=$(abspath $(VENV))/bin --core 2.18=$(abspath $(BENCH_218))/bin

# The documentation site (antsibull-docs and Sphinx, offline: intersphinx links are left out with a warning).
SITE := $(BUILD)/docs-site
docs: tree $(RELEASE_VENV)/.installed
	rm -rf $(SITE)
	mkdir -p $(SITE)
	cd $(SITE) && ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)) $(abspath $(RELEASE_VENV))/bin/antsibull-docs \
		sphinx-init --use-current --lenient --squash-hierarchy --dest-dir . modelserving.cloud > /dev/null
	# antsibull-docs copies the guides, not their pictures: build.sh copies them after it, before Sphinx runs.
	sed -i 's|^sphinx-build |cp $(abspath docs/docsite/rst)/*.svg rst/docsite/\n&|' $(SITE)/build.sh
	cd $(SITE) && PATH=$(abspath $(RELEASE_VENV))/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)) \
		./build.sh > build.log 2>&1 || { tail -20 build.log; exit 1; }
	@echo "docs: $(SITE)/build/html/index.html"

# The other ansible-core versions the collection claims: units, a smoke test, sanity on the oldest and newest.
matrix: tree
	$(RUN) matrix

demo: $(VENV)/.installed
	rm -rf $(BUILD)/dist $(BUILD)/demo
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD)/dist .
	$(VENV)/bin/ansible-galaxy collection install --force -p $(BUILD)/demo/collections $(BUILD)/dist/modelserving-cloud-*.tar.gz
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)/demo/collections) $(VENV)/bin/python tests/tools/run_suites.py \
		--tree . --venv $(VENV) --home $(TEST_HOME) demo

clean:
	rm -rf $(VENV) $(RELEASE_VENV) $(EDA_VENV) $(BUILD)
