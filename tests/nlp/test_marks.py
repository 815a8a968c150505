"""Pairing quotation marks: every common style, apostrophes, mixed pairs, multi-paragraph quotes."""

from __future__ import annotations

import pytest

from rashomon.nlp.marks import find_quoted_spans
from rashomon.nlp.segment import paragraph_spans


def quoted(text: str) -> list[list[str]]:
    return [[p.of(text) for p in q.parts] for q in find_quoted_spans(text, paragraph_spans(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “hello there” today.", [["hello there"]]),
        ('He said "hello there" today.', [["hello there"]]),
        ("Il a dit « bonjour à tous » hier.", [["bonjour à tous"]]),
        ("Er sagte „guten Tag“ gestern.", [["guten Tag"]]),
        ("Er sagte ‚guten Tag‘ gestern.", [["guten Tag"]]),
        ("She said ‘we will win’ and left.", [["we will win"]]),
        # Mixed pair seen in real copy: opened straight, closed curly.
        ('Miller said. "They have shown great courage.” Then', [["They have shown great courage."]]),
        # A trailing comma inside the quote belongs to the attribution, not the words.
        ("“It is a tragedy,” he said.", [["It is a tragedy"]]),
        # Two apostrophes for a double mark (NYT archive copy); an apostrophe inside stays a letter.
        ("''It's anti-reform,'' she said. It was ''a close look'' at it.", [["It's anti-reform"], ["a close look"]]),
        ("The players' ''rights'' matter.", [["rights"]]),
        # Apostrophes are not quote marks.
        ("Corbyn’s party didn’t comment on the country’s crisis.", []),
        ("Corbyn's party didn't comment.", []),
        # Single quotes inside double quotes are part of the quote.
        ("He said “they call it ‘reform’ but it is not” today.", [["they call it ‘reform’ but it is not"]]),
        ("No quotes at all here.", []),
        ("An empty “” pair.", []),
    ],
)
def test_pairs(text: str, expected: list[list[str]]) -> None:
    assert quoted(text) == expected


def test_multi_paragraph_quote_continues_into_next_paragraph() -> None:
    text = "She said: “First paragraph of the quote.\n“Second paragraph.”\nNarration resumes."
    assert quoted(text) == [["First paragraph of the quote.", "Second paragraph."]]


def test_unclosed_quote_without_continuation_ends_at_its_paragraph() -> None:
    text = "She said: “an unclosed quote\nNarration resumes here."
    assert quoted(text) == [["an unclosed quote"]]


def test_three_paragraph_quote() -> None:
    text = "He said: “One.\n\n“Two.\n\n“Three.”\n\nDone."
    assert quoted(text) == [["One.", "Two.", "Three."]]
