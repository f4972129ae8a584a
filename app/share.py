"""Views you can share: every filter and the open tab live in the page's URL.

The parameters are the CLI's words: ``outlet``, ``story``, ``since``, ``until``, ``sentiment``
and ``message`` (each repeatable where the CLI's flag is), plus the dashboard's ``copies=hide``
(wire copies hidden), ``type`` (entity types), ``min_mentions``, ``tab`` and ``entity`` (the
entities compared in Share of voice). A
filter left at its default is left out: no ``outlet`` means every outlet, so a link stays short
and still shows the outlets a store gains later; ``outlet=`` (empty) means none.

The URL a session opens with is read once, at its first run, and each value goes into its widget
when the widget is made: into its session state (:func:`choices`, :func:`choice`, :func:`text`),
or as its first value where the widget has a default (:func:`values`, :func:`number`,
:func:`dates`), since Streamlit warns when a widget gets both. A value the app does not know (an
outlet not in the corpus, a malformed date, an unknown parameter) is dropped with a short note at
the top of the sidebar, never an error; the note stays until a filter changes. At the end of every
run :func:`publish` writes the URL from the widgets' values (:func:`record`), so the address bar
always shows the view. Streamlit's own ``bind="query-params"`` would drop unknown values silently
and list every selected outlet; this keeps links short and says what it ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import streamlit as st

from analysis import reader

PARAMS = ("outlet", "story", "since", "until", "copies", "type", "min_mentions", "sentiment", "message", "tab",
          "entity")
_VIEW = {"tab", "entity"}  # what the analyst looks at, not which articles: changing it keeps the notes
_EMBED = {"embed", "embed_options"}  # Streamlit's own
_OPENED, _NOTES, _NOW, _FIRST, _BOX = "_share_opened", "_share_notes", "_share_now", "_share_first", "_share_box"


def tab_slug(label: str) -> str:
    """A tab's name in the URL: the last word of its label, in lower case.

    >>> tab_slug("Share of voice"), tab_slug("Overview")
    ('voice', 'overview')
    """
    return label.split()[-1].lower()


def subset(values: Sequence[str], options: Sequence[str]) -> list[str] | None:
    """A multiselect's parameter values: None (left out) when every option is chosen, ``[""]`` when none is.

    >>> subset(["b", "a"], ["a", "b"]), subset([], ["a"]), subset(["a"], ["a", "b"])
    (None, [''], ['a'])
    """
    if set(values) == set(options):
        return None
    return list(values) or [""]


def parse_day(value: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` day, or None.

    >>> parse_day("2016-11-15"), parse_day("2016-13-01"), parse_day("15/11/2016")
    (datetime.date(2016, 11, 15), None, None)
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if len(value) == 10 else None


def params_of(raw: Mapping[str, Sequence[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The parameters of ``PARAMS`` in ``raw`` (name -> values) and a note for each other one."""
    known = {name: list(values) for name, values in raw.items() if name in PARAMS}
    notes = [f"unknown parameter “{name}”" for name in raw if name not in PARAMS and name.lower() not in _EMBED]
    return known, notes


# --- one session: read the URL once, seed the widgets, write it back every run -------------------


def begin() -> None:
    """Call first in every run: reads the URL at the session's first run, and makes the place
    (the top of the sidebar) where notes about ignored values appear."""
    state = st.session_state
    if _OPENED not in state:
        opened, notes = params_of({name: st.query_params.get_all(name) for name in st.query_params})
        state[_OPENED], state[_NOTES] = opened, notes
    state[_NOW] = {}
    state[_BOX] = st.sidebar.empty()


def _take(param: str) -> list[str] | None:
    """The URL's values of ``param`` not applied yet (None when there are none); they are applied now."""
    return st.session_state.get(_OPENED, {}).pop(param, None)


def note(text: str) -> None:
    st.session_state.setdefault(_NOTES, []).append(text)


def _unknown(noun: str, values: Iterable[str]) -> None:
    values = list(values)
    if values:
        plural = noun if len(values) == 1 else (noun[:-1] + "ies" if noun.endswith("y") else noun + "s")
        note(f"unknown {plural} " + ", ".join(f"“{v}”" for v in values))


def choices(key: str, param: str, options: Sequence[str], *, noun: str) -> None:
    """Seed a multiselect (``key``) from the URL's ``param``: its known values, none for ``param=``.
    With only unknown values the widget keeps its default."""
    known = values(param, options, noun=noun)
    if known is not None:
        st.session_state[key] = known


