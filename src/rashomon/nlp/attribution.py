"""Learned attribution: which words report speech or thought (the cue), what is reported, and who reports it.

Two learned parts, trained on PolNeAR by `training/train_attribution.py` and shipped in
`rashomon/models/attribution/`:

1. a **token tagger** (`tagger.npz`, a BiLSTM run with numpy, `rashomon.nlp.bilstm`) labels each word
   of a paragraph as source, cue or content (BIO) from its MiniLM vector and its place in the parse; each
   tagged cue takes the nearest tagged content of its paragraph and the nearest tagged source of its sentence;
2. three **linear models over the parse** (`weights.npz`), in the manner of BBC's Citron: cue words scored from
   their lemma and dependents, candidate content spans (the subtree of each dependent, the clause a cue
   interrupts, a neighbouring sentence) and candidate sources (the sentence's noun phrases, or none) ranked by
   their relation to the cue. Without the tagger they find attributions on their own; with it, the source
   ranker names a source where the tagger found none.

Features of the linear models are strings hashed with CRC-32 (stable across processes, unlike `hash`) into one
weight vector per model. The functions here are pure: a `Parse` of one document in, `Report` records out.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Protocol

import numpy as np

from rashomon.errors import ModelNotFoundError
from rashomon.model import Document, Span, Word
from rashomon.nlp.attribution_encoder import GRAPH, EncoderTagger
from rashomon.nlp.bilstm import BiLSTMTagger
from rashomon.nlp.marks import find_quoted_spans, quote_region

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution"
HASH_BITS = 18

# Dependents that never hold the reported content, and those that do not belong to a speaker's noun phrase.
_NOT_CONTENT = frozenset({"punct", "aux", "aux:pass", "advmod", "cc", "mark", "nsubj", "nsubj:pass", "expl", "cop"})
_NOT_IN_PHRASE = frozenset({"acl:relcl", "acl", "parataxis", "advcl", "ccomp", "punct", "conj", "cc", "appos"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
_MAX_PATH = 4


@dataclass(frozen=True, slots=True)
class Report:
    """One attribution found: word indexes (into `Document.words`) of its cue, content and source."""

    cue: tuple[int, ...]
    content: tuple[int, ...]
    source: tuple[int, ...]  # empty when no source is named ("It is expected that ...")
    score: float  # the cue model's probability
    antecedent: tuple[int, ...] = ()  # what a relative-pronoun source stands for: "the man who said"


class Parse:
    """The per-document facts the features read: words, dependents, sentences and quote regions."""

    def __init__(self, doc: Document, quote_regions: Sequence[Span] = ()) -> None:
        self.text = doc.text
        self.words: Sequence[Word] = doc.words
        self.context = doc.word_vectors  # the syntax stage's contextual word vectors, when it left them
        self.lemmas = [w.lemma.lower() for w in doc.words]
        self.children: list[list[int]] = [[] for _ in doc.words]
        for i, w in enumerate(doc.words):
            if w.head != i:
                self.children[w.head].append(i)
        starts = [s.start for s in doc.sentences] or [0]
        self.sentence = [max(0, bisect_right(starts, w.start) - 1) for w in doc.words]
        self.sentence_words: list[list[int]] = [[] for _ in starts]
        for i, s in enumerate(self.sentence):
            self.sentence_words[s].append(i)
        regions = sorted(quote_regions)
        self.regions = regions
        self.paragraph_ends = [para.end for para in doc.paragraphs] or [len(doc.text)]
        self.paragraph = [
            min(bisect_right(self.paragraph_ends, w.start), len(self.paragraph_ends) - 1) for w in doc.words
        ]
        # A word is quoted when a region opened at or before it still runs: the running maximum of the ends of
        # the regions sorted by start answers that with one bisection per word.
        reach = list(accumulate((r.end for r in regions), max))
        starts = [r.start for r in regions]
        self.quoted = [(k := bisect_right(starts, w.start) - 1) >= 0 and w.start < reach[k] for w in doc.words]
        self._region_edges = sorted({r.start for r in regions} | {r.end for r in regions})
        self._ends = [w.end for w in doc.words]

    def words_in(self, start: int, end: int) -> list[int]:
        """Indexes of the words overlapping the characters ``[start, end)``."""
        i = bisect_right(self._ends, start)
        out = []
        while i < len(self.words) and self.words[i].start < end:
            out.append(i)
            i += 1
        return out

    @classmethod
    def of(cls, doc: Document) -> Parse:
        """The parse of a document, with its quote regions found as the quotes stage finds them."""
        return cls(doc, [quote_region(q) for q in find_quoted_spans(doc.text, doc.paragraphs)])

    def form(self, i: int) -> str:
        w = self.words[i]
        return self.text[w.start : w.end]

    def char_spans(self, idxs: Iterable[int]) -> tuple[Span, ...]:
        """Character spans of the runs of consecutive word indexes; a paragraph break ends a run."""
        runs: list[list[int]] = []
        for i in sorted(idxs):
            gap = self.text[self.words[i - 1].end : self.words[i].start] if i else ""
            if runs and i == runs[-1][-1] + 1 and "\n" not in gap:
                runs[-1].append(i)
            else:
                runs.append([i])
        return tuple(Span(self.words[r[0]].start, self.words[r[-1]].end) for r in runs)

    def in_quote(self, i: int) -> bool:
        return self.quoted[i]

    def near_quote_edge(self, i: int) -> bool:
        """A quote mark within a few characters of the word: '“...,” he said' / 'said: “...'."""
        w = self.words[i]
        k = bisect_right(self._region_edges, w.start)
        near = self._region_edges[max(0, k - 1) : k + 1]
        return any(abs(e - w.start) <= 12 or abs(e - w.end) <= 12 for e in near)

    def subtree(self, i: int, exclude: int | None = None) -> list[int]:
        out, stack = [], [i]
        while stack:
            x = stack.pop()
            if x == exclude:
                continue
            out.append(x)
            stack.extend(self.children[x])
        return sorted(out)

    def trim(self, idxs: Sequence[int]) -> tuple[int, ...]:
        """The words without punctuation at either edge."""
        lo, hi = 0, len(idxs)
        while lo < hi and self.words[idxs[lo]].pos == "PUNCT":
            lo += 1
        while hi > lo and self.words[idxs[hi - 1]].pos == "PUNCT":
            hi -= 1
        return tuple(idxs[lo:hi])

    def path(self, a: int, b: int) -> str:
        """The dependency path from word ``a`` up to the lowest common ancestor and down to word ``b``."""
        up_a = self._ancestors(a)
        up_b = self._ancestors(b)
        common = next((x for x in up_a if x in set(up_b)), None)
        if common is None:
            return "far"
        ia, ib = up_a.index(common), up_b.index(common)
        if ia + ib > _MAX_PATH:
            return "far"
        left = [self.words[x].dep.split(":")[0] + "^" for x in up_a[:ia]]
        right = ["v" + self.words[x].dep.split(":")[0] for x in reversed(up_b[:ib])]
        return "".join(left + right) or "self"

    def _ancestors(self, i: int) -> list[int]:
        out = [i]
        while self.words[out[-1]].head != out[-1] and len(out) <= _MAX_PATH:
            out.append(self.words[out[-1]].head)
        return out


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


def cue_features(p: Parse, i: int) -> list[str]:
    w = p.words[i]
    lemma = p.lemmas[i]
    deps = sorted({p.words[k].dep for k in p.children[i]})
    nxt = p.lemmas[i + 1] if i + 1 < len(p.words) else "</s>"
    prev = p.lemmas[i - 1] if i > 0 else "<s>"
    feats = [
        "bias",
        f"l={lemma}",
        f"l={lemma}|pos={w.pos}",
        f"l={lemma}|dep={w.dep}",
        f"l={lemma}|tag={w.tag}",
        f"pos={w.pos}|dep={w.dep}",
        f"l={lemma}|next={nxt}",
        f"l={lemma}|prev={prev}",
        f"l={lemma}|quoted={p.in_quote(i)}",
        f"quoted={p.in_quote(i)}|near={p.near_quote_edge(i)}",
        f"l={lemma}|near={p.near_quote_edge(i)}",
        f"l={lemma}|head={p.lemmas[w.head] if w.head != i else 'ROOT'}",
    ]
    feats += [f"l={lemma}|child={d}" for d in deps] + [f"child={d}" for d in deps]
    has_subject = any(d.startswith("nsubj") for d in deps)
    has_clause = any(d in {"ccomp", "xcomp", "parataxis"} for d in deps)
    feats += [f"l={lemma}|subj={has_subject}|clause={has_clause}", f"subj={has_subject}|clause={has_clause}"]
    for k in p.children[i]:
        dep = p.words[k].dep
        if dep.startswith("nsubj"):
            subject = p.lemmas[k] if p.words[k].pos == "PRON" else p.words[k].ent_type or p.words[k].pos
            feats += [f"subject={subject}", f"l={lemma}|subject={subject}"]
        elif dep in {"obj", "obl", "iobj"}:
            feats += [f"l={lemma}|{dep}={p.lemmas[k]}"]
        elif dep in {"ccomp", "xcomp"}:
            marks = [p.lemmas[m] for m in p.children[k] if p.words[m].dep == "mark"]
            feats += [f"l={lemma}|{dep}-mark={marks[0] if marks else '-'}", f"{dep}-pos={p.words[k].pos}"]
    return feats


def cue_span(p: Parse, i: int) -> tuple[int, ...]:
    """The cue's words as annotators mark them: "has repeatedly said", "called for", "said in a statement".

    The cue word with its auxiliaries, negation and adverbs before it, a particle ("called on"), the
    preposition right after it ("according to", "referring to") and a medium phrase ("in a statement").
    """
    words = {i}
    for k in p.children[i]:
        dep = p.words[k].dep
        if dep == "compound:prt" or (k < i and dep in _CUE_LEFT and all(x in _between_ok(p, i) for x in range(k, i))):
            words.add(k)
        elif dep in {"obl", "obj"} and k > i:
            case = [c for c in p.children[k] if p.words[c].dep == "case" and c == i + 1]
            words.update(case)
            if p.lemmas[k] in _MEDIA and case and p.lemmas[case[0]] == "in":
                words.update(p.subtree(k))
    if p.lemmas[i] == "accord" and i + 1 < len(p.words) and p.lemmas[i + 1] == "to":
        words.add(i + 1)
    return tuple(sorted(words))


_CUE_LEFT = frozenset({"aux", "aux:pass", "advmod"})
_MEDIA = frozenset({"statement", "interview", "release", "email", "post", "tweet", "speech", "letter", "op-ed"})


def _between_ok(p: Parse, i: int) -> set[int]:
    """Words just before the cue that may join it: a run of auxiliaries, negation and adverbs."""
    out: set[int] = set()
    k = i - 1
    while k >= 0 and p.words[k].head == i and p.words[k].dep in _CUE_LEFT:
        out.add(k)
        k -= 1
    return out


def content_candidates(p: Parse, cue: int, cue_words: Sequence[int]) -> list[tuple[str, tuple[int, ...]]]:
    """Spans the cue may report, each with the relation that proposed it."""
    out: list[tuple[str, tuple[int, ...]]] = []
    own = set(cue_words)
    right: list[int] = []
    for k in p.children[cue]:
        dep = p.words[k].dep
        if k in own or dep in _NOT_CONTENT:
            continue
        side = "R" if k > cue else "L"
        out.append((f"child:{dep}:{side}", p.trim(p.subtree(k))))
        if k > cue:
            right.extend(p.subtree(k))
    if right:
        out.append(("right", p.trim(sorted(right))))
    sentence = p.sentence[cue]
    below, head = cue, p.words[cue].head
    for level in range(2):  # the clause the cue interrupts: "X, sources said" / "According to Y, X"
        if head == below:
            break
        rest = [x for x in p.subtree(head, exclude=below) if p.sentence[x] == sentence]
        out.append((f"up{level}:{p.words[below].dep}", p.trim(rest)))
        below, head = head, p.words[head].head
    words = p.sentence_words[sentence]
    after = [x for x in words if x > max(cue_words)]
    before = [x for x in words if x < min(cue_words)]
    if after:
        out.append(("sentence-after", p.trim(after)))
    if before:
        out.append(("sentence-before", p.trim(before)))
    # Neighbouring sentences, within the cue's paragraph: a cue never reports across a paragraph break.
    para = p.paragraph[cue]
    if sentence + 1 < len(p.sentence_words):
        out.append(("next-sentence", p.trim([x for x in p.sentence_words[sentence + 1] if p.paragraph[x] == para])))
    if sentence > 0:
        out.append(("previous-sentence", p.trim([x for x in p.sentence_words[sentence - 1] if p.paragraph[x] == para])))
    cue_start, cue_end = p.words[min(cue_words)].start, p.words[max(cue_words)].end
    sentence_words = p.sentence_words[sentence]
    lo, hi = p.words[sentence_words[0]].start, p.words[sentence_words[-1]].end
    for region in p.regions:  # quoted words next to the cue, or in its sentence: '“...,” he said' / 'said: “...'
        if region.end < lo - 2 or region.start > hi + 2 or (region.start < cue_end and cue_start < region.end):
            continue
        side = "R" if region.start >= cue_end else "L"
        inside = [x for x in p.words_in(region.start, region.end) if p.paragraph[x] == para]
        out.append((f"quote:{side}", p.trim(inside)))
    para_end = p.paragraph_ends[min(bisect_right(p.paragraph_ends, cue_end), len(p.paragraph_ends) - 1)]
    rest = p.words_in(cue_end, para_end)
    if rest and p.sentence[rest[-1]] != sentence:
        out.append(("paragraph-after", p.trim(rest)))
    seen: set[tuple[int, ...]] = set()
    unique = []
    for kind, proposed in out:
        span = p.trim([x for x in proposed if x not in own])  # "called for [X]": "for" belongs to the cue
        if span and span not in seen:
            seen.add(span)
            unique.append((kind, span))
    return unique


def content_features(p: Parse, cue: int, kind: str, span: tuple[int, ...]) -> list[str]:
    lemma = p.lemmas[cue]
    first = p.lemmas[span[0]]
    quoted = sum(p.in_quote(i) for i in span) / len(span)
    q = "all" if quoted > 0.9 else "some" if quoted > 0 else "none"
    gap = "adjacent" if span[0] == cue + 1 or span[-1] == cue - 1 else "gap"
    return [
        f"k={kind}",
        f"k={kind}|l={lemma}",
        f"k={kind}|len={_bucket(len(span))}",
        f"k={kind}|first={first}",
        f"k={kind}|q={q}",
        f"k={kind}|cuedep={p.words[cue].dep}",
        f"k={kind}|gap={gap}",
        f"k={kind}|l={lemma}|q={q}",
        f"k={kind}|firstpos={p.words[span[0]].pos}",
        f"k={kind}|last={p.lemmas[span[-1]]}",
        f"k={kind}|l={lemma}|len={_bucket(len(span))}",
        f"k={kind}|l={lemma}|first={first}",
        f"k={kind}|cross={p.sentence[span[0]] != p.sentence[cue] or p.sentence[span[-1]] != p.sentence[cue]}",
    ]


def _phrase(p: Parse, head: int) -> tuple[int, ...]:
    """A noun phrase: the head and its dependents, without clauses, appositions or conjuncts."""
    out, stack = [], [head]
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(k for k in p.children[x] if p.words[k].dep not in _NOT_IN_PHRASE)
    idxs = sorted(out)
    # Keep the contiguous stretch around the head (a phrase never jumps over the cue).
    lo = hi = idxs.index(head)
    while lo > 0 and idxs[lo - 1] == idxs[lo] - 1:
        lo -= 1
    while hi + 1 < len(idxs) and idxs[hi + 1] == idxs[hi] + 1:
        hi += 1
    return p.trim(idxs[lo : hi + 1]) or (head,)


NO_SOURCE: tuple[int, ...] = ()
_RELATIVE = frozenset({"who", "that", "which", "whom"})


def antecedent(p: Parse, head: int) -> tuple[int, ...]:
    """For a relative pronoun ("officials who said"), the noun phrase it stands for; else nothing."""
    if head < 0 or p.lemmas[head] not in _RELATIVE:
        return ()
    verb = p.words[head].head
    if p.words[verb].dep != "acl:relcl" or p.words[verb].head == verb:
        return ()
    return _phrase(p, p.words[verb].head)


def source_candidates(p: Parse, cue: int, cue_words: Sequence[int]) -> list[tuple[int, tuple[int, ...]]]:
    """Noun phrases of the cue's sentence (head word, phrase) that may name who speaks; (-1, ()) for none."""
    own = set(cue_words)
    out: list[tuple[int, tuple[int, ...]]] = [(-1, NO_SOURCE)]
    for i in p.sentence_words[p.sentence[cue]]:
        if i in own or p.words[i].pos not in _NOMINAL:
            continue
        dep = p.words[i].dep
        if dep in {"compound", "flat", "flat:name", "nmod:poss", "det", "nummod"} and p.words[i].head != i:
            continue  # inside a bigger phrase, whose head stands for it
        out.append((i, _phrase(p, i)))
    return out


