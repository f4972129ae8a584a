"""A corpus of many real stories for the Stories view: ECB+ news with fake outlets, dates and wire copies.

``python -m bench.storyview --out out/storyview.jsonl`` turns ``../shared/data/ecbplus/articles.jsonl``
(982 real articles, 86 gold stories; ECB+ by Cybulska & Vossen, LREC 2014, annotation CC BY 3.0)
into JSONL articles the loaders read: each gold story keeps its label (``story: ecb-1a``), its
articles are spread over three invented outlets (a quarter of the stories skip one outlet), each
story gets a publication day and its articles fall within three days of it, and about one
article in eight gets a wire copy in another outlet (a new first line, the last paragraph cut)
carrying ``copy_of``: the ``article_id`` of its original, as ``analysis.grouping`` marks copies.
``--unlabelled`` drops the story labels (for automatic grouping); ``--fixture DIR`` writes the
small subset the tests read (``tests/data/storyview/``) with the corpus's credit beside it.
Deterministic: the same input gives the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path

from analysis.loaders import article_id

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
OUTLETS = ["Daily Planet", "Gazette", "Herald"]
FIXTURE_STORIES = ["1a", "1b", "3a", "13a"]  # the fixture's stories, at most FIXTURE_PER_STORY articles each
FIXTURE_PER_STORY = 4
CREDIT = """# Test fixture for the Stories view

`articles.jsonl` holds articles of ECB+ (Cybulska & Vossen, "Using a sledgehammer to crack a nut? Lexical
diversity and event coreference resolution", LREC 2014; annotation licensed Creative Commons Attribution 3.0
Unported), from the corpus's gold stories {stories}, with invented outlets, publication days and wire
copies (`copy_of`). Made by `python -m bench.storyview --fixture tests/data/storyview` from
`../shared/data/ecbplus/articles.jsonl`.
"""


def _hash(*parts: str) -> int:
    return int(hashlib.sha1("|".join(parts).encode()).hexdigest()[:8], 16)


def build(rows: list[dict], *, labelled: bool = True, stories: list[str] | None = None,
          per_story: int | None = None) -> list[dict]:
    """The articles (dicts of outlet, title, published, url, story, text, copy_of) made from ECB+ rows."""
    by_story: dict[str, list[dict]] = {}
    for row in rows:
        if stories is None or row["story"] in stories:
            by_story.setdefault(row["story"], []).append(row)
    out = []
    for story, members in sorted(by_story.items(), key=lambda kv: (int(kv[0][:-1]), kv[0][-1])):
        members = sorted(members, key=lambda r: r["doc"])[:per_story]
        topic = int(story[:-1])
        base = dt.date(2024, 1, 1) + dt.timedelta(days=topic * 4 + (45 if story.endswith("b") else 0))
        skipped = OUTLETS[_hash(story) % 3] if _hash(story, "skip") % 4 == 0 else None
        outlets = [o for o in OUTLETS if o != skipped]
        for row in members:
            lines = [p for p in row["text"].split("\n\n") if p.strip()]
            title, body = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
            day = base + dt.timedelta(days=_hash(row["doc"]) % 3)
            outlet = outlets[_hash(row["doc"], "outlet") % len(outlets)]
            article = {"outlet": outlet, "title": title, "published": day.isoformat(), "url": "",
                       "story": f"ecb-{story}" if labelled else "", "text": "\n\n".join(body), "copy_of": ""}
            out.append(article)
            if _hash(row["doc"], "copy") % 8 == 0 and len(body) > 2:
                other = [o for o in outlets if o != outlet][_hash(row["doc"], "to") % (len(outlets) - 1)]
                copied = "\n\n".join(["(Wire) " + body[0], *body[1:-1]])
                out.append({**article, "outlet": other, "published": (day + dt.timedelta(days=1)).isoformat(),
                            "text": copied, "copy_of": article_id(article["text"])})
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.storyview", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=ECBPLUS, help="ECB+ articles.jsonl")
    parser.add_argument("--out", type=Path, help="the JSONL file to write")
    parser.add_argument("--unlabelled", action="store_true", help="leave out the story labels")
    parser.add_argument("--fixture", type=Path, metavar="DIR", help="write the tests' small subset into DIR")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.source.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.fixture:
        args.fixture.mkdir(parents=True, exist_ok=True)
        articles = build(rows, stories=FIXTURE_STORIES, per_story=FIXTURE_PER_STORY)
        _write(articles, args.fixture / "articles.jsonl")
        (args.fixture / "README.md").write_text(CREDIT.format(stories=", ".join(FIXTURE_STORIES)), encoding="utf-8")
    if args.out:
        _write(build(rows, labelled=not args.unlabelled), args.out)


def _write(articles: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:
        for article in articles:
            file.write(json.dumps(article, ensure_ascii=False) + "\n")
    stories = len({a["story"] for a in articles})
    copies = sum(1 for a in articles if a["copy_of"])
    print(f"wrote {path}: {len(articles)} articles, {stories} stories, {copies} copies")


if __name__ == "__main__":
    main()