def values(param: str, options: Sequence[str], *, noun: str) -> list[str] | None:
    """The URL's values of ``param`` that are ``options`` (``[]`` for ``param=``), noting the
    others; None when the URL has none to apply, or only unknown ones."""
    given = _take(param)
    if given is None:
        return None
    if given == [""]:
        return []
    given = list(dict.fromkeys(given))
    _unknown(noun, [v for v in given if v not in options])
    return [v for v in given if v in options] or None


def check(param: str, options: Sequence[str], *, noun: str) -> None:
    """Drop the URL's ``param`` where the app shows no widget for it (a corpus of one story),
    noting the values it does not know."""
    values = _take(param)
    if values and values != [""]:
        _unknown(noun, [v for v in dict.fromkeys(values) if v not in options])


def choice(key: str, param: str, options: Mapping[str, object], *, noun: str) -> None:
    """Seed a single-choice widget from the URL's ``param`` (its last value), through ``options``
    (URL value -> widget value)."""
    values = _take(param)
    if not values:
        return
    if values[-1] in options:
        st.session_state[key] = options[values[-1]]
    else:
        _unknown(noun, values[-1:])


def flag(key: str, param: str, value: str) -> None:
    """Seed a checkbox (``key``) from the URL's ``param``: ticked when it is ``value``."""
    values = _take(param)
    if not values:
        return
    if values[-1] == value:
        st.session_state[key] = True
    else:
        _unknown(f"{param} value", values[-1:])


def number(param: str, *, default: int, minimum: int) -> int:
    """An integer input's first value: the URL's ``param``, else ``default``. Passed as the
    widget's ``value`` (it counts only while the widget has no state), so no session state is set
    beside a default, which Streamlit warns about."""
    given = _take(param)
    if not given:
        return default
    value = given[-1].strip()
    if value.isdigit() and int(value) >= minimum:
        return int(value)
    note(f"{param.replace('_', ' ')} must be a whole number from {minimum}, not “{value}”")
    return default


def text(key: str, param: str) -> None:
    """Seed a text area from the URL's ``param``: one value per line."""
    values = _take(param)
    if values is not None:
        st.session_state[key] = "\n".join(v for v in values if v.strip())


def dates(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """A date range's first value: the URL's ``since`` and ``until`` clamped to [first, last] (a
    day outside it selects the same articles as the range's end), else the whole range. Passed as
    the widget's ``value``, like :func:`number`'s."""
    since, until = (_day(p) for p in ("since", "until"))
    lo = min(max(since or first, first), last)
    hi = max(min(until or last, last), first)
    if lo > hi:
        note(f"since {lo} is after until {hi}")
        return first, last
    return lo, hi


def check_dates() -> None:
    """Drop ``since`` and ``until`` where the app shows no date range (one day), noting bad ones."""
    for param in ("since", "until"):
        _day(param)


def _day(param: str) -> dt.date | None:
    values = _take(param)
    if not values:
        return None
    day = parse_day(values[-1].strip())
    if day is None:
        note(f"{param} must be a day (YYYY-MM-DD), not “{values[-1]}”")
    return day


def record(param: str, values: Sequence[str] | str | None) -> None:
    """This run's value of ``param`` for the URL (None: left out)."""
    if values is not None:
        st.session_state.setdefault(_NOW, {})[param] = [values] if isinstance(values, str) else list(values)


def publish(*, tabs: Sequence[str] = ()) -> None:
    """Call last in every run (also after ``st.stop``): write this run's view into the URL (the
    values recorded, the open tab, the entities compared, and what the URL asked for that no
    widget has taken yet), and show the notes about ignored values until a filter changes."""
    state = st.session_state
    tab = state.get("tab")
    if tab in tabs and tab != tabs[0]:
        record("tab", tab_slug(tab))
    if "voice_entities" in state:
        record("entity", state["voice_entities"] or [""])
    now = {**state.get(_OPENED, {}), **state.get(_NOW, {})}
    params = {name: now[name] for name in PARAMS if name in now}
    current = {name: st.query_params.get_all(name) for name in st.query_params if name.lower() not in _EMBED}
    if params != current:
        st.query_params.from_dict(params)
    filters = {name: values for name, values in params.items() if name not in _VIEW}
    first = state.setdefault(_FIRST, filters)
    notes = state.get(_NOTES, [])
    if notes and filters == first and _BOX in state:
        state[_BOX].warning("Ignored from the link: " + reader.escape_markdown("; ".join(notes)) + ".",
                            icon=":material/link_off:")
