# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the emulator: ``PYTHONPATH=tests python -m emulator --state-file /tmp/emu/state.json``.

Once listening it writes the state file (JSON: pid, http_url, https_url, ca_cert, credentials) and serves until
SIGTERM or SIGINT. With ``--detach`` it returns once it listens and serves in the background;
``--stop --state-file FILE`` ends the emulator that wrote FILE.

Point a module or the inventory at it with ``endpoint: <http_url>`` (and ``iam_endpoint`` for Huawei), or keep the
real region host names: set HTTPS_PROXY to <http_url> and ca_path to <ca_cert>; it answers CONNECT for
pai-eas.<region>.aliyuncs.com, modelarts.<region>.myhuaweicloud.com, fabric-ep.<region>.myhuaweicloud.com,
iam.<region>.myhuaweicloud.com and the Open Telekom Cloud hosts, with a certificate its CA signed.

Admin API (JSON, under <http_url>/_emulator/): health; POST reset; GET/POST faults; GET stats, POST stats/reset;
GET fleet/pai_eas[/<region>], fleet/modelarts/<region>, fleet/dataarts_fabric/<workspace>; POST iam/expire; and
GET/POST transitions, status changes made later, such as
{"transitions": [{"provider": "modelarts", "region": "cn-north-4", "service_name": "x", "status": "failed",
"after": 5}]} (service_id or service_name; workspace_id for dataarts_fabric; status as the API spells it). A change
whose service does not exist when it is scheduled is refused with 400 and an error naming it, and then nothing of
that request is scheduled.
STS AssumeRole answers at / (sts.aliyuncs.com through the proxy) for the roles in the state file's pai_eas_roles;
GET/POST sts shows or sets the roles and how long issued keys last ({"ttl": 5}; by default DurationSeconds).
IAM assume_role (POST /v3.0/OS-CREDENTIAL/securitytokens) answers for the agency in the state file's huawei_agency;
GET/POST iam/agencies shows or sets how long its keys last ({"ttl": 5}). STS AssumeRoleWithOIDC takes tokens from POST
oidc/token ({"ttl": 600}) for the state file's pai_eas_oidc_provider; GET /credentials-uri[?role=ARN] answers as a
credentials URI server. The instance metadata services of an ECS instance answer at / too (PUT /latest/api/token and
/latest/meta-data/ram/security-credentials/ for Alibaba, PUT /meta-data/latest/api/token and
/openstack/latest/securitykey for Huawei). The collection asks them only at their real addresses, 100.100.100.200
and 169.254.169.254 on port 80: --metadata-address ADDRESS (as often as needed) serves there too, once ADDRESS is on
an interface, e.g. as root in a network namespace of its own (``unshare -n``, ``ip link set lo up``,
``ip addr add 100.100.100.200/32 dev lo``; tests/integration/targets/inventory_inference_services/netns.py does so).
The state file lists those URLs as metadata_urls.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
import tempfile
import threading
import time

from .huawei import ACCOUNT, AGENCY_ACCOUNT, AGENCY_READER, REGIONS, HuaweiCloud, project_id
from .server import ROLE_EXTERNAL_ID, ROLE_OTHER_ACCOUNT, ROLE_READER, Emulator, Server, serve
from .sts import OIDC_PROVIDER
from .tls import make_certificates

PAI_REGIONS = ("cn-hangzhou", "cn-shanghai", "cn-beijing")


def cloud_hosts() -> tuple[str, ...]:
    """Every cloud host name the proxy answers for, for the server certificate."""
    names = ["pai-eas.%s.aliyuncs.com" % r for r in PAI_REGIONS] + ["sts.%s.aliyuncs.com" % r for r in PAI_REGIONS]
    names.append("sts.aliyuncs.com")
    for region in REGIONS:
        names += ["%s.%s.myhuaweicloud.com" % (s, region) for s in ("modelarts", "iam", "fabric-ep")]
        names += ["%s.%s.otc.t-systems.com" % (s, region) for s in ("modelarts", "iam")]
    return tuple(names) + ("modelarts.ap-southeast-1.myhuaweicloud.cn",)


def stop_emulator(state_file: str) -> int:
    """End the emulator whose state file this is and remove the file; 0 when it ran, 1 when it did not."""
    try:
        with open(state_file, encoding="utf-8") as handle:
            pid = json.load(handle)["pid"]
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError, KeyError) as exc:
        print("no emulator to stop for %s: %s" % (state_file, exc), file=sys.stderr)
        return 1
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.05)
    if os.path.exists(state_file):
        os.remove(state_file)
    print("stopped the emulator (pid %d)" % pid)
    return 0


