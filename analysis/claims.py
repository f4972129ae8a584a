"""Does a sentence carry a key message's claim (who did what, with its polarity), not just its words?

Why: word matching (:func:`analysis.similarity.coverage_matrix`) scores "Lindsay Lohan checks into
rehab" as carrying "Tara Reid entered rehab", and "Tara Reid has not checked into rehab" as
carrying it too. A claim is its actors, its action and its polarity; this module checks each over
spaCy's dependency parse, with the static MiniLM vectors for the words:

- **coverage**: how much of the message's content the sentence has (token-match recall);
- **names**: the share of the message's names (runs of proper nouns: "Tara Reid", "Betty Ford")
  that the sentence names too (any word of the name, or a word whose vector is within
  ``NAME_SIMILARITY``: "naval" for "Navy");
- **action**: the sentence's words closest to the message's verbs (and the adjective of "found
  guilty"), and the verbs the message's names are subjects or objects of, are where polarity and
  mood are read (the static vectors are too weak on verbs, "foil"/"thwart" 0.0, for the closeness
  itself to help: on the development pairs it lowered the ROC AUC, so it is not in the score);
- **polarity**: the action is negated ("not", "never", "no"), denied,
  refused, failed, ruled out or turned down, or is the opposite itself ("acquitted", "scrapped"),
  looked for on the path from that word up through the clauses that contain it, so that "An
  arrest ... will not affect his playing status" still carries "X was arrested";
- **mood**: a hoped-for, conditional or possible action ("could be sentenced", "when the patch is
  released", "if the deal is completed") is not a reported one;
- **roles**: "Thompson stopped Klitschko" swaps the agent and the patient of "Klitschko stopped
  Thompson";
- **action agreement**: one of the message's verbs has a counterpart in the sentence (its lemma or
  base form, or a synonym in ``data/verb_relations.csv``), outside relative clauses on a name
  ("Cheeks, who was fired in March, ..." is background); a message without a name also keeps its
  object. A verb of that file's opposites ("left" for "entered", "kept" for "fired") with no
  counterpart flips the polarity, so a contradiction needs no negation word.

The score is ``coverage × names²``, cut by ``NEGATED`` when the polarity differs from the
message's, by ``HYPOTHETICAL`` and by ``SWAPPED``, and at most ``ACTION_CAP`` (below ``THRESHOLD``)
when the action does not agree. Those factors and ``THRESHOLD`` were chosen on the
development half of ``tests/data/messages/pairs.jsonl`` by ``training/messages_eval.py``, which
also reports the held-out half (README, "Key messages").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .similarity import basic_tokens, coverage_matrix, load_model

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

THRESHOLD = 0.52
NAME_SIMILARITY = 0.80
NEGATED = 0.10
HYPOTHETICAL = 0.50
SWAPPED = 0.25
ROLE_VERB_SIMILARITY = 0.5  # a role counts when it is a role in the message's action
ACTION_CAP = 0.40  # the score of a sentence with no counterpart of the message's action: below THRESHOLD
ACTION_SIMILARITY: float = 2.0  # static-vector closeness that counts as a counterpart of the action (> 1: none)
OBJECT_SIMILARITY: float | None = None  # the same for the object (> 1: same lemma; None: only without names)

# Words that deny, reverse or cancel the action they govern (lemmas).
_NEGATORS = frozenset({
    "deny", "refuse", "fail", "reject", "decline", "acquit", "scrap", "cancel", "drop", "abandon", "dismiss",
    "avoid", "halt", "block", "withdraw", "retract", "escape", "evade", "elude", "never", "without",
})
_PHRASAL_NEGATORS = frozenset({("turn", "down"), ("rule", "out"), ("call", "off"), ("back", "out"), ("keep", "off")})
_HEDGES = frozenset({"hope", "want", "wish", "plan", "consider", "expect", "urge", "ask", "may", "might",
                     "could", "should", "rumor", "rumour", "speculate", "if", "unless", "whether", "when"})
_MODALS = frozenset({"could", "might", "may", "should", "must"})
# Dependencies along which a governing word's polarity or mood reaches the word below it.
_CARRY = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "attr", "oprd", "acomp", "amod",
                    "compound", "conj", "advcl", "auxpass", "agent", "dative", "npadvmod", "ROOT"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


def _verb_relations() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Synonyms and opposites of ``data/verb_relations.csv``, each lemma mapped to its partners (both ways)."""
    path = Path(__file__).resolve().parent.parent / "data" / "verb_relations.csv"
    found: dict[str, dict[str, set[str]]] = {"synonym": {}, "opposite": {}}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("relation,"):
            continue
        relation, word, other = (part.strip() for part in line.split(","))
        found[relation].setdefault(word, set()).add(other)
        found[relation].setdefault(other, set()).add(word)
    return tuple({k: frozenset(v) for k, v in found[r].items()} for r in ("synonym", "opposite"))  # type: ignore[return-value]


