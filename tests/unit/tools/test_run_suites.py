# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The runner of `make test`: a suite that runs fewer tests than it has, or a required sanity test that does not run,
fails, whatever its exit status; a skipped test is not a run one; a release is checked by its changelog's structure."""

from __future__ import annotations

from ansible_collections.modelserving.cloud.tests.tools import run_suites

NO_TESTS = "============================ no tests ran in 0.12s =============================\n"
TWO_TARGETS = ("Running alpha integration test role\nRunning beta integration test script\n")


def test_a_unit_run_that_collected_nothing_fails(tmp_path, capsys):
    unit = tmp_path / "tests" / "unit" / "plugins"
    unit.mkdir(parents=True)
    (unit / "test_one.py").write_text("def test_a():\n    pass\n\n\nasync def test_b():\n    pass\n")
    (unit / "helper.py").write_text("def test_not_collected():\n    pass\n")
    assert run_suites.expected_units(str(tmp_path)) == 2
    counts = run_suites.pytest_counts(0, NO_TESTS)
    assert counts == (0, 0, 0)  # pytest's "no tests ran" exits 0 under ansible-test
    assert run_suites.enough("units", counts, sum(counts), 2, "results") == (0, 1, 0)
    assert "ran 0 results, expected at least 2" in capsys.readouterr().out


def test_enough_results_pass_unchanged():
    assert run_suites.enough("units", (5, 1, 2), 8, 8, "results") == (5, 1, 2)


def test_a_sanity_run_of_too_few_tests_fails():
    out = 'Running sanity test "pep8"\nRunning sanity test "pylint"\n'
    counts = run_suites.sanity_counts(0, out)
    assert counts == (2, 0, 0)
    assert run_suites.enough("sanity", counts, 2, run_suites.MIN_SANITY, "tests")[1] == 1


def test_every_integration_target_must_run(tmp_path):
    targets = tmp_path / "tests" / "integration" / "targets"
    for name in ("alpha", "beta", "gamma"):
        (targets / name).mkdir(parents=True)
        (targets / name / "aliases").write_text("context/controller\n")
    (targets / "setup_files").mkdir()  # no aliases: not a target
    expected = run_suites.expected_targets(str(tmp_path), [])
    assert expected == ["alpha", "beta", "gamma"]
    assert run_suites.missing_targets(TWO_TARGETS, expected) == ["gamma"]
    assert run_suites.missing_targets(TWO_TARGETS, run_suites.expected_targets(str(tmp_path), ["beta"])) == []
    assert run_suites.integration_counts(0, TWO_TARGETS) == (2, 0, 0)


def sanity_output(*missing: str, without_shellcheck: bool = False) -> str:
    """ansible-test's sanity output: every required test and enough others started, less ``missing``."""
    names = [n for n in run_suites.REQUIRED_SANITY if n not in missing]
    names += ["other-%d" % i for i in range(run_suites.MIN_SANITY)]
    out = ['WARNING: Using locale "C.UTF-8" instead of "en_US.UTF-8".\n']
    for name in names:
        out.append('Running sanity test "%s"\n' % name)
        if name == "shellcheck" and without_shellcheck:
            out.append('WARNING: Required program "shellcheck" not found.\n')
    if without_shellcheck:  # ansible-test repeats its warnings at the end
        out.append('WARNING: Reviewing previous 2 warning(s):\nWARNING: Using locale "C.UTF-8"\n'
                   'WARNING: Required program "shellcheck" not found.\n')
    return "".join(out)


def test_skipped_unit_results_are_not_runs(capsys):
    out = "=================== 2 passed, 6 skipped in 0.51s ===================\n"
    assert run_suites.units_verdict("units", 0, out, 3) == (2, 1, 6)
    assert "ran 2 unit test results" in capsys.readouterr().out
    assert run_suites.units_verdict("units", 0, out.replace("2 passed", "3 passed"), 3) == (3, 0, 6)


def test_a_suite_that_ran_nothing_fails_whatever_its_floor(capsys):
    assert run_suites.enough("units", (0, 0, 4), 0, 0, "results") == (0, 1, 4)
    assert "ran 0 results, expected at least 1" in capsys.readouterr().out


def test_a_full_sanity_run_passes(capsys):
    ran = len(run_suites.REQUIRED_SANITY) + run_suites.MIN_SANITY
    assert run_suites.sanity_verdict("sanity", 0, sanity_output()) == (ran, 0, 0)
    assert capsys.readouterr().out == ""


