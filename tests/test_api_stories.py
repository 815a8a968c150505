"""Stories through the Python API: embeddings cached once, the vector index beside the database, incremental
placement of new articles, copies marked, timelines."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import rashomon
import rashomon.api
from rashomon.corpus.vectors import index_path
from rashomon.errors import NotFoundError
from rashomon.nlp import encoder as encoder_module
from rashomon.settings import Settings

RULES = Settings(pipeline=("paragraphs", "sentences", "entities", "quotes"))  # no models: fast

WIRE = (
    "CARACAS (Reuters) - Venezuelan opposition leader Juan Guaido declared himself interim president on Wednesday "
    "before tens of thousands of supporters, and U.S. President Donald Trump quickly recognized him, prompting "
    "President Nicolas Maduro to cut diplomatic relations with Washington. Guaido, the head of the "
    "opposition-controlled National Assembly, swore an oath to take over executive powers, saying Maduro had "
    "usurped the presidency after a disputed election. Maduro, speaking from the Miraflores palace, gave American "
    "diplomats 72 hours to leave the country. Canada, Brazil and Colombia followed Washington in recognizing "
    "Guaido, while Russia and Cuba voiced support for Maduro. At least 13 people were killed in two days of "
    "protests, a rights group said."
)
QUAKE = (
    "A magnitude 6.1 earthquake struck Qeshm island off southern Iran on Sunday, killing at least ten people and "
    "levelling mud-brick villages, Iranian officials said. Rescuers searched the rubble in the village of Tourian "
    "as aftershocks shook the island. The U.S. Geological Survey put the quake's depth at ten kilometres."
)


def write(folder: Path, name: str, text: str, published: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    sidecar = folder / "metadata.csv"
    rows = sidecar.read_text(encoding="utf-8") if sidecar.exists() else "file,outlet,published,url,title,author\n"
    sidecar.write_text(rows + f"{name},{name.split('.')[0]},{published},,,\n", encoding="utf-8")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    write(folder, "reuters.txt", WIRE, "2019-01-23")
    write(folder, "planet.txt", WIRE.replace("(Reuters)", "(Daily Planet)") + " More to follow.", "2019-01-24")
    write(folder, "quakes.txt", QUAKE, "2005-11-27")
    return folder


def test_stories_events_copies_and_timelines(tmp_path: Path, corpus_dir: Path) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([corpus_dir])
        events, stories, copies = corpus.events(), corpus.stories(), corpus.duplicates()
        outlets = {d.id: d.article.meta.outlet for d in corpus.documents()}
        assert len(events) == 2 and len(stories) == 2
        guaido = next(e for e in events if len(e.article_ids) == 2)
        assert {outlets[a] for a in guaido.article_ids} == {"reuters", "planet"}
        assert guaido.first_date == dt.date(2019, 1, 23)  # "on Wednesday", and the earliest article's date
        (group,) = copies
        assert outlets[group.original] == "reuters" and [outlets[a] for a, _ in group.copies] == ["planet"]
        (timeline,) = corpus.timelines(guaido.story_id)
        (entry,) = timeline.events
        assert entry.outlets == ("reuters", "planet") and entry.texts == 1
        assert [a.copy_of for a in entry.articles] == [None, group.original]
        with pytest.raises(NotFoundError, match="no story 'nope'"):
            corpus.timelines("nope")
        assert len(corpus.timelines()) == 2
    assert index_path(db) is not None and index_path(db).is_file()  # type: ignore[union-attr]


def test_new_articles_are_placed_without_reclustering(tmp_path: Path, corpus_dir: Path) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([corpus_dir])
        before = {e.id: set(e.article_ids) for e in corpus.events()}
        stories_before = {s.id for s in corpus.stories()}
        later = tmp_path / "later"
        write(later, "ap.txt", QUAKE.replace("Sunday", "Sunday night") + " Schools were closed.", "2005-11-28")
        write(later, "other.txt", "The cheesemaker ages camembert in cellars in Normandy for weeks.", "2019-02-01")
        corpus.add([later])
        after = {e.id: set(e.article_ids) for e in corpus.events()}
        stories_after = {s.id for s in corpus.stories()}
    assert set(before) <= set(after)  # every event kept its id
    quake_event = next(e for e, members in before.items() if len(members) == 1)
    assert len(after[quake_event]) == 2  # the new quake report joined the quake's event
    assert len(after) == len(before) + 1  # the cheese founded one
    assert stories_before <= stories_after and len(stories_after) == len(stories_before) + 1


def test_embeddings_are_computed_once(tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([corpus_dir])
        stored = corpus.store.vectors(encoder_module.ENCODER_VERSION)
        assert set(stored) == {d.id for d in corpus.documents()}
    calls: list[int] = []
    real = encoder_module.embed_articles

    def counting(items):  # type: ignore[no-untyped-def]
        items = list(items)
        calls.append(len(items))
        return real(items)

    monkeypatch.setattr(rashomon.api, "embed_articles", counting)
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.refresh(rebuild=True)  # everything reclustered, nothing re-embedded
        assert calls == []
        index_path(db).unlink()  # type: ignore[union-attr]
        corpus.refresh()  # a lost index is rebuilt from the stored vectors
        assert calls == [] and index_path(db).is_file()  # type: ignore[union-attr]
        write(tmp_path / "more", "cheese.txt", "The cheesemaker ages camembert in cellars in Normandy.", "2019-02-01")
        corpus.add([tmp_path / "more"])
        assert calls == [1]  # the new article only


def test_a_changed_setting_reclusters_everything(tmp_path: Path, corpus_dir: Path) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([corpus_dir])
        assert len(corpus.events()) == 2
    with rashomon.Corpus(db, RULES.with_overrides(event_threshold=-100.0)) as corpus:
        assert len(corpus.events()) == 1  # anything is similar enough now
        assert "event=-100.0" in (corpus.store.refreshed_steps(corpus.pipeline.version) or "")


def test_export_and_report_carry_events(tmp_path: Path, corpus_dir: Path) -> None:
    import io
    import json

    with rashomon.Corpus(tmp_path / "c.db", RULES) as corpus:
        corpus.add([corpus_dir])
        out = io.StringIO()
        corpus.export("json", out)
        data = json.loads(out.getvalue())
        assert len(data["events"]) == 2 and len(data["duplicates"]) == 1
        page = corpus.report(tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'class="timeline"' in page and 'class="side copy"' in page
    assert page.count('class="event"') == 2


def test_copy_of_the_database_keeps_its_stories(tmp_path: Path, corpus_dir: Path) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([corpus_dir])
        events = corpus.events()
    moved = tmp_path / "moved.db"
    shutil.copy(db, moved)  # without its vector index: rebuilt when needed
    with rashomon.Corpus(moved, RULES) as corpus:
        assert corpus.events() == events
