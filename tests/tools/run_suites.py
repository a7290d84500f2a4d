#!/usr/bin/env python
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the test suites of `make test` in the build tree and end with one line: `N passed, N failed, N skipped`.

Every suite runs even when an earlier one failed; each one's output is shown as it comes. The counts are read from
ansible-test's own output: one per sanity test, pytest's summary for the units, one per integration target, one for
the changelog lint. The exit status is 1 when anything failed.

A suite that ran fewer tests than it has counts as failed, since ansible-test says nothing when pytest collects no
test or a target is skipped, and a skipped test is not a run one: a suite that ran nothing fails; sanity must run at
least ``MIN_SANITY`` tests and every one of ``REQUIRED_SANITY`` (a required test that was skipped, such as shellcheck
without its program, is a failure that says what to install); the units must pass or fail at least one result per
``def test_`` in tests/unit; and integration must run every target under tests/integration/targets (or every one
named in ``TARGETS``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from xml.etree import ElementTree  # nosec B405 - our own bench output

import yaml

# What ansible-test says of a sanity test, in order: it starts it, skips one (unsupported Python, no libyaml...), or
# finds the program the test it started needs missing (shellcheck: the test is then skipped without another word).
SANITY_EVENT = re.compile(r'^Running sanity test "(?P<ran>[^"]+)"|^.*Skipping sanity test "(?P<skip>[^"]+)".*$'
                          r'|^.*Required program "(?P<program>[^"]+)" not found.*$', re.M)
SANITY_REVIEW = "WARNING: Reviewing previous"  # ansible-test repeats its warnings at the end: not new events
SANITY_FAILED = re.compile(r"The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed")
PYTEST = re.compile(r"=+ (.*?) in [\d.]+s")
PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
TARGET_RAN = re.compile(r"^Running (\S+) integration test (?:role|script)", re.M)
TARGETS_FAILED = re.compile(r"The (\d+) integration test\(s\) listed below \(out of (\d+)\) failed")
TEST_FUNCTION = re.compile(r"^\s*(?:async )?def test_", re.M)
MIN_SANITY = 20  # ansible-test 2.16 to 2.21 run 24 to 27 sanity tests on this collection
# The sanity tests that check this collection's files on every ansible-core it is tested on (2.16 to 2.21 all have
# them): each must run, since a skipped one hides what it would find.
REQUIRED_SANITY = ("action-plugin-docs", "ansible-doc", "changelog", "compile", "import", "pep8", "pylint",
                   "runtime-metadata", "shebang", "shellcheck", "validate-modules", "yamllint")
# How to get a program that a sanity test needs and ansible-test does not install.
PROGRAMS = {"shellcheck": "apt-get install shellcheck (as root; elsewhere the system's shellcheck package)"}


def expected_units(tree: str) -> int:
    """How many unit test functions the tree has (parametrized ones count once: a floor, not the total)."""
    count = 0
    for folder, _dirs, files in os.walk(os.path.join(tree, "tests", "unit")):
        for name in files:
            if name.startswith("test_") and name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    count += len(TEST_FUNCTION.findall(handle.read()))
    return count


def expected_targets(tree: str, chosen: list[str]) -> list[str]:
    """The integration targets that must run: the chosen ones, else every target folder."""
    if chosen:
        return sorted(chosen)
    root = os.path.join(tree, "tests", "integration", "targets")
    return sorted(name for name in os.listdir(root) if os.path.isfile(os.path.join(root, name, "aliases")))


def enough(suite: str, counts: tuple[int, int, int], ran: int, floor: int, what: str) -> tuple[int, int, int]:
    """Count a suite as failed once more when it ran fewer tests than ``floor``, or none at all, and say so.

    :param ran: the tests that ran (passed or failed: a skipped test did not run)
    """
    floor = max(floor, 1)
    if ran >= floor:
        return counts
    print("%s: ran %d %s, expected at least %d: counted as a failure" % (suite, ran, what, floor), flush=True)
    return counts[0], counts[1] + 1, counts[2]


def run(cmd: list[str], cwd: str, env: dict[str, str]) -> tuple[int, str]:
    """Run a command, echoing its output, and return its exit status and output."""
    print("$ " + " ".join(cmd), flush=True)
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace") as proc:
        lines = []
        for line in proc.stdout:
            sys.stdout.write(line)
            lines.append(line)
        sys.stdout.flush()
        return proc.wait(), "".join(lines)


def sanity_results(out: str) -> tuple[list[str], dict[str, str]]:
    """The sanity tests ansible-test started, in order, and the tests it skipped, each with the reason it gave.

    :param out: ansible-test's output
    :returns: the names started (a skipped one too, when it was started before its program was found missing), and
        the skipped names with ansible-test's line about each
    """
    started: list[str] = []
    skipped: dict[str, str] = {}
    for match in SANITY_EVENT.finditer(out.split(SANITY_REVIEW, 1)[0]):
        if match.group("ran"):
            started.append(match.group("ran"))
        elif match.group("skip"):
            skipped[match.group("skip")] = match.group(0).replace("WARNING: ", "").strip()
        elif started:
            skipped[started[-1]] = 'program "%s" not found' % match.group("program")
    return started, skipped


def sanity_counts(status: int, out: str) -> tuple[int, int, int]:
    started, skipped = sanity_results(out)
    ran = [name for name in started if name not in skipped]
    match = SANITY_FAILED.search(out)
    failed = int(match.group(1)) if match else (1 if status else 0)
    return max(len(ran) - failed, 0), failed, len(skipped)


def missing_sanity(out: str, required: tuple[str, ...] = REQUIRED_SANITY) -> list[str]:
    """Why each required sanity test that did not run did not, with what to install when a program was missing."""
    started, skipped = sanity_results(out)
    problems = []
    for name in required:
        if name in skipped:
            program = re.search(r'program "([^"]+)"', skipped[name])
            hint = "; to run it: %s" % PROGRAMS.get(program.group(1), "install " + program.group(1)) if program else ""
            problems.append('required sanity test "%s" did not run (%s): counted as a failure%s'
                            % (name, skipped[name], hint))
        elif name not in started:
            problems.append('required sanity test "%s" did not run (ansible-test did not start it): counted as a '
                            'failure' % name)
    return problems


def sanity_verdict(suite: str, status: int, out: str) -> tuple[int, int, int]:
    """A sanity run's counts: each required test that did not run, and a run of fewer than ``MIN_SANITY`` tests,
    are failures, said on a line of their own."""
    counts = sanity_counts(status, out)
    counts = enough(suite, counts, counts[0] + counts[1], MIN_SANITY, "sanity tests")
    problems = missing_sanity(out)
    for problem in problems:
        print("%s: %s" % (suite, problem), flush=True)
    required_skipped = len(set(sanity_results(out)[1]) & set(REQUIRED_SANITY))
    return counts[0], counts[1] + len(problems), counts[2] - required_skipped


def units_verdict(suite: str, status: int, out: str, floor: int) -> tuple[int, int, int]:
    """A unit run's counts, one more failure when fewer results than ``floor`` passed or failed (skips do not run)."""
    counts = pytest_counts(status, out)
    return enough(suite, counts, counts[0] + counts[1], floor,
                  "unit test results (passed or failed; one per test function at least)")


def pytest_counts(status: int, out: str) -> tuple[int, int, int]:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    # ansible-test runs pytest once per group (modules, module_utils, plugins...): add up every summary.
    for number, kind in PYTEST_COUNT.findall(" ".join(PYTEST.findall(out))):
        key = "failed" if kind.startswith("error") or kind == "xpassed" else kind
        key = "passed" if key == "xfailed" else key
        counts[key] += int(number)
    if status and not counts["failed"]:
        counts["failed"] = 1
    return counts["passed"], counts["failed"], counts["skipped"]


def integration_counts(status: int, out: str) -> tuple[int, int, int]:
    ran = len(TARGET_RAN.findall(out))
    match = TARGETS_FAILED.search(out)
    failed = int(match.group(1)) if match else (1 if status else 0)
    return max(ran - failed, 0), failed, 0


def missing_targets(out: str, expected: list[str]) -> list[str]:
    ran = set(TARGET_RAN.findall(out))
    return [name for name in expected if name not in ran]


def start_emulator(python: str, tree: str, work: str, env: dict[str, str], config_path: str,
                   extra: tuple[str, ...] = (), eda_bin: str | None = None) -> subprocess.Popen:
    """Start the API emulator and write its URLs and keys, as Ansible vars, to ``config_path`` (with the bin folder
    of the venv that has ansible-rulebook, for the event source's test)."""
    state = os.path.join(work, "state.json")
    if os.path.exists(state):
        os.remove(state)
    os.makedirs(work, exist_ok=True)
    emu_env = dict(env, PYTHONPATH=os.path.join(os.path.abspath(tree), "tests"))
    with open(os.path.join(work, "emulator.log"), "w", encoding="utf-8") as log:
        proc = subprocess.Popen([python, "-m", "emulator", "--state-file", state, "--workdir", work] + list(extra),
                                cwd=tree, env=emu_env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not os.path.exists(state):
        if proc.poll() is not None:  # what it said, such as which port is in use and what to do
            with open(os.path.join(work, "emulator.log"), encoding="utf-8", errors="replace") as log:
                said = log.read().strip()[-2000:]
            raise RuntimeError("the emulator ended before it listened (exit %d): %s" % (
                proc.returncode, said or "it said nothing; see %s/emulator.log" % work))
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise RuntimeError("the emulator did not listen within 30 s; see %s/emulator.log" % work)
        time.sleep(0.1)
    with open(state, encoding="utf-8") as handle:
        data = json.load(handle)
    pai, sts = data["credentials"]["pai_eas"], data["credentials"]["pai_eas_sts"]
    hw, temp, user = (data["credentials"][name] for name in ("huawei", "huawei_temp", "huawei_user"))
    config = {
        "emulator_http_url": data["http_url"],
        "emulator_https_url": data["https_url"],
        "emulator_ca_cert": data["ca_cert"],
        "pai_eas_access_key_id": pai["access_key_id"],
        "pai_eas_access_key_secret": pai["access_key_secret"],
        "pai_eas_sts_access_key_id": sts["access_key_id"],
        "pai_eas_sts_access_key_secret": sts["access_key_secret"],
        "pai_eas_sts_security_token": sts["security_token"],
        "huawei_access_key": hw["access_key"],
        "huawei_secret_key": hw["secret_key"],
        "huawei_temp_access_key": temp["access_key"],
        "huawei_temp_secret_key": temp["secret_key"],
        "huawei_temp_security_token": temp["security_token"],
        "huawei_username": user["username"],
        "huawei_password": user["password"],
        "huawei_domain_name": user["domain_name"],
        "huawei_projects": data["huawei_projects"],
        "pai_eas_role_reader": data["pai_eas_roles"]["reader"],
        "pai_eas_role_other_account": data["pai_eas_roles"]["other_account"],
        "pai_eas_role_external_id": data["pai_eas_roles"]["other_account_external_id"],
        "huawei_agency": data["huawei_agency"],
        "pai_eas_oidc_provider": data["pai_eas_oidc_provider"],
        "eda_venv_bin": eda_bin,
        # For a test that starts an emulator of its own (in a network namespace, at the instance metadata addresses).
        "emulator_python": python, "emulator_pythonpath": emu_env["PYTHONPATH"],
    }
    with open(config_path, "w", encoding="utf-8") as out:
        json.dump(config, out, indent=2)  # JSON is YAML
    return proc


IMPORTER_CONFIG = """[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = True
RUN_ANSIBLE_DOC = True
RUN_FLAKE8 = False
LOCAL_IMAGE_DOCKER = False
CHECK_REQUIRED_TAGS = False
"""


def release(venv_bin: str, release_bin: str, tree: str, work: str, env: dict[str, str]) -> tuple[int, int, int]:
    """Galaxy's importer on the built tarball (docker off, its ansible-lint on) and ansible-lint's production profile
    on the whole tree: each a test, passed only with no warning at all."""
    os.makedirs(work, exist_ok=True)
    for old in os.listdir(work):
        if old.endswith(".tar.gz"):
            os.remove(os.path.join(work, old))
    status, _out = run([os.path.join(venv_bin, "ansible-galaxy"), "collection", "build", "--force", "--output-path",
                        work, "."], tree, env)
    tarball = next((os.path.join(work, n) for n in os.listdir(work) if n.endswith(".tar.gz")), None)
    config = os.path.join(work, "galaxy-importer.cfg")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(IMPORTER_CONFIG)
    tools = dict(env, PATH=release_bin + os.pathsep + env["PATH"], GALAXY_IMPORTER_CONFIG=config)
    passed = failed = 0
    if status or not tarball:
        failed += 1
    else:
        status, out = run([os.path.join(release_bin, "python"), "-m", "galaxy_importer.main", tarball], work, tools)
        warnings = [line for line in out.splitlines() if line.startswith("WARNING") and "PATH altered" not in line]
        ok = not status and not warnings and "Importer processing completed successfully" in out
        print("galaxy-importer: %s" % ("no warning" if ok else "%d warning(s), exit %d" % (len(warnings), status)))
        passed, failed = passed + ok, failed + (not ok)
    roots = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(tree))))
    status, _out = run([os.path.join(release_bin, "ansible-lint"), "--nocolor"], tree,
                       dict(tools, ANSIBLE_COLLECTIONS_PATH=roots))
    passed, failed = passed + (not status), failed + bool(status)
    status, out = run([os.path.join(release_bin, "antsibull-docs"), "lint-collection-docs", "--plugin-docs", "."],
                      tree, dict(tools, ANSIBLE_COLLECTIONS_PATH=roots))
    passed, failed = passed + (not status and not out.strip()), failed + bool(status or out.strip())
    ok = make_release(os.path.dirname(venv_bin), os.path.dirname(release_bin), tree, work, env)
    return passed + ok, failed + (not ok), 0


