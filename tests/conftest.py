"""Shared fixtures: the bundled corpus, loaded and analysed once per test session."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import analyse, load_corpus
from tests.helpers import CORPUS


@pytest.fixture(scope="session")
def bundled_articles() -> pd.DataFrame:
    return load_corpus([CORPUS]).articles


@pytest.fixture(scope="session")
def bundled(bundled_articles):
    """The bundled corpus analysed with the default engine (TextBlob)."""
    return analyse(bundled_articles)


@pytest.fixture(scope="session")
def bundled_vader(bundled_articles):
    return analyse(bundled_articles, sentiment="vader")
