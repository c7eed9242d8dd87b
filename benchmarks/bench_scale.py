"""Catalogue scale: listing-audit against pandas loading the same files (a script, not a test).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10k,100k,1M] [--formats csv,parquet]
                                               [--timeout 600] [--rules] [--data DIR]
    .venv/bin/python benchmarks/bench_scale.py --workers 1,2 [--pages 2000] [--sizes 10k]
                                               [--inputs pages,catalogue,titles]

For each size (titles; about 8.5 episodes each, see gen_catalogue.py) and format it prints:
the time pandas takes to load the files (pyarrow engine), the time of a whole audit with every
built-in rule, their ratio, each one's peak memory (max RSS of its own child process), the
audit's stage split (read, tables, rules), the time per title, and a digest of the findings
(to check that a change of how things are computed changed no finding). With --rules it also
prints the slowest rules. Each measurement runs in a fresh process bounded by --timeout.
Catalogues are generated once into --data (default /tmp/listing-audit-scale) and reused.

With --workers, it runs `listing-audit check` (JSON report to a file) in one process and
with `--workers N` (a Dask LocalCluster) for each N, on listing pages, on each catalogue
(titles and episodes tables) and on its titles table alone, and prints wall-clock and CPU
seconds (user+sys of the command and its worker processes), the speed-up over one Dask
worker and over one process, and a digest of the report (the same bytes in every mode).
The first row is the cluster's own cost: one page.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import time
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_catalogue  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}

_PANDAS = textwrap.dedent("""
    import json, resource, sys, time
    import pandas as pd
    paths = sys.argv[1:]
    _cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    start = time.perf_counter()
    cpu0 = _cpu()
    rows = 0
    for path in paths:
        frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, engine="pyarrow")
        rows += len(frame)
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows, "cpu": _cpu() - cpu0,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")

