"""Paragraph and sentence segmentation, robust to quotation marks and abbreviations.

Paragraphs are the non-blank lines of the body (news text puts one paragraph on a line, with or without blank
lines between). Sentences never cross a paragraph. A sentence ends at ``. ! ? …`` (plus any closing quote marks
or brackets) when the next word starts like a sentence: a capital, a digit or an opening quote mark. So
``“... in this.” he said`` stays one sentence, and ``Mr. Maduro`` or ``the U.S. said`` are not split.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rashomon.model import Document, Span
from rashomon.nlp.pipeline import register
from rashomon.settings import Settings

# Words that end with a period without ending a sentence (lowercase, without the period).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt insp
    messrs mme mlle no nos vol vols fig figs p pp ed eds est approx dept univ corp inc ltd co bros
    assn jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun vs etc al cf ie eg viz ca u.s u.k u.n e.u a.m p.m
    """.split()
)

_CLOSERS = "”’\"'»)]"
_OPENERS = "“‘\"'«„‚(["
# A candidate boundary: terminators, then closing marks, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*\s+")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")


def paragraph_spans(text: str) -> tuple[Span, ...]:
    """One span per non-blank line, without surrounding whitespace."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if stripped:
            start = m.start() + (len(line) - len(line.lstrip()))
            spans.append(Span(start, start + len(stripped)))
    return tuple(spans)


def _is_abbreviation(text: str, period_end: int) -> bool:
    """Whether the period ending at ``period_end`` belongs to an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, period_end - 12), period_end)
    if not m:
        return False
    word = m.group(1)
    if _INITIALS.fullmatch(word):  # initials: "J. Smith", "G.K. Butterfield"
        return True
    return word.lower() in ABBREVIATIONS or word.lower().rstrip(".") in ABBREVIATIONS


def _starts_sentence(text: str, pos: int) -> bool:
    if pos >= len(text):
        return False
    ch = text[pos]
    if ch in _OPENERS:
        return pos + 1 < len(text) and not text[pos + 1].islower()
    return ch.isupper() or ch.isdigit()


def sentence_spans(text: str, paragraphs: tuple[Span, ...]) -> tuple[Span, ...]:
    """Sentence spans inside each paragraph."""
    spans: list[Span] = []
    for para in paragraphs:
        start = para.start
        for m in _BOUNDARY.finditer(text, para.start, para.end):
            terminators = m.group().rstrip()
            term_end = m.start() + len(terminators.rstrip(_CLOSERS))
            next_pos = m.end()
            if next_pos >= para.end or not _starts_sentence(text, next_pos):
                continue
            if text[term_end - 1] == "." and terminators.rstrip(_CLOSERS) == "." and _is_abbreviation(text, term_end):
                continue
            if text[m.start() - 1 : m.start()] == "[":  # an elision "[…]" inside a quote
                continue
            spans.append(Span(start, m.start() + len(terminators)))
            start = next_pos
        if start < para.end:
            spans.append(Span(start, para.end))
    return tuple(spans)


@register("paragraphs", requires=["text"], assigns=["paragraphs"])
def paragraphs_stage(doc: Document, settings: Settings) -> Document:
    """Split the body into paragraphs (non-blank lines)."""
    return replace(doc, paragraphs=paragraph_spans(doc.text))


@register("sentences", requires=["paragraphs"], assigns=["sentences"], version="2")
def sentences_stage(doc: Document, settings: Settings) -> Document:
    """Split each paragraph into sentences."""
    return replace(doc, sentences=sentence_spans(doc.text, doc.paragraphs))
