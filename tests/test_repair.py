"""Text repair: the glued boundaries of the seeds, names that must stay whole, invariants."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.aliases import read_aliases
from analysis.extract import extract
from analysis.repair import Repaired, repair_text, unrepair

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
GAZETTEER = ("OpenAI", "Microsoft", "Azure")


def _body(name: str) -> str:
    """The article text after the YAML front matter."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return text.split("\n---\n", 1)[1]


@pytest.fixture(scope="module")
def techcrunch() -> str:
    return _body("000_56d9c1bdf34d459d.md")


@pytest.fixture(scope="module")
def techrepublic() -> str:
    return _body("001_f06b2c8179a67bac.md")


# Every glued token of the TechCrunch seed, as found by reading it, and its repair.
# Hand count of inserted spaces: 2+1+1+4+1+1+2+4+2+1+1 = 20, of which two
# (Microsoft|Research and Microsoft|Azure) need the gazetteer.
TECHCRUNCH_GLUE = [
    ("intelligenceresearchnon-profit", "intelligence research non-profit", 2),
    ("othertech", "other tech", 1),
    ("rebrandedCognitive", "rebranded Cognitive", 1),
    ("partnership,MicrosoftandOpenAIwill", "partnership, Microsoft and OpenAI will", 4),
    ("democratizeAI", "democratize AI", 1),
    ("MicrosoftResearch", "Microsoft Research", 1),
    ("atOpenAIto", "at OpenAI to", 2),
    ("ofAIandOpenAIwill", "of AI and OpenAI will", 4),
    ("useMicrosoftAzure", "use Microsoft Azure", 2),
    ("andMicrosoft‘s", "and Microsoft‘s", 1),
    ("asMicrosoft’s", "as Microsoft’s", 1),
]


def test_seed_glue_is_really_in_the_techcrunch_text(techcrunch: str) -> None:
    for glued, _, _ in TECHCRUNCH_GLUE:
        assert glued in techcrunch


def test_techcrunch_gets_exactly_the_listed_repairs(techcrunch: str) -> None:
    r = repair_text(techcrunch, protected=GAZETTEER)
    assert r.repairs == 20
    expected = techcrunch
    for glued, fixed, spaces in TECHCRUNCH_GLUE:
        assert fixed.count(" ") - glued.count(" ") == spaces
        expected = expected.replace(glued, fixed)
    assert r.text == expected
    assert unrepair(r.text, r.inserted) == techcrunch


def test_techcrunch_without_gazetteer_leaves_only_capital_capital_glue(techcrunch: str) -> None:
    r = repair_text(techcrunch)
    # MicrosoftResearch and Microsoft|Azure look like brands (DeepMind) without the gazetteer.
    assert r.repairs == 18
    assert "“MicrosoftResearch researchers" in r.text
    assert "will use MicrosoftAzure and Microsoft‘s" in r.text
    assert "partnership, Microsoft and OpenAI will advance" in r.text
    assert "the state of AI and OpenAI will use" in r.text


def test_techrepublic_needs_no_repair(techrepublic: str) -> None:
    assert repair_text(techrepublic).repairs == 0
    assert repair_text(techrepublic, protected=GAZETTEER).repairs == 0


@pytest.mark.parametrize("glued, fixed, spaces", TECHCRUNCH_GLUE)
def test_each_glued_token_alone(glued: str, fixed: str, spaces: int) -> None:
    r = repair_text(f"The {glued} here.", protected=GAZETTEER)
    assert r.text == f"The {fixed} here."
    assert r.repairs == spaces


MUST_STAY = [
    "OpenAI", "TechCrunch", "TechRepublic", "iPhone", "GitHub", "YouTube", "PayPal", "LinkedIn",
    "McDonald", "McDonald's", "eBay", "DeepMind", "PowerPoint", "JavaScript", "Nadella",
    "Sutskever", "Brockman", "N-Series", "non-profit", "nonprofit", "infrastructure",
    "supercomputer", "democratizing", "co-founded", "macOS", "iOS", "mySQL", "VMware", "IDs",
    "CEOs", "SQLite", "PhD", "XMLHttpRequest", "WhatsApp", "Weston", "Benton", "onto",
    "another", "thesis", "doesn’t", "weren't", "O’Reilly", "U.S.", "e.g.", "i.e.", "1,000",
    "3.5", "GPT-4", "https://techcrunch.com/2016/11/15/microsoft-teams-up-with-openai/",
    "www.example.com/fooBar", "editor@techcrunch.com", "@OpenAI", "#MicrosoftAI",
    "getElementById()", "a,b", "theiPhone", "spaCy", "HTTPProxy", "XMLParse", "shellingham",
    "redis", "storage,s3,azure", "endDoctypeDeclHandler",
]


@pytest.mark.parametrize("word", MUST_STAY)
@pytest.mark.parametrize("protected", [(), GAZETTEER + ("TechCrunch", "iPhone")])
def test_names_and_words_stay_whole(word: str, protected: tuple[str, ...]) -> None:
    text = f"Yes, {word} and more."
    if word == "theiPhone" and "iPhone" in protected:
        assert repair_text(text, protected=protected).text == "Yes, the iPhone and more."
        return
    assert repair_text(text, protected=protected).text == text


