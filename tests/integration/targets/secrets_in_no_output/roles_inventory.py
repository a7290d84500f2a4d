# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write an inventory whose sources assume a RAM role with STS keys and a Huawei agency.

Usage: roles_inventory.py CONFIG OUT
"""

from __future__ import annotations

import json
import sys

CONFIG = json.load(open(sys.argv[1], encoding="utf-8"))
EMU = CONFIG["emulator_http_url"]
SOURCES = [
    {"provider": "pai_eas", "region": "cn-hangzhou", "endpoint": EMU, "sts_endpoint": EMU,
     "access_key_id": CONFIG["pai_eas_sts_access_key_id"],
     "access_key_secret": CONFIG["pai_eas_sts_access_key_secret"],
     "security_token": CONFIG["pai_eas_sts_security_token"], "role_arn": CONFIG["pai_eas_role_reader"]},
    {"provider": "modelarts", "region": "cn-north-4", "endpoint": EMU, "iam_endpoint": EMU,
     "access_key": CONFIG["huawei_access_key"], "secret_key": CONFIG["huawei_secret_key"],
     "agency_name": CONFIG["huawei_agency"]["agency_name"],
     "agency_domain_name": CONFIG["huawei_agency"]["domain_name"]},
]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump({"plugin": "modelserving.cloud.inference_services", "sources": SOURCES}, out)  # JSON is YAML
