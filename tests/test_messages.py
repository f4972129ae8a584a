"""Key-message pull-through: seed facts, first_seen by hand, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.messages import message_pullthrough, parse_messages
from tests.data.stories import seeds

SEED_MESSAGES = [
    "Google lags behind Amazon on GPU virtual machines",
    "Microsoft is committed to democratizing AI",
    "Microsoft Azure is OpenAI's preferred cloud platform",
    "Microsoft declined to comment on money",
    "Tay chatbot spewed racist messages",
    "Microsoft is investing one billion dollars in OpenAI",
]


@pytest.fixture(scope="module")
def seed_table():
    return message_pullthrough(seeds.seed_sentences(), SEED_MESSAGES, articles=seeds.seed_lengths())


def found(table, outlet, message):
    row = table[(table["outlet"] == outlet) & (table["message"] == message)]
    assert len(row) == 1
    return bool(row["found"].iloc[0])


def test_seed_messages_found_where_they_were_written(seed_table):
    t = seed_table
    assert found(t, "TechCrunch", SEED_MESSAGES[0]) and not found(t, "TechRepublic", SEED_MESSAGES[0])
    assert found(t, "TechCrunch", SEED_MESSAGES[1]) and found(t, "TechRepublic", SEED_MESSAGES[1])
    assert found(t, "TechCrunch", SEED_MESSAGES[2]) and found(t, "TechRepublic", SEED_MESSAGES[2])
    assert found(t, "TechCrunch", SEED_MESSAGES[3]) and not found(t, "TechRepublic", SEED_MESSAGES[3])
    assert not found(t, "TechCrunch", SEED_MESSAGES[4]) and found(t, "TechRepublic", SEED_MESSAGES[4])
    # Neither outlet reported an investment figure.
    assert not found(t, "TechCrunch", SEED_MESSAGES[5]) and not found(t, "TechRepublic", SEED_MESSAGES[5])


def test_best_sentence_and_first_seen(seed_table):
    t = seed_table.set_index(["outlet", "message"])
    google = t.loc[("TechCrunch", SEED_MESSAGES[0])]
    assert "Google has lagged behind" in google["best_sentence"]
    assert google["article_id"] == "000_56d9c1bdf34d459d"
    # Hand-counted in the TechCrunch document (headline + blank line + body, 2,044 characters):
    # the Amazon/Google sentence starts at character 880.
    assert google["first_seen"] == pytest.approx(880 / 2044)
    primary = t.loc[("TechRepublic", SEED_MESSAGES[2])]
    assert "primary cloud platform" in primary["best_sentence"]
    assert np.isnan(t.loc[("TechRepublic", SEED_MESSAGES[0]), "first_seen"])


def test_headline_counts_as_zero():
    s = seeds.seed_sentences()
    t = message_pullthrough(s, ["Microsoft teams up with Elon Musk's OpenAI"], articles=seeds.seed_lengths())
    tc = t[t["outlet"] == "TechCrunch"].iloc[0]
    assert tc["found"] and tc["first_seen"] == 0.0
    assert tc["best_sentence"] == "Microsoft teams up with Elon Musk’s OpenAI project"


def test_first_seen_is_averaged_over_the_outlets_articles():
    s = pd.DataFrame({
        "article_id": ["a", "a", "b", "b", "c"],
        "outlet": ["X", "X", "X", "X", "Y"],
        "story": "",
        "position": [0, 1, 0, 1, 0],
        "is_title": [False, False, True, False, False],
        "start": [0, 50, 0, 30, 0],
        "end": [40, 100, 25, 60, 30],
        "text": ["Bread prices rose sharply.", "Tay was taken offline by Microsoft.",
                 "Tay taken offline", "Microsoft took Tay offline.", "Bread prices rose."],
    })
    lengths = pd.DataFrame({"article_id": ["a", "b", "c"], "length": [100, 60, 30]})
    t = message_pullthrough(s, "Microsoft took Tay offline", articles=lengths).set_index("outlet")
    # Article a: first carrying sentence starts at 50 of 100 -> 0.5; article b: the headline -> 0.
    assert t.loc["X", "found"] and t.loc["X", "first_seen"] == pytest.approx(0.25)
    assert not t.loc["Y", "found"] and np.isnan(t.loc["Y", "first_seen"])


def test_stories_fixture():
    messages = ["Brightway shares fell", "Bakers gave away free bread", "The council election was postponed"]
    t = message_pullthrough(seeds.story_sentences(), messages, articles=seeds.story_lengths())
    carried = set(map(tuple, t.loc[t["found"], ["story", "outlet", "message"]].values))
    assert carried == {
        ("Brightway recall", "Gazette", "Brightway shares fell"),
        ("Harbour bridge", "Daily Planet", "Bakers gave away free bread"),
        ("", "Gazette", "The council election was postponed"),
    }
    # One row per story, outlet covering it and message.
    assert len(t) == 6 * 3


def test_parse_messages_and_empty_inputs():
    assert parse_messages(["  a ", "", "a", "b"]) == ["a", "b"]
    assert parse_messages(" Azure is preferred \n\n\nGoogle lags\nAzure is preferred") == [
        "Azure is preferred", "Google lags"
    ]
    assert parse_messages(None) == []
    lengths = seeds.story_lengths()
    assert message_pullthrough(seeds.story_sentences(), [], articles=lengths).empty
    assert message_pullthrough(seeds.story_sentences().iloc[0:0], ["x"], articles=lengths).empty
    assert list(message_pullthrough(seeds.story_sentences(), "\n", articles=lengths).columns) == [
        "story", "outlet", "message", "found", "similarity", "best_sentence", "article_id", "first_seen"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(SEED_MESSAGES + ["Azure", "the of and", "Brightway recalls scooters"]),
                min_size=1, max_size=4),
       st.floats(min_value=0.0, max_value=1.0))
def test_invariants(messages, threshold):
    s = seeds.story_sentences()
    before = s.copy()
    t = message_pullthrough(s, messages, articles=seeds.story_lengths(), threshold=threshold)
    pd.testing.assert_frame_equal(s, before)
    assert (t["found"] == (t["similarity"] >= threshold)).all()
    assert t["similarity"].between(0, 1 + 1e-6).all()
    assert t.loc[t["found"], "first_seen"].between(0, 1).all()
    assert t.loc[~t["found"], "first_seen"].isna().all()
    assert len(t) == len(parse_messages(messages)) * len(s.groupby(["story", "outlet"]))


def test_on_the_pipelines_sentence_table(bundled):
    t = message_pullthrough(bundled.sentences, SEED_MESSAGES[:3], articles=bundled.articles)
    assert found(t, "TechCrunch", SEED_MESSAGES[0]) and not found(t, "TechRepublic", SEED_MESSAGES[0])
    for message in SEED_MESSAGES[1:3]:
        assert found(t, "TechCrunch", message) and found(t, "TechRepublic", message)
