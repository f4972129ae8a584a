"""What one article can cost at the loaders' caps: the slowest shapes of text, timed one by one.

    python -m bench.hostile [--json FILE] [--only NAME ...]

Each shape is an article of 150,000 characters built to be expensive in one way: many tokens,
many paragraphs, runs of punctuation, long glued words, dense names; and some files are timed
loading alone (20 MiB, the size limit, of Markdown, HTML or front matter; deeply nested YAML).
Each article is loaded as an upload (``load_files``: the caps of ``analysis.loaders`` cut it), then
analysed alone in this process (``analyse``: repair, spaCy, tone) and its tables built
(``build_tables``). Prints a Markdown table of seconds per step and this process's peak memory;
``--json`` also writes the numbers. The spaCy model is loaded before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

SIZE = 150_000


def _shapes() -> dict[str, str]:
    root = Path(__file__).resolve().parents[1]
    prose = "\n\n".join(p.read_text(encoding="utf-8").split("---", 2)[2].strip()
                        for p in sorted((root / "data" / "corpus").glob("*.md")))
    rng = random.Random(0)

    def glued() -> str:
        return "".join(rng.choice(["democratize", "use", "the", "at", "other"])
                       + rng.choice(["AI", "Microsoft", "OpenAI", "Azure", "Tech"]) for _ in range(8))[:100]

    def fill(unit: str) -> str:
        return (unit * (SIZE // len(unit) + 1))[:SIZE]

    return {
        "news prose (the bundled articles, repeated)": fill(prose + "\n\n"),
        "one paragraph of short sentences": fill("Microsoft met OpenAI in Redmond on Monday. "),
        "one-character tokens (`! ! !`)": fill("! "),
        "one word per line": fill("word\n"),
        "runs of 100 mixed punctuation marks": fill('"(!)' * 25 + " "),
        "dense names": fill("Satya Nadella, Microsoft, OpenAI, Elon Musk, Amazon. "),
        "glued words of 100 characters": " ".join(glued() for _ in range(SIZE // 101)),
        "one word of 150,000 letters": "a" * SIZE,
    }


def _files() -> list[tuple[str, str, bytes]]:
    """(what, file name, bytes) of files whose reading alone was costly (20 MiB: the size limit)."""
    size = 20 * 1024 * 1024 - 1024
    sentence = "Microsoft met OpenAI in Redmond on Monday. "
    page = "".join(f"<p>Microsoft met OpenAI in Redmond on day {i}, and they talked about Azure.</p>\n"
                   for i in range(size // 92))
    return [
        ("a 20 MiB Markdown file of one paragraph", "huge.md",
         f"---\noutlet: Bench\n---\n{(sentence * (size // 43))[:size]}\n".encode()),
        ("a 20 MiB HTML page of paragraphs", "huge.html",
         f"<html><head><meta property='og:site_name' content='Bench'></head><body><article>{page}"
         "</article></body></html>".encode()),
        ("front matter nested 30,000 levels (60 KB)", "deep.md",
         ("---\noutlet: D\ntitle: " + "[" * 30000 + "]" * 30000 + "\n---\nText.\n").encode()),
        ("front matter of 20 MiB (a flat list)", "tags.md",
         ("---\noutlet: A\ntags: [" + "a, " * (size // 3) + "a]\n---\nText.\n").encode()),
    ]


def run(only: list[str]) -> list[dict]:
    from analysis import analyse, build_tables, load_files, read_aliases
    from analysis.nlp import load_pipeline
    from analysis.repair import repair_text

    aliases = read_aliases()
    load_pipeline(aliases.names)
    repair_text("warm upthe lexicon")
    rows = []
    for name, text in _shapes().items():
        if only and not any(o in name for o in only):
            continue
        data = f"---\noutlet: Bench\ntitle: One costly article\n---\n{text}\n".encode()
        start = time.perf_counter()
        corpus = load_files([("article.md", data)])
        loaded = time.perf_counter()
        result = analyse(corpus.articles, aliases=aliases)
        analysed = time.perf_counter()
        build_tables(result)
        built = time.perf_counter()
        article = corpus.articles.iloc[0]
        rows.append({
            "shape": name, "characters": len(article["text"]), "sentences": int(result.articles["sentences"].iloc[0]),
            "load": round(loaded - start, 2), "analyse": round(analysed - loaded, 2),
            "tables": round(built - analysed, 2), "cut": bool(len(corpus.cleaned)),
        })
    if not only or any(o in "loading" for o in only):
        for name, file, data in _files():
            start = time.perf_counter()
            corpus = load_files([(file, data)])
            kept = len(corpus.articles["text"].iloc[0]) if len(corpus.articles) else 0
            rows.append({"shape": f"loading {name}", "characters": kept, "sentences": None,
                         "load": round(time.perf_counter() - start, 2), "analyse": None, "tables": None,
                         "cut": bool(len(corpus.cleaned) or len(corpus.skipped))})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--only", nargs="*", default=[], help="shapes whose name contains one of these")
    args = parser.parse_args()
    rows = run(args.only)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print("| shape | characters kept | sentences | load s | analyse s | tables s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        cells = [row["shape"], f"{row['characters']:,}", row["sentences"], row["load"], row["analyse"], row["tables"]]
        print("| " + " | ".join("" if c is None else str(c) for c in cells) + " |")
    print(f"\npeak memory of this process: {peak:,} MB")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "peak_mb": peak}, indent=2))


if __name__ == "__main__":
    main()
