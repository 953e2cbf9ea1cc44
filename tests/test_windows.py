"""Windows paths through the real adapter code, fed with documented Windows behaviour:
crypt32's buffer ownership, service start types, WMI device records, WinHTTP proxy
configurations, registry views and WOW64 redirection."""

from __future__ import annotations

import base64
import ctypes
import json
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from helpers import facts_and_codes, run_cli, run_probes
from stack.certs import der, make_ca, make_card_cert
from stack.fake_crypt32 import HICOS_CSP, FakeCrypt32Lib

from diagwizard.core.config import Config, Targets
from diagwizard.core.errors import FixFailed
from diagwizard.system.adapters import commands, wincommand
from diagwizard.system.adapters.certstore import Crypt32Store, buffer_string, key_provider_name
from diagwizard.system.adapters.fixops import WindowsFixOps
from diagwizard.system.adapters.windows import WindowsAdapter, _read_uninstall_registry
from diagwizard.system.adapters.winproxy import IeProxyConfig, ie_proxy, proxy_entries
from diagwizard.system.transport.proxy import pac_path

CONFIG = Config(targets=Targets(login_url="https://moica.nat.gov.tw/"))
DATA = Path(__file__).parent / "data" / "windows"

# -- crypt32: CRYPT_KEY_PROV_INFO points into the caller's buffer ---------------------------


def test_provider_strings_are_read_inside_the_callers_buffer() -> None:
    width = ctypes.sizeof(ctypes.c_void_p)
    buf = ctypes.create_string_buffer(6 * width + 64)
    base = ctypes.addressof(buf)
    container, provider = "c1\0".encode("utf-16-le"), (HICOS_CSP + "\0").encode("utf-16-le")
    ctypes.memmove(base + 6 * width, container, len(container))
    ctypes.memmove(base + 6 * width + len(container), provider, 64 - len(container))
    ctypes.memmove(base, (base + 6 * width).to_bytes(width, "little"), width)
    ctypes.memmove(
        base + width, (base + 6 * width + len(container)).to_bytes(width, "little"), width
    )
    raw = buf.raw
    name = key_provider_name(raw, base)
    assert HICOS_CSP.startswith(name) and name.startswith("HiCOS PKI Smart Card")
    # A pointer outside the buffer is never followed.
    assert buffer_string(raw, base, base + len(raw) + 8) == ""
    assert buffer_string(raw, base, 0) == ""


def test_store_reads_key_provider_before_the_buffer_is_released() -> None:
    card = der(make_card_cert(make_ca()))
    lib = FakeCrypt32Lib([(card, "我的憑證", HICOS_CSP), (card, "", "")])
    certs = Crypt32Store(lib=lib).personal()
    assert [c.provider for c in certs] == [HICOS_CSP, ""]
    assert certs[0].friendly_name == "我的憑證"
    assert certs[0].der_b64 == base64.b64encode(card).decode()


def test_store_is_opened_read_only_and_always_closed() -> None:
    lib = FakeCrypt32Lib([])
    assert Crypt32Store(lib=lib).personal() == []
    assert lib.opened and lib.opened[0] & Crypt32Store.CERT_STORE_READONLY_FLAG
    assert lib.closed == 1

    class Broken(FakeCrypt32Lib):
        def CertGetCertificateContextProperty(self, *args):
            raise OSError("access violation")

    broken = Broken([(b"\x30\x00", "", HICOS_CSP)])
    with pytest.raises(OSError):
        Crypt32Store(lib=broken).personal()
    assert broken.closed == 1


def test_open_failure_names_the_windows_error() -> None:
    lib = FakeCrypt32Lib([], open_fails=1)
    with pytest.raises(OSError) as err:
        Crypt32Store(lib=lib, last_error=lambda: 5).personal()
    assert "CertOpenStore" in str(err.value) and err.value.errno == 5


