"""What each outlet covered, and what it skipped: one row per story, and the story × outlet matrix.

- :func:`stories_table` (``stories.csv``): each story's readable name, first and last day, its
  articles, how many of them are wire copies, how many outlets covered it and which of the
  selected outlets did not.
- :func:`story_coverage`: articles and copies per story and outlet (the dashboard's Stories matrix).

A story's name is made from its main entities (those named in most of its articles, then most
often) and its first day: "Microsoft, OpenAI · 2016-11-15"; without dates, just the entities. A
copy is an article whose ``copy_of`` names another (see ``analysis.grouping``); without that
column no article is a copy.

The name is computed from per-story entity counts (:func:`story_entities`), so the store can count
them in SQL (:data:`STORY_ENTITIES_SQL`) and share the rest: both give the same table.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .names import LINKED_NAMES_SQL
from .outlets import OTHERS
from .schema import STORIES
from .utils import published_dates

NAME_ENTITIES = 2  # entities in a story's name
SEPARATOR = " · "  # between a name's entities and its first day
COVERAGE = ["story", "outlet", "articles", "copies"]
STORY_ENTITIES = ["story", "entity", "articles", "mentions"]


def is_copy(articles: pd.DataFrame) -> pd.Series:
    """True for each article that is a wire copy of another (a non-empty ``copy_of``); all False
    when the table has no ``copy_of`` column. Same index as ``articles``.

    >>> is_copy(pd.DataFrame({"copy_of": ["", "a1", None]})).tolist()
    [False, True, False]
    >>> is_copy(pd.DataFrame({"outlet": ["X"]})).tolist()
    [False]
    """
    if "copy_of" not in articles.columns:
        return pd.Series(False, index=articles.index)
    return articles["copy_of"].fillna("").astype(str).str.strip().ne("")


def story_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per story and entity (columns ``STORY_ENTITIES``): the story's articles that name it and
    its mentions. ``mentions`` needs ``article_id``, ``story``, ``entity``."""
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in {"articles", "mentions"} else "str")
                             for c in STORY_ENTITIES})
    counts = mentions.groupby(["story", "entity"], sort=False).agg(
        articles=("article_id", "nunique"), mentions=("entity", "size")).reset_index()
    return counts.astype({"story": "str", "entity": "str", "articles": "int64", "mentions": "int64"})


# The same per-story entity counts inside the store, over the ``chosen`` CTE of a selection
# (``analysis.store.query``; these CTEs follow it), with names linked as the store links them: the
# caller registers ``name_map`` and ``extra_names`` (``analysis.entities.ENTITIES_SQL``). From the
# per-article entity rows kept for a sentiment scorer (parameters: analyser, scorer), or, where those
# are missing, from the mentions themselves (parameter: analyser). An article holding two names of
# one entity counts once, as ``nunique`` does.
STORY_ENTITIES_SQL = f"""
all_names AS ({LINKED_NAMES_SQL})
SELECT c.story, names.entity, count(DISTINCT c.akey)::BIGINT AS articles, sum(e.n)::BIGINT AS mentions
FROM chosen c JOIN article_entities e ON e.akey = c.akey AND e.analyser = ? AND e.scorer = ?
LEFT JOIN name_map nm ON nm.story = c.story AND nm.ekey = e.ekey
JOIN all_names names ON names.ekey = coalesce(nm.lkey, e.ekey)
GROUP BY c.story, names.entity
"""
STORY_MENTIONS_SQL = f"""
all_names AS ({LINKED_NAMES_SQL})
SELECT c.story, names.entity, count(DISTINCT m.article_id) AS articles, count(*) AS mentions
FROM chosen c JOIN mentions m ON m.article_id = c.article_id AND m.analyser = ?
JOIN entity_names en ON en.entity = m.entity
LEFT JOIN name_map nm ON nm.story = c.story AND nm.ekey = en.ekey
JOIN all_names names ON names.ekey = coalesce(nm.lkey, en.ekey)
GROUP BY c.story, names.entity
"""


