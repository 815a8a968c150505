"""The typed records that flow through Rashomon: articles, documents and their annotations.

Every record is frozen. Every annotation carries character offsets into `Article.text`, so each finding can be
linked back to the words behind it. One `Document` type flows through the per-article pipeline; stages return a
new `Document` (``dataclasses.replace``) rather than mutating one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt


class SourceFormat(StrEnum):
    """The input format an article was read from."""

    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"
    CSV = "csv"


class QuoteKind(StrEnum):
    """How a quote reproduces the speaker's words."""

    DIRECT = "direct"  # one or more whole sentences inside quote marks
    PARTIAL = "partial"  # a fragment inside quote marks, embedded in the writer's sentence
    INDIRECT = "indirect"  # reported speech without quote marks ("X said that ...")
    MIXED = "mixed"  # reported speech holding quoted words ("He said the plan was 'dead'")


class EntityType(StrEnum):
    """Entity classes, following the CoNLL-2003 scheme so trained recognisers can slot in."""

    PERSON = "PER"
    ORGANIZATION = "ORG"
    LOCATION = "LOC"
    MISC = "MISC"


class MentionKind(StrEnum):
    """How a mention refers to its entity."""

    NAME = "name"  # "Jeremy Corbyn", "Mr Corbyn"
    PRONOUN = "pronoun"  # "he", "they"
    DESCRIPTION = "description"  # "the Labour leader", "the statement"


class Attribution(StrEnum):
    """Which evidence tied a quote to its speaker."""

    CUE_BEFORE = "cue-before"  # Mr Corbyn said: "..."
    CUE_AFTER = "cue-after"  # "...," Lopez said.  /  "...," said Lopez.
    CUE_IN_SENTENCE = "cue-in-sentence"  # a cue elsewhere in the quote's sentence (partial quotes)
    ACCORDING_TO = "according-to"  # according to X, "..."
    COLON = "colon"  # Corbyn: "..."
    CONTINUATION = "continuation"  # a quote following another quote of the same speaker
    LEARNED = "learned"  # the learned attribution model (rashomon.nlp.attribution) found cue and source
    NONE = "none"  # no speaker found


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The words of ``text`` this span covers."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A boilerplate line the ingester removed from the source text, and the rule that removed it."""

    # 1-based line number in the text the rules ran on: the decoded file for plain text, the extracted text for
    # HTML, the record's own text for a JSONL/CSV record (docs/ingest.md).
    line: int
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about an article besides its text: from the source itself or a metadata sidecar."""

    source_path: str  # the file name as given by the user ("-" for stdin); JSONL/CSV add "#line"
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None  # as declared by the source, if it declares one


@dataclass(frozen=True, slots=True)
class Article:
    """One ingested article: cleaned body text plus metadata. Its id is a hash of its normalised text."""

    id: str
    text: str
    meta: ArticleMeta
    source_format: SourceFormat
    charset: str = "utf-8"  # the encoding the bytes were decoded from
    removed: tuple[RemovedLine, ...] = ()

    @staticmethod
    def make_id(text: str) -> str:
        """A stable content-hash id: the same words give the same id whatever the whitespace or file."""
        normal = " ".join(unicodedata.normalize("NFC", text).split())
        return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def create(
        cls,
        text: str,
        meta: ArticleMeta,
        source_format: SourceFormat,
        *,
        charset: str = "utf-8",
        removed: tuple[RemovedLine, ...] = (),
    ) -> Article:
        return cls(cls.make_id(text), text, meta, source_format, charset, removed)


@dataclass(frozen=True, slots=True)
class Word:
    """One token of the article as the syntax stage analysed it (Universal Dependencies conventions)."""

    start: int
    end: int
    tag: str  # fine-grained (Penn Treebank) tag: "VBD"
    pos: str  # universal part of speech: "VERB"
    lemma: str
    dep: str  # relation to the head: "nsubj"; "ROOT" for a sentence's root
    head: int  # index of the head word in `Document.words` (its own index for a root)
    ent_iob: str = "O"  # "B", "I" or "O": where the word stands in a named entity
    ent_type: str = ""  # "PER", "ORG", "LOC", "MISC" inside an entity

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class LabelKind(StrEnum):
    """Where a label stands relative to the actor it describes."""

    TITLE = "title"  # before the name: "self-proclaimed President Juan Guaidó", "backbench Labour MP Frank Field"
    APPOSITIVE = "appositive"  # beside it: "Juan Andres Mejia, a Venezuelan opposition politician"
    PREDICATE = "predicate"  # said of it: "Maduro is a dictator"
    DESCRIPTION = "description"  # in its place: "the Labour leader" standing for Jeremy Corbyn
    INSTITUTION = "institution"  # its institution, as the writer calls it: "the Maduro regime", "Maduro's government"


@dataclass(frozen=True, slots=True)
class Label:
    """A descriptor an article attaches to an actor, in a comparable form, with the words behind it."""

    text: str  # as written, without leading determiners or quote marks: "self-proclaimed President"
    normal: str  # for comparison and counting: lowercase, head word lemmatised ("self-proclaimed president")
    kind: LabelKind
    # The evidence: where `text` stands, quote marks in it included; for an institution the whole phrase, the
    # actor's name too ("brutal Maduro dictatorship" for the label "brutal dictatorship").
    span: Span
    mention: Span | None = None  # the actor's mention the label is attached to, if it is attached to one
    scare_quoted: bool = False  # written inside quotation marks: the writer keeps a distance ('interim president')


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in the text that refers to an entity."""

    span: Span
    text: str
    kind: MentionKind = MentionKind.NAME
    label: str | None = None  # the words the writer attaches here: "Socialist", "self-proclaimed President"


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place mentioned in one article, with every mention and label."""

    id: str  # a stable key derived from the canonical name (same name, same id, in every article)
    name: str  # the fullest name the article uses
    type: EntityType
    mentions: tuple[Mention, ...]
    labels: tuple[Label, ...] = ()  # every label the article attaches, in text order (one per occurrence)


@dataclass(frozen=True, slots=True)
class Quote:
    """Words the article attributes to someone, with the evidence for the attribution."""

    text: str  # the quoted words; the parts of a multi-paragraph quote joined by one space
    parts: tuple[Span, ...]  # where the quoted words stand (one per paragraph); marks excluded
    kind: QuoteKind
    speaker: str | None = None  # the speaker's name as resolved ("Jeremy Corbyn"), None if unknown
    speaker_id: str | None = None  # the `Entity.id` of the speaker
    speaker_mention: Span | None = None  # the words at the attribution: "he", "Mr Corbyn", "the statement"
    cue: str | None = None  # the reporting verb or phrase: "said", "told", "according to"
    cue_span: Span | None = None
    attribution: Attribution = Attribution.NONE

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class StanceLabel(StrEnum):
    """How a sentence casts a target mention (rashomon.nlp.stance): the three classes of NewsMTSC."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True, slots=True)
