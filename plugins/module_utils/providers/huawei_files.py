# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud credentials from files, when none are given: an OpenStack clouds.yaml entry, or the SDK's credentials
file.

Private to modelserving.cloud: this module may change without notice.
"""

from __future__ import annotations

import configparser
import os
import typing as t

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ConfigError
from ansible_collections.modelserving.cloud.plugins.module_utils.requirements import require

CREDENTIALS_FILE = os.path.join("~", ".huaweicloud", "credentials")

CLOUDS_YAML = ("clouds.yaml", os.path.join("~", ".config", "openstack", "clouds.yaml"),
               os.path.join(os.sep, "etc", "openstack", "clouds.yaml"))

GIVEN = ("access_key", "secret_key", "auth_token", "username", "password", "instance_metadata")


def from_files(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
    """When no credentials are given: those of the ``os_cloud`` entry of a clouds.yaml, else those of the SDK's
    credentials file (``[basic]`` of ``credentials_file``, by default ~/.huaweicloud/credentials), filling only the
    options not set. Anything else is returned as it is."""
    if any(params.get(name) for name in GIVEN):
        return params
    if params.get("os_cloud"):
        return _from_clouds_yaml(params, provider)
    path = os.path.expanduser(str(params.get("credentials_file") or CREDENTIALS_FILE))
    if not os.path.exists(path):
        if params.get("credentials_file"):
            raise ConfigError("the credentials file %s does not exist" % path, provider=provider,
                              operation="read the credentials file")
        return params
    where = {"provider": provider, "region": params.get("region"),
             "operation": "read the credentials file %s" % path}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("it cannot be read: %s" % (getattr(exc, "strerror", None) or type(exc).__name__),
                          **where) from None
    except configparser.Error as exc:  # its text quotes the line, which may hold the secret key: not shown
        raise ConfigError("it is not an INI file (%s%s)" % (type(exc).__name__, ", line %s" % exc.lineno if getattr(
            exc, "lineno", None) else ""), **where) from None
    if not parser.has_section("basic"):
        raise ConfigError("it has no [basic] section", **where)
    basic = dict(parser.items("basic"))
    if not (basic.get("ak") and basic.get("sk")):
        raise ConfigError("its [basic] section has no ak and sk", **where)
    found = {"access_key": basic["ak"], "secret_key": basic["sk"], "security_token": basic.get("security_token"),
             "project_id": basic.get("project_id"), "domain_id": basic.get("domain_id"),
             "iam_endpoint": basic.get("iam_endpoint")}
    return dict(params, **{k: v for k, v in found.items() if v and not params.get(k)})


def _from_clouds_yaml(params: t.Mapping[str, t.Any], provider: str) -> t.Mapping[str, t.Any]:
    """The entry ``os_cloud`` of the first clouds.yaml found where openstacksdk looks (``os_client_config_file``
    first): password, token or AK/SK under ``auth``, the project, ``auth_url`` as the IAM endpoint, ``region_name``.
    An ``auth_url`` on otc.t-systems.com means Open Telekom Cloud."""
    name = str(params["os_cloud"])
    candidates = [params["os_client_config_file"]] if params.get("os_client_config_file") else list(CLOUDS_YAML)
    path = next((os.path.expanduser(str(c)) for c in candidates if os.path.exists(os.path.expanduser(str(c)))), None)
    where = {"provider": provider, "region": params.get("region"),
             "operation": "read the clouds.yaml entry %s" % name}
    if path is None:
        raise ConfigError("os_cloud is %r, but there is no clouds.yaml at %s" % (name, ", ".join(
            str(c) for c in candidates)), hint="Set os_client_config_file (OS_CLIENT_CONFIG_FILE)", **where)
    require("yaml")  # ansible-core's own dependency, but a module's Python may lack it
    import yaml  # pylint: disable=import-outside-toplevel
    try:
        with open(path, encoding="utf-8") as handle:
            # Every scalar as the text written: an unquoted project ID 0123... is not the octal number 83.
            document = yaml.load(handle, Loader=yaml.BaseLoader)  # nosec B506
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("%s cannot be read: %s" % (path, getattr(exc, "strerror", None) or type(exc).__name__),
                          **where) from None
    except yaml.YAMLError as exc:  # its text may quote a line with a password: only where it is
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError("%s is not YAML (%s%s)" % (path, type(exc).__name__, ", line %d" % (mark.line + 1)
                                                     if mark else ""), **where) from None
    clouds = document.get("clouds") if isinstance(document, dict) else None
    if not isinstance(clouds, dict):
        raise ConfigError("%s has no clouds mapping" % path, **where)
    cloud = clouds.get(name)
    if not isinstance(cloud, dict):
        raise ConfigError("%s has no cloud %r (clouds: %s)" % (path, name, ", ".join(sorted(clouds)) or "none"),
                          **where)
    auth = cloud.get("auth") if isinstance(cloud.get("auth"), dict) else {}
    found = {"access_key": auth.get("ak") or auth.get("access_key"),
             "secret_key": auth.get("sk") or auth.get("secret_key"),
             "security_token": auth.get("security_token"), "auth_token": auth.get("token"),
             "username": auth.get("username"), "password": auth.get("password"),
             "domain_name": auth.get("user_domain_name") or auth.get("domain_name"),
             "project_id": auth.get("project_id"), "project_name": auth.get("project_name"),
             "iam_endpoint": auth.get("auth_url"), "region": cloud.get("region_name")}
    merged = dict(params, **{k: str(v) for k, v in found.items() if v and not params.get(k)})
    if (params.get("cloud") or "huaweicloud") == "huaweicloud" and ".otc.t-systems.com" in str(
            auth.get("auth_url") or ""):
        merged["cloud"] = "otc"
    return merged
