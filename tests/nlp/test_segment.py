"""Sentence and paragraph segmentation: quotation marks, abbreviations, initials, elisions."""

from __future__ import annotations

import pytest

from rashomon.nlp.segment import paragraph_spans, sentence_spans


def sentences(text: str) -> list[str]:
    return [s.of(text) for s in sentence_spans(text, paragraph_spans(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Mr. Maduro met the U.S. envoy. He left.", ["Mr. Maduro met the U.S. envoy.", "He left."]),
        ("J. Smith agreed. So did Dr. Jones.", ["J. Smith agreed.", "So did Dr. Jones."]),
        # Regression (PolNeAR dev): a run of initials cut "Rep. G.K. Butterfield" in two, speaker and all.
        ("Rep. G.K. Butterfield said so. He left.", ["Rep. G.K. Butterfield said so.", "He left."]),
        (
            "It was a G.K. Chesterton line. Then J.R.R. Tolkien.",
            ["It was a G.K. Chesterton line.", "Then J.R.R. Tolkien."],
        ),
        # A closing quote followed by a lowercase cue does not end the sentence.
        (
            "“What I condemn is violence.” he said. Then he left.",
            ["“What I condemn is violence.” he said.", "Then he left."],
        ),
        ("“Stop!” she shouted. “Now.”", ["“Stop!” she shouted.", "“Now.”"]),
        # An elision inside a quote is not a boundary.
        (
            "“An act of terrorism […] An act of cowardice,” said Lopez.",
            ["“An act of terrorism […] An act of cowardice,” said Lopez."],
        ),
        ("Is it over? Yes.", ["Is it over?", "Yes."]),
        ("It rose 3.5 percent. Then fell.", ["It rose 3.5 percent.", "Then fell."]),
        ("no capital after. the period", ["no capital after. the period"]),
        ("Headline without period\nBody text here.", ["Headline without period", "Body text here."]),
        ("", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\n\nb\n", ["a", "b"]),
        ("  indented line  \nnext", ["indented line", "next"]),
        ("\n\n\n", []),
    ],
)
def test_paragraphs(text: str, expected: list[str]) -> None:
    assert [p.of(text) for p in paragraph_spans(text)] == expected