def make_release(venv: str, release_venv: str, tree: str, work: str, env: dict[str, str]) -> bool:
    """`make release` on a copy of the tree: it refuses a version galaxy.yml does not name, and otherwise writes
    CHANGELOG.rst from the fragments, builds the tarball and the documentation site."""
    copy = os.path.join(work, "release-copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tree, copy, ignore=lambda folder, names: [n for n in names if n == "output"])
    with open(os.path.join(copy, "galaxy.yml"), encoding="utf-8") as handle:
        version = re.search(r"^version: (\S+)$", handle.read(), re.M).group(1)
    make = ["make", "--no-print-directory", "VENV=%s" % os.path.abspath(venv), "BUILD=.build",
            "RELEASE_VENV=%s" % os.path.abspath(release_venv)]
    env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}  # not the outer make's
    status, out = run(make + ["release", "VERSION=99.0.0"], copy, env)
    refused = status != 0 and "set the version there first (make release bumps nothing)" in out
    status, _out = run(make + ["release", "VERSION=%s" % version], copy, env)
    problems = changelog_problems(copy, version)
    for problem in problems:
        print("make release: %s" % problem, flush=True)
    built = os.path.exists(os.path.join(copy, ".build", "dist", "modelserving-cloud-%s.tar.gz" % version))
    site = os.path.join(copy, ".build", "docs-site", "build", "html")
    built = built and os.path.exists(os.path.join(site, "inference_services_inventory.html"))
    ok = refused and not status and not problems and built
    print("make release: %s" % ("refuses another version; CHANGELOG.rst, tarball and site of %s" % version if ok else
                                "refused %s, exit %d, changelog problems %d, tarball and site %s"
                                % (refused, status, len(problems), built)))
    return ok


