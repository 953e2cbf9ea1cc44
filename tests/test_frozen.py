"""The programs as an officer gets them: built by scripts/build (the one-file program,
and the one-folder program in its zip), put in a folder whose path has spaces and CJK
characters, run from an empty directory with a bare environment. Slow (PyInstaller takes
about a minute), so the build happens once per run; ``-m "not build"`` leaves it out
while iterating."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from helpers import LOOPBACK_CONFIG, ROOT, SCHEMA
from stack.pkcs11_fixtures import SOFTHSM_MODULE

pytestmark = pytest.mark.build
EXE = "diagwizard.exe" if os.name == "nt" else "diagwizard"


@pytest.fixture(scope="module")
def dist() -> Path:
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build")], capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return ROOT / "dist"


def unzip(archive: Path, into: Path) -> None:
    """Unpack as an officer's unzip tool does, keeping the program executable."""
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            target = Path(z.extract(info, into))
            mode = stat.S_IMODE(info.external_attr >> 16)
            if mode:
                target.chmod(mode)


@pytest.fixture(params=["one-file", "one-folder"])
def installed(dist: Path, tmp_path: Path, request) -> Iterator[tuple[Path, Path]]:
    """(program, empty working directory); the program sits in '下載 Downloads/': the
    one-file program as downloaded, or the one-folder program unpacked from its zip."""
    folder = tmp_path / "下載 Downloads"
    folder.mkdir()
    if request.param == "one-file":
        shutil.copy2(dist / EXE, folder / EXE)
        program = folder / EXE
    else:
        unzip(dist / "diagwizard-folder.zip", folder)
        program = folder / "diagwizard" / EXE
    work = tmp_path / "empty"
    work.mkdir()
    yield program, work


def test_published_files_have_their_sha256_in_sha256sums(dist: Path) -> None:
    lines = (dist / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert {EXE, "diagwizard-folder.zip"} <= set(listed), listed
    assert any(name.endswith(".whl") for name in listed)
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(dist / "diagwizard-folder.zip") as z:
        names = z.namelist()
    assert f"diagwizard/{EXE}" in names and all(n.startswith("diagwizard/") for n in names)
    assert any(n.startswith("diagwizard/_internal/") for n in names)


def bare_run(
    program: Path, work: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # The user's home (where caches belong) is not the working directory, which must
    # stay empty.
    home = work.parent / f"{work.name}-home"
    home.mkdir(exist_ok=True)
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(home), **(env or {})}
    return subprocess.run(
        [str(program), *args],
        cwd=work,
        env=bare,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def pac_url(tmp_path: Path) -> Iterator[str]:
    """A PAC file on 127.0.0.1 that sends everything to a (closed) proxy port."""
    (tmp_path / "proxy.pac").write_text(
        'function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:9"; }\n'
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/proxy.pac"
    server.shutdown()
    server.server_close()


def test_program_checks_searches_and_lists_from_an_empty_directory(
    installed: tuple[Path, Path], soft_tokens, pac_url: str, tmp_path: Path
) -> None:
    program, work = installed
    config = tmp_path / "下載 Downloads" / "設定 config.toml"
    config.write_text(
        LOOPBACK_CONFIG.read_text()
        + f'\n[pkcs11]\nmodules = ["{SOFTHSM_MODULE}"]\n[proxy]\npac_url = "{pac_url}"\n'
    )
    token = soft_tokens["healthy"]
    r = bare_run(program, work, "check", "--json", "--config", str(config), env=token.env)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    res = {x["id"]: x for x in doc["results"]}
    # pkcs11.token runs in an isolated child: the program started itself as that child
    # and loaded PyKCS11's native part and the SoftHSM module there.
    assert res["pkcs11.token"]["status"] == "ok", res["pkcs11.token"]
    assert res["pkcs11.certs"]["status"] == "ok"
    # The library versions come from the package metadata carried inside the program.
    assert None not in res["sys.runtime"]["facts"]["libraries"].values()
    # The PAC file ran in the program's JavaScript engine (dukpy and its JS runtime).
    assert res["net.proxy"]["facts"]["proxy"] == "127.0.0.1:9", res["net.proxy"]
    assert res["net.reach"]["status"] == "fail"  # the loopback targets are closed ports
    assert doc["case_code"].startswith("DW2-")

    r = bare_run(program, work, "kb", "search", "unknow", "token", "--json", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["id"] == "faq07-unknow-token"

    r = bare_run(program, work, "probes", "--json")
    listed = {p["id"]: p["builtin"] for p in json.loads(r.stdout)["probes"]}
    assert {"pcsc.card", "pkcs11.token", "net.tls", "store.registered"} <= set(listed)
    assert all(listed.values()) and not json.loads(r.stdout)["problems"]
    assert list(work.iterdir()) == []  # nothing left behind in the working directory


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is part of the test stack")
def test_program_opens_the_wizard_in_a_terminal_and_quits(
    installed: tuple[Path, Path],
) -> None:
    program, work = installed
    session = "diagwizard-frozen"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout

    tmux("kill-session", "-t", session)
    command = (
        f"cd '{work}' && env -i PATH=/usr/bin:/bin HOME='{work}' TERM=xterm-256color "
        f"LANG=C.UTF-8 '{program}' --config '{LOOPBACK_CONFIG}'"
    )
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        deadline = time.monotonic() + 30
        while "全面檢查" not in tmux("capture-pane", "-p", "-t", session):
            assert time.monotonic() < deadline, tmux("capture-pane", "-p", "-t", session)
            time.sleep(0.2)
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 10
        while session in tmux("list-sessions") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert session not in tmux("list-sessions"), "q did not quit the wizard"
    finally:
        tmux("kill-session", "-t", session)


def test_wheel_holds_the_three_packages_with_every_module_and_data_file(dist: Path) -> None:
    (wheel,) = dist.glob("diagwizard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names}
    assert tops == {"diagwizard", "checks", "kb", "diagwizard-0.1.0.dist-info"}, sorted(tops)
    # Every module and data file of the three repository folders, under the same name.
    for folder in ("diagwizard", "checks", "kb"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".toml", ".json", ".tcss") and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT).as_posix()
                assert rel in names, rel
    assert list(dist.glob("diagwizard-*.tar.gz"))


def test_program_keeps_the_case_log_locally_and_in_postgresql(
    installed: tuple[Path, Path], pg_url: str, tmp_path: Path
) -> None:
    """The migrations travel inside the program (Alembic reads them as files), and so do
    SQLite and psycopg's PostgreSQL client."""
    from cases_helpers import service_code

    program, work = installed
    local = {"XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    r = bare_run(program, work, "decode", service_code(), "--log", "--lang", "en", env=local)
    assert r.returncode == 0 and "Logged as case #1" in r.stdout, r.stderr
    r = bare_run(program, work, "cases", "info", "--json", env=local)
    assert r.returncode == 0, r.stderr
    assert (json.loads(r.stdout)["schema"], json.loads(r.stdout)["cases"]) == ("0002", 1)
    team = {**local, "DIAGWIZARD_CASES_URL": pg_url}
    r = bare_run(program, work, "decode", service_code(), "--log", "--lang", "en", env=team)
    assert r.returncode == 0 and "Logged as case #1" in r.stdout, r.stderr
    r = bare_run(program, work, "cases", "stats", "--since", "1h", "--json", env=team)
    assert json.loads(r.stdout)["problems"][0]["count"] == 1, r.stderr
    assert list(work.iterdir()) == []
