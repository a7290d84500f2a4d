# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud DataArts Fabric ``ListServicesInstances`` (``GET /v1/workspaces/{workspace_id}/services/instances``).

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_auth, huawei_signer
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Filter, Paging, ProviderSpec

# The credentials (and the files they may come from), signer and error reader are the Huawei family's.
AUTH_OPTIONS, AUTH_HINT = huawei_auth.AUTH_OPTIONS, huawei_signer.AUTH_HINT
signer, read_error = huawei_auth.signer, huawei_signer.read_error
from_files, cache_identity = huawei_auth.from_files, huawei_auth.cache_identity

# Every query parameter of the API document (docs/docsite/rst/wire.rst C) but offset and limit; the workspace is
# part of the path. Query values go as given, percent-encoded and signed: the cloud judges them (the name search is
# fuzzy, and names may hold characters the document's query constraint leaves out). Only the workspace ID, which goes
# into the URL path, is checked here, to keep the path intact: 1 to 36 letters, digits and hyphens, as the document
# says.
WORKSPACE_ID = r"[A-Za-z0-9-]{1,36}"
FILTERS = (
    Filter("id", "id"),
    Filter("name", "name"),
    Filter("endpoint_id", "endpoint_id"),
    Filter("source_id", "source_id"),
    Filter("version_id", "version_id"),
    Filter("type", "type", values=("PGSQL_SERVICE", "LLM_MODEL")),
    Filter("visibility", "visibility", values=("PRIVATE", "PUBLIC")),
    Filter("sort_by", "sort_by", values=("CREATE_TIME", "DURATION")),
    Filter("order_by", "order_by", values=("ASC", "DESC")),
)

SPEC = ProviderSpec(
    name="dataarts_fabric",
    title="DataArts Fabric",
    endpoints={"huaweicloud": "https://fabric-ep.{region}.myhuaweicloud.com"},
    operation="list service instances",
    method="GET",
    path="/v1/workspaces/{workspace_id}/services/instances",
    path_params=(Filter("workspace_id", "workspace_id", pattern=WORKSPACE_ID),),
    filters=FILTERS,
    # limit is 1 to 100 (default 10) and offset counts records.
    paging=Paging(style="offset", index_param="offset", size_param="limit", default_size=100, max_size=100),
    items_key="service_instances",
    total_key="total",
    request_id_key=None,
    request_id_header="X-Request-Id",
    id_field="id",
    common={
        "service_id": "id",
        "service_name": "name",
        "resource_group": "endpoint_id",
        "created_at": "create_time",
        "updated_at": "update_time",
    },
    status_field="status",
    config_fields=("config",),
    retry_codes=huawei_signer.RETRY_CODES,
    auth_codes=huawei_signer.AUTH_CODES,
)
