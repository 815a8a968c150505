"""Record builders shared by the tests: records whose offsets are found in the text they describe."""

from __future__ import annotations

from rashomon.model import (
    Article,
    ArticleMeta,
    Document,
    Entity,
    EntityType,
    Label,
    LabelKind,
    Mention,
    Quote,
    QuoteKind,
    SourceFormat,
    Span,
    TargetStance,
)
from rashomon.names import label_normal


def label_at(text: str, words: str, kind: LabelKind = LabelKind.TITLE, *, nth: int = 0) -> Label:
    """The label ``words`` at its ``nth`` occurrence in ``text`` (an error if it is not there)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Label(words, label_normal(words), kind, Span(start, start + len(words)))


# Stance probabilities (negative, neutral, positive) that read as each class.
NEG, NEU, POS = (0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8)


def stance_document(outlet: str, sentences: list[tuple[str, list[tuple[str, tuple[float, float, float]]]]]) -> Document:
    """A document of ``sentences``, each with the names it mentions and their probabilities; a name in «» marks
    stands in a quote."""
    text = " ".join(s for s, _ in sentences)
    mentions: dict[str, list[Mention]] = {}
    stances, quotes = [], []
    at = 0
    for sentence, names in sentences:
        start = text.index(sentence, at)
        span = Span(start, start + len(sentence))
        at = span.end
        if "«" in sentence:
            q0, q1 = text.index("«", start) + 1, text.index("»", start)
            quotes.append(Quote(text[q0:q1], (Span(q0, q1),), QuoteKind.DIRECT, "Someone"))
        searched = start
        for name, probs in names:
            m0 = text.index(name, searched)
            searched = m0 + len(name)
            m = Span(m0, m0 + len(name))
            mentions.setdefault(name, []).append(Mention(m, name))
            quote = next((i for i, q in enumerate(quotes) if q.parts[0].contains(m)), None)
            stances.append(TargetStance(m, span, *probs, quote=quote))
    entities = tuple(
        Entity(name.lower(), name, EntityType.LOCATION if name == "Caracas" else EntityType.PERSON, tuple(ms))
        for name, ms in mentions.items()
    )
    article = Article.create(text, ArticleMeta(f"{outlet}.txt", outlet=outlet), SourceFormat.TEXT)
    return Document(article, entities=entities, quotes=tuple(quotes), stances=tuple(stances))
