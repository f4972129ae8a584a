"""Text repair: put back the spaces that scraping loses around links.

Scraped articles often glue a link's anchor text to its neighbours
(``rebrandedCognitive``, ``atOpenAIto``, ``othertech``, ``partnership,Microsoft``).
:func:`repair_text` finds such glued boundaries and inserts one space at each. It never
deletes or changes a character, so :func:`unrepair` gives back the original exactly.

How a boundary is recognised (each rule is conservative; unsure means "leave it"):

* **Comma glue**: ``partnership,Microsoft`` -> ``partnership, Microsoft`` (two letters
  before the comma, a letter after, one such comma in the token: ``1,000``, ``a,b`` and
  ``a,b,c`` lists stay).
* **lower -> Upper**: split only when the lowercase stretch on the left stands alone
  (start of the token, or right after another accepted boundary) and is an English word,
  and an acronym or a real capitalised word starts on the right: ``democratizeAI``,
  ``rebrandedCognitive``, ``useMicrosoft``. Brand-style camelCase is never split: a
  capitalised word followed by another (``TechCrunch``, ``PowerPoint``,
  ``MicrosoftResearch``), a single letter (``iPhone``, ``eBay``), a capitalised word plus
  an acronym (``OpenAI``), a short tail (``spaCy``), a lowerCamelCase identifier with
  three capitals or more (``getElementById``), or a whole token that is itself in the
  lexicon (``macOS``, ``mySQL``, ``VMware``). ``theiPhone`` is ambiguous and left alone
  unless ``iPhone`` is protected.
* **ACRONYM -> lower**: ``OpenAIwill``, ``AIand`` split after an upper-case run of two or
  more letters when the lowercase rest is a common word (``IDs``, ``SQLite`` stay, and so
  does ``HTTPProxy``, whose last capital starts a word).
* **Capitalised word + function word**: ``Microsoftand`` -> ``Microsoft and`` when the
  whole is not a word, the head is a common word and the tail is one or two function
  words of three letters or more (so names such as ``Weston`` or ``Benton`` stay whole).
* **All-lowercase glue**: ``othertech``, ``intelligenceresearchnon`` are split into common
  words only when the token is not itself a common word and the split is far more likely
  under a unigram model (word frequencies from the ``wordfreq`` package, offline:
  :mod:`analysis.lexicon`).
* **Protected names** (``protected=``, e.g. the gazetteer in ``data/aliases.csv``) are never
  split, and are split *out* of glued tokens at case changes or before/after a common word:
  ``MicrosoftResearch`` -> ``Microsoft Research``, ``useMicrosoftAzure`` ->
  ``use Microsoft Azure``. These two are the only repairs in the bundled TechCrunch seed
  that need the gazetteer: without it a capitalised word glued to a capitalised word
  looks exactly like a brand such as ``DeepMind``. A word that is only part of a longer
  name (``Trump`` of ``Donald Trump``, ``Open`` of ``Open AI``) is split out only next to
  another name (``DonaldTrump``), so clean news keeps ``Trumpcare`` and ``OpenWorld``
  whole; an all-capitals word (``TAIEX``) is never cut. On clean real news, with
  ``data/aliases.csv`` (every sentence of NewsMTSC's training split; ECB+'s 982 articles),
  this took the tokens repaired from 21 to 15 and from 35 to 27; every one dropped had been
  cut wrongly (``Trump care``, ``Open World``, ``T AI EX``). Most of those left are wrong too,
  lowercase splits of real words (``super predator``, ``non deportation``): a known limit.

Tokens that look like URLs, e-mail addresses, @handles, #hashtags, file names, code or
dotted abbreviations (``U.S.``, ``e.g.``) are never touched.

Known limits: two-word jargon that is not in the lexicon is split like glue
(``setuptools``, ``docstring``); short lowerCamelCase identifiers are split
(``useState`` -> ``use State``). Repair is applied until the pieces no longer change, so
it is idempotent by construction.

Only Latin letters (Basic Latin and Latin-1) count as cased for the case rules, so that the
cheap regular-expression prefilter and the rules agree; other scripts are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from .lexicon import lexicon, zipf

__all__ = ["Repaired", "repair_text", "unrepair"]


@dataclass(frozen=True)
class Repaired:
    """A repaired text and where its inserted spaces are.

    Attributes:
        text: the repaired text.
        inserted: ascending indices in ``text`` of every inserted space.
    """

    text: str
    inserted: tuple[int, ...]

    @property
    def repairs(self) -> int:
        """Number of glued boundaries fixed (one inserted space each)."""
        return len(self.inserted)


# --- character classes -------------------------------------------------------------------
# The case rules and the prefilter must agree on what "lower" and "upper" mean, so both are
# derived from the same Latin-1 sets.
_LOWER = frozenset(c for c in map(chr, range(256)) if c.islower())
_UPPER = frozenset(c for c in map(chr, range(256)) if c.isupper())


def _cls(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


_LO, _UP = _cls(_LOWER), _cls(_UPPER)
_LETTER = r"[^\W\d_]"
_APOS = "'\u2019\u2018"

# Something that may be glue: a comma between letters, lower->Upper, ACRONYM->lower.
_GLUE_HIT = re.compile(rf"{_LETTER}{{2}},{_LETTER}|{_LO}{_UP}|{_UP}{{2}}{_LO}")
# Letter runs long enough to hide lowercase glue; checked against the lexicon.
_CASE_CHANGE = re.compile(f"{_LO}{_UP}|{_UP}{{2}}{_LO}")
_COMMA_GLUE = re.compile(rf"(?={_LETTER}{{2}},{_LETTER})")
_LONG_RUN = re.compile(rf"(?<![^\W\d_]){_LETTER}{{4,}}(?![^\W\d_])")
_TOKEN = re.compile(r"\S+")
# A letter run, with internal apostrophes (doesn't, Microsoft's, O'Reilly).
_RUN = re.compile(rf"{_LETTER}+(?:[{_APOS}]{_LETTER}+)*")
# Tokens never touched: URLs, e-mails, handles, hashtags, paths, code, dotted abbreviations.
_SKIP = re.compile(r"[/\\_=<>{}\[\]|~^`$%@&*+]|^#|\w\.\w|://|\w\(")
_IDENTIFIER = re.compile(rf"{_LO}+(?:{_UP}{_LO}+){{3,}}$")
_CLITICS = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})

# Two-letter words allowed as pieces of a split (others, like "tv" or "co", are not).
_SHORT = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we".split()
)
# Function words that may trail a capitalised word (Microsoftand). Three letters or more:
# names end in -on, -in, -is, -as far too often.
_TAIL = frozenset(
    """and the will for with from that this was has have had are were but not can said says
    its also into over after who which while when""".split()
)

_WORD = 3.5        # a token this frequent (Zipf) is a word and is never split
_COMMON = 3.5      # a piece of a split must be at least this frequent
_LEFT_WORD = 2.0   # a lowercase stretch before a capital must be at least this frequent
_KNOWN_CAMEL = 1.75  # a camelCase token this frequent as a whole is a brand (macOS)
_MARGIN = 1.5      # a split must beat the whole token by this much (log10 probability)
_MAX_SEG = 40      # longest lowercase stretch the segmenter looks at
_MAX_TOKEN = 100   # longer tokens are not glue (judging one costs more, and recurses, with its length)


def _segment(s: str) -> tuple[list[int], float] | None:
    """Best split of lowercase ``s`` into >= 2 common words: (cut offsets, log10 score)."""
    n = len(s)
    if n < 4 or n > _MAX_SEG:
        return None
    lex = lexicon()
    best: list[tuple[float, int, int] | None] = [None] * (n + 1)  # (score, pieces, prev)
    best[0] = (0.0, 0, -1)
    for j in range(1, n + 1):
        for i in range(max(0, j - 24), j):
            if best[i] is None or (i == 0 and j == n):
                continue
            piece = s[i:j]
            z = lex.get(piece, 0.0)
            if z < _COMMON or (len(piece) < 3 and piece not in _SHORT) or len(piece) < 2:
                continue
            score = best[i][0] + z - 9.0
            cand = (score, best[i][1] + 1, i)
            if best[j] is None or score > best[j][0]:
                best[j] = cand
    if best[n] is None:
        return None
    cuts, j = [], n
    while j > 0:
        j = best[j][2]
        if j > 0:
            cuts.append(j)
    return sorted(cuts), best[n][0]


def _split_lower(s: str) -> list[int]:
    """Cuts inside an all-lowercase stretch that is not itself a common word (othertech)."""
    z = zipf(s)
    if z >= _WORD:
        return []
    seg = _segment(s)
    if seg is None:
        return []
    cuts, score = seg
    if z == 0.0:
        # An unknown token is a word of its own with log10 probability -6 - 0.3 * length:
        # a split into few, frequent words beats it (othertech), one into many short
        # pieces does not (shellingham is not shelling|ham).
        return cuts if score >= -6.0 - 0.3 * len(s) else []
    return cuts if score >= z - 9.0 + _MARGIN else []


def _stretch(s: str, min_zipf: float) -> list[int] | None:
    """Cuts inside a lowercase stretch next to a case boundary, or None if it is no word."""
    if len(s) < 2 or (len(s) == 2 and s not in _SHORT):
        return None
    if zipf(s) >= min_zipf:
        return _split_lower(s)
    cuts = _split_lower(s)
    return cuts or None


def _cap_tail(w: str) -> list[int] | None:
    """Cuts in a capitalised word glued to trailing function words (Microsoftand)."""
    if len(w) < 7 or zipf(w) >= _WORD:
        return None
    low = w.lower()
    for h in range(len(w) - 3, 3, -1):
        if zipf(low[:h]) < _WORD:
            continue
        tail = low[h:]
        if tail in _TAIL:
            return [h]
        for t in range(3, len(tail) - 2):
            if tail[:t] in _TAIL and tail[t:] in _TAIL:
                return [h, h + t]
    return None


def _plausible_right(r: str, i: int) -> bool:
    """Does a word start at ``r[i]`` (an acronym, or a capitalised word, not spa|Cy)?"""
    j = i + 1
    while j < len(r) and r[j] in _UPPER:
        j += 1
    if j - i >= 2:
        return True
    while j < len(r) and r[j] in _LOWER:
        j += 1
    word = r[i:j]
    return len(word) >= 5 or (len(word) >= 3 and zipf(word) >= _LEFT_WORD)


def _split_case(r: str) -> set[int]:
    """Cuts in a letter run without protected names, by case changes and the lexicon."""
    n = len(r)
    if n < 2:
        return set()
    if all(c in _LOWER for c in r):
        return set(_split_lower(r)) if n >= 4 else set()
    cuts: set[int] = set()
    if _CASE_CHANGE.search(r) and zipf(r) >= _KNOWN_CAMEL:
        return cuts
    if _IDENTIFIER.match(r):
        return cuts  # getElementById, endDoctypeDeclHandler: code, not glue
    seg_start = 0
    for i in range(1, n):
        a, b = r[i - 1], r[i]
        if a in _LOWER and b in _UPPER:
            k = i
            while k > seg_start and r[k - 1] in _LOWER:
                k -= 1
            if k == seg_start:
                left = r[k:i]
                if len(left) > 2 and zipf(left) < _WORD and zipf(left[:-1]) >= _WORD:
                    continue  # "theiPhone": the|iPhone or thei|Phone? Leave it.
                inner = _stretch(left, _LEFT_WORD)
                if inner is not None and _plausible_right(r, i):
                    cuts.update(k + c for c in inner)
                    cuts.add(i)
                    seg_start = i
            elif k == seg_start + 1 and r[seg_start] in _UPPER:
                inner = _cap_tail(r[seg_start:i])
                if inner is not None:
                    cuts.update(seg_start + c for c in inner)
                    cuts.add(i)
                    seg_start = i
        elif a in _UPPER and b in _LOWER and i >= 2 and r[i - 2] in _UPPER:
            m = i
            while m < n and r[m] in _LOWER:
                m += 1
            inner = _stretch(r[i:m], _COMMON)
            if inner is not None and zipf(r[i - 1 : m]) < zipf(r[i:m]) - _MARGIN:
                # (HTTPProxy, XMLParse: the last capital starts the word)
                cuts.add(i)
                cuts.update(i + c for c in inner)
                seg_start = i
    rest = r[seg_start:]
    if len(rest) > 1 and rest[0] in _UPPER and all(c in _LOWER for c in rest[1:]):
        inner = _cap_tail(rest)
        if inner is not None:
            cuts.update(seg_start + c for c in inner)
    return cuts


def _edge_ok(r: str, p: int, name_left: bool) -> bool:
    """May a protected name end (name_left) or start (not name_left) at cut ``p`` of ``r``?"""
    a, b = r[p - 1], r[p]
    other = b if name_left else a
    if other not in _LOWER:
        # Neighbour is upper case (or uncased): fine at a case change or after an acronym.
        return other in _UPPER and (a in _LOWER or a in _UPPER)
    # Neighbour is a lowercase stretch: it must be a word on its own.
    if name_left:
        m = p
        while m < len(r) and r[m] in _LOWER:
            m += 1
        stretch = r[p:m]
    else:
        k = p
        while k > 0 and r[k - 1] in _LOWER:
            k -= 1
        if k > 0:  # the stretch is the tail of a capitalised word (McDonald): not a word
            return False
        stretch = r[k:p]
    mine = a if name_left else b
    if mine in _LOWER and zipf(r) >= _WORD:  # lower-lower seam inside a real word (Thesis)
        return False
    return _stretch(stretch, _COMMON if mine in _LOWER else _LEFT_WORD) is not None


def _split_run(
    r: str, names: re.Pattern[str] | None, name_set: frozenset[str], whole: frozenset[str]
) -> set[int]:
    """Cut offsets inside one letter run (no apostrophes). ``whole``: the names of ``name_set`` that
    are protected names by themselves; the others (Trump of Donald Trump, Open of Open AI) are split
    out only next to another name split out."""
    if r in name_set or r.isupper():  # an all-capitals run is one word (TAIEX), not glue around AI
        return set()
    if names is None:
        return _split_case(r)
    if zipf(r) >= _KNOWN_CAMEL and not r.islower():
        return set()  # a known brand (TechCrunch) is not taken apart even for a name (Tech)
    n = len(r)
    forbidden: set[int] = set()
    bounds: set[int] = set()
    occurrences = [(m.start(), m.end()) for m in names.finditer(r)]
    for a, b in occurrences:
        forbidden.update(range(a + 1, b))
    # A name is split out when each edge is the run's end, a good seam, or the edge of
    # another name split out (MicrosoftAzure); drop failing names until nothing changes.
    valid = set(occurrences)
    changed = True
    while changed:
        starts, ends = {a for a, _ in valid}, {b for _, b in valid}
        keep = {
            (a, b)
            for a, b in valid
            if (a == 0 or a in ends or _edge_ok(r, a, False))
            and (b == n or b in starts or _edge_ok(r, b, True))
            and (r[a:b] in whole or a in ends or b in starts)  # Trumpcare, OpenWorld, Samera stay whole
        }
        changed, valid = keep != valid, keep
    for a, b in valid:
        bounds.update(p for p in (a, b) if 0 < p < n)
    if not forbidden:
        return _split_case(r)
    cuts = set(bounds)
    edges = sorted({0, n} | bounds)
    for lo, hi in pairwise(edges):
        piece = r[lo:hi]
        if piece not in name_set:
            cuts.update(lo + c for c in _split_case(piece))
    return {c for c in cuts if c not in forbidden}


def _split_token(
    tok: str, names: re.Pattern[str] | None, name_set: frozenset[str], whole: frozenset[str]
) -> list[int]:
    """Offsets in ``tok`` before which a space goes."""
    if _SKIP.search(tok):
        return []
    cuts: set[int] = set()
    commas = [m.start() + 2 for m in _COMMA_GLUE.finditer(tok)]
    if len(commas) == 1 and tok.count(",") == 1:  # "a,b,c" and keyword lists are not glue
        cuts.add(commas[0] + 1)
    for m in _RUN.finditer(tok):
        run = m.group()
        stem = run
        if any(c in _APOS for c in run):
            if zipf(run) > 0.0:
                continue
            cut = max(run.rfind(c) for c in _APOS)
            stem, clitic = run[:cut], run[cut + 1:]
            if clitic.lower() not in _CLITICS or any(c in _APOS for c in stem):
                continue  # O'Reilly, rock'n'roll: left whole
        cuts.update(m.start() + c for c in _split_run(stem, names, name_set, whole))
    return sorted(cuts)


def _split_token_fully(
    tok: str, names: re.Pattern[str] | None, name_set: frozenset[str], whole: frozenset[str]
) -> list[int]:
    """Offsets in ``tok`` before which a space goes, repeated on the pieces until none splits.

    Repairing the pieces again is what a second ``repair_text`` would do, so iterating here
    to a fixed point makes repair idempotent by construction; pieces only get shorter.
    """
    cuts = _split_token(tok, names, name_set, whole)
    if not cuts:
        return []
    out = set(cuts)
    edges = [0, *cuts, len(tok)]
    for lo, hi in pairwise(edges):
        out.update(lo + c for c in _split_token_fully(tok[lo:hi], names, name_set, whole))
    return sorted(out)


def _name_words(protected: Iterable[str]) -> frozenset[str]:
    """Single-token names: each name's letter runs that contain a capital, two letters up."""
    out = set()
    for name in protected:
        for w in re.findall(rf"{_LETTER}+", str(name)):
            if len(w) >= 2 and any(c.isupper() for c in w):
                out.add(w)
    return frozenset(out)