# -- WinHTTP proxy configurations ------------------------------------------------------------


def proxy_facts(config: IeProxyConfig) -> dict:
    adapter = WindowsAdapter(ie_proxy_config=lambda: config)
    return facts_and_codes(run_probes(adapter, ["net.proxy"], CONFIG)["net.proxy"])


def test_auto_detect_box_comes_from_the_current_connection() -> None:
    # "Automatically detect settings" lives in Connections\DefaultConnectionSettings; the
    # AutoDetect value is absent on most machines. WinHTTP reports the box itself.
    assert "net.I002" in proxy_facts(IeProxyConfig(auto_detect=True))["codes"]


def test_http_only_proxy_is_not_used_for_https() -> None:
    assert ie_proxy(IeProxyConfig(proxy="http=10.1.1.1:80")).server == ""
    assert proxy_facts(IeProxyConfig(proxy="http=10.1.1.1:80"))["proxy"] == "DIRECT"
    both = IeProxyConfig(proxy="http=10.1.1.1:80 https=10.1.1.2:8443")
    assert proxy_facts(both)["proxy"] == "10.1.1.2:8443"
    assert proxy_facts(IeProxyConfig(proxy="10.1.1.3:3128"))["proxy"] == "10.1.1.3:3128"


def test_socks_proxy_is_reported() -> None:
    facts = proxy_facts(IeProxyConfig(proxy="socks=10.1.1.4:1080"))
    assert facts["codes"] == ["net.W005"] and facts["proxy"] == "DIRECT"
    assert proxy_entries("http=a:1;socks=b:2") == {"http": "a:1", "socks": "b:2"}


def test_per_connection_pac_file_is_used(tmp_path: Path) -> None:
    # A VPN connection's own settings: WinHTTP returns that connection's PAC URL.
    pac = tmp_path / "vpn.pac"
    pac.write_bytes(
        "\ufeff// 機關 VPN 自動設定\n"
        'function FindProxyForURL(u, h) { return "PROXY 127.0.0.1:3128"; }\n'.encode()
    )
    facts = proxy_facts(IeProxyConfig(auto_config_url=pac.as_uri()))
    assert facts["source"] == "pac" and facts["proxy"] == "127.0.0.1:3128"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("file:///C:/proxy/x.pac", r"C:\proxy\x.pac"),
        ("file:///C|/x.pac", r"C:\x.pac"),
        ("file:///C:/%E6%A9%9F%E9%97%9C.pac", "C:\\機關.pac"),
        ("file://fileserver/share/x.pac", r"\\fileserver\share\x.pac"),
        (r"C:\x.pac", r"C:\x.pac"),
    ],
)
def test_pac_file_urls_become_windows_paths(url: str, path: str) -> None:
    assert str(pac_path(url, windows=True)) == path


def test_pac_file_is_read_as_utf8_whatever_the_locale(tmp_path: Path, write_config) -> None:
    pac = tmp_path / "p.pac"
    pac.write_bytes(
        "// 代理伺服器設定\n"
        'function FindProxyForURL(u, h) { return "PROXY 127.0.0.1:3128"; }\n'.encode()
    )
    cfg = write_config(extra=f'[proxy]\npac_url = "{pac.as_uri()}"\n')
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    r = run_cli("check", "--only", "net.proxy", "--json", "--config", str(cfg), env=env)
    res = {x["id"]: x for x in r.json()["results"]}["net.proxy"]
    assert res["facts"]["proxy"] == "127.0.0.1:3128", res


# -- registry views, WOW64 redirection, version -----------------------------------------------


