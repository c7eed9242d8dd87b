"""The RE2 prefilter never loses a text Python's `re` matches, so pattern checks stay exact."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from hypothesis import given, settings, strategies as st

from audit.checks.prefilter import PREFILTER_MIN_TEXTS, contains, translate

ROOT = Path(__file__).resolve().parent.parent


def _rule_regexes() -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("regex", "matches", "exclude") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "rules").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


RULE_REGEXES = _rule_regexes()
# Characters where the engines differ: Unicode space and digits, case folds Python makes
# and RE2 does not (İ/i, K/k, ſ/s), newlines before the end, combining marks, NUL.
TRICKY = ("aAiIkKsSzZ09_ ,.;:-'\"!?()\t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2003\u2028\u202f\u3000"
          "İıKſßẞéÉ٣०ǅ\u0301\x00\ufeff\u200b…–—«»™")
_TEXTS = st.text(alphabet=st.sampled_from(TRICKY), max_size=14)


def test_every_built_in_regex_is_translated():
    assert RULE_REGEXES
    for regex in RULE_REGEXES:
        for flags in ("(?si)", "(?s)"):
            assert translate(flags + regex) is not None, regex


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=40))
def test_equal_to_python_on_every_built_in_regex(texts):
    # Enough texts for the RE2 pass to run (fewer are searched by Python alone).
    texts = (texts * PREFILTER_MIN_TEXTS)[:max(len(texts), PREFILTER_MIN_TEXTS)]
    series = pd.Series(texts, dtype="string[pyarrow]")
    for regex in RULE_REGEXES:
        for flags in ("(?si)", "(?s)"):
            pattern = flags + regex
            expected = [re.search(pattern, t) is not None for t in texts]
            assert contains(series, pattern).tolist() == expected, (pattern, texts)


@settings(max_examples=200, deadline=None)
@given(text=_TEXTS, regex=st.sampled_from([
    r"\bword\b", r"\s+$", r"^\s", r"[^\s,]+,", r"\w+\d", r"[\W_]{2}", r"\D\S", r"(?i:k)s",
    r"(?<=\S)[ \t\u00a0]+(?=,)", r"(?<!\d)0{2,}", r"x{1001,}", r"[İ]", r"[à-ÿ]", r"i$", r"(?m)^a",
    r"(?-i:S)", r"\Aa|z\Z", r"(?>ab|a)c", r"a*+b",
]), ignore_case=st.booleans())
def test_translation_never_narrower_than_python(text, regex, ignore_case):
    pattern = ("(?si)" if ignore_case else "(?s)") + regex
    re2, folds = translate(pattern)
    array = pa.array([text], type=pa.large_string())
    admitted = pc.match_substring_regex(array, re2)[0].as_py() or (folds and not text.isascii())
    if re.search(pattern, text):
        assert admitted, (pattern, re2, text)


def test_untranslatable_expressions_fall_back_to_python():
    assert translate(r"(a)\1") is None
    assert translate(r"(?a)\w") is None
    for copies in (1, PREFILTER_MIN_TEXTS):  # searched by Python alone, and after RE2
        series = pd.Series(["aa", "ab", None] * copies, dtype="string[pyarrow]")
        assert contains(series, r"(a)\1").tolist() == [True, False, False] * copies
        assert contains(series, r"(?i)B").tolist() == [False, True, False] * copies
