"""What the learned attribution model adds to the per-article pipeline time, on one core.

    python benchmarks/bench_attribution.py examples/venezuela [--min-articles 100]   # make bench-attribution

The texts of PATH (plain-text files) are repeated to at least --min-articles articles, run once through the
default pipeline's stages before the `quotes` stage (language, paragraphs, sentences, syntax, ner, labels), then
timed:
- the whole default pipeline per article (every stage, from the raw article),
- the `quotes` stage with the shipped attribution model, and without it (quote marks and patterns only).
The attribution's share is (quotes with the model - quotes without) / whole pipeline. Prints one JSON line and
a summary. Target (issue 4): at most 20%.
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

from bench_analyze import machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--min-articles", type=int, default=100)
    args = parser.parse_args()

    from rashomon.model import Article, ArticleMeta, Document, SourceFormat
    from rashomon.nlp import Pipeline
    from rashomon.nlp.attribution import shipped_model
    from rashomon.nlp.quotes import extract_quotes
    from rashomon.settings import Settings

    files = sorted(p for p in ([args.path] if args.path.is_file() else args.path.rglob("*.txt")) if p.is_file())
    if not files:
        raise SystemExit(f"{args.path}: no .txt files to read")
    texts = [p.read_text(encoding="utf-8") for p in files]
    while len(texts) < args.min_articles:
        texts.extend(texts[: len(files)])
    articles = [Document(Article.create(t, ArticleMeta(f"a{i}.txt"), SourceFormat.TEXT)) for i, t in enumerate(texts)]
    stages = Settings().pipeline
    before_quotes = Pipeline(list(stages[: stages.index("quotes")]))  # later stages (stance) need the quotes
    whole = Pipeline(list(stages))
    model = shipped_model()
    parsed = [before_quotes(a) for a in articles]  # also warms up every lazily loaded model
    extract_quotes(parsed[0], model)

    def timed(run: object) -> float:
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run()  # type: ignore[operator]
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    n = len(articles)
    t_whole = timed(lambda: [whole(a) for a in articles]) / n
    t_with = timed(lambda: [extract_quotes(d, model) for d in parsed]) / n
    t_without = timed(lambda: [extract_quotes(d) for d in parsed]) / n
    share = (t_with - t_without) / t_whole
    result = {
        "benchmark": "attribution",
        "path": str(args.path),
        "articles": n,
        "words": sum(len(d.words) for d in parsed),
        "pipeline_ms_per_article": round(1000 * t_whole, 2),
        "quotes_with_model_ms": round(1000 * t_with, 2),
        "quotes_without_model_ms": round(1000 * t_without, 2),
        "attribution_share": round(share, 4),
        "machine": dataclasses.asdict(machine()),
    }
    print(json.dumps(result))
    print(
        f"{n} articles: pipeline {1000 * t_whole:.1f} ms/article; quotes stage {1000 * t_with:.1f} ms with the "
        f"attribution model, {1000 * t_without:.1f} ms without: the model adds {100 * share:.1f}% (target <= 20%)"
    )


if __name__ == "__main__":
    main()
