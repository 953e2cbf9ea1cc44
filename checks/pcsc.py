"""Smart-card probes over PC/SC: service, readers, card presence, and card type.

Guide: prerequisite 1 (reader, driver, card) and the card side of FAQ 1. These probes
never send an APDU, so no PIN try can ever be used: presence, power and the ATR all come
from reader state and SCardConnect/SCardStatus.
"""

from __future__ import annotations

from diagwizard.api import Context, FindingDef, Result, Status, Step, Text, found, ok, probe
from diagwizard.system.adapters.base import ServiceState
from diagwizard.system.formats.atr import parse as parse_atr
from diagwizard.system.transport.pcsc import (
    ErrorKind,
    PcscError,
    PcscSession,
    PcscUnavailable,
    ScardError,
)

# -- pcsc.service ----------------------------------------------------------------------
NOT_INSTALLED = FindingDef(
    "pcsc.E001", Text("智慧卡服務沒有安裝", "The smart-card service is not installed")
)
STOPPED = FindingDef(
    "pcsc.E002",
    Text("智慧卡服務已安裝但沒有執行", "The smart-card service is installed but not running"),
)
NOT_ANSWERING = FindingDef(
    "pcsc.E003",
    Text(
        "智慧卡服務在執行但沒有回應（{detail}）",
        "The smart-card service is running but does not answer ({detail})",
    ),
)
NO_PYSCARD = FindingDef(
    "pcsc.E004",
    Text("無法載入智慧卡程式庫：{error}", "Cannot load the smart-card library: {error}"),
)

# -- pcsc.readers ----------------------------------------------------------------------
NO_READER = FindingDef(
    "pcsc.E010", Text("找不到讀卡機：請接上讀卡機", "No card reader found: plug one in")
)
NO_DRIVER = FindingDef(
    "pcsc.E011",
    Text(
        "讀卡機已接上（{name}），但沒有可用的驅動程式",
        "A reader is plugged in ({name}) but has no working driver",
    ),
)
DEVICES_UNKNOWN = FindingDef(
    "pcsc.E013",
    Text(
        "看不到可用的讀卡機；無法查詢 USB 裝置，不確定讀卡機是否已接上（{error}）",
        "No usable reader; the USB devices could not be read, so whether one is plugged in is unknown ({error})",
    ),
)
SEVERAL_READERS = FindingDef(
    "pcsc.I012",
    Text(
        "找到 {count} 台讀卡機；請確認卡片插在正確的那一台",
        "{count} readers found; make sure the card is in the right one",
    ),
)

# -- pcsc.card -------------------------------------------------------------------------
NO_CARD = FindingDef("pcsc.E020", Text("讀卡機裡沒有卡片", "There is no card in the reader"))
MUTE = FindingDef(
    "pcsc.E021",
    Text(
        "{reader} 裡的卡片沒有正確回應（可能插反或接觸不良）",
        "The card in {reader} does not respond properly (upside down or dirty contacts?)",
    ),
)
REMOVED = FindingDef(
    "pcsc.E022", Text("檢查途中卡片被取出了", "The card was removed during the check")
)
READER_VANISHED = FindingDef(
    "pcsc.E023",
    Text("檢查途中讀卡機 {reader} 不見了", "Reader {reader} disappeared during the check"),
)
SERVICE_LOST = FindingDef(
    "pcsc.E024",
    Text(
        "檢查途中智慧卡服務停止了（{error}）",
        "The smart-card service stopped during the check ({error})",
    ),
)
IN_USE = FindingDef(
    "pcsc.W025",
    Text(
        "{reader} 裡的卡片正被其他程式獨占使用",
        "The card in {reader} is held exclusively by another program",
    ),
)

