"""Automatic stories and wire copies (``analysis.grouping``), through the API, the CLI and the store.

The real text is ``tests/data/grouping/ecbplus_sample.jsonl``: 14 ECB+ articles (CC BY 3.0, credit in
its README) on two topics of two events each (two stars entering rehab, two pin-up stars dying).
"""

from __future__ import annotations

import copy
import json
import pickle
import re
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import assign_stories, load_corpus
from analysis.grouping import StoryIndex, assignments, place, resemblance, sketch
from analysis.loaders import article_id
from analysis.utils import short_hash
from tests.helpers import CORPUS, ROOT, run_cli

SAMPLE = ROOT / "tests" / "data" / "grouping" / "ecbplus_sample.jsonl"
AUTO = re.compile(r"^auto-[0-9a-f]{10}$")


def _sample() -> tuple[pd.DataFrame, list[str]]:
    events = [json.loads(line)["event"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return load_corpus([SAMPLE]).articles, events


def _partition(labels) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _copy(text: str) -> str:
    """A wire copy: a new first line, the last paragraph cut, one word changed."""
    paragraphs = text.split("\n\n")
    body = paragraphs[:-1] if len(paragraphs) > 2 else paragraphs
    body[0] = body[0].replace(" the ", " a ", 1)
    return "\n\n".join(["UPDATED 3:05 PM ET", *body])


def test_the_events_of_one_topic_come_apart_with_and_without_dates():
    articles, events = _sample()
    for rows in (articles, articles.assign(published="")):
        found = assign_stories(rows)
        assert found["story"].map(AUTO.match).all()
        assert _partition(found["story"]) == _partition(events)
        assert (found["copy_of"] == "").all()  # different reports of one event are never copies


def test_the_bundled_pair_without_its_story_lines_is_one_story(tmp_path):
    for path in CORPUS.glob("*.md"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (tmp_path / path.name).write_text("".join(x for x in lines if not x.startswith("story:")), encoding="utf-8")
    articles = load_corpus([tmp_path]).articles
    assert (articles["story"] == "").all()
    found = assign_stories(articles)
    assert found["story"].nunique() == 1 and AUTO.match(found["story"].iloc[0])


def test_a_given_story_wins_and_given_mode_keeps_the_default_story():
    articles, _ = _sample()
    labelled = articles.assign(story=["Mine" if i % 3 == 0 else "" for i in range(len(articles))])
    found = assign_stories(labelled)
    assert (found.loc[labelled["story"] == "Mine", "story"] == "Mine").all()
    assert (found["story"] != "").all()
    assert (assign_stories(articles, stories="given")["story"] == "").all()
    assert list(found.columns) == [*articles.columns[:7], "copy_of", *articles.columns[7:]]
    assert articles["story"].eq("").all()  # the input is not mutated


def test_ids_are_deterministic_and_batches_give_the_same_stories_as_one_pass():
    articles, _ = _sample()
    once = assign_stories(articles)
    assert once.equals(assign_stories(articles))
    index = StoryIndex()
    place(index, articles.iloc[:6])
    index = pickle.loads(pickle.dumps(index))  # as a store keeps it between ingests
    place(index, articles.iloc[6:])
    assert assignments(index, articles)["story"].tolist() == once["story"].tolist()
    # an automatic story is named by its first article
    first = once.drop_duplicates("story")
    assert [f"auto-{short_hash(a, length=10)}" for a in first["article_id"]] == first["story"].tolist()


def test_a_wire_copy_is_found_and_joins_its_originals_story():
    articles, _ = _sample()
    original = articles.iloc[5]  # 169 words: on a 50-word article one cut paragraph is a third of it
    text = _copy(original["text"])
    wire = original.copy()
    wire["text"], wire["article_id"], wire["outlet"] = text, article_id(text), "Wire Reprint"
    wire["published"] = original["published"]
    # the copy arrives first in the feed; the original is still the earliest by date, then id
    rows = pd.concat([wire.to_frame().T, articles], ignore_index=True)
    found = assign_stories(rows).set_index("article_id")
    earliest = min(wire["article_id"], original["article_id"])
    later = max(wire["article_id"], original["article_id"])
    assert found.loc[later, "copy_of"] == earliest and found.loc[earliest, "copy_of"] == ""
    assert found.loc[wire["article_id"], "story"] == found.loc[original["article_id"], "story"]
    assert (found["copy_of"] != "").sum() == 1
    assert resemblance(sketch(text), sketch(original["text"])) >= 0.6
    # a day later, the copy is the later one whatever the ids
    dated = rows.assign(published=[("2008-12-14" if a == wire["article_id"] else p)
                                   for a, p in zip(rows["article_id"], rows["published"], strict=True)])
    found = assign_stories(dated).set_index("article_id")
    assert found.loc[wire["article_id"], "copy_of"] == original["article_id"]


def test_a_follow_up_a_month_later_is_a_new_story_and_three_days_are_one():
    articles, events = _sample()
    lohan = articles[[e == "1b" for e in events]]
    days = ["2013-05-03", "2013-05-04", "2013-05-05", "2013-06-10"]
    found = assign_stories(lohan.assign(published=days))
    assert found["story"].iloc[0] == found["story"].iloc[1] == found["story"].iloc[2] != found["story"].iloc[3]
    assert assign_stories(lohan.assign(published=""))["story"].nunique() == 1


HOSTILE = [
    "Quake", "", "!!!", "😀😀😀 🔥", "Ein starkes Erdbeben hat am Montag die Stadt erschüttert.",
    "东京发生强烈地震，造成多人受伤。", "a " * 5000, "\u0000\ufffd odd", "Quake hits Chile. Quake hits Chile.",
]


def test_hostile_articles_still_get_a_story():
    rows = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(HOSTILE))], "outlet": "X", "title": "",
                         "published": ["", "not a date", "2016-02-30", "", "2016-01-01", "", "", "", "1999-12-31"],
                         "url": "", "author": "", "story": "", "text": HOSTILE, "source": "s"})
    found = assign_stories(rows)
    assert found["story"].map(AUTO.match).all()
    assert set(found["copy_of"]) <= {"", *rows["article_id"]}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=300), st.sampled_from(["", "2016-01-01", "2016-03-01", "x"]),
                          st.sampled_from(["", "", "given"])), min_size=1, max_size=12))
