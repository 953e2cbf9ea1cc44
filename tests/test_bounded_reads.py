"""Issue 30, bounded reads: every file a person or another program controls (the config,
KB files, the extra CA bundle, a module's header, the browser's pkcs11.txt) is read only
if it is a regular file of sane size. A FIFO, a link to /dev/zero or a huge file is
refused at once, with an error naming the file; nothing waits or fills the memory.
Each case runs in a fresh process with a time limit, so old code that blocks fails
instead of hanging the suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import fresh_python, run_cli

from diagwizard.core import safefile


def special(tmp_path: Path, kind: str, name: str) -> Path:
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:  # a sparse file of 2 GB: no disk used, but read() would try to hold it
        with open(path, "wb") as f:
            f.truncate(2 << 30)
    return path


KINDS = {
    "fifo": "it is not a regular file but a named pipe (FIFO)",
    "dev-zero": "it is not a regular file but a device",
    "huge": "the file is too large (the limit is 1 MB)",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_config_that_is_no_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = special(tmp_path, kind, "config.toml")
    r = run_cli("check", "--only", "sys.os", "--config", str(path), "--lang", "en", timeout=30)
    assert r.code == 2 and "Traceback" not in r.err
    assert f"Cannot read config file {path}: {KINDS[kind]}" in r.err
    zh = run_cli("check", "--config", str(path), timeout=30)
    assert f"無法讀取設定檔 {path}" in zh.err


def test_config_saved_by_notepad_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('\ufefflang = "en"\n[clock]\nmax_skew_seconds = 60\n'.encode())
    r = run_cli("check", "--only", "sys.os", "--json", "--config", str(path), timeout=60)
    assert r.code in (0, 1), r.err
    assert r.json()["lang"] == "en"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_kb_file_that_is_no_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = special(tmp_path, kind, "entry.toml")
    out = fresh_python(
        "from pathlib import Path\n"
        "from kb.loader import KBError, load_file\n"
        "try:\n"
        f"    load_file(Path({str(path)!r}))\n"
        "except KBError as exc:\n"
        "    print(exc.render('en'))\n",
        timeout=30,
    )
    assert f"Knowledge-base file {path} is invalid" in out
    assert "a regular file of at most 1024 KB" in out


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_ca_file_that_is_no_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = special(tmp_path, kind, "extra-ca.pem")
    out = fresh_python(
        "from diagwizard.system.transport.tls import trust_context\n"
        "try:\n"
        f"    trust_context({str(path)!r})\n"
        "except OSError as exc:\n"
        "    print(exc)\n",
        timeout=30,
    )
    assert f"[tls] ca_file {path}: it is not a regular file" in out


def test_ca_file_bundle_is_still_trusted(pki, tmp_path: Path) -> None:
    """Read by us now, not by OpenSSL: a PEM bundle of several CAs still loads."""
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(b"# comment\n" + Path(pki.ca_file).read_bytes() * 2)
    from diagwizard.system.transport.tls import trust_context

    ctx = trust_context(str(bundle))
    assert ctx.cert_store_stats()["x509_ca"] >= 1


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_module_header_and_browser_files_are_not_waited_on(tmp_path: Path, kind: str) -> None:
    module = special(tmp_path, kind, "libcard.so")
    db = tmp_path / "nssdb"
    db.mkdir()
    special(db, kind, "pkcs11.txt")
    out = fresh_python(
        "from pathlib import Path\n"
        "from diagwizard.system.formats.binfmt import library_archs\n"
        "from diagwizard.system.adapters.certstore import parse_pkcs11_txt\n"
        f"print(library_archs(Path({str(module)!r})), parse_pkcs11_txt(Path({str(db / 'pkcs11.txt')!r})))\n",
        timeout=30,
    )
    assert out.strip() == "() []"


def test_refusal_reads_in_both_languages(tmp_path: Path) -> None:
    fifo = special(tmp_path, "fifo", "pipe")
    with pytest.raises(safefile.Refused) as info:
        safefile.read_bytes(fifo, 10)
    assert info.value.render("zh-TW") == "它不是一般檔案，而是具名管道（FIFO）"
    assert info.value.filename == str(fifo)
    small = tmp_path / "small"
    small.write_bytes(b"x" * 11)
    with pytest.raises(safefile.Refused, match="too large"):
        safefile.read_bytes(small, 10)
    assert safefile.read_bytes(small, 11) == b"x" * 11


def test_an_atomic_write_never_follows_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "out.json"
    target.symlink_to(victim)
    safefile.write_atomic(target, json.dumps({"a": 1}))
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and json.loads(target.read_text()) == {"a": 1}
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# TOML escapes: raw control characters are already invalid TOML.
@pytest.mark.parametrize(
    "raw", [r"\u001b[2J", r"\u001b]8;;https://evil/\u0007", r"\u202e", r"\u009b"]
)
def test_kb_text_that_would_drive_the_terminal_is_refused(tmp_path: Path, raw: str) -> None:
    """A plugin's KB entry is shown by ``kb show`` and the wizard: its text carries no
    escape sequence or bidi override, and the error names the file and the field."""
    from kb.loader import KBError, load_file

    builtin = Path(__file__).parents[1] / "kb" / "entries" / "card-unknown.toml"
    text = builtin.read_text(encoding="utf-8")
    path = tmp_path / "entry.toml"
    path.write_text(
        text.replace('en = "An unrecognised card', f'en = "An unrecognised card{raw}', 1),
        encoding="utf-8",
    )
    with pytest.raises(KBError) as err:
        load_file(path)
    message = err.value.render("en")
    assert str(path) in message and "title.en" in message
    assert "text without control or bidi characters" in message
    load_file(builtin)  # the same entry without it is fine
