"""Loading articles: the bundled corpus, one small corpus per format, and hostile input.

Expected values are written here next to the fixture files that produce them
(``tests/data/formats`` and ``tests/data/hostile``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.loaders import (
    DEFAULT_MAX_BYTES,
    Corpus,
    LoadError,
    article_id,
    load_corpus,
    load_files,
)
from analysis.schema import ARTICLE_FIELDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
FORMATS = ROOT / "tests" / "data" / "formats"
HOSTILE = ROOT / "tests" / "data" / "hostile"


def _by_source(corpus: Corpus, root: Path) -> pd.DataFrame:
    """Articles indexed by their source relative to ``root``."""
    articles = corpus.articles.copy()
    articles["source"] = articles["source"].str.removeprefix(f"{root}{os.sep}")
    return articles.set_index("source")


def _uploads(root: Path) -> list[tuple[str, bytes]]:
    """Every non-hidden file under ``root`` as (relative name, bytes), as the dashboard sends them."""
    return [
        (path.relative_to(root).as_posix(), path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]


def _assert_tidy(corpus: Corpus) -> None:
    assert list(corpus.articles.columns) == ARTICLE_FIELDS
    assert list(corpus.skipped.columns) == ["source", "line", "reason"]
    assert list(corpus.duplicates.columns) == ["source", "line", "duplicate_of", "article_id"]
    assert not corpus.articles.isna().any().any()
    for column in ARTICLE_FIELDS:
        assert all(isinstance(value, str) for value in corpus.articles[column])
    assert corpus.articles["outlet"].str.strip().ne("").all()
    assert corpus.articles["text"].str.strip().ne("").all()
    assert corpus.articles["article_id"].is_unique
    assert set(corpus.duplicates["duplicate_of"]) <= set(corpus.articles["source"])
    assert all("\n" not in reason for reason in corpus.skipped["reason"])


# --- the bundled corpus ----------------------------------------------------------------------


def test_bundled_corpus_loads_as_written():
    corpus = load_corpus([CORPUS])
    _assert_tidy(corpus)
    assert corpus.skipped.empty and corpus.duplicates.empty
    articles = corpus.articles.set_index(corpus.articles["source"].map(lambda s: Path(s).name))
    techcrunch = articles.loc["000_56d9c1bdf34d459d.md"]
    techrepublic = articles.loc["001_f06b2c8179a67bac.md"]
    assert techcrunch["outlet"] == "TechCrunch"
    assert techcrunch["title"] == "Microsoft teams up with Elon Musk’s OpenAI project"
    assert techrepublic["outlet"] == "TechRepublic"
    assert techrepublic["title"] == ""
    for row in (techcrunch, techrepublic):
        assert row["published"] == "2016-11-15"
        assert row["story"] == "Microsoft–OpenAI partnership"
        assert row["url"] == "" and row["author"] == ""
    assert techcrunch["text"].startswith("OpenAI, the artificial intelligenceresearchnon-profit")
    assert techrepublic["text"].startswith("OpenAI, the nonprofit artificial")
    # Unchanged: the body after the closing '---' line, byte for byte (the files end in '\n').
    for name, row in articles.iterrows():
        body = (CORPUS / name).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert row["text"] == body.rstrip("\n")
        assert "\xa0" in row["text"] or name.startswith("001")  # scraped no-break spaces survive
    assert list(articles["source"]) == [str(CORPUS / name) for name in articles.index]


# --- one article per format ------------------------------------------------------------------

FORMAT_ROWS = {
    # source: outlet, title, published, url, author, story, text
    "planet_bridge.md": (
        "Daily Planet", "Harbour bridge opens after six years", "2024-03-01",
        "https://dailyplanet.example/bridge", "Lois Lane", "Harbour bridge opens",
        "The harbour bridge opened on Friday after six years of work.\n\n"
        "Mayor Ada Reyes cut the ribbon while commuters cheered.",
    ),
    "gazette_budget.txt": (
        "Gotham Gazette", "City council passes budget", "2024-03-05", "", "Vicki Vale",
        "City budget vote",
        "The city council passed the budget by seven votes to two.\n"
        "Libraries get more money; roads get less.",
    ),
    "rows.csv:2": (
        "Gotham Gazette", "Bridge traffic snarls", "2024-03-02", "https://gazette.example/bridge",
        "", "Harbour bridge opens",
        "Traffic backed up for miles, drivers said.\nOfficials promised new signs.",
    ),
    "feed.jsonl:1": (
        "Daily Planet", "Budget leaves roads behind", "2024-03-06",
        "https://dailyplanet.example/budget", "Clark Kent", "City budget vote",
        "Road crews face cuts under the new budget.\n\nThe mayor called it a hard choice.",
    ),
    "page.html": (
        "Gotham Gazette", "Ferry riders switch to the bridge", "2024-03-03",
        "https://gazette.example/ferry", "Jimmy Olsen", "",
        "Ferry ridership fell by half in the first week after the harbour bridge opened, the "
        "operator said on Sunday.\nCaptain Lena Ortiz said the ferry would keep running on "
        "weekends while the company reviews its timetable.",
    ),
}


def test_every_format_loads_its_article():
    corpus = load_corpus([FORMATS])
    _assert_tidy(corpus)
    assert corpus.skipped.empty and corpus.duplicates.empty
    articles = _by_source(corpus, FORMATS)
    assert sorted(articles.index) == sorted(FORMAT_ROWS)
    for source, expected in FORMAT_ROWS.items():
        row = articles.loc[source]
        got = tuple(row[f] for f in ["outlet", "title", "published", "url", "author", "story", "text"])
        assert got == expected, source
        assert row["article_id"] == hashlib.sha1(" ".join(expected[-1].split()).encode()).hexdigest()[:16]
    assert articles.groupby("outlet").size().to_dict() == {"Daily Planet": 2, "Gotham Gazette": 3}


def test_html_keeps_only_the_main_text():
    text = _by_source(load_corpus([FORMATS]), FORMATS).loc["page.html", "text"]
    for noise in ("TRACKING-SCRIPT", "color: red", "Home", "Sports", "NEWSLETTER", "FOOTER-TEXT"):
        assert noise not in text
    assert not text.startswith("Ferry riders switch")  # the headline is the title, not body text


def test_uploads_load_like_files():
    from_disk = _by_source(load_corpus([FORMATS]), FORMATS)
    uploaded = load_files(_uploads(FORMATS)).articles.set_index("source")
    pd.testing.assert_frame_equal(from_disk.sort_index(), uploaded.sort_index())


# --- hostile input ---------------------------------------------------------------------------

HOSTILE_ARTICLES = {
    # source: (outlet, title)
    "article.md": ("Harbor Herald", "Tunnel to close"),
    **{f"bad_links.jsonl:{i + 1}": ("Harbor Herald", f"Link {i}") for i in range(4)},
    "control_chars.jsonl:1": ("Harbor Herald", "Null bytes"),
    "cp1252.md": ("Harbor Herald", "“Café culture” returns to the quay"),
    "crlf_bom.md": ("Bay Bulletin", "Ferry fares rise"),
    "feed.jsonl:1": ("Bay Bulletin", "Gulls return"),
    "formulas.csv:2": ('＝HYPERLINK("http://evil.example","click")', "\u200b=1+2"),
    "feed.jsonl:10": ("Harbor Herald", ""),
    "mixed.csv:2": ("Harbor Herald", "Pier lights"),
    "mixed.csv:5": ("Bay Bulletin", "Market, Saturday"),
    "mixed.csv:8": ("Harbor Herald", "After the stray quote"),
    "nested/deep/more.jsonl:1": ("Bay Bulletin", ""),
    "one_bad_byte.csv:2": ("Bay Bulletin", "“Café” reopens"),
    "one_bad_byte.csv:3": ("Harbor Herald", "Naïve plan"),
    "one_bad_byte.csv:4": ("Harbor Herald", "Crème de la crème"),
    "page.html": ("Harbor Herald", "Night market draws crowds"),
    "punctuation_run.md": ("Bay Bulletin", "Shouting"),
    "semicolon.csv:2": ("Bay Bulletin", "Harbour swim"),
    "surrogate.jsonl:1": ("Bay Bulletin", "Surrogates ahead"),
    "surrogate.jsonl:2": ("Harbor Herald", "A lone \ufffd surrogate"),
}
HOSTILE_SKIPS = {
    # (source, line): words the reason must contain
    ("bad_yaml.md", 0): "bad YAML front matter at line 3",
    ("billion_laughs.md", 0): "field 'outlet' must be text",
    ("binary.md", 0): "binary file",
    ("blank.txt", 0): "empty file",
    ("deep_yaml.md", 0): "nested too deeply",
    ("empty.md", 0): "empty file",
    ("feed.jsonl", 2): "not valid JSON",
    ("feed.jsonl", 3): "not a JSON object",
    ("feed.jsonl", 4): "missing required field 'text'",
    ("feed.jsonl", 6): "field 'title' must be text",
    ("feed.jsonl", 8): "nested too deeply",
    ("feed.jsonl", 9): "not a JSON object",
    ("garbage.csv", 0): "binary file or unknown encoding",
    ("list_field.md", 0): "field 'author' must be text",
    ("missing_outlet.md", 0): "missing required field 'outlet'",
    ("missing_text.md", 0): "missing required field 'text'",
    ("mixed.csv", 3): "missing required field 'outlet'",
    ("mixed.csv", 4): "row has 4 fields, the header has 3",
    ("mixed.csv", 7): "row has 2 fields, the header has 3",
    ("no_front_matter.txt", 0): "no YAML front matter",
    ("no_outlet.html", 0): "no outlet",
    ("no_text.html", 0): "no main text",
    ("no_text_column.csv", 0): "CSV header has no 'text' column",
    ("unclosed.md", 0): "not closed",
}
HOSTILE_DUPLICATES = {
    # (source, line): the kept copy
    ("article_copy.md", 0): "article.md",
    ("feed.jsonl", 7): "crlf_bom.md",
    ("mixed.csv", 9): "article.md",
}


def _check_hostile(corpus: Corpus, prefix: str) -> None:
    _assert_tidy(corpus)
    articles = corpus.articles.set_index("source")
    assert sorted(articles.index) == sorted(prefix + s for s in HOSTILE_ARTICLES)
    for source, (outlet, title) in HOSTILE_ARTICLES.items():
        assert (articles.loc[prefix + source, "outlet"], articles.loc[prefix + source, "title"]) == (
            outlet,
            title,
        )
    skipped = {(row.source, row.line): row.reason for row in corpus.skipped.itertuples()}
    assert sorted(skipped) == sorted((prefix + s, line) for s, line in HOSTILE_SKIPS)
    for (source, line), words in HOSTILE_SKIPS.items():
        assert words in skipped[(prefix + source, line)]
    duplicates = {(r.source, r.line): r.duplicate_of for r in corpus.duplicates.itertuples()}
    assert duplicates == {(prefix + s, line): prefix + kept for (s, line), kept in HOSTILE_DUPLICATES.items()}
    # The cp1252 file reads correctly; the CRLF+BOM file has LF only and no BOM.
    assert articles.loc[prefix + "cp1252.md", "text"] == (
        "The café on the quay reopened — “we’re back,” said its owner."
    )
    assert articles.loc[prefix + "cp1252.md", "story"] == "Quayside cafés"
    assert articles.loc[prefix + "crlf_bom.md", "text"] == (
        "Ferry fares rise by ten percent in June.\nCommuters are not pleased."
    )
    assert articles.loc[prefix + "crlf_bom.md", "outlet"] == "Bay Bulletin"  # no BOM glued on
    # Dates: ISO kept, month-first numeric, spelled out, year only kept as given.
    assert articles.loc[prefix + "crlf_bom.md", "published"] == "2024-02-04"
    assert articles.loc[prefix + "feed.jsonl:1", "published"] == "2024-04-03"
    assert articles.loc[prefix + "feed.jsonl:10", "published"] == "2024"
    assert articles.loc[prefix + "semicolon.csv:2", "published"] == "2024-06-15"
    # A quoted field over two lines keeps its line break; the row after a stray quote still loads.
    assert articles.loc[prefix + "mixed.csv:5", "text"] == (
        "The fish market moves to Saturdays.\nStalls open at six."
    )
    html = articles.loc[prefix + "page.html", "text"]
    assert "<img src=x onerror=alert(1)>" in html  # kept as text, for the UI to escape
    for noise in ("INJECTED", "NAV-", "FOOTER-", "document.write", "evil.example"):
        assert noise not in html
    assert "Secret Outlet" not in set(corpus.articles["outlet"])


def test_hostile_folder_through_load_corpus():
    corpus = load_corpus([HOSTILE])
    _check_hostile(corpus, f"{HOSTILE}{os.sep}")
    assert "notes.xyz" not in " ".join(corpus.skipped["source"])  # other types ignored in folders


def test_hostile_folder_through_uploads():
    uploads = _uploads(HOSTILE)
    corpus = load_files(reversed(uploads))  # upload order does not change the kept copies
    assert (corpus.skipped["source"] == "notes.xyz").sum() == 1  # named explicitly: reported
    corpus = Corpus(corpus.articles, corpus.skipped[corpus.skipped["source"] != "notes.xyz"], corpus.duplicates)
    _check_hostile(corpus, "")


def test_cp1252_fixture_is_really_cp1252():
    raw = (HOSTILE / "cp1252.md").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"caf\xe9" in raw and b"\x93" in raw and b"\x92" in raw


def test_short_cp1252_text_is_not_mistaken_for_an_asian_encoding():
    # charset-normalizer alone reads these bytes as cp932 ("鼎af髞"): Windows-1252 is tried first.
    data = "outlet,text\nX,\u201cCaf\u00e9\u201d\n".encode("cp1252")
    assert load_files([("short.csv", data)]).articles["text"].tolist() == ["\u201cCaf\u00e9\u201d"]


def test_strict_raises_at_the_first_skip():
    with pytest.raises(LoadError) as error:
        load_corpus([HOSTILE], strict=True)
    message = str(error.value)
    assert message.startswith(f"{HOSTILE / 'bad_yaml.md'}: bad YAML front matter")
    assert "\n" not in message
    with pytest.raises(LoadError, match=r"^bad_yaml\.md: bad YAML"):
        load_files(_uploads(HOSTILE), strict=True)
    with pytest.raises(LoadError, match=r"^mixed\.csv:3: missing required field 'outlet'$"):
        load_files([("mixed.csv", (HOSTILE / "mixed.csv").read_bytes())], strict=True)
    # Duplicates are not errors, and clean input passes.
    assert len(load_corpus([FORMATS], strict=True).articles) == 5
    strict_dups = load_files([("a.md", (HOSTILE / "article.md").read_bytes())] * 2, strict=True)
    assert len(strict_dups.articles) == 1 and len(strict_dups.duplicates) == 1


def test_missing_path_is_a_load_error():
    with pytest.raises(LoadError, match="no such file or folder: .*nowhere"):
        load_corpus([FORMATS, ROOT / "nowhere"])
    with pytest.raises(LoadError):
        load_corpus(["bad\x00path"])


def test_explicit_files_unknown_types_and_repeats(tmp_path):
    article = HOSTILE / "article.md"
    corpus = load_corpus([article, HOSTILE / "notes.xyz", HOSTILE, article])
    assert corpus.articles["source"].iloc[0] == str(article)
    assert (corpus.articles["source"] == str(article)).sum() == 1  # a file reached twice is read once
    assert not (corpus.duplicates["source"] == f"{HOSTILE}{os.sep}article.md").any()
    notes = corpus.skipped[corpus.skipped["source"] == str(HOSTILE / "notes.xyz")]
    assert notes["reason"].str.startswith("unsupported file type '.xyz'").tolist() == [True]
    # A single path works as well as a list of them.
    assert len(load_corpus(str(article)).articles) == 1


def test_oversized_files_are_skipped_unread(tmp_path):
    huge = tmp_path / "huge.md"
    with open(huge, "wb") as handle:
        handle.truncate(10 * 1024**3)  # sparse: 10 GiB on paper, nothing on disk
    (tmp_path / "ok.md").write_text("---\noutlet: A\n---\nSmall.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.articles["text"].tolist() == ["Small."]
    assert corpus.skipped[["line", "reason"]].values.tolist() == [
        [0, f"file too large ({10 * 1024**3:,} bytes; the limit is {DEFAULT_MAX_BYTES:,})"]
    ]
    small = load_corpus([tmp_path / "ok.md"], max_bytes=10)
    assert small.articles.empty and "file too large (25 bytes" in small.skipped["reason"].iloc[0]
    uploaded = load_files([("ok.md", b"x" * 11)], max_bytes=10)
    assert uploaded.skipped["reason"].tolist() == ["file too large (11 bytes; the limit is 10)"]


def test_text_is_kept_except_line_ends_and_outer_blank_lines():
    body = "\r\n  \r\n  Indented first line.\r\rSecond  paragraph\twith tabs.  \n\n \n"
    corpus = load_files([("a.md", b"---\routlet: '  A  '\r---" + body.encode())])
    assert corpus.articles["text"].tolist() == ["  Indented first line.\n\nSecond  paragraph\twith tabs.  "]
    assert corpus.articles["outlet"].tolist() == ["A"]


def test_utf16_with_bom_and_yaml_values_as_written():
    text = "---\noutlet: Zeitung\ntitle: No\nauthor: ~\npublished: 15.11.2016\n---\nÜber die Brücke.\n"
    corpus = load_files([("z.txt", text.encode("utf-16"))])
    row = corpus.articles.iloc[0]
    assert (row["outlet"], row["title"], row["author"], row["text"]) == ("Zeitung", "No", "", "Über die Brücke.")
    assert row["published"] == "2016-11-15"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2016-11-15", "2016-11-15"),
        ("2016-11-15T23:30:00-08:00", "2016-11-15"),
        ("Tue, 15 Nov 2016 10:00:00 GMT", "2016-11-15"),
        ("November 15, 2016", "2016-11-15"),
        ("11/15/2016", "2016-11-15"),
        ("2016", "2016"),
        ("November 2016", "November 2016"),
        ("last Tuesday", "last Tuesday"),
        ("2016-13-45", "2016-13-45"),
        ("", ""),
    ],
)
def test_published_dates(published, expected):
    line = json.dumps({"outlet": "A", "published": published, "text": "T"})
    assert load_files([("a.jsonl", line.encode())]).articles["published"].tolist() == [expected]


def test_article_id_collapses_whitespace():
    assert article_id("Hello world") == hashlib.sha1(b"Hello world").hexdigest()[:16]
    assert article_id(" Hello\n\n\tworld \n") == article_id("Hello world")
    assert article_id("Hello world!") != article_id("Hello world")


def test_names_with_control_characters_stay_on_one_line():
    corpus = load_files([("evil\nname.md", b"---\ntitle: x\n---\ntext\n"), ("a\rb.csv", b"outlet,text\nA,\n")])
    assert corpus.skipped["source"].tolist() == ["a?b.csv", "evil?name.md"]
    assert corpus.skipped["line"].tolist() == [2, 0]


# --- fuzzing ---------------------------------------------------------------------------------

EXTENSIONS = ["", ".md", ".txt", ".csv", ".jsonl", ".html", ".HTM", ".bin"]
NAMES = st.tuples(st.text(max_size=12), st.sampled_from(EXTENSIONS)).map("".join)
FIELDS = ["outlet", "title", "published", "url", "author", "story", "text", "other"]


@st.composite
def documents(draw) -> tuple[str, bytes]:
    """A file that looks like one of the formats, with arbitrary pieces inside."""
    kind = draw(st.sampled_from(["md", "csv", "jsonl", "html", "raw"]))
    piece = st.text(max_size=30)
    if kind == "md":
        keys = draw(st.lists(st.sampled_from(FIELDS), max_size=4))
        front = "".join(f"{key}: {draw(piece)}\n" for key in keys)
        content = f"---\n{front}---\n{draw(piece)}"
    elif kind == "csv":
        header = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4))
        rows = draw(st.lists(st.lists(piece, max_size=5), max_size=4))
        sep = draw(st.sampled_from([",", ";", "\t"]))
        content = "\n".join([sep.join(header)] + [sep.join(row) for row in rows])
    elif kind == "jsonl":
        values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), piece, st.lists(piece, max_size=2))
        objects = draw(st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=4), max_size=3))
        content = "\n".join([json.dumps(o) for o in objects] + draw(st.lists(piece, max_size=2)))
    elif kind == "html":
        content = f"<html><head><title>{draw(piece)}</title></head><body><p>{draw(piece)}</p></body></html>"
    else:
        return draw(NAMES), draw(st.binary(max_size=300))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = content.encode(encoding, errors="replace")
    return f"f.{kind}", draw(st.sampled_from([data, data.replace(b"\n", b"\r\n")]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.tuples(NAMES, st.binary(max_size=200)), documents()), max_size=4))
def test_load_files_never_raises(files):
    corpus = load_files(files, max_bytes=250)
    _assert_tidy(corpus)
    # Every article, skip or duplicate comes from one of the files given.
    shown = {"".join("?" if ord(c) < 32 or c == "\x7f" else c for c in name) for name, _ in files}
    for source in corpus.articles["source"]:
        assert source in shown or source.rsplit(":", 1)[0] in shown
    assert set(corpus.skipped["source"]) | set(corpus.duplicates["source"]) <= shown


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), max_size=3))
def test_strict_either_loads_cleanly_or_raises_load_error(files):
    try:
        corpus = load_files(files, strict=True)
    except LoadError as error:
        assert "\n" not in str(error)
    else:
        assert corpus.skipped.empty