def test_every_article_gets_a_story_and_copies_point_inside(items):
    rows = pd.DataFrame({"article_id": [f"id{i}" for i in range(len(items))], "title": "",
                         "text": [t for t, _, _ in items], "published": [d for _, d, _ in items],
                         "story": [s for _, _, s in items]})
    found = assign_stories(rows)
    assert (found["story"] != "").all()
    assert (found.loc[rows["story"] == "given", "story"] == "given").all()
    copies = found[found["copy_of"] != ""]
    assert set(copies["copy_of"]) <= set(rows["article_id"]) and (copies["copy_of"] != copies["article_id"]).all()
    originals = set(copies["copy_of"])
    assert (found.loc[found["article_id"].isin(originals), "copy_of"] == "").all()


def test_the_cli_contract_and_store_export_equals_plain_export(tmp_path):
    plain, through, twice = tmp_path / "plain", tmp_path / "store", tmp_path / "twice"
    run = run_cli("export", str(SAMPLE), "--out", str(plain))
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(plain / "articles.csv", dtype=str, keep_default_na=False)
    assert "copy_of" in table.columns and list(table.columns).index("copy_of") == list(table.columns).index("story") + 1
    assert (table["story"] != "").all() and (table["copy_of"] == "").all()
    assert table["story"].nunique() == 4
    run = run_cli("export", str(SAMPLE), "--store", str(tmp_path / "s.duckdb"), "--out", str(through))
    assert run.returncode == 0, run.stderr
    for csv in plain.glob("*.csv"):
        assert (through / csv.name).read_bytes() == csv.read_bytes(), csv.name
    # incremental: the same articles ingested in two batches, in the same order, give the same tables
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "first.jsonl").write_text("".join(lines[:7]), encoding="utf-8")
    (tmp_path / "b" / "second.jsonl").write_text("".join(lines[7:]), encoding="utf-8")
    store = str(tmp_path / "t.duckdb")
    for part in ("a", "b"):
        run = run_cli("ingest", str(tmp_path / part), "--store", store)
        assert run.returncode == 0, run.stderr
    run = run_cli("export", "--store", store, "--out", str(twice))
    assert run.returncode == 0, run.stderr
    left = pd.read_csv(plain / "articles.csv", dtype=str, keep_default_na=False)
    right = pd.read_csv(twice / "articles.csv", dtype=str, keep_default_na=False)
    assert right["story"].tolist() == left["story"].tolist()
    assert right["copy_of"].tolist() == left["copy_of"].tolist()


def test_given_mode_on_the_cli(tmp_path):
    run = run_cli("export", str(SAMPLE), "--stories", "given", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert (pd.read_csv(tmp_path / "articles.csv", dtype=str, keep_default_na=False)["story"] == "").all()


def test_a_store_of_schema_4_is_upgraded_and_its_articles_placed(tmp_path):
    import duckdb

    from analysis.store import open_store

    path = tmp_path / "old.duckdb"
    articles, events = _sample()
    store = open_store(path)
    store.ingest(articles.iloc[:4], jobs=1)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM placements; DELETE FROM index_articles; DELETE FROM index_stories; "
                "DELETE FROM index_postings; DELETE FROM index_anchors; UPDATE articles SET story = ''; "
                "UPDATE meta SET value = '4' WHERE key = 'schema'")
    con.close()
    with pytest.raises(Exception, match="schema 4"):
        open_store(path, read_only=True)
    store = open_store(path)
    table = store.articles_table()
    assert table["story"].map(AUTO.match).all() and table["story"].nunique() == 1
    assert table["story"].tolist() == assign_stories(articles.iloc[:4])["story"].tolist()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_index_copies_are_independent():
    articles, _ = _sample()
    index = StoryIndex()
    place(index, articles.iloc[:3])
    kept = copy.deepcopy(index)
    place(index, articles.iloc[3:])
    assert len(kept.placed) == 3 and len(index.placed) == len(articles)


