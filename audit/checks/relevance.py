"""relevance: episode text about something else.

A synopsis is judged against what its listing says elsewhere: title, description, summary,
and the other (different) synopses of the same listing, so a character who recurs across
episodes counts as known even when the description never names them. A synopsis is
reported when few of its salient terms and few of its names are known to the listing; where
the listing has other, different synopses the bar is lower still, since an episode built
around guest characters shares little with the description and is still about the show.
A listing with little text to compare against is not judged: silence beats a guess.
"""

from __future__ import annotations

import pandas as pd

from ..arrow_ops import among, collapse_space
from ..tables import Tables
from .base import Context, Hit, Param, claim_evidence_by_group, select_claims

KIND = "relevance"
PARAMETERS = {
    "field": Param((str,), default="synopsis", help="the episode text judged"),
    "context": Param((list,), default=["title", "description", "summary"],
                     help="listing fields that say what the listing is about"),
    "min_terms": Param((int,), default=8, help="shorter texts are not judged"),
    "min_context_terms": Param((int,), default=40, help="listings with less context are not judged"),
    "max_shared": Param((float,), default=0.25, help="report when at most this share of terms is known"),
    "max_shared_among_others": Param(
        (float,), default=0.05,
        help="the same where the listing has other, different synopses: a guest-led episode "
             "shares little with the description yet belongs to the show"),
    "max_names_shared": Param((float,), default=0.5, help="...and at most this share of names"),
    "min_unknown_names": Param((int,), default=2, help="...and at least this many names are unknown"),
}
VARIABLES = {"shared", "total", "unknown_names", "episodes"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"

# Apostrophes end a word, so "America's" yields "America" (and a lone "s", too short to count).
_WORD = r"[a-z][a-z-]+"
_NAME = r"\b[A-Z][a-z]{2,}"
# Capitalised only because they open a sentence: never names.
_SENTENCE_STARTERS = frozenset("""
the and but for nor yet its his her she they you our their when while after before as
meanwhile then now later soon elsewhere back once with without during upon this that these
those there here what who how why one two three four five six all both each some many most
""".split())
_STOPWORDS = frozenset("""
about above after again against also among another around away back because been before
being below between both came come comes could does doing down during each even every
find finds first from gets give goes going have having here into just know last leads
like made make makes many more most much must never next only other over own same season
series episode show shows should some still such take takes than that their them then there
these they thing things this those though through time together under until upon very want
wants were what when where which while will with within without would your after tells
""".split())


def _tokens(texts: pd.Series, pattern: str) -> pd.Series:
    """Every match of `pattern` in each text, one row per match, indexed by its text's row.

    Arrow-backed strings keep the per-token work in compiled code (hundreds of thousands
    of tokens on a large catalogue)."""
    return texts.str.findall(pattern).explode().dropna().astype("string[pyarrow]")


def _terms(texts: pd.Series) -> pd.Series:
    """Salient terms of each text: lower-case, no stop words, a crude plural fold."""
    words = _tokens(texts.str.lower(), _WORD)
    # Stop words go before the plural fold too, or "series" would pass as "serie".
    words = words[~words.isin(_STOPWORDS)].str.replace(r"^([a-z]{3,})s$", r"\1", regex=True)
    return words[(words.str.len() >= 4) & ~words.isin(_STOPWORDS)]


def _names(texts: pd.Series) -> pd.Series:
    names = _tokens(texts, _NAME).str.lower()
    return names[~names.isin(_STOPWORDS) & ~names.isin(_SENTENCE_STARTERS)]


def _vocabulary(rows: pd.DataFrame, column: str, extract) -> pd.DataFrame:
    found = extract(rows[column])
    return rows.loc[found.index, ["listing_id", "folded"]].assign(term=found.values).drop_duplicates()


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    targets = select_claims(tables.claims, [params["field"]], level="episode")
    targets = targets[targets["text"].notna()]
    if targets.empty:
        return []
    context = select_claims(tables.claims, params["context"], level="listing")
    context = context[among(context["listing_id"], targets["listing_id"]) & context["text"].notna()]
    context = context.assign(folded="")
    # Only listings with enough context are judged: the others are dropped before their
    # synopses are tokenised, which on a catalogue is most of the work.
    context_terms = _vocabulary(context, "text", _terms)[["listing_id", "term"]].drop_duplicates()
    sizes = context_terms.groupby("listing_id").size()
    enough = sizes.index[sizes >= params["min_context_terms"]]
    targets = targets[among(targets["listing_id"], pd.Series(enough))]
    if targets.empty:
        return []
    context = context[among(context["listing_id"], pd.Series(enough))]
    targets = targets.assign(folded=collapse_space(targets["text"].str.casefold()))
    distinct = targets.drop_duplicates(["listing_id", "folded"])

    hits = []
    judged = None
    known_terms = context_terms[among(context_terms["listing_id"], pd.Series(enough))]
    for name, extract in (("terms", _terms), ("names", _names)):
        own = _vocabulary(distinct, "text", extract)
        listing_words = known_terms if name == "terms" else _vocabulary(
            context, "text", extract)[["listing_id", "term"]].drop_duplicates()
        # A term of this synopsis is known when the listing says it, or another synopsis does.
        in_synopses = own.groupby(["listing_id", "term"]).size().rename("synopses").reset_index()
        own = own.merge(in_synopses, on=["listing_id", "term"], how="left")
        own = own.merge(listing_words.assign(in_listing=True), on=["listing_id", "term"], how="left")
        own["known"] = own["in_listing"].fillna(False).astype(bool) | (own["synopses"] >= 2)
        grouped = own.groupby(["listing_id", "folded"])
        summary = pd.DataFrame({f"{name}_total": grouped.size(),
                                f"{name}_known": grouped["known"].sum()})
        if name == "names":
            unknown = own[~own["known"]].sort_values("term").groupby(["listing_id", "folded"])["term"]
            summary["unknown_names"] = unknown.agg(lambda t: ", ".join(w.title() for w in t))
        context_size = listing_words.groupby("listing_id").size().rename(f"{name}_context")
        summary = summary.join(context_size, on="listing_id")
        judged = summary if judged is None else judged.join(summary, how="left")

    judged = judged.fillna({"names_total": 0, "names_known": 0, "unknown_names": "",
                            "terms_context": 0})
    share = judged["terms_known"] / judged["terms_total"]
    distinct_synopses = distinct.groupby("listing_id").size()
    others = judged.index.get_level_values("listing_id").astype("str").map(distinct_synopses) > 1
    max_share = pd.Series(params["max_shared"], index=judged.index).where(
        ~others, params["max_shared_among_others"])
    names_share = (judged["names_known"] / judged["names_total"]).fillna(1.0)
    off_topic = judged[
        (judged["terms_total"] >= params["min_terms"])
        & (judged["terms_context"] >= params["min_context_terms"])
        & (share <= max_share)
        & (names_share <= params["max_names_shared"])
        & (judged["names_total"] - judged["names_known"] >= params["min_unknown_names"])
    ]
    if off_topic.empty:
        return []
    keys = ["listing_id", "folded"]
    judged_rows = targets.merge(off_topic.index.to_frame(index=False), on=keys)
    evidence = claim_evidence_by_group(judged_rows, keys)
    numbers = judged_rows[keys + ["episode"]].merge(tables.episodes[["listing_id", "episode", "number"]].astype(
        {"episode": "Int64"}), on=["listing_id", "episode"]).dropna(subset=["number"])
    listed = numbers.sort_values("number").groupby(keys)["number"].agg(
        lambda n: ", ".join(str(int(x)) for x in n))
    paths = judged_rows.groupby(keys)["path"].first()
    hits = []
    for (listing_id, folded), row in off_topic.iterrows():
        hits.append(Hit(
            path=paths[(listing_id, folded)], listing_id=listing_id,
            evidence=evidence[(listing_id, folded)],
            variables={"shared": int(row["terms_known"]), "total": int(row["terms_total"]),
                       "unknown_names": row["unknown_names"],
                       "episodes": listed.get((listing_id, folded), "?")}))
    return hits
