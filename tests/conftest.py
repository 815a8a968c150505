"""Shared fixtures: the bundled example corpus and a helper that runs the per-article pipeline on a text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rashomon.corpus.actors import apply_links, link_actors
from rashomon.ingest import read_sources
from rashomon.model import Article, ArticleMeta, Document, SourceFormat
from rashomon.nlp import Pipeline
from rashomon.settings import Settings

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


@pytest.fixture(scope="session")
def linked_examples() -> list[Document]:
    """The example corpus (with its metadata) analysed by the text stages, entities linked across articles."""
    pipeline = Pipeline(["paragraphs", "sentences", "entities", "quotes"])
    articles = [a for a in read_sources([EXAMPLES], Settings()) if isinstance(a, Article)]
    docs = [pipeline(Document(a)) for a in articles]
    links = link_actors(docs)
    return [apply_links(d, links) for d in docs]
