"""Actor scoring: the cluster metrics on hand-made clusterings, alignment, the ECB+ and NewsWCL50 readers on tiny
fixtures in each format, and `rashomon evaluate actors` end to end."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.api import analyze_text
from rashomon.cli import app
from rashomon.evaluate import mentions_of_actors
from rashomon.evaluate.actors import (
    ClusterScore,
    ClusterScores,
    GoldDocument,
    GoldMention,
    PredictedMention,
    align,
    detokenize,
    in_annotated_sentences,
    read_actor_gold,
    score_actors,
)
from rashomon.model import Article, ArticleMeta, Document, Entity, EntityType, Mention, SourceFormat, Span
from rashomon.names import entity_key
from rashomon.nlp.segment import paragraph_spans, sentence_spans

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate" / "actors"
NEWSWCL = FIXTURES / "newswcl50.conll"
ECBPLUS = FIXTURES / "ecbplus" / "entity_mentions.jsonl"
runner = CliRunner()

Metric = Callable[[Sequence[Collection[str]], Sequence[Collection[str]]], ClusterScore]


def triple(score: ClusterScore) -> tuple[float, float, float]:
    return score.precision, score.recall, score.f1


# ---------------------------------------------------------------------------------------------------- metrics

KEY = [{"a", "b", "c"}, {"d", "e"}, {"f"}]
RESPONSE = [{"a", "b"}, {"c", "d", "e"}]  # MUC F1 2/3, B-cubed 2/3, CEAF-e 0.64 (tests/evaluate/test_clusters.py)


def test_conll_f1_is_the_mean_of_the_three_f1() -> None:
    assert ClusterScores.of(KEY, RESPONSE).conll_f1 == pytest.approx((2 / 3 + 2 / 3 + 0.64) / 3)


# ---------------------------------------------------------------------------------------------------- alignment


def gold(start: int, end: int, head: tuple[int, int] | None = None, actor: str = "x") -> GoldMention:
    return GoldMention((start, end), head or (start, end), actor)


def pred(start: int, end: int, actor: str = "p") -> PredictedMention:
    return PredictedMention((start, end), actor)


@pytest.mark.parametrize(
    ("golds", "preds", "pairs"),
    [
        # "President Trump" (head "Trump") and the name "Trump": they pair.
        ([gold(0, 15, (10, 15))], [pred(10, 15)], [(0, 0)]),
        # "Doe's lawyer" (head "lawyer") and the name "Doe": the name is not the mention's head.
        ([gold(0, 12, (6, 12))], [pred(0, 3)], []),
        # Two names over one head: the closer span wins, the other stays unpaired.
        ([gold(0, 15, (10, 15))], [pred(10, 15), pred(4, 15)], [(0, 1)]),
        # "the North Korean leader" holds "North Korean": the name pairs with the mention it is (Dice 1), and the
        # head of the outer mention ("leader") is not in the name.
        ([gold(0, 23, (17, 23)), gold(4, 16, (10, 16))], [pred(4, 16)], [(1, 0)]),
        # One to one: two gold mentions of one head, one prediction.
        ([gold(0, 5), gold(0, 5, actor="y")], [pred(0, 5)], [(0, 0)]),
        ([], [pred(0, 5)], []),
        ([gold(0, 5)], [], []),
    ],
)
def test_align(golds: list[GoldMention], preds: list[PredictedMention], pairs: list[tuple[int, int]]) -> None:
    assert align(golds, preds) == pairs


def test_only_predictions_in_annotated_sentences_are_judged() -> None:
    text = "Jane Doe left. Doe is fine. Doe will rest."
    document = GoldDocument("d", "1", text, (), annotated=((17, 19),))  # something in the second sentence
    sentences = [(0, 14), (15, 27), (28, 42)]
    preds = [pred(0, 8), pred(15, 18), pred(28, 31)]
    assert in_annotated_sentences(document, preds, sentences) == (preds[1],)
    everything = GoldDocument("d", "1", text, ())
    assert in_annotated_sentences(everything, preds, sentences) == tuple(preds)


# ---------------------------------------------------------------------------------------------------- scores


def test_score_actors_on_hand_made_documents() -> None:
    # Gold: actor A at 0-5 and 10-15 of document 1 and 0-5 of document 2; actor B at 20-25 of 1 and 10-15 of 2.
    one = GoldDocument("1", "t", "x" * 40, (gold(0, 5, actor="A"), gold(10, 15, actor="A"), gold(20, 25, actor="B")))
    two = GoldDocument("2", "t", "x" * 20, (gold(0, 5, actor="A"), gold(10, 15, actor="B")))
    # Predicted: actor p over A's three mentions and B's first (a wrong merge), a mention the gold lacks (30-35),
    # and nothing at B's second mention.
    scores = score_actors(
        [(one, [pred(0, 5), pred(10, 15), pred(20, 25), pred(30, 35, "q")]), (two, [pred(0, 5)])]
    ).as_json()
    # Key A = {1:0, 1:1, 2:0}, B = {1:2, 2:1}; response p = {1:0, 1:1, 1:2, 2:0} (2:1 missing).
    # MUC recall: A in one piece, 2 of 2 links; B in 2 pieces (p and missing), 0 of 1: 2/3. Precision: p spans 2 key
    #   pieces, 4 - 2 = 2 of 3 links: 2/3.
    # B-cubed recall: (A: 3·3/3 + B: 1/2) / 5 = 0.7; precision: (3² + 1²)/4 / 4 = 0.625.
    # CEAF-e: A~p = 2·3/7, the best: precision 6/7 over 1 response entity, recall 6/7 over 2 key entities.
    assert scores["muc"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert scores["b_cubed"] == {"precision": 0.625, "recall": 0.7, "f1": 0.6604}
    assert scores["ceaf_e"] == {"precision": 0.8571, "recall": 0.4286, "f1": 0.5714}
    assert scores["conll_f1"] == pytest.approx((2 / 3 + 0.6604 + 0.5714) / 3, abs=1e-4)
    # No grouping: MUC 0; B-cubed precision 1, recall (3·1/3 + 1/2) / 5 = 0.3; CEAF-e 3 · 1/2... the best alignment
    # is A~one of its singletons (2/4) and B~its singleton (2/3): 7/6, precision 7/6 / 4, recall 7/6 / 2.
    # Per document: p in document 1 = {1:0, 1:1, 1:2}, p in document 2 = {2:0}. MUC recall 1/3, precision 1/2;
    # B-cubed recall (5/3 + 1/2) / 5, precision (5/3 + 1) / 4; CEAF-e A~{2:0} 2/4 + B~{1:0,1:1,1:2} 2/5 = 0.9, over 2
    # and 2.
    no_grouping = (0 + 2 * 0.3 / 1.3 + 2 * (7 / 24) * (7 / 12) / (7 / 24 + 7 / 12)) / 3
    b3 = (13 / 30, 2 / 3)
    per_document = (0.4 + 2 * b3[0] * b3[1] / (b3[0] + b3[1]) + 0.45) / 3
    assert scores["baselines"] == {
        "no_grouping_conll_f1": round(no_grouping, 4),
        "per_document_conll_f1": round(per_document, 4),
    }
    assert scores["mentions"] == {
        "gold": 5,
        "predicted": 5,
        "aligned": 4,
        "precision": 0.8,
        "recall": 0.8,
        "f1": 0.8,
        "gold_unplaced": 0,
    }
    assert (scores["gold_actors"], scores["predicted_actors"], scores["documents"]) == (2, 1, 2)


def test_score_actors_of_nothing() -> None:
    scores = score_actors([]).as_json()
    assert scores["conll_f1"] == 0.0 and scores["documents"] == 0
    assert scores["mentions"] == {
        "gold": 0,
        "predicted": 0,
        "aligned": 0,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold_unplaced": 0,
    }


# ---------------------------------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("sentences", "text"),
    [
        ([["Mr.", "Trump", "'s", "aide", "(", "Kim", "Jong", "-", "un", ")", "."]], "Mr. Trump's aide (Kim Jong-un)."),
        ([['"', "We", "are", "ready", ",", '"', "he", "said", "."]], '"We are ready," he said.'),
        ([["``", "Yes", "''", "she", "said", "."]], '"Yes" she said.'),
        # Sentences share a line until a line-break token ends the paragraph; whitespace tokens vanish.
        ([["One", ".", "\\n"], ["Two", " ", "."], ["Three", "."]], "One.\nTwo. Three."),
        ([["A", "-", "1", "and", "a", "-", "b"], ["-", "c"]], "A-1 and a-b - c"),
    ],
)
def test_detokenize(sentences: list[list[str]], text: str) -> None:
    rebuilt, spans = detokenize(sentences)
    assert rebuilt == text
    for sentence, row in zip(sentences, spans, strict=True):
        words = [t.replace("\\n", "").strip() for t in sentence]
        assert [rebuilt[a:b] for a, b in row] == [{"``": '"', "''": '"'}.get(w, w) for w in words]


def mentions_of(document: GoldDocument) -> list[tuple[str, str, str]]:
    """(words, head word, actor) of each gold mention."""
    text = document.text
    return [(text[slice(*m.span)], text[slice(*m.head)], m.actor) for m in document.mentions]


def test_newswcl50_reader() -> None:
    first, second = read_actor_gold(NEWSWCL)
    assert (first.id, first.topic, second.id, second.topic) == ("0/-/0_L", "0", "2/-/2_R", "2")
    assert first.text == (
        "President Trump met Kim Jong-un in Singapore.\n"
        "The White House said the two leaders talked. An aide, John Smith, said Mr. Trump's plan works."
    )
    # The event prefix is dropped (Trump of event 0 and of event 2 is one actor), PRK_Jong_Un is PRK_Kim's alias,
    # "the two leaders" (Trump and Kim at once), the ACTOR-I aide and the events are left out.
    assert mentions_of(first) == [
        ("President Trump", "Trump", "USA_Trump_ACTOR"),
        ("Kim Jong-un", "un", "PRK_Kim_ACTOR"),
        ("Singapore", "Singapore", "SGP_COUNTRY"),
        ("The White House", "House", "USA_COUNTRY"),
        ("Mr. Trump", "Trump", "USA_Trump_ACTOR"),
    ]
    assert mentions_of(second) == [
        ("Trump", "Trump", "USA_Trump_ACTOR"),
        ("Kim", "Kim", "PRK_Kim_ACTOR"),
        ("North Korean", "Korean", "PRK_COUNTRY"),
        ("the North Korean leader", "leader", "PRK_Kim_ACTOR"),
        ("We", "We", "USA_COUNTRY"),
        ("the United States", "States", "USA_COUNTRY"),
    ]
    assert first.annotated is None and first.unplaced == 0  # annotated throughout


def test_ecbplus_reader() -> None:
    documents = {d.id: d for d in read_actor_gold(ECBPLUS)}
    assert list(documents) == ["1_1ecb", "1_2ecbplus", "1_3ecb", "2_1ecb"]
    first = documents["1_1ecb"]
    assert first.text.startswith("Actress Jane Doe checks into rehab.\nShe arrived at Promises on Monday.")
    # The file's head ("lawyer", not "Doe's"); "she" is the second of the sentence (token 7), found by its position.
    assert mentions_of(first) == [
        ("Jane Doe", "Doe", "HUM1"),
        ("rehab", "rehab", "LOC1"),
        ("Doe's lawyer", "lawyer", "HUM2"),
        ("she", "she", "HUM1"),
    ]
    assert first.mentions[3].span[0] == first.text.index("she will rest")
    # Every placed mention marks its sentence as annotated, the action "said" too.
    assert first.annotated is not None and (84, 88) in first.annotated and first.text[84:88] == "said"
    # The mention in the URL line is not in the text (title and body): counted, not placed.
    plus = documents["1_2ecbplus"]
    assert (plus.unplaced, [m[0] for m in mentions_of(plus)]) == (
        1,
        ["Jane Doe", "The actress", "Promises Treatment Center"],
    )
    # No body text: rebuilt from the CoNLL tokens, one line per sentence.
    rebuilt = documents["1_3ecb"]
    assert rebuilt.text == "Jane Doe's rehab stay ends\nThe actress left Promises on Friday, her lawyer said."
    assert mentions_of(rebuilt)[-1] == ("her lawyer", "lawyer", "HUM2")
    assert (documents["2_1ecb"].topic, documents["2_1ecb"].mentions) == ("2", ())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.conll", "", "is empty"),
        ("notes.txt", "Some notes.\n", "neither ECB+ entity mentions"),
        ("other.jsonl", '{"id": 1, "text": "a"}\n', "neither ECB+ entity mentions"),
        ("bad.conll", "#begin document d; part 000\nd\t0\t0\n", "expected 'document<TAB>sentence"),
        ("open.conll", "#begin document d; part 000\nd\t0\t0\tHi\t(X_ACTOR\n#end document\n", "a mention left open"),
        ("over.conll", "#begin document d; part 000\nd\t0\t0\tHi\t(X_ACTOR\n\nd\t1\t0\tYo\tX_ACTOR)\n", "runs over"),
        ("latin1.conll", "#begin document d; part 000\nd\t0\t0\tJos\xe9\t-\n", "not UTF-8 text"),
        ("unended.conll", "#begin document d; part 000\nd\t0\t0\tHi\t-\n", "no '#end document' line"),
    ],
)
def test_a_file_of_another_format_is_an_error_naming_it(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="latin-1" if name.startswith("latin1") else "utf-8")
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_actor_gold(path)
    assert str(error.value).startswith(str(path))


def test_ecbplus_mentions_need_their_documents(tmp_path: Path) -> None:
    alone = tmp_path / "entity_mentions.jsonl"
    shutil.copy(ECBPLUS, alone)
    with pytest.raises(ValueError, match=r"docs\.jsonl is missing"):
        read_actor_gold(alone)
    (tmp_path / "docs.jsonl").write_text('{"doc_id": "9_9ecb", "title": "T.", "text": "B."}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"mentions of 1_1ecb, which .* does not have"):
        read_actor_gold(alone)


# ---------------------------------------------------------------------------------------------------- end to end


def oracle(documents: list[GoldDocument]) -> Callable[[str], Document]:
    """An analysis that finds exactly the gold mentions, one entity per gold actor (its id shared across texts)."""
    by_text = {d.text: d for d in documents}

    def analyze(text: str, **_: object) -> Document:  # the CLI passes its settings, which an oracle ignores
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in by_text[text].mentions:
            groups[m.actor].append(Mention(Span(*m.span), text[slice(*m.span)]))
        # One word per name, so the corpus step cannot take one actor's name for a short form of another's.
        names = {actor: "".join(c for c in actor if c.isalnum()) for actor in groups}
        entities = tuple(
            Entity(entity_key(names[a]), names[a], EntityType.PERSON, tuple(ms)) for a, ms in groups.items()
        )
        paragraphs = paragraph_spans(text)
        article = Article.create(text, ArticleMeta("<text>"), SourceFormat.TEXT)
        return Document(article, paragraphs=paragraphs, sentences=sentence_spans(text, paragraphs), entities=entities)

    return analyze


def evaluate(path: Path) -> dict[str, object]:
    result = runner.invoke(app, ["evaluate", "actors", str(path)])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


KEYS = {
    "muc",
    "b_cubed",
    "ceaf_e",
    "conll_f1",
    "baselines",
    "mentions",
    "gold_actors",
    "predicted_actors",
    "documents",
    "note",
}
FULL = {"precision": 1.0, "recall": 1.0, "f1": 1.0}


@pytest.mark.parametrize(
    ("path", "counts", "baselines"),
    [
        # NewsWCL50: gold actors of 3 (Trump), 3 (Kim), 1 (Singapore), 3 (USA) and 1 (PRK) mentions.
        # No grouping: MUC 0; B-cubed precision 1, recall 5/11; CEAF-e 3·2/4 + 2·1 = 3.5 over 11 and 5 entities.
        # Per document, Trump, Kim and USA each in two pieces (2 + 1 mentions): MUC recall 3/6, precision 3/3;
        # B-cubed recall (3 · 5/3 + 2) / 11, precision 1; CEAF-e 3·4/5 + 2 = 4.4 over 8 and 5 entities.
        (NEWSWCL, (11, 0, 5, 2), (0.3542, 0.7071)),
        # ECB+: Jane Doe (HUM1: 6 placed), the lawyer (HUM2: 2), the clinic (LOC1: 3); one mention unplaced.
        (ECBPLUS, (11, 1, 3, 4), None),
    ],
)
def test_evaluate_actors_with_an_oracle_analysis(
    monkeypatch: pytest.MonkeyPatch, path: Path, counts: tuple[int, ...], baselines: tuple[float, float] | None
) -> None:
    monkeypatch.setattr("rashomon.api.analyze_text", oracle(read_actor_gold(path)))
    scores = evaluate(path)
    assert (scores["muc"], scores["b_cubed"], scores["ceaf_e"], scores["conll_f1"]) == (FULL, FULL, FULL, 1.0)
    mentions = scores["mentions"]
    assert isinstance(mentions, dict)
    gold, unplaced, actors, documents = counts
    assert (mentions["gold"], mentions["predicted"], mentions["aligned"], mentions["gold_unplaced"]) == (
        gold,
        gold,
        gold,
        unplaced,
    )
    assert (scores["gold_actors"], scores["predicted_actors"], scores["documents"]) == (actors, actors, documents)
    if baselines is not None:
        assert scores["baselines"] == {
            "no_grouping_conll_f1": baselines[0],
            "per_document_conll_f1": baselines[1],
        }


@pytest.mark.parametrize("path", [NEWSWCL, ECBPLUS])
def test_evaluate_actors_with_the_default_pipeline(path: Path) -> None:
    scores = evaluate(path)
    assert set(scores) == KEYS
    documents = read_actor_gold(path)
    found = sum(
        len(in_annotated_sentences(d, mentions_of_actors(doc), [(s.start, s.end) for s in doc.sentences]))
        for d, doc in ((d, analyze_text(d.text)) for d in documents)
    )
    mentions = scores["mentions"]
    assert isinstance(mentions, dict)
    assert (mentions["gold"], mentions["predicted"], scores["documents"]) == (11, found, len(documents))
    assert 0 < mentions["aligned"] <= min(mentions["gold"], found)
    conll_f1 = scores["conll_f1"]
    assert isinstance(conll_f1, float) and 0.0 <= conll_f1 <= 1.0


def test_evaluate_actors_errors(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Some notes.\n", encoding="utf-8")
    for path, message in [(notes, f"{notes}: is neither"), (tmp_path / "missing.conll", "no such file")]:
        result = runner.invoke(app, ["evaluate", "actors", str(path)])
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ") and message in " ".join(result.stderr.split())
        assert result.stdout == ""


def test_an_analysis_must_keep_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(text: str, **_: object) -> Document:
        return Document(Article.create(text + " More.", ArticleMeta("<text>"), SourceFormat.TEXT))

    monkeypatch.setattr("rashomon.api.analyze_text", changed)
    result = runner.invoke(app, ["evaluate", "actors", str(NEWSWCL)])
    assert result.exit_code == 2 and "changed the text" in result.stderr
