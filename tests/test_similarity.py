"""Paraphrase-aware similarity: facts from the seed articles and invariants."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import similarity
from analysis.similarity import (
    basic_tokens,
    cosine_matrix,
    coverage_matrix,
    embed,
    pair_similarity,
    similarity_matrix,
)
from tests.data.stories import seeds

TC_DEMOCRATIZE = (
    "“Through this partnership, Microsoft and OpenAI will advance their mutual goal to democratize AI, so "
    "everyone can benefit,” a Microsoft spokesperson told me when I asked for specifics about the "
    "partnership."
)
TR_DEMOCRATIZE = (
    "In the post, Microsoft said that it is “committed to democratizing AI and making it accessible to "
    "everyone,” and that is a mission that they share with OpenAI."
)
TC_PREFERRED = (
    "OpenAI will also make Microsoft Azure its preferred cloud platform, in part because of its existing "
    "support for AI workloads with the help of Azure Batch and Azure Machine Learning, as well as "
    "Microsoft’s work on its recently rebranded Cognitive Toolkit."
)
TR_PRIMARY = (
    "As part of the deal, announced via a blog post, Microsoft Azure will act as the primary cloud "
    "platform for OpenAI."
)
TR_TAY = (
    "Back in April, a chatbot from Microsoft called Tay was manipulated by users into spewing racist and "
    "sexist messages before being taken offline."
)
TC_GOOGLE = (
    "Amazon already offers a similar kind of GPU-focused virtual machine, though oddly enough, Google has "
    "lagged behind and — at least for the time being — doesn’t offer this kind of machine type yet."
)


@pytest.fixture(scope="module")
def seed():
    return seeds.seed_sentences()


def _texts(table, outlet):
    # The seeds carry non-breaking spaces; the quotes above use plain ones.
    return [t.replace("\xa0", " ") for t in table.loc[table["outlet"] == outlet, "text"]]


def test_seed_sentences_are_the_ones_quoted_here(seed):
    assert TC_DEMOCRATIZE in _texts(seed, "TechCrunch")
    assert TC_PREFERRED in _texts(seed, "TechCrunch")
    assert TC_GOOGLE in _texts(seed, "TechCrunch")
    assert TR_DEMOCRATIZE in _texts(seed, "TechRepublic")
    assert TR_TAY in _texts(seed, "TechRepublic")


def test_democratize_pair_are_each_others_best_match(seed):
    tc, tr = _texts(seed, "TechCrunch"), _texts(seed, "TechRepublic")
    s = similarity_matrix(tc, tr)
    i, j = tc.index(TC_DEMOCRATIZE), tr.index(TR_DEMOCRATIZE)
    assert s[i].argmax() == j and s[:, j].argmax() == i
    # Stemmed TF-IDF put this pair below TechCrunch's median best match; here it is above it.
    assert s[i, j] > np.median(s.max(axis=1))


def test_primary_cloud_platform_finds_preferred_cloud_platform(seed):
    tc = _texts(seed, "TechCrunch")
    assert TR_PRIMARY in _texts(seed, "TechRepublic")
    s = similarity_matrix([TR_PRIMARY], tc)
    assert tc[int(s[0].argmax())] == TC_PREFERRED
    assert s[0].max() > 0.6


def test_one_outlet_points_match_nothing_well(seed):
    tc, tr = _texts(seed, "TechCrunch"), _texts(seed, "TechRepublic")
    tay_best = similarity_matrix([TR_TAY], tc).max()
    google_best = similarity_matrix([TC_GOOGLE], tr).max()
    shared_best = similarity_matrix([TC_DEMOCRATIZE, TC_PREFERRED], tr).max(axis=1)
    assert tay_best < 0.45 and google_best < 0.5
    assert (shared_best > max(tay_best, google_best) + 0.1).all()


def test_word_forms_and_synonyms_meet():
    s = similarity_matrix(["democratize AI"], ["democratizing AI", "racist chatbot"])
    assert s[0, 0] > 0.8 > 0.5 > s[0, 1]


def test_coverage_is_how_much_of_the_message_a_sentence_carries():
    c = coverage_matrix(["Microsoft Azure is OpenAI's preferred cloud platform"], [TR_PRIMARY, TR_TAY])
    assert c[0, 0] > 0.8 and c[0, 1] < 0.5


def test_embed_is_unit_length_and_empty_text_is_zero():
    v = embed(["Microsoft teams up with OpenAI", ""])
    assert v.shape == (2, similarity.DIMENSIONS)
    assert np.isclose(np.linalg.norm(v[0]), 1.0)
    assert not v[1].any()
    assert cosine_matrix(["a chatbot called Tay"], ["a chatbot called Tay"])[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_basic_tokens_split_punctuation_and_strip_accents():
    assert basic_tokens("GPU-focused, café’s “serverless”") == [
        "gpu", "-", "focused", ",", "cafe", "’", "s", "“", "serverless", "”"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
       | st.text(alphabet="aeiouAEIOU éèüñçÅ’“”—-\u0301\u0308\u20dd.,'", max_size=60))
def test_basic_tokens_strip_every_combining_mark_and_only_those(text):
    """BERT's rule, character by character: decompose, drop each character of category Mn."""
    import unicodedata

    lowered = unicodedata.normalize("NFD", text.lower())
    if text.lower().isascii():
        reference = text.lower()
    else:
        reference = "".join(c for c in lowered if unicodedata.category(c) != "Mn")
    assert basic_tokens(text) == similarity._TOKEN.findall(reference)


