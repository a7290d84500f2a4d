# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documentation as a newcomer meets it, one test each (the `docs` suite of run_suites.py):

- `make demo` on a copy of the checkout, as README and the quick start say;
- the quick start's walkthrough (docs/docsite/rst/quickstart.rst), run as written after `make demo`: its console
  commands in order in one shell, its captioned YAML blocks saved under their captions; only its directory
  (/tmp/quickstart) and the emulator's port (18080) are swapped for the test's own;
- the documentation site (`make docs`): a page for every guide extra-docs.yml names, no Sphinx warning but the
  intersphinx ones (no network here), and every link between its pages leads to a file;
- every relative link in README.md and the guides leads to a file of the repository;
- every inventory file and every ``sources`` list the guides and README show is one the collection accepts: the
  inventory's options are the plugin's, and the sources pass the shared core's own check (keys, providers, filters,
  types).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import yaml

QUICKSTART = os.path.join("docs", "docsite", "rst", "quickstart.rst")
QUICKSTART_DIR = "/tmp/quickstart"
STEERING = os.path.join("docs", "docsite", "rst", "steering.rst")
STEERING_DIR, STEERING_PORT = "/tmp/steering", "18081"
QUICKSTART_PORT = "18080"
# Sphinx warns that it cannot fetch the intersphinx inventories of docs.python.org and docs.ansible.com (no network),
# and so that the labels of Ansible's own documentation the generated plugin pages point at are undefined.
OFFLINE_WARNING = re.compile(r"intersphinx|failed to reach any of the inventories|objects\.inv|undefined label: "
                             r"'(common_return_values|ansible_configuration_settings|action_plugins)'")


def code_blocks(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Each ``.. code-block::`` of an RST text as (language, options, body), the body dedented."""
    blocks = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = re.match(r"^(\s*)\.\. code-block:: *(\S+)\s*$", lines[i])
        i += 1
        if not match:
            continue
        indent = len(match.group(1))
        options = {}
        while i < len(lines) and re.match(r"^\s+:(\w+):\s*(.*)$", lines[i]):
            key, value = re.match(r"^\s+:(\w+):\s*(.*)$", lines[i]).groups()
            options[key] = value
            i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i])
            i += 1
        blocks.append((match.group(2), options, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return blocks


def console_commands(body: str) -> list[str]:
    """The commands of a console block: each ``$ `` line with the lines that continue it."""
    commands: list[str] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append(line[2:])
        elif commands and line.strip():
            commands[-1] += "\n" + line
    return commands


def walkthrough(text: str) -> tuple[list[str], dict[str, str]]:
    """The quick start's commands after `make demo`, and its files by caption."""
    commands: list[str] = []
    files: dict[str, str] = {}
    for language, options, body in code_blocks(text):
        if language == "console":
            commands += console_commands(body)
        elif "caption" in options:
            files[options["caption"]] = body
    demo = commands.index("make demo")
    return commands[demo + 1:], files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], cwd: str, env: dict[str, str], timeout: int = 900) -> tuple[int, str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, check=False)
    return proc.returncode, proc.stdout


def report(name: str, ok: bool, detail: str, out: str = "") -> bool:
    print("docs: %s: %s%s" % (name, "ok, " if ok else "FAILED, ", detail), flush=True)
    if not ok and out:
        print(textwrap.indent(out[-6000:], "    "), flush=True)
    return ok


def check_demo(copy: str, env: dict[str, str]) -> bool:
    began = time.monotonic()
    status, out = run(["make", "--no-print-directory", "demo"], copy, env)
    match = re.search(r"^The fleet report: (\S+report\.html)", out, re.M)
    lines = len(out.splitlines())
    ok = not status and bool(match) and os.path.exists(match.group(1)) and "@status_failed:" in out \
        and "services of workspace 123445 are running:" in out and lines <= 400
    return report("make demo", ok, "exit %d in %.0f s (the venv made already), %d lines printed (400 at most), "
                  "report %s" % (status, time.monotonic() - began, lines, match.group(1) if match else "not printed"),
                  out)


