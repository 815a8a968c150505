"""The `rashomon` command line: a thin layer over `rashomon.api`, one command per task, each with an example.

Output meant for people (progress, problems, summaries) goes to stderr; output meant for programs (exports,
search results with --json) goes to stdout, so commands compose in pipes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from rashomon import __version__
from rashomon.api import Corpus, ExportFormat, ExportTable, RunSummary
from rashomon.corpus.labels import DISTINCTIVE_Z, MIN_COUNT, LabelCount
from rashomon.corpus.stance import MIN_COUNT as STANCE_MIN_COUNT
from rashomon.corpus.stance import StanceCell, StanceCounts, StanceVoice
from rashomon.errors import RashomonError
from rashomon.export import label_matrix_record, stance_matrix_record
from rashomon.model import Article, IngestProblem, StanceLabel
from rashomon.nlp import registered_stages
from rashomon.settings import DEFAULT_DB, Settings

if TYPE_CHECKING:
    from spacy.language import Language

app = typer.Typer(
    name="rashomon",
    help="Show how different news outlets tell the same story: who is quoted, who appears, how they are labelled.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="RASHOMON_DB", help="SQLite database file (created if missing)."),
]

AliasesOption = Annotated[
    Path | None,
    typer.Option(
        "--aliases",
        envvar="RASHOMON_ALIASES",
        help="Alias file (TOML) forcing or forbidding actor merges; see docs/aliases.md.",
    ),
]

# The options `actors` and `stance` share: one story's articles only, and how many actors to show.
StoryOption = Annotated[
    str | None,
    typer.Option("--story", "-s", help="Only the articles of this story (its id, from the JSON export or the report)."),
]
ActorLimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many actors (0: all).")]


def _corpus(db: Path, **overrides: object) -> Corpus:
    settings = Settings.from_env().with_overrides(db_path=db, **overrides)
    try:
        return Corpus(db, settings)
    except RashomonError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _summary_table(summary: RunSummary, db: Path) -> Table:
    table = Table(title=f"analyze → {db}", show_header=False, title_justify="left")
    table.add_row("new articles stored", str(summary.ingested))
    table.add_row("already stored (same text)", str(summary.duplicates))
    table.add_row("analysed now", str(summary.analyzed))
    table.add_row("already analysed (this pipeline)", str(summary.reused))
    table.add_row("problems", f"[red]{len(summary.problems)}[/red]" if summary.problems else "0")
    return table


@app.command(
    epilog="Example: rashomon analyze examples/venezuela --db venezuela.db   "
    "(folder with a metadata.csv sidecar, used automatically)"
)
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (recursive); '-' reads stdin.")],
    db: DbOption = DEFAULT_DB,
    meta: Annotated[
        Path | None,
        typer.Option("--meta", help="Metadata sidecar CSV: file,outlet,published,url,title,author."),
    ] = None,
    max_file_bytes: Annotated[
        int | None, typer.Option("--max-file-bytes", help="Reject files larger than this many bytes.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    aliases: AliasesOption = None,
) -> None:
    """Ingest articles (text, HTML, JSONL, CSV), analyse them and store the results.

    Articles already stored are not stored again; articles already analysed by this pipeline version are not
    analysed again. Each unreadable input gets one line naming it; the exit code is 1 if any input failed.
    """
    with (
        _corpus(db, max_file_bytes=max_file_bytes, aliases=aliases) as corpus,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} items"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("analysing", total=None)

        def progress(item: Article | IngestProblem) -> None:
            if isinstance(item, IngestProblem):
                err.print(f"[red]error:[/red] {escape(str(item))}", soft_wrap=True)
            bar.advance(task)

        try:
            summary = corpus.add(paths, meta, progress=progress)
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    if not quiet:
        err.print(_summary_table(summary, db))
    raise typer.Exit(0 if summary.ok else 1)


@app.command(
    epilog="Example: rashomon export --format json --db venezuela.db > venezuela.json   "
    "(voice share as CSV: rashomon export --format csv --table voices --db venezuela.db; "
    "the label matrix: --table labels; the stance matrix: --table stance)"
)
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="json, jsonl or csv (one row per quote).")] = (
        ExportFormat.JSON
    ),
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    table: Annotated[
        ExportTable,
        typer.Option(
            "--table",
            "-t",
            help="CSV only: quotes (one row per quote), voices (one row per voice share), labels (one row per "
            "label of an actor in an outlet) or stance (one row per actor in an outlet, story or article).",
        ),
    ] = ExportTable.QUOTES,
    aliases: AliasesOption = None,
) -> None:
    """Export every analysed article with its quotes, their matches in other articles, its entities with their
    labels and stance, the stories, the voice shares, the label matrix and the stance matrix (contract:
    docs/export.md)."""
    if table is not ExportTable.QUOTES and fmt is not ExportFormat.CSV:
        section = {ExportTable.VOICES: "voices", ExportTable.LABELS: "label_matrix"}.get(table, "stance_matrix")
        err.print(
            f"[red]error:[/red] --table {table.value} is a CSV table; "
            f"use --format csv (the JSON export holds it in its '{section}' section)"
        )
        raise typer.Exit(2)
    with _corpus(db, aliases=aliases) as corpus:
        try:
            if out is None:
                corpus.export(fmt, sys.stdout, table)
            else:
                with out.open("w", encoding="utf-8", newline="") as handle:
                    corpus.export(fmt, handle, table)
                err.print(f"wrote {out}")
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None


@app.command(epilog='Example: rashomon search "legitimate president" --db venezuela.db')
def search(
    query: Annotated[str, typer.Argument(help='Words to find; "quoted phrases" and OR work as in FTS5.')],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit on stdout.")] = False,
) -> None:
    """Full-text search over article text and quotes."""
    with _corpus(db) as corpus:
        try:
            hits = corpus.search(query, limit)
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    if as_json:
        for hit in hits:
            print(json.dumps(hit.as_json(), ensure_ascii=False))
        return
    if not hits:
        err.print("no matches")
        return
    table = Table("kind", "outlet", "title / speaker", "snippet", show_lines=False)
    for hit in hits:
        who = hit.speaker if hit.kind == "quote" else hit.title
        # Article text is untrusted: escape it so "[...]" in a snippet is not read as Rich markup.
        table.add_row(hit.kind, escape(hit.outlet or ""), escape(who or ""), escape(hit.snippet))
    Console(highlight=False).print(table)


@app.command(
    epilog="Example: rashomon actors --db venezuela.db   (one story: rashomon actors --story s-0001; "
    "machine-readable: --json)"
)
def actors(
    db: DbOption = DEFAULT_DB,
    story: StoryOption = None,
    limit: ActorLimitOption = 20,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Uses a label needs in one outlet to count as distinctive.")
    ] = MIN_COUNT,
    as_json: Annotated[bool, typer.Option("--json", help="The label matrix as one JSON object on stdout.")] = False,
    aliases: AliasesOption = None,
) -> None:
    """Show how each outlet labels each actor: the actor x outlet label matrix, distinctive labels marked."""
    with _corpus(db, aliases=aliases) as corpus:
        try:
            matrix = corpus.actors(story, min_count=min_count)
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(label_matrix_record(matrix), ensure_ascii=False, indent=2))
        return
    if not matrix.actors:
        err.print("no actors: analyse some articles first (rashomon analyze)")
        return
    shown = matrix.actors[:limit] if limit > 0 else matrix.actors
    table = Table("actor", *(escape(o) for o in matrix.outlets), show_lines=True, title="labels by outlet")
    for actor in shown:
        cells = []
        for outlet in matrix.outlets:
            cell = actor.cell(outlet)
            cells.append("" if cell is None else _label_cell(cell.labels))
        table.add_row(f"{escape(actor.name)} [dim]{actor.type.value}[/dim]", *cells)
    Console(highlight=False).print(table)
    err.print(
        f"{len(shown)} of {len(matrix.actors)} actors. [bold]bold[/bold]: distinctive (z ≥ {DISTINCTIVE_Z}, "
        f"≥ {matrix.min_count} uses); *: this outlet only; “…”: scare-quoted; –: named without a label"
    )


def _label_cell(labels: tuple[LabelCount, ...]) -> str:
    if not labels:
        return "–"
    parts = []
    for label in labels:
        text = escape(f"“{label.text}”" if label.scare_quoted else label.text)
        text += f" ×{label.count}" if label.count > 1 else ""
        text += "*" if label.exclusive else ""
        parts.append(f"[bold]{text}[/bold]" if label.distinctive else text)
    return "\n".join(parts)


@app.command(
    epilog="Example: rashomon stance --db venezuela.db   (one story: rashomon stance --story s-0001; the outlets' "
    "own words only: --voice own; machine-readable, with the evidence sentences: --json)"
)
def stance(
    db: DbOption = DEFAULT_DB,
    story: StoryOption = None,
    limit: ActorLimitOption = 20,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Mentions a cell needs not to be marked as thin evidence.")
    ] = STANCE_MIN_COUNT,
    voice: Annotated[
        StanceVoice,
        typer.Option(
            "--voice", help="Which mentions count: all, own (the outlet's own words) or quoted (inside quotes)."
        ),
    ] = StanceVoice.ALL,
    as_json: Annotated[
        bool, typer.Option("--json", help="The stance matrix, with its evidence sentences, as one JSON object.")
    ] = False,
    aliases: AliasesOption = None,
) -> None:
    """Show how each outlet casts each actor: the actor x outlet stance matrix.

    Each mention of a person, organisation or place is scored negative, neutral or positive by the stance model
    (trained on NewsMTSC). A cell shows its score, (positive - negative) / (mentions + 3), which stays near 0
    until many mentions agree, with its 95% interval, and the counts. Cells with fewer than --min-count mentions
    are dim: thin evidence, not a finding.
    """
    with _corpus(db, aliases=aliases) as corpus:
        try:
            matrix = corpus.stance(story, min_count=min_count, voice=voice)
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(stance_matrix_record(matrix), ensure_ascii=False, indent=2))
        return
    if not matrix.actors:
        err.print(
            "no scored mentions: analyse some articles first (rashomon analyze), with the stance stage in the "
            "pipeline (rashomon info lists it)"
        )
        return
    shown = matrix.actors[:limit] if limit > 0 else matrix.actors
    table = Table("actor", *(escape(o) for o in matrix.outlets), show_lines=True, title="stance by outlet")
    for actor in shown:
        cells = []
        for outlet in matrix.outlets:
            cell = actor.cell(outlet)
            cells.append("" if cell is None else _stance_cell(cell))
        table.add_row(
            f"{escape(actor.name)} [dim]{actor.type.value}[/dim]\n{_stance_cell_counts(actor.counts)}", *cells
        )
    Console(highlight=False).print(table)
    err.print(
        f"{len(shown)} of {len(matrix.actors)} actors ({matrix.voice.value} mentions). Score: (positive − negative) "
        f"/ (mentions + 3), with its 95% interval; [red]red[/red] / [green]green[/green]: the interval excludes 0; "
        f"[dim]dim[/dim]: fewer than {matrix.min_count} mentions; counts are negative/neutral/positive"
    )


_LEANING_STYLE = {StanceLabel.NEGATIVE: "bold red", StanceLabel.POSITIVE: "bold green", StanceLabel.NEUTRAL: ""}


def _stance_cell(cell: StanceCell) -> str:
    """Score, interval, counts (negative/neutral/positive) and quoted mentions of a cell, styled by its leaning."""
    low, high = cell.counts.interval
    score = f"{cell.counts.score:+.2f}\n{low:+.1f}…{high:+.1f}"
    style = "dim" if cell.few else _LEANING_STYLE[cell.counts.leaning]
    lines = [f"[{style}]{score}[/{style}]" if style else score, _stance_cell_counts(cell.counts)]
    if cell.quoted:
        lines.append(f"[dim]{cell.quoted} quoted[/dim]")
    return "\n".join(lines)


def _stance_cell_counts(c: StanceCounts) -> str:
    return f"[dim]{c.negative}/{c.neutral}/{c.positive} n={c.n}[/dim]"


@app.command(epilog="Example: rashomon stories --db venezuela.db   (one story: --story ID; machine-readable: --json)")
def stories(
    db: DbOption = DEFAULT_DB,
    story: Annotated[str | None, typer.Option("--story", "-s", help="Only this story (its id).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="The stories' timelines as one JSON object on stdout.")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Cluster every article afresh instead of placing only new ones.")
    ] = False,
    aliases: AliasesOption = None,
) -> None:
    """List the stories: each story's events in time order, with their dates, outlets and articles."""
    from rashomon.corpus.timeline import timeline_record

    with _corpus(db, aliases=aliases) as corpus:
        try:
            if rebuild:
                corpus.refresh(rebuild=True)
            timelines = corpus.timelines(story)
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    if as_json:
        print(json.dumps({"stories": [timeline_record(t) for t in timelines]}, ensure_ascii=False, indent=2))
        return
    if not timelines:
        err.print("no stories: analyse some articles first (rashomon analyze)")
        return
    console = Console(highlight=False)
    for t in timelines:
        s = t.story
        dates = _dates(s.first_date, s.last_date)
        console.print(
            f"[bold]{escape(s.label)}[/bold]  [dim]{s.id} · {_count(len(s.article_ids), 'article')} · "
            f"{_count(len(t.events), 'event')} · {dates}[/dim]"
        )
        for e in t.events:
            copies = len(e.articles) - e.texts
            extra = f", {copies} cop{'y' if copies == 1 else 'ies'}" if copies else ""
            console.print(
                f"  {_dates(e.event.first_date, e.event.last_date):<23} {escape(e.event.label)}  "
                f"[dim]{_count(len(e.articles), 'article')}{extra}: {escape(', '.join(e.outlets))}[/dim]"
            )
    err.print(_count(len(timelines), "story", "stories"))


