"""Names linked across a story and the corpus, junk entities, one label, self-mentions
(``analysis.names``, ``analysis.extract``), on real text: ECB+ and NewsMTSC sentences
(``tests/data/names/``) and the bundled corpus."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyse, entity_table, read_aliases
from analysis.extract import _extend_person
from analysis.lexicon import name_word
from analysis.loaders import article_id
from analysis.names import INVENTORY, VARIANTS, link_names, self_mentions, strip_titles
from analysis.schema import ARTICLE_FIELDS
from analysis.voice import voice_table
from tests.helpers import ROOT, TECHREPUBLIC

NAMES = ROOT / "tests" / "data" / "names"


def _articles(name: str) -> pd.DataFrame:
    rows = [json.loads(line) for line in (NAMES / name).read_text(encoding="utf-8").splitlines()]
    return pd.DataFrame([
        {"article_id": article_id(r["text"]), "outlet": r["outlet"], "title": r.get("title", ""), "published": "",
         "url": r.get("url", ""), "author": "", "story": r["story"], "text": r["text"], "source": name}
        for r in rows
    ], columns=ARTICLE_FIELDS).astype(str)


@pytest.fixture(scope="module")
def ecb():
    articles = _articles("ecbplus.jsonl")
    return articles, analyse(articles)


@pytest.fixture(scope="module")
def rules():
    articles = _articles("ecbplus_rules.jsonl")
    return articles, analyse(articles)


@pytest.fixture(scope="module")
def trump():
    articles = _articles("newsmtsc_trump.jsonl")
    return articles, analyse(articles)


def _entities(analysis, **where) -> set[str]:
    m = analysis.mentions
    for column, value in where.items():
        m = m[m[column] == value]
    return set(m["entity"])


def test_short_and_titled_forms_take_the_full_name_the_story_uses(trump):
    _, result = trump
    m = result.mentions
    # mentions' text is the name without its title ("Mr. Trump" -> "Trump")
    assert set(m.loc[m["text"] == "Trump", "entity"]) == {"Donald Trump"}
    assert set(m.loc[m["text"] == "Flynn", "entity"]) == {"Michael Flynn"}
    assert (m["text"] == "Flynn").sum() == 4 and (m["text"] == "Trump").sum() >= 6
    # no article of the story (nor of this corpus) spells Obama ("Mr. Obama") out: as written
    assert set(m.loc[m["text"] == "Obama", "entity"]) == {"Obama"}
    # a sentence's opening words are not part of the name: "Trump in the interview also touched on"
    assert not any(" the " in e for e in m["entity"])
    # Outlet B never writes "Donald Trump" and yet shares the entity with the others: not exclusive
    table = entity_table(result.mentions, result.sentences, result.articles)
    trump_rows = table[table["entity"] == "Donald Trump"]
    assert set(trump_rows["outlet"]) == {"Outlet A", "Outlet B", "Outlet C"}
    assert not trump_rows["exclusive"].any()


def test_obama_within_a_story_and_two_bushes_across_stories(ecb):
    _, result = ecb
    m = result.mentions
    obama = m[(m["story"] == "9b") & m["text"].isin(["Obama", "President Obama"])]
    assert len(obama) > 10 and set(obama["entity"]) == {"Barack Obama"}
    # story 9b names George W. Bush (as "George W. Bush" and "George Bush"), 25a Reggie Bush
    assert set(m.loc[(m["story"] == "9b") & (m["text"] == "Bush"), "entity"]) == {"George Bush"}
    assert set(m.loc[(m["story"] == "25a") & (m["text"] == "Bush"), "entity"]) == {"Reggie Bush"}


def test_a_full_middle_name_is_kept_and_the_short_forms_take_it(ecb):
    _, result = ecb
    m = result.mentions
    # story 1b: "Mark Jay Heller" in one article, "lawyer Mark Heller" and "Heller" in others; the two
    # full forms are named equally often, and on a tie the one with the middle name wins
    heller = m[(m["story"] == "1b") & m["text"].isin(["Mark Jay Heller", "Mark Heller", "Heller"])]
    assert set(heller["text"]) == {"Mark Jay Heller", "Mark Heller", "Heller"}
    assert set(heller["entity"]) == {"Mark Jay Heller"}


def test_a_role_before_a_name_goes_when_the_story_names_the_person(ecb):
    _, result = ecb
    m = result.mentions
    # story 9b: "Interior Secretary Ken Salazar" comes out of the model as the organization "Interior Ken
    # Salazar" once; "Interior" is a common English word, and the story names Ken Salazar
    salazar = m[(m["story"] == "9b") & m["text"].isin(["Interior Ken Salazar", "Ken Salazar", "Salazar"])]
    assert set(salazar["text"]) == {"Interior Ken Salazar", "Ken Salazar", "Salazar"}
    assert set(salazar["entity"]) == {"Ken Salazar"} and set(salazar["label"]) == {"person"}


def test_which_words_before_a_name_are_roles():
    inventory = pd.DataFrame(
        [("s", "Coroner Gary Hargrove", "person", 1), ("s", "Gary Hargrove", "person", 2),
         ("s", "RB Joique Bell", "person", 1), ("s", "Joique Bell", "person", 3),
         ("s", "Moviemaker Gary Ross", "person", 1), ("s", "Gary Ross", "person", 1),
         ("s", "Mount Sefton Bivvy", "place", 2), ("s", "Sefton Bivvy", "person", 1),
         ("s", "W. Mark Felt", "person", 3), ("s", "Mark Felt", "person", 1),
         ("s", "Mark Jay Heller", "person", 1), ("s", "Jay Heller", "person", 1),
         ("t", "Mark Heller", "person", 1), ("t", "Mark Gatiss", "person", 1),
         ("u", "Clerk Janette Bower", "person", 1)],
        columns=INVENTORY,
    )
    linked = {(s, e): t for s, e, t in link_names(inventory).links.itertuples(index=False)}
    assert linked[("s", "Coroner Gary Hargrove")] == "Gary Hargrove"  # "coroner": Zipf 3.4
    assert linked[("s", "RB Joique Bell")] == "Joique Bell"  # an abbreviation in capitals
    assert linked[("s", "Moviemaker Gary Ross")] == "Gary Ross"  # rare, but "movie" + "maker"
    # a place is no role; an initial is no role; "Mark" starts two two-word names of the corpus: a first name
    assert ("s", "Mount Sefton Bivvy") not in linked
    assert linked.get(("s", "W. Mark Felt")) != "Mark Felt" and ("s", "Mark Jay Heller") not in linked
    assert ("u", "Clerk Janette Bower") not in linked  # no story article names Janette Bower without it


def test_a_surname_the_model_took_for_an_organization_is_the_storys_person(rules):
    _, result = rules
    m = result.mentions
    # story 21b: the model calls "Chohan" an organization in one article (four times) and finds "Raj Chohan"
    # in another; "Chohan" is no English word (Zipf 1.7)
    chohan = m[(m["story"] == "21b") & m["text"].isin(["Chohan", "Raj Chohan"])]
    assert (chohan["text"] == "Chohan").sum() >= 3 and (chohan["text"] == "Raj Chohan").any()
    assert set(chohan["entity"]) == {"Raj Chohan"} and set(chohan["label"]) == {"person"}


def test_a_common_word_surname_the_model_took_for_a_place_stays_as_written():
    inventory = pd.DataFrame(
        [("s", "Denzel Washington", "person", 2), ("s", "Washington", "place", 5),
         ("t", "Raj Chohan", "person", 1), ("t", "Chohan", "place", 4)],
        columns=INVENTORY,
    )
    names = link_names(inventory)
    linked = {(s, e): t for s, e, t in names.links.itertuples(index=False)}
    assert ("s", "Washington") not in linked and names.labels["Washington"] == "place"
    assert linked[("t", "Chohan")] == "Raj Chohan" and names.labels["Raj Chohan"] == "person"


def test_a_first_name_takes_the_one_full_name_of_the_story(ecb):
    _, result = ecb
    m = result.mentions
    # story 1b: "Lindsay" alone, where the story names one Lindsay in full
    lindsay = m[(m["story"] == "1b") & (m["text"] == "Lindsay")]
    assert len(lindsay) >= 2 and set(lindsay["entity"]) == {"Lindsay Lohan"}
    two = pd.DataFrame([("s", "Lindsay", "person", 2), ("s", "Lindsay Lohan", "person", 2),
                        ("s", "Lindsay Graham", "person", 1)], columns=INVENTORY)
    assert link_names(two).links[lambda t: t["entity"] == "Lindsay"].empty


def test_a_rare_name_word_the_model_left_out_joins_the_name(rules):
    _, result = rules
    m = result.mentions
    # story 45b: the model finds "Marie Flynn" in "shooting Ka'Loni Marie Flynn of Fort Smith"
    flynn = m[(m["story"] == "45b") & m["text"].str.contains("Flynn")]
    assert "Ka'Loni Marie Flynn" in set(flynn["text"])
    assert set(flynn["entity"]) == {"Ka'Loni Marie Flynn"}
    assert name_word("Ka'Loni") and not name_word("Coroner") and not name_word("Undersheriff")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["Ka'Loni", "Marie", "Flynn", "Coroner", "said", "the", "Tuesday", "NEW", ".", ",",
                                 "Sutopo", "Moviemaker", "\n"]), min_size=1, max_size=8),
       st.integers(0, 7), st.integers(1, 3))
def test_widening_a_person_adds_whole_name_words_only(words, at, length):
    """Invariant: the widened span holds the model's span, adds at most one whole word on each side,
    one space away, never a line break or a common word."""
    text = " ".join(words)
    chosen = words[at:at + length] if at < len(words) else words[-1:]
    start = text.find(" ".join(chosen))
    end = start + len(" ".join(chosen))
    new_start, new_end = _extend_person(text, start, end, [start], [end])
    assert new_start <= start and new_end >= end
    for added in (text[new_start:start], text[end:new_end]):
        assert "\n" not in added and added.count(" ") <= 1
        if added:
            assert name_word(added.strip())


def test_middle_initials_go_the_commonest_full_form_wins_and_two_bushes_stay_apart():
    inventory = pd.DataFrame(
        [("s", "Christopher Kenyon Simpson", "person", 6), ("s", "Christopher K. Simpson", "person", 1),
         ("s", "Christopher Simpson", "person", 2), ("s", "Mr. Simpson", "person", 3),
         ("s", "Warren Steed Jeffs", "person", 1), ("s", "Warren Jeffs", "person", 5), ("s", "Jeffs", "person", 4),
         ("t", "George H. W. Bush", "person", 2), ("t", "George Herbert Walker Bush", "person", 1),
         ("t", "George W. Bush", "person", 4), ("t", "George Bush", "person", 2)],
        columns=INVENTORY,
    )
    linked = {(s, e): t for s, e, t in link_names(inventory).links.itertuples(index=False)}
    # "Kenyon" and "K." agree; the full middle name is the commonest form, so it stays and the others take it
    for form in ("Christopher K. Simpson", "Christopher Simpson", "Mr. Simpson"):
        assert linked[("s", form)] == "Christopher Kenyon Simpson"
    assert ("s", "Christopher Kenyon Simpson") not in linked
    # the form without the middle name is the commonest here
    assert linked[("s", "Warren Steed Jeffs")] == linked[("s", "Jeffs")] == "Warren Jeffs"
    # two George Bushes (W. and H. W.): every form stays as written
    assert not any(story == "t" for story, _ in linked)


def test_a_surname_two_people_of_the_story_share_stays_as_written():
    inventory = pd.DataFrame(
        [("s", "George W. Bush", "person", 3), ("s", "Jeb Bush", "person", 2), ("s", "Bush", "person", 4),
         ("t", "Bush", "person", 1), ("t", "Barack Obama", "person", 1)],
        columns=INVENTORY,
    )
    links = link_names(inventory).links
    assert links[links["entity"] == "Bush"].empty  # two Bushes in s; in t two in the corpus, no wide margin


def test_titles_middle_initials_and_the_corpus_fallback():
    inventory = pd.DataFrame(
        [("s", "Donald J. Trump", "person", 2), ("s", "Donald Trump", "person", 5),
         ("s", "Representative Bruce Braley", "person", 1), ("s", "Bruce Braley", "person", 1),
         ("t", "Michael T. Flynn", "person", 2), ("u", "Michael Flynn", "person", 9),
         ("v", "Flynn", "person", 3), ("v", "Trump", "organization", 2), ("v", "Trump", "person", 1)],
        columns=INVENTORY,
    )
    names = link_names(inventory)
    linked = {(s, e): t for s, e, t in names.links.itertuples(index=False)}
    assert linked[("s", "Donald J. Trump")] == "Donald Trump"
    assert linked[("s", "Representative Bruce Braley")] == "Bruce Braley"
    assert linked[("t", "Michael T. Flynn")] == "Michael Flynn"
    assert linked[("v", "Flynn")] == "Michael Flynn"  # no full Flynn in v: the corpus's only one
    assert linked[("v", "Trump")] == "Donald Trump"
    assert names.labels["Donald Trump"] == "person"
    assert strip_titles("President Donald J. Trump") == "Donald J. Trump"


def test_group_and_place_variants_are_one_entity_and_the_aliases_file_wins(tmp_path):
    inventory = pd.DataFrame(
        [("s", "GOP", "organization", 2), ("s", "Republican", "group", 1), ("s", "Republicans", "group", 3),
         ("s", "U.S", "place", 4), ("s", "US", "place", 1), ("s", "Democratic", "group", 2)],
        columns=INVENTORY,
    )
    linked = link_names(inventory)
    got = dict(zip(linked.links["entity"], linked.links["linked"], strict=False))
    assert got == {"GOP": "Republicans", "Republican": "Republicans", "U.S": "United States",
                   "US": "United States", "Democratic": "Democrats"}
    assert linked.labels["Republicans"] == "group" and linked.labels["United States"] == "place"
    path = tmp_path / "aliases.csv"
    path.write_text("alias,entity,label\nGOP,GOP,organization\n", encoding="utf-8")
    mine = link_names(inventory, aliases=read_aliases(path))
    assert "GOP" not in set(mine.links["entity"]) and mine.labels["GOP"] == "organization"


def test_the_aliases_label_wins_over_the_majority(tmp_path):
    inventory = pd.DataFrame([("s", "Twitter", "person", 5), ("s", "Twitter", "organization", 1)], columns=INVENTORY)
    assert link_names(inventory).labels["Twitter"] == "person"  # the majority, without an alias
    path = tmp_path / "aliases.csv"
    path.write_text("alias,entity,label\nTwitter,Twitter,organization\n", encoding="utf-8")
    assert link_names(inventory, aliases=read_aliases(path)).labels["Twitter"] == "organization"


def test_one_label_per_entity_across_the_corpus(ecb, trump):
    for _, result in (ecb, trump):
        assert result.mentions.groupby("entity")["label"].nunique().max() == 1


def test_a_dateline_is_not_an_entity(ecb, trump):
    _, result = trump
    c = result.mentions[result.mentions["outlet"] == "Outlet C"]
    assert "Washington" not in {e.title() for e in c["entity"]}
    assert c["start"].min() > len("WASHINGTON –")


def test_a_title_case_headline_gives_only_names_the_body_names(ecb):
    articles, result = ecb
    titled = articles[articles["title"].str.startswith("Lindsay Lohan Leaves Betty Ford")]
    assert len(titled) == 1
    a = titled["article_id"].iloc[0]
    m = result.mentions[result.mentions["article_id"] == a]
    title_end = len(titled["title"].iloc[0])
    headline, body = m[m["start"] < title_end], m[m["start"] >= title_end]
    assert set(headline["entity"]) <= set(body["entity"])
    assert "Lindsay Lohan" in set(headline["entity"])
    assert not any("Leaves" in e or "Checks" in e for e in result.mentions["entity"])


def test_an_outlet_naming_itself_is_marked_and_left_out_of_shares(bundled):
    m = bundled.mentions
    own = m[(m["outlet"] == TECHREPUBLIC) & (m["entity"] == TECHREPUBLIC)]
    assert len(own) and own["self_mention"].all()
    assert not m.loc[m["outlet"] != TECHREPUBLIC, "self_mention"].any()
    table = entity_table(m, bundled.sentences, bundled.articles)
    assert table[(table["outlet"] == TECHREPUBLIC) & (table["entity"] == TECHREPUBLIC)].empty
    shares = table.groupby(["story", "outlet"])["share"].sum()
    assert shares.round(12).eq(1).all()
    voice = voice_table(m, bundled.articles)
    assert voice[(voice["outlet"] == TECHREPUBLIC) & (voice["entity"] == TECHREPUBLIC)].empty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["s", "t"]),
                          st.sampled_from(["Obama", "Barack Obama", "Mr. Obama", "Bush", "George W. Bush",
                                           "Jeb Bush", "U.S.", "GOP", "Twitter", "Donald J. Trump", "Trump"]),
                          st.sampled_from(["person", "organization", "place"]), st.integers(1, 5)),
                min_size=1, max_size=12, unique_by=lambda r: r[:3]))
def test_linking_is_a_function_of_the_inventory(rows):
    """Invariants: every link leaves a listed name, targets are names the corpus uses (or a
    built-in variant), every resulting entity has one label, and row order does not matter."""
    inventory = pd.DataFrame(rows, columns=INVENTORY)
    names = link_names(inventory)
    shuffled = link_names(inventory.sample(frac=1, random_state=1))
    assert names.links.sort_values(["story", "entity"]).values.tolist() == \
        shuffled.links.sort_values(["story", "entity"]).values.tolist()
    assert names.labels == shuffled.labels
    known = set(inventory["entity"]) | {v for v, _ in VARIANTS.values()}
    known |= {strip_titles(e) for e in inventory["entity"]}
    assert set(names.links["linked"]) <= known | {"Barack Obama", "George W. Bush", "Donald Trump"}
    assert (names.links["entity"] != names.links["linked"]).all()
    resulting = set(inventory["entity"]) - set(names.links["entity"]) | set(names.links["linked"])
    assert resulting <= set(names.labels)


def test_self_mentions_read_outlet_names_as_a_reader_does():
    outlets = pd.Series(["Fox News", "Fox News (Opinion)", "nytimes.com", "The Guardian", "TechRepublic"])
    entities = pd.Series(["Fox News", "Fox News", "NYTimes", "Guardian", "TechCrunch"])
    assert self_mentions(outlets, entities).tolist() == [True, True, True, True, False]


def test_a_store_links_names_as_a_plain_analysis_does(tmp_path, trump, ecb):
    """Linking happens when tables are built, over every article the store holds: ingesting the
    articles in two batches (the second story after the first) gives the plain analysis's mentions
    and entities, for the whole store and for one story, in SQL's fast path and in pandas."""
    from analysis import Selection, select
    from analysis.store import open_store

    articles = pd.concat([trump[0], ecb[0]], ignore_index=True)
    plain = analyse(articles)
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(trump[0], jobs=1)
    store.ingest(ecb[0], jobs=1)
    for selection in (Selection(), Selection(stories=["9b"]), Selection(stories=["trump"])):
        chosen = select(plain, selection)
        stored = store.analysis(selection)
        pd.testing.assert_frame_equal(stored.mentions, chosen.mentions, check_exact=False, rtol=1e-12)
        expected = entity_table(chosen.mentions, chosen.sentences, chosen.articles)
        got = store.entity_table(selection)
        pd.testing.assert_frame_equal(got.drop(columns=["polarity", "subjectivity", "first_seen", "tone"]),
                                      expected.drop(columns=["polarity", "subjectivity", "first_seen", "tone"]))
        pd.testing.assert_frame_equal(store.voice_table(selection), voice_table(chosen.mentions, chosen.articles))


