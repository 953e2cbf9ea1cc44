"""One sanitiser for untrusted text (card, certificate, HiPKI, OS and network values).

Such text may carry terminal escape sequences (clear screen, OSC 8 links, colours),
bidi overrides that reorder what the reader sees, or Markdown/HTML structure. Every
output (terminal, wizard, Markdown, HTML) passes values through here, so none of them
can be driven by the data it shows. Controls are escaped visibly (``\\x1b``), not
dropped silently, so the helpdesk still sees that something odd was there.
"""

from __future__ import annotations

import re

# C0 controls except TAB/LF, DEL, C1 controls, and the Unicode bidi/format controls that
# reorder or hide text (LRM/RLM, ALM, LRE..RLO, LRI..PDI, BOM/ZWNBSP).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_CONTROL_ALL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")

# Markdown punctuation that can open structure anywhere in a line (emphasis, code,
# links, tables, raw HTML, entities) plus the backslash itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Redaction placeholders stay literal (readable, searchable) when no link can follow.
_MD_PLACEHOLDER = re.compile(r"\\\[(personal(?:-\d+)?)\\\](?![(\[:])")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([#>+\-=.)])")


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c <= 0xFF else f"\\u{c:04x}"


def clean(text: str, *, multiline: bool = False) -> str:
    """Escape control characters, escape sequences and bidi overrides visibly.

    With ``multiline`` newlines and tabs are kept; otherwise they are escaped too, so a
    one-line value (a summary, a name) cannot forge extra lines of output.
    """
    return (_CONTROL if multiline else _CONTROL_ALL).sub(_visible, str(text))


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether :func:`clean` would escape anything (for data refused rather than shown)."""
    return (_CONTROL if multiline else _CONTROL_ALL).search(text) is not None


def markdown_inline(text: str) -> str:
    """A value made safe for one Markdown line or table cell: no structure, no HTML."""
    s = clean(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_PLACEHOLDER.sub(r"[\1]", _MD_SPECIAL.sub(r"\\\1", s))
    return _MD_LINE_START.sub(r"\1\2\\\3", s)


def html_text(text: str) -> str:
    """A value made safe for HTML element content or a quoted attribute."""
    import html  # lazy: start-up time (its entity table); only HTML reports need it

    return html.escape(clean(text), quote=True)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_text(dumped: str) -> str:
    """JSON text (``ensure_ascii=False``) with C1/bidi characters as ``\\uXXXX`` escapes.

    They can occur only inside JSON strings, where the escape means the same character,
    so the data is unchanged but a terminal showing the document is not reordered.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)
