"""Choose the cut-off of ``analysis.quotes`` (``MIN_CONFIDENCE``): the least confidence a speaker is given with.

Each attribution has a ``confidence`` (``strong``: a speech verb beside the quote naming or describing
the speaker, or ``according to`` a name; ``medium``: a pronoun resolved to the person last named, a
role, ``it``, a document's author, or a speaker going on to a quote with no attribution of its own;
``weak``: a pronoun resolved to the last speaker rather than to a name). On the development articles
of ``tests/data/quotes/`` (``dev``, ``dev2``, ``dev3``; never the held-out split) this prints, for each
level, how many speakers are given at it and how many are right, and for each cut-off the precision
(right / given) and coverage (right / gold speakers) of the speakers it keeps.

The rule, fixed before the figures were read: keep a level when the speakers given at that level
alone are right at least ``BAR`` (0.90, issue #18's bar) of the time over the development
articles, and every level above it is kept too; the cut-off is the lowest level kept. A level
that holds fewer than ``MIN_GIVEN`` (10) speakers is judged together with the one above it.

    python -m bench.quotes_confidence
"""

from __future__ import annotations

import pandas as pd

from bench.quotes_eval import DEVELOPMENT, load_labelled, score

BAR, MIN_GIVEN = 0.90, 10


def levels(scored: pd.DataFrame) -> pd.DataFrame:
    """Per confidence level (strongest first): given, right, precision of that level alone."""
    from analysis.quotes import CONFIDENCE

    rows = []
    for level in reversed(CONFIDENCE):
        part = scored[scored["confidence"] == level]
        rows.append({"level": level, "given": len(part), "right": int(part["right"].sum()),
                     "precision": part["right"].sum() / max(len(part), 1)})
    return pd.DataFrame(rows)


def cutoffs(scored: pd.DataFrame) -> pd.DataFrame:
    """Per cut-off: the speakers it keeps, their precision and coverage, over the scored quotes."""
    from analysis.quotes import CONFIDENCE

    gold = int((scored["gold"] != "").sum())
    rows = []
    for k, level in reversed(list(enumerate(CONFIDENCE))):
        kept = scored[scored["confidence"].isin(CONFIDENCE[k:])]
        right = int(kept["right"].sum())
        rows.append({"cut-off": level, "given": len(kept), "right": right,
                     "precision": right / max(len(kept), 1), "coverage": right / max(gold, 1)})
    return pd.DataFrame(rows)


def choose(table: pd.DataFrame) -> str:
    """The lowest level of ``levels`` kept by the rule of the module docstring."""
    chosen = table.iloc[0]["level"]
    above = (0, 0)
    for row in table.itertuples():
        given, right = row.given, row.right
        if given < MIN_GIVEN:  # too few to judge alone: together with the level above
            given, right = given + above[0], right + above[1]
        if given and right / given < BAR:
            break
        chosen, above = row.level, (row.given, row.right)
    return chosen


def main() -> None:
    from analysis.pipeline import analyse
    from analysis.quotes import MIN_CONFIDENCE, extract_quotes

    articles, labels = load_labelled()
    labels = labels[labels["split"].isin(DEVELOPMENT)]
    articles = articles[articles["article_id"].isin(set(labels["doc"]))]
    analysis = analyse(articles)
    quotes = extract_quotes(analysis.sentences, mentions=analysis.mentions, min_confidence="weak")
    scored = score(quotes, labels)
    fmt = {"float_format": lambda x: f"{x:.3f}", "index": False}
    print("== each level alone, development (dev+dev2+dev3)")
    table = levels(scored)
    print(table.to_string(**fmt))
    for split in DEVELOPMENT:
        print(f"== cut-offs, {split}")
        print(cutoffs(scored[scored["split"] == split]).to_string(**fmt))
    print("== cut-offs, development")
    print(cutoffs(scored).to_string(**fmt))
    chosen = choose(table)
    print(f"chosen cut-off: {chosen} (analysis.quotes.MIN_CONFIDENCE = {MIN_CONFIDENCE!r})")


if __name__ == "__main__":
    main()
