"""Unique angles on real text: how many of each outlet's top angle cards are fragments.

    python -m bench.angles [--n 300] [--data PATH] [--cache /tmp/angles.pkl] [--show 3]
    python -m bench.angles --fixture tests/data/ecbplus/lohan.jsonl --story 1b   # the tests' fixture

Takes the first ``n`` articles of ECB+ (whole stories, in story order), the first paragraph as the
headline, the ``outlet`` field as the outlet or, where it is empty, a fake outlet ("Wire A/B/C",
round robin within the story, so every story has several outlets to compare). Analyses and aligns
them once (cached in ``--cache``), then prints, for the old ranking (least ``best_match`` first) and
for :func:`analysis.angles.rank_angles`, the share of the top-5 cards per story and outlet that
are five words or fewer, and ``--show`` cards of each for reading.
ECB+: Cybulska & Vossen, LREC 2014, CC BY 3.0 (``../shared/data/ecbplus``).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

from analysis import analyse
from analysis.align import align_sentences
from analysis.angles import rank_angles
from analysis.schema import ARTICLE_FIELDS

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "articles.jsonl"
FAKE = ["Wire A", "Wire B", "Wire C"]
_WORD = re.compile(r"\w+")


def articles(path: Path = DEFAULT_DATA, *, n: int = 300, stories: list[str] | None = None) -> pd.DataFrame:
    """The first ``n`` ECB+ articles (of ``stories``, when given) as loaded articles (``ARTICLE_FIELDS``)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if stories:
        records = [r for r in records if r["story"] in stories]
    rows, seen = [], {}
    for record in records[:n]:
        story = record["story"]
        paragraphs = [p for p in record["text"].split("\n\n") if p.strip()]
        outlet = record["outlet"] or FAKE[seen.get(story, 0) % len(FAKE)]
        seen[story] = seen.get(story, 0) + (not record["outlet"])
        rows.append({"article_id": record["doc"], "outlet": outlet, "title": paragraphs[0],
                     "published": "", "url": record["url"], "author": "", "story": story,
                     "text": "\n\n".join(paragraphs[1:]), "source": "ecbplus"})
    return pd.DataFrame(rows, columns=ARTICLE_FIELDS)


def old_ranking(sentences: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ranking before ``analysis.angles``: each outlet's least-matched sentences, headlines out."""
    have = sentences.dropna(subset=["best_match"])
    have = have[~have["is_title"].astype(bool)]
    return (have.sort_values(["story", "outlet", "best_match", "article_id", "position"])
            .groupby(["story", "outlet"], sort=True).head(n))


def short_share(texts: pd.Series) -> float:
    """Share of ``texts`` with five words or fewer."""
    return float(texts.map(lambda t: len(_WORD.findall(str(t))) <= 5).mean()) if len(texts) else float("nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--show", type=int, default=3)
    parser.add_argument("--story", action="append", help="only this story (repeatable)")
    parser.add_argument("--fixture", type=Path, help="write the articles as JSON lines here and stop")
    args = parser.parse_args(argv)
    if args.fixture:
        table = articles(args.data, n=args.n, stories=args.story).drop(columns=["published", "author", "source"])
        args.fixture.parent.mkdir(parents=True, exist_ok=True)
        table.to_json(args.fixture, orient="records", lines=True, force_ascii=False)
        print(f"{len(table)} articles -> {args.fixture}")
        return
    if args.cache and args.cache.exists():
        sentences = pd.read_pickle(args.cache)
    else:
        loaded = articles(args.data, n=args.n)
        sentences = align_sentences(analyse(loaded).sentences)
        if args.cache:
            sentences.to_pickle(args.cache)
    before = old_ranking(sentences)
    after = rank_angles(sentences, n=5)
    print(f"{sentences['article_id'].nunique()} articles, {sentences['story'].nunique()} stories, "
          f"{sentences['outlet'].nunique()} outlets, {len(sentences)} sentences")
    print(f"top-5 cards per story and outlet: before {len(before)}, after {len(after)}")
    print(f"five words or fewer: before {short_share(before['text']):.1%}, after {short_share(after['sentence']):.1%}")
    print(f"unique (under the threshold): before {before['unique'].mean():.1%}, after {after['unique'].mean():.1%}")
    short = before[before["text"].map(lambda t: len(_WORD.findall(str(t))) <= 5)]
    print("\nshort cards before, a sample:")
    for text in short["text"].head(15):
        print("  ", repr(text))
    print("\nshort cards after:")
    for text in after[after["sentence"].map(lambda t: len(_WORD.findall(str(t))) <= 5)]["sentence"].head(15):
        print("  ", repr(text))
    for story in sorted(after["story"].unique())[: args.show]:
        print(f"\n== story {story}")
        for outlet, rows in after[after["story"] == story].groupby("outlet"):
            print(f"  -- {outlet} (after)")
            for row in rows.itertuples():
                print(f"     {row.best_match:.2f} {row.information:5.1f}  {row.sentence[:110]}")
            old = before[(before["story"] == story) & (before["outlet"] == outlet)]
            print(f"  -- {outlet} (before)")
            for row in old.itertuples():
                print(f"     {row.best_match:.2f}  {row.text[:110]}")


if __name__ == "__main__":
    main()
