"""Prose: Markdown-ish text wrapped with the CJK rules at the widget's own width.

Textual's Markdown widget breaks Chinese anywhere (a lone 「。」 on a line, 「5」 and
「年」 apart); this renders the small Markdown subset the KB uses (headings, lists,
quotes, bold) with :mod:`diagwizard.ui.textwrap_cjk` instead, and re-wraps on resize.
"""

from __future__ import annotations

import re

from rich.text import Text as RichText
from textual.geometry import Size
from textual.widgets import Static

from diagwizard.ui.textwrap_cjk import wrap

_LIST = re.compile(r"^(\s*)([-*+]|\d+\.)\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|<(https?://[^>]+)>")


def _plain(text: str) -> str:
    """Drop inline Markdown marks the terminal cannot show (stars, backticks, <links>)."""
    return _INLINE.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text).replace("`", "")


def _blocks(source: str) -> list[tuple[str, str, str, str]]:
    """(kind, first-line prefix, hanging prefix, text) for each paragraph-like block."""
    blocks: list[tuple[str, str, str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(("p", "", "", " ".join(para)))
            para.clear()

    for raw in source.splitlines():
        line = raw.rstrip()
        heading = _HEADING.match(line)
        item = _LIST.match(line)
        if not line.strip():
            flush()
            blocks.append(("blank", "", "", ""))
        elif heading:
            flush()
            blocks.append((f"h{len(heading.group(1))}", "", "", heading.group(2)))
        elif item:
            flush()
            lead = item.group(1) + ("• " if item.group(2) in "-*+" else item.group(2) + " ")
            blocks.append(("li", lead, " " * len(lead), item.group(3)))
        elif line.startswith(">"):
            flush()
            blocks.append(("quote", "│ ", "│ ", line.lstrip("> ")))
        elif blocks and blocks[-1][0] == "li" and not para and raw.startswith(" "):
            kind, lead, hang, text = blocks.pop()  # a list item continued on the next line
            blocks.append((kind, lead, hang, f"{text} {line.strip()}"))
        else:
            para.append(line.strip())
    flush()
    return blocks


STYLES = {
    "h1": "bold reverse",
    "h2": "bold underline",
    "h3": "bold",
    "h4": "bold",
    "quote": "italic",
}


def render_prose(source: str, width: int) -> RichText:
    """The source as styled terminal text, ``width`` cells wide."""
    width = max(width, 8)
    out = RichText()
    previous_blank = True
    for kind, lead, hang, text in _blocks(source):
        if kind == "blank":
            if not previous_blank:
                out.append("\n")
            previous_blank = True
            continue
        previous_blank = False
        for line in wrap(_plain(text), width, lead, hang):
            out.append(line + "\n", style=STYLES.get(kind, ""))
    out.rstrip()
    return out


class Prose(Static):
    """A block of wrapped prose; ``source`` keeps the Markdown it shows."""

    DEFAULT_CSS = "Prose { height: auto; }"

    def __init__(self, source: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.source = source

    def update_source(self, source: str) -> None:
        self.source = source
        self.refresh(layout=True)

    def render(self) -> RichText:
        return render_prose(self.source, self.content_size.width or 76)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(render_prose(self.source, width).split())
