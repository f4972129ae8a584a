"""Paragraphs of an article: the units sentences never cross.

A headline, a ``SEE: …`` line, a list item or a heading never merges into the next sentence, so
the text is cut at blank lines and at every line that is a list item or reads like a heading.
Hard-wrapped prose (lines inside a paragraph) stays one paragraph.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+\S")
_SENTENCE_END = re.compile(r"""[.!?…:;"'”’)\]]\s*$""")


class Paragraph(NamedTuple):
    start: int  # offset of the first non-blank character in the document
    end: int  # offset just past the last non-blank character
    text: str


def document(title: str, body: str) -> str:
    """The analysed document: the headline, a blank line, then the (repaired) body."""
    title = title.strip()
    return f"{title}\n\n{body}" if title else body


def paragraphs(text: str) -> list[Paragraph]:
    """Split ``text`` into paragraphs with their offsets.

    >>> [p.text for p in paragraphs("Title\\n\\nFirst line\\n  1. item one\\n  2. item two")]
    ['Title', 'First line', '1. item one', '2. item two']
    """
    out: list[Paragraph] = []
    lines: list[tuple[int, int]] = []  # (start, end) of the stripped lines of the current block

    def flush() -> None:
        if lines:
            start, end = lines[0][0], lines[-1][1]
            out.append(Paragraph(start, end, text[start:end]))
            lines.clear()

    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            flush()
        else:
            start = pos + (len(body) - len(body.lstrip()))
            end = start + len(stripped)
            breaks_before = bool(_LIST_ITEM.match(body))
            prev_is_heading = bool(lines) and not _SENTENCE_END.search(text[lines[-1][0] : lines[-1][1]]) and (
                lines[-1][1] - lines[-1][0] < 60
            )
            if breaks_before or prev_is_heading:
                flush()
            lines.append((start, end))
            if breaks_before:
                # a list item is its own paragraph, whatever follows it
                flush()
        pos += len(raw)
    flush()
    return out
