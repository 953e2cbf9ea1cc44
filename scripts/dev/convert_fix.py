"""Draft the structured fix of KB entries written in the earlier format (issue 31).

Before issue 31 an entry's fix was Markdown in each language (``fix.zh-TW = \"\"\"1. …\"\"\"``)
whose steps named their system in prose ("Windows：…", **Linux** headings). Entries now
hold ``[[fix.steps]]`` tables with ``text.zh-TW``, ``text.en`` and ``os``. This rewrites such
files in place with a draft:

- each numbered item or sub-item becomes a step; a leading "Windows：", "macOS: ", "On
  Linux, " or a **Windows** heading above it becomes ``os`` and leaves the text;
- text before the first step becomes ``fix.intro``;
- text after the last step is kept as a TOML comment marked ``TODO``, and so is a
  language whose steps do not pair up with the other's.

Read every draft before committing it: ``tests/test_kb_content.py`` fails on a step that
still names its system in prose, and the loader on a ``TODO`` left as a field.

    .venv/bin/python scripts/dev/convert_fix.py kb/entries/net-site-reset.toml …
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

_SYSTEM = {"windows": "windows", "macos": "macos", "mac": "macos", "linux": "linux"}
_PREFIX = re.compile(r"^(?:On\s+)?(Windows|macOS|Mac|Linux)\s*(?:[：:，,]\s*|\s+)", re.I)
_HEADING = re.compile(r"^\*\*(Windows|macOS|Mac|Linux)\*\*\s*(?:[：:]\s*(.*))?$", re.I)
_ITEM = re.compile(r"^(?:\d+\.|[-*])\s+(.*)$")


def parse(markdown: str) -> tuple[list[str], list[tuple[str | None, str]], list[str]]:
    """(intro paragraphs, (system, text) steps, trailing paragraphs)."""
    intro: list[str] = []
    steps: list[tuple[str | None, str]] = []
    tail: list[str] = []
    system: str | None = None
    for line in markdown.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if m := _HEADING.match(line):
            system = _SYSTEM[m.group(1).lower()]
            if m.group(2):
                steps.append((system, m.group(2)))
            continue
        if m := _ITEM.match(line):
            text, own = m.group(1), system
            if p := _PREFIX.match(text):
                own, text = _SYSTEM[p.group(1).lower()], text[p.end() :]
                text = text[:1].upper() + text[1:]  # "Windows: run …" → "Run …"
            steps.append((own, text))
            continue
        (tail if steps else intro).append(line)
    return intro, steps, tail


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def draft(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    fix = tomllib.loads(source).get("fix")
    if not (isinstance(fix, dict) and "zh-TW" in fix and isinstance(fix["zh-TW"], str)):
        return False
    zh, en = parse(fix["zh-TW"]), parse(fix["en"])
    out = ["[fix]"] if zh[0] or en[0] else []
    if zh[0] or en[0]:
        out += [f"intro.zh-TW = {_q(' '.join(zh[0]))}", f"intro.en = {_q(' '.join(en[0]))}"]
    if len(zh[1]) != len(en[1]):
        out.append(f"# TODO: {len(zh[1])} zh-TW steps but {len(en[1])} English ones: pair them")
    for (system, z), (system_en, e) in zip(zh[1], en[1], strict=False):
        out += ["", "[[fix.steps]]"]
        if system or system_en:
            out.append(f'os = ["{system or system_en}"]')
        out += [f"text.zh-TW = {_q(z)}", f"text.en = {_q(e)}"]
    for lang, (_i, _s, tail) in (("zh-TW", zh), ("en", en)):
        if tail:
            out.append(f"# TODO ({lang}, after the steps: make it a step or the intro): {' '.join(tail)}")
    body = re.sub(r'^fix\.(?:zh-TW|en) = """.*?"""\n', "", source, flags=re.S | re.M)
    head, _, procedure = body.partition("\n[[steps]]")
    text = head.rstrip("\n") + "\n\n" + "\n".join(out) + "\n"
    if procedure:
        text += "\n[[steps]]" + procedure
    path.write_text(text, encoding="utf-8")
    return True


def main(paths: list[str]) -> int:
    for name in paths:
        print(f"{name}: {'drafted' if draft(Path(name)) else 'already structured'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
