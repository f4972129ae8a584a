"""Views you can share: the dashboard's filters and open tab round-trip through the page's URL,
and a link with values the data does not hold opens with a note, never an error."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"

ARTICLES = {  # outlet, story, day, text: three outlets, two stories, five days
    "a.md": ("Daily Planet", "Bridge", "2024-03-01", "Ada Reyes opened the bridge. Microsoft paid for the lights."),
    "b.md": ("Gazette", "Bridge", "2024-03-02", "The bridge opened. Ada Reyes thanked Microsoft and Google."),
    "c.md": ("Herald", "Bridge", "2024-03-03", "Google mapped the new bridge that Ada Reyes opened."),
    "d.md": ("Daily Planet", "Budget", "2024-03-04", "The council budget grows. Ada Reyes praised Google."),
    "e.md": ("Herald", "Budget", "2024-03-05", "Microsoft won the council contract, Ada Reyes said."),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("share")
    for name, (outlet, story, day, text) in ARTICLES.items():
        (folder / name).write_text(f'---\noutlet: "{outlet}"\nstory: "{story}"\npublished: "{day}"\n---\n{text}\n',
                                   encoding="utf-8")
    return folder


def _open(monkeypatch, *args: str, params: dict | None = None) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["dashboard.py", *args])
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _view(at: AppTest) -> dict:
    """Everything a link should carry, as the widgets hold it."""
    side = at.sidebar
    return {
        "outlets": side.multiselect(key="outlets").value, "stories": side.multiselect(key="stories").value,
        "dates": side.date_input(key="dates").value, "types": side.multiselect(key="entity_types").value,
        "min_mentions": side.number_input(key="min_mentions").value, "engine": side.radio(key="engine").value,
        "messages": side.text_area(key="messages").value, "tab": at.session_state["tab"],
        "picks": at.multiselect(key="voice_entities").value if at.session_state["tab"] == "Share of voice" else None,
        "caption": [c.value for c in at.caption if "from" in c.value][:1],
    }


def test_a_url_built_from_one_sessions_filters_reopens_them(monkeypatch, corpus):
    first = _open(monkeypatch, "--data", str(corpus))
    assert first.query_params == {}  # the default view: a clean URL
    side = first.sidebar
    side.multiselect(key="outlets").set_value(["Daily Planet", "Herald"]).run()
    side.multiselect(key="stories").set_value(["Bridge"]).run()
    side.date_input(key="dates").set_value((dt.date(2024, 3, 1), dt.date(2024, 3, 4))).run()
    side.multiselect(key="entity_types").set_value(["organization"]).run()
    side.radio(key="engine").set_value("vader").run()
    side.text_area(key="messages").set_value("Microsoft paid for the lights\nGoogle mapped the bridge").run()
    first.session_state["tab"] = "Share of voice"
    first.run()
    first.multiselect(key="voice_entities").set_value(["Google", "Microsoft"]).run()
    assert not first.exception, [e.message for e in first.exception]
    link = dict(first.query_params)
    assert link == {
        "outlet": ["Daily Planet", "Herald"], "story": "Bridge", "since": "2024-03-01", "until": "2024-03-04",
        "type": "organization", "sentiment": "vader",
        "message": ["Microsoft paid for the lights", "Google mapped the bridge"], "tab": "voice",
        "entity": ["Google", "Microsoft"],
    }
    second = _open(monkeypatch, "--data", str(corpus), params=link)
    assert _view(second) == _view(first)
    assert _view(second)["caption"] and "2 articles from 2 outlets" in _view(second)["caption"][0]
    assert dict(second.query_params) == link  # and the address stays what was shared
    assert not second.sidebar.warning


def test_the_url_follows_each_change_and_the_open_tab(monkeypatch, corpus):
    at = _open(monkeypatch, "--data", str(corpus))
    at.sidebar.multiselect(key="outlets").set_value([]).run()
    assert at.query_params == {"outlet": ""}  # none: the page asks for an outlet
    reopened = _open(monkeypatch, "--data", str(corpus), params={"outlet": ""})
    assert reopened.sidebar.multiselect(key="outlets").value == []
    at.sidebar.multiselect(key="outlets").set_value(["Daily Planet", "Gazette", "Herald"]).run()
    at.session_state["tab"] = "Emphasis"
    at.run()
    assert at.query_params == {"tab": "emphasis"}
    at.session_state["tab"] = "Overview"
    at.run()
    assert at.query_params == {}
    at.sidebar.number_input(key="min_mentions").set_value(3).run()
    assert at.query_params == {"min_mentions": "3"}
    assert _open(monkeypatch, "--data", str(corpus), params={"min_mentions": "3"}).sidebar.number_input(
        key="min_mentions").value == 3


def test_unknown_or_malformed_values_are_ignored_with_a_note(monkeypatch, corpus):
    at = _open(monkeypatch, "--data", str(corpus), params={
        "outlet": ["Herald", "Nowhere <b>Times</b>"], "story": "Elections", "since": "2024-99-01",
        "until": "2024-03-03", "min_mentions": "two", "sentiment": "bert", "tab": "charts", "type": "robot",
        "entity": "Tay", "colour": "red",
    })
    assert at.sidebar.multiselect(key="outlets").value == ["Herald"]
    assert at.sidebar.multiselect(key="stories").value == []  # only unknown: every story (none picked)
    assert at.sidebar.date_input(key="dates").value == (dt.date(2024, 3, 1), dt.date(2024, 3, 3))
    assert at.sidebar.number_input(key="min_mentions").value == 1
    assert at.sidebar.radio(key="engine").value == "textblob"
    assert at.session_state["tab"] == "Overview"
    [note] = [w.value for w in at.sidebar.warning]
    assert note.startswith("Ignored from the link:")
    for part in ["unknown parameter “colour”", "unknown outlet “Nowhere \\<b\\>Times\\</b\\>”",
                 "unknown story “Elections”", "since must be a day",
                 "min mentions must be a whole number from 1, not “two”", "unknown sentiment engine “bert”",
                 "unknown tab “charts”", "unknown entity type “robot”"]:
        assert part in note, part
    # the address now shows what is shown; the entity waits for the Share of voice tab
    assert dict(at.query_params) == {"outlet": "Herald", "since": "2024-03-01", "until": "2024-03-03",
                                     "entity": "Tay"}
    at.session_state["tab"] = "Share of voice"
    at.run()
    assert not at.exception
    assert at.multiselect(key="voice_entities").value == ["Ada Reyes", "Google"]  # Herald never names Tay
    assert "unknown entity “Tay”" in at.sidebar.warning[0].value
    at.sidebar.multiselect(key="outlets").set_value(["Herald", "Gazette"]).run()
    assert not at.sidebar.warning  # a filter changed: the note has done its job


def test_a_link_to_the_bundled_corpus_without_stories_or_dates_drops_them(monkeypatch):
    at = _open(monkeypatch, params={"story": "Microsoft–OpenAI partnership", "since": "2016-11-15",
                                    "outlet": "TechRepublic", "tab": "entities"})
    assert at.sidebar.multiselect(key="outlets").value == ["TechRepublic"]
    assert at.session_state["tab"] == "Entities"
    assert not at.sidebar.warning  # a story and a day the corpus holds: nothing to say
    assert dict(at.query_params) == {"outlet": "TechRepublic", "tab": "entities"}
