"""FAQ 10's fix: give each same-named certificate a distinct friendly name (Windows).

Only ever applied with the user's consent; then the names are checked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.store import duplicate_groups
from diagwizard.system.adapters.certstore import StoreBackend


@dataclass(frozen=True)
class Proposal:
    thumbprint: str
    current: str
    proposed: str


def propose(store: StoreBackend, lang: str = "zh-TW") -> list[Proposal]:
    """正卡 / 附卡 1, 附卡 2 … by card role; by expiry date where the role is unknown."""
    primary, secondary = ("Primary card", "Secondary card") if lang == "en" else ("正卡", "附卡")
    out = []
    for name, members in duplicate_groups(store.personal()).items():
        n_secondary = 0
        for index, (cert, info) in enumerate(sorted(members, key=lambda m: m[1].not_after), 1):
            if info.card_role == "primary":
                label = primary
            elif info.card_role == "secondary":
                n_secondary += 1
                label = f"{secondary} {n_secondary}"
            else:
                label = f"#{index}"
            out.append(Proposal(cert.thumbprint, name, f"{name}（{label}，{info.not_after[:10]}）"))
    return out


def apply(store: StoreBackend, proposals: list[Proposal]) -> None:
    for p in proposals:
        store.set_friendly_name(p.thumbprint, p.proposed)
