"""Entity frequency, tone, exclusivity, emphasis and prominence per story and outlet.

Each metric is defined here twice, side by side: in pandas (:func:`entity_table`, for an
``Analysis`` in memory) and in SQL (:data:`ARTICLE_ENTITIES_SQL` and :data:`ENTITIES_SQL`, for
the store, which aggregates a selection of 100,000 articles inside DuckDB). Both give the same
table: counts exactly, means to the last bits of a double (summation order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .names import LINKED_NAMES_SQL
from .schema import ENTITIES

_FLOATS = {"share", "polarity", "subjectivity", "tone", "emphasis", "first_seen", "tone_low", "tone_high"}
# a tone estimate from fewer mentions than this is shown greyed out (issue #18: one sentence is no evidence)
MIN_EVIDENCE = 3
_Z = 1.959963984540054  # the standard normal's 97.5% quantile: 95% intervals


def tone_interval(tone, n, *, z: float = _Z) -> tuple[np.ndarray, np.ndarray]:
    """A 95% interval of a mean tone toward an entity from ``n`` mentions: ``(low, high)``.

    Each mention's ``tone_score`` (P(positive) - P(negative)) lies in [-1, 1]; rescaled to [0, 1]
    its variance is at most p(1 - p) for a mean p (the Bhatia-Davis inequality), so the Wilson
    score interval of p, mapped back to [-1, 1], is a conservative interval for the mean tone. It
    needs only the mean and n (the store keeps sums per article, not squares), is defined for n = 1
    and for a mean at -1 or +1 (where a t interval has no or zero width), always contains the mean,
    stays inside [-1, 1] and narrows as 1/sqrt(n). NaN where n is 0 or the tone is missing.

    >>> low, high = tone_interval([0.5, 0.5, 0.5], [1, 10, 100])
    >>> [round(float(x), 2) for x in low], [round(float(x), 2) for x in high]
    ([-0.76, -0.12, 0.31], [0.97, 0.84, 0.65])
    """
    tone = np.asarray(tone, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip((tone + 1.0) / 2.0, 0.0, 1.0)
        z2n = z * z / n
        centre = (p + z2n / 2.0) / (1.0 + z2n)
        half = z * np.sqrt(p * (1.0 - p) / n + z2n / (4.0 * n)) / (1.0 + z2n)
        low, high = 2.0 * (centre - half) - 1.0, 2.0 * (centre + half) - 1.0
    missing = ~(n > 0) | np.isnan(tone)
    # Wilson's bounds contain p exactly; min/max keep it so against the last bit of rounding
    low = np.where(missing, np.nan, np.clip(np.minimum(low, tone), -1.0, 1.0))
    high = np.where(missing, np.nan, np.clip(np.maximum(high, tone), -1.0, 1.0))
    return low, high


def entity_table(mentions: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story, outlet and entity.

    Columns (``analysis.schema.ENTITIES``):
    - story, outlet, entity, label (the label most of its mentions carry)
    - mentions: how many times the outlet names it; articles: in how many of its articles
    - share: mentions / all entity mentions of that outlet in that story (sums to 1 per outlet and story)
    - polarity, subjectivity: mean tone of the distinct sentences that mention it
    - tone: mean ``tone_score`` of its mentions (the tone toward it, ``analysis.tone``);
      negative_mentions, positive_mentions: how many of its mentions have that ``tone``;
      tone_low, tone_high: the 95% interval of ``tone`` from its scored mentions (:func:`tone_interval`)
    - exclusive: no other outlet in the selection mentions it in that story (False when the story
      has a single outlet in the selection: there is nothing to compare with)
    - emphasis: share / the entity's share across the other outlets of the story (NaN when exclusive
      or alone); 2.0 means the outlet gives it twice the weight the others give it
    - first_seen: :func:`first_seen` of its first mention in each article, averaged over the
      outlet's articles that mention it (low = prominent)

    An outlet naming itself (``self_mention``, see ``analysis.names.self_mentions``) is left out:
    it is neither a row nor part of any share.

    Inputs are the tables of an ``Analysis`` (a selection of it); none is mutated.
    """
    if "self_mention" in mentions.columns:
        mentions = mentions[~mentions["self_mention"].astype(bool)]
    if mentions.empty:
        return empty_entity_table()
    keys = ["story", "outlet", "entity"]
    counts = mentions.assign(
        negative=mentions["tone"].eq("negative"), positive=mentions["tone"].eq("positive")
    ).groupby(keys, sort=False).agg(
        mentions=("entity", "size"), articles=("article_id", "nunique"), tone=("tone_score", "mean"),
        negative_mentions=("negative", "sum"), positive_mentions=("positive", "sum"), scored=("tone_score", "count"),
    )
    labels = (
        mentions.groupby([*keys, "label"], sort=False).size().rename("n").reset_index()
        .sort_values(["n", "label"], ascending=[False, True])
        .drop_duplicates(keys).set_index(keys)["label"]
    )
    tone = (
        mentions.drop_duplicates([*keys, "article_id", "sentence"])
        .groupby(keys, sort=False)[["polarity", "subjectivity"]].mean()
    )
    table = counts.join(labels).join(tone).reset_index()
    table["tone_low"], table["tone_high"] = tone_interval(table["tone"], table["scored"])
    outlet_total = table.groupby(["story", "outlet"])["mentions"].transform("sum")
    table["share"] = table["mentions"] / outlet_total

    story_total = table.groupby("story")["mentions"].transform("sum")
    entity_total = table.groupby(["story", "entity"])["mentions"].transform("sum")
    other_mentions = entity_total - table["mentions"]
    other_total = story_total - outlet_total
    outlets_in_story = mentions.groupby("story")["outlet"].nunique()
    alone = table["story"].map(outlets_in_story).to_numpy() <= 1
    table["exclusive"] = (other_mentions == 0).to_numpy() & ~alone
    with np.errstate(divide="ignore", invalid="ignore"):
        other_share = other_mentions / other_total
        table["emphasis"] = np.where((other_mentions > 0) & ~alone, table["share"] / other_share, np.nan)

    table["first_seen"] = _first_seen(mentions, sentences, articles).reindex(
        pd.MultiIndex.from_frame(table[keys])
    ).to_numpy()
    table = table.sort_values(["story", "outlet", "mentions", "entity"], ascending=[True, True, False, True])
    return table[ENTITIES].reset_index(drop=True)


