"""Unique angles ranked by what they carry: facts on real text (ECB+ story 1b, 21 outlets;
``tests/data/ecbplus``), fragments, invariants."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyse, load_corpus, rank_angles
from analysis.align import align_sentences
from analysis.angles import ANGLES, content_terms, is_fragment, sentence_content
from tests.helpers import ROOT

LOHAN = ROOT / "tests" / "data" / "ecbplus" / "lohan.jsonl"


@pytest.fixture(scope="module")
def lohan() -> pd.DataFrame:
    """The aligned sentences of the 21 real articles of ECB+ story 1b."""
    return align_sentences(analyse(load_corpus(LOHAN).articles).sentences)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_fragments_of_real_text_were_top_cards_and_are_never_angles(lohan):
    # the ranking before: each outlet's five least-matched sentences (headlines out)
    have = lohan.dropna(subset=["best_match"])
    have = have[~have["is_title"]]
    least = have.sort_values(["outlet", "best_match", "position"]).groupby("outlet").head(5)
    short = least[least["text"].map(_words) <= 5]["text"]
    # a lone quote mark, a dateline, a time stamp: 16 of 92 cards (17%) were five words or fewer
    assert {"UPDATED:", "Updated 5: 40", "05 / 02 / 2013", "May 03, 2013", "14 June 2013"} <= set(short)
    assert len(short) / len(least) > 0.15
    angles = rank_angles(lohan, n=5)
    assert not set(angles["sentence"]) & set(short)
    assert (angles["sentence"].map(_words) > 5).all()
    assert (angles["content_words"] >= 2).all()
    assert (angles.groupby("outlet").size() <= 5).all() and angles["outlet"].nunique() == 21


def test_real_angles_carry_names_and_claims(lohan):
    angles = rank_angles(lohan, n=5)
    latimes = angles[angles["outlet"] == "articles.latimes.com"]["sentence"].tolist()
    # the LA Times' own point: the crash that brought her back to Betty Ford
    assert any("rear - ended a truck with her Porsche" in s for s in latimes)
    # unique sentences come first in each outlet's cards
    for _, rows in angles.groupby("outlet"):
        assert rows["unique"].tolist() == sorted(rows["unique"].tolist(), reverse=True)
    assert list(angles.columns) == ANGLES


def test_content_words_and_fragments():
    texts = ["Crazy!", ".", "I love y'all.", "Published August 02, 2013", "Updated 5: 40",
             "Trump caves to Democrats in a remarkable surrender.", "Lohan left Betty Ford."]
    content = sentence_content(pd.DataFrame({"text": texts, "entities": ["", "", "", "", "", "Trump; Democrats",
                                                                         "Lohan; Betty Ford"]}))
    assert is_fragment(content).tolist() == [True, True, True, True, True, False, False]
    assert content_terms("Mr. Trump spoke on Thursday, June 13, at 4 PM") == ["trump", "spoke", "13", "4"]
    # rarer words carry more: the same number of words, one repeated across the sentences
    idf = sentence_content(pd.DataFrame({"text": ["Lohan left rehab", "Lohan left Malibu", "Lohan left court",
                                                  "Zebras eat grass"]}))["information"]
    assert idf.iloc[3] > idf.iloc[0] and idf.iloc[0] == pytest.approx(idf.iloc[1])


words = st.sampled_from(["Lohan", "rehab", "Malibu", "judge", "the", "a", "!", "Thursday", "court", "said", "3"])
sentence = st.lists(words, min_size=0, max_size=12).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), sentence, st.floats(0, 1)), min_size=1, max_size=25),
       st.integers(1, 4))
def test_ranking_invariants(rows, n):
    s = pd.DataFrame({
        "story": "s", "outlet": [r[0] for r in rows], "article_id": [r[0].lower() for r in rows],
        "position": range(len(rows)), "text": [r[1] for r in rows], "best_match": [r[2] for r in rows],
        "unique": [r[2] < 0.53 for r in rows], "matched_outlet": "X", "matched_text": "x",
    })
    before = s.copy()
    angles = rank_angles(s, n=n)
    pd.testing.assert_frame_equal(s, before)
    assert (angles.groupby("outlet").size() <= n).all()
    assert set(angles["sentence"]) <= set(s["text"])  # filtering never adds a sentence
    assert not is_fragment(angles).any()
    content = sentence_content(s)
    assert (content["information"] >= 0).all() and (content["content_words"] >= 0).all()
    # an outlet's cards: unique before shared; among unique ones (1 - best_match) * information descends
    for _, rows_ in angles.groupby("outlet"):
        assert rows_["unique"].tolist() == sorted(rows_["unique"].tolist(), reverse=True)
        uniq = rows_[rows_["unique"]]
        score = ((1 - uniq["best_match"]) * uniq["information"]).tolist()
        assert score == sorted(score, reverse=True)