def run_walkthrough(copy: str, work: str, env: dict[str, str], guide: str, folder: str, port: str,
                    name: str) -> tuple[int, str, str, list[str], dict[str, str]]:
    """Run a guide's walkthrough as written (its console commands after `make demo`, in order in one shell, its
    captioned files saved), with only its folder and the emulator's port swapped for the test's own. Returns the exit
    status, the output, the test's folder, the commands and the files."""
    with open(os.path.join(copy, guide), encoding="utf-8") as handle:
        commands, files = walkthrough(handle.read())
    place = os.path.join(work, name)
    shutil.rmtree(place, ignore_errors=True)
    os.makedirs(place)
    ours_port = str(free_port())

    def ours(text: str) -> str:
        return text.replace(folder, place).replace(port, ours_port)

    for file_name, body in files.items():
        with open(os.path.join(place, file_name), "w", encoding="utf-8") as handle:
            handle.write(ours(body))
    shown = ["echo '+ %s'\n%s\n" % (command.splitlines()[0].replace("'", ""), ours(command)) for command in commands]
    script = "set -euo pipefail\n" + "".join(shown)
    shell_env = {k: v for k, v in env.items() if k not in ("ANSIBLE_COLLECTIONS_PATH", "VIRTUAL_ENV")}
    try:
        status, out = run(["bash", "-c", script], copy, shell_env)
    finally:
        state = os.path.join(place, "emulator.json")
        if os.path.exists(state):  # the walkthrough stopped before its last command: end the emulator here
            try:
                with open(state, encoding="utf-8") as handle:
                    os.kill(json.load(handle)["pid"], signal.SIGTERM)
            except (OSError, ValueError, KeyError):
                pass
    return status, out, place, commands, files


def check_quickstart(copy: str, work: str, env: dict[str, str]) -> bool:
    status, out, place, commands, files = run_walkthrough(copy, work, env, QUICKSTART, QUICKSTART_DIR,
                                                          QUICKSTART_PORT, "quickstart")
    html = os.path.join(place, "report", "report.html")
    checks = {
        "every command succeeded": status == 0,
        "the report was written": all(os.path.exists(os.path.join(place, "report", n)) for n in (
            "report.html", "report.md", "services.json", "services.csv")),
        "the report lists two providers": os.path.exists(html) and all(
            p in open(html, encoding="utf-8").read() for p in ("pai_eas", "modelarts")),
        "the gate passed": "1 service is running: summarize_svc_01048.cn-hangzhou.pai_eas" in out,
        "the inventory graph has failed services of both providers": {"pai_eas", "modelarts"} <= set(re.findall(
            r"^ +\|--\S+\.(pai_eas|modelarts)$", out.split("@status_failed:", 1)[-1].split("\n+ ", 1)[0], re.M)),
        "the host's variables were shown": '"service_name": "summarize_svc_01048"' in out,
        "the emulator was stopped": "stopped the emulator" in out,
    }
    failed = [name for name, ok in checks.items() if not ok]
    return report("quick start, run as written (%d commands, %d files)" % (len(commands), len(files)), not failed,
                  "; ".join(failed) or "the report, the gate and the inventory as the page says", out)


def check_steering(copy: str, work: str, env: dict[str, str]) -> bool:
    """The steering guide's walkthrough, as written: deploy and gate, scale a workspace to zero and back (the morning
    run first in check mode), clean up."""
    status, out, _place, commands, files = run_walkthrough(copy, work, env, STEERING, STEERING_DIR, STEERING_PORT,
                                                           "steering")
    # What each ansible-playbook run changed, summed over the hosts of its recap: the echo of each command ("+ ...")
    # starts its part of the output (a diff's "+" lines are followed by more than one space).
    changed = [sum(int(n) for n in re.findall(r"^\S+ +: ok=\d+ +changed=(\d+)", part, re.M))
               for part in re.split(r"^\+ (?=\S)", out, flags=re.M) if part.startswith("ansible-playbook")]
    checks = {
        "every command succeeded": status == 0,
        "the gate passed for the three": "3 services are running" in out,
        "deploy, night, morning in check mode, morning, clean-up changed 1, 3, 3, 3, 1": changed == [1, 3, 3, 3, 1],
        "check mode showed the replicas to come": re.search(r'"replicas": 0\b', out) is not None
        and re.search(r'"replicas": 2\b', out) is not None,
        "the emulator was stopped": "stopped the emulator" in out,
    }
    failed = [name for name, ok in checks.items() if not ok]
    return report("steering guide, run as written (%d commands, %d files)" % (len(commands), len(files)), not failed,
                  "; ".join(failed) or "deployed and gated, scaled to zero and back, cleaned up", out)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def check_site(copy: str, release_venv: str, env: dict[str, str]) -> list[bool]:
    status, out = run(["make", "--no-print-directory", "docs", "RELEASE_VENV=%s" % release_venv], copy, env)
    site = os.path.join(copy, ".build", "docs-site")
    html = os.path.join(site, "build", "html")
    results = [report("make docs", status == 0, "exit %d" % status, out)]
    with open(os.path.join(copy, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        pages = [page for section in yaml.safe_load(handle)["sections"] for page in section["toctree"]]
    missing = [page for page in pages if not os.path.exists(os.path.join(html, "docsite", page + ".html"))]
    results.append(report("a page for every guide", bool(pages) and not missing,
                          "missing: %s" % ", ".join(missing) if missing else "%d guides" % len(pages)))
    log = open(os.path.join(site, "build.log"), encoding="utf-8").read() if os.path.exists(
        os.path.join(site, "build.log")) else ""
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)
                and not OFFLINE_WARNING.search(line)]
    results.append(report("no Sphinx warning", bool(log) and not warnings,
                          "%d warning(s)" % len(warnings), "\n".join(warnings)))
    broken = []
    for folder, _dirs, names in os.walk(html):
        for name in names:
            if not name.endswith(".html"):
                continue
            parser = _Links()
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                parser.feed(handle.read())
            for link in parser.links:
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path:
                    continue
                if not os.path.exists(os.path.normpath(os.path.join(folder, unquote(parts.path)))):
                    broken.append("%s -> %s" % (os.path.relpath(os.path.join(folder, name), html), link))
    results.append(report("links between the site's pages", not broken, "%d broken" % len(broken),
                          "\n".join(sorted(set(broken)))))
    return results


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
RST_LINK = re.compile(r"`[^`<]*<([^>`]+)>`__?")