def test_a_determiner_before_a_name_is_not_part_of_it():
    # ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0), topic 10a, first sentence of an article
    text = ("According to this L.A. Times story (which credits the team-owned flagship radio station), the Angels "
            "have made an eight-year offer to free agent first baseman Mark Teixeira.")
    articles = pd.DataFrame([{"article_id": article_id(text), "outlet": "X", "title": "", "published": "", "url": "",
                              "author": "", "story": "s", "text": text, "source": "t"}], columns=ARTICLE_FIELDS)
    entities = set(analyse(articles.astype(str)).mentions["entity"])
    assert "L.A. Times" in entities and not any(e.lower().startswith(("this ", "the ")) for e in entities)


def test_a_state_abbreviation_is_its_state(ecb):
    # "... a rehab facility in Malibu, Calif., Access Hollywood has confirmed" (ECB+, tests/data/names)
    articles, analysis = ecb
    assert "Calif" in " ".join(articles["text"]) and "Calif" not in set(analysis.mentions["entity"])
    assert "California" in set(analysis.mentions["entity"])
    linked = link_names(pd.DataFrame([("s", "N.J.", "place", 2), ("s", "Miss", "person", 1)], columns=INVENTORY))
    assert dict(zip(linked.links["entity"], linked.links["linked"], strict=True)) == {"N.J.": "New Jersey"}
