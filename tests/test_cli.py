"""The command line end to end: every command has help, and the issue's acceptance scenario on examples/."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from clirun import analysed_examples, run
from rashomon.export import LABEL_CSV_COLUMNS, VOICE_CSV_COLUMNS, export_schema

COMMANDS = ["analyze", "export", "search", "actors", "stance", "stories", "report", "info"]
EVALUATE_COMMANDS = ["ner", "parser", "quotes", "actors", "stories", "sentiment"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example: rashomon " + command in " ".join(out.split())


@pytest.mark.parametrize("command", EVALUATE_COMMANDS)
def test_every_evaluate_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run("evaluate", command, "--help")
    assert code == 0
    assert f"Example: rashomon evaluate {command}" in " ".join(out.split())
    code, out, _ = run("evaluate", "--help")
    assert code == 0 and command in out


def test_top_level_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    return analysed_examples(tmp_path_factory.mktemp("cli"), examples_dir)


@pytest.fixture(scope="module")
def exported(analysed: Path) -> dict[str, object]:
    code, out, _ = run("export", "--format", "json", "--db", str(analysed))
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def test_export_follows_the_schema(exported: dict[str, object]) -> None:
    jsonschema.validate(exported, export_schema())


def test_export_has_each_article_with_metadata(exported: dict[str, object]) -> None:
    articles = exported["articles"]
    assert isinstance(articles, list)
    by_file = {Path(a["source_path"]).name: a for a in articles}
    assert sorted(by_file) == sorted(p.name for p in Path("examples/venezuela").glob("*.txt"))
    assert by_file["003_de6bcb39d1aac536.txt"]["outlet"] == "Pro-Kremlin outlet"
    assert by_file["003_de6bcb39d1aac536.txt"]["published"] == "2019-04-30"
    assert by_file["001_cd2fdecf35351671.txt"]["title"].startswith("Jeremy Corbyn condemns Venezuelan violence")
    assert all(a["language"] == "en" for a in articles)


@pytest.mark.parametrize(
    ("opening", "speaker"),
    [
        ("I’m very sad at the lives", "Jeremy Corbyn"),
        ("It is a tragedy that so many people", "Theresa May’s spokesman"),
        ("I do think one of the worries", "Frank Field"),
        ("the United Socialist Party of Venezuela of Mr Maduro", "Graham Jones"),  # a mixed quote
        ("The vitally important question", "Angela Smith"),
        ("Violence has not been done by both sides", "Juan Andres Mejia"),
        ("We have made clear that he received", "Matthew Miller"),
        ("The problems faced by Venezuela", "Foreign Ministry"),
        ("We hold the opposition accountable", "Vladimir Padrino Lopez"),
    ],
)
def test_export_attributes_quotes(exported: dict[str, object], opening: str, speaker: str) -> None:
    articles = exported["articles"]
    assert isinstance(articles, list)
    found = [(q, a) for a in articles for q in a["quotes"] if q["text"].startswith(opening)]
    assert found, opening
    for quote, article in found:
        assert quote["speaker"] == speaker
        assert article["text"][quote["start"] : quote["end"]].startswith(opening)
        assert quote["speaker_id"] in {e["id"] for e in article["entities"]}


def test_one_speaker_id_across_outlets(exported: dict[str, object]) -> None:
    articles = exported["articles"]
    assert isinstance(articles, list)
    corbyn_ids = {q["speaker_id"] for a in articles for q in a["quotes"] if q["speaker"] == "Jeremy Corbyn"}
    assert len(corbyn_ids) == 1
    outlets = {a["outlet"] for a in articles for q in a["quotes"] if q["speaker"] == "Jeremy Corbyn"}
    assert outlets == {"UK politics site", "UK broadcaster"}


def test_export_entities_carry_one_actor_id_in_every_article(exported: dict[str, object]) -> None:
    articles = exported["articles"]
    assert isinstance(articles, list)
    # "Nicolás Maduro", "Nicolas Maduro", "President Maduro", "Mr Maduro": one id in all five articles
    ids = [{e["id"] for e in a["entities"] if "Maduro" in e["name"]} for a in articles]
    assert ids == [{"nicolas-maduro"}] * 5
    for article in articles:
        for entity in article["entities"]:
            for label in entity["labels"]:
                # the evidence: the label's words, with any quote marks in them, and for an institution the
                # actor's name too ("brutal Pinochet dictatorship" for the label "brutal dictatorship")
                written = re.sub("[“”‘’\"']", " ", article["text"][label["start"] : label["end"]]).split()
                if label["kind"] == "institution":
                    assert [w for w in written if w in label["text"].split()] == label["text"].split()
                else:
                    assert " ".join(written) == label["text"]


def test_export_links_the_corbyn_versions(exported: dict[str, object]) -> None:
    articles = exported["articles"]
    assert isinstance(articles, list)
    by_id = {a["id"]: a for a in articles}
    condemn = [(a["outlet"], q) for a in articles for q in a["quotes"] if q["text"].startswith("What I condemn is the")]
    assert {outlet for outlet, _ in condemn} == {"UK politics site", "UK broadcaster"}
    for outlet, quote in condemn:
        others = {by_id[m["article_id"]]["outlet"] for m in quote["matches"]}
        assert others - {outlet} == {"UK politics site", "UK broadcaster"} - {outlet}


def test_export_voice_share_csv(analysed: Path) -> None:
    code, out, _ = run("export", "--format", "csv", "--table", "voices", "--db", str(analysed))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(out.splitlines()[0].split(",")) == VOICE_CSV_COLUMNS
    outlets = {r["key"] for r in rows if r["scope"] == "outlet"}
    assert "UK politics site" in outlets and len({r["key"] for r in rows if r["scope"] == "article"}) == 5
    corbyn = next(r for r in rows if r["scope"] == "outlet" and r["key"] == "UK broadcaster")
    assert corbyn["speaker"] == "Jeremy Corbyn" and int(corbyn["words"]) > 0  # the broadcaster's main voice


def test_export_voices_table_is_csv_only(analysed: Path) -> None:
    code, out, err = run("export", "--format", "json", "--table", "voices", "--db", str(analysed))
    assert code == 2 and out == ""
    assert "--format csv" in " ".join(err.split())


def test_export_labels_csv(analysed: Path) -> None:
    code, out, _ = run("export", "--format", "csv", "--table", "labels", "--db", str(analysed))
    assert code == 0
    assert tuple(out.splitlines()[0].split(",")) == LABEL_CSV_COLUMNS
    rows = list(csv.DictReader(io.StringIO(out)))
    legitimate = next(r for r in rows if r["label"] == "legitimate president")
    assert (legitimate["actor_id"], legitimate["outlet"]) == ("nicolas-maduro", "Pro-Kremlin outlet")
    assert legitimate["exclusive"] == "true" and legitimate["evidence"].count(":") == 1


def label_matrix_schema() -> dict[str, object]:
    schema = export_schema()
    return {"$defs": schema["$defs"], **schema["properties"]["label_matrix"]}


@pytest.fixture(scope="module")
def matrix(analysed: Path) -> dict[str, object]:
    code, out, _ = run("actors", "--json", "--db", str(analysed))
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def test_actors_json_is_the_exported_label_matrix(matrix: dict[str, object], exported: dict[str, object]) -> None:
    jsonschema.validate(matrix, label_matrix_schema())
    assert matrix == exported["label_matrix"]


def test_actors_one_row_per_actor_across_outlets(matrix: dict[str, object], exported: dict[str, object]) -> None:
    actors = matrix["actors"]
    assert isinstance(actors, list)
    assert len({a["id"] for a in actors}) == len(actors)
    maduro = next(a for a in actors if a["id"] == "nicolas-maduro")
    assert len(maduro["outlets"]) == 5  # every outlet names him, under one id
    articles = exported["articles"]
    assert isinstance(articles, list)
    texts = {a["id"]: a["text"] for a in articles}
    by_outlet = {cell["outlet"]: {label["label"]: label for label in cell["labels"]} for cell in maduro["outlets"]}
    legitimate = by_outlet["Pro-Kremlin outlet"]["legitimate president"]
    assert legitimate["exclusive"] and legitimate["others"] == 0
    (use,) = legitimate["evidence"]
    assert texts[use["article_id"]][use["start"] : use["end"]] == use["text"] == "legitimate President"
    assert "legitimate president" not in by_outlet["UK broadcaster"]


def test_actors_table(analysed: Path) -> None:
    code, out, err = run("actors", "--db", str(analysed), "--limit", "3")
    assert code == 0
    assert "Nicolás" in out and "Maduro" in out
    assert "3 of " in " ".join(err.split()) and "distinctive" in err


def test_actors_of_one_story(analysed: Path, exported: dict[str, object]) -> None:
    stories = exported["stories"]
    assert isinstance(stories, list)
    story = next(s for s in stories if len(s["articles"]) > 1)
    code, out, _ = run("actors", "--json", "--story", story["id"], "--db", str(analysed))
    assert code == 0
    articles = {a["id"]: a["outlet"] for a in exported["articles"]}  # type: ignore[union-attr]
    assert set(json.loads(out)["outlets"]) == {articles[a] for a in story["articles"]}


def test_actors_of_an_unknown_story_is_an_error_naming_it(analysed: Path) -> None:
    code, out, err = run("actors", "--story", "no-such-story", "--db", str(analysed))
    assert code == 2 and out == ""
    assert "no story 'no-such-story'" in " ".join(err.split())


MADURO_ALIASES = """
[[actor]]
name = "Nicolás Maduro Moros"
aliases = ["Nicolás Maduro", "Maduro"]
type = "PER"

