"""Finding speech cues and the noun phrase of who speaks, on tokens outside quotation marks.

Pure functions over token lists: `find_cues` finds reporting verbs ("said", "told", "according to"); `phrase_before`
and `phrase_after` read the speaker's noun phrase on either side of a cue, skipping adverbs ("Mr Corbyn today
insisted"), auxiliaries ("has condemned") and appositions ("Angela Smith, another Labour member, said").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.model import MentionKind, Span
from rashomon.nlp.lexicon import (
    AUXILIARIES,
    CUE_FORMS,
    DEMONYMS,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    HONORIFIC_WORDS,
    NAME_CONNECTORS,
    ORG_WORDS,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    ROLE_WORDS,
)
from rashomon.nlp.tokens import Token

_DETERMINERS = frozenset({"the", "a", "an", "another", "one", "two", "three", "some", "both", "several"})
_APPOSITION_OPENERS = frozenset({"who", "which", "whose", "another", "a", "an", "the", "however", "then", "now"})
_MAX_APPOSITION = 25  # tokens
_MAX_PHRASE = 9  # tokens
_PASSIVE_MARKERS = frozenset({"been", "was", "were", "is", "are", "being", "be"})


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting verb or phrase outside quote marks, and the token index where it stands."""

    index: int
    lemma: str
    text: str
    span: Span
    passive: bool = False  # "challenged by X": the speaker follows "by"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase naming (or pointing to) a speaker."""

    tokens: tuple[Token, ...]
    kind: MentionKind

    @property
    def span(self) -> Span:
        return Span(self.tokens[0].start, self.tokens[-1].end)

    @property
    def text(self) -> str:
        out = self.tokens[0].text
        for prev, tok in zip(self.tokens, self.tokens[1:], strict=False):
            out += (" " if tok.start > prev.end else "") + tok.text
        return out

    @property
    def head(self) -> Token:
        return self.tokens[-1]

    @property
    def is_definite(self) -> bool:
        return self.tokens[0].lower == "the"


def _np_word(tok: Token) -> bool:
    """Whether a token can be part of a speaker phrase."""
    low = tok.bare.lower()
    if not tok.is_word:
        return False
    if tok.is_capitalized and low not in FUNCTION_WORDS:
        return True
    return low in ROLE_WORDS or low in DEMONYMS or low in DOCUMENT_NOUNS or low in ORG_WORDS or "-" in tok.text


def _classify(tokens: Sequence[Token]) -> MentionKind | None:
    head = tokens[-1]
    low = head.bare.lower()
    if len(tokens) == 1 and low in PRONOUNS_PERSON | PRONOUNS_GROUP:
        return MentionKind.PRONOUN
    if head.is_capitalized and low not in ROLE_WORDS and low not in HONORIFIC_WORDS:
        return MentionKind.NAME
    if low in ROLE_WORDS or low in DOCUMENT_NOUNS or low in ORG_WORDS:
        return MentionKind.DESCRIPTION
    return None


def find_cues(tokens: Sequence[Token]) -> list[Cue]:
    """Reporting verbs among ``tokens`` (which exclude quoted words), in order."""
    cues: list[Cue] = []
    for i, tok in enumerate(tokens):
        low = tok.lower
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if low == "according" and nxt == "to":
            cues.append(Cue(i, "according to", "according to", Span(tok.start, tokens[i + 1].end)))
            continue
        if low not in CUE_FORMS or not tok.text.islower():
            continue
        lemma = CUE_FORMS[low]
        if lemma == "call" and nxt not in {"for", "on"}:
            continue  # "called" alone names, it does not report ("the so-called ...")
        passive = i > 0 and tokens[i - 1].lower in _PASSIVE_MARKERS and nxt == "by"
        end = tokens[i + 1].end if lemma == "call" else tok.end
        cues.append(Cue(i, lemma, tokens[i].text if lemma != "call" else f"{low} {nxt}", Span(tok.start, end), passive))
    return cues


