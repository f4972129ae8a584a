"""Sentence alignment across outlets: seed facts, the stories fixture, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.align import UNIQUE_THRESHOLD, align_sentences
from tests.data.stories import seeds


@pytest.fixture(scope="module")
def seed_aligned():
    return align_sentences(seeds.seed_sentences())


@pytest.fixture(scope="module")
def stories_aligned():
    return align_sentences(seeds.story_sentences())


def _row(table, outlet, needle):
    hits = table[(table["outlet"] == outlet) & table["text"].str.contains(needle, regex=False)]
    assert len(hits) == 1, needle
    return hits.iloc[0]


def test_techcrunch_alone_google_lag_and_money_are_its_least_matched(seed_aligned):
    tc = seed_aligned[seed_aligned["outlet"] == "TechCrunch"].sort_values("best_match")
    least = tc["text"].head(2).tolist()
    assert any("Google has lagged" in t for t in least)
    assert any("monetary component" in t for t in least)
    assert _row(seed_aligned, "TechCrunch", "Google has lagged")["unique"]
    assert _row(seed_aligned, "TechCrunch", "monetary component")["unique"]


def test_techrepublic_alone_tay_and_nadellas_rules_are_unique(seed_aligned):
    tr = seed_aligned[seed_aligned["outlet"] == "TechRepublic"].sort_values("best_match")
    least = " ".join(tr["text"].head(5))
    assert "Tay" in least and "10 rules for AI" in least
    assert _row(seed_aligned, "TechRepublic", "called Tay")["unique"]
    assert _row(seed_aligned, "TechRepublic", "laid out his 10 rules")["unique"]


def test_paraphrase_pairs_match_each_other(seed_aligned):
    tc = _row(seed_aligned, "TechCrunch", "democratize AI")
    tr = _row(seed_aligned, "TechRepublic", "democratizing AI")
    assert (tc["matched_outlet"], tc["matched_position"]) == ("TechRepublic", tr["position"])
    assert (tr["matched_outlet"], tr["matched_position"]) == ("TechCrunch", tc["position"])
    assert not tc["unique"] and not tr["unique"]
    primary = _row(seed_aligned, "TechRepublic", "primary cloud platform")
    preferred = _row(seed_aligned, "TechCrunch", "preferred cloud platform")
    assert primary["matched_position"] == preferred["position"]
    assert primary["matched_text"] == preferred["text"]
    assert primary["matched_article_id"] == preferred["article_id"]
    assert not primary["unique"]


def test_stories_fixture_unique_and_shared_points(stories_aligned):
    a = stories_aligned
    for outlet, needle in [("Gazette", "apartment buildings in Leeds"), ("Gazette", "shares fell"),
                           ("Herald", "charging docks"), ("Herald", "Regulators have to test"),
                           ("Daily Planet", "free bread"), ("Herald", "nesting ground"),
                           ("Daily Planet", "We will replace every affected battery")]:
        assert _row(a, outlet, needle)["unique"], needle
    for outlet, needle, other in [("Daily Planet", "recalling 40,000", None),
                                  ("Herald", "take back some 40,000", None),
                                  ("Herald", "harbour bridge was opened", "Daily Planet"),
                                  ("Herald", "cost $300 million", "Daily Planet")]:
        row = _row(a, outlet, needle)
        assert not row["unique"] and row["best_match"] >= UNIQUE_THRESHOLD, needle
        if other:
            assert row["matched_outlet"] == other


def test_matches_stay_within_the_story(stories_aligned):
    a = stories_aligned.dropna(subset=["matched_article_id"])
    story_of = dict(zip(stories_aligned["article_id"], stories_aligned["story"], strict=True))
    assert (a["matched_article_id"].map(story_of) == a["story"]).all()
    assert (a["matched_outlet"] != a["outlet"]).all()


def test_story_covered_by_one_outlet_has_no_match(stories_aligned):
    alone = stories_aligned[stories_aligned["story"] == ""]
    assert len(alone) == 2
    assert alone["best_match"].isna().all() and alone["matched_outlet"].isna().all()
    assert not alone["unique"].any()


def test_input_is_not_modified_and_index_kept():
    s = seeds.story_sentences().set_index(pd.Index(range(100, 100 + len(seeds.story_sentences()))))
    before = s.copy()
    out = align_sentences(s)
    pd.testing.assert_frame_equal(s, before)
    assert out.index.equals(s.index)
    assert list(out.columns[: len(s.columns)]) == list(s.columns)
    assert out["matched_position"].dtype == "Int64" and out["unique"].dtype == bool


def test_repeated_sentences_score_like_the_first_copy(seed_aligned):
    # A second copy of an article (same outlet, other id): each copied sentence gets the same best
    # match as the original, bit for bit; the originals keep their scores (to float32 rounding:
    # the extra pairs change how the batches are padded).
    s = seeds.seed_sentences()
    first = (s["article_id"] == s["article_id"].iloc[0]).to_numpy()
    out = align_sentences(pd.concat([s, s[first].assign(article_id="copy")], ignore_index=True))
    original, copied = out.iloc[: len(s)], out.iloc[len(s):]
    assert copied["best_match"].tolist() == original.loc[first, "best_match"].tolist()
    assert copied["matched_text"].tolist() == original.loc[first, "matched_text"].tolist()
    assert original["best_match"].to_numpy() == pytest.approx(seed_aligned["best_match"].to_numpy(), abs=1e-6)
    assert original["matched_text"].tolist() == seed_aligned["matched_text"].tolist()

def test_empty_table():
    empty = seeds.story_sentences().iloc[0:0]
    out = align_sentences(empty)
    assert out.empty and "best_match" in out.columns


def test_threshold_decides_unique(stories_aligned):
    strict = align_sentences(seeds.story_sentences(), threshold=0.0)
    assert not strict["unique"].any()
    loose = align_sentences(seeds.story_sentences(), threshold=1.01)
    assert (loose["unique"] == loose["best_match"].notna()).all()


POOL = seeds.story_sentences()["text"].tolist() + seeds.seed_sentences()["text"].tolist()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["s1", "s2"]),
                          st.sampled_from(POOL)), min_size=1, max_size=25),
       st.sampled_from(["A", "B", "C"]))
def test_removing_an_outlet_never_raises_a_best_match(rows, dropped):
    table = pd.DataFrame(rows, columns=["outlet", "story", "text"])
    table["article_id"] = table["outlet"] + table["story"]
    table["position"] = table.groupby("article_id").cumcount()
    full = align_sentences(table, candidates=1000)
    kept = table[table["outlet"] != dropped]
    part = align_sentences(kept, candidates=1000)
    both = full.loc[part.index]
    assert ((part["best_match"] <= both["best_match"] + 1e-6) | part["best_match"].isna()).all()
    assert ((full["best_match"] >= 0) & (full["best_match"] <= 1 + 1e-6) | full["best_match"].isna()).all()
    # A sentence with no other outlet in its story has no match and is not unique.
    lonely = full["best_match"].isna()
    assert not full.loc[lonely, "unique"].any()
    assert np.array_equal(full["unique"].to_numpy(), (full["best_match"] < UNIQUE_THRESHOLD).to_numpy())


def test_on_the_pipelines_sentence_table(bundled):
    """The same facts on ``analysis.analyse``'s own (repaired, segmented) sentences."""
    a = align_sentences(bundled.sentences)
    tc = a[a["outlet"] == "TechCrunch"].sort_values("best_match")
    least = " ".join(tc["text"].head(2))
    assert "Google has lagged" in least and "monetary component" in least
    assert _row(a, "TechRepublic", "called Tay")["unique"]
    tc_dem, tr_dem = _row(a, "TechCrunch", "democratize AI"), _row(a, "TechRepublic", "democratizing AI")
    assert tc_dem["matched_position"] == tr_dem["position"] and tr_dem["matched_position"] == tc_dem["position"]