def test_shipped_table_is_minilm_vocabulary_by_128():
    model = similarity.load_model()
    assert model.vectors.shape == (30522, similarity.DIMENSIONS)
    assert model.vocab["the"] == 1996 and model.vocab["[UNK]"] == 100
    # Frequent words weigh less than rare ones (SIF).
    assert model.weights[model.vocab["the"]] < model.weights[model.vocab["racist"]]


def test_safetensors_reader_round_trip(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    header = json.dumps({"__metadata__": {"format": "pt"},
                         "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}).encode()
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + a.tobytes())
    assert np.array_equal(similarity._read_safetensors(path)["w"], a)


def test_bert_forward_shapes_and_layer_norm():
    rng = np.random.default_rng(0)
    d, heads = 8, 2
    w = {
        "embeddings.word_embeddings.weight": rng.normal(size=(10, d)).astype(np.float32),
        "embeddings.position_embeddings.weight": rng.normal(size=(5, d)).astype(np.float32),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, d)).astype(np.float32),
        "embeddings.LayerNorm.weight": np.ones(d, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(d, np.float32),
    }
    for name, shape in [("attention.self.query", (d, d)), ("attention.self.key", (d, d)),
                        ("attention.self.value", (d, d)), ("attention.output.dense", (d, d)),
                        ("intermediate.dense", (4 * d, d)), ("output.dense", (d, 4 * d))]:
        w[f"encoder.layer.0.{name}.weight"] = rng.normal(size=shape).astype(np.float32)
        w[f"encoder.layer.0.{name}.bias"] = np.zeros(shape[0], np.float32)
    for name in ("attention.output.LayerNorm", "output.LayerNorm"):
        w[f"encoder.layer.0.{name}.weight"] = np.ones(d, np.float32)
        w[f"encoder.layer.0.{name}.bias"] = np.zeros(d, np.float32)
    out = similarity._bert_forward(w, np.array([[1, 2, 3]]), heads=heads)
    assert out.shape == (1, 3, d)
    assert np.allclose(out.mean(axis=-1), 0, atol=1e-5)  # the last step is a LayerNorm


def test_erf_matches_known_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], np.float32)
    expected = np.array([-0.99532227, -0.52049988, 0.0, 0.52049988, 0.99532227])
    assert np.allclose(similarity._erf(x), expected, atol=2e-7)


words = st.lists(st.sampled_from(["Microsoft", "OpenAI", "cloud", "Tay", "racist", "the", "democratize",
                                  "AI", "platform", "preferred", "Google", "GPU", ",", "bots", "money"]),
                 max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=5), st.lists(words, min_size=1, max_size=5))
