"""Words per second of the shipped spaCy pipeline on news text, on one core.

    python benchmarks/bench_pipeline.py examples/venezuela [--model DIR] [--repeat 3] [--min-words 100000]

The texts of PATH (plain-text files, read as articles are: boilerplate included) are repeated until at least
--min-words words, then run through `nlp.pipe` in one process with BLAS limited to one thread, so the figure is
per core. Prints one JSON line (also per component, measured by running the pipeline with all components up to
and including each one) and a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# Before numpy is imported: one BLAS thread, so the figure is per core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataclasses  # noqa: E402

from bench_analyze import machine  # noqa: E402  (after the thread limits)


def texts_of(path: Path, min_words: int) -> list[str]:
    files = sorted(p for p in ([path] if path.is_file() else path.rglob("*.txt")) if p.is_file())
    base = [p.read_text(encoding="utf-8") for p in files]
    if not base:
        raise SystemExit(f"{path}: no .txt files to read")
    texts: list[str] = []
    while sum(len(t.split()) for t in texts) < min_words:
        texts.extend(base)
    return texts


def time_pipe(nlp: object, texts: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):  # type: ignore[attr-defined]
            pass
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="spaCy pipeline folder (default: shipped)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-words", type=int, default=100_000)
    args = parser.parse_args()

    from rashomon.nlp.english import load

    nlp = load(args.model)
    texts = texts_of(args.path, args.min_words)
    words = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))  # spaCy tokens, as spaCy reports words/s
    nlp.pipe(texts[:2]).__next__()  # warm-up
    seconds = time_pipe(nlp, texts, args.repeat)
    cumulative = {}
    names = nlp.pipe_names
    for i, name in enumerate(names):
        with nlp.select_pipes(enable=names[: i + 1]):
            cumulative[name] = round(words / time_pipe(nlp, texts, 1))
    result = {
        "benchmark": "pipeline",
        "path": str(args.path),
        "words": words,
        "seconds_median": round(seconds, 3),
        "words_per_s": round(words / seconds),
        "words_per_s_up_to_component": cumulative,
        "pipeline": names,
        "machine": dataclasses.asdict(machine()),
    }
    print(json.dumps(result))
    print(f"{words:,} tokens in {seconds:.2f} s (median of {args.repeat}): {words / seconds:,.0f} words/s on one core")
    for name, wps in cumulative.items():
        print(f"  up to {name:22} {wps:>9,} words/s")


if __name__ == "__main__":
    main()
