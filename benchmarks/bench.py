"""End-to-end timings with targets. Run: `.venv/bin/python benchmarks/bench.py [--runs N]`.

Targets (from the issues), checked on medians:
  * `diagwizard --version`          < 0.3 s wall
  * `diagwizard check --json`       < 1.5 s wall, < 100 MB peak RSS (healthy machine)
Peak RSS is the diagwizard process's own (os.wait4); isolated child probes are separate
processes and are reported by the runner, not counted here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

TARGETS = {
    "version": (0.3, None),
    "check": (1.5, 100.0),
}


@dataclass
class Sample:
    wall: float
    rss_mb: float
    code: int


def run_once(args: list[str], env: dict[str, str]) -> Sample:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "diagwizard", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return Sample(wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


def measure(name: str, args: list[str], runs: int, env: dict[str, str]) -> bool:
    samples = [run_once(args, env) for _ in range(runs)]
    wall = statistics.median(s.wall for s in samples)
    rss = statistics.median(s.rss_mb for s in samples)
    max_wall, max_rss = TARGETS.get(name, (None, None))
    ok = (max_wall is None or wall < max_wall) and (max_rss is None or rss < max_rss)
    target = ", ".join(
        t
        for t in (f"< {max_wall} s" if max_wall else "", f"< {max_rss:.0f} MB" if max_rss else "")
        if t
    )
    print(
        f"{name:<10} median wall {wall:6.3f} s   peak RSS {rss:6.1f} MB   target {target or '-':<18} {'PASS' if ok else 'MISS'}"
    )
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--config", help="config for the check runs (e.g. a healthy test-stack config)")
    opts = ap.parse_args()
    env = dict(os.environ)
    if opts.config:
        env["DIAGWIZARD_CONFIG"] = opts.config
    results = [
        measure("version", ["--version"], opts.runs, env),
        measure("check", ["check", "--json"], opts.runs, env),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
