"""Pairing quotation marks into quoted spans, across paragraphs when a quote runs on.

Handles “ ” (English), " " (straight, told apart by what stands around them), « » (French, Spanish), „ “ and
‚ ‘ (German), ‘ ’ (British single quotes; a ’ between letters is an apostrophe, not a closing mark), and two
apostrophes '' standing for a double mark (New York Times archive copy: ''It's anti-reform,'' she said). Mixed
pairs found in real copy ("... ” opened straight, closed curly) are accepted. A paragraph that opens a quote
without closing it continues into the next paragraph when that one opens with a quote mark: the news
convention for multi-paragraph quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.model import Span

_DOUBLE_OPEN = frozenset("“«„")
_DOUBLE_CLOSE = frozenset("”»")
_SINGLE_OPEN = frozenset("‘‚")
_SINGLE_CLOSE = frozenset("’")
_STRAIGHT = '"'
# Two apostrophes used as a double mark are read as a straight double mark followed by this placeholder, so
# every offset stays as it is in the article.
_TWIN = "\u2060"  # WORD JOINER: invisible, never in a word
# What may stand before an opening mark / after a closing one.
_OPEN_CONTEXT = frozenset(" \t\n([{—–-:/" + _TWIN)
_CLOSE_CONTEXT = frozenset(" \t\n)]}.,;:!?—–-/…" + _TWIN)


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Quoted words: one part per paragraph (marks excluded), and where the marks themselves stand."""

    parts: tuple[Span, ...]
    open_mark: int  # offset of the opening mark of the first part
    close_mark: int | None  # offset of the closing mark of the last part; None if never closed


def _is_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPEN_CONTEXT or before in _DOUBLE_OPEN or before in _SINGLE_OPEN) and not after.isspace()


def _is_closer(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSE_CONTEXT or after in _DOUBLE_CLOSE or after in _SINGLE_CLOSE)


def _classify(text: str, i: int, single: bool) -> str | None:
    """'open', 'close' or None for the mark at ``i``; ``single`` selects the single-quote family."""
    ch = text[i]
    if not single:
        if ch in _DOUBLE_OPEN:
            return "open"
        if ch in _DOUBLE_CLOSE:
            return "close"
        if ch == _STRAIGHT:
            if _is_opener(text, i):
                return "open"
            if _is_closer(text, i):
                return "close"
        return None
    if ch in _SINGLE_OPEN and _is_opener(text, i):
        return "open"
    if ch in _SINGLE_CLOSE:
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalpha() and after.isalpha():
            return None  # an apostrophe: "don’t"
        if _is_closer(text, i):
            return "close"
    return None


def _closes_low_mark(opener: str, ch: str) -> bool:
    """German quotes open low and close with what English uses to open: „…“ and ‚…‘."""
    return (opener, ch) in {("„", "“"), ("‚", "‘")}


def _content(text: str, start: int, end: int) -> Span | None:
    """The quoted words between two marks, without surrounding space or a trailing comma."""
    while start < end and (text[start].isspace() or text[start] == _TWIN):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return Span(start, end) if end > start else None


def _pair(text: str, para: Span, single: bool) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open, close) mark pairs in one paragraph, and the position of a last opener left open."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for i in range(para.start, para.end):
        ch = text[i]
        if ch not in _DOUBLE_OPEN | _DOUBLE_CLOSE | {_STRAIGHT} | _SINGLE_OPEN | _SINGLE_CLOSE:
            continue
        if (ch in _SINGLE_OPEN | _SINGLE_CLOSE) != single:
            continue
        kind = _classify(text, i, single)
        if open_at is None:
            if kind == "open" or (kind is None and ch == _STRAIGHT):
                open_at = i
        elif kind == "close" or (ch == _STRAIGHT and kind != "open") or _closes_low_mark(text[open_at], ch):
            pairs.append((open_at, i))
            open_at = None
        elif kind == "open":
            open_at = i  # an earlier opener was never closed; the newer one is the quote
    return pairs, open_at


def find_quoted_spans(text: str, paragraphs: Sequence[Span]) -> list[QuotedSpan]:
    """All quoted spans of the text, in order. Single-quote pairs count only outside double-quoted spans."""
    text = text.replace("''", _STRAIGHT + _TWIN)
    found: list[QuotedSpan] = []
    carry: tuple[list[Span], int] | None = None  # parts of a quote still open, and its opening mark
    for para in paragraphs:
        pairs, left_open = _pair(text, para, single=False)
        first_mark = min((p[0] for p in pairs), default=left_open)
        if carry is not None:
            parts, opened = carry
            starts_with_mark = first_mark == para.start
            if starts_with_mark and pairs and pairs[0][0] == para.start:
                # The running quote ends in this paragraph: its first pair closes it.
                o, c = pairs.pop(0)
                if (span := _content(text, o + 1, c)) is not None:
                    parts.append(span)
                found.append(QuotedSpan(tuple(parts), opened, c))
                carry = None
            elif starts_with_mark and left_open == para.start and not pairs:
                if (span := _content(text, para.start + 1, para.end)) is not None:
                    parts.append(span)
                carry = (parts, opened)
                continue
            else:
                found.append(QuotedSpan(tuple(parts), opened, None))
                carry = None
        for o, c in pairs:
            if (span := _content(text, o + 1, c)) is not None:
                found.append(QuotedSpan((span,), o, c))
        if left_open is not None and (not pairs or left_open > pairs[-1][1]):
            span = _content(text, left_open + 1, para.end)
            carry = ([span] if span else [], left_open)
    if carry is not None and carry[0]:
        found.append(QuotedSpan(tuple(carry[0]), carry[1], None))
    doubles = [q for q in found if q.parts]
    singles: list[QuotedSpan] = []
    for para in paragraphs:
        pairs, _ = _pair(text, para, single=True)
        for o, c in pairs:
            inside_double = any(q.open_mark <= o and (q.close_mark or q.parts[-1].end) >= c for q in doubles)
            if not inside_double and (span := _content(text, o + 1, c)) is not None:
                singles.append(QuotedSpan((span,), o, c))
    return sorted(doubles + singles, key=lambda q: q.open_mark)


def quote_region(q: QuotedSpan) -> Span:
    """The characters a quote occupies, marks included (to the end of its last part when never closed)."""
    return Span(q.open_mark, (q.close_mark + 1) if q.close_mark is not None else q.parts[-1].end)
