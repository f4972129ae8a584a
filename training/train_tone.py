"""Train and cross-validate the entity-tone model (``analysis.tone``) on NewsMTSC's training split.

    python training/train_tone.py cv --model light       # grouped 5-fold CV, the README's figures
    python training/train_tone.py cv --model vader       # baselines: sentence tone (vader, textblob)
    python training/train_tone.py fit --model light      # rebuild data/tone_model.npz

Needs the project installed and ``training/requirements.txt`` (scikit-learn; torch only for the
transformer candidate in ``training/finetune_minilm.py``). Folds are split by article (the
``primary_gid`` prefix before the sentence number) so one article's sentences never sit on both
sides. Seed fixed: the same command gives the same figures and the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "newsmtsc" / "train.jsonl"
SEED = 19
FOLDS = 5
LABELS = ("negative", "neutral", "positive")
_POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}


def load(path: Path) -> pd.DataFrame:
    """One row per target: text, start, end, mention, label (0 neg, 1 neu, 2 pos), article, targets."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article = "_".join(record["primary_gid"].split("_")[:3])
        for target in record["targets"]:
            rows.append({
                "text": record["sentence_normalized"], "start": target["from"], "end": target["to"],
                "mention": target["mention"], "label": _POLARITY[target["polarity"]], "article": article,
                "targets": len(record["targets"]),
            })
    return pd.DataFrame(rows)


def folds(data: pd.DataFrame, *, n: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """Fold number per row, whole articles per fold (articles shuffled with ``seed``, then dealt
    so that folds hold about the same number of targets)."""
    sizes = data.groupby("article").size()
    order = np.random.default_rng(seed).permutation(sizes.index.to_numpy())
    load_, fold_of = np.zeros(n), {}
    for article in order:
        k = int(load_.argmin())
        fold_of[article] = k
        load_[k] += sizes[article]
    return data["article"].map(fold_of).to_numpy()


def report(data: pd.DataFrame, predicted: np.ndarray) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score

    out = {}
    for name, mask in (("all", np.ones(len(data), bool)), ("one target", data["targets"].eq(1).to_numpy()),
                       ("several targets", data["targets"].gt(1).to_numpy())):
        y, p = data["label"].to_numpy()[mask], predicted[mask]
        per_class = f1_score(y, p, labels=[0, 1, 2], average=None)
        out[name] = {"n": int(mask.sum()), "macro_f1": round(float(per_class.mean()), 3),
                     **{f"f1_{label}": round(float(f), 3) for label, f in zip(LABELS, per_class, strict=True)}}
    out["confusion (rows gold, columns predicted: neg, neu, pos)"] = confusion_matrix(
        data["label"], predicted, labels=[0, 1, 2]).tolist()
    return out


def light_features(data: pd.DataFrame) -> np.ndarray:
    from analysis.tone import features

    return features(data["text"].tolist(), data["start"].tolist(), data["end"].tolist())


def fit_light(x: np.ndarray, y: np.ndarray, *, c: float):
    from sklearn.linear_model import LogisticRegression

    from analysis.tone import ToneModel

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=SEED)
    lr.fit((x - mean) / scale, y)
    return ToneModel(mean.astype(np.float32), scale.astype(np.float32), lr.coef_.astype(np.float32),
                     lr.intercept_.astype(np.float32))


def sentence_baseline(data: pd.DataFrame, scorer: str) -> np.ndarray:
    from analysis.sentiment import score_texts

    polarity = score_texts(data["text"], scorer=scorer)["polarity"].to_numpy()
    cut = 0.05 if scorer == "vader" else 0.0
    return np.where(polarity > cut, 2, np.where(polarity < -cut, 0, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["cv", "fit"])
    parser.add_argument("--model", choices=["light", "vader", "textblob"], default="light")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--c", type=float, default=0.003, help="inverse L2 strength of the regression")
    parser.add_argument("--sample", type=int, default=0, help="cross-validate on this many targets only")
    parser.add_argument("--examples", type=int, default=0, help="cv: also print this many mistakes (seeded)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "tone_model.npz")
    args = parser.parse_args(argv)
    data = load(args.data)
    if args.sample:
        data = data.sample(args.sample, random_state=SEED).reset_index(drop=True)
    started = time.perf_counter()
    if args.command == "fit":
        model = fit_light(light_features(data), data["label"].to_numpy(), c=args.c)
        model.save(args.out)
        print(f"wrote {args.out} from {len(data)} targets in {time.perf_counter() - started:.0f} s")
        return 0
    if args.model in {"vader", "textblob"}:
        predicted = sentence_baseline(data, args.model)
    else:
        x, fold = light_features(data), folds(data)
        predicted = np.zeros(len(data), int)
        for k in range(FOLDS):
            test = fold == k
            model = fit_light(x[~test], data["label"].to_numpy()[~test], c=args.c)
            xs = (x[test] - model.mean) / model.scale
            predicted[test] = (xs @ model.coef.T + model.intercept).argmax(axis=1)
    print(json.dumps({"model": args.model, "targets": len(data), "seconds": round(time.perf_counter() - started),
                      **report(data, predicted)}, indent=1))
    print_mistakes(data, predicted, args.examples)
    return 0


def print_mistakes(data: pd.DataFrame, predicted: np.ndarray, n: int) -> None:
    """``n`` of the targets ``predicted`` gets wrong (a fixed sample), each with its target in brackets."""
    missed = predicted != data["label"].to_numpy()
    wrong = data[missed].assign(predicted=predicted[missed])
    for row in wrong.sample(min(n, len(wrong)), random_state=SEED).itertuples():
        marked = f"{row.text[:row.start]}[{row.text[row.start:row.end]}]{row.text[row.end:]}"
        print(f"gold {LABELS[row.label]}, predicted {LABELS[row.predicted]}: {marked}")


if __name__ == "__main__":
    sys.exit(main())
