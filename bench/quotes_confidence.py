"""Choose the cut-off of ``analysis.quotes`` (``MIN_CONFIDENCE``): the least confidence a speaker is given with.

Each attribution has a ``confidence`` (``strong``: a speech verb beside the quote naming or describing
the speaker, or ``according to`` a name; ``medium``: a pronoun, age or office resolved to the person
last named, a role, ``it``, a document's author, or a speaker going on to a quote with no attribution
of its own; ``weak``: a pronoun resolved to the last speaker rather than to a name).

Where it is chosen (fourth round): on ``dev4`` alone, scored with the code as it was when ``dev4``
was still held out (``HONEST_REV``, the third round's code, measured on it before any of its errors
were read). Those are the only per-level figures that estimate how each level does on text its rules
were not written on: on ``dev``, ``dev2`` and ``dev3`` the rules were written from the errors, so
every level scores near 1.0 there and a cut-off chosen on them (or on them pooled with ``dev4``) keeps
everything; and once ``dev4``'s own errors are read and fixed, the current code's ``dev4`` figures
are fitted too. The script prints those fitted figures of this checkout beside, for information.

The rule, fixed in the third round before any figures were read and not changed since: keep a level
when the speakers given at that level alone are right at least ``BAR`` (0.90, issue #18's bar) of
the time, and every level above it is kept too; the cut-off is the lowest level kept. A level that
holds fewer than ``MIN_GIVEN`` (10) speakers is judged together with the one above it.

    python -m bench.quotes_confidence                   # choose on dev4 with HONEST_REV's code
    python -m bench.quotes_confidence --rev HEAD        # the same table for another revision's code
"""

from __future__ import annotations

import argparse

import pandas as pd

from bench.quotes_eval import DEVELOPMENT, _quotes_module, load_labelled, score

BAR, MIN_GIVEN = 0.90, 10
CONFIDENCE = ("weak", "medium", "strong")
CHOOSE_ON = "dev4"
# the code measured on dev4 while it was held out (heldout3): quotes3's last commit
HONEST_REV = "f17eb78"


def levels(scored: pd.DataFrame) -> pd.DataFrame:
    """Per confidence level (strongest first): given, right, precision of that level alone."""
    rows = []
    for level in reversed(CONFIDENCE):
        part = scored[scored["confidence"] == level]
        rows.append({"level": level, "given": len(part), "right": int(part["right"].sum()),
                     "precision": part["right"].sum() / max(len(part), 1)})
    return pd.DataFrame(rows)


def cutoffs(scored: pd.DataFrame) -> pd.DataFrame:
    """Per cut-off: the speakers it keeps, their precision and coverage, over the scored quotes."""
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


def scored_with(revision: str | None, analysis, labels: pd.DataFrame) -> pd.DataFrame:
    """The labelled quotes scored with every speaker of ``revision``'s code (None: this checkout)."""
    module = _quotes_module(revision)
    quotes = module.extract_quotes(analysis.sentences, mentions=analysis.mentions, min_confidence="weak")
    return score(quotes, labels)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=HONEST_REV,
                        help=f"the code that chooses (default {HONEST_REV}, the code dev4 was held out from)")
    args = parser.parse_args(argv)
    from analysis.pipeline import analyse
    from analysis.quotes import MIN_CONFIDENCE

    articles, labels = load_labelled()
    labels = labels[labels["split"].isin(DEVELOPMENT)]
    articles = articles[articles["article_id"].isin(set(labels["doc"]))]
    analysis = analyse(articles)
    fmt = {"float_format": lambda x: f"{x:.3f}", "index": False}
    honest = scored_with(args.rev, analysis, labels)
    honest = honest[honest["split"] == CHOOSE_ON]
    table = levels(honest)
    print(f"== each level alone, {CHOOSE_ON}, code at {args.rev} (chooses)")
    print(table.to_string(**fmt))
    print(f"== cut-offs, {CHOOSE_ON}, code at {args.rev}")
    print(cutoffs(honest).to_string(**fmt))
    fitted = scored_with(None, analysis, labels)
    for name, part in [(CHOOSE_ON, fitted[fitted["split"] == CHOOSE_ON]), ("development", fitted)]:
        print(f"== each level alone, {name}, this checkout (fitted: its rules were written on these errors)")
        print(levels(part).to_string(**fmt))
    chosen = choose(table)
    print(f"chosen cut-off: {chosen} (analysis.quotes.MIN_CONFIDENCE = {MIN_CONFIDENCE!r})")


if __name__ == "__main__":
    main()
