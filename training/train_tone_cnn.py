"""Train and cross-validate the convolutional entity-tone model (``analysis.tone_cnn``) on NewsMTSC.

    python training/train_tone_cnn.py cv --ensemble --jobs 2  # 5-fold CV (folds of train_tone.py), shipped rule
    python training/train_tone_cnn.py fit --jobs 2            # data/tone_cnn.npz, tests/data/tone/reference.json
    python training/train_tone_cnn.py cv --ensemble --nets plain,reg,seed1,distil --jobs 2   # README's other rows

Needs torch (``training/requirements.txt``). Seeded: the same command gives the same figures and
weights (torch on CPU, one thread per net; ``--jobs`` trains nets at once, same result). Each net
stops early on an inner split: 10% of the training articles, chosen by the seed, the epoch with the
best macro-F1 there kept.

Each net also gives variants that cost nothing at inference (one net of the same shape): ``ema``,
an exponential moving average of its weights over the training steps (the average's best epoch on
the inner split), and ``avg3``, the uniform average of its three best epochs' weights (by inner
macro-F1). ``--nets`` names the nets trained per fold (:data:`NETS`): ``plain`` (as shipped before
branch tone5), ``tune`` and ``tune0`` (which also learn a correction of each WordPiece's static
vector), ``reg`` (target-name masking, word dropout, label smoothing), ``seedN`` (plain, another
seed), ``distil`` (a plain net trained on the gold labels mixed with the mean probabilities of the
fold's other nets, its teachers, which saw only the fold's training articles).

The shipped rule (``--ensemble`` in ``cv``, ``--ship mix`` in ``fit``): the light model fitted
without the inner split's articles; for every net and variant, the light model's weight (0 to 1 by
0.05) with the best macro-F1 of the mix on the inner split; the net and variant whose mix scores best
there. The test fold is never looked at."""

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

from analysis.similarity import load_model as load_static_model
from analysis.tone_cnn import EXTRA, MAX_DISTANCE, MAX_WORDS, _split, mention_window, sentence_words


def encode(data):
    """Windows of words (padded word features) and per target its window and distance buckets
    (a sentence's window: the whole sentence up to MAX_WORDS words, as at inference); and per
    window's word its WordPiece ids (padded with the vocabulary's size), as the piece table reads them."""
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
    return x, np.array([i for i, _ in buckets]), bucket, word_pieces(texts, keys)


def word_pieces(texts: list[str], keys: dict) -> np.ndarray:
    """Per window (``keys``: (text, first word, end) -> window) and word: its WordPiece ids, padded
    with the vocabulary's size (words x pieces, as ``analysis.tone_cnn._piece_means`` reads them)."""
    spans, flat = _split(texts)
    tokens = load_static_model().tokenise(flat)
    lengths = np.diff(tokens.offsets)
    vocabulary = load_static_model().unit.shape[0]
    first_word = np.concatenate([[0], np.cumsum([len(w) for w in spans])])
    out = np.full((len(keys), MAX_WORDS, int(lengths.max())), vocabulary, np.int64)
    for (k, lo, hi), i in keys.items():
        for j, w in enumerate(range(first_word[k] + lo, first_word[k] + hi)):
            ids = tokens.ids[tokens.offsets[w] : tokens.offsets[w + 1]]
            out[i, j, : len(ids)] = ids
    return out


# Per net: target-name masking (the target's words' vectors zeroed, per example), word dropout (whole
# words zeroed), label smoothing, and the teachers' share of the loss (distillation). Fixed before the CV.
NETS = {
    "plain": {"mask": 0.0, "word_dropout": 0.0, "smoothing": 0.0, "distil": 0.0},
    "reg": {"mask": 0.3, "word_dropout": 0.1, "smoothing": 0.1, "distil": 0.0},
    "distil": {"mask": 0.0, "word_dropout": 0.0, "smoothing": 0.0, "distil": 0.5},
    # a learned correction of each WordPiece's static vector; "penalty": times the mean squared norm of
    # the corrections a batch reads (None: no correction)
    "tune": {"mask": 0.0, "word_dropout": 0.0, "smoothing": 0.0, "distil": 0.0, "penalty": 0.01},
    "tune0": {"mask": 0.0, "word_dropout": 0.0, "smoothing": 0.0, "distil": 0.0, "penalty": 0.0},
}
EMA_DECAY = 0.995  # per step (about 110 steps an epoch): an average over the last two epochs or so


