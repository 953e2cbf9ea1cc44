"""Hardening (issue 14): redaction that holds for real names, text that cannot drive the
terminal or a report, children that cannot flood or linger, strict config and CLI input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from helpers import fresh_python, run_cli
from markdown_it import MarkdownIt
from rich.console import Console
from stack.certs import der, key, make_card_cert
from stack.pkcs11_fixtures import SOFTHSM_MODULE
from stack.softhsm import make_token

from diagwizard.api.probe import Probe
from diagwizard.core.model import Status, result
from diagwizard.core.redact import Redactor
from diagwizard.core.text import Text
from diagwizard.diagnosis.outcome import build
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.isolation import pkcs11 as pkcs11_transport
from diagwizard.isolation.calls import ChildFailed, call_isolated
from diagwizard.isolation.childproc import describe_exit
from diagwizard.ui import reports
from diagwizard.ui.cli.pintest import failure_words
from diagwizard.ui.cli.render import LiveLines

SHORT_NAME = "王明"
ATTACK = "\x1b[2J\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07\x1b[31m\u202eRED"
RAW_CONTROL = re.compile("[\x1b\x07\u202e\x9b]")


# -- redaction by value ----------------------------------------------------------------


@pytest.fixture
def short_name_token(tmp_path: Path, test_ca):
    cert = make_card_cert(test_ca, name=SHORT_NAME)
    return make_token(tmp_path / "hsm", SHORT_NAME, [(der(cert), b"SIGN")])


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_own_screen_shows_the_name_and_what_leaves_the_machine_hides_it(
    short_name_token, write_config, tmp_path: Path, lang: str
) -> None:
    """The person's own terminal shows their name and card number; ``--json``, the
    reports and the case code never do, and ``check --redact`` hides them on screen."""
    cfg = str(write_config([SOFTHSM_MODULE]))
    env = short_name_token.env
    base = ("check", "--config", cfg, "--lang", lang, "--only", "pkcs11")
    full = run_cli(*base, "--json", "--include-personal", env=env).json()
    token = next(r for r in full["results"] if r["id"] == "pkcs11.token")
    (card_number,) = token["facts"]["serials"]
    assert card_number and full["redacted"] is False

    own = run_cli(*base, "--verbose", env=env)
    label, details = ("卡號：", "詳細資料") if lang == "zh-TW" else ("Card number: ", "Details")
    assert SHORT_NAME in own.out and f"{label}{card_number}" in own.out, own.out
    assert details in own.out  # raw values sit under their own heading
    assert "[personal-" not in own.out
    assert "個人資料" not in own.err and "personal data" not in own.err  # no false warning

    leaving = {"json": run_cli(*base, "--json", env=env).out}
    for fmt in ("md", "html"):
        path = tmp_path / f"r.{fmt}"
        run_cli(*base, "--report", str(path), env=env)
        leaving[fmt] = path.read_text()
    code = json.loads(leaving["json"])["case_code"]
    leaving["case code"] = code + run_cli("decode", code, "--lang", lang).out
    leaving["--redact"] = run_cli(*base, "--verbose", "--redact", env=env).out
    assert "[personal-" in leaving["json"] and "[personal-" in leaving["--redact"]
    for where, text in leaving.items():
        assert SHORT_NAME not in text, f"the name leaked into {where}"
        assert card_number not in text, f"the card number leaked into {where}"
    # The placeholder, not the name, is what the reader sees in the summary.
    doc = json.loads(leaving["json"])
    certs = next(r for r in doc["results"] if r["id"] == "pkcs11.certs")
    assert certs["summary"].startswith(certs["facts"]["subjects"][0])


def test_include_personal_warns_only_where_the_data_leaves(
    short_name_token, write_config, tmp_path: Path
) -> None:
    cfg = str(write_config([SOFTHSM_MODULE]))
    base = ("check", "--config", cfg, "--lang", "en", "--only", "pkcs11.token")
    report = tmp_path / "r.md"
    kept = run_cli(*base, "--include-personal", "--report", str(report), env=short_name_token.env)
    assert "includes personal data" in kept.err
    assert SHORT_NAME in report.read_text()  # --include-personal keeps its meaning
    screen = run_cli(*base, "--include-personal", env=short_name_token.env)
    assert "includes personal data" not in screen.err


def test_name_tokens_match_whole_words_only() -> None:
    red = Redactor()
    red.learn_value(["CHEN TA", "6789"])
    out = red.text("CHEN TA, Ta in Taipei; id 6789 but not 167890")
    assert "CHEN" not in out and " TA," not in out and "6789 " not in out
    assert "Taipei" in out and "167890" in out and "Ta in" in out


def test_a_name_that_looks_like_an_account_word_is_still_redacted() -> None:
    """Found by the fuzz test: a certificate name "GUEST" stayed in a summary, because
    account words were exempt whatever value they came from."""
    red = Redactor()
    red.learn_value("GUEST")
    red.learn_value("Root Admin")
    out = red.text("《GUEST》 CN=Root Admin; Admin desk")
    assert "GUEST" not in out and "Admin" not in out


def test_proxy_credentials_from_the_environment_are_redacted(tmp_path: Path) -> None:
    bad = "http://alice:Secr3tPass@proxy.invalid:99999"
    env = {"HTTPS_PROXY": bad, "https_proxy": bad, "NO_PROXY": ""}
    for args in (("--json",), ("--lang", "en")):
        r = run_cli("check", "--only", "net.proxy", *args, env=env)
        assert "net.W004" in r.out, r.out + r.err
        assert "Secr3tPass" not in r.out + r.err and "alice" not in r.out + r.err


# -- terminal and report injection -----------------------------------------------------


def _hostile_probe() -> tuple[dict[str, Probe], dict]:
    probe = Probe("evil.probe", Text("惡意", "Hostile"), run=lambda ctx: None, area="component")  # type: ignore[arg-type,return-value]
    res = result(
        Status.WARN,
        Text(f"伺服器版本 {ATTACK}", f"server version {ATTACK}"),
        facts={"version": ATTACK},
    )
    lines = "x\n# Heading\n<script>alert(1)</script> | cell"
    res.summary = Text(f"{ATTACK} {lines}", f"{ATTACK} {lines}")
    return {probe.id: probe}, {probe.id: res}


def test_the_terminal_output_shows_escapes_but_never_emits_them() -> None:
    probes, results = _hostile_probe()
    live = LiveLines(probes, "en", Redactor())
    buf = io.StringIO()
    live.console = Console(file=buf, width=200, color_system=None, force_terminal=False)
    live.summary(build(probes, results, platform="linux"))
    out = buf.getvalue()
    assert not RAW_CONTROL.search(out), repr(out)
    assert "\\x1b[2J" in out and "\\u202e" in out  # visible, so the helpdesk sees it


def _reports() -> dict[str, str]:
    probes, results = _hostile_probe()
    diagnosis = Diagnosis(probes, results)
    doc = reports.report_document(
        probes, diagnosis, lang="en", platform="linux", started_at=0, duration_ms=1
    )
    return {fmt: reports.render(doc, diagnosis, "en", fmt) for fmt in ("md", "html", "json")}


def test_markdown_report_cannot_gain_structure_or_html() -> None:
    md = _reports()["md"]
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert not RAW_CONTROL.search(md)
    assert not any(line.startswith("# Heading") for line in md.splitlines())
    row = next(line for line in md.splitlines() if line.startswith("| ") and "Hostile" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # still three cells

    rendered = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<script>" not in rendered and "<h1>Heading" not in rendered


def test_html_report_has_a_strict_content_security_policy() -> None:
    page = _reports()["html"]
    assert not RAW_CONTROL.search(page)
    m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert m, "no CSP meta tag"
    csp = m.group(1)
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "unsafe-inline" not in csp and "style-src 'sha256-" in csp


def test_json_keeps_the_data_but_escapes_bidi_for_terminals() -> None:
    text = _reports()["json"]
    assert "\u202e" not in text and "\\u202e" in text
    doc = json.loads(text)
    assert "\u202e" in doc["results"][0]["facts"]["version"]  # the value is unchanged


# -- isolation -------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def targets_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children find tests/isolation_targets.py (they inherit the environment)."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])
    )


def _is_gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # killed; only its parent (init) has yet to reap it


def test_a_flooding_module_does_not_flood_the_parent(targets_importable) -> None:
    """300 MB on the child's stderr: the parent keeps a bounded tail, says what it dropped."""
    harness = (
        "from diagwizard.isolation.calls import ChildFailed, call_isolated\n"
        "try:\n"
        "    call_isolated('isolation_targets:flood_stderr', {'megabytes': 300, 'then_exit': 3}, 120)\n"
        "except ChildFailed as exc:\n"
        "    print(exc.how)\n"
        # VmHWM is this program's own peak: ru_maxrss would also count the memory of the
        # (large) pytest process this one was forked from, which Linux keeps across exec.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    how, peak_mb = fresh_python(harness, timeout=300).strip().splitlines()
    assert "exit code 3" in how and "last words of the module" in how
    assert re.search(r"\[\d+ bytes of earlier output dropped\]", how)
    assert int(peak_mb) < 150, f"parent peaked at {peak_mb} MB"


def test_a_lingering_grandchild_neither_blocks_nor_survives(targets_importable) -> None:
    pid = call_isolated("isolation_targets:fork_lingering_grandchild", {"seconds": 300}, 60)
    assert isinstance(pid, int)  # the answer came, although the pipes were still held
    deadline = time.monotonic() + 5  # SIGKILL went out; the kernel takes a moment
    while not _is_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _is_gone(pid), "the grandchild outlived the check"


def test_a_hung_child_is_killed_with_its_whole_group(targets_importable) -> None:
    with pytest.raises(ChildFailed) as info:
        call_isolated("isolation_targets:hang_after", {"step": "login_started"}, 3)
    assert info.value.timed_out


def test_pin_test_says_whether_the_login_call_was_made(targets_importable) -> None:
    said = {}
    for step in ("loading", "login_started", "login_returned"):
        with pytest.raises(ChildFailed) as info:
            call_isolated("isolation_targets:hang_after", {"step": step}, 3)
        said[step] = failure_words(info.value).get("en")
    assert "no try was used" in said["loading"]
    assert "may have been used" in said["login_started"]
    assert "login call completed" in said["login_returned"]


def test_faulthandler_stays_off_in_children(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONFAULTHANDLER", "0")  # any value would turn it on
    assert call_isolated("faulthandler:is_enabled", {}, 30) is False


def test_windows_crash_codes_are_named() -> None:
    assert describe_exit(3221225477, "win32") == "0xC0000005 access violation"
    assert describe_exit(0xC0000409, "win32").startswith("0xC0000409 stack buffer overrun")
    assert describe_exit(3, "win32") == "exit code 3"
    assert describe_exit(-11, "linux") == "SIGSEGV"


# -- the PIN in memory -----------------------------------------------------------------

WRONG_PIN = "Zq7Wx9"  # distinctive, so a hit in memory is a real copy


def _memory_hits(pid: int, needle: bytes) -> int:
    hits = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or (len(fields) > 5 and fields[5].startswith("[v")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                hits += mem.read(end - start).count(needle)
            except (OSError, ValueError, OverflowError):
                continue
    return hits


@pytest.mark.pcsc
def test_the_pin_leaves_no_copy_in_the_parent(tmp_path: Path, test_ca, write_config) -> None:
    """After pin-test, the parent's whole memory holds no copy of the PIN (it was read
    into one buffer, sent from it, and wiped)."""
    token = make_token(tmp_path / "hsm", "memtest", [(der(make_card_cert(test_ca)), b"SIGN")])
    cfg = write_config([SOFTHSM_MODULE])
    harness = (
        "import gc, os, sys\n"
        "from diagwizard.ui.cli import main\n"
        f"code = main(['pin-test', '--config', {str(cfg)!r}, '--lang', 'en', '--pin-stdin'])\n"
        "gc.collect()\n"
        "os.write(1, b'done %d\\n' % code)\n"
        "os.read(0, 1)\n"  # wait until the test has looked
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", harness],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **token.env},
    )
    assert proc.stdin and proc.stdout
    try:
        proc.stdin.write(f"yes\n{WRONG_PIN}\n".encode())
        proc.stdin.flush()
        out = b""
        while b"done" not in out:
            chunk = proc.stdout.read1(4096)
            assert chunk, out
            out += chunk
        assert b"Wrong PIN" in out  # the login really happened, with this PIN
        assert _memory_hits(proc.pid, WRONG_PIN.encode()) == 0
    finally:
        proc.kill()
        proc.wait(10)


# -- config ----------------------------------------------------------------------------

BAD_CONFIGS = [
    ("[timeouts]\nnetwork = nan\n", "timeouts.network"),
    ("[timeouts]\noverall = inf\n", "timeouts.overall"),
    ("[timeouts]\nnetwork = 1e308\n", "timeouts.network"),
    ('[timeouts.probes]\n"pkcs11.token" = -1\n', 'timeouts.probes."pkcs11.token"'),
    ('[[dns.servers]]\nhost = "127.0.0.1"\nport = 99999\n', "dns.servers[0].port"),
    ('[hipki]\nbase_url = "nonsense"\n', "hipki.base_url"),
    ('[targets]\nlogin_url = "https://host:70000/"\n', "targets.login_url"),
    ('[proxy]\nurl = "http://u:Secr3tPass@h:99999"\n', "proxy.url"),
    ("timeouts = 5\n", "timeouts"),
]


@pytest.mark.parametrize(("text", "key"), BAD_CONFIGS, ids=[k for _, k in BAD_CONFIGS])
def test_out_of_range_config_is_exit_2_naming_the_full_key(
    tmp_path: Path, text: str, key: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    r = run_cli("check", "--config", str(path), "--lang", "en", "--only", "sys.os")
    assert r.code == 2, r.err
    assert f"key {key}:" in r.err and len(r.err.strip().splitlines()) == 1
    assert "not valid TOML" not in r.err and "Secr3tPass" not in r.err


@pytest.mark.parametrize(
    ("data", "says"),
    [(b"lang = \xff\xfe\n", "not UTF-8"), (b"x = " + b"[" * 5000, "nested too deeply")],
    ids=["not-utf8", "too-deep"],
)
def test_undecodable_or_deep_config_is_a_clear_error(
    tmp_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(data)
    r = run_cli("check", "--config", str(path), "--lang", "en")
    assert r.code == 2 and says in r.err and "Internal error" not in r.err, r.err


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2Jname.toml"
    path.write_text("lang = 1\n")
    r = run_cli("check", "--config", str(path), "--lang", "en")
    assert r.code == 2 and "\x1b" not in r.err and "evil\\x1b[2Jname" in r.err


# -- CLI -------------------------------------------------------------------------------


def test_token_numbers_start_at_one(tmp_path: Path) -> None:
    r = run_cli("pin-test", "--token", "0", "--lang", "en", "--pin-stdin")
    assert r.code == 2 and "counts from 1" in r.err and "Traceback" not in r.err


def test_an_empty_report_path_is_refused() -> None:
    r = run_cli("check", "--only", "sys.os", "--report", "", "--lang", "en")
    assert r.code == 2 and "--report needs a file name" in r.err


@pytest.mark.parametrize("dangling", [False, True])
def test_a_report_never_writes_through_a_symlink(tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "elsewhere.json"
    if not dangling:
        target.write_text("precious\n")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    r = run_cli("check", "--only", "sys.os", "--report", str(link), "--lang", "en")
    assert r.code in (0, 1), r.err
    assert not link.is_symlink() and json.loads(link.read_text())["schema"] == 1
    assert (target.read_text() == "precious\n") if not dangling else not target.exists()


def test_no_python_warning_reaches_the_user(tmp_path: Path, test_ca, write_config) -> None:
    now = dt.datetime.now(dt.UTC)
    long_cn = x509.NameAttribute(NameOID.COMMON_NAME, "名" * 70, _validate=False)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([long_cn]))
        .issuer_name(test_ca.cert.subject)
        .public_key(key(2).public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=100))
        .sign(test_ca.key, hashes.SHA256())
    )
    token = make_token(tmp_path / "hsm", "longcn", [(der(cert), b"SIGN")])
    r = run_cli("check", "--config", str(write_config([SOFTHSM_MODULE])), env=token.env)
    assert "pkcs11.certs" in r.out
    assert "Warning" not in r.err and ".py:" not in r.err, r.err


def test_ordinary_words_in_a_personal_label_or_path_stay_readable() -> None:
    """A certificate label "card certificate" or a module path is personal as a whole, but
    "card" and "lib" in other messages are not names: only the whole value is replaced,
    while a name's parts (Wang, 小明) still are."""
    r = Redactor()
    r.learn_value("card certificate")
    r.learn_value("/usr/lib/softhsm/libsofthsm2.so")
    r.learn_value("Wang Xiao-Ming")
    r.learn_value("王 小明")
    out = r.text("No card in the reader; /usr/lib/softhsm/libsofthsm2.so loaded from /usr/lib")
    assert "No card in the reader" in out and out.endswith("from /usr/lib")
    assert "libsofthsm2" not in out
    assert "Wang" not in r.text("Mr Wang called") and "小明" not in r.text("小明來電")


def _harness(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The words ``code`` prints in a fresh interpreter."""
    return fresh_python(code, env).split()


SPARE = (
    "import os\n"
    "from diagwizard.isolation import spare\nfrom diagwizard.isolation.calls import ChildFailed, call_isolated\n"
    "spare.start(['json'])\n"
    "proc = spare._spare\n"
    "print(proc.pid)\n"
)


def test_the_spare_child_answers_as_a_process_of_its_own(targets_importable) -> None:
    """The spare started ahead (``isolation.spare``) is the child that answers: another
    pid, leading its own session, faulthandler off."""
    spare, answer, session, parent, faults = _harness(
        SPARE + "pid = call_isolated('isolation_targets:pid_and_session', {}, 30, use_spare=True)\n"
        "print(*pid, os.getpid())\n"
        "spare.start(['json'])\n"
        "print(call_isolated('faulthandler:is_enabled', {}, 30, use_spare=True))\n",
        env={"PYTHONFAULTHANDLER": "1"},
    )
    assert answer == spare == session != parent
    assert faults == "False"


def test_a_spare_that_crashes_or_hangs_is_contained(targets_importable) -> None:
    how, exited, hung, gone = _harness(
        SPARE.replace("print(proc.pid)\n", "") + "try:\n"
        "    call_isolated('os:abort', {}, 30, use_spare=True)\n"
        "except ChildFailed as exc:\n"
        "    print(exc.how.split(':')[0])\n"
        "spare.start(['json'])\n"
        "try:\n"
        "    call_isolated('isolation_targets:exit_with', {'code': 3}, 30, use_spare=True)\n"
        "except ChildFailed as exc:\n"
        "    print(exc.how.replace(' ', '_'))\n"
        "spare.start(['json'])\n"
        "proc = spare._spare\n"
        "try:\n"
        "    call_isolated('isolation_targets:hang_after', {'step': 'loading'}, 2, use_spare=True)\n"
        "except ChildFailed as exc:\n"
        "    print(exc.timed_out and exc.progress == ('loading',))\n"
        "print(proc.poll() is not None)\n"
    )
    assert how == "SIGABRT"
    assert exited == "exit_code_3"
    assert hung == "True" and gone == "True"


def test_an_unused_spare_ends_with_the_parent() -> None:
    (pid,) = _harness(SPARE)
    deadline = time.monotonic() + 10
    while not _is_gone(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _is_gone(int(pid)), "the spare child outlived the program"


@pytest.mark.parametrize("how", ["list", "unknown-field", "wrong-type"])
def test_a_malformed_scan_answer_is_a_failed_module_not_a_crash(
    targets_importable, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The child answered, but not what a scan answers: that module failed, said so."""
    monkeypatch.setattr(pkcs11_transport, "SCAN_TARGET", "isolation_targets:malformed_scan")
    (report,) = pkcs11_transport.scan_modules([how], 30)
    assert isinstance(report, pkcs11_transport.ModuleFailed)
    assert report.path == how and "unexpected answer" in report.how and not report.timed_out


def test_the_spare_answers_where_sigchld_is_ignored(targets_importable) -> None:
    """With SIGCHLD ignored the kernel reaps children at once and their exit codes are
    lost: the spare still answers."""
    (answer,) = _harness(
        "import signal\n"
        "signal.signal(signal.SIGCHLD, signal.SIG_IGN)\n"
        "from diagwizard.isolation import spare\nfrom diagwizard.isolation.calls import call_isolated\n"
        "spare.start(['json'])\n"
        "print(call_isolated('isolation_targets:pid_and_session', {}, 30, use_spare=True)[0] > 0)\n"
    )
    assert answer == "True"


def test_a_card_check_starts_the_spare_before_the_probes_load() -> None:
    """``diagwizard check`` that runs the PKCS#11 scan starts the spare once the command
    line is read, before the command's own modules load."""
    (asked,) = _harness(
        "from diagwizard.isolation import spare\n"
        "from diagwizard.ui import cli\n"
        "asked = []\n"
        "spare.start = lambda *a, **k: asked.append('started')\n"
        "cli._command = lambda name: (lambda args: print(*asked or ['none']) or 0)\n"
        "cli.main(['check', '--only', 'pkcs11'])\n"
    )
    assert asked == "started"
