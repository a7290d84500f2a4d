# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-in for the get-pip script ansible-test downloads to bootstrap pip in its venvs.

`make test` copies it to ~/.ansible/test/cache/get_pip_<version>.py (HOME being a folder of the build), where
ansible-test looks for a cached copy before it tries to download one. It installs pip with ensurepip, then the
version ansible-test asked for from the package index.
"""

from __future__ import annotations

import subprocess
import sys


def main() -> None:
    args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)
    if "--no-setuptools" in sys.argv:
        subprocess.call([sys.executable, "-m", "pip", "uninstall", "--yes", "setuptools"])


if __name__ == "__main__":
    main()
