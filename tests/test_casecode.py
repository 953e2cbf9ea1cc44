"""Issue 30, case codes that catch every slip: every single wrong symbol and every swap of
two neighbours is caught, at every length the encoder can produce with this version's
code book (exhaustively, not by random draws), and nothing longer is read at all."""

from __future__ import annotations

import pytest
from helpers import run_cli

from diagwizard.core.model import Status
from diagwizard.diagnosis import casecode

BOOK = casecode.current_codebook()
BAD = (Status.FAIL, Status.ERROR, Status.TIMEOUT)


def symbols(code: str) -> str:
    return code[len(casecode.PREFIX) + 1 :].replace("-", "")


def shortest() -> str:
    """The shortest code: a complete run with nothing to report, on the platform with
    the fewest probes."""
    codes = [
        casecode.encode(casecode.CaseState(p, {}), BOOK) for p in ("linux", "windows", "macos")
    ]
    return min(codes, key=len)


def longest() -> str:
    """The longest code: a partial run of every probe (a bit per probe), each failed with
    its last finding, every question answered."""
    state = casecode.CaseState(
        casecode.OTHER,
        {p.id: (Status.TIMEOUT, BOOK.finding_codes(p)[-1]) for p in BOOK.probes},
        {q: options[-1] for q, options in BOOK.questions},
        ran=tuple(p.id for p in BOOK.probes),
    )
    return casecode.encode(state, BOOK)


LENGTHS = range(len(symbols(shortest())), casecode.max_symbols(BOOK) + 1)


def test_the_lengths_in_use_are_known() -> None:
    assert len(symbols(longest())) == casecode.max_symbols(BOOK)  # the bound is reached
    assert casecode.decode(longest(), BOOK).platform == casecode.OTHER
    assert 10 < len(LENGTHS) < 80  # what the exhaustive tests below cover


def word(length: int) -> list[int]:
    """An intact code of ``length`` symbols (any data: the code is linear)."""
    data = [(7 * k + 3) % 32 for k in range(length - casecode.CHECK_SYMBOLS)]
    return data + casecode.check_symbols(data)


@pytest.mark.parametrize("length", LENGTHS)
def test_every_single_error_and_neighbour_swap_is_caught(length: int) -> None:
    """A wrong symbol changes one position by some x != 0; a swap of neighbours u, v
    changes both by x = u ^ v. Every position, every x: all of them are caught, the
    check symbols' own positions included (where DW1 let a swap through)."""
    good = word(length)
    assert casecode.intact(good)
    for i in range(length):
        for x in range(1, 32):
            bad = good.copy()
            bad[i] ^= x
            assert not casecode.intact(bad), (length, i, x)
            if i + 1 < length:
                bad[i + 1] ^= x
                assert not casecode.intact(bad), (length, i, x, "swap")


def test_the_old_single_check_let_a_swap_through_at_32_symbols() -> None:
    """What issue 30 measured, as a reminder of why the code has two check symbols: with
    one check symbol at weight 1, a code of 32 data symbols gave its last data symbol the
    same weight a^31 = 1, so swapping those two always passed."""
    data = [(5 * k + 1) % 32 for k in range(32)]
    good = data + casecode.check_symbols(data)
    swapped = good.copy()
    swapped[31], swapped[32] = swapped[32], swapped[31]
    assert good[31] != good[32] and not casecode.intact(swapped)


@pytest.mark.parametrize("code", [shortest(), longest()], ids=["shortest", "longest"])
def test_decode_refuses_every_slip_in_a_real_code(code: str) -> None:
    """Through ``decode`` itself, as a helpdesk types it: every other character at every
    position, and every swap of two different neighbours, is an error, never a case."""
    body = symbols(code)
    for i, ch in enumerate(body):
        for other in casecode.ALPHABET.replace(ch, ""):
            with pytest.raises(casecode.CaseCodeError):
                casecode.decode(f"{casecode.PREFIX}-{body[:i]}{other}{body[i + 1 :]}", BOOK)
        if i + 1 < len(body) and body[i] != body[i + 1]:
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            with pytest.raises(casecode.CaseCodeError):
                casecode.decode(f"{casecode.PREFIX}-{swapped}", BOOK)
    loose = code.lower().replace("1", "l").replace("0", "o").replace("-", " ")
    assert casecode.decode(loose, BOOK) == casecode.decode(code, BOOK)  # typed loosely


def test_nothing_longer_than_a_code_is_read() -> None:
    too_long = casecode.PREFIX + "-" + "0" * (casecode.max_symbols(BOOK) + 1)
    with pytest.raises(casecode.CaseCodeError) as info:
        casecode.decode(too_long, BOOK)
    assert "too long" in info.value.render("en")


def test_a_huge_input_is_refused_by_its_length() -> None:
    """A megabyte of symbols used to be decoded into one huge integer, in time quadratic
    in its length; now anything longer than a code is refused before it is read."""
    for junk in ("DW2-" + "Z" * 1_000_000, "\x1b" * 1_000_000, "DW2-" + "-" * 1_000_000):
        with pytest.raises(casecode.CaseCodeError) as info:
            casecode.decode(junk, BOOK)
        assert "too long" in info.value.render("en")


def test_decode_echoes_nothing_raw() -> None:
    r = run_cli("decode", "DW2-AB\x1b[2J\u202eCD", "--lang", "en")
    assert r.code == 2 and "Traceback" not in r.err
    assert "invalid character “\\x1b”" in r.err
    assert "\x1b" not in r.err and "\u202e" not in r.err


def test_an_old_code_is_named_as_such() -> None:
    with pytest.raises(casecode.CaseCodeError) as info:
        casecode.decode("DW1-ZKHQ-WQZW-FR08-10C0-0N", BOOK)
    assert "older diagwizard" in info.value.render("en")
    assert "DW2" in info.value.render("zh-TW")
