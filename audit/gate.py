"""The CI gate around a run: waivers and the baseline applied to its findings.

Kept apart from the CLI so that the gate's decisions (what is accepted, what is new, what
went stale) are made in one place the tests and other front ends can call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import baseline as baseline_mod
from . import waivers as waivers_mod
from .pipeline import Run
from .result import to_report
from .ruleset import Rule


class GateError(Exception):
    """A waiver or baseline file that cannot be used; str() names the file and the problem."""


def gated_report(run: Run, all_rules: list[Rule], *, fail_on: str, waivers: Path | None,
                 baseline: Path | None, write_baseline: Path | None, fail_on_stale: bool,
                 exit_zero: bool) -> tuple[dict[str, Any], str | None]:
    """The report with waivers and the baseline applied, writing the baseline first if asked.

    Returns the report and, when a baseline was written, a line saying what went into it.
    """
    names = {r.id: r.id for r in all_rules} | {r.name: r.id for r in all_rules}
    wrote = None
    try:
        accepted = waivers_mod.load(waivers, names) if waivers is not None else None
        if write_baseline is not None:
            current = to_report(run, fail_on=fail_on, waivers=accepted)["findings"]
            entries = baseline_mod.write(write_baseline, current)
            recorded = sum(e.count for e in entries)
            wrote = (f"wrote {recorded} finding{'' if recorded == 1 else 's'} "
                     f"({len(entries)} entr{'y' if len(entries) == 1 else 'ies'}) to {write_baseline}")
            baseline = write_baseline
        else:
            entries = baseline_mod.load(baseline) if baseline is not None else None
    except (waivers_mod.WaiverError, baseline_mod.BaselineError) as exc:
        raise GateError(str(exc)) from None
    report = to_report(run, fail_on=fail_on, waivers=accepted,
                       waivers_source=None if waivers is None else str(waivers),
                       baseline=entries, baseline_source=None if baseline is None else str(baseline),
                       fail_on_stale=fail_on_stale, exit_zero=exit_zero)
    return report, wrote
