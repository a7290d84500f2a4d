# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Python libraries the collection needs beside ansible-core, checked in one place for every face.

Private to modelserving.cloud: this module may change without notice.

The core calls :func:`require` where it first needs a library (the transport for ``requests``, ``query`` for
``jmespath``, a clouds.yaml for ``PyYAML``), so that the modules, the inventory, ``service_info`` and the event source
all fail with the same one-line :class:`ConfigError` instead of an ``AttributeError`` on ``None``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError

# import name -> (the name pip installs, what it is needed for)
LIBRARIES = {
    "requests": ("requests", "every API call"),
    "jmespath": ("jmespath", "the query option"),
    "yaml": ("PyYAML", "reading clouds.yaml (os_cloud)"),
}


def missing(name: str, load: bool = True) -> str | None:
    """The one-line message for library ``name`` when it cannot be imported on this Python, else None.

    :param load: import it; else only look whether this Python has it, without the import's cost (a check made before
        anything is known to be sent: an inventory read from its cache sends nothing).
    """
    try:
        if load:
            importlib.import_module(name)
        elif sys.modules.get(name) is None and importlib.util.find_spec(name) is None:
            raise ImportError(name)
    except ImportError:
        package, purpose = LIBRARIES[name]
        return ("%s is not installed for this Python, which needs it for %s: install it with pip install %s, or "
                "pip install -r requirements.txt of the collection" % (package, purpose, package))
    return None


def require(name: str, load: bool = True) -> None:
    """Raise a :class:`ConfigError` saying how to install ``name`` when it is missing; nothing is sent then.

    :param load: as for :func:`missing`.
    """
    message = missing(name, load)
    if message:
        raise ConfigError(message, operation="load the Python library %s" % LIBRARIES[name][0],
                          hint="The Python here is %s %s" % (sys.executable or "python", sys.version.split()[0]))