def story_names(articles: pd.DataFrame, entities: pd.DataFrame) -> pd.Series:
    """Each story's readable name, indexed by story: its ``NAME_ENTITIES`` main entities (named in
    most articles, then most often, then alphabetically), ``SEPARATOR`` and its first day. Without
    entities the story id stands in ("(no story)" for the default story); without dates the day is
    left out. Two stories that would share a name get their id in brackets.

    ``articles`` (story, published) are the stories' articles; ``entities`` is :func:`story_entities`'s table.

    >>> articles = pd.DataFrame({"story": ["s", "s", "t"], "published": ["2016-11-16", "2016-11-15", ""]})
    >>> entities = pd.DataFrame({"story": ["s", "s", "s"], "entity": ["OpenAI", "Microsoft", "Tay"],
    ...                          "articles": [2, 2, 1], "mentions": [5, 9, 4]})
    >>> story_names(articles, entities).to_dict()
    {'s': 'Microsoft, OpenAI · 2016-11-15', 't': 't'}
    """
    stories = pd.Index(pd.unique(articles["story"].astype(str)), name="story")
    first = _days(articles)[0]
    ranked = entities.sort_values(["story", "articles", "mentions", "entity"], ascending=[True, False, False, True])
    top = ranked.groupby("story", sort=False).head(NAME_ENTITIES)
    place = top.groupby("story", sort=False).cumcount()
    named = pd.Series("", index=stories, dtype=object)
    for rank in range(NAME_ENTITIES):  # one column per rank, not one Python call per story
        entity = top.loc[place == rank].set_index("story")["entity"].reindex(stories)
        joined = entity if rank == 0 else named + ", " + entity
        named = named.where(entity.isna(), joined)
    fallback = pd.Series(stories, index=stories).replace("", "(no story)")
    names = named.mask(named == "", fallback)
    day = first.reindex(stories).fillna("")
    series = names.where(day == "", names + SEPARATOR + day).astype(str)
    clash = series.duplicated(keep=False)
    return series.where(~clash, series + " (" + fallback.str.replace("(no story)", "no story", regex=False) + ")")


def _days(articles: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first and last publication day (``YYYY-MM-DD``) of each story with a dated article."""
    dates = published_dates(articles["published"])
    dated = dates.notna()
    grouped = dates[dated].groupby(articles["story"].astype(str)[dated])
    return grouped.min().dt.strftime("%Y-%m-%d"), grouped.max().dt.strftime("%Y-%m-%d")


def stories_table(articles: pd.DataFrame, mentions: pd.DataFrame, outlets: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per story (columns ``analysis.schema.STORIES``).

    - story: the story id; name: :func:`story_names`
    - first_date, last_date: its first and last publication day (``YYYY-MM-DD``; empty when undated)
    - articles: its articles; copies: how many of them are wire copies (:func:`is_copy`)
    - outlets: how many outlets covered it
    - missing_outlets: the ``outlets`` (default: every outlet of ``articles``) that did not, ``"; "``-joined

    Sorted by articles (most first), then first day, then story. ``articles`` needs article_id,
    outlet, story, published (and ``copy_of`` when copies are marked); ``mentions`` article_id,
    story, entity. Mutates nothing.

    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
    ...     "story": ["s", "s", "t"], "published": ["2016-11-15", "2016-11-17", ""], "copy_of": ["", "a", ""]})
    >>> mentions = pd.DataFrame({"article_id": ["a", "b", "c"], "story": ["s", "s", "t"],
    ...                          "entity": ["Microsoft", "Microsoft", "Tay"]})
    >>> stories_table(articles, mentions, outlets=["X", "Y", "Z"]).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['s', 'Microsoft · 2016-11-15', '2016-11-15', '2016-11-17', 2, 1, 2, 'Z'],
     ['t', 'Tay', '', '', 1, 0, 1, 'Y; Z']]
    """
    return stories_from(articles, story_entities(mentions), outlets=outlets)


def stories_from(
    articles: pd.DataFrame, entities: pd.DataFrame, *, outlets: Iterable[str] | None = None
) -> pd.DataFrame:
    """:func:`stories_table` from per-story entity counts (:func:`story_entities`'s columns), as the
    store gives them."""
    if articles.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in {"articles", "copies", "outlets"} else "str")
                             for c in STORIES})
    chosen = sorted(set(outlets) if outlets is not None else set(articles["outlet"].astype(str)))
    story, outlet = articles["story"].astype(str), articles["outlet"].astype(str)
    counts = pd.crosstab(story, outlet)  # articles per story and outlet
    first, last = _days(articles)
    table = pd.DataFrame({
        "articles": counts.sum(axis=1), "copies": is_copy(articles).groupby(story).sum(),
        "outlets": counts.gt(0).sum(axis=1),
    })
    present = counts.reindex(columns=chosen, fill_value=0).gt(0).to_numpy()
    table["missing_outlets"] = ["; ".join(o for o, seen in zip(chosen, row, strict=True) if not seen)
                                for row in present]
    table["first_date"] = first.reindex(table.index).fillna("")
    table["last_date"] = last.reindex(table.index).fillna("")
    table["name"] = story_names(articles, entities).reindex(table.index)
    table = table.rename_axis("story").reset_index()
    table = table.astype({"story": "str", "name": "str", "first_date": "str", "last_date": "str",
                          "articles": "int64", "copies": "int64", "outlets": "int64", "missing_outlets": "str"})
    table = table.assign(_undated=table["first_date"].eq("")).sort_values(
        ["articles", "_undated", "first_date", "story"], ascending=[False, True, True, True], kind="stable")
    return table[STORIES].reset_index(drop=True)