def empty_entity_table() -> pd.DataFrame:
    """An entities table without rows, with the columns and dtypes :func:`entity_table` gives."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in ENTITIES})


def first_seen(start, is_title, length) -> np.ndarray:
    """Prominence of a first mention (of an entity, or of a key message): 0 in the headline, else
    its offset ÷ the article's length (the ``length`` of the analysed document; NaN when 0).
    The SQL form is :data:`FIRST_SEEN_SQL`.

    >>> first_seen([0, 50, 5], [True, False, False], [100, 100, 0]).tolist()
    [0.0, 0.5, nan]
    """
    length = np.asarray(length, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.asarray(start, dtype=float) / np.where(length > 0, length, np.nan)
    return np.where(np.asarray(is_title, dtype=bool), 0.0, offset)


def _first_seen(mentions: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    first = mentions.sort_values("start").drop_duplicates(["article_id", "entity"])
    titles = sentences.loc[sentences["is_title"].astype(bool), ["article_id", "position"]]
    titles = titles.rename(columns={"position": "sentence"}).assign(title=True)
    in_title = first.merge(titles, on=["article_id", "sentence"], how="left")
    length = in_title["article_id"].map(articles.set_index("article_id")["length"])
    in_title["first_seen"] = first_seen(in_title["start"], in_title["title"].eq(True), length)
    return in_title.groupby(["story", "outlet", "entity"])["first_seen"].mean()


def _dtype(column: str) -> str:
    if column in {"mentions", "articles", "negative_mentions", "positive_mentions"}:
        return "int64"
    if column == "exclusive":
        return "bool"
    if column in _FLOATS:
        return "float64"
    return "object"


def typed_entity_table(table: pd.DataFrame) -> pd.DataFrame:
    """:data:`ENTITIES_SQL`'s result with :func:`entity_table`'s dtypes (text as ``str``)."""
    if table.empty:
        return empty_entity_table()
    dtypes = {c: "str" if _dtype(c) == "object" else _dtype(c) for c in ENTITIES}
    return table[ENTITIES].astype(dtypes).reset_index(drop=True)


# --- the same metrics in SQL, for the store --------------------------------------------------

# first_seen of a first mention (see :func:`first_seen`), over columns named by the caller
FIRST_SEEN_SQL = "CASE WHEN {is_title} THEN 0.0 ELSE {start}::DOUBLE / nullif({length}, 0)::DOUBLE END"

# Per article, entity (integer key ``ekey`` from ``entity_names``), label and sentiment scorer:
# mention count, the distinct sentences mentioning it with their tone sums, and its first_seen.
# The per-article values sit on the row of the label the first mention carries (``is_first``).
# Reads the ``batch_*`` views of one write; parameter: the analyser version.
ARTICLE_ENTITIES_SQL = f"""
INSERT INTO article_entities
WITH m AS (
    SELECT x.article_id, a.akey, e.ekey, x.label, x.sentence, x.start, b.length
    FROM batch_mentions x JOIN articles a ON a.article_id = x.article_id
    JOIN entity_names e ON e.entity = x.entity JOIN batch_articles b ON b.article_id = x.article_id
),
per_label AS (SELECT article_id, akey, ekey, label, count(*) AS n FROM m GROUP BY ALL),
firsts AS (
    SELECT akey, ekey, arg_min(sentence, start) AS sentence, min(start) AS start,
           any_value(length) AS length, any_value(article_id) AS article_id, min(label) AS label
    FROM m GROUP BY ALL
),
seen AS (
    SELECT f.akey, f.ekey, f.label,
           {FIRST_SEEN_SQL.format(is_title="s.is_title", start="f.start", length="f.length")} AS first_seen
    FROM firsts f LEFT JOIN batch_sentences s ON s.article_id = f.article_id AND s.position = f.sentence
),
sents AS (SELECT DISTINCT article_id, akey, ekey, sentence FROM m),
tone AS (
    SELECT t.scorer, s.akey, s.ekey, sum(t.polarity) AS polarity_sum,
           sum(t.subjectivity) AS subjectivity_sum, count(t.polarity) AS sentences
    FROM sents s JOIN batch_tones t ON t.article_id = s.article_id AND t.position = s.sentence GROUP BY ALL
)
SELECT ?, tone.scorer, p.article_id, p.akey, p.ekey, p.label, p.n, p.label = seen.label,
       CASE WHEN p.label = seen.label THEN tone.sentences END,
       CASE WHEN p.label = seen.label THEN tone.polarity_sum END,
       CASE WHEN p.label = seen.label THEN tone.subjectivity_sum END,
       CASE WHEN p.label = seen.label THEN seen.first_seen END
