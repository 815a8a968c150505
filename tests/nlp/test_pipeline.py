"""The stage registry and runner: order checked at build time, failures name the stage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rashomon.errors import PipelineError
from rashomon.model import Article, ArticleMeta, Document, SourceFormat
from rashomon.nlp import Pipeline, get_stage, register, registered_stages
from rashomon.settings import DEFAULT_PIPELINE, Settings


def _doc(text: str = "Some text.") -> Document:
    return Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT))


def test_builtin_stages_are_registered() -> None:
    assert set(DEFAULT_PIPELINE) <= set(registered_stages())
    assert all(registered_stages()[n].description for n in DEFAULT_PIPELINE)


def test_default_pipeline_builds_and_records_stages() -> None:
    doc = Pipeline(["paragraphs", "sentences"])(_doc("One. Two."))
    assert doc.stages == ("paragraphs", "sentences")
    assert len(doc.sentences) == 2


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["sentences"], "stage 'sentences' requires ['paragraphs']"),
        (["paragraphs", "quotes"], "stage 'quotes' requires ['entities', 'sentences']"),
        (["no-such-stage"], "no stage named 'no-such-stage'"),
    ],
)
def test_bad_order_fails_at_build_time(names: list[str], message: str) -> None:
    with pytest.raises(PipelineError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Pipeline(names)


def test_stage_returning_something_else_is_named() -> None:
    @register("test-returns-none", assigns=["language"])
    def bad(doc: Document, settings: Settings) -> Document:
        return None  # type: ignore[return-value]

    with pytest.raises(PipelineError, match="stage 'test-returns-none' returned NoneType"):
        Pipeline(["test-returns-none"])(_doc())


def test_stage_exception_is_named_with_the_article() -> None:
    @register("test-raises", assigns=["language"])
    def boom(doc: Document, settings: Settings) -> Document:
        raise ValueError("kaput")

    doc = _doc()
    with pytest.raises(PipelineError, match=f"stage 'test-raises' failed on article {doc.id}: kaput"):
        Pipeline(["test-raises"])(doc)


def test_unknown_document_field_is_rejected() -> None:
    with pytest.raises(PipelineError, match="unknown document fields"):
        register("test-bad-field", assigns=["nonsense"])


def test_version_changes_with_stage_version() -> None:
    v1 = Pipeline(["paragraphs"]).version

    @register("test-versioned", requires=["paragraphs"], assigns=["language"], version="7")
    def stage(doc: Document, settings: Settings) -> Document:
        return replace(doc, language="en")

    assert Pipeline(["paragraphs", "test-versioned"]).version != v1
    assert get_stage("test-versioned").version == "7"
    assert Pipeline(["paragraphs"]).version == v1  # deterministic