def _count(n: int, one: str, many: str | None = None) -> str:
    """'1 article', '2 articles': a count with its noun in the right number."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _dates(first: object, last: object) -> str:
    if first is None:
        return "undated"
    return str(first) if last in (None, first) else f"{first} – {last}"


@app.command(epilog="Example: rashomon report --db venezuela.db --out build/report.html")
def report(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("report.html"),
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = "Rashomon report",
    aliases: AliasesOption = None,
) -> None:
    """Write a self-contained HTML report: stories, voices by speaker, actors by outlet, every article."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with _corpus(db, aliases=aliases) as corpus:
        path = corpus.report(out, title=title)
    err.print(f"wrote {path.resolve()}")
    print(path.resolve())


@app.command(epilog="Example: rashomon info --db venezuela.db")
def info(db: DbOption = DEFAULT_DB) -> None:
    """Show what the database holds, the pipeline and its stages, and the last run's problems."""
    with _corpus(db) as corpus:
        stats = corpus.info()
        version = corpus.pipeline.version
        problems = list(corpus.iter_problems())
    table = Table(title=f"rashomon {__version__}", show_header=False, title_justify="left")
    table.add_row("database", str(db))
    for name, value in stats.rows():
        table.add_row(name, escape(str(value)))
    table.add_row("pipeline version", version)
    stages = registered_stages()
    for name in Settings().pipeline:
        table.add_row(f"stage {name}", f"v{stages[name].version} — {stages[name].description}")
    Console(highlight=False).print(table)
    for problem in problems:
        err.print(f"last run: {escape(str(problem))}")