@lru_cache(maxsize=32)
def _names_pattern(name_set: frozenset[str]) -> re.Pattern[str] | None:
    if not name_set:
        return None
    alts = sorted(name_set, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in alts))


def _suspect(tok: str, names: re.Pattern[str] | None) -> bool:
    """Cheap prefilter: could this whitespace-delimited token hold glue at all?"""
    if _GLUE_HIT.search(tok) or (names is not None and names.search(tok)):
        return True
    for w in _LONG_RUN.findall(tok):
        if w.islower():
            if zipf(w) < _WORD:
                return True  # rare or unknown lowercase run: maybe othertech
        elif len(w) >= 7 and w[0].isupper() and w[1:].islower() and zipf(w) < _WORD:
            return True  # maybe Microsoftand
    return False


def repair_text(text: str, *, protected: Iterable[str] = ()) -> Repaired:
    """Insert the spaces that scraping lost, and only spaces.

    Args:
        text: any text.
        protected: names never to split, which may be split out of glued tokens
            (``"OpenAI"``, ``"Microsoft Azure"``: each capitalised word counts).

    Returns:
        A :class:`Repaired` with the text and the indices of the inserted spaces.
        ``unrepair(result.text, result.inserted) == text`` always holds.

    >>> r = repair_text("the othertech firms atOpenAIto democratizeAI at TechCrunch")
    >>> r.text
    'the other tech firms at OpenAI to democratize AI at TechCrunch'
    >>> r.repairs
    4
    >>> repair_text("useMicrosoftAzure", protected=["Microsoft", "Azure"]).text
    'use Microsoft Azure'
    """
    protected = [str(name).strip() for name in protected]
    name_set = _name_words(protected)
    whole = frozenset(name for name in protected if name in name_set)
    names = _names_pattern(name_set)
    # Each distinct token is judged once, alone: ordinary text costs a split and a set.
    glued: dict[str, list[int]] = {}
    for tok in set(text.split()):
        if len(tok) <= _MAX_TOKEN and _suspect(tok, names):
            cuts = _split_token_fully(tok, names, name_set, whole)
            if cuts:
                glued[tok] = cuts
    if not glued:
        return Repaired(text, ())
    positions: list[int] = []
    for m in _TOKEN.finditer(text):
        cuts = glued.get(m.group())
        if cuts:
            positions.extend(m.start() + c for c in cuts)
    parts, inserted, prev = [], [], 0
    for k, p in enumerate(positions):
        parts.append(text[prev:p])
        parts.append(" ")
        inserted.append(p + k)
        prev = p
    parts.append(text[prev:])
    return Repaired("".join(parts), tuple(inserted))


def unrepair(text: str, inserted: Iterable[int]) -> str:
    """Remove the spaces a repair inserted, giving back the original text.

    >>> r = repair_text("MicrosoftandOpenAIwill")
    >>> r.text, unrepair(r.text, r.inserted)
    ('Microsoft and OpenAI will', 'MicrosoftandOpenAIwill')

    Raises:
        ValueError: if an index is out of range or does not point at a space.
    """
    drop = sorted(set(inserted))
    for i in drop:
        if not 0 <= i < len(text) or text[i] != " ":
            raise ValueError(f"index {i} is not an inserted space")
    parts, prev = [], 0
    for i in drop:
        parts.append(text[prev:i])
        prev = i + 1
    parts.append(text[prev:])
    return "".join(parts)
