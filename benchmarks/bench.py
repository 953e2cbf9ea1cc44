"""End-to-end timings against their targets.

Run under the pcscd lock, as root, on a machine where `scripts/test` installed the test
stack: `flock /tmp/dw-pcscd.lock .venv/bin/python benchmarks/bench.py [--runs N]`.
Issue 15's targets, each measured in this one run (medians):

  * card facts, paired on one emulated card (pcscd + vpcd + OpenSC + our PIV applet):
    `diagwizard check --only pcsc --only pkcs11 --json` against the native sequence a
    helpdesk expert types (`opensc-tool -l -a`, `pkcs11-tool -L`, `-O`,
    `-r --type cert`, `openssl x509`), runs alternating    ratio <= 1.5x
  * `diagwizard check --json`, healthy stack                  <= 0.4 s wall
  * peak RSS of that healthy check                            <= 60 MB
  * `diagwizard check --json`, black-holed: silent DNS; and DNS that answers with servers
    that accept and stay silent                             <= network timeout + 0.5 s
  * `diagwizard --version`                                    <= 0.1 s wall
  * the wizard's first screen, 80x24 pseudo-terminal          <= 0.5 s wall
  * the one-file program dist/diagwizard, when `scripts/build` made it: size < 40 MB,
    `--version` and a healthy check (it unpacks itself on every start)

Peak RSS is the diagwizard process's own (os.wait4); isolated child probes are separate
processes. Nothing here is a test (no timed tests in pytest): each line says its target
and PASS or MISS.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BLACKHOLE_NETWORK_TIMEOUT = 2.0
PROGRAM = ROOT / "dist" / ("diagwizard.exe" if os.name == "nt" else "diagwizard")


@dataclass
class Sample:
    wall: float
    rss_mb: float
    code: int


def run_once(args: list[str], env: dict[str, str], program: Path | None = None) -> Sample:
    """One run of the source tree's diagwizard, or of the one-file ``program``."""
    command = [str(program)] if program else [sys.executable, "-m", "diagwizard"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return Sample(
        time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
    )


def report(name: str, samples: list[Sample], max_wall: float | None, max_rss: float | None) -> bool:
    wall = statistics.median(s.wall for s in samples)
    rss = statistics.median(s.rss_mb for s in samples)
    ok = (max_wall is None or wall <= max_wall) and (max_rss is None or rss <= max_rss)
    target = ", ".join(
        t
        for t in (
            f"<= {max_wall:g} s" if max_wall else "",
            f"<= {max_rss:g} MB" if max_rss else "",
        )
        if t
    )
    print(
        f"{name:<22} median wall {wall:6.3f} s   peak RSS {rss:6.1f} MB   target {target or '-':<18} {'PASS' if ok else 'MISS'}"
    )
    return ok


@contextlib.contextmanager
def healthy_stack(folder: Path) -> Iterator[dict[str, str]]:
    from stack.certs import der, make_ca, make_card_cert
    from stack.dnsserver import DnsServer
    from stack.hipki_double import HipkiDouble
    from stack.softhsm import make_token
    from stack.tlsserver import HttpsServer, Pki

    pki = Pki(folder / "pki")
    ca = make_ca()
    token = make_token(folder / "hsm", "bench", [(der(make_card_cert(ca)), b"SIGN")])
    with contextlib.ExitStack() as stack:
        web = stack.enter_context(HttpsServer(pki.server_cert("good")))
        dns = stack.enter_context(DnsServer({"localhost": ["127.0.0.1"]}))
        hipki = stack.enter_context(HipkiDouble())
        if shutil.which("pcscd") and os.geteuid() == 0:
            stack.enter_context(_card_in_reader(folder))
        cfg = folder / "healthy.toml"
        cfg.write_text(
            f'[targets]\nlogin_url = "https://localhost:{web.port}/"\nhosts = []\n'
            f'[dns]\nsystem_resolver = false\n[[dns.servers]]\nhost = "127.0.0.1"\nport = {dns.port}\n'
            f'[hipki]\nbase_url = "{hipki.url}"\n[pkcs11]\nmodules = ["/usr/lib/softhsm/libsofthsm2.so"]\n'
            f'[tls]\nca_file = "{pki.ca_file}"\n'
        )
        yield {"DIAGWIZARD_CONFIG": str(cfg), **token.env}


@contextlib.contextmanager
def _card_in_reader(folder: Path) -> Iterator[None]:
    from stack.cardemu import MOICA_ATR, CardEmulator
    from stack.pcscd import Pcscd, wait_for_card

    pcscd = Pcscd(folder / "empty")
    pcscd.start(vpcd=True)
    card = CardEmulator(MOICA_ATR)
    card.insert()
    wait_for_card(True)
    try:
        yield
    finally:
        card.remove()
        pcscd.stop()


@contextlib.contextmanager
def black_holed(folder: Path) -> Iterator[dict[str, str]]:
    from stack.dnsserver import BlackHole

    with BlackHole() as hole:
        cfg = folder / "blackhole.toml"
        hosts = ", ".join(
            f'"{h}"' for h in [f"127.0.0.1:{hole.tcp_port}", "a.test", "b.test", "c.test", "d.test"]
        )
        cfg.write_text(
            f'[targets]\nlogin_url = "https://127.0.0.1:{hole.tcp_port}/"\nhosts = [{hosts}]\n'
            f'[dns]\nsystem_resolver = false\n[[dns.servers]]\nhost = "127.0.0.1"\nport = {hole.port}\n'
            f'[hipki]\nbase_url = "http://127.0.0.1:{hole.silent_port}"\n'
            f"[timeouts]\nnetwork = {BLACKHOLE_NETWORK_TIMEOUT}\n"
        )
        yield {"DIAGWIZARD_CONFIG": str(cfg)}


@contextlib.contextmanager
def answering_but_silent(folder: Path) -> Iterator[dict[str, str]]:
    """DNS answers; every server it names accepts the connection and never speaks."""
    from stack.dnsserver import BlackHole, DnsServer

    names = ["localhost", "a.test", "b.test"]
    with BlackHole() as hole, DnsServer({n: ["127.0.0.1"] for n in names}) as dns:
        cfg = folder / "silent.toml"
        port = hole.silent_port
        hosts = ", ".join(f'"{n}:{port}"' for n in names[1:])
        cfg.write_text(
            f'[targets]\nlogin_url = "https://localhost:{port}/"\nhosts = [{hosts}]\n'
            f'[dns]\nsystem_resolver = false\n[[dns.servers]]\nhost = "127.0.0.1"\nport = {dns.port}\n'
            f'[hipki]\nbase_url = "http://127.0.0.1:{port}"\n'
            f"[timeouts]\nnetwork = {BLACKHOLE_NETWORK_TIMEOUT}\n"
        )
        yield {"DIAGWIZARD_CONFIG": str(cfg)}


def first_screen_seconds() -> float | None:
    """From starting the wizard in a terminal to its whole first screen on display
    (see first_screen.py; it used to wait until the process was idle, which counted the
    background warm-up after the screen was up)."""
    import first_screen

    return first_screen.seconds()


def card_facts(folder: Path, runs: int, base: dict[str, str]) -> bool | None:
    """diagwizard's card facts against the native sequence, alternating on one card."""
    import card_bench

    if not card_bench.available():
        print("card facts             not measured (needs root, pcscd, vpcd and OpenSC)")
        return None
    with card_bench.piv_stack(folder) as (env, cert_id):
        env = {**base, **env}
        ours: list[float] = []
        native: list[float] = []
        for _ in range(runs):
            native.append(card_bench.native_sequence(cert_id))
            ours.append(
                run_once(["check", "--only", "pcsc", "--only", "pkcs11", "--json"], env).wall
            )
    ratio = statistics.median(ours) / statistics.median(native)
    ok = ratio <= 1.5
    print(
        f"{'card facts vs native':<22} median wall {statistics.median(ours):6.3f} s"
        f" vs {statistics.median(native):.3f} s = {ratio:4.2f}x   target <= 1.5x"
        f"{'':9}{'PASS' if ok else 'MISS'}"
    )
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    opts = ap.parse_args()
    base = dict(os.environ)
    results = [
        report("version", [run_once(["--version"], base) for _ in range(opts.runs)], 0.1, None)
    ]
    if PROGRAM.exists():
        size_mb = PROGRAM.stat().st_size / 2**20
        ok = size_mb < 40
        results.append(ok)
        print(
            f"{'program size':<22} {size_mb:6.1f} MB{'':35}target < 40 MB{'':11}{'PASS' if ok else 'MISS'}"
        )
        samples = [run_once(["--version"], base, PROGRAM) for _ in range(opts.runs)]
        results.append(report("program --version", samples, 1.0, None))
    else:
        print("one-file program       not measured (run scripts/build first)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paired = card_facts(folder, opts.runs, base)
        if paired is not None:
            results.append(paired)
        with healthy_stack(folder) as extra:
            env = {**base, **extra}
            samples = [run_once(["check", "--json"], env) for _ in range(opts.runs)]
            results.append(report("check (healthy)", samples, 0.4, None))
            results.append(report("peak RSS (healthy)", samples, None, 60.0))
            if PROGRAM.exists():
                samples = [run_once(["check", "--json"], env, PROGRAM) for _ in range(opts.runs)]
                # The RSS is the unpacking bootloader's, not Python's: no memory target.
                results.append(report("program check", samples, 2.5, None))
        for name, stack in (("silent DNS", black_holed), ("silent servers", answering_but_silent)):
            with stack(folder) as extra:
                runs = max(3, opts.runs // 2)
                samples = [run_once(["check", "--json"], {**base, **extra}) for _ in range(runs)]
                limit = BLACKHOLE_NETWORK_TIMEOUT + 0.5
                results.append(report(f"check ({name})", samples, limit, None))
    screens = [s for s in (first_screen_seconds() for _ in range(3)) if s is not None]
    if screens:
        results.append(report("wizard first screen", [Sample(s, 0, 0) for s in screens], 0.5, None))
    else:
        print("wizard first screen    not measured (needs a POSIX pseudo-terminal)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
