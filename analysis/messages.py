"""Key-message pull-through: did each outlet carry the messages an analyst is tracking, and where?

A message is carried by a sentence when most of its content is in that sentence:
:func:`analysis.similarity.coverage_matrix` matches every content word of the message with its
closest word in the sentence (static MiniLM vectors, so "democratizing" meets "democratize" and
"preferred" meets "primary") and averages the matches, weighted by how rare the words are.
``found`` means a similarity of at least ``FOUND_THRESHOLD`` (0.70): on the seed articles the
messages an outlet carried score 0.77-1.00 and those it did not 0.36-0.68 (the measurements and
the known misses are in ``bench/README.md``, "The similarity model: quality and speed").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .entities import first_seen
from .schema import MESSAGES
from .similarity import coverage_matrix

FOUND_THRESHOLD = 0.70
_DTYPES = {"found": bool, "similarity": float, "first_seen": float}


def parse_messages(messages: Sequence[str] | str | None) -> list[str]:
    """Key messages typed one per line (or given as a sequence): stripped, blank lines and
    repeats dropped, in their order.

    >>> parse_messages(" Tay was taken offline \\n\\nTay was taken offline\\nAzure")
    ['Tay was taken offline', 'Azure']
    >>> parse_messages(None)
    []
    """
    lines = (messages or "").splitlines() if messages is None or isinstance(messages, str) else list(messages)
    return list(dict.fromkeys(m.strip() for m in lines if m and m.strip()))


def message_pullthrough(
    sentences: pd.DataFrame, messages: Sequence[str] | str, *, articles: pd.DataFrame,
    threshold: float = FOUND_THRESHOLD,
) -> pd.DataFrame:
    """How well each outlet of each story carried each key message.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``text``,
            ``start`` and ``is_title`` (headline). Not modified.
        messages: the key messages (a sequence, or one string with one message per line).
        articles: ``article_id`` and ``length`` (of the analysed document) of their articles. Not modified.
        threshold: a message is ``found`` in an outlet when its best sentence scores at least this.

    Returns:
        DataFrame[story, outlet, message, found, similarity, best_sentence, article_id,
        first_seen], one row per story, outlet that covered it and message (in the order given):
        ``similarity`` (0-1) and ``best_sentence``/``article_id`` come from the outlet's
        best-matching sentence; ``first_seen`` is where the outlet first carries the message
        (:func:`analysis.entities.first_seen` of the first carrying sentence: 0 for a headline,
        else its start ÷ its article's length), averaged over the outlet's articles that carry
        it; empty when not found.

    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "story": "",
    ...                   "text": ["Microsoft teams up with OpenAI", "Google lags behind Amazon.",
    ...                            "Azure is the primary cloud."], "start": [0, 32, 0],
    ...                   "is_title": [True, False, False]})
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "length": [58, 27]})
    >>> t = message_pullthrough(s, ["Google lags behind Amazon"], articles=a)
    >>> t[["outlet", "found", "first_seen"]].values.tolist()
    [['X', True, 0.5517241379310345], ['Y', False, nan]]
    """
    wanted = parse_messages(messages)
    if sentences.empty or not wanted:
        return _empty()
    table = sentences.reset_index(drop=True)
    story = table["story"].fillna("").astype(str) if "story" in table else pd.Series("", index=table.index)
    outlet = table["outlet"].astype(str)
    texts = table["text"].fillna("").astype(str)
    scores = coverage_matrix(wanted, texts.tolist())  # (messages, sentences)

    is_title = (table["is_title"].fillna(False).astype(bool).to_numpy() if "is_title" in table
                else np.zeros(len(table), bool))
    start = table["start"].to_numpy(dtype=float)
    place = first_seen(start, is_title, table["article_id"].map(articles.set_index("article_id")["length"]))
    order = np.lexsort((start, ~is_title, pd.factorize(table["article_id"])[0]))

    rows = []
    groups = pd.DataFrame({"story": story, "outlet": outlet}).groupby(["story", "outlet"], sort=True).indices
    for (story_name, outlet_name), members in groups.items():
        members = np.asarray(members)
        reading = order[np.isin(order, members)]  # the outlet's sentences in reading order
        for m, message in enumerate(wanted):
            row_scores = scores[m, members]
            best = members[int(row_scores.argmax())]
            similarity = float(scores[m, best])
            found = similarity >= threshold
            seen = np.nan
            if found:
                carrying = reading[scores[m, reading] >= threshold]
                firsts = pd.Series(place[carrying], index=table["article_id"].to_numpy()[carrying])
                seen = float(firsts.groupby(level=0, sort=False).first().mean())
            rows.append({
                "story": story_name,
                "outlet": outlet_name,
                "message": message,
                "found": found,
                "similarity": similarity,
                "best_sentence": texts.iloc[best],
                "article_id": str(table["article_id"].iloc[best]),
                "first_seen": seen,
            })
    out = pd.DataFrame(rows, columns=MESSAGES)  # already by story, outlet, message order
    return out.astype(_DTYPES)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, str)) for c in MESSAGES})
