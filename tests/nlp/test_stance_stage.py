"""The `stance` pipeline stage: which mentions are scored, in which sentence, in one model call, quotes marked."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from rashomon.errors import PipelineError
from rashomon.model import (
    Article,
    ArticleMeta,
    Document,
    Entity,
    EntityType,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceFormat,
    Span,
    StanceLabel,
)
from rashomon.nlp import Pipeline, get_stage
from rashomon.nlp.stance import (
    MODEL_DIR,
    STANCE_TYPES,
    Stance,
    Target,
    find_stances,
    model_digest,
    stance_stage,
)
from rashomon.settings import DEFAULT_PIPELINE, Settings

TEXT = (
    'Maduro blamed Guaidó for the chaos. "Guaidó is a puppet of Washington," he said.\n\n'
    "The Constitution says little. Caracas was calm."
)


class Recorder:
    """A stand-in model: every target scored by where it starts (even offsets negative, odd positive); counts calls."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, list[tuple[int, int]]]]] = []

    def score(self, items: Iterable[tuple[str, Sequence[Target]]]) -> list[list[Stance]]:
        batch = [(sentence, [(t[0], t[1]) for t in targets]) for sentence, targets in items]  # type: ignore[index]
        self.calls.append(batch)
        return [[Stance(0.8, 0.1, 0.1) if s % 2 == 0 else Stance(0.1, 0.1, 0.8) for s, _ in t] for _, t in batch]


def at(words: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return Span(start, start + len(words))


HE = Span(TEXT.index("he said"), TEXT.index("he said") + 2)


def document(text: str = TEXT, language: str | None = "en") -> Document:
    first = ("Maduro blamed Guaidó for the chaos.", '"Guaidó is a puppet of Washington," he said.')
    sentences = (*(at(s) for s in first), at("The Constitution says little."), at("Caracas was calm."))
    entities = (
        Entity(
            "maduro",
            "Maduro",
            EntityType.PERSON,
            (Mention(at("Maduro"), "Maduro"), Mention(HE, "he", MentionKind.PRONOUN)),
        ),
        Entity(
            "guaido", "Guaidó", EntityType.PERSON, (Mention(at("Guaidó"), "Guaidó"), Mention(at("Guaidó", 1), "Guaidó"))
        ),
        Entity("washington", "Washington", EntityType.LOCATION, (Mention(at("Washington"), "Washington"),)),
        Entity("constitution", "Constitution", EntityType.MISC, (Mention(at("Constitution"), "Constitution"),)),
        Entity("caracas", "Caracas", EntityType.LOCATION, (Mention(at("Caracas"), "Caracas"),)),
    )
    quote = Quote(
        "Guaidó is a puppet of Washington,", (at("Guaidó is a puppet of Washington,"),), QuoteKind.DIRECT, "Maduro"
    )
    article = Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT)
    return Document(article, language=language, sentences=sentences, entities=entities, quotes=(quote,))


def test_every_actor_mention_is_scored_in_its_sentence_in_one_call() -> None:
    recorder = Recorder()
    stances = find_stances(document(), recorder)
    assert len(recorder.calls) == 1  # the whole article in one batch
    (batch,) = recorder.calls
    assert [sentence for sentence, _ in batch] == [
        "Maduro blamed Guaidó for the chaos.",
        '"Guaidó is a puppet of Washington," he said.',
        "Caracas was calm.",
    ]
    assert [s.mention.of(TEXT) for s in stances] == ["Maduro", "Guaidó", "Guaidó", "Washington", "he", "Caracas"]
    for s in stances:
        assert s.sentence.contains(s.mention) and TEXT[s.sentence.start : s.sentence.end] in [b[0] for b in batch]
        offsets = next(t for text, t in batch if text == s.sentence.of(TEXT))
        assert (s.mention.start - s.sentence.start, s.mention.end - s.sentence.start) in offsets
        assert s.label is (
            StanceLabel.NEGATIVE if (s.mention.start - s.sentence.start) % 2 == 0 else StanceLabel.POSITIVE
        )


@pytest.mark.parametrize(
    ("words", "nth", "quote"),
    [
        ("Guaidó", 1, 0),  # inside the quote: someone else's voice
        ("Washington", 0, 0),
        ("Guaidó", 0, None),  # the writer's own words
        ("he said", 0, None),  # the speaker, outside the quote marks
        ("Caracas", 0, None),
    ],
)
def test_quoted_mentions_name_their_quote(words: str, nth: int, quote: int | None) -> None:
    stances = {s.mention: s for s in find_stances(document(), Recorder())}
    mention = HE if words == "he said" else at(words, nth)
    assert stances[mention].quote == quote