SYNONYMS, OPPOSITES = _verb_relations()


@dataclass(frozen=True)
class Claim:
    """A key message read as a claim: its names (each a tuple of lower-cased words), its action
    words (verbs, and the adjective of "found guilty"), the names in the agent and patient roles,
    and whether the message itself is negated ("declined to comment") or hedged ("may buy")."""

    text: str
    names: tuple[tuple[str, ...], ...]
    action: tuple[str, ...]
    agent: tuple[str, ...] | None
    patient: tuple[str, ...] | None
    negated: bool
    hedged: bool = False
    lemmas: tuple[str, ...] = ()  # the action's lemmas ("enter" for "entered")
    object: str | None = None  # the lemma of the action's object when it is not a name ("rehab")


@dataclass(frozen=True)
class Reading:
    """How a sentence relates to a claim: the parts of :func:`claim_score` (see the module)."""

    coverage: float
    names: float
    action: float
    negated: bool
    hypothetical: bool
    swapped: bool
    agrees: bool = True  # the sentence has a counterpart of the message's action and object

    @property
    def score(self) -> float:
        """``coverage × names²``, cut for opposite polarity, hedged mood, swapped roles and another action."""
        value = self.coverage * self.names**2
        if not self.agrees:
            value = min(value, ACTION_CAP)
        if self.negated:
            value *= NEGATED
        if self.hypothetical:
            value *= HYPOTHETICAL
        if self.swapped:
            value *= SWAPPED
        return float(min(max(value, 0.0), 1.0))


@lru_cache(maxsize=1)
def load_parser():  # -> spacy.language.Language
    """The small English model with its tagger, parser and lemmatizer (no NER), loaded once."""
    import spacy  # here, not at the top: reading stored results never needs spaCy
    from thinc.api import use_ops

    from .nlp import MODEL

    with use_ops("numpy", use_blis=False):
        return spacy.load(MODEL, exclude=["ner", "senter"])


_PARSED: OrderedDict[str, Doc] = OrderedDict()  # the last parsed sentences, a few kB each
_PARSED_MAX = 4_096


def parse_many(texts: Sequence[str]) -> None:
    """Parse the texts not parsed yet in one batch (spaCy's ``pipe``: several times faster than one
    by one on this model), so that :func:`read_sentence` finds them parsed."""
    todo = [t for t in dict.fromkeys(texts) if t not in _PARSED]
    for text, doc in zip(todo, load_parser().pipe(todo, batch_size=64), strict=True):
        _PARSED[text] = doc
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)


def _parse(text: str) -> Doc:
    doc = _PARSED.get(text)
    if doc is None:
        parse_many([text])
        return _PARSED[text]
    _PARSED.move_to_end(text)
    return doc


def _name_runs(doc: Doc) -> list[list[Token]]:
    runs: list[list[Token]] = []
    for token in doc:
        if token.pos_ == "PROPN" and token.is_alpha:
            if runs and runs[-1][-1].i == token.i - 1:
                runs[-1].append(token)
            else:
                runs.append([token])
    return runs


