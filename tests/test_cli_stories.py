"""`rashomon stories` and `rashomon evaluate stories`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clirun import analysed_examples, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evaluate" / "stories"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    return analysed_examples(tmp_path_factory.mktemp("stories"), examples_dir)


def test_stories_json_lists_every_article_once(analysed: Path) -> None:
    code, out, _ = run("stories", "--db", str(analysed), "--json")
    assert code == 0
    stories = json.loads(out)["stories"]
    articles = [a["article_id"] for s in stories for e in s["events"] for a in e["articles"]]
    assert len(articles) == len(set(articles)) == 5
    for story in stories:
        assert story["articles"] == sum(len(e["articles"]) for e in story["events"])
        assert story["outlets"] and story["label"]
        dated = [e["first_date"] for e in story["events"] if e["first_date"]]
        assert dated == sorted(dated)  # events in time order
    # The two Corbyn articles report one event.
    corbyn = next(s for s in stories if "Jeremy Corbyn" in s["actors"])
    (event,) = corbyn["events"]
    assert sorted(a["outlet"] for a in event["articles"]) == ["UK broadcaster", "UK politics site"]


def test_stories_table_and_one_story(analysed: Path) -> None:
    code, out, err = run("stories", "--db", str(analysed))
    assert code == 0 and "Jeremy Corbyn" in out and "stories" in err
    # Regression: counts of one were printed as "1 articles".
    assert "1 article:" in out and "1 articles" not in out and "2 articles" in out
    code, out, _ = run("stories", "--db", str(analysed), "--json")
    first = json.loads(out)["stories"][0]
    code, out, _ = run("stories", "--db", str(analysed), "--story", first["id"], "--json")
    assert code == 0 and json.loads(out)["stories"] == [first]


def test_rebuild_gives_the_same_stories(analysed: Path) -> None:
    _, before, _ = run("stories", "--db", str(analysed), "--json")
    code, after, _ = run("stories", "--db", str(analysed), "--json", "--rebuild")
    assert code == 0 and json.loads(after) == json.loads(before)


def test_unknown_story_is_an_error_naming_it(analysed: Path) -> None:
    code, _, err = run("stories", "--db", str(analysed), "--story", "nope")
    assert code == 2 and "no story 'nope'" in err


def test_stories_of_an_empty_database(tmp_path: Path) -> None:
    code, out, err = run("stories", "--db", str(tmp_path / "empty.db"))
    assert code == 0 and out == "" and "no stories" in err


def test_evaluate_stories_prints_scores(tmp_path: Path) -> None:
    code, out, _ = run("evaluate", "stories", str(FIXTURES / "ecbplus_docs.jsonl"))
    assert code == 0
    scores = json.loads(out)
    assert set(scores["b_cubed"]) == {"precision", "recall", "f1"} and "pairwise" in scores
    assert scores["documents"] == 4 and scores["gold_events"] == 2


@pytest.mark.parametrize("content", ["not json\n", ""])
def test_evaluate_stories_bad_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(content, encoding="utf-8")
    code, _, err = run("evaluate", "stories", str(path))
    assert code == 2 and str(path) in " ".join(err.split())
    code, _, err = run("evaluate", "stories", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "no such file" in " ".join(err.split())
