"""Benchmark of the analyze step: articles/s, words/s and peak memory of `Corpus.add` on a folder.

    python benchmarks/bench_analyze.py PATH [--repeat N] [--scale N] [--db FILE] [--no-trace]

Each run analyses PATH into a fresh database (a temporary one unless --db is given) through the public
Python API, so what is measured is what `rashomon analyze` does: ingest, the per-article pipeline and the
corpus-level steps. Prints one JSON line, then a summary for people. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import rashomon
from rashomon import Corpus

SIDECAR = "metadata.csv"
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}


@dataclass(frozen=True, slots=True)
class Machine:
    cpu: str
    cores: int | None  # logical CPUs of the machine
    usable_cores: int | None  # those this process may run on
    python: str
    implementation: str
    platform: str
    rashomon: str


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    ingested: int
    duplicates: int
    analyzed: int
    problems: int


# --- machine facts ----------------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU model as /proc/cpuinfo names it (x86 "model name", ARM "Model"/"Hardware"), else platform's."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        info = ""
    for key in ("model name", "Model", "Hardware", "cpu model", "Processor"):
        match = re.search(rf"^{key}\s*:\s*(.+)$", info, re.MULTILINE)
        if match:
            return match.group(1).strip()
    return platform.processor() or platform.machine() or "unknown"


def machine() -> Machine:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return Machine(
        cpu=cpu_model(),
        cores=os.cpu_count(),
        usable_cores=usable,
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        platform=platform.platform(),
        rashomon=str(getattr(rashomon, "__version__", "unknown")),
    )


def max_rss_bytes() -> int | None:
    """The process's peak resident set size so far (getrusage), in bytes; None where unavailable."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB, macOS bytes


# --- scaling the input ------------------------------------------------------------------------------------


def variant_note(copy: int) -> str:
    return f" This is copy {copy} of the benchmark corpus."


def vary(path: Path, copy: int) -> bytes:
    """The bytes of ``path`` with a short sentence added to its text, so each copy is a distinct article.

    The sentence goes where the article's words are: into the longest line of a text file, before ``</body>``
    of an HTML file, into the longest string of each JSON record and the longest cell of each table row.
    Bytes that are not UTF-8 pass through unchanged (surrogateescape), so the ingester still sees the original
    encoding problems, if any.
    """
    raw = path.read_bytes().decode("utf-8", errors="surrogateescape")
    note = variant_note(copy)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        body_end = re.search(r"</body\s*>", raw, re.IGNORECASE)
        at = body_end.start() if body_end else len(raw)
        out = f"{raw[:at]}<p>{note.strip()}</p>{raw[at:]}"
    elif suffix in JSON_LINES_SUFFIXES:
        out = "".join(_vary_json_line(line, note) for line in raw.splitlines(keepends=True))
    elif suffix == ".json":
        out = json.dumps(_vary_json(json.loads(raw), note), ensure_ascii=False)
    elif suffix in TABLE_SUFFIXES:
        out = _vary_table(raw, note, TABLE_SUFFIXES[suffix])
    else:  # plain text, and anything the ingester will sniff
        lines = raw.splitlines(keepends=True) or [""]
        longest = max(range(len(lines)), key=lambda i: len(lines[i].strip()))
        body = lines[longest].rstrip("\r\n")
        lines[longest] = body + note + lines[longest][len(body) :]
        out = "".join(lines)
    return out.encode("utf-8", errors="surrogateescape")


def _vary_json(value: Any, note: str) -> Any:
    if isinstance(value, list):
        return [_vary_json(v, note) for v in value]
    if isinstance(value, dict):
        strings = [k for k, v in value.items() if isinstance(v, str)]
        if strings:
            longest = max(strings, key=lambda k: len(value[k]))
            return {**value, longest: value[longest] + note}
    return value


def _vary_json_line(line: str, note: str) -> str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return line  # blank or broken lines stay as they are: the ingester reports them
    return json.dumps(_vary_json(record, note), ensure_ascii=False) + "\n"


def _vary_table(raw: str, note: str, delimiter: str) -> str:
    rows = list(csv.reader(io.StringIO(raw), delimiter=delimiter))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for n, row in enumerate(rows):
        if n > 0 and row:  # the header row names the columns
            longest = max(range(len(row)), key=lambda i: len(row[i]))
            row = [*row[:longest], row[longest] + note, *row[longest + 1 :]]
        writer.writerow(row)
    return out.getvalue()


def input_files(root: Path) -> list[Path]:
    """The files a directory walk of the ingester would read: no hidden files, sidecars or READMEs."""
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") for p in parts) or not path.is_file():
            continue
        if path.name == SIDECAR or path.stem.lower() == "readme":
            continue
        found.append(path)
    return found


def scale_corpus(source: Path, copies: int, into: Path) -> Path:
    """``copies`` folders each holding every input of ``source``, varied per copy, sidecars alongside."""
    root = source if source.is_dir() else source.parent
    files = input_files(source)
    for copy in range(1, copies + 1):
        folder = into / f"copy-{copy:04d}"
        for path in files:
            target = folder / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(vary(path, copy))
        # Sidecars match files by their path relative to the sidecar's folder: copy each one along.
        for sidecar in root.rglob(SIDECAR):
            target = folder / sidecar.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sidecar, target)
    return into


