"""One equal three-rule task on one 500,000-row titles file: listing-audit against pandera and
pointblank, timed as whole processes (start, load, validate, report) and printed as ratios.

    .venv/bin/python benchmarks/peers.py [--rows 500000] [--peers-python PATH]

The task: a title must not be empty, a rating must lie within 0-10, and no two rows may share
title and year. listing-audit runs the rules that check exactly these (LA601 missing-field,
LA401 value-out-of-range, LA203 duplicate-listing) with `--select`; each peer validates the
same file with the same three checks, loading it as its documentation shows (pandas with the
pyarrow engine for pandera, polars for pointblank). The peers are not dependencies of
listing-audit: install them into another environment and name its Python with
--peers-python (default: this one); a peer that is absent is reported as such.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_catalogue  # noqa: E402

PANDERA = textwrap.dedent("""
    import sys
    import pandas as pd
    import pandera.pandas as pa
    frame = pd.read_csv(sys.argv[1], engine="pyarrow")
    schema = pa.DataFrameSchema({
        "title": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
        "rating": pa.Column(float, pa.Check.in_range(0, 10), nullable=True),
    }, unique=["title", "year"])
    try:
        schema.validate(frame, lazy=True)
        print(0)
    except pa.errors.SchemaErrors as errors:
        print(len(errors.failure_cases))
""")

POINTBLANK = textwrap.dedent("""
    import sys
    import polars as pl
    import pointblank as pb
    frame = pl.read_csv(sys.argv[1], infer_schema_length=10000)
    validation = (pb.Validate(data=frame)
                  .col_vals_not_null(columns="title")
                  .col_vals_between(columns="rating", left=0, right=10, na_pass=True)
                  .rows_distinct(columns_subset=["title", "year"])
                  .interrogate())
    print(sum(step.n_failed or 0 for step in validation.validation_info))
""")


def _timed(command: list[str], timeout: float) -> tuple[float | None, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"did not finish in {timeout:.0f} s"
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        lines = (done.stderr.strip() or done.stdout.strip() or "?").splitlines()
        return None, f"failed: {lines[-1][:160]}"
    return seconds, (done.stdout.strip().splitlines() or [""])[-1][:80]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--peers-python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "titles.csv"
        titles, _ = gen_catalogue.generate(args.rows, episodes_too=False)
        gen_catalogue._write_csv(path, gen_catalogue.TITLE_COLUMNS, titles)
        runs = {
            "listing-audit": [str(Path(sys.executable).parent / "listing-audit"), "check", str(path),
                              "--select", "LA601,LA401,LA203", "--no-config", "--exit-zero",
                              "--as-of", "2026-11-24", "--report", str(Path(tmp) / "report.json")],
            "pandera": [args.peers_python, "-c", PANDERA, str(path)],
            "pointblank": [args.peers_python, "-c", POINTBLANK, str(path)],
        }
        times: dict[str, float] = {}
        print(f"{args.rows:,} rows, three rules (title not empty, rating 0-10, duplicate title+year), "
              "whole process:")
        for name, command in runs.items():
            seconds, note = _timed(command, args.timeout)
            if seconds is None:
                print(f"  {name:14} {note}")
                continue
            times[name] = seconds
            print(f"  {name:14} {seconds:7.2f} s")
        ours = times.get("listing-audit")
        for name in ("pandera", "pointblank"):
            if ours and name in times:
                print(f"  listing-audit / {name}: {ours / times[name]:.2f}x the time "
                      f"({'faster' if ours < times[name] else 'slower'})")
            elif name not in times:
                print(f"  {name}: not measured (install it into --peers-python)")


if __name__ == "__main__":
    main()
