"""Development corpora with many stories or many outlets, made from the real ECB+ articles.

    python -m bench.outlets --ecb ../shared/data/ecbplus/articles.jsonl --out DIR

writes three JSONL files into DIR (the tests never read them):

- ``stories100.jsonl``: 3 outlets, 100 stories (ECB+'s 86 stories, the larger ones cut into pieces
  in two), its first 3 articles, one per outlet; outlets "Harbor Times", "Northern Ledger (Online
  News)" and "Northern Ledger (Opinion)" (the last two group as "Northern Ledger" by the section rule);
- ``outlets70.jsonl``: 70 outlets ("Outlet 01 (Online News)" … "Outlet 35 (Opinion)", 35 groups),
  every ECB+ article, in its own 86 stories;
- ``speed600.jsonl``: 600 articles in 250 stories (pieces of 2 or 3 articles), 6 outlets, for the
  dashboard's speed target.

Outlets are fake and assigned deterministically (by position in the story), so the same command gives
the same files. The texts are ECB+'s (Cybulska & Vossen, LREC 2014; CC BY 3.0): the first line
becomes the headline when it looks like one; dates are made up (one day per story from 2013-01-01).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

THREE = ["Harbor Times", "Northern Ledger (Online News)", "Northern Ledger (Opinion)"]
SIX = ["Harbor Times", "Northern Ledger (Online News)", "Northern Ledger (Opinion)", "Valley Courier",
       "Capital Wire (Politics)", "Capital Wire (Business)"]
SEVENTY = [f"Outlet {i // 2 + 1:02d} ({'Online News' if i % 2 == 0 else 'Opinion'})" for i in range(70)]


def read_stories(path: Path) -> list[tuple[str, list[dict]]]:
    """ECB+'s stories in file order, each with its articles in file order."""
    stories: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        stories[row["story"]].append(row)
    return list(stories.items())


def article(row: dict, *, outlet: str, story: str, day: int) -> dict:
    """An input record: the first line as headline when it reads like one, a made-up date."""
    first, _, rest = row["text"].partition("\n")
    headline = first.strip() if len(first) < 150 and not first.rstrip().endswith((".", "”", '"')) and rest else ""
    text = rest.strip() if headline else row["text"]
    published = (dt.date(2013, 1, 1) + dt.timedelta(days=day)).isoformat()
    return {"outlet": outlet, "title": headline, "published": published, "story": story, "text": text,
            "url": row.get("url", "")}


def pieces(rows: list[dict], sizes: list[int]) -> list[list[dict]]:
    """``rows`` cut into consecutive pieces of the cycled ``sizes``; a short tail joins the last piece."""
    out, start, i = [], 0, 0
    while start < len(rows):
        size = sizes[i % len(sizes)]
        out.append(rows[start:start + size])
        start, i = start + size, i + 1
    if len(out) > 1 and len(out[-1]) < min(sizes):
        out[-2].extend(out.pop())
    return out


def stories100(stories: list[tuple[str, list[dict]]]) -> list[dict]:
    """100 stories: the biggest stories split in two until there are 100; 3 outlets in turn."""
    groups = [(name, rows) for name, rows in stories]
    while len(groups) < 100:
        groups.sort(key=lambda g: -len(g[1]))
        name, rows = groups.pop(0)
        half = len(rows) // 2
        groups += [(f"{name}-1", rows[:half]), (f"{name}-2", rows[half:])]
    groups.sort(key=lambda g: g[0])
    out = []
    for day, (name, rows) in enumerate(groups):
        for k, row in enumerate(rows[:3]):
            out.append(article(row, outlet=THREE[(k + day) % 3], story=f"ecb-{name}", day=day))
    return out


def outlets70(stories: list[tuple[str, list[dict]]]) -> list[dict]:
    out, k = [], 0
    for day, (name, rows) in enumerate(stories):
        for row in rows:
            out.append(article(row, outlet=SEVENTY[(k * 37) % 70], story=f"ecb-{name}", day=day))
            k += 1
    return out


def speed600(stories: list[tuple[str, list[dict]]]) -> list[dict]:
    cut = [(f"{name}-{i}", piece) for name, rows in stories for i, piece in enumerate(pieces(rows, [2, 3]))][:250]
    extra = sum(len(rows) for _, rows in cut) - 600
    for _, rows in sorted(cut, key=lambda c: -len(c[1])):  # the longest pieces give up articles first
        while extra > 0 and len(rows) > 2:
            rows.pop()
            extra -= 1
    out = []
    for day, (name, rows) in enumerate(cut):
        out.extend(article(row, outlet=SIX[(k + day) % 6], story=f"ecb-{name}", day=day) for k, row in enumerate(rows))
    return out[:600]


def fixture(stories: list[tuple[str, list[dict]]]) -> list[dict]:
    """``tests/data/outlets/articles.jsonl``: 6 stories of ECB+'s first topics, 4 articles each cut to
    their first 4 paragraphs, over 16 outlets "Outlet 01 (Online News)" … "Outlet 08 (Opinion)" (8 groups)."""
    sixteen = [f"Outlet {i // 2 + 1:02d} ({'Online News' if i % 2 == 0 else 'Opinion'})" for i in range(16)]
    out = []
    for day, (name, rows) in enumerate(stories[:6]):
        for k, row in enumerate(rows[:4]):
            short = dict(row, text="\n\n".join(row["text"].split("\n\n")[:4]))
            out.append(article(short, outlet=sixteen[(day * 4 + k) * 5 % 16], story=f"ecb-{name}", day=day))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecb", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"
                        / "articles.jsonl", help="ECB+'s articles.jsonl")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the JSONL files into")
    args = parser.parse_args(argv)
    stories = read_stories(args.ecb)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("stories100", stories100(stories)), ("outlets70", outlets70(stories)),
                       ("speed600", speed600(stories)), ("fixture", fixture(stories))):
        path = args.out / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        n_stories = len({r["story"] for r in rows})
        n_outlets = len({r["outlet"] for r in rows})
        print(f"{path}: {len(rows)} articles, {n_stories} stories, {n_outlets} outlets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
