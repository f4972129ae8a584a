"""Key messages over every ECB+ story at once: how many stories each message is matched in, how many
outlets carry it, and how long ``message_pullthrough`` takes (parsing included, a cold cache).

    python -m bench.messages_speed [--data ../shared/data/ecbplus/articles.jsonl]

ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0) has no sentence table: each paragraph is taken as a
sentence, the gold ``story`` as the story, and the odd/even document number as two outlets.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import pandas as pd

from analysis.messages import message_pullthrough

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
MESSAGES = ["Tara Reid entered rehab", "Maurice Cheeks was fired as coach of the 76ers",
            "Microsoft released a patch for Internet Explorer", "Police arrested the driver"]


def ecb_sentences(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, lengths = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        number = int(re.match(r"\d+_(\d+)", article["doc"]).group(1))
        start = 0
        for position, paragraph in enumerate(article["text"].split("\n")):
            if paragraph.strip():
                rows.append({"article_id": article["doc"], "outlet": "Odd" if number % 2 else "Even",
                             "story": article["story"], "text": paragraph, "start": start,
                             "is_title": position == 0})
            start += len(paragraph) + 1
        lengths.append({"article_id": article["doc"], "length": start})
    return pd.DataFrame(rows), pd.DataFrame(lengths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    sentences, lengths = ecb_sentences(args.data)
    began = time.perf_counter()
    table = message_pullthrough(sentences, MESSAGES, articles=lengths)
    took = time.perf_counter() - began
    print(f"{len(sentences):,} sentences, {sentences['story'].nunique()} stories, {len(MESSAGES)} messages: "
          f"{took:.1f} s (spaCy load and parse included)")
    summary = table.groupby("message", sort=False).agg(stories=("story", "nunique"), rows=("found", "size"),
                                                       carried=("found", "sum"))
    print(summary.to_string())
    print(table.loc[table["found"], ["message", "story", "outlet", "similarity"]].to_string(index=False))


if __name__ == "__main__":
    main()
