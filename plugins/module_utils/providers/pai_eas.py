# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alibaba Cloud PAI-EAS ``ListServices`` (ROA, 2021-07-01): the declaration, the ACS3 signer, credentials.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import typing as t
import uuid

from ansible_collections.modelserving.cloud.plugins.module_utils.providers import alibaba_chain, alibaba_sts
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import Filter, Paging, ProviderSpec

ACTION = "ListServices"
VERSION = "2021-07-01"
ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# Every query parameter of the API document but the paging ones (documented in the module). The document lists only
# Running among ServiceStatus values; the others are the statuses services report (docs/docsite/rst/wire.rst A.1).
# Values outside a list are sent as given, with a warning: the cloud is the judge.
STATUSES = ("Creating", "Waiting", "Starting", "Running", "Updating", "HotUpdate", "Committing", "Stopping", "Stopped",
            "Deleting", "Failed", "DeleteFailed", "Completed")
FILTERS = (
    Filter("filter", "Filter"),
    Filter("service_name", "ServiceName"),
    Filter("service_status", "ServiceStatus", values=STATUSES),
    Filter("service_type", "ServiceType"),
    Filter("service_uid", "ServiceUid"),
    Filter("label", "Label", "dict"),
    Filter("group_name", "GroupName"),
    Filter("parent_service_uid", "ParentServiceUid"),
    Filter("workspace_id", "WorkspaceId"),
    Filter("include_no_workspace", "IncludeNoWorkspace", "bool"),
    Filter("resource_id", "ResourceId"),
    Filter("resource_alias_name", "ResourceAliasName"),
    Filter("resource_name", "ResourceName"),
    Filter("resource_type", "ResourceType"),
    Filter("resource_burstable", "ResourceBurstable", "bool"),
    Filter("quota_id", "QuotaId"),
    Filter("gateway", "Gateway"),
    Filter("role", "Role"),
    Filter("traffic_state", "TrafficState"),
    Filter("autoscaler_enabled", "AutoscalerEnabled", "bool"),
    Filter("cronscaler_enabled", "CronscalerEnabled", "bool"),
    Filter("caller_uid", "CallerUid"),
    Filter("sort", "Sort"),
    Filter("order", "Order", values=("asc", "desc")),
)

SPEC = ProviderSpec(
    name="pai_eas",
    title="Alibaba Cloud PAI-EAS",
    endpoints={"default": "https://pai-eas.{region}.aliyuncs.com"},
    operation="list services",
    method="GET",
    path="/api/v2/services",
    filters=FILTERS,
    paging=Paging(style="page_number", index_param="PageNumber", size_param="PageSize", default_size=100),
    items_key="Services",
    total_key="TotalCount",
    request_id_key="RequestId",
    id_field="ServiceId",
    common={
        "service_id": "ServiceId",
        "service_name": "ServiceName",
        "workspace_id": "WorkspaceId",
        "resource_group": "Resource",
        "endpoint": "InternetEndpoint|IntranetEndpoint",
        "created_at": "CreateTime",
        "updated_at": "UpdateTime",
        "region": "Region",
    },
    status_field="Status",
    config_fields=("ServiceConfig",),
    secret_fields=("AccessToken",),
    labels=("Labels", "LabelKey", "LabelValue"),
    retry_codes=frozenset(("Throttling", "Throttling.User", "Throttling.Api", "Throttling.Concurrent",
                           "ServiceUnavailable", "InternalError")),
    auth_codes=frozenset(("SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId.NotFound",
                          "InvalidAccessKeyId.Inactive", "InvalidTimeStamp.Expired", "SignatureNonceUsed",
                          "InvalidSecurityToken.Expired", "InvalidSecurityToken.Malformed",
                          "InvalidSecurityToken.MismatchWithAccessKey", "Forbidden.RAM", "Forbidden")),
)

