"""Who said it: precision and coverage of ``analysis.quotes.extract_quotes`` on the labelled quotes.

The labelled set is ``tests/data/quotes/`` (real ECB+ articles, CC BY 3.0; see its README): every
quotation the quote-mark pairing finds in 115 articles, each with the speaker a careful reader names
(``speaker``, empty when the text names nobody or the span is no quotation) and a ``split`` by
article: ``dev`` (20 articles the rules were first written on), ``dev2`` (20 articles first held
out, whose errors have since been read), ``dev3`` (25 articles drawn by ``bench/quotes_sample.py
--draw 2``, held out in the second round), ``dev4`` (24 articles drawn by ``--draw 3``, held out in
the third round, development data in the fourth) and ``heldout4`` (26 articles drawn by ``--draw 4``
and labelled before any rule was changed in the fourth round). The scores are printed per split and
for ``development`` (dev+dev2+dev3+dev4); the held-out split and ``all`` only with ``--heldout``, so
that developing never shows them.

    python -m bench.quotes_eval                            # this checkout, development splits
    python -m bench.quotes_eval --before main              # and analysis/quotes.py at git revision main
    python -m bench.quotes_eval --before main --heldout    # the held-out articles too (measure once)

Scores, per split: ``precision`` = right speakers / quotes given a speaker (a speaker on a span that
is no quotation, or on a spurious quote that matches no labelled span, counts as wrong);
``coverage`` = right speakers / quotes with a gold speaker; ``any speaker`` = quotes with a gold
speaker given any speaker / quotes with a gold speaker. A speaker is right when it names the gold
speaker: equal once case, articles, dots, hyphen spacing and courtesy titles or ranks (``Mr``,
``Insp``, ``Sgt``) are set aside, or one is the other with words left out that keep the last word
(``Kempthorne``, ``Dirk Kempthorne`` and ``Interior Secretary Dirk A. Kempthorne`` all name ``Dirk A.
Kempthorne``; two speakers, ``Craig Zadan and Neil Meron``, only exactly); the canonical ``entity``
may match instead. A pronoun given as a speaker is counted on its own line. The speakers scored are
the ones ``extract_quotes`` gives by default (its cut-off, ``MIN_CONFIDENCE``); with ``--heldout`` the
held-out split is also scored at each confidence level and each cut-off, in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "quotes"
# courtesy titles and ranks a reader reads past: "Insp Gaskin" names Dave Gaskin
TITLES = {"mr", "mrs", "ms", "miss", "dr", "insp", "sgt", "lt", "det", "capt", "gen", "gov", "sen", "rep", "prof"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
DEVELOPMENT = ("dev", "dev2", "dev3", "dev4")
HELDOUT = ("heldout4",)


def load_labelled() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles (ARTICLE_FIELDS, ``article_id`` = the ECB+ file name) and the labels."""
    from analysis.schema import ARTICLE_FIELDS

    rows = [json.loads(line) for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    articles = pd.DataFrame(
        [{"article_id": r["doc"], "outlet": r["outlet"], "title": "", "published": "", "url": r["url"],
          "author": "", "story": r["story"], "text": r["text"], "source": r["doc"]} for r in rows],
        columns=ARTICLE_FIELDS,
    ).astype(str)
    labels = pd.read_json(DATA / "labels.jsonl", lines=True, dtype={"speaker": str}).fillna({"speaker": ""})
    return articles, labels


def _norm(name: str) -> list[str]:
    name = re.sub(r"\s*-\s*", "-", str(name).lower().replace("’", "'"))
    name = re.sub(r"'s\b", "", name.replace(".", " "))
    return [w for w in name.split() if w not in {"the", "a", "an", *TITLES}]


def names_speaker(given: str, gold: str) -> bool:
    """Whether the speaker ``given`` names the ``gold`` speaker (see the module docstring)."""
    g, s = _norm(given), _norm(gold)
    if not g or not s:
        return False
    if g == s:
        return True
    if "and" in s:  # two speakers: "Craig Zadan and Neil Meron" only as such
        return False
    short, long = (g, s) if len(g) < len(s) else (s, g)
    return short[-1] == long[-1] and set(short) <= set(long)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", str(text).lower())


def score(quotes: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """One row per labelled quote and per spurious quote: split, gold, given, confidence, right."""
    rows = []
    for doc, gold in labels.groupby("doc", sort=False):
        found = quotes[quotes["article_id"] == doc]
        taken: set[int] = set()
        for _, g in gold.iterrows():
            key = _squash(g["quote"])
            match = None
            for i, q in found.iterrows():
                if i in taken:
                    continue
                body = _squash(q["quote"])
                if body and (body[:30] in key or key[:30] in body):
                    match = i
                    break
            given = entity = confidence = ""
            if match is not None:
                taken.add(match)
                given, entity = str(found.at[match, "speaker"]), str(found.at[match, "entity"])
                confidence = str(found.at[match, "confidence"]) if "confidence" in found else ""
            right = bool(g["speaker"]) and (names_speaker(given, g["speaker"]) or names_speaker(entity, g["speaker"]))
            rows.append({"split": g["split"], "doc": doc, "quote": g["quote"], "gold": g["speaker"],
                         "found": match is not None, "given": given, "confidence": confidence, "right": right})
        for i, q in found.iterrows():
            if i not in taken:
                rows.append({"split": gold["split"].iloc[0], "doc": doc, "quote": q["quote"], "gold": "",
                             "found": True, "given": str(q["speaker"]),
                             "confidence": str(q["confidence"]) if "confidence" in q else "", "right": False})
    return pd.DataFrame(rows)


def summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Precision, coverage and counts per split, for ``development`` (dev+dev2+dev3+dev4) and, when
    the held-out split is scored, over all."""
    out = []
    order = {split: i for i, split in enumerate([*DEVELOPMENT, *HELDOUT])}
    splits = sorted(scored.groupby("split"), key=lambda item: order.get(item[0], len(order)))
    extra = [("development", scored[scored["split"].isin(DEVELOPMENT)])]
    if scored["split"].isin(HELDOUT).any():
        extra.append(("all", scored))
    for split, part in [*splits, *extra]:
        given = part["given"] != ""
        gold = part["gold"] != ""
        out.append({
            "split": split,
            "quotes": int(gold.sum()) + int((part["gold"] == "").sum()),
            "gold speakers": int(gold.sum()),
            "given": int(given.sum()),
            "right": int(part["right"].sum()),
            "precision": part["right"].sum() / max(given.sum(), 1),
            "coverage": part["right"].sum() / max(gold.sum(), 1),
            "any speaker": (given & gold).sum() / max(gold.sum(), 1),
            "pronoun speakers": int(part["given"].str.lower().isin(PRONOUNS).sum()),
        })
    return pd.DataFrame(out)


def _quotes_module(revision: str | None):
    if revision is None:
        from analysis import quotes

        return quotes

    def load(name: str, path_in_repo: str, source_of=lambda text: text):
        run = subprocess.run(["git", "show", f"{revision}:{path_in_repo}"], cwd=ROOT, capture_output=True,
                             text=True)
        if run.returncode != 0:
            return None
        path = Path(tempfile.mkdtemp()) / f"{name}.py"
        path.write_text(source_of(run.stdout), encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"analysis.{name}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module

    # since the attribution moved to analysis/speakers.py, the revision's own copy of it goes with it
    speakers = load("_speakers_before", "analysis/speakers.py")
    module = load("_quotes_before", "analysis/quotes.py",
                  lambda text: text.replace("from .speakers import", "from ._speakers_before import")
                  if speakers is not None else text)
    if module is None:
        raise SystemExit(f"no analysis/quotes.py at {revision}")
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also score analysis/quotes.py at this git revision (e.g. main)")
    parser.add_argument("--errors", choices=[*DEVELOPMENT, "development"],
                        help="list the wrong and missed quotes of a development split")
    parser.add_argument("--heldout", action="store_true",
                        help=f"also score the held-out splits ({', '.join(HELDOUT)}); measure them once, at the end")
    args = parser.parse_args(argv)
    from analysis.pipeline import analyse

    articles, labels = load_labelled()
    if not args.heldout:
        labels = labels[~labels["split"].isin(HELDOUT)]
        articles = articles[articles["article_id"].isin(set(labels["doc"]))]
    analysis = analyse(articles)
    versions = [("after", None)] + ([("before", args.before)] if args.before else [])
    pd.set_option("display.width", 200)
    for name, revision in versions:
        module = _quotes_module(revision)
        quotes = module.extract_quotes(analysis.sentences, mentions=analysis.mentions)
        scored = score(quotes, labels)
        print(f"== {name} ({revision or 'this checkout'})")
        print(summary(scored).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        if args.heldout and name == "after" and hasattr(module, "CONFIDENCE"):
            # every cut-off on the held-out splits, from the same single measurement
            from bench.quotes_confidence import cutoffs, levels

            every = score(module.extract_quotes(analysis.sentences, mentions=analysis.mentions,
                                                min_confidence="weak"), labels)
            for split in HELDOUT:
                part = every[every["split"] == split]
                print(f"   {split}, each level alone:")
                print(levels(part).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
                print(f"   {split}, each cut-off (shipped: {module.MIN_CONFIDENCE}):")
                print(cutoffs(part).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        if args.errors and name == "after":
            splits = DEVELOPMENT if args.errors == "development" else (args.errors,)
            part = scored[scored["split"].isin(splits)]
            wrong = part[(part["given"] != "") & ~part["right"] | (part["gold"] != "") & ~part["right"]]
            for _, r in wrong.iterrows():
                print(f"  {r['doc']:>16} gold={r['gold']!r:28} given={r['given']!r:28} {r['quote'][:60]!r}")


if __name__ == "__main__":
    main()
