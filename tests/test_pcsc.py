"""Smart-card probes against a real pcscd with the vpcd reader and our card emulator."""

from __future__ import annotations

import ctypes
import threading
import time
from pathlib import Path

import pytest
import smartcard.scard as s
from helpers import check, codes, run_cli, run_probes
from stack.cardemu import MOICA_ATR, MOICA_GPKI_ATR, NHI_ATR, CardEmulator
from stack.fake_setupapi import FakeSetupApi, recorded
from stack.pcscd import Pcscd

import diagwizard.system.adapters.linux as linux
from diagwizard.core.config import Config
from diagwizard.engine.engine import Engine
from diagwizard.system.adapters.base import ServiceState
from diagwizard.system.adapters.linux import LinuxAdapter
from diagwizard.system.adapters.windevices import (
    READER_CLASS,
    Guid,
    SetupApiDevices,
    SpDevinfoData,
    multi_sz,
)
from diagwizard.system.adapters.windows import WindowsAdapter
from diagwizard.system.formats.atr import parse

pytestmark = pytest.mark.pcsc

PIN_INS = {0x20, 0x24, 0x2C}  # VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER


# -- the scenarios from the issue, each at probe level and in `check --json` ---------------


def test_service_stopped(pcscd_stopped: Pcscd) -> None:
    res = run_probes(None, "pcsc")
    assert res["pcsc.service"].status == "fail"
    assert codes(res["pcsc.service"]) == ["pcsc.E002"]
    assert res["pcsc.readers"].status == "skip"
    run, doc = check(None, "pcsc")
    assert run.code == 1
    assert codes(doc["pcsc.service"]) == ["pcsc.E002"]
    assert doc["pcsc.service"]["findings"][0]["kb"] == ["pcsc-service-stopped"]


def test_no_readers(pcscd_no_readers: Pcscd) -> None:
    res = run_probes(None, "pcsc")
    assert res["pcsc.service"].status == "ok"
    assert codes(res["pcsc.readers"]) == ["pcsc.E010"]
    _, doc = check(None, "pcsc")
    assert doc["pcsc.readers"]["status"] == "fail"
    assert "reader-missing" in doc["pcsc.readers"]["findings"][0]["kb"]


def test_reader_without_card(pcscd_vpcd: Pcscd) -> None:
    res = run_probes(None, "pcsc")
    assert res["pcsc.readers"].fact("readers") == ["Virtual PCD 00 00", "Virtual PCD 00 01"]
    assert codes(res["pcsc.readers"]) == ["pcsc.I012"]  # several readers are fine, listed
    assert codes(res["pcsc.card"]) == ["pcsc.E020"]
    _, doc = check(None, "pcsc")
    assert doc["pcsc.card"]["status"] == "fail" and codes(doc["pcsc.card"]) == ["pcsc.E020"]


@pytest.mark.parametrize("atr", [MOICA_ATR, MOICA_GPKI_ATR])
def test_moica_card(insert_card, atr: bytes) -> None:
    emu = insert_card(atr=atr)
    res = run_probes(None, "pcsc")
    assert res["pcsc.card"].status == "ok"
    ident = res["pcsc.card_type"]
    assert ident.status == "ok"
    assert ident.fact("cards")[0]["kind"] == "moica"
    assert ident.fact("cards")[0]["source"] == "kb"
    run, doc = check(None, "pcsc")
    assert run.code == 0
    assert doc["pcsc.card_type"]["facts"]["cards"][0]["kind"] == "moica"
    assert not [a for a in emu.apdus if len(a) > 1 and a[1] in PIN_INS]


def test_other_cht_gpki_card_by_historical_bytes(insert_card) -> None:
    # A MOEACA/GCA/XCA-style card: not in the table, historical bytes "CHTGPKI2".
    atr = bytes.fromhex("3B D8 96 00 81 B1 FE 45 1F 07 43 48 54 47 50 4B 49 32 A5".replace(" ", ""))
    atr = atr[:-1] + bytes([_tck(atr[:-1])])
    assert parse(atr).valid
    insert_card(atr=atr)
    ident = run_probes(None, "pcsc")["pcsc.card_type"]
    assert ident.status == "ok"
    assert ident.fact("cards")[0]["kind"] == "gpki"
    assert ident.fact("cards")[0]["source"] == "historical-bytes"