RST_SECTION = re.compile(r"^(\S[^\n]*)\n([=\-~^])\2+$", re.M)
VERSION_ADDED = re.compile(r"""^version_added: ["']?([^"'\s]+)""", re.M)


def new_in(tree: str, version: str) -> dict[str, set[str]]:
    """The modules, plugins (by type) and roles of the tree whose documentation says they are new in ``version``:
    those antsibull-changelog announces in that release."""
    found: dict[str, set[str]] = {}
    plugins = os.path.join(tree, "plugins")
    for kind in sorted(os.listdir(plugins)) if os.path.isdir(plugins) else []:
        for name in sorted(os.listdir(os.path.join(plugins, kind))):
            if name.startswith("_"):
                continue
            if name.endswith((".yml", ".yaml")):  # a plugin's documentation beside it (filters and tests)
                with open(os.path.join(plugins, kind, name), encoding="utf-8") as handle:
                    documentation = (yaml.safe_load(handle) or {}).get("DOCUMENTATION") or {}
                if str(documentation.get("version_added")) == version:
                    found.setdefault(kind, set()).add(documentation.get("name") or name.rsplit(".", 1)[0])
                continue
            if not name.endswith(".py"):
                continue
            with open(os.path.join(plugins, kind, name), encoding="utf-8") as handle:
                documentation = handle.read().partition("DOCUMENTATION")[2].partition("EXAMPLES")[0]
            match = VERSION_ADDED.search(documentation)  # the plugin's own, not an option's (indented)
            if match and match.group(1) == version:
                found.setdefault(kind, set()).add(name[:-3])
    roles = os.path.join(tree, "roles")
    for role in sorted(os.listdir(roles)) if os.path.isdir(roles) else []:
        specs = os.path.join(roles, role, "meta", "argument_specs.yml")
        if os.path.exists(specs):
            with open(specs, encoding="utf-8") as handle:
                main = (yaml.safe_load(handle) or {}).get("argument_specs", {}).get("main", {})
            if str(main.get("version_added")) == version:
                found.setdefault("roles", set()).add(role)
    return found


