# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud / Open Telekom Cloud ModelArts "Obtaining Services" (``GET /v1/{project_id}/services``).

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth, huawei_signer
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Filter, Paging, ProviderSpec

# The credentials (and the files they may come from), signer and error reader are the Huawei family's.
AUTH_OPTIONS, AUTH_HINT = huawei_auth.AUTH_OPTIONS, huawei_signer.AUTH_HINT
signer, read_error = huawei_auth.signer, huawei_signer.read_error
from_files, cache_identity = huawei_auth.from_files, huawei_auth.cache_identity

STATUSES = ("running", "deploying", "concerning", "failed", "stopped", "finished", "stopping", "deleting", "pending",
            "waiting")

# Every query parameter of the API document (docs/docsite/rst/wire.rst B.2) but offset and limit.
# infer_type: Huawei Cloud also has edge; Open Telekom Cloud only real-time and batch.
FILTERS = (
    Filter("service_id", "service_id"),
    Filter("service_name", "service_name"),
    Filter("model_id", "model_id"),
    Filter("workspace_id", "workspace_id"),
    Filter("infer_type", "infer_type", values=("real-time", "batch", "edge")),
    Filter("status", "status", values=STATUSES),
    Filter("sort_by", "sort_by", values=("publish_at", "service_name", "transition_at")),
    Filter("order", "order", values=("asc", "desc")),
    Filter("tags", "tags"),
)

SPEC = ProviderSpec(
    name="modelarts",
    title="ModelArts",
    endpoints={
        "huaweicloud": "https://modelarts.{region}.myhuaweicloud.com",
        # The one exception in the SDK's region table (docs/docsite/rst/wire.rst B.7).
        "huaweicloud/ap-southeast-1": "https://modelarts.ap-southeast-1.myhuaweicloud.cn",
        "otc": "https://modelarts.{region}.otc.t-systems.com",
    },
    operation="list services",
    method="GET",
    path="/v1/{project_id}/services",
    detail_path="/v1/{project_id}/services/{service_id}",
    filters=FILTERS,
    # The document gives limit a default of 1000 and no maximum; offset's meaning is found out
    # (docs/docsite/rst/wire.rst B.3).
    paging=Paging(style="offset_probe", index_param="offset", size_param="limit", default_size=1000,
                  max_size=1000),
    items_key="services",
    total_key="total_count",
    request_id_key=None,
    request_id_header="X-Request-Id",
    id_field="service_id",
    common={
        "service_id": "service_id",
        "service_name": "service_name",
        "workspace_id": "workspace_id",
        "resource_group": "config.0.pool_name|config.0.cluster_id|pool_name",
        "endpoint": "access_address|invocation_url",
        "created_at": "publish_at",
        "updated_at": "transition_at|update_time",
        "project_id": "project",  # what names the service in lifecycle calls, with service_id
    },
    status_field="status",
    config_fields=("config",),
    labels=("tags", "key", "value"),
    retry_codes=huawei_signer.RETRY_CODES,
    auth_codes=huawei_signer.AUTH_CODES,
)
