"""The shipped English pipeline: it loads offline from the installed package and is deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

import rashomon
from rashomon.nlp import MODEL_DIR, ModelNotFoundError, load
from rashomon.nlp.english import model_path

TEXT = (
    "Venezuelan Defense Minister Vladimir Padrino Lopez said on Tuesday that the opposition had staged a coup. "
    "Jeremy Corbyn, the Labour leader, told the BBC in London that violence was not the answer."
)


def test_the_model_ships_inside_the_package() -> None:
    assert MODEL_DIR.is_relative_to(Path(rashomon.__file__).parent)
    assert (MODEL_DIR / "MODEL_CARD.md").is_file() and (MODEL_DIR / "meta.json").is_file()
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024  # the budget for all shipped weights together


def test_loads_offline_with_every_component(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any attempt to reach a hub would need these; make sure none is configured to succeed.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    nlp = load()
    assert nlp.pipe_names == [
        "minilm_vectors",
        "tok2vec",
        "tagger",
        "morphologizer",
        "trainable_lemmatizer",
        "ner",
        "parser",
    ]
    assert load() is nlp  # loaded once per process


def test_analysis_is_plausible_and_deterministic() -> None:
    nlp = load()
    first, second = nlp(TEXT), nlp(TEXT)
    assert [(t.tag_, t.dep_, t.head.i, t.ent_iob_) for t in first] == [
        (t.tag_, t.dep_, t.head.i, t.ent_iob_) for t in second
    ]
    ents = {(e.text, e.label_) for e in first.ents}
    assert ("Vladimir Padrino Lopez", "PER") in ents and ("Jeremy Corbyn", "PER") in ents
    told = next(t for t in first if t.text == "told")
    assert told.lemma_ == "tell" and told.pos_ == "VERB"
    # UD heads a name on its first word, so "Jeremy" (of "Jeremy Corbyn") is the subject of "told".
    assert [c.text for c in told.children if c.dep_ == "nsubj"] == ["Jeremy"]


def test_vectors_come_from_minilm_for_any_word() -> None:
    nlp = load()
    doc = nlp("Zyxwvutsrq met Guaidó and Guaido.")  # no corpus had these words
    vectors = [t.vector for t in doc if t.text in {"Zyxwvutsrq", "Guaidó", "Guaido"}]
    assert all(v.shape == (384,) and abs(v).sum() > 0 for v in vectors)
    assert (vectors[1] == vectors[2]).all()  # accents fold as in MiniLM's uncased word pieces


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="no spaCy pipeline at"):
        model_path(tmp_path)
