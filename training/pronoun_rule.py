"""The "just-named person" pronoun rule, measured with the rule itself on NewsMTSC's articles.

    python training/pronoun_rule.py [--n ARTICLES]

The rule (:func:`pronoun_links`; it lives here only: measured and not kept, see the README's
"Mentions the model never sees"): a sentence that names no person and has a third-person singular
pronoun (he, she, him, his, her) refers to the person the sentence before it names, when that
sentence names exactly one. NewsMTSC's sentences are grouped back into their articles as
``bench.newsmtsc`` does (only the annotated sentences of each article survive, so a sentence's
predecessor here is often not its predecessor in the original article: a harsh test of the rule)
and run through the project's own extraction (spaCy). NewsMTSC names, in each target's
``Input.gid``, the person a pronoun target stands for, so the script reports:

- resolution: of the pronoun targets, how many the rule links, and how many to the right person;
- tone: per article and person, the gold tone (mean of the gold labels of all the person's
  targets, -1 / 0 / +1) against the predicted tone (mean cross-validated P(positive) - P(negative)
  of the light model, ``pronoun_tone.light_cv``) over the named targets only (today) and over the
  named targets plus the pronoun targets the rule links to that person (rightly or not).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pronoun_tone import PRONOUNS, light_cv, referents  # noqa: E402
from train_tone import DEFAULT_DATA, load  # noqa: E402

from bench.newsmtsc import articles as newsmtsc_articles  # noqa: E402
from bench.newsmtsc import sentence_key  # noqa: E402

PRONOUN = re.compile(r"\b(?:he|she|him|his|her)\b", re.IGNORECASE)
LINK_COLUMNS = ["article_id", "sentence", "entity", "start", "end"]


def pronoun_links(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The pronouns the rule links to a person, one row per linked sentence.

    ``sentences`` needs article_id, position, is_title, start, text; ``mentions`` article_id,
    sentence, entity, label. Returns ``LINK_COLUMNS``: article_id, sentence (its position),
    entity (the person), start and end (the pronoun's offsets in the article). Does not mutate
    its inputs.
    """
    if sentences.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in {"sentence", "start", "end"} else "str")
                             for c in LINK_COLUMNS})
    people = mentions[mentions["label"] == "person"].groupby(["article_id", "sentence"])["entity"].agg(
        lambda names: sorted(set(names)))
    rows = []
    body = sentences[~sentences["is_title"].astype(bool)].sort_values(["article_id", "position"])
    for article_id, group in body.groupby("article_id", sort=False):
        before: list[str] = []
        for position, start, text in group[["position", "start", "text"]].itertuples(index=False):
            named = people.get((article_id, position), [])
            if not named and len(before) == 1 and (match := PRONOUN.search(text)):
                rows.append((article_id, position, before[0], start + match.start(), start + match.end()))
            before = named
    return pd.DataFrame(rows, columns=LINK_COLUMNS).astype(
        {"article_id": "str", "sentence": "int64", "entity": "str", "start": "int64", "end": "int64"})


SINGULAR = frozenset({"he", "she", "him", "his", "her"})


def annotated_sentences(path: Path) -> list[tuple[str, int, str, int]]:
    """Per NewsMTSC record, in file order: its article, sentence number, text and number of targets."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out.append((*sentence_key(record["primary_gid"]), record["sentence_normalized"], len(record["targets"])))
    return out


def squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def name_words(entity: str) -> list[str]:
    """The words of a name, lower-cased, in order, without a possessive 's."""
    return [w.lower() for w in re.findall(r"[A-Za-z][\w-]*", re.sub(r"['’]s\b", "", entity))]


def same(entity: str, referent: str) -> bool:
    """Whether a linked entity is the annotated person (NewsMTSC names him by one word, not
    always the surname: "Roger" for Roger Ailes)."""
    return referent in name_words(entity)


