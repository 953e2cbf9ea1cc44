"""The opt-in PIN test: the only path that may use a try, and only after warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from stack.certs import der, make_card_cert
from stack.piv import PIV_ATR, PivCard
from stack.pkcs11_fixtures import OPENSC_MODULE, SOFTHSM_MODULE
from stack.softhsm import USER_PIN, make_token


def pin_test(
    config: Path, stdin: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "diagwizard",
            "pin-test",
            "--config",
            str(config),
            "--lang",
            "en",
            "--pin-stdin",
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def fresh_token(tmp_path: Path, test_ca):
    return make_token(tmp_path / "hsm", "pin-test", [(der(make_card_cert(test_ca)), b"SIGN")])


def test_correct_pin(fresh_token, write_config) -> None:
    r = pin_test(write_config([SOFTHSM_MODULE]), f"yes\n{USER_PIN}\n", env=fresh_token.env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "The PIN is correct" in r.stdout
    assert "Warning" in r.stdout and "3 tries" in r.stdout
    assert USER_PIN not in r.stdout + r.stderr


def test_wrong_pin_uses_one_try_and_is_never_echoed(fresh_token, write_config) -> None:
    cfg = write_config([SOFTHSM_MODULE])
    r = pin_test(cfg, "yes\n987654\n", env=fresh_token.env)
    assert r.returncode == 1
    assert "Wrong PIN" in r.stdout
    assert "987654" not in r.stdout + r.stderr
    again = pin_test(cfg, "no\n", env=fresh_token.env)  # now shows that tries were used
    assert "fewer than 3 tries" in again.stdout
    assert "Cancelled" in again.stdout and again.returncode == 2


def test_bad_length_is_not_sent(fresh_token, write_config) -> None:
    r = pin_test(write_config([SOFTHSM_MODULE]), "yes\n12\n", env=fresh_token.env)
    assert r.returncode == 2 and "nothing was sent" in r.stdout


def test_final_try_refused_without_consent(insert_card, test_ca, write_config) -> None:
    card = PivCard(der(make_card_cert(test_ca)))
    card.retries = 1
    insert_card(atr=PIV_ATR, handler=card)
    cfg = write_config([OPENSC_MODULE])
    r = pin_test(cfg, "yes\n123456\n")
    assert r.returncode == 2
    assert "Only ONE try is left" in r.stdout and "--i-understand" in r.stdout
    assert card.retries == 1
    assert not [a for a in card.log if len(a) > 5 and a[1] == 0x20]  # no PIN was sent
    ok = pin_test(cfg, "yes\n123456\n", "--i-understand")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert card.retries == 3  # a correct PIN resets the card's counter


def test_locked_card_is_refused(insert_card, test_ca, write_config) -> None:
    card = PivCard(der(make_card_cert(test_ca)))
    card.retries = 0
    insert_card(atr=PIV_ATR, handler=card)
    r = pin_test(write_config([OPENSC_MODULE]), "yes\n123456\n", "--i-understand")
    assert r.returncode == 2 and "locked" in r.stdout
    assert not [a for a in card.log if len(a) > 5 and a[1] == 0x20]


def test_no_card(write_config, tmp_path: Path) -> None:
    r = pin_test(write_config([]), "yes\n123456\n")
    assert r.returncode == 1 and "No card was read" in r.stdout


def test_chinese_confirmation_in_zh_tw(fresh_token, write_config) -> None:
    cfg = write_config([SOFTHSM_MODULE])
    r = pin_test(cfg, f"是\n{USER_PIN}\n", "--lang", "zh-TW", env=fresh_token.env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "請輸入「是」" in r.stdout and "PIN 碼正確" in r.stdout


def test_a_hostile_token_label_cannot_drive_the_choice(tmp_path: Path, write_config) -> None:
    """Which card a PIN try goes to is chosen from labels the cards carry: shown escaped."""
    make_token(tmp_path / "hsm", "pin-test")
    hostile = make_token(tmp_path / "hsm", "Card\x1b[2J\u202eA")
    r = pin_test(write_config([SOFTHSM_MODULE]), "", env=hostile.env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Card\\x1b[2J\\u202eA" in r.stdout
    assert "\x1b" not in r.stdout + r.stderr and "\u202e" not in r.stdout + r.stderr
