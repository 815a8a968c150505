"""Attribution scoring on a hand-made PolNeAR-style directory: reading brat standoff, matching, averaging."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rashomon.evaluate import spans_of_quotes
from rashomon.evaluate.attributions import (
    AttributionSpans,
    CharSpan,
    GoldArticle,
    annotator_agreement,
    kind_of,
    read_brat,
    read_polnear,
    score_attributions,
)
from rashomon.model import Article, ArticleMeta, Attribution, Document, Quote, QuoteKind, SourceFormat, Span

POLNEAR = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate" / "polnear"


@pytest.fixture(scope="module")
def articles() -> dict[str, GoldArticle]:
    return {article.name: article for article in read_polnear(POLNEAR)}


def at(text: str, phrase: str, nth: int = 0) -> CharSpan:
    """The character span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def attribution(text: str, content: list[str], source: str | None = None, cue: str | None = None) -> AttributionSpans:
    return AttributionSpans(
        source=(at(text, source),) if source else (),
        cue=(at(text, cue),) if cue else (),
        content=tuple(at(text, c) for c in content),
    )


def at_path(scores: dict[str, object], *path: str) -> object:
    node: object = scores
    for key in path:
        assert isinstance(node, dict)
        node = node[key]
    return node


def prf(scores: dict[str, object], *path: str) -> tuple[float, float, float]:
    node = at_path(scores, *path)
    assert isinstance(node, dict)
    return node["precision"], node["recall"], node["f1"]


# ---------------------------------------------------------------------------------------------------- reading


def test_reads_the_fixture(articles: dict[str, GoldArticle]) -> None:
    assert sorted(articles) == ["alpha", "beta"]
    alpha, beta = articles["alpha"], articles["beta"]
    assert alpha.annotators == ("aaaa", "bbbb") and beta.annotators == ("cccc",)
    assert [len(v) for v in alpha.versions] == [2, 1]  # the Discard line gives no attribution
    smith = alpha.versions[0][0]
    assert smith.content == (at(alpha.text, "“We will not back down,”"),)
    assert smith.source == (at(alpha.text, "Smith"),) and smith.cue == (at(alpha.text, "said"),)
    senator, officials, believed = beta.versions[0]
    assert senator.content == (at(beta.text, "“The plan is dead,”"), at(beta.text, "“and everyone knows it.”"))
    assert believed.source == () and believed.cue == (at(beta.text, "is widely believed"),)
    assert officials.source == (at(beta.text, "Officials"),)


TEXT = "Mr Smith said that taxes will rise.\nShe told him so."


def test_brat_roles_by_prefix_and_multiline_spans() -> None:
    ann = (
        "T1\tSource 0 8\tMr Smith\n"
        "T2\tCue 9 13\tsaid\n"
        "T3\tContent 14 24\tthat taxes\n"
        "T4\tContent 25 35;36 39\twill rise.\nShe\n"  # a discontinuous span whose text runs over two lines
        "#1\tAnnotatorNotes T1\ta note\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3 Content2:T4\n"
        "E2\tAttribution-no-source:T2 \n"  # none of source, cue, content: no attribution
    )
    (spans,) = read_brat(TEXT, ann, name="x.ann")
    assert spans == AttributionSpans(source=((0, 8),), cue=((9, 13),), content=((14, 24), (25, 35), (36, 39)))


