"""Running the CLI in tests: one invocation's exit code, stdout and stderr, unexpected exceptions re-raised."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rashomon.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def analysed_examples(folder: Path, examples: Path) -> Path:
    """A database in ``folder`` holding the example corpus, analysed with the default pipeline."""
    db = folder / "venezuela.db"
    code, _, err = run("analyze", str(examples), "--db", str(db), "--quiet")
    assert code == 0, err
    return db