# -- pcsc.card_type --------------------------------------------------------------------
WRONG_CARD = FindingDef(
    "pcsc.E030",
    Text(
        "插錯卡了：這是您的{card_zh}，不是憑證卡",
        "Wrong card: this is your {card_en}, not a certificate card",
    ),
)
UNKNOWN_CARD = FindingDef(
    "pcsc.W031",
    Text("無法辨識這張卡片（{description}）", "This card is not recognised ({description})"),
)
CONTACTLESS = FindingDef(
    "pcsc.I032",
    Text(
        "卡片是以感應方式讀取的；登入請插入接觸式讀卡機",
        "The card was read contactless; insert it into a contact reader to log in",
    ),
)
BAD_ATR = FindingDef(
    "pcsc.W033", Text("卡片的 ATR 格式不正確：{problem}", "The card's ATR is malformed: {problem}")
)


def _not_answering(facts: dict[str, object], detail: str) -> Result:
    return found(NOT_ANSWERING(detail=detail), facts=facts)


def _service_down(state: ServiceState, facts: dict[str, object]) -> Result | None:
    """Not installed / installed but stopped / running but stuck; None if it looks up."""
    if state.installed is False:
        return found(NOT_INSTALLED(), facts=facts)
    if state.running is False:
        return found(STOPPED(), facts=facts)
    if state.responsive is False:
        return _not_answering(facts, state.detail)
    return None


def _waits_for_reader(state: ServiceState, exc: PcscError) -> bool:
    """Windows 8+ stops SCardSvr while no reader is plugged in; PC/SC then answers
    "no service". That is normal (start type manual/trigger), not a fault."""
    return state.on_demand and exc.error is ScardError.NO_SERVICE


@probe(
    "pcsc.service",
    "智慧卡服務",
    "Smart-card service",
    area="card",
    step=Step.READER,
    timeout=4.0,
    codes=(NOT_INSTALLED, STOPPED, NOT_ANSWERING, NO_PYSCARD),
)
def service(ctx: Context) -> Result:
    state = ctx.os.pcsc_service()
    facts: dict[str, object] = {
        "installed": state.installed,
        "running": state.running,
        "detail": state.detail,
    }
    down = _service_down(state, facts)
    if down is not None:
        return down
    try:
        with PcscSession() as session:
            session.readers()
    except PcscUnavailable as exc:
        return found(NO_PYSCARD(error=str(exc)), facts=facts)
    except PcscError as exc:  # the OS says it is up, yet PC/SC failed: ask the OS again
        facts["error"] = exc.name
        if _waits_for_reader(state, exc):
            return ok(
                Text(
                    "智慧卡服務會在接上讀卡機時自動啟動",
                    "The smart-card service starts by itself when a reader is plugged in",
                ),
                facts=facts,
            )
        return _service_down(ctx.os.pcsc_service(), facts) or _not_answering(facts, exc.name)
    return ok(Text("智慧卡服務正常", "Smart-card service is running"), facts=facts)


@probe(
    "pcsc.readers",
    "讀卡機",
    "Card readers",
    area="card",
    step=Step.READER,
    explained_by="pcsc.service",
    needs=("pcsc.service",),
    timeout=4.0,
    codes=(NO_READER, NO_DRIVER, DEVICES_UNKNOWN, SEVERAL_READERS),
)
def readers(ctx: Context) -> Result:
    try:
        with PcscSession() as session:
            names = session.readers()
    except PcscError as exc:
        if not _waits_for_reader(ctx.os.pcsc_service(), exc):
            return found(SERVICE_LOST(error=exc.name), facts={"error": exc.name})
        names = []  # no reader yet, so the service has not been started
    try:
        devices, device_error = ctx.os.reader_devices(), ""
    except OSError as exc:  # asked, but no answer: unknown, which is not "no reader"
        devices, device_error = None, str(exc) or type(exc).__name__
    facts: dict[str, object] = {
        "readers": names,
        "usb_readers": None
        if devices is None
        else [{"name": d.name, "usb_id": d.usb_id, "problem": d.problem} for d in devices],
    }
    if device_error:
        facts["usb_error"] = device_error
    broken = [d for d in devices or [] if d.problem]
    if not names:
        # Plugged in but not listed by PC/SC: broken, driverless, or a driver that
        # does not pick it up all look the same to the user.
        if broken or devices:
            return found(NO_DRIVER(name=(broken or devices or [])[0].name), facts=facts)
        if device_error:
            return found(DEVICES_UNKNOWN(error=device_error), facts=facts)
        return found(NO_READER(), facts=facts)
    findings = [SEVERAL_READERS(count=len(names))] if len(names) > 1 else []
    return ok(
        Text(f"找到讀卡機：{'、'.join(names)}", f"Reader(s): {', '.join(names)}"),
        *findings,
        facts=facts,
    )