def test_protected_names_split_out_but_never_split() -> None:
    r = repair_text("SatyaNadella said theMicrosoftCEO", protected=["Satya Nadella", "Microsoft"])
    assert r.text == "Satya Nadella said the Microsoft CEO"
    assert repair_text("TechCrunch", protected=["Tech"]).text == "TechCrunch"  # a known brand
    assert repair_text("TechCrunchand", protected=["TechCrunch"]).text == "TechCrunch and"


# Clean news that the gazetteer's words used to cut, quoted from NewsMTSC (MIT; credit in
# tests/data/tone/README.md) and ECB+ (CC BY; credit in tests/data/ecbplus/README.md): a word of a
# longer name (Trump of Donald Trump, Sam of Sam Altman, Open of Open AI, AI of Partnership on AI)
# is split out only next to another name, and an all-capitals word is never cut.
CLEAN_NEWS = [
    "to have a prayer of passing Trumpcare, has postponed the vote for the week or two",  # NewsMTSC
    "this story and lede looked potentially quite damaging for Trumpworld: SCOOP: Turns out",  # NewsMTSC
    "Mathematics Samera Esmeir, Associate Professor, Rhetoric",  # NewsMTSC
    "CIGAINERO: Sedated in his hospital bed, Theo mumbled an appeal for peace",  # NewsMTSC
    "During his keynote at Oracle OpenWorld, HP CEO Mark Hurd gave his views",  # ECB+
    "Altogether the TAIEX rose 31.36 points yesterday to close at 6,390.99.",  # ECB+
]


@pytest.mark.parametrize("text", CLEAN_NEWS)
def test_clean_news_keeps_names_whole(text: str) -> None:
    assert repair_text(text, protected=read_aliases().names).repairs == 0


def test_name_words_split_out_next_to_another_name() -> None:
    names = read_aliases().names
    assert repair_text("SamAltman and DonaldTrump", protected=names).text == "Sam Altman and Donald Trump"
    assert repair_text("useMicrosoftAzure", protected=names).text == "use Microsoft Azure"


def test_a_glued_name_word_makes_no_mention() -> None:
    """Main used to read "Trump" out of Trumpcare and "Open World" out of OpenWorld."""
    text = CLEAN_NEWS[0] + ".\n\n" + CLEAN_NEWS[4] + "."
    found = extract(pd.DataFrame([{"article_id": "a", "title": "", "text": text}]), aliases=read_aliases())
    texts = set(found.mentions["text"])
    assert "Trumpcare" in texts and any("OpenWorld" in t for t in texts)
    assert not any(e in {"Trump", "Donald Trump"} or "Open World" in e for e in found.mentions["entity"])


def test_lowercase_glue_only_into_common_words() -> None:
    assert repair_text("numerous othertech luminaries").text == "numerous other tech luminaries"
    assert repair_text("ofthe best, inthe news").text == "of the best, in the news"
    assert repair_text("Washingtonand Boston").text == "Washington and Boston"
    assert repair_text("qzxv wibblefrob").repairs == 0


def test_unrepair_rejects_indices_that_are_not_spaces() -> None:
    with pytest.raises(ValueError):
        unrepair("abc", [1])
    with pytest.raises(ValueError):
        unrepair("abc", [7])
    assert unrepair("a b", []) == "a b"


def test_repaired_is_a_frozen_value() -> None:
    r = repair_text("othertech")
    assert r == Repaired("other tech", (5,))
    with pytest.raises(AttributeError):
        r.text = "x"  # type: ignore[misc]


# --- invariants ---------------------------------------------------------------------------

_glue = st.sampled_from(
    [w for w, _, _ in TECHCRUNCH_GLUE] + MUST_STAY + ["AIis", "theMicrosoft", ",", "ǅ", "İ", "ß"]
)
_texts = st.one_of(
    st.text(),
    st.lists(st.one_of(_glue, st.text(max_size=8)), max_size=12).map("".join),
    st.lists(st.one_of(_glue, st.text(alphabet="aAiIeEoOtTsSnN ,.'’-", max_size=10)), max_size=12)
    .map(" ".join),
)
_protected = st.sampled_from([(), GAZETTEER, ("Satya Nadella", "iPhone", "AI", "Tech")])


@settings(max_examples=400, deadline=None)
@given(text=_texts, protected=_protected)
def test_repair_only_inserts_spaces(text: str, protected: tuple[str, ...]) -> None:
    r = repair_text(text, protected=protected)
    assert unrepair(r.text, r.inserted) == text
    assert list(r.inserted) == sorted(set(r.inserted))
    assert all(r.text[i] == " " for i in r.inserted)
    assert len(r.text) == len(text) + r.repairs


@settings(max_examples=400, deadline=None)
@given(text=_texts, protected=_protected)
def test_repair_is_idempotent(text: str, protected: tuple[str, ...]) -> None:
    once = repair_text(text, protected=protected)
    twice = repair_text(once.text, protected=protected)
    assert twice.repairs == 0, (once.text, twice.text)


@settings(max_examples=200, deadline=None)
@given(text=_texts)
def test_repair_is_deterministic(text: str) -> None:
    assert repair_text(text) == repair_text(text)
