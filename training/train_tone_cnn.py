"""Train and cross-validate the convolutional entity-tone model (``analysis.tone_cnn``) on NewsMTSC.

    python training/train_tone_cnn.py cv            # grouped 5-fold CV, same folds as train_tone.py
    python training/train_tone_cnn.py cv --ensemble # also the mean of its and the light model's probabilities
    python training/train_tone_cnn.py fit           # rebuild data/tone_cnn.npz

Needs torch (``training/requirements.txt``). Seeded: the same command gives the same figures and
weights (torch on CPU, one thread). Each fold (and the final fit) stops early on an inner split:
10% of the training articles, chosen by the seed, the epoch with the best macro-F1 there kept.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_tone import (
    DEFAULT_DATA,
    FOLDS,
    LABELS,
    ROOT,
    SEED,
    fit_light,
    folds,
    light_features,
    load,
    print_mistakes,
    report,
)

from analysis.tone_cnn import MAX_DISTANCE, MAX_WORDS, mention_window, sentence_words


def encode(data):
    """Windows of words (padded word features) and per target its window and distance buckets
    (a sentence's window: the whole sentence up to MAX_WORDS words, as at inference)."""
    texts = list(dict.fromkeys(data["text"]))
    index = {t: i for i, t in enumerate(texts)}
    words = sentence_words(texts)
    keys, buckets = {}, []
    for k, start, end in zip(data["text"].map(index), data["start"], data["end"], strict=True):
        window, b = mention_window(words[k], int(start), int(end))
        keys.setdefault((k, window.start, window.stop), len(keys))
        buckets.append((keys[(k, window.start, window.stop)], b))
    x = np.zeros((len(keys), MAX_WORDS, words[0].x.shape[1]), np.float32)
    for (k, lo, hi), i in keys.items():
        x[i, : hi - lo] = words[k].x[lo:hi]
    bucket = np.full((len(data), MAX_WORDS), -1, np.int64)  # -1: no word there
    for j, (_, b) in enumerate(buckets):
        bucket[j, : len(b)] = b
    return x, np.array([i for i, _ in buckets]), bucket


def build(dim: int, filters: int, width: int, dropout: float):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(dim, filters, width, padding=width // 2)
            self.distance = nn.Embedding(2 * MAX_DISTANCE + 1, filters)
            self.query = nn.Parameter(torch.zeros(filters))
            self.distance_attention = nn.Parameter(torch.zeros(2 * MAX_DISTANCE + 1))
            self.out = nn.Linear(3 * filters, 3)
            self.drop_in, self.drop = nn.Dropout(dropout / 2), nn.Dropout(dropout)
            nn.init.normal_(self.distance.weight, std=0.1)

        def forward(self, x, bucket):
            valid = bucket >= 0
            b = bucket.clamp(min=0)
            c = self.conv(self.drop_in(x).transpose(1, 2)).transpose(1, 2)
            h = torch.relu(c + self.distance(b))
            h = h * valid[..., None]
            inside = (bucket == 0).float()
            target = (h * inside[..., None]).sum(1) / inside.sum(1, keepdim=True).clamp(min=1)
            scores = (h * self.query).sum(-1) + self.distance_attention[b]
            scores = scores.masked_fill(~valid, -1e9)
            attended = (h * torch.softmax(scores, 1)[..., None]).sum(1)
            pooled = torch.cat([h.masked_fill(~valid[..., None], -1e9).max(1).values, target, attended], 1)
            return self.out(self.drop(pooled))

    return Net()


def train(x, sentence, bucket, y, articles, rows, args, *, seed: int):
    """A net fitted on ``rows``: early stopping on 10% of their articles (by macro-F1), the best epoch's weights."""
    import torch
    from sklearn.metrics import f1_score

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    names = np.unique(articles[rows])
    held = np.isin(articles[rows], rng.choice(names, max(1, len(names) // 10), replace=False))
    tr, va = rows[~held], rows[held]
    net = build(x.shape[2], args.filters, args.width, args.dropout)
    counts = np.bincount(y[tr], minlength=3)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(len(tr) / (3 * counts), dtype=torch.float32))
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr, weight_decay=args.decay)
    xt, bt, yt = torch.from_numpy(x), torch.from_numpy(bucket), torch.from_numpy(np.asarray(y))
    st = torch.from_numpy(sentence)
    started = time.perf_counter()
    best, best_state, stale = -1.0, None, 0
    for epoch in range(args.epochs):
        net.train()
        order = rng.permutation(tr)
        for i in range(0, len(order), args.batch):
            rows = torch.from_numpy(order[i : i + args.batch])
            optimiser.zero_grad()
            loss = loss_fn(net(*trimmed(xt[st[rows]], bt[rows])), yt[rows])
            loss.backward()
            optimiser.step()
        f1 = f1_score(y[va], predict(net, x, sentence, bucket, va).argmax(1), average="macro")
        print(f"  epoch {epoch + 1}: inner macro-F1 {f1:.3f} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if f1 > best:
            best, best_state, stale, best_epoch = f1, {k: v.clone() for k, v in net.state_dict().items()}, 0, epoch
        else:
            stale += 1
            if stale >= args.patience:
                break
    net.load_state_dict(best_state)
    print(f"  inner split: macro-F1 {best:.3f} at epoch {best_epoch + 1}", file=sys.stderr)
    return net


def trimmed(x, bucket):
    """The batch cut after its last word (the rest is padding: zero vectors, as the convolution's own)."""
    last = int((bucket >= 0).any(0).nonzero().max()) + 1
    return x[:, :last], bucket[:, :last]


def predict(net, x, sentence, bucket, rows) -> np.ndarray:
    import torch

    net.eval()
    with torch.no_grad():
        out = [torch.softmax(net(*trimmed(torch.from_numpy(x[sentence[rows[i : i + 256]]]),
                                          torch.from_numpy(bucket[rows[i : i + 256]]))), 1).numpy()
               for i in range(0, len(rows), 256)]
    return np.concatenate(out) if out else np.zeros((0, 3))


def export(net, width: int) -> dict[str, np.ndarray]:
    """The weights as :class:`analysis.tone_cnn.ToneCNN` reads them."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    conv = sd["conv.weight"]  # (filters, input, width) -> (width * input, filters)
    return {"conv": np.ascontiguousarray(conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])),
            "conv_bias": sd["conv.bias"], "distance": sd["distance.weight"], "query": sd["query"],
            "distance_attention": sd["distance_attention"], "out": sd["out.weight"], "out_bias": sd["out.bias"],
            "width": np.array(width)}


REFERENCE = ROOT / "tests" / "data" / "tone" / "reference.json"


def write_reference(net, data, x, sentence, bucket, *, n: int = 24) -> None:
    """Some NewsMTSC targets with torch's probabilities: the numpy inference must give the same
    (tests/test_tone.py). Half of them from sentences with several targets."""
    several = data.index[data["targets"].gt(1)].to_numpy()
    one = data.index[data["targets"].eq(1)].to_numpy()
    rng = np.random.default_rng(SEED)
    rows = np.sort(np.concatenate([rng.choice(one, n // 2, replace=False), rng.choice(several, n // 2, replace=False)]))
    p = predict(net, x, sentence, bucket, rows)
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    records = [{"text": data.at[r, "text"], "start": int(data.at[r, "start"]), "end": int(data.at[r, "end"]),
                "label": LABELS[int(data.at[r, "label"])], "cnn": [round(float(v), 6) for v in q]}
               for r, q in zip(rows, p, strict=True)]
    REFERENCE.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["cv", "fit"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--width", type=int, default=3)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--decay", type=float, default=1e-5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--ensemble", action="store_true", help="cv: also the mean with the light model")
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--predictions", type=Path, help="cv: save each target's probabilities here (.npz)")
    parser.add_argument("--sample", type=int, default=0, help="use this many targets only")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "tone_cnn.npz")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    data = load(args.data)
    if args.sample:
        data = data.sample(args.sample, random_state=SEED).reset_index(drop=True)
    started = time.perf_counter()
    x, sentence, bucket = encode(data)
    y, articles = data["label"].to_numpy(), data["article"].to_numpy()
    if args.command == "fit":
        net = train(x, sentence, bucket, y, articles, np.arange(len(data)), args, seed=SEED)
        np.savez_compressed(args.out, **export(net, args.width))
        write_reference(net, data, x, sentence, bucket)
        print(f"wrote {args.out} and {REFERENCE} from {len(data)} targets in {time.perf_counter() - started:.0f} s")
        return 0
    fold = folds(data)
    p = np.zeros((len(data), 3))
    p_light = np.zeros((len(data), 3)) if args.ensemble else None
    lx = light_features(data) if args.ensemble else None
    for k in range(FOLDS):
        test = fold == k
        net = train(x, sentence, bucket, y, articles, np.flatnonzero(~test), args, seed=SEED + k)
        p[test] = predict(net, x, sentence, bucket, np.flatnonzero(test))
        if args.ensemble:
            model = fit_light(lx[~test], y[~test], c=0.003)
            z = ((lx[test] - model.mean) / model.scale) @ model.coef.T + model.intercept
            z = np.exp(z - z.max(1, keepdims=True))
            p_light[test] = z / z.sum(1, keepdims=True)
    results = {"model": "cnn", "targets": len(data), "seconds": round(time.perf_counter() - started),
               "settings": {k: v for k, v in vars(args).items() if k not in {"data", "out", "command", "predictions"}},
               "cnn": report(data, p.argmax(1))}
    if args.ensemble:
        results["light"] = report(data, p_light.argmax(1))
        results["mean of cnn and light"] = report(data, (p + p_light).argmax(1))
    print(json.dumps(results, indent=1))
    if args.predictions:
        np.savez(args.predictions, cnn=p, **({"light": p_light} if args.ensemble else {}))
    print_mistakes(data, p.argmax(1), args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
