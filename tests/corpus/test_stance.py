"""Stance aggregation: counts, the shrunk score and its interval, per article, outlet and story; the examples."""

from __future__ import annotations

import math

import pytest

from builders import NEG, NEU, POS, stance_document
from rashomon.corpus.actors import apply_links, link_actors
from rashomon.corpus.stance import (
    MIN_COUNT,
    StanceCounts,
    StanceVoice,
    article_stances,
    mention_stances,
    stance_matrix,
)
from rashomon.ingest import read_sources
from rashomon.model import (
    Article,
    Document,
    EntityType,
    StanceLabel,
    Story,
)
from rashomon.nlp import Pipeline
from rashomon.settings import Settings

# --- the score and its interval -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "score", "interval"),
    [
        (StanceCounts(), 0.0, (-0.8, 0.8)),  # no evidence: 0, and anything is possible
        (StanceCounts(0, 0, 1), 0.25, (-0.477, 0.977)),  # one positive mention is not a confident +1
        (StanceCounts(1, 0, 0), -0.25, (-0.977, 0.477)),
        (StanceCounts(0, 5, 0), 0.0, (-0.327, 0.327)),
        (StanceCounts(20, 0, 0), -0.87, (-1.0, -0.69)),
        (StanceCounts(0, 20, 0), 0.0, (-0.118, 0.118)),
        (StanceCounts(10, 0, 10), 0.0, (-0.391, 0.391)),  # split, not neutral: wider than twenty neutral mentions
        (StanceCounts(3, 1, 6), 0.231, (-0.236, 0.697)),
    ],
)
def test_score_is_shrunk_and_its_interval_narrows_with_evidence(
    counts: StanceCounts, score: float, interval: tuple[float, float]
) -> None:
    assert counts.score == pytest.approx(score, abs=1e-3)
    assert counts.interval == pytest.approx(interval, abs=1e-3)
    assert counts.score == round((counts.positive - counts.negative) / (counts.n + 3), 3)


def test_more_agreeing_mentions_move_the_score_out_and_narrow_the_interval() -> None:
    widths, scores = [], []
    for n in (1, 2, 5, 20, 100):
        c = StanceCounts(n, 0, 0)
        low, high = c.interval
        widths.append(high - low)
        scores.append(c.score)
    assert widths == sorted(widths, reverse=True) and scores == sorted(scores, reverse=True)
    assert scores[-1] < -0.95 and not math.isclose(scores[0], -1.0)


@pytest.mark.parametrize(
    ("counts", "leaning"),
    [
        (StanceCounts(0, 0, 1), StanceLabel.NEUTRAL),  # too few to tell
        (StanceCounts(2, 0, 0), StanceLabel.NEUTRAL),
        (StanceCounts(8, 0, 0), StanceLabel.NEGATIVE),
        (StanceCounts(0, 2, 9), StanceLabel.POSITIVE),
        (StanceCounts(6, 0, 6), StanceLabel.NEUTRAL),
    ],
)
def test_leaning_only_when_the_interval_excludes_zero(counts: StanceCounts, leaning: StanceLabel) -> None:
    assert counts.leaning is leaning


def test_counts_add_and_refuse_negatives() -> None:
    assert StanceCounts(1, 2, 3) + StanceCounts(3, 2, 1) == StanceCounts(4, 4, 4)
    assert StanceCounts.of([StanceLabel.NEGATIVE, StanceLabel.POSITIVE, StanceLabel.NEGATIVE]) == StanceCounts(2, 0, 1)
    with pytest.raises(ValueError, match="cannot be negative"):
        StanceCounts(-1, 0, 0)


# --- hand-built documents -----------------------------------------------------------------------------------------


A = stance_document(
    "Alpha",
    [
        ("Maduro crushed the protests.", [("Maduro", NEG)]),
        ("Guaidó rallied crowds against Maduro.", [("Guaidó", POS), ("Maduro", NEG)]),
        ("«Maduro is our president», a supporter said.", [("Maduro", POS)]),
    ],
)
B = stance_document("Beta", [("Maduro spoke in Caracas.", [("Maduro", NEU), ("Caracas", NEU)])])
C = stance_document("Alpha", [("Maduro wins again.", [("Maduro", NEG)])])


def test_article_stances_count_each_actors_mentions_with_evidence() -> None:
    by_actor = article_stances(A)
    maduro = by_actor["maduro"]
    assert maduro.counts == StanceCounts(2, 0, 1) and maduro.quoted == 1 and maduro.outlet == "Alpha"
    assert [m.mention_text for m in maduro.evidence] == ["Maduro"] * 3
    assert [m.sentence_text for m in maduro.evidence] == [
        "Maduro crushed the protests.",
        "Guaidó rallied crowds against Maduro.",
        "«Maduro is our president», a supporter said.",
    ]
    assert maduro.evidence[2].speaker == "Someone" and maduro.evidence[0].speaker is None


