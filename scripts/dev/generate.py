"""Regenerate the tables derived from the probe and fix declarations in ``checks/`` (and
``kb/questions.toml``): the registry's index (``diagwizard/engine/builtin_index.py``) and
the case-code book (``diagwizard/diagnosis/codebook_data.py``). Run it after adding,
removing or changing a probe or fix: ``python scripts/dev/generate.py``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from diagwizard.diagnosis import codebook  # noqa: E402
from diagwizard.engine import declarations  # noqa: E402

TARGETS = {
    ROOT / "diagwizard" / "engine" / "builtin_index.py": declarations.render_index,
    ROOT / "diagwizard" / "diagnosis" / "codebook_data.py": lambda: codebook.render(
        codebook.live_codebook()
    ),
}


def main() -> None:
    for target, render in TARGETS.items():
        text = render()
        if target.exists() and target.read_text(encoding="utf-8") == text:
            print(f"{target.relative_to(ROOT)} is up to date")
            continue
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
