"""Tone toward each target by all-MiniLM-L6-v2 fine-tuned on NewsMTSC, run in numpy.

One forward pass per sentence; the tone toward a target is a linear head over the [CLS] state and
the mean state of the target's word pieces. The weights (``data/tone_minilm.npz``, int8 with a
scale per row) are rebuilt by ``training/finetune_minilm.py fit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .similarity import _gelu, _layer_norm, basic_tokens
from .similarity import load_model as load_static_model

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "tone_minilm.npz"
MAX_TOKENS = 128
_CLS, _SEP = 101, 102
HEADS = 12


def _pieces(text: str) -> list[int]:
    model = load_static_model()
    return [p for word in basic_tokens(text) for p in model.word_pieces(word)]


def encode(text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[tuple[int, int]]]:
    """WordPiece ids of ``text`` between [CLS] and [SEP], split at every span's edges, and each
    span's token range ``[a, b)`` (at least one token). Long texts keep a window of
    :data:`MAX_TOKENS` around the first span.

    >>> encode("Smith praised Jones.", [(0, 5), (14, 19)])[1]
    [(1, 2), (3, 4)]
    """
    cuts = sorted({0, len(text), *(int(x) for span in spans for x in span)})
    ids: list[int] = [_CLS]
    at: dict[int, int] = {0: 1}
    for a, b in zip(cuts, cuts[1:], strict=False):
        ids.extend(_pieces(text[a:b]))
        at[b] = len(ids)
    token_spans = [(at[int(s)], max(at[int(e)], at[int(s)] + 1)) for s, e in spans]
    if len(ids) + 1 > MAX_TOKENS:
        first = min(a for a, _ in token_spans)
        shift = max(0, min(first - MAX_TOKENS // 4, len(ids) - (MAX_TOKENS - 1)))
        body = ids[1 + shift : shift + MAX_TOKENS - 1]
        ids = [_CLS, *body]
        token_spans = [(min(max(1, a - shift), len(ids) - 1), min(max(2, b - shift), len(ids))) for a, b in token_spans]
    ids.append(_SEP)
    return ids, [(a, max(b, a + 1)) for a, b in token_spans]


def save_weights(model, path: str | Path) -> Path:
    """Write a trained ``training/finetune_minilm.Classifier``'s weights as int8 rows with scales.

    Matrices are quantised per output row (absolute maximum to 127); biases, layer norms and the
    head stay float32."""
    arrays = {}
    for name, tensor in model.state_dict().items():
        if name.endswith("position_ids"):
            continue
        w = tensor.detach().cpu().numpy().astype(np.float32)
        if w.ndim == 2 and not name.startswith("head."):
            scale = np.abs(w).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            arrays[name + ".q"] = np.round(w / scale[:, None]).astype(np.int8)
            arrays[name + ".scale"] = scale.astype(np.float32)
        else:
            arrays[name] = w
    np.savez_compressed(path, **arrays)
    return Path(path)


class MiniLMTone:
    """The fine-tuned model's weights (dequantised to float32 once) and its forward pass."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        w = {}
        for name, value in arrays.items():
            if name.endswith(".scale"):
                continue
            if name.endswith(".q"):
                base = name[:-2]
                w[base] = value.astype(np.float32) * arrays[base + ".scale"][:, None]
            else:
                w[name] = value.astype(np.float32)
        self.w = {k.removeprefix("bert."): v for k, v in w.items()}
        for k in list(self.w):  # transpose linear weights once: x @ W
            if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k and k != "head.weight":
                self.w[k] = np.ascontiguousarray(self.w[k].T)

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        dim = x.shape[-1] // HEADS
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e4).astype(np.float32)
        layer = 0
        while f"encoder.layer.{layer}.attention.self.query.weight" in w:
            p = f"encoder.layer.{layer}."

            def linear(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return t @ w[p + name + ".weight"] + w[p + name + ".bias"]

            q = linear(x, "attention.self.query").reshape(batch, length, HEADS, dim).transpose(0, 2, 1, 3)
            k = linear(x, "attention.self.key").reshape(batch, length, HEADS, dim).transpose(0, 2, 3, 1)
            v = linear(x, "attention.self.value").reshape(batch, length, HEADS, dim).transpose(0, 2, 1, 3)
            att = q @ k / np.float32(np.sqrt(dim)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            context = (att @ v).transpose(0, 2, 1, 3).reshape(batch, length, HEADS * dim)
            x = _layer_norm(x + linear(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = linear(x, "intermediate.dense")
            x = _layer_norm(x + linear(_gelu(h), "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
            layer += 1
        return x

    def probabilities(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
                      batch_size: int = 32) -> list[np.ndarray]:
        """Per text, P(negative), P(neutral), P(positive) for each of its spans (rows sum to 1)."""
        encoded = [encode(t, s) for t, s in zip(texts, spans, strict=True)]
        out: list[np.ndarray] = [np.zeros((0, 3))] * len(encoded)
        order = np.argsort([len(ids) for ids, _ in encoded], kind="stable")  # similar lengths pad little
        for first in range(0, len(order), batch_size):
            chosen = order[first : first + batch_size]
            length = max(len(encoded[i][0]) for i in chosen)
            ids = np.zeros((len(chosen), length), np.int64)
            mask = np.zeros((len(chosen), length), np.int64)
            for row, i in enumerate(chosen):
                ids[row, : len(encoded[i][0])] = encoded[i][0]
                mask[row, : len(encoded[i][0])] = 1
            hidden = self.hidden(ids, mask)
            for row, i in enumerate(chosen):
                token_spans = encoded[i][1]
                if not token_spans:
                    continue
                cls = np.repeat(hidden[row, 0][None], len(token_spans), axis=0)
                span = np.stack([hidden[row, a:b].mean(axis=0) for a, b in token_spans])
                logits = np.hstack([cls, span]).astype(np.float64) @ self.w["head.weight"].T + self.w["head.bias"]
                logits -= logits.max(axis=1, keepdims=True)
                p = np.exp(logits)
                out[i] = p / p.sum(axis=1, keepdims=True)
        return out


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> MiniLMTone:
    """The shipped fine-tuned model (loaded once per process)."""
    with np.load(Path(path) if path else MODEL_PATH) as data:
        return MiniLMTone({k: data[k] for k in data.files})
