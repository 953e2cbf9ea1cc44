"""``cases stats`` over a million cases in PostgreSQL: target <= 1 s (issue 32).

Starts a PostgreSQL server of its own (as the tests do: initdb into a temporary folder,
127.0.0.1 only; needs the Debian package postgresql, which `scripts/test` installs), or
uses ``--url``. Makes the case log's schema through diagwizard itself (the Alembic
migrations), fills it in the server with generate_series: N cases over the last 7 days,
one to three problems each out of 40 codes, plus a wave of one code in the last hour,
and the hourly counts as migration 0002 computes them (every write keeps them in step);
then VACUUM ANALYZE (what autovacuum does to a table that size), and measures:

  * the stats query alone (`stats.compute`, the week per day, in this process), median
    of --runs, after checking its total against a count of the cases themselves  <= 1 s
  * `diagwizard cases stats --json` end to end (a new process: start-up included)
  * `cases list` (the newest 50) and `cases list --problem CODE`, end to end

    .venv/bin/python benchmarks/cases_bench.py [--cases 1000000] [--runs 5] [--url URL]

Nothing here is a test: each line says its target, if any, and PASS or MISS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import psycopg  # noqa: E402

from diagwizard.cases import location, stats, window  # noqa: E402
from diagwizard.cases.store import CaseStore  # noqa: E402

TARGET_SECONDS = 1.0
CODES = 40
WAVE_CODE = "middleware.E027"

FILL = (
    """INSERT INTO cases (uid, case_code, created_at, updated_at, platform, outcome, fix,
                          note, agent)
    SELECT md5(g::text)::uuid::text, 'DW1-BENCH', t, t,
           (ARRAY['windows', 'macos', 'linux'])[1 + g %% 3],
           (ARRAY['open', 'fixed', 'escalated'])[1 + g %% 3], '', '', 'agent' || (g %% 25)
    FROM generate_series(1, %(n)s) AS g,
         LATERAL (SELECT now() - random() * interval '7 days' + g * interval '0') AS s(t)""",
    """INSERT INTO case_problems (case_id, position, code, entry, created_at)
    SELECT c.id, p, 'bench.E' || lpad(((c.id * 7 + p * 13) %% %(codes)s)::text, 3, '0'),
           NULL, c.created_at
    FROM cases AS c, generate_series(0, c.id %% 3) AS p""",
    """INSERT INTO cases (uid, case_code, created_at, updated_at, platform, outcome, fix,
                          note, agent)
    SELECT 'wave-' || g, 'DW1-WAVE', now() - g * interval '10 seconds',
           now() - g * interval '10 seconds', 'windows', 'open', '', '', 'agent0'
    FROM generate_series(1, 300) AS g""",
    """INSERT INTO case_problems (case_id, position, code, entry, created_at)
    SELECT id, 0, %(wave)s, NULL, created_at FROM cases WHERE case_code = 'DW1-WAVE'""",
    # The hourly counts every write keeps in step, computed as migration 0002 does.
    """INSERT INTO problem_hours (hour, code, cases)
    SELECT date_trunc('hour', created_at), code, count(*) FROM case_problems GROUP BY 1, 2""",
    """INSERT INTO outcome_hours (hour, outcome, cases)
    SELECT date_trunc('hour', created_at), outcome, count(*) FROM cases GROUP BY 1, 2""",
)
CHECK = "SELECT count(*) FROM cases WHERE created_at >= %(since)s"


def median_seconds(action: object, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def cli_seconds(args: list[str], url: str, runs: int) -> float:
    env = {**os.environ, "DIAGWIZARD_CASES_URL": url, "LANG": "C.UTF-8"}

    def once() -> None:
        subprocess.run(
            [sys.executable, "-m", "diagwizard", *args], env=env, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    return median_seconds(once, runs)


def bench(url: str, cases: int, runs: int) -> None:
    where = location.parse(url, location.local().setting)
    with CaseStore.open(where) as store:  # the schema, made by the migrations
        print(f"schema {store.schema}; filling {cases:,} cases ...", flush=True)
        started = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in FILL:
                params = {"n": cases, "codes": CODES, "wave": WAVE_CODE}
                conn.execute(statement, params)  # type: ignore[call-overload]
            conn.execute("VACUUM ANALYZE")
            problems = conn.execute("SELECT count(*) FROM case_problems").fetchone()
        print(f"filled in {time.perf_counter() - started:.0f} s: {store.count():,} cases, "
              f"{problems[0] if problems else 0:,} problem rows")
        week = window.parse("7d")
        rule = stats.WaveRule()
        result = stats.compute(store, week, rule)  # once to warm the cache, as a server is
        waves = [t.code for t in result.waves]
        with psycopg.connect(url) as conn:  # the counts agree with the cases themselves
            row = conn.execute(CHECK, {"since": result.since}).fetchone()  # type: ignore[call-overload]
        assert row is not None and row[0] == result.total, (row, result.total)
        query = median_seconds(lambda: stats.compute(store, week, rule), runs)
    verdict = "PASS" if query <= TARGET_SECONDS else "MISS"
    print(f"stats query, 7 days per day, {result.total:,} cases: {query:.3f} s "
          f"(target <= {TARGET_SECONDS:.1f} s) {verdict}; waves: {waves}")
    print(f"cases stats --json, end to end: {cli_seconds(['cases', 'stats', '--json'], url, runs):.3f} s")
    print(f"cases list (newest 50), end to end: {cli_seconds(['cases', 'list'], url, runs):.3f} s")
    one = ["cases", "list", "--problem", "bench.E007"]
    print(f"cases list --problem, end to end: {cli_seconds(one, url, runs):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="an empty database to fill (default: a server of its own)")
    args = parser.parse_args()
    if args.url:
        bench(args.url, args.cases, args.runs)
        return
    from stack.postgres import PostgresServer  # the tests' server: initdb, 127.0.0.1 only

    folder = Path(tempfile.mkdtemp(prefix="dw-cases-bench-"))
    server = PostgresServer(folder)
    server.start()
    try:
        bench(server.create_database("bench"), args.cases, args.runs)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
