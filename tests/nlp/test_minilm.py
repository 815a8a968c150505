"""MiniLM word vectors: word-piece splitting and the component that fills a vocab's table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy

from rashomon.nlp.minilm import DIMS, WordPieces, word_vectors


@pytest.fixture(scope="module")
def pieces(tmp_path_factory: pytest.TempPathFactory) -> WordPieces:
    vocab = tmp_path_factory.mktemp("wp") / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "un", "##aff", "##able", "moscow", "gu", "##aid", "##o"]))
    return WordPieces(vocab)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("unaffable", [2, 3, 4]),  # greedy longest match with ## continuations
        ("Moscow", [5]),  # lower-cased
        ("Guaidó", [6, 7, 8]),  # accents stripped
        ("xyz", [1]),  # nothing matches: [UNK]
        ("unx", [1]),  # a remainder that cannot be split makes the whole word unknown, as in BERT
    ],
)
def test_word_pieces(pieces: WordPieces, word: str, expected: list[int]) -> None:
    assert pieces(word) == expected


def test_vectors_are_the_mean_of_piece_embeddings() -> None:
    vectors = word_vectors()
    ids = vectors.pieces("unaffable")
    assert np.allclose(vectors(["unaffable"])[0], vectors.matrix[ids].mean(axis=0))
    assert vectors([]).shape == (0, DIMS)


def test_component_fills_and_grows_the_table() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("minilm_vectors")
    doc = nlp(" ".join(f"word{i}" for i in range(2000)))
    assert nlp.vocab.vectors.n_keys >= 2000
    assert all(t.has_vector for t in doc)
    again = nlp.vocab.vectors.n_keys
    nlp("word1 word2")  # known words add nothing
    assert nlp.vocab.vectors.n_keys == again


def test_minilm_files_are_found_offline() -> None:
    from rashomon.nlp.minilm import model_dir

    assert (Path(model_dir()) / "model.safetensors").is_file()