def _tck(body: bytes) -> int:
    check = 0
    for b in body[1:]:
        check ^= b
    return check


def test_nhi_card(insert_card) -> None:
    insert_card(atr=NHI_ATR)
    res = run_probes(None, "pcsc")
    assert res["pcsc.card_type"].status == "fail"
    assert codes(res["pcsc.card_type"]) == ["pcsc.E030"]
    assert "health card" in res["pcsc.card_type"].findings[0].render("en")
    run, doc = check(None, "pcsc")
    assert run.code == 1
    finding = doc["pcsc.card_type"]["findings"][0]
    assert finding["code"] == "pcsc.E030" and finding["kb"] == ["wrong-card-nhi"]
    assert "wrong card" in finding["message"].lower()


def test_card_known_only_to_pcsc_tools_list(insert_card) -> None:
    yubikey = bytes.fromhex("3BF81300008131FE15597562696B657934D4")
    insert_card(atr=yubikey)
    ident = run_probes(None, "pcsc")["pcsc.card_type"]
    assert ident.status == "warn"
    assert codes(ident) == ["pcsc.W031"]
    assert ident.fact("cards")[0]["source"] == "smartcard_list"
    assert "Yubikey" in ident.findings[0].render("en")


def test_mute_card(insert_card) -> None:
    insert_card(mute=True)
    res = run_probes(None, "pcsc")
    assert res["pcsc.card"].status == "fail"
    assert codes(res["pcsc.card"]) == ["pcsc.E021"]
    _, doc = check(None, "pcsc")
    assert codes(doc["pcsc.card"]) == ["pcsc.E021"]
    assert doc["pcsc.card"]["findings"][0]["kb"][0] == "card-unresponsive"


def test_card_removed_during_the_run(insert_card) -> None:
    emu = insert_card(atr=MOICA_ATR)
    emu.wait_powered_off()
    emu.pull_on_power_on = True
    res = run_probes(None, "pcsc")
    assert res["pcsc.card"].status == "fail"
    assert codes(res["pcsc.card"]) == ["pcsc.E022"]
    assert not emu.inserted or emu.controls[-1] == 1


def test_card_removed_during_the_run_cli(insert_card) -> None:
    emu = insert_card(atr=MOICA_ATR)
    emu.wait_powered_off()
    emu.pull_on_power_on = True
    run, doc = check(None, "pcsc")
    assert run.code == 1
    assert codes(doc["pcsc.card"]) == ["pcsc.E022"]
    assert doc["pcsc.card_type"]["status"] == "skip"


def test_pcscd_dies_during_the_run(insert_card, pcscd_vpcd: Pcscd) -> None:
    emu = insert_card(atr=MOICA_ATR)
    emu.wait_powered_off()
    emu.on_control = lambda c: pcscd_vpcd.kill_now() if c == 1 else None
    res = run_probes(None, "pcsc")
    assert res["pcsc.card"].status == "fail", [f.render("en") for f in res["pcsc.card"].findings]
    assert codes(res["pcsc.card"]) in (["pcsc.E024"], ["pcsc.E022"])
    pcscd_vpcd.stop()


def test_reader_that_disappears(pcscd_vpcd: Pcscd) -> None:
    # pcsc.readers listed a reader that is gone by the time pcsc.card looks at it.
    engine = Engine.create(Config(), plugins=False)
    first = engine.run(["pcsc.readers"]).results
    first["pcsc.readers"].facts["readers"].value.append("Gone Reader 00 00")  # type: ignore[union-attr]
    res = engine.rerun("pcsc.card", first)
    assert res.status == "fail" and codes(res) == ["pcsc.E023"]


def test_service_running_but_not_answering(pcscd_vpcd: Pcscd) -> None:
    pcscd_vpcd.pause()
    try:
        res = run_probes(None, "pcsc.service")
    finally:
        pcscd_vpcd.resume()
    assert codes(res["pcsc.service"]) == ["pcsc.E003"]


def _fake_proc(root: Path, processes: dict[int, bytes]) -> Path:
    """/proc as the kernel lays it out: one folder per pid, each with its stat line."""
    for pid, stat in processes.items():
        (root / str(pid)).mkdir(parents=True)
        (root / str(pid) / "stat").write_bytes(stat)
    (root / "self").mkdir(exist_ok=True)  # not a pid: skipped
    return root


