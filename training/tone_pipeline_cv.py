"""The entity tone as `export` gives it, cross-validated: NewsMTSC's articles read by the project's
own extraction, each annotated target matched to a mention, scored by models that never saw its article.

    python training/tone_pipeline_cv.py --cache DIR --cv CV.json --predictions CV.npz
    # the nets (--cache), printed figures and --predictions of `train_tone_cnn.py cv --ensemble`

``train_tone_cnn.py cv`` scores each target at its annotated span in its annotated sentence. An analyst
(and the issue's final check) reads ``mentions.csv`` instead: spaCy's sentences, the mention's own span
("Trump" where the annotator marked "President Trump"), and no tone at all for a target no mention
overlaps. This script measures that path. Per fold of the CV (same folds, seed 19): the light model
fitted on the other folds, the fold's CNN as the shipped rule chose it (net, variant and light weight
by the mix's macro-F1 on the inner split, read from the ``cv`` run's cache), then the fold's
articles (NewsMTSC's sentences in order, one paragraph each, as ``bench.newsmtsc`` writes them)
through ``analysis.extract.extract`` and ``analysis.tone.mention_tones``' arithmetic. A target is
placed in the analysed document as ``bench.mention_recall`` places it and matched to the mention
overlapping it most; its predicted tone is that mention's ``tone``. Reported: macro-F1 on matched
targets (all, one target, several) next to the same targets scored at their annotated spans, and
the share matched. Needs torch (training/requirements.txt).
"""

from __future__ import annotations

import argparse
import json
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
from bench.mention_recall import PRONOUNS, locate, targets  # noqa: E402
from bench.newsmtsc import articles as newsmtsc_articles  # noqa: E402


def macro(y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import f1_score

    per = f1_score(y, p, labels=[0, 1, 2], average=None)
    return {"n": int(len(y)), "macro_f1": round(float(per.mean()), 3),
            **{f"f1_{label}": round(float(f), 3) for label, f in zip(LABELS, per, strict=True)}}


def best_mentions(path: Path, data: pd.DataFrame, arts: pd.DataFrame, mentions: pd.DataFrame,
                  names: tuple[str, ...]) -> np.ndarray:
    """Per target (row of ``data``: ``train_tone.load`` of ``path``), the index of the mention of its
    article overlapping it most in the analysed document (-1: none). The targets are placed in the
    document by ``bench.mention_recall.locate``, which follows text repair's inserted spaces."""
    table = targets(path)
    if table["mention"].tolist() != data["mention"].tolist():
        raise ValueError("the targets and the training rows are not in the same order")
    located = locate(arts, table.assign(row=np.arange(len(table))), names)
    by_article = {a: g for a, g in mentions.groupby("article_id", sort=False)}
    out = np.full(len(data), -1)
    for row, article, start, end in located[["row", "article", "doc_start", "doc_end"]].itertuples(index=False):
        group = by_article.get(article)
        if group is None:
            continue
        overlap = np.minimum(group["end"].to_numpy(), end) - np.maximum(group["start"].to_numpy(), start)
        if overlap.max() > 0:
            out[row] = int(group.index[int(overlap.argmax())])
    return out


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
    aliases = read_aliases()
    extracted = extract(arts, aliases=aliases)
    mention_of = best_mentions(args.data, data, arts, extracted.mentions, aliases.names)
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
        rows = np.flatnonzero((fold == k) & (mention_of >= 0))
        m = mentions.loc[mention_of[rows]]
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
