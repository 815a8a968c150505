"""How many targets per second the shipped stance model scores, on one and on two threads.

    python benchmarks/bench_stance.py ../shared/datasets/newsmtsc/paper_dev_test_split/rw_dev.jsonl
    python benchmarks/bench_stance.py examples/venezuela         # make bench-stance

PATH is a NewsMTSC JSONL file (its sentences and gold targets) or a folder of plain-text articles, split into
sentences by the rule-based stages (paragraphs, sentences, entities), every entity mention of a sentence a
target, as the corpus would score them. The inputs are repeated to at least --min-targets targets and scored in
one call of `StanceModel.score` (tokenising included), --repeat times per thread count; the median run is
reported. Prints one JSON line and a summary. Target (issue 6): >= 300 targets/s on 2 cores.

    python benchmarks/bench_stance.py examples/venezuela --stage [--min-articles 100]

With --stage, what the `stance` pipeline stage adds to the per-article time of the default pipeline: the
folder's texts are repeated to at least --min-articles articles, run once through the default pipeline up to the
`stance` stage, then timed: the whole default pipeline per article (every stage, from the raw article), and the
`stance` stage alone on the analysed documents (one model call per article, as in `rashomon analyze`), with the
model's threads from --threads (the first value). The stage's share is its time over the whole pipeline's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataclasses  # noqa: E402

from bench_analyze import machine  # noqa: E402

Item = tuple[str, list[tuple[int, int]]]


def newsmtsc_items(path: Path) -> list[Item]:
    from rashomon.evaluate.sentiment import read_newsmtsc

    return [(s.text, [(t.start, t.end) for t in s.targets]) for s in read_newsmtsc(path)]


def article_items(folder: Path) -> list[Item]:
    """Each sentence holding an entity mention, with every mention it holds, offsets relative to the sentence."""
    from rashomon.model import Article, ArticleMeta, Document, SourceFormat
    from rashomon.nlp import Pipeline

    pipeline = Pipeline(["paragraphs", "sentences", "entities"])
    items: list[Item] = []
    for path in sorted(folder.rglob("*.txt")):
        if path.name.lower() == "readme.txt":
            continue
        article = Article.create(path.read_text(encoding="utf-8"), ArticleMeta(path.name), SourceFormat.TEXT)
        doc = pipeline(Document(article))
        mentions = sorted(m.span for e in doc.entities for m in e.mentions)
        for sentence in doc.sentences:
            inside = [(m.start - sentence.start, m.end - sentence.start) for m in mentions if sentence.contains(m)]
            if inside:
                items.append((doc.text[sentence.start : sentence.end], inside))
    return items


def run(items: Sequence[Item], threads: int, repeat: int) -> list[float]:
    from rashomon.nlp.stance import StanceModel

    model = StanceModel(threads=threads)
    model.score(items[:50])  # warm-up
    targets = sum(len(t) for _, t in items)
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        model.score(items)
        rates.append(targets / (time.perf_counter() - started))
    return rates


def stage(folder: Path, threads: int, repeat: int, min_articles: int) -> None:
    """Time the default pipeline per article, and the `stance` stage within it (see the module docstring)."""
    import rashomon.nlp.stance as stance
    from rashomon.model import Article, ArticleMeta, Document, SourceFormat
    from rashomon.nlp import Pipeline
    from rashomon.settings import Settings

    files = sorted(p for p in folder.rglob("*.txt") if p.name.lower() != "readme.txt")
    if not files:
        raise SystemExit(f"{folder}: no .txt files to read")
    texts = [p.read_text(encoding="utf-8") for p in files]
    while len(texts) < min_articles:
        texts.extend(texts[: len(files)])
    articles = [Document(Article.create(t, ArticleMeta(f"a{i}.txt"), SourceFormat.TEXT)) for i, t in enumerate(texts)]
    names = Settings().pipeline
    if "stance" not in names:
        raise SystemExit("the default pipeline has no stance stage")
    stance.model.cache_clear()
    shipped = stance.StanceModel(threads=threads)
    stance.model = lambda: shipped  # type: ignore[assignment]  # the stage uses the model with these threads
    before = Pipeline([n for n in names if n != "stance"])
    whole = Pipeline(list(names))
    analysed = [before(a) for a in articles]  # also warms up every lazily loaded model
    settings = Settings()
    stance.stance_stage(analysed[0], settings)

    def timed(run: Callable[[], object]) -> float:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    n = len(articles)
    targets = sum(len(stance.stance_stage(d, settings).stances) for d in analysed)
    t_whole = timed(lambda: [whole(a) for a in articles]) / n
    t_stage = timed(lambda: [stance.stance_stage(d, settings) for d in analysed]) / n
    record = {
        "benchmark": "stance-stage",
        "path": str(folder),
        "articles": n,
        "targets": targets,
        "targets_per_article": round(targets / n, 1),
        "model_threads": threads,
        "pipeline_ms_per_article": round(1000 * t_whole, 2),
        "stance_ms_per_article": round(1000 * t_stage, 2),
        "stance_share": round(t_stage / t_whole, 4),
        "stage_targets_per_s": round(targets / (t_stage * n)),
        "machine": dataclasses.asdict(machine()),
    }
    print(json.dumps(record), flush=True)
    print(
        f"stance stage on {n} articles ({targets / n:.1f} targets each, model threads {threads}): "
        f"{1000 * t_stage:.1f} ms/article of {1000 * t_whole:.1f} ms for the whole pipeline "
        f"({100 * t_stage / t_whole:.1f}%), {record['stage_targets_per_s']:,} targets/s",
        file=sys.stderr,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-targets", type=int, default=2000)
    parser.add_argument("--stage", action="store_true", help="time the stance stage within the default pipeline")
    parser.add_argument("--min-articles", type=int, default=100, help="with --stage: articles to time")
    args = parser.parse_args()
    if args.stage:
        stage(args.path, args.threads[0], args.repeat, args.min_articles)
        return

    base = newsmtsc_items(args.path) if args.path.is_file() else article_items(args.path)
    if not base:
        raise SystemExit(f"{args.path}: no sentences with targets")
    items = list(base)
    while sum(len(t) for _, t in items) < args.min_targets:
        items.extend(base)
    targets = sum(len(t) for _, t in items)
    pieces = statistics.mean(len(text.split()) for text, _ in base)
    results = {str(n): run(items, n, args.repeat) for n in args.threads}
    record = {
        "benchmark": "stance",
        "path": str(args.path),
        "sentences": len(items),
        "targets": targets,
        "targets_per_sentence": round(targets / len(items), 2),
        "words_per_sentence": round(pieces, 1),
        "targets_per_s": {n: round(statistics.median(r)) for n, r in results.items()},
        "runs": {n: [round(x) for x in r] for n, r in results.items()},
        "machine": dataclasses.asdict(machine()),
    }
    print(json.dumps(record), flush=True)
    print(
        f"stance {args.path}: {len(items):,} sentences, {targets:,} targets "
        f"({record['targets_per_sentence']} per sentence, {record['words_per_sentence']} words)",
        file=sys.stderr,
    )
    for n, r in results.items():
        print(f"  {n} thread(s): {statistics.median(r):,.0f} targets/s (median of {len(r)})", file=sys.stderr)


if __name__ == "__main__":
    main()
