"""Target-dependent sentiment scoring on NewsMTSC's format: reading, scores with known values, the CLI command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.evaluate.sentiment import (
    GoldSentence,
    evaluate_sentiment,
    read_newsmtsc,
    score_sentiment,
)

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate" / "newsmtsc" / "tiny.jsonl"
runner = CliRunner()


def oracle(sentences: Sequence[GoldSentence]) -> list[list[str]]:
    return [[t.label for t in s.targets] for s in sentences]


def test_read_newsmtsc() -> None:
    gold = read_newsmtsc(TINY)
    assert [len(s.targets) for s in gold] == [1, 1, 2, 2]
    guaido, maduro = gold[3].targets
    assert (guaido.mention, guaido.label) == ("Guaidó", "positive")
    assert gold[3].text[maduro.start : maduro.end] == "Maduro" and maduro.label == "negative"


def test_perfect() -> None:
    scores = evaluate_sentiment(TINY, oracle).as_json()
    assert scores["f1_macro"] == 1.0 and scores["accuracy"] == 1.0 and scores["targets"] == 6
    assert scores["per_class"] == {
        label: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
        for label in ("negative", "neutral", "positive")
    }


def test_all_neutral() -> None:
    scores = evaluate_sentiment(TINY, lambda gold: [["neutral"] * len(s.targets) for s in gold]).as_json()
    # 2 of 6 right; neutral P 2/6, R 1, F1 0.5; the other two classes F1 0: macro 0.5 / 3
    assert scores["accuracy"] == pytest.approx(0.3333)
    assert scores["f1_macro"] == pytest.approx(0.1667)
    per_class = scores["per_class"]
    assert isinstance(per_class, dict)
    assert per_class["neutral"] == {"precision": 0.3333, "recall": 1.0, "f1": 0.5, "support": 2}
    assert per_class["negative"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}


def test_one_target_wrong() -> None:
    def predict(gold: Sequence[GoldSentence]) -> list[list[str]]:
        labels = oracle(gold)
        labels[3][1] = "positive"  # Maduro, "a brutal dictator", read as positive
        return labels

    scores = evaluate_sentiment(TINY, predict)
    # negative P 1 R 1/2 F1 2/3; neutral F1 1; positive P 2/3 R 1 F1 0.8
    assert scores.accuracy == pytest.approx(5 / 6)
    assert scores.f1_macro == pytest.approx((2 / 3 + 1 + 0.8) / 3)
    assert scores.per_class["positive"].precision == pytest.approx(2 / 3)


def test_score_sentiment_rejects_unknown_labels_and_nothing() -> None:
    with pytest.raises(ValueError, match="unknown label"):
        score_sentiment([("negative", "bad")])
    with pytest.raises(ValueError, match="no targets"):
        score_sentiment([])


def test_predictions_must_fit_the_targets() -> None:
    with pytest.raises(ValueError, match="2 labels for 1 targets"):
        evaluate_sentiment(TINY, lambda gold: [["neutral", "neutral"], *oracle(gold)[1:]])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "polarity": 3.0}]}', "polarity"),
        ('{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 60, "polarity": 2.0}]}', "outside"),
        (
            '{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Guaido", '
            '"polarity": 2.0}]}',
            "not 'Guaido'",
        ),
        ('{"targets": []}', "missing field 'sentence_normalized'"),
        ("not json", "not a NewsMTSC record"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = TINY.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"bad.jsonl:2: .*{message}"):
        read_newsmtsc(path)


def test_command_with_the_shipped_model() -> None:
    result = runner.invoke(app, ["evaluate", "sentiment", str(TINY)])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert set(scores) == {"f1_macro", "accuracy", "per_class", "targets"}
    assert scores["targets"] == 6
    # The fixture's sentences are unambiguous; the shipped model reads every target right.
    assert scores["accuracy"] == 1.0 and scores["f1_macro"] == 1.0


def test_command_on_a_missing_or_bad_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", "sentiment", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "no such file" in " ".join(result.stderr.split())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"targets": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "sentiment", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1:" in "".join(result.stderr.split())
