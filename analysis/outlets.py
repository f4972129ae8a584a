"""Outlets by group and rank: the ``outlet_group`` of an article, and the few outlets a chart can show.

An outlet may publish under several names: "Fox News (Online News)" and "Fox News (Opinion)" are
sections of one newsroom. ``outlet_group`` is taken as given in the input; without it, a name
ending in one parenthesised section, "Name (Section)", belongs to group "Name", and any other name
is its own group.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .pipeline import Analysis

OTHERS = "Others"  # the label of the outlets a chart folds together
_SECTION = re.compile(r"^(?P<name>.*\S)\s*\((?P<section>[^()]+)\)$")


def outlet_group(outlet: str, given: str = "") -> str:
    """The group of ``outlet``: ``given`` when not blank, else the name before a trailing
    "(Section)", else the outlet itself.

    >>> outlet_group("Fox News (Opinion)"), outlet_group("Fox News (Online News)")
    ('Fox News', 'Fox News')
    >>> outlet_group("TechCrunch"), outlet_group("Fox News (Opinion)", "Fox Corporation")
    ('TechCrunch', 'Fox Corporation')
    >>> outlet_group("(Opinion)"), outlet_group("A (B) (C)")
    ('(Opinion)', 'A (B)')
    """
    given = (given or "").strip()
    if given:
        return given
    name = (outlet or "").strip()
    match = _SECTION.match(name)
    return match.group("name") if match else name


def outlet_groups(articles: pd.DataFrame) -> pd.Series:
    """Each article's group (``outlet_group`` by :func:`outlet_group`), from its ``outlet`` and its
    ``outlet_group`` column when there is one. Does not mutate ``articles``."""
    given = articles["outlet_group"] if "outlet_group" in articles else pd.Series("", index=articles.index)
    groups = [outlet_group(str(o), "" if pd.isna(g) else str(g))
              for o, g in zip(articles["outlet"], given, strict=True)]
    return pd.Series(groups, index=articles.index, dtype="str", name="outlet_group")


def top_outlets(weights: pd.Series, *, n: int) -> list[str]:
    """The ``n`` outlets of largest weight (``weights`` indexed by outlet; ties by name), or every
    outlet when folding would hide only one (a lone "Others" bar says less than its outlet's name).

    >>> top_outlets(pd.Series({"A": 5, "B": 1, "C": 3, "D": 3}), n=2)
    ['A', 'C']
    >>> top_outlets(pd.Series({"A": 5, "B": 1, "C": 3}), n=2)
    ['A', 'C', 'B']
    """
    frame = pd.DataFrame({"outlet": weights.index.astype(str), "w": weights.to_numpy()})
    ranked = frame.sort_values(["w", "outlet"], ascending=[False, True])["outlet"].tolist()
    return ranked if len(ranked) <= n + 1 else ranked[:n]


def fold_outlets(table: pd.DataFrame, keep: list[str], *, column: str = "outlet") -> pd.DataFrame:
    """``table`` with ``column`` set to :data:`OTHERS` for every outlet not in ``keep`` (a copy)."""
    return table.assign(**{column: table[column].where(table[column].isin(keep), OTHERS)})


def group_outlets(analysis: Analysis) -> Analysis:
    """``analysis`` with every table's ``outlet`` replaced by the article's ``outlet_group``: the
    groups compared as outlets. Its tables are new frames; ``analysis`` is not modified."""
    articles = analysis.articles
    group = outlet_groups(articles)
    by_id = pd.Series(group.to_numpy(), index=articles["article_id"].to_numpy())

    def relabel(table: pd.DataFrame) -> pd.DataFrame:
        return table.assign(outlet=table["article_id"].map(by_id).astype("str").to_numpy())

    return dataclasses.replace(analysis, articles=articles.assign(outlet=group.to_numpy()),
                               sentences=relabel(analysis.sentences), mentions=relabel(analysis.mentions))
