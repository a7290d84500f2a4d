# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Alibaba Cloud credentials (PAI-EAS) of the PAI-EAS modules, and their action group; a PAI-EAS item of
    ``sources`` takes the same credentials."""

    MODULES = r"""
attributes:
  action_group:
    support: full
    membership:
      - modelserving.cloud.pai_eas
    description: Use C(group/modelserving.cloud.pai_eas) in C(module_defaults) to set the credentials once.
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
  role_arn:
    description:
      - A RAM role to assume with the keys above (STS C(AssumeRole)), such as
        V(acs:ram::1234567890123456:role/inventory-reader). Requests are then signed with the role's temporary
        keys, refreshed before they expire (15 minutes ahead, or a third of their lifetime if that is shorter).
      - The keys above only call STS; they need C(sts:AssumeRole) on the role, and the role's trust policy must let
        their account assume it. Temporary keys are kept in memory only, never in a file, a log or a cache.
      - If not set, the environment variable E(ALIBABA_CLOUD_ROLE_ARN) is used.
    type: str
  role_session_name:
    description:
      - The session name, shown in ActionTrail; 2 to 64 letters, digits, C(.), C(@), C(-) or C(_).
      - If not set, the environment variable E(ALIBABA_CLOUD_ROLE_SESSION_NAME) is used, else
        V(ansible-modelserving-cloud).
    type: str
  role_duration_seconds:
    description:
      - How long the temporary keys last, from 900 to the role's maximum session duration (at most 43200).
    type: int
    default: 3600
  role_external_id:
    description:
      - The external ID the role's trust policy asks for, if any (C(sts:ExternalId)).
    type: str
  role_policy:
    description:
      - A policy that narrows what the temporary keys may do, as JSON text or a dictionary (sent as compact JSON).
    type: raw
  sts_endpoint:
    description:
      - The STS endpoint, a URL or a bare host, such as V(sts-vpc.cn-hangzhou.aliyuncs.com).
      - By default V(sts.<sts_region>.aliyuncs.com) when O(sts_region) is set, else V(sts.aliyuncs.com).
    type: str
  sts_region:
    description:
      - The region of the STS endpoint to use.
      - If not set, the environment variable E(ALIBABA_CLOUD_STS_REGION) is used.
    type: str
  oidc_provider_arn:
    description:
      - With O(oidc_token_file) and O(role_arn), and no keys given, the credentials of a Kubernetes service account
        (RRSA on ACK); the OIDC token in the file is exchanged for the role's temporary keys (STS
        C(AssumeRoleWithOIDC)), and the file is read again for every refresh.
      - If not set, the environment variable E(ALIBABA_CLOUD_OIDC_PROVIDER_ARN) is used.
    type: str
  oidc_token_file:
    description:
      - The file holding the service account's OIDC token.
      - If not set, the environment variable E(ALIBABA_CLOUD_OIDC_TOKEN_FILE) is used.
    type: path
  profile:
    description:
      - With no keys and no OIDC token given, the profile of the aliyun CLI's configuration (O(profile_file)) to take
        credentials from; by default the file's C(current) profile. Modes C(AK), C(StsToken), C(RamRoleArn),
        C(ChainableRamRoleArn) and C(OIDC) are read; a role of the profile is assumed as O(role_arn) would be.
      - If not set, the environment variable E(ALIBABA_CLOUD_PROFILE) is used.
    type: str
  profile_file:
    description:
      - The aliyun CLI's configuration file.
    type: path
    default: ~/.aliyun/config.json
  cli_profile_disabled:
    description:
      - Do not read the aliyun CLI's configuration.
      - If not set, the environment variable E(ALIBABA_CLOUD_CLI_PROFILE_DISABLED) is used.
    type: bool
    default: false
  credentials_uri:
    description:
      - With no keys, no OIDC token and no CLI profile, a URL that answers temporary keys as JSON (C(Code) V(Success),
        C(AccessKeyId), C(AccessKeySecret), C(SecurityToken), C(Expiration)), fetched again before they expire.
      - If not set, the environment variable E(ALIBABA_CLOUD_CREDENTIALS_URI) is used.
    type: str
  instance_metadata:
    description:
      - On an ECS instance, with no other credentials, use the keys of the instance's RAM role from its metadata
        service (an IMDSv2 token first), refreshed before they expire. Only when asked (or O(ecs_role_name) is
        set), so that a machine that is not an ECS instance never waits for the service.
    type: bool
    default: false
  ecs_role_name:
    description:
      - The instance's RAM role, when O(instance_metadata) should not ask the service for its name. Setting it
        implies O(instance_metadata).
      - If not set, the environment variable E(ALIBABA_CLOUD_ECS_METADATA) is used.
    type: str
notes:
  - Requests are signed with ACS3-HMAC-SHA256, as the Alibaba Cloud SDKs do; STS C(AssumeRole) with HMAC-SHA1
    (signature version 1.0), as Alibaba Cloud's credentials package does.
"""
