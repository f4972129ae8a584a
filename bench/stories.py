"""How well automatic stories (``analysis.grouping``) group real news: BCubed precision, recall, F1.

Collections (read from ``../shared/data/ecbplus/articles.jsonl``, ECB+: Cybulska & Vossen, LREC 2014,
CC BY 3.0; never read by the package or its tests):

- ``ecb``: the 982 ECB+ articles as they are: 86 stories, each topic two similar events, no dates.
- ``dated``: the same articles made into a feed (:func:`dated_collection`): each event gets a day
  within 60 days of 2016-01-01 (so most events overlap) and its articles spread over three days; in
  about a third of the events with six or more articles the second half moves 30-40 days later and
  is a new story (a follow-up); one article in five gets a wire copy in another outlet (a new first
  line, a paragraph cut, a word changed; same story); one event in five gets a short item (its
  headline and first sentence); outlets are drawn from a pool of 12, so a story has several.
- ``undated``: ``dated`` without its dates (a follow-up then belongs to its event's story).

Thresholds are chosen by two-fold cross-validation over ECB+ topics (odd topics tune, even topics
are measured, then the other way round): the figure reported is the held-out one. The baseline is
TF-IDF cosine with single-link grouping at its best threshold on the very collection (an oracle
threshold: a figure it cannot reach on unseen data).

    python -m bench.stories                  # every collection, baseline and CV
    python -m bench.stories --copies         # the copy threshold: resemblance of copies vs different reports
    python -m bench.stories --scale 100000   # time and memory at scale (generated from ECB+ text), + 1,000 more
    python -m bench.stories --scale 100000 --candidates [--shuffled]  # is an article's story among its candidates?
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import grouping
from analysis.loaders import article_id

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
OUTLETS = ["Reuters", "AP", "BBC", "CNN", "The Guardian", "Fox News", "NY Daily News", "USA Today",
           "HuffPost", "Al Jazeera", "NPR", "The Independent"]
SEED = 17
SPAN = 60  # days over which the events of the dated collection start: most overlap in time


def ecb(path: Path = ECB) -> pd.DataFrame:
    """ECB+ as loaded articles plus ``gold`` (the story) and ``topic``; no dates, no given story."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        text = r["text"]
        rows.append({"article_id": article_id(text), "outlet": r["outlet"] or "unknown", "title": "",
                     "published": "", "url": r["url"], "author": "", "story": "", "text": text,
                     "source": r["doc"], "gold": r["story"], "topic": int(r["topic"]), "copy": ""})
    return pd.DataFrame(rows).drop_duplicates("article_id").reset_index(drop=True)


def _perturb(text: str, rng: random.Random) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    kind = rng.choice(["line", "cut", "word", "all"])
    if kind in {"cut", "all"} and len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if kind in {"word", "all"}:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = rng.choice(["reportedly", "also", "Tuesday", "officials", "said"])
        paragraphs[i] = " ".join(words)
    if kind in {"line", "all"}:
        paragraphs.insert(0, rng.choice(["UPDATED 3:05 PM ET", "(Reuters) -", "From our wire services:",
                                         "By AP staff", "BREAKING"]))
    return "\n\n".join(paragraphs)


