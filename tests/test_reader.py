"""The article reader: everything escaped, every counted mention highlighted, sentences tinted by tone."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import analyse, reader
from analysis.schema import ARTICLE_FIELDS

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('x')</script>"
TAG = re.compile(r"<[^>]+>")


def _one(analysis, outlet):
    article = analysis.articles[analysis.articles["outlet"] == outlet].iloc[0].to_dict()
    ids = analysis.sentences["article_id"] == article["article_id"]
    mentions = analysis.mentions[analysis.mentions["article_id"] == article["article_id"]]
    return article, analysis.sentences[ids], mentions


@pytest.fixture(scope="module")
def hostile():
    """A real analysis of an article whose every field carries markup."""
    text = (
        f"Microsoft said {IMG} would not run.\n\n"
        f"OpenAI answered with {SCRIPT} and a link <a href=\"javascript:alert(2)\">here</a>.\n\n"
        "Satya Nadella smiled & waved."
    )
    row = {
        "article_id": "hostile0000000001", "outlet": f"Evil {IMG} Times", "title": f"Breaking {SCRIPT}",
        "published": "2016-11-15", "url": "javascript:alert(3)", "author": "<b onmouseover=alert(4)>Mallory</b>",
        "story": "", "text": text, "source": "hostile.md",
    }
    return analyse(pd.DataFrame([row], columns=ARTICLE_FIELDS))


def _body(page: str) -> str:
    return page[page.index('<div class="cl-reader">'):]


def test_hostile_markup_is_shown_as_text(hostile):
    article, sentences, mentions = _one(hostile, hostile.articles["outlet"].iloc[0])
    page = reader.article_html(article, sentences, mentions)
    tags = {m.group(1).lower() for m in re.finditer(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", page)}
    assert tags <= {"style", "div", "span", "mark", "h3", "p", "br", "em", "a"}
    assert "<img" not in page and "<script" not in page and "<b " not in page
    assert "onerror=alert(1)" in page  # still readable, as text
    assert html.escape(IMG) in page
    assert html.escape(SCRIPT, quote=True) in page
    assert 'href="javascript' not in page  # a non-http URL is shown, never linked
    assert "javascript:alert(3)" in page
    # every attribute value is quoted and free of raw quotes/angle brackets from the article
    for value in re.findall(r'="([^"]*)"', page):
        assert "<" not in value and ">" not in value


def test_no_text_is_lost(hostile, bundled):
    for analysis in (hostile, bundled):
        for outlet in analysis.articles["outlet"]:
            article, sentences, mentions = _one(analysis, outlet)
            shown = html.unescape(TAG.sub("", _body(reader.article_html(article, sentences, mentions, legend=False))))
            for text in sentences["text"]:
                assert text in shown


def test_every_mention_is_highlighted_with_its_canonical_name(bundled):
    article, sentences, mentions = _one(bundled, "TechRepublic")
    page = reader.article_html(article, sentences, mentions)
    marks = re.findall(r'<mark [^>]*title="([^"]*)">([^<]*)</mark>', page)
    assert len(marks) == len(mentions)
    titles = [html.unescape(t) for t, _ in marks]
    # each title ends with the tone toward that mention, e.g. "…, positive toward it (+0.86)"
    assert all(re.search(r", (negative|neutral|positive) toward it \([+-]\d\.\d\d\)$", t) for t in titles)
    titles = [t.rsplit(", ", 1)[0] for t in titles]
    assert titles.count("OpenAI (organization)") == 10  # hand-counted in the TechRepublic seed
    assert "Tay (product)" in titles
    assert ("Satya Nadella (person)", "Nadella") in [(html.unescape(t).rsplit(", ", 1)[0], s) for t, s in marks]


def test_headline_is_a_heading_and_untitled_articles_get_their_first_words(bundled):
    article, sentences, mentions = _one(bundled, "TechCrunch")
    page = reader.article_html(article, sentences, mentions)
    heading = TAG.sub("", re.search(r"<h3>(.*?)</h3>", page, flags=re.S).group(1))
    assert html.unescape(heading) == "Microsoft teams up with Elon Musk’s OpenAI project"
    article, sentences, mentions = _one(bundled, "TechRepublic")
    page = reader.article_html(article, sentences, mentions)
    heading = html.unescape(re.search(r'<h3 class="cl-untitled"[^>]*>(.*?)</h3>', page).group(1))
    assert heading == "OpenAI, the nonprofit artificial intelligence research organization co-founded by tech…"


def test_sentences_are_tinted_by_tone(bundled_vader):
    article, sentences, mentions = _one(bundled_vader, "TechRepublic")
    page = reader.article_html(article, sentences, mentions)
    tay = re.search(r'<span class="cl-s" style="background-color:([^"]*)" title="([^"]*)">Back in April', page)
    assert tay.group(1).startswith("rgba(215, 48, 39")  # negative: VADER scores it -0.80
    assert tay.group(2).startswith("tone -0.80")
    assert page.count('class="cl-s"') == len(sentences)


def test_tone_color():
    assert reader.tone_color(0.01) == "transparent"
    assert reader.tone_color(float("nan")) == "transparent"
    assert reader.tone_color(-1.0).startswith("rgba(215, 48, 39")
    assert reader.tone_color(0.9).startswith("rgba(26, 152, 80")
    weak, strong = reader.tone_color(0.2), reader.tone_color(0.9)
    assert float(weak.rsplit(",", 1)[1].rstrip(")")) < float(strong.rsplit(",", 1)[1].rstrip(")"))


def test_empty_article_says_so():
    page = reader.article_html({"outlet": "X", "title": "", "text": ""}, pd.DataFrame(
        columns=["position", "paragraph", "is_title", "start", "end", "text", "polarity", "subjectivity"]
    ), pd.DataFrame(columns=["entity", "label", "start", "end"]))
    assert "no text" in page and "(untitled)" in page


_UNESCAPE = re.compile(r"\\(.)")


@given(st.text(max_size=80))
def test_escape_markdown_loses_nothing_and_leaves_no_markup(text):
    escaped = reader.escape_markdown(text)
    assert _UNESCAPE.sub(r"\1", escaped) == text.replace("\r", " ").replace("\n", " ")
    assert not re.search(r"(?<!\\)[<>*_`\[\]]", escaped)


def test_unique_angle_cards_are_escaped():
    angles = pd.DataFrame({
        "story": "s", "outlet": ["Evil <b>Times</b>", "Other"], "sentence": [f"Shown {IMG} here", "x"],
        "best_match": [0.04, 0.9], "unique": [True, False], "closest_outlet": ["Other", "Evil <b>Times</b>"],
        "closest_sentence": [SCRIPT, None], "article_id": "a", "position": [1, 2],
    })
    page = reader.angles_html(angles, outlet="Evil <b>Times</b>", color="#0072B2")
    assert "<img" not in page and "<script" not in page and "<b>" not in page
    text = html.unescape(TAG.sub("", page[page.index('<div class="cl-angles">'):]))
    assert f"Shown {IMG} here" in text and f"closest in Other: “{SCRIPT}”" in text
    assert "unique · 0.04" in text
    assert page.count('<div class="cl-angle">') == 1  # only this outlet's rows
    other = reader.angles_html(angles, outlet="Other")
    assert "shared · 0.90" in html.unescape(other) and "no comparable sentence" in other
