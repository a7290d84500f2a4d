# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The attributes every info module, and every lifecycle module, of the collection shares (its action group is its
    own); a lifecycle module's waiting options too."""

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
    description: The status, replicas, the compared part of the configuration, the labels and the other fields the
      task sets, before and after, secret values masked.
  action:
    support: partial
    description: The credential options and the options that name where the service lives (such as a workspace in
      the API's path) are checked on the controller first (a dictionary or list where a string is expected is
      refused there, naming the option); then the module runs on the task's host.
options:
  wait:
    description:
      - Wait after each write until the cloud has done it (running, stopped, or gone). With V(false), the last write
        is not waited for; earlier ones are, since the API refuses a change while another is under way.
      - The service is read soon after a write, then less and less often, up to every ten seconds.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait in all; then the task fails, naming the status last seen.
    type: int
    default: 600
"""
