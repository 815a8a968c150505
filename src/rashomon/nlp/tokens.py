"""A small offset-keeping word tokenizer shared by the rule-based stages.

Tokens keep their character offsets into the article text, so every rule that works on tokens can report the
exact words behind a finding. Trained components (issue 3) replace the rules, not this record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Dotted acronyms ("U.S."), words with inner apostrophes and hyphens ("O'Neill", "London-based"), numbers,
# or one other character. A period after a word is its own token, so "said." ends in "said".
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[\w’'′\-]*\w)?|\d+(?:[.,:]\d+)*|\S", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_possessive(self) -> bool:
        return self.text.endswith(("’s", "'s", "′s", "s’", "s'"))

    @property
    def bare(self) -> str:
        """The word without a possessive ending or a trailing period: "May’s" -> "May"."""
        text = self.text
        for suffix in ("’s", "'s", "′s"):
            if text.endswith(suffix):
                return text[: -len(suffix)]
        return text.rstrip(".") if text.count(".") == 1 else text


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (the position of ``text`` in the article)."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]