# Hand labels: the points only one outlet made (outlet, story, position in the helper's split).
ONE_OUTLET_POINTS = (
    {("TechCrunch", "Microsoft–OpenAI partnership", p) for p in (5, 8)}  # Google lagging, money
    | {("TechRepublic", "Microsoft–OpenAI partnership", p) for p in (6, 7, 8, 9, 10, 13, 14, 15, 16, 19)}
    | {("Daily Planet", "Brightway recall", p) for p in (3, 4, 5)}
    | {("Gazette", "Brightway recall", p) for p in (3, 4)}
    | {("Herald", "Brightway recall", p) for p in (1, 2, 3, 4)}
    | {("Daily Planet", "Harbour bridge", 3), ("Herald", "Harbour bridge", 2)}
)


def test_measured_separation_on_the_labelled_sentences(seed_aligned, stories_aligned):
    """The figures in analysis/align.py's docstring: AUC 0.97, 51 of 55 right at 0.53."""
    both = pd.concat([seed_aligned, stories_aligned]).dropna(subset=["best_match"])
    labelled = [(r.outlet, r.story, r.position) in ONE_OUTLET_POINTS for r in both.itertuples()]
    one = both["best_match"].to_numpy()[np.array(labelled)]
    shared = both["best_match"].to_numpy()[~np.array(labelled)]
    assert len(one) == 23 and len(shared) == 32
    auc = np.mean(one[:, None] < shared[None, :])
    assert auc > 0.95
    assert (both["unique"].to_numpy() == np.array(labelled)).sum() >= 50


def test_threads_and_blocks_change_nothing(monkeypatch, stories_aligned, seed_aligned):
    """Stories aligned in threads and shortlisted a few rows at a time give the same table, bit
    for bit, as one story after another in one block."""
    import analysis.align as align

    monkeypatch.setattr(align, "cores", lambda: 1)
    monkeypatch.setattr(align, "_BLOCK", 3)
    assert align_sentences(seeds.story_sentences()).equals(stories_aligned)
    assert align_sentences(seeds.seed_sentences()).equals(seed_aligned)