def dated_collection(base: pd.DataFrame, *, seed: int = SEED) -> pd.DataFrame:
    """ECB+ made into a dated feed with follow-ups, wire copies, short items and outlets (module docstring)."""
    rng = random.Random(seed)
    rows = []
    for gold, group in base.groupby("gold", sort=True):
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(SPAN))
        members = group.to_dict("records")
        rng.shuffle(members)
        split = len(members) // 2 if len(members) >= 6 and rng.random() < 0.35 else len(members)
        for i, row in enumerate(members):
            later = i >= split
            day = start + timedelta(days=rng.randrange(3) + (rng.randrange(30, 41) if later else 0))
            row = {**row, "published": day.isoformat(), "outlet": rng.choice(OUTLETS),
                   "gold": f"{gold}-followup" if later else gold}
            rows.append(row)
            if rng.random() < 0.2:
                text = _perturb(row["text"], rng)
                rows.append({**row, "text": text, "article_id": article_id(text), "outlet": rng.choice(OUTLETS),
                             "published": (day + timedelta(days=rng.randrange(2))).isoformat(),
                             "copy": row["article_id"], "source": row["source"] + "#copy"})
        if rng.random() < 0.2:
            row = members[0]
            lines = [p for p in row["text"].split("\n\n") if p.strip()]
            sentence = re.split(r"(?<=[.!?])\s", lines[1] if len(lines) > 1 else lines[0])[0]
            text = lines[0] + "\n\n" + sentence
            rows.append({**row, "text": text, "article_id": article_id(text), "outlet": rng.choice(OUTLETS),
                         "published": (start + timedelta(days=1)).isoformat(), "copy": "",
                         "source": row["source"] + "#short"})
    table = pd.DataFrame(rows).drop_duplicates("article_id")
    order = list(range(len(table)))
    rng.shuffle(order)
    return table.iloc[order].reset_index(drop=True)


