"""Would giving a pronoun's tone to the person it refers to help? Measured on NewsMTSC.

    python training/pronoun_tone.py --predictions /tmp/cv.npz   # from train_tone_cnn.py cv --predictions
    python training/pronoun_tone.py --model light               # the light model's CV, computed here

NewsMTSC names, in each target's ``Input.gid``, the person a pronoun target ("he", "her") refers to.
Per article and person this compares the gold tone (mean of the gold labels of all the person's
targets, -1 / 0 / +1) with the predicted tone (mean cross-validated P(positive) - P(negative)) taken
over the named targets only (today's entity tone) and over the named and pronoun targets (what a
perfect pronoun resolver would give: an upper bound for a "just-named person" rule).
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
from train_tone import DEFAULT_DATA, FOLDS, fit_light, folds, light_features, load

PRONOUNS = frozenset({"he", "she", "his", "her", "him", "hers", "himself", "herself", "they", "their", "them",
                      "it", "its", "we", "our", "us", "i", "me", "my"})


def referents(path: Path) -> list[str]:
    """Per target (in :func:`train_tone.load`'s order): the person it stands for, by surname."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for target in json.loads(line)["targets"]:
            name = " ".join(target["Input.gid"].split("_")[4:-2])
            words = re.findall(r"[A-Za-z][\w-]*", re.sub(r"['’]s\b", "", name))
            out.append(words[-1].lower() if words else name.lower())
    return out


def light_cv(data: pd.DataFrame) -> np.ndarray:
    """The light model's cross-validated probabilities (train_tone.py's folds and settings)."""
    x, fold, y = light_features(data), folds(data), data["label"].to_numpy()
    p = np.zeros((len(data), 3))
    for k in range(FOLDS):
        test = fold == k
        model = fit_light(x[~test], y[~test], c=0.003)
        z = ((x[test] - model.mean) / model.scale) @ model.coef.T + model.intercept
        z = np.exp(z - z.max(1, keepdims=True))
        p[test] = z / z.sum(1, keepdims=True)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--predictions", type=Path, help="probabilities saved by train_tone_cnn.py cv")
    parser.add_argument("--model", default="ensemble", choices=["ensemble", "cnn", "light"])
    args = parser.parse_args(argv)
    data = load(args.data)
    if args.predictions:
        with np.load(args.predictions) as saved:
            p = (saved["cnn"] + saved["light"]) / 2 if args.model == "ensemble" else saved[args.model]
    else:
        p = light_cv(data)
    data = data.assign(person=referents(args.data), pronoun=data["mention"].str.lower().isin(PRONOUNS),
                       gold=data["label"] - 1, score=p[:, 2] - p[:, 0])
    by = ["article", "person"]
    gold = data.groupby(by)["gold"].mean()
    named = data[~data["pronoun"]].groupby(by)["score"].mean()
    both = data.groupby(by)["score"].mean()
    has_pronoun = data.groupby(by)["pronoun"].any()
    table = pd.DataFrame({"gold": gold, "named": named, "both": both, "has_pronoun": has_pronoun})
    affected = table[table["has_pronoun"] & table["named"].notna()]
    only_pronouns = table["named"].isna()

    def sign(x):
        return np.sign(np.where(np.abs(x) < 1 / 3, 0, x))

    result = {
        "targets": len(data), "pronoun targets": int(data["pronoun"].sum()),
        "article-person pairs": len(table), "pairs with a pronoun target and a named one": len(affected),
        "pairs named only by pronouns (no tone today)": int(only_pronouns.sum()),
    }
    for name in ("named", "both"):
        error = (affected[name] - affected["gold"]).abs().mean()
        agree = (sign(affected[name]) == sign(affected["gold"])).mean()
        result[f"pairs with both, {name} targets: mean |predicted - gold|"] = round(float(error), 3)
        result[f"pairs with both, {name} targets: same sign as gold (|x| < 1/3 neutral)"] = round(float(agree), 3)
    from sklearn.metrics import f1_score

    mask = data["pronoun"].to_numpy()
    for name, rows in (("pronoun", mask), ("named", ~mask)):
        f1 = f1_score(data["label"][rows], p[rows].argmax(1), average="macro")
        result[f"{name} targets: macro-F1"] = round(float(f1), 3)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
