"""A real-text corpus for the benchmark: NewsMTSC's sentences grouped back into their articles.

    python -m bench.newsmtsc --out /tmp/newsmtsc [--n 300] [--data PATH]
    python -m bench.bench --n 300 --source /tmp/newsmtsc

The generated corpus (``bench.corpus``) repeats the bundled articles' paragraphs, which flatters
every per-sentence cache; these are real news sentences, none repeated. Articles are the
``primary_gid`` prefix before the sentence number, their sentences in sentence-number order, one
paragraph each, no headline; the source (``allsides`` or ``polusa``) is the outlet. Only
articles with at least three sentences are kept, the largest first.
NewsMTSC: Hamborg & Donnay, EACL 2021, MIT licence (``../shared/data/newsmtsc``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.schema import ARTICLE_FIELDS

from .corpus import write_markdown

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "newsmtsc" / "train.jsonl"


def sentence_key(gid: str) -> tuple[str, int]:
    """The article and the sentence number a NewsMTSC ``primary_gid`` names.

    >>> sentence_key("allsides_1000_401_25_Reality Leigh Winner_0_6")
    ('allsides_1000_401', 25)
    """
    parts = gid.split("_")
    return "_".join(parts[:3]), int(parts[4] if parts[0] == "polusa" else parts[3])


def articles(path: Path = DEFAULT_DATA, *, n: int | None = None, min_sentences: int = 3) -> pd.DataFrame:
    """The articles (``analysis.schema.ARTICLE_FIELDS``) rebuilt from NewsMTSC's sentences."""
    sentences: dict[str, dict[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article, number = sentence_key(record["primary_gid"])
        sentences.setdefault(article, {})[number] = record["sentence_normalized"]
    kept = sorted((a for a in sentences if len(sentences[a]) >= min_sentences), key=lambda a: (-len(sentences[a]), a))
    rows = []
    for i, article in enumerate(kept[:n] if n else kept):
        ordered = [sentences[article][k] for k in sorted(sentences[article])]
        rows.append({
            "article_id": article, "outlet": article.split("_")[0], "title": "",
            "published": f"2019-01-{1 + i % 28:02d}", "url": "", "author": "", "story": f"Story {i % 24:02d}",
            "text": "\n\n".join(ordered), "source": "",
        })
    return pd.DataFrame(rows, columns=ARTICLE_FIELDS).astype(str)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the .md files")
    parser.add_argument("--n", type=int, default=300, help="articles (the largest first)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    paths = write_markdown(articles(args.data, n=args.n), args.out)
    print(f"wrote {len(paths)} articles to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
