"""Reading the standard evaluation and training formats into spaCy `Doc`s: UD CoNLL-U and CoNLL-2003.

Shared by `rashomon evaluate` and the training scripts in `training/`, so a model is trained and scored on
exactly the same reading of the data. Tokens are the corpora's own (gold) tokens: CoNLL-U syntactic words,
with the surface spacing of multiword tokens ("do" + "n't" with no space between), and empty nodes (8.1) left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab


@dataclass(frozen=True, slots=True)
class UDWord:
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int  # 1-based within the sentence; 0 = root
    deprel: str
    space_after: bool


def read_conllu(path: Path) -> Iterator[list[UDWord]]:
    """Sentences of a CoNLL-U file as lists of syntactic words."""
    words: list[UDWord] = []
    mwt_end = 0
    mwt_space = True
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if words:
                    yield words
                words, mwt_end = [], 0
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}: malformed CoNLL-U line: {line[:80]!r}")
            wid = cols[0]
            if "." in wid:
                continue  # an empty node of enhanced UD
            if "-" in wid:
                mwt_end = int(wid.split("-")[1])
                mwt_space = "SpaceAfter=No" not in cols[9]
                continue
            index = int(wid)
            if index < mwt_end:
                space = False
            elif index == mwt_end:
                space = mwt_space
            else:
                space = "SpaceAfter=No" not in cols[9]
            feats = "" if cols[5] == "_" else cols[5]
            words.append(UDWord(cols[1], cols[2], cols[3], cols[4], feats, int(cols[6]), cols[7], space))
    if words:
        yield words


def ud_doc(vocab: Vocab, sentences: list[list[UDWord]]) -> Doc:
    """One Doc holding the given sentences, with every gold annotation set."""
    words: list[str] = []
    spaces: list[bool] = []
    heads: list[int] = []
    deps: list[str] = []
    lemmas: list[str] = []
    tags: list[str] = []
    pos: list[str] = []
    morphs: list[str] = []
    starts: list[bool | int | None] = []
    offset = 0
    for sentence in sentences:
        for i, w in enumerate(sentence):
            words.append(w.form)
            spaces.append(w.space_after)
            heads.append(offset + (w.head - 1 if w.head else i))
            deps.append(w.deprel)
            lemmas.append(w.lemma)
            tags.append(w.xpos)
            pos.append(w.upos)
            morphs.append(w.feats)
            starts.append(i == 0)
        offset += len(sentence)
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        lemmas=lemmas,
        tags=tags,
        pos=pos,
        morphs=morphs,
        sent_starts=starts,
    )


@dataclass(frozen=True, slots=True)
class NERSentence:
    words: tuple[str, ...]
    entities: tuple[tuple[int, int, str], ...]  # token start, token end (exclusive), label


def iob1_entities(tags: list[str]) -> tuple[tuple[int, int, str], ...]:
    """Entity spans from IOB1 tags (conlleval semantics: I- continues a same-type entity, B- starts a new one)."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in {"B", "I"} and not continues:
            start, label = i, kind
    return tuple(spans)


def read_conll2003(path: Path) -> Iterator[list[NERSentence]]:
    """Documents (split at -DOCSTART-) of a CoNLL-2003 file, each a list of sentences."""
    doc: list[NERSentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush_sentence() -> None:
        if words:
            doc.append(NERSentence(tuple(words), iob1_entities(tags)))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.strip()
            if not line:
                flush_sentence()
                continue
            cols = line.split()
            if cols[0] == "-DOCSTART-":
                flush_sentence()
                if doc:
                    yield doc
                doc = []
                continue
            if len(cols) < 2:
                raise ValueError(f"{path}:{number}: expected 'token ... tag', got {line[:80]!r}")
            words.append(cols[0])
            tags.append(cols[-1])
    flush_sentence()
    if doc:
        yield doc


def ner_doc(vocab: Vocab, sentences: list[NERSentence]) -> Doc:
    """One Doc holding the given sentences with their gold entities."""
    words: list[str] = []
    starts: list[bool | int | None] = []
    ents: list[tuple[int, int, str]] = []
    for sentence in sentences:
        offset = len(words)
        words.extend(sentence.words)
        starts.extend(i == 0 for i in range(len(sentence.words)))
        ents.extend((offset + s, offset + e, label) for s, e, label in sentence.entities)
    doc = Doc(vocab, words=words, sent_starts=starts)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc
