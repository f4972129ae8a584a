"""English word frequencies (Zipf scale) from the ``wordfreq`` package, offline: the lexicon
:mod:`analysis.repair` asks whether a piece of glued text is a common word."""

from __future__ import annotations

import gzip
import importlib.util
import math
from functools import lru_cache
from pathlib import Path

# A capitalised word rarer than this in English (Zipf scale: "Ka'Loni" 0, "Kimani" 2.0, "Unabomber"
# 2.1, "Raj" 3.6) reads as a name word: ``analysis.extract`` joins one the model left beside a
# person's name to it ("Ka'Loni Marie Flynn")
NAME_ZIPF = 2.0
# ... unless it is two English words of at least this frequency run together ("Moviemaker" 1.5 is
# "movie" 4.2 + "maker", "Undersheriff"; against "Kimani": "kim" + "ani" 3.2)
COMPOUND_ZIPF = 3.5


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """Zipf frequency of every English word in wordfreq's large list (lowercase keys).

    Read straight from wordfreq's data file (the same values as ``wordfreq.get_frequency_dict("en",
    wordlist="large")``, same order): importing ``wordfreq`` costs ~0.4 s (``langcodes`` and a
    stack inspection to find its own folder), twice the time the file itself takes to read.
    """
    spec = importlib.util.find_spec("wordfreq")  # locates the package without importing it
    path = Path(next(iter(spec.submodule_search_locations or ()), "")) / "data" / "large_en.msgpack.gz"
    try:
        import msgpack

        with gzip.open(path, "rb") as infile:
            pack = msgpack.load(infile, raw=False)
    except (ImportError, OSError, ValueError):
        pack = None
    if not pack or not isinstance(pack[0], dict) or pack[0].get("format") != "cB" or pack[0].get("version") != 1:
        import wordfreq  # another wordfreq layout: its own reader

        freqs = wordfreq.get_frequency_dict("en", wordlist="large")
        return {w: math.log10(f) + 9.0 for w, f in freqs.items()}
    lexicon: dict[str, float] = {}
    # bucket i holds the words of frequency 10 ** (-i / 100); a later bucket wins, as in wordfreq
    for index, bucket in enumerate(pack[1:]):
        if bucket:
            lexicon.update(dict.fromkeys(bucket, math.log10(10 ** (-index / 100)) + 9.0))
    return lexicon


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (case and curly apostrophes ignored); 0 for an unknown word."""
    return lexicon().get(word.lower().replace("\u2019", "'").replace("\u2018", "'"), 0.0)


def commonest_part(word: str) -> float:
    """The Zipf frequency of the commonest hyphen-separated part of ``word`` (wordfreq's list has no
    hyphenated words): "President-elect" 5.5 like "president", "Ferrero-Waldner" 2.1."""
    return max((zipf(part) for part in word.replace("‐", "-").split("-") if part), default=0.0)


def compound(word: str) -> bool:
    """Whether ``word`` is two English words of Zipf :data:`COMPOUND_ZIPF` or more run together
    ("Moviemaker", "Undersheriff"); parts of three letters or more."""
    low = word.lower()
    return low.isalpha() and any(min(zipf(low[:i]), zipf(low[i:])) >= COMPOUND_ZIPF for i in range(3, len(low) - 2))


def name_word(word: str) -> bool:
    """Whether a capitalised ``word`` reads as part of a name rather than an English word: rarer than
    :data:`NAME_ZIPF` (each hyphenated part) and no compound of common words.

    >>> name_word("Ka'Loni"), name_word("Kimani"), name_word("Moviemaker"), name_word("Coroner")
    (True, True, False, False)
    """
    return commonest_part(word) < NAME_ZIPF and not compound(word)
