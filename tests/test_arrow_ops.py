"""Arrow's versions of pandas text operations give pandas' answers exactly."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st

from audit.arrow_ops import PY_SPACE, among, collapse_space, strip_space

# White space Python knows and ASCII does not, letters, NUL, a zero-width space (not space).
_TEXTS = st.text(alphabet=st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2003\u2028\u3000"
                                          "\u200b\ufeff\x00é"), max_size=12)


def test_space_is_pythons():
    assert PY_SPACE == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=20), missing=st.booleans())
def test_collapse_space_is_split_and_join(texts, missing):
    series = pd.Series(texts + ([None] if missing else []), dtype="str")
    expected = series.str.split().str.join(" ")
    got = collapse_space(series)
    assert got.dtype == expected.dtype
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), _TEXTS), min_size=1, max_size=20))
def test_strip_space_is_str_strip(texts):
    series = pd.Series(texts, dtype=object)
    expected = series.str.strip()
    got = strip_space(series)
    assert got.dtype == expected.dtype
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.sampled_from(["s1", "s2", "s3", ""])), max_size=15),
       allowed=st.lists(st.one_of(st.none(), st.sampled_from(["s1", "s3", ""])), max_size=5))
def test_among_is_isin(values, allowed):
    series = pd.Series(values, dtype="str")
    assert among(series, pd.Series(allowed, dtype="str")).tolist() == \
        series.isin(pd.Series(allowed, dtype="str")).tolist()
