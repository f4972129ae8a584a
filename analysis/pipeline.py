"""From loaded articles to the analysis tables, and selections of them.

``analyse`` = ``extract`` (spaCy, once per article) + ``apply_sentiment`` (cheap, per engine).
``select`` keeps a :class:`analysis.selection.Selection` of an ``Analysis`` without recomputing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .aliases import Aliases, read_aliases
from .extract import Extracted, extract
from .grouping import assign_stories
from .names import NameLinks, apply_links, link_names, name_inventory
from .outlets import outlet_groups
from .schema import ARTICLES, FROM_ARTICLE, MENTIONS, SENTENCES, TONE
from .selection import Selection
from .sentiment import score_texts
from .tone import mention_tones

_META = ["article_id", *FROM_ARTICLE]


@dataclass(frozen=True)
class Analysis:
    """Per-article results for a corpus.

    - ``articles``: the ``articles.csv`` columns (``analysis.schema.ARTICLES``) plus ``text`` and ``length``
    - ``sentences``: article_id, outlet, story, position, paragraph, is_title, start, end, text,
      polarity, subjectivity, entities
    - ``mentions``: the ``mentions.csv`` columns (``analysis.schema.MENTIONS``)
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    sentiment: str = "textblob"


def apply_sentiment(
    articles: pd.DataFrame, extracted: Extracted, *, sentiment: str = "textblob", scores: pd.DataFrame | None = None,
    tones: pd.DataFrame | None = None, names: NameLinks | None = None, aliases: Aliases | None = None,
    stories: str = "auto",
) -> Analysis:
    """Join metadata to the extracted tables and score every sentence with ``sentiment``.

    ``scores`` (polarity, subjectivity; one row per row of ``extracted.sentences``) are used as
    given when a store already holds them, and so are ``tones`` (tone, tone_score; one row per
    row of ``extracted.mentions``; ``analysis.tone.mention_tones`` otherwise). Article tone is the mean of
    its sentences' tone (headline included); a mention's polarity and subjectivity are its
    sentence's, its ``tone`` the tone toward it. Names are linked across each story and the
    corpus by ``names`` (a store's, of all it holds), else by ``analysis.names.link_names`` of
    these articles' mentions (with ``aliases``), and each sentence's ``entities`` lists the linked
    names. Articles without a ``copy_of`` column get their stories and copies from
    ``analysis.grouping.assign_stories`` (``stories``: ``auto`` or ``given``) first. Does not mutate
    its inputs.
    """
    if "copy_of" not in articles.columns:
        articles = assign_stories(articles, stories=stories)
    if tones is None:
        tones = mention_tones(extracted.sentences, extracted.mentions)
    meta = articles[[c for c in articles.columns if c in {*ARTICLES, "text"}]]
    meta = meta.assign(outlet_group=outlet_groups(meta))  # the given group, else the "(Section)" rule
    if scores is None:
        scores = score_texts(extracted.sentences["text"], scorer=sentiment)
    sentences = extracted.sentences.assign(
        polarity=scores["polarity"].to_numpy(), subjectivity=scores["subjectivity"].to_numpy()
    )
    sentences = meta[_META].merge(sentences, on="article_id", how="inner")
    tone = sentences.groupby("article_id")[TONE].mean()
    table = meta.merge(extracted.articles, on="article_id", how="left").merge(
        tone, left_on="article_id", right_index=True, how="left"
    )
    with_tone = extracted.mentions.assign(
        tone=tones["tone"].to_numpy(), tone_score=tones["tone_score"].to_numpy().astype(float)
    ).astype({"tone": "str"})
    mentions = meta[_META].merge(with_tone, on="article_id", how="inner").merge(
        sentences[["article_id", "position", *TONE]].rename(columns={"position": "sentence"}),
        on=["article_id", "sentence"],
        how="left",
    )
    if names is None:
        names = link_names(name_inventory(mentions), aliases=aliases)
    mentions = apply_links(mentions, names)
    sentences = sentences.assign(entities=_sentence_entities(sentences, mentions))
    return Analysis(
        articles=table[[*ARTICLES, "text", "length"]],
        sentences=sentences[[c for c in SENTENCES if c in sentences.columns]],
        mentions=mentions[MENTIONS],
        sentiment=sentiment,
    )


def _sentence_entities(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.Series:
    """Each sentence's entities, "; "-joined in the order they are first named (as ``extract`` lists them)."""
    if mentions.empty:
        return pd.Series("", index=sentences.index, dtype="str")
    firsts = mentions.drop_duplicates(["article_id", "sentence", "entity"])  # mentions are in text order
    joined = firsts.groupby(["article_id", "sentence"], sort=False)["entity"].agg("; ".join)
    keys = pd.MultiIndex.from_arrays([sentences["article_id"], sentences["position"]])
    return pd.Series(joined.reindex(keys).to_numpy(), index=sentences.index).fillna("").astype("str")


def analyse(
    articles: pd.DataFrame,
    *,
    sentiment: str = "textblob",
    aliases: Aliases | None = None,
    n_process: int = 1,
    stories: str = "auto",
) -> Analysis:
    """Analyse loaded articles (columns ``analysis.schema.ARTICLE_FIELDS``), with automatic stories
    for unlabelled ones unless ``stories="given"``. Does not mutate them."""
    aliases = aliases if aliases is not None else read_aliases()
    extracted = extract(articles, aliases=aliases, n_process=n_process)
    return apply_sentiment(articles, extracted, sentiment=sentiment, aliases=aliases, stories=stories)


def select(analysis: Analysis, selection: Selection) -> Analysis:
    """The ``selection``'s articles of ``analysis`` (outlets, stories, days and article ids, see
    :class:`analysis.selection.Selection`), with their sentences and mentions. Never adds rows.

    >>> empty = pd.DataFrame(columns=["article_id", "outlet", "story", "published"])
    >>> select(Analysis(empty, empty, empty), Selection(outlets=["X"])).articles.empty
    True
    """
    chosen = selection.apply(analysis.articles)
    ids = set(chosen["article_id"])
    return replace(
        analysis,
        articles=chosen,
        sentences=analysis.sentences[analysis.sentences["article_id"].isin(ids)].reset_index(drop=True),
        mentions=analysis.mentions[analysis.mentions["article_id"].isin(ids)].reset_index(drop=True),
    )
