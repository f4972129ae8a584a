"""The mentions one checkout of the extraction finds on ECB+ that another does not, and a seeded sample of them.

    python -m bench.new_mentions --before DIR [--data PATH] [--n 50] --out bench/data/FILE.csv

``--before`` is a folder holding another checkout's ``analysis/`` and ``data/`` (e.g. ``git archive
e8da730 analysis data | tar -x -C DIR``); it is run in a child process with that folder first on
the import path. Both extract ECB+ (``bench.names.read_ecbplus``: 982 articles, CC BY 3.0,
Cybulska & Vossen, LREC 2014) with the aliases they ship; mentions with the same article and
offsets are the same. Writes ``--n`` of the new mentions drawn with a fixed seed (article_id,
start, end, text, entity, label, sentence) and a ``verdict`` column left empty for a reader, and
prints how many mentions are new, gone or relabelled.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from .names import DEFAULT, read_ecbplus

SEED = 19
KEY = ["article_id", "start", "end"]


def extracted(data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions and sentences of ECB+ by the ``analysis`` package on the import path."""
    from analysis.aliases import read_aliases
    from analysis.extract import extract

    arts, _ = read_ecbplus(data)
    result = extract(arts, aliases=read_aliases())
    return result.mentions, result.sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a folder with the other checkout's analysis/ and data/")
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--out", type=Path, help="the sample (CSV)")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)  # the child's output
    args = parser.parse_args(argv)
    if args.dump is not None:
        with args.dump.open("wb") as f:
            pickle.dump(extracted(args.data), f)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "before.pkl"
        root = Path(__file__).resolve().parents[1]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(args.before.resolve()), str(root)])}
        subprocess.run([sys.executable, "-m", "bench.new_mentions", "--data", str(args.data), "--dump", str(dump)],
                       check=True, env=env, cwd=tmp)
        with dump.open("rb") as f:
            before, _ = pickle.load(f)
    after, sentences = extracted(args.data)
    both = after.merge(before[[*KEY, "entity", "label"]], on=KEY, how="outer", suffixes=("", "_before"),
                       indicator=True)
    new = both[both["_merge"] == "left_only"].sort_values(KEY).reset_index(drop=True)
    gone = both[both["_merge"] == "right_only"]
    kept = both[both["_merge"] == "both"]
    relabelled = kept[(kept["entity"] != kept["entity_before"]) | (kept["label"] != kept["label_before"])]
    print(f"mentions before {len(before)}, after {len(after)}: new {len(new)}, gone {len(gone)}, "
          f"entity or label changed {len(relabelled)}")
    print(new["text"].value_counts().head(20).to_string())
    if args.out is not None:
        rows = sorted(random.Random(SEED).sample(range(len(new)), min(args.n, len(new))))
        text = sentences.set_index(["article_id", "position"])["text"]
        sample = new.iloc[rows][[*KEY, "text", "entity", "label", "sentence"]].reset_index(drop=True)
        sample = sample.assign(sentence=[text[(a, p)] for a, p in zip(sample["article_id"], sample["sentence"],
                                                                          strict=True)], verdict="")
        sample.to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