def listen(emulator: Emulator, port: int, option: str, state_file: str, **kwargs) -> Server:
    """Serve on 127.0.0.1:port, or exit with a message that says why not and what to do (--http-port and
    --https-port are the options that choose the ports)."""
    try:
        return serve(emulator, port, **kwargs)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            sys.exit("port %d is in use (another emulator? stop it with python -m emulator --stop --state-file %s) "
                     "or choose another with %s" % (port, state_file, option))
        sys.exit("cannot listen on 127.0.0.1:%d: %s; choose another port with %s" % (port, exc.strerror or exc,
                                                                                     option))


def detach(state_file: str) -> None:
    """Fork: the child goes on to serve, on its own session with no terminal output; the parent waits until the
    child has written the state file, says where it listens, and exits. Until then the child's stderr is a pipe to
    the parent, which shows what the child said when it ends before it listens (a port in use, for one)."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.setsid()
        os.close(reader)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(null, fd)
        os.dup2(writer, 2)  # main() points it at os.devnull once it listens
        os.close(writer)
        os.close(null)
        return
    os.close(writer)
    os.set_blocking(reader, False)
    said = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        said += _drain(reader)
        state = _state_of(state_file, child)  # an older file, of an emulator still running, stays until replaced
        if state:
            print("emulator listening on %s (pid %d); stop it with --stop --state-file %s" % (
                state["http_url"], state["pid"], state_file))
            sys.exit(0)
        finished, status = os.waitpid(child, os.WNOHANG)
        if finished:
            said += _drain(reader)
            code = os.waitstatus_to_exitcode(status)
            if said.strip():
                sys.stderr.write(said.decode("utf-8", "replace"))
                sys.exit(code if code > 0 else 1)
            sys.exit("the emulator ended before it listened (exit %d): run it without --detach to see why" % code)
        time.sleep(0.05)
    sys.exit("the emulator did not listen within 60 s")


def _drain(fd: int) -> bytes:
    """What a non-blocking pipe holds now."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _state_of(state_file: str, pid: int) -> dict | None:
    """The state file's content when the emulator with this pid wrote it."""
    try:
        with open(state_file, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("pid") == pid else None


def main() -> None:
    parser = argparse.ArgumentParser(prog="emulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state-file", required=True)
    parser.add_argument("--workdir", help="where the TLS files go (default: beside the state file)")
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--https-port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pai-eas-services", type=int, default=1050)
    parser.add_argument("--pai-eas-region", default="cn-hangzhou")
    parser.add_argument("--pai-eas-max-page-size", type=int, default=100)
    parser.add_argument("--pai-eas-key", default="LTAI5tEMULATOR0000001:EmulatorSecret0000000000000000001",
                        help="AK:SECRET")
    parser.add_argument("--pai-eas-sts", default="STS.NEmulator0000001:EmulatorStsSecret000000000000001:"
                        "CAIS-emulator-sts-token-0001", help="AK:SECRET:TOKEN")
    parser.add_argument("--huawei-key", default="HPUAEMULATOR00000001:EmulatorHuaweiSecret00000000000000001",
                        help="AK:SK")
    parser.add_argument("--huawei-temp-key", default="HPUATEMP000000000001:EmulatorHuaweiTempSecret0000000000001:"
                        "emulator-security-token-0001", help="AK:SK:TOKEN")
    parser.add_argument("--huawei-user", default="emulator-domain:emulator-user:EmulatorPassw0rd!",
                        help="DOMAIN:USER:PASSWORD")
    parser.add_argument("--huawei-region", default="cn-north-4", help="for requests whose host names no region")
    parser.add_argument("--modelarts-services", type=int, default=1050)
    parser.add_argument("--modelarts-offset", choices=["pages", "records"], default="pages",
                        help="what ModelArts offset counts (docs/docsite/rst/wire.rst B.3)")
    parser.add_argument("--fabric-instances", type=int, default=250, help="per workspace")
    parser.add_argument("--iam-token-ttl", type=int, default=86400, help="seconds")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--hostile", action="store_true", help="add services with hostile names and labels")
    parser.add_argument("--metadata-address", action="append", default=[],
                        help="serve on ADDRESS:80 too, where the instance metadata services are (an address on an "
                        "interface, e.g. 100.100.100.200 or 169.254.169.254 on lo in a network namespace)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--detach", action="store_true", help="serve in the background; return once listening")
    parser.add_argument("--stop", action="store_true", help="end the emulator that wrote --state-file")
    args = parser.parse_args()
    if args.stop:
        sys.exit(stop_emulator(args.state_file))
    if args.detach:
        detach(args.state_file)

    key_id, key_secret = args.pai_eas_key.split(":", 1)
    sts_id, sts_secret, sts_token = args.pai_eas_sts.split(":", 2)
    ak, sk = args.huawei_key.split(":", 1)
    temp_ak, temp_sk, temp_token = args.huawei_temp_key.split(":", 2)
    domain, user, password = args.huawei_user.split(":", 2)
    huawei_cloud = HuaweiCloud(keys={ak: {"secret": sk, "token": None},
                                     temp_ak: {"secret": temp_sk, "token": temp_token}},
                               users={(domain, user): password}, seed=args.seed,
                               modelarts_services=args.modelarts_services, fabric_instances=args.fabric_instances,
                               offset_mode=args.modelarts_offset, token_ttl=args.iam_token_ttl)
    emulator = Emulator(seed=args.seed, pai_eas_services=args.pai_eas_services, region=args.pai_eas_region,
                        keys={key_id: {"secret": key_secret, "token": None},
                              sts_id: {"secret": sts_secret, "token": sts_token}},
                        huawei_cloud=huawei_cloud, huawei_region=args.huawei_region,
                        max_page_size=args.pai_eas_max_page_size, latency_ms=args.latency_ms, hostile=args.hostile)
    workdir = os.path.abspath(args.workdir or os.path.dirname(os.path.abspath(args.state_file)))
    ca_cert, cert, key = make_certificates(os.path.join(workdir, "tls"), cloud_hosts())
    http = listen(emulator, args.http_port, "--http-port", args.state_file, verbose=args.verbose)
    https = listen(emulator, args.https_port, "--https-port", args.state_file, tls=(cert, key), verbose=args.verbose)
    metadata = []
    for address in args.metadata_address:
        try:
            metadata.append(serve(emulator, 80, verbose=args.verbose, address=address))
        except OSError as exc:  # the address is on no interface, or port 80 is not ours to take
            sys.exit("cannot serve the instance metadata at %s:80: %s" % (address, exc))
    emulator.base_url = "http://127.0.0.1:%d" % http.server_address[1]
    emulator.reset(seed=args.seed, pai_eas_services=args.pai_eas_services, hostile=args.hostile)
    state = {
        "pid": os.getpid(),
        "http_url": emulator.base_url,
        "https_url": "https://127.0.0.1:%d" % https.server_address[1],
        "ca_cert": ca_cert,
        "metadata_urls": ["http://%s" % address for address in args.metadata_address],
        "credentials": {
            "pai_eas": {"access_key_id": key_id, "access_key_secret": key_secret},
            "pai_eas_sts": {"access_key_id": sts_id, "access_key_secret": sts_secret, "security_token": sts_token},
            "huawei": {"access_key": ak, "secret_key": sk},
            "huawei_temp": {"access_key": temp_ak, "secret_key": temp_sk, "security_token": temp_token},
            "huawei_user": {"domain_name": domain, "username": user, "password": password},
        },
        "huawei_projects": {region: project_id(region) for region in REGIONS},
        "huawei_agency": {"agency_name": AGENCY_READER, "domain_name": AGENCY_ACCOUNT["name"],
                          "domain_id": AGENCY_ACCOUNT["id"], "caller_domain_id": ACCOUNT["id"]},
        "pai_eas_oidc_provider": OIDC_PROVIDER,
        "pai_eas_roles": {"reader": ROLE_READER, "other_account": ROLE_OTHER_ACCOUNT,
                          "other_account_external_id": ROLE_EXTERNAL_ID},
    }
    directory = os.path.dirname(os.path.abspath(args.state_file))
    os.makedirs(directory, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, suffix=".tmp") as out:
        json.dump(state, out, indent=2)
    if args.detach:  # listening: from now on the child of detach() says nothing, as before its parent exits
        sys.stderr.flush()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    os.replace(out.name, args.state_file)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in [http, https] + metadata:
        server.shutdown()


if __name__ == "__main__":
    main()