def bcubed(predicted, gold) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering against gold labels (one per item)."""
    predicted, gold = list(predicted), list(gold)
    both: dict[tuple, int] = defaultdict(int)
    pc: dict = defaultdict(int)
    gc: dict = defaultdict(int)
    for p, g in zip(predicted, gold, strict=True):
        both[p, g] += 1
        pc[p] += 1
        gc[g] += 1
    n = len(gold)
    precision = sum(both[p, g] / pc[p] for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(both[p, g] / gc[g] for p, g in zip(predicted, gold, strict=True)) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def group(articles: pd.DataFrame, **params) -> pd.DataFrame:
    """``analysis.grouping.assign_stories`` with module constants overridden by ``params``."""
    saved = {k: getattr(grouping, k) for k in params}
    try:
        for k, v in params.items():
            setattr(grouping, k, v)
        return grouping.assign_stories(articles)
    finally:
        for k, v in saved.items():
            setattr(grouping, k, v)


def tfidf_single_link(articles: pd.DataFrame, thresholds) -> dict[float, list[int]]:
    """The naive baseline: TF-IDF (corpus idf, log tf, stop words out) cosine, all pairs, single link."""
    from analysis.schema import STOP_WORDS

    docs = [[w for w in re.findall(r"\w+", t.lower()) if w not in STOP_WORDS] for t in articles["text"]]
    vocab: dict[str, int] = {}
    for d in docs:
        for w in set(d):
            vocab.setdefault(w, len(vocab))
    df = np.zeros(len(vocab))
    matrix = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for i, d in enumerate(docs):
        for w, c in pd.Series(d, dtype=object).value_counts().items():
            matrix[i, vocab[w]] = 1 + np.log(c)
            df[vocab[w]] += 1
    matrix *= np.log((1 + len(docs)) / (1 + df)) + 1
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    sims = matrix @ matrix.T
    out = {}
    for threshold in thresholds:
        parent = list(range(len(docs)))

        def find(x, parent=parent):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j in zip(*np.nonzero(np.triu(sims >= threshold, 1)), strict=True):
            parent[find(i)] = find(j)
        out[threshold] = [find(i) for i in range(len(docs))]
    return out


def evaluate(articles: pd.DataFrame, **params) -> tuple[float, float, float]:
    return bcubed(group(articles, **params)["story"], articles["gold"])


GRID = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]


def cross_validated(articles: pd.DataFrame, param: str, grid=GRID) -> tuple[tuple[float, float, float], list[float]]:
    """Two folds over topics: the value of ``param`` (a threshold of ``analysis.grouping``) best on
    one fold's articles is measured on the other's.
    Returns the pooled held-out BCubed (P, R, F1 over every article, each scored in its own fold) and
    the thresholds chosen."""
    predicted = pd.Series("", index=articles.index, dtype=object)
    chosen = []
    for held in (0, 1):
        tune = articles[articles["topic"] % 2 != held]
        test = articles[articles["topic"] % 2 == held]
        best = max(grid, key=lambda t: (evaluate(tune, **{param: t})[2], -t))
        chosen.append(best)
        predicted.loc[test.index] = [f"{held}:{s}" for s in group(test, **{param: best})["story"]]
    return bcubed(predicted, articles["gold"]), chosen


def copies_report(articles: pd.DataFrame) -> None:
    """Resemblance of each wire copy to its original, against the highest between two different
    articles of one story (different reports of one event must never reach the copy threshold)."""
    sketches = {a: grouping.sketch(t) for a, t in zip(articles["article_id"], articles["text"], strict=True)}
    copies = articles[articles["copy"] != ""]
    scores = [grouping.resemblance(sketches[c], sketches[o]) for c, o in zip(copies["article_id"], copies["copy"],
                                                                         strict=True) if o in sketches]
    different = []
    for _, story in articles[articles["copy"] == ""].groupby("gold"):
        ids = list(story["article_id"])
        different += [grouping.resemblance(sketches[a], sketches[b]) for i, a in enumerate(ids) for b in ids[i + 1:]]
    print(f"copies ({len(scores)}): resemblance min {min(scores):.3f}, 5th percentile "
          f"{np.percentile(scores, 5):.3f}, median {np.median(scores):.3f}")
    top = sorted(different)[-5:]
    print(f"different reports of one story ({len(different)} pairs): max {max(different):.3f}, "
          f"top five {[round(x, 3) for x in top]}, 99.9th percentile {np.percentile(different, 99.9):.3f}")
    found = group(articles)
    root = found["copy_of"].where(found["copy_of"] != "", found["article_id"])
    root_of = dict(zip(found["article_id"], root, strict=True))
    pairs = [(c, o) for c, o in zip(copies["article_id"], copies["copy"], strict=True) if o in root_of]
    together = sum(root_of[c] == root_of[o] for c, o in pairs)
    print(f"at COPY_THRESHOLD {grouping.COPY_THRESHOLD}: {together} of {len(pairs)} made copies found in their "
          f"original's group; {int((found['copy_of'] != '').sum())} articles marked as copies in all")
    above = sum(x >= grouping.COPY_THRESHOLD for x in different)
    print(f"pairs of different ECB+ documents of one story at or above it: {above}, "
          f"between 0.2 and it: {sum(0.2 <= x < grouping.COPY_THRESHOLD for x in different)}")
    for _, story in articles[articles["copy"] == ""].groupby("gold"):
        ids = list(story["article_id"])
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                score = grouping.resemblance(sketches[a], sketches[b])
                if 0.2 <= score:
                    ta, tb = (articles.set_index("article_id").loc[x, "text"] for x in (a, b))
                    print(f"  {score:.2f} {a} {b}: {ta[:90]!r} | {tb[:90]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", action="store_true", help="only the copy threshold report")
    parser.add_argument("--scale", type=int, metavar="N", help="only the scale benchmark: N generated articles")
    parser.add_argument("--add", type=int, default=1000, metavar="M", help="articles added to the N (default 1000)")
    parser.add_argument("--candidates", action="store_true", help="with --scale: how often an article's story is "
                        "among its candidates (in date order, and --shuffled)")
    parser.add_argument("--shuffled", action="store_true", help="with --candidates: articles in random order")
    args = parser.parse_args()
    if args.scale and args.candidates:
        candidates_report(args.scale, shuffled=args.shuffled)
        return
    if args.scale:
        scale(args.scale, args.add)
        return
    base = ecb()
    dated = dated_collection(base)
    # without dates a follow-up cannot be told from its event: its gold story is the event's
    undated = dated.assign(published="", gold=dated["gold"].str.removesuffix("-followup"))
    if args.copies:
        copies_report(dated)
        return
    for name, articles in (("ecb", base), ("dated", dated), ("undated", undated)):
        t0 = time.perf_counter()
        param = "DATED_THRESHOLD" if name == "dated" else "THRESHOLD"
        (p, r, f), chosen = cross_validated(articles, param)
        took = time.perf_counter() - t0
        shipped = evaluate(articles)
        runs = tfidf_single_link(articles, np.arange(0.1, 0.9, 0.025))
        scores = {t: bcubed(v, articles["gold"]) for t, v in runs.items()}
        bt = max(scores, key=lambda t: scores[t][2])
        print(f"{name}: {len(articles)} articles, {articles['gold'].nunique()} stories")
        print(f"  grouping, 2-fold CV over topics ({param} chosen {chosen}): P {p:.3f} R {r:.3f} F1 {f:.3f} "
              f"({took:.1f} s)")
        print(f"  grouping, shipped {param} {getattr(grouping, param)} on all: P {shipped[0]:.3f} "
              f"R {shipped[1]:.3f} F1 {shipped[2]:.3f}")
        print(f"  baseline TF-IDF single link, best threshold {bt:.3f}: P {scores[bt][0]:.3f} R {scores[bt][1]:.3f} "
              f"F1 {scores[bt][2]:.3f}")



def scale_collection(n: int, *, seed: int = SEED, base: pd.DataFrame | None = None) -> pd.DataFrame:
    """``n`` articles in about ``n / 10`` stories, from ECB+ text (:func:`scale` explains how)."""
    from bench.corpus import FIRST, LAST

    base = base if base is not None else ecb()
    rng = random.Random(seed)
    events = {g: list(t) for g, t in base.groupby("gold")["text"]}
    names = sorted(events)
    vocabulary = sorted({w for t in base["text"].head(300) for w in t.split() if w.isalpha()})
    capital = re.compile(r"\b[A-Z][a-z]+\b")
    rows = []
    stories = max(1, n // 10)
    starts = [date(2016, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(stories)]
    renamed: dict[int, dict[str, str]] = {}  # story -> its names: invented once, shared by all its articles
    for i in range(n):
        story = rng.randrange(stories)
        event = names[story % len(names)]
        mapping = renamed.setdefault(story, {})

        def rename(match, mapping=mapping, story=story):
            word = match.group()
            if word not in mapping:  # a function of (seed, story, word) alone, whichever article meets it first
                word_rng = random.Random(f"{seed}:{story}:{word}")
                mapping[word] = word_rng.choice(FIRST + LAST) + word_rng.choice(["", "a", "o", "en", "ski"])
            return mapping[word]

        text = capital.sub(rename, rng.choice(events[event]))
        words = text.split(" ")
        for j in range(0, len(words), 8):  # one word in eight: no two generated articles are copies
            words[rng.randrange(j, min(j + 8, len(words)))] = rng.choice(vocabulary)
        text = " ".join(words)
        day = starts[story] + timedelta(days=rng.randrange(3))
        rows.append({"article_id": f"{i:016x}", "outlet": OUTLETS[i % len(OUTLETS)], "title": "",
                     "published": day.isoformat(), "url": "", "author": "", "story": "", "text": text,
                     "source": "", "gold": str(story)})
    table = pd.DataFrame(rows).sort_values(["published", "article_id"]).reset_index(drop=True)
    table.attrs["events"] = len(names)  # story s is made from ECB+ event s % events
    return table


def scale(n: int, add: int) -> None:
    """Group ``n`` generated articles at once (CPU and wall time, peak memory, BCubed against the
    generated stories), keep the index in a DuckDB file's tables as a store does, then measure what an
    ingest of ``add`` more costs for stories (``analysis.store.write._place``: reading the index rows
    their words and sketches look up, placing them, appending what they added), rolled back, twice."""
    import resource
    import tempfile

    import duckdb

    from analysis.lexicon import lexicon
    from analysis.store.file import _SCHEMA
    from analysis.store.index import save_index
    from analysis.store.write import _place

    lexicon()
    t0 = time.perf_counter()
    articles = scale_collection(n + add)
    print(f"generated {n + add:,} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    first, more = articles.iloc[:n], articles.iloc[n:]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    index = grouping.StoryIndex()
    cpu, wall = time.process_time(), time.perf_counter()
    grouping.place(index, first)
    found = grouping.assignments(index, first)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    p, r, f = bcubed(found["story"], first["gold"])
    print(f"{n:,} generated articles: grouped in {wall:.1f} s wall, {cpu:.1f} s CPU; peak RSS {rss:.2f} GB "
          f"({rss0:.2f} GB before grouping: the collection itself); {found['story'].nunique():,} stories "
          f"for {first['gold'].nunique():,} generated ones, BCubed P {p:.3f} R {r:.3f} F1 {f:.3f}; "
          f"{int((found['copy_of'] != '').sum())} marked copies", flush=True)
    events = first["gold"].astype(int) % first.attrs["events"]
    major = (first.assign(story=found["story"].to_numpy()).groupby("story")["gold"]
             .agg(lambda g: g.value_counts().index[0]))
    wrong = found["story"].map(major).to_numpy() != first["gold"].to_numpy()
    same = (found["story"].map(major).astype(int) % first.attrs["events"]).to_numpy() == events.to_numpy()
    print(f"  {wrong.sum():,} articles are in a story most of whose articles are of another generated story; "
          f"{(wrong & same).sum() / max(1, wrong.sum()):.3f} of them of one made from the same ECB+ event (the same "
          "text under other names)", flush=True)
    fields = ["article_id", "outlet", "title", "published", "url", "author", "story", "text", "source"]
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(f"{folder}/s.duckdb")
        con.execute(_SCHEMA)
        t0 = time.perf_counter()
        placements = pd.DataFrame({"article_id": list(index.placed), "given": "",
                                   "story": [v[0] for v in index.placed.values()],
                                   "copy_group": [v[1] for v in index.placed.values()]})
        con.register("p", placements)
        con.execute("INSERT INTO placements SELECT * FROM p")
        index.log = grouping.IndexLog(first=0, postings={k: len(v) for k, v in index.postings.items()},
                                      stories=set(index.stories))
        save_index(con, index)
        con.execute("CHECKPOINT")
        print(f"  kept in a store: {time.perf_counter() - t0:.1f} s wall (store file "
              f"{Path(folder, 's.duckdb').stat().st_size / 2**20:.0f} MB)", flush=True)
        del index
        for attempt in range(2):
            con.execute("BEGIN TRANSACTION")
            cpu, wall = time.process_time(), time.perf_counter()
            _place(con, more[fields], "auto")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            con.execute("ROLLBACK")
            print(f"  adding {len(more):,} articles to the {n:,}-article store: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"(read the index for their candidates, place, append; run {attempt + 1})", flush=True)
        con.close()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


def candidate_recall(articles: pd.DataFrame) -> tuple[int, int, int]:
    """Place ``articles`` in order; of those whose gold story already has articles placed, count how
    many have a story holding one of them among their candidates, and how many join such a story.
    Returns (articles counted, among candidates, joined)."""
    index = grouping.StoryIndex()
    held: dict[str, set[str]] = defaultdict(set)
    counted = among = joined = 0
    for article, gold in zip(grouping.prepare(articles), articles["gold"], strict=True):
        right = held[gold]
        if right:
            counted += 1
            among += bool(right.intersection(grouping._candidates(index, article.profile, article.day)))
        grouping.place(index, articles.iloc[:0], prepared=[article])
        story = index.placed[article.article_id][0]
        joined += bool(right) and story in right
        right.add(story)
    return counted, among, joined


def candidates_report(n: int, *, shuffled: bool) -> None:
    """:func:`candidate_recall` on ``n`` generated articles, in date order or shuffled."""
    articles = scale_collection(n)
    if shuffled:
        articles = articles.sample(frac=1, random_state=SEED).reset_index(drop=True)
    counted, among, joined = candidate_recall(articles)
    print(f"{n:,} generated articles ({'shuffled' if shuffled else 'in date order'}): of {counted:,} whose story "
          f"already had articles placed, {among / counted:.3f} had it among their candidates, {joined / counted:.3f} "
          "joined it")


if __name__ == "__main__":
    main()
