"""Line wrapping for mixed Chinese/English text, measured in terminal cells.

Python's ``textwrap`` and most terminal widgets break only at spaces, so a Chinese
paragraph is folded at any character: a lone 「。」 starts a line, 「5」 and 「年」 are
split. Here breaks follow the usual Chinese typesetting rules (kinsoku):

- no line starts with closing punctuation (。，、：；）」』 …) and none ends with an
  opening one (（「『 …);
- no break inside a Latin word, a number or a path, nor between a number or Latin word and the
  Chinese character written next to it (「5 年」, 「PIN 碼」);
- English text breaks at spaces as usual;
- continuation lines get a hanging indent, so text lines up under itself, not the icon.

One helper shared by the wizard, the CLI renderer and the Markdown report.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text as RichText

CLOSING = set("。，、：；！？）」』》〉】〕…‥・.,:;!?)]}％%’”")
OPENING = set("（「『《〈【〔([{‘“")
# A word, number, URL or path is one piece: it may start with / ~ or a backslash (a
# path) and hold / \ and : (C:\Windows, https://…), so a path is never broken inside.
_TOKEN = re.compile(r"\s+|[A-Za-z0-9/~\\][A-Za-z0-9_.,'’\-/\\:#@%+&=~]*|.", re.S)


def cell_width(text: str) -> int:
    """Terminal cells: wide (CJK, full-width) characters take two."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _ideograph(ch: str) -> bool:
    return _wide(ch) and unicodedata.category(ch) == "Lo"


def _unit_after(prev: str, nxt: str) -> bool:
    """A number or Latin word followed by the Chinese word it belongs to (5 年, PIN 碼)."""
    return (
        bool(prev)
        and bool(nxt)
        and prev[-1].isascii()
        and prev[-1].isalnum()
        and _ideograph(nxt[0])
    )


def _chunks(text: str) -> list[tuple[str, str]]:
    """Unbreakable pieces, each with the space that follows it (dropped at a break)."""
    tokens = _TOKEN.findall(text)
    chunks: list[list[str]] = []  # [body, trailing space]
    glue_next = False
    for i, tok in enumerate(tokens):
        if tok.isspace():
            if not chunks:
                continue
            prev = chunks[-1][0]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if _unit_after(prev, nxt) and not chunks[-1][1]:
                chunks[-1][0] += tok
                glue_next = True
            else:
                chunks[-1][1] += tok
            continue
        attach = (
            bool(chunks)
            and not chunks[-1][1]
            and (
                glue_next
                or tok[0] in CLOSING
                or chunks[-1][0][-1] in OPENING
                or _unit_after(chunks[-1][0], tok)  # 「5年」, 「PIN碼」
            )
        )
        glue_next = False
        if chunks and chunks[-1][1] and tok in CLOSING:
            attach = True  # 「token !」: a lone closing mark never starts a line
            chunks[-1][0] += chunks[-1][1][:1]
            chunks[-1][1] = ""
        if attach:
            chunks[-1][0] += tok
        else:
            chunks.append([tok, ""])
    return [(body, space) for body, space in chunks]


def _cut(line: str, width: int, keep: int) -> tuple[str, str]:
    """Split an over-long line at ``width`` cells (a piece wider than a whole line)."""
    used = 0
    for i, ch in enumerate(line):
        used += cell_width(ch)
        if used > width and i > keep:
            while i - 1 > keep and (line[i] in CLOSING or line[i - 1] in OPENING):
                i -= 1
            return line[:i], line[i:]
    return line, ""


def _wrap_para(para: str, width: int, lead: str, hang: str) -> list[str]:
    lines: list[str] = []
    line, empty, sep = lead, True, ""
    for body, space in _chunks(para):
        candidate = line + body if empty else line + sep + body
        if empty or cell_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = hang + body
        empty, sep = False, (" " if space else "")
        while cell_width(line) > width and cell_width(hang) < width:
            head, rest = _cut(line, width, len(hang))
            if not rest:
                break
            lines.append(head)
            line = hang + rest
    lines.append(line.rstrip())
    return lines


def wrap(
    text: str, width: int, indent: str = "", subsequent_indent: str | None = None
) -> list[str]:
    """Wrap text to ``width`` cells; each newline starts a new paragraph."""
    hang = indent if subsequent_indent is None else subsequent_indent
    out: list[str] = []
    for n, para in enumerate(text.split("\n")):
        if not para.strip():
            out.append("")
            continue
        out += _wrap_para(para.strip(), width, indent if n == 0 else hang, hang)
    return out


def fill(text: str, width: int, indent: str = "", subsequent_indent: str | None = None) -> str:
    return "\n".join(wrap(text, width, indent, subsequent_indent))


def wrap_rich(
    text: RichText, width: int, indent: str = "", subsequent_indent: str | None = None
) -> RichText:
    """Like :func:`wrap` for styled terminal text: the styles follow the words."""
    plain = text.plain
    hang = indent if subsequent_indent is None else subsequent_indent
    out = RichText(end="")
    pos = 0
    for n, line in enumerate(wrap(plain, width, indent, hang)):
        if n:
            out.append("\n")
        lead = indent if n == 0 else hang
        body = line[len(lead) :] if line.startswith(lead) else line.lstrip()
        out.append(line[: len(line) - len(body)])
        found = plain.find(body, pos) if body else -1
        if found < 0:
            out.append(body)
            continue
        out.append_text(text[found : found + len(body)])
        pos = found + len(body)
    return out