def test_only_people_organisations_and_places_are_scored() -> None:
    assert frozenset({EntityType.PERSON, EntityType.ORGANIZATION, EntityType.LOCATION}) == STANCE_TYPES
    mentions = {s.mention for s in find_stances(document(), Recorder())}
    assert at("Constitution") not in mentions  # MISC


def test_a_mention_two_entities_share_is_scored_once() -> None:
    doc = document()
    twin = Entity("maduro-2", "Maduro", EntityType.PERSON, (Mention(at("Maduro"), "Maduro"),))
    stances = find_stances(replace(doc, entities=(*doc.entities, twin)), Recorder())
    assert [s.mention for s in stances].count(at("Maduro")) == 1


def test_regression_a_mention_across_a_sentence_boundary_gets_both_sentences() -> None:
    # A segmenter that splits inside a name ("Washington" at a bad boundary) must not make the target fall
    # outside its sentence: the sentences the mention overlaps are read together.
    doc = document()
    w = at("Washington")
    cut = (at("Maduro blamed Guaidó for the chaos."), Span(36, w.start + 3), Span(w.start + 3, at("he said.").end))
    stances = {s.mention: s for s in find_stances(replace(doc, sentences=cut + doc.sentences[2:]), Recorder())}
    assert stances[w].sentence == Span(36, at("he said.").end)


def test_no_mentions_means_no_model_call() -> None:
    recorder = Recorder()
    assert find_stances(replace(document(), entities=()), recorder) == () and recorder.calls == []


def test_without_sentences_the_whole_text_is_the_sentence() -> None:
    stances = find_stances(replace(document(), sentences=()), Recorder())
    assert stances and all(s.sentence == Span(0, len(TEXT)) for s in stances)


@pytest.mark.parametrize(("language", "scored"), [("en", True), (None, True), ("es", False), ("ru", False)])
def test_the_stage_scores_english_and_unidentified_articles_only(
    language: str | None, scored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rashomon.nlp.stance as module

    monkeypatch.setattr(module, "model", Recorder)
    out = stance_stage(document(language=language), Settings())
    assert bool(out.stances) is scored


def test_the_stage_is_registered_after_the_quotes_in_the_default_pipeline() -> None:
    stage = get_stage("stance")
    assert stage.requires == {"sentences", "entities", "quotes"} and stage.assigns == {"stances"}
    assert DEFAULT_PIPELINE[-1] == "stance" and DEFAULT_PIPELINE.index("quotes") < DEFAULT_PIPELINE.index("stance")
    assert stage.version.endswith(model_digest())  # new weights make a new pipeline version


@pytest.mark.parametrize(
    "names",
    [
        ["paragraphs", "sentences", "entities", "stance"],  # no quotes
        ["paragraphs", "sentences", "stance", "quotes"],  # stance before its requirements
    ],
)
def test_a_pipeline_without_the_stages_stance_needs_fails_at_build_time(names: list[str]) -> None:
    with pytest.raises(PipelineError, match="stage 'stance' requires"):
        Pipeline(names)


def test_model_digest_follows_the_weights(tmp_path: Path) -> None:
    copy = tmp_path / "stance"
    shutil.copytree(MODEL_DIR, copy)
    assert model_digest(copy) == model_digest(MODEL_DIR)
    with (copy / "stance.onnx").open("ab") as handle:
        handle.write(b"\0")
    assert model_digest(copy) != model_digest(MODEL_DIR)


def test_the_shipped_model_in_the_rule_based_pipeline() -> None:
    pipeline = Pipeline(["paragraphs", "sentences", "entities", "quotes", "stance"])
    text = (
        "Juan Guaidó, the opposition leader, urged the army to abandon Nicolás Maduro. Maduro called Guaidó a traitor."
    )
    doc = pipeline(Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT)))
    assert doc.stages[-1] == "stance" and doc.stances
    names = {s.mention.of(text) for s in doc.stances}
    assert {"Juan Guaidó", "Nicolás Maduro", "Maduro", "Guaidó"} <= names
    for s in doc.stances:
        assert abs(s.negative + s.neutral + s.positive - 1) < 1e-3 and s.sentence.contains(s.mention)
    assert pipeline(Document(doc.article)).stances == doc.stances  # deterministic