def source_features(p: Parse, cue: int, head: int, span: tuple[int, ...]) -> list[str]:
    lemma = p.lemmas[cue]
    if head < 0:
        has_subject = any(p.words[k].dep.startswith("nsubj") for k in p.children[cue])
        return ["none", f"none|l={lemma}", f"none|dep={p.words[cue].dep}", f"none|subj={has_subject}"]
    w = p.words[head]
    path = p.path(head, cue)
    side = "before" if head < cue else "after"
    distance = _bucket(abs(head - cue))
    pron = p.lemmas[head] if w.pos == "PRON" else "-"
    return [
        f"path={path}",
        f"path={path}|l={lemma}",
        f"path={path}|side={side}",
        f"side={side}|d={distance}",
        f"pos={w.pos}|path={path}",
        f"pron={pron}",
        f"ent={w.ent_type or '-'}|path={path}",
        f"quoted={p.in_quote(head)}",
        f"pos={w.pos}|dep={w.dep}",
        f"len={_bucket(len(span))}",
        f"head={p.lemmas[head]}",
        f"head={p.lemmas[head]}|path={path}",
        f"path={path}|cuedep={p.words[cue].dep}",
    ]


# ------------------------------------------------------------------------------------------ the token tagger

TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
_ROLE_TAGS = {"source": (1, 2), "cue": (3, 4), "content": (5, 6)}
_MAX_SEQUENCE = 200  # words; longer paragraphs are cut into pieces of this size
_LEMMAS = 3000  # the most frequent training lemmas get their own embedding, the rest share one
_PAD, _UNKNOWN = 0, 1


