"""MiniLM's uncased BERT tokenizer: words split as BERT's basic tokenizer splits them, then into word pieces,
each piece keeping the character span of its word in the original text.

Shared by the sentence encoder (`rashomon.nlp.encoder`) and the stance model (`rashomon.nlp.stance`), which
both read MiniLM's vocabulary (`rashomon.nlp.minilm.WordPieces` does the greedy longest-match splitting).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rashomon.nlp.minilm import WordPieces

MAX_WORD_CHARS = 100  # a longer word is one [UNK], as in BERT


def _is_punctuation(char: str) -> bool:
    cp = ord(char)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _dropped(char: str) -> bool:
    cp = ord(char)
    return cp in (0, 0xFFFD) or (unicodedata.category(char)[0] == "C" and char not in "\t\n\r")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class Tokenizer:
    """MiniLM's uncased BERT tokenizer, keeping each word piece's character span in the original sentence.

    Words are split as BERT's basic tokenizer splits them (whitespace, every punctuation mark and CJK character
    on its own; control characters dropped), then into word pieces (`rashomon.nlp.minilm.WordPieces`).
    """

    def __init__(self, vocab_file: Path) -> None:
        self.pieces = WordPieces(vocab_file)
        self.cls = self.pieces.ids["[CLS]"]
        self.sep = self.pieces.ids["[SEP]"]
        self._cache: dict[str, tuple[int, ...]] = {}

    @staticmethod
    def words(text: str) -> list[tuple[int, int]]:
        """Character spans of BERT's basic tokens."""
        spans: list[tuple[int, int]] = []
        start = -1
        for i, char in enumerate(text):
            cp = ord(char)
            if _dropped(char):
                continue  # a control character is deleted: the word goes on across it
            if char.isspace():
                alone = False  # a space ends a word
            elif _is_punctuation(char) or _is_cjk(cp):
                alone = True  # a punctuation mark or CJK character is a word of its own
            else:
                if start < 0:
                    start = i
                continue
            if start >= 0:
                spans.append((start, i))
                start = -1
            if alone:
                spans.append((i, i + 1))
        if start >= 0:
            spans.append((start, len(text)))
        return spans

    def word_pieces(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is None:
            kept = "".join(c for c in word if not _dropped(c))
            folded = "".join(c for c in unicodedata.normalize("NFD", kept) if unicodedata.category(c) != "Mn")
            folded = folded.lower()
            if not folded:
                cached = ()
            elif len(folded) > MAX_WORD_CHARS:
                cached = (self.pieces.unk,)
            else:
                cached = tuple(self.pieces(folded))
            if len(self._cache) < 200_000:
                self._cache[word] = cached
        return cached

    def split(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Word-piece ids of ``text`` and, for each, the character span of the word it belongs to."""
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        for start, end in self.words(text):
            pieces = self.word_pieces(text[start:end])
            ids.extend(pieces)
            spans.extend([(start, end)] * len(pieces))
        return ids, spans
