# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The ``sources`` option of every face that lists many sources: the inventory and service_info.

    The shape is validated once, in ``module_utils/sources.py``;
    ``tests/unit/plugins/doc_fragments/test_doc_fragments.py`` holds this text to its SOURCE_KEYS. The event source
    and the roles point here instead of copying it.
    """

    DOCUMENTATION = r"""
options:
  sources:
    description:
      - Where to list services. Each item names a C(provider) (V(pai_eas), V(modelarts) or V(dataarts_fabric)), its
        C(regions) (a list of region IDs) or one C(region), and C(filters), a dictionary taking exactly the filter
        options of that provider's module (M(modelserving.cloud.pai_eas_service_info),
        M(modelserving.cloud.modelarts_service_info), M(modelserving.cloud.dataarts_fabric_service_info)).
      - An item may also set any other option of that module, such as its credentials (C(access_key_id) and
        C(access_key_secret) for PAI-EAS; C(access_key) and C(secret_key), or C(username), C(password) and
        C(domain_name) for ModelArts and DataArts Fabric), C(endpoint), the connection options (C(timeout),
        C(max_retries) ...), C(page_size) and C(max_results), and a C(query) of its own.
      - Connection options an item does not set are taken from the options of the same name here; credentials an
        item does not set are read from the environment variables the modules read (E(ALIBABA_CLOUD_ACCESS_KEY_ID),
        E(HUAWEICLOUD_SDK_AK), E(OS_USERNAME) ...), which is how AWX passes them.
      - Every item is checked before anything is listed; an unknown key, a filter the provider does not have or a
        value of the wrong type is an error that names the item (C(sources[0])) and what to fix.
      - Sources may overlap; a service that several of them list is taken once, with the first source's record.
    type: list
    elements: dict
    required: true
"""
