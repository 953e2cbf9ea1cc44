"""``decode`` says why a check was not run only where the case code makes it certain.

The situation is this machine's (no reader, no card, HiPKI not running): ``check`` says
PKCS#11 was not checked because no module was found, and PIN, certificates and browser
because PKCS#11 was not checked. A case code keeps statuses only, so ``decode`` may tie a
skip to a problem only through a ``needs`` that did not pass (the runner's own rule); for
the rest it says the code does not record why, never "caused by problem 1".
"""

from __future__ import annotations

import pytest
from helpers import run_cli

from diagwizard.core.model import Status
from diagwizard.diagnosis import casecode
from diagwizard.diagnosis.codebook import live_probes
from diagwizard.diagnosis.outcome import build

SKIP = (Status.SKIP, "")
NO_READER_NO_CARD = {
    "pcsc.service": (Status.FAIL, "pcsc.E003"),
    "pcsc.readers": SKIP,
    "pcsc.card": SKIP,
    "pcsc.card_type": SKIP,
    "pkcs11.token": SKIP,
    "middleware.hipki": (Status.FAIL, "middleware.E020"),
    "pkcs11.pin": SKIP,
    "pkcs11.certs": SKIP,
    "store.registered": SKIP,
}
NOT_CERTAIN = ("pkcs11.token", "pkcs11.pin", "pkcs11.certs", "store.registered")


def _code() -> str:
    return casecode.encode(casecode.CaseState("linux", NO_READER_NO_CARD, {}))


def test_a_skip_is_tied_to_a_problem_only_through_a_failed_need() -> None:
    book = casecode.current_codebook()
    state = casecode.decode(_code(), book)
    out = build(live_probes(book), casecode.to_results(state, book), platform="linux")
    service = next(p.key for p in out.problems if "pcsc.service" in p.sources)
    for pid in ("pcsc.readers", "pcsc.card", "pcsc.card_type"):  # needs → needs → service
        assert out.cause(pid) == service
        assert "智慧卡服務" in out.skipped()[pid].zh
    for pid in NOT_CERTAIN:  # wants / explained_by: the runner did not skip them for it
        assert out.cause(pid) is None
        assert out.skipped()[pid].zh == "未檢查，因為案件代碼沒有記錄原因"


@pytest.mark.parametrize(
    ("lang", "title", "reader", "unknown", "caused"),
    [
        ("zh-TW", "讀卡程式庫（PKCS#11）", "讀卡機", "未檢查，因為案件代碼沒有記錄原因", "由問題"),
        (
            "en",
            "PKCS#11",
            "Card readers",
            "Not checked, because the case code does not record why",
            "caused by",
        ),
    ],
)
def test_decode_prints_one_honest_line_per_skipped_check(
    lang: str, title: str, reader: str, unknown: str, caused: str
) -> None:
    out = run_cli("decode", _code(), "--lang", lang, env={"COLUMNS": "200"})
    assert out.code == 0, out.err
    lines = out.out.splitlines()
    pkcs11 = next(line for line in lines if title in line and "–" in line)
    assert unknown in pkcs11 and caused not in pkcs11
    readers = next(line for line in lines if f" {reader} " in line and "–" in line)
    assert caused in readers
