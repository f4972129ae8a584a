"""The entity tone as `export` gives it, cross-validated: NewsMTSC's articles read by the project's
own extraction, each annotated target matched to a mention, scored by models that never saw its article.

    python training/tone_pipeline_cv.py --cache DIR   # DIR: the nets of `train_tone_cnn.py cv --cache DIR`

``train_tone_cnn.py cv`` scores each target at its annotated span in its annotated sentence. An analyst
(and the issue's final check) reads ``mentions.csv`` instead: spaCy's sentences, the mention's own span
("Trump" where the annotator marked "President Trump"), and no tone at all for a target no mention
overlaps. This script measures that path. Per fold of the CV (same folds, seed 19): the light model
fitted on the other folds, the fold's CNN as the shipped rule chose it (net, variant and light weight
by the mix's macro-F1 on the inner split, read from the ``cv`` run's cache), then the fold's
articles (NewsMTSC's sentences in order, one paragraph each, as ``bench.newsmtsc`` writes them)
through ``analysis.extract.extract`` and ``analysis.tone.mention_tones``' arithmetic. A target is
matched to the mention overlapping it most (in its sentence); its predicted tone is that mention's
``tone``. Reported: macro-F1 on matched targets (all, one target, several) next to the same targets
scored at their annotated spans, and the share matched. Needs torch (training/requirements.txt).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_tone import DEFAULT_DATA, FOLDS, LABELS, SEED, fit_light, folds, light_features, load
from train_tone_cnn import build, export

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from analysis.aliases import read_aliases  # noqa: E402
from analysis.extract import extract  # noqa: E402
from analysis.similarity import load_model as load_static_model  # noqa: E402
from analysis.tone_cnn import EXTRA, ToneCNN  # noqa: E402
from bench.mention_recall import PRONOUNS  # noqa: E402
from bench.newsmtsc import articles as newsmtsc_articles  # noqa: E402


def macro(y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import f1_score

    per = f1_score(y, p, labels=[0, 1, 2], average=None)
    return {"n": int(len(y)), "macro_f1": round(float(per.mean()), 3),
            **{f"f1_{label}": round(float(f), 3) for label, f in zip(LABELS, per, strict=True)}}


def _offsets(text: str, found: str) -> list[int]:
    """Per offset of ``text`` (and its end), the offset in ``found``: the same words, any whitespace."""
    out, j = [], 0
    for i, ch in enumerate(text):
        if ch.isspace():
            out.append(j)
            if i + 1 < len(text) and not text[i + 1].isspace():
                while j < len(found) and found[j].isspace():
                    j += 1
            continue
        out.append(j)
        j += 1
    out.append(j)
    return out


def locate(data: pd.DataFrame, extracted) -> pd.DataFrame:
    """Per target (row of ``data``): its article, its absolute span in the analysed document (-1 when
    its sentence is not found there), and the mention overlapping it most (-1: none)."""
    sentences = extracted.sentences.sort_values(["article_id", "start"])
    docs = {}
    for article_id, group in sentences.groupby("article_id", sort=False):
        size = int(group["end"].max())
        chars = [" "] * size
        for start, text in zip(group["start"], group["text"], strict=True):
            chars[start : start + len(text)] = text
        docs[article_id] = "".join(chars)
    mentions = {a: g for a, g in extracted.mentions.groupby("article_id", sort=False)}
    cursor: dict[tuple[str, str], tuple | None] = {}
    out = []
    for text, start, end, article in zip(data["text"], data["start"], data["end"], data["article"], strict=True):
        doc = docs.get(article, "")
        at = cursor.get((article, text))
        if at is None:  # spaCy's sentences may part an annotated one at a line break: match any whitespace
            found = re.search(r"\s+".join(map(re.escape, text.split())), doc)
            at = cursor[article, text] = (found.start(), _offsets(text, found.group())) if found else None
        if at is None:
            out.append((-1, -1, -1))
            continue
        a, b = at[0] + at[1][int(start)], at[0] + at[1][int(end)]
        best = -1
        group = mentions.get(article)
        if group is not None:
            overlap = np.minimum(group["end"].to_numpy(), b) - np.maximum(group["start"].to_numpy(), a)
            if len(overlap) and overlap.max() > 0:
                best = int(group.index[int(overlap.argmax())])
        out.append((a, b, best))
    return pd.DataFrame(out, columns=["start_abs", "end_abs", "mention"], index=data.index)


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--cv", type=Path, required=True, help="the JSON `train_tone_cnn.py cv --ensemble` printed")
    parser.add_argument("--predictions", type=Path, required=True, help="its --predictions file")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    data = load(args.data)
    fold = folds(data)
    y = data["label"].to_numpy()
    cv = json.loads(args.cv.read_text())
    chosen = cv["chosen per fold by its mix's inner macro-F1"]  # "net:variant weight w" per fold
    gold_p = np.load(args.predictions)["mixed_chosen"]
    arts = newsmtsc_articles(args.data, min_sentences=1)
    extracted = extract(arts, aliases=read_aliases())
    where = locate(data, extracted)
    sentences = extracted.sentences.set_index(["article_id", "position"])
    mentions = extracted.mentions
    lx = light_features(data)
    predicted = np.full(len(data), -1)
    for k in range(FOLDS):
        net_variant, weight = chosen[k].split(" weight ")
        net_name, variant = net_variant.split(":")
        variants = torch.load(args.cache / f"{SEED + k}_{net_name}_{SEED + k}_{SEED + k}.pt")
        state = variants[variant][0]
        net = build(load_static_model().unit.shape[1] + EXTRA, 64, 3, 0.5, tune="pieces.weight" in state)
        net.load_state_dict(state)
        cnn = ToneCNN({**export(net, 3), "light_weight": np.array(float(weight), np.float32)})
        light = fit_light(lx[fold != k], y[fold != k], c=0.003)
        rows = np.flatnonzero((fold == k) & (where["mention"].to_numpy() >= 0))
        m = mentions.loc[where["mention"].to_numpy()[rows]]
        at = sentences.loc[pd.MultiIndex.from_frame(m[["article_id", "sentence"]])]
        texts = at["text"].tolist()
        starts = (m["start"].to_numpy() - at["start"].to_numpy()).tolist()
        ends = (m["end"].to_numpy() - at["start"].to_numpy()).tolist()
        w = cnn.light_weight
        p = w * light.probabilities(texts, starts, ends) + (1 - w) * cnn.probabilities(texts, starts, ends)
        predicted[rows] = p.argmax(1)
        print(f"fold {k}: {chosen[k]}, {len(rows)} of {(fold == k).sum()} targets matched", file=sys.stderr)
    matched = predicted >= 0
    one, several = data["targets"].eq(1).to_numpy(), data["targets"].gt(1).to_numpy()
    pronoun = data["mention"].str.strip().str.lower().isin(PRONOUNS)
    results = {
        "targets": len(data), "matched to a mention": int(matched.sum()),
        "share matched": round(float(matched.mean()), 3),
        "share of named (not pronoun) targets matched": round(float(matched[~pronoun].mean()), 3),
        "named targets": int((~pronoun).sum()),
        "sentence not found in the analysed text": int((where["start_abs"] < 0).sum()),
    }
    for name, mask in (("all", matched), ("one target", matched & one), ("several targets", matched & several)):
        results[f"through the mentions, matched targets, {name}"] = macro(y[mask], predicted[mask])
        results[f"at the annotated spans, same targets, {name}"] = macro(y[mask], gold_p[mask].argmax(1))
    same = matched & (predicted == gold_p.argmax(1))
    results["same label both ways (matched targets)"] = round(float(same.sum() / matched.sum()), 3)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
