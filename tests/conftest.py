"""Shared fixtures: the bundled example corpus and a helper that runs the per-article pipeline on a text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rashomon.model import Article, ArticleMeta, Document, SourceFormat
from rashomon.nlp import Pipeline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "venezuela"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def analyze() -> Callable[[str], Document]:
    """Run the text stages (no language id: it is tested on its own and is the slowest to load)."""
    pipeline = Pipeline(["paragraphs", "sentences", "entities", "quotes"])

    def run(text: str) -> Document:
        return pipeline(Document(Article.create(text, ArticleMeta("test.txt"), SourceFormat.TEXT)))

    return run