class FakeWinreg:
    """winreg for a 32-bit Python on 64-bit Windows: without a view flag HKLM\\SOFTWARE is
    the 32-bit view; KEY_WOW64_64KEY / KEY_WOW64_32KEY pick a view explicitly."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"
    KEY_READ, KEY_WOW64_64KEY, KEY_WOW64_32KEY = 0x20019, 0x0100, 0x0200
    PREFIX = "SOFTWARE\\WOW6432Node\\"

    def __init__(self, views: dict[str, dict[str, dict[str, str]]]) -> None:
        self.views = views  # "64" / "32" / "HKCU" -> subkey -> values

    class Key:
        def __init__(self, entries: dict) -> None:
            self.entries = entries

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def OpenKey(self, key, sub, reserved=0, access=KEY_READ):
        if isinstance(key, FakeWinreg.Key):
            return FakeWinreg.Key(key.entries[sub])
        if key == "HKCU":
            view = "HKCU"
        elif sub.startswith(self.PREFIX) or not access & self.KEY_WOW64_64KEY:
            view = "32"
        else:
            view = "64"
        path = sub.replace("WOW6432Node\\", "")
        if path != "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall":
            raise OSError(2, "not found")
        return FakeWinreg.Key(self.views.get(view, {}))

    def QueryInfoKey(self, key):
        return (len(key.entries), 0, 0)

    def EnumKey(self, key, i):
        return list(key.entries)[i]

    def QueryValueEx(self, key, name):
        if name not in key.entries:
            raise OSError(2, "no value")
        return key.entries[name], 1


def test_uninstall_list_reads_both_registry_views() -> None:
    winreg = FakeWinreg(
        {
            "64": {"{HiCOS}": {"DisplayName": "HiCOS PKI Smart Card", "DisplayVersion": "3.2"}},
            "32": {"{Other}": {"DisplayName": "32-bit tool"}},
        }
    )
    names = [e["DisplayName"] for e in _read_uninstall_registry(winreg)]
    assert names == ["HiCOS PKI Smart Card", "32-bit tool"]


def test_system32_under_wow64_is_reached_through_sysnative(tmp_path: Path) -> None:
    windir = tmp_path / "Windows"
    (windir / "Sysnative").mkdir(parents=True)
    (windir / "Sysnative" / "HiCOSPKCS11.dll").write_bytes(b"MZ")
    wow64 = WindowsAdapter(windir=windir, environ={"PROCESSOR_ARCHITEW6432": "AMD64"})
    assert wow64.middleware_scan("hicos").libraries == (
        str(windir / "Sysnative" / "HiCOSPKCS11.dll"),
    )
    native = WindowsAdapter(windir=windir, environ={})
    assert native.library_candidates("hicos")[0] == windir / "System32" / "HiCOSPKCS11.dll"


@pytest.mark.parametrize(
    ("ver", "name"),
    [
        (("10", "10.0.22631", "SP0", "Multiprocessor Free"), "11"),
        (("10", "10.0.22000", "SP0", "Multiprocessor Free"), "11"),
        (("10", "10.0.19045", "SP0", "Multiprocessor Free"), "10"),
    ],
)
def test_windows_11_is_told_by_its_build(ver: tuple[str, str, str, str], name: str) -> None:
    adapter = WindowsAdapter(win32_ver=lambda: ver, environ={})
    res = run_probes(adapter, ["sys.os"])["sys.os"]
    assert res.fact("os_version") == name
    assert res.fact("os_name").startswith(f"Windows {name}")


# -- text from programs and to pipes ------------------------------------------------------------


STAND_IN = """
import sys
data = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(data)
sys.exit(int(sys.argv[2]))
"""

# Run as the frozen program runs (PyInstaller turns UTF-8 mode on): with text=True,
# Python would read the cp950 bytes as UTF-8 and lose the output.
DECODE_UNDER_UTF8 = """
import json, sys
from pathlib import PureWindowsPath
from diagwizard.core.errors import FixFailed
from diagwizard.system.adapters import commands, fixops, wincommand
wincommand.oem_encoding = lambda: sys.argv[1]
stand_in, recorded, code, step = sys.argv[2:6]
ops = fixops.WindowsFixOps(
    run=lambda argv: wincommand.run([sys.executable, stand_in, recorded, code]),
    is_admin=lambda: True,
    system_dir=PureWindowsPath(r"C:\\Windows\\System32"),
)
try:
    ops.run(ops.time_sync()[int(step)])  # sc start w32time, then w32tm /resync
    print(json.dumps({"ok": True}))
