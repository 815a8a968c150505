"""The attribution model's encoder tagger: windows of word pieces, per-word probabilities, and the shipped graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import ModelNotFoundError
from rashomon.nlp.attribution import TAGS
from rashomon.nlp.attribution_encoder import EncoderTagger, Window, tokenizer, windows, word_probabilities

TOK = tokenizer()
CLS, SEP = TOK.cls, TOK.sep


def pieces(form: str) -> list[int]:
    return TOK.split(form)[0]


@pytest.mark.parametrize(
    ("forms", "paragraphs", "max_pieces", "expected_words"),
    [
        # Short paragraphs share one window, a [SEP] after each.
        (["He", "said", "so", ".", "She", "agreed", "."], [0, 0, 0, 0, 1, 1, 1], 256, [[0, 1, 2, 3, 4, 5, 6]]),
        # A window full: the next paragraph starts a new one.
        (["He", "said", "so", ".", "She", "agreed", "."], [0, 0, 0, 0, 1, 1, 1], 8, [[0, 1, 2, 3], [4, 5, 6]]),
        # A paragraph longer than a window is cut between words.
        (["a", "b", "c", "d", "e", "f", "g"], [0] * 7, 5, [[0, 1, 2], [3, 4, 5], [6]]),
        ([], [], 256, []),
    ],
)
def test_windows_pack_paragraphs_in_order(
    forms: list[str], paragraphs: list[int], max_pieces: int, expected_words: list[list[int]]
) -> None:
    out = windows(forms, paragraphs, TOK, max_pieces)
    assert [list(w.words) for w in out] == expected_words
    for w in out:
        assert len(w.ids) <= max_pieces and w.ids[0] == CLS and w.ids[-1] == SEP
        for word, at in zip(w.words, w.first, strict=True):
            assert w.ids[at : at + len(pieces(forms[word]))] == tuple(pieces(forms[word]))


def test_a_paragraph_break_inside_a_window_is_a_sep() -> None:
    (w,) = windows(["Yes", ".", "No", "."], [0, 0, 1, 1], TOK)
    assert w.ids == (CLS, *pieces("Yes"), *pieces("."), SEP, *pieces("No"), *pieces("."), SEP)


def test_a_word_without_pieces_continues_the_word_before() -> None:
    # Regression: "PolitiFact\xa0says" (PolNeAR dev): the no-break space, a word of its own, copied the name's
    # B-source and became a one-space source of its own, which crashed the speaker lookup.
    (w,) = windows(["PolitiFact", "\xa0", "says"], [0, 0, 0], TOK)
    assert w.first[1] == -1
    labels = np.zeros(len(w.ids), dtype=np.int64)  # per piece: the name B-source at its first, "says" B-cue
    labels[w.first[0]], labels[w.first[2]] = TAGS.index("B-source"), TAGS.index("B-cue")
    probs = np.eye(len(TAGS), dtype=np.float32)[labels]
    out = word_probabilities(3, [(w, probs)], len(TAGS))
    assert [TAGS[t] for t in out.argmax(1)] == ["B-source", "I-source", "B-cue"]
    assert out.sum(1) == pytest.approx(1.0)
    (first,) = windows(["\xa0", "no"], [0, 0], TOK)  # nothing before it: O
    assert word_probabilities(2, [(first, np.eye(len(TAGS))[[0, 5, 0]])], len(TAGS))[0].argmax() == 0


def test_tag_columns_are_o_then_begin_and_inside_per_role() -> None:
    assert TAGS[0] == "O" and all(
        (TAGS[k].startswith("B-"), TAGS[k + 1]) == (True, "I-" + TAGS[k][2:]) for k in range(1, len(TAGS), 2)
    )


def test_windows_reject_mismatched_paragraph_numbers() -> None:
    with pytest.raises(ValueError, match="3 words but 2 paragraph numbers"):
        windows(["a", "b", "c"], [0, 0], TOK)


def test_a_very_long_word_keeps_its_first_pieces() -> None:
    (w,) = windows(["x" * 60 + "-" * 40], [0], TOK)
    assert len(w.ids) == 2 + 16


def test_missing_graph_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"tagger\.onnx"):
        EncoderTagger(tmp_path)


def test_window_is_a_frozen_record() -> None:
    w = Window((CLS, SEP), (), ())
    with pytest.raises(AttributeError):
        w.ids = ()  # type: ignore[misc]
