"""Mutation fuzzer: hostile variants of the fixtures, fed to the whole pipeline in-process.

Run by hand (not collected by pytest):

    .venv/bin/python benchmarks/fuzz.py --cases 20000 --seed 1

Each case takes one file from fixtures/ or tests/data, mutates it (bytes flipped, inserted,
deleted or spliced; numbers, dates and strings swapped for extreme values; control
characters, ANSI escapes, lone surrogates and markup put into text; JSON values retyped;
nesting deepened) and audits it together with a good file. A case fails when

- an exception escapes the pipeline or a report writer (a crash site: file, line, type);
- the run's safety net caught one (an LA001 "internal error" finding);
- the good file is not reported exactly as when audited alone;
- a report is not well formed (JSON, SARIF JSON, JUnit XML) or listing text reaches the
  terminal report with a raw control character;
- a case takes longer than --slow seconds.

It prints a line per distinct failure site and a summary; the cases that failed are written
to --out (default /tmp/listing-audit-fuzz) to be replayed with --replay FILE.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
import traceback
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.pipeline import audit  # noqa: E402
from audit.report import render  # noqa: E402
from audit.result import to_report  # noqa: E402
from audit.ruleset import load_rules  # noqa: E402

AS_OF = dt.date(2026, 11, 24)
GOOD = ROOT / "fixtures" / "formats" / "harbour-lights.json"
SEEDS = sorted(p for p in [*(ROOT / "fixtures").rglob("*"), *(ROOT / "tests" / "data").glob("*.json")]
               if p.is_file() and p.suffix in (".txt", ".html", ".json", ".jsonl", ".csv")
               and "golden" not in p.parts and p.stat().st_size < 300_000)
FORMATS = ("terminal", "json", "sarif", "junit", "markdown", "github", "html")

NUMBERS = ["0", "-1", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", str(2 ** 63),
           str(2 ** 64), str(-2 ** 63 - 1), "9" * 500, "1" * 5000, "0.0000001", "1e-400", "null",
           "true", '""', "[]", "{}", '"x"', "3.5", "2019"]
DATES = ["0001-01-01", "1600-02-29", "9999-12-31", "2019", "2019-02-30", "2019-13-01",
         "99999-01-01", "1677-09-21", "2262-04-12", "January 1, 0001", "0000-00-00", ""]
HOSTILE = ["\x1b[2J\x1b[31m", "\x00", "\x0e\x0f", "\n::error::pwned", "\r\n# heading",
           "\ud83c", "\udcff", "\u202e", "<script>alert(1)</script>", "]]>", "https://evil.example/",
           "www.evil.example", "a@evil.example", "{title}", "{0:>99999999}", "%s%n", "\\", '"',
           "\u2028", "\ufeff", "\x85", "&amp;", "`", "|", "[bold]x[/bold]", "A" * 5000]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}|(?:January|March|October|September) \d{1,2}, \d{4}")
_STRING = re.compile(rb'"[^"\\\n]{1,80}"')


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _json_escape(text: str) -> bytes:
    return json.dumps(text).encode("ascii")


def mutate(data: bytes, rng: random.Random, suffix: str) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3))):
        data = rng.choice(MUTATORS)(data, rng, suffix)
    return data


def _flip(data, rng, suffix):
    if not data:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _insert(data, rng, suffix):
    at = rng.randint(0, len(data))
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[at:]


def _delete(data, rng, suffix):
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, min(200, len(data) - a)):]


def _duplicate(data, rng, suffix):
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    chunk = data[a:a + rng.randint(1, 400)]
    at = rng.randint(0, len(data))
    return data[:at] + chunk * rng.randint(1, 20) + data[at:]


def _truncate(data, rng, suffix):
    return data[:rng.randint(0, len(data))]


def _sub(pattern, make):
    def mutator(data, rng, suffix):
        found = list(pattern.finditer(data))
        if not found:
            return data
        for m in rng.sample(found, min(len(found), rng.randint(1, 3))):
            pass
        m = rng.choice(found)
        return data[:m.start()] + make(rng, suffix, m.group()) + data[m.end():]
    return mutator


def _number(rng, suffix, old):
    return rng.choice(NUMBERS).encode()


def _date(rng, suffix, old):
    return rng.choice(DATES).encode()


def _hostile_string(rng, suffix, old):
    text = old[1:-1].decode("utf-8", "replace")
    evil = rng.choice(HOSTILE)
    mixed = text[: len(text) // 2] + evil + text[len(text) // 2:]
    if suffix in (".json", ".jsonl") or rng.random() < 0.3:
        return _json_escape(mixed)
    return b'"' + _encode(mixed) + b'"'


def _hostile_line(data, rng, suffix):
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    evil = _encode(rng.choice(HOSTILE))
    lines[i] = lines[i][: len(lines[i]) // 2] + evil + lines[i][len(lines[i]) // 2:]
    return b"\n".join(lines)


def _splice(data, rng, suffix):
    other = rng.choice(SEEDS).read_bytes()
    a = rng.randrange(max(1, len(other)))
    at = rng.randint(0, len(data))
    return data[:at] + other[a:a + rng.randint(1, 2000)] + data[at:]


def _retype_json(data, rng, suffix):
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    values = [None, 0, -1, 2 ** 64, 1.5, float("nan"), float("inf"), "", "x" * 300, [], {},
              [{"a": 1}], True, "2019", "9999-12-31", {"@type": [{"x": 1}]}]

    def walk(node, depth=0):
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if rng.random() < 0.5 or depth > 6:
                node[key] = copy.deepcopy(rng.choice(values))
            else:
                walk(node[key], depth + 1)
        elif isinstance(node, list) and node:
            i = rng.randrange(len(node))
            if rng.random() < 0.5 or depth > 6:
                node[i] = copy.deepcopy(rng.choice(values))
            else:
                walk(node[i], depth + 1)
    for _ in range(rng.randint(1, 4)):
        walk(doc)
    return json.dumps(doc, allow_nan=True).encode()


def _nest(data, rng, suffix):
    depth = rng.choice((50, 500, 5000, 50_000))
    at = rng.randint(0, len(data))
    return data[:at] + b"[" * depth + b"]" * depth + data[at:]


def _grow_value(data, rng, suffix):
    found = list(_STRING.finditer(data))
    if not found:
        return data
    m = rng.choice(found)
    body = m.group()[1:-1]
    return data[:m.start()] + b'"' + body * rng.choice((100, 1000, 5000)) + b'"' + data[m.end():]


MUTATORS = [_flip, _insert, _delete, _duplicate, _truncate, _sub(_NUMBER, _number),
            _sub(_NUMBER, _number), _sub(_DATE, _date), _sub(_DATE, _date),
            _sub(_STRING, _hostile_string), _hostile_line, _hostile_line, _splice, _retype_json,
            _retype_json, _nest, _grow_value]

_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _site(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/audit/" in f.filename]
    where = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    path = Path(where.filename)
    try:
        path = path.relative_to(ROOT)
    except ValueError:
        pass
    return f"{path}:{where.lineno} {type(exc).__name__}"


def good_findings(report: dict) -> list:
    # A mutated copy of the good file is legitimately its duplicate (LA203): left out.
    return [f for f in report["findings"] if f["path"] == str(GOOD) and f["rule"] != "LA203"]


def check_reports(report: dict) -> str | None:
    for fmt in FORMATS:
        text = render(report, fmt)
        text.encode("utf-8")
        if fmt in ("json", "sarif"):
            json.loads(text)
        elif fmt == "junit":
            ET.fromstring(text.encode("utf-8"))
        elif fmt == "terminal" and _RAW_CONTROL.search(text):
            return "raw control character in the terminal report"
        elif fmt == "github":
            for line in text.splitlines():
                if line.startswith("::") and not line.startswith(
                        ("::error ", "::warning ", "::notice ", "::group::", "::endgroup::")):
                    return "a workflow command from listing text in the github report"
    return None


def unguarded(path: Path, rules) -> str | None:
    """Audit one file without the pipeline's safety net, to name the line that fails."""
    from audit.engine import run_rules
    from audit.ingest import Source, read_source
    from audit.tables import build_tables

    try:
        result = read_source(Source(str(path), path), path.read_bytes())
        run_rules(rules, build_tables([result]), as_of=AS_OF)
    except Exception as exc:  # noqa: BLE001
        return "crash " + _site(exc)
    return None


