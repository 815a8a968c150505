"""MiniLM's BERT tokenizer: words split as BERT splits them, word pieces keeping their words' spans."""

from __future__ import annotations

from functools import cache

import pytest

from rashomon.nlp.minilm import model_dir
from rashomon.nlp.wordpiece import MAX_WORD_CHARS, Tokenizer


@cache
def tokenizer() -> Tokenizer:
    return Tokenizer(model_dir() / "vocab.txt")


def test_words_split_as_bert_splits() -> None:
    text = "Guaidó's “interim” U.S.-backed\tgovernment"
    words = [text[s:e] for s, e in tokenizer().words(text)]
    assert words == ["Guaidó", "'", "s", "“", "interim", "”", "U", ".", "S", ".", "-", "backed", "government"]


def test_pieces_keep_their_word_spans() -> None:
    tok = tokenizer()
    ids, spans = tok.split("Guaidó spoke")
    assert len(ids) == len(spans) and ids[0] != tok.pieces.unk
    assert {s for s in spans} == {(0, 6), (7, 12)}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", []),
        ("   \t\n", []),
        ("a\x00b", ["a\x00b"]),  # a control character is deleted, the word goes on across it
        ("中国人", ["中", "国", "人"]),  # CJK characters are words of their own
        ("¡Hola!", ["¡", "Hola", "!"]),
    ],
)
def test_basic_tokens(text: str, words: list[str]) -> None:
    assert [text[s:e] for s, e in tokenizer().words(text)] == words


def test_accents_are_folded_and_overlong_words_are_unknown() -> None:
    tok = tokenizer()
    assert tok.word_pieces("Guaidó") == tok.word_pieces("guaido")
    assert tok.word_pieces("x" * (MAX_WORD_CHARS + 1)) == (tok.pieces.unk,)
    assert tok.word_pieces("\x00") == ()
