"""The syntax stage: tags, lemmas, dependencies and named-entity tags from the shipped spaCy pipeline.

Sentence boundaries come from our own segmenter (robust to quotation marks) and are set before spaCy's parser
runs, which respects them; so the parse and the quote extractor agree on what a sentence is.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from rashomon.model import Document, Word
from rashomon.nlp.english import load
from rashomon.nlp.pipeline import register
from rashomon.settings import Settings


@register("syntax", requires=["sentences"], assigns=["words", "word_vectors"])
def syntax_stage(doc: Document, settings: Settings) -> Document:
    """Tag, lemmatise, parse and tag named entities with the shipped spaCy pipeline."""
    nlp = load(settings.spacy_model)
    sdoc = nlp.make_doc(doc.text)
    starts = {s.start for s in doc.sentences}
    for token in sdoc:
        # A whitespace token (spaCy keeps runs of newlines as tokens) never starts a sentence.
        token.is_sent_start = token.i == 0 or (token.idx in starts and not token.is_space)
    sdoc = nlp(sdoc)  # given a Doc, spaCy skips its tokenizer and keeps the boundaries set above
    words = tuple(
        Word(
            start=t.idx,
            end=t.idx + len(t.text),
            # Runs of newlines are tokens to spaCy; whatever the tagger guessed for them, they are space.
            tag="_SP" if t.is_space else t.tag_,
            pos="SPACE" if t.is_space else t.pos_,
            lemma=t.lemma_,
            dep=t.dep_,
            head=t.head.i,
            ent_iob=t.ent_iob_ or "O",
            ent_type=t.ent_type_,
        )
        for t in sdoc
    )
    # spaCy's tok2vec leaves its output in `Doc.tensor` (one row per token); a pipeline without one leaves it empty.
    # Kept in float16: half the memory while documents wait in a batch, and the tagger was trained on the same.
    fits = len(words) > 0 and sdoc.tensor.shape[0] == len(words)
    vectors = sdoc.tensor.astype(np.float16) if fits else None
    return replace(doc, words=words, word_vectors=vectors)
