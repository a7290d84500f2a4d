# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fleets generated from a seed: PAI-EAS service objects shaped like the API document's example."""

from __future__ import annotations

import datetime
import json
import random
import string
import typing as t

APPS = ("chat", "embed", "rerank", "ocr", "asr", "vision", "recsys", "summarize")
STATUSES = (("Running", 70), ("Stopped", 8), ("Failed", 6), ("Waiting", 4), ("Creating", 3), ("Updating", 3),
            ("Stopping", 2), ("Deleting", 2), ("HotUpdate", 2))
WORKSPACES = ("123445", "200871", "318002", "402913")
RESOURCES = (("eas-r-4gt8twzwllfo", "gpu-pool-a"), ("eas-r-9mq2hxk3dd7c", "gpu-pool-b"),
             ("eas-r-h1c6vz0p2ks5", "cpu-shared"), ("eas-r-q7w3e8r1t5yu", "llm-dedicated"),
             ("eas-r-z0x9c8v7b6n5", "batch-pool"))
SERVICE_TYPES = ("Standard", "Standard", "Standard", "Async", "Queue", "LLM", "RAG")
ROLES = ("Standard", "Queue", "LLMGateway", "Worker")
RESOURCE_TYPES = ("PublicResource", "DedicatedResource", "Lingjun")
TRAFFIC = ("standalone", "grouping", "ungrouping")
CALLERS = ("1998922416600001", "1998922416600002", "1557702098194904")
PARENTS = ("eas-m-parent00001", "eas-m-parent00002", "eas-m-parent00003", "eas-m-parent00004")
QUOTAS = ("quota-a1", "quota-b2", "quota-c3")
GATEWAYS = ("gw-1uhcqmsc7x22", "gw-8ty5rewq2p0z", "")
ENVS = ("prod", "staging", "dev")
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
HOSTILE_NAMES = (
    "{{ lookup('pipe', 'id') }}",
    "{% raw %}raw{% endraw %}-svc",
    "ctl-\x1b[31mred\x07-\x00nul",
    "unicode-服务-ünï-🚀",
    "long-" + "x" * 2000,
    "group-clash-a.b",
    "group clash a b",
    "<script>alert('x')</script>",
    "pipe|svc|<b>bold</b>",
    "=HYPERLINK(\"http://example.invalid\")",
    "@SUM(1+1)",
    "+cmd",
    "-cmd",
)


# A fleet's services in an order, kept while the fleet holds the same objects: a page of a big fleet would otherwise
# filter and sort all of it (the listing of 50,000 services spent seconds of the emulator's CPU, on the cores of the
# client timed). Only for orders and selections by fields that never change once a service is in the fleet (its
# creation time, ID, workspace); who is in the fleet may change, and is checked for every page.
_ORDERED: dict[tuple[int, str, bool], tuple[list[dict[str, t.Any]], tuple[int, ...], list[dict[str, t.Any]]]] = {}


def in_order(services: list[dict[str, t.Any]], name: str, key: t.Callable[[dict[str, t.Any]], t.Any], reverse: bool,
             keep: t.Callable[[dict[str, t.Any]], bool] | None = None) -> list[dict[str, t.Any]]:
    """``services`` kept by ``keep`` and sorted by ``key``: the list of an earlier page while the fleet is the same.

    :param name: names ``key`` and ``keep`` (their order is kept under it).
    """
    members = tuple(map(id, services))
    kept = _ORDERED.get((id(services), name, reverse))
    if kept is not None and kept[0] is services and kept[1] == members:
        return kept[2]
    ordered = sorted(services if keep is None else filter(keep, services), key=key, reverse=reverse)
    if len(_ORDERED) > 16:
        _ORDERED.clear()
    _ORDERED[(id(services), name, reverse)] = (services, members, ordered)
    return ordered


def _stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _token(rng: random.Random, length: int, alphabet: str = string.ascii_lowercase + string.digits) -> str:
    return "".join(rng.choices(alphabet, k=length))


