"""The stance record of the model (issue 6): its label, score and checks; finding the entity at a mention."""

from __future__ import annotations

import pytest

from rashomon.model import (
    Article,
    ArticleMeta,
    Document,
    Entity,
    EntityType,
    Mention,
    SourceFormat,
    Span,
    StanceLabel,
    TargetStance,
)

MENTION, SENTENCE = Span(4, 10), Span(0, 30)


@pytest.mark.parametrize(
    ("probabilities", "label", "score"),
    [
        ((0.7, 0.2, 0.1), StanceLabel.NEGATIVE, -0.6),
        ((0.1, 0.8, 0.1), StanceLabel.NEUTRAL, 0.0),
        ((0.05, 0.15, 0.8), StanceLabel.POSITIVE, 0.75),
        ((0.4, 0.4, 0.2), StanceLabel.NEUTRAL, -0.2),  # a tie goes to neutral
        ((0.45, 0.1, 0.45), StanceLabel.NEGATIVE, 0.0),  # then to negative
        ((1.0, 0.0, 0.0), StanceLabel.NEGATIVE, -1.0),
    ],
)
def test_label_and_score(probabilities: tuple[float, float, float], label: StanceLabel, score: float) -> None:
    stance = TargetStance(MENTION, SENTENCE, *probabilities)
    assert stance.label is label
    assert stance.score == pytest.approx(score)
    assert not stance.quoted and TargetStance(MENTION, SENTENCE, *probabilities, quote=0).quoted


@pytest.mark.parametrize(
    ("mention", "sentence", "probabilities", "message"),
    [
        (Span(4, 10), Span(5, 30), (0.2, 0.6, 0.2), "not inside its sentence"),
        (Span(4, 40), Span(0, 30), (0.2, 0.6, 0.2), "not inside its sentence"),
        (MENTION, SENTENCE, (0.5, 0.5, 0.5), "distribution"),
        (MENTION, SENTENCE, (1.2, -0.1, -0.1), "distribution"),
        (MENTION, SENTENCE, (0.0, 0.0, 0.0), "distribution"),
    ],
)
def test_malformed_stances_are_refused(
    mention: Span, sentence: Span, probabilities: tuple[float, float, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        TargetStance(mention, sentence, *probabilities)


def test_entity_at_finds_the_entity_holding_a_mention() -> None:
    text = "Maduro met Guaidó."
    maduro = Entity("maduro", "Maduro", EntityType.PERSON, (Mention(Span(0, 6), "Maduro"),))
    guaido = Entity("guaido", "Guaidó", EntityType.PERSON, (Mention(Span(11, 17), "Guaidó"),))
    doc = Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT), entities=(maduro, guaido))
    assert doc.entity_at(Span(11, 17)) is guaido and doc.entity_at(Span(0, 6)) is maduro
    assert doc.entity_at(Span(0, 5)) is None  # only a mention's exact span
