"""Benchmark: ingest, table building and rule evaluation over many synthetic listing pages.

    python benchmarks/bench_pages.py [PAGES] [EPISODES_PER_PAGE]

Prints seconds per stage and throughput, wall-clock and CPU (user + system, the pool's
worker processes included end to end). A script, not a test: timings on shared machines
are noisy, so compare runs on one machine rather than asserting a number; on a loaded
machine the CPU seconds are the steadier measure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.engine import run_rules  # noqa: E402
from audit.pipeline import audit  # noqa: E402
from audit.ingest import Source, read_source  # noqa: E402
from audit.ruleset import load_rules  # noqa: E402
from audit.tables import build_tables  # noqa: E402

WORDS = ("harbour detective lighthouse storm family secret village inquiry fisherman letter "
         "island winter festival brother sister council fire market boat rescue night").split()


def page(index: int, episodes: int, rng: random.Random) -> str:
    title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {index}"
    year = 1990 + index % 35
    lines = [title, "", f"  \u2022 {year}", "  \u2022 1 Season", f"  \u2022 7.{index % 10}  ({index * 7 + 10})", ""]
    lines.append(f"{title} is a drama about a {rng.choice(WORDS)} and a {rng.choice(WORDS)}, "
                 f"told across a {episodes}-episode series. " + " ".join(rng.choices(WORDS, k=60)) + ".")
    lines += ["", f"{title} is a series that has ended and has 1 season ({episodes} episodes).", "", "Seasons"]
    start = dt.date(year, 3, 1)
    for number in range(episodes, 0, -1):
        lines += [f"Episode {number}", f"{number}. The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {number}",
                  (start + dt.timedelta(weeks=number)).strftime("%B %d, %Y").replace(" 0", " "),
                  " ".join(rng.choices(WORDS, k=25)).capitalize() + "."]
    return "\n".join(lines) + "\n"


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rng = random.Random(7)
    data = [page(i, episodes, rng).encode() for i in range(pages)]
    rules = load_rules()

    t0, c0 = time.perf_counter(), time.process_time()
    ingested = [read_source(Source(f"page-{i}.txt", None), d) for i, d in enumerate(data)]
    t1, c1 = time.perf_counter(), time.process_time()
    tables = build_tables(ingested)
    t2, c2 = time.perf_counter(), time.process_time()
    findings = run_rules(rules, tables, as_of=dt.date(2026, 11, 24))
    t3, c3 = time.perf_counter(), time.process_time()

    print(f"{pages} pages, {len(tables.episodes)} episodes, {len(tables.claims)} claims, "
          f"{len(rules)} rules, {len(findings)} findings")
    print(f"ingest  {t1 - t0:7.2f} s  ({pages / (t1 - t0):8.0f} pages/s)  cpu {c1 - c0:6.2f} s "
          f"({(c1 - c0) / pages * 1000:.2f} ms/page)")
    print(f"tables  {t2 - t1:7.2f} s                      cpu {c2 - c1:6.2f} s "
          f"({(c2 - c1) / pages * 1000:.2f} ms/page)")
    print(f"rules   {t3 - t2:7.2f} s  ({len(tables.claims) / (t3 - t2):8.0f} claims/s) cpu {c3 - c2:6.2f} s "
          f"({(c3 - c2) / pages * 1000:.2f} ms/page)")
    print(f"total   {t3 - t0:7.2f} s                      cpu {c3 - c0:6.2f} s "
          f"({(c3 - c0) / pages * 1000:.2f} ms/page)")

    # End to end, as the CLI runs it: files on disk, read by 1 process and by the pool.
    with tempfile.TemporaryDirectory() as tmp:
        for i, d in enumerate(data):
            (Path(tmp) / f"page-{i:05d}.txt").write_bytes(d)
        digests = set()
        for workers in (1, os.cpu_count() or 1):
            start, before = time.perf_counter(), _cpu()
            run = audit([tmp], rules, as_of=dt.date(2026, 11, 24), workers=workers)
            seconds, cpu = time.perf_counter() - start, _cpu() - before
            digests.add(hash(tuple(json.dumps(f.to_dict(), sort_keys=True) for f in run.findings)))
            print(f"end to end, {workers} worker(s): {seconds:7.2f} s  ({pages / seconds:8.0f} pages/s)"
                  f"  cpu {cpu:6.2f} s ({cpu / pages * 1000:.2f} ms/page)")
        print("findings identical whatever the worker count:", len(digests) == 1)


if __name__ == "__main__":
    main()
