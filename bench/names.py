"""How well names come out: ECB+'s annotated people against the mentions the analysis finds.

    python -m bench.names [--data PATH] [--limit N] [--topics all|odd|even] [--misses]

Reads ECB+ (``../shared/data/ecbplus/articles.jsonl``: 982 articles, 86 stories, each person
mention annotated with a cross-document ``instance``; CC BY, Cybulska & Vossen 2014). The first
line of an article is taken as its headline when it reads like one (three words or more, at most
150 characters and two digits, no closing full stop, more text after it). Reports:

- one name: of the person instances named (a capitalised annotated mention the analysis found
  as a mention in that article), the share whose found mentions all come out under one entity
  name across the corpus;
- full name kept: of each article's people named first and last (the instance's longest
  annotated name there, titles aside, two words or more), the share that appears under exactly
  that name among the article's entities (the held-out check of issue 17: ~72 % before); and
  "first and last kept": under exactly its first and last word ("George W. Bush" -> "George
  Bush", the form linking prefers);
- junk: headline mentions whose entity the body never names (headline fragments such as
  "Glenn Beck Rips"), and mentions inside a dateline ("WASHINGTON (AP) —").

``--topics odd`` / ``--topics even`` keep ECB+'s odd or even topics only (linking then sees only
those articles): the names rules were developed on the odd topics, the even ones are the check.
``--misses`` prints every person not found under its full name, with the kind of miss
(:func:`miss_kind`).

Only the public API is used, so the same script measures another checkout:
``PYTHONPATH=/path/to/other/checkout python -m bench.names`` (the "before" figures in the README).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "articles.jsonl"
_SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")
_TITLES = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|President|Senator|Representative|Governor)\.?\s+)+")
# the same dateline shape as ``analysis.extract._DATELINE`` (copied: the "before" checkout lacks it)
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+(?:\s+[\w.]+)?)?"
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z][a-z.]+(?:\s[A-Z][a-z]+)?)"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:[—–]|--?)\s"
)


def _topic(row: dict) -> int | None:
    """The ECB+ topic number: ``topic``, else the digits that open ``story`` ("45b" -> 45)."""
    found = re.match(r"\d+", str(row.get("topic") or row.get("story", "")))
    return int(found.group()) if found else None


def read_ecbplus(path: Path, limit: int | None = None, topics: str = "all") -> tuple[pd.DataFrame, list[dict]]:
    """Articles (the loaders' columns) and the raw rows (with ``people``); ``topics`` "odd" or
    "even" keeps those topics only (rows without a topic number are kept by "all" only)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if topics != "all":
        parity = 1 if topics == "odd" else 0
        rows = [r for r in rows if _topic(r) is not None and _topic(r) % 2 == parity]
    rows = rows[:limit] if limit else rows
    articles = []
    for row in rows:
        first, _, rest = row["text"].partition("\n\n")
        headline = (bool(rest.strip()) and len(first) <= 150 and len(first.split()) >= 3
                    and sum(ch.isdigit() for ch in first) <= 2
                    and not first.rstrip().endswith((".", "?", "!", '"', "”")))
        articles.append({
            "article_id": row["doc"], "outlet": row["outlet"] or "(no site)",
            "title": first if headline else "",
            "published": "", "url": row["url"], "author": "", "story": row["story"],
            "text": rest if headline else row["text"], "source": str(path),
        })
    return pd.DataFrame(articles), rows


def miss_kind(name: str, entities: set[str], texts: set[str]) -> str:
    """Why a person named ``name`` in an article is not among its ``entities`` (``texts``: the
    article's mention surfaces):

    - "titled": an entity ends with the name behind words it does not have ("Coroner Gary Hargrove");
    - "cut": no entity has every word of the name, one has its last word and is shorter ("Chohan"
      for "Raj Chohan", "Marie Flynn" for "Ka'Loni Marie Flynn");
    - "other full form": an entity has its first and last word with other words between
      ("Warren Jeffs" for "Warren Steed Jeffs", "George Bush" for "George W. Bush");
    - "other name": an entity has its last word but not its first ("Joe Wilson" for "Jim Wilson",
      a nickname, another spelling, another person's name linked to it);
    - "possessive": only a surface with "'s" ("Raj Chohan's") has the name;
    - "not found": nothing has its last word.
    """
    words = _SUFFIX.sub("", name).split()
    first, last = words[0], words[-1]
    if any(e.endswith(" " + name) for e in entities):
        return "titled"
    with_last = [e for e in entities if last in e.split()]
    if any(e.split()[0] == first and e.split()[-1] == last for e in with_last):
        return "other full form"
    if any(t.startswith(name) for t in texts):
        return "possessive"
    if any(len(e.split()) < len(words) and set(e.split()) <= set(words) for e in with_last):
        return "cut"
    if with_last:
        return "other name"
    return "not found"


def measure(articles: pd.DataFrame, rows: list[dict], mentions: pd.DataFrame, titles: dict[str, int],
            misses: list[tuple[str, str, str, str]] | None = None) -> dict:
    """The figures of the module's docstring from the analysis's ``mentions``; each person not kept
    under its full name is appended to ``misses`` as (kind, article, name, the article's entities
    with its last word)."""
    by_article = {a: g for a, g in mentions.groupby("article_id")}
    instance_names: dict[str, set[str]] = {}
    kept = wanted = first_last = 0
    for row in rows:
        found = by_article.get(row["doc"], mentions.iloc[:0])
        entities = set(found["entity"])
        longest: dict[str, str] = {}
        for person in row["people"]:
            text = person["mention"].strip()
            if not text[:1].isupper() or text.lower() in {"he", "she", "i", "we", "they", "his", "her"}:
                continue
            hits = found.loc[found["text"] == text, "entity"]
            if len(hits):
                instance_names.setdefault(person["instance"], set()).update(hits)
            name = _TITLES.sub("", re.sub(r"['’]s$", "", text))
            words = name.split()
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                if len(name) > len(longest.get(person["instance"], "")):
                    longest[person["instance"]] = name
        for name in longest.values():
            words = _SUFFIX.sub("", name).split()
            wanted += 1
            kept += name in entities
            if name not in entities and misses is not None:
                kind = miss_kind(name, entities, set(found["text"]))
                near = sorted(e for e in entities if words[-1] in e.split())
                misses.append((kind, row["doc"], name, "; ".join(near)))
            first_last += f"{words[0]} {words[-1]}" in entities
    one = sum(len(names) == 1 for names in instance_names.values())
    text_of = dict(zip(articles["article_id"], articles["title"].fillna("") + "\n\n" + articles["text"], strict=False))
    fragments = datelines = 0
    for article_id, group in mentions.groupby("article_id"):
        end = titles.get(article_id, 0)
        body = set(group.loc[group["start"] >= end, "entity"])
        fragments += int(((group["start"] < end) & ~group["entity"].isin(body)).sum())
        doc = text_of[article_id] if end else text_of[article_id].lstrip("\n")
        start = end
        while start < len(doc) and doc[start].isspace():
            start += 1
        line = _DATELINE.match(doc, start)
        if line is not None and "\n" not in line.group():
            datelines += int(((group["start"] >= line.start()) & (group["start"] < line.end())).sum())
    return {
        "instances named": len(instance_names), "under one name": one,
        "one name %": round(100 * one / max(len(instance_names), 1), 1),
        "people named first and last": wanted, "under that full name": kept,
        "full name kept %": round(100 * kept / max(wanted, 1), 1),
        "under first and last name": first_last, "first and last kept %": round(100 * first_last / max(wanted, 1), 1),
        "headline fragments": fragments, "dateline mentions": datelines,
        "distinct entities": int(mentions["entity"].nunique()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--topics", choices=("all", "odd", "even"), default="all",
                        help="ECB+ topics to use: odd (developed on), even (the check) or all")
    parser.add_argument("--misses", action="store_true", help="print each person not kept under its full name")
    parser.add_argument("--save", type=Path, default=None, help="write the mentions found to this CSV")
    args = parser.parse_args(argv)
    import analysis

    articles, rows = read_ecbplus(args.data, args.limit, args.topics)
    if articles.empty:
        print(f"analysis from {Path(analysis.__file__).parent} (topics: {args.topics}, 0 articles)")
        return
    result = analysis.analyse(articles)
    titles = {a: (len(t) if t else 0) for a, t in zip(articles["article_id"], articles["title"], strict=False)}
    misses: list[tuple[str, str, str, str]] = []
    figures = measure(articles, rows, result.mentions, titles, misses)
    if args.save is not None:
        result.mentions.to_csv(args.save, index=False)
    if args.misses:
        for kind, doc, name, near in sorted(misses):
            print(f"miss\t{kind}\t{doc}\t{name}\t{near}")
        kinds = pd.Series([m[0] for m in misses], dtype="str").value_counts()
        print("misses by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    print(f"analysis from {Path(analysis.__file__).parent} (topics: {args.topics}, {len(articles)} articles)")
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
