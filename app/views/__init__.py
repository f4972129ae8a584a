"""One module per tab, each a ``render`` function of the selection's tables and the chosen
filters (no session state read), in the order the tabs appear."""

from app.views import articles, emphasis, entities, overview, sentiment, stories, voice

__all__ = ["articles", "emphasis", "entities", "overview", "sentiment", "stories", "voice"]
