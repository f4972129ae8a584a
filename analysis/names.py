"""Names linked across a story and the corpus: one name and one label per entity.

``extract`` names what one article says ("Obama", "Mr. Trump", "Donald J. Trump"); this module
decides, over a whole corpus, which entity each of those names is:

- a person's short or titled form takes the full name an article of the same story uses
  ("Obama" -> "Barack Obama", "Donald J. Trump" -> "Donald Trump", "Representative Bruce
  Braley" -> "Bruce Braley"; middle initials are dropped, and of the forms left the commonest wins,
  a full middle name on a tie: "Simpson", "Christopher Simpson" -> "Christopher Kenyon Simpson"
  when the corpus mostly writes it so) unless the story holds two people it
  could be (two Bushes); a short form no article of the story spells out takes the corpus's full
  name for that surname when the corpus has one such person, or one by a wide margin
  (:data:`WIDE_MARGIN`);
- variants of one group or place are one entity (:data:`VARIANTS`: Republican / Republicans /
  GOP, U.S. / US / United States, Calif. / California);
- each entity gets one label, the one most of its mentions carry across the corpus;
- the aliases file has the last word: a name it lists is never relinked, and its label wins.

And :func:`self_mentions` marks an outlet naming itself ("Fox News" in Fox News), which
``analysis.entities`` and ``analysis.voice`` keep out of exclusives and shares.

Everything works on an *inventory* (:func:`name_inventory`: one row per story, entity and label
with its mention count), which the store computes in SQL, so a store read links names exactly
as a plain export of the same articles does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

import pandas as pd

from .aliases import IGNORE, Aliases
from .lexicon import commonest_part, compound, zipf

INVENTORY = ["story", "entity", "label", "mentions"]
LINKS = ["story", "entity", "linked"]

# Every entity name a store's SQL can link to: the stored names and the linked ones no mention is
# stored under (``extra_names``, negative keys, registered by ``analysis.store.query`` with
# ``name_map``, where a story's name ``ekey`` is read as ``lkey``). Columns: ekey, entity.
LINKED_NAMES_SQL = "SELECT ekey, entity FROM entity_names UNION ALL SELECT ekey, entity FROM extra_names"

# a short form takes the corpus's full name when that person has this many times the mentions
# of the next one with the surname
WIDE_MARGIN = 5

# A capitalised word before a person's name that is at least this common as an English word (Zipf
# scale, wordfreq: "coroner" 3.4, "kicker" 3.4, "clerk" 4.0; against "Ka'Loni" 0, "Kimani" 2.0) is a
# role ("Coroner Gary Hargrove"), not part of the name, when the story also names the person without
# it and the corpus does not use the word as a first name (:func:`link_names`)
ROLE_ZIPF = 3.0

# Titles, offices and honorifics before a person's name (matched case-insensitively, with or without
# a full stop); "Former" and "Vice" compound with the next one.
_TITLE_WORDS = (
    "mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lord|lady|gen|general|lt|col|colonel|maj|major|capt|captain|"
    "adm|admiral|sgt|sergeant|sen|senator|rep|representative|congressman|congresswoman|gov|governor|"
    "president|vice|former|prime|minister|secretary|chancellor|judge|justice|chief|king|queen|prince|princess|"
    "pope|rev|reverend|father|mayor|attorney|ambassador|sheriff|officer|detective|coach|ceo|chairman|"
    "chairwoman|speaker|leader|state|house|senate|majority|minority|first|u\\.s|us|gop|democratic|republican|"
    "st|saint"
)
_TITLES = re.compile(rf"^(?:(?:{_TITLE_WORDS})\.?\s+)+", re.IGNORECASE)
_SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")
_INITIAL = re.compile(r"^[A-Z]\.?$")

# Built-in variants of one group or place: variant -> (entity, label). The aliases file overrides.
VARIANTS: dict[str, tuple[str, str]] = {
    **{v: ("Republicans", "group") for v in ("Republican", "Republicans", "GOP", "G.O.P.", "G.O.P")},
    **{v: ("Democrats", "group") for v in ("Democrat", "Democrats", "Democratic", "Dems")},
    **{v: ("United States", "place") for v in ("U.S", "U.S.", "US", "USA", "U.S.A", "U.S.A.", "United States",
                                                "the United States", "United States of America")},
    **{v: ("United Kingdom", "place") for v in ("U.K", "U.K.", "UK", "United Kingdom", "Britain", "Great Britain")},
    **{v: ("European Union", "organization") for v in ("EU", "E.U", "E.U.", "European Union")},
    **{v: ("United Nations", "organization") for v in ("UN", "U.N", "U.N.", "United Nations")},
    **{v: (state, "place") for state, forms in {  # the AP's state abbreviations (datelines, "Ross, Calif.")
        "Alabama": ("Ala",), "Arizona": ("Ariz",), "Arkansas": ("Ark",), "California": ("Calif",),
        "Colorado": ("Colo",), "Connecticut": ("Conn",), "Florida": ("Fla",), "Georgia": ("Ga",),
        "Illinois": ("Ill",), "Kansas": ("Kan", "Kans"), "Kentucky": ("Ky",), "Maryland": ("Md",),
        "Massachusetts": ("Mass",), "Michigan": ("Mich",), "Minnesota": ("Minn",), "Montana": ("Mont",),
        "Nebraska": ("Neb", "Nebr"), "Nevada": ("Nev",), "New Hampshire": ("N.H", "N.H."),
        "New Jersey": ("N.J", "N.J."), "New Mexico": ("N.M", "N.M."), "North Carolina": ("N.C", "N.C."),
        "North Dakota": ("N.D", "N.D."), "Oklahoma": ("Okla",), "Oregon": ("Ore",), "Pennsylvania": ("Pa",),
        "Rhode Island": ("R.I", "R.I."), "South Carolina": ("S.C", "S.C."), "South Dakota": ("S.D", "S.D."),
        "Tennessee": ("Tenn",), "Vermont": ("Vt",), "Virginia": ("Va",), "West Virginia": ("W.Va", "W.Va."),
        "Wisconsin": ("Wis", "Wisc"), "Wyoming": ("Wyo",),
    }.items() for v in forms},
}


@dataclass(frozen=True)
class NameLinks:
    """What :func:`link_names` decided for a corpus.

    - ``links``: columns story, entity, linked (:data:`LINKS`): a name of a story that stands for
      another entity; names that stay as they are are not listed
    - ``labels``: every entity's one label
    """

    links: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)


def name_inventory(mentions: pd.DataFrame) -> pd.DataFrame:
    """How often each story names each entity under each label.

    ``mentions`` needs story, entity, label. Columns (:data:`INVENTORY`): story, entity, label,
    mentions. Sorted by story, entity, label. Does not mutate ``mentions``.
    """
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mentions" else "str") for c in INVENTORY})
    table = mentions.groupby(["story", "entity", "label"], sort=True).size().rename("mentions").reset_index()
    return table.astype({"story": "str", "entity": "str", "label": "str", "mentions": "int64"})[INVENTORY]


def _person_key(name: str) -> tuple[str, str] | None:
    """``(first, last)`` of a full person name without titles, middle names or initials, or None."""
    words = _SUFFIX.sub("", strip_titles(name)).split()
    words = [w for w in words if not _INITIAL.match(w)] if len(words) > 2 else words
    if len(words) < 2:
        return None
    return words[0], words[-1]


def _middles(name: str) -> list[str]:
    """The words between the first and last of a person name, titles and suffix aside."""
    return _SUFFIX.sub("", strip_titles(name)).split()[1:-1]


def strip_titles(name: str) -> str:
    """``name`` without the titles or offices before it (``"Representative Bruce Braley"`` ->
    ``"Bruce Braley"``); a name that is only a title stays as it is.

    >>> strip_titles("President Donald J. Trump"), strip_titles("Mr. Trump"), strip_titles("President")
    ('Donald J. Trump', 'Trump', 'President')
    """
    stripped = _TITLES.sub("", name).strip()
    return stripped if stripped else name


def _tokens_ok(name: str) -> bool:
    return all(w[:1].isupper() or w[:1].isdigit() for w in name.split())


def link_names(inventory: pd.DataFrame, *, aliases: Aliases | None = None) -> NameLinks:
    """Decide the entity every name of every story stands for, and every entity's label.

    ``inventory`` is :func:`name_inventory` of the whole corpus (or store). Returns
    :class:`NameLinks`: ``links`` (columns :data:`LINKS`: story, entity, linked) lists the names of a
    story that become another entity (names that stay as they are are left out); ``labels`` maps
    every resulting entity to its label: the aliases file's when it lists the entity, else the
    label most of its mentions carry across the corpus (ties to the alphabetically first).
    Does not mutate ``inventory``.
    """
    listed = (lambda name: aliases.lookup(name) is not None) if aliases is not None else (lambda name: False)
    inv = inventory[INVENTORY]
    totals = inv.groupby(["entity", "label"], sort=True)["mentions"].sum()
    per_entity = totals.groupby(level=0).sum()
    person_share = _person_share(totals)
    majority = _majority(totals)

    # step 1, per name: titles off, group and place variants
    rename: dict[str, str] = {}
    for name in per_entity.index:
        if listed(name):
            continue
        variant = VARIANTS.get(name)
        if variant is not None:
            if variant[0] != name:
                rename[name] = variant[0]
            continue
        if person_share.get(name, 0) > 0 or majority.get(name) == "person":
            plain = strip_titles(name)
            if plain != name and _tokens_ok(plain):
                rename[name] = plain

    # step 2, full names: the commonest full form of each (first, last) in the corpus, and per story
    stories = inv.assign(base=inv["entity"].map(lambda n: rename.get(n, n)))
    stories = _drop_roles(stories, listed)
    base_totals = stories.groupby(["base", "label"], sort=True)["mentions"].sum()
    base_person = _person_share(base_totals)
    base_majority = _majority(base_totals)

    def personal(name: str) -> bool:
        """A person by the aliases file, else by most of its mentions."""
        if listed(name):
            return aliases.lookup(name)[1] == "person"
        return base_majority.get(name) == "person" or base_person.get(name, 0) >= 0.5

    form_counts = {k: int(v) for k, v in stories.groupby("base")["mentions"].sum().items()}
    by_key: dict[tuple[str, str], list[str]] = {}
    for form in form_counts:
        key = _person_key(form) if " " in form and personal(form) else None
        if key is not None:
            by_key.setdefault(key, []).append(form)
    canonical_of: dict[str, str] = {}
    full_forms: dict[tuple[str, str], dict[str, int]] = {}
    for key, forms in by_key.items():
        # middle names by their initials: "Kenyon" and "K." agree, "W." and "H. W." do not
        middles = {tuple(w[0] for w in _middles(f)) for f in forms} - {()}
        if len(middles) > 1:  # George W. Bush and George H. W. Bush: two people, each as written
            for form in forms:
                canonical_of[form] = form
            full_forms[key] = {f: form_counts[f] for f in forms}
            continue
        # a listed form wins, then one without middle initials ("Donald Trump" over "Donald J. Trump"), then
        # the commonest, then the one with more middle names ("Mark Jay Heller" over "Mark Heller"), then
        # the first (python -m bench.names: 744 of 835 ECB+ people under their annotated full name, against
        # 730 preferring no middle names and 724 preferring full middle names)
        best = sorted(forms, key=lambda f: (not listed(f), sum(bool(_INITIAL.match(w)) for w in _middles(f)),
                                            -form_counts[f], -len(_middles(f)), f))[0]
        for form in forms:
            canonical_of[form] = form if listed(form) else best
        full_forms[key] = {best: sum(form_counts[f] for f in forms)}
    # mentions per (surname -> full name) across the corpus, for short forms no story article spells out
    by_surname: dict[str, dict[str, int]] = {}
    for (_, last), counts in full_forms.items():
        for full, n in counts.items():
            by_surname.setdefault(last, {})
            by_surname[last][full] = by_surname[last].get(full, 0) + int(n)

    rows: list[tuple[str, str, str]] = []
    pairs = stories.drop_duplicates(["story", "entity"]).sort_values(["story", "entity"])
    triples = zip(pairs["story"].tolist(), pairs["entity"].tolist(), pairs["base"].tolist(), strict=True)
    for story, group in groupby(triples, key=itemgetter(0)):
        names = [(entity, base) for _, entity, base in group]
        in_story: dict[str, set[str]] = {}
        by_first: dict[str, set[str]] = {}
        for _, base in names:
            full = canonical_of.get(base)
            if full is not None:
                in_story.setdefault(full.split()[-1], set()).add(full)
                by_first.setdefault(full.split()[0], set()).add(full)
        for entity, base in names:
            target = canonical_of.get(base, base)
            if " " in base or listed(base):
                pass
            elif len(in_story.get(base, ())) == 1 and (base_person.get(base, 0) > 0 or zipf(base) < ROLE_ZIPF):
                # the surname of the one person the story names in full, whatever the model called it when the
                # corpus calls it a person somewhere or English hardly knows the word ("Chohan" beside
                # "Raj Chohan"; not "Washington" beside "Denzel Washington")
                target = min(in_story[base])
            elif base_person.get(base, 0) > 0:
                candidates = in_story.get(base)
                if base_majority.get(base) != "place" or base_person.get(base, 0) >= 0.5:
                    if candidates is not None:
                        target = base
                    elif len(by_first.get(base, ())) == 1 and base_person.get(base, 0) >= 0.5:
                        target = min(by_first[base])  # "Lindsay" where the story names one Lindsay: Lindsay Lohan
                    else:
                        target = _corpus_full_name(by_surname.get(base, {})) or base
            if target != entity:
                rows.append((story, entity, target))
    links = pd.DataFrame(rows, columns=LINKS).astype("str")

    # one label per resulting entity, across the corpus
    linked = inv.merge(links, on=["story", "entity"], how="left")
    linked["linked"] = linked["linked"].fillna(linked["entity"])
    # a name linked to a person's full name speaks of that person, whatever the model called it there
    # ("Chohan", a place to the model, beside "Raj Chohan")
    people = set(canonical_of.values())
    relinked = (linked["linked"] != linked["entity"]) & linked["linked"].isin(people)
    linked["label"] = linked["label"].where(~relinked, "person")
    labels = _majority(linked.groupby(["linked", "label"], sort=True)["mentions"].sum())
    for entity in labels:
        if listed(entity) and aliases.lookup(entity)[1] != IGNORE:
            labels[entity] = aliases.lookup(entity)[1]
        elif entity in VARIANTS and VARIANTS[entity][0] == entity:
            labels[entity] = VARIANTS[entity][1]
    return NameLinks(links, labels)


def _drop_roles(stories: pd.DataFrame, listed) -> pd.DataFrame:
    """``stories`` (an inventory with ``base``, the name after step 1) with a role before a person's
    name dropped: ``Coroner Gary Hargrove`` -> ``Gary Hargrove`` (whatever the model called the
    whole: ``Interior Ken Salazar`` is an organization to it) when the story names the person
    ``Gary Hargrove`` and every word dropped is a title, an abbreviation in capitals (``RB``, ``DT``)
    or an English word (Zipf frequency :data:`ROLE_ZIPF` or more, or a compound of two:
    ``Moviemaker``) that the corpus does not use as a first name (the first word of two or more
    two-word person names: ``Mark Heller``, ``Mark Gatiss``). A name the model cut short
    (``Marie Flynn`` of ``Ka'Loni Marie Flynn``) is widened when it is extracted
    (``analysis.extract``), not here: a longer form is as often a role the lexicon does not know.
    Does not mutate ``stories``.
    """
    totals = stories.groupby(["base", "label"], sort=True)["mentions"].sum()
    share, majority = _person_share(totals), _majority(totals)
    people = {n for n in share if not listed(n) and " " in n and _tokens_ok(n)
              and (majority.get(n) == "person" or share.get(n, 0) >= 0.5)}
    surnames: dict[str, set[str]] = {}
    for name in people:
        words = name.split()
        if len(words) == 2:
            surnames.setdefault(words[0], set()).add(words[1])
    first_names = {w for w, rest in surnames.items() if len(rest) >= 2}

    def role(word: str) -> bool:
        plain = word.rstrip(".")
        if len(plain) < 2:  # an initial: "W. Mark Felt"
            return False
        if _TITLES.match(word + " ") or (plain.isalpha() and plain.isupper() and 2 <= len(plain) <= 4):
            return True
        return plain not in first_names and (commonest_part(plain) >= ROLE_ZIPF or compound(plain))

    # the model often calls a role and a name together an organization ("Interior Ken Salazar"), but a
    # place is no role before a name ("Mount Sefton Bivvy")
    titled = {n for n in share if n.count(" ") >= 2 and not listed(n) and _tokens_ok(n) and majority.get(n) != "place"}
    pairs = stories[["story", "base"]].drop_duplicates()
    personal = pairs[pairs["base"].isin(people)]
    named = set(zip(personal["story"].tolist(), personal["base"].tolist(), strict=True))
    candidates = pairs[pairs["base"].isin(titled)]
    new_base: dict[tuple[str, str], str] = {}
    for story, form in zip(candidates["story"].tolist(), candidates["base"].tolist(), strict=True):
        words = form.split()
        for k in range(1, len(words) - 1):  # the longest rest of two words or more the story names
            rest = " ".join(words[k:])
            if (story, rest) in named and all(role(w) for w in words[:k]):
                new_base[(story, form)] = rest
                break
    if not new_base:
        return stories
    mapping = pd.Series(list(new_base.values()), index=pd.MultiIndex.from_tuples(list(new_base)), dtype="str")
    dropped = mapping.reindex(pd.MultiIndex.from_frame(stories[["story", "base"]])).to_numpy()
    return stories.assign(base=pd.Series(dropped, index=stories.index).fillna(stories["base"]).astype("str"))


def _person_share(totals: pd.Series) -> dict[str, float]:
    """name -> the share of its mentions labelled person, from a Series indexed by (name, label)."""
    frame = totals.rename("n").reset_index()
    frame.columns = ["name", "label", "n"]
    person = frame[frame["label"] == "person"].groupby("name")["n"].sum()
    every = frame.groupby("name")["n"].sum()
    return (person.reindex(every.index, fill_value=0) / every).to_dict()


def _corpus_full_name(counts: dict[str, int]) -> str | None:
    """The one full name for a surname, or the one by a wide margin; None when there is none."""
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) == 1 or ranked[0][1] >= WIDE_MARGIN * ranked[1][1]:
        return ranked[0][0]
    return None


def _majority(totals: pd.Series) -> dict[str, str]:
    """name -> its label with the most mentions, from a Series indexed by (name, label). Ties go to
    a label other than person (spaCy's commonest slip is to call an unfamiliar capitalised word a
    person: "Ashgabat" once a person and once a place is a place), then to the alphabetically first."""
    if totals.empty:
        return {}
    frame = totals.rename("n").reset_index()
    frame.columns = ["name", "label", "n"]
    frame = frame.assign(is_person=frame["label"] == "person")
    frame = frame.sort_values(["name", "n", "is_person", "label"], ascending=[True, False, True, True])
    frame = frame.drop_duplicates("name")
    return dict(zip(frame["name"], frame["label"], strict=False))


def _outlet_key(name: str) -> str:
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)  # "Fox News (Opinion)"
    name = re.sub(r"^(?:www\.)?", "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"\.(?:com|org|net|co\.uk|co)$", "", name, flags=re.IGNORECASE)
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]", "", name.lower())


def self_mentions(outlets: pd.Series, entities: pd.Series) -> pd.Series:
    """True where an outlet names itself: the entity is the outlet's name, case, spaces,
    punctuation, a leading "The", a web suffix and a trailing "(Section)" aside.

    >>> self_mentions(pd.Series(["Fox News", "TechCrunch", "The New York Times"]),
    ...               pd.Series(["Fox News", "TechRepublic", "New York Times"])).tolist()
    [True, False, True]
    """
    pairs = pd.DataFrame({"outlet": outlets.astype("str").to_numpy(), "entity": entities.astype("str").to_numpy()})
    unique = pairs.drop_duplicates()
    keys = {(o, e): bool(_outlet_key(o)) and _outlet_key(o) == _outlet_key(e)
            for o, e in unique.itertuples(index=False)}
    return pd.Series([keys[(o, e)] for o, e in pairs.itertuples(index=False)], index=outlets.index, dtype="bool")


def self_mention_pairs(outlets, entities) -> pd.DataFrame:
    """Every (outlet, entity) of the given ones where the outlet names itself (:func:`self_mentions`),
    found by key, not by trying every pair. Columns: outlet, entity.

    >>> self_mention_pairs(["Fox News", "CNN"], ["Fox News", "Obama", "CNN"]).values.tolist()
    [['CNN', 'CNN'], ['Fox News', 'Fox News']]
    """
    by_key: dict[str, list[str]] = {}
    for outlet in outlets:
        key = _outlet_key(outlet)
        if key:
            by_key.setdefault(key, []).append(outlet)
    rows = [(o, e) for e in entities for o in by_key.get(_outlet_key(e), ())]
    return pd.DataFrame(sorted(rows), columns=["outlet", "entity"], dtype="str")


def apply_links(mentions: pd.DataFrame, names: NameLinks) -> pd.DataFrame:
    """``mentions`` (with story, outlet, entity, label) with each name replaced by the entity it
    stands for (``names.links``), the entity's corpus label (``names.labels``) and a boolean ``self_mention``
    column at the end (:func:`self_mentions`). Does not mutate its inputs.
    """
    links, labels = names.links, names.labels
    out = mentions.drop(columns=["self_mention"], errors="ignore")
    if out.empty:
        return out.assign(self_mention=pd.Series(dtype="bool"))
    if len(links):
        mapping = pd.Series(links["linked"].to_numpy(),
                            index=pd.MultiIndex.from_frame(links[["story", "entity"]]))
        keyed = pd.MultiIndex.from_frame(out[["story", "entity"]].astype("str"))
        linked = mapping.reindex(keyed).to_numpy()
        out = out.assign(entity=pd.Series(linked, index=out.index).fillna(out["entity"]).astype("str"))
    label = out["entity"].map(labels)
    out = out.assign(label=label.fillna(out["label"]).astype("str"))
    return out.assign(self_mention=self_mentions(out["outlet"], out["entity"]))


def link_mentions(mentions: pd.DataFrame, *, aliases: Aliases | None = None) -> pd.DataFrame:
    """:func:`apply_links` of :func:`link_names` of ``mentions``' own inventory: the names of a
    whole corpus linked. Does not mutate ``mentions``."""
    return apply_links(mentions, link_names(name_inventory(mentions), aliases=aliases))