def _shape(form: str) -> int:
    if not any(c.isalnum() for c in form):
        return 1
    if form.isdigit():
        return 2
    if form.isupper() and len(form) > 1:
        return 3
    return 4 if form[:1].isupper() else 5


@dataclass(frozen=True)
class TokenVocab:
    """Ids of the tagger's categorical inputs; 0 pads, 1 is any value unseen in training."""

    pos: dict[str, int]
    dep: dict[str, int]
    ent: dict[str, int]
    lemma: dict[str, int]

    @classmethod
    def build(cls, parses: Sequence[Parse]) -> TokenVocab:
        from collections import Counter

        def ids(values: Counter[str], limit: int | None = None) -> dict[str, int]:
            return {v: i + 2 for i, (v, _) in enumerate(values.most_common(limit))}

        words = [w for p in parses for w in p.words]
        return cls(
            ids(Counter(w.pos for w in words)),
            ids(Counter(w.dep for w in words)),
            ids(Counter(w.ent_type for w in words)),
            ids(Counter(lemma for p in parses for lemma in p.lemmas), _LEMMAS),
        )

    def columns(self) -> list[tuple[int, int]]:
        """(table size, embedding width) of each id column, in the order `tagger_inputs` writes them."""
        lemmas = len(self.lemma) + 2
        return [(len(self.pos) + 2, 16), (len(self.dep) + 2, 16), (len(self.ent) + 2, 8), (3, 4),
                (lemmas, 32), (6, 4), (3, 4), (lemmas, 16)]  # fmt: skip

    def arrays(self) -> dict[str, np.ndarray]:
        return {f"vocab.{name}": np.array(sorted(table, key=table.__getitem__)) for name, table in self._tables()}

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray]) -> TokenVocab:
        def table(name: str) -> dict[str, int]:
            return {str(v): i + 2 for i, v in enumerate(data[f"vocab.{name}"])}

        return cls(table("pos"), table("dep"), table("ent"), table("lemma"))

    def _tables(self) -> list[tuple[str, dict[str, int]]]:
        return [("pos", self.pos), ("dep", self.dep), ("ent", self.ent), ("lemma", self.lemma)]