def net_settings(name: str) -> dict:
    """The settings of net ``name`` (``seedN``: a plain net with seed offset N)."""
    return NETS["plain"] if name.startswith("seed") else NETS[name]


def net_seed(name: str, seed: int) -> int:
    return seed + 1000 * int(name[4:]) if name.startswith("seed") else seed


def augment(x, bucket, settings: dict):
    """``x`` with the target's word vectors zeroed in a share of the examples and a share of all words
    zeroed (draws from torch's generator only for a setting in use)."""
    import torch

    if not (settings["mask"] or settings["word_dropout"]):
        return x
    x = x.clone()
    vector = x.shape[2] - EXTRA
    if settings["mask"]:
        masked = (torch.rand(x.shape[0]) < settings["mask"])[:, None] & (bucket == 0)
        x[..., :vector] *= (~masked)[..., None]
    if settings["word_dropout"]:
        x *= (torch.rand(x.shape[:2]) >= settings["word_dropout"])[..., None]
    return x


def build(dim: int, filters: int, width: int, dropout: float, *, tune: bool = False):
    import torch
    from torch import nn

    vocabulary, vector = load_static_model().unit.shape

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # per WordPiece, a correction of its static vector (the last row: padding, kept zero)
            self.pieces = nn.Embedding(vocabulary + 1, vector, padding_idx=vocabulary) if tune else None
            if tune:
                nn.init.zeros_(self.pieces.weight)
            self.conv = nn.Conv1d(dim, filters, width, padding=width // 2)
            self.distance = nn.Embedding(2 * MAX_DISTANCE + 1, filters)
            self.query = nn.Parameter(torch.zeros(filters))
            self.distance_attention = nn.Parameter(torch.zeros(2 * MAX_DISTANCE + 1))
            self.out = nn.Linear(3 * filters, 3)
            self.drop_in, self.drop = nn.Dropout(dropout / 2), nn.Dropout(dropout)
            nn.init.normal_(self.distance.weight, std=0.1)

        def corrections(self, pieces):
            """Per word, the mean of its pieces' corrections (zero for a word without pieces)."""
            real = (pieces < vocabulary).float()
            total = (self.pieces(pieces) * real[..., None]).sum(2)
            return total / real.sum(2, keepdim=True).clamp(min=1)

        def forward(self, x, bucket, pieces=None):
            if self.pieces is not None:
                x = torch.cat([x[..., :vector] + self.corrections(pieces), x[..., vector:]], -1)
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


def inner_split(articles, rows, *, seed: int) -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    """``rows`` parted into training and inner (early-stopping) rows: 10% of their articles, by
    ``seed``; and the generator, which goes on to shuffle the batches."""
    rng = np.random.default_rng(seed)
    names = np.unique(articles[rows])
    held = np.isin(articles[rows], rng.choice(names, max(1, len(names) // 10), replace=False))
    return rows[~held], rows[held], rng


def train(x, sentence, bucket, y, articles, rows, args, *, seed: int, settings: dict | None = None,
          soft: np.ndarray | None = None, split_seed: int | None = None) -> dict:
    """A net fitted on ``rows``: early stopping on 10% of their articles (chosen by ``split_seed``,
    by default ``seed``; by macro-F1). Returns its variants by name (``best``: the best epoch's
    weights; ``ema``; ``avg3``), each ``(state_dict, inner macro-F1)``. ``soft``: the teachers'
    probabilities per row (distillation)."""
    import torch
    from sklearn.metrics import f1_score

    settings = settings or NETS["plain"]
    torch.manual_seed(seed)
    tr, va, rng = inner_split(articles, rows, seed=seed if split_seed is None else split_seed)
    if split_seed is not None and split_seed != seed:
        rng = np.random.default_rng(seed)
    net = build(x.shape[2], args.filters, args.width, args.dropout, tune="penalty" in settings)
    counts = np.bincount(y[tr], minlength=3)
    class_weight = torch.tensor(len(tr) / (3 * counts), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weight, label_smoothing=settings["smoothing"])
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr, weight_decay=args.decay)
    xt, bt, yt = torch.from_numpy(x), torch.from_numpy(bucket), torch.from_numpy(np.asarray(y))
    st, pt = torch.from_numpy(sentence), torch.from_numpy(_SHARED["pieces"])
    soft_t = torch.from_numpy(soft.astype(np.float32)) if soft is not None else None
    ema = {k: v.detach().clone() for k, v in net.state_dict().items()}
    started = time.perf_counter()
    history, best = [], {"best": (-1.0, None), "ema": (-1.0, None)}
    stale, step = 0, 0

    def inner_f1(state) -> float:
        net.load_state_dict(state)
        return float(f1_score(y[va], predict(net, x, sentence, bucket, va).argmax(1), average="macro"))

    for epoch in range(args.epochs):
        net.train()
        order = rng.permutation(tr)
        for i in range(0, len(order), args.batch):
            batch = torch.from_numpy(order[i : i + args.batch])
            optimiser.zero_grad()
            xb, bb, pb = trimmed(xt[st[batch]], bt[batch], pt[st[batch]])
            logits = net(augment(xb, bb, settings), bb, pb)
            loss = loss_fn(logits, yt[batch])
            if settings.get("penalty"):
                real = pb < net.pieces.padding_idx
                loss = loss + settings["penalty"] * (net.pieces(pb[real]) ** 2).sum(1).mean()
            if soft_t is not None:
                teacher = soft_t[batch]
                loss = (1 - settings["distil"]) * loss - settings["distil"] * (
                    teacher * torch.log_softmax(logits, 1)).sum(1).mean()
            loss.backward()
            optimiser.step()
            step += 1
            decay = min(EMA_DECAY, (1 + step) / (10 + step))
            with torch.no_grad():
                for k, v in net.state_dict().items():
                    ema[k].mul_(decay).add_(v, alpha=1 - decay)
        state = {k: v.clone() for k, v in net.state_dict().items()}
        f1, f1_ema = inner_f1(state), inner_f1(ema)
        history.append((f1, state))
        improved = False
        for name, score, weights in (("best", f1, state), ("ema", f1_ema, ema)):
            if score > best[name][0]:
                best[name] = (score, {k: v.clone() for k, v in weights.items()})
                improved = True
        net.load_state_dict(state)
        print(f"  epoch {epoch + 1}: inner macro-F1 {f1:.3f}, ema {f1_ema:.3f} ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr)
        stale = 0 if improved else stale + 1
        if stale >= args.patience:
            break
    top = sorted(history, key=lambda h: -h[0])[:3]
    avg = {k: sum(s[k] for _, s in top) / len(top) for k in top[0][1]}
    variants = {"best": best["best"], "ema": best["ema"], "avg3": (inner_f1(avg), avg)}
    print("  inner split: " + ", ".join(f"{k} {f:.3f}" for k, (f, _) in variants.items()), file=sys.stderr)
    return {k: (state, f) for k, (f, state) in variants.items()}


def trimmed(x, bucket, pieces):
    """The batch cut after its last word (the rest is padding: zero vectors, as the convolution's own),
    and its words' pieces after the most any word has."""
    last = int((bucket >= 0).any(0).nonzero().max()) + 1
    pieces = pieces[:, :last]
    most = int((pieces < pieces.max()).sum(2).max()) if pieces.numel() else 0
    return x[:, :last], bucket[:, :last], pieces[..., : max(most, 1)]


def predict(net, x, sentence, bucket, rows) -> np.ndarray:
    import torch

    net.eval()
    with torch.no_grad():
        pieces = _SHARED["pieces"]
        out = [torch.softmax(net(*trimmed(torch.from_numpy(x[sentence[rows[i : i + 256]]]),
                                          torch.from_numpy(bucket[rows[i : i + 256]]),
                                          torch.from_numpy(pieces[sentence[rows[i : i + 256]]]))), 1).numpy()
               for i in range(0, len(rows), 256)]
    return np.concatenate(out) if out else np.zeros((0, 3))


def export(net, width: int) -> dict[str, np.ndarray]:
    """The weights as :class:`analysis.tone_cnn.ToneCNN` reads them."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    conv = sd["conv.weight"]  # (filters, input, width) -> (width * input, filters)
    return {"conv": np.ascontiguousarray(conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])),
            "conv_bias": sd["conv.bias"], "distance": sd["distance.weight"], "query": sd["query"],
            "distance_attention": sd["distance_attention"], "out": sd["out.weight"], "out_bias": sd["out.bias"],
            "width": np.array(width), **piece_corrections(sd)}


def piece_corrections(sd: dict) -> dict[str, np.ndarray]:
    """The WordPieces whose static vector the net corrects (those seen in training): ``piece_ids``
    and their corrected vectors, ``piece_vectors`` (none for a net without corrections)."""
    if "pieces.weight" not in sd:
        return {}
    delta = sd["pieces.weight"][:-1]
    ids = np.flatnonzero(np.abs(delta).max(1) > 0).astype(np.int32)
    return {"piece_ids": ids, "piece_vectors": (load_static_model().unit[ids] + delta[ids]).astype(np.float32)}


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


_SHARED: dict = {}  # the encoded data, inherited by forked workers


def _task(task: tuple) -> tuple:
    """Train one net: ``(key, rows, name, seed, split_seed, soft)`` -> ``(key, its variants)``; a net
    already in ``--cache`` is read from there."""
    import torch

    torch.set_num_threads(1)
    key, rows, name, seed, split_seed, soft = task
    d = _SHARED
    cache = d["args"].cache
    path = cache / f"{'_'.join(map(str, key))}_{seed}_{split_seed}.pt" if cache else None
    if path and path.exists():
        return key, torch.load(path)
    variants = train(d["x"], d["sentence"], d["bucket"], d["y"], d["articles"], rows, d["args"], seed=seed,
                     settings=net_settings(name), soft=soft, split_seed=split_seed)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(variants, path)
    return key, variants


def run_tasks(tasks: list[tuple], jobs: int) -> dict:
    """:func:`_task` of each task, on ``jobs`` forked processes: variants by key."""
    if jobs <= 1:
        return dict(map(_task, tasks))
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return dict(pool.imap_unordered(_task, tasks))


def nets_of(variants: dict, dim: int, args) -> dict:
    """Each variant's net, loaded."""
    out = {}
    for name, (state, _) in variants.items():
        out[name] = build(dim, args.filters, args.width, args.dropout, tune="pieces.weight" in state)
        out[name].load_state_dict(state)
    return out


def fit_nets(rows: np.ndarray, names: list[str], *, seed: int, jobs: int, dim: int, args) -> dict:
    """Every net of ``names`` fitted on ``rows`` (the inner split by ``seed``); a ``distil`` net after
    the others, taught by the mean of their best-epoch probabilities on its training rows."""
    d = _SHARED
    first = [n for n in names if n != "distil"]
    done = run_tasks([((seed, n), rows, n, net_seed(n, seed), seed, None) for n in first], jobs)
    out = {n: done[seed, n] for n in first}
    if "distil" in names:
        teachers = [nets_of(out[n], dim, args)["best"] for n in first]
        soft = np.zeros((len(d["y"]), 3), np.float32)
        soft[rows] = np.mean([predict(t, d["x"], d["sentence"], d["bucket"], rows) for t in teachers], axis=0)
        out["distil"] = run_tasks([((seed, "distil"), rows, "distil", seed, seed, soft)], 1)[seed, "distil"]
    return out


WEIGHTS = np.round(np.arange(0, 1.0001, 0.05), 2)  # the light model's weights tried on the inner split


def light_probabilities(model, lx: np.ndarray) -> np.ndarray:
    z = ((lx - model.mean) / model.scale) @ model.coef.T + model.intercept
    z = np.exp(z - z.max(1, keepdims=True))
    return z / z.sum(1, keepdims=True)


def choose_weight(y: np.ndarray, light: np.ndarray, cnn: np.ndarray) -> float:
    """The light model's weight in ``WEIGHTS`` with the best macro-F1 of ``w * light + (1 - w) * cnn``
    (ties: the one nearest 0.5). From branch tone4."""
    from sklearn.metrics import f1_score

    scores = [f1_score(y, (w * light + (1 - w) * cnn).argmax(1), average="macro") for w in WEIGHTS]
    best = max(scores)
    return float(min((w for w, f in zip(WEIGHTS, scores, strict=True) if f == best), key=lambda w: abs(w - 0.5)))


OFFSETS = np.round(np.arange(-0.3, 0.3001, 0.05), 2)  # per-class log-probability offsets tried


def choose_offsets(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Offsets (0, neutral, positive) from :data:`OFFSETS` added to ``log p`` with the best macro-F1
    (ties: the smallest total size)."""
    from sklearn.metrics import f1_score

    logp = np.log(np.clip(p, 1e-12, None))
    scored = [(f1_score(y, (logp + [0.0, a, b]).argmax(1), average="macro"), -(abs(a) + abs(b)), a, b)
              for a in OFFSETS for b in OFFSETS]
    _, _, a, b = max(scored)
    return np.array([0.0, a, b])


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
    parser.add_argument("--nets", default="plain,tune,tune0", help="nets per fold, comma-separated (NETS; seedN)")
    parser.add_argument("--ship", default="mix",
                        help="fit: the net and variant written (NET:VARIANT; auto: the best on the inner split; "
                             "mix: net, variant and the light model's weight by the mix's inner macro-F1)")
    parser.add_argument("--jobs", type=int, default=1, help="nets trained at once (one torch thread each)")
    parser.add_argument("--cache", type=Path, help="keep each trained net here and read it back when asked again")
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
    x, sentence, bucket, pieces = encode(data)
    y, articles = data["label"].to_numpy(), data["article"].to_numpy()
    _SHARED.update(x=x, sentence=sentence, bucket=bucket, pieces=pieces, y=y, articles=articles, args=args)
    names = args.nets.split(",")
    if args.command == "fit":
        from sklearn.metrics import f1_score

        rows = np.arange(len(data))
        fitted = fit_nets(rows, names, seed=SEED, jobs=args.jobs, dim=x.shape[2], args=args)
        inner = {(n, v): f for n in names for v, (_, f) in fitted[n].items()}
        print("inner macro-F1: " + ", ".join(f"{n}:{v} {f:.3f}" for (n, v), f in inner.items()), file=sys.stderr)
        weight = 0.5
        if args.ship == "mix":  # net, variant and the light model's weight by the mix's inner macro-F1
            tr, va, _ = inner_split(articles, rows, seed=SEED)
            lx = light_features(data)
            inner_light = light_probabilities(fit_light(lx[tr], y[tr], c=0.003), lx[va])
            mixes = {}
            for n in names:
                for v, net in nets_of(fitted[n], x.shape[2], args).items():
                    q = predict(net, x, sentence, bucket, va)
                    w = choose_weight(y[va], inner_light, q)
                    mixes[n, v] = (f1_score(y[va], (w * inner_light + (1 - w) * q).argmax(1), average="macro"), w)
            print("inner macro-F1 mixed: " + ", ".join(f"{n}:{v} {f:.3f} (weight {w})"
                                                       for (n, v), (f, w) in mixes.items()), file=sys.stderr)
            ship_net, ship_variant = max(mixes, key=lambda key: mixes[key][0])
            weight = mixes[ship_net, ship_variant][1]
        elif args.ship == "auto":
            ship_net, ship_variant = max(inner, key=inner.get)
        else:
            ship_net, ship_variant = args.ship.split(":")
        args.ship = f"{ship_net}:{ship_variant}"
        net = nets_of(fitted[ship_net], x.shape[2], args)[ship_variant]
        np.savez_compressed(args.out, **export(net, args.width), light_weight=np.array(weight, np.float32))
        write_reference(net, data, x, sentence, bucket)
        print(f"wrote {args.out} ({args.ship}, inner macro-F1 {fitted[ship_net][ship_variant][1]:.3f}, light "
              f"weight {weight}) and {REFERENCE} from {len(data)} targets in {time.perf_counter() - started:.0f} s")
        return 0
    fold = folds(data)
    if args.jobs > 1 and "distil" not in names:  # all folds' nets at once
        done = run_tasks([((SEED + k, n), np.flatnonzero(fold != k), n, net_seed(n, SEED + k), SEED + k, None)
                          for k in range(FOLDS) for n in names], args.jobs)
        fitted = [{n: done[SEED + k, n] for n in names} for k in range(FOLDS)]
    else:
        fitted = [fit_nets(np.flatnonzero(fold != k), names, seed=SEED + k, jobs=args.jobs, dim=x.shape[2], args=args)
                  for k in range(FOLDS)]
    keys = [(n, v) for n in names for v in fitted[0][n]]
    p = {key: np.zeros((len(data), 3)) for key in keys}
    from sklearn.metrics import f1_score

    p_chosen, p_mixed_chosen, chosen, chosen_mixed = np.zeros((len(data), 3)), np.zeros((len(data), 3)), [], []
    inner_mix: dict = {}  # per net:variant of the fold, the light model's weight and its inner predictions
    lx = light_features(data) if args.ensemble else None
    p_light = np.zeros((len(data), 3))
    p_mixed = {key: np.zeros((len(data), 3)) for key in keys}
    mix_weights = {key: [] for key in keys}
    p_every, every_variant, every_weight = np.zeros((len(data), 3)), [], []
    p_offset, offsets = np.zeros((len(data), 3)), []
    for k in range(FOLDS):
        test = np.flatnonzero(fold == k)
        if args.ensemble:  # the light model's weight, on the inner split: the light model fitted without it
            tr, va, _ = inner_split(articles, np.flatnonzero(fold != k), seed=SEED + k)
            inner_light = light_probabilities(fit_light(lx[tr], y[tr], c=0.003), lx[va])
        for n in names:
            for v, net in nets_of(fitted[k][n], x.shape[2], args).items():
                p[n, v][test] = predict(net, x, sentence, bucket, test)
                if args.ensemble:
                    q = predict(net, x, sentence, bucket, va)
                    mix_weights[n, v].append(choose_weight(y[va], inner_light, q))
                    inner_mix[n, v] = (mix_weights[n, v][-1], q)
        # the one net (and variant) with the best inner macro-F1: chosen without the test fold
        chosen.append(max(keys, key=lambda key: fitted[k][key[0]][key[1]][1]))
        p_chosen[test] = p[chosen[-1]][test]
        if args.ensemble:  # the same, by the inner macro-F1 of its mix with the light model
            mixed = {key: f1_score(y[va], (w * inner_light + (1 - w) * q).argmax(1), average="macro")
                     for key, (w, q) in inner_mix.items()}
            chosen_mixed.append(max(keys, key=mixed.get))
        if args.ensemble:
            p_light[test] = light_probabilities(fit_light(lx[fold != k], y[fold != k], c=0.003), lx[test])
            for key in keys:
                w = mix_weights[key][-1]
                p_mixed[key][test] = w * p_light[test] + (1 - w) * p[key][test]
            p_mixed_chosen[test] = p_mixed[chosen_mixed[-1]][test]
            # per-class offsets on the chosen mix's log-probabilities, chosen on the inner split
            w, q = inner_mix[chosen_mixed[-1]]
            offsets.append(choose_offsets(y[va], w * inner_light + (1 - w) * q))
            p_offset[test] = np.log(np.clip(p_mixed_chosen[test], 1e-12, None)) + offsets[-1]
            # all the fold's nets at once: each net's variant best alone on the inner split, their mean,
            # the light model's weight for that mean on the inner split
            best_variant = {n: max(fitted[k][n], key=lambda v, n=n: fitted[k][n][v][1]) for n in names}
            every_variant.append([f"{n}:{v}" for n, v in best_variant.items()])
            q_all = np.mean([inner_mix[n, v][1] for n, v in best_variant.items()], axis=0)
            every_weight.append(choose_weight(y[va], inner_light, q_all))
            mean_test = np.mean([p[n, v][test] for n, v in best_variant.items()], axis=0)
            p_every[test] = every_weight[-1] * p_light[test] + (1 - every_weight[-1]) * mean_test
    results = {"model": "cnn", "targets": len(data), "seconds": round(time.perf_counter() - started),
               "settings": {k: str(v) for k, v in vars(args).items()
                            if k not in {"data", "out", "command", "predictions"}},
               "inner macro-F1 per fold": {f"{n}:{v}": [round(fitted[k][n][v][1], 3) for k in range(FOLDS)]
                                           for n, v in keys}}
    for n, v in keys:
        results[f"cnn {n}:{v}"] = report(data, p[n, v].argmax(1))
        if args.ensemble:
            results[f"mean of cnn {n}:{v} and light"] = report(data, (p[n, v] + p_light).argmax(1))
            results[f"cnn {n}:{v} and light, weights {mix_weights[n, v]} from the inner split"] = report(
                data, p_mixed[n, v].argmax(1))
    results["chosen per fold on the inner split"] = [f"{n}:{v}" for n, v in chosen]
    results["cnn chosen on the inner split"] = report(data, p_chosen.argmax(1))
    if args.ensemble:
        results["light"] = report(data, p_light.argmax(1))
        results["mean of cnn chosen on the inner split and light"] = report(data, (p_chosen + p_light).argmax(1))
        results["chosen per fold by its mix's inner macro-F1"] = [
            f"{n}:{v} weight {mix_weights[n, v][k]}" for k, (n, v) in enumerate(chosen_mixed)]
        results["cnn and light, net, variant and weight chosen on the inner split"] = report(
            data, p_mixed_chosen.argmax(1))
        results["offsets (negative, neutral, positive) chosen on the inner split"] = [o.tolist() for o in offsets]
        results["cnn and light as shipped, plus class offsets chosen on the inner split"] = report(
            data, p_offset.argmax(1))
        results["every net, variants and weight chosen on the inner split"] = [
            f"{' + '.join(v)}, weight {w}" for v, w in zip(every_variant, every_weight, strict=True)]
        results["mean of every net and light, variants and weight chosen on the inner split"] = report(
            data, p_every.argmax(1))
    print(json.dumps(results, indent=1))
    if args.predictions:
        np.savez(args.predictions, light=p_light, chosen=p_chosen, mixed_chosen=p_mixed_chosen, every=p_every,
                 **{f"{n}_{v}": q for (n, v), q in p.items()})
    # the mistakes of the mix chosen on the inner split (--ensemble), else of the first net
    print_mistakes(data, (p_mixed_chosen if args.ensemble else p[keys[0]]).argmax(1), args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
