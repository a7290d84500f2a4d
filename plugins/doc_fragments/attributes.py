# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The attributes every info module, and every lifecycle module, of the collection shares (its action group is its
    own)."""

    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    description: The module never changes anything.
  diff_mode:
    support: none
    description: The module never changes anything.
"""

    LIFECYCLE_MODULE = r"""
attributes:
  check_mode:
    support: full
    description: Nothing is sent but reads; C(changed), RV(actions) and the diff say what a real run would do.
  diff_mode:
    support: full
    description: The status, replicas, the compared part of the configuration and the labels, before and after,
      secret values masked.
"""