# The credential options, with the environment variables read for each, the SDK's names first.
AUTH_OPTIONS: dict[str, dict[str, t.Any]] = {
    "access_key_id": {"env": ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"], "no_log": False},
    "access_key_secret": {"env": ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"], "no_log": True},
    "security_token": {"env": ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"], "no_log": True},
    "region": {"env": ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"]},
    "endpoint": {"env": []},
    # A RAM role to assume with the keys above (STS AssumeRole); the names of the official credentials package.
    "role_arn": {"env": ["ALIBABA_CLOUD_ROLE_ARN"]},
    "role_session_name": {"env": ["ALIBABA_CLOUD_ROLE_SESSION_NAME"]},
    "role_duration_seconds": {"type": "int", "default": 3600},
    "role_external_id": {"no_log": False},
    "role_policy": {"type": "raw"},
    "sts_endpoint": {},
    "sts_region": {"env": ["ALIBABA_CLOUD_STS_REGION"]},
    # The rest of the official default chain: an OIDC token file (Kubernetes RRSA), a credentials URI.
    "oidc_provider_arn": {"env": ["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"]},
    "oidc_token_file": {"type": "path", "env": ["ALIBABA_CLOUD_OIDC_TOKEN_FILE"]},
    "profile": {"env": ["ALIBABA_CLOUD_PROFILE"]},
    "profile_file": {"type": "path", "default": "~/.aliyun/config.json"},
    "cli_profile_disabled": {"type": "bool", "default": False, "env": ["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"]},
    # A URL may carry a token or a password: masked, and counted in a cache key by its digest.
    "credentials_uri": {"env": ["ALIBABA_CLOUD_CREDENTIALS_URI"], "no_log": True, "identifies": True},
    "instance_metadata": {"type": "bool", "default": False},
    "ecs_role_name": {"env": ["ALIBABA_CLOUD_ECS_METADATA"]},
}
AUTH_HINT = ("Check access_key_id and access_key_secret, security_token when the keys are STS keys, the RAM "
             "permission of the call (eas:ListServices to list, eas:CreateService, eas:UpdateService ... to steer), "
             "and that this machine's clock is right")


def read_error(status: int, headers: t.Mapping[str, str], data: t.Any) -> tuple[str | None, str, str | None]:
    """Read ``Code``, ``Message`` (with ``Recommend``) and ``RequestId`` from an error reply
    (docs/docsite/rst/wire.rst A.6)."""
    body = data if isinstance(data, dict) else {}
    code = body.get("Code") or body.get("code")
    message = body.get("Message") or body.get("message") or "HTTP %d" % status
    if body.get("Recommend"):
        message = "%s See %s" % (message, body["Recommend"])
    request_id = body.get("RequestId") or body.get("requestId") or headers.get("x-acs-request-id")
    return code, str(message), request_id


def acs3_authorization(method: str, path: str, query: str, headers: t.Mapping[str, str], access_key_id: str,
                       access_key_secret: str) -> tuple[str, str]:
    """Sign with ACS3-HMAC-SHA256 over every header given (docs/docsite/rst/wire.rst A.3); return (string to sign,
    Authorization).

    :param query: the canonical query string (sorted, each value percent-encoded with only ``~`` kept).
    """
    canon = sorted((name.lower(), str(value).strip()) for name, value in headers.items())
    signed = ";".join(name for name, _value in canon)
    canonical_request = "\n".join((
        method,
        path,
        query,
        "".join("%s:%s\n" % pair for pair in canon),
        signed,
        headers.get("x-acs-content-sha256", EMPTY_SHA256),
    ))
    to_sign = "%s\n%s" % (ALGORITHM, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())
    signature = hmac.new(access_key_secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return to_sign, "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (ALGORITHM, access_key_id, signed, signature)


class Acs3Signer:
    """Signs each attempt with a fresh ``x-acs-date`` and nonce, with the keys its credentials give at that moment
    (temporary keys are refreshed ahead of their expiry); adds the STS headers when they come with a token."""

    project_id = None  # PAI-EAS paths name no project

    def __init__(self, keys: t.Any, transport: t.Any = None) -> None:
        self.keys = keys
        self.transport = transport

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        keys = self.keys.get(self.transport)
        headers.setdefault("x-acs-action", ACTION)  # the caller names any other action (DescribeService, ...)
        headers.update({
            "x-acs-version": VERSION,
            "x-acs-date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "x-acs-signature-nonce": uuid.uuid4().hex,
            "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        })
        if keys.security_token:
            headers["x-acs-accesskey-id"] = keys.access_key_id
            headers["x-acs-security-token"] = keys.security_token
        headers["authorization"] = acs3_authorization(method, path, query, headers, keys.access_key_id,
                                                      keys.secret)[1]


def signer(params: t.Mapping[str, t.Any], transport: t.Any = None, provider: str = SPEC.name) -> Acs3Signer:
    """Build the signer: the base credentials of the chain (keys, OIDC, a credentials URI), then, with
    ``role_arn``, the temporary keys of that role assumed with them. No credentials is a clear error listing where
    they can come from."""
    base, role_used = alibaba_chain.chain(params, provider)
    if params.get("role_arn") and not role_used:
        return Acs3Signer(alibaba_sts.role_keys(params, base, provider), transport)
    return Acs3Signer(base, transport)


def from_files(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:  # pylint: disable=unused-argument
    """The options as they are: the aliyun CLI's profile file is read by the credentials chain itself."""
    return params


def cache_identity(params: t.Mapping[str, t.Any]) -> str | None:
    """What names the account beyond the options, for the inventory's cache key: the CLI profile in use."""
    return alibaba_chain.profile_identity(params)
