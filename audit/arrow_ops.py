"""Operations on text columns that pandas does one value at a time and Arrow does at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# str.isspace() over every code point: what str.split() splits on, str.strip() strips and
# Python's `\s` matches in a str pattern (tests/test_prefilter.py checks it against the
# live interpreter).
PY_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
            "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def among(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """`values.isin(allowed)` for text columns, hashed by Arrow.

    pandas turns every allowed value into an Arrow scalar one by one before looking up an
    Arrow-backed column: with a catalogue's 10^5 listing ids that is seconds per call, and
    rules make such calls dozens of times. A missing value is among them when one of them is
    missing, as with isin.
    """
    try:
        found = pc.is_in(pa.array(values, type=pa.large_string(), from_pandas=True),
                         value_set=pa.array(allowed.dropna(), type=pa.large_string(),
                                            from_pandas=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return values.isin(allowed)  # not all text: pandas compares any type
    result = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    if allowed.isna().any():
        result = result | values.isna().to_numpy()
    return pd.Series(result, index=values.index, dtype=bool)


def _character_class(characters: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in characters) + "]"


# The runs of white space that are not already one plain space: two characters or more, or
# one other than " ". Each is replaced whole (at a run's first character the longer branch
# takes the whole run), and the single spaces between words, most of any text, are no
# matches to rewrite: 8x faster than replacing every run.
_RUNS_TO_COLLAPSE = (_character_class(PY_SPACE) + "{2,}|"
                     + _character_class(PY_SPACE.replace(" ", "")))


def collapse_space(values: pd.Series) -> pd.Series:
    """`values.str.split().str.join(" ")` (runs of white space as one space, none at either
    end) by Arrow instead of a Python list per value."""
    try:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return values.str.split().str.join(" ")
    spaced = pc.replace_substring_regex(array, _RUNS_TO_COLLAPSE, " ")
    trimmed = pc.utf8_trim(spaced, characters=PY_SPACE)
    return _objects(trimmed, values.index)


def strip_space(values: pd.Series) -> pd.Series:
    """`values.str.strip()` of a column of text objects, by Arrow; missing stays NaN."""
    try:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return values.str.strip()
    return _objects(pc.utf8_trim(array, characters=PY_SPACE), values.index)


def _objects(array: pa.Array, index: pd.Index) -> pd.Series:
    """Python strings, missing as NaN: what pandas' string methods give on objects."""
    out = array.to_numpy(zero_copy_only=False)
    out[pc.is_null(array).to_numpy(zero_copy_only=False)] = np.nan
    return pd.Series(out, index=index, dtype=object)