def story_coverage(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story and outlet that covered it (columns ``COVERAGE``): its articles there and
    how many of them are copies (:func:`is_copy`). A story an outlet skipped has no row.

    >>> articles = pd.DataFrame({"story": ["s", "s", "s"], "outlet": ["X", "X", "Y"], "copy_of": ["", "a", ""]})
    >>> story_coverage(articles).values.tolist()
    [['s', 'X', 2, 1], ['s', 'Y', 1, 0]]
    """
    frame = pd.DataFrame({"story": articles["story"].astype(str), "outlet": articles["outlet"].astype(str),
                          "copy": is_copy(articles)})
    table = frame.groupby(["story", "outlet"]).agg(articles=("copy", "size"), copies=("copy", "sum")).reset_index()
    return table.astype({"articles": "int64", "copies": "int64"})[COVERAGE]


def coverage_matrix(coverage: pd.DataFrame, stories: pd.DataFrame, outlets: Iterable[str], *,
                    others: Iterable[str] = ()) -> pd.DataFrame:
    """The story × outlet matrix as text, one row per story of ``stories`` (in its order), a column
    ``story`` and ``name`` then one per outlet: ``"3"``, ``"3 (1 copy)"``, or ``""`` where the
    outlet did not cover the story. The outlets of ``others`` are folded into one last column,
    :data:`~analysis.outlets.OTHERS`: their articles on the story and how many of them covered it,
    ``"5 in 3 outlets"`` (``""`` where none did), so a matrix of 70 outlets stays readable.

    >>> coverage = pd.DataFrame({"story": ["s", "s"], "outlet": ["X", "Y"], "articles": [3, 1], "copies": [1, 0]})
    >>> stories = pd.DataFrame({"story": ["s"], "name": ["S"]})
    >>> coverage_matrix(coverage, stories, ["X", "Y", "Z"]).values.tolist()
    [['s', 'S', '3 (1 copy)', '1', '']]
    >>> coverage_matrix(coverage, stories, ["Z"], others=["X", "Y"]).values.tolist()
    [['s', 'S', '', '4 in 2 outlets (1 copy)']]
    """
    outlets, others = list(outlets), set(others)
    own = coverage[~coverage["outlet"].isin(others)]
    cell = [f"{a}{_copies(c)}" for a, c in zip(own["articles"], own["copies"], strict=True)]
    wide = own.assign(cell=cell).pivot(index="story", columns="outlet", values="cell")
    wide = wide.reindex(index=stories["story"].astype(str), columns=outlets).astype(object).fillna("")
    wide.columns = list(wide.columns)
    out = stories[["story", "name"]].astype(str).reset_index(drop=True)
    parts = [out, wide.reset_index(drop=True)]
    if others:
        folded = coverage[coverage["outlet"].isin(others)].groupby("story").agg(
            articles=("articles", "sum"), copies=("copies", "sum"), outlets=("outlet", "nunique"))
        text = pd.Series([f"{a} in {n} outlet{'' if n == 1 else 's'}{_copies(c)}" for a, n, c in zip(
            folded["articles"], folded["outlets"], folded["copies"], strict=True)], index=folded.index, dtype=object)
        parts.append(pd.DataFrame({OTHERS: text.reindex(stories["story"].astype(str)).fillna("").to_numpy()}))
    return pd.concat(parts, axis=1)


def _copies(n: int) -> str:
    return "" if n == 0 else f" ({n} cop{'y' if n == 1 else 'ies'})"
