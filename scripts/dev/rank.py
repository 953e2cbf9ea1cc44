"""Print how the symptom search ranks a query, with the evidence that decided it.

    .venv/bin/python scripts/dev/rank.py "ERR_SSL_PROTOCOL_ERROR 這個網站無法提供安全連線"
    .venv/bin/python scripts/dev/rank.py --set tuning            # accuracy by language
    .venv/bin/python scripts/dev/rank.py --set tuning --misses   # and each miss

The labelled sets live in tests/data/search/. Tune on ``tuning`` only; ``fresh`` is
measured, never tuned on (so ``--misses`` is refused for it unless ``--i-will-not-tune``).
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from diagwizard.engine import knowledge  # noqa: E402
from kb.search import SymptomIndex  # noqa: E402

SETS = ROOT / "tests" / "data" / "search"


def show(index: SymptomIndex, query: str, limit: int) -> None:
    start = time.perf_counter()
    hits = index.search(query, limit=limit)
    took = (time.perf_counter() - start) * 1000
    print(f"{query!r}  ({took:.1f} ms)")
    if not hits:
        print("  nothing")
    for n, h in enumerate(hits, 1):
        weak = "  WEAK" if h.weak else ""
        print(f"{n:>2}. {h.score:7.2f}  {h.entry.id}{weak}")
        print(f"      matched: {' | '.join(h.words)}")
        for what, points in sorted(h.evidence, key=lambda e: -e[1])[:8]:
            print(f"      {points:7.2f}  {what}")


def measure(index: SymptomIndex, name: str, misses: bool) -> None:
    queries = tomllib.loads((SETS / f"{name}.toml").read_text(encoding="utf-8"))["q"]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    top3 = 0
    wrong = []
    for q in queries:
        want = set(q["want"])
        hits = index.search(q["text"])
        ids = [h.entry.id for h in hits]
        total[q["lang"]] += 1
        top3 += bool(want & set(ids[:3]))
        if ids[:1] and ids[0] in want:
            right[q["lang"]] += 1
        else:
            wrong.append((q["text"], q["want"], ids[:3]))
    n = sum(total.values())
    print(f"{name}: {sum(right.values())}/{n} first ({sum(right.values()) / n:.1%}), "
          f"{top3}/{n} in the first three")
    for lang in sorted(total):
        print(f"  {lang:6} {right[lang]}/{total[lang]}")
    if misses:
        for text, want, got in wrong:
            print(f"  MISS {text!r}: want {want}, got {got}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("query", nargs="*")
    parser.add_argument("--limit", type=int, default=5)
    parser.add_argument("--set", choices=sorted(p.stem for p in SETS.glob("*.toml")))
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--i-will-not-tune", action="store_true")
    args = parser.parse_args()
    index = SymptomIndex(knowledge.load())
    if args.set:
        if args.misses and args.set != "tuning" and not args.i_will_not_tune:
            parser.error("misses of a fresh set only with --i-will-not-tune")
        measure(index, args.set, args.misses)
        return 0
    show(index, " ".join(args.query), args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
