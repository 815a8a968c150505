"""Cross-outlet quote matching: the same quote carried by several articles, and how its versions differ.

Outlets rarely reproduce a statement identically: one drops a word, another cuts the quote short, a third puts
"towards" where the first had "to", and punctuation, case, accents and ellipses ("…", "...", "[…]") vary
freely. Quotes are therefore compared as sequences of *comparable words* (`comparable_words`: casefolded,
accents and punctuation dropped, so "Nicolás" is "nicolas" and "that's" is "thats"), aligned word by word
with `difflib.SequenceMatcher`.

The score of a pair (`similarity`) is how much of the shorter version the longer one contains, in order and
close together: the words of the shorter that align, divided by the larger of the shorter's length and the
stretch of the longer those aligned words span. A truncated version (a sub-span of the other) scores 1; every
inserted, deleted or substituted word lowers the score, except words the shorter version marks as left out
with an ellipsis between two words (`match_form`); words of a long quote that happen to match far from the
rest (a stray "the") cannot inflate it, because only the best compact run of aligned blocks counts.

Two quotes of different articles are linked (`same_quote`, applied by `find_quote_matches`) when, with ``n``
the number of words of the shorter:

- whoever the articles say spoke (attribution may differ between outlets): ``n >= LONG_MIN_WORDS`` and the
  score reaches `MATCH_THRESHOLD` (a few words changed in a long quote), or ``n >= STRONG_MIN_WORDS`` and
  the score is 1 (a sub-span of the other: in a short quote one changed word can reverse its meaning, "we
  will win" / "we will lose");
- when the speakers agree (same speaker id, or the same name once folded), which supports a borderline case:
  ``n >= STRONG_MIN_WORDS`` and the score reaches `BORDERLINE_THRESHOLD`, or ``n >= MIN_WORDS`` and the
  score is 1 (a fragment of 3 or 4 words, "by all sides", of the speaker's longer quote);
- quotes of fewer than `MIN_WORDS` words ("interim president", "all sides") are never linked: too short to
  tell a quotation from a common phrase.

Linked quotes form groups by single link (connected components); every group holds quotes of at least two
articles. To scale past all-pairs, only quotes that share a word pair (a 2-word shingle) are compared: an
inverted index maps each shingle to the distinct wordings holding it, and shingles held by more than
`MAX_POSTINGS` wordings ("of the") are ignored as candidate sources. Word-for-word copies (syndication) are
compared once. Everything here is a pure function over frozen records; the result does not depend on the order
of the documents.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rashomon.disjoint import DisjointSets
from rashomon.model import Document, Quote, Span
from rashomon.names import fold

# Names the matching rules: changing a rule or a threshold below changes it, so stored groups are recomputed.
MATCHING_VERSION = "1"
# Quotes with fewer comparable words are never linked.
MIN_WORDS = 3
# From this many words on, a sub-span links whatever the attribution, and edits are tolerated with the
# speaker's agreement.
STRONG_MIN_WORDS = 5
# From this many words on, a quote with edits links whatever the attribution.
LONG_MIN_WORDS = 10
# The score that links two quotes on their words alone (two changed words in ten).
MATCH_THRESHOLD = 0.8
# The score that links two quotes whose speakers agree (three changed words in ten).
BORDERLINE_THRESHOLD = 0.7
# Word n-grams of the candidate index.
SHINGLE_WORDS = 2
# A shingle held by more distinct wordings than this proposes no candidates.
MAX_POSTINGS = 500

# What `match_form` puts where an ellipsis ("…", "...", "[…]") stands between two words.
ELISION = "…"
_ELLIPSIS = re.compile(r"…|\.\s*\.\s*\.")
# A word: letters and digits (with the combining accents of decomposed text), apostrophes inside it kept.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’ʼ](?:[^\W_]|[\u0300-\u036f])+)*")


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class QuoteRef:
    """One quote of the corpus: its article and its index in that article's `Document.quotes`."""

    article_id: str
    quote_index: int


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """Quotes of several articles that are versions of one quote. Members are sorted; at least two articles."""

    group_id: str  # a hash of the members: the same group gets the same id in every run
    members: tuple[QuoteRef, ...]  # sorted, each once (the constructor sorts them)

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(sorted(set(self.members))))

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The distinct articles of the group, in id order."""
        return tuple(sorted({m.article_id for m in self.members}))


@dataclass(frozen=True, slots=True)
class QuoteWord:
    """A word of a quote: its comparable form and where it stands in the quote's text."""

    key: str  # casefolded, accents and apostrophes removed: "thats"
    span: Span  # offsets into the text the word was read from


class DiffOp(StrEnum):
    """What a word of a diff is, going from the reference version to the compared one."""

    SAME = "same"  # in both versions
    INSERTED = "inserted"  # only in the compared version
    DELETED = "deleted"  # only in the reference version


