"""Evaluating language models on standard files: NER on CoNLL-2003, syntax on UD CoNLL-U (given tokens).

`evaluate_ner` and `evaluate_parser` run any spaCy `Language` (the shipped pipeline by default in the CLI) over
the gold tokens of each sentence and score the result with the pure functions of `scoring`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.evaluate.formats import read_conll2003, read_conllu
from rashomon.evaluate.scoring import (
    NERScores,
    ParserScores,
    TokenAnalysis,
    score_entities,
    score_parses,
)

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["NERScores", "ParserScores", "evaluate_ner", "evaluate_parser"]

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
