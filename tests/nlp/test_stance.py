"""The stance model: its inputs per target, loading the shipped model offline, deterministic and sensible outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.model import Span
from rashomon.nlp.stance import (
    LABELS,
    MAX_PIECES,
    MODEL_DIR,
    Encoded,
    Stance,
    StanceModel,
    hide_target,
    model,
    score_sentences,
    score_targets,
    tokenizer,
)


def spans_of(sentence: str, *mentions: str) -> list[tuple[int, int]]:
    out = []
    for m in mentions:
        start = sentence.index(m)
        out.append((start, start + len(m)))
    return out


# --- the tokenizer (no model needed) --------------------------------------------------------------------------


def test_encode_marks_the_target_pieces() -> None:
    tok = tokenizer()
    sentence = "Maduro blamed Guaidó."
    maduro, guaido = tok.encode(sentence, spans_of(sentence, "Maduro", "Guaidó"))
    assert maduro.ids == guaido.ids and maduro.ids[0] == tok.cls and maduro.ids[-1] == tok.sep
    assert maduro.target[1] == 1.0 and maduro.target[0] == maduro.target[-1] == 0.0
    assert sum(guaido.target) == len(tok.split("Guaidó")[0]) and guaido.target[1] == 0.0


def test_long_sentences_are_windowed_on_the_target() -> None:
    tok = tokenizer()
    sentence = "word " * 300 + "Maduro fell."
    (encoded,) = tok.encode(sentence, spans_of(sentence, "Maduro"))
    assert len(encoded.ids) == MAX_PIECES and sum(encoded.target) == len(tok.split("Maduro")[0])


@pytest.mark.parametrize(
    ("sentence", "mention", "hidden"),
    [
        ("Obama can do better than Susan Rice.", "Susan Rice", "obama can do better than [MASK] ."),
        ("Maduro blamed Guaidó.", "Guaidó", "mad ##uro blamed [MASK] ."),
        ("He left.", "He", "[MASK] left ."),
    ],
)
def test_hide_target_replaces_the_mention_by_one_marked_piece(sentence: str, mention: str, hidden: str) -> None:
    tok = tokenizer()
    (encoded,) = tok.encode(sentence, spans_of(sentence, mention))
    out = hide_target(encoded, tok.pieces.ids["[MASK]"])
    words = {i: w for w, i in tok.pieces.ids.items()}
    assert " ".join(words[i] for i in out.ids[1:-1]) == hidden
    assert len(out.ids) == len(out.target) and sum(out.target) == 1.0
    assert out.target[out.ids.index(tok.pieces.ids["[MASK]"])] == 1.0


def test_hide_target_without_a_marked_piece_changes_nothing() -> None:
    unmarked = Encoded((101, 2002, 102), (0.0, 0.0, 0.0))
    assert hide_target(unmarked, 103) is unmarked


def test_bad_offsets_are_refused() -> None:
    with pytest.raises(ValueError, match="not a span"):
        tokenizer().encode("Maduro spoke.", [(5, 50)])


# --- the shipped model ----------------------------------------------------------------------------------------


def test_the_shipped_model_loads_offline_with_its_card() -> None:
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["dev"]) == {"rw_dev", "mt_dev"}
    assert model() is model()  # loaded once


def test_output_is_a_distribution_and_deterministic() -> None:
    sentence = "The opposition leader Juan Guaidó addressed supporters in Caracas on Saturday."
    targets = spans_of(sentence, "Juan Guaidó", "Caracas")
    first = score_targets(sentence, targets)
    again = score_targets(sentence, [Span(*t) for t in targets])  # Span objects work as well as tuples
    assert first == again and len(first) == 2
    for stance in first:
        assert isinstance(stance, Stance) and stance.label in LABELS
        assert abs(stance.negative + stance.neutral + stance.positive - 1.0) < 1e-4
        assert -1.0 <= stance.score <= 1.0


def test_batching_does_not_change_the_result() -> None:
    a = "Maduro's regime has starved and brutalized its own people for years."
    b = "Guaidó won praise from across the region for his courage and restraint."
    together = score_sentences([(a, spans_of(a, "Maduro")), (b, spans_of(b, "Guaidó")), (a, [])])
    assert together[2] == []
    for (sentence, mention), got in zip([(a, "Maduro"), (b, "Guaidó")], together, strict=False):
        alone = score_targets(sentence, spans_of(sentence, mention))
        assert got == alone  # each input runs alone: its neighbours in a call never change its result


@pytest.mark.parametrize(
    ("sentence", "mention", "label"),
    [
        ("Maduro's regime has starved and brutalized its own people for years.", "Maduro", "negative"),
        ("Critics say the corrupt governor lied to voters and stole millions.", "the corrupt governor", "negative"),
        ("Guaidó won praise from across the region for his courage and restraint.", "Guaidó", "positive"),
        ("The senator was widely celebrated as a brilliant and honest public servant.", "The senator", "positive"),
        ("The foreign minister will travel to Brussels on Tuesday.", "The foreign minister", "neutral"),
    ],
)
def test_clear_cases(sentence: str, mention: str, label: str) -> None:
    (stance,) = score_targets(sentence, spans_of(sentence, mention))
    assert stance.label == label


def test_two_targets_of_opposite_polarity() -> None:
    sentence = "Protesters hailed Guaidó as a hero while they condemned Maduro as a brutal dictator."
    guaido, maduro = score_targets(sentence, spans_of(sentence, "Guaidó", "Maduro"))
    assert guaido.label == "positive" and maduro.label == "negative"
    assert guaido.score > 0 > maduro.score


def test_a_model_trained_with_hidden_targets_reads_them_hidden(tmp_path: Path) -> None:
    # regression: `train_stance.py --hide` wrote a config the model did not read, so such a model was scored on
    # inputs unlike its training inputs (rw_dev F1 0.759 instead of 0.796)
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    (tmp_path / "config.json").write_text(json.dumps({**config, "hide": True}), encoding="utf-8")
    (tmp_path / "stance.onnx").symlink_to(MODEL_DIR / "stance.onnx")
    hiding = StanceModel(tmp_path, threads=1)
    sentence = "Protesters hailed Guaidó as a hero while they condemned Maduro as a brutal dictator."
    targets = spans_of(sentence, "Guaidó", "Maduro")
    encoded = hiding.tokenizer.encode(sentence, targets, None, hiding.pair)
    expected = hiding.probabilities([hide_target(e, hiding.tokenizer.pieces.ids["[MASK]"]) for e in encoded])
    got = hiding.score([(sentence, targets)])[0]
    assert [s.negative for s in got] == pytest.approx(expected[:, 0].tolist(), abs=1e-6)
    assert got != model().score([(sentence, targets)])[0]
