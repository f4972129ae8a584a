"""Key-message pull-through: seed facts, claims on real text (ECB+), stories, first_seen by hand, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.claims import _NEGATORS, ACTION_CAP, OPPOSITES, SYNONYMS, THRESHOLD, claim_scores, parse_claim
from analysis.messages import message_pullthrough, parse_messages
from tests.data.stories import seeds
from tests.helpers import ROOT

PAIRS = ROOT / "tests" / "data" / "messages" / "pairs.jsonl"  # ECB+ sentences (CC BY 3.0), see its README

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
                 "Microsoft takes Tay offline", "Microsoft took Tay offline.", "Bread prices rose."],
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
    # One row per story the message concerns (it names "Brightway"), outlet covering it and message.
    assert set(t.loc[t["message"] == "Brightway shares fell", "story"]) == {"Brightway recall"}


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
    assert len(t) <= len(parse_messages(messages)) * len(s.groupby(["story", "outlet"]))
    assert not t.duplicated(["story", "outlet", "message"]).any()


def test_on_the_pipelines_sentence_table(bundled):
    t = message_pullthrough(bundled.sentences, SEED_MESSAGES[:3], articles=bundled.articles)
    assert found(t, "TechCrunch", SEED_MESSAGES[0]) and not found(t, "TechRepublic", SEED_MESSAGES[0])
    for message in SEED_MESSAGES[1:3]:
        assert found(t, "TechCrunch", message) and found(t, "TechRepublic", message)


# --- claims on real text (tests/data/messages/pairs.jsonl: ECB+, Cybulska & Vossen 2014, CC BY 3.0) ---

def test_a_paraphrase_carries_the_claim_and_its_neighbours_do_not():
    message = "Tara Reid entered rehab"
    sentences = [
        "Tara Reid has checked into Promises Treatment Center, a prominent rehab clinic in Los Angeles.",  # carried
        "A publicist says Tara Reid has not checked herself into rehab.",  # negation
        "Lindsay Lohan checks into rehab to begin 90 - day stint, lawyer says",  # another actor
        "Another day in Hollywood; another star in rehab.",  # topic only
    ]
    scores = claim_scores([message] * len(sentences), sentences)
    assert scores[0] >= THRESHOLD
    assert (scores[1:] < THRESHOLD).all()


def test_denials_refusals_and_swapped_roles_are_not_carried():
    pairs = [
        ("Sudan bombed a refugee camp in South Sudan", "A SAF spokesman denied the attack occurred."),
        ("Microsoft released a patch for Internet Explorer",
         "Microsoft refused to release a patch for the Internet Explorer flaw."),
        ("Klitschko stopped Tony Thompson",
         "Tony Thompson stopped Wladimir Klitschko in the sixth round on Saturday night."),
        ("Warren Jeffs was sentenced to life in prison", "He could be sentenced to up to 119 years in prison."),
    ]
    scores = claim_scores([m for m, _ in pairs], [s for _, s in pairs])
    assert (scores < THRESHOLD).all(), scores
    # while the reported claims are carried
    assert claim_scores(["Klitschko stopped Tony Thompson", "Warren Jeffs was sentenced to life in prison"],
                        ["Wladimir Klitschko stopped Tony Thompson in the sixth round to keep his titles.",
                         "Polygamist leader Warren Jeffs sentenced to life in prison"]).min() >= THRESHOLD


def test_a_not_that_is_not_about_the_claim_keeps_it():
    """"will not affect" negates the effect, not the arrest; "didn't want to" is a refusal like "declined to"."""
    scores = claim_scores(
        ["Vincent Jackson was arrested for drunk driving", "Microsoft declined to comment on money"],
        ["An arrest for suspicion of driving under the influence will not affect the playing status of San Diego "
         "Chargers wide receiver Vincent Jackson for Sunday's divisional playoff game at Pittsburgh.",
         "Microsoft didn't want to comment on whether there is any monetary component to the partnership."])
    assert (scores >= THRESHOLD).all(), scores
    assert parse_claim("Microsoft declined to comment on money").negated


def test_the_action_must_agree():
    """A sentence about the same people doing something else is not the claim; a synonym is."""
    message = "Matt Smith will play Doctor Who"
    scores = claim_scores([message] * 3, [
        "The BBC says little-known actor Matt Smith will take over the title role in the long-running sci-fi "
        "series “Doctor Who.”",  # carried: "take over" is a synonym of "play" in data/verb_relations.csv
        "Out - going Doctor Matt Smith welcomed Capaldi's casting, and pre - recorded a message for the new "
        "Time Lord.",  # topic: welcomed, not played (word coverage 0.84: carried before the action check)
        "A cagey opening round was followed by a scrappy second, as Klitschko twice wrestled Thompson to the "
        "floor.",  # unrelated
    ])
    assert scores[0] >= THRESHOLD > ACTION_CAP >= scores[1]
    klitschko = claim_scores(["Klitschko stopped Tony Thompson"],
                             ["A cagey opening round was followed by a scrappy second, as Klitschko twice wrestled "
                              "Thompson to the floor."])
    assert klitschko[0] <= ACTION_CAP  # wrestled to the floor is not stopped


def test_contradictions_without_a_negation_word_are_not_carried():
    pairs = [
        ("Maurice Cheeks was fired as coach of the 76ers",  # kept / fired: an opposite of the list
         "Stefanski gave Cheeks another contract extension and kept him as head coach of the 76ers."),
        ("Lindsay Lohan left Betty Ford",  # staying / left
         "Lindsay Lohan is staying at the Betty Ford Center and will not move to Malibu."),
        ("Tara Reid entered rehab", "Tara Reid has left rehab, her publicist says."),  # left / entered
        # a past event of the same person in a relative clause is background, not the claim
        ("Maurice Cheeks was fired as coach of the 76ers",
         "Cheeks, who was fired March 2 as head coach of the Portland Trail Blazers, is the fourth head coach since "
         "King took over as the team's president and general manager on May 26, 2003."),
    ]
    scores = claim_scores([m for m, _ in pairs], [s for _, s in pairs])
    assert (scores < THRESHOLD).all(), scores
    # the same actions said outright are carried
    carried = claim_scores(["Maurice Cheeks was fired as coach of the 76ers", "Lindsay Lohan left Betty Ford"],
                           ["Stefanski fired Cheeks with the Sixers floundering at 9-14 and in the basement of the "
                            "Eastern Conference's Atlantic Division.",
                            "Lindsay Lohan has left the Betty Ford Center and is moving to a rehab facility in "
                            "Malibu, Calif., Access Hollywood has confirmed."])
    assert (carried >= THRESHOLD).all(), carried


def test_verb_relations_never_flip_twice():
    """No opposite is also a synonym of the same word, nor a word that already reverses what it governs."""
    for word, others in OPPOSITES.items():
        assert not others & SYNONYMS.get(word, frozenset()), word
        assert not {o.split()[0] for o in others} & _NEGATORS, word
        assert all(word in OPPOSITES[o] for o in others)  # both directions hold
    assert "check into" in SYNONYMS["enter"] and "leave" in OPPOSITES["enter"]


@pytest.fixture(scope="module")
def pairs():
    table = pd.read_json(PAIRS, lines=True)
    return table.assign(score=claim_scores(table["message"].tolist(), table["sentence"].tolist()))


def test_labelled_pairs_are_what_the_readme_says(pairs):
    assert len(pairs) >= 200 and pairs["message"].nunique() == 19
    assert set(pairs["kind"]) == {"paraphrase", "topic", "actor", "negation", "contradiction"}
    assert (pairs["carried"] == (pairs["kind"] == "paraphrase")).all()
    # the split is by message: no message on both sides
    assert pairs.groupby("message")["split"].nunique().max() == 1


def test_the_fresh_held_out_set_is_apart(pairs):
    """fresh.jsonl: other ECB+ topics than pairs.jsonl, other messages, labelled by the same rules."""
    fresh = pd.read_json(PAIRS.with_name("fresh.jsonl"), lines=True)
    assert len(fresh) >= 60 and set(fresh["split"]) == {"fresh"}
    assert (fresh["carried"] == (fresh["kind"] == "paraphrase")).all()

    def topics(table):
        return set(table["source"].str.removeprefix("edited:").str.split("_").str[0])

    assert not topics(fresh) & topics(pairs) and not set(fresh["message"]) & set(pairs["message"])
    assert (fresh["kind"] == "contradiction").sum() >= 10
    # fresh2.jsonl: the second held-out set, apart from both
    fresh2 = pd.read_json(PAIRS.with_name("fresh2.jsonl"), lines=True)
    assert len(fresh2) >= 80 and set(fresh2["split"]) == {"fresh2"} and fresh2["message"].nunique() == 10
    assert (fresh2["carried"] == (fresh2["kind"] == "paraphrase")).all()
    assert not topics(fresh2) & (topics(fresh) | topics(pairs))
    assert not set(fresh2["message"]) & (set(fresh["message"]) | set(pairs["message"]))


def test_claims_rank_carriers_above_the_rest_better_than_shared_words(pairs):
    from analysis.similarity import coverage_matrix

    def roc_auc_score(labels, scores) -> float:  # P(a carried pair outscores another), ties half
        labels, scores = np.asarray(labels, bool), np.asarray(scores, float)
        wins = (scores[labels][:, None] > scores[~labels][None, :]).mean()
        return float(wins + 0.5 * (scores[labels][:, None] == scores[~labels][None, :]).mean())

    held = pairs[pairs["split"] == "held-out"]
    coverage = [coverage_matrix([m], [s])[0, 0] for m, s in zip(held["message"], held["sentence"], strict=True)]
    assert roc_auc_score(held["carried"], held["score"]) > roc_auc_score(held["carried"], coverage)
    dev = pairs[pairs["split"] == "dev"]
    # the threshold was chosen on dev so that no dev contradiction or negation is carried
    assert (dev.loc[dev["kind"].isin(["contradiction", "negation"]), "score"] < THRESHOLD).all()


def _ecb_sentences() -> pd.DataFrame:
    """The unedited pair sentences as a small corpus: ECB+ document -> article, its topic and half -> story
    ("1_2ecb.xml" is story 1a, "1_1ecbplus.xml" story 1b), odd/even document numbers -> two outlets."""
    table = pd.read_json(PAIRS, lines=True)
    table = table[~table["source"].str.startswith("edited:")].drop_duplicates("sentence")
    doc = table["source"].str.split("#").str[0]
    parts = doc.str.extract(r"^(?P<topic>\d+)_(?P<number>\d+)(?P<half>ecbplus|ecb)")
    return pd.DataFrame({
        "article_id": doc.to_numpy(),
        "outlet": np.where(parts["number"].astype(int) % 2 == 1, "Odd", "Even"),
        "story": (parts["topic"] + np.where(parts["half"] == "ecb", "a", "b")).to_numpy(),
        "text": table["sentence"].to_numpy(),
        "start": table["source"].str.split("#").str[1].astype(int).to_numpy() * 100,
        "is_title": (table["source"].str.endswith("#0")).to_numpy(),
    })


def test_messages_are_matched_in_the_stories_they_concern_only():
    s = _ecb_sentences()
    lengths = pd.DataFrame({"article_id": s["article_id"].unique(), "length": 10_000})
    messages = ["Tara Reid entered rehab", "Maurice Cheeks was fired as coach of the 76ers"]
    t = message_pullthrough(s, messages, articles=lengths)
    by_message = t.groupby("message")["story"].agg(set)
    # "Tara Reid" is named in the Reid story only; Cheeks in both 76ers stories (fired in 5a, hired in 5b)
    assert by_message["Tara Reid entered rehab"] == {"1a"}
    assert by_message["Maurice Cheeks was fired as coach of the 76ers"] == {"5a", "5b"}
    carried = set(map(tuple, t.loc[t["found"], ["message", "story"]].values))
    assert ("Tara Reid entered rehab", "1a") in carried
    assert ("Maurice Cheeks was fired as coach of the 76ers", "5a") in carried
    # (5b is carried too, by "Cheeks, who was fired March 2 as head coach of the Portland Trail Blazers,
    # is the fourth head coach...": a known miss, README "Key messages")
    assert s["story"].nunique() > 30 and t["story"].nunique() == 3  # not every story gets a cell
