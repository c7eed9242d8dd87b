"""Benchmark: rules on a catalogue full of defects, where building findings dominates.

    python benchmarks/bench_findings.py [PAGES]

Every page is a copy of the seed (each with its own title) plus a numbering gap, a repeated
number and dates out of order, so every rule below reports once or more per page. Prints
seconds and findings per rule. A script, not a test.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.engine import run_rules  # noqa: E402
from audit.ingest import Source, read_source  # noqa: E402
from audit.ruleset import load_rules, select_rules  # noqa: E402
from audit.tables import build_tables  # noqa: E402

RULES = ("LA101", "LA103", "LA201", "LA301", "LA303", "LA304", "LA501", "LA503")


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    seed = (ROOT / "fixtures" / "race-to-mars.txt").read_text(encoding="utf-8")
    # Episode 3 renumbered 1 (a repeat), episode 2 renumbered 9 (a gap, and out of date order).
    broken = (seed.replace("3. Episode 3\nSeptember 23, 2007", "1. Episode 3\nSeptember 30, 2007")
                  .replace("2. Episode 2\nSeptember 23, 2007", "9. Episode 2\nSeptember 9, 2007"))
    data = [broken.replace("Race to Mars", f"Race to Mars {i}").encode() for i in range(pages)]
    tables = build_tables([read_source(Source(f"page-{i}.txt", None), d) for i, d in enumerate(data)])
    total = 0.0
    for rule_id in RULES:
        rules = select_rules(load_rules(), [rule_id], None)
        start = time.perf_counter()
        findings = run_rules(rules, tables, as_of=dt.date(2026, 11, 24))
        spent = time.perf_counter() - start
        total += spent
        print(f"{rule_id}  {spent:6.2f} s  {len(findings):6d} findings")
    print(f"total  {total:6.2f} s  ({pages} pages)")


if __name__ == "__main__":
    main()
