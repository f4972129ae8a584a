"""Key-message pull-through: did each outlet carry the messages an analyst is tracking, and where?

A message is carried by a sentence when most of its content is in that sentence:
:func:`analysis.similarity.coverage_matrix` matches every content word of the message with its
closest word in the sentence (static MiniLM vectors, so "democratizing" meets "democratize" and
"preferred" meets "primary") and averages the matches, weighted by how rare the words are.

``found`` means a similarity of at least ``FOUND_THRESHOLD`` (0.70). Measured on the seeds: the
messages each outlet carried score 0.77-1.00 ("Microsoft is committed to democratizing AI" 0.82 in
TechCrunch, 1.00 in TechRepublic; "Microsoft Azure is OpenAI's preferred cloud platform" 1.00 and
0.90; "Google lags behind Amazon on GPU virtual machines" 0.92 in TechCrunch; "Microsoft declined
to comment on money" 0.77 in TechCrunch), those it did not 0.36-0.68 (Google lagging 0.52 in
TechRepublic, the money "no comment" 0.62 there, Tay 0.36 in TechCrunch, "Microsoft is investing
one billion dollars in OpenAI", which neither wrote, 0.68 and 0.63). Known miss: a paraphrase with
no word in common ("return for a refund" vs "bring back to get their money back", 0.63).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.similarity import coverage_matrix

FOUND_THRESHOLD = 0.70

MESSAGE_COLUMNS = ["story", "outlet", "message", "found", "similarity", "best_sentence", "article_id", "first_seen"]


def clean_messages(messages: Sequence[str] | str) -> list[str]:
    """Messages one per line (or a sequence), stripped, blank lines and repeats dropped.

    >>> clean_messages(" Tay was taken offline \\n\\nTay was taken offline\\nAzure")
    ['Tay was taken offline', 'Azure']
    """
    lines = messages.splitlines() if isinstance(messages, str) else list(messages)
    return list(dict.fromkeys(m.strip() for m in lines if m and m.strip()))


def message_pullthrough(
    sentences: pd.DataFrame, messages: Sequence[str] | str, *, threshold: float = FOUND_THRESHOLD
) -> pd.DataFrame:
    """How well each outlet of each story carried each key message.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``text``,
            ``start``, ``end`` and ``is_title`` (headline). Not modified.
        messages: the key messages (a sequence, or one string with one message per line).
        threshold: a message is ``found`` in an outlet when its best sentence scores at least this.

    Returns:
        DataFrame[story, outlet, message, found, similarity, best_sentence, article_id,
        first_seen], one row per story, outlet that covered it and message (in the order given):
        ``similarity`` (0-1) and ``best_sentence``/``article_id`` come from the outlet's
        best-matching sentence; ``first_seen`` is where the outlet first carries the message, 0 for
        a headline, otherwise the first carrying sentence's start ÷ its article's length (the
        article's largest sentence end), averaged over the outlet's articles that carry it; empty
        when not found.

    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "story": "",
    ...                   "text": ["Microsoft teams up with OpenAI", "Google lags behind Amazon.",
    ...                            "Azure is the primary cloud."], "start": [0, 32, 0],
    ...                   "end": [30, 58, 27], "is_title": [True, False, False]})
    >>> message_pullthrough(s, ["Google lags behind Amazon"])[["outlet", "found", "first_seen"]].values.tolist()
    [['X', True, 0.5517241379310345], ['Y', False, nan]]
    """
    wanted = clean_messages(messages)
    if sentences.empty or not wanted:
        return _empty()
    table = sentences.reset_index(drop=True)
    story = table["story"].fillna("").astype(str) if "story" in table else pd.Series("", index=table.index)
    outlet = table["outlet"].astype(str)
    texts = table["text"].fillna("").astype(str)
    scores = coverage_matrix(wanted, texts.tolist())  # (messages, sentences)

    is_title = table["is_title"].fillna(False).astype(bool).to_numpy() if "is_title" in table else np.zeros(len(table), bool)
    start = table["start"].to_numpy(dtype=float)
    length = table.groupby("article_id")["end"].transform("max").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        place = np.where(is_title, 0.0, np.clip(start / np.where(length > 0, length, np.nan), 0.0, 1.0))
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
            first_seen = np.nan
            if found:
                carrying = reading[scores[m, reading] >= threshold]
                firsts = pd.Series(place[carrying], index=table["article_id"].to_numpy()[carrying])
                first_seen = float(firsts.groupby(level=0, sort=False).first().mean())
            rows.append({
                "story": story_name,
                "outlet": outlet_name,
                "message": message,
                "found": found,
                "similarity": similarity,
                "best_sentence": texts.iloc[best],
                "article_id": str(table["article_id"].iloc[best]),
                "first_seen": first_seen,
            })
    out = pd.DataFrame(rows, columns=MESSAGE_COLUMNS)  # already by story, outlet, message order
    return out.astype({"found": bool, "similarity": float, "first_seen": float})


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "story": pd.Series(dtype=str), "outlet": pd.Series(dtype=str), "message": pd.Series(dtype=str),
        "found": pd.Series(dtype=bool), "similarity": pd.Series(dtype=float),
        "best_sentence": pd.Series(dtype=str), "article_id": pd.Series(dtype=str),
        "first_seen": pd.Series(dtype=float),
    })