def count_words(docs: Any) -> int:
    return sum(len(doc.text.split()) for doc in docs)


# --- running ----------------------------------------------------------------------------------------------


@contextmanager
def fresh_database(keep: Path | None) -> Iterator[Path]:
    """A path for a database that does not exist yet: in a temporary folder, or ``keep`` (emptied first)."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="rashomon-bench-") as tmp:
            yield Path(tmp) / "bench.db"
        return
    for leftover in (keep, Path(f"{keep}-wal"), Path(f"{keep}-shm")):
        leftover.unlink(missing_ok=True)  # only ever a database this benchmark created (checked in main)
    yield keep


def analyze(paths: list[Path], db: Path) -> Run:
    """One timed `Corpus.add` into ``db``."""
    with Corpus(db) as corpus:
        start = time.perf_counter()
        summary = corpus.add(paths)
        seconds = time.perf_counter() - start
        run = Run(seconds, summary.ingested, summary.duplicates, summary.analyzed, len(summary.problems))
        for problem in summary.problems[:5]:
            print(f"problem: {problem}", file=sys.stderr)
    return run


def words_in(db: Path) -> int:
    """The words of the articles analysed into ``db``, read back through the API (outside any timing)."""
    with Corpus(db) as corpus:
        return count_words(corpus.documents())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path, help="a folder (or file) of articles, as for `rashomon analyze`")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, each into a fresh database (3)")
    parser.add_argument("--scale", type=int, default=1, help="analyse N varied copies of the input (1)")
    parser.add_argument("--db", type=Path, help="keep the last run's database here (must not exist yet)")
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the extra run under tracemalloc (Python heap peak)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.scale < 1:
        parser.error("--repeat and --scale must be at least 1")
    if not args.path.exists():
        parser.error(f"{args.path}: no such file or directory")
    if args.db is not None and args.db.exists():
        parser.error(f"{args.db} exists; the benchmark only writes a database it can start afresh")

    with tempfile.TemporaryDirectory(prefix="rashomon-bench-input-") as tmp:
        source = args.path
        if args.scale > 1:
            source = scale_corpus(args.path, args.scale, Path(tmp))

        runs: list[Run] = []
        rss: int | None = None
        words = 0
        for n in range(args.repeat):
            with fresh_database(args.db) as db:
                runs.append(analyze([source], db))
                if n == args.repeat - 1:
                    rss = max_rss_bytes()  # before reading the articles back adds to the peak
                    words = words_in(db)

        traced_peak: int | None = None
        if not args.no_trace:
            # A separate run: tracing slows Python down, so it must not be one of the timed ones.
            with fresh_database(args.db) as db:
                tracemalloc.start()
                analyze([source], db)
                traced_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()

    analyzed = runs[-1].analyzed
    if analyzed == 0:
        print(f"{args.path}: no article was analysed ({runs[-1].problems} problems)", file=sys.stderr)
        return 1
    times = [r.seconds for r in runs]
    median, best = statistics.median(times), min(times)
    result = {
        "benchmark": "analyze",
        "path": str(args.path),
        "scale": args.scale,
        "repeat": args.repeat,
        "articles": analyzed,
        "words": words,
        "problems": runs[-1].problems,
        "seconds": [round(t, 4) for t in times],
        "seconds_median": round(median, 4),
        "seconds_best": round(best, 4),
        "articles_per_s": round(analyzed / median, 2),
        "words_per_s": round(words / median, 1),
        "articles_per_s_best": round(analyzed / best, 2),
        "words_per_s_best": round(words / best, 1),
        "tracemalloc_peak_bytes": traced_peak,
        "max_rss_bytes": rss,
        "machine": asdict(machine()),
    }
    print(json.dumps(result, ensure_ascii=False))
    print(summary(result))
    return 0


def summary(r: dict[str, Any]) -> str:
    def mib(n: int | None) -> str:
        return "n/a" if n is None else f"{n / 2**20:,.1f} MiB"

    m = r["machine"]
    first, rest = r["seconds"][0], r["seconds"][1:]
    lines = [
        f"analyze {r['path']} x{r['scale']}: {r['articles']:,} articles, {r['words']:,} words, "
        f"{r['problems']} problems",
        f"  time      median {r['seconds_median']:.2f} s, best {r['seconds_best']:.2f} s "
        f"(first run {first:.2f} s{', then ' + ', '.join(f'{t:.2f}' for t in rest) if rest else ''})",
        f"  speed     {r['articles_per_s']:,.1f} articles/s, {r['words_per_s']:,.0f} words/s (median run)",
        f"  memory    peak RSS {mib(r['max_rss_bytes'])} (whole process), Python heap peak "
        + (
            f"{mib(r['tracemalloc_peak_bytes'])} (tracemalloc, one extra run)"
            if r["tracemalloc_peak_bytes"] is not None
            else "not traced (--no-trace)"
        ),
        f"  machine   {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['implementation']} {m['python']}, {m['platform']}, rashomon {m['rashomon']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