def pai_eas_service(rng: random.Random, index: int, region: str, base_url: str,
                    name: str | None = None) -> dict[str, t.Any]:
    """Return one service object; ``index`` orders CreateTime (higher is newer) and makes ids unique."""
    app = rng.choice(APPS)
    name = name or "%s_svc_%05d" % (app, index)
    uid = "eas-m-%s%05d" % (_token(rng, 7), index)
    status = rng.choices([name for name, weight in STATUSES], weights=[weight for name, weight in STATUSES])[0]
    resource, alias = rng.choice(RESOURCES)
    created = EPOCH + datetime.timedelta(minutes=37 * index, seconds=rng.randrange(30))
    updated = created + datetime.timedelta(hours=rng.randrange(1, 500))
    labels = [{"LabelKey": "app", "LabelValue": app}, {"LabelKey": "env", "LabelValue": rng.choice(ENVS)}]
    if rng.random() < 0.3:
        labels.append({"LabelKey": "team", "LabelValue": rng.choice(("search", "ads", "vision", "infra"))})
    total = rng.randrange(1, 6)
    running = total if status == "Running" else 0
    cpu, memory = rng.choice(((1, 1024), (2, 4096), (4, 8192), (8, 32768)))
    return {
        "ServiceId": uid,
        "ServiceUid": uid,
        "ServiceName": name,
        "Namespace": name,
        "Status": status,
        "Reason": status.upper(),
        "Message": "Service start successfully" if status == "Running" else "Service is %s" % status.lower(),
        "WorkspaceId": "" if rng.random() < 0.1 else rng.choice(WORKSPACES),
        "Resource": resource,
        "ResourceAlias": alias,
        "ResourceType": rng.choice(RESOURCE_TYPES),
        "ResourceBurstable": rng.random() < 0.3,
        "CronscalerEnabled": rng.random() < 0.2,
        "AutoscalerEnabled": rng.random() < 0.5,
        "ServiceGroup": "%s_group" % app,
        "ServiceType": rng.choice(SERVICE_TYPES),
        "AppType": "LLM" if app in ("chat", "summarize") else "General",
        "AppVersion": "v%d" % rng.randrange(1, 4),
        "AppSpecName": rng.choice(("llama_7b_fp16", "qwen_14b_int8", "")),
        "AppConfig": json.dumps({"ModelStorage": "oss"}),
        "Role": rng.choice(ROLES),
        "RoleAttrs": json.dumps({"ApproxMaxLength": None, "Length": None, "MaxPayloadBytes": None}),
        "TrafficState": rng.choice(TRAFFIC),
        "Labels": labels,
        "CallerUid": rng.choice(CALLERS),
        "ParentUid": rng.choice(PARENTS),
        "QuotaId": rng.choice(QUOTAS),
        "Gateway": rng.choice(GATEWAYS),
        "Region": region,
        "AccessToken": _token(rng, 48, string.ascii_letters + string.digits),
        "InternetEndpoint": "%s/api/predict/%s" % (base_url, name),
        "IntranetEndpoint": "http://%s.vpc.%s.pai-eas.aliyuncs.com/api/predict/%s" % (uid, region, name),
        "SecondaryInternetEndpoint": "%s/api/predict/async_path.%s" % (base_url, name),
        "SecondaryIntranetEndpoint": "http://%s.vpc.%s.pai-eas.aliyuncs.com/api/predict/async_path.%s" % (
            uid, region, name),
        "Image": "registry.%s.aliyuncs.com/eas/%s:v0.0.%d" % (region, app, rng.randrange(1, 9)),
        "Cpu": cpu,
        "Memory": memory,
        "Gpu": rng.choice((0, 0, 1, 2)),
        "GPUCorePercentage": rng.choice((0, 50, 100)),
        "GPUMemory": rng.choice((0, 16, 20, 40)),
        "TotalInstance": total,
        "RunningInstance": running,
        "PendingInstance": total - running,
        "InstanceCountInResource": {"Quota": 0, "Public": total, "Dedicated": 0},
        "Weight": 100,
        "CurrentVersion": 1,
        "LatestVersion": rng.randrange(1, 4),
        "SafetyLock": rng.choice(("dangerous", "all", "none")),
        "Source": rng.choice(("dsw", "console", "eascmd", "designer")),
        "ServiceConfig": json.dumps({"metadata": {"cpu": cpu, "instance": total, "memory": memory}, "name": name}),
        "ExtraData": "{}",
        "CreateTime": _stamp(created),
        "UpdateTime": _stamp(updated),
    }


def pai_eas_fleet(seed: int | str, count: int, region: str, base_url: str,
                  hostile: bool = False) -> list[dict[str, t.Any]]:
    """Return ``count`` services (plus the hostile ones when asked), oldest first."""
    rng = random.Random(seed)
    services = [pai_eas_service(rng, index, region, base_url) for index in range(count)]
    if hostile:
        for offset, name in enumerate(HOSTILE_NAMES):
            service = pai_eas_service(rng, count + offset, region, base_url, name=name)
            service["Labels"].append({"LabelKey": "note", "LabelValue": "{{ 7 * 6 }} {% if true %}x{% endif %}"})
            service["Message"] = "{{ lookup('env', 'HOME') }}"
            services.append(service)
    return services


MA_STATUSES = (("running", 60), ("deploying", 6), ("concerning", 4), ("failed", 6), ("stopped", 10), ("finished", 4),
               ("stopping", 2), ("deleting", 2), ("pending", 3), ("waiting", 3))