def _words(tokens: Sequence[Token]) -> tuple[str, ...]:
    return tuple(w for t in tokens for w in basic_tokens(t.text) if w.isalnum())


def _role(token: Token) -> str | None:
    """``agent`` or ``patient`` of the verb a name (given by any of its words) stands for."""
    while token.dep_ in ("compound", "flat", "poss", "case") and token.head is not token:
        token = token.head
    head = token.head
    if token.dep_ == "nsubj":
        if head.lemma_ == "be" or head.pos_ == "AUX":  # "Cheeks is out as coach": no action of his
            return None
        return "patient" if any(c.dep_ == "auxpass" for c in head.children) else "agent"
    if token.dep_ in ("nsubjpass", "dobj"):
        return "patient"
    if token.dep_ == "pobj" and head.dep_ == "agent":
        return "agent"
    return None


def _argument_of(token: Token) -> Token | None:
    """The verb a name is the subject or object of, if it is one."""
    while token.dep_ in ("compound", "flat") and token.head is not token:
        token = token.head
    if token.dep_ in ("nsubj", "nsubjpass", "dobj") and token.head.pos_ in ("VERB", "AUX"):
        return token.head
    return None


def parse_claim(message: str) -> Claim:
    """Read a key message as a :class:`Claim`.

    >>> c = parse_claim("Maurice Cheeks was fired as coach of the 76ers")
    >>> c.names, c.action, c.patient, c.negated
    ((('maurice', 'cheeks'),), ('fired',), ('maurice', 'cheeks'), False)
    """
    doc = _parse(message)
    runs = _name_runs(doc)
    names = tuple(_words(run) for run in runs)
    action = tuple(w for t in doc if (t.pos_ == "VERB" and t.dep_ not in ("amod", "compound"))
                   or (t.pos_ == "ADJ" and t.dep_ in ("oprd", "acomp")) for w in basic_tokens(t.text))
    if not action:  # "Tay taken offline", "HP in talks": the root carries the action
        action = tuple(basic_tokens(doc[:].root.text)) if len(doc) else ()
    roles: dict[str, tuple[str, ...]] = {}
    for run in runs:
        role = _role(run[-1])
        if role and role not in roles:
            roles[role] = _words(run)
    anchors = [t for t in doc if t.lower_ in action] or list(doc[:1])
    readings = [_polarity_and_mood(t) for t in anchors]
    negated = any(n for n, _ in readings) or any(t.lower_ in ("never", "no") for t in doc)
    hedged = any(h for _, h in readings)
    # every verb of the message may be its action's counterpart ("democratizing" is parsed as a modifier)
    verbs = [t for t in doc if (t.lower_ in action or t.pos_ == "VERB") and t.pos_ != "AUX"]
    lemmas = tuple(dict.fromkeys(t.lemma_.lower() for t in verbs))
    objects = [c for t in verbs for c in t.children if c.dep_ in ("dobj", "attr") and c.pos_ == "NOUN"]
    return Claim(message, names, action, roles.get("agent"), roles.get("patient"), negated, hedged, lemmas,
                 objects[0].lemma_.lower() if objects else None)


def _forms(word: str) -> set[str]:
    """The word and its likely base forms: a title-case headline's verb is often tagged a proper noun,
    whose lemma is itself ("Sudan Bombs Yida Refugee Camp")."""
    forms = {word}
    for ending, base in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ies", "y")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: len(word) - len(ending)] + base)
    return forms


def _keys(token: Token) -> set[str]:
    """The token's lemma (and base forms), and each with a particle or preposition it governs ("check into")."""
    lemmas = {token.lemma_.lower()} | _forms(token.lower_)
    return lemmas | {f"{lemma} {c.lower_}" for lemma in lemmas for c in token.children if c.dep_ in ("prt", "prep")}


def _background(token: Token, names: set[str]) -> bool:
    """A verb in a relative clause on a name ("Cheeks, who was fired March 2 as head coach of the Portland
    Trail Blazers, is ..."): a past event of that person, background rather than the sentence's claim."""
    return token.dep_ == "relcl" and (token.head.pos_ == "PROPN" or token.head.lower_ in names)


