# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A port already taken: the emulator says which one and what to do, on stderr, and exits non-zero; with --detach
the parent that waits for it shows the same words instead of a generic 'ended before it listened'."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from ansible_collections.modelserving.cloud.tests import emulator
from ansible_collections.modelserving.cloud.tests.tools import run_suites

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(emulator.__file__)))  # where `python -m emulator` runs
SMALL = ("--pai-eas-services", "1", "--modelarts-services", "1", "--fabric-instances", "1")


@pytest.fixture(name="taken")
def taken_port():
    """A port of 127.0.0.1 that a listening socket of this test holds."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def run_emulator(tmp_path, *args):
    state = str(tmp_path / "state.json")
    env = dict(os.environ, PYTHONPATH=TESTS)
    done = subprocess.run([sys.executable, "-m", "emulator", "--state-file", state] + list(SMALL) + list(args),
                          cwd=TESTS, env=env, capture_output=True, text=True, timeout=60, check=False)
    return state, done


@pytest.mark.parametrize("option, detach", [
    ("--http-port", False),
    ("--http-port", True),
    ("--https-port", True),
])
def test_a_taken_port_is_named_with_what_to_do(tmp_path, taken, option, detach):
    state, done = run_emulator(tmp_path, option, str(taken), *(["--detach"] if detach else []))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr == ("port %d is in use (another emulator? stop it with python -m emulator --stop --state-file "
                           "%s) or choose another with %s\n" % (taken, state, option))
    assert done.stdout == ""
    assert not os.path.exists(state)


def test_the_suites_harness_shows_what_the_emulator_said(tmp_path, taken):
    work = str(tmp_path / "emulator")
    with pytest.raises(RuntimeError) as info:
        run_suites.start_emulator(sys.executable, os.path.dirname(TESTS), work, dict(os.environ),
                                  str(tmp_path / "config.json"), SMALL + ("--http-port", str(taken)))
    state = os.path.join(work, "state.json")
    assert str(info.value) == (
        "the emulator ended before it listened (exit 1): port %d is in use (another emulator? stop it with python -m "
        "emulator --stop --state-file %s) or choose another with --http-port" % (taken, state))