def surname(entity: str) -> str:
    found = name_words(entity)
    return found[-1] if found else entity.lower()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=None, help="articles, the largest first (default all)")
    parser.add_argument("--examples", type=int, default=0, help="print this many wrong links")
    args = parser.parse_args(argv)
    from analysis.pipeline import analyse

    data = load(args.data)
    annotated = annotated_sentences(args.data)
    keys = [(article, number) for article, number, _, targets in annotated for _ in range(targets)]
    data = data.assign(person=referents(args.data), sentence_key=keys,
                       pronoun=data["mention"].str.lower().isin(SINGULAR))
    arts = newsmtsc_articles(args.data, n=args.n, min_sentences=2)
    # the annotated sentence a linked sentence belongs to: the one whose text holds it (the
    # pipeline may split an annotated sentence in two, and repair may touch its spacing)
    texts: dict[str, list[tuple[int, str]]] = {}
    for article, number, text, _ in annotated:
        texts.setdefault(article, []).append((number, squash(text)))
    result = analyse(arts, stories="given")
    links = pronoun_links(result.sentences, result.mentions)
    text_of = result.sentences.set_index(["article_id", "position"])["text"]
    linked: dict[tuple[str, int], set[str]] = {}
    unplaced = 0
    for a, position, entity in links[["article_id", "sentence", "entity"]].itertuples(index=False):
        piece = squash(text_of[(a, position)])
        numbers = [n for n, t in texts[a] if piece in t]
        if numbers:
            linked.setdefault((a, numbers[0]), set()).add(entity)
        else:
            unplaced += 1

    kept = data["article"].isin(set(arts["article_id"]))
    pron = data[kept & data["pronoun"]]
    resolved = [linked.get(k, set()) for k in pron["sentence_key"]]
    n_linked = sum(bool(r) for r in resolved)
    if args.examples:
        wrong = [(k, r, p) for k, r, p in zip(pron["sentence_key"], resolved, pron["person"], strict=True)
                 if r and not any(same(e, p) for e in r)]
        for k, r, p in wrong[:args.examples]:
            print(k, "linked to", sorted(r), "gold", p, file=sys.stderr)
    n_right = sum(any(same(e, p) for e in r) for r, p in zip(resolved, pron["person"], strict=True))

    p = light_cv(data)
    data = data.assign(gold=data["label"] - 1, score=p[:, 2] - p[:, 0])
    sub = data[kept]
    named = sub[~sub["mention"].str.lower().isin(PRONOUNS)]
    referents_of = sub.groupby("article")["person"].agg(set)
    rows = [(a, person, s, False) for a, person, s in named[["article", "person", "score"]].itertuples(index=False)]
    for (a, _), r, s in zip(pron["sentence_key"], resolved, sub.loc[pron.index, "score"], strict=True):
        for entity in r:
            # the article's annotated person this entity is: its surname if annotated so, else the first
            # (sorted: a set's order changes from run to run) of its other words that is
            matches = sorted(person for person in referents_of[a] if same(entity, person))
            key = surname(entity) if surname(entity) in matches or not matches else matches[0]
            rows.append((a, key, s, True))
    scores = pd.DataFrame(rows, columns=["article", "person", "score", "via_pronoun"])
    gold = sub.groupby(["article", "person"])["gold"].mean()
    today = scores[~scores["via_pronoun"]].groupby(["article", "person"])["score"].mean()
    rule = scores.groupby(["article", "person"])["score"].mean()
    touched = scores[scores["via_pronoun"]].groupby(["article", "person"]).size().index
    table = pd.DataFrame({"gold": gold, "today": today, "rule": rule}).loc[lambda t: t.index.isin(touched)]

    def sign(x):
        return np.sign(np.where(np.abs(x) < 1 / 3, 0, x))

    both = table.dropna()
    new = table[table["today"].isna() & table["gold"].notna()]
    out = {
        "articles": len(arts), "pronoun targets (he/she/him/his/her)": len(pron),
        "linked sentences not placed in an annotated one": unplaced,
        "linked by the rule": n_linked, "linked to the right person": n_right,
        "precision of the links": round(n_right / max(n_linked, 1), 3),
        "coverage (right links / pronoun targets)": round(n_right / max(len(pron), 1), 3),
        "article-person pairs the rule adds a pronoun to": len(table),
        "  of them with a tone today": len(both),
        "    mean |predicted - gold| today / with the rule": [
            round(float((both["today"] - both["gold"]).abs().mean()), 3),
            round(float((both["rule"] - both["gold"]).abs().mean()), 3)],
        "    same sign as gold today / with the rule": [
            round(float((sign(both["today"]) == sign(both["gold"])).mean()), 3),
            round(float((sign(both["rule"]) == sign(both["gold"])).mean()), 3)],
        "  of them with no tone today, given one by the rule (gold person annotated)": len(new),
        "    mean |predicted - gold|, same sign": [
            round(float((new["rule"] - new["gold"]).abs().mean()), 3),
            round(float((sign(new["rule"]) == sign(new["gold"])).mean()), 3)],
    }
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