def _vectors(words: Sequence[str]) -> np.ndarray:
    """Unit static vectors of whole words (the mean of their WordPiece vectors)."""
    model = load_model()
    out = np.zeros((len(words), model.vectors.shape[1]), np.float32)
    for i, word in enumerate(words):
        out[i] = model.vectors[list(model.word_pieces(word))].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def _polarity_and_mood(token: Token, *, depth: int = 8) -> tuple[bool, bool]:
    """Whether ``token`` is negated (or reversed) and whether it is hedged, by itself or by the
    words that govern it along complement and modifier links (not from a clause it is the subject
    of: "An arrest ... will not affect" does not negate the arrest)."""
    negated = hedged = False
    node, came_as, clause = token, None, True
    for _ in range(depth):
        lemma = node.lemma_.lower()
        children = list(node.children)
        if came_as in ("ccomp", "advcl", "parataxis"):
            clause = False  # a "not" in a clause above says nothing of this one ("X doesn't say Y ...")
        if came_as not in _SUBJECTS:
            has_not = any(c.dep_ == "neg" for c in children)
            if has_not and clause:
                negated = not negated
            if lemma in _NEGATORS and node.pos_ == "VERB":
                negated = not negated
            if any((lemma, c.lower_) in _PHRASAL_NEGATORS for c in children if c.dep_ in ("prt", "prep")):
                negated = not negated
            if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
                hedged = True
            if node.pos_ == "VERB" and lemma in _HEDGES and not has_not:  # "didn't want to comment": a refusal
                hedged = True
            if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _HEDGES for c in children):
                hedged = True
        if node.dep_ == "ROOT" or node.head is node:
            break
        if node.dep_ not in _CARRY and node.dep_ not in _SUBJECTS:
            break
        came_as = node.dep_
        node = node.head
    return negated, hedged


def read_sentence(claim: Claim, sentence: str, *, coverage: float | None = None) -> Reading:
    """How ``sentence`` relates to ``claim``: a :class:`Reading` (its ``score`` is in [0, 1])."""
    doc = _parse(sentence)
    tokens = [t for t in doc if t.is_alpha or t.like_num]
    words = [t.lower_ for t in tokens]
    if coverage is None:
        coverage = float(coverage_matrix([claim.text], [sentence])[0, 0])
    if not tokens:
        return Reading(coverage, 0.0, 0.0, False, False, False)
    vectors = _vectors(words)

    def find(name: tuple[str, ...]) -> Token | None:
        for word in name:
            if word in words:
                return tokens[words.index(word)]
        sims = _vectors(list(name)) @ vectors.T
        best = np.unravel_index(int(sims.argmax()), sims.shape)
        return tokens[best[1]] if sims[best] >= NAME_SIMILARITY else None

    found = [find(name) for name in claim.names]
    names = float(np.mean([f is not None for f in found])) if found else 1.0

    action, negated, hedged = 1.0, False, False
    if claim.action:
        sims = np.clip(_vectors(list(claim.action)) @ vectors.T, 0.0, 1.0)
        best = sims.argmax(axis=1)
        action = float(sims[np.arange(len(best)), best].mean())
        for i in set(best.tolist()):
            n, h = _polarity_and_mood(tokens[i])
            negated, hedged = negated or n, hedged or h
    for token in found:  # "Matt Smith will not take over the role": the verb a name is an argument of
        head = _argument_of(token) if token is not None else None
        if head is not None:
            n, h = _polarity_and_mood(head)
            negated, hedged = negated or n, hedged or h
    agrees, opposite = _action_agreement(claim, tokens, vectors)
    if opposite:
        negated = negated or not opposite_negated(opposite)
    swapped = False  # the message's agent is acted on by the sentence's action, or its patient acts
    action_vectors = _vectors(list(claim.action)) if claim.action else np.zeros((0, vectors.shape[1]), np.float32)
    for name, other in ((claim.agent, "patient"), (claim.patient, "agent")):
        token = find(name) if name else None
        if token is None or _role(token) != other:
            continue
        verb = token
        while verb.dep_ in ("compound", "flat", "poss", "case", "pobj", "agent") and verb.head is not verb:
            verb = verb.head
        verb = verb.head
        if len(action_vectors) and float((action_vectors @ _vectors([verb.lower_])[0]).max()) >= ROLE_VERB_SIMILARITY:
            swapped = True
    return Reading(coverage, names, action, negated != claim.negated, hedged and not claim.hedged, swapped,
                   agrees or bool(opposite))


