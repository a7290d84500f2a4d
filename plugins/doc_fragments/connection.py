# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The connection options of every face (``DOCUMENTATION``: the modules, service_info and the inventory), and the
    listing options of those that list (``LISTING``).

    Held against the declaration (``module_utils/listing.py`` HTTP_OPTIONS and CONNECTION_OPTIONS,
    ``module_utils/sources.py`` CONNECTION_KEYS) by ``tests/unit/plugins/doc_fragments/test_doc_fragments.py``. The
    event source and the roles point here instead of copying it.
    """

    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - Seconds to wait for each reply once connected.
      - An endpoint that does not answer is tried three times at most, so with the defaults it fails within a
        minute; the error says how long it waited and how often.
    type: float
    default: 15
  connect_timeout:
    description:
      - Seconds to wait for a connection.
    type: float
    default: 5
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only turn this off for a test endpoint.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify the API's certificate against, instead of the system's.
    type: path
  max_retries:
    description:
      - How many times a request is retried after a throttling reply, a server error, a timeout, a dropped
        connection or an unreadable reply, with capped exponential backoff and jitter, honouring C(Retry-After).
      - Authentication errors and other client errors are never retried, nor is a host name that does not resolve
        (a mistyped region or endpoint), which fails at once saying so.
      - A call that creates something is retried only when it cannot have been carried out (no connection, or
        throttled), never after a timeout or a server error, which could make it twice.
    type: int
    default: 5
notes:
  - Proxies are taken from the environment variables E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY).
requirements:
  - requests
"""

    LISTING = r"""
options:
  deadline:
    description:
      - Seconds a whole listing (every page, retry and wait) may take; then it fails, saying so.
    type: float
    default: 300
  concurrency:
    description:
      - How many requests are made at once, from 1 to 64; where there are C(sources), over all of them and their
        regions and pages together.
    type: int
    default: 8
  max_results:
    description:
      - Stop after this many services (where there are C(sources), per source and region). By default every
        matching service is returned.
    type: int
  query:
    description:
      - A JMESPath expression applied to the list of services once every page is read, such as
        V([?status=='running']).
      - Where there are C(sources), it applies to the services of every source that has no C(query) of its own, and
        may only select services, keeping each one whole.
    type: str
requirements:
  - jmespath (for O(query))
"""
