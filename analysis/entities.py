"""Entity frequency, tone, exclusivity, emphasis and prominence per story and outlet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import ENTITIES


def entity_table(mentions: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story, outlet and entity.

    Columns (``analysis.schema.ENTITIES``):
    - story, outlet, entity, label (the label most of its mentions carry)
    - mentions: how many times the outlet names it; articles: in how many of its articles
    - share: mentions / all entity mentions of that outlet in that story (sums to 1 per outlet and story)
    - polarity, subjectivity: mean tone of the distinct sentences that mention it
    - exclusive: no other outlet in the selection mentions it in that story (False when the story
      has a single outlet in the selection: there is nothing to compare with)
    - emphasis: share / the entity's share across the other outlets of the story (NaN when exclusive
      or alone); 2.0 means the outlet gives it twice the weight the others give it
    - first_seen: 0 when the headline names it, else the first mention's offset / article length,
      averaged over the outlet's articles that mention it (low = prominent)

    Inputs are the tables of an ``Analysis`` (a selection of it); none is mutated.
    """
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in ENTITIES})
    keys = ["story", "outlet", "entity"]
    counts = mentions.groupby(keys, sort=False).agg(
        mentions=("entity", "size"), articles=("article_id", "nunique")
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


def _first_seen(mentions: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    first = mentions.sort_values("start").drop_duplicates(["article_id", "entity"])
    titles = sentences.loc[sentences["is_title"].astype(bool), ["article_id", "position"]]
    in_title = first.merge(titles.rename(columns={"position": "sentence"}).assign(title=True), on=["article_id", "sentence"], how="left")
    length = in_title["article_id"].map(articles.set_index("article_id")["length"]).astype(float)
    in_title["first_seen"] = np.where(in_title["title"].eq(True), 0.0, in_title["start"] / length.where(length > 0))
    return in_title.groupby(["story", "outlet", "entity"])["first_seen"].mean()


def _dtype(column: str) -> str:
    if column in {"mentions", "articles"}:
        return "int64"
    if column == "exclusive":
        return "bool"
    if column in {"share", "polarity", "subjectivity", "emphasis", "first_seen"}:
        return "float64"
    return "object"