@pytest.mark.parametrize(
    ("ann", "line", "message"),
    [
        ("T1\tSource 0 80\tMr Smith\n", 1, "outside the text"),
        ("T1\tSource 0 8\tMr Smith\nT2\tCue 9 13\tsays\n", 2, "not 'says'"),
        ("T1\tSource 0 8\tMr Smith\nE1\tSource:T1 Cue:T7\n", 2, "refers to T7"),
        ("T1\tSource 0 8\tMr Smith\nE1\tSource:T1 Cue\n", 2, "malformed argument"),
        ("T1\tSource 0 8\tMr Smith\nT1\tSource 0 8\tMr Smith\n", 2, "duplicate id T1"),
        ("T1\tSource zero 8\tMr Smith\n", 1, "malformed T line"),
        ("E1\tSource:T1\n", 1, "refers to T1"),
        ("\nsome words\n", 2, "not a brat standoff line"),
    ],
)
def test_malformed_brat_names_file_and_line(ann: str, line: int, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        read_brat(TEXT, ann, name="bad_1234.ann")
    assert str(caught.value).startswith(f"bad_1234.ann:{line}: ")


def test_malformed_file_in_a_directory_is_named(tmp_path: Path) -> None:
    shutil.copytree(POLNEAR, tmp_path, dirs_exist_ok=True)
    bad = tmp_path / "attributions" / "beta_cccc.ann"
    bad.write_text(bad.read_text(encoding="utf-8").replace("Cue:T6", "Cue:T66"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"beta_cccc\.ann:10: E2 refers to T66"):
        read_polnear(tmp_path)


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ([], "not a PolNeAR split: no text/ or attributions/ folder"),
        (["text/a.txt"], "no attributions/ folder"),
        (["text/a.txt", "attributions/"], r"a\.txt: no annotation file"),
        (["text/a.txt", "attributions/a_00ff.ann", "attributions/b_00ff.ann"], "annotations of b but no text/b.txt"),
        (["text/", "attributions/"], "no .txt files"),
        (["text/a.txt", "attributions/a.ann"], "expected a name like"),
    ],
)
def test_bad_directories(tmp_path: Path, layout: list[str], message: str) -> None:
    for entry in layout:
        path = tmp_path / entry
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.endswith("/"):
            path.mkdir(exist_ok=True)
        else:
            path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_polnear(tmp_path)


# ---------------------------------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("text", "content", "kind"),
    [
        ("He said “we will win” today.", "“we will win”", "direct"),
        ("He said “we will win” today.", "we will win", "direct"),  # marks outside the span: still quoted
        ("He said that “we” will win.", "that “we” will win", "indirect"),  # 1 of 4 words quoted
        ("He said “we will” win.", "“we will” win", "direct"),  # 2 of 3
        ('He said "we will win" today.', "we will win", "direct"),
        ("''It's over,'' he said.", "It's over", "direct"),  # the New York Times' doubled apostrophes
        ("He called it ‘fake news’ again.", "fake news", "direct"),
        ("She said ‘Trump’s plan is dead’ today.", "Trump’s plan is dead", "direct"),  # ’s does not close
        ("“We will win.\n\n“And we will govern,” she said.", "We will win.", "direct"),  # open to paragraph end
        ("He said “we will\nwin today, she thinks.", "win today, she thinks", "indirect"),  # not past the line
        ("Voters’ anger grew, he said.", "Voters’ anger grew", "indirect"),
        ("Taxes will rise, he said.", "Taxes will rise", "indirect"),
    ],
)
def test_kind(text: str, content: str, kind: str) -> None:
    assert kind_of(text, [at(text, content)]) == kind


# ---------------------------------------------------------------------------------------------------- scores


def beta_prediction(article: GoldArticle, case: str) -> list[AttributionSpans]:
    text = article.text
    senator = attribution(text, ["The plan is dead", "and everyone knows it"], "the senator", "said")  # no marks
    officials = attribution(text, ["that the deal could collapse within days"], "Officials", "warned")
    believed = attribution(text, ["that the vote was rigged"], None, "is widely believed")
    if case == "perfect":
        return [senator, officials, believed]
    if case == "missed":
        return [senator, officials]
    if case == "content off by a few tokens":  # 4 of 7 words: overlaps, not exact
        return [senator, attribution(text, ["the deal could collapse"], "Officials", "warned"), believed]
    if case == "content too short":  # 2 of 7 words: less than half
        return [senator, attribution(text, ["the deal"], "Officials", "warned"), believed]
    if case == "wrong source":
        return [
            senator,
            attribution(text, ["that the deal could collapse within days"], "the deal", "warned"),
            believed,
        ]
    if case == "source where gold has none":
        return [senator, officials, attribution(text, ["that the vote was rigged"], "It", "is widely believed")]
    if case == "spurious":
        return [senator, officials, believed, attribution(text, ["the senator said"], "everyone", "knows")]
    raise AssertionError(case)


Triple = tuple[float, float, float]
TWO_THIRDS = (0.6667, 0.6667, 0.6667)
FULL = (1.0, 1.0, 1.0)


