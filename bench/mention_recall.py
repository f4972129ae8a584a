"""Mention recall on real news: how many of NewsMTSC's annotated targets are found as mentions.

    python -m bench.mention_recall [--data PATH] [--n N] [--examples 3] [--jobs 1]

A target with no mention row in ``mentions.csv`` gets no tone (issue 19). NewsMTSC's sentences are
grouped back into their articles as ``bench.newsmtsc.articles`` does (every article, one sentence
or more; ``--n`` keeps the largest N), analysed by the project's own pipeline
(``analysis.pipeline.analyse``, what ``export`` writes as ``mentions.csv``), and each annotated
target (its characters in its sentence: ``from``, ``to``) is found when some mention overlaps it.
Prints the share of all targets found, of named (non-pronoun) targets and of pronoun targets, then
the missed named targets by cause, with counts and examples (the first of each cause in a
seeded shuffle: the same run prints the same examples).

Causes (the first that applies): ``dropped: <why>`` when spaCy's entity recogniser, run again on
the target's paragraph, found an entity over it that the extraction then left out (a label the
product does not count such as DATE or CARDINAL, a form the aliases ignore, no capital letter);
``no capital letter`` (common nouns: "the president", "The former president", "lawmakers"); ``surname of a person the
article names in full`` (a bare capitalised word that is the last word of a person mention of the
same article); ``other bare capitalised word`` ("Democrats", "Congress", a surname the article
never spells out); ``capitalised phrase`` (several words with a capital); ``sentence split``
when the target crosses a sentence boundary of the pipeline.
NewsMTSC: Hamborg & Donnay, EACL 2021, MIT licence (``../shared/data/newsmtsc``).
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .newsmtsc import DEFAULT_DATA, articles, sentence_key

PRONOUNS = frozenset({
    "he", "she", "his", "her", "him", "hers", "himself", "herself", "they", "their", "them", "themselves",
    "it", "its", "we", "our", "us", "i", "me", "my", "you", "your", "who", "whom", "whose",
})
SEED = 19
# "The former president": a capital that only starts the sentence
_DETERMINER = re.compile(r"^(?:(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)\s+)+", re.IGNORECASE)


def targets(path: Path) -> pd.DataFrame:
    """One row per annotated target: article, number (of its sentence), sentence, start, end, mention."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article, number = sentence_key(record["primary_gid"])
        for t in record["targets"]:
            rows.append((article, number, record["sentence_normalized"], t["from"], t["to"], t["mention"]))
    return pd.DataFrame(rows, columns=["article", "number", "sentence", "start", "end", "mention"])


def _offsets(original: str, repaired: str) -> list[int]:
    """For each character of ``original``, its offset in ``repaired`` (repair only inserts spaces)."""
    out, j = [], 0
    for ch in original:
        while repaired[j] != ch:
            j += 1
        out.append(j)
        j += 1
    out.append(j)
    return out


