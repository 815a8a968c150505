"""The syntax stage with the shipped model: words keep offsets, and the parse respects our sentences."""

from __future__ import annotations

import numpy as np

from rashomon.model import Article, ArticleMeta, Document, SourceFormat
from rashomon.nlp import Pipeline

TEXT = "“What I condemn is violence.” he said. Mr. Maduro met the U.S. envoy.\n\nProtests grew in Caracas."


def test_words_sentences_and_heads() -> None:
    doc = Pipeline(["paragraphs", "sentences", "syntax"])(
        Document(Article.create(TEXT, ArticleMeta("t.txt"), SourceFormat.TEXT))
    )
    assert all(TEXT[w.start : w.end].strip() for w in doc.words if w.pos != "SPACE")
    sentence_of = {}
    for n, sentence in enumerate(doc.sentences):
        for i, w in enumerate(doc.words):
            if sentence.start <= w.start < sentence.end:
                sentence_of[i] = n
    # Every head lies in its word's own sentence: the parser kept the segmenter's boundaries.
    assert all(sentence_of[doc.words[i].head] == n for i, n in sentence_of.items())
    assert len(doc.sentences) == 3
    # The contextual vectors the attribution tagger reads: one row per word, kept small.
    assert doc.word_vectors is not None and doc.word_vectors.dtype == np.float16
    assert doc.word_vectors.shape[0] == len(doc.words) and doc.word_vectors.shape[1] > 0