_AUDIT = textwrap.dedent("""
    import datetime as dt, hashlib, json, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    from audit import pipeline
    assert pipeline.__file__.startswith(sys.argv[1]), pipeline.__file__
    from audit.engine import run_rules
    from audit.ruleset import load_rules
    from audit.tables import build_tables
    per_rule = sys.argv[2] == "1"
    _cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    paths = sys.argv[3:]
    rules = load_rules(None)
    stages = {}
    start = time.perf_counter()
    cpu0 = _cpu()
    # The stages of pipeline.audit(), timed one by one.
    from audit.ingest import collect
    from audit.ingest.link import link
    sources, _ = collect(paths)
    # read_input was pipeline._read before it became public: older checkouts compare too.
    read = getattr(pipeline, "read_input", None) or pipeline._read
    results = [read(source, None) for source in sources]
    link(results)
    stages["read"] = time.perf_counter() - start
    mark = time.perf_counter()
    # As pipeline.audit builds them (a --root checkout from before release_frames: as it did).
    import inspect
    handover = "release_frames" in inspect.signature(build_tables).parameters
    tables = build_tables(results, **({"release_frames": True} if handover else {}))
    del results
    stages["tables"] = time.perf_counter() - mark
    mark = time.perf_counter()
    as_of = dt.date(2026, 11, 24)
    rule_times = {}
    if per_rule:
        findings = []
        for rule in rules:
            t = time.perf_counter()
            findings += run_rules([rule], tables, as_of=as_of)
            rule_times[rule.id] = time.perf_counter() - t
    else:
        findings = run_rules(rules, tables, as_of=as_of)
    stages["rules"] = time.perf_counter() - mark
    total = time.perf_counter() - start
    rendered = sorted(json.dumps(f.to_dict(), sort_keys=True) for f in findings)
    by_rule = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    print(json.dumps({
        "seconds": total, "stages": stages, "rule_times": rule_times,
        "listings": len(tables.listings), "episodes": len(tables.episodes),
        "claims": len(tables.claims), "findings": len(findings), "by_rule": by_rule,
        "digest": hashlib.sha256("\\n".join(rendered).encode()).hexdigest()[:12],
        "cpu": _cpu() - cpu0, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def _child(code: str, args: list[str], timeout: float) -> dict | str:
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout:.0f} s"
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed (exit {done.returncode}): {tail[:120]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli(paths: list[str], workers: int | None, out: Path, timeout: float) -> dict | str:
    """One `listing-audit check` run: wall and CPU seconds (its workers included), digest."""
    command = [sys.executable, "-m", "audit", "check", *paths, "--as-of", "2026-11-24",
               "--no-config", "--fail-on", "never", "-f", "json", "-o", str(out)]
    if workers:
        command += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout:.0f} s"
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        return f"failed (exit {done.returncode}): {(done.stderr.strip().splitlines() or ['?'])[-1][:120]}"
    report = json.loads(out.read_text("utf-8"))
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "digest": hashlib.sha256(out.read_bytes()).hexdigest()[:12],
            "findings": sum(report["summary"]["findings"].values())}


def _pages(count: int, folder: Path) -> list[str]:
    import random

    import bench_pages

    if len(list(folder.glob("page-*.txt"))) != count:
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(7)
        for i in range(count):
            (folder / f"page-{i:05d}.txt").write_text(bench_pages.page(i, 10, rng), "utf-8")
    return [str(folder)]


def compare_workers(args: argparse.Namespace) -> None:
    counts = [int(n) for n in args.workers.split(",")]
    kinds = set(args.inputs.split(","))
    inputs: list[tuple[str, list[str]]] = [
        ("1 page (cluster cost)", [str(ROOT / "fixtures" / "race-to-mars.txt")])]
    if "pages" in kinds:
        inputs.append((f"{args.pages} pages", _pages(args.pages, args.data / f"pages-{args.pages}")))
    for label in args.sizes.split(","):
        n = SIZES.get(label) or int(label)
        outdir = args.data / str(n)
        if not (outdir / "titles.csv").exists():
            gen_catalogue.write(n, outdir, ("csv",))
        episodes = sorted(map(str, outdir.glob("episodes-*.csv")))
        if "catalogue" in kinds:
            inputs.append((f"{label} titles+episodes CSV", [str(outdir / "titles.csv"), *episodes]))
        if "titles" in kinds:
            inputs.append((f"{label} titles CSV", [str(outdir / "titles.csv")]))
    print(f"{'input':28} {'mode':11} {'wall':>8} {'cpu':>8} {'vs 1 wkr':>8} {'vs 1 proc':>9}  report")
    out = Path(tempfile.mkdtemp()) / "report.json"
    for name, paths in inputs:
        base = _cli(paths, None, out, args.timeout)
        rows = [("1 process", base)]
        rows += [(f"--workers {n}", _cli(paths, n, out, args.timeout)) for n in counts]
        one = rows[1][1] if len(rows) > 1 else None
        for mode, result in rows:
            if isinstance(result, str):
                print(f"{name:28} {mode:11} {result}")
                continue
            over_one = one["wall"] / result["wall"] if isinstance(one, dict) else float("nan")
            over_proc = base["wall"] / result["wall"] if isinstance(base, dict) else float("nan")
            print(f"{name:28} {mode:11} {result['wall']:7.1f}s {result['cpu']:7.1f}s "
                  f"{over_one:7.2f}x {over_proc:8.2f}x  {result['findings']} [{result['digest']}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 10k, 100k, 1M (or a number)")
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per measurement")
    parser.add_argument("--rules", action="store_true", help="time each rule too")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the listing-audit checkout to measure (to compare two versions)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "listing-audit-scale")
    parser.add_argument("--workers", help="comma-separated Dask worker counts to compare (1,2)")
    parser.add_argument("--pages", type=int, default=2000, help="with --workers: listing pages")
    parser.add_argument("--inputs", default="pages,catalogue,titles",
                        help="with --workers: which inputs (pages, catalogue, titles)")
    args = parser.parse_args()
    if args.workers:
        compare_workers(args)
        return
    formats = tuple(args.formats.split(","))
    print(f"{'size':>6} {'format':8} {'pandas':>8} {'audit':>9} {'ratio':>7} {'pd MB':>7} "
          f"{'audit MB':>9} {'read':>8} {'tables':>8} {'rules':>8} {'us/title':>9}  findings")
    for label in args.sizes.split(","):
        n = SIZES.get(label) or int(label)
        outdir = args.data / str(n)
        missing = [f for f in formats if not list(outdir.glob(f"titles.{f}"))]
        if missing:
            gen_catalogue.write(n, outdir, tuple(missing))
        for fmt in formats:
            paths = [str(outdir / f"titles.{fmt}")] + sorted(map(str, outdir.glob(f"episodes-*.{fmt}")))
            loaded = _child(_PANDAS, paths, args.timeout)
            audited = _child(_AUDIT, [str(args.root), "1" if args.rules else "0", *paths], args.timeout)
            if isinstance(loaded, str) or isinstance(audited, str):
                print(f"{label:>6} {fmt:8} pandas: {loaded if isinstance(loaded, str) else 'ok'}; "
                      f"audit: {audited if isinstance(audited, str) else 'ok'}")
                if isinstance(audited, str):
                    continue
            pandas_s = loaded["seconds"] if isinstance(loaded, dict) else float("nan")
            pandas_mb = loaded["maxrss_mb"] if isinstance(loaded, dict) else float("nan")
            s = audited["stages"]
            print(f"{label:>6} {fmt:8} {pandas_s:7.2f}s {audited['seconds']:8.2f}s "
                  f"{audited['seconds'] / pandas_s:6.1f}x {pandas_mb:7.0f} {audited['maxrss_mb']:9.0f} "
                  f"{s['read']:7.2f}s {s['tables']:7.2f}s {s['rules']:7.2f}s "
                  f"{audited['seconds'] / n * 1e6:9.1f}  {audited['findings']} [{audited['digest']}]")
            print(f"        cpu (user+sys): pandas {loaded.get('cpu', float('nan')) if isinstance(loaded, dict) else float('nan'):.2f}s, "
                  f"audit {audited['cpu']:.2f}s")
            if args.rules:
                slow = sorted(audited["rule_times"].items(), key=lambda kv: -kv[1])[:8]
                print("        slowest rules: " + ", ".join(f"{r} {t:.2f}s" for r, t in slow))
                print("        findings by rule: " + json.dumps(audited["by_rule"], sort_keys=True))


if __name__ == "__main__":
    main()
