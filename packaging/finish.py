"""After PyInstaller (and, on Windows, signing): zip the one-folder program and publish
SHA-256 hashes. Run by scripts/build and scripts/build.ps1 as
``python packaging/finish.py DIST``; the same code on every platform.

* ``DIST/diagwizard-folder.zip``: the folder ``DIST/diagwizard-folder`` under the name
  ``diagwizard/`` (so it unpacks into a folder called diagwizard), executable bits kept.
* ``DIST/SHA256SUMS``: one line per published file, ``<hex>  <name>``, the format of
  ``sha256sum -c`` (PowerShell: compare with ``Get-FileHash -Algorithm SHA256``).
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

FOLDER = "diagwizard-folder"
ZIP = f"{FOLDER}.zip"
SUMS = "SHA256SUMS"
PUBLISHED = ("diagwizard", "diagwizard.exe", ZIP, "diagwizard-*.whl", "diagwizard-*.tar.gz")


def zip_folder(dist: Path) -> Path:
    folder, target = dist / FOLDER, dist / ZIP
    if not folder.is_dir():
        raise SystemExit(f"finish.py: {folder} is missing: build the one-folder program first")
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():  # with its permission bits (the program stays executable)
                archive.write(path, Path("diagwizard") / path.relative_to(folder))
    return target


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(dist: Path) -> Path:
    files = sorted({p for pattern in PUBLISHED for p in dist.glob(pattern) if p.is_file()})
    lines = [f"{sha256(p)}  {p.name}\n" for p in files]
    target = dist / SUMS
    target.write_text("".join(lines), encoding="ascii", newline="\n")
    return target


def main(argv: list[str]) -> int:
    dist = Path(argv[1] if len(argv) > 1 else "dist")
    print(f"==> {zip_folder(dist)}")
    sums = write_sums(dist)
    print(f"==> {sums}")
    sys.stdout.write(sums.read_text(encoding="ascii"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
