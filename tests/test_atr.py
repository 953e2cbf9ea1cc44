"""ATR parsing survives any bytes; known ATRs decode; the KB table and list lookups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from diagwizard.system import adapters
from diagwizard.system.adapters.windevices import multi_sz
from diagwizard.system.formats.atr import from_hex, parse, to_hex
from kb.atr import KBError, builtin_table, load_table, lookup_smartcard_list

DOMAIN_ATRS = [
    "3B B8 13 00 81 31 FA 52 43 48 54 4D 4F 49 43 41 A5",
    "3B D8 96 00 81 B1 FE 45 1F 07 43 48 54 47 50 4B 49 4A DD",
    "3B 8B 80 01 00 31 C1 64 08 40 21 30 00 90 00 57",
    "3B F9 18 00 00 81 31 FE 45 50 56 5F 4A 32 44 30 38 31 B6",
    "3B EE 00 00 81 31 FE 45 80 31 80 66 40 90 93 06 0F 17 83 0F 90 00 F3",
    "3B FA 18 00 00 81 31 FE 45 50 56 4A 43 4F 50 34 53 49 44 93",
    "3B FD 13 00 00 81 31 FE 45 4A 43 4F 50 32 31 76 32 33 31 47 44 54 E1",
]


@given(st.binary(max_size=64))
@settings(max_examples=examples(2000))
def test_parse_survives_any_bytes(data: bytes) -> None:
    atr = parse(data)
    assert atr.raw == data
    assert atr.valid or atr.problem
    _ = atr.hex, atr.historical_ascii


@given(st.binary(min_size=1, max_size=33))
def test_hex_roundtrip(data: bytes) -> None:
    assert from_hex(to_hex(data)) == data


@given(st.text(max_size=80))
def test_from_hex_never_raises(text: str) -> None:
    from_hex(text)


@given(st.binary(max_size=400))
def test_device_id_list_parser_never_raises(data: bytes) -> None:
    assert all(multi_sz(data))  # REG_MULTI_SZ from SetupAPI: never an empty entry


@pytest.mark.parametrize("hex_atr", DOMAIN_ATRS)
def test_domain_atrs_are_valid_and_in_the_table(hex_atr: str) -> None:
    atr = parse(from_hex(hex_atr) or b"")
    assert atr.valid, atr.problem
    row = builtin_table().match(atr.hex)
    assert row is not None
    assert row.kind in ("moica", "nhi", "hpc")


def test_moica_historical_bytes() -> None:
    assert parse(from_hex(DOMAIN_ATRS[0]) or b"").historical_ascii == "CHTMOICA"
    assert builtin_table().prefix(b"CHTGPKI2") is not None


@pytest.mark.parametrize(
    ("hex_atr", "problem"),
    [
        ("00", "TS"),
        ("3B", "T0"),
        ("3B 8F", "truncated"),
        ("3B 80 01 00", "TCK"),
        ("3B 00 FF", "extra"),
    ],
)
def test_malformed_atrs_say_why(hex_atr: str, problem: str) -> None:
    atr = parse(from_hex(hex_atr) or b"")
    assert not atr.valid and problem in atr.problem


def test_bad_atr_table_names_field(tmp_path: Path) -> None:
    bad = tmp_path / "atr.toml"
    bad.write_text('[[cards]]\natr = "3b zz"\nkind = "moica"\nname = { zh-TW = "x", en = "x" }\n')
    with pytest.raises(KBError) as info:
        load_table(bad)
    assert "cards[0].atr" in info.value.render("en") and str(bad) in info.value.render("en")


def test_smartcard_list_lookup_uses_real_pcsc_tools_file() -> None:
    db = adapters.current().atr_database()
    assert db is not None, "pcsc-tools is part of the test stack"
    assert lookup_smartcard_list(db, DOMAIN_ATRS[0]) is not None
    assert lookup_smartcard_list(db, "3B 00") is None


def test_smartcard_list_tolerates_bad_patterns(tmp_path: Path) -> None:
    f = tmp_path / "list.txt"
    f.write_text("# comment\n3B [((\n\tbroken\n3B 00\n\tGood card\n\tsecond line\n3B 01\n\tOther\n")
    assert lookup_smartcard_list(f, "3B 00") == ("Good card", "second line")
    assert lookup_smartcard_list(tmp_path / "missing.txt", "3B 00") is None


def test_smartcard_list_wildcards_match_one_byte_each(tmp_path: Path) -> None:
    f = tmp_path / "list.txt"
    f.write_text("3B 8. 80 01 .. 4F\n\tMasked card\n3B 0[01]\n\tRegex card\n")
    assert lookup_smartcard_list(f, "3B 8A 80 01 FF 4F") == ("Masked card",)
    assert lookup_smartcard_list(f, "3B 8A 80 01 FF 4F 00") is None  # longer ATR
    assert lookup_smartcard_list(f, "3B 8A 81 01 FF 4F") is None
    assert lookup_smartcard_list(f, "3B 01") == ("Regex card",)


def _line_by_line(text: str, atr_hex: str) -> tuple[str, ...] | None:
    """The plain reading of smartcard_list.txt: each stripped line at column 0 is a regular
    expression, tried in file order; the descriptions are the tab lines right after it."""
    matched, found = False, []
    for line in text.splitlines():
        if line.startswith("\t"):
            if matched:
                found.append(line.strip())
            continue
        if found:
            break
        pattern = line.strip()
        try:
            matched = bool(pattern) and not pattern.startswith("#")
            matched = matched and re.fullmatch(pattern, atr_hex) is not None
        except (re.error, OverflowError, RecursionError):
            matched = False
    return tuple(d for d in found if d) or None


_BYTE = st.sampled_from(["3B", "3F", "00", "8A", "FF", ".."])
_PATTERN = st.one_of(
    st.lists(_BYTE, min_size=1, max_size=4).map(" ".join),  # hex and '.' wildcards
    st.lists(_BYTE, min_size=1, max_size=3).map(lambda b: " ".join(b) + " 0[0A]"),
    st.lists(_BYTE, min_size=1, max_size=3).map(lambda b: " ".join(b) + ".*"),
    st.sampled_from(["3B (00|8A)", "(3B", "# 3B 00", "", " 3B 00 ", "3B 00\r", "[3B] 00"]),
)


@given(
    st.lists(
        st.tuples(_PATTERN, st.lists(st.sampled_from(["Card", "", " Other (x)"]), max_size=2)),
        max_size=8,
    ),
    st.lists(st.sampled_from(["3B", "3F", "00", "8A", "FF", "0A"]), min_size=1, max_size=4),
)
@settings(max_examples=examples(400))
def test_smartcard_list_lookup_reads_the_file_as_its_regular_expressions_say(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[tuple[str, list[str]]],
    atr_bytes: list[str],
) -> None:
    """The one-pass lookup (issue 15) finds what trying every line in turn finds."""
    text = "".join(p + "\n" + "".join(f"\t{d}\n" for d in ds) for p, ds in entries)
    f = tmp_path_factory.mktemp("list") / "smartcard_list.txt"
    f.write_bytes(text.encode())
    atr_hex = " ".join(atr_bytes)
    assert lookup_smartcard_list(f, atr_hex) == _line_by_line(text, atr_hex)


def test_smartcard_list_first_matching_line_wins_whatever_its_kind(tmp_path: Path) -> None:
    f = tmp_path / "list.txt"
    f.write_text("3B 0[01]\n\tRegex first\n3B 00\n\tPlain second\n")
    assert lookup_smartcard_list(f, "3B 00") == ("Regex first",)
    f.write_text("3B 00\n\n3B ..\n\tMasked, after one without descriptions\n3B 0[01]\n\tLater\n")
    assert lookup_smartcard_list(f, "3B 00") == ("Masked, after one without descriptions",)


def test_smartcard_list_odd_lines_are_skipped_as_the_plain_reading_skips_them(
    tmp_path: Path,
) -> None:
    """A comment after leading spaces is still a comment; absurd patterns are skipped."""
    text = "  # foo|.*\n\tComment text\n3B{4294967296}\n\tHuge\n" + " " * 40_000 + "\n"
    text += "(" * 1000 + "\n\tDeep\n3B 02 14 50\n\tReal\n"
    f = tmp_path / "list.txt"
    f.write_text(text)
    assert lookup_smartcard_list(f, "3B 02 14 50") == ("Real",)
    assert _line_by_line(text, "3B 02 14 50") == ("Real",)
