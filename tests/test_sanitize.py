"""Issue 30, one sanitiser on every screen: properties of ``clean`` and of the Markdown
escaping (deterministic: the "ci" Hypothesis profile), and the Markdown report checked
by a real CommonMark parser: an issuer's ``# …`` or a ``Location`` header's text never
becomes a heading, a list, a quote or a link, at any line position after wrapping."""

from __future__ import annotations

import re
from collections import Counter

from helpers import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from checks.network.tls import UNTRUSTED
from diagwizard.api import Text, found
from diagwizard.core.config import Config
from diagwizard.core.sanitize import clean, markdown_inline
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine.engine import Engine
from diagwizard.ui import reports

RAW = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]"
)
MD = MarkdownIt("commonmark")

# Text an attacker controls: Markdown and HTML punctuation, controls, escape sequences,
# bidi overrides, CJK, digits and spaces, so that wrapping lands anywhere.
hostile_chars = st.sampled_from(
    [*"#-=+*_`[]()<>!|~\\&;:.)0123456789 aZ林", "\x1b", "\x9b", "\u202e", "\u2066", "\n", "\t"]
)
hostile = st.text(hostile_chars, max_size=240) | st.text(max_size=80)
ESCAPES = [
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://evil/\x1b\\",
    "\x9b31m",
    "\u202e",
    "\u2067",
]


@settings(max_examples=examples(300))
@given(hostile)
@example("\x1b[2J\x1b]0;owned\x07")
@example("abc\u202edef\u2066")
def test_clean_leaves_no_raw_control_and_is_idempotent(text: str) -> None:
    out = clean(text)
    assert not RAW.search(out)
    assert clean(out) == out
    multi = clean(text, multiline=True)
    assert not RAW.search(multi.replace("\n", "").replace("\t", ""))


@settings(max_examples=examples(200))
@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs")), max_size=60))
def test_clean_keeps_ordinary_text_as_it_is(text: str) -> None:
    assert clean(text) == text


def inline_types(markdown: str) -> Counter[str]:
    return Counter(
        child.type for tok in MD.parse(markdown) if tok.children for child in tok.children
    )


def block_types(markdown: str) -> list[str]:
    return [tok.type for tok in MD.parse(markdown)]


@settings(max_examples=examples(300))
@given(hostile, st.sampled_from(["", "x ", "   - **pcsc.E002**: ", "| a | "]))
@example("# heading", "")
@example("1. item", "")
@example("---", "")
@example("<script>alert(1)</script>", "")
@example("[a](http://evil) ![i](http://evil/x.png)", "")
def test_markdown_inline_is_text_wherever_it_stands(text: str, before: str) -> None:
    line = before + markdown_inline(text)
    assert not RAW.search(line)
    assert set(inline_types(line)) <= {"text", "softbreak", "strong_open", "strong_close"}
    expected = block_types(before + "x") if before.strip() else block_types("x")
    assert block_types(line) in (expected, [])  # one paragraph (or list item), or nothing


# -- the Markdown report ---------------------------------------------------------------------

ENGINE = Engine.create(Config(), plugins=False)


def report(root: str, padding: int, lang: str) -> str:
    """A report whose TLS finding names an untrusted root ``root`` (an issuer's CN is
    the attacker's), shifted by ``padding`` words so it meets every wrapping position."""
    host = "cert.gcis.nat.gov.tw" + " x" * padding
    res = found(UNTRUSTED(host=host, root=root), summary=Text(root, root))
    diag = Diagnosis(ENGINE.probes, {"net.tls": res})
    doc = reports.report_document(
        ENGINE.probes, diag, lang=lang, platform="linux", started_at=0, duration_ms=0
    )
    return reports.render_markdown(doc, diag, lang)


BENIGN = {lang: block_types(report("GRCA", 0, lang)) for lang in ("en", "zh-TW")}


@settings(max_examples=examples(150))
@given(hostile, st.integers(min_value=0, max_value=60), st.sampled_from(["en", "zh-TW"]))
@example("x " * 40 + "# Heading", 0, "en")
@example("a" * 150 + "# Heading\n- item", 3, "en")
@example("林" * 45 + "# 標題", 0, "zh-TW")
@example("x " * 38 + "1. one\n---\n===", 1, "en")
def test_untrusted_text_never_shapes_the_markdown_report(
    root: str, padding: int, lang: str
) -> None:
    md = report(root, padding, lang)
    assert not RAW.search(md.replace("\n", ""))
    assert block_types(md) == BENIGN[lang]  # the same headings, lists and paragraphs
    assert set(inline_types(md)) <= {
        "text",
        "softbreak",
        "strong_open",
        "strong_close",
        "code_inline",
        "link_open",
        "link_close",
    }
    benign_links = inline_types(report("GRCA", 0, lang))["link_open"]
    assert inline_types(md)["link_open"] == benign_links  # only the KB's own links


def test_a_heading_at_any_line_position_stays_text() -> None:
    """The words before the attacker's "# …" move it through every column, so some
    wrap puts it at the start of a line: it stays text there too."""
    for position in range(100):
        md = report("y" * position + " # Owned heading", 0, "en")
        tokens = MD.parse(md)
        seen = [i for i, t in enumerate(tokens) if t.type == "inline" and "Owned" in t.content]
        # The problem's own heading quotes what was found (issue 29): a heading the report
        # opened, never one the attacker's "# " opened.
        ours = [i for i in seen if tokens[i].content.startswith("Problem 1: ")]
        assert len(ours) == 1, position
        assert all(tokens[i - 1].type != "heading_open" for i in seen if i not in ours), position
        assert all(tokens[i].content.count("Owned heading") == 1 for i in seen), position