def test_sanity_without_shellcheck_fails_and_says_how_to_get_it(capsys):
    out = sanity_output(without_shellcheck=True)
    ran = len(run_suites.REQUIRED_SANITY) + run_suites.MIN_SANITY - 1
    assert run_suites.sanity_counts(0, out) == (ran, 0, 1)  # skipped once, though ansible-test says it twice
    assert run_suites.sanity_verdict("sanity", 0, out) == (ran, 1, 0)
    said = capsys.readouterr().out
    assert 'required sanity test "shellcheck" did not run (program "shellcheck" not found)' in said
    assert "apt-get install shellcheck" in said


def test_a_required_sanity_test_that_did_not_start_fails(capsys):
    out = sanity_output("pylint", "validate-modules")
    assert run_suites.sanity_verdict("sanity", 0, out)[1] == 2
    said = capsys.readouterr().out
    assert 'required sanity test "pylint" did not run' in said
    assert 'required sanity test "validate-modules" did not run' in said


def test_a_sanity_test_skipped_on_its_python_is_not_a_run():
    out = sanity_output() + 'WARNING: Skipping sanity test "import" on Python 3.11 due to missing libyaml support.\n'
    assert run_suites.sanity_results(out)[1] == {
        "import": 'Skipping sanity test "import" on Python 3.11 due to missing libyaml support.'}
    assert run_suites.sanity_verdict("sanity", 0, out)[1] == 1


CHANGELOG = """\
=============
Release Notes
=============

v1.0.0
======

Release Summary
---------------

%s

New Modules
-----------

- ns.col.foo_info - Whatever it says.

v0.9.0
======

Release Summary
---------------

Older words.
"""
MODULE = '''\
DOCUMENTATION = r"""
module: foo_info
version_added: 1.0.0
options:
  name:
    version_added: 0.9.0
"""
EXAMPLES = ""
'''
RELEASES = """\
releases:
  1.0.0:
    changes:
      release_summary: Any words at all.
    modules:
      - {name: foo_info, description: Whatever it says., namespace: ''}
    objects:
      role:
        - {name: gate, description: Waits., namespace: null}
"""


def released_tree(tmp_path, summary="Any words at all."):
    """A collection as `make release` leaves it: a module and a role new in 1.0.0, a plugin of 0.9.0."""
    files = {
        "plugins/modules/foo_info.py": MODULE,
        "plugins/inventory/bar.py": 'DOCUMENTATION = """\nversion_added: 0.9.0\n"""\n',
        "plugins/module_utils/core.py": "X = 1\n",
        "roles/gate/meta/argument_specs.yml": "argument_specs:\n  main:\n    version_added: 1.0.0\n",
        "changelogs/changelog.yaml": RELEASES,
        "CHANGELOG.rst": CHANGELOG % summary,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)


def test_the_release_check_reads_structure_not_wording(tmp_path):
    released_tree(tmp_path, summary="Words nobody checks for.")
    assert run_suites.new_in(str(tmp_path), "1.0.0") == {"modules": {"foo_info"}, "roles": {"gate"}}
    assert run_suites.changelog_problems(str(tmp_path), "1.0.0") == []


def test_the_release_check_finds_what_a_release_lacks(tmp_path):
    released_tree(tmp_path)
    (tmp_path / "changelogs" / "changelog.yaml").write_text(RELEASES.split("    objects:", maxsplit=1)[0])
    rst = (tmp_path / "CHANGELOG.rst").read_text()
    (tmp_path / "CHANGELOG.rst").write_text(rst.replace("Release Summary\n---------------\n\nAny words at all.", "", 1))
    assert run_suites.changelog_problems(str(tmp_path), "1.0.0") == [
        "CHANGELOG.rst: v1.0.0 has no Release Summary",  # v0.9.0's does not stand in for it
        "changelogs/changelog.yaml: release 1.0.0 lists roles [], the tree has ['gate'] new in it"]
    assert run_suites.changelog_problems(str(tmp_path), "1.1.0") == [
        "CHANGELOG.rst has no section v1.1.0", "changelogs/changelog.yaml has no release 1.1.0"]


def test_a_plugin_documented_beside_its_file_counts_as_new_too(tmp_path):
    """Filters keep their documentation in a .yml beside the .py: antsibull-changelog announces them all the same."""
    released_tree(tmp_path)
    (tmp_path / "plugins" / "filter").mkdir(parents=True)
    (tmp_path / "plugins" / "filter" / "report.py").write_text("class FilterModule:\n    pass\n")
    (tmp_path / "plugins" / "filter" / "report.yml").write_text(
        "DOCUMENTATION:\n  name: report\n  version_added: 1.0.0\n  short_description: x\n")
    assert run_suites.new_in(str(tmp_path), "1.0.0")["filter"] == {"report"}
