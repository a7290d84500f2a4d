# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An offline emulator of the cloud APIs the collection calls, for tests and `make demo`.

It serves the list APIs over HTTP and HTTPS on 127.0.0.1, checks signatures the way the clouds do, generates its
fleet from a seed and injects faults on demand. Nothing under plugins/ imports it. Run it with
``PYTHONPATH=tests python -m emulator --help``.
"""
