"""``pcsc.card_type``: which card is this? Pure logic over the ATRs found by ``pcsc.card``.

Order: the curated KB table (kb/atr.toml), then the "CHT" historical-bytes rule for
Chunghwa Telecom GPKI cards, then pcsc-tools' smartcard_list.txt, then unknown.
"""

from __future__ import annotations

import msgspec

from checks.pcsc import BAD_ATR, CONTACTLESS, UNKNOWN_CARD, WRONG_CARD
from diagwizard.api import Context, Finding, Result, Status, Step, Text, found, probe, skipped
from diagwizard.system.formats.atr import Atr, parse, to_hex
from kb.atr import builtin_table, lookup_smartcard_list

CERT_KINDS = ("moica", "gpki")


class Identity(msgspec.Struct, frozen=True):
    kind: str  # moica | gpki | nhi | hpc | other | unknown | malformed
    name: Text
    generation: str = ""
    contactless: bool = False
    source: str = ""  # "kb", "historical-bytes", "smartcard_list", ""


def identify(atr: Atr, ctx: Context) -> Identity:
    if not atr.valid:
        return Identity("malformed", Text("ATR 格式不正確", "malformed ATR"))
    table = builtin_table()
    row = table.match(atr.hex)
    if row is not None:
        return Identity(row.kind, row.name, row.generation, row.contactless, "kb")
    prefix = table.prefix(atr.historical)
    if prefix is not None:
        return Identity(prefix.kind, prefix.name, atr.historical_ascii, source="historical-bytes")
    db = ctx.os.atr_database()
    descriptions = lookup_smartcard_list(db, atr.hex) if db is not None else None
    if descriptions:
        return Identity("other", Text(descriptions[0], descriptions[0]), source="smartcard_list")
    return Identity("unknown", Text("未知的卡片", "unknown card"))


@probe(
    "pcsc.card_type",
    "卡片種類",
    "Card type",
    area="card",
    step=Step.CARD,
    explained_by="pcsc.card",
    needs=("pcsc.card",),
    timeout=3.0,
    codes=(WRONG_CARD, UNKNOWN_CARD, CONTACTLESS, BAD_ATR),
)
def card_type(ctx: Context) -> Result:
    cards = [
        c
        for c in ctx.need("pcsc.card").fact("cards") or []
        if c.get("atr") and not c.get("exclusive")
    ]
    identified = []
    findings: list[Finding] = []
    for c in cards:
        try:
            raw = bytes.fromhex(str(c["atr"]))
        except ValueError:
            raw = b""
        atr = parse(raw)
        ident = identify(atr, ctx)
        identified.append(
            {
                "reader": c["reader"],
                "atr": to_hex(atr.raw),
                "kind": ident.kind,
                "name": ident.name.en,
                "name_zh": ident.name.zh,
                "generation": ident.generation,
                "source": ident.source,
                "historical": atr.historical_ascii,
            }
        )
        if ident.kind in ("nhi", "hpc"):
            findings.append(WRONG_CARD(card_zh=ident.name.zh, card_en=ident.name.en))
        elif ident.kind == "malformed":
            findings.append(BAD_ATR(problem=atr.problem))
        elif ident.kind in ("other", "unknown"):
            findings.append(UNKNOWN_CARD(description=ident.name.en))
        if ident.contactless:
            findings.append(CONTACTLESS())
    facts = {"cards": identified}
    good = [i for i in identified if i["kind"] in CERT_KINDS]
    if good:
        first = good[0]
        # A certificate card is in: other cards only matter as notes, but reading it
        # contactless (an info finding) still stops a login, so it warns.
        contactless = any(f.code == CONTACTLESS.code for f in findings)
        return found(
            *findings,
            summary=Text(str(first["name_zh"]), str(first["name"])),
            status=Status.WARN if contactless else Status.OK,
            facts=facts,
        )
    if not identified:
        return skipped(Text("沒有可辨識的卡片", "No card to identify"), facts=facts)
    first = identified[0]
    return found(  # every card that is not a certificate card brings its own finding
        *findings,
        summary=Text(f"不是憑證卡：{first['name_zh']}", f"Not a certificate card: {first['name']}"),
        facts=facts,
    )
