"""The tone toward each entity mention (analysis.tone) and how the store keeps it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.store import open_store
from analysis.tone import features, mention_tones, score_mentions
from analysis.tone_cnn import load_cnn
from tests.helpers import ROOT


def test_two_entities_of_one_sentence_get_their_own_tone():
    text = "Smith praised the plan while attacking Jones."
    tones = score_mentions([text, text], [0, 39], [5, 44])
    assert tones["tone"].tolist() == ["positive", "negative"]
    smith, jones = tones["tone_score"]
    assert smith > 0.5 and jones < 0 and smith - jones > 0.6


def test_an_event_against_the_target_is_negative_where_the_sentence_scorers_see_nothing():
    text = "Democrats will ask Congress to censure Mr. Trump."  # TextBlob 0.0, VADER 0.0
    assert score_mentions([text], [39], [48])["tone"].iloc[0] == "negative"


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=80), st.data())
def test_tone_score_stays_in_range_and_matches_the_label(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    tones = score_mentions([text], [start], [end])
    score = tones["tone_score"].iloc[0]
    assert -1.0 <= score <= 1.0
    assert features([text], [start], [end]).shape[0] == 1


def test_mention_tones_read_each_mention_in_its_own_sentence():
    sentences = pd.DataFrame({"article_id": ["a", "a"], "position": [0, 1], "start": [0, 20],
                              "text": ["Headline about Acme.", "Smith praised the plan while attacking Jones."]})
    mentions = pd.DataFrame({"article_id": ["a", "a", "a"], "sentence": [0, 1, 1], "start": [15, 20, 59],
                             "end": [19, 25, 64]})
    tones = mention_tones(sentences, mentions)
    assert tones["tone"].tolist()[1:] == ["positive", "negative"]
    alone = score_mentions(["Smith praised the plan while attacking Jones."], [39], [44])
    assert tones["tone_score"].iloc[2] == pytest.approx(alone["tone_score"].iloc[0], abs=1e-12)


def test_store_keeps_mention_tones_and_scores_them_again_without_spacy(bundled_articles, tmp_path, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    before = store.analysis().mentions
    entities = store.entity_table()
    with store.connect(write=True) as con:
        con.execute("DELETE FROM mention_tones")  # as after a new tone model: no tone of its version
    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy ran again")

    monkeypatch.setattr("analysis.engine.extract", no_spacy)
    assert store.rescore() == len(bundled_articles)
    pd.testing.assert_frame_equal(store.analysis().mentions, before)
    pd.testing.assert_frame_equal(store.entity_table(), entities)
    assert {"tone", "negative_mentions", "positive_mentions"} <= set(entities.columns)


def test_entity_tone_intervals_on_real_text_store_and_memory_agree(tmp_path):
    """ECB+ story 1b (21 real outlets, tests/data/ecbplus): each tone toward an entity has its 95%
    interval, narrower with more mentions; the store's entities table gives the same intervals."""
    from pathlib import Path

    from analysis import analyse, entity_table, load_corpus
    from analysis.entities import MIN_EVIDENCE

    articles = load_corpus(Path(__file__).resolve().parent / "data" / "ecbplus" / "lohan.jsonl").articles
    result = analyse(articles)
    table = entity_table(result.mentions, result.sentences, result.articles)
    assert ((table["tone_low"] <= table["tone"]) & (table["tone"] <= table["tone_high"])).all()
    width = table["tone_high"] - table["tone_low"]
    # most rows rest on one or two mentions: the evidence the chart greys out
    assert (table["mentions"] < MIN_EVIDENCE).mean() > 0.5
    lohan = table[table["entity"] == "Lindsay Lohan"]
    assert lohan["mentions"].max() >= 5
    many, one = lohan.loc[lohan["mentions"].idxmax()], table[table["mentions"] == 1].iloc[0]
    assert width[many.name] < width[one.name]
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(articles, jobs=1)
    stored = store.entity_table().set_index(["outlet", "entity"]).sort_index()
    memory = table.set_index(["outlet", "entity"]).sort_index()
    pd.testing.assert_series_equal(stored["tone_low"], memory["tone_low"], check_exact=False, rtol=1e-12)
    pd.testing.assert_series_equal(stored["tone_high"], memory["tone_high"], check_exact=False, rtol=1e-12)
REFERENCE = ROOT / "tests" / "data" / "tone" / "reference.json"


def test_numpy_inference_matches_the_torch_model_it_was_exported_from():
    records = json.loads(REFERENCE.read_text(encoding="utf-8"))
    p = load_cnn().probabilities([r["text"] for r in records], [r["start"] for r in records],
                                 [r["end"] for r in records])
    np.testing.assert_allclose(p, [r["cnn"] for r in records], atol=2e-5)


def test_a_mention_scores_the_same_alone_and_among_others_bit_for_bit():
    records = json.loads(REFERENCE.read_text(encoding="utf-8"))
    texts, starts, ends = ([r[k] for r in records] for k in ("text", "start", "end"))
    together = score_mentions(texts, starts, ends)
    for i in (0, 7, len(records) - 1):
        alone = score_mentions([texts[i]], [starts[i]], [ends[i]])
        assert alone["tone_score"].iloc[0] == together["tone_score"].iloc[i]


def test_a_long_sentence_is_read_around_its_mention():
    filler = " ".join(["The committee met again on Tuesday."] * 40)
    text = f"{filler} Critics attacked Jones for the failure."
    start = text.index("Jones")
    tones = score_mentions([text], [start], [start + 5])
    assert tones["tone"].iloc[0] == "negative"


def test_the_numpy_inference_reads_the_word_vectors_as_training_corrected_them():
    """The shipped net corrects the static vectors of WordPieces it saw in training; without the
    corrections the numpy inference would not reproduce torch's probabilities."""
    from analysis.tone_cnn import CNN_PATH, ToneCNN

    with np.load(CNN_PATH) as data:
        weights = {k: data[k] for k in data.files}
    assert len(weights["piece_ids"]) > 1000 and 0.0 < float(weights["light_weight"]) < 1.0
    uncorrected = ToneCNN({k: v for k, v in weights.items() if k not in {"piece_ids", "piece_vectors"}})
    records = json.loads(REFERENCE.read_text(encoding="utf-8"))
    texts, starts, ends = ([r[k] for r in records] for k in ("text", "start", "end"))
    p = uncorrected.probabilities(texts, starts, ends)
    assert np.abs(p - [r["cnn"] for r in records]).max() > 1e-3
