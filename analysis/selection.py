"""What an analyst chose to look at: outlets, stories, a date range, whether wire copies count and,
optionally, articles.

One frozen, hashable value travels from the CLI's flags or the dashboard's sidebar to
:func:`analysis.select` (pandas) and to the store's readers (DuckDB), and serves as a cache key.
``None`` in a field means no filter on it; an empty tuple selects nothing.

>>> import pandas as pd
>>> articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
...                          "story": ["s", "s", "t"], "published": ["2016-11-15", "", "2016-11-20"]})
>>> Selection(outlets=("X",)).apply(articles)["article_id"].tolist()
['a', 'c']
>>> Selection(since="2016-11-16").apply(articles)["article_id"].tolist()
['c']
>>> Selection(outlets=["X"]) == Selection(outlets=("X",))
True
>>> Selection(hide_copies=True).apply(articles.assign(copy_of=["", "a", ""]))["article_id"].tolist()
['a', 'c']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .stories import is_copy
from .utils import published_days

__all__ = ["Selection"]


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(str(value) for value in values)


def _day(value: str | date | None) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:10]


@dataclass(frozen=True)
class Selection:
    """Outlets, stories, an inclusive ``since``/``until`` day range and article ids to keep.

    Dates are compared by day (``YYYY-MM-DD``); an article without a date is kept only when no
    date filter is given. ``article_ids`` keeps those articles, in that order where it matters
    (the store returns them so). ``hide_copies`` leaves out wire copies (a non-empty ``copy_of``,
    :func:`analysis.stories.is_copy`); articles without that column have none.
    """

    outlets: tuple[str, ...] | None = None
    stories: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None
    article_ids: tuple[str, ...] | None = field(default=None)
    hide_copies: bool = False

    def __post_init__(self) -> None:
        # frozen: normalise through object.__setattr__ so equal choices hash equally
        object.__setattr__(self, "outlets", _tuple(self.outlets))
        object.__setattr__(self, "stories", _tuple(self.stories))
        object.__setattr__(self, "article_ids", _tuple(self.article_ids))
        object.__setattr__(self, "since", _day(self.since))
        object.__setattr__(self, "until", _day(self.until))
        object.__setattr__(self, "hide_copies", bool(self.hide_copies))

    @property
    def is_everything(self) -> bool:
        """True when no field filters anything."""
        return self == Selection()

    def mask(self, articles: pd.DataFrame) -> pd.Series:
        """A boolean Series over ``articles`` (columns ``article_id``, ``outlet``, ``story``, ``published``)."""
        keep = pd.Series(True, index=articles.index)
        if self.outlets is not None:
            keep &= articles["outlet"].isin(list(self.outlets))
        if self.stories is not None:
            keep &= articles["story"].isin(list(self.stories))
        if self.article_ids is not None:
            keep &= articles["article_id"].isin(list(self.article_ids))
        if self.hide_copies:
            keep &= ~is_copy(articles)
        if self.since is not None or self.until is not None:
            day = published_days(articles["published"])
            if self.since is not None:
                keep &= (day != "") & (day >= self.since)
            if self.until is not None:
                keep &= (day != "") & (day <= self.until)
        return keep

    def outlets_among(self, known: Iterable[str]) -> list[str]:
        """The ``known`` outlets this selection keeps, sorted (all of them without an outlet filter):
        the outlets a story can be missing from.

        >>> Selection(outlets=("Y", "Nowhere")).outlets_among(["X", "Y"]), Selection().outlets_among(["Y", "X"])
        (['Y'], ['X', 'Y'])
        """
        outlets = sorted({str(outlet) for outlet in known})
        return outlets if self.outlets is None else [o for o in outlets if o in self.outlets]

    def apply(self, articles: pd.DataFrame) -> pd.DataFrame:
        """The chosen rows of ``articles``, in their order, index reset. Never adds rows or mutates."""
        return articles[self.mask(articles)].reset_index(drop=True)

    def sql(self, alias: str = "a") -> tuple[str, list]:
        """A WHERE condition over table ``alias`` (columns ``outlet``, ``story``, ``published``, and
        ``copy_of`` when ``hide_copies``) and its bound parameters; ``TRUE`` when nothing is
        filtered. ``article_ids`` is left to the caller,
        who joins them (with their order) instead of listing thousands of values.

        >>> clause, params = Selection(outlets=("X",), until="2016-12-01").sql()
        >>> clause.split(" AND ")
        ['list_contains(?::VARCHAR[], a.outlet)', "substr(a.published, 1, 10) <> ''", 'substr(a.published, 1, 10) <= ?']
        >>> params
        [['X'], '2016-12-01']
        """
        where: list[str] = []
        params: list = []
        if self.outlets is not None:
            where.append(f"list_contains(?::VARCHAR[], {alias}.outlet)")
            params.append(list(self.outlets))
        if self.stories is not None:
            where.append(f"list_contains(?::VARCHAR[], {alias}.story)")
            params.append(list(self.stories))
        if self.hide_copies:
            where.append(f"coalesce({alias}.copy_of, '') = ''")
        day = f"substr({alias}.published, 1, 10)"
        if self.since is not None:
            where.append(f"{day} <> '' AND {day} >= ?")
            params.append(self.since)
        if self.until is not None:
            where.append(f"{day} <> '' AND {day} <= ?")
            params.append(self.until)
        return (" AND ".join(where) or "TRUE"), params
