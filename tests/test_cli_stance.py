"""`rashomon stance`, `rashomon export --table stance` and `Corpus.stance` on the example corpus (issue 6)."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clirun import analysed_examples, run
from rashomon.api import Corpus
from rashomon.errors import NotFoundError
from rashomon.export import STANCE_CSV_COLUMNS, export_schema


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    return analysed_examples(tmp_path_factory.mktemp("stance"), examples_dir)


@pytest.fixture(scope="module")
def matrix(analysed: Path) -> dict[str, Any]:
    code, out, _ = run("stance", "--json", "--db", str(analysed))
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture(scope="module")
def exported(analysed: Path) -> dict[str, Any]:
    code, out, _ = run("export", "--format", "json", "--db", str(analysed))
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def stance_matrix_schema() -> dict[str, Any]:
    schema = export_schema()
    return {"$defs": schema["$defs"], **schema["properties"]["stance_matrix"]}


def test_stance_json_follows_the_schema_and_is_the_exported_matrix(
    matrix: dict[str, Any], exported: dict[str, Any]
) -> None:
    jsonschema.validate(matrix, stance_matrix_schema(), cls=jsonschema.Draft202012Validator)
    jsonschema.validate(exported, export_schema(), cls=jsonschema.Draft202012Validator)
    matrix = copy.deepcopy(matrix)
    for actor in matrix["actors"]:  # the same matrix, with the evidence sentences' words added
        for cell in (*actor["outlets"], *actor["stories"]):
            for ev in cell["evidence"]:
                assert ev.pop("sentence_text")
    assert matrix == exported["stance_matrix"]


@pytest.mark.parametrize(("actor", "words"), [("nicolas-maduro", "Maduro"), ("juan-guaido", "Guaidó")])
def test_the_pro_kremlin_outlet_casts_maduro_and_guaido(matrix: dict[str, Any], actor: str, words: str) -> None:
    row = next(a for a in matrix["actors"] if a["id"] == actor)
    cell = next(c for c in row["outlets"] if c["outlet"] == "Pro-Kremlin outlet")
    assert cell["mentions"] == cell["negative"] + cell["neutral"] + cell["positive"] == len(cell["evidence"]) > 0
    named = [ev for ev in cell["evidence"] if words in ev["text"]]
    assert named and all(words in ev["sentence_text"] for ev in named)
    assert cell["interval"][0] <= cell["score"] <= cell["interval"][1]


def test_export_entities_carry_their_sentiment(exported: dict[str, Any]) -> None:
    for article in exported["articles"]:
        for entity in article["entities"]:
            sentiment = entity["sentiment"]
            if entity["type"] == "MISC":
                assert sentiment is None
                continue
            assert sentiment is not None and sentiment["mentions"] == len(sentiment["evidence"])
            assert sentiment["mentions"] == len(entity["mentions"])  # every mention of an actor is scored
            for ev in sentiment["evidence"]:
                if ev["quote"] is not None:
                    quote = article["quotes"][ev["quote"]]
                    assert any(p[0] <= ev["start"] and ev["end"] <= p[1] for p in quote["parts"])


def test_stance_table_names_the_actors(analysed: Path) -> None:
    code, out, err = run("stance", "--db", str(analysed), "--limit", "3")
    assert code == 0
    assert "Maduro" in out and "Caribbean" in out  # actors as rows, outlets as columns
    assert "3 of " in " ".join(err.split()) and "(mentions + 3)" in err


@pytest.mark.parametrize(
    ("voice", "relation"),
    [("own", "fewer or as many"), ("quoted", "fewer or as many"), ("all", "as many")],
)
def test_voice_counts_a_part_of_the_mentions(analysed: Path, matrix: dict[str, Any], voice: str, relation: str) -> None:
    code, out, _ = run("stance", "--json", "--voice", voice, "--db", str(analysed))
    assert code == 0
    part = json.loads(out)
    assert part["voice"] == voice
    total = {a["id"]: a["mentions"] for a in matrix["actors"]}
    counted = {a["id"]: a["mentions"] for a in part["actors"]}
    assert counted and all(counted[a] <= total[a] for a in counted)
    if relation == "as many":
        assert counted == total


def test_own_and_quoted_add_up_to_all(analysed: Path, matrix: dict[str, Any]) -> None:
    parts = {}
    for voice in ("own", "quoted"):
        code, out, _ = run("stance", "--json", "--voice", voice, "--db", str(analysed))
        assert code == 0
        parts[voice] = {a["id"]: a["mentions"] for a in json.loads(out)["actors"]}
    for actor in matrix["actors"]:
        assert parts["own"].get(actor["id"], 0) + parts["quoted"].get(actor["id"], 0) == actor["mentions"]


def test_min_count_marks_thin_cells(analysed: Path) -> None:
    code, out, _ = run("stance", "--json", "--min-count", "100", "--db", str(analysed))
    assert code == 0
    cells = [c for a in json.loads(out)["actors"] for c in a["outlets"]]
    assert cells and all(c["few"] for c in cells)


@pytest.mark.parametrize("bad", [["--min-count", "0"], ["--voice", "loud"]])
def test_bad_options_are_refused(analysed: Path, bad: list[str]) -> None:
    code, out, _ = run("stance", *bad, "--db", str(analysed))
    assert code == 2 and out == ""


def test_stance_of_one_story(analysed: Path, exported: dict[str, Any]) -> None:
    story = next(s for s in exported["stories"] if len(s["articles"]) > 1)
    code, out, _ = run("stance", "--json", "--story", story["id"], "--db", str(analysed))
    assert code == 0
    data = json.loads(out)
    outlets = {a["id"]: a["outlet"] for a in exported["articles"]}
    assert set(data["outlets"]) <= {outlets[a] for a in story["articles"]} and data["outlets"]
    for actor in data["actors"]:
        assert [c["story"] for c in actor["stories"]] == [story["id"]]


def test_stance_of_an_unknown_story_is_an_error_naming_it(analysed: Path) -> None:
    code, out, err = run("stance", "--story", "no-such-story", "--db", str(analysed))
    assert code == 2 and out == ""
    assert "no story 'no-such-story'" in " ".join(err.split())


def test_stance_on_an_empty_database_says_what_to_do(tmp_path: Path) -> None:
    code, out, err = run("stance", "--db", str(tmp_path / "empty.db"))
    assert code == 0 and out == ""
    assert "rashomon analyze" in err


def test_export_stance_csv(analysed: Path) -> None:
    code, out, _ = run("export", "--format", "csv", "--table", "stance", "--db", str(analysed))
    assert code == 0
    assert tuple(out.splitlines()[0].split(",")) == STANCE_CSV_COLUMNS
    rows = list(csv.DictReader(io.StringIO(out)))
    maduro = [r for r in rows if r["actor_id"] == "nicolas-maduro"]
    assert {r["key"] for r in maduro if r["scope"] == "outlet"} >= {"Pro-Kremlin outlet", "UK broadcaster"}
    assert sum(1 for r in maduro if r["scope"] == "article") == 5
    for r in maduro:
        assert int(r["mentions"]) == int(r["negative"]) + int(r["neutral"]) + int(r["positive"])
        assert len(r["evidence"].split()) == int(r["mentions"])


def test_export_stance_table_is_csv_only(analysed: Path) -> None:
    code, out, err = run("export", "--format", "json", "--table", "stance", "--db", str(analysed))
    assert code == 2 and out == ""
    assert "stance_matrix" in err


def test_corpus_stance_api(analysed: Path) -> None:
    with Corpus(analysed) as corpus:
        whole = corpus.stance()
        own = corpus.stance(voice="own", min_count=1)
        with pytest.raises(NotFoundError, match="no story"):
            corpus.stance("no-such-story")
    maduro = whole.actor("nicolas-maduro")
    assert maduro is not None and len(maduro.cells) == 5 and maduro.stories
    assert own.min_count == 1 and not any(c.few for a in own.actors for c in a.cells)


def test_evaluations_run_the_default_pipeline_without_the_stance_stage() -> None:
    from rashomon.cli import _evaluation_settings
    from rashomon.settings import DEFAULT_PIPELINE

    assert _evaluation_settings().pipeline == tuple(n for n in DEFAULT_PIPELINE if n != "stance")
    assert "stance" in DEFAULT_PIPELINE  # it costs time and no evaluation scores it
