"""The hostile files of docs/limits.md, each audited in a fresh process: seconds and peak memory.

    .venv/bin/python benchmarks/bench_limits.py [--keep DIR]

Each line: the case, the exit code, wall and CPU (user+sys) seconds, peak resident memory
of that one process and the rules of its findings, for `listing-audit check --format json
CASE`, next to an ordinary file for scale. A case still running after --limit seconds is
killed and shown as "timeout".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
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
    # The same quote with 123,000 lines after it: each was a ragged row (an LA602 apiece).
    cases["unclosed-quote-123k-lines.csv"] = (catalogue + 's9,Movie,"Unterminated,'
                                              + ("x" * 80 + "\n") * 123_000)
    paths = []
    for name, text in cases.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def measure(path: Path, limit: float) -> tuple[str, float, float, float, str]:
    """Exit code (or "timeout"), wall seconds, CPU seconds (user+sys), peak MiB of this one
    child, and the rules of its findings with their counts."""
    command = [sys.executable, "-m", "audit", "check", str(path), "--format", "json",
               "--as-of", "2026-11-24", "--fail-on", "never"]
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        code: str = "timeout"
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code = str(os.waitstatus_to_exitcode(status))
                break
            if time.perf_counter() - started > limit:
                child.kill()
                _, _, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        child.returncode = 0  # reaped by wait4 above
        rules = ""
        if code == "0":
            out.seek(0)
            found = Counter(f["rule"] for f in json.load(out)["findings"])
            rules = " ".join(f"{rule}x{n}" for rule, n in sorted(found.items()))
    return code, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="write the cases here and keep them")
    parser.add_argument("--limit", type=float, default=600, help="seconds before a case is killed")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="limits-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"{'case':30s} {'size':>9s}  exit  {'wall':>7s} {'cpu':>7s} {'peak':>8s}  findings")
    for path in build(directory):
        if args.only and path.name not in args.only:
            continue
        code, seconds, cpu, peak, rules = measure(path, args.limit)
        size = path.stat().st_size / (1 << 20)
        print(f"{path.name:30s} {size:5.1f} MiB  {code:>4s}  {seconds:6.1f}s {cpu:6.1f}s "
              f"{peak:5.0f} MiB  {rules}", flush=True)


if __name__ == "__main__":
    main()
