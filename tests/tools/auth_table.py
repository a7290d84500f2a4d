# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the credential option tables of the docs from the option declarations, so that they cannot drift.

Each table sits in an RST file between two comments::

    .. BEGIN GENERATED auth-options pai_eas (written by tests/tools/auth_table.py: do not edit by hand)
    .. END GENERATED auth-options pai_eas

and lists every option of that provider's ``AUTH_OPTIONS`` (name, environment variables in order, type, default,
choices, whether it is a secret), described by the first line of its doc fragment's description.

    python tests/tools/auth_table.py            # rewrite the tables of docs/docsite/rst/*.rst
    python tests/tools/auth_table.py --check    # exit 1, naming the files, when a table differs

It needs ansible-core (the declarations import it), e.g. ``/work/main/.venv/bin/python``; the unit test
``tests/unit/tools/test_auth_table.py`` fails when a committed table differs from what this writes.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import tempfile
import textwrap
import typing as t

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
DOCS = os.path.join(ROOT, "docs", "docsite", "rst")
PACKAGE = "ansible_collections.modelserving.cloud"
# provider name -> the doc fragment (module, variant) whose descriptions the table quotes
FRAGMENTS = {"pai_eas": ("alibaba", "MODULES"), "modelarts": ("huawei", "MODULES")}
BLOCK = re.compile(r"^(\.\. BEGIN GENERATED auth-options (\w+)[^\n]*\n)(.*?)^(\.\. END GENERATED auth-options \2\n)",
                   re.M | re.S)
# Ansible's semantic markup, as RST: O(opt=value), C(code), V(value), E(ENV), M(fqcn) are literals, I(x) emphasis.
MARKUP = re.compile(r"\b([OCVEMI])\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
WIDTH = 120


def _importable() -> None:
    """Make the collection importable as ``ansible_collections.modelserving.cloud`` wherever it is checked out."""
    try:
        importlib.import_module(PACKAGE + ".plugins")
        return
    except ImportError:
        pass
    top = tempfile.mkdtemp(prefix="auth_table_")
    os.makedirs(os.path.join(top, "ansible_collections", "modelserving"))
    os.symlink(ROOT, os.path.join(top, "ansible_collections", "modelserving", "cloud"))
    sys.path.insert(0, top)


def declarations() -> dict[str, tuple[dict[str, dict[str, t.Any]], dict[str, t.Any]]]:
    """Each provider's AUTH_OPTIONS and its fragment's options, keyed by provider name."""
    import yaml  # ansible-core's own dependency

    _importable()
    result = {}
    for provider, (fragment, variant) in FRAGMENTS.items():
        options = importlib.import_module("%s.plugins.module_utils.providers.%s" % (PACKAGE, provider)).AUTH_OPTIONS
        doc = importlib.import_module("%s.plugins.doc_fragments.%s" % (PACKAGE, fragment)).ModuleDocFragment
        result[provider] = (options, yaml.safe_load(getattr(doc, variant))["options"])
    return result


def rst(text: str) -> str:
    """Ansible's markup as RST literals (``O(profile_file)`` -> ````profile_file````)."""
    def literal(match: re.Match) -> str:
        return "*%s*" % match.group(2) if match.group(1) == "I" else "``%s``" % match.group(2)
    return MARKUP.sub(literal, text)


def _cell(first: str, text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=" " * len(first),
                         break_long_words=False, break_on_hyphens=False)


def table(options: t.Mapping[str, t.Mapping[str, t.Any]], docs: t.Mapping[str, t.Any]) -> str:
    """The list-table of every option, in declaration order."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 22 30 14 34", "",
             "   * - Option", "     - Environment variables, in order", "     - Type, default", "     - What it is"]
    for name, option in options.items():
        description = docs[name]["description"]
        first = description[0] if isinstance(description, list) else description
        kind = ["``%s``" % option.get("type", "str")]
        if option.get("no_log"):
            kind.append("secret")
        if option.get("choices"):
            kind.append("one of %s" % ", ".join("``%s``" % c for c in option["choices"]))
        if option.get("default") not in (None, ""):
            default = option["default"]
            kind.append("default ``%s``" % (str(default).lower() if isinstance(default, bool) else default))
        lines += _cell("   * - ", "``%s``" % name)
        lines += _cell("     - ", ", ".join("``%s``" % env for env in option.get("env") or ())) or ["     -"]
        lines += _cell("     - ", ", ".join(kind))
        lines += _cell("     - ", rst(first.strip()))
    return "\n".join(lines) + "\n"


def update(text: str, tables: t.Mapping[str, str]) -> str:
    """Return ``text`` with every marked block holding its provider's table."""
    def fill(match: re.Match) -> str:
        provider = match.group(2)
        if provider not in tables:
            raise KeyError("no auth-options table for %r (known: %s)" % (provider, ", ".join(sorted(tables))))
        return "%s\n%s\n%s" % (match.group(1), tables[provider], match.group(4))
    return BLOCK.sub(fill, text)


def tables() -> dict[str, str]:
    return {provider: table(options, docs) for provider, (options, docs) in declarations().items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a table differs")
    parser.add_argument("files", nargs="*", help="RST files (default: every file of docs/docsite/rst)")
    args = parser.parse_args(argv)
    files = args.files or [os.path.join(DOCS, name) for name in sorted(os.listdir(DOCS)) if name.endswith(".rst")]
    generated, stale = tables(), []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        new = update(text, generated)
        if new != text:
            stale.append(path)
            if not args.check:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(new)
    for path in stale:
        print("%s: %s" % (os.path.relpath(path), "differs from the declarations; run tests/tools/auth_table.py"
                          if args.check else "tables rewritten"))
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