@dataclass(frozen=True, slots=True)
class DiffToken:
    """One word of a word-by-word diff.

    ``span`` points into the compared text for `DiffOp.SAME` and `DiffOp.INSERTED`, and into the reference
    text for `DiffOp.DELETED`; ``text`` is the word as written there. A substitution is a run of deleted
    words followed by a run of inserted ones.
    """

    op: DiffOp
    text: str
    span: Span


# --- comparing two quotes ---------------------------------------------------------------------------------


def quote_words(text: str) -> tuple[QuoteWord, ...]:
    """The words of ``text`` with their offsets; punctuation, quote marks and ellipses are not words."""
    words = []
    for m in _WORD.finditer(text):
        key = _key(m.group())
        if key:
            words.append(QuoteWord(key, Span(m.start(), m.end())))
    return tuple(words)


def comparable_words(text: str) -> tuple[str, ...]:
    """The comparable forms of the words of ``text``: ``"Ça, c'est…"`` gives ``("ca", "cest")``."""
    return tuple(w.key for w in quote_words(text))


def match_form(text: str) -> tuple[str, ...]:
    """`comparable_words`, with `ELISION` wherever an ellipsis stands between two words.

    ``"We will fight […] and win"`` gives ``("we", "will", "fight", "…", "and", "win")``: the words another
    version has in that place were left out on purpose, and `alignment` does not count them against the match.
    An ellipsis before the first word or after the last marks a truncation, which needs no marker.
    """
    tokens: list[str] = []
    after = 0
    for word in quote_words(text):
        if tokens and _ELLIPSIS.search(text, after, word.span.start):
            tokens.append(ELISION)
        tokens.append(word.key)
        after = word.span.end
    return tuple(tokens)