def _skip_apposition(tokens: Sequence[Token], j: int) -> int:
    """From a comma at ``j`` that closes an apposition, the index just before the apposition opens; else j."""
    for k in range(j - 1, max(-1, j - _MAX_APPOSITION), -1):
        if tokens[k].text == ",":
            inner = tokens[k + 1 : j]
            if inner and (inner[0].lower in _APPOSITION_OPENERS or inner[-1].lower in ROLE_WORDS):
                return k - 1
            return j
    return j


def phrase_before(tokens: Sequence[Token], cue_index: int) -> Phrase | None:
    """The speaker phrase ending just before the cue at ``cue_index``."""
    j = cue_index - 1
    while j >= 0 and tokens[j].lower in AUXILIARIES | {"not", "n't"}:
        j -= 1
    if j >= 0 and tokens[j].text == ",":
        j = _skip_apposition(tokens, j)
        if j >= 0 and tokens[j].text == ",":
            return None
    while j >= 0 and tokens[j].lower in AUXILIARIES:
        j -= 1
    if j < 0:
        return None
    if tokens[j].lower in PRONOUNS_PERSON | PRONOUNS_GROUP:
        return Phrase((tokens[j],), MentionKind.PRONOUN)
    end = j
    adjectives = 0
    while j >= 0 and end - j < _MAX_PHRASE:
        tok = tokens[j]
        joins_names = tok.lower in NAME_CONNECTORS and j > 0 and _np_word(tokens[j - 1]) and j < end
        if _np_word(tok) or tok.is_possessive or joins_names:
            j -= 1
        elif tok.lower in _DETERMINERS:
            j -= 1
            break
        elif tok.is_word and tok.text.islower() and adjectives == 0 and j < end and tok.lower not in FUNCTION_WORDS:
            adjectives += 1  # "backbench Labour MP"
            j -= 1
        else:
            break
    words = list(tokens[j + 1 : end + 1])
    while words and words[0].lower in FUNCTION_WORDS and words[0].lower not in _DETERMINERS:
        words.pop(0)
    while words and words[0].text.islower() and words[0].lower not in _DETERMINERS and not _np_word(words[0]):
        words.pop(0)
    if not words:
        return None
    kind = _classify(words)
    return Phrase(tuple(words), kind) if kind else None


def phrase_after(tokens: Sequence[Token], start: int) -> Phrase | None:
    """The speaker phrase starting at token ``start`` ("said Lopez", "according to the Election Council")."""
    if start >= len(tokens):
        return None
    if tokens[start].lower in PRONOUNS_PERSON | PRONOUNS_GROUP:
        return Phrase((tokens[start],), MentionKind.PRONOUN)
    j = start
    if tokens[j].lower in _DETERMINERS:
        j += 1
    if j + 1 < len(tokens) and tokens[j].text.islower() and _np_word(tokens[j + 1]) and not _np_word(tokens[j]):
        j += 1  # one adjective: "backbench Labour MP Frank Field"
    while j < len(tokens) and j - start < _MAX_PHRASE:
        tok = tokens[j]
        if _np_word(tok):
            j += 1
            if tok.is_possessive and not (j < len(tokens) and _np_word(tokens[j])):
                break
        elif tok.lower in NAME_CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].is_capitalized:
            j += 1
        else:
            break
    words = tokens[start:j]
    if not words or all(w.lower in _DETERMINERS for w in words):
        return None
    kind = _classify(words)
    return Phrase(tuple(words), kind) if kind else None


def apposed_name(tokens: Sequence[Token], phrase: Phrase) -> Phrase | None:
    """For a role phrase right after a name and a comma ("Matthew Miller, Department Spokesperson"), the name."""
    first = next((i for i, t in enumerate(tokens) if t is phrase.tokens[0]), None)
    if first is None:  # the phrase stands outside ``tokens`` (a subject the parse found in another stretch)
        return None
    if first >= 2 and tokens[first - 1].text == ",":
        return _name_ending_at(tokens, first - 2)
    return None


def _name_ending_at(tokens: Sequence[Token], end: int) -> Phrase | None:
    j = end
    while j >= 0 and tokens[j].is_word and tokens[j].is_capitalized and tokens[j].lower not in FUNCTION_WORDS:
        j -= 1
    words = tuple(tokens[j + 1 : end + 1])
    if words and _classify(words) is MentionKind.NAME:
        return Phrase(words, MentionKind.NAME)
    return None
