"""Which words count as entity mentions (``analysis.extract``), on real text: a person's surname alone
where the article names the person in full, and what must not count (``tests/data/mentions/``:
ECB+ articles, CC BY 3.0, and NewsMTSC sentences, MIT)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyse
from analysis.extract import _bare_surnames
from analysis.loaders import article_id
from analysis.schema import ARTICLE_FIELDS
from bench import mention_recall
from tests.helpers import ROOT, run_cli

DATA = ROOT / "tests" / "data" / "mentions"


def _articles(name: str) -> pd.DataFrame:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return pd.DataFrame([
        {"article_id": r.get("doc") or article_id(r["text"]), "outlet": r["outlet"], "title": r.get("title", ""),
         "published": "", "url": r.get("url", ""), "author": "", "story": r["story"], "text": r["text"],
         "source": name}
        for r in rows
    ], columns=ARTICLE_FIELDS).astype(str)


@pytest.fixture(scope="module")
def ecb():
    return analyse(_articles("ecbplus.jsonl"), stories="given")


@pytest.fixture(scope="module")
def newsmtsc():
    return analyse(_articles("newsmtsc.jsonl"), stories="given")


def _in(result, doc: str) -> pd.DataFrame:
    return result.mentions[result.mentions["article_id"] == doc]


def test_a_bare_surname_counts_for_the_person_the_article_names_in_full(ecb):
    amd = _in(ecb, "43_15ecbplus.xml")
    text = ecb.articles.set_index("article_id").loc["43_15ecbplus.xml", "text"]
    # the model finds "Rory Read" but not "Read" in '" Read said' / '" Read added'
    reads = amd[amd["text"] == "Read"]
    assert len(reads) == 3 and set(reads["entity"]) == {"Rory Read"} and set(reads["label"]) == {"person"}
    sentences = ecb.sentences.set_index(["article_id", "position"])["text"]
    said = [sentences[("43_15ecbplus.xml", s)] for s in reads["sentence"]]
    assert any(re.search(r"\bRead (?:said|added)\b", s) for s in said), said
    assert text.count("Read") >= len(reads)


def test_surnames_in_newsmtsc_sentences_are_found(newsmtsc):
    m = newsmtsc.mentions
    sessions = m[m["text"] == "Sessions"]
    assert set(sessions["entity"]) == {"Jeff Sessions"} and len(sessions) == 3
    # a sentence start: "Black’s controversial tweets", "Walker was the first ..." (no "black" or
    # "walker" in lower case in those articles)
    assert set(m.loc[m["text"] == "Black", "entity"]) == {"Michael Ian Black"}
    assert set(m.loc[m["text"] == "Walker", "entity"]) == {"Scott Walker"}


def test_what_is_not_a_surname_mention(ecb):
    # "Jermayne Timmons" where the model found "Jermayne" only: "Timmons" is no second mention there
    timmons = _in(ecb, "33_4ecb.xml")
    text = ecb.articles.set_index("article_id").loc["33_4ecb.xml", "text"]
    assert "Jermayne Timmons" in text
    body = len(ecb.articles.set_index("article_id").loc["33_4ecb.xml", "title"]) + 2
    after_first_name = {body + m.end() + 1 for m in re.finditer(r"Jermayne(?= Timmons)", text)}
    assert not (set(timmons["start"]) & after_first_name)
    assert (timmons["entity"] == "Jermayne Timmons").sum() >= 3  # its surname alone elsewhere counts
    # a headline-like line the model calls a person gives its last word to no one
    chiefs = _in(ecb, "29_5ecbplus.xml")
    assert "Colts Beat Chiefs" not in set(chiefs.loc[chiefs["text"] == "Chiefs", "entity"])
    assert (chiefs["text"] == "Chiefs").any()
    # initials and a word (a film role) are no person whose "Doctor" the body names
    who = _in(ecb, "39_7ecbplus.xml")
    title_end = len(ecb.articles.set_index("article_id").loc["39_7ecbplus.xml", "title"])
    assert who[(who["text"] == "Doctor") & (who["start"] > title_end)].empty
    # "Dairy" inside "Matanuska Maid Dairy warehouse" is no mention of its own
    assert (_in(ecb, "13_9ecbplus.xml")["text"] != "Dairy").all()


def test_export_gives_a_found_surname_its_tone(tmp_path):
    run = run_cli("export", str(DATA / "newsmtsc.jsonl"), "--out", str(tmp_path), "--stories", "given")
    assert run.returncode == 0, run.stderr
    mentions = pd.read_csv(tmp_path / "mentions.csv")
    sentences = pd.read_csv(tmp_path / "sentences.csv")
    row = sentences[sentences["text"].str.contains("Department of Justice officials told Fox News", regex=False)]
    assert len(row) == 1
    found = mentions.merge(row[["article_id", "position"]], left_on=["article_id", "sentence"],
                           right_on=["article_id", "position"])
    sessions = found[found["text"] == "Sessions"]
    assert len(sessions) == 1 and sessions["entity"].iloc[0] == "Jeff Sessions"
    assert sessions["tone"].iloc[0] in {"negative", "neutral", "positive"}


def test_mention_recall_bench_finds_every_named_target_of_the_fixture():
    result = mention_recall.measure(DATA / "newsmtsc_targets.jsonl")
    located = result["located"]
    assert len(located) == 12 and located["pronoun"].sum() == 3  # "him", "he", "he"
    assert not located.loc[located["pronoun"], "found"].any()  # pronouns never enter the mentions
    named = located[~located["pronoun"]]
    assert named["found"].all(), named.loc[~named["found"], "mention"].tolist()
    assert set(named["mention"]) >= {"Sessions", "Black", "Walker"}
    text = mention_recall.report(result)
    assert "named (non-pronoun) targets found: 9 of 9 (100.0%)" in text


WORD = st.sampled_from(["the", "said", "and", "long", "Long", "Pike", "Pike’s", "Ann", "Bo", ".", ",", "\n\n"])


@settings(max_examples=80, deadline=None)
@given(st.lists(WORD, min_size=0, max_size=40))
def test_bare_surnames_only_fill_gaps_with_the_full_persons_surname(words):
    text = "Ann Pike met Bo Long. " + " ".join(words)
    mentions = [{"entity": "Ann Pike", "label": "person", "text": "Ann Pike", "start": 0, "end": 8},
                {"entity": "Bo Long", "label": "person", "text": "Bo Long", "start": 13, "end": 20}]
    people = {"Pike": {"Ann Pike"}, "Long": {"Bo Long"}}
    starts = [0] + [m.end() for m in re.finditer(r"\.\s+|\n\n", text)]
    ends = [*starts[1:], len(text)]
    sentences = [{"start": s, "end": e, "text": text[s:e]} for s, e in zip(starts, ends, strict=True)]
    openings = {re.compile(r"[\s.,]*").match(text, s).end() for s in starts}
    added = _bare_surnames(text, mentions, people, [(0, 8), (13, 20)], sentences, 0)
    assert len({(m["start"], m["end"]) for m in added}) == len(added)
    for m in added:
        assert m["text"] == text[m["start"]:m["end"]] == m["entity"].split()[-1] and m["label"] == "person"
        assert m["start"] >= 20  # never over a mention or a span of the model
        assert not re.search(r"[A-Z]\w* $", text[:m["start"]])  # never the last word of a longer name
        if re.search(r"(?<!\w)long(?!\w)", text):  # "Long" opening a sentence is then the word
            assert not (m["text"] == "Long" and m["start"] in openings)
    # every "Pike" that stands alone, mid-sentence and after a small word, counts
    alone = [f.start(1) for f in re.finditer(r"\b(?:the|said|and) (Pike)(?!\w)", text)
             if not re.match(r" (?:Ann|Bo|Long|Pike)\b", text[f.end(1):])]
    assert set(alone) <= {m["start"] for m in added}