FROM per_label p JOIN seen USING (akey, ekey) JOIN tone USING (akey, ekey)
ORDER BY p.akey, p.ekey
"""

# The entities table of the articles in ``chosen`` (a CTE the caller puts first) from
# ``article_entities``, as :func:`entity_table` computes it, with names linked: the caller registers
# ``name_map`` (story, ekey, lkey: a name of a story read as the entity ``lkey``), ``extra_names``
# (ekey, entity: linked entities no mention is stored under, negative keys) and ``self_keys``
# (outlet, ekey: an outlet naming itself, left out); exact while no article holds two names of one
# entity (``analysis.store.query``). Parameters after the ``chosen`` ones: analyser, scorer. The
# label here is the one most of its selected mentions carry (ties to the alphabetically first); the
# store replaces it with the corpus's (``analysis.names``). Aggregated per label first (the rows
# are per article, entity and label; the per-article values sit on one of them), then per entity:
# 0.1 s less at 100,000 articles than one pass with a vote column per label.
ENTITIES_SQL = f"""
all_names AS ({LINKED_NAMES_SQL}),
per_label AS (
    SELECT c.story, c.outlet, coalesce(nm.lkey, e.ekey) AS ekey, e.label, sum(e.n) AS n,
           sum(e.is_first::BIGINT) AS articles,
           sum(e.polarity_sum) AS polarity_sum, sum(e.subjectivity_sum) AS subjectivity_sum,
           sum(e.sentences) AS sentences, sum(e.first_seen) AS first_seen_sum, count(e.first_seen) AS first_seen_n
    FROM chosen c JOIN article_entities e ON e.akey = c.akey AND e.analyser = ? AND e.scorer = ?
    LEFT JOIN name_map nm ON nm.story = c.story AND nm.ekey = e.ekey
    LEFT JOIN self_keys sk ON sk.outlet = c.outlet AND sk.ekey = coalesce(nm.lkey, e.ekey)
    WHERE sk.ekey IS NULL
    GROUP BY c.story, c.outlet, coalesce(nm.lkey, e.ekey), e.label
),
agg AS (
    SELECT story, outlet, ekey, first(label ORDER BY n DESC, label) AS label, sum(n)::BIGINT AS mentions,
           sum(articles)::BIGINT AS articles, sum(polarity_sum) / sum(sentences) AS polarity,
           sum(subjectivity_sum) / sum(sentences) AS subjectivity, sum(first_seen_sum) / sum(first_seen_n) AS first_seen
    FROM per_label GROUP BY story, outlet, ekey
),
outlets AS (SELECT story, count(DISTINCT outlet) AS n FROM agg GROUP BY story),
totals AS (
    SELECT agg.*, outlets.n AS outlets_in_story,
           (sum(mentions) OVER (PARTITION BY story, outlet))::DOUBLE AS outlet_total,
           (sum(mentions) OVER (PARTITION BY story))::DOUBLE AS story_total,
           (sum(mentions) OVER (PARTITION BY story, ekey))::DOUBLE AS entity_total
    FROM agg JOIN outlets USING (story)
)
SELECT story, outlet, names.entity, label, mentions, articles, mentions::DOUBLE / outlet_total AS share,
       polarity, subjectivity, (entity_total - mentions = 0) AND outlets_in_story > 1 AS exclusive,
       CASE WHEN entity_total - mentions > 0 AND outlets_in_story > 1
            THEN (mentions::DOUBLE / outlet_total) / ((entity_total - mentions) / (story_total - outlet_total))
       END AS emphasis,
       first_seen
FROM totals JOIN all_names names USING (ekey)
ORDER BY story, outlet, mentions DESC, names.entity
"""
