"""Timings of a synthetic catalogue CSV in the Netflix shape (a script, not a test).

    .venv/bin/python benchmarks/bench_catalogue.py [ROWS]    # default 50,000 rows

Prints the time and rows per second of each stage: reading the CSV into claims, building
the validated tables, and running every rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from audit.engine import run_rules
from audit.ingest import collect, read_source
from audit.ruleset import load_rules
from audit.tables import build_tables

WORDS = ("night harbour river glass winter signal cold garden silent road storm paper "
         "house city blue last long fire north light").split()


def write_catalogue(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([" show_id", "type", "title", "director", "cast", "country", "date_added",
                      "release_year", "rating", "duration", "listed_in", "description"])
        for i in range(rows):
            movie = rng.random() < 0.7
            # Unique titles and about 1% defects, as in a real catalogue.
            title = " ".join(rng.sample(WORDS, 2)).title() + f" {i + 1}"
            out.writerow([
                f"s{i + 1}", "Movie" if movie else "TV Show", title, "Jo Park", "Ann Lee, Tom Ode",
                "Japan," if rng.random() < 0.01 else rng.choice(["United States", "India", "Norway, Iceland"]),
                (" " if rng.random() < 0.01 else "") + f"March {rng.randint(1, 28)}, 2019",
                rng.randint(1950, 2021), "" if rng.random() < 0.01 else rng.choice(["TV-MA", "TV-14", "PG-13", "R"]),
                f"{rng.randint(70, 160)} min" if movie else f"{rng.randint(1, 6)} Seasons",
                "Dramas, International Movies",
                f"In this {rng.choice(['six-part', 'gripping', 'quiet'])} story, a {rng.choice(WORDS)} "
                f"keeper finds a {rng.choice(WORDS)} secret over {rng.randint(2, 9)} days."])


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rules = load_rules(None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.csv"
        write_catalogue(path, rows)
        (source,), _ = collect([str(path)])
        data = path.read_bytes()
        timings = []
        start = time.perf_counter()
        result = read_source(source, data)
        timings.append(("read CSV -> claims", time.perf_counter() - start))
        start = time.perf_counter()
        tables = build_tables([result])
        timings.append(("build tables", time.perf_counter() - start))
        start = time.perf_counter()
        findings = run_rules(rules, tables, as_of=dt.date(2026, 11, 24))
        timings.append(("run rules", time.perf_counter() - start))
    print(f"{rows:,} rows, {len(tables.claims):,} claims, {len(findings):,} findings "
          f"({len(data) / 1e6:.1f} MB)")
    for name, seconds in timings:
        print(f"  {name:<20} {seconds:7.2f} s  {rows / seconds:>10,.0f} rows/s")
    total = sum(s for _, s in timings)
    print(f"  {'total':<20} {total:7.2f} s  {rows / total:>10,.0f} rows/s")


if __name__ == "__main__":
    main()
