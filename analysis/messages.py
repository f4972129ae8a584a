"""Key-message pull-through: did each outlet carry the messages an analyst is tracking, and where?

A sentence carries a message when it says the same thing (who did what, with its polarity and
negation), not when it shares the words: :mod:`analysis.claims` reads both over spaCy's parse,
with the static MiniLM vectors of :mod:`analysis.similarity` for the words. ``found`` means a
claim score of at least :data:`analysis.claims.THRESHOLD`, chosen on the development half of the
labelled pairs in ``tests/data/messages/`` (ROC AUC and errors: README, "Key messages";
``training/messages_eval.py``).

A message is matched only within the stories it concerns: those whose articles name every name
of the message (any word of it: "Reid" for "Tara Reid"), or, for a message without a name, those
with a sentence holding at least ``CONCERN_COVERAGE`` of its content words. With a hundred
stories selected, "Tara Reid entered rehab" is looked for in the Tara Reid story only.

Parsing every sentence at read time would be slow, so of each article's ``SHORTLIST`` sentences
closest to the message in words (and names) only those whose word coverage reaches the threshold
are parsed and scored (a claim score never exceeds the coverage), or, when none does, the closest
one; the rest are not carriers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .claims import THRESHOLD, parse_claim, parse_many, read_sentence
from .entities import first_seen
from .schema import MESSAGES
from .similarity import basic_tokens, coverage_matrix

FOUND_THRESHOLD = THRESHOLD
CONCERN_COVERAGE = 0.5
SHORTLIST = 2
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
    """How well each outlet of each story a message concerns carried the message.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``text``,
            ``start`` and ``is_title`` (headline). Not modified.
        messages: the key messages (a sequence, or one string with one message per line).
        articles: ``article_id`` and ``length`` (of the analysed document) of their articles. Not modified.
        threshold: a message is ``found`` in an outlet when its best sentence scores at least this.

    Returns:
        DataFrame[story, outlet, message, found, similarity, best_sentence, article_id,
        first_seen], one row per message (in the order given), story it concerns and outlet that
        covered that story (a message that concerns no story has no row): ``similarity`` (0-1) is
        the claim score (:func:`analysis.claims.read_sentence`) of the outlet's best sentence,
        ``best_sentence``/``article_id`` that sentence; ``first_seen`` is where the outlet first
        carries the message (:func:`analysis.entities.first_seen` of the first carrying sentence:
        0 for a headline, else its start ÷ its article's length), averaged over the outlet's
        articles that carry it; empty when not found.

    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "story": "",
    ...                   "text": ["Tara Reid checks into rehab", "Her publicist confirmed it.",
    ...                            "Tara Reid did not check into rehab."], "start": [0, 28, 0],
    ...                   "is_title": [True, False, False]})
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "length": [55, 35]})
    >>> t = message_pullthrough(s, ["Tara Reid entered rehab"], articles=a)
    >>> t[["outlet", "found", "first_seen"]].values.tolist()
    [['X', True, 0.0], ['Y', False, nan]]
    """
    wanted = parse_messages(messages)
    if sentences.empty or not wanted:
        return _empty()
    table = sentences.reset_index(drop=True)
    story = table["story"].fillna("").astype(str) if "story" in table else pd.Series("", index=table.index)
    outlet = table["outlet"].astype(str)
    article = table["article_id"].astype(str).to_numpy()
    texts = table["text"].fillna("").astype(str)
    coverage = coverage_matrix(wanted, texts.tolist())  # (messages, sentences)
    words = [frozenset(basic_tokens(t)) for t in texts]

    is_title = (table["is_title"].fillna(False).astype(bool).to_numpy() if "is_title" in table
                else np.zeros(len(table), bool))
    start = table["start"].to_numpy(dtype=float)
    place = first_seen(start, is_title, table["article_id"].map(articles.set_index("article_id")["length"]))
    reading = np.lexsort((start, ~is_title, pd.factorize(table["article_id"])[0]))  # reading order
    rank_in_reading = np.empty(len(table), np.int64)
    rank_in_reading[reading] = np.arange(len(table))

    stories = pd.Series(np.arange(len(table))).groupby(story.to_numpy(), sort=True).indices
    groups = pd.DataFrame({"story": story, "outlet": outlet}).groupby(["story", "outlet"], sort=True).indices
    rows = []
    for m, message in enumerate(wanted):
        claim = parse_claim(message)
        named = np.array([sum(any(w in ws for w in name) for name in claim.names) / len(claim.names)
                          if claim.names else 1.0 for ws in words])
        if claim.names:  # every name named somewhere in the story (not necessarily in one sentence)
            concerned = {name for name, members in stories.items()
                         if all(any(any(w in words[i] for w in n) for i in members) for n in claim.names)}
        else:
            concerned = {name for name, members in stories.items() if coverage[m, members].max() >= CONCERN_COVERAGE}
        closeness = coverage[m] * (0.5 + 0.5 * named)
        candidates = {}
        for (story_name, outlet_name), members in groups.items():
            if story_name not in concerned:
                continue
            members = np.asarray(members)
            picked = pd.DataFrame({"i": members, "article": article[members], "close": closeness[members]})
            picked = picked.sort_values("close", ascending=False, kind="stable").groupby("article").head(SHORTLIST)
            # a claim score never exceeds the coverage: only sentences that could reach the threshold
            # are parsed (or the closest one, to show how near the outlet came)
            could = picked["i"][coverage[m, picked["i"]] >= threshold]
            candidates[story_name, outlet_name] = [int(i) for i in (could if len(could) else picked["i"].iloc[:1])]
        parse_many([texts.iloc[i] for chosen in candidates.values() for i in chosen])  # one batch
        for (story_name, outlet_name), chosen in candidates.items():
            scores = {i: read_sentence(claim, texts.iloc[i], coverage=float(coverage[m, i])).score for i in chosen}
            best = max(scores, key=lambda i: (scores[i], -rank_in_reading[i]))
            similarity = scores[best]
            found = similarity >= threshold
            seen = np.nan
            if found:
                carrying = sorted((i for i, v in scores.items() if v >= threshold), key=lambda i: rank_in_reading[i])
                firsts = pd.Series(place[carrying], index=article[carrying])
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
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=MESSAGES)
    out["order"] = out["message"].map({message: k for k, message in enumerate(wanted)})
    out = out.sort_values(["story", "outlet", "order"], kind="stable")[MESSAGES]
    return out.reset_index(drop=True).astype(_DTYPES)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, str)) for c in MESSAGES})