def test_similarity_is_symmetric_and_bounded(a, b):
    s = similarity_matrix(a, b)
    t = similarity_matrix(b, a)
    assert s.shape == (len(a), len(b))
    assert np.allclose(s, t.T, atol=1e-5)
    assert ((s >= 0) & (s <= 1 + 1e-6)).all()
    c = coverage_matrix(a, b)
    assert ((c >= 0) & (c <= 1 + 1e-6)).all()


@settings(max_examples=40, deadline=None)
@given(words)
def test_a_sentence_fully_matches_itself(text):
    s = pair_similarity([text], [text])[0]
    has_content = bool(similarity.load_model().token_ids(text, content_only=True))
    assert s == pytest.approx(1.0, abs=1e-5) if has_content else s == 0


def _pieces_one_by_one(text: str) -> tuple[list[int], list[bool]]:
    """The tokeniser's definition, a word at a time: each word's WordPiece ids, flagged content
    unless the word is a stop word or starts with punctuation."""
    model = similarity.load_model()
    ids, content = [], []
    for word in basic_tokens(text):
        pieces = model.word_pieces(word)
        ids += pieces
        content += [word not in similarity._STOP and word[0].isalnum()] * len(pieces)
    return ids, content


texts = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | words, max_size=8)


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(1, 4))
def test_vectorised_tokeniser_gives_every_texts_pieces_in_order(batch, size):
    """Whatever the texts (empty, punctuation only, repeated words, accents) and however they
    are batched, text i's slice is its words' pieces in order, with their content flags."""
    old = similarity._TEXT_BATCH
    similarity._TEXT_BATCH = size
    try:
        tokens = similarity.load_model().tokenise(batch)
    finally:
        similarity._TEXT_BATCH = old
    assert len(tokens) == len(batch) and tokens.offsets[0] == 0 and tokens.offsets[-1] == len(tokens.ids)
    for i, text in enumerate(batch):
        ids, content = _pieces_one_by_one(text)
        part = slice(tokens.offsets[i], tokens.offsets[i + 1])
        assert tokens.ids[part].tolist() == ids
        assert tokens.content[part].tolist() == content
    only = tokens.content_only()
    for i, text in enumerate(batch):
        ids, content = _pieces_one_by_one(text)
        kept = [t for t, c in zip(ids, content, strict=True) if c]
        assert only.ids[only.offsets[i] : only.offsets[i + 1]].tolist() == kept


@settings(max_examples=60, deadline=None)
@given(texts.filter(bool), st.booleans())
def test_vectors_are_the_normalised_weighted_sums_of_their_pieces(batch, content_only):
    model = similarity.load_model()
    old = similarity._SUM_BATCH
    similarity._SUM_BATCH = 3  # several batches, some of texts without a single piece
    try:
        vectors = embed(batch, content_only=content_only)
    finally:
        similarity._SUM_BATCH = old
    for text, vector in zip(batch, vectors, strict=True):
        ids, content = _pieces_one_by_one(text)
        ids = [t for t, c in zip(ids, content, strict=True) if c] if content_only else ids
        total = model.weighted[ids].sum(axis=0) if ids else np.zeros(similarity.DIMENSIONS, np.float32)
        norm = np.linalg.norm(total)
        assert np.allclose(vector, total / norm if norm > 0 else total, atol=1e-6)


def test_token_table_keeps_the_first_content_tokens_and_pads_the_rest():
    long = " ".join(["cloud platform"] * 40)  # 80 content tokens
    table = similarity.token_table(["the cloud", long, ""], max_tokens=64)
    model = similarity.load_model()
    cloud, platform = model.vocab["cloud"], model.vocab["platform"]
    assert table.ids.shape == (3, 64)
    assert table.ids[0].tolist() == [cloud] + [model.pad] * 63  # "the" is a stop word
    assert table.ids[1].tolist() == [cloud, platform] * 32
    assert (table.ids[2] == model.pad).all() and not table.weights[2].any()
    assert (table.weights[0, 1:] == 0).all() and table.weights[0, 0] > 0
