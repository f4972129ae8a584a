"""Quotations and their speakers: seed facts, the stories fixture, edge cases."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.quotes import extract_quotes
from analysis.schema import QUOTES
from tests.data.stories import seeds


@pytest.fixture(scope="module")
def seed_quotes():
    return extract_quotes(seeds.seed_sentences())


def one_paragraph(*texts, paragraphs=None):
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return pd.DataFrame({"article_id": "a", "outlet": "X", "story": "s", "position": range(len(texts)),
                         "paragraph": paragraphs or [0] * len(texts), "start": starts, "text": list(texts)})


def test_techcrunch_spokesperson_and_the_quote_that_continues(seed_quotes):
    tc = seed_quotes[seed_quotes["outlet"] == "TechCrunch"]
    assert len(tc) == 2  # “serverless” is a term, not a quotation
    first, second = tc.iloc[0], tc.iloc[1]
    assert first["speaker"] == "Microsoft spokesperson" and first["entity"] == "Microsoft"
    assert first["quote"].startswith("Through this partnership, Microsoft and OpenAI will advance")
    assert first["quote"].endswith("so everyone can benefit")
    assert first["sentence"] == 6
    # The next quotation in the paragraph has no attribution of its own: same speaker.
    assert second["quote"].startswith("Microsoft Research researchers will partner")
    assert (second["speaker"], second["sentence"]) == ("Microsoft spokesperson", 7)


def test_techrepublic_the_post_is_microsofts(seed_quotes):
    tr = seed_quotes[seed_quotes["outlet"] == "TechRepublic"].set_index("sentence")
    assert tr.loc[2, "quote"] == "committed to democratizing AI and making it accessible to everyone"
    assert tr.loc[2, "speaker"] == "Microsoft"  # "In the post, Microsoft said that it is “…”"
    assert tr.loc[3, "quote"].startswith("advance their research and create new tools")
    assert (tr.loc[3, "speaker"], tr.loc[3, "entity"]) == ("Microsoft", "Microsoft")  # "…,” the post said"
    assert tr.loc[10, "quote"] == "the first AI supercomputer."
    assert tr.loc[10, "speaker"] == "Nadella"
    # “make sense” (2 words) is not a quotation.
    assert not tr["quote"].str.contains("make sense").any()


def test_mentions_give_the_canonical_entity():
    s = seeds.seed_sentences()
    tr = s[s["outlet"] == "TechRepublic"]
    nadella = tr[tr["text"].str.contains("supercomputer")].iloc[0]
    offset = nadella["start"] + nadella["text"].index("Nadella saying")
    mentions = pd.DataFrame({"article_id": [nadella["article_id"]], "entity": ["Satya Nadella"],
                             "start": [offset], "end": [offset + len("Nadella")]})
    q = extract_quotes(s, mentions=mentions)
    row = q[q["quote"] == "the first AI supercomputer."].iloc[0]
    assert (row["speaker"], row["entity"]) == ("Nadella", "Satya Nadella")


def test_first_mention_in_the_speaker_wins_whatever_the_table_order():
    # "Microsoft CEO Satya Nadella said": mentions of Nadella (later) listed before Microsoft,
    # and one in another article at the same offsets: Microsoft, the first in the phrase, wins.
    text = "“We will build the first AI supercomputer,” Microsoft CEO Satya Nadella said."
    s = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "story": "", "position": 0,
                      "paragraph": 0, "start": 0, "text": [text, text]})
    at = text.index("Microsoft")
    mentions = pd.DataFrame({"article_id": ["a", "a", "b"], "entity": ["Satya Nadella", "Microsoft", "Azure"],
                             "start": [at + 14, at, at], "end": [at + 27, at + 9, at + 9]})
    q = extract_quotes(s, mentions=mentions)
    assert q[["article_id", "speaker", "entity"]].values.tolist() == [
        ["a", "Microsoft CEO Satya Nadella", "Microsoft"], ["b", "Microsoft CEO Satya Nadella", "Azure"]]

def test_stories_fixture_roles_names_and_next_paragraph(seed_quotes):
    q = extract_quotes(seeds.story_sentences())
    assert q[["outlet", "speaker", "quote"]].values.tolist() == [
        ["Herald", "Ken Obi", "Regulators have to test batteries before products reach the shelves"],
        ["Herald", "Ken Obi", "This was entirely preventable."],
        ["Daily Planet", "Dana Ortiz", "Safety is our first priority and we are sorry for the trouble"],
        ["Daily Planet", "Dana Ortiz", "We will replace every affected battery."],
    ]
    assert set(q["story"]) == {"Brightway recall"}


def test_straight_quotes_and_inverted_attribution():
    q = extract_quotes(one_paragraph('"We are not worried about Google at all," said Jane Smith.'))
    assert q[["speaker", "entity", "quote"]].values.tolist() == [
        ["Jane Smith", "Jane Smith", "We are not worried about Google at all"]]


def test_quote_spanning_sentences_and_unknown_speaker():
    q = extract_quotes(one_paragraph("“This is the first part.", "And this is the second part,” she said.",
                                     "“Nobody claimed this one at all.”", paragraphs=[0, 0, 3]))
    assert q["quote"].tolist()[0] == "This is the first part. And this is the second part"
    assert q["sentence"].tolist() == [0, 2]
    assert q["speaker"].tolist() == ["she", ""]  # a pronoun with nobody quoted before stays as written


def test_only_the_next_paragraph_continues_a_speaker():
    q = extract_quotes(one_paragraph("“We will ship it next year,” Ann Lee said.",
                                     "“A later quote with no attribution.”", paragraphs=[0, 1]))
    assert q["speaker"].tolist() == ["Ann Lee", "Ann Lee"]
    q = extract_quotes(one_paragraph("“We will ship it next year,” Ann Lee said.", "Unrelated text here.",
                                     "“A later quote with no attribution.”", paragraphs=[0, 1, 2]))
    assert q["speaker"].tolist() == ["Ann Lee", ""]


def test_empty_and_not_mutated():
    s = seeds.seed_sentences()
    before = s.copy()
    extract_quotes(s)
    pd.testing.assert_frame_equal(s, before)
    empty = extract_quotes(s.iloc[0:0])
    assert list(empty.columns) == QUOTES and empty.empty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab “”\",.Said ")), max_size=40), min_size=1, max_size=4))
def test_never_crashes_and_quotes_come_from_the_text(texts):
    s = one_paragraph(*texts)
    q = extract_quotes(s)
    joined = " ".join(texts)
    for quote in q["quote"]:
        assert quote in joined
        assert len(quote.split()) >= 1
    assert set(q["sentence"]) <= set(s["position"])


def test_on_the_pipelines_tables(bundled):
    q = extract_quotes(bundled.sentences, mentions=bundled.mentions)
    spokesperson = q[q["speaker"] == "Microsoft spokesperson"]
    assert len(spokesperson) == 2 and set(spokesperson["entity"]) == {"Microsoft"}
    nadella = q[q["quote"] == "the first AI supercomputer."].iloc[0]
    assert nadella["entity"] == "Satya Nadella"  # the pipeline resolved "Nadella" within the article
