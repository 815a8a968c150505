"""The event evaluation: reading ECB+ and NewsWCL50 document files, the pairwise and B-cubed arithmetic, and a run
over a small gold file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rashomon.evaluate.clusters import ClusterScore
from rashomon.evaluate.stories import (
    GoldStoryDocument,
    evaluate_stories,
    gold_article,
    pairwise,
    read_story_gold,
    score_events,
)
from rashomon.model import Document
from rashomon.nlp import Pipeline

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate" / "stories"


def test_read_ecbplus_layout() -> None:
    gold = read_story_gold(FIXTURES / "ecbplus_docs.jsonl")
    assert [(g.id, g.event, g.topic) for g in gold] == [
        ("1_1ecb", "1ecb", "1"),
        ("1_2ecb", "1ecb", "1"),
        ("1_1ecbplus", "1ecbplus", "1"),
        ("1_2ecbplus", "1ecbplus", "1"),
    ]
    assert gold[0].title and gold[0].published is None
    assert gold[2].published == "2013-05-03"
    assert gold[3].published == "2013-05-03" and gold[3].title is None
    # An empty text is rebuilt from the tokens, one line per sentence.
    assert (
        gold[3].text == "Lindsay Lohan checks into rehab\n"
        "The actress entered the Betty Ford Center on Thursday, her lawyer Mark Heller said."
    )


def test_read_newswcl50_layout() -> None:
    gold = read_story_gold(FIXTURES / "newswcl50_docs.jsonl")
    assert [(g.id, g.event, g.outlet, g.topic) for g in gold] == [
        ("0_L", "0", "L", None),
        ("0_R", "0", "R", None),
        ("1_L", "1", "L", None),
    ]
    assert gold[0].published == "2018-04-17"  # from the URL
    assert gold[0].text.startswith("WEST PALM BEACH, Fla. —\nThe president sent")
    assert "Kim Jong-un" in gold[0].text


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], "not JSON"),
        (['{"title": "x"}'], "no doc_id"),
        (['{"doc_id": "a", "text": "x"}'], "no gold event"),
        (['{"doc_id": "a", "event_id": 1, "text": "x"}', '{"doc_id": "a", "event_id": 1, "text": "y"}'], "twice"),
        (["", "  "], "no documents"),
        (["[1, 2]"], "not a document record"),
    ],
)
def test_bad_files_name_the_line(tmp_path: Path, lines: list[str], message: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_story_gold(path)


@pytest.mark.parametrize(
    ("key", "response", "precision", "recall"),
    [
        ([["a", "b"], ["c"]], [["a", "b"], ["c"]], 1.0, 1.0),
        ([["a", "b"], ["c"]], [["a", "b", "c"]], 1 / 3, 1.0),
        ([["a", "b", "c"]], [["a"], ["b", "c"]], 1.0, 1 / 3),
        ([["a"], ["b"]], [["a"], ["b"]], 0.0, 0.0),  # no pairs at all
        ([["a", "b"]], [["a", "x"], ["b"]], 0.0, 0.0),  # an unknown item pairs with nothing
    ],
)
def test_pairwise(key: list[list[str]], response: list[list[str]], precision: float, recall: float) -> None:
    assert pairwise(key, response) == ClusterScore(pytest.approx(precision), pytest.approx(recall))


def gold_doc(doc_id: str, event: str, topic: str | None = None) -> GoldStoryDocument:
    return GoldStoryDocument(doc_id, "text", event, topic)


def test_score_events() -> None:
    gold = [gold_doc("a", "e1", "t"), gold_doc("b", "e1", "t"), gold_doc("c", "e2", "t"), gold_doc("d", "e3", "u")]
    scores = score_events(gold, [["a", "b"], ["c", "d"]], [["a", "b", "c"], ["d"]])
    assert scores.b_cubed.precision == pytest.approx(0.75)  # a, b: 1; c, d: 1/2
    assert scores.b_cubed.recall == pytest.approx(1.0)
    assert scores.pairwise == ClusterScore(0.5, 1.0)
    assert scores.stories_vs_topics == ClusterScore(1.0, 1.0)
    record = scores.as_json()
    assert record["documents"] == 4 and record["gold_events"] == 3 and record["predicted_events"] == 2
    assert record["gold_topics"] == 2 and record["b_cubed"] == {"precision": 0.75, "recall": 1.0, "f1": 0.8571}
    json.dumps(record)


def test_score_events_without_topics() -> None:
    scores = score_events([gold_doc("a", "1"), gold_doc("b", "1")], [["a"], ["b"]])
    assert scores.stories_vs_topics is None and scores.as_json()["gold_topics"] is None
    assert scores.b_cubed == ClusterScore(1.0, 0.5)


def test_gold_article_keeps_metadata_and_tells_same_texts_apart() -> None:
    one = GoldStoryDocument("x", "Same words.", "e", title="T", published="2013-05-03", url="u", outlet="L")
    two = GoldStoryDocument("y", "Same words.", "e")
    a, b = gold_article(one), gold_article(two)
    assert a.id != b.id and a.text == b.text
    assert (a.meta.title, a.meta.published, a.meta.url, a.meta.outlet) == ("T", dt.date(2013, 5, 3), "u", "L")


def test_evaluate_stories_end_to_end() -> None:
    pipeline = Pipeline(["paragraphs", "sentences", "entities"])
    scores = evaluate_stories(FIXTURES / "ecbplus_docs.jsonl", lambda g: pipeline(Document(gold_article(g))))
    assert scores.documents == 4 and scores.gold_events == 2
    # Reid's rehab and Lohan's: two events, told apart by who and when.
    assert scores.b_cubed.f1 == pytest.approx(1.0)
    assert scores.stories_vs_topics is not None
