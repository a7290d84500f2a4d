# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud authentication, shared by ModelArts and DataArts Fabric (Huawei Cloud and Open Telekom Cloud).

Private to modelserving.cloud: this module may change without notice.

The ways to authenticate, in this order of precedence when several are given (when none is, ``from_files`` reads
a clouds.yaml entry or the SDK's credentials file first; huawei_files.py):

1. ``access_key`` + ``secret_key`` (+ ``security_token`` for temporary keys): every request is signed with
   SDK-HMAC-SHA256, as huaweicloudsdkcore does (docs/docsite/rst/wire.rst B.4);
2. ``auth_token``: a ready IAM token, sent as ``X-Auth-Token``;
3. ``username`` + ``password`` + ``domain_name``: an IAM token is requested (``POST /v3/auth/tokens``, scoped to
   ``project_id``, else ``project_name``, else the project named after the region), kept for the run and
   requested again shortly before it expires;
4. ``instance_metadata``: the ECS instance's temporary AK/SK, from its metadata service (huawei_iam.py).

The project id, needed in ModelArts paths and sent as ``X-Project-Id``, is ``project_id`` when given, the token's
project for password auth, and otherwise looked up once per run with ``GET /v3/projects?name=<project_name or
region>`` (docs/docsite/rst/wire.rst B.6).

With ``agency_name``, whichever of the three is given only asks IAM for the agency's temporary AK/SK (``POST
/v3.0/OS-CREDENTIAL/securitytokens``, ``assume_role``; docs/docsite/rst/wire.rst B.9), which then sign every request
and are fetched again before they expire.
"""

from __future__ import annotations

import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils import credentials
from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.providers import huawei_files, huawei_iam
from ansible_collections.modelserving.cloud.plugins.module_utils.providers.huawei_signer import (
    AkSkSigner,
    HuaweiSigner,
    TokenSigner,
)
from ansible_collections.modelserving.cloud.plugins.module_utils.transport import Transport

# The credential options, with the environment variables read for each: the SDK's names first, then the
# names openstack and opentelekomcloud tooling use.
AUTH_OPTIONS: dict[str, dict[str, t.Any]] = {
    "access_key": {"env": ["HUAWEICLOUD_SDK_AK", "OS_ACCESS_KEY"], "no_log": False},
    "secret_key": {"env": ["HUAWEICLOUD_SDK_SK", "OS_SECRET_KEY"], "no_log": True},
    "security_token": {"env": ["HUAWEICLOUD_SDK_SECURITY_TOKEN", "OS_SECURITY_TOKEN"], "no_log": True},
    # The token alone names the account: an inventory cache key holds its SHA-256 (tokens are long and random).
    "auth_token": {"env": ["OS_AUTH_TOKEN"], "no_log": True, "identifies": True},
    "username": {"env": ["OS_USERNAME"]},
    "password": {"env": ["OS_PASSWORD"], "no_log": True},
    "domain_name": {"env": ["OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"]},
    "project_id": {"env": ["HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID"]},
    "project_name": {"env": ["OS_PROJECT_NAME"]},
    "region": {"env": ["HUAWEICLOUD_SDK_REGION", "OS_REGION_NAME"]},
    "cloud": {"choices": ["huaweicloud", "otc"], "default": "huaweicloud"},
    "endpoint": {},
    "iam_endpoint": {"env": ["HUAWEICLOUD_SDK_IAM_ENDPOINT", "OS_AUTH_URL"]},
    # The caller's account ID, which IAM wants (X-Domain-Id) when AK/SK sign a call to it; looked up if not given.
    "domain_id": {"env": ["HUAWEICLOUD_SDK_DOMAIN_ID"]},
    # An agency to assume (IAM assume_role): the collection's own variable names, the SDK has none.
    "agency_name": {"env": ["HUAWEICLOUD_AGENCY_NAME"]},
    "agency_domain_name": {"env": ["HUAWEICLOUD_AGENCY_DOMAIN_NAME"]},
    "agency_domain_id": {"env": ["HUAWEICLOUD_AGENCY_DOMAIN_ID"]},
    "agency_duration_seconds": {"type": "int", "default": 3600},
    "agency_session_user": {},
    # Where credentials come from when none are given: an OpenStack clouds.yaml entry, the SDK's credentials file.
    "os_cloud": {"env": ["OS_CLOUD"]},
    "os_client_config_file": {"type": "path", "env": ["OS_CLIENT_CONFIG_FILE"]},
    "credentials_file": {"type": "path", "env": ["HUAWEICLOUD_SDK_CREDENTIALS_FILE"]},
    "instance_metadata": {"type": "bool", "default": False},
}


def signer(params: t.Mapping[str, t.Any], transport: Transport, provider: str = "huawei") -> HuaweiSigner:
    """Build the signer for the first complete way to authenticate (see the module docstring), or, with
    ``agency_name``, the signer of the agency's temporary keys, fetched with it."""
    if not params.get("agency_name"):
        return _base_signer(params, transport, provider, project=True)
    # The base credentials only call IAM, in their own account: no project of theirs is needed, and the project
    # options name the agency's.
    base_params = dict(params, project_id=None, project_name=None)
    base = _base_signer(base_params, transport, provider, project=False)
    keys = huawei_iam.agency_keys(params, base, transport, provider)
    aksk = AkSkSigner(keys, params.get("project_id"), transport)
    if not aksk.project_id:
        aksk.project_id = huawei_iam.project_of(params, transport, aksk, provider, "agency %s/%s %s" % (
            huawei_iam.agency_domain(params), params["agency_name"], base.identity))
    return aksk