def locate(arts: pd.DataFrame, table: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """``table``'s targets kept in ``arts``, with ``doc_start`` and ``doc_end`` in the analysed document
    (the repaired body: these articles have no headline), and the paragraph of the document that
    holds the target's start as the pipeline cuts it (``paragraph``, ``paragraph_start``)."""
    from analysis.repair import repair_text
    from analysis.segment import paragraphs

    rows = []
    by_article = table.groupby("article", sort=False)
    for article_id, text in arts[["article_id", "text"]].itertuples(index=False):
        repaired = repair_text(text, protected=names).text
        offsets = _offsets(text, repaired)
        paras = paragraphs(repaired)
        para_starts = [p.start for p in paras]
        placed: dict[str, int] = {}
        pos = 0
        for sentence in text.split("\n\n"):
            placed.setdefault(sentence, pos)
            pos += len(sentence) + 2
        for row in by_article.get_group(article_id).itertuples(index=False):
            base = placed[row.sentence]
            start, end = offsets[base + row.start], offsets[base + row.end]
            para = paras[max(bisect.bisect_right(para_starts, start) - 1, 0)]
            rows.append({**row._asdict(), "doc_start": start, "doc_end": end, "paragraph": para.text,
                         "paragraph_start": para.start})
    return pd.DataFrame(rows)


def found(located: pd.DataFrame, mentions: pd.DataFrame) -> pd.Series:
    """Whether some mention of the target's article overlaps it."""
    spans: dict[str, tuple[list[int], list[int]]] = {}
    for article_id, group in mentions.groupby("article_id"):
        pairs = sorted(zip(group["start"], group["end"], strict=True))
        spans[article_id] = ([s for s, _ in pairs], [e for _, e in pairs])
    out = []
    for article, start, end in located[["article", "doc_start", "doc_end"]].itertuples(index=False):
        starts, ends = spans.get(article, ([], []))
        i = bisect.bisect_right(starts, end - 1)
        out.append(any(ends[k] > start for k in range(i)))  # spans are short: a linear look back is cheap
    return pd.Series(out, index=located.index)


def causes(missed: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame) -> list[str]:
    """The cause of each missed named target (see the module docstring)."""
    from analysis.aliases import read_aliases
    from analysis.extract import _canonical
    from analysis.nlp import load_pipeline
    from analysis.schema import LABELS

    aliases = read_aliases()
    nlp = load_pipeline(aliases.names)
    paragraphs = sorted(set(missed["paragraph"]))
    ents = {text: [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
            for text, doc in zip(paragraphs, nlp.pipe(paragraphs), strict=True)}
    surnames: dict[str, set[str]] = defaultdict(set)
    for article_id, entity in mentions.loc[mentions["label"] == "person", ["article_id", "entity"]].itertuples(
            index=False):
        if " " in entity:
            surnames[article_id].add(entity.split()[-1])
    bounds = sentences.groupby("article_id")["start"].agg(sorted).to_dict()
    out = []
    for row in missed.itertuples(index=False):
        offset = row.paragraph_start
        over = [(s, e, label, text) for s, e, label, text in ents[row.paragraph]
                if offset + s < row.doc_end and row.doc_start < offset + e]
        mention = row.mention.strip()
        words = mention.split()
        sentence_starts = bounds.get(row.article, [])
        if over:
            _, _, label, text = over[0]
            if label not in LABELS and label != "ALIAS":
                out.append(f"dropped: label {label}")
            elif text.lower() in aliases.ignored or (aliases.lookup(text) or ("", ""))[1] == "ignore":
                out.append("dropped: ignored by the aliases")
            elif _canonical(text, label, aliases) is None:
                out.append(f"dropped: no capital letter ({label})")
            else:
                out.append(f"dropped: other ({label})")
        elif any(row.doc_start < s < row.doc_end for s in sentence_starts):
            out.append("sentence split")
        elif not any(ch.isupper() for ch in _DETERMINER.sub("", mention)):
            out.append("no capital letter (common noun)")
        elif len(words) == 1 and mention.removesuffix("'s").removesuffix("’s") in surnames.get(row.article, ()):
            out.append("surname of a person the article names in full")
        elif sum(any(ch.isupper() for ch in w) for w in words) == 1:
            out.append("other bare capitalised word")
        else:
            out.append("capitalised phrase")
    return out


def measure(path: Path, *, n: int | None = None, jobs: int = 1) -> dict:
    """Recall figures and the missed named targets (with ``cause``) of NewsMTSC at ``path``."""
    from analysis.aliases import read_aliases
    from analysis.pipeline import analyse

    arts = articles(path, n=n, min_sentences=1)
    table = targets(path)
    table = table[table["article"].isin(set(arts["article_id"]))].reset_index(drop=True)
    aliases = read_aliases()
    result = analyse(arts, aliases=aliases, n_process=jobs, stories="given")
    located = locate(arts, table, aliases.names)
    located = located.assign(found=found(located, result.mentions),
                             pronoun=located["mention"].str.strip().str.lower().isin(PRONOUNS))
    named = located[~located["pronoun"]]
    missed = named[~named["found"]].copy()
    missed["cause"] = causes(missed, result.mentions, result.sentences) if len(missed) else []
    return {"located": located, "missed": missed, "mentions": result.mentions, "articles": len(arts)}


def report(result: dict, *, examples: int = 3) -> str:
    located, missed = result["located"], result["missed"]
    named, pronoun = located[~located["pronoun"]], located[located["pronoun"]]

    def share(part: pd.DataFrame) -> str:
        return f"{int(part['found'].sum())} of {len(part)} ({part['found'].mean():.1%})"

    lines = [
        f"articles: {result['articles']}, targets: {len(located)}, mentions: {len(result['mentions'])}",
        f"all targets found as mentions:    {share(located)}",
        f"named (non-pronoun) targets found: {share(named)}",
        f"pronoun targets found:             {share(pronoun)}",
        f"missed named targets: {len(missed)}",
    ]
    rng = random.Random(SEED)
    for cause, count in Counter(missed["cause"]).most_common():
        rows = missed[missed["cause"] == cause]
        order = list(range(len(rows)))
        rng.shuffle(order)
        lines.append(f"  {count:5d}  {cause}")
        for i in order[:examples]:
            row = rows.iloc[i]
            lines.append(f"         {row['mention']!r} in {row['sentence'][:140]!r}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=None, help="articles, the largest first (default: all)")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per cause")
    parser.add_argument("--jobs", type=int, default=1, help="spaCy worker processes")
    parser.add_argument("--save", type=Path, default=None,
                        help="write every target here (CSV: its offsets, found, pronoun, cause if missed)")
    args = parser.parse_args(argv)
    result = measure(args.data, n=args.n, jobs=args.jobs)
    print(report(result, examples=args.examples))
    if args.save is not None:
        located = result["located"].join(result["missed"][["cause"]])
        located.drop(columns=["paragraph"]).to_csv(args.save, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
