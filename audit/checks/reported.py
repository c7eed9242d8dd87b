"""reported: defects an input adapter met while reading (a file it could not parse, a value
that broke the format's own schema). The adapter names the rule; this check emits them when
that rule is selected, so such findings obey --select, --ignore and severities like any other.
"""

from __future__ import annotations

import pandas as pd

from ..model import Evidence
from ..tables import Tables
from .base import Context, Hit, optional_int

KIND = "reported"
PARAMETERS: dict = {}
VARIABLES = {"problem"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    rows = tables.problems[tables.problems["rule"] == ctx.rule_id]
    hits = []
    for row in rows.itertuples(index=False):
        evidence = [Evidence(path=row.path, line=optional_int(row.line),
                             column=optional_int(row.column),
                             text="" if pd.isna(row.text) else row.text,
                             field="" if pd.isna(row.field) else row.field,
                             value=None if pd.isna(row.value) else row.value)]
        hits.append(Hit(path=row.path, listing_id=None if pd.isna(row.listing_id) else row.listing_id,
                        evidence=evidence, variables={"problem": row.message}))
    return hits
