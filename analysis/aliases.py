"""The user-editable gazetteer: ``data/aliases.csv`` (columns alias, entity, label).

Each row says that the surface form ``alias`` names the canonical ``entity`` with the analyst's
``label`` (person, organization, product, place, group, event). ``label`` ``ignore`` (entity left
empty) drops the form: spaCy's small model calls ``AI`` a place and ``GPU`` an organization.
The aliases also feed the entity ruler, so a listed name is found even where the statistical
model misses it, and protect names from being split by text repair.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DEFAULT_ALIASES = Path(__file__).resolve().parent.parent / "data" / "aliases.csv"
IGNORE = "ignore"
VALID_LABELS = {"person", "organization", "product", "place", "group", "event", IGNORE}


@dataclass(frozen=True)
class Aliases:
    """Lookup tables built from an aliases CSV."""

    table: pd.DataFrame = field(repr=False)  # alias, entity, label

    @property
    def names(self) -> tuple[str, ...]:
        """Every alias and canonical name that is not ignored (for the ruler and text repair)."""
        keep = self.table[self.table["label"] != IGNORE]
        return tuple(sorted(set(keep["alias"]) | set(keep["entity"]) - {""}))

    @property
    def ignored(self) -> frozenset[str]:
        """Surface forms (lower case) that are never entities."""
        return self._ignored

    def lookup(self, surface: str) -> tuple[str, str] | None:
        """``(entity, label)`` for a surface form: exact match first, then case-insensitive."""
        exact = self._exact.get(surface)
        return exact if exact is not None else self._folded.get(surface.lower())

    def key(self) -> tuple[tuple[str, str, str], ...]:
        """A hashable fingerprint (for caches)."""
        return tuple(map(tuple, self.table[["alias", "entity", "label"]].itertuples(index=False)))

    def __post_init__(self) -> None:
        exact: dict[str, tuple[str, str]] = {}
        for alias, entity, label in self.table[["alias", "entity", "label"]].itertuples(index=False):
            exact[alias] = (entity or alias, label)
            if entity and label != IGNORE:
                exact.setdefault(entity, (entity, label))
        folded: dict[str, tuple[str, str]] = {}
        for surface, value in exact.items():
            folded.setdefault(surface.lower(), value)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)
        ignored = frozenset(self.table.loc[self.table["label"] == IGNORE, "alias"].str.lower())
        object.__setattr__(self, "_ignored", ignored)


def read_aliases(path: str | os.PathLike | None = None) -> Aliases:
    """Read an aliases CSV (default ``data/aliases.csv``); a missing file gives an empty gazetteer.

    Raises ``ValueError`` naming the row when a label is not one of ``VALID_LABELS``.
    """
    path = Path(path) if path is not None else DEFAULT_ALIASES
    if not path.exists():
        return Aliases(pd.DataFrame({"alias": [], "entity": [], "label": []}, dtype=str))
    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    missing = {"alias", "entity", "label"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    table = table[["alias", "entity", "label"]].apply(lambda col: col.str.strip())
    table["label"] = table["label"].str.lower()
    bad = table[~table["label"].isin(VALID_LABELS)]
    if len(bad):
        row = bad.index[0] + 2
        raise ValueError(f"{path}:{row}: label {bad.iloc[0]['label']!r} is not one of {sorted(VALID_LABELS)}")
    table = table[table["alias"] != ""].reset_index(drop=True)
    return Aliases(table)
