# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Alibaba Cloud credentials (PAI-EAS). MODULES for modules, PLUGINS (with C(env) entries) for plugins."""

    MODULES = r"""
options:
  access_key_id:
    description:
      - The AccessKey ID.
      - If not set, the environment variable E(ALIBABA_CLOUD_ACCESS_KEY_ID) is used, then E(ALICLOUD_ACCESS_KEY).
    type: str
  access_key_secret:
    description:
      - The AccessKey secret.
      - If not set, the environment variable E(ALIBABA_CLOUD_ACCESS_KEY_SECRET) is used, then E(ALICLOUD_SECRET_KEY).
    type: str
  security_token:
    description:
      - The STS security token, for temporary credentials (an AccessKey ID starting with C(STS.)).
      - If not set, the environment variable E(ALIBABA_CLOUD_SECURITY_TOKEN) is used, then E(ALICLOUD_SECURITY_TOKEN).
    type: str
  region:
    description:
      - The region ID, for example C(cn-hangzhou). It selects the endpoint C(pai-eas.<region>.aliyuncs.com).
      - If not set, the environment variable E(ALIBABA_CLOUD_REGION_ID) is used, then E(ALICLOUD_REGION).
      - Required unless O(endpoint) is set.
    type: str
  endpoint:
    description:
      - The API endpoint, overriding the one derived from O(region).
      - A URL such as V(https://pai-eas-manage-vpc.cn-hangzhou.aliyuncs.com) (a VPC endpoint) or
        V(http://127.0.0.1:8080) (a test emulator), or a bare host name, for which HTTPS is used.
    type: str
notes:
  - Requests are signed with ACS3-HMAC-SHA256, as the Alibaba Cloud SDKs do.
"""

    PLUGINS = r"""
options:
  access_key_id:
    description:
      - The AccessKey ID.
    type: str
    env:
      - name: ALIBABA_CLOUD_ACCESS_KEY_ID
      - name: ALICLOUD_ACCESS_KEY
  access_key_secret:
    description:
      - The AccessKey secret.
    type: str
    env:
      - name: ALIBABA_CLOUD_ACCESS_KEY_SECRET
      - name: ALICLOUD_SECRET_KEY
  security_token:
    description:
      - The STS security token, for temporary credentials.
    type: str
    env:
      - name: ALIBABA_CLOUD_SECURITY_TOKEN
      - name: ALICLOUD_SECURITY_TOKEN
  region:
    description:
      - The region ID, for example C(cn-hangzhou).
    type: str
    env:
      - name: ALIBABA_CLOUD_REGION_ID
      - name: ALICLOUD_REGION
  endpoint:
    description:
      - The API endpoint (a URL or a bare host), overriding the one derived from O(region).
    type: str
"""