class TargetStance:
    """How the sentence around one mention of an actor casts that actor: the stance model's class probabilities.

    Keyed by the mention's span, not by an entity id, so it follows the mention wherever actor linking puts it
    (`Document.entity_at`). ``quote`` tells the outlet's own voice from the voices it quotes: the index in
    `Document.quotes` of the quote whose words hold the mention ("the 'dictator' Maduro" in someone's direct
    quote, or inside reported speech), None when the mention stands in the writer's own words.
    """

    mention: Span  # the mention scored: where it stands in the article's text
    sentence: Span  # the sentence the model read (the mention lies inside it)
    negative: float  # P(negative), P(neutral), P(positive): they sum to 1
    neutral: float
    positive: float
    quote: int | None = None

    def __post_init__(self) -> None:
        if not self.sentence.contains(self.mention):
            raise ValueError(f"mention {self.mention} is not inside its sentence {self.sentence}")
        probs = (self.negative, self.neutral, self.positive)
        if not all(0.0 <= p <= 1.0 for p in probs) or abs(sum(probs) - 1.0) > 1e-3:
            raise ValueError(f"stance probabilities must be a distribution, not {probs}")

    @property
    def label(self) -> StanceLabel:
        """The most probable class (ties: neutral, then negative)."""
        best = max(self.neutral, self.negative, self.positive)
        if self.neutral == best:
            return StanceLabel.NEUTRAL
        return StanceLabel.NEGATIVE if self.negative == best else StanceLabel.POSITIVE

    @property
    def score(self) -> float:
        """P(positive) - P(negative), in [-1, 1]: -1 clearly negative, 0 neutral or undecided, 1 clearly positive."""
        return self.positive - self.negative

    @property
    def quoted(self) -> bool:
        """Inside a quote: someone else's voice, not the outlet's own."""
        return self.quote is not None


@dataclass(frozen=True, slots=True)
class Document:
    """An article and everything the per-article pipeline has found in it so far."""

    article: Article
    language: str | None = None
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()
    # The syntax stage's tokens. An intermediate: the store does not keep them (they would multiply its size
    # several times over and can be recomputed), so documents read back from a store have none.
    words: tuple[Word, ...] = ()
    # Each word's contextual vector from the syntax stage (spaCy's tok2vec output, words x width), for the
    # learned stages that read it (quote attribution). An intermediate like `words`: never stored, not compared.
    word_vectors: npt.NDArray[np.float16] | None = field(default=None, compare=False, repr=False)
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # The stance toward each scored actor mention (the `stance` stage), in text order.
    stances: tuple[TargetStance, ...] = ()
    stages: tuple[str, ...] = field(default=())  # names of the stages applied, in order

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def entity_at(self, mention: Span) -> Entity | None:
        """The entity one of whose mentions stands exactly at ``mention``, None if no entity's does."""
        return next((e for e in self.entities if any(m.span == mention for m in e.mentions)), None)


# The Document fields a stage may declare in `requires` / `assigns`.
DOCUMENT_FIELDS: frozenset[str] = frozenset(
    {"text", "language", "paragraphs", "sentences", "words", "word_vectors", "entities", "quotes", "stances"}
)


@dataclass(frozen=True, slots=True)
class IngestProblem:
    """An input that could not be read: which file (and line), and what was wrong with it."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that cover the same story, found across the corpus: a chain of related events."""

    id: str
    label: str
    article_ids: tuple[str, ...]
    event_ids: tuple[str, ...] = ()  # its events, in time order (rashomon.corpus.events)
    first_date: dt.date | None = None  # the date range of its events; None when no article is dated
    last_date: dt.date | None = None
    actors: tuple[str, ...] = ()  # the names of its main actors, the label's first part
    phrases: tuple[str, ...] = ()  # its key phrases, the label's second part


@dataclass(frozen=True, slots=True)
class Event:
    """One happening (the same remarks, the same vote) and the articles that report it; part of one story."""

    id: str
    story_id: str
    label: str
    article_ids: tuple[str, ...]  # by date, undated last, then id
    first_date: dt.date | None = None  # when it happened, as its articles date it (rashomon.corpus.dates)
    last_date: dt.date | None = None  # its last article's date
    actors: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
