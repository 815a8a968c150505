"""Record builders shared by the tests: records whose offsets are found in the text they describe."""

from __future__ import annotations

from rashomon.model import Label, LabelKind, Span
from rashomon.names import label_normal


def label_at(text: str, words: str, kind: LabelKind = LabelKind.TITLE, *, nth: int = 0) -> Label:
    """The label ``words`` at its ``nth`` occurrence in ``text`` (an error if it is not there)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Label(words, label_normal(words), kind, Span(start, start + len(words)))