def test_pcscd_state_read_from_proc(tmp_path: Path) -> None:
    """A paused or zombie pcscd cannot answer (pcsc.E003); a name that only looks like
    pcscd is not it, even with ") " inside the command name."""
    stopped = _fake_proc(
        tmp_path / "a",
        {
            41: b"41 (pcscd) T 1 41 41 0 -1",
            42: b"42 (pcscd) Z 1 41 41 0 -1",
            43: b"43 (fake) S (pcscd) R 1 43 43 0 -1",  # comm is "fake) S (pcscd"
            44: b"44 (pcscd-helper) S 1 44 44 0 -1",
            45: b"45 (pcscd) R (x) S 1 45 45 0 -1",  # comm "pcscd) R (x": not pcscd
        },
    )
    state = LinuxAdapter(procfs=stopped).pcsc_service()
    assert state.running and state.responsive is False
    assert state.detail == "pcscd stopped, zombie"
    alive = _fake_proc(tmp_path / "b", {7: b"7 (pcscd) S 1 7 7 0 -1", 8: b"8 (pcscd) Z 1"})
    assert LinuxAdapter(procfs=alive).pcsc_service().responsive is not False
    assert linux.process_states("pcscd", tmp_path / "missing") == []


def test_service_not_installed(pcscd_stopped: Pcscd, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(linux, "PCSCD_PATHS", (str(tmp_path / "nope"),))
    monkeypatch.setattr(linux.shutil, "which", lambda name: None)
    res = run_probes(LinuxAdapter(), "pcsc.service")
    assert codes(res["pcsc.service"]) == ["pcsc.E001"]


def _fake_ccid_sysfs(root: Path) -> Path:
    """/sys/bus/usb/devices as the kernel lays it out: a device and its interface side by
    side (symlinks in real sysfs), with the CCID interface class 0b."""
    devices = root / "bus" / "usb" / "devices"
    dev, iface = devices / "1-1", devices / "1-1:1.0"
    dev.mkdir(parents=True)
    iface.mkdir()
    (iface / "bInterfaceClass").write_text("0b\n")
    (dev / "idVendor").write_text("072f\n")
    (dev / "idProduct").write_text("90cc\n")
    (dev / "product").write_text("ACR38U-CCID\n")
    return root


def test_reader_plugged_in_but_no_driver(pcscd_no_readers: Pcscd, tmp_path: Path) -> None:
    adapter = LinuxAdapter(sysfs=_fake_ccid_sysfs(tmp_path / "sys"))
    res = run_probes(adapter, "pcsc.readers")
    assert codes(res["pcsc.readers"]) == ["pcsc.E011"]
    assert "ACR38U-CCID" in res["pcsc.readers"].findings[0].render("en")
    assert res["pcsc.readers"].fact("usb_readers")[0]["usb_id"] == "072f:90cc"


# -- Windows, through the adapter with recorded answers ------------------------------------


# Win32_PnPEntity records as `Get-CimInstance ... | ConvertTo-Json` prints them (see
# tests/data/windows/): numeric problem codes, the same on every display language.
class RecordedWindows(WindowsAdapter):
    """The real Windows adapter fed with recorded service answers and the recorded
    Plug and Play devices, served through SetupAPI's calls (``stack.fake_setupapi``)."""

    def __init__(
        self, service: str | None, devices: str = "", start: str = "manual", query=None
    ) -> None:
        fake = FakeSetupApi(recorded(devices) if devices else [])
        super().__init__(
            service_status=lambda name: service,
            service_start_type=lambda name: start,
            devices=query or SetupApiDevices(fake, fake, fake.last_error),
        )


@pytest.mark.parametrize(
    ("status", "start", "code"),
    [(None, None, "pcsc.E001"), ("stopped", "disabled", "pcsc.E002")],
)
def test_windows_scardsvr_states(status: str | None, start: str, code: str) -> None:
    res = run_probes(RecordedWindows(status, start=start), "pcsc.service")
    assert codes(res["pcsc.service"]) == [code]


@pytest.mark.parametrize("start", ["manual", "automatic"])
def test_windows_demand_started_service_is_not_a_fault(pcscd_stopped: Pcscd, start: str) -> None:
    """Windows 8+ stops SCardSvr while no reader is plugged in (PC/SC: no service)."""
    adapter = RecordedWindows("stopped", start=start)
    assert adapter.pcsc_service().on_demand
    res = run_probes(adapter, "pcsc.readers")
    assert res["pcsc.service"].status == "ok" and codes(res["pcsc.service"]) == []
    assert codes(res["pcsc.readers"]) == ["pcsc.E010"]  # "plug a reader in", not "service"
    res = run_probes(
        RecordedWindows("stopped", "setupapi-zh-TW-no-driver.json", start=start), "pcsc.readers"
    )
    assert codes(res["pcsc.readers"]) == ["pcsc.E011"]


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_windows_reader_without_driver_in_either_language(
    pcscd_no_readers: Pcscd, lang: str
) -> None:
    adapter = RecordedWindows("running", f"setupapi-{lang}-no-driver.json")
    assert adapter.pcsc_service() == ServiceState(True, True, detail="SCardSvr running")
    res = run_probes(adapter, "pcsc.readers")
    assert codes(res["pcsc.readers"]) == ["pcsc.E011"]
    usb = res["pcsc.readers"].fact("usb_readers")
    assert [d["problem"] for d in usb] == ["28 (CM_PROB_FAILED_INSTALL)"]
    assert usb[0]["name"] in res["pcsc.readers"].findings[0].render(lang)


def test_windows_disabled_reader_is_named_with_its_problem(pcscd_no_readers: Pcscd) -> None:
    res = run_probes(RecordedWindows("running", "setupapi-en-disabled.json"), "pcsc.readers")
    assert codes(res["pcsc.readers"]) == ["pcsc.E011"]
    assert res["pcsc.readers"].fact("usb_readers") == [
        {
            "name": "Microsoft Usbccid Smartcard Reader (WUDF)",
            "usb_id": "072f:90cc",
            "problem": "22 (CM_PROB_DISABLED)",
        }
    ]


def test_windows_working_reader_is_listed_once_and_other_usb_devices_not(
    pcscd_no_readers: Pcscd,
) -> None:
    """A CCID reader with its driver is in the reader class and on the USB bus: one
    device. A composite USB device is no reader. PC/SC lists none here, so the reader's
    driver does not pick it up: that is a driver problem, not "plug a reader in"."""
    res = run_probes(RecordedWindows("running", "setupapi-zh-TW-reader.json"), "pcsc.readers")
    usb = res["pcsc.readers"].fact("usb_readers")
    assert [(d["name"], d["usb_id"], d["problem"]) for d in usb] == [
        ("Microsoft Usbccid 智慧卡讀卡機 (WUDF)", "0ca6:0010", "")
    ]
    assert codes(res["pcsc.readers"]) == ["pcsc.E011"]


class FailingQuery:
    def __init__(self, exc: BaseException | None = None, hang: float = 0.0) -> None:
        self.exc, self.hang = exc, hang

    def devices(self):
        if self.hang:
            time.sleep(self.hang)
            return []
        raise self.exc  # type: ignore[misc]


@pytest.mark.parametrize(
    "query",
    [
        FailingQuery(OSError(5, "SetupDiGetClassDevsW failed: Access is denied.")),
        FailingQuery(RuntimeError("device list broken")),
        FailingQuery(hang=5.0),  # the Plug and Play manager busy installing a device
    ],
    ids=["refused", "broken", "hung"],
)
def test_windows_failed_device_query_is_unknown_never_no_reader(
    pcscd_no_readers: Pcscd, query: FailingQuery
) -> None:
    started = time.monotonic()
    res = run_probes(RecordedWindows("running", query=query), "pcsc.readers")["pcsc.readers"]
    assert time.monotonic() - started < 3.5  # within the probe's 4 s, PC/SC's answer kept
    assert codes(res) == ["pcsc.E013"], res
    assert res.fact("usb_readers") is None and res.fact("usb_error")
    assert "不確定" in res.findings[0].render("zh-TW")
    assert "unknown" in res.findings[0].render("en")


def test_setupapi_walker_returns_what_windows_holds() -> None:
    """The ctypes side: every recorded device comes back through SP_DEVINFO_DATA, the
    two-call buffers and REG_MULTI_SZ as it went in; each device list is destroyed."""
    for name in ("setupapi-zh-TW-no-driver.json", "setupapi-zh-TW-reader.json"):
        fake = FakeSetupApi(recorded(name))
        got = SetupApiDevices(fake, fake, fake.last_error).devices()
        ccid = [d for d in recorded(name) if "USB\\Class_0B" in d.compatible_ids]
        readers = [d for d in recorded(name) if d.class_guid == READER_CLASS]
        assert got == readers + ccid
        assert sorted(fake.destroyed) == sorted(fake.sets)
    fake = FakeSetupApi([], fail_open=5)
    with pytest.raises(OSError) as err:
        SetupApiDevices(fake, fake, fake.last_error).devices()
    assert err.value.errno == 5 and "SetupDiGetClassDevsW" in str(err.value)


def test_device_record_layouts_are_windows_own() -> None:
    assert ctypes.sizeof(Guid) == 16
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(SpDevinfoData) == 32  # SP_DEVINFO_DATA on 64-bit Windows
    assert str(Guid.parse(READER_CLASS)) == READER_CLASS
    assert multi_sz("USB\\Class_0B\0USB\\Class_0B&SubClass_00\0\0".encode("utf-16-le")) == (
        "USB\\Class_0B",
        "USB\\Class_0B&SubClass_00",
    )


# -- no PIN traffic ------------------------------------------------------------------------


def test_full_check_sends_no_pin_apdu(insert_card) -> None:
    seen: list[bytes] = []
    lock = threading.Lock()

    def record(apdu: bytes) -> bytes:
        with lock:
            seen.append(apdu)
        return b"\x6d\x00"

    emu: CardEmulator = insert_card(atr=MOICA_ATR, handler=record)
    r = run_cli("check", "--json")
    assert r.json()["results"]
    assert emu.apdus == seen
    assert not [a for a in emu.apdus if len(a) > 1 and a[1] in PIN_INS]
    # The smart-card probes read state only: not a single APDU reached the card.
    assert emu.apdus == []


def test_contactless_read_is_noted(insert_card) -> None:
    insert_card(atr=bytes.fromhex("3B8B80010031C164084021300090 0057".replace(" ", "")))
    ident = run_probes(None, "pcsc")["pcsc.card_type"]
    assert ident.status == "warn"
    assert codes(ident) == ["pcsc.I032"]
    assert ident.fact("cards")[0]["kind"] == "moica"


def test_card_held_exclusively_by_another_program(insert_card) -> None:
    insert_card(atr=MOICA_ATR)
    hr, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    hr, handle, _ = s.SCardConnect(
        ctx, "Virtual PCD 00 00", s.SCARD_SHARE_EXCLUSIVE, s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1
    )
    assert hr == 0
    try:
        res = run_probes(None, "pcsc")["pcsc.card"]
    finally:
        s.SCardDisconnect(handle, s.SCARD_LEAVE_CARD)
        s.SCardReleaseContext(ctx)
    assert res.status == "warn" and codes(res) == ["pcsc.W025"]


def test_card_in_another_programs_transaction_is_read_without_waiting(insert_card) -> None:
    """HiCOS or the HiPKI component may hold the card in a transaction (a signing dialog
    can stay open for minutes), and pcscd holds every new connection until it ends. The
    card is then read from the reader's state, not connected: before, the probe ran into
    its time limit."""
    insert_card(atr=MOICA_ATR)
    hr, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    hr, handle, _ = s.SCardConnect(
        ctx, "Virtual PCD 00 00", s.SCARD_SHARE_SHARED, s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1
    )
    assert hr == 0 and s.SCardBeginTransaction(handle) == 0
    try:
        res = run_probes(None, "pcsc")
    finally:
        s.SCardEndTransaction(handle, s.SCARD_LEAVE_CARD)
        s.SCardDisconnect(handle, s.SCARD_LEAVE_CARD)
        s.SCardReleaseContext(ctx)
    card = res["pcsc.card"]
    assert card.status == "ok" and codes(card) == []
    assert card.fact("cards")[0]["in_use"] is True
    assert "in use by another program" in card.summary.en and "另一個程式" in card.summary.zh
    assert card.fact("cards")[0]["atr"] == MOICA_ATR.hex()
    assert res["pcsc.card_type"].fact("cards")[0]["kind"] == "moica"
