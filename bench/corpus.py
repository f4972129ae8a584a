"""Benchmark corpora: N articles built from a real corpus by shuffling paragraphs and varying names.

Each generated article takes one source article, keeps its headline (with names varied), shuffles
its body paragraphs and replaces every person's name by one drawn from a pool of 48 x 48 invented
names (consistently within the article, the surname alone too), so entity sets vary as they do
across real coverage. Outlets (12), stories (24) and dates (2016) are drawn from pools. The text
is new for every article, so every article has its own id.

    python -m bench.corpus --n 1000 --out /tmp/corpus1000    # writes .md files the CLI reads
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from analysis import load_corpus, read_aliases
from analysis.loaders import article_id
from analysis.schema import ARTICLE_FIELDS

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "corpus"
FIRST = (
    "Ada Amir Ana Anil Bea Boris Carla Chen Dara Dmitri Elena Emeka Farah Femi Gita Hana Hugo Ines Ivan Jana "
    "Jomo Kai Kenji Lars Lea Leila Marco Mara Nadia Nils Omar Oren Priya Raj Rosa Ruth Sana Sven Tariq Tess "
    "Uma Vera Wen Yara Yusuf Zane Zoe Olu"
).split()
LAST = (
    "Abara Bauer Castillo Dahl Eklund Farouk Gallo Haddad Ibsen Jansen Kaur Lindqvist Moreau Nakamura Okafor "
    "Petrov Quispe Rossi Sato Tanaka Ueda Varga Weber Xu Yilmaz Zhou Adeyemi Brandt Costa Dimitrov Esposito "
    "Fischer Garcia Horvat Ivanova Jovanovic Kowalski Larsen Mendes Novak Ortiz Park Quinn Reyes Silva Torres "
    "Ulloa Vasquez"
).split()
OUTLETS = [
    "TechCrunch", "TechRepublic", "The Verge", "Wired", "Ars Technica", "ZDNet", "Engadget", "VentureBeat",
    "The Register", "CNET", "Fortune", "Bloomberg",
]
_PAIR = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b")
_NOT_NAMES = {"In", "On", "At", "The", "This", "That", "Using", "With", "For", "And", "But", "As", "By", "If", "When"}


def person_names(texts: Sequence[str]) -> list[str]:
    """Full names of people to vary: the aliases' people and "Firstname Lastname" pairs whose
    words are not part of a known organisation, product or place name."""
    aliases = read_aliases().table
    people = set(aliases.loc[aliases["label"] == "person", "entity"])
    known_words = {w for name in aliases.loc[aliases["label"] != "person", "alias"] for w in name.split()}
    for text in texts:
        for first, last in _PAIR.findall(text):
            if first not in _NOT_NAMES and not {first, last} & known_words:
                people.add(f"{first} {last}")
    return sorted(n for n in people if " " in n)


def _vary(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda m: mapping[m.group()], text)


def generate(n: int, *, source: pd.DataFrame | None = None, seed: int = 0) -> pd.DataFrame:
    """``n`` articles (columns ``analysis.schema.ARTICLE_FIELDS``) built from ``source`` articles
    (default: the bundled corpus). Deterministic for a given ``seed``."""
    source = source if source is not None else load_corpus([BUNDLED]).articles
    rng = random.Random(seed)
    names = person_names(list(source["text"]) + list(source["title"]))
    stories = [f"Story {i:02d}" for i in range(24)]
    rows = []
    for i in range(n):
        base = source.iloc[i % len(source)]
        paragraphs = [p for p in base["text"].split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        mapping: dict[str, str] = {}
        for name in names:
            new_first, new_last = rng.choice(FIRST), rng.choice(LAST)
            mapping[name] = f"{new_first} {new_last}"
            mapping.setdefault(name.split()[-1], new_last)
        # the last paragraph carries the article's number: every text is new, so every id is
        text = _vary("\n\n".join(paragraphs), mapping) + f"\n\nThis report (no. {i}) was compiled for the benchmark."
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(366))
        outlet = rng.choice(OUTLETS)
        rows.append(
            {
                "article_id": article_id(text),
                "outlet": outlet,
                "outlet_group": outlet,
                "title": _vary(base["title"], mapping),
                "published": day.isoformat(),
                "url": "",
                "author": "",
                "story": rng.choice(stories),
                "text": text,
                "source": f"bench/{i:06d}.md",
            }
        )
    return pd.DataFrame(rows, columns=ARTICLE_FIELDS).astype(str)


def made_distinct(sentences: pd.DataFrame) -> pd.DataFrame:
    """``sentences`` with a last word of letters appended, one per article, so that no text is
    repeated across articles (a scaled store repeats its articles' sentences) or seen before."""
    numbers = sentences.groupby("article_id", sort=False).ngroup()
    words = numbers.map(lambda k: "".join(chr(97 + int(d)) for d in str(k)))
    return sentences.assign(text=sentences["text"] + " " + words)


def write_markdown(articles: pd.DataFrame, out: Path) -> list[Path]:
    """Write each article as ``NNNNNN.md`` with YAML front matter (the format the CLI reads)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, row in enumerate(articles.itertuples(index=False)):
        front = "\n".join(
            f'{key}: "{getattr(row, key)}"' for key in ("outlet", "title", "published", "story") if getattr(row, key)
        )
        path = out / f"{i:06d}.md"
        path.write_text(f"---\n{front}\n---\n{row.text}\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="articles to generate")
    parser.add_argument("--out", type=Path, required=True, help="folder for the .md files")
    parser.add_argument("--source", nargs="*", default=None, help="corpus to build from (default: the bundled one)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    source = load_corpus(args.source).articles if args.source else None
    paths = write_markdown(generate(args.n, source=source, seed=args.seed), args.out)
    print(f"wrote {len(paths)} articles to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
