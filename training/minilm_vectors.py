"""Static word vectors from MiniLM's word-piece embeddings for every word type of the training corpora.

    python training/minilm_vectors.py --corpus training/corpus --out training/vectors/minilm

The vectors are computed exactly as the shipped pipeline computes them at run time (`rashomon.nlp.minilm`), so
training and use agree; the result is a blank spaCy pipeline whose vocab holds the table, for
`spacy train --paths.vectors`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.vectors import Vectors

from rashomon.nlp.minilm import WordVectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    parser.add_argument("--out", type=Path, default=Path("training/vectors/minilm"))
    args = parser.parse_args()
    nlp = spacy.blank("en")
    words: set[str] = set()
    for path in sorted(args.corpus.glob("*.spacy")):
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
            words.update(t.text for t in doc)
    ordered = sorted(words)
    table = WordVectors()(ordered)
    keys = [nlp.vocab.strings.add(w) for w in ordered]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=table, keys=keys)
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    print(f"{len(ordered)} words x {table.shape[1]} dims -> {args.out}")


if __name__ == "__main__":
    main()