evaluate_app = typer.Typer(
    help="Score a language model on a standard file; prints one JSON object.", no_args_is_help=True
)
app.add_typer(evaluate_app, name="evaluate")

ModelOption = Annotated[
    Path | None, typer.Option("--model", help="A spaCy pipeline folder (default: the shipped one).")
]


def _nlp(model: Path | None) -> Language:
    from rashomon.nlp import load

    try:
        return load(model)
    except RashomonError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


class _Scores(Protocol):
    def as_json(self) -> dict[str, object]: ...


def _print_scores(score: Callable[[], _Scores]) -> None:
    """Run an evaluation and print its scores as one JSON line; a bad gold file or model exits with code 2."""
    try:
        scores = score()
    except (ValueError, RashomonError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    print(json.dumps(scores.as_json(), ensure_ascii=False))


def _evaluation_settings() -> Settings:
    """The default pipeline without the stages no evaluation scores (stance): they would only cost time."""
    settings = Settings()
    return settings.with_overrides(pipeline=tuple(n for n in settings.pipeline if n != "stance"))


def _gold_file(path: Path) -> Path:
    if not path.is_file():
        err.print(f"[red]error:[/red] {escape(str(path))}: no such file")
        raise typer.Exit(2)
    return path


@evaluate_app.command("ner", epilog="Example: rashomon evaluate ner ../shared/datasets/conll2003/eng.testa")
def evaluate_ner_command(
    file: Annotated[Path, typer.Argument(help="CoNLL-2003 file: token ... tag per line, IOB1 or IOB2 tags.")],
    model: ModelOption = None,
) -> None:
    """Entity-level exact-match precision, recall and F1 (conlleval semantics) on the given tokens."""
    from rashomon.evaluate import evaluate_ner

    _print_scores(lambda: evaluate_ner(_gold_file(file), _nlp(model)))


@evaluate_app.command(
    "parser", epilog="Example: rashomon evaluate parser ../shared/datasets/ud_english_ewt/en_ewt-ud-dev.conllu"
)
def evaluate_parser_command(
    file: Annotated[Path, typer.Argument(help="CoNLL-U file (gold tokens, heads, relations, UPOS, lemmas).")],
    model: ModelOption = None,
) -> None:
    """UAS, LAS (universal relations, as CoNLL 2018 scores; las_full with subtypes), UPOS, lemma accuracy."""
    from rashomon.evaluate import evaluate_parser

    _print_scores(lambda: evaluate_parser(_gold_file(file), _nlp(model)))


@evaluate_app.command("quotes", epilog="Example: rashomon evaluate quotes ../shared/datasets/polnear/data/dev")
def evaluate_quotes_command(
    directory: Annotated[
        Path, typer.Argument(help="A PolNeAR split: text/<name>.txt and attributions/<name>_<annotator>.ann.")
    ],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N articles.")] = None,
    agreement: Annotated[
        bool,
        typer.Option(
            "--agreement",
            help="Score the annotators instead of the pipeline: on articles with several annotation files, each "
            "annotator against the others (a ceiling for the model's scores).",
        ),
    ] = False,
) -> None:
    """Source, cue and content precision, recall and F1 (exact and overlap) of the default pipeline's quotes.

    Each article text is analysed by the default pipeline (`rashomon.api.analyze_text`); an article with several
    annotators is scored against each and the counts averaged (definitions: docs/models.md, "Quote attribution").
    """
    from rashomon import api
    from rashomon.evaluate import evaluate_quotes, spans_of_quotes
    from rashomon.evaluate.attributions import annotator_agreement, read_polnear

    if agreement:
        _print_scores(lambda: annotator_agreement(read_polnear(directory)[:limit]))
        return
    settings = _evaluation_settings()
    _print_scores(
        lambda: evaluate_quotes(
            directory, lambda text: spans_of_quotes(api.analyze_text(text, settings=settings)), limit
        )
    )


@evaluate_app.command(
    "actors",
    epilog="Example: rashomon evaluate actors ../shared/datasets/newswcl50/NewsWCL50.conll   "
    "(ECB+: rashomon evaluate actors ../shared/datasets/ecbplus/entity_mentions.jsonl)",
)
def evaluate_actors_command(
    file: Annotated[
        Path,
        typer.Argument(help="ECB+ entity_mentions.jsonl (with docs.jsonl beside it) or NewsWCL50's NewsWCL50.conll."),
    ],
) -> None:
    """MUC, B-cubed, CEAF-e and CoNLL-F1 of the actors (mentions grouped across articles), and mention detection.

    Each document is analysed by the default pipeline (`rashomon.api.analyze_text`), then the entities of all the
    documents are linked into actors at once, as the corpus links a store (definitions: docs/models.md, "Actor
    grouping").
    """
    from rashomon import api
    from rashomon.evaluate import evaluate_actors

    settings = _evaluation_settings()
    _print_scores(lambda: evaluate_actors(_gold_file(file), lambda text: api.analyze_text(text, settings=settings)))


@evaluate_app.command(
    "sentiment",
    epilog="Example: rashomon evaluate sentiment ../shared/datasets/newsmtsc/paper_dev_test_split/rw_dev.jsonl",
)
def evaluate_sentiment_command(
    file: Annotated[
        Path, typer.Argument(help="NewsMTSC JSONL: sentence_normalized, targets with from/to offsets and polarity.")
    ],
    model: Annotated[
        Path | None, typer.Option("--model", help="A stance model folder (default: the shipped one).")
    ] = None,
) -> None:
    """F1 macro, accuracy and per-class precision, recall and F1 of the stance model toward each target.

    Each target is scored on its own (polarity 2 negative, 4 neutral, 6 positive; definitions:
    `rashomon/evaluate/sentiment.py`).
    """
    from rashomon.evaluate.sentiment import evaluate_sentiment, stance_labels

    _print_scores(lambda: evaluate_sentiment(_gold_file(file), lambda gold: stance_labels(gold, model)))


@evaluate_app.command(
    "stories",
    epilog="Example: rashomon evaluate stories ../shared/datasets/ecbplus/docs.jsonl   "
    "(NewsWCL50: rashomon evaluate stories ../shared/datasets/newswcl50/docs.jsonl)",
)
def evaluate_stories_command(
    file: Annotated[
        Path,
        typer.Argument(help="docs.jsonl with gold events: ECB+ (event_cluster) or NewsWCL50 (event_id) layout."),
    ],
) -> None:
    """B-cubed and pairwise precision, recall and F1 of the event clusters (definitions:
    `rashomon/evaluate/stories.py`); every document is analysed with the default pipeline first."""
    from rashomon.evaluate.stories import evaluate_stories, gold_article
    from rashomon.model import Document
    from rashomon.nlp import Pipeline

    settings = _evaluation_settings()
    pipeline = Pipeline(settings.pipeline, settings)
    _print_scores(lambda: evaluate_stories(_gold_file(file), lambda gold: pipeline(Document(gold_article(gold)))))


def main() -> None:  # pragma: no cover - the console script entry point is `app`
    app()