def both(exact: Triple, overlap: Triple | None = None) -> dict[str, Triple]:
    return {"exact": exact, "overlap": overlap or exact}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("perfect", {"content": both(FULL), "source": both(FULL), "cue": both(FULL), "whole": FULL}),
        (
            # 3 gold, 2 predicted, both right
            "missed",
            {
                "content": both((1.0, 0.6667, 0.8)),
                "source": both(FULL),  # the missed one has no source
                "cue": both((1.0, 0.6667, 0.8)),
                "whole": (1.0, 0.6667, 0.8),
                "direct": {"content_overlap": FULL, "whole": FULL},
                "indirect": {"content_overlap": (1.0, 0.5, 0.6667), "whole": (1.0, 0.5, 0.6667)},
            },
        ),
        (
            "content off by a few tokens",
            {
                "content": both(TWO_THIRDS, FULL),
                "source": both(FULL),
                "whole": FULL,
                "indirect": {"content_overlap": FULL, "whole": FULL},
            },
        ),
        (
            "content too short",
            {
                "content": both(TWO_THIRDS),
                "whole": TWO_THIRDS,
                "direct": {"content_overlap": FULL, "whole": FULL},
                "indirect": {"content_overlap": (0.5, 0.5, 0.5), "whole": (0.5, 0.5, 0.5)},
            },
        ),
        (
            # sources {the senator, Officials} against {the senator, the deal}
            "wrong source",
            {"content": both(FULL), "source": both((0.5, 0.5, 0.5)), "cue": both(FULL), "whole": TWO_THIRDS},
        ),
        (
            "source where gold has none",
            {"content": both(FULL), "source": both((0.6667, 1.0, 0.8)), "whole": TWO_THIRDS},
        ),
        (
            # a fourth attribution: content "the senator said", source "everyone", cue "knows"
            "spurious",
            {
                "content": both((0.75, 1.0, 0.8571)),
                "source": both((0.6667, 1.0, 0.8)),
                "cue": both((0.75, 1.0, 0.8571)),
                "whole": (0.75, 1.0, 0.8571),
                "direct": {"content_overlap": FULL, "whole": FULL},
                "indirect": {"content_overlap": (0.6667, 1.0, 0.8), "whole": (0.6667, 1.0, 0.8)},
            },
        ),
    ],
)
def test_known_cases(
    articles: dict[str, GoldArticle], case: str, expected: dict[str, Triple | dict[str, Triple]]
) -> None:
    beta = articles["beta"]
    scores = score_attributions([(beta, beta_prediction(beta, case))]).as_json()
    for key, value in expected.items():
        path = ("by_kind", key) if key in ("direct", "indirect") else (key,)
        if isinstance(value, dict):
            for sub, triple in value.items():
                assert prf(scores, *path, sub) == triple, (*path, sub)
        else:
            assert prf(scores, *path) == value, path
    assert scores["gold_attributions"] == 3 and scores["articles"] == 1


def test_perfect_is_perfect_everywhere(articles: dict[str, GoldArticle]) -> None:
    beta = articles["beta"]
    for prediction in (beta.versions[0], beta_prediction(beta, "perfect")):
        scores = score_attributions([(beta, prediction)]).as_json()
        assert (at_path(scores, "by_kind", "direct", "gold"), at_path(scores, "by_kind", "indirect", "gold")) == (1, 2)
        paths: list[tuple[str, ...]] = [(p, m) for p in ("content", "source", "cue") for m in ("exact", "overlap")]
        paths += [("whole",), ("by_kind", "direct", "whole"), ("by_kind", "indirect", "content_overlap")]
        assert all(prf(scores, *path) == FULL for path in paths)


def test_annotator_versions_are_averaged(articles: dict[str, GoldArticle]) -> None:
    alpha = articles["alpha"]
    aaaa, bbbb = alpha.versions
    # Predicting annotator aaaa's two attributions: against aaaa 2 right of 2 (gold 2); against bbbb 1 right of
    # 2 (gold 1). Averaged: 1.5 right, 2 predicted, 1.5 gold: P 0.75, R 1.0, F1 6/7.
    scores = score_attributions([(alpha, aaaa)]).as_json()
    for path in (("content", "exact"), ("content", "overlap"), ("source", "exact"), ("cue", "overlap"), ("whole",)):
        assert prf(scores, *path) == (0.75, 1.0, 0.8571), path
    assert prf(scores, "by_kind", "direct", "whole") == FULL  # both annotators have Smith's quote
    # the mayor's reported speech: right against aaaa, spurious against bbbb: 0.5 right, 1 predicted, 0.5 gold
    assert prf(scores, "by_kind", "indirect", "content_overlap") == (0.5, 1.0, 0.6667)
    assert scores["gold_attributions"] == 1.5 and scores["predicted_attributions"] == 2
    assert at_path(scores, "by_kind", "indirect", "gold") == 0.5  # the mayor: 1 for aaaa, 0 for bbbb
    # Predicting bbbb's one attribution: 1 right of 1 against each; gold 2 and 1 average to 1.5.
    scores = score_attributions([(alpha, bbbb)]).as_json()
    assert prf(scores, "content", "exact") == (1.0, 0.6667, 0.8)
    assert (scores["annotation_files"], scores["multi_annotator_articles"]) == (2, 1)


