"""What each outlet alone brings, rolled up over the stories it covered.

The exclusive entities (``entities.csv``) and distinctive terms (``terms.csv``) are found within
each story; over a hundred stories the analyst asks instead "in how many of the stories Fox covered
does only Fox name X?". :func:`outlet_rollup` answers with one row per outlet and entity or term.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLLUP = ["outlet", "kind", "item", "label", "stories", "compared", "count", "z"]
EXCLUSIVE = "exclusive entity"
DISTINCTIVE = "distinctive term"


def compared_stories(articles: pd.DataFrame) -> pd.Series:
    """Per outlet (index), the stories it covered in which another outlet of ``articles`` is also
    present: the stories where it could be compared. Outlets alone in every story count 0."""
    pairs = articles[["story", "outlet"]].astype(str).drop_duplicates()
    shared = pairs[pairs.groupby("story")["outlet"].transform("size") >= 2]
    counts = shared.groupby("outlet").size()
    return counts.reindex(sorted(pairs["outlet"].unique()), fill_value=0).astype("int64")


def outlet_rollup(articles: pd.DataFrame, entities: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Each outlet's exclusive entities and distinctive terms over the stories it covered.

    Args:
        articles: the ``articles`` table (story, outlet) of the selection.
        entities: its ``entities`` table (story, outlet, entity, label, mentions, exclusive).
        terms: its ``terms`` table (story, outlet, term, count, z). None is modified.

    Returns:
        DataFrame with columns ``ROLLUP``, one row per outlet and item:

        - ``kind``: ``exclusive entity`` or ``distinctive term``;
        - ``item``: the entity or the term; ``label``: the entity's label (most mentions), empty for a term;
        - ``stories``: the stories in which the outlet alone names the entity among the selected
          outlets, or uses the term more than the other outlets of the story (z > 0, at least twice);
        - ``compared``: the stories the outlet covered beside another selected outlet
          (:func:`compared_stories`), so "in ``stories`` of ``compared`` stories only this outlet…";
        - ``count``: mentions of the entity (uses of the term) in those ``stories``;
        - ``z``: for a term, its story z-scores summed and divided by √``compared`` (Stouffer's
          combination, a story where the outlet used it less than twice counted as 0); empty for an entity.

        Sorted by outlet, kind, stories (most first), then z and count (highest first) and item.
    """
    compared = compared_stories(articles)
    parts = []
    only = entities[entities["exclusive"].astype(bool)] if len(entities) else entities
    if len(only):
        label = (only.groupby(["outlet", "entity", "label"]).size().rename("n").reset_index()
                 .sort_values(["n", "label"], ascending=[False, True]).drop_duplicates(["outlet", "entity"])
                 .set_index(["outlet", "entity"])["label"])
        per = only.groupby(["outlet", "entity"]).agg(stories=("story", "nunique"), count=("mentions", "sum"))
        per = per.join(label).reset_index().rename(columns={"entity": "item"})
        parts.append(per.assign(kind=EXCLUSIVE, z=np.nan))
    if len(terms):
        ahead = terms[terms["z"] > 0]
        summed = terms.groupby(["outlet", "term"])["z"].sum()
        per = ahead.groupby(["outlet", "term"]).agg(stories=("story", "nunique"), count=("count", "sum"))
        per = per.join(summed).reset_index().rename(columns={"term": "item"})
        n = per["outlet"].map(compared).clip(lower=1).to_numpy(dtype=float)
        parts.append(per.assign(kind=DISTINCTIVE, label="", z=per["z"].to_numpy() / np.sqrt(n)))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            ROLLUP, ["str", "str", "str", "str", "int64", "int64", "int64", "float64"], strict=True)})
    out = pd.concat(parts, ignore_index=True)
    out["compared"] = out["outlet"].map(compared).fillna(0).astype("int64")
    out = out.astype({"stories": "int64", "count": "int64", "label": "str", "item": "str", "outlet": "str"})
    out = out.sort_values(["outlet", "kind", "stories", "z", "count", "item"],
                          ascending=[True, True, False, False, False, True], na_position="last")
    return out[ROLLUP].reset_index(drop=True)


def rollup_sentence(row: pd.Series) -> str:
    """One rollup row in words.

    >>> rollup_sentence(pd.Series({"outlet": "Fox", "kind": EXCLUSIVE, "item": "X", "stories": 37,
    ...                            "compared": 100}))
    'in 37 of 100 stories only Fox names X'
    """
    if row["kind"] == EXCLUSIVE:
        return f"in {row['stories']} of {row['compared']} stories only {row['outlet']} names {row['item']}"
    return f"in {row['stories']} of {row['compared']} stories {row['outlet']} uses “{row['item']}” more than the others"
