"""How long placing one new article among the events of a large store takes: synthetic 384-d vectors.

    python benchmarks/bench_stories.py                       # 1,000,000 articles in 50,000 events (make bench-stories)
    python benchmarks/bench_stories.py --articles 100000 --events 5000 --queries 200

Builds a synthetic corpus: --events event centres (random unit vectors), each with --articles / --events articles
scattered around it (unit vectors at cosine ~0.75 from their centre), added to the HNSW index of
`rashomon.corpus.vectors.VectorIndex` (half-precision, the settings Rashomon persists beside a database); each
event gets summed vectors as `rashomon.corpus.events.Assigner` keeps them: the sum of its articles' embeddings and
sparse TF-IDF sums of realistic size (--terms words for the content-word view, fewer for the others). Then it times
`Assigner.assign` on --queries new articles, 90% near an existing centre and 10% about something new: a nearest-
neighbour query (k = 20) and the affinity with the events of the neighbours. Target (issue 7): <= 50 ms per
article at 1,000,000 articles.

Prints one JSON line (latency percentiles, the build time of the index, how many new articles went to the event
they were drawn from or, for the novel ones, founded an event), then a summary for people.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataclasses  # noqa: E402

import numpy as np  # noqa: E402
from bench_analyze import machine, max_rss_bytes  # noqa: E402

from rashomon.corpus.events import VIEWS, ArticleFeatures, Assigner, Idf  # noqa: E402
from rashomon.corpus.vectors import EXPANSION_SEARCH, VectorIndex  # noqa: E402

DIMS = 384
# Terms per view of one article, as the views of a news article of a few hundred words hold them.
# The names view (capitalised words: people, organisations, places, days, months) holds about a fifth as many.
VIEW_TERMS = {"words": 1.0, "lead": 0.25, "numbers": 0.1, "places": 0.05, "names": 0.2}
assert tuple(VIEW_TERMS) == VIEWS, f"the benchmark's views {tuple(VIEW_TERMS)} differ from the clustering's {VIEWS}"


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = rng.standard_normal((n, DIMS)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def around(rng: np.random.Generator, centres: np.ndarray, spread: float = 0.9) -> np.ndarray:
    """Unit vectors near each centre: cosine about 1/sqrt(1 + spread²) (~0.75)."""
    rows = centres + spread * unit_rows(rng, len(centres))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32)


def terms_of(rng: np.random.Generator, event: int, terms: int, novel: bool = False) -> dict[str, dict[str, int]]:
    """An article's term counts: most drawn from its event's vocabulary, some from the whole language."""
    out = {}
    for view, share in VIEW_TERMS.items():
        n = max(1, int(terms * share))
        # Two thirds from the event's own vocabulary of n terms (so two of its articles share about half their
        # terms), the rest from a language of 50,000.
        own = rng.choice(n, size=max(1, 2 * n // 3), replace=False)
        shared = rng.integers(0, 50_000, size=n - len(own))
        prefix = f"new{event}" if novel else f"e{event}"
        out[view] = {f"{view}:{prefix}:{t}": 1 for t in own} | {f"{view}:{t}": 1 for t in shared}
    return out


def time_encoder(n: int) -> float:
    """Median milliseconds to embed one article's title and lead (a full `LEAD_PIECES` input), one at a time."""
    from rashomon.nlp.encoder import article_text, embed_articles, encoder

    words = "Venezuela's opposition leader declared himself interim president before thousands of supporters".split()
    texts = [" ".join(words[(i + j) % len(words)] for j in range(400)) for i in range(n)]
    encoder()  # loading the weights is not part of it
    times = []
    for text in texts:
        started = time.perf_counter()
        embed_articles([(None, text)])
        times.append(1000 * (time.perf_counter() - started))
    assert len(encoder().pieces(article_text(None, texts[0]))) > 100
    return round(statistics.median(times), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--terms", type=int, default=120, help="Content-word terms per article.")
    parser.add_argument("--threads", type=int, default=1, help="Threads for building the index (not timed).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embed", type=int, default=50, help="Articles embedded to time the encoder (0: skip).")
    parser.add_argument(
        "--expansion",
        default=f"{EXPANSION_SEARCH}",
        help="Comma-separated HNSW search expansions to time (the shipped one is reported at the top level).",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    embed_ms = time_encoder(args.embed) if args.embed else None

    centres = unit_rows(rng, args.events)
    index = VectorIndex("bench")
    assigner = Assigner(Idf([]), index)
    # Every view's IDF as if each term were in a handful of documents: the weights of a realistic corpus.
    assigner.idf.n = args.articles
    event_of_row = np.arange(args.articles) % args.events
    started = time.perf_counter()
    embedding_sums = np.zeros((args.events, DIMS))
    chunk = 50_000
    for start in range(0, args.articles, chunk):
        rows = np.arange(start, min(start + chunk, args.articles))
        vectors = around(rng, centres[event_of_row[rows]])
        np.add.at(embedding_sums, event_of_row[rows], vectors)
        keys = np.array(rows + 1, dtype=np.uint64)
        index._index.add(keys, vectors, threads=args.threads)
    build_seconds = time.perf_counter() - started
    for row in range(args.articles):
        assigner.event_of[f"{row + 1:016x}"] = f"event-{event_of_row[row]}"
    size = np.bincount(event_of_row, minlength=args.events)
    for event in range(args.events):
        # The sum of its articles' unit TF-IDF vectors: the mean of a few sampled articles', times its size.
        samples = [
            assigner.idf.vectors(ArticleFeatures("", centres[event], terms_of(rng, event, args.terms)))
            for _ in range(3)
        ]
        sums: dict[str, dict[str, float]] = {view: {} for view in VIEWS}
        for sample in samples:
            for view in VIEWS:
                for term, weight in sample[view].items():
                    sums[view][term] = sums[view].get(term, 0.0) + weight * float(size[event]) / len(samples)
        assigner.add_profile(f"event-{event}", int(size[event]), embedding_sums[event], sums)
    setup_seconds = time.perf_counter() - started

    queries = []
    for q in range(args.queries):
        novel = q % 10 == 9
        if novel:
            vector = unit_rows(rng, 1)[0]
            event = -1 - q
        else:
            event = int(rng.integers(0, args.events))
            vector = around(rng, centres[event : event + 1])[0]
        article = ArticleFeatures(f"f{q:015x}", vector, terms_of(rng, event, args.terms, novel=novel))
        queries.append((article, None if novel else f"event-{event}"))

    runs = []
    for expansion in [int(e) for e in args.expansion.split(",")]:
        index._index.expansion_search = expansion
        latencies = []
        placed_right = found_own = 0
        for article, drawn in queries:
            t = time.perf_counter()
            found, _ = assigner.assign(article)
            latencies.append(time.perf_counter() - t)
            placed_right += found == drawn
            found_own += drawn is not None and drawn in assigner.candidates(article)
        ms = sorted(1000 * s for s in latencies)
        runs.append(
            {
                "expansion_search": expansion,
                "ms_median": round(statistics.median(ms), 3),
                "ms_mean": round(statistics.fmean(ms), 3),
                "ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 3),
                "ms_p99": round(ms[int(0.99 * (len(ms) - 1))], 3),
                "ms_max": round(ms[-1], 3),
                "placed_as_drawn": round(placed_right / len(queries), 4),
                # Of the articles drawn near an event, how many found one of its articles among their neighbours.
                "own_event_found": round(found_own / sum(1 for _, d in queries if d), 4),
            }
        )
    main_run = next((r for r in runs if r["expansion_search"] == EXPANSION_SEARCH), runs[0])
    result = {
        "benchmark": "stories-assign",
        "articles": args.articles,
        "events": args.events,
        "queries": args.queries,
        "terms": args.terms,
        **main_run,
        "runs": runs,
        "embed_ms_per_article": embed_ms,
        "index_build_s": round(build_seconds, 1),
        "index_build_threads": args.threads,
        "setup_s": round(setup_seconds, 1),
        "max_rss_bytes": max_rss_bytes(),
        "machine": dataclasses.asdict(machine()),
    }
    print(json.dumps(result))
    print(
        f"assign one new article among {args.articles:,} articles in {args.events:,} events: "
        f"median {result['ms_median']} ms, p95 {result['ms_p95']} ms, p99 {result['ms_p99']} ms "
        f"(target <= 50 ms); {100 * result['placed_as_drawn']:.1f}% placed as drawn; index built in "
        f"{result['index_build_s']} s on {args.threads} thread(s); embedding one article {embed_ms} ms",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
