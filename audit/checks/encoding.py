"""encoding: text decoded with the wrong character set (mojibake), recognised and repaired by ftfy.

    fields: [title, description, ...]

ftfy knows how UTF-8 looks once read as Windows-1252, Latin-1, Mac Roman, Windows-1251,
Latin-2 or code page 437, and undoes it only when the repair decodes cleanly, so real accents,
symbols and non-Latin scripts are left alone. A value is reported when ftfy repairs its
encoding; the evidence is the first damaged stretch, and the message names the character set
and what the damaged word reads once repaired.

ftfy's own test for "this looks like mojibake" is one regular expression (ftfy.badness);
it runs over the column's non-ASCII values at once, so ftfy's repair runs only on the few
values it flags.
"""

from __future__ import annotations

import difflib

import pandas as pd

from ..model import Evidence
from ..tables import Tables
from .base import Context, Hit, Param, as_list, optional_int, select_claims

KIND = "encoding"
PARAMETERS = {
    "fields": Param((list, str), required=True, help="claim fields whose text is examined"),
}
VARIABLES = {"match", "label", "field", "repaired"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"

# ftfy's names for the character sets it undoes, as a catalogue editor knows them. Latin-1
# and Windows-1252 differ only in characters that never survive as mojibake of UTF-8, so
# both are named after Windows-1252, the one that wrote them.
_CHARSETS = {
    "latin-1": "Windows-1252", "sloppy-windows-1252": "Windows-1252",
    "windows-1252": "Windows-1252", "macroman": "Mac Roman", "sloppy-windows-1251": "Windows-1251",
    "windows-1251": "Windows-1251", "iso-8859-2": "Latin-2", "sloppy-windows-1250": "Windows-1250",
    "cp437": "code page 437",
}


def _label(explanation: list[tuple[str, str]]) -> str | None:
    """'UTF-8 read as Windows-1252' from ftfy's steps, or None when no re-decoding was done."""
    encoded = next((arg for step, arg in explanation if step == "encode"), None)
    decoded = next((arg for step, arg in explanation if step == "decode"), None)
    if encoded is None or decoded is None:
        return None
    source = "UTF-8" if decoded.startswith("utf-8") else decoded
    return f"{source} read as {_CHARSETS.get(encoded, encoded)}"


_PUNCTUATION = ".,:;!?()[]\"'\u201c\u201d\u2018"


def _damage(text: str, repaired: str) -> tuple[int, str, str] | None:
    """(offset, damaged stretch, the word it belongs to once repaired) of the first change."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, text, repaired, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = j1
        while start > 0 and not repaired[start - 1].isspace():
            start -= 1
        end = j2
        while end < len(repaired) and not repaired[end].isspace():
            end += 1
        word = repaired[start:end].strip(_PUNCTUATION) or repaired[start:end]
        return i1, text[i1:i2] or text[max(i1 - 1, 0):i1 + 1], word
    return None


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    rows = select_claims(tables.claims, as_list(params["fields"]))
    rows = rows[rows["text"].notna() & (rows["text"] != "")]
    # ASCII text is never mojibake (ftfy leaves it alone), and most catalogue text is ASCII.
    rows = rows[rows["text"].str.contains(r"[^\x00-\x7f]", regex=True, na=False)]
    if rows.empty:
        return []
    # Loaded only for text that may need it: ftfy is a tenth of a one-page run's imports.
    import ftfy
    from ftfy.badness import BADNESS_RE

    suspects = rows[rows["text"].str.contains(BADNESS_RE, na=False)]
    hits = []
    for row in suspects.itertuples(index=False):
        fixed = ftfy.fix_encoding_and_explain(row.text)
        label = _label(fixed.explanation or [])
        damage = _damage(row.text, fixed.text) if label else None
        if damage is None:
            continue
        offset, match, repaired = damage
        # Offsets hold on the value's first line; further lines point at the value's start.
        exact = "\n" not in row.text[:offset]
        column = None if pd.isna(row.column) else int(row.column) + (offset if exact else 0)
        hits.append(Hit(
            path=row.path, listing_id=None if pd.isna(row.listing_id) else row.listing_id,
            evidence=[Evidence(path=row.path, line=optional_int(row.line), column=column,
                               text=match, field=row.field, value=row.value, source=row.source)],
            variables={"match": match, "label": label, "field": row.field.replace("_", " "),
                       "repaired": repaired}))
    return hits
