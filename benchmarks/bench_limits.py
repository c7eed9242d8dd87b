"""The hostile files of docs/limits.md, each audited in a fresh process: seconds and peak memory.

    .venv/bin/python benchmarks/bench_limits.py [--keep DIR]

Each line: the case, the exit code, wall seconds and peak resident memory of
`listing-audit check --format json CASE`, next to an ordinary file for scale.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "fixtures" / "formats" / "harbour-lights.json"
WORDS = "the keeper walks along the rocky shore at night looking for lost ships and strangers "


def build(directory: Path) -> list[Path]:
    record = json.loads(GOOD.read_text(encoding="utf-8"))
    ten_mb = WORDS * (10_000_000 // len(WORDS))
    one_mb = WORDS * (1_000_000 // len(WORDS))
    cases = {}
    cases["ordinary.json"] = GOOD.read_text(encoding="utf-8")
    cases["description-10MB.json"] = json.dumps({**record, "description": ten_mb})
    synopsis = json.loads(json.dumps(record))
    synopsis["episodes"][0]["synopsis"] = ten_mb
    cases["synopsis-10MB.json"] = json.dumps(synopsis)
    three = json.loads(json.dumps(record))
    for i in range(3):
        three["episodes"][i]["synopsis"] = one_mb.replace("keeper", f"keeper{i}")
    cases["three-synopses-1MB.json"] = json.dumps(three)
    page = (ROOT / "fixtures" / "formats" / "page-with-jsonld.html").read_text(encoding="utf-8")
    cases["text-node-10MB.html"] = page.replace("<p>Salt Road is", "<p>" + ten_mb + " Salt Road is")
    cases["commas-1M-rows.csv"] = "title,type\n" + ",\n" * 1_000_000
    catalogue = (ROOT / "fixtures" / "formats" / "catalogue.csv").read_text(encoding="utf-8")
    cases["unterminated-quote-10MB.csv"] = (catalogue + 's9,Movie,"Unterminated,'
                                            + "x" * 10_000_000 + "\n")
    paths = []
    for name, text in cases.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def measure(path: Path) -> tuple[int, float, float]:
    command = [sys.executable, "-m", "audit", "check", str(path), "--format", "json",
               "--as-of", "2026-11-24"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=900)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return done.returncode, seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="write the cases here and keep them")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="limits-"))
    directory.mkdir(parents=True, exist_ok=True)
    for path in build(directory):
        code, seconds, peak = measure(path)
        size = path.stat().st_size / (1 << 20)
        print(f"{path.name:32s} {size:6.1f} MiB  exit {code}  {seconds:6.1f} s  "
              f"peak so far {peak:7.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