@pytest.mark.parametrize(
    ("voice", "counts"),
    [
        (StanceVoice.ALL, StanceCounts(2, 0, 1)),
        (StanceVoice.OWN, StanceCounts(2, 0, 0)),  # the outlet's own words only
        (StanceVoice.QUOTED, StanceCounts(0, 0, 1)),  # the voices it quotes
        ("own", StanceCounts(2, 0, 0)),
    ],
)
def test_voice_chooses_the_mentions(voice: StanceVoice | str, counts: StanceCounts) -> None:
    matrix = stance_matrix([A], voice=voice)
    maduro = matrix.actor("maduro")
    assert maduro is not None and maduro.counts == counts and matrix.voice is StanceVoice(voice)


def test_matrix_cells_per_outlet_and_story_with_few_marked() -> None:
    story = Story("s-1", "Maduro", (A.id, B.id))
    matrix = stance_matrix([A, B, C], [story], min_count=3)
    assert matrix.outlets == ("Alpha", "Beta")
    maduro = matrix.actor("maduro")
    assert maduro is not None and matrix.actors[0].id == "maduro"  # named by the most outlets first
    alpha, beta = maduro.cell("Alpha"), maduro.cell("Beta")
    assert alpha is not None and beta is not None
    assert alpha.counts == StanceCounts(3, 0, 1) and not alpha.few and len(alpha.articles) == 2
    assert beta.counts == StanceCounts(0, 1, 0) and beta.few  # one mention: thin evidence
    assert [m.article_id for m in alpha.evidence] == sorted(m.article_id for m in alpha.evidence)
    (in_story,) = maduro.stories
    assert in_story.key == "s-1" and in_story.label == "Maduro" and in_story.counts == StanceCounts(2, 1, 1)
    assert maduro.counts == StanceCounts(3, 1, 1) and maduro.story("nope") is None
    guaido = matrix.actor("guaidó")
    assert guaido is not None and guaido.cell("Beta") is None


def test_matrix_is_deterministic_whatever_the_order() -> None:
    story = Story("s-1", "Maduro", (A.id, B.id))
    assert stance_matrix([A, B, C], [story]) == stance_matrix([C, B, A, B], [story])


def test_types_filter_and_min_count_check() -> None:
    places = stance_matrix([A, B], types=frozenset({EntityType.LOCATION}))
    assert [a.id for a in places.actors] == ["caracas"]
    with pytest.raises(ValueError, match="min_count"):
        stance_matrix([A], min_count=0)
    assert MIN_COUNT >= 2


def test_stances_no_entity_holds_are_left_out() -> None:
    orphan = Document(A.article, entities=(), stances=A.stances)
    assert mention_stances(orphan) == [] and stance_matrix([orphan]).actors == ()


def test_documents_without_stances_give_an_empty_matrix() -> None:
    bare = Document(A.article, entities=A.entities)
    matrix = stance_matrix([bare])
    assert matrix.actors == () and matrix.outlets == ()


# --- the example corpus, through the real stage ------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_matrix(examples_dir: object) -> object:
    pipeline = Pipeline(["paragraphs", "sentences", "entities", "quotes", "stance"])
    articles = [a for a in read_sources([examples_dir], Settings()) if isinstance(a, Article)]  # type: ignore[list-item]
    docs = [pipeline(Document(a)) for a in articles]
    links = link_actors(docs)
    return stance_matrix([apply_links(d, links) for d in docs])


@pytest.mark.parametrize(("actor", "words"), [("nicolas-maduro", "Maduro"), ("juan-guaido", "Guaidó")])
def test_examples_pro_kremlin_outlet_casts_maduro_and_guaido_with_evidence(
    examples_matrix: object, actor: str, words: str
) -> None:
    row = examples_matrix.actor(actor)  # type: ignore[attr-defined]
    assert row is not None
    cell = row.cell("Pro-Kremlin outlet")
    assert cell is not None and cell.counts.n == len(cell.evidence)
    for mention in cell.evidence:  # names, pronouns and descriptions, each in the sentence the model read
        assert mention.mention_text in mention.sentence_text and mention.label in StanceLabel
    named = [m for m in cell.evidence if words in m.mention_text]
    assert len(named) >= 2 and all(words in m.sentence_text for m in named)
    assert -1 < cell.counts.score < 1 and cell.counts.interval[0] <= cell.counts.score <= cell.counts.interval[1]


def test_examples_every_outlet_mentions_maduro(examples_matrix: object) -> None:
    maduro = examples_matrix.actor("nicolas-maduro")  # type: ignore[attr-defined]
    assert maduro is not None and len(maduro.cells) == 5 == len(examples_matrix.outlets)  # type: ignore[attr-defined]
    assert sum(c.counts.n for c in maduro.cells) == maduro.counts.n