except FixFailed as exc:
    print(json.dumps({"zh-TW": exc.render("zh-TW"), "en": exc.render("en")}))
"""


@pytest.mark.parametrize(
    ("recorded", "oem", "code", "words"),
    [
        ("sc-start-disabled.zh-TW.cp950", "cp950", 1058, "無法啟動服務，可能是因為服務已停用"),
        ("sc-start-disabled.en.cp437", "cp437", 1058, "because it is disabled"),
        ("w32tm-resync-stopped.zh-TW.cp950", "cp950", 1, "發生下列錯誤: 服務尚未啟動。"),
        ("w32tm-resync-stopped.en.cp437", "cp437", 1, "The service has not been started."),
    ],
)
def test_a_failed_system_command_is_shown_in_the_display_language(
    tmp_path: Path, recorded: str, oem: str, code: int, words: str
) -> None:
    """sc and w32tm write the OEM code page (cp950 on a zh-TW display); their output is
    read as bytes and decoded with it, so the reason reaches the person intact."""
    stand_in = tmp_path / "stand_in.py"
    stand_in.write_text(STAND_IN, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "utf8",
            "-c",
            DECODE_UNDER_UTF8,
            oem,
            str(stand_in),
            str(DATA / recorded),
            str(code),
            "0" if recorded.startswith("sc-") else "1",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert words in shown["zh-TW"] and words in shown["en"], shown
    assert "\ufffd" not in shown["en"]
    program = "sc.exe start w32time" if recorded.startswith("sc-") else "w32tm.exe /resync"
    assert rf"C:\Windows\System32\{program}" in shown["en"]


def test_undecodable_output_is_replaced_not_lost() -> None:
    assert commands.decode("服務".encode("cp950") + b"\xff", "cp950") == "服務\ufffd"
    assert commands.decode(b"ok", "cp99999") == "ok"  # a code page Python lacks


def test_piped_output_survives_a_legacy_code_page() -> None:
    # Python on zh-TW Windows writes pipes in cp950, which has no ✔ nor rare name characters.
    r = run_cli("check", "--only", "sys.os", "--lang", "zh-TW", env={"PYTHONIOENCODING": "cp950"})
    assert r.code in (0, 1), r.err
    assert "作業系統" in r.out and "✔" in r.out


# -- one command elevated, never the program ------------------------------------------------


class FakeShell:
    """ole32, shell32 and kernel32 for ShellExecuteExW("runas"): the person's answer in the
    permission prompt, the elevated program's exit code, or a program that hangs."""

    def __init__(self, answer: str = "yes", exit_code: int = 0, hang: bool = False) -> None:
        self.answer, self.exit_code, self.hang = answer, exit_code, hang
        self.asked: list[dict[str, object]] = []
        self.closed: list[int] = []
        self.error = 0
        self.com = 0  # COM initialisations not yet undone

    def CoInitializeEx(self, reserved, flags):
        assert flags & 0x2  # a single-threaded apartment, as ShellExecuteEx asks
        self.com += 1
        return 0

    def CoUninitialize(self):
        self.com -= 1

    def GetConsoleWindow(self):
        return 0x1234

    def ShellExecuteExW(self, pinfo):
        info = pinfo._obj
        self.asked.append(
            {
                name: getattr(info, name)
                for name in ("cbSize", "fMask", "hwnd", "lpVerb", "lpFile", "lpParameters", "nShow")
            }
        )
        if self.answer == "no":
            self.error = wincommand.ERROR_CANCELLED
            return 0
        info.hProcess = 0x99
        return 1

    def WaitForSingleObject(self, handle, millis):
        return wincommand.WAIT_TIMEOUT if self.hang else 0

    def GetExitCodeProcess(self, handle, pstatus):
        pstatus._obj.value = self.exit_code & 0xFFFFFFFF
        return 1

    def CloseHandle(self, handle):
        self.closed.append(handle)
        return 1


