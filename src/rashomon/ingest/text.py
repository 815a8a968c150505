"""Plain-text articles: the title line, boilerplate removal and tidy paragraph layout.

A plain-text article is its body, optionally preceded by a headline. The first non-empty line is taken as the
title only when it reads like one (short, not ending like a sentence, followed by more text); otherwise it is
the article's first sentence and stays in the body.
"""

from __future__ import annotations

import re

from rashomon.errors import IngestError
from rashomon.ingest.boilerplate import Cleaned, remove_boilerplate
from rashomon.ingest.decode import Decoded
from rashomon.model import Article, ArticleMeta, SourceFormat

MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 25
# A line ending like this is a sentence (or introduces one), not a headline.
_SENTENCE_END = (".", ":", ",", ";")
# ...unless the full stop closes an abbreviation such as "U.S." or "U.N.".
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")
# Two or more blank lines in a row: one blank line separates paragraphs, more carry no meaning.
_BLANK_RUN = re.compile(r"\n{3,}")


def parse_text(decoded: Decoded, source: str) -> Article:
    """The article in a plain-text file: title from the first line when it is one, the rest as the body."""
    cleaned = clean_text(decoded.text)
    title, body = split_title(cleaned.text)
    if not body:
        raise IngestError(source, _no_text_message(cleaned))
    meta = ArticleMeta(source_path=source, title=title)
    return Article.create(body, meta, SourceFormat.TEXT, charset=decoded.charset, removed=cleaned.removed)


def clean_text(text: str) -> Cleaned:
    """``text`` without boilerplate lines, with tidy blank lines (see `tidy`)."""
    cleaned = remove_boilerplate(text)
    return Cleaned(tidy(cleaned.text), cleaned.removed)


def tidy(text: str) -> str:
    """Trailing spaces and leading/trailing blank lines removed; runs of blank lines cut to one.

    Single and double newlines are kept as they are: they are the article's paragraph structure.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def split_title(text: str) -> tuple[str | None, str]:
    """``(title, body)`` when the first non-empty line of ``text`` is a title, else ``(None, text)``."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    rest = rest.strip("\n")
    if rest.strip() and looks_like_title(first):
        return first.strip(), rest
    return None, text


def looks_like_title(line: str) -> bool:
    """Whether ``line`` reads like a headline rather than a sentence of the article."""
    line = line.strip()
    if not line or len(line) > MAX_TITLE_CHARS or len(line.split()) > MAX_TITLE_WORDS:
        return False
    return not line.endswith(_SENTENCE_END) or _ABBREVIATION_END.search(line) is not None


def _no_text_message(cleaned: Cleaned) -> str:
    if cleaned.removed:
        return f"no article text left after removing {len(cleaned.removed)} boilerplate line(s)"
    return "no article text (only whitespace)"