def test_micro_average_over_the_directory(articles: dict[str, GoldArticle]) -> None:
    alpha, beta = articles["alpha"], articles["beta"]
    # alpha as above (1.5 right, 2 predicted, 1.5 gold) plus beta missing one (2 right, 2 predicted, 3 gold):
    # 3.5 right, 4 predicted, 4.5 gold.
    scores = score_attributions([(alpha, alpha.versions[0]), (beta, beta_prediction(beta, "missed"))]).as_json()
    assert prf(scores, "whole") == (0.875, 0.7778, 0.8235)
    assert scores["gold_attributions"] == 4.5 and scores["predicted_attributions"] == 4
    assert (scores["articles"], scores["annotation_files"], scores["multi_annotator_articles"]) == (2, 3, 1)
    assert scores["by_kind"] == {  # direct: Smith and the senator; indirect: the mayor (0.5), officials, believed
        "direct": {
            "content_overlap": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
            "whole": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
            "gold": 2.0,
        },
        "indirect": {
            "content_overlap": {"precision": 0.75, "recall": 0.6, "f1": 0.6667},
            "whole": {"precision": 0.75, "recall": 0.6, "f1": 0.6667},
            "gold": 2.5,
        },
    }


def test_empty_prediction_scores_zero(articles: dict[str, GoldArticle]) -> None:
    scores = score_attributions([(a, []) for a in articles.values()]).as_json()
    assert prf(scores, "whole") == (0.0, 0.0, 0.0) and prf(scores, "source", "overlap") == (0.0, 0.0, 0.0)
    assert scores["predicted_attributions"] == 0 and scores["gold_attributions"] == 4.5


def _quote(text: str, words: str, kind: QuoteKind, cue: str | None, how: Attribution) -> Quote:
    start = text.index(words)
    cue_span = Span(text.index(cue), text.index(cue) + len(cue)) if cue else None
    speaker = Span(text.index("Lopez"), text.index("Lopez") + 5) if cue else None
    return Quote(words, (Span(start, start + len(words)),), kind, "Lopez" if cue else None, None, speaker, cue,
                 cue_span, how)  # fmt: skip


def test_spans_of_quotes_group_one_speech_act() -> None:
    text = "“We will win,” Lopez said, “whatever they do.” “Nothing changes.” The “reform” failed."
    quotes = (
        _quote(text, "We will win", QuoteKind.DIRECT, "said", Attribution.CUE_AFTER),
        _quote(text, "whatever they do.", QuoteKind.DIRECT, "said", Attribution.CUE_BEFORE),  # the same cue
        _quote(text, "Nothing changes.", QuoteKind.DIRECT, "said", Attribution.CONTINUATION),
        _quote(text, "reform", QuoteKind.PARTIAL, None, Attribution.NONE),  # a scare quote: no attribution
    )
    doc = Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT), quotes=quotes)
    (act,) = spans_of_quotes(doc)
    assert [text[s:e] for s, e in act.content] == ["We will win", "whatever they do.", "Nothing changes."]
    assert [text[s:e] for s, e in act.source] == ["Lopez"] and [text[s:e] for s, e in act.cue] == ["said"]


def test_annotator_agreement_scores_each_annotator_against_the_others(articles: dict[str, GoldArticle]) -> None:
    # alpha: aaaa's 2 attributions against bbbb's 1 (1 right), then bbbb's 1 against aaaa's 2 (1 right):
    # 2 right, 3 predicted, 3 gold. beta has one annotator and is skipped.
    scores = annotator_agreement(articles.values()).as_json()
    assert prf(scores, "whole") == (0.6667, 0.6667, 0.6667)
    assert prf(scores, "by_kind", "direct", "whole") == FULL  # both have Smith's quote
    assert (scores["articles"], scores["annotation_files"], scores["gold_attributions"]) == (1, 2, 3)
    single = annotator_agreement([articles["beta"]]).as_json()
    assert single["articles"] == 0 and single["gold_attributions"] == 0
