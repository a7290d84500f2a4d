# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The runner of `make test`: a suite that runs fewer tests than it has fails, whatever its exit status."""

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
