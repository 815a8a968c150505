"""Hand-built articles and documents for the store tests (no NLP stage is run).

Helpers are handed to tests as fixtures (``make_article``, ``make_document``) rather than imported, so this
conftest never competes with another one for the module name ``conftest``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from builders import label_at
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    LabelKind,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    RemovedLine,
    SourceFormat,
    Span,
    TargetStance,
)
from rashomon.store import SQLiteStore

TEXT = (
    "Nicolás Maduro dijo: «Venceremos». El líder socialista habló en Caracas.\n\n"
    "Juan Guaidó, el autoproclamado presidente, respondió que la dictadura caerá.\n\n"
    "«No hay vuelta atrás», dijo Guaidó. «Seguiremos en la calle."
)


def span_of(text: str, words: str, start: int = 0) -> Span:
    """The span of the first ``words`` in ``text`` at or after ``start``."""
    at = text.index(words, start)
    return Span(at, at + len(words))


def make_article(text: str = TEXT, **meta: Any) -> Article:
    """An article of ``text`` with all metadata set; keyword arguments override `ArticleMeta` fields."""
    defaults = ArticleMeta(
        source_path="elpais.html",
        url="https://elpais.example/maduro",
        outlet="El País",
        title="Maduro y Guaidó",
        published=dt.date(2019, 1, 23),
        author="Ana Pérez",
        language="es",
    )
    return Article.create(
        text,
        replace(defaults, **meta),
        SourceFormat.HTML,
        charset="windows-1252",
        removed=(RemovedLine(1, "Suscríbete", "subscribe-prompt"), RemovedLine(40, "© El País", "copyright")),
    )


def make_document(article: Article | None = None) -> Document:
    """A document using every record type and several enum values, with offsets into ``TEXT``."""
    article = article or make_article()
    text = article.text
    maduro = Entity(
        "nicolas-maduro",
        "Nicolás Maduro",
        EntityType.PERSON,
        (
            Mention(span_of(text, "Nicolás Maduro"), "Nicolás Maduro"),
            Mention(
                span_of(text, "El líder socialista"),
                "El líder socialista",
                MentionKind.DESCRIPTION,
                "socialista",
            ),
        ),
        (replace(label_at(text, "socialista", LabelKind.DESCRIPTION), mention=span_of(text, "El líder socialista")),),
    )
    guaido = Entity(
        "juan-guaido",
        "Juan Guaidó",
        EntityType.PERSON,
        (
            Mention(span_of(text, "Juan Guaidó"), "Juan Guaidó", label="autoproclamado presidente"),
            Mention(span_of(text, "Guaidó", text.index("dijo Guaidó")), "Guaidó"),
        ),
        (replace(label_at(text, "autoproclamado presidente"), scare_quoted=True),),
    )
    caracas = Entity("caracas", "Caracas", EntityType.LOCATION, (Mention(span_of(text, "Caracas"), "Caracas"),))
    quotes = (
        Quote(
            "Venceremos",
            (span_of(text, "Venceremos"),),
            QuoteKind.DIRECT,
            "Nicolás Maduro",
            "nicolas-maduro",
            span_of(text, "Nicolás Maduro"),
            "dijo",
            span_of(text, "dijo"),
            Attribution.CUE_BEFORE,
        ),
        Quote(
            "la dictadura caerá",
            (span_of(text, "la dictadura caerá"),),
            QuoteKind.INDIRECT,
            "Juan Guaidó",
            "juan-guaido",
            span_of(text, "Juan Guaidó"),
            "respondió que",
            span_of(text, "respondió que"),
            Attribution.CUE_IN_SENTENCE,
        ),
        Quote(
            "No hay vuelta atrás Seguiremos en la calle.",
            (span_of(text, "No hay vuelta atrás"), span_of(text, "Seguiremos en la calle.")),
            QuoteKind.DIRECT,
            attribution=Attribution.NONE,
        ),
    )
    paragraphs = tuple(span_of(text, p) for p in text.split("\n\n"))
    return Document(
        article,
        language="es",
        paragraphs=paragraphs,
        sentences=(span_of(text, "Nicolás Maduro dijo: «Venceremos»."), span_of(text, "Juan Guaidó")),
        entities=(maduro, guaido, caracas),
        quotes=quotes,
        stances=(
            TargetStance(span_of(text, "Nicolás Maduro"), paragraphs[0], 0.125, 0.75, 0.125),
            TargetStance(span_of(text, "Juan Guaidó"), paragraphs[1], 0.625, 0.25, 0.125),
            # (the store does not check which quote holds a mention: any index round-trips)
            TargetStance(span_of(text, "Guaidó", text.index("dijo Guaidó")), paragraphs[2], 0.0, 0.5, 0.5, quote=2),
        ),
        stages=("language", "paragraphs", "sentences", "entities", "quotes", "stance"),
    )


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    with SQLiteStore(":memory:") as db:
        yield db


@pytest.fixture(name="make_article")
def make_article_fixture() -> Callable[..., Article]:
    return make_article


@pytest.fixture(name="make_document")
def make_document_fixture() -> Callable[..., Document]:
    return make_document


@pytest.fixture
def article() -> Article:
    return make_article()


@pytest.fixture
def document() -> Document:
    return make_document()
