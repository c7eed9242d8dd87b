"""Benchmark: how long the command takes to start, as a user sees it (the whole process).

    python benchmarks/bench_startup.py [RUNS]

Runs each command RUNS times (default 7) in a fresh interpreter and prints the median and
the fastest wall-clock time, and the median CPU time (user + system) of the process, which
moves less than wall-clock time when other work shares the machine. `--version`, `rules`, `explain` and `--help` should need no
pandas or pandera (target under 0.3 s); a one-page `check` needs them (target under 1 s).
A script, not a test: timings depend on the machine.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    ["--version"],
    ["--help"],
    ["rules"],
    ["explain", "LA101"],
    ["check", "fixtures/race-to-mars.txt", "--as-of", "2026-11-24", "--no-config"],
]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    launcher = [sys.executable, "-c", "from audit.cli import entry; entry()"]
    for args in COMMANDS:
        times, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(launcher + args, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{' '.join(args):58s} median {statistics.median(times):5.2f} s  "
              f"min {min(times):5.2f} s  cpu {statistics.median(cpu):5.2f} s  ({runs} runs)")


if __name__ == "__main__":
    main()
