"""Evaluating models on standard files: NER on CoNLL-2003, syntax on UD CoNLL-U (given tokens), quotes on PolNeAR.

`evaluate_ner` and `evaluate_parser` run any spaCy `Language` (the shipped pipeline by default in the CLI) over
the gold tokens of each sentence and score the result with the pure functions of `scoring`. `evaluate_quotes`
runs any extractor of attributions over each article's text and scores it with `attributions`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.evaluate.attributions import AttributionScores, AttributionSpans, read_polnear, score_attributions
from rashomon.evaluate.formats import read_conll2003, read_conllu
from rashomon.evaluate.scoring import (
    NERScores,
    ParserScores,
    TokenAnalysis,
    score_entities,
    score_parses,
)
from rashomon.model import Attribution, Document, QuoteKind, Span

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "AttributionScores",
    "AttributionSpans",
    "NERScores",
    "ParserScores",
    "evaluate_ner",
    "evaluate_parser",
    "evaluate_quotes",
    "spans_of_quotes",
]

_BATCH = 256


def evaluate_ner(path: Path, nlp: Language) -> NERScores:
    """Entity-level exact-match scores of ``nlp`` on a CoNLL-2003 file, one sentence at a time."""
    from spacy.tokens import Doc

    sentences = [s for document in read_conll2003(path) for s in document]
    docs = (Doc(nlp.vocab, words=list(s.words)) for s in sentences)

    def pairs() -> Iterator[tuple[tuple[tuple[int, int, str], ...], list[tuple[int, int, str]]]]:
        for sentence, doc in zip(sentences, nlp.pipe(docs, batch_size=_BATCH), strict=True):
            yield sentence.entities, [(e.start, e.end, e.label_) for e in doc.ents]

    return score_entities(pairs())


def evaluate_parser(path: Path, nlp: Language) -> ParserScores:
    """Attachment, tagging and lemma scores of ``nlp`` on a CoNLL-U file, one sentence at a time."""
    from spacy.tokens import Doc

    sentences = list(read_conllu(path))
    docs = (Doc(nlp.vocab, words=[w.form for w in s], spaces=[w.space_after for w in s]) for s in sentences)

    def pairs() -> Iterator[tuple[list[TokenAnalysis], list[TokenAnalysis]]]:
        for sentence, doc in zip(sentences, nlp.pipe(docs, batch_size=_BATCH), strict=True):
            gold = [
                TokenAnalysis(w.head - 1 if w.head else i, w.deprel, w.upos, w.lemma) for i, w in enumerate(sentence)
            ]
            pred = [TokenAnalysis(t.head.i, t.dep_, t.pos_, t.lemma_) for t in doc]
            yield gold, pred

    return score_parses(pairs())


def evaluate_quotes(
    directory: Path, extract: Callable[[str], Sequence[AttributionSpans]], limit: int | None = None
) -> AttributionScores:
    """Attribution scores of ``extract`` (article text -> attributions) on a PolNeAR split, first ``limit`` articles.

    The articles are taken in name order; all of them are read (and checked) even when ``limit`` is given.
    """
    articles = read_polnear(directory)[:limit]
    return score_attributions((article, extract(article.text)) for article in articles)


def spans_of_quotes(doc: Document) -> tuple[AttributionSpans, ...]:
    """Our quotes as attributions: content = the quote's parts, source = the speaker mention, cue = the cue.

    One attribution is one speech act: quotes that share a cue ('“A,” he said, “B.”') and quotes that continue
    the previous quote's speech act (`continuation`) join its content, as PolNeAR annotates them. A partial quote
    that no one is cited for (no cue, no speaker) is a scare quote, the writer's framing ("the so-called
    'interim president'"), not an attribution, and is left out.
    """
    acts: list[tuple[Span | None, Span | None, list[Span]]] = []  # (source, cue, content) per speech act
    for q in doc.quotes:
        if q.kind is QuoteKind.PARTIAL and q.cue_span is None and q.speaker is None:
            continue
        if acts and q.cue_span is not None and (q.cue_span == acts[-1][1] or q.attribution is Attribution.CONTINUATION):
            acts[-1][2].extend(q.parts)
        else:
            acts.append((q.speaker_mention, q.cue_span, list(q.parts)))
    return tuple(
        AttributionSpans(
            source=((source.start, source.end),) if source else (),
            cue=((cue.start, cue.end),) if cue else (),
            content=tuple((part.start, part.end) for part in content),
        )
        for source, cue, content in acts
    )
