"""Distinctive terms: Monroe et al.'s log-odds checked by hand, seed facts, invariants."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en.stop_words import STOP_WORDS

from analysis.terms import HOUSE_STYLE, distinctive_terms, term_counts, tokens
from tests.data.stories import seeds


def frame(rows):
    return pd.DataFrame(rows, columns=["story", "outlet", "text"])


def test_log_odds_against_hand_computation():
    # A: cloud 2, azure 1 (n=3); B: azure 1, bot 1 (n=2). Prior = selection counts:
    # a_cloud=2, a_azure=2, a_bot=1, a0=5.
    # cloud for A: delta = ln((2+2)/(3+5-2-2)) - ln((0+2)/(2+5-0-2)) = ln(1) - ln(0.4) = 0.916291
    #              var = 1/(2+2) + 1/(0+2) = 0.75 -> z = 0.916291 / 0.866025 = 1.058041
    # azure for A: delta = ln(3/5) - ln(3/4) = -0.223144; var = 1/3 + 1/3 -> z = -0.273293
    t = distinctive_terms(frame([("", "A", "cloud cloud azure"), ("", "B", "azure bot")]),
                          min_count=1, bigrams=False)
    z = {(r.outlet, r.term): r.z for r in t.itertuples()}
    assert z[("A", "cloud")] == pytest.approx(1.058041, abs=1e-6)
    assert z[("A", "azure")] == pytest.approx(-0.273293, abs=1e-6)
    assert z[("B", "azure")] == pytest.approx(0.273293, abs=1e-6)
    assert ("B", "cloud") not in z  # B never wrote it
    counts = {(r.outlet, r.term): r.count for r in t.itertuples()}
    assert counts == {("A", "cloud"): 2, ("A", "azure"): 1, ("B", "azure"): 1, ("B", "bot"): 1}


def test_prior_comes_from_the_whole_selection():
    # A second story adds "cloud cloud" (C) and "tay" (D): selection counts cloud 4, azure 2,
    # bot 1, tay 1 (total 8), so in story 1 a_cloud = 4 and a0 = 8.
    # cloud for A: delta = ln((2+4)/(3+8-2-4)) - ln((0+4)/(2+8-0-4)) = ln(1.2) - ln(2/3) = 0.587787
    #              var = 1/6 + 1/4 -> z = 0.587787 / 0.645497 = 0.910595
    t = distinctive_terms(frame([("1", "A", "cloud cloud azure"), ("1", "B", "azure bot"),
                                 ("2", "C", "cloud cloud"), ("2", "D", "tay")]),
                          min_count=1, bigrams=False)
    row = t[(t["story"] == "1") & (t["outlet"] == "A") & (t["term"] == "cloud")].iloc[0]
    assert row["z"] == pytest.approx(0.910595, abs=1e-6)
    assert set(t["story"]) == {"1", "2"}


def test_bigrams_skip_stop_words_and_punctuation():
    assert tokens("the preferred cloud platform, Microsoft’s") == [
        None, "preferred", "cloud", "platform", None, "microsoft"]
    counts = term_counts(["OpenAI’s preferred cloud platform. Platform of choice"])
    assert counts["cloud platform"] == 1 and counts["platform"] == 2
    assert "platform platform" not in counts and "platform choice" not in counts


def test_seed_counts_and_directions():
    t = distinctive_terms(seeds.seed_sentences(), min_count=1)
    tc = t[t["outlet"] == "TechCrunch"].set_index("term")
    tr = t[t["outlet"] == "TechRepublic"].set_index("term")
    # Hand-counted: TechCrunch says "machine" 5 times (Azure Machine Learning, GPU-centric virtual
    # machine, machine learning workloads, GPU-focused virtual machine, machine type); TechRepublic
    # says "post" 5 times and "Tay" once.
    assert tc.loc["machine", "count"] == 5
    assert tr.loc["post", "count"] == 5
    assert tr.loc["tay", "count"] == 1 and "tay" not in tc.index
    assert tc.loc["machine", "z"] > 0 > tr.loc["machine", "z"]
    assert tr.loc["post", "z"] > 0
    assert "google" in tr.index and "amazon" in tc.index  # both name them, in different points
    assert tc["z"].idxmax() == "machine"
    assert not set(t["term"].str.split().explode()) & STOP_WORDS


def test_min_count_top_and_single_outlet_story():
    s = frame([("x", "A", "tay tay bot"), ("x", "B", "bot cloud"), ("y", "A", "alone here")])
    t = distinctive_terms(s, min_count=2)
    assert t[["outlet", "term", "count"]].values.tolist() == [["A", "tay", 2]]
    assert (distinctive_terms(s, min_count=1, top=1).groupby("outlet").size() == 1).all()
    assert "y" not in set(distinctive_terms(s, min_count=1)["story"])


def test_empty_and_not_mutated():
    s = frame([("", "A", "Tay tay"), ("", "B", "cloud")])
    before = s.copy()
    distinctive_terms(s)
    pd.testing.assert_frame_equal(s, before)
    empty = distinctive_terms(s.iloc[0:0])
    assert list(empty.columns) == ["story", "outlet", "term", "count", "z"] and empty.empty


vocabulary = st.sampled_from(["cloud", "azure", "tay", "bots", "openai", "google", "gpu", "the", "and"])


@settings(max_examples=50, deadline=None)
@given(st.lists(vocabulary, min_size=1, max_size=15), st.lists(vocabulary, min_size=1, max_size=15))
def test_two_outlets_mirror_each_other(a, b):
    s = frame([("", "A", " ".join(a)), ("", "B", " ".join(b))])
    t = distinctive_terms(s, min_count=1)
    z = {(r.outlet, r.term): r.z for r in t.itertuples()}
    for (outlet, term), value in z.items():
        other = "B" if outlet == "A" else "A"
        if (other, term) in z:
            assert value == pytest.approx(-z[(other, term)], abs=1e-9)
        assert math.isfinite(value)
    assert (t["count"] >= 1).all()
    own = term_counts([" ".join(a)])
    assert {r.term: r.count for r in t[t["outlet"] == "A"].itertuples()} == dict(own)


sentence = st.tuples(st.sampled_from(["1", "2", "3"]), st.sampled_from(["A", "B", "C"]),
                     st.lists(vocabulary, min_size=0, max_size=8).map(" ".join))


@settings(max_examples=50, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=12))
def test_table_equals_log_odds_z_story_by_story(rows):
    # The table is computed for all stories at once; log_odds_z per outlet must give the same z.
    from analysis.terms import log_odds_z

    s = frame(rows)
    t = distinctive_terms(s, min_count=1)
    selection = term_counts(s["text"])
    total = sum(selection.values())
    expected = {}
    for story, part in s.groupby("story"):
        outlets = {o: term_counts(g["text"]) for o, g in part.groupby("outlet")}
        if len(outlets) < 2:
            continue
        story_total = sum(outlets.values(), start=type(selection)())
        prior = pd.Series({w: selection[w] / total * total for w in story_total}, dtype=float)
        for o, own in outlets.items():
            rest = pd.Series(story_total, dtype=float).sub(pd.Series(own, dtype=float), fill_value=0)
            z = log_odds_z(pd.Series(own, dtype=float), rest, prior, a0=total)
            expected.update({(story, o, w): z[w] for w in own})
    assert {(r.story, r.outlet, r.term): r.z for r in t.itertuples()} == pytest.approx(expected, abs=1e-12)
    for _, group in t.groupby(["story", "outlet"], sort=False):
        assert list(group["z"]) == sorted(group["z"], reverse=True)


def test_shipped_stop_words_equal_spacys():
    from spacy.lang.en.stop_words import STOP_WORDS as spacy_stop_words

    from analysis.schema import STOP_WORDS

    assert STOP_WORDS == frozenset(spacy_stop_words)



@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ’‘ʼ'\"“”′é.-")), max_size=40))
def test_curly_marks_read_as_straight_ones(text):
    """The fast paths (str.replace, skipped for ASCII text) equal the plain character mapping."""
    from analysis.sentiment import normalise_quotes

    apostrophes = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
    assert tokens(text) == tokens(text.translate(apostrophes))
    assert "’" not in "".join(t or "" for t in tokens(text))
    straight = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "′": "'"})
    assert normalise_quotes(text) == text.translate(straight)


LOHAN = Path(__file__).resolve().parent / "data" / "ecbplus" / "lohan.jsonl"


@pytest.fixture(scope="module")
def lohan_sentences() -> pd.DataFrame:
    """The sentences of the 21 real articles of ECB+ story 1b (tests/data/ecbplus), headlines included."""
    from analysis import analyse, load_corpus

    return analyse(load_corpus(LOHAN).articles).sentences


def test_house_style_is_out_of_real_terms_by_default(lohan_sentences):
    kept = distinctive_terms(lohan_sentences, house_style=True, min_count=1)
    default = distinctive_terms(lohan_sentences, min_count=1)
    term = kept.set_index(["outlet", "term"])["count"]
    # the weekday KTLA and the NY Daily News lean on, a time zone, the outlets naming themselves
    assert term[("ktla.com", "thursday")] == 3 and term[("nydailynews.com", "late thursday")] == 2
    assert term[("people.com", "edt")] == 2
    assert ("accesshollywood.com", "access hollywood") in term and ("people.com", "people") in term
    words = default["term"].str.split().explode()
    assert not set(words) & HOUSE_STYLE and (words.str.len() > 1).all()
    mine = set(zip(default["outlet"], default["term"], strict=True))
    assert ("accesshollywood.com", "access hollywood") not in mine and ("accesshollywood.com", "hollywood") not in mine
    # what the story is about stays: every outlet's "betty ford", none lost
    assert set(default[default["term"] == "betty ford"]["outlet"]) == set(kept[kept["term"] == "betty ford"]["outlet"])


def test_own_name_is_out_only_for_the_outlet_itself():
    s = frame([("x", "Fox News", "Mr. Smith told Fox News on Thursday."),
               ("x", "Fox News", "Mr. Smith told Fox News on Thursday."),
               ("x", "HuffPost", "Fox News reported it first, @HuffPost learned. C-SPAN aired it on Thursday."),
               ("x", "HuffPost", "Fox News reported it first, HuffPost learned.")])
    default = distinctive_terms(s, min_count=2)
    fox, huff = (set(default[default["outlet"] == o]["term"]) for o in ("Fox News", "HuffPost"))
    assert {"fox news", "told fox", "fox", "mr", "thursday", "mr smith"}.isdisjoint(fox) and "smith" in fox
    assert "huffpost" not in huff and {"fox news", "reported"} <= huff  # another outlet naming Fox keeps it
    kept = distinctive_terms(s, min_count=2, house_style=True)
    fox, huff = (set(kept[kept["outlet"] == o]["term"]) for o in ("Fox News", "HuffPost"))
    assert {"fox news", "told fox", "mr", "thursday"} <= fox and "huffpost" in huff


def test_cli_keeps_house_style_on_request(tmp_path, lohan_sentences):
    from tests.helpers import run_cli

    run = run_cli("export", str(LOHAN), "--keep-house-style", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    kept = pd.read_csv(tmp_path / "terms.csv", keep_default_na=False)
    assert ((kept["outlet"] == "ktla.com") & (kept["term"] == "thursday")).any()
    default = distinctive_terms(lohan_sentences)
    assert not ((default["outlet"] == "ktla.com") & (default["term"] == "thursday")).any()