def changelog_problems(tree: str, version: str) -> list[str]:
    """What is missing from the changelog a release wrote: in CHANGELOG.rst, the version's section with a Release
    Summary that says something; in changelogs/changelog.yaml, the release with its summary and the modules, plugins
    and roles new in it (by their version_added), no more, no less. Structure only: the wording is the fragments'."""
    problems = []
    path = os.path.join(tree, "CHANGELOG.rst")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    headings = list(RST_SECTION.finditer(text))
    start = next((i for i, h in enumerate(headings) if h.group(1) == "v%s" % version), None)
    if start is None:
        problems.append("CHANGELOG.rst has no section v%s" % version)
    else:
        level = headings[start].group(2)
        inner = []
        for heading in headings[start + 1:]:
            if heading.group(2) == level:
                break
            inner.append(heading)
        summary = next((i for i, h in enumerate(inner) if h.group(1) == "Release Summary"), None)
        if summary is None:
            problems.append("CHANGELOG.rst: v%s has no Release Summary" % version)
        else:
            end = inner[summary + 1].start() if summary + 1 < len(inner) else len(text)
            if not text[inner[summary].end():end].strip():
                problems.append("CHANGELOG.rst: the Release Summary of v%s is empty" % version)
    try:
        with open(os.path.join(tree, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
            release = ((yaml.safe_load(handle) or {}).get("releases") or {}).get(version)
    except (OSError, yaml.YAMLError) as exc:
        return problems + ["changelogs/changelog.yaml cannot be read: %s" % exc]
    if not isinstance(release, dict):
        return problems + ["changelogs/changelog.yaml has no release %s" % version]
    if not str((release.get("changes") or {}).get("release_summary") or "").strip():
        problems.append("changelogs/changelog.yaml: release %s has no release_summary" % version)
    listed = {"modules": {item["name"] for item in release.get("modules") or []},
              "roles": {item["name"] for item in (release.get("objects") or {}).get("role") or []}}
    for kind, items in (release.get("plugins") or {}).items():
        listed[kind] = {item["name"] for item in items}
    expected = new_in(tree, version)
    for kind in sorted(set(listed) | set(expected)):
        if listed.get(kind, set()) != expected.get(kind, set()):
            problems.append("changelogs/changelog.yaml: release %s lists %s %s, the tree has %s new in it" % (
                version, kind, sorted(listed.get(kind, set())), sorted(expected.get(kind, set()))))
    return problems


# The ansible-core versions the collection claims, each on a Python it supports (docs: README, meta/runtime.yml).
# The pinned one (tests/requirements.txt) runs every suite; these run units, a smoke test, and sanity where marked.
MATRIX = (("2.16.19", "3.11", True), ("2.17.14", "3.11", False), ("2.18.19", "3.11", False),
          ("2.20.10", "3.12", False), ("2.21.5", "3.12", True))


def python_of(version: str) -> str:
    """A python of that version: on the PATH, or from pyenv (whose shims are not used: PYENV_VERSION is filtered)."""
    candidates = [shutil.which("python%s" % version)]
    root = os.path.join(os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv"), "versions")
    candidates += [os.path.join(root, name, "bin", "python%s" % version) for name in sorted(
        os.listdir(root) if os.path.isdir(root) else [], reverse=True) if name.startswith(version + ".")]
    for candidate in candidates:
        if candidate and os.path.exists(candidate) and subprocess.run(
                [candidate, "-c", "pass"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False) \
                .returncode == 0:  # a pyenv shim without a selected version does not run
            return candidate
    raise RuntimeError("no Python %s: install it, or put it on the PATH" % version)


def matrix(main_python: str, tree: str, home: str, env: dict[str, str]) -> tuple[int, int, int]:
    """Units and a smoke test (and sanity where marked) on every other ansible-core version the collection claims."""
    totals = [0, 0, 0]
    work = os.path.join(home, "matrix")
    config = os.path.join(work, "emulator_config.json")
    emulator = start_emulator(main_python, tree, os.path.join(work, "emulator"), env, config)
    try:
        for core, version, sanity in MATRIX:
            python = python_of(version)
            venv = os.path.join(work, "venv-%s" % core)
            venv_bin = os.path.join(venv, "bin")
            if not os.path.exists(os.path.join(venv, ".installed-%s" % core)):
                subprocess.run([python, "-m", "venv", "--clear", venv], check=True)
                subprocess.run([os.path.join(venv_bin, "python"), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", "ansible-core==%s" % core, "-r",
                                os.path.join(os.path.abspath(tree), "tests", "requirements-matrix.txt")], check=True)
                open(os.path.join(venv, ".installed-%s" % core), "w", encoding="utf-8").close()
            core_env = dict(env, PATH=os.pathsep.join((venv_bin, os.path.dirname(python), env["PATH"])))
            test = [os.path.join(venv_bin, "ansible-test")]
            print("== ansible-core %s on Python %s" % (core, version), flush=True)
            status, out = run(test + ["units", "--local", "--python", version, "--color", "no", "--num-workers", "2"],
                              tree, core_env)
            counts = units_verdict("units %s" % core, status, out, expected_units(tree))
            status, _out = run([os.path.join(venv_bin, "python"), os.path.join(os.path.abspath(tree), "tests",
                                                                               "tools", "smoke.py"),
                                venv_bin, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(tree)))),
                                config, os.path.join(work, "smoke-%s" % core)], tree, core_env)
            counts = (counts[0] + (not status), counts[1] + bool(status), counts[2])
            if sanity:
                status, out = run(test + ["sanity", "--venv", "--python", version, "--color", "no"], tree, core_env)
                ran = sanity_verdict("sanity %s" % core, status, out)
                counts = tuple(a + b for a, b in zip(counts, ran))
            print("ansible-core %s: %d passed, %d failed, %d skipped" % ((core,) + tuple(counts)), flush=True)
            totals = [a + b for a, b in zip(totals, counts)]
    finally:
        stop(emulator)
    return totals[0], totals[1], totals[2]


def bench(python: str, tree: str, work: str, env: dict[str, str]) -> tuple[int, int, int]:
    """`make bench` in small (one core, 200 services, one run): every row is measured (the fleet report's too), the
    floor builds the very inventory the plugin built, a warm run makes no request, and the table and the plot are
    written."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(tree))))
    status, out = run([python, os.path.join("tests", "perf", "bench.py"), root, work, "--runs", "1", "--scale", "200",
                       "--full", "200", "--module-services", "200", "--steer-services", "20"], tree, env)
    problems = []
    try:
        with open(os.path.join(work, "bench.json"), encoding="utf-8") as handle:
            figures = json.load(handle)
        for label, core in figures["cores"].items():
            full = core["scale"]["200"]
            if full["warm"]["requests"] != 0:
                problems.append("%s: the warm run made %s requests" % (label, full["warm"]["requests"]))
            if full["default"]["hosts"] < 100 or core["module"]["services"] != 200:
                problems.append("%s: too few hosts or services measured" % label)
            if not all(full[row]["ratio"] > 0 for row in ("default", "constructed", "warm")):
                problems.append("%s: a ratio is missing" % label)
            if full["report"]["services"] < 100 or not full["report"]["ratio"] > 0:
                problems.append("%s: the fleet report row is missing" % label)
            if core["steering"]["services"] != 20 or not core["steering"]["requests_per_service"] > 0:
                problems.append("%s: the steering run is missing" % label)
        ElementTree.parse(os.path.join(work, "per-service.svg"))
        with open(os.path.join(work, "bench.md"), encoding="utf-8") as handle:
            if handle.read().count("\n| ") < 9:
                problems.append("bench.md lacks rows")
    except (OSError, ValueError, KeyError, ElementTree.ParseError) as exc:
        problems.append("the figures could not be read: %s" % exc)
    for problem in problems:
        print("bench: %s" % problem, flush=True)
    return (0, 1, 0) if status or problems else (1, 0, 0)


def stop(proc: subprocess.Popen | None) -> None:
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def demo(python: str, tree: str, work: str, env: dict[str, str]) -> int:
    """`make demo`, against an emulator with a demo fleet, with the collection installed from its tarball: the
    module demo (demo/demo.yml), a service of each provider steered through its life (demo/steer.yml), the failed
    services of the three providers' inventory as a graph, a play limited to the running services of one workspace
    (demo/running.yml), and the fleet report (demo/report.yml), whose path is printed. What it prints is kept to what
    a person reads: summaries, not every host."""
    config = os.path.join(work, "demo_vars.json")
    fleet = ("--pai-eas-services", "240", "--seed", "7", "--modelarts-services", "60", "--fabric-instances", "40")
    emulator = start_emulator(python, tree, work, env, config, fleet)
    bin_dir = os.path.dirname(python)
    try:
        with open(config, encoding="utf-8") as handle:
            emu = json.load(handle)
        sources = [
            {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": emu["emulator_https_url"],
             "ca_path": emu["emulator_ca_cert"], "access_key_id": emu["pai_eas_access_key_id"],
             "access_key_secret": emu["pai_eas_access_key_secret"]},
            {"provider": "modelarts", "region": "cn-north-4", "endpoint": emu["emulator_http_url"],
             "iam_endpoint": emu["emulator_http_url"], "access_key": emu["huawei_access_key"],
             "secret_key": emu["huawei_secret_key"]},
            {"provider": "dataarts_fabric", "region": "cn-north-4", "endpoint": emu["emulator_http_url"],
             "iam_endpoint": emu["emulator_http_url"], "access_key": emu["huawei_access_key"],
             "secret_key": emu["huawei_secret_key"], "filters": {"workspace_id": "ws-0001"}}]
        inventory = os.path.join(work, "demo.inference_services.yml")
        report = os.path.join(work, "report")
        with open(inventory, "w", encoding="utf-8") as handle:
            json.dump({"plugin": "modelserving.cloud.inference_services", "sources": sources}, handle, indent=2)
        with open(os.path.join(work, "report_vars.json"), "w", encoding="utf-8") as handle:
            json.dump({"service_report_sources": sources, "service_report_dir": report}, handle)
        strict = dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="true")  # an inventory that fails stops the demo
        steps = [
            ([os.path.join(bin_dir, "ansible-playbook"), "demo/demo.yml", "-e", "@" + config], env),
            ([os.path.join(bin_dir, "ansible-playbook"), "demo/steer.yml", "-e", "@" + config], env),
            ([os.path.join(bin_dir, "ansible-inventory"), "-i", inventory, "--graph", "status_failed"], strict),
            ([os.path.join(bin_dir, "ansible-playbook"), "-i", inventory, "demo/running.yml", "--limit",
              "status_running:&workspace_123445"], strict),
            ([os.path.join(bin_dir, "ansible-playbook"), "demo/report.yml", "-e",
              "@" + os.path.join(work, "report_vars.json")], env),
        ]
        for step, step_env in steps:
            status = run(step, tree, step_env)[0]
            if status:
                return status
        print("\nThe fleet report: %s (also report.md, services.json and services.csv there)" % os.path.join(
            report, "report.html"), flush=True)
        return 0
    finally:
        stop(emulator)


RUFF_FILE = re.compile(r"^(\S+?\.pyi?):\d+:\d+: ", re.M)


def ruff_files(venv_bin: str, tree: str, env: dict[str, str]) -> list[str]:
    """The Python files ruff checks in the tree (as ruff.toml includes and excludes them)."""
    out = subprocess.run([os.path.join(venv_bin, "ruff"), "check", "--show-files", "."], cwd=tree, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False).stdout
    return [line for line in out.splitlines() if line.strip().endswith(".py")]


def lint_counts(status: int, out: str, checked: int) -> tuple[int, int, int]:
    """One result per file ruff checked: failed for each file it reported, passed for the rest. A run that checked
    no file, or failed without naming one (a bad configuration), counts as one failure."""
    failed = len(set(RUFF_FILE.findall(out)))
    if checked == 0 or (status and not failed):
        return 0, 1, 0
    return checked - failed, failed, 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", required=True, help="the collection in its ansible_collections/ layout")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--home", required=True, help="HOME for ansible-test (holds the get-pip bootstrap)")
    parser.add_argument("--release-venv", help="the venv with galaxy-importer and ansible-lint (release suite)")
    parser.add_argument("--eda-venv", help="the venv with ansible-rulebook (integration: the event source)")
    parser.add_argument("suites", nargs="+", choices=["lint", "sanity", "units", "integration", "changelog",
                                                      "release", "matrix", "bench", "demo", "docs"])
    args = parser.parse_args()
    venv_bin = os.path.join(os.path.abspath(args.venv), "bin")
    python = os.path.join(venv_bin, "python")
    env = dict(os.environ, HOME=os.path.abspath(args.home), PATH=venv_bin + os.pathsep + os.environ["PATH"],
               ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    env.pop("PYTHONPATH", None)
    ansible_test = [os.path.join(venv_bin, "ansible-test")]
    work = os.path.join(os.path.abspath(args.home), "emulator")
    if args.suites == ["demo"]:
        return demo(python, args.tree, work, env)
    totals = [0, 0, 0]
    began = time.monotonic()
    for suite in args.suites:
        emulator = None
        suite_began = time.monotonic()
        try:
            if suite == "lint":  # ruff, as ruff.toml sets it: one result per file it checked
                status, out = run([os.path.join(venv_bin, "ruff"), "check", "--no-cache", "--output-format",
                                   "concise", "."], args.tree, env)
                counts = lint_counts(status, out, len(ruff_files(venv_bin, args.tree, env)))
            elif suite == "sanity":
                status, out = run(ansible_test + ["sanity", "--venv", "--python", "3.11", "--color", "no"],
                                  args.tree, env)
                counts = sanity_verdict(suite, status, out)
            elif suite == "units":
                status, out = run(ansible_test + ["units", "--local", "--python", "3.11", "--color", "no",
                                                  "--num-workers", "2"], args.tree, env)
                counts = units_verdict(suite, status, out, expected_units(args.tree))
            elif suite == "integration":
                emulator = start_emulator(python, args.tree, work, env, os.path.join(
                    args.tree, "tests", "integration", "integration_config.yml"), eda_bin=os.path.join(
                        os.path.abspath(args.eda_venv), "bin") if args.eda_venv else None)
                # TARGETS (environment): run only these integration targets, for development.
                chosen = os.environ.get("TARGETS", "").split()
                status, out = run(ansible_test + ["integration", "--local", "--python", "3.11", "--color", "no",
                                                  "--continue-on-error"] + chosen, args.tree, env)
                counts = integration_counts(status, out)
                missing = missing_targets(out, expected_targets(args.tree, chosen))
                if missing:
                    print("integration: these targets did not run: %s" % ", ".join(missing), flush=True)
                    counts = (counts[0], counts[1] + len(missing), counts[2])
            elif suite == "matrix":
                counts = matrix(python, args.tree, os.path.abspath(args.home), env)
            elif suite == "bench":
                counts = bench(python, args.tree, os.path.join(os.path.abspath(args.home), "bench"), env)
            elif suite == "docs":
                import docs_suite  # pylint: disable=import-outside-toplevel  # beside this script
                counts = docs_suite.docs(os.path.abspath(args.venv), os.path.abspath(args.release_venv), args.tree,
                                         os.path.join(os.path.abspath(args.home), "docs"), env)
            elif suite == "release":
                counts = release(venv_bin, os.path.join(os.path.abspath(args.release_venv), "bin"), args.tree,
                                 os.path.join(os.path.abspath(args.home), "release"), env)
            else:
                status, out = run([os.path.join(venv_bin, "antsibull-changelog"), "lint"], args.tree, env)
                counts = (0, 1, 0) if status else (1, 0, 0)
        except (OSError, RuntimeError) as exc:
            print("%s: could not run: %s" % (suite, exc), flush=True)
            counts = (0, 1, 0)
        finally:
            stop(emulator)
        print("%s: %d passed, %d failed, %d skipped (%.0f s)" % ((suite,) + tuple(counts) + (
            time.monotonic() - suite_began,)), flush=True)
        totals = [a + b for a, b in zip(totals, counts)]
    print("all suites: %.1f minutes" % ((time.monotonic() - began) / 60), flush=True)
    print("%d passed, %d failed, %d skipped" % tuple(totals), flush=True)
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main())
