"""The numpy MiniLM sentence encoder: the reference model's vectors, unit length, deterministic, bounded input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rashomon.nlp.encoder import ENCODER_VERSION, LEAD_PIECES, _erf, article_text, embed_articles, encoder
from rashomon.nlp.minilm import DIMS

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "nlp" / "minilm_sentences.json"


def test_vectors_match_sentence_transformers() -> None:
    # Reference vectors written by sentence-transformers from the same files (see the fixture's "source").
    reference = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ours = encoder().encode(reference["texts"])
    theirs = np.array(reference["vectors"], dtype=np.float32)
    assert ours.shape == (2, DIMS)
    assert np.allclose((ours * theirs).sum(axis=1), 1.0, atol=1e-5)
    assert np.abs(ours - theirs).max() < 1e-4


@pytest.mark.parametrize("text", ["", "   ", "a", "Ünïcödé ✓ 🙂", "word " * 2000])
def test_any_text_gives_a_unit_vector(text: str) -> None:
    (vector,) = encoder().encode([text])
    assert vector.dtype == np.float32
    assert np.isfinite(vector).all()
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_input_is_cut_to_the_lead() -> None:
    ids = encoder().pieces("word " * 2000)
    assert len(ids) == LEAD_PIECES
    assert ids[0] == encoder().tokenizer.cls and ids[-1] == encoder().tokenizer.sep


def test_same_text_same_vector_whatever_it_is_encoded_with() -> None:
    alone = encoder().encode(["Maduro was sworn in."])[0]
    together = encoder().encode(["Something else entirely, and longer than the first text.", "Maduro was sworn in."])[1]
    assert np.array_equal(alone, together)


def test_similar_texts_are_closer_than_unrelated_ones() -> None:
    a, b, c = embed_articles(
        [
            ("Maduro sworn in", "Nicolás Maduro was sworn in for a second term in Caracas on Thursday."),
            (None, "Venezuela's president Maduro took the oath of office for another six years."),
            (None, "The striker scored twice as the home team won the cup final in extra time."),
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Maduro sworn in", "He took the oath.", "Maduro sworn in. He took the oath."),
        ("Maduro sworn in!", "He took the oath.", "Maduro sworn in! He took the oath."),
        ("Maduro sworn in", "Maduro sworn in\n\nHe took the oath.", "Maduro sworn in He took the oath."),  # not twice
        (None, "  He   took\nthe oath. ", "He took the oath."),
        ("", "", ""),
    ],
)
def test_article_text(title: str | None, text: str, expected: str) -> None:
    assert article_text(title, text) == expected


def test_article_text_is_the_lead_cut_at_a_sentence() -> None:
    text = " ".join(f"Sentence number {n} says something." for n in range(100))
    lead = article_text(None, text)
    assert lead.endswith(".")
    assert len(lead.split()) <= int(LEAD_PIECES / 1.3)
    assert text.startswith(lead)


def test_erf_is_exact_enough() -> None:
    import math

    x = np.linspace(-6, 6, 241, dtype=np.float32)
    found = _erf(x)
    assert found.dtype == np.float32
    assert np.abs(found - np.array([math.erf(v) for v in x])).max() < 1e-6


def test_version_names_model_and_lead() -> None:
    assert "all-MiniLM-L6-v2" in ENCODER_VERSION and str(LEAD_PIECES) in ENCODER_VERSION