@probe(
    "pcsc.card",
    "卡片",
    "Card in the reader",
    area="card",
    step=Step.CARD,
    explained_by="pcsc.readers",
    needs=("pcsc.readers",),
    timeout=5.0,
    codes=(NO_CARD, MUTE, REMOVED, READER_VANISHED, SERVICE_LOST, IN_USE),
)
def card(ctx: Context) -> Result:
    names: list[str] = ctx.need("pcsc.readers").fact("readers") or []
    cards: list[dict[str, object]] = []
    try:
        with PcscSession() as session:
            for state in session.states(names):
                if not state.present:
                    continue
                entry: dict[str, object] = {
                    "reader": state.name,
                    "atr": state.atr.hex(),
                    "mute": state.mute,
                }
                if state.mute:
                    cards.append(entry)
                    continue
                if state.exclusive:
                    entry["exclusive"] = True
                    cards.append(entry)
                    continue
                if state.in_use and parse_atr(state.atr).valid:
                    # Another program (HiCOS, the HiPKI component) is connected, maybe
                    # in a transaction: pcscd would hold a new connection until that
                    # ends (a signing dialog can stay open for minutes). Its use shows
                    # the card answers; the reader has its answer-to-reset.
                    entry["in_use"] = True
                    cards.append(entry)
                    continue
                try:
                    answer = session.connect(state.name)
                except PcscError as exc:
                    mute = exc.kind is ErrorKind.CARD_MUTE
                    if mute and not session.still_present(state.name):
                        raise PcscError("SCardConnect", ScardError.REMOVED_CARD) from exc
                    if mute:
                        entry["mute"] = True
                        cards.append(entry)
                        continue
                    raise
                entry.update(atr=answer.atr.hex(), protocol=answer.protocol)
                if not parse_atr(answer.atr).valid:
                    entry["mute"] = True  # a garbled answer-to-reset: the card is not talking
                cards.append(entry)
    except PcscError as exc:
        facts = {"cards": cards, "error": exc.name}
        gone = {
            ErrorKind.CARD_GONE: REMOVED(),
            ErrorKind.READER_GONE: READER_VANISHED(reader=", ".join(names)),
            ErrorKind.SERVICE_GONE: SERVICE_LOST(error=exc.name),
        }.get(exc.kind)
        if gone is None:
            raise
        return found(gone, facts=facts)
    facts = {"cards": cards}
    if not cards:
        return found(NO_CARD(), facts=facts)
    good = [c for c in cards if not c.get("mute") and not c.get("exclusive")]
    findings = [MUTE(reader=c["reader"]) for c in cards if c.get("mute")]
    findings += [IN_USE(reader=c["reader"]) for c in cards if c.get("exclusive")]
    if not good:
        return found(*findings, facts=facts)
    # A usable card is in: a mute card in another reader is only worth a warning.
    reader = good[0]["reader"]
    summary = Text(f"卡片已插入（{reader}）", f"Card present in {reader}")
    if good[0].get("in_use"):  # say so: a program that hangs holding it would block logins
        summary = Text(
            f"卡片已插入（{reader}），另一個程式（如 HiCOS）正在使用",
            f"Card present in {reader}, in use by another program (e.g. HiCOS)",
        )
    return found(
        *findings,
        summary=summary,
        status=Status.WARN if findings else Status.OK,
        facts=facts,
    )
