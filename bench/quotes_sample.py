"""Draw the fresh held-out articles of the labelled quotes (``tests/data/quotes/``) from ECB+.

The rule, fixed before any article was read: ECB+ articles (``../shared/data/ecbplus/articles.jsonl``,
CC BY 3.0) not already in the labelled set, under 6,000 characters, with 3 to 8 quotation spans
(text between double quote marks, four words or more, paired per paragraph as ``analysis.quotes``
pairs them); shuffled with a fixed seed, at most one article per story, taken in that order until
there are at least 20 articles and 110 spans. Prints the drawn articles as JSON lines (the fields of
``articles.jsonl``) and writes nothing.

Three draws were made, each before any rule was changed on its articles:

- ``--draw 2`` (seed 18, issue 18): articles not among the first 40; the 25 it draws are lines 41-65
  of ``tests/data/quotes/articles.jsonl`` (split ``heldout`` in the second round, ``dev3`` since).
- ``--draw 3`` (seed 1803): articles not among the first 65; the ones it draws are the lines after
  them (split ``heldout3``, ``dev4`` since the fourth round).
- ``--draw 4`` (seed 1804): articles not among the first 89; the ones it draws are the lines after
  them (split ``heldout4``).

    python -m bench.quotes_sample --draw 4 > /tmp/heldout4_articles.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from analysis.quotes import MIN_QUOTE_WORDS
from analysis.speakers import QUOTE

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
LABELLED = ROOT / "tests" / "data" / "quotes" / "articles.jsonl"
MIN_ARTICLES, MIN_SPANS = 20, 110
# draw -> (seed, how many lines of articles.jsonl were labelled before it)
DRAWS = {2: (18, 40), 3: (1803, 65), 4: (1804, 89)}


def spans(text: str) -> list[tuple[int, int, str]]:
    """Quotation spans of a text: (start, end, words between the marks), per paragraph."""
    out, at = [], 0
    for para in text.split("\n\n"):
        for m in QUOTE.finditer(para):
            if len(re.findall(r"\w+(?:['’]\w+)?", m.group("body"))) >= MIN_QUOTE_WORDS:
                out.append((at + m.start(), at + m.end(), m.group("body")))
        at += len(para) + 2
    return out


def draw(articles: list[dict], taken: set[str], *, seed: int = 18) -> list[dict]:
    """The articles the rule of the module docstring draws with ``seed``."""
    pool = [a for a in articles if a["doc"] not in taken and len(a["text"]) < 6000 and 3 <= len(spans(a["text"])) <= 8]
    random.Random(seed).shuffle(pool)
    out, stories, total = [], set(), 0
    for a in pool:
        if a["story"] in stories:
            continue
        out.append(a)
        stories.add(a["story"])
        total += len(spans(a["text"]))
        if len(out) >= MIN_ARTICLES and total >= MIN_SPANS:
            break
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", type=int, choices=sorted(DRAWS), default=max(DRAWS),
                        help="which draw to repeat (default: the latest)")
    args = parser.parse_args(argv)
    seed, before = DRAWS[args.draw]
    articles = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    # the articles labelled before this draw (the drawn ones follow them in the file)
    lines = LABELLED.read_text(encoding="utf-8").splitlines()[:before]
    taken = {json.loads(line)["doc"] for line in lines}
    for a in draw(articles, taken, seed=seed):
        row = {"doc": a["doc"], "story": a["story"], "outlet": a["outlet"] or "ECB+", "url": a["url"],
               "text": a["text"]}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
