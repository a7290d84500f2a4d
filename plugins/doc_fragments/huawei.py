# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Huawei Cloud and Open Telekom Cloud credentials of the ModelArts and DataArts Fabric modules and sources (the
    modules' action group too)."""

    MODULES = r"""
attributes:
  action_group:
    support: full
    membership:
      - modelserving.cloud.huaweicloud
    description: Use C(group/modelserving.cloud.huaweicloud) in C(module_defaults) to set the credentials once.
options:
  access_key:
    description:
      - The access key (AK). With O(secret_key), requests are signed with SDK-HMAC-SHA256.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_AK) is used, then E(OS_ACCESS_KEY).
    type: str
  secret_key:
    description:
      - The secret key (SK).
      - If not set, the environment variable E(HUAWEICLOUD_SDK_SK) is used, then E(OS_SECRET_KEY).
    type: str
  security_token:
    description:
      - The security token of temporary access keys, sent as C(X-Security-Token).
      - If not set, the environment variable E(HUAWEICLOUD_SDK_SECURITY_TOKEN) is used, then E(OS_SECURITY_TOKEN).
    type: str
  auth_token:
    description:
      - A ready IAM token, sent as C(X-Auth-Token). Used when O(access_key) and O(secret_key) are not set.
      - If not set, the environment variable E(OS_AUTH_TOKEN) is used.
    type: str
  username:
    description:
      - The IAM user name, for password authentication, used when neither AK/SK nor O(auth_token) are set.
        A project-scoped token is requested from IAM and kept for the run.
      - If not set, the environment variable E(OS_USERNAME) is used.
    type: str
  password:
    description:
      - The IAM user's password.
      - If not set, the environment variable E(OS_PASSWORD) is used.
    type: str
  domain_name:
    description:
      - The account (domain) the IAM user belongs to.
      - If not set, the environment variable E(OS_USER_DOMAIN_NAME) is used, then E(OS_DOMAIN_NAME).
    type: str
  project_id:
    description:
      - The project ID. When not set, the project named O(project_name), or else named after O(region), is looked
        up in IAM once per run.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_PROJECT_ID) is used, then E(OS_PROJECT_ID).
    type: str
  project_name:
    description:
      - The project name to look up when O(project_id) is not set; defaults to O(region).
      - If not set, the environment variable E(OS_PROJECT_NAME) is used.
    type: str
  region:
    description:
      - The region, for example C(cn-north-4) or, on Open Telekom Cloud, C(eu-de). It selects the endpoints.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_REGION) is used, then E(OS_REGION_NAME).
    type: str
  cloud:
    description:
      - Which cloud the endpoints belong to, Huawei Cloud or Open Telekom Cloud.
    type: str
    choices: [huaweicloud, otc]
    default: huaweicloud
  endpoint:
    description:
      - The service endpoint, overriding the one derived from O(cloud) and O(region), as a URL such as
        V(https://modelarts.eu-de.otc.t-systems.com) or a bare host name, for which HTTPS is used.
    type: str
  iam_endpoint:
    description:
      - The IAM endpoint, overriding the one derived from O(cloud) and O(region); a trailing C(/v3) is allowed.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_IAM_ENDPOINT) is used, then E(OS_AUTH_URL).
    type: str
  domain_id:
    description:
      - The account ID of O(access_key), sent as C(X-Domain-Id) when AK/SK sign a call to IAM itself (assuming an
        agency), as the SDK's global credentials do. Looked up once (C(GET /v3/auth/domains)) when not set.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_DOMAIN_ID) is used.
    type: str
  agency_name:
    description:
      - An agency (IAM delegation) to assume with the credentials above. IAM issues its temporary AK/SK
        (C(assume_role)), which then sign every request and are fetched again before they expire (15 minutes ahead,
        or a third of their lifetime if that is shorter). They are kept in memory only.
      - O(project_id) and O(project_name) then name the agency account's project; by default it is looked up by
        O(region) with the temporary keys.
      - If not set, the environment variable E(HUAWEICLOUD_AGENCY_NAME) is used.
    type: str
  agency_domain_name:
    description:
      - The name of the account that owns the agency (it delegates to the account of the credentials above).
      - If not set, the environment variable E(HUAWEICLOUD_AGENCY_DOMAIN_NAME) is used.
    type: str
  agency_domain_id:
    description:
      - The ID of that account, instead of O(agency_domain_name).
      - If not set, the environment variable E(HUAWEICLOUD_AGENCY_DOMAIN_ID) is used.
    type: str
  agency_duration_seconds:
    description:
      - How long the agency's temporary keys last, from 900 to 86400.
    type: int
    default: 3600
  agency_session_user:
    description:
      - The user name the session shows in the agency account's audit trail (C(session_user)); 5 to 64 letters,
        digits, C(-) or C(_), starting with a letter.
    type: str
  os_cloud:
    description:
      - With no credentials given, the entry of an OpenStack C(clouds.yaml) to take them from, as openstacksdk and
        the Open Telekom Cloud tools do. Its C(auth) gives O(username), O(password) and O(domain_name)
        (C(user_domain_name)), or O(auth_token) (C(token)), or O(access_key) and O(secret_key) (C(ak), C(sk)), and
        O(project_id) or O(project_name); C(auth_url) is the IAM endpoint, C(region_name) the region. An
        C(auth_url) on C(otc.t-systems.com) means O(cloud=otc). Options that are set win over the file.
      - If not set, the environment variable E(OS_CLOUD) is used.
    type: str
  os_client_config_file:
    description:
      - The C(clouds.yaml) to read; by default the first of C(./clouds.yaml), C(~/.config/openstack/clouds.yaml) and
        C(/etc/openstack/clouds.yaml).
      - If not set, the environment variable E(OS_CLIENT_CONFIG_FILE) is used.
    type: path
  credentials_file:
    description:
      - With no credentials and no O(os_cloud) given, the Huawei Cloud SDK's credentials file, whose C([basic])
        section gives C(ak), C(sk) and optionally C(security_token), C(project_id), C(domain_id) and
        C(iam_endpoint). By default C(~/.huaweicloud/credentials), when it exists.
      - If not set, the environment variable E(HUAWEICLOUD_SDK_CREDENTIALS_FILE) is used.
    type: path
  instance_metadata:
    description:
      - On an ECS instance, with no other credentials, use the instance's temporary AK/SK from its metadata service
        (C(/openstack/latest/securitykey), with a metadata token first), refreshed before they expire. Only when
        asked, so that a machine that is not an ECS instance never waits for the service.
    type: bool
    default: false
notes:
  - Authentication takes the first complete set of O(access_key) and O(secret_key); O(auth_token); O(username),
    O(password) and O(domain_name). Giving none of them is an error that lists them. With O(agency_name), that
    set only asks IAM for the agency's temporary keys.
"""
