"""Share of voice: attention as a share of all coverage, per outlet and over time.

Raw counts rise and fall with how much an outlet publishes; a share does not. Two measures:

- :func:`voice_table` (``voice.csv``): each entity's mentions in an outlet's articles of a period,
  and their share of all entity mentions of that outlet in that period.
- :func:`outlet_share`: each outlet's articles as a share of the selection's articles, per period
  or per story (for the dashboard and the report; it needs only the articles table).

The period is a day or a week, chosen by the span of the selection (:func:`period_unit`): a
selection whose dated articles lie at most ``DAY_SPAN`` days apart is counted per day
(``YYYY-MM-DD``), a longer one per ISO week, named by its Monday (``YYYY-MM-DD``). Undated
articles fall in the period ``""``.

The entity measure is defined twice, side by side, as in :mod:`analysis.entities`: in pandas
(:func:`voice_table`) and in SQL (:data:`VOICE_SQL`, for the store); both give the same table.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .names import LINKED_NAMES_SQL
from .schema import VOICE
from .utils import published_dates

DAY_SPAN = 31  # days between the first and last dated article of a selection counted per day; more: weeks


def period_unit(published: pd.Series) -> str:
    """``"day"`` when the dated values of ``published`` span at most ``DAY_SPAN`` days (or none is
    dated), else ``"week"``.

    >>> period_unit(pd.Series(["2016-11-01", "2016-12-02", ""]))
    'day'
    >>> period_unit(pd.Series(["2016-11-01", "2016-12-03"]))
    'week'
    """
    days = published_dates(published).dropna()
    if days.empty or (days.max() - days.min()).days <= DAY_SPAN:
        return "day"
    return "week"


def periods(published: pd.Series, *, unit: str) -> pd.Series:
    """The period of each value of ``published``: its day, or the Monday of its ISO week
    (``YYYY-MM-DD``); ``""`` when undated. Same index as ``published``.

    >>> periods(pd.Series(["2016-11-17", "", "2016-11-20"]), unit="week").tolist()
    ['2016-11-14', '', '2016-11-14']
    """
    if unit not in {"day", "week"}:
        raise ValueError(f"unit must be 'day' or 'week', not {unit!r}")
    days = published_dates(published)
    if unit == "week":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days.dt.strftime("%Y-%m-%d").fillna("").astype(str)


def voice_table(
    mentions: pd.DataFrame, articles: pd.DataFrame, *, unit: str | None = None, entities: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per period, outlet and entity (columns ``analysis.schema.VOICE``).

    - period: the day or week (``unit``, default :func:`period_unit` of the ``articles``) of the
      articles that mention the entity; ``""`` for undated articles
    - outlet, entity
    - mentions: times the outlet's articles of the period name it
    - share: mentions / all entity mentions of the outlet in the period (sums to 1 per period and outlet)

    ``articles`` (article_id, published) are the selection's: the span, and so the period, is
    theirs. ``entities`` keeps only those entities' rows (their shares still of all entity
    mentions). Sorted by period (undated last), outlet, mentions (most first), entity. Mutates nothing.

    >>> articles = pd.DataFrame({"article_id": ["a", "b"], "published": ["2016-11-15", "2016-11-16"]})
    >>> mentions = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "outlet": ["X", "X", "X", "X"],
    ...                          "entity": ["Microsoft", "Microsoft", "Google", "Google"]})
    >>> voice_table(mentions, articles).round(3).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['2016-11-15', 'X', 'Microsoft', 2, 0.667], ['2016-11-15', 'X', 'Google', 1, 0.333],
     ['2016-11-16', 'X', 'Google', 1, 1.0]]
    """
    if "self_mention" in mentions.columns:  # an outlet naming itself is not attention (analysis.names)
        mentions = mentions[~mentions["self_mention"].astype(bool)]
    if mentions.empty:
        return empty_voice_table()
    unit = unit or period_unit(articles["published"])
    period = pd.Series(periods(articles["published"], unit=unit).to_numpy(), index=articles["article_id"].to_numpy())
    rows = mentions[["article_id", "outlet", "entity"]].assign(
        period=mentions["article_id"].map(period).fillna("").astype(str)
    )
    table = rows.groupby(["period", "outlet", "entity"], sort=False).size().rename("mentions").reset_index()
    table["mentions"] = table["mentions"].astype("int64")
    table["share"] = table["mentions"] / table.groupby(["period", "outlet"])["mentions"].transform("sum")
    if entities is not None:
        table = table[table["entity"].isin(list(entities))]
    table = table.assign(_undated=table["period"].eq("")).sort_values(
        ["_undated", "period", "outlet", "mentions", "entity"], ascending=[True, True, True, False, True]
    )
    return typed_voice_table(table)


