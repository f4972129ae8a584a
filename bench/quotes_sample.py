"""Draw the fresh held-out articles of the labelled quotes (``tests/data/quotes/``) from ECB+.

The rule, fixed before any article was read: ECB+ articles (``../shared/data/ecbplus/articles.jsonl``,
CC BY 3.0) not already in the labelled set, under 6,000 characters, with 3 to 8 quotation spans
(text between double quote marks, four words or more, paired per paragraph as ``analysis.quotes``
pairs them); shuffled with ``random.Random(18)`` (issue 18), at most one article per story, taken in
that order until there are at least 20 articles and 110 spans. Prints the drawn articles as JSON
lines (the fields of ``articles.jsonl``) and writes nothing: the 25 it draws are the last 25 lines
of ``tests/data/quotes/articles.jsonl``.

    python -m bench.quotes_sample > /tmp/heldout_articles.jsonl
"""

from __future__ import annotations

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
SEED, MIN_ARTICLES, MIN_SPANS = 18, 20, 110
FIRST_ROUND = 40


def spans(text: str) -> list[tuple[int, int, str]]:
    """Quotation spans of a text: (start, end, words between the marks), per paragraph."""
    out, at = [], 0
    for para in text.split("\n\n"):
        for m in QUOTE.finditer(para):
            if len(re.findall(r"\w+(?:['’]\w+)?", m.group("body"))) >= MIN_QUOTE_WORDS:
                out.append((at + m.start(), at + m.end(), m.group("body")))
        at += len(para) + 2
    return out


def draw(articles: list[dict], taken: set[str]) -> list[dict]:
    """The articles the rule of the module docstring draws."""
    pool = [a for a in articles if a["doc"] not in taken and len(a["text"]) < 6000 and 3 <= len(spans(a["text"])) <= 8]
    random.Random(SEED).shuffle(pool)
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


def main() -> None:
    articles = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    # the 40 articles labelled before this draw (the drawn ones follow them in the file)
    lines = LABELLED.read_text(encoding="utf-8").splitlines()[:FIRST_ROUND]
    taken = {json.loads(line)["doc"] for line in lines}
    for a in draw(articles, taken):
        row = {"doc": a["doc"], "story": a["story"], "outlet": a["outlet"] or "ECB+", "url": a["url"],
               "text": a["text"]}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