def run_batch(batch: list[tuple[int, bytes, str]], rules, directory: Path,
              alone: list) -> dict[int, str]:
    """Audit a batch of cases in one run (the rules cost per run, not per file); return the
    failing case numbers with what failed."""
    for old in directory.iterdir():
        old.unlink()
    paths = {}
    for number, data, suffix in batch:
        target = directory / f"case-{number}{suffix}"
        target.write_bytes(data)
        paths[str(target)] = number
    failures: dict[int, str] = {}
    try:
        report = to_report(audit([*paths, str(GOOD)], rules, as_of=AS_OF))
    except Exception as exc:  # noqa: BLE001 - find which case, alone
        site = "crash " + _site(exc)
        for path, number in paths.items():
            try:
                to_report(audit([path], rules, as_of=AS_OF))
            except Exception as inner:  # noqa: BLE001
                failures[number] = "crash " + _site(inner)
        return failures or {batch[0][0]: site + " (only in combination)"}
    for finding in report["findings"]:
        if finding["rule"] == "LA001" and "internal error" in finding["message"]:
            number = paths.get(finding["path"])
            if number is not None and number not in failures:
                failures[number] = unguarded(Path(finding["path"]), rules) or (
                    "safety net: " + finding["message"][:160])
    if good_findings(report) != alone:
        failures.setdefault(batch[0][0], "the good file's findings changed (batch)")
    try:
        problem = check_reports(report)
    except Exception as exc:  # noqa: BLE001
        problem = "report crash " + _site(exc)
    if problem:
        # Which case? Render each alone.
        for path, number in paths.items():
            try:
                alone_problem = check_reports(to_report(audit([path], rules, as_of=AS_OF)))
            except Exception as exc:  # noqa: BLE001
                alone_problem = "report crash " + _site(exc)
            if alone_problem:
                failures[number] = alone_problem
        if not failures:
            failures[batch[0][0]] = problem + " (batch)"
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50, help="cases audited together in one run")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds per case that count as slow")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "listing-audit-fuzz")
    parser.add_argument("--replay", type=Path, nargs="*", help="saved cases to run again")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rules = load_rules()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    alone = good_findings(to_report(audit([str(GOOD)], rules, as_of=AS_OF)))
    rng = random.Random(args.seed)
    sites: Counter[str] = Counter()
    examples: dict[str, str] = {}
    started = time.perf_counter()
    total = len(args.replay) if args.replay else args.cases
    slowest = 0.0
    for first in range(0, total, args.batch):
        if args.replay:
            batch = [(i, p.read_bytes(), p.suffix) for i, p in enumerate(args.replay)
                     if first <= i < first + args.batch]
        else:
            batch = []
            for number in range(first, min(total, first + args.batch)):
                seed = rng.choice(SEEDS)
                batch.append((number, mutate(seed.read_bytes(), rng, seed.suffix), seed.suffix))
        by_number = {number: (data, suffix) for number, data, suffix in batch}
        t0 = time.perf_counter()
        failures = run_batch(batch, rules, work, alone)
        took = time.perf_counter() - t0
        slowest = max(slowest, took)
        if took > args.slow * len(batch) and not failures:
            failures[batch[0][0]] = f"slow: batch took {took:.0f} s"
        for number, problem in sorted(failures.items()):
            key = problem.split(":")[0] if problem.startswith("slow") else problem
            sites[key] += 1
            if key not in examples:
                data, suffix = by_number[number]
                saved = args.out / f"case-{number}{suffix}"
                saved.write_bytes(data)
                examples[key] = str(saved)
                print(f"[{number}] {problem} -> {saved}", flush=True)
        done = first + len(batch)
        if done % 1000 < args.batch:
            print(f"... {done} cases, {sum(sites.values())} failing, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\n{total} cases in {elapsed:.0f} s ({total / elapsed:.1f}/s, slowest batch "
          f"{slowest:.1f} s); {sum(sites.values())} failing, {len(sites)} distinct sites")
    for key, count in sites.most_common():
        print(f"  {count:6d}  {key}  e.g. {examples[key]}")
    return 1 if sites else 0


if __name__ == "__main__":
    sys.exit(main())
