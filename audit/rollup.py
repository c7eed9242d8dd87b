"""Column roll-ups: a rule failing on most rows of one column becomes one finding.

A catalogue export where 9,513 `date_added` cells are empty has one problem, not 9,513: the
export leaves the column out. Listing every row buries the few findings an editor can act on.
So, after the rules ran, the findings of one rule about one field of one file are counted
against the rows of that column; when the column does not *mostly* pass (Great Expectations'
`mostly`: the share of rows expected to pass, default 0.8 here), they become one finding with
`scope: column`, the count, the column's total, the share, the first few rows as evidence, and
every affected row (line, listing key, text) under `rows`.

Only row findings take part: one listing, one field, one line (a conflict between two
places is never a column's problem). Grouping is by rule, file, field and severity, so a
column-wide problem hides nothing else: the seven titles a spreadsheet turned into dates stay
seven findings while the 3,045 re-formatted `date_added` cells of the same rule (LA506) become
one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from .model import Finding, Rollup, format_share

if TYPE_CHECKING:
    from .tables import Tables

# The share of a column's rows expected to pass a rule; below it, the column is the finding.
DEFAULT_MOSTLY = 0.8
# Fewer affected rows than this are listed one by one whatever the share: a 6-row file with
# 3 empty ratings has 3 findings an editor can fix one by one.
MIN_ROWS = 10
EXAMPLES = 5


def _row_field(finding: Finding) -> str | None:
    """The field a one-row finding is about, or None when it is not a one-row finding."""
    if finding.listing_id is None or finding.rollup is not None or not finding.evidence:
        return None
    fields = {e.field for e in finding.evidence}
    lines = {e.line for e in finding.evidence}
    paths = {e.path for e in finding.evidence}
    if len(fields) != 1 or len(lines) != 1 or paths != {finding.path}:
        return None
    return next(iter(fields)) or None


def column_totals(tables: Tables) -> dict[tuple[str, str], int]:
    """Rows per (file, field): the records of that file that state the field at all."""
    claims = tables.claims
    if claims.empty:
        return {}
    rows = claims[["path", "field", "listing_id", "episode"]].drop_duplicates()
    return {(str(path), str(field)): int(n)
            for (path, field), n in rows.groupby(["path", "field"], dropna=True).size().items()}


@dataclass
class ColumnCounts:
    """What roll-ups count findings against: rows per (file, field) that state the field
    (column_totals) and listings per file. Counts of disjoint sets of listings add up, so a
    partitioned run sums its partitions' counts. Claims of no listing are one row per
    (file, field, episode) however many partitions of the file state them, so they are kept
    as a set (`unlisted`) that partitions join, not counted in `totals`."""

    totals: Counter = field(default_factory=Counter)
    listings: Counter = field(default_factory=Counter)
    unlisted: frozenset = frozenset()

    def __add__(self, other: ColumnCounts) -> ColumnCounts:
        return ColumnCounts(self.totals + other.totals, self.listings + other.listings,
                            self.unlisted | other.unlisted)

    def rows(self) -> Counter:
        """Rows per (file, field), as column_totals counts them over the whole run."""
        return self.totals + Counter((path, name) for path, name, _ in self.unlisted)


def column_counts(tables: Tables) -> ColumnCounts:
    listings = tables.listings
    per_path = listings.groupby("path").size().to_dict() if not listings.empty else {}
    totals = Counter(column_totals(tables))
    unlisted = _unlisted(tables)
    for path, name, _ in unlisted:
        totals[(path, name)] -= 1
    return ColumnCounts(+totals, Counter({str(k): int(v) for k, v in per_path.items()}),
                        unlisted)


def _unlisted(tables: Tables) -> frozenset:
    """(file, field, episode) of the claims that belong to no listing."""
    import pandas as pd

    claims = tables.claims
    if claims.empty:
        return frozenset()
    rows = claims.loc[claims["listing_id"].isna() & claims["path"].notna()
                      & claims["field"].notna(), ["path", "field", "episode"]]
    return frozenset((str(path), str(name), None if pd.isna(episode) else int(episode))
                     for path, name, episode in rows.drop_duplicates().itertuples(index=False))


def roll_up(findings: list[Finding], counts: ColumnCounts | Callable[[], ColumnCounts] | Tables,
            mostly: dict[str, float] | None = None) -> list[Finding]:
    """The findings with each column-wide group replaced by its one roll-up finding.

    `mostly` maps a rule id to its threshold (DEFAULT_MOSTLY when absent; 0 never rolls up).
    `counts`: the run's ColumnCounts, a function that computes them, or the run's tables.
    The result keeps the input's order for what was not rolled up; roll-ups take the place of
    their first row.
    """
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for index, finding in enumerate(findings):
        field = _row_field(finding)
        if field is not None:
            key = (finding.rule, finding.path, field, finding.severity.value)
            groups.setdefault(key, []).append(index)
    if not any(len(members) >= MIN_ROWS for members in groups.values()):
        return findings
    # Counted only now: most runs have no group large enough to roll up.
    if callable(counts):
        counts = counts()
    elif not isinstance(counts, ColumnCounts):
        counts = column_counts(counts)
    totals, per_path = counts.rows(), counts.listings
    replaced: dict[int, Finding | None] = {}
    for (rule, path, field, _), members in groups.items():
        threshold = (mostly or {}).get(rule, DEFAULT_MOSTLY)
        rows = {(findings[i].listing_id, findings[i].evidence[0].line) for i in members}
        count = len(rows)
        if count < MIN_ROWS or threshold <= 0:
            continue
        total = max(totals.get((path, field)) or int(per_path.get(path, 0)), count)
        if (total - count) / total >= threshold:
            continue
        ordered = sorted(members, key=lambda i: findings[i].sort_key())
        replaced[ordered[0]] = _column_finding([findings[i] for i in ordered], field, count, total)
        for i in ordered[1:]:
            replaced[i] = None
    out = []
    for index, finding in enumerate(findings):
        if index in replaced:
            if replaced[index] is not None:
                out.append(replaced[index])
        else:
            out.append(finding)
    return out


def _column_finding(members: list[Finding], field: str, count: int, total: int) -> Finding:
    first = members[0]
    share = count / total
    messages = {f.message for f in members}
    where = f"{count:,} of {total:,} rows of {field} ({format_share(share)})"
    if len(messages) == 1:
        message = f"{first.message}: {where}"
    else:
        message = f"{where} fail this rule; the first: {first.message}"
    rows: list[dict[str, Any]] = []
    for finding in members:
        evidence = finding.evidence[0]
        row: dict[str, Any] = {"line": evidence.line, "listing": finding.listing_key}
        if evidence.text:
            row["text"] = evidence.text
        rows.append(row)
    return replace(
        first, message=message, listing_id=None, listing_title=None, listing_key=None,
        evidence=[e for f in members[:EXAMPLES] for e in f.evidence[:1]],
        rollup=Rollup(field=field, count=count, total=total, rows=rows))