def opposite_negated(tokens: Sequence[Token]) -> bool:
    """Whether every opposite word is itself negated ("did not leave"), so that it does not flip."""
    return all(_polarity_and_mood(t)[0] for t in tokens)


def _action_agreement(claim: Claim, tokens: Sequence[Token], vectors: np.ndarray) -> tuple[bool, list[Token]]:
    """Whether the sentence has a counterpart of the claim's action (the same lemma, a synonym of
    ``data/verb_relations.csv`` or a word within ``ACTION_SIMILARITY``) and of its object, outside
    relative clauses on names; and, when it has no counterpart, the words that name the opposite."""
    if not claim.lemmas:
        return True, []
    names = {w for name in claim.names for w in name}
    usable = [i for i, t in enumerate(tokens) if not _background(t, names)]
    keys = {i: _keys(tokens[i]) for i in usable}
    counterpart, opposites = False, []
    for lemma in claim.lemmas:
        same = SYNONYMS.get(lemma, frozenset()) | {lemma}
        other = OPPOSITES.get(lemma, frozenset())
        for i in usable:
            if keys[i] & same:
                counterpart = True
            elif keys[i] & other:
                opposites.append(tokens[i])
    if not counterpart and ACTION_SIMILARITY <= 1.0 and usable:
        content = [i for i in usable if tokens[i].pos_ in ("VERB", "NOUN", "ADJ")]
        if content:
            sims = _vectors(list(claim.lemmas)) @ vectors[content].T
            counterpart = float(sims.max()) >= ACTION_SIMILARITY
    if counterpart:
        opposites = []
    has_object = True
    # a message without a name ("Police arrested the driver") has only its object to tell its event from
    # every other arrest; with names, checking the object too lowered the dev ROC AUC (0.910 -> 0.891)
    if claim.object is not None and (OBJECT_SIMILARITY is not None or not claim.names):
        lemmas = {tokens[i].lemma_.lower() for i in range(len(tokens))}
        has_object = claim.object in lemmas
        if not has_object and OBJECT_SIMILARITY is not None and OBJECT_SIMILARITY <= 1.0:
            has_object = float((_vectors([claim.object]) @ vectors.T).max()) >= OBJECT_SIMILARITY
    return counterpart and has_object, opposites


def claim_scores(messages: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
    """Claim score (:meth:`Reading.score`) of each pair ``(messages[k], sentences[k])``, in [0, 1].

    >>> s = claim_scores(["Tara Reid entered rehab"] * 3,
    ...                  ["Tara Reid has checked into Promises Treatment Center, a rehab clinic.",
    ...                   "Lindsay Lohan checks into rehab to begin 90 - day stint, lawyer says",
    ...                   "A publicist says Tara Reid has not checked herself into rehab."])
    >>> bool(s[0] >= THRESHOLD > max(s[1], s[2]))
    True
    """
    if len(messages) != len(sentences):
        raise ValueError("messages and sentences are pairs: give as many of each")
    parse_many([*dict.fromkeys(messages), *sentences][:_PARSED_MAX])
    claims = {m: parse_claim(m) for m in dict.fromkeys(messages)}
    out = np.zeros(len(messages), np.float64)
    for k, (message, sentence) in enumerate(zip(messages, sentences, strict=True)):
        coverage = float(coverage_matrix([message], [sentence])[0, 0])
        out[k] = read_sentence(claims[message], sentence, coverage=coverage).score
    return out