[[distinct]]
names = ["Jeremy Corbyn", "Corbyn"]
"""


def test_actors_with_an_alias_file(analysed: Path, matrix: dict[str, object], tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text(MADURO_ALIASES, encoding="utf-8")
    code, out, _ = run("actors", "--json", "--aliases", str(aliases), "--db", str(analysed))
    assert code == 0
    before = {a["id"]: a for a in matrix["actors"]}  # type: ignore[union-attr]
    after = {a["id"]: a for a in json.loads(out)["actors"]}
    # forced: one actor under the file's name and id, in every outlet as before
    assert "nicolas-maduro" in before and "nicolas-maduro" not in after
    moros = after["nicolas-maduro-moros"]
    assert moros["name"] == "Nicolás Maduro Moros" and len(moros["outlets"]) == len(before["nicolas-maduro"]["outlets"])
    # kept apart: the lone "Corbyn" mentions are an actor of their own
    assert "corbyn" not in before and "corbyn" in after and "jeremy-corbyn" in after


def test_a_broken_alias_file_is_an_error_naming_it(analysed: Path, tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[[actor]]\nalias = ["Maduro"]\n', encoding="utf-8")
    code, out, err = run("actors", "--aliases", str(aliases), "--db", str(analysed))
    assert code == 2 and out == ""
    assert "aliases.toml: [[actor]] #1: unknown key 'alias'" in " ".join(err.split())


def test_second_analyze_adds_nothing(analysed: Path, examples_dir: Path) -> None:
    before = analysed.stat().st_size
    code, _, err = run("analyze", str(examples_dir), "--db", str(analysed))
    assert code == 0
    text = " ".join(err.split())
    assert "new articles stored │ 0" in text or "new articles stored 0" in text
    assert "already stored (same text) │ 5" in text or "already stored (same text) 5" in text
    _, out, _ = run("export", "--format", "jsonl", "--db", str(analysed))
    assert len(out.splitlines()) == 5
    assert analysed.stat().st_size >= before


def test_broken_inputs_are_reported_and_the_batch_goes_on(tmp_path: Path, examples_dir: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(examples_dir / "000_773654e305254d5b.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes("Le président a déclaré que la situation était grave.".encode("latin-1"))
    (folder / "bad.jsonl").write_text('{"text": "A fine article about the vote in Caracas."}\n{not json\n')
    db = tmp_path / "mixed.db"
    code, _, err = run("analyze", str(folder), "--db", str(db), "--quiet")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("binary.txt" in line for line in lines)
    assert any("bad.jsonl:2" in line for line in lines)
    assert not any("good.txt" in line or "latin1.txt" in line for line in lines)
    _, out, _ = run("export", "--format", "json", "--db", str(db))
    stored = {Path(a["source_path"]).name for a in json.loads(out)["articles"]}
    assert stored == {"good.txt", "latin1.txt", "bad.jsonl#1"}
    latin = next(a for a in json.loads(out)["articles"] if a["source_path"].endswith("latin1.txt"))
    assert "président" in latin["text"] and latin["charset"] != "utf-8"
    # Nothing already stored is lost or duplicated by a second, equally broken run.
    code, _, _ = run("analyze", str(folder), "--db", str(db), "--quiet")
    assert code == 1
    _, out, _ = run("export", "--format", "jsonl", "--db", str(db))
    assert len(out.splitlines()) == 3


def test_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    code, _, err = run("analyze", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.db"), "--quiet")
    assert code == 1
    assert "nope.txt" in err


def test_search_finds_articles_and_quotes(analysed: Path) -> None:
    code, out, _ = run("search", "terrorism", "--db", str(analysed), "--json")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert {h["kind"] for h in hits} == {"article", "quote"}
    assert any(h["speaker"] == "Vladimir Padrino Lopez" for h in hits if h["kind"] == "quote")


def test_search_with_odd_characters_does_not_crash(analysed: Path) -> None:
    code, _, _ = run("search", 'AND "( NEAR *', "--db", str(analysed))
    assert code in (0, 2)


def test_report_is_written_and_self_contained(analysed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    code, _, _ = run("report", "--db", str(analysed), "--out", str(out))
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "Vladimir Padrino Lopez" in html and "Juan Andres Mejia" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "<script src" not in html


def test_report_escapes_hostile_article(tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text(
        "Hostile headline <script>alert(1)</script>\n\n"
        'Mayor Jane Doe said: "<img src=x onerror=alert(1)> is not a tag." The end <script>alert(2)</script>.\n',
        encoding="utf-8",
    )
    db = tmp_path / "evil.db"
    assert run("analyze", str(tmp_path / "evil.txt"), "--db", str(db), "--quiet")[0] == 0
    out = tmp_path / "evil.html"
    assert run("report", "--db", str(db), "--out", str(out))[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_info_reports_counts(analysed: Path) -> None:
    code, out, _ = run("info", "--db", str(analysed))
    assert code == 0
    assert "articles" in out and "5" in out and "stage quotes" in out
