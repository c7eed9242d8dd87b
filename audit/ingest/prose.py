"""Facts stated in running prose: counts, status, kind and premiere dates.

Numbers only count when they qualify episodes, parts or seasons ("eight-episode series",
"a six-part drama", "spanning nine seasons", "(4 episodes)"); "four crew members" states
nothing. Status comes from phrases ("currently running", "has ended", "ran from 2005 to
2013", "<title> was a ... mini-series"). Each fact keeps the exact span that states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import MAX_VALUE_CHARS
from .dates import DATE_PATTERN, iso_from_match

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

NUMBER_WORDS: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: i + 10 for i, w in enumerate(_TEENS)})
for _i, _ten in enumerate(_TENS):
    NUMBER_WORDS[_ten] = (_i + 2) * 10
    for _j, _unit in enumerate(_UNITS):
        NUMBER_WORDS[f"{_ten}-{_unit}"] = (_i + 2) * 10 + _j + 1
        NUMBER_WORDS[f"{_ten} {_unit}"] = (_i + 2) * 10 + _j + 1
NUMBER_WORDS["a dozen"] = 12
NUMBER_WORDS["dozen"] = 12


def _trie(words: list[str]) -> str:
    """One expression matching any of `words`, as a tree of their shared prefixes.

    Same matches as the alternation of the words longest first: the words a text can match
    at one position are prefixes of one another, and a greedy optional tail tries the longer
    before the shorter. But the engine steps through one letter's branch instead of trying
    170 words one after another at every word of every text (3-4 times slower)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def expression(node: dict) -> str:
        branches = [re.escape(char) + expression(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return expression(tree)


_NUM = r"(?P<n>\d{1,4}|" + _trie(sorted(NUMBER_WORDS)) + r")"

# Words before a count that make it a part of the run rather than its size
# ("after two seasons", "its first three episodes", "the last six episodes").
_NOT_A_TOTAL = r"(?<!\bafter )(?<!\bfirst )(?<!\blast )(?<!\bnext )(?<!\bprevious )(?<!\bpast )" \
               r"(?<!\bover )(?<!\bwithin )(?<!\bthese )(?<!\bthe other )(?<!\bremaining )"

# Both count patterns first ask for a word starting with a digit or a letter (what every
# count starts with), then look behind: at most positions the lookbehinds are never tried.
_COUNT_START = r"\b(?=[\da-z])"
EPISODE_COUNT = re.compile(
    # "48 parts of his body", "three chapters of the book" are parts of something else;
    # "two part-time actors" are no parts at all.
    _COUNT_START + _NOT_A_TOTAL + r"\b" + _NUM
    + r"(?:[- ]|\s+)(?P<unit>episodes?|(?:parts?|chapters?)(?!\s+of\b))\b(?!-)"
    # "a two-part finale" (or "season finale", "pilot") is one episode told in two parts,
    # not a count of episodes.
    r"(?!\s+(?:(?:season|series)\s+)?"
    r"(?:episode|finale|premiere|pilot|special|story|storyline|arc|opener|closer)s?\b)"
    r"(?:\s+(?:mini-?series|limited\s+series|series|drama|show|season|run|serial|programme)\b)?",
    re.IGNORECASE,
)
# Seasons of sport, of nature or of a year are no count of a show's seasons: "the 2017-18
# season", "its 2018 season", "through four seasons of change", "in three seasons, each with
# its challenges" (catalogue descriptions); "the Four Seasons" is a name (see _season_counts).
SEASON_COUNT = re.compile(
    _COUNT_START + _NOT_A_TOTAL + r"(?<![-\u2013/])(?<!\bthrough )(?<!\bin )\b" + _NUM
    + r"(?:[- ]|\s+)(?P<unit>seasons?)\b"
    r"(?!\s+(?:later|earlier|before|after|ago)\b)",
    re.IGNORECASE,
)
RUNNING = re.compile(
    r"\b(?:is|are)\s+(?:currently|still)\s+(?:running|airing|on\s+the\s+air|in\s+production)\b"
    r"|\bcurrently\s+(?:running|airing|in\s+production)\b"
    r"|\bis\s+(?:an\s+)?ongoing\b|\breturning\s+series\b|\bhas\s+been\s+renewed\b",
    re.IGNORECASE,
)
# "has ended", "ended in 2013", "was cancelled" say nothing about the listing unless their
# subject is the listing ("the war has ended" is a plot): see _SUBJECT.
ENDED_WITH_SUBJECT = re.compile(
    r"\b(?:has|had)\s+(?:ended|concluded|finished\s+airing|wrapped\s+up)\b"
    r"|\b(?:ended|concluded)\s+(?:in|on)\s+(?:\w+\s+){0,2}\d{4}\b"
    r"|\bwas\s+(?:cancell?ed|axed)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"\b(?:series|show|programme|program|sitcom|drama|it)"
                      r"(?:\s+(?:that|which))?(?:\s+(?:was|has|had))?\s*\Z", re.IGNORECASE)
ENDED = re.compile(
    r"\bran\s+from\s+\d{4}\s*(?:to|until|through|-|\u2013)\s*\d{4}\b"
    r"|\bran\s+for\s+\S+\s+(?:seasons?|episodes?|years?)\b"
    r"|\bfinal\s+episode\s+aired\b",
    re.IGNORECASE,
)
_PAST_KINDS = (r"(?:television\s+|tv\s+)?(?:mini-?series|limited\s+series|series|show|sitcom|"
               r"drama|programme|program|serial|anthology)")
# "<subject> was a ... series": the listing described in the past tense, so it has ended.
PAST_TENSE_SUBJECT = r"(?:{title}|the\s+(?:series|show|programme|program))"
# The words between "was a" and the kind never include a preposition: in "was a reboot of
# the 1990s series" the series is another programme, not this one.
_PAST_TENSE_TAIL = (r"\s+(?P<span>was\s+an?\s+"
                    r"(?:(?!(?:of|from|by|for|to|with|about|like|than|on|in|and|but|or)\b)[\w'\u2019.-]+\s+){0,6}?"
                    + _PAST_KINDS + r")\b")

_PAST_TAIL = re.compile(_PAST_TENSE_TAIL, re.IGNORECASE)
_GENERIC_SUBJECT = re.compile(r"the\s+(?:series|show|programme|program)\Z", re.IGNORECASE)
_COUNT_UNITS = re.compile(r"episode|part|chapter", re.IGNORECASE)


def _past_tense(text: str, title: str | None):
    """Matches of PAST_TENSE_SUBJECT + _PAST_TENSE_TAIL, without compiling a pattern per title
    (a catalogue has thousands of titles)."""
    wanted = title.strip().casefold() if title and title.strip() else None
    for match in _PAST_TAIL.finditer(text):
        before = text[:match.start()]
        if (wanted and before.casefold().endswith(wanted)) or _GENERIC_SUBJECT.search(before[-40:]):
            yield match


MINISERIES = re.compile(r"\b(?:mini-?series|limited\s+series)\b", re.IGNORECASE)

PREMIERE = re.compile(
    r"\b(?:first\s+aired|premiered|debuted|first\s+broadcast|originally\s+aired)"
    r"(?:\s+on\s+\w+(?:\s+\w+)?)?\s+(?:on|in)\s+",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\b")

_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split())}
# A count in a sentence about one season ("the second season has ten episodes") sizes that
# season; in a sentence about every season ("each season runs six episodes") it sizes none.
_EVERY_SEASON = re.compile(r"\b(?:each|every|per|a)\s+season\b", re.IGNORECASE)
_ONE_SEASON = re.compile(
    r"\b(?:(?P<ordinal>" + "|".join(_ORDINALS) + r")\s+season|season\s+(?P<number>\d{1,3}))\b",
    re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


# --- is a fact about this listing as a whole? ------------------------------------------------
# Prose about a title also tells its history, its other versions and works, one season's
# events, plans and denials. None of these states the listing's own count, premiere or
# status; where a phrase may be one of them, no claim is made (a missed claim costs little,
# a false error costs the gate).

# Other works and versions: "a four-part OVA followed", "the manga ran from 1997 to 2006",
# "45 episodes in the US version", "the English dub".
_OTHER_WORK = re.compile(
    r"\b(?:OVAs?|OAVs?|OVA['’]s|manga|manhwa|novels?|light\s+novels?|comics?|volumes?|"
    r"tank[oō]bon|films?|movies?|video\s+games?|games?|sequels?|prequels?|spin-?offs?|"
    r"remakes?|reboots?|revivals?|versions?|dub|dubbed|dubs|localized|localised|"
    r"adaptations?\s+of|podcasts?|albums?|books?|webisodes?|franchise)\b", re.IGNORECASE)
# A version named by its market: "aired on Fox Kids in North America", "in the US".
_VERSION = re.compile(
    r"\b(?:versions?|dub|dubbed|localized|localised|english-language|"
    r"in\s+north\s+america|in\s+the\s+(?:us|u\.s\.|uk|u\.k\.|united\s+states|united\s+kingdom))\b",
    re.IGNORECASE)
# Plans and orders are not what was made: "planned for 52 episodes", "renewed for a third season".
_PLANNED = re.compile(
    r"\b(?:plann?ed|scheduled|intended|expected|supposed|slated|set\s+to|would|was\s+to|were\s+to|"
    r"ordered|renewed|picked\s+up|greenlit|greenlighted|announced|originally)\b", re.IGNORECASE)
# A denial: "weren't mentioned as returning", "has not ended", "no longer airing".
_NEGATED = re.compile(r"(?:\b(?:not|never|no|nor|neither|without)\b|n['’]t\b)", re.IGNORECASE)
# An earlier run or a point in time: "a decade after their eight-season run", "since its
# original 26-episode run".
_HISTORY = re.compile(
    r"(?:\b(?:after|since|following|before|during|throughout|than|until|unlike)\s+"
    r"(?:[\w'’]+\s+){0,2}|\b(?:their|his|her|original|previous|earlier|former|prior)\s+)\Z",
    re.IGNORECASE)
# One part of a larger whole: "the first of a two-part biopic", "the first half of an epic
# two-part stand-up special".
_PART_OF = re.compile(
    r"\b(?:first|second|third|last|final|half|one|installment|instalment|entry)\s+of\s+"
    r"(?:an?|the|this)\s+(?:[\w'’]+\s+){0,2}\Z", re.IGNORECASE)
# The subject of a premiere that is not the listing: "the fourth season premiered".
_NOT_THE_LISTING = re.compile(
    r"\b(?:seasons?|episodes?|finale|part|chapter|series\s+\d+)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r".*(?:[,;:(–—]|\s-\s|\bwhile\b|\bwhereas\b|\band\b)",
                           re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"\S+")


def _last_words(text: str, count: int) -> str:
    words = _WORD.findall(text)
    return " ".join(words[-count:]) + (" " if words else "")


def _next_words(text: str, count: int) -> str:
    phrase = re.split(r"[,.;:!?()\n]", text, maxsplit=1)[0]
    return " ".join(_WORD.findall(phrase)[:count])


def _about_this_listing(text: str, sentence: tuple[int, int], fact: "ProseFact",
                        title: str | None) -> bool:
    start, end = sentence
    before = text[start:fact.start]
    clause = before[_CLAUSE_START.match(before).end():] if _CLAUSE_START.match(before) else before
    near = _last_words(before, 8)
    if _NEGATED.search(_last_words(clause, 5)) or _PLANNED.search(near):
        return False
    if fact.field == "premiere_date":
        return not (_OTHER_WORK.search(clause) or _NOT_THE_LISTING.search(clause))
    if fact.field == "status":
        if _OTHER_WORK.search(near):
            return False
        if ENDED_WITH_SUBJECT.match(fact.text):
            subject = before.rstrip()
            return bool(_SUBJECT.search(subject)) or bool(
                title and subject.casefold().endswith(title.strip().casefold()))
        return True
    # counts
    if _HISTORY.search(before) or _PART_OF.search(before) or _VERSION.search(text[start:end]):
        return False
    return not (_OTHER_WORK.search(near) or _OTHER_WORK.search(_next_words(text[fact.end:end], 6)))


@dataclass(frozen=True)
class ProseFact:
    field: str
    value: str
    number: float | None
    start: int
    end: int
    text: str
    scope: str = ""


def number_value(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _count_facts(text: str, pattern: re.Pattern[str], field: str) -> list[ProseFact]:
    facts = []
    for match in pattern.finditer(text):
        value = number_value(match.group("n"))
        if not value:
            continue
        facts.append(ProseFact(field, str(value), float(value), match.start(), match.end(),
                               match.group(0)))
    return facts


def _season_counts(text: str) -> list[ProseFact]:
    """Season counts, leaving out years ("2018 season") and names ("the Four Seasons")."""
    facts = []
    for fact in _count_facts(text, SEASON_COUNT, "season_count"):
        number = fact.text.split()[0].split("-")[0]
        if fact.number >= 100 or (number[:1].isupper() and fact.text.split()[-1][:1].isupper()
                                  and fact.start > 0):
            continue
        facts.append(fact)
    return facts


def _nearest_season(seasons: list[tuple[int, int]], position: int) -> int:
    """The season named last before a count, else the first named after it."""
    before = [season for start, season in seasons if start < position]
    return before[-1] if before else seasons[0][1]


def _scoped_episode_counts(text: str) -> list[ProseFact]:
    facts = []
    for sentence in _SENTENCE.finditer(text):
        counts = _count_facts(sentence.group(0), EPISODE_COUNT, "episode_count")
        if not counts:
            continue
        start = sentence.start()
        moved = [ProseFact(f.field, f.value, f.number, f.start + start, f.end + start, f.text)
                 for f in counts]
        if _EVERY_SEASON.search(sentence.group(0)):
            continue
        seasons = [(m.start(), _ORDINALS[m.group("ordinal").lower()] if m.group("ordinal")
                    else int(m.group("number"))) for m in _ONE_SEASON.finditer(sentence.group(0))]
        if seasons:
            moved = [ProseFact("season_episode_count", f.value, f.number, f.start, f.end, f.text,
                               scope=f"season {_nearest_season(seasons, f.start - start)}")
                     for f in moved]
        facts += moved
    return facts


def extract(text: str, title: str | None = None) -> list[ProseFact]:
    """Every fact stated in one piece of prose, in order of position."""
    # Facts are stated early; the builder reports a longer text as cut (LA002).
    text = text[:MAX_VALUE_CHARS]
    # Cheap gates first: the count patterns are costly and most prose states no count.
    facts = _scoped_episode_counts(text) if _COUNT_UNITS.search(text) else []
    facts += _season_counts(text) if "season" in text.casefold() else []
    for match in RUNNING.finditer(text):
        facts.append(ProseFact("status", "running", None, match.start(), match.end(), match.group(0)))
    for pattern in (ENDED, ENDED_WITH_SUBJECT):
        for match in pattern.finditer(text):
            facts.append(ProseFact("status", "ended", None, match.start(), match.end(),
                                   match.group(0)))
    for match in _past_tense(text, title):
        facts.append(ProseFact("status", "ended", None, match.start("span"), match.end("span"),
                               match.group("span")))
    for match in MINISERIES.finditer(text):
        facts.append(ProseFact("kind", "miniseries", None, match.start(), match.end(), match.group(0)))
    for match in PREMIERE.finditer(text):
        rest = text[match.end():]
        date = DATE_PATTERN.match(rest)
        if date and iso_from_match(date):
            end = match.end() + date.end()
            facts.append(ProseFact("premiere_date", iso_from_match(date), None, match.start(), end,
                                   text[match.start():end]))
            continue
        year = _YEAR.match(rest)
        if year:
            end = match.end() + year.end()
            facts.append(ProseFact("premiere_date", year.group("year"), None, match.start(), end,
                                   text[match.start():end]))
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]

    def sentence_of(fact: ProseFact) -> tuple[int, int]:
        return next(((a, b) for a, b in sentences if a <= fact.start < b), (0, len(text)))

    kept = [fact for fact in facts if fact.field == "kind"
            or _about_this_listing(text, sentence_of(fact), fact, title)]
    return sorted(_unambiguous(kept), key=lambda f: (f.start, f.field))


def _unambiguous(facts: list[ProseFact]) -> list[ProseFact]:
    """One text stating two different counts of one thing ("38 episodes" and later "52
    episodes") is telling of two things; which is this listing's is a guess, so neither
    is claimed."""
    values: dict[tuple[str, str], set[float]] = {}
    for fact in facts:
        if fact.number is not None:
            values.setdefault((fact.field, fact.scope), set()).add(fact.number)
    return [f for f in facts if f.number is None or len(values[(f.field, f.scope)]) == 1]
