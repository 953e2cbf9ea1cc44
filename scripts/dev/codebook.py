"""Regenerate diagwizard/codebook_data.py, the case-code book's table, from the built-in
probes and kb/questions.toml. Run it after changing a probe's finding codes, platforms or
needs, the probe set, or the questions: ``python scripts/dev/codebook.py``."""

from __future__ import annotations

from pathlib import Path

from diagwizard.diagnosis import codebook

TARGET = Path(__file__).resolve().parents[2] / "diagwizard" / "diagnosis" / "codebook_data.py"


def main() -> None:
    text = codebook.render(codebook.live_codebook())
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text:
        print(f"{TARGET.name} is up to date")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