def tagger_inputs(p: Parse, vocab: TokenVocab, context: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Per word: its MiniLM static vector followed by ``context`` dimensions of the parse's contextual vectors
    (zeros where the document has none of that width), and the ids of `TokenVocab.columns`."""
    from rashomon.nlp.minilm import DIMS, word_vectors  # imports spaCy: only when the tagger runs

    forms = [p.form(i) for i in range(len(p.words))]
    vectors = word_vectors()(forms).astype(np.float32) if forms else np.zeros((0, DIMS), np.float32)
    if context:
        # A document read back from a store, or parsed by a pipeline of another width, has no usable vectors:
        # the tagger then sees zeros there, as it does for padding, and works on the rest of its inputs.
        usable = p.context is not None and p.context.shape == (len(p.words), context)
        extra = p.context if usable else np.zeros((len(p.words), context), np.float32)
        vectors = np.concatenate([vectors, np.asarray(extra, np.float32)], axis=1)
    ids = np.zeros((len(p.words), 8), dtype=np.int64)
    lemma = vocab.lemma.get
    for i, w in enumerate(p.words):
        h = w.head
        ids[i] = (
            vocab.pos.get(w.pos, _UNKNOWN),
            vocab.dep.get(w.dep, _UNKNOWN),
            vocab.ent.get(w.ent_type, _UNKNOWN),
            1 + p.in_quote(i),
            lemma(p.lemmas[i], _UNKNOWN),
            _shape(forms[i]),
            0 if h == i else 1 if h < i else 2,
            _PAD if h == i else lemma(p.lemmas[h], _UNKNOWN),
        )
    return vectors, ids


def paragraph_sequences(p: Parse) -> list[list[int]]:
    """The tagger's sequences: the word indexes of each paragraph, long ones cut in pieces."""
    by_paragraph: dict[int, list[int]] = {}
    for i in range(len(p.words)):
        by_paragraph.setdefault(p.paragraph[i], []).append(i)
    return [ws[k : k + _MAX_SEQUENCE] for ws in by_paragraph.values() for k in range(0, len(ws), _MAX_SEQUENCE)]


def _allowed_transitions() -> np.ndarray:
    """BIO: an inside tag may only follow the begin or inside tag of its own role."""
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for begin, inside in _ROLE_TAGS.values():
        allowed[:, inside] = False
        allowed[[begin, inside], inside] = True
    return allowed


_ALLOWED = _allowed_transitions()
_TRANSITION_PENALTY = np.where(_ALLOWED, 0.0, -np.inf)


def decode_bio(probs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The most probable valid BIO tag sequence of each sequence, given per-word tag probabilities (Viterbi).

    Where the argmax tags are valid BIO this returns them unchanged; where they are not ("O I-content"), it
    finds the best repair (begin the span there, or extend the one before) instead of a local guess. All
    sequences are decoded in one loop over the longest: a padded word is equally likely under every tag, and
    any tag may be followed by O, so padding never changes a sequence's best path.
    """
    greedy = [pr.argmax(-1) for pr in probs]
    # A valid argmax sequence is already the best path (valid transitions cost nothing): decode only the rest.
    invalid = [row for row, g in enumerate(greedy) if not _ALLOWED[np.r_[0, g[:-1]], g].all()]
    for row, tags in zip(invalid, _viterbi([probs[row] for row in invalid]), strict=True):
        greedy[row] = tags
    return greedy


def _viterbi(probs: Sequence[np.ndarray]) -> list[np.ndarray]:
    if not probs:
        return []
    length = max(len(pr) for pr in probs)
    logp = np.zeros((len(probs), length, len(TAGS)))
    for row, pr in enumerate(probs):
        logp[row, : len(pr)] = np.log(np.maximum(pr, 1e-12))
    back = np.zeros((len(probs), length, len(TAGS)), dtype=np.int64)
    score = logp[:, 0] + _TRANSITION_PENALTY[0]  # a sequence starts as if after O: no inside tag first
    for k in range(1, length):
        total = score[:, :, None] + _TRANSITION_PENALTY  # [sequence, previous tag, tag]
        back[:, k] = total.argmax(1)
        score = total.max(1) + logp[:, k]
    tags = np.zeros((len(probs), length), dtype=np.int64)
    tags[:, -1] = score.argmax(1)
    rows = np.arange(len(probs))
    for k in range(length - 1, 0, -1):
        tags[:, k - 1] = back[rows, k, tags[:, k]]
    return [tags[row, : len(pr)] for row, pr in enumerate(probs)]


def tag_spans(tags: Sequence[int], role: str) -> list[tuple[int, ...]]:
    """Runs of one role in a tag sequence; an inside tag with nothing to continue starts a span."""
    begin, inside = _ROLE_TAGS[role]
    spans: list[list[int]] = []
    for k, t in enumerate(tags):
        if t == begin or (t == inside and not (spans and spans[-1][-1] == k - 1)):
            spans.append([k])
        elif t == inside:
            spans[-1].append(k)
    return [tuple(s) for s in spans]


def _gap(a: Sequence[int], b: Sequence[int]) -> int:
    return b[0] - a[-1] if b[0] > a[-1] else a[0] - b[-1]


def head_word(p: Parse, span: Iterable[int]) -> int:
    """The word of a non-empty span that the others hang on: the first whose head lies outside it (or a root)."""
    words = sorted(span)
    inside = set(words)
    return next((i for i in words if p.words[i].head not in inside or p.words[i].head == i), words[0])


def _nearest_pairs(pairs: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """One-to-one pairing from (distance, a, b) candidates, nearest first: a -> b."""
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for _, a, b in sorted(pairs):
        if a not in chosen and b not in taken:
            chosen[a] = b
            taken.add(b)
    return chosen


def hashed(features: Sequence[str], bits: int = HASH_BITS) -> np.ndarray:
    mask = (1 << bits) - 1
    return np.fromiter((zlib.crc32(f.encode()) & mask for f in features), dtype=np.int64, count=len(features))


class WordTagger(Protocol):
    def probabilities(self, forms: Sequence[str], paragraphs: Sequence[int]) -> np.ndarray: ...


@dataclass(frozen=True)
class AttributionModel:
    """The three weight vectors, the cue lemmas seen in training, and the cue decision threshold."""

    cue: np.ndarray
    content: np.ndarray
    source: np.ndarray
    cue_lemmas: frozenset[str]
    threshold: float = 0.5
    tagger: BiLSTMTagger | None = None
    vocab: TokenVocab | None = None
    encoder: WordTagger | None = None  # the fine-tuned MiniLM tagger

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> AttributionModel:
        path = directory / "weights.npz"
        if not path.is_file():
            raise ModelNotFoundError(f"{path}: attribution model not found (train it: make train-attribution)")
        with np.load(path) as data:
            lemmas = frozenset(str(x) for x in data["cue_lemmas"])
            model = cls(data["cue"], data["content"], data["source"], lemmas, float(data["threshold"]))
        if (directory / GRAPH).is_file():
            model = replace(model, encoder=EncoderTagger(directory))
        tagger = directory / "tagger.npz"
        if not tagger.is_file():
            return model
        with np.load(tagger) as data:
            arrays = {k: data[k] for k in data.files}
        return replace(model, tagger=BiLSTMTagger.from_weights(arrays), vocab=TokenVocab.from_arrays(arrays))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / "weights.npz",
            cue=self.cue.astype(np.float32),
            content=self.content.astype(np.float32),
            source=self.source.astype(np.float32),
            cue_lemmas=np.array(sorted(self.cue_lemmas)),
            threshold=np.float32(self.threshold),
        )

    def cue_probability(self, p: Parse, i: int) -> float:
        z = float(self.cue[hashed(cue_features(p, i))].sum())
        return float(1.0 / (1.0 + np.exp(-z)))

    def find(self, p: Parse) -> Iterator[Report]:
        """The attributions of one parsed document, in text order of their cues."""
        if not p.words:
            return
        probs = self.word_probabilities(p)
        if probs is None:
            yield from self._ranked(p)
        else:
            yield from self._tagged(p, probs)

    def word_probabilities(self, p: Parse) -> np.ndarray | None:
        """The taggers' tag probabilities of each word (rows: words; columns: `TAGS`), or None without a tagger.

        With both taggers, their mean: the encoder reads the words in context, the BiLSTM the parse, and their
        errors differ (docs/models.md, issue 4 run 14: the mean gains 3 points of whole F1 over either). The
        BiLSTM then runs on a thread of its own while the encoder's windows run, on cores the windows leave idle.
        """
        bilstm = self.tagger is not None and self.vocab is not None
        if self.encoder is None:
            return self._bilstm_probabilities(p) if bilstm else None
        pending = _side_thread().submit(self._bilstm_probabilities, p) if bilstm else None
        encoded = self.encoder.probabilities([p.form(i) for i in range(len(p.words))], p.paragraph)
        if pending is None:
            return encoded
        out: np.ndarray = (encoded + pending.result()) / 2
        return out

    def _bilstm_probabilities(self, p: Parse) -> np.ndarray:
        from rashomon.nlp.minilm import DIMS

        assert self.tagger is not None and self.vocab is not None
        vectors, ids = tagger_inputs(p, self.vocab, self.tagger.dense_width - DIMS)
        sequences = paragraph_sequences(p)
        probs = self.tagger.probabilities([vectors[s] for s in sequences], [ids[s] for s in sequences])
        out = np.zeros((len(p.words), len(TAGS)), dtype=np.float32)
        for s, pr in zip(sequences, probs, strict=True):
            out[s] = pr
        return out

    def _tagged(self, p: Parse, word_probs: np.ndarray) -> Iterator[Report]:
        sequences = paragraph_sequences(p)
        probs = [word_probs[s] for s in sequences]
        tags = np.zeros(len(p.words), dtype=np.int64)
        confidence = word_probs.max(-1)
        # Valid BIO spans, decoded over each paragraph (a greedy argmax would cut spans at one doubtful word).
        for s, t in zip(sequences, decode_bio(probs), strict=True):
            tags[s] = t
        cues, contents, sources = (tag_spans(tags.tolist(), role) for role in ("cue", "content", "source"))
        # Each content goes to the nearest cue of its paragraph, nearest pairs first (PolNeAR's annotation is
        # univocal: a word belongs to one attribution at most).
        content_of = {
            ci: contents[qi]
            for ci, qi in _nearest_pairs(
                (_gap(c, q), ci, qi)
                for ci, c in enumerate(cues)
                for qi, q in enumerate(contents)
                if p.paragraph[c[0]] == p.paragraph[q[0]]
            ).items()
        }
        # Sources pair with cues the same way, within a sentence: nearest pairs first, so in "Asked about X, Mr
        # Corbyn said ..." the name goes to "said", the cue beside it, not to "Asked", the first cue.
        source_of = _nearest_pairs(
            (_gap(cues[ci], s), ci, si)
            for ci in content_of
            for si, s in enumerate(sources)
            if p.sentence[s[0]] == p.sentence[cues[ci][0]] and not set(s) & set(content_of[ci])
        )
        for ci, cue in enumerate(cues):
            content = content_of.get(ci)
            if content is None:
                continue
            head = head_word(p, cue)
            if ci in source_of:
                source = sources[source_of[ci]]
                source_head = head_word(p, source)
            else:  # the tagger saw no source: the parse-based ranker may still find one ("he told ...")
                source_head, source = self._best_source(p, head, cue, content)
            yield Report(cue, content, source, float(confidence[list(cue)].mean()), antecedent(p, source_head))

    def _best_source(
        self, p: Parse, head: int, cue: Sequence[int], content: Sequence[int]
    ) -> tuple[int, tuple[int, ...]]:
        sources = [s for s in source_candidates(p, head, cue) if not set(s[1]) & set(content)]
        return max(sources, key=lambda s: float(self.source[hashed(source_features(p, head, *s))].sum()))

    def _ranked(self, p: Parse) -> Iterator[Report]:
        for i, lemma in enumerate(p.lemmas):
            if lemma not in self.cue_lemmas:
                continue
            prob = self.cue_probability(p, i)
            if prob < self.threshold:
                continue
            words = cue_span(p, i)
            contents = content_candidates(p, i, words)
            if not contents:
                continue
            _, content = max(contents, key=lambda c: float(self.content[hashed(content_features(p, i, *c))].sum()))
            head, source = self._best_source(p, i, words, content)
            yield Report(words, content, source, prob, antecedent(p, head))


@cache
def _side_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(1, thread_name_prefix="attribution-bilstm")


@cache
def shipped_model() -> AttributionModel:
    """The shipped weights, loaded once per process."""
    return AttributionModel.load()