def elevate_with(shell: FakeShell):
    return partial(
        wincommand.run_elevated,
        shell32=shell,
        kernel32=shell,
        ole32=shell,
        last_error=lambda: shell.error,
    )


SC = r"C:\Windows\System32\sc.exe"


def test_one_command_is_elevated_with_its_full_path_and_waited_for() -> None:
    shell = FakeShell()
    res = elevate_with(shell)([SC, "config", "SCardSvr", "start=", "auto"])
    assert res.code == 0
    (asked,) = shell.asked
    assert asked["lpVerb"] == "runas" and asked["lpFile"] == SC
    assert asked["lpParameters"] == "config SCardSvr start= auto"
    assert asked["nShow"] == 0 and asked["hwnd"] == 0x1234  # hidden; prompt before our window
    assert asked["fMask"] & 0x40 and asked["fMask"] & 0x100  # process handle, synchronous
    assert asked["cbSize"] == ctypes.sizeof(wincommand.ShellExecuteInfo)
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(wincommand.ShellExecuteInfo) == 112  # SHELLEXECUTEINFOW, x64
    assert shell.closed == [0x99] and shell.com == 0  # COM set up for the call, then undone


def test_elevated_failures_are_results() -> None:
    ops = WindowsFixOps(
        run=lambda argv: pytest.fail("ran without the prompt"),
        elevate=elevate_with(FakeShell(exit_code=1058)),
        is_admin=lambda: False,
    )
    with pytest.raises(FixFailed) as failed:
        ops.run_all(ops.service_start())
    assert "(1058)" in failed.value.render("en") and SC in failed.value.render("en")
    ops = WindowsFixOps(elevate=elevate_with(FakeShell(answer="no")), is_admin=lambda: False)
    with pytest.raises(FixFailed) as declined:
        ops.run_all(ops.service_start())
    assert "權限確認視窗選擇了「否」" in declined.value.render("zh-TW")
    assert f"{SC} config SCardSvr start= auto" in declined.value.render("en")
    hung = FakeShell(hang=True)
    res = elevate_with(hung)([SC, "start", "SCardSvr"], 1.0)
    assert res.code == 124 and hung.closed == [0x99]
    # A service that already runs: "sc start" answers 1056, and that is the goal reached.
    ops = WindowsFixOps(elevate=elevate_with(FakeShell(exit_code=1056)), is_admin=lambda: False)
    assert ops.run(ops.service_start()[1]).code == 1056


def test_service_start_type_comes_from_the_service_api() -> None:
    for psutil_word, sc_word in [
        ("automatic", "auto"),
        ("manual", "demand"),
        ("disabled", "disabled"),
    ]:
        assert (
            WindowsFixOps(start_type=lambda name, w=psutil_word: w).service_start_type() == sc_word
        )

    def refused(name: str) -> str:
        raise PermissionError(5, "access denied")

    assert WindowsFixOps(start_type=refused).service_start_type() == ""
    assert WindowsFixOps(start_type=lambda name: None).service_start_type() == ""


def test_a_service_api_that_refuses_leaves_the_service_state_unknown() -> None:
    """An account without the right to query services gets "cannot tell" (the probe then
    asks PC/SC itself), never an error result or "stopped"."""
    import psutil

    def denied(name: str) -> str:
        raise psutil.AccessDenied(msg="OpenService")

    state = WindowsAdapter(service_status=denied, uninstall=lambda: []).pcsc_service()
    assert (state.installed, state.running) == (None, None)
    assert "unknown" in state.detail
