"""What every view draws the same way: tables as downloaded, charts, CSV downloads, the wording
of shared messages and the note of a large selection's sample."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

import analysis as an

NO_STORY = "(no story)"
SELECT_OUTLET = "Select at least one outlet in the sidebar."
NO_ENTITY = "No entity matches the sidebar filters: select more entity types or lower the minimum mentions."
MAX_ROWS = 5_000  # rows sent to the browser per table; downloads always hold every row

PCT = st.column_config.NumberColumn(format="percent")
TONE = st.column_config.NumberColumn(format="%+.3f")
SCORE = st.column_config.NumberColumn(format="%.3f")
MATCH = st.column_config.ProgressColumn(format="%.2f", min_value=0, max_value=1)  # a similarity, 0 to 1


def count(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``.

    >>> count(1, "article"), count(1200, "outlet")
    ('1 article', '1,200 outlets')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def story_name(story: str) -> str:
    return story if story else NO_STORY


@dataclasses.dataclass(frozen=True)
class Partial:
    """A large selection: ``selected`` articles in the SQL tables, sentence-level views over the
    ``loaded`` most recent of them (``limit`` at most)."""

    selected: int
    loaded: int
    limit: int

    def note(self, what: str) -> str:
        return (f"{what} at most {count(self.limit, 'article')}: here the {self.loaded:,} most recent of the "
                f"{self.selected:,} selected. Narrow the selection by story, outlet or date to see them all.")


def csv_data(table: pd.DataFrame) -> Callable[[], bytes]:
    """The download callable of a table (run by Streamlit only when the button is clicked)."""
    return functools.partial(an.to_csv_bytes, table)


def download(table: pd.DataFrame, name: str, *, label: str | None = None) -> None:
    """A CSV download button under a table (formula-safe, the CLI's bytes)."""
    st.download_button(
        label or f"Download {name}.csv",
        data=csv_data(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]})


def table(frame: pd.DataFrame, key: str, *, hide: Sequence[str] = (), first: Sequence[str] = (), **config) -> None:
    """A table as downloaded. Shown without ``hide``, a story column holding one story, and text
    columns that are empty in every row (hidden, not dropped: the data stays the CSV's)."""
    def blank(column: str) -> bool:
        values = frame[column]
        text = pd.api.types.is_string_dtype(values) or values.dtype == object
        return text and len(values) > 0 and values.fillna("").astype(str).str.strip().eq("").all()

    ordered = [c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first]
    columns = [
        c for c in ordered
        if c not in hide and not (c == "story" and frame[c].nunique() <= 1) and not blank(c)
    ]
    shown = frame if len(frame) <= MAX_ROWS else frame.head(MAX_ROWS)
    st.dataframe(shown, key=key, hide_index=True, column_order=columns, column_config=config or None)
    if len(frame) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(frame):,} rows; the download below has them all.")


def of_them(copies: int) -> str:
    """How many of the articles just counted are wire copies: "1 of them a copy", "9 of them copies"."""
    return f"{copies:,} of them {'a copy' if copies == 1 else 'copies'}"