MA_WORKSPACES = ("0", "0", "0", "ws-ma-0001", "ws-ma-0002")
POOLS = ("pool-gpu-a100", "pool-npu-910b", "pool-cpu-general")


def modelarts_service(rng: random.Random, index: int, region: str, project_id: str,
                      name: str | None = None) -> dict[str, t.Any]:
    """One ModelArts service as the list API returns it, plus ``_detail`` (what the detail API adds)."""
    app = rng.choice(APPS)
    published = int((EPOCH + datetime.timedelta(minutes=41 * index, seconds=rng.randrange(30))).timestamp() * 1000)
    infer_type = rng.choice(("real-time", "real-time", "batch", "edge"))
    status = rng.choices([s for s, w in MA_STATUSES], weights=[w for s, w in MA_STATUSES])[0]
    service_id = "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                  rng.getrandbits(12), index)
    model_id = "%032x" % rng.getrandbits(128)
    pool = rng.choice(POOLS)
    service = {
        "service_id": service_id,
        "service_name": name or "%s-service-%05d" % (app, index),
        "description": "%s inference" % app,
        "owner": "%032x" % (index % 3),
        "project": project_id,
        "tenant": "%032x" % 7,
        "workspace_id": rng.choice(MA_WORKSPACES),
        "infer_type": infer_type,
        "status": status,
        "progress": 100 if status == "running" else rng.randrange(0, 100),
        "publish_at": published,
        "transition_at": published + rng.randrange(1, 10 ** 8),
        "invocation_times": rng.randrange(0, 10 ** 6),
        "failed_times": rng.randrange(0, 100),
        "is_shared": False,
        "shared_count": 0,
        "is_free": False,
        "is_opened_sample_collection": False,
        "schedule": [],
        "additional_properties": {},
        "tags": [{"key": "app", "value": app}, {"key": "env", "value": rng.choice(ENVS)}],
        "_detail": {
            "access_address": "https://%s.apig.%s.huaweicloudapis.com/v1/infers/%s" % (index, region, service_id),
            "config": [{"model_id": model_id, "model_name": "%s-model" % app, "model_version": "1.0.%d" % (index % 9),
                        "specification": "modelarts.vm.gpu.t4", "instance_count": rng.randrange(1, 4),
                        "pool_name": pool, "cluster_id": "cluster-%s" % pool}],
        },
    }
    return service


def modelarts_fleet(seed: int, count: int, region: str, project_id: str) -> list[dict[str, t.Any]]:
    rng = random.Random("%s/%s" % (seed, region))
    return [modelarts_service(rng, index, region, project_id) for index in range(count)]


FABRIC_ENDPOINTS = ("b935d0ef-f4eb-4b95-aff1-9d33ae9f57b6", "3c1f2e4d-0a9b-4c8d-9e7f-6a5b4c3d2e1f",
                    "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928")


def fabric_instance(rng: random.Random, index: int, workspace_id: str) -> dict[str, t.Any]:
    """One DataArts Fabric service instance, shaped like the document's example."""
    created = EPOCH + datetime.timedelta(minutes=53 * index, seconds=rng.randrange(30))
    source = "%032x" % rng.getrandbits(128)
    instance_id = "%032x" % (rng.getrandbits(96) << 32 | index)
    app = rng.choice(APPS)
    # Every 25th name uses what names may hold beyond the query's documented letters, digits and hyphens.
    name = "%s_v1.2 服务 a-%04d" % (app, index) if index % 25 == 24 else "%s-instance-%04d" % (app, index)
    return {
        "id": instance_id,
        "name": name,
        "description": "instance %d of %s" % (index, workspace_id),
        "endpoint_id": rng.choice(FABRIC_ENDPOINTS),
        "visibility": rng.choice(("PRIVATE", "PRIVATE", "PUBLIC")),
        "source": {"id": source, "version_id": "%032x" % rng.getrandbits(128)},
        "status": rng.choice(("RUNNING", "RUNNING", "RUNNING", "STOPPED", "FAILED", "DEPLOYING")),
        "create_time": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "update_time": (created + datetime.timedelta(hours=rng.randrange(1, 99))).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "duration": rng.randrange(0, 10 ** 7),
        "create_user": {"domain_name": "emulator-domain", "user_name": "user-%d" % (index % 4)},
        "type": rng.choice(("LLM_MODEL", "LLM_MODEL", "PGSQL_SERVICE")),
        "error_code": "",
        "error_msg": "",
        "config": {"model_instance_config": {"resource": {"min": 1, "max": 4, "spec_code": "fabric.llm.small"}}},
    }


def fabric_fleet(seed: int, count: int, workspace_id: str) -> list[dict[str, t.Any]]:
    rng = random.Random("%s/%s" % (seed, workspace_id))
    return [fabric_instance(rng, index, workspace_id) for index in range(count)]
