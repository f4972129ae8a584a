"""Facts hand-counted from the two bundled articles, and invariants of the pipeline."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import (
    Selection,
    analyse,
    article_table,
    build_tables,
    entity_table,
    read_aliases,
    select,
    sentence_table,
    sentence_tables,
    to_csv_bytes,
)
from analysis.segment import paragraphs
from tests.helpers import TECHCRUNCH, TECHREPUBLIC


def _count(analysis, outlet: str, entity: str) -> int:
    m = analysis.mentions
    return int(((m["outlet"] == outlet) & (m["entity"] == entity)).sum())


def _sentences(analysis, outlet: str) -> pd.DataFrame:
    return analysis.sentences[analysis.sentences["outlet"] == outlet].sort_values("position")


def test_every_mention_counts_including_the_headline(bundled):
    # OpenAI: TechCrunch names it 8 times (headline, 3 in the body, 4 in the glued quote text),
    # TechRepublic 10 times (twice as "OpenAI’s").
    assert _count(bundled, TECHCRUNCH, "OpenAI") == 8
    assert _count(bundled, TECHREPUBLIC, "OpenAI") == 10
    # Microsoft alone, not inside "Microsoft Azure", "Microsoft Research", "Microsoft Bot Framework"
    # or "Microsoft Cognitive Toolkit": 11 in TechCrunch (with "andMicrosoft‘s" and
    # "asMicrosoft’s"), 17 in TechRepublic.
    assert _count(bundled, TECHCRUNCH, "Microsoft") == 11
    assert _count(bundled, TECHREPUBLIC, "Microsoft") == 17
    # Azure in TechRepublic: "Microsoft Azure" x3, "building out Azure", "on Azure", "Azure cloud resources".
    assert _count(bundled, TECHREPUBLIC, "Microsoft Azure") == 6


def test_possessives_and_short_forms_are_one_entity(bundled):
    # "Elon Musk’s OpenAI project" (headline) and "Tesla’s Elon Musk".
    assert _count(bundled, TECHCRUNCH, "Elon Musk") == 2
    # "Satya Nadella" twice, then "with Nadella saying".
    assert _count(bundled, TECHREPUBLIC, "Satya Nadella") == 3
    entities = set(bundled.mentions["entity"])
    assert not {"Nadella", "Musk", "Elon Musk’s", "Microsoft’s", "Microsoft‘s", "OpenAI’s"} & entities
    surface = bundled.mentions.loc[bundled.mentions["outlet"] == TECHCRUNCH, "text"]
    assert "Microsoft" in set(surface) and not surface.str.contains(r"['’‘]s?$").any()


def test_model_mistakes_are_corrected(bundled):
    labels = bundled.mentions.groupby("entity")["label"].agg(set)
    assert labels["OpenAI"] == {"organization"}  # the bare model says person or place
    assert "AI" not in labels.index  # the bare model calls AI a place
    assert labels["Satya Nadella"] == {"person"}


def test_mention_offsets_point_at_their_text(bundled):
    for s in bundled.sentences.itertuples():
        assert s.end - s.start == len(s.text)
    for m in bundled.mentions.itertuples():
        sentence = bundled.sentences[
            (bundled.sentences["article_id"] == m.article_id) & (bundled.sentences["position"] == m.sentence)
        ].iloc[0]
        assert sentence.start <= m.start < m.end <= sentence.end
        assert sentence.text[m.start - sentence.start : m.end - sentence.start] == m.text


def test_sentences_respect_headlines_and_paragraphs(bundled):
    tc = _sentences(bundled, TECHCRUNCH)
    assert tc.iloc[0]["text"] == "Microsoft teams up with Elon Musk’s OpenAI project"
    assert bool(tc.iloc[0]["is_title"]) and tc["is_title"].sum() == 1
    # 1 headline + 11 body sentences
    assert len(tc) == 12
    tr = _sentences(bundled, TECHREPUBLIC)
    assert not tr["is_title"].any()  # no headline in this seed
    texts = tr["text"].tolist()
    assert "SEE: Microsoft Azure: The smart person’s guide" in texts
    assert "The 3 big takeaways for TechRepublic readers" in texts
    assert [t[:2] for t in texts[-3:]] == ["1.", "2.", "3."]
    assert len(tr) == 20


def test_glued_words_are_repaired_before_counting(bundled):
    tc = bundled.articles.set_index("outlet").loc[TECHCRUNCH]
    # intelligence|research|non-profit (2), other|tech, partnership,|Microsoft|and|OpenAI|will (4),
    # democratize|AI, rebranded|Cognitive, Microsoft|Research, at|OpenAI|to (2), of|AI|and|OpenAI|will (4),
    # use|Microsoft|Azure (2), and|Microsoft‘s, as|Microsoft’s
    assert tc["repairs"] == 20
    assert bundled.articles.set_index("outlet").loc[TECHREPUBLIC, "repairs"] == 0
    text = " ".join(_sentences(bundled, TECHCRUNCH)["text"])
    assert "democratize AI, so everyone can benefit" in text
    assert "Microsoft and OpenAI will advance" in text


def test_article_table(bundled):
    a = bundled.articles.set_index("outlet")
    assert a.loc[TECHCRUNCH, "sentences"] == 12 and a.loc[TECHREPUBLIC, "sentences"] == 20
    assert a.loc[TECHCRUNCH, "published"] == "2016-11-15"
    assert a.loc[TECHREPUBLIC, "title"] == ""


def test_sentiment_facts(bundled, bundled_vader):
    def tone(analysis, start: str) -> float:
        s = analysis.sentences
        return float(s.loc[s["text"].str.startswith(start), "polarity"].iloc[0])

    tay = "Back in April, a chatbot from Microsoft called Tay"
    luck = "However, Microsoft hasn’t always had the best luck"
    assert tone(bundled, tay) == 0.0  # TextBlob sees no opinion word
    assert tone(bundled, luck) == 1.0  # TextBlob reads "best", not the negated clause
    assert tone(bundled_vader, tay) == pytest.approx(-0.7964, abs=1e-4)
    mentions = bundled_vader.mentions
    tay_tone = mentions.loc[mentions["entity"] == "Tay", "polarity"]
    assert tay_tone.iloc[0] == pytest.approx(-0.7964, abs=1e-4)


def test_entity_table_exclusive_and_prominence(bundled):
    e = entity_table(bundled.mentions, bundled.sentences, bundled.articles).set_index(["outlet", "entity"])
    assert bool(e.loc[(TECHREPUBLIC, "Tay"), "exclusive"])
    assert bool(e.loc[(TECHCRUNCH, "Peter Thiel"), "exclusive"])
    assert not bool(e.loc[(TECHCRUNCH, "OpenAI"), "exclusive"])
    assert pd.isna(e.loc[(TECHREPUBLIC, "Tay"), "emphasis"])
    # shares: OpenAI 8 of TechCrunch's 42 mentions, 10 of the others' (TechRepublic's) 56
    tc_total = int(e.loc[TECHCRUNCH, "mentions"].sum())
    tr_total = int(e.loc[TECHREPUBLIC, "mentions"].sum())
    assert e.loc[(TECHCRUNCH, "OpenAI"), "share"] == pytest.approx(8 / tc_total)
    assert e.loc[(TECHCRUNCH, "OpenAI"), "emphasis"] == pytest.approx((8 / tc_total) / (10 / tr_total))
    # in TechCrunch's headline -> 0; TechRepublic has no headline, so its first OpenAI is at offset 0 of the body
    assert e.loc[(TECHCRUNCH, "Elon Musk"), "first_seen"] == 0.0
    assert 0.0 < e.loc[(TECHCRUNCH, "Peter Thiel"), "first_seen"] < 0.2
    assert e.loc[(TECHREPUBLIC, "Tay"), "first_seen"] > 0.5


def test_selection_changes_comparisons(bundled):
    only = select(bundled, Selection(outlets=[TECHREPUBLIC]))
    assert set(only.articles["outlet"]) == {TECHREPUBLIC}
    e = entity_table(only.mentions, only.sentences, only.articles)
    assert "Tay" in set(e["entity"]) and "Peter Thiel" not in set(e["entity"])
    assert not e["exclusive"].any()  # nothing to compare with when one outlet is selected
    assert select(bundled, Selection(since="2016-11-16")).articles.empty
    assert len(select(bundled, Selection(since="2016-11-15", until="2016-11-15")).articles) == 2


@pytest.mark.parametrize("outlets", [None, [TECHREPUBLIC]])
def test_tables_alone_equal_the_built_ones(bundled, outlets):
    chosen = select(bundled, Selection(outlets=outlets))
    built = build_tables(chosen)
    assert to_csv_bytes(article_table(chosen)) == to_csv_bytes(built["articles"])
    alone = sentence_table(chosen)
    assert to_csv_bytes(alone) == to_csv_bytes(built["sentences"])
    assert alone["unique"].any() == (outlets is None)  # alignment needs a second outlet
    messages = ["Microsoft teams up with OpenAI", "Tay"]
    with_messages = build_tables(chosen, messages=messages)
    derived = sentence_tables(chosen, alone, messages=messages)
    assert set(derived) == {"terms", "quotes", "messages"}
    for name, table in derived.items():
        assert to_csv_bytes(table) == to_csv_bytes(with_messages[name]), name
    assert len(derived["quotes"]) and len(derived["messages"]) == 2 * chosen.articles["outlet"].nunique()


@settings(max_examples=40, deadline=None)
@given(outlets=st.lists(st.sampled_from([TECHCRUNCH, TECHREPUBLIC, "Nobody"]), max_size=3))
def test_invariants_over_selections(bundled, outlets):
    chosen = select(bundled, Selection(outlets=outlets))
    for name in ("articles", "sentences", "mentions"):
        assert len(getattr(chosen, name)) <= len(getattr(bundled, name))  # filtering never adds rows
    e = entity_table(chosen.mentions, chosen.sentences, chosen.articles)
    if not e.empty:
        sums = e.groupby(["story", "outlet"])["share"].sum()
        assert sums.to_numpy() == pytest.approx(1.0)
        assert e["polarity"].between(-1, 1).all() and e["subjectivity"].between(0, 1).all()
        assert (e["first_seen"].between(0, 1)).all()
    assert chosen.sentences["polarity"].between(-1, 1).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", " ", ".", "\n", "-", "1", "*", "\r\n", "\n\n", "  2. ", "SEE:"]), max_size=80)
)
def test_paragraphs_are_slices_without_blank_lines(parts):
    text = "".join(parts)
    for p in paragraphs(text):
        assert text[p.start : p.end] == p.text
        assert p.text.strip() == p.text and p.text
        assert not any(line.strip() == "" for line in p.text.splitlines())


def test_analysis_does_not_mutate_its_input(bundled_articles):
    before = bundled_articles.copy()
    analyse(bundled_articles, aliases=read_aliases())
    pd.testing.assert_frame_equal(before, bundled_articles)


def test_empty_and_titleless_articles(bundled_articles):
    row = bundled_articles.iloc[[0]].assign(article_id="empty", text="", title="")
    result = analyse(row)
    assert result.articles.loc[0, "sentences"] == 0 and result.mentions.empty and result.sentences.empty


def test_time_zones_are_not_entities():
    """ECB+ 4_1ecb (CC BY 3.0): "passed away at 6:41pm PST this evening (0241 GMT Friday)". spaCy
    reads PST and GMT as organisations; the shipped aliases file ignores time zones, so they name no
    story ("Surrey, GMT") and are never an outlet's exclusive entity."""
    text = ("“With deep personal sadness I must announce that my dear friend and client Bettie Page passed away at "
            "6:41pm PST this evening (0241 GMT Friday) in a Los Angeles hospital,” her agent Mark Roesler said.")
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "title": [""], "published": [""], "url": [""],
                             "author": [""], "story": ["s"], "text": [text], "source": [""]})
    entities = set(analyse(articles).mentions["entity"])
    assert {"Bettie Page", "Los Angeles"} <= entities
    assert not entities & {"PST", "GMT"}