def _key(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _size(form: Sequence[str]) -> int:
    """The number of words of a match form (its `ELISION` markers are not words)."""
    return sum(1 for token in form if token != ELISION)


def alignment(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """(aligned words, stretch of the longer they span) for the best compact alignment of two match forms.

    Of the matching blocks difflib finds, the consecutive run of blocks with the best `similarity` is kept,
    so a few common words matched far away from the rest do not stretch the window. Words of the longer that
    stand where the shorter has an `ELISION` (and nothing else) are not counted in the stretch.
    """
    short, long = (a, b) if _size(a) <= _size(b) else (b, a)
    size = _size(short)
    if not size:
        return 0, 0
    # Words before each position, so stretches are counted in words, markers left out.
    before_short, before_long = _prefix_words(short), _prefix_words(long)
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    best = (0.0, 0, 0)
    for p in range(len(blocks)):
        matched = elided = 0
        for q in range(p, len(blocks)):
            blk = blocks[q]
            if q > p:
                prev = blocks[q - 1]
                gap = short[prev.a + prev.size : blk.a]
                if gap and all(token == ELISION for token in gap):
                    elided += before_long[blk.b] - before_long[prev.b + prev.size]
            matched += before_short[blk.a + blk.size] - before_short[blk.a]
            window = before_long[blk.b + blk.size] - before_long[blocks[p].b] - elided
            score = matched / max(size, window)
            if score > best[0]:
                best = (score, matched, window)
    return best[1], best[2]


def _prefix_words(form: Sequence[str]) -> list[int]:
    counts = [0]
    for token in form:
        counts.append(counts[-1] + (token != ELISION))
    return counts


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """How much of the shorter match form the longer contains, in order and compactly: 0 to 1.

    1.0 when one is a sub-span of the other (a truncated quote), or the other with words left out at an
    ellipsis; ``(n - k) / n`` for ``k`` substituted or left-out words of an ``n``-word quote.
    """
    shortest = min(_size(a), _size(b))
    if not shortest:
        return 0.0
    matched, window = alignment(a, b)
    return matched / max(shortest, window)


def same_quote(a: Sequence[str], b: Sequence[str], *, same_speaker: bool = False) -> bool:
    """Whether two quotes (as match forms, `match_form`) are versions of one quote, by the module doc's rules."""
    return _linked(_Form.of(a), _Form.of(b), same_speaker)


@dataclass(frozen=True, slots=True)
class _Form:
    """A match form with what the cheap tests need, computed once per distinct wording."""

    tokens: tuple[str, ...]
    size: int  # words, `ELISION` markers left out
    counts: dict[str, int]  # how often each word occurs
    distinct: frozenset[str]

    @classmethod
    def of(cls, tokens: Sequence[str]) -> _Form:
        words = [t for t in tokens if t != ELISION]
        counts = Counter(words)
        return cls(tuple(tokens), len(words), dict(counts), frozenset(counts))


def _linked(a: _Form, b: _Form, same_speaker: bool) -> bool:
    shortest = min(a.size, b.size)
    need = _needed_score(shortest, same_speaker)
    if need is None:
        return False
    # The words the two share, counted with repeats, bound the alignment from above: a cheap test that spares
    # the alignment for nearly every unrelated pair. Cheaper still, first: the distinct shared words plus the
    # repeats of either bound that count.
    shared = a.distinct & b.distinct
    repeats = min(a.size - len(a.distinct), b.size - len(b.distinct))
    if len(shared) + repeats < need * shortest:
        return False
    if sum(min(a.counts[w], b.counts[w]) for w in shared) < need * shortest:
        return False
    return similarity(a.tokens, b.tokens) >= need


def _needed_score(shortest: int, same_speaker: bool) -> float | None:
    """The `similarity` two quotes need to be linked, by the rules of the module doc; None: never linked."""
    if shortest < MIN_WORDS:
        return None
    if same_speaker:
        return BORDERLINE_THRESHOLD if shortest >= STRONG_MIN_WORDS else 1.0
    if shortest >= LONG_MIN_WORDS:
        return MATCH_THRESHOLD
    return 1.0 if shortest >= STRONG_MIN_WORDS else None


def diff_words(reference: str, text: str) -> tuple[DiffToken, ...]:
    """``text`` compared word by word with ``reference``: every word of both, in order, as same/inserted/deleted.

    Words are compared in their comparable form, so case, accents and punctuation never make a difference.
    Deleted words come before the inserted words that replace them.
    """
    theirs, mine = quote_words(reference), quote_words(text)
    matcher = difflib.SequenceMatcher(None, [w.key for w in theirs], [w.key for w in mine], autojunk=False)
    tokens: list[DiffToken] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            tokens += [DiffToken(DiffOp.SAME, w.span.of(text), w.span) for w in mine[j1:j2]]
            continue
        tokens += [DiffToken(DiffOp.DELETED, w.span.of(reference), w.span) for w in theirs[i1:i2]]
        tokens += [DiffToken(DiffOp.INSERTED, w.span.of(text), w.span) for w in mine[j1:j2]]
    return tuple(tokens)


# --- matching across a corpus -----------------------------------------------------------------------------


def speaker_key(quote: Quote) -> str | None:
    """What identifies a quote's speaker for comparison: the speaker id, else the folded name; None if unknown."""
    if quote.speaker_id:
        return quote.speaker_id
    if quote.speaker:
        return "name:" + fold(quote.speaker)
    return None


@dataclass(slots=True)
class _Wording:
    """One distinct wording of the corpus and every quote that has it."""

    form: _Form
    refs: list[QuoteRef]
    articles: set[str]
    speakers: set[str]


def find_quote_matches(docs: Iterable[Document]) -> tuple[QuoteMatch, ...]:
    """The groups of quotes that several articles of ``docs`` carry, in the order of their first member.

    Pure and deterministic: the same documents give the same groups and ids whatever their order.
    """
    unique = {doc.id: doc for doc in docs}
    wordings: dict[tuple[str, ...], _Wording] = {}
    for article_id in sorted(unique):
        for index, quote in enumerate(unique[article_id].quotes):
            tokens = match_form(quote.text)
            wording = wordings.get(tokens)
            if wording is None:
                form = _Form.of(tokens)
                if form.size < MIN_WORDS:
                    continue
                wording = wordings[tokens] = _Wording(form, [], set(), set())
            wording.refs.append(QuoteRef(article_id, index))
            wording.articles.add(article_id)
            speaker = speaker_key(quote)
            if speaker is not None:
                wording.speakers.add(speaker)
    forms = [wordings[k] for k in sorted(wordings)]

    sets = DisjointSets(len(forms))
    # Components do not depend on the order the pairs are linked in: the candidates need no sorting.
    for i, j in _candidates(forms):
        a, b = forms[i], forms[j]
        if len(a.articles) == 1 and a.articles == b.articles:
            continue  # both only in one and the same article: quotes are compared across articles only
        if sets.find(i) == sets.find(j):
            continue
        if _linked(a.form, b.form, bool(a.speakers & b.speakers)):
            sets.union(i, j)

    groups = []
    for members in sets.groups():
        if len({a for n in members for a in forms[n].articles}) < 2:
            continue
        refs = tuple(sorted(ref for n in members for ref in forms[n].refs))
        groups.append(QuoteMatch(_group_id(refs), refs))
    return tuple(sorted(groups, key=lambda g: g.members))


def _candidates(forms: Sequence[_Wording]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of wordings that share a word shingle, through an inverted index."""
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, form in enumerate(forms):
        words = [token for token in form.form.tokens if token != ELISION]
        for shingle in {tuple(words[k : k + SHINGLE_WORDS]) for k in range(len(words) - SHINGLE_WORDS + 1)}:
            postings[shingle].append(n)
    pairs: set[tuple[int, int]] = set()
    for holders in postings.values():
        if len(holders) < 2 or len(holders) > MAX_POSTINGS:
            continue
        for x, i in enumerate(holders):
            pairs.update((i, j) for j in holders[x + 1 :])
    return pairs


def _group_id(refs: Sequence[QuoteRef]) -> str:
    key = "\n".join(f"{r.article_id}:{r.quote_index}" for r in refs)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def matches_by_quote(matches: Iterable[QuoteMatch]) -> dict[QuoteRef, QuoteMatch]:
    """Each quote that belongs to a group, mapped to its group."""
    return {ref: match for match in matches for ref in match.members}
