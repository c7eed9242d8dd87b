"""Which texts a Python regular expression can match, found in one pass by RE2 over Arrow.

pandas gives a regex with inline flags, `\\s`, `\\b` or a look-around to Python's `re`, one
value at a time: on a catalogue's millions of claims that was most of the rules' time. Here
the expression is translated into an RE2 expression that matches *at least* every text
Python's does (look-arounds and word boundaries dropped, `\\s` spelled as Python's own white
space, `\\w`/`\\d` widened to their Unicode categories, `$` allowed before a final newline),
RE2 keeps the few candidates, and Python's `re` decides on those alone. The answer is
therefore Python's, exactly; RE2 only spares it the values that cannot match.

Case-insensitive matching folds letters differently in the two engines outside ASCII (Python
matches "i" to "İ", RE2 does not), so with ignore-case any text that is not pure ASCII goes
to Python whatever RE2 says, and a non-ASCII letter in the expression also admits the ASCII
letters Python folds it to. An expression the translation does not cover (back references,
ASCII or locale flags) is searched by Python alone.
"""

from __future__ import annotations

import re
import re._constants as sre  # noqa: PLC2701 - the parser's opcodes; stable within 3.11+
import re._parser as sre_parse  # noqa: PLC2701
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..arrow_ops import PY_SPACE

_ASCII_LETTERS = [chr(c) for c in range(0x41, 0x5B)] + [chr(c) for c in range(0x61, 0x7B)]


class _Untranslatable(Exception):
    pass


def _char(code: int) -> str:
    return f"\\x{{{code:X}}}"


_SPACE_ITEMS = "".join(_char(ord(c)) for c in PY_SPACE)


def _folded_ascii(item_pattern: str) -> str:
    """ASCII letters Python's ignore-case matching takes for this class item."""
    compiled = re.compile(f"(?i)[{item_pattern}]")
    return "".join(_char(ord(a)) for a in _ASCII_LETTERS if compiled.fullmatch(a))


