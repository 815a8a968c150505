"""Evaluating models on standard files: NER on CoNLL-2003, syntax on UD CoNLL-U (given tokens), quotes on PolNeAR,
actors on ECB+ and NewsWCL50.

`evaluate_ner` and `evaluate_parser` run any spaCy `Language` (the shipped pipeline by default in the CLI) over
the gold tokens of each sentence and score the result with the pure functions of `scoring`. `evaluate_quotes`
runs any extractor of attributions over each article's text and scores it with `attributions`. `evaluate_actors`
analyses every document of a coreference corpus, links the entities across all of them as the corpus does, and
scores the actors with `actors`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.corpus.actors import apply_links, link_actors
from rashomon.evaluate.actors import (
    ActorScores,
    PredictedMention,
    in_annotated_sentences,
    read_actor_gold,
    score_actors,
)
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
    "ActorScores",
    "AttributionScores",
    "AttributionSpans",
    "NERScores",
    "ParserScores",
    "evaluate_actors",
    "evaluate_ner",
    "evaluate_parser",
    "evaluate_quotes",
    "mentions_of_actors",
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
    """Attachment, tagging and lemma scores of ``nlp`` on a CoNLL-U file, one sentence at a time.

    Each sentence is parsed as one sentence (its first token starts it, no other does), as the `syntax` stage
    sets our segmenter's boundaries before spaCy's parser runs; left free, the parser would split some gold
    sentences in two and lose the arcs across the cut.
    """
    from spacy.tokens import Doc

    sentences = list(read_conllu(path))
    docs = (
        Doc(
            nlp.vocab,
            words=[w.form for w in s],
            spaces=[w.space_after for w in s],
            sent_starts=[i == 0 for i in range(len(s))],
        )
        for s in sentences
    )

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


def evaluate_actors(path: Path, analyze: Callable[[str], Document]) -> ActorScores:
    """Actor scores of ``analyze`` (text -> document) and the corpus's actor linking on an ECB+ entity-mentions
    file or a NewsWCL50 CoNLL file (definitions: `rashomon.evaluate.actors`).

    Every document of the file is analysed, then the entities are linked across all of them at once, as the
    corpus links a whole store.
    """
    gold = read_actor_gold(path)
    docs = []
    for document in gold:
        doc = analyze(document.text)
        if doc.text != document.text:
            raise ValueError(
                f"{path}: document {document.id}: the analysis changed the text, so offsets would not hold"
            )
        # Only the entities and sentences are scored: drop the per-word analysis, which would hold the word
        # vectors of the whole corpus in memory.
        docs.append(dataclasses.replace(doc, words=(), word_vectors=None))
    links = link_actors(docs)
    return score_actors(
        (
            document,
            in_annotated_sentences(
                document, mentions_of_actors(apply_links(doc, links)), [(s.start, s.end) for s in doc.sentences]
            ),
        )
        for document, doc in zip(gold, docs, strict=True)
    )


def mentions_of_actors(doc: Document) -> tuple[PredictedMention, ...]:
    """Every mention of every entity, labelled with the entity's id: after `apply_links`, its corpus actor."""
    return tuple(
        PredictedMention((m.span.start, m.span.end), entity.id) for entity in doc.entities for m in entity.mentions
    )