def check_repo_links(tree: str) -> bool:
    """Relative links of README.md and the guides lead to files of the repository."""
    broken = []
    sources = ["README.md"] + [os.path.join("docs", "docsite", "rst", n) for n in sorted(os.listdir(
        os.path.join(tree, "docs", "docsite", "rst")))]
    for source in sources:
        with open(os.path.join(tree, source), encoding="utf-8") as handle:
            text = handle.read()
        for link in MARKDOWN_LINK.findall(text) + RST_LINK.findall(text):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if not os.path.exists(os.path.join(tree, os.path.dirname(source), unquote(parts.path))):
                broken.append("%s -> %s" % (source, link))
    return report("relative links of README and the guides", not broken, "%d broken" % len(broken), "\n".join(broken))


SOURCE_LISTS = ("sources", "service_report_sources", "service_status_gate_sources")


def _sources_in(value: object) -> list[list[object]]:
    """Every list under a key of SOURCE_LISTS, at any depth (a play, a role's vars, an event source's args)."""
    found: list[list[object]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            # A rulebook's ruleset has sources of its own (event sources), which hold ours.
            if key in SOURCE_LISTS and isinstance(item, list) and "rules" not in value:
                found.append(item)
            else:
                found += _sources_in(item)
    elif isinstance(value, list):
        for item in value:
            found += _sources_in(item)
    return found


def check_examples(tree: str, venv: str, env: dict[str, str]) -> bool:
    """The guides' inventory files use the plugin's options only, and their sources pass ``sources.jobs``."""
    roots = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(tree))))
    status, out = run([os.path.join(venv, "bin", "ansible-doc"), "--json", "-t", "inventory",
                       "modelserving.cloud.inference_services"], tree, dict(env, ANSIBLE_COLLECTIONS_PATH=roots))
    options = set(json.loads(out)["modelserving.cloud.inference_services"]["doc"]["options"]) if not status else set()
    sys.path.insert(0, roots)
    try:
        from ansible_collections.modelserving.cloud.plugins.module_utils import sources  # pylint: disable=C0415
    finally:
        sys.path.remove(roots)
    problems, inventories, lists = [], 0, 0
    guides = os.path.join(tree, "docs", "docsite", "rst")
    for name in sorted(os.listdir(guides)) + ["README.md"]:
        if not name.endswith((".rst", ".md")):
            continue
        with open(os.path.join(tree, name) if name == "README.md" else os.path.join(guides, name),
                  encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".md"):
            blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)
        else:
            blocks = [body for language, _options, body in code_blocks(text) if language == "yaml"]
        for body in blocks:
            document = yaml.safe_load(body)
            if isinstance(document, dict) and document.get("plugin") == "modelserving.cloud.inference_services":
                inventories += 1
                unknown = sorted(set(document) - options)
                if unknown:
                    problems.append("%s: an inventory with options the plugin lacks: %s" % (name, ", ".join(unknown)))
            for found in _sources_in(document):
                lists += 1
                try:
                    sources.jobs(found)
                except sources.ConfigError as exc:
                    problems.append("%s: %s" % (name, exc))
    ok = not problems and bool(options) and inventories > 5 and lists > 10
    return report("the guides' inventories and sources", ok, "%d inventories, %d sources lists%s" % (
        inventories, lists, "; " + "; ".join(problems) if problems else ""))


def docs(venv: str, release_venv: str, tree: str, work: str, env: dict[str, str]) -> tuple[int, int, int]:
    """Every check above on a copy of the tree whose .venv is the test venv (so `make demo` installs nothing)."""
    copy = os.path.join(work, "checkout")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, copy, ignore=lambda folder, names: [n for n in names if n in ("output", ".build")])
    os.symlink(os.path.abspath(venv), os.path.join(copy, ".venv"))
    env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}  # not the outer make's
    results = [check_repo_links(copy), check_examples(tree, venv, env), check_demo(copy, env)]
    results.append(check_quickstart(copy, work, env))
    results.append(check_steering(copy, work, env))
    results += check_site(copy, os.path.abspath(release_venv), env)
    return sum(results), len(results) - sum(results), 0