def empty_voice_table() -> pd.DataFrame:
    """A voice table without rows, with the columns and dtypes :func:`voice_table` gives."""
    dtypes = {"mentions": "int64", "share": "float64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in VOICE})


def typed_voice_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table``'s ``VOICE`` columns with :func:`voice_table`'s dtypes (text as ``str``), index reset."""
    if table.empty:
        return empty_voice_table()
    dtypes = {"period": "str", "outlet": "str", "entity": "str", "mentions": "int64", "share": "float64"}
    return table[VOICE].astype(dtypes).reset_index(drop=True)


def outlet_share(articles: pd.DataFrame, *, by: str = "period", unit: str | None = None) -> pd.DataFrame:
    """Each outlet's share of the selection's articles, per ``by`` (``"period"`` or ``"story"``).

    Columns: ``by``, outlet, articles (the outlet's), share (of the ``by``'s articles: sums to 1
    per period or story). Per period, undated articles are left out and ``unit`` defaults to
    :func:`period_unit` of the articles. ``articles`` needs article_id, outlet, published, story.

    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "Y", "Y"],
    ...                          "published": ["2016-11-15", "2016-11-15", ""], "story": ["s", "s", "s"]})
    >>> outlet_share(articles).values.tolist()
    [['2016-11-15', 'X', 1, 0.5], ['2016-11-15', 'Y', 1, 0.5]]
    >>> outlet_share(articles, by="story")["share"].round(3).tolist()
    [0.333, 0.667]
    """
    if by not in {"period", "story"}:
        raise ValueError(f"by must be 'period' or 'story', not {by!r}")
    columns = [by, "outlet", "articles", "share"]
    if by == "period":
        unit = unit or period_unit(articles["published"])
        keyed = articles.assign(period=periods(articles["published"], unit=unit))
        keyed = keyed[keyed["period"] != ""]
    else:
        keyed = articles
    if keyed.empty:
        return pd.DataFrame({c: pd.Series(dtype={"articles": "int64", "share": "float64"}.get(c, "object"))
                             for c in columns})
    table = keyed.groupby([by, "outlet"], sort=True).size().rename("articles").reset_index()  # a row per article
    table["articles"] = table["articles"].astype("int64")
    table["share"] = table["articles"] / table.groupby(by)["articles"].transform("sum")
    return table[columns]


# --- the same table in SQL, for the store ------------------------------------------------------

# ``voice.csv`` of the articles in ``chosen`` (a CTE the caller puts first, with ``akey``, ``outlet``,
# ``story`` and ``published``) from ``article_entities``, as :func:`voice_table` computes it, names
# linked as in ``analysis.entities.ENTITIES_SQL`` (``name_map``, ``extra_names``, ``self_keys``).
# Parameters after the ``chosen`` ones: analyser, scorer (the pre-aggregated rows are kept per
# scorer; the counts are the same for each), then those of ``{entities}``, a condition on the
# linked ``ekey`` the caller fills in (``TRUE`` for every entity). ``DATE - DATE`` is a
# number of days in DuckDB. The totals per period and outlet are summed apart from the counts, so
# a few entities' rows of 100,000 articles group a few thousand rows, not millions.
VOICE_SQL = f"""
days AS (SELECT c.akey, c.outlet, try_cast(substr(c.published, 1, 10) AS DATE) AS day FROM chosen c),
span AS (SELECT coalesce(max(day) - min(day), 0) <= {DAY_SPAN} AS daily FROM days),
periods AS (
    SELECT d.akey, d.outlet,
           CASE WHEN d.day IS NULL THEN ''
                WHEN span.daily THEN strftime(d.day, '%Y-%m-%d')
                ELSE strftime(date_trunc('week', d.day), '%Y-%m-%d') END AS period
    FROM days d, span
),
all_names AS ({LINKED_NAMES_SQL}),
linked AS (
    SELECT p.period, p.outlet, coalesce(nm.lkey, e.ekey) AS ekey, e.n
    FROM periods p JOIN chosen c ON c.akey = p.akey
    JOIN article_entities e ON e.akey = p.akey AND e.analyser = ? AND e.scorer = ?
    LEFT JOIN name_map nm ON nm.story = c.story AND nm.ekey = e.ekey
    LEFT JOIN self_keys sk ON sk.outlet = p.outlet AND sk.ekey = coalesce(nm.lkey, e.ekey)
    WHERE sk.ekey IS NULL
),
counts AS (
    SELECT period, outlet, ekey, sum(n)::BIGINT AS mentions FROM linked
    WHERE {{entities}}
    GROUP BY period, outlet, ekey
),
totals AS (SELECT period, outlet, sum(n)::DOUBLE AS total FROM linked GROUP BY period, outlet)
SELECT c.period, c.outlet, names.entity, c.mentions, c.mentions::DOUBLE / t.total AS share
FROM counts c JOIN totals t USING (period, outlet) JOIN all_names names USING (ekey)
ORDER BY c.period = '', c.period, c.outlet, c.mentions DESC, names.entity
"""