def _base_signer(params: t.Mapping[str, t.Any], transport: Transport, provider: str, project: bool) -> HuaweiSigner:
    """The signer of the credentials given; with ``project``, one that knows the project of the region."""
    access_key, secret_key = params.get("access_key"), params.get("secret_key")
    if access_key or secret_key:
        if not (access_key and secret_key):
            raise ConfigError("access_key and secret_key go together; %s is missing" % (
                "secret_key" if access_key else "access_key"), provider=provider, operation="authenticate",
                hint="Set both, or the environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
        keys = credentials.FixedKeys(credentials.Keys(access_key, secret_key, params.get("security_token")))
        return _aksk_signer(params, transport, provider, project, keys, "AK %s" % access_key, access_key)
    if params.get("auth_token"):
        token = str(params["auth_token"])
        ready = TokenSigner(lambda: token, params.get("project_id"))
        ready.identity = "an IAM token"
        if project and not ready.project_id:
            ready.project_id = huawei_iam.project_of(params, transport, ready, provider, credentials.fingerprint(token))
        return ready
    if params.get("username") or params.get("password"):
        missing = [name for name in ("username", "password", "domain_name") if not params.get(name)]
        if missing:
            raise ConfigError("password authentication needs %s" % " and ".join(missing), provider=provider,
                              operation="authenticate", hint="Set username, password and domain_name (the account)")
        project_id = huawei_iam.password_token(params, transport, provider)[1]
        user = TokenSigner(lambda: huawei_iam.password_token(params, transport, provider)[0], project_id)
        user.identity = "IAM user %s/%s" % (params["domain_name"], params["username"])
        return user
    if params.get("instance_metadata"):
        return _aksk_signer(params, transport, provider, project, huawei_iam.metadata_keys(params, provider),
                            "the ECS instance's keys", "instance-metadata")
    raise ConfigError("no credentials given", provider=provider, operation="authenticate",
                      hint="Set access_key and secret_key (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK), or auth_token "
                           "(OS_AUTH_TOKEN), or username, password and domain_name (OS_USERNAME, OS_PASSWORD, "
                           "OS_USER_DOMAIN_NAME), or os_cloud (OS_CLOUD), or a credentials file "
                           "(~/.huaweicloud/credentials), or, on an ECS instance, instance_metadata: true")


def _aksk_signer(params: t.Mapping[str, t.Any], transport: Transport, provider: str, project: bool,
                 keys: credentials.KeySource,
                 identity: str, key: str) -> AkSkSigner:
    """An AK/SK signer; with ``project``, one that knows the project of the region, else one that names its
    account, for calls to IAM itself."""
    aksk = AkSkSigner(keys, params.get("project_id"), transport)
    aksk.identity = identity
    if project and not aksk.project_id:
        aksk.project_id = huawei_iam.project_of(params, transport, aksk, provider, key)
    if not project:  # a call to IAM itself, which AK/SK sign with the account ID, as the SDK does
        aksk.domain_id = params.get("domain_id") or huawei_iam.domain_of(params, transport, aksk, provider, key)
    return aksk


def from_files(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
    """Credentials, region and cloud from a clouds.yaml entry or the SDK's credentials file, when none are given."""
    return huawei_files.from_files(params, provider)


def cache_identity(params: t.Mapping[str, t.Any]) -> str | None:  # pylint: disable=unused-argument
    """Nothing beyond the options names a Huawei account (files are read into the options first)."""
    return None
