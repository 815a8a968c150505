"""Voice share: who is quoted, how often and at what length, per article, per outlet and per story.

A speaker's share is counted twice: in quotes, and in quoted words (a one-line partial quote and a paragraph
of direct speech are both one quote, but not the same voice). Each count is split into *direct* speech (the
speaker's own words in quote marks: `direct` and `partial` quotes) and *indirect* speech (the writer's
paraphrase: `indirect` and `mixed` quotes). Quotes no one is credited with count under an unattributed voice
(``speaker is None``), so the shares of a scope add up to all its quoted words.

Speakers are told apart by speaker id (pass documents whose ids are linked across the corpus,
`rashomon.corpus.actors.apply_links`), else by their folded name. Pure functions over frozen records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rashomon.corpus.quotes import comparable_words, speaker_key
from rashomon.model import Document, Quote, QuoteKind, Story

DIRECT_KINDS = frozenset({QuoteKind.DIRECT, QuoteKind.PARTIAL})
INDIRECT_KINDS = frozenset({QuoteKind.INDIRECT, QuoteKind.MIXED})


class VoiceScope(StrEnum):
    """What a set of voice counts covers."""

    ARTICLE = "article"
    OUTLET = "outlet"
    STORY = "story"


@dataclass(frozen=True, slots=True)
class Voice:
    """One speaker's quotes within a scope: how many, how many words, split direct / indirect."""

    key: str  # what tells speakers apart (`rashomon.corpus.quotes.speaker_key`); "" for the unattributed
    speaker: str | None  # the display name; None for the quotes no one is credited with
    speaker_id: str | None  # the speaker's (actor) id, when the quotes carry one
    direct_quotes: int
    direct_words: int
    indirect_quotes: int
    indirect_words: int

    @property
    def quotes(self) -> int:
        return self.direct_quotes + self.indirect_quotes

    @property
    def words(self) -> int:
        return self.direct_words + self.indirect_words


@dataclass(frozen=True, slots=True)
class VoiceShare:
    """The voices of one article, outlet or story, the most quoted words first."""

    scope: VoiceScope
    key: str | None  # the article id, the outlet (None: articles without one), or the story id
    label: str  # for people: the title, the outlet, or the story's label
    articles: tuple[str, ...]  # the ids of the articles counted, in id order
    voices: tuple[Voice, ...]

    @property
    def quotes(self) -> int:
        return sum(v.quotes for v in self.voices)

    @property
    def words(self) -> int:
        return sum(v.words for v in self.voices)

    def share(self, voice: Voice) -> float:
        """The voice's fraction of the scope's quoted words (0 when nothing is quoted)."""
        total = self.words
        return voice.words / total if total else 0.0


@dataclass(frozen=True, slots=True)
class VoiceShares:
    """Voice shares of a corpus in each scope."""

    articles: tuple[VoiceShare, ...]  # by article id
    outlets: tuple[VoiceShare, ...]  # by outlet name; the articles without an outlet last
    stories: tuple[VoiceShare, ...]  # in the stories' order

    def all(self) -> tuple[VoiceShare, ...]:
        return (*self.articles, *self.outlets, *self.stories)


@dataclass(slots=True)
class _Tally:
    names: Counter[str]
    speaker_id: str | None = None
    direct_quotes: int = 0
    direct_words: int = 0
    indirect_quotes: int = 0
    indirect_words: int = 0


def quoted_words(quote: Quote) -> int:
    """The number of words a quote gives its speaker (punctuation and ellipses are not words)."""
    return len(comparable_words(quote.text))


def voices_of(docs: Iterable[Document]) -> tuple[Voice, ...]:
    """The voices of the quotes of ``docs``: the most quoted words first, then most quotes, then by name."""
    tallies: dict[str, _Tally] = {}  # by speaker key
    for doc in sorted(docs, key=lambda d: d.id):
        for quote in doc.quotes:
            key = speaker_key(quote) or ""
            tally = tallies.setdefault(key, _Tally(Counter()))
            if quote.speaker:
                tally.names[quote.speaker] += 1
            if quote.speaker_id and tally.speaker_id is None:
                tally.speaker_id = quote.speaker_id
            words = quoted_words(quote)
            if quote.kind in INDIRECT_KINDS:
                tally.indirect_quotes += 1
                tally.indirect_words += words
            else:
                tally.direct_quotes += 1
                tally.direct_words += words
    voices = [
        Voice(
            key,
            # The spelling most quotes use; ties to the alphabetically first, for determinism.
            min(t.names, key=lambda n: (-t.names[n], n)) if t.names else None,
            t.speaker_id,
            t.direct_quotes,
            t.direct_words,
            t.indirect_quotes,
            t.indirect_words,
        )
        for key, t in tallies.items()
    ]
    return tuple(sorted(voices, key=lambda v: (-v.words, -v.quotes, v.speaker is None, (v.speaker or "").casefold())))


def voice_shares(docs: Sequence[Document], stories: Sequence[Story] = ()) -> VoiceShares:
    """The voice shares of every article, every outlet and every story of ``docs``. Pure and deterministic."""
    unique = {doc.id: doc for doc in docs}
    ordered = [unique[k] for k in sorted(unique)]
    articles = tuple(
        _share(VoiceScope.ARTICLE, d.id, d.article.meta.title or d.article.meta.source_path, [d]) for d in ordered
    )
    by_outlet: dict[str | None, list[Document]] = defaultdict(list)
    for doc in ordered:
        by_outlet[doc.article.meta.outlet].append(doc)
    outlet_keys = sorted(by_outlet, key=lambda o: (o is None, (o or "").casefold(), o or ""))
    outlets = tuple(_share(VoiceScope.OUTLET, o, o or "no outlet given", by_outlet[o]) for o in outlet_keys)
    story_shares = []
    for story in stories:
        members = [unique[a] for a in story.article_ids if a in unique]
        if members:
            story_shares.append(_share(VoiceScope.STORY, story.id, story.label, members))
    return VoiceShares(articles, outlets, tuple(story_shares))


def _share(scope: VoiceScope, key: str | None, label: str, docs: Sequence[Document]) -> VoiceShare:
    return VoiceShare(scope, key, label, tuple(sorted(d.id for d in docs)), voices_of(docs))