class _Translator:
    def __init__(self, flags: int):
        if flags & (sre.SRE_FLAG_ASCII | sre.SRE_FLAG_LOCALE):
            raise _Untranslatable("ASCII or locale flag")
        self.ignore_case = bool(flags & sre.SRE_FLAG_IGNORECASE)
        self.multiline = bool(flags & sre.SRE_FLAG_MULTILINE)
        self.dotall = bool(flags & sre.SRE_FLAG_DOTALL)

    def sequence(self, items, head: bool = False, tail: bool = False) -> str:
        """`head`/`tail`: the items start/end every match of the whole expression, so a
        look-behind at the head or a look-ahead at the tail can be matched as text."""
        last = len(items) - 1
        return "".join(self.item(op, av, head and i == 0, tail and i == last)
                       for i, (op, av) in enumerate(items))

    def item(self, op, av, head: bool = False, tail: bool = False) -> str:  # noqa: C901
        if op is sre.LITERAL:
            if self.ignore_case and av > 0x7F:
                return f"[{_char(av)}{_folded_ascii(re.escape(chr(av)))}]"
            return _char(av)
        if op is sre.NOT_LITERAL:
            return f"[^{_char(av)}]"
        if op is sre.ANY:
            return "(?s:.)" if self.dotall else "[^\\n]"
        if op is sre.IN:
            return self.klass(av)
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.sequence(branch, head, tail) for branch in av[1]) + ")"
        if op is sre.SUBPATTERN:
            _group, add, remove, body = av
            if add or remove:
                return self.flagged(add, remove, body, head, tail)
            return "(?:" + self.sequence(body, head, tail) + ")"
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            inner = "(?:" + self.sequence(body) + ")"
            # Any count RE2 refuses (over 1,000) is widened: more texts pass, none is lost.
            if low > 1000:
                return inner + "*"
            if high is sre.MAXREPEAT or high > 1000:
                return inner + "{%d,}" % low
            return inner + "{%d,%d}" % (low, high)
        if op is sre.ATOMIC_GROUP:
            return "(?:" + self.sequence(av, head, tail) + ")"
        if op is sre.AT:
            return self.at(av)
        if op is sre.ASSERT and ((av[0] < 0 and head) or (av[0] > 0 and tail)):
            try:
                return "(?:" + self.sequence(av[1]) + ")"
            except _Untranslatable:
                return ""
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return ""  # a condition dropped can only let more texts through
        raise _Untranslatable(str(op))

    def flagged(self, add: int, remove: int, body, head: bool, tail: bool) -> str:
        if (add | remove) & ~(sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_MULTILINE | sre.SRE_FLAG_DOTALL):
            raise _Untranslatable("group flags")
        saved = (self.ignore_case, self.multiline, self.dotall)
        on = "".join(c for f, c in ((sre.SRE_FLAG_IGNORECASE, "i"), (sre.SRE_FLAG_MULTILINE, "m"),
                                    (sre.SRE_FLAG_DOTALL, "s")) if add & f)
        off = "".join(c for f, c in ((sre.SRE_FLAG_IGNORECASE, "i"), (sre.SRE_FLAG_MULTILINE, "m"),
                                     (sre.SRE_FLAG_DOTALL, "s")) if remove & f)
        self.ignore_case = (self.ignore_case or bool(add & sre.SRE_FLAG_IGNORECASE)) \
            and not remove & sre.SRE_FLAG_IGNORECASE
        self.multiline = (self.multiline or bool(add & sre.SRE_FLAG_MULTILINE)) \
            and not remove & sre.SRE_FLAG_MULTILINE
        self.dotall = (self.dotall or bool(add & sre.SRE_FLAG_DOTALL)) and not remove & sre.SRE_FLAG_DOTALL
        try:
            body_text = self.sequence(body, head, tail)
        finally:
            self.ignore_case, self.multiline, self.dotall = saved
        return f"(?{on}{'-' + off if off else ''}:{body_text})"

    def at(self, code) -> str:
        if code is sre.AT_BEGINNING:
            return "(?m:^)" if self.multiline else "\\A"
        if code is sre.AT_BEGINNING_STRING:
            return "\\A"
        if code is sre.AT_END:
            # Python's `$` also matches before a final newline.
            return "(?m:$)" if self.multiline else "(?:\\n?\\z)"
        if code is sre.AT_END_STRING:
            return "\\z"
        if code in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            return ""
        raise _Untranslatable(str(code))

    def klass(self, items) -> str:
        negated = bool(items) and items[0][0] is sre.NEGATE
        if negated:
            items = items[1:]
        parts, extra = [], []
        for op, av in items:
            if op is sre.LITERAL:
                parts.append(_char(av))
                if self.ignore_case and av > 0x7F and not negated:
                    parts.append(_folded_ascii(re.escape(chr(av))))
            elif op is sre.RANGE:
                low, high = av
                parts.append(f"{_char(low)}-{_char(high)}")
                if self.ignore_case and high > 0x7F and not negated:
                    parts.append(_folded_ascii(f"{re.escape(chr(low))}-{re.escape(chr(high))}"))
            elif op is sre.CATEGORY:
                # Positive: a superset of Python's category; negated: a subset of it, so
                # that what the class excludes never exceeds what Python's excludes.
                if av is sre.CATEGORY_SPACE:
                    parts.append(_SPACE_ITEMS)
                elif av is sre.CATEGORY_DIGIT:
                    parts.append("0-9" if negated else "\\p{Nd}")
                elif av is sre.CATEGORY_WORD:
                    parts.append("0-9A-Za-z_" if negated else "\\p{L}\\p{N}_")
                elif negated:
                    raise _Untranslatable("negated category in a negated class")
                elif av is sre.CATEGORY_NOT_DIGIT:
                    parts.append("\\D")
                elif av is sre.CATEGORY_NOT_WORD:
                    parts.append("\\W")
                elif av is sre.CATEGORY_NOT_SPACE:
                    extra.append(f"[^{_SPACE_ITEMS}]")
                else:
                    raise _Untranslatable(str(av))
            else:
                raise _Untranslatable(str(op))
        if negated:
            return f"[^{''.join(parts)}]" if parts else "(?s:.)"
        alternatives = ([f"[{''.join(parts)}]"] if parts else []) + extra
        if not alternatives:
            return "[^\\x{0}-\\x{10FFFF}]"  # an empty class matches nothing
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=512)
def translate(pattern: str) -> tuple[str, bool] | None:
    """(RE2 expression matching at least what `pattern` matches, whether ignore-case
    occurs anywhere), or None when the expression is outside the translation."""
    try:
        parsed = sre_parse.parse(pattern)
        translator = _Translator(parsed.state.flags)
        body = translator.sequence(list(parsed), head=True, tail=True)
    except (_Untranslatable, re.error, RecursionError):
        return None
    folds = bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE) or "(?i" in body
    return ("(?i)" if translator.ignore_case else "") + body, folds


# Below this many texts Python's `re` alone is faster: RE2 compiles its expression on every
# call, which costs what searching about a hundred page texts in Python costs.
PREFILTER_MIN_TEXTS = 64


def contains(texts: pd.Series, pattern: str) -> pd.Series:
    """`texts.str.contains(pattern, regex=True)` as Python's `re` answers it, with missing
    values False; Python searches only the texts RE2 cannot rule out."""
    if len(texts) < PREFILTER_MIN_TEXTS:
        return _by_python(texts, pattern)
    translated = translate(pattern)
    if translated is None:
        return _by_python(texts, pattern)
    re2, folds = translated
    try:
        array = pa.array(texts, type=pa.large_string(), from_pandas=True)
        candidate = pc.match_substring_regex(array, re2)
        if folds:
            candidate = pc.or_kleene(candidate, pc.invert(pc.string_is_ascii(array)))
        mask = pc.fill_null(candidate, False).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return _by_python(texts, pattern)
    result = pd.Series(False, index=texts.index)
    if mask.any():
        search = re.compile(pattern).search
        chosen = texts[mask]
        result[mask] = [search(text) is not None for text in chosen]
    return result


def _by_python(texts: pd.Series, pattern: str) -> pd.Series:
    search = re.compile(pattern).search
    return pd.Series([isinstance(t, str) and search(t) is not None for t in texts],
                     index=texts.index, dtype=bool)
