"""Precision on real catalogues: findings per rule, and how many were judged true.

    python benchmarks/precision.py [SHARED_DIR]      (default: ../shared beside the project)

Audits every file listed in benchmarks/judgements.yaml at its own as-of date (with its
mapping), as a user would from the shared directory, and matches each finding to the most
specific judgement recorded there (file and rule, then listing key, evidence text and field).
Prints, per file and rule, the findings, how many were judged true and false, and how many no
judgement covers yet, then the false findings with their reasons. A script, not a test: after
a change, run it, read every unjudged finding's rows and add a judgement with its reason.
"""

from __future__ import annotations

import collections
import contextlib
import fnmatch
import io
import json
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.cli import main as cli  # noqa: E402

JUDGEMENTS = Path(__file__).with_name("judgements.yaml")
_KEYS = ("key", "evidence", "field")


def _audit(path: str, spec: dict) -> dict:
    args = ["check", path, "--as-of", str(spec["as_of"]), "--format", "json", "--fail-on", "never"]
    if spec.get("mapping"):
        args += ["--mapping", spec["mapping"]]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(args)
    return json.loads(out.getvalue())


def _facts(finding: dict) -> dict[str, str]:
    first = (finding.get("evidence") or [{}])[0]
    return {"key": (finding.get("listing") or {}).get("key") or "",
            "evidence": str(first.get("text") or ""),
            "field": str(finding.get("field") or first.get("field") or "")}


def judge(path: str, finding: dict, judgements: list[dict]) -> dict | None:
    """The judgement that fits the finding and names the most of key, evidence and field."""
    facts = _facts(finding)
    best, best_score = None, -1
    for judgement in judgements:
        if not (fnmatch.fnmatchcase(path, judgement["file"])
                and fnmatch.fnmatchcase(finding["rule"], judgement["rule"])):
            continue
        if any(k in judgement and not fnmatch.fnmatchcase(facts[k], str(judgement[k])) for k in _KEYS):
            continue
        score = sum(k in judgement for k in _KEYS)
        if score > best_score:
            best, best_score = judgement, score
    return best


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    data = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))
    os.chdir(shared)   # report paths and listing keys read "data/..." as in judgements.yaml
    totals = collections.Counter()
    falses: list[tuple[str, dict, dict]] = []
    unjudged: list[tuple[str, dict]] = []
    print(f"{'file / rule':<52}{'findings':>9}{'true':>6}{'false':>6}{'unjudged':>9}")
    for path, spec in data["files"].items():
        report = _audit(path, spec)
        rows: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
        for finding in report["findings"]:
            judgement = judge(path, finding, data["judgements"])
            verdict = "unjudged" if judgement is None else ("true" if judgement["verdict"] else "false")
            rows[(finding["rule"], finding["severity"])][verdict] += 1
            if verdict == "false":
                falses.append((path, finding, judgement))
            elif verdict == "unjudged":
                unjudged.append((path, finding))
        print(path)
        if not rows:
            print(f"  {'(no findings)':<50}")
        for (rule, severity), counts in sorted(rows.items()):
            found = sum(counts.values())
            totals.update(counts)
            print(f"  {rule + ' ' + severity:<50}{found:>9}{counts['true']:>6}{counts['false']:>6}"
                  f"{counts['unjudged']:>9}")
    judged = totals["true"] + totals["false"]
    precision = totals["true"] / judged if judged else 1.0
    print(f"\nall files: {sum(totals.values())} findings, {totals['true']} true, {totals['false']} "
          f"false, {totals['unjudged']} unjudged; precision of the judged {precision:.1%}")
    errors = [f for _, f, _ in falses if f["severity"] == "error"]
    print(f"false error-level findings: {len(errors)}")
    for path, finding, judgement in falses:
        print(f"  false  {finding['rule']} {finding['severity']} {path}:{finding.get('line')} "
              f"{finding['message'][:90]}\n         -> {judgement['reason']}")
    for path, finding in unjudged:
        print(f"  unjudged  {finding['rule']} {finding['severity']} {path}:{finding.get('line')} "
              f"{finding['message'][:100]}")


if __name__ == "__main__":
    main()