def test_the_names_bench_splits_topics_and_prints_each_miss_with_its_kind():
    """``python -m bench.names`` on the 23-article fixture (topics 1, 9, 25: all odd), every miss printed
    with its kind: "Lindsay Lohan" only in a title-case headline of 1_4ecbplus, "George W. Bush" written
    "George Bush" in 9_5ecbplus (the middle initial goes)."""
    data = str(NAMES / "ecbplus.jsonl")
    run = subprocess.run([sys.executable, "-m", "bench.names", "--data", data, "--topics", "odd", "--misses"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "(topics: odd, 23 articles)" in run.stdout
    figures = dict(line.split(": ", 1) for line in run.stdout.splitlines() if ": " in line and "\t" not in line)
    misses = [line.split("\t")[1:4] for line in run.stdout.splitlines() if line.startswith("miss\t")]
    assert len(misses) == int(figures["people named first and last"]) - int(figures["under that full name"])
    assert ["not found", "1_4ecbplus.xml", "Lindsay Lohan"] in misses
    assert ["other full form", "9_5ecbplus.xml", "George W. Bush"] in misses
    even = subprocess.run([sys.executable, "-m", "bench.names", "--data", data, "--topics", "even"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert even.returncode == 0 and "(topics: even, 0 articles)" in even.stdout
