"""Quotations and their speakers: seed facts, the stories fixture, edge cases, and facts from the
labelled real articles of ``tests/data/quotes`` (ECB+, CC BY 3.0: see its README)."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline import analyse
from analysis.quotes import CONFIDENCE, MIN_CONFIDENCE, extract_quotes
from analysis.schema import QUOTES
from bench.quotes_confidence import ALSO_ON, CHOOSE_ON, HONEST_REV, choose, honest_scores, levels
from bench.quotes_eval import PRONOUNS, load_labelled, names_speaker, score, summary
from tests.data.stories import seeds
from tests.helpers import ROOT


def read_all(*args, **kwargs):
    """Every speaker the reader finds, whatever its confidence (the default cut-off empties some)."""
    return extract_quotes(*args, min_confidence="weak", **kwargs)


@pytest.fixture(scope="module")
def seed_quotes():
    return read_all(seeds.seed_sentences())


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
    q = read_all(s, mentions=mentions)
    row = q[q["quote"] == "the first AI supercomputer."].iloc[0]
    assert (row["speaker"], row["entity"]) == ("Nadella", "Satya Nadella")


def test_the_person_in_the_speaker_wins_whatever_the_table_order():
    # "Microsoft CEO Satya Nadella said": mentions of Nadella (later) listed before Microsoft, and one
    # in another article at the same offsets. Without labels the last mention in the phrase (its head)
    # gives the entity; labelled a person, Nadella is the speaker as well.
    text = "“We will build the first AI supercomputer,” Microsoft CEO Satya Nadella said."
    s = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "story": "", "position": 0,
                      "paragraph": 0, "start": 0, "text": [text, text]})
    at = text.index("Microsoft")
    mentions = pd.DataFrame({"article_id": ["a", "a", "b"], "entity": ["Satya Nadella", "Microsoft", "Azure"],
                             "start": [at + 14, at, at], "end": [at + 27, at + 9, at + 9]})
    q = read_all(s, mentions=mentions)
    assert q[["article_id", "speaker", "entity"]].values.tolist() == [
        ["a", "Microsoft CEO Satya Nadella", "Satya Nadella"], ["b", "Microsoft CEO Satya Nadella", "Azure"]]
    q = read_all(s, mentions=mentions.assign(label=["person", "organization", "product"]))
    assert q[["article_id", "speaker", "entity"]].values.tolist() == [
        ["a", "Satya Nadella", "Satya Nadella"], ["b", "Microsoft CEO Satya Nadella", "Azure"]]


def test_stories_fixture_roles_names_and_next_paragraph(seed_quotes):
    q = read_all(seeds.story_sentences())
    assert q[["outlet", "speaker", "quote"]].values.tolist() == [
        ["Herald", "Ken Obi", "Regulators have to test batteries before products reach the shelves"],
        ["Herald", "Ken Obi", "This was entirely preventable."],
        ["Daily Planet", "Dana Ortiz", "Safety is our first priority and we are sorry for the trouble"],
        ["Daily Planet", "Dana Ortiz", "We will replace every affected battery."],
    ]
    assert set(q["story"]) == {"Brightway recall"}


def test_straight_quotes_and_inverted_attribution():
    q = read_all(one_paragraph('"We are not worried about Google at all," said Jane Smith.'))
    assert q[["speaker", "entity", "quote"]].values.tolist() == [
        ["Jane Smith", "Jane Smith", "We are not worried about Google at all"]]


def test_quote_spanning_sentences_and_unknown_speaker():
    q = read_all(one_paragraph("“This is the first part.", "And this is the second part,” she said.",
                                     "“Nobody claimed this one at all.”", paragraphs=[0, 0, 3]))
    assert q["quote"].tolist()[0] == "This is the first part. And this is the second part"
    assert q["sentence"].tolist() == [0, 2]
    assert q["speaker"].tolist() == ["", ""]  # a pronoun with nobody named before is nobody, never "she"


def test_only_the_next_paragraph_continues_a_speaker():
    q = read_all(one_paragraph("“We will ship it next year,” Ann Lee said.",
                                     "“A later quote with no attribution.”", paragraphs=[0, 1]))
    assert q["speaker"].tolist() == ["Ann Lee", "Ann Lee"]
    q = read_all(one_paragraph("“We will ship it next year,” Ann Lee said.", "Unrelated text here.",
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
    q = read_all(bundled.sentences, mentions=bundled.mentions)
    spokesperson = q[q["speaker"] == "Microsoft spokesperson"]
    assert len(spokesperson) == 2 and set(spokesperson["entity"]) == {"Microsoft"}
    nadella = q[q["quote"] == "the first AI supercomputer."].iloc[0]
    assert nadella["entity"] == "Satya Nadella"  # the pipeline resolved "Nadella" within the article
    # the strong cut-off keeps the spokesperson the verb names and empties the quote that goes on from
    # it (medium)
    shipped = extract_quotes(bundled.sentences, mentions=bundled.mentions, min_confidence="strong")
    kept = shipped[shipped["speaker"] == "Microsoft spokesperson"]
    assert len(kept) == 1 and kept["confidence"].tolist() == ["strong"]
    continued = shipped["quote"].isin(spokesperson["quote"])
    assert shipped.loc[continued, "speaker"].tolist() == ["Microsoft spokesperson", ""]


# Real articles of the labelled set (all from its dev half), analysed once.
DEV_FACTS = ["3_8ecb.xml", "5_6ecbplus.xml", "9_5ecb.xml", "11_2ecb.xml", "19_6ecb.xml", "21_3ecbplus.xml",
             "33_7ecbplus.xml", "35_2ecb.xml"]


@pytest.fixture(scope="module")
def labelled():
    articles, labels = load_labelled()
    analysis = analyse(articles)
    return extract_quotes(analysis.sentences, mentions=analysis.mentions, min_confidence="weak"), labels


def said(quotes, doc, opening):
    """(speaker, entity) of the quote of article ``doc`` that starts with ``opening``."""
    rows = quotes[(quotes["article_id"] == doc) & quotes["quote"].str.strip().str.startswith(opening)]
    assert len(rows) == 1, (doc, opening, rows)
    return rows.iloc[0]["speaker"], rows.iloc[0]["entity"]


def test_labelled_set_is_real_text_split_by_article():
    articles, labels = load_labelled()
    assert len(labels) >= 150 and (labels["speaker"] != "").sum() >= 150
    assert set(labels["doc"]) == set(articles["article_id"])
    assert labels.groupby("doc")["split"].nunique().max() == 1  # an article is in one half only
    assert set(DEV_FACTS) <= set(labels.loc[labels["split"] == "dev", "doc"])
    docs = labels.groupby("split")["doc"].nunique()
    assert docs.to_dict() == {"dev": 20, "dev2": 20, "dev3": 25, "dev4": 24, "heldout4": 26}
    for split in ("dev3", "dev4", "heldout4"):  # the drawn sets: at least 100 spans, 100 with a speaker
        drawn = labels[labels["split"] == split]
        assert len(drawn) >= 100 and (drawn["speaker"] != "").sum() >= 100
    text = dict(zip(articles["article_id"], articles["text"], strict=True))
    for row in labels.itertuples():  # every span is in its article, as labelled
        assert row.quote in text[row.doc][row.start : row.end]


def test_speech_verb_after_the_quote_with_apposition_and_age(labelled):
    q, _ = labelled
    # "“I will not bring dishonor …,” Nichols, 37, told the court."
    assert said(q, "3_8ecb.xml", "I will not bring dishonor") == ("Nichols", "Brian Nichols")
    # "“I'm giving you the maximum …,” Superior Court Judge James Bodiford said" and the quote after it
    assert said(q, "3_8ecb.xml", "I'm giving you the maximum")[0] == "James Bodiford"
    assert said(q, "3_8ecb.xml", "If I could give you more")[0] == "James Bodiford"
    # "… said her nephew, Ravi Singh, 32, of Coney Island." / "said Biancardi's attorney, James Zeszutek."
    assert said(q, "21_3ecbplus.xml", "We are really just shocked") == ("Ravi Singh", "Ravi Singh")
    assert said(q, "5_6ecbplus.xml", "We deny that we engaged")[0] == "James Zeszutek"


def test_speech_verb_before_the_quote(labelled):
    q, _ = labelled
    # "Nichols said: “I know that …”"
    assert said(q, "3_8ecb.xml", "I know that the things")[1] == "Brian Nichols"
    # "Pensioner Bayram-aga, a voter in Ashgabat, said:" closes the paragraph before the quote
    assert said(q, "11_2ecb.xml", "I remember the elections")[0].endswith("Bayram-aga")
    # "Andrew Wetzler, director of the … program, commented," then the quote, over three paragraphs
    speaker, _ = said(q, "9_5ecb.xml", "This administration has rejected")
    assert speaker == "Andrew Wetzler"
    quote = q[q["quote"].str.startswith("This administration has rejected")].iloc[0]["quote"]
    assert quote.endswith("but I think we will see them in court.")


def test_pronoun_is_the_person_last_named_never_he(labelled):
    q, _ = labelled
    # "“It has been revised …,” he said." after "… Kempthorne said."
    assert said(q, "9_5ecb.xml", "It has been revised") == ("Dirk A. Kempthorne", "Dirk A. Kempthorne")
    # "Athletic director Gene Smith, who replaced Andy Geiger a month ago, said …" then "“…,” he said":
    # a name in the relative clause is not whom "he" means
    assert said(q, "5_6ecbplus.xml", "What you see before you")[0] == "Gene Smith"
    # "Justice Vincent DelGiudice made clear …" then "“The man is petrified,” he said."
    assert said(q, "33_7ecbplus.xml", "The man is petrified")[0] == "Vincent DelGiudice"
    assert not q["speaker"].str.lower().isin(PRONOUNS).any()


def test_role_noun_repeats_the_unnamed_speaker(labelled):
    q, _ = labelled
    # "said a Western diplomat, who requested anonymity." … "“…,” the diplomat added."
    assert said(q, "11_2ecb.xml", "The facade has changed")[0] == "Western diplomat"
    assert said(q, "11_2ecb.xml", "Power rests entirely with the president")[0] == "Western diplomat"


def test_document_is_its_author(labelled):
    q, _ = labelled
    # "The NFL's substance-abuse policy states: “…”"
    assert said(q, "35_2ecb.xml", "Discipline for a second")[1] == "NFL"
    # "General Manager A.J. Smith issued the following statement on Jackson's arrest:" then the quote
    assert said(q, "35_2ecb.xml", "We're aware of the off-the-field issue")[0] == "A.J. Smith"


def test_empty_rather_than_guess(labelled):
    q, _ = labelled
    # "“Don't bend your head down,” they chanted": a crowd is nobody
    assert said(q, "19_6ecb.xml", "Don't bend your head down") == ("", "")
    # "Armstead, 32, testified that after she overheard someone say “he has a gun,” …"
    assert said(q, "33_7ecbplus.xml", "he has a gun") == ("", "")


def test_another_speaker_between_leaves_the_quote_unattributed(labelled):
    q, _ = labelled
    # Valentina Redzhepova is quoted, then "25-year-old Guzel said she had come …" (spaCy sees no person
    # in Guzel), then "“I voted for our fellow village resident. …,” she said": not Redzhepova's words
    assert said(q, "11_2ecb.xml", "I voted for our fellow village resident") == ("", "")
    # Deng is quoted, then "Al - Sawarmi Khalid, spokesman for Sudan's armed forces, said …", then "“…,” he said"
    assert said(q, "41_5ecbplus.xml", "South Sudan is a state") == ("", "")
    # Giannis Panagopoulos is quoted, then "A government official downplayed the unrest saying that “…”":
    # the sentence has a speech verb of its own, so the union leader does not go on
    assert said(q, "8_2ecbplus.xml", "for years there's been strikes")[0] != "Giannis Panagopoulos"
    # but a quote that goes on with nobody else between keeps its speaker: "Reid, who has launched a new
    # fashion line called Mantra in September, opened up …" ("called Mantra" names no speaker)
    assert said(q, "1_14ecb.xml", "My picture is taken only")[1] == "Tara Reid"
    assert said(q, "1_14ecb.xml", "Trust me, my body is tired")[1] == "Tara Reid"


def test_organisation_pronoun_and_role_skip_whom_it_was_told(labelled):
    q, _ = labelled
    # "Though the newspaper doesn't cite its source, it stated that the offer is “…”" after "The Boston
    # Herald reported … the Red Sox have extended an offer": "it" is not the Red Sox
    assert said(q, "10_1ecbplus.xml", "believed to be for at least eight years")[0] != "Red Sox"
    # "… he told The Associated Press" then "“This is a sad day for the Kraft Foods family,” the company said"
    assert said(q, "22_2ecbplus.xml", "This is a sad day")[0] != "Associated Press"


def test_subject_of_the_attribution_and_two_speakers(labelled):
    q, _ = labelled
    # "DeGeneres made the announcement on Twitter on Friday and said: “It's official: …”" (spaCy: Twitter a person)
    assert said(q, "2_9ecbplus.xml", "It's official")[1] == "Ellen DeGeneres"
    # "Academy Award producers Craig Zadan and Neil Meron said in a statement: “…”"
    assert said(q, "2_9ecbplus.xml", "We are thrilled to have") == ("Craig Zadan and Neil Meron", "")
    # "Woodward wrote in “Secret Man: The Story of Watergate's Deep Throat” (2006)": a title, nobody's words
    assert said(q, "28_1ecb.xml", "Secret Man") == ("", "")


def test_precision_on_the_labelled_set(labelled):
    q, labels = labelled
    table = summary(score(q, labels)).set_index("split")
    assert table.loc["all", "pronoun speakers"] == 0
    # the bar of issue #18 on the 65 development articles (measured: bench/quotes_eval.py)
    assert table.loc["development", "precision"] >= 0.9


def test_third_round_facts_from_the_development_articles(labelled):
    q, _ = labelled
    # "An amateur photographer named Jerry Tibbs admired … and asked her to pose." then "Looking back on
    # the career that followed, she told Playboy in 1998:": "her" is someone else, so "she" is not Tibbs
    for opening in ("I never thought it was shameful", "God approves of nudity", "I thought my arms and legs"):
        assert said(q, "4_4ecb.xml", opening) == ("", "")
    # "… a letter of apology that he is said to have written to the girl's mother that reads, “…”":
    # a passive verb, and a letter whose author is not the last speaker (Lynch)
    assert said(q, "33_5ecb.xml", "I am so sorry that the gun") == ("", "")
    # "“…,” the Rev. Larry Kroon of the Wasilla Bible Church told CNN": Kroon, not the church
    assert said(q, "13_21ecb.xml", "We have no idea what caused it")[0] == "Larry Kroon"
    # "“She returned like a grim reaper,” says ADA Fairman, “and she only shot …”": the office is not
    # the name, and the second half of the split quote is hers too
    assert said(q, "22_6ecbplus.xml", "She returned like a grim reaper")[0] == "Fairman"
    assert said(q, "22_6ecbplus.xml", "and she only shot the ones")[0] == "Fairman"
    # "INS Mysore, which will resume its patrolling duties": a ship, never what "he said" means
    assert said(q, "12_5ecb.xml", "Seeing the Marcos") == ("", "")
    # "“… said the company in a statement." / "wrote McAfee security expert Rahul Mohandas on the company
    # blog": where it was said is not who said it
    assert said(q, "27_1ecb.xml", "Microsoft has released a security update")[1] == "Microsoft"
    assert said(q, "27_1ecb.xml", "We are seeing customised versions")[0] == "Rahul Mohandas"
    # "A statement from Waitrose said: “… cause." / "No-one has been injured." / "“The store will be rebuilt …":
    # a quote left open runs on through the paragraph with no quote marks, and its speaker goes on
    assert said(q, "14_7ecb.xml", "The store will be rebuilt")[0] == "Waitrose"
    # "DeGeneres herself announced the news … on Twitter, writing, “It's official: …”"
    assert said(q, "2_4ecbplus.xml", "It's official")[1] == "Ellen DeGeneres"
    # "“That's tough,” quarterback Drew Brees said …": too short to list, but the next quote goes on with him
    assert said(q, "25_11ecbplus.xml", "You can't deny that")[1] == "Drew Brees"
    # "… Coach Sean Payton said of the injuries (via Jeff Duncan of the Times - Picayune).": whom it came
    # through is no other speaker
    assert said(q, "25_8ecbplus.xml", "We've gone through this before")[0].endswith("Payton")
    # "Mr Gaskin urged people not to go into situations unprepared." then the quote's own paragraph
    assert said(q, "23_8ecbplus.xml", "This is an extremely dangerous area")[0].endswith("Gaskin")


def test_confidence_says_how_the_speaker_was_read(labelled):
    q, _ = labelled
    # "“I will not bring dishonor …,” Nichols, 37, told the court.": a speech verb beside the quote
    assert q.loc[q["quote"].str.startswith("I will not bring dishonor"), "confidence"].tolist() == ["strong"]
    # "“It has been revised …,” he said." after "… Kempthorne said.": a pronoun resolved to a name
    assert q.loc[q["quote"].str.startswith("It has been revised"), "confidence"].tolist() == ["medium"]
    # "“If I could give you more, I would.”" after Judge Bodiford's attributed quote: the speaker goes on
    assert said(q, "3_8ecb.xml", "If I could give you more")[0] == "James Bodiford"
    assert q.loc[q["quote"].str.startswith("If I could give you more"), "confidence"].tolist() == ["medium"]
    assert ((q["speaker"] == "") == (q["confidence"] == "")).all()
    assert set(q["confidence"]) <= {"", *CONFIDENCE}


def test_fourth_round_facts_from_dev4(labelled):
    q, _ = labelled
    # "“…,” said the 29-year-old on the eve of …" after "U.S. Masters champion Trevor Immelman has become …"
    assert said(q, "25_9ecb.xml", "I actually have goosebumps")[0] == "Trevor Immelman"
    # "In a statement, the 55 - year - old said:" after "Capaldi - a long - time fan of the show - revealed"
    assert said(q, "39_10ecbplus.xml", "Being asked to play The Doctor")[0] == "Peter Capaldi"
    # "“…,” the Secretary-General said." after "United Nations Secretary-General Ban Ki-moon …"
    assert said(q, "41_5ecb.xml", "The location of all UN facilities")[0] == "Ban Ki-moon"
    # "“…,” the company said": Microsoft, not the product spaCy cut from "Internet Explorer 8"
    assert said(q, "27_4ecbplus.xml", "On completion of this investigation") == ("Microsoft", "Microsoft")
    # "said an editorial in the conservative daily Eleftheros Typos": the daily's words
    assert said(q, "19_14ecb.xml", "For four days, Greece")[0] == "Eleftheros Typos"
    # "according to a statement from the Indian government" … "the Indian statement said" … "The
    # statement said": the government, never the adjective
    assert said(q, "12_4ecb.xml", "a substantial cache of arms")[0] == "Indian government"
    assert said(q, "12_4ecb.xml", "handed over to appropriate")[0] == "Indian government"
    # "Mr. Magruder wrote in his 1974 book, “An American Life: One Man's Road to Watergate.”": a title
    assert said(q, "28_3ecbplus.xml", "An American Life") == ("", "")
    # "“contrary to principles …” …, the report said", the report last named as "The NCAA report", not
    # the one inside Karen Holbrook's quote ("“The allegations set forth in this report …”")
    assert said(q, "5_6ecbplus.xml", "contrary to principles")[0] == "NCAA"
    # "was “deliberately seeking out these individuals, ” according to Troy police Lt. Gerry Scherlinck."
    assert said(q, "18_1ecbplus.xml", "deliberately seeking out")[0] == "Gerry Scherlinck"
    # "Jenna Coleman revealed that she is “so excited” to welcome …, adding: “With Steven's writing …"
    assert said(q, "39_10ecbplus.xml", "With Steven's writing")[0] == "Jenna Coleman"


def test_the_cut_off_is_the_one_the_script_chooses():
    # bench/quotes_confidence.py: dev4 scored with the code it was held out from (HONEST_REV, from git)
    # pooled with heldout4 scored with this checkout's code
    if subprocess.run(["git", "cat-file", "-e", f"{HONEST_REV}^{{commit}}"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip(f"git revision {HONEST_REV} not in this checkout")
    articles, labels = load_labelled()
    labels = labels[labels["split"].isin([CHOOSE_ON, ALSO_ON])]
    analysis = analyse(articles[articles["article_id"].isin(set(labels["doc"]))])
    table = levels(honest_scores(analysis, labels))
    # 99 and 68 before a person's bare surname counted as a mention (issue 19): one more of each on heldout4
    assert table.set_index("level")["given"].to_dict() == {"strong": 100, "medium": 69, "weak": 4}
    assert choose(table) == MIN_CONFIDENCE == "weak"


def test_the_cut_off_rule_keeps_levels_while_all_kept_speakers_reach_the_bar():
    table = pd.DataFrame({"level": ["strong", "medium", "weak"], "given": [100, 40, 30],
                          "right": [99, 37, 20], "precision": [0.99, 0.925, 0.667]})
    assert choose(table) == "weak"  # 156 of 170 kept (0.918), though weak alone is 20 of 30
    table.loc[2, ["given", "right"]] = [30, 10]  # 146 of 170 (0.859): weak goes, medium keeps 136 of 140
    assert choose(table) == "medium"
    table.loc[1, ["given", "right"]] = [40, 20]  # medium takes all kept under the bar: weak is not looked at
    table.loc[2, ["given", "right"]] = [30, 30]
    assert choose(table) == "strong"
    table.loc[0, ["given", "right"]] = [10, 8]  # nothing reaches the bar: the strongest level still
    assert choose(table) == "strong"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["“We will ship it next year,” ", "he said. ", "she added, ", "Ann Lee said: ",
                                 "the spokesman said. ", "“Nobody knows who says this.” ", "according to Bo Ek, ",
                                 "it said. ", "Acme Corp said. ", "\"A straight quote here.\" "]),
                min_size=1, max_size=8))
def test_a_higher_cut_off_only_empties_speakers(parts):
    s = one_paragraph(*parts)
    by_level = {level: extract_quotes(s, min_confidence=level) for level in CONFIDENCE}
    for lower, higher in zip(CONFIDENCE, CONFIDENCE[1:], strict=False):
        a, b = by_level[lower], by_level[higher]
        assert a["quote"].tolist() == b["quote"].tolist()
        kept, cols = b["speaker"] != "", ["speaker", "entity", "confidence"]
        assert (a.loc[kept, cols] == b.loc[kept, cols]).all().all()
        assert (b.loc[kept, "confidence"].map(CONFIDENCE.index) >= CONFIDENCE.index(higher)).all()


def test_names_speaker_reads_names_as_a_reader_does():
    assert names_speaker("Kempthorne", "Dirk A. Kempthorne")
    assert names_speaker("Interior Secretary Dirk A. Kempthorne", "Dirk A. Kempthorne")
    assert names_speaker("Insp Gaskin", "Dave Gaskin")
    assert names_speaker("Al - Sawarmi Khalid", "Al-Sawarmi Khalid")
    assert not names_speaker("Andy Geiger", "Gene Smith")
    assert not names_speaker("Smith", "Gene Smith Jr")
    assert not names_speaker("", "Gene Smith") and not names_speaker("he", "Gene Smith")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["“We will ship it next year,” ", "he said. ", "she added, ", "they chanted. ",
                                 "Ann Lee said: ", "the spokesman said. ", "“Nobody knows who says this.” ",
                                 "according to the report, ", "it said. ", "\"A straight quote here.\" "]),
                min_size=1, max_size=8))
def test_a_pronoun_is_never_a_speaker_and_speakers_come_from_the_text(parts):
    s = one_paragraph(*parts)
    q = read_all(s)
    joined = " ".join(parts)
    assert not q["speaker"].str.lower().isin(PRONOUNS).any()
    for speaker in q["speaker"]:
        assert speaker == "" or all(word in joined for word in speaker.split())


def test_a_quote_over_paragraphs_takes_the_speaker_of_its_end():
    # News style: the first paragraph's quote is left open, the next opens again and is attributed.
    q = read_all(one_paragraph("“We did not see this coming at all.",
                                     "“Nobody did, and we are sorry,” Ann Lee said.", paragraphs=[0, 1]))
    assert q["speaker"].tolist() == ["Ann Lee", "Ann Lee"]
    # One sentence a paragraph: the quote closes in a later paragraph, where the attribution is.
    q = read_all(one_paragraph('"We did not see this coming at all.',
                                     'Nobody did, and we are sorry," Ann Lee said.', paragraphs=[0, 1]))
    assert q[["speaker", "quote"]].values.tolist() == [
        ["Ann Lee", "We did not see this coming at all. Nobody did, and we are sorry"]]


def test_mixed_quote_marks_keep_the_attribution_outside():
    q = read_all(one_paragraph('"Hide, she has got a gun right here!” Frank Vanore said.'))
    assert q[["speaker", "quote"]].values.tolist() == [["Frank Vanore", "Hide, she has got a gun right here!"]]


# Excerpts of ECB+ articles outside the labelled set (CC BY 3.0, credit in tests/data/quotes/README.md),
# where the rules were checked by reading, not scored: 36_3ecb, 44_2ecbplus, 36_7ecbplus, 14_4ecb,
# 1_12ecbplus. Each is analysed as a one-article corpus.
EXCERPTS = {
    "36_3ecb": "B.C. Attorney General Wally Oppal confirmed that Winston Blackmore and James Oler were arrested "
    "Wednesday.\n\nOppal said Blackmore is alleged to be married to 20 women, while Oler is accused of "
    "committing polygamy by being married to two women.\n\n“This has been a very complex issue,” he told "
    "The Canadian Press.",
    "44_2ecbplus": "Peter Gross, chief executive officer of EYP MCF, said, “ Worldwide data center requirements "
    "are rapidly growing, with significant year - over - year increases in power consumption. ”",
    "36_7ecbplus": "Jerry Strickland, a spokesman for Texas Attorney General Greg Abbott told TIME: \"Whenever "
    "Warren Jeffs is brought to Texas, we stand ready to try him on felony charges returned by a Schleicher "
    "County grand jury. \"",
    "1_12ecbplus": "Prosecutor Terry White told The Post a couple hours after a court hearing — where Lohan’s "
    "lawyer Mark Heller said she was “ ensconced in the bosom ” of Morningside Recovery in Newport Beach — “ I "
    "hear she’s on her way to LAX and getting on a flight back to New York. ”",
}


@pytest.fixture(scope="module")
def excerpt_quotes():
    from analysis.schema import ARTICLE_FIELDS

    articles = pd.DataFrame(
        [{"article_id": doc, "outlet": "ECB+", "title": "", "published": "", "url": "", "author": "",
          "story": doc, "text": text, "source": doc} for doc, text in EXCERPTS.items()],
        columns=ARTICLE_FIELDS,
    )
    analysis = analyse(articles)
    return read_all(analysis.sentences, mentions=analysis.mentions)


def test_pronoun_after_a_sentence_naming_several_people_is_who_speaks_in_it(excerpt_quotes):
    assert said(excerpt_quotes, "36_3ecb", "This has been a very complex issue")[0].endswith("Oppal")  # not Oler


def test_the_person_before_a_description_speaks_not_the_one_in_it(excerpt_quotes):
    assert said(excerpt_quotes, "44_2ecbplus", "Worldwide data center")[0] == "Peter Gross"
    assert said(excerpt_quotes, "36_7ecbplus", "Whenever Warren Jeffs")[0] == "Jerry Strickland"


def test_a_dash_aside_attributes_its_own_quote_only(excerpt_quotes):
    assert said(excerpt_quotes, "1_12ecbplus", "ensconced in the bosom")[0] == "Mark Heller"
    assert said(excerpt_quotes, "1_12ecbplus", "I hear she’s on her way")[0] == "Terry White"