def test_an_article_out_of_date_order_finds_its_story_after_busier_weeks(monkeypatch):
    """Postings are blocked by week: an article that arrives after later stories have filled the
    postings of its words (here a cap of one story a word stands in for a busy stream) still finds
    the story of its own week. With one list per word (no weeks) it opened a story of its own."""
    import analysis.grouping as grouping

    monkeypatch.setattr(grouping, "POSTINGS", 1)
    articles, events = _sample()
    lohan = articles[[e == "1b" for e in events]].iloc[:3]
    # the follow-up six weeks later arrives before the second report of the first days
    found = assign_stories(lohan.assign(published=["2013-05-03", "2013-06-14", "2013-05-04"]))
    assert found["story"].iloc[0] == found["story"].iloc[2] != found["story"].iloc[1]


def test_a_dated_article_looks_up_exactly_the_weeks_its_date_window_touches():
    from analysis.grouping import ALL, BUCKET, UNDATED, WINDOW, _keys

    assert _keys(None) == (ALL,)
    for day in range(735000, 735000 + 2 * BUCKET):
        *weeks, undated = _keys(day)
        assert undated == UNDATED
        assert weeks == sorted({(day + k) // BUCKET for k in range(-WINDOW, WINDOW + 1)})


def test_a_schema_5_store_has_its_index_rebuilt_from_its_placements(tmp_path):
    """A schema-5 store kept its index pickled whole (``story_index``): a writer rebuilds the index
    tables from the stored placements, and later ingests give the stories of one pass."""
    import duckdb

    from analysis.store import open_store

    path = tmp_path / "old.duckdb"
    articles, _ = _sample()
    open_store(path).ingest(articles.iloc[:8], jobs=1)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE index_articles; DROP TABLE index_stories; DROP TABLE index_postings; "
                "DROP TABLE index_anchors; CREATE TABLE story_index (mode VARCHAR PRIMARY KEY, state BLOB NOT NULL, "
                "articles BIGINT NOT NULL); INSERT INTO story_index VALUES ('index', 'old pickle'::BLOB, 8); "
                "UPDATE meta SET value = '5' WHERE key = 'schema'")
    con.close()
    with pytest.raises(Exception, match=r"schema 5\).*ingest --store"):
        open_store(path, read_only=True)
    store = open_store(path)
    store.ingest(articles.iloc[8:], jobs=1)
    table = store.articles_table().set_index("article_id").loc[articles["article_id"]]
    assert table["story"].tolist() == assign_stories(articles)["story"].tolist()
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM index_articles").fetchall()[0][0] == len(articles)
    assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name = 'story_index'").fetchall()
    con.close()


def test_an_ingest_appends_to_the_stored_index_and_keeps_what_was_there(tmp_path):
    import duckdb

    from analysis.store import open_store

    path = tmp_path / "s.duckdb"
    articles, _ = _sample()

    def rows(table, order):
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute(f"SELECT * EXCLUDE (sketch) FROM {table} ORDER BY {order}" if table == "index_articles"
                               else f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        finally:
            con.close()

    open_store(path).ingest(articles.iloc[:7], jobs=1)
    before = {t: rows(t, o) for t, o in (("index_articles", "number"), ("index_postings", "seq"),
                                         ("index_anchors", "number, hash"))}
    open_store(path).ingest(articles.iloc[7:], jobs=1)
    for (table, order), old in zip((("index_articles", "number"), ("index_postings", "seq"),
                                    ("index_anchors", "number, hash")), before.values(), strict=True):
        new = rows(table, order)
        assert new[: len(old)] == old and len(new) > len(old)
    assert [r[0] for r in rows("index_articles", "number")] == list(range(len(articles)))


def test_a_store_places_new_articles_as_an_ingest_would_without_changing(tmp_path):
    """``Store.assign_stories`` (the dashboard's uploads beside a store) gives the stories and copies
    ingesting the same articles next would give, and leaves the store as it was."""
    import duckdb

    from analysis.store import open_store

    articles, _ = _sample()
    path = tmp_path / "s.duckdb"
    open_store(path).ingest(articles.iloc[:8], jobs=1)
    later = articles.iloc[8:12].copy()
    wire = articles.iloc[[0]].assign(outlet="Wire", text=_copy(articles.iloc[0]["text"]), story="",
                                     published="2008-12-12")  # a day after its original
    wire["article_id"] = wire["text"].map(article_id)
    later = pd.concat([later, wire], ignore_index=True)
    preview = open_store(path, read_only=True).assign_stories(later)
    con = duckdb.connect(str(path), read_only=True)
    placed_before = con.execute("SELECT count(*) FROM index_articles").fetchall()[0][0]
    con.close()
    assert placed_before == 8  # nothing saved
    everything = assign_stories(pd.concat([articles.iloc[:8], later], ignore_index=True))
    assert preview["story"].tolist() == everything["story"].tail(len(later)).tolist()
    assert preview["copy_of"].iloc[-1] == articles.iloc[0]["article_id"]
    shutil.rmtree(tmp_path, ignore_errors=True)
