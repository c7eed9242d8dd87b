"""The CI gate around a run: waivers and the baseline applied to its findings.

Kept apart from the CLI so that the gate's decisions (what is accepted, what is new, what
went stale) are made in one place the tests and other front ends can call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import baseline as baseline_mod
from . import waivers as waivers_mod

if TYPE_CHECKING:
    from .pipeline import Run
    from .ruleset import Rule


class GateError(Exception):
    """A waiver or baseline file that cannot be used; str() names the file and the problem."""


@dataclass(frozen=True)
class Gate:
    """What the gate applies to a run, loaded and checked before any input is read: a waiver
    or baseline file that cannot be used stops the run at once, not after a long audit."""

    fail_on: str
    fail_on_stale: bool
    exit_zero: bool
    waivers: list[waivers_mod.Waiver] | None = None
    waivers_source: Path | None = None
    baseline: list[baseline_mod.Entry] | None = None
    baseline_source: Path | None = None
    write_baseline: Path | None = None


def load_gate(all_rules: list[Rule], *, fail_on: str, waivers: Path | None,
              baseline: Path | None, write_baseline: Path | None, fail_on_stale: bool,
              exit_zero: bool) -> Gate:
    """Read the waivers and the baseline (or check that the baseline to write can be written)."""
    names = {r.id: r.id for r in all_rules} | {r.name: r.id for r in all_rules}
    try:
        accepted = waivers_mod.load(waivers, names) if waivers is not None else None
        if write_baseline is not None:
            baseline_mod.check_writable(write_baseline)
            entries, baseline = None, write_baseline
        else:
            entries = baseline_mod.load(baseline) if baseline is not None else None
    except (waivers_mod.WaiverError, baseline_mod.BaselineError) as exc:
        raise GateError(str(exc)) from None
    return Gate(fail_on=fail_on, fail_on_stale=fail_on_stale, exit_zero=exit_zero,
                waivers=accepted, waivers_source=waivers, baseline=entries,
                baseline_source=baseline, write_baseline=write_baseline)


def gated_report(run: Run, gate: Gate) -> tuple[dict[str, Any], str | None]:
    """The report with waivers and the baseline applied, writing the baseline first if asked.

    Returns the report and, when a baseline was written, a line saying what went into it.
    """
    from .result import to_report

    wrote = None
    entries = gate.baseline
    if gate.write_baseline is not None:
        current = to_report(run, fail_on=gate.fail_on, waivers=gate.waivers)["findings"]
        try:
            entries = baseline_mod.write(gate.write_baseline, current)
        except baseline_mod.BaselineError as exc:
            raise GateError(str(exc)) from None
        recorded = sum(e.count for e in entries)
        wrote = (f"wrote {recorded} finding{'' if recorded == 1 else 's'} "
                 f"({len(entries)} entr{'y' if len(entries) == 1 else 'ies'}) to {gate.write_baseline}")
    report = to_report(run, fail_on=gate.fail_on, waivers=gate.waivers,
                       waivers_source=None if gate.waivers_source is None else str(gate.waivers_source),
                       baseline=entries,
                       baseline_source=None if gate.baseline_source is None else str(gate.baseline_source),
                       fail_on_stale=gate.fail_on_stale, exit_zero=gate.exit_zero)
    return report, wrote


def refilter(report: dict[str, Any], *, select: list[str], ignore: list[str],
             fail_on: str | None) -> dict[str, Any]:
    """A saved report narrowed to the selected rules and judged at `fail_on`, as `check`
    would have reported it: the severity counts and what fails are counted again.

    Unreadable inputs (LA001) stay unless ignored by name, as in `check`. A token that names
    no rule of the report is an error (RuleError), with a suggestion when one is close.
    """
    from .model import SEVERITIES, Severity
    from .ruleset import RuleError, did_you_mean, rule_matches

    known = {r["id"]: r.get("name") or "" for r in report.get("rules") or [] if r.get("id")}
    known.update({f["rule"]: f.get("name") or "" for f in report["findings"]
                  if f.get("rule") not in known})
    for token in [*select, *ignore]:
        if not any(rule_matches(i, n, token) for i, n in known.items()):
            raise RuleError(f"--select/--ignore: no rule of this report matches {token!r}"
                            f"{did_you_mean(token, known.items())}")

    def kept(rule_id: str) -> bool:
        name = known.get(rule_id, "")
        if any(rule_matches(rule_id, name, t) for t in ignore):
            return False
        return not select or rule_id == "LA001" or any(rule_matches(rule_id, name, t)
                                                       for t in select)

    summary = dict(report["summary"])
    fail_on = fail_on or summary.get("fail_on") or "error"
    findings = [f for f in report["findings"] if kept(f["rule"])]
    counts = {s: 0 for s in SEVERITIES}
    active = {s: 0 for s in SEVERITIES}
    failing = 0
    for finding in findings:
        severity = finding.get("severity") or "warning"
        counts[severity] = counts.get(severity, 0) + 1
        if (finding.get("status") or "active") == "active":
            active[severity] = active.get(severity, 0) + 1
            if fail_on != "never" and Severity(severity).rank >= Severity(fail_on).rank:
                failing += 1
    if summary.get("fail_on_stale"):
        failing += int(summary.get("stale") or 0)
    summary.update(findings=counts, failing=failing, fail_on=fail_on)
    if "active" in summary:
        summary["active"] = active
    rules = [r for r in report.get("rules") or [] if kept(r.get("id") or "")]
    return {**report, "summary": summary, "rules": rules, "findings": findings}

