"""Reading the store: a :class:`analysis.selection.Selection` in, the tables of its articles out.

- :meth:`StoreQueries.analysis` gives the same ``Analysis`` as ``select(analyse(articles), selection)``.
- For the dashboard at scale, :meth:`StoreQueries.articles_table` (articles.csv without text),
  :meth:`StoreQueries.entity_table` (entities.csv) and :meth:`StoreQueries.voice_table`
  (voice.csv) aggregate a selection inside DuckDB, and :meth:`StoreQueries.stories_table`
  (stories.csv) counts the entities that name its stories there: loading
  every mention of 100,000 articles into pandas takes seconds and gigabytes, their aggregate
  milliseconds.

Only articles the store's analyser has analysed are read (see :meth:`StoreQueries.summary` for
the pending ones). Selection values are bound as parameters, never formatted into SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import pandas as pd

from ..entities import ENTITIES_SQL, entity_table, tone_interval, typed_entity_table
from ..extract import Extracted
from ..grouping import assign_stories, prepare
from ..names import INVENTORY, LINKED_NAMES_SQL, NameLinks, link_names, self_mention_pairs
from ..pipeline import Analysis, apply_sentiment
from ..schema import ARTICLE_FIELDS, ARTICLES, ENTITIES, ENTITY_TONE, EXTRACTED, FETCHES, TONE
from ..selection import Selection
from ..sentiment import score_texts
from ..stories import STORY_ENTITIES_SQL, STORY_MENTIONS_SQL, stories_from, story_entities
from ..tone import mention_tones, tone_version
from ..utils import short_hash
from ..versions import tables_version
from ..voice import VOICE_SQL, typed_voice_table, voice_table
from .file import StoreFile, generation
from .index import load_index

EVERYTHING = Selection()


class StoreQueries(StoreFile):
    """The reading half of :class:`analysis.store.Store`."""

    def summary(self, *, sentiment: str | None = None) -> dict[str, int]:
        """Counts: ``articles`` stored, ``analysed`` by the store's analyser, ``pending`` (not yet);
        with ``sentiment``, ``unscored``: analysed articles without its tones stored (scored on
        every read until :meth:`rescore` or an ingest stores them)."""
        with self.connect(write=False) as con:
            total, done = con.execute(
                "SELECT count(*), count(r.article_id) FROM articles a LEFT JOIN analysed r "
                "ON r.article_id = a.article_id AND r.analyser = ? AND r.input_hash = a.input_hash",
                [self.analyser],
            ).fetchall()[0]
            counts = {"articles": int(total), "analysed": int(done), "pending": int(total - done)}
            if sentiment is not None:
                counts["unscored"] = int(self._unscored(con, *self._chosen(con, EVERYTHING), self.scorer(sentiment)))
        return counts

    def options(self) -> dict[str, list[str]]:
        """The filter choices of the analysed articles: ``outlets``, ``stories`` and ``dates`` (sorted)."""
        with self.connect(write=False) as con:
            return {
                key: [row[0] for row in con.execute(
                    f"SELECT DISTINCT {column} FROM articles a JOIN analysed r ON r.article_id = a.article_id "
                    f"AND r.analyser = ? AND r.input_hash = a.input_hash ORDER BY 1",
                    [self.analyser],
                ).fetchall()]
                for key, column in (("outlets", "outlet"), ("stories", "story"), ("dates", "substr(published, 1, 10)"))
            }

    def assign_stories(self, articles: pd.DataFrame, *, stories: str = "auto") -> pd.DataFrame:
        """``articles`` (``ARTICLE_FIELDS``, not stored) with the ``story`` and ``copy_of`` an ingest
        after the stored articles would give them (:func:`analysis.grouping.assign_stories`): they
        join the store's stories and can be copies of its articles. The store is not changed (the
        dashboard's uploads beside a store)."""
        rows = articles.reset_index(drop=True)
        with self.connect(write=False) as con:
            index = load_index(con, prepare(rows))
            known = con.execute("SELECT DISTINCT article_id, published FROM articles").df()
        return assign_stories(rows, stories=stories, index=index, known=known)

    def copies(self) -> int:
        """How many analysed articles are wire copies of another (a non-empty ``copy_of``, from the
        store's copy groups)."""
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, EVERYTHING)
            return int(con.execute(f"WITH {chosen} SELECT count(*) FROM chosen WHERE copy_of <> ''", params)
                       .fetchall()[0][0])

    def outlet_groups(self) -> dict[str, str]:
        """Each analysed outlet's ``outlet_group`` (the first one stored, when its articles differ)."""
        with self.connect(write=False) as con:
            rows = con.execute(
                "SELECT outlet, min(outlet_group) FROM articles a JOIN analysed r ON r.article_id = a.article_id "
                "AND r.analyser = ? AND r.input_hash = a.input_hash GROUP BY outlet ORDER BY 1", [self.analyser],
            ).fetchall()
        return dict(rows)

    def pending(self) -> pd.DataFrame:
        """Stored articles (columns ``analysis.schema.ARTICLE_FIELDS``) the store's analyser has not
        analysed yet, in ingest order: pass them to :meth:`ingest` to bring the store up to date."""
        fields = ", ".join(f'a."{c}"' for c in ARTICLE_FIELDS)
        with self.connect(write=False) as con:
            rows = con.execute(
                f"SELECT {fields} FROM articles a LEFT JOIN analysed r ON r.article_id = a.article_id "
                "AND r.analyser = ? AND r.input_hash = a.input_hash WHERE r.article_id IS NULL ORDER BY a.seq",
                [self.analyser],
            ).df()
        return typed(rows, ARTICLE_FIELDS)

    def extracted(self, selection: Selection = EVERYTHING) -> tuple[pd.DataFrame, Extracted]:
        """``(articles, Extracted)`` of the selected, analysed articles, as ``load_corpus`` and
        ``extract`` would give them: in the order of ``selection.article_ids`` when given, else
        in ingest order."""
        with self.connect(write=False) as con:
            meta, extracted, _, _ = self._load(con, selection, None)
        return meta, extracted

    def analysis(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob") -> Analysis:
        """The ``Analysis`` of the selected articles, equal to ``select(analyse(articles), selection)``.

        Sentence tone comes from the store; sentences without a stored score for ``sentiment``
        are scored now.
        """
        scorer = self.scorer(sentiment)
        with self.connect(write=False) as con:
            meta, extracted, scores, tones = self._load(con, selection, scorer)
            names = self._names(con)
        missing = scores["polarity"].isna().to_numpy()
        if missing.any():
            fresh = score_texts(extracted.sentences.loc[missing, "text"], scorer=sentiment)
            scores.loc[missing, TONE] = fresh.to_numpy()
        unscored = tones["tone_score"].isna().to_numpy()
        if unscored.any():  # a store written before this tone model: score those mentions now
            fresh = mention_tones(extracted.sentences, extracted.mentions[unscored])
            tones.loc[unscored, ENTITY_TONE] = fresh.to_numpy()
        return apply_sentiment(meta, extracted, sentiment=sentiment, scores=scores, tones=tones, names=names)

    def articles_table(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob") -> pd.DataFrame:
        """``Analysis.articles`` of the selection without ``text`` (``analysis.schema.ARTICLES`` plus
        ``length``): equal to ``self.analysis(...).articles.drop(columns="text")`` (tone to the last
        bits of a double: pandas' group means depend on the other groups in the frame), from stored
        article tones, without reading sentences or mentions."""
        scorer = self.scorer(sentiment)
        columns = [*ARTICLES, "length"]
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            if not self._unscored(con, chosen, params, scorer):
                fields = ", ".join(f'c."{c}"' for c in ARTICLES if c not in TONE)
                table = frame(
                    con,
                    f"WITH {chosen} SELECT {fields}, t.polarity, t.subjectivity, c.length FROM chosen c "
                    f"LEFT JOIN article_tones t ON t.article_id = c.article_id AND t.analyser = ? AND t.scorer = ? "
                    f"ORDER BY c.ord",
                    [*params, self.analyser, scorer],
                )
                return typed(table, columns)[columns]
        return self.analysis(selection, sentiment=sentiment).articles.drop(columns="text")

    def entity_table(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob") -> pd.DataFrame:
        """``entities.csv`` for the selection, aggregated inside DuckDB (``analysis.schema.ENTITIES``,
        by ``analysis.entities.ENTITIES_SQL``).

        Equal to ``analysis.entity_table`` on ``self.analysis(...)``: counts, labels, shares,
        exclusivity and emphasis exactly, the means (polarity, subjectivity, first_seen) to the
        last bits of a double (summation order). When tones for ``sentiment`` are missing, they
        are scored on read and the table is aggregated in pandas, and so it is when an article
        holds two names of one linked entity (:meth:`_collides`).
        """
        scorer = self.scorer(sentiment)
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            if not self._unscored(con, chosen, params, scorer) and not self._collides(con, chosen, params):
                tone = frame(con, f"WITH {chosen} {_ENTITY_TONE_SQL}", [*params, self.analyser, tone_version()])
                table = frame(con, f"WITH {chosen}, {ENTITIES_SQL}", [*params, self.analyser, scorer])
                table = table.merge(tone, on=["story", "outlet", "entity"], how="left")
                if table["scored"].eq(table["mentions"]).all():
                    labels = self._names(con).labels
                    table["label"] = table["entity"].map(labels).fillna(table["label"])
                    table["tone_low"], table["tone_high"] = tone_interval(table["tone"], table["scored"])
                    return typed_entity_table(table[ENTITIES])
        chosen_analysis = self.analysis(selection, sentiment=sentiment)
        return entity_table(chosen_analysis.mentions, chosen_analysis.sentences, chosen_analysis.articles)

    def voice_table(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob",
                    entities: Sequence[str] | None = None) -> pd.DataFrame:
        """``voice.csv`` for the selection, aggregated inside DuckDB (``analysis.schema.VOICE``, by
        ``analysis.voice.VOICE_SQL``): equal to ``analysis.voice.voice_table`` on
        ``self.analysis(...)``, shares to the last bit. ``entities`` keeps only their rows (a chart
        of a few entities over 100,000 articles then transfers and sorts a few hundred rows, not
        hundreds of thousands). ``sentiment`` picks the pre-aggregated rows to read (the counts
        are the same for every scorer); when they are missing, pandas counts.
        """
        scorer = self.scorer(sentiment)
        where, picked = ("TRUE", []) if entities is None else (
            "ekey IN (SELECT ekey FROM all_names WHERE list_contains(?::VARCHAR[], entity))", [list(entities)])
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            if not self._unscored(con, chosen, params, scorer) and not self._collides(con, chosen, params):
                query = f"WITH {chosen}, {VOICE_SQL.format(entities=where)}"
                return typed_voice_table(frame(con, query, [*params, self.analyser, scorer, *picked]))
        chosen_analysis = self.analysis(selection, sentiment=sentiment)
        return voice_table(chosen_analysis.mentions, chosen_analysis.articles, entities=entities)

    def stories_table(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob",
                      outlets: Sequence[str] | None = None) -> pd.DataFrame:
        """``stories.csv`` for the selection (``analysis.schema.STORIES``): equal to
        ``analysis.stories_table`` on ``self.analysis(...)``, with the per-story entity counts that
        name the stories aggregated inside DuckDB (no mention is loaded) and the articles from
        :meth:`articles_table`. A story is missing from ``outlets`` that did not cover it (default:
        the store's outlets the selection keeps)."""
        if outlets is None:
            outlets = selection.outlets_among(self.options()["outlets"])
        articles = self.articles_table(selection, sentiment=sentiment)
        scorer = self.scorer(sentiment)
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            self._names(con)  # registers the linked names the SQL reads
            if not self._unscored(con, chosen, params, scorer):  # the per-article rows are there
                counts = frame(con, f"WITH {chosen}, {STORY_ENTITIES_SQL}", [*params, self.analyser, scorer])
            else:
                counts = frame(con, f"WITH {chosen}, {STORY_MENTIONS_SQL}", [*params, self.analyser])
        entities = story_entities(pd.DataFrame(columns=["article_id", "story", "entity"])) if counts.empty else counts
        return stories_from(articles, entities.astype({"articles": "int64", "mentions": "int64"}), outlets=outlets)

    # ---------------------------------------------------------------- stored exports

    def export_key(self, selection: Selection = EVERYTHING, *, sentiment: str = "textblob",
                   messages: Sequence[str] = (), house_style: bool = False) -> str:
        """The identity of an export's tables: a hash of every input that decides them.

        That is the selected, analysed articles in order, with their metadata and content hashes,
        the ``selection``'s filters, the key ``messages``, ``house_style`` (terms), and the analyser, sentiment and
        :func:`analysis.versions.tables_version` versions. Equal keys give equal CSVs, so
        :meth:`stored_export` can return them instead of building them.
        """
        fields = ", ".join(f'c."{c}"' for c in [*ARTICLE_FIELDS, "input_hash"] if c != "text")
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            count, rows = con.execute(
                f"WITH {chosen} SELECT count(*), md5(coalesce(string_agg(concat_ws(chr(31), {fields}), chr(30) "
                f"ORDER BY c.ord), '')) FROM chosen c",
                params,
            ).fetchall()[0]
        filters = {"outlets": selection.outlets, "stories": selection.stories, "since": selection.since,
                   "until": selection.until}
        if selection.hide_copies:
            filters["hide_copies"] = True
        inputs = {"tables": tables_version(), "analyser": self.analyser, "scorer": self.scorer(sentiment),
                  "articles": [int(count), rows], "filters": filters, "messages": list(messages),
                  "house_style": house_style}
        return short_hash(json.dumps(inputs, sort_keys=True, default=str), length=40)

    def stored_export(self, key: str) -> dict[str, bytes] | None:
        """The CSVs kept under ``key`` by :meth:`keep_export` (name -> bytes, in their order), or None."""
        with self.connect(write=False) as con:
            try:
                rows = con.execute("SELECT name, csv FROM exports WHERE key = ? ORDER BY position", [key]).fetchall()
            except duckdb.CatalogException:  # a store written before exports were kept
                return None
        return {name: bytes(csv) for name, csv in rows} or None

    def fetch_log(self) -> pd.DataFrame:
        """The fetch log ``python -m analysis collect`` keeps: one row per URL fetched, oldest first,
        columns ``analysis.schema.FETCHES`` (status an integer, the rest strings)."""
        with self.connect(write=False) as con:
            try:
                table = frame(con, f"SELECT {', '.join(FETCHES)} FROM fetches ORDER BY fetched_at, rowid", [])
            except duckdb.CatalogException:  # a store written before the fetch log, opened read only
                table = pd.DataFrame(columns=FETCHES)
        return table.astype({c: "int64" if c == "status" else "str" for c in FETCHES})

    # ---------------------------------------------------------------- names across the store

    def name_links(self) -> NameLinks:
        """The names of every analysed article linked across its story and the whole store
        (``analysis.names.link_names`` of the store's inventory), as a plain export of the same
        articles links them."""
        with self.connect(write=False) as con:
            return self._names(con)

    def _names(self, con: duckdb.DuckDBPyConnection) -> NameLinks:
        """:meth:`name_links`, kept for the store's generation; registers on ``con`` the frames the
        SQL aggregates read names through (``name_map``, ``extra_names``, ``self_keys``: see
        ``analysis.entities.ENTITIES_SQL``)."""
        key = (generation(con), self.analyser)
        memo = getattr(self, "_names_memo", None)
        if memo is None or memo[0] != key:
            memo = (key, *self._link(con))
            self._names_memo = memo
        for name, table in memo[2].items():
            con.register(name, table)
        return memo[1]

    def _link(self, con: duckdb.DuckDBPyConnection) -> tuple[NameLinks, dict[str, pd.DataFrame]]:
        inventory = frame(
            con,
            "SELECT a.story, m.entity, m.label, count(*)::BIGINT AS mentions FROM mentions m "
            "JOIN analysed r ON r.article_id = m.article_id AND r.analyser = m.analyser "
            "JOIN articles a ON a.article_id = r.article_id AND a.input_hash = r.input_hash "
            "WHERE m.analyser = ? GROUP BY ALL ORDER BY ALL",
            [self.analyser],
        )
        inventory = inventory.astype({"story": "str", "entity": "str", "label": "str", "mentions": "int64"})[INVENTORY]
        names = link_names(inventory, aliases=self.aliases)
        ekeys = dict(con.execute("SELECT entity, ekey FROM entity_names").fetchall())
        extra = {name: -(i + 1) for i, name in enumerate(sorted(set(names.links["linked"]) - set(ekeys)))}
        keys = {**ekeys, **extra}
        links = names.links[names.links["entity"].isin(list(ekeys))]
        name_map = pd.DataFrame({"story": links["story"].astype("str").to_numpy(),
                                 "ekey": links["entity"].map(keys).astype("int64").to_numpy(),
                                 "lkey": links["linked"].map(keys).astype("int64").to_numpy()})
        outlets = [row[0] for row in con.execute(
            "SELECT DISTINCT a.outlet FROM articles a JOIN analysed r ON r.article_id = a.article_id "
            "AND r.analyser = ? AND r.input_hash = a.input_hash", [self.analyser]).fetchall()]
        entities = sorted(set(inventory["entity"]) | set(names.links["linked"]))
        selves = self_mention_pairs(outlets, entities)
        frames = {
            "name_map": name_map,
            "extra_names": pd.DataFrame({"ekey": pd.Series(list(extra.values()), dtype="int64"),
                                         "entity": pd.Series(list(extra), dtype="str")}),
            "self_keys": pd.DataFrame({"outlet": selves["outlet"].astype("str").to_numpy(),
                                       "ekey": selves["entity"].map(keys).astype("int64").to_numpy()}),
        }
        return names, frames

    def _collides(self, con: duckdb.DuckDBPyConnection, chosen: str, params: list) -> bool:
        """Whether a selected article holds two names that linking makes one entity ("Donald J.
        Trump" and "Donald Trump"): the pre-aggregated rows per article and name cannot say how
        many distinct sentences the entity has there, so the tables are built in pandas. Within an
        article ``extract`` already resolves short forms, so this is rare."""
        self._names(con)
        found = con.execute(
            f"WITH {chosen} SELECT count(*) FROM (SELECT c.akey, coalesce(nm.lkey, e.ekey) AS k FROM chosen c "
            "JOIN article_entities e ON e.akey = c.akey AND e.analyser = ? "
            "JOIN name_map nm ON nm.story = c.story AND nm.ekey = e.ekey "
            "GROUP BY ALL) linked JOIN article_entities e ON e.akey = linked.akey AND e.ekey = linked.k "
            "AND e.analyser = ?",
            [*params, self.analyser, self.analyser],
        ).fetchall()[0][0]
        if found:
            return True
        twice = con.execute(
            f"WITH {chosen} SELECT count(*) FROM (SELECT c.akey, nm.lkey FROM chosen c "
            "JOIN article_entities e ON e.akey = c.akey AND e.analyser = ? "
            "JOIN name_map nm ON nm.story = c.story AND nm.ekey = e.ekey "
            "GROUP BY ALL HAVING count(DISTINCT e.ekey) > 1)",
            [*params, self.analyser],
        ).fetchall()[0][0]
        return twice > 0

    # ---------------------------------------------------------------- the selection in SQL

    def _chosen(self, con: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[str, list]:
        """The ``chosen`` CTE (the selected, analysed articles with their stats and order ``ord``)
        and its parameters. ``selection.article_ids`` are joined, in their order, as a registered
        frame rather than listed in the query."""
        where, params = selection.sql("a")
        order, join = "a.seq", ""
        if selection.article_ids is not None:
            ids = list(selection.article_ids)
            con.register("wanted", pd.DataFrame({"article_id": pd.Series(ids, dtype="str"),
                                                 "ord": pd.Series(range(len(ids)), dtype="int64")}))
            join, order = "JOIN wanted w ON w.article_id = a.article_id", "w.ord"
        # copy_of: the earliest article (by day, undated last, then id) of the article's copy group
        # in the store, as analysis.grouping.assignments gives it for the same articles; the
        # selection filters on it (hide_copies) like on any article column
        analysed = (
            "SELECT a.*, coalesce(nullif(o.first_id, a.article_id), '') AS copy_of, "
            "r.words, r.sentences, r.repairs, r.length "
            "FROM articles a JOIN analysed r ON r.article_id = a.article_id AND r.input_hash = a.input_hash "
            "LEFT JOIN placements p ON p.article_id = a.article_id LEFT JOIN origins o ON o.copy_group = p.copy_group "
            "WHERE r.analyser = ?"
        )
        chosen = (
            "origins AS (SELECT p.copy_group, first(a.article_id ORDER BY "
            "coalesce(nullif(substr(a.published, 1, 10), ''), '9999-99-99'), a.article_id) AS first_id "
            "FROM placements p JOIN articles a ON a.article_id = p.article_id GROUP BY p.copy_group), "
            f"chosen AS (SELECT a.*, row_number() OVER (ORDER BY {order}) AS ord "
            f"FROM ({analysed}) a {join} WHERE {where})"
        )
        return chosen, [self.analyser, *params]

    def _unscored(self, con: duckdb.DuckDBPyConnection, chosen: str, params: list, scorer: str) -> int:
        """How many selected articles with sentences lack stored tones for ``scorer``.

        ``self._scored`` remembers the (generation, scorer) for which no article of the whole
        store lacks them (the usual case): then a selection needs no scan of its own.
        """
        memo = (generation(con), scorer)
        if memo in self._scored:
            return 0
        everywhere = con.execute(
            "SELECT count(*) FROM analysed r ANTI JOIN article_tones t ON t.article_id = r.article_id "
            "AND t.analyser = r.analyser AND t.scorer = ? WHERE r.analyser = ? AND r.sentences > 0",
            [scorer, self.analyser],
        ).fetchall()[0][0]
        if not everywhere:
            self._scored.add(memo)
            return 0
        return con.execute(
            f"WITH {chosen} SELECT count(*) FROM chosen c ANTI JOIN article_tones t ON t.article_id = c.article_id "
            f"AND t.analyser = ? AND t.scorer = ? WHERE c.sentences > 0",
            [*params, self.analyser, scorer],
        ).fetchall()[0][0]

    def _load(self, con: duckdb.DuckDBPyConnection, selection: Selection, scorer: str | None):
        """``(articles, Extracted, scores)`` of the selection; scores (polarity, subjectivity per
        sentence) are ``scorer``'s stored ones, NaN where none is stored."""
        chosen, params = self._chosen(con, selection)
        # The selection first, without text: with ``text`` in it DuckDB reads every stored text
        # (100,000 of them: 0.1-0.2 s) before the joins drop most; each table below then joins
        # the picked ids, a small frame, instead of evaluating the selection again.
        fields = ", ".join(f'c."{c}"' for c in ARTICLE_FIELDS if c != "text")
        meta = frame(con, f"WITH {chosen} SELECT {fields}, c.copy_of, c.words, c.sentences, c.repairs, c.length "
                          "FROM chosen c ORDER BY c.ord", params)
        con.register("picked", pd.DataFrame({"article_id": meta["article_id"].astype("str"), "ord": range(len(meta))}))
        texts = frame(con, "SELECT a.text FROM picked p JOIN articles a ON a.article_id = p.article_id "
                           "ORDER BY p.ord", [])
        text = pd.Series(texts["text"].to_numpy(), index=meta.index, dtype="str")
        meta.insert(list(ARTICLE_FIELDS).index("text"), "text", text)
        sentences = frame(
            con,
            "SELECT s.article_id, s.position, s.paragraph, s.is_title, s.start, s.\"end\", s.text, "
            "s.entities, t.polarity, t.subjectivity FROM picked c JOIN sentences s ON s.article_id = c.article_id "
            "AND s.analyser = ? LEFT JOIN tones t ON t.article_id = s.article_id AND t.analyser = s.analyser "
            "AND t.position = s.position AND t.scorer = ? ORDER BY c.ord, s.position",
            [self.analyser, scorer or ""],
        )
        mentions = frame(
            con,
            "SELECT m.article_id, m.entity, m.label, m.text, m.sentence, m.start, m.\"end\", t.tone, t.tone_score "
            "FROM picked c JOIN mentions m ON m.article_id = c.article_id AND m.analyser = ? "
            "LEFT JOIN mention_tones t ON t.article_id = m.article_id AND t.analyser = m.analyser AND t.idx = m.idx "
            "AND t.model = ? ORDER BY c.ord, m.idx",
            [self.analyser, tone_version()],
        )
        con.unregister("picked")
        tables = {"articles": meta, "sentences": sentences, "mentions": mentions}
        extracted = Extracted(**{name: typed(tables[name][columns], columns) for name, columns in EXTRACTED.items()})
        tones = pd.DataFrame({"tone": mentions["tone"].astype("str").to_numpy(),
                              "tone_score": mentions["tone_score"].astype(float).to_numpy()})
        loaded = [*ARTICLE_FIELDS, "copy_of"]
        return typed(meta[loaded], loaded), extracted, sentences[TONE].astype(float), tones


# The tone toward each entity (``analysis.entities.entity_table``'s tone, negative_mentions and
# positive_mentions) from the per-article sums of the tone model's version (``article_entity_tones``),
# names linked as in ``analysis.entities.ENTITIES_SQL`` (self-mentions drop out in the merge with it);
# ``scored`` < the entity's mentions when some mention has no tone (a store written before that
# model), and the table is built in pandas. Parameters after the ``chosen`` ones: analyser, model.
_ENTITY_TONE_SQL = f"""
SELECT c.story, c.outlet, names.entity, sum(t.tone_sum) / sum(t.n) AS tone,
       sum(t.negative)::BIGINT AS negative_mentions, sum(t.positive)::BIGINT AS positive_mentions,
       sum(t.n)::BIGINT AS scored
FROM chosen c JOIN article_entity_tones t ON t.akey = c.akey AND t.analyser = ? AND t.model = ?
LEFT JOIN name_map nm ON nm.story = c.story AND nm.ekey = t.ekey
JOIN ({LINKED_NAMES_SQL}) names
  ON names.ekey = coalesce(nm.lkey, t.ekey)
GROUP BY c.story, c.outlet, names.entity
"""


def frame(con: duckdb.DuckDBPyConnection, query: str, params: list) -> pd.DataFrame:
    """A query's result as a DataFrame, through Arrow (strings arrive as pandas' ``str`` dtype
    without a Python object per cell: twice as fast as ``.df()`` for 100,000 articles)."""
    table = con.sql(query, params=params).to_arrow_table()
    if table.num_rows == 0:  # Arrow cannot convert a result without chunks
        return con.sql(query, params=params).df()
    return table.to_pandas()


def typed(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Give DuckDB's result the dtypes ``extract`` and the loaders use (str, int64, bool)."""
    out = table.reset_index(drop=True)
    for column in columns:
        series = out[column]
        if column == "is_title":
            out[column] = series.astype(bool)
        elif pd.api.types.is_integer_dtype(series.dtype):
            out[column] = series.astype("int64")
        elif not pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            out[column] = series.astype("str")
    return out
