"""``diagwizard set-names``: give same-named certificates distinct friendly names (FAQ 10)."""

from __future__ import annotations

import argparse
import sys

from diagwizard import adapters, config
from diagwizard.i18n import resolve_lang
from diagwizard.model import Text

MSG = {
    "windows_only": Text(
        "好記的名稱只能在 Windows 上設定；請參考 diagwizard kb show faq10-xca-same-name",
        "Friendly names can only be set on Windows; see diagwizard kb show faq10-xca-same-name",
    ),
    "nothing": Text("沒有同名的憑證，不需要設定。", "No certificates share a name; nothing to do."),
    "plan": Text("將為以下憑證設定好記的名稱：", "These friendly names will be set:"),
    "confirm": Text("確定要設定請輸入 yes：", "Type yes to set them: "),
    "cancelled": Text("已取消，沒有變更。", "Cancelled; nothing changed."),
    "done": Text("已設定。再檢查一次：{status}", "Done. Checked again: {status}"),
}


def cmd_set_names(args: argparse.Namespace) -> int:
    from diagwizard.friendly_names import apply, propose

    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    os_adapter = adapters.current()
    store = os_adapter.cert_store()
    if store is None:
        print(MSG["windows_only"].get(lang))
        return 2
    proposals = propose(store, lang)
    if not proposals:
        print(MSG["nothing"].get(lang))
        return 0
    print(MSG["plan"].get(lang))
    for p in proposals:
        print(f"  {p.current} → {p.proposed}")
    if not args.yes:
        sys.stdout.write(MSG["confirm"].get(lang))
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() != "yes":
            print(MSG["cancelled"].get(lang))
            return 2
    apply(store, proposals)
    from diagwizard.engine import Engine

    res = Engine.create(cfg, plugins=False, os_adapter=os_adapter).rerun("store.names", {})
    print(MSG["done"].get(lang, status=res.summary.get(lang)))
    return 0 if res.status == "ok" else 1
