"""Labels from the parse: what an article calls each of its actors, beyond the titles written before a name.

One concern: reading descriptors of entities off the dependency parse (`Document.words`) and attaching them to
the entities the `ner` stage found. Four kinds are added to the `TITLE` labels that stage already gives:

* `APPOSITIVE`: a noun phrase beside the name, "Juan Andres Mejia, a Venezuelan opposition politician" and
  "Venezuela's opposition leader, Juan Guaidó";
* `PREDICATE`: a noun phrase said of the name, "Maduro is a dictator", "Guaidó, who is a lawmaker", "recognised
  Guaidó as interim president", "called Maduro a usurper" (never negated, never in a question);
* `INSTITUTION`: the actor's institution as the writer names it, "the Maduro regime", "Maduro's government",
  "the government led by President Maduro" (the noun and its adjectives: "brutal regime");
* `DESCRIPTION`: a later definite description ("the Labour leader") standing for the one entity an earlier
  title, appositive or predicate gave that description; the entity also gets it as a `DESCRIPTION` mention.

A title in quote marks, which the `ner` stage's titles stop at ("the 'interim president' Juan Guaidó"), becomes
a `TITLE` here. Every label, the `ner` stage's titles included, is marked `scare_quoted` when its head stands
inside a short quoted stretch (at most four words); a label inside someone's long direct quote is not. Labels
are short by construction: a noun, its left modifiers and at most one short "of" phrase, never a relative
clause, at most eight words.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rashomon.model import Document, Entity, EntityType, Label, LabelKind, Mention, MentionKind, Span, Word
from rashomon.names import label_normal
from rashomon.nlp.lexicon import DATE_WORDS, DEMONYMS, HONORIFIC_WORDS, ROLE_WORDS
from rashomon.nlp.pipeline import register
from rashomon.settings import Settings

# Nouns naming the institution, camp or following of an actor: "the Maduro regime", "Maduro's supporters".
# General English, matched on the lowercase word and on its lemma (so plurals count).
INSTITUTION_NOUNS = frozenset(
    """
    regime government administration dictatorship junta cabinet camp loyalist loyalists supporter supporters
    force forces troop troops ally allies party campaign follower followers militia militias backer backers
    crony cronies henchman henchmen faction circle entourage aide aides team army guard
    """.split()
)

# Adjectives of a political family, capitalised like names: "Democratic campaigns" are nobody's institution.
_PARTY_ADJECTIVES = frozenset(
    "democratic republican conservative liberal socialist communist labour green progressive nationalist".split()
)

# Verbs whose object is named as something: "called Maduro a usurper", "declared Guaidó interim president".
_NAMING_VERBS = frozenset(
    "call brand label dub name term declare proclaim deem consider style elect appoint crown".split()
)
# Verbs that deny what follows: "refused to recognise Maduro as president" says nothing of Maduro.
_DENYING_VERBS = frozenset("refuse deny reject decline fail oppose dispute question doubt".split())
# Heads that say nothing of an actor: "Tokyo as part of a tour", "Trump is now on track".
_EMPTY_HEADS = frozenset("part one kind sort type lot number example track way time thing matter".split())
_NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
# Determiners that make a phrase a count of several, never one actor: "Russia, China and several other countries".
_QUANTIFIERS = frozenset({"several", "many", "some", "other", "both", "all", "few", "various", "these", "those"})
_LEADING_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those"})
# Dependents of a noun kept on its left in a label: "Venezuelan opposition politician", "country's defence minister".
_LEFT_MODIFIERS = frozenset({"amod", "compound", "nmod:poss", "nummod", "flat", "advmod", "nmod:desc"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})
_MAX_LABEL_WORDS = 8
_MAX_OF_PHRASE_WORDS = 5
_MAX_SCARE_WORDS = 4  # a longer stretch in quote marks is someone's words, not the writer's distance
_DOUBLE_MARKS = frozenset('"“”„«»')
_SINGLE_MARKS = frozenset("'‘’‚‹›")
_QUOTE_MARKS = _DOUBLE_MARKS | _SINGLE_MARKS
_BEFORE_OPENING = frozenset(" \t\n([{—–-/")
_AFTER_CLOSING = frozenset(" \t\n)]}.,;:!?—–-/…") | _QUOTE_MARKS
# A comma, dash or bracket sets an appositive off from the name.
_APPOSITION_MARKS = frozenset({",", "—", "–", "(", "-", "--"})


@dataclass(frozen=True, slots=True)
class _Anchor:
    """One name mention of an entity and the parsed words it covers."""

    entity: int  # index into the document's entities
    span: Span
    words: frozenset[int]
    head: int  # the word whose head lies outside the mention


class _Parse:
    """The words of one document, indexed once for the label rules: children, subtree extents, mentions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.words: Sequence[Word] = doc.words
        n = len(self.words)
        self.heads = [w.head if 0 <= w.head < n else i for i, w in enumerate(self.words)]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(self.heads):
            if h != i:
                self.children[h].append(i)
        self.left = list(range(n))  # the first word of each word's subtree
        self.right = list(range(n))
        for i in range(n):
            j, steps = i, 0
            while self.heads[j] != j and steps < n:  # bounded: a malformed parse may hold a cycle
                j = self.heads[j]
                self.left[j] = min(self.left[j], i)
                self.right[j] = max(self.right[j], i)
                steps += 1
        self.starts = [w.start for w in self.words]
        self.sentence_starts = [s.start for s in doc.sentences]
        self.anchors: list[_Anchor] = []
        self.anchor_of: dict[int, _Anchor] = {}  # word index -> the name mention it is part of
        for e, entity in enumerate(doc.entities):
            for mention in entity.mentions:
                if mention.kind is not MentionKind.NAME:
                    continue
                inside = self.covered(mention.span)
                if not inside:
                    continue  # a mention that does not line up with the parse's words
                members = frozenset(inside)
                head = next((i for i in inside if self.heads[i] not in members or self.heads[i] == i), inside[0])
                anchor = _Anchor(e, mention.span, members, head)
                self.anchors.append(anchor)
                for i in inside:
                    self.anchor_of.setdefault(i, anchor)

    def covered(self, span: Span) -> list[int]:
        """The words lying wholly inside ``span``."""
        first = bisect.bisect_left(self.starts, span.start)
        out = []
        for i in range(first, len(self.words)):
            w = self.words[i]
            if w.start >= span.end:
                break
            if w.end <= span.end:
                out.append(i)
        return out

    def word(self, i: int) -> str:
        w = self.words[i]
        return self.text[w.start : w.end]

    def lower(self, i: int) -> str:
        return self.word(i).lower()

    def lemma(self, i: int) -> str:
        return self.words[i].lemma.lower()

    def is_mark(self, i: int) -> bool:
        """A quotation mark standing as a word of its own (not the apostrophe of a possessive)."""
        text = self.word(i)
        return 0 < len(text) <= 2 and all(c in _QUOTE_MARKS for c in text) and self.words[i].tag != "POS"

    def opens(self, i: int) -> bool:
        w = self.words[i]
        before = self.text[w.start - 1] if w.start > 0 else " "
        after = self.text[w.end] if w.end < len(self.text) else " "
        return self.is_mark(i) and not after.isspace() and (before in _BEFORE_OPENING or before in _QUOTE_MARKS)

    def closes(self, i: int) -> bool:
        w = self.words[i]
        before = self.text[w.start - 1] if w.start > 0 else " "
        after = self.text[w.end] if w.end < len(self.text) else " "
        return self.is_mark(i) and not before.isspace() and after in _AFTER_CLOSING

    def is_punct(self, i: int) -> bool:
        return self.words[i].pos in ("PUNCT", "SPACE") or not any(c.isalnum() for c in self.word(i))

    def dependents(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children[i] if self.words[c].dep in deps]

    def sentence_text(self, i: int) -> str:
        k = bisect.bisect_right(self.sentence_starts, self.words[i].start) - 1
        if k < 0:
            return ""
        return self.doc.sentences[k].of(self.text)


# -- phrases --------------------------------------------------------------------------------------------------


def _quantified(p: _Parse, n: int) -> bool:
    return any(p.lemma(c) in _QUANTIFIERS or p.lower(c) in _QUANTIFIERS for c in p.children[n])


def _of_phrase(p: _Parse, n: int) -> list[int]:
    """A short "of" phrase right after the noun ("head | of the Congressional Black Caucus"), or nothing."""
    for c in p.children[n]:
        if c <= n or p.words[c].dep != "nmod" or p.left[c] != n + 1 or p.lower(n + 1) != "of":
            continue
        inside = range(p.left[c], p.right[c] + 1)
        if sum(not p.is_punct(i) for i in inside) > _MAX_OF_PHRASE_WORDS:
            return []
        if any(
            p.words[i].pos in ("VERB", "AUX", "PRON") or p.words[i].dep in ("acl", "acl:relcl", "appos", "conj", "cc")
            for i in inside
            if i != n + 1
        ):
            return []
        return list(inside)
    return []


def _noun_phrase(p: _Parse, n: int, *, of_phrase: bool = True) -> list[int]:
    """The words of the label a noun heads: the noun, its left modifiers (contiguous, with their own dependents)
    and optionally a short "of" phrase; never a determiner first, a clause, or more than eight words."""
    kept = [n]
    pos = n - 1
    while pos >= 0:
        if p.is_mark(pos) and p.heads[pos] in (n, *kept):  # "illegitimate “interim president”": kept for now
            kept.append(pos)
            pos -= 1
            continue
        # The dependent of the noun whose subtree holds the word just left of the phrase.
        c, steps = pos, 0
        while p.heads[c] != n and p.heads[c] != c and steps < len(p.words):
            c = p.heads[c]
            steps += 1
        if p.heads[c] != n or c == n or p.words[c].dep not in _LEFT_MODIFIERS or p.right[c] != pos:
            break
        sub = [i for i in range(p.left[c], pos + 1)]
        if any(p.words[i].pos in ("VERB", "AUX") and p.words[i].dep not in ("amod", "compound") for i in sub):
            break
        if sum(not p.is_punct(i) for i in (*kept, *sub)) > _MAX_LABEL_WORDS:
            break
        kept.extend(sub)
        pos = p.left[c] - 1
    kept.sort()
    # Never the noun itself: a parse may head an apposition with a dash ("Bruce Smith - the NFL's ...").
    while kept[0] != n and (p.is_mark(kept[0]) or p.is_punct(kept[0])):
        kept.pop(0)
    # Leading determiners go ("a Venezuelan opposition politician" -> "Venezuelan opposition politician"), and so
    # does the determiner of a possessor ("the country's defence minister" -> "country's defence minister").
    while len(kept) > 1 and (p.lower(kept[0]) in _LEADING_DETERMINERS or p.words[kept[0]].dep == "det"):
        kept.pop(0)
    if of_phrase:
        tail = _of_phrase(p, n)
        if tail and sum(not p.is_punct(i) for i in (*kept, *tail)) <= _MAX_LABEL_WORDS:
            kept.extend(tail)
    return kept


def _text(p: _Parse, indices: Sequence[int]) -> str:
    """The words as written, quote marks left out; a gap in the words is one space."""
    parts: list[str] = []
    prev: int | None = None
    for i in sorted(indices):
        if p.is_mark(i):
            continue
        if prev is not None:
            between = range(prev + 1, i)
            gap = p.text[p.words[prev].end : p.words[i].start]
            contiguous = all(p.is_mark(j) for j in between)
            if not contiguous or any(c.isspace() for c in gap):
                parts.append(" ")
        parts.append(p.word(i))
        prev = i
    return " ".join("".join(parts).split())


def _scare_quoted(p: _Parse, indices: Sequence[int], head: int) -> bool:
    """Whether the label's head stands in a short quoted stretch that starts at the label (or right before it,
    past a determiner) and ends right after its head or its last word: the writer's own scare quotes."""
    if not indices:
        return False
    first, last = min(indices), max(indices)
    closers = {head + 1, last + 1}
    # American style puts a comma or period inside the marks: 'denounced Mr. Kim as a "madman,"'.
    closers |= {i + 1 for i in tuple(closers) if i < len(p.words) and p.word(i) in (",", ".")}
    for close in sorted(closers):
        if close >= len(p.words) or not p.closes(close):
            continue
        lowest = first - 1  # the mark opens at the label, or before its determiner: “the interim president”
        if lowest >= 1 and p.words[lowest].dep == "det":
            lowest -= 1
        for open_ in range(head - 1, max(lowest, 0) - 1, -1):
            if p.is_mark(open_) and not p.opens(open_):
                break  # another closing mark between: not one quoted stretch
            if not p.opens(open_):
                continue
            same_family = (p.word(open_)[0] in _DOUBLE_MARKS) == (p.word(close)[0] in _DOUBLE_MARKS)
            words = sum(not p.is_punct(i) for i in range(open_ + 1, close))
            if same_family and 0 < words <= _MAX_SCARE_WORDS:
                return True
            break
    return False


def _head_lemma(p: _Parse, head: int) -> str:
    """The head's lemma as `label_normal` wants it: the whole last written word, so a hyphenated head keeps its
    first part ("now-president", not "president"); a word that is not a noun as written ("London-based")."""
    lemma = p.words[head].lemma if p.words[head].pos in _NOUNS and p.words[head].lemma else p.word(head)
    start = head
    while (
        start > 0
        and p.words[start - 1].end == p.words[start].start
        and (p.word(start - 1) in ("-", "–") or p.word(start - 1)[-1:].isalnum())
    ):
        start -= 1
    return p.text[p.words[start].start : p.words[head].start] + lemma


def _label(p: _Parse, indices: Sequence[int], head: int, kind: LabelKind, mention: Span | None) -> Label | None:
    words = sorted(i for i in indices if not p.is_mark(i))
    if not words:
        return None
    text = _text(p, words)
    before = [i for i in words if i <= head]
    after = [i for i in words if i > head]
    normal = label_normal(_text(p, before), _head_lemma(p, head))
    if after:
        normal = f"{normal} {label_normal(_text(p, after))}"
    if not text or not normal:
        return None
    span = Span(p.words[words[0]].start, p.words[words[-1]].end)
    return Label(text, normal, kind, span, mention, _scare_quoted(p, indices, head))


def _titles_another(p: _Parse, n: int, anchor: _Anchor | None) -> bool:
    """Whether a capitalised noun is the title of a person named right after it ("Representative Devin Nunes",
    "U.S. Ambassador to China Terry Branstad"): a label of that person, not of the actor at hand."""
    if not p.word(n)[:1].isupper():
        return False
    for k in range(n + 1, min(n + 5, len(p.words))):
        other = p.anchor_of.get(k)
        if other is not None and p.doc.entities[other.entity].type is EntityType.PERSON:
            return anchor is None or other.entity != anchor.entity
        if p.is_punct(k):
            return False
    return False


def _clean_phrase(p: _Parse, n: int, anchor: _Anchor | None, *, of_phrase: bool = True) -> list[int] | None:
    """The label phrase of noun ``n`` unless it names an actor itself, counts several or holds the actor."""
    if p.words[n].pos not in _NOUNS or n in p.anchor_of or _quantified(p, n):
        return None
    if p.words[n].pos == "PROPN" and (p.words[n].ent_iob != "O" or p.lemma(n) not in ROLE_WORDS):
        return None  # a name of its own, "Caracas, Venezuela", not a title ("Prime Minister")
    word = p.word(n)
    if p.lemma(n) in _EMPTY_HEADS or p.lower(n) in DATE_WORDS or word.lower().rstrip(".") in HONORIFIC_WORDS:
        return None
    if word.isupper() and len(word) <= 3 and not any(p.words[c].dep in _LEFT_MODIFIERS for c in p.children[n]):
        return None  # a party or state code: "Bob Goodlatte (R-Va.)"
    if n + 1 < len(p.words) and p.words[n].end == p.words[n + 1].start and p.word(n + 1) in ("-", "–"):
        return None  # the first part of a hyphenated word: "co-director", "D-Calif."
    if n + 1 < len(p.words) and p.words[n + 1].pos == "NOUN" and n + 1 not in p.anchor_of:
        return None  # the parse cut a compound short: "a former acting attorney | general"
    if any(p.lemma(c) in ("more", "less") for c in p.children[n]):
        return None  # a comparison, not a label: "more bark than bite"
    if _titles_another(p, n, anchor):
        return None
    phrase = _noun_phrase(p, n, of_phrase=of_phrase)
    if anchor is not None and any((a := p.anchor_of.get(i)) is not None and a.entity == anchor.entity for i in phrase):
        return None
    return phrase


# -- appositives ----------------------------------------------------------------------------------------------


def _set_off(p: _Parse, i: int) -> bool:
    return 0 <= i < len(p.words) and p.word(i) in _APPOSITION_MARKS


def _closes_clause(p: _Parse, i: int) -> bool:
    """Whether word ``i`` ends an appositive: a comma, dash or bracket not opening a list ("..., and")."""
    if i >= len(p.words):
        return True
    if p.word(i) in (".", "!", "?", ";", ":", ")", "—", "–"):
        return True
    if p.word(i) != ",":
        return False
    return i + 1 >= len(p.words) or p.lower(i + 1) not in ("and", "or", "nor")


def _nominal_run(p: _Parse, i: int) -> int:
    """Where a run of nominal words starting at ``i`` ends (exclusive): "another Labour member", "the APPG"."""
    stop = min(i + _MAX_LABEL_WORDS, len(p.words))
    while i < stop:
        if not (p.words[i].pos in _PHRASE_POS or p.words[i].tag == "POS" or p.word(i) == "-"):
            break
        i += 1
    return i


def _opens_paragraph(p: _Parse, anchor: _Anchor) -> bool:
    """Whether the mention starts its line: a dateline ("WASHINGTON — ...") rather than a name in a sentence."""
    before = p.text[: anchor.span.start].rstrip(" \t")
    return not before or before.endswith("\n")


def _listed(p: _Parse, anchor: _Anchor) -> bool:
    """Whether the name heads a list ("Maduro, Guaidó and Lopez", "Maduro, the army and the police")."""
    conjs = p.dependents(anchor.head, "conj")
    return len(conjs) > 1 or any(c in p.anchor_of or p.dependents(c, "cc") for c in conjs)


def _appositive_nouns(p: _Parse, anchor: _Anchor) -> list[int]:
    """The heads of the noun phrases in apposition to a name mention, whichever side they stand on."""
    start, end = min(anchor.words), max(anchor.words)
    nouns: list[int] = []
    # After the name: "Juan Andres Mejia, a Venezuelan opposition politician,"; not after a dateline
    # ("WASHINGTON — A series of memos").
    if _set_off(p, end + 1) and not (p.word(end + 1) in ("—", "–", "-", "--") and _opens_paragraph(p, anchor)):
        for i in anchor.words:
            for c in p.children[i]:
                dep = p.words[c].dep
                if (
                    c > end
                    and p.left[c] in (end + 1, end + 2)
                    and (dep in ("appos", "list") or (dep == "conj" and p.lemma(c) in ROLE_WORDS))
                ):
                    nouns.append(c)
        # A parse that missed the apposition: a role noun phrase, with its "of" phrase, set off by commas.
        run = _nominal_run(p, end + 2)
        n, after = run - 1, run
        if after < len(p.words) and p.lower(after) == "of":
            after = _nominal_run(p, after + 1)
        if (
            n > end + 1
            and p.words[n].pos == "NOUN"
            and p.lemma(n) in ROLE_WORDS
            and p.left[n] >= end + 2
            and _closes_clause(p, after)
        ):
            nouns.append(n)
    # Before the name: "Venezuela's opposition leader, Juan Guaidó," (the name is the appositive).
    if start >= 2 and _set_off(p, start - 1) and _closes_clause(p, end + 1):
        g = p.heads[anchor.head]
        if p.words[anchor.head].dep == "appos" and g < start and g not in anchor.words:
            if g == start - 2 or max(_noun_phrase(p, g)) == start - 2:  # not "a deal with the biggest, Japan"
                nouns.append(g)
        else:
            n = start - 2  # the noun right before the comma, when the parse missed the apposition
            if p.lemma(n) in ROLE_WORDS and p.words[n].pos == "NOUN" and (p.right[n] <= n + 1 or g == n):
                nouns.append(n)
    return nouns


def _appositives(p: _Parse) -> Iterable[tuple[_Anchor, Label]]:
    for anchor in p.anchors:
        if _listed(p, anchor):
            continue
        group = p.doc.entities[anchor.entity].type is EntityType.ORGANIZATION
        for n in dict.fromkeys(_appositive_nouns(p, anchor)):
            if n > anchor.head and p.words[n].tag in ("NNS", "NNPS") and not group:
                continue  # one actor is not several: "Tijuana, blocks from the border"
            phrase = _clean_phrase(p, n, anchor)
            if phrase is None:
                continue
            label = _label(p, phrase, n, LabelKind.APPOSITIVE, anchor.span)
            if label is not None:
                yield anchor, label


# -- predicates -----------------------------------------------------------------------------------------------


def _negated(p: _Parse, *heads: int) -> bool:
    return any(
        p.lower(c) in _NEGATIONS or p.lemma(c) in _NEGATIONS
        for h in heads
        for c in p.children[h]
        if p.words[c].dep in ("advmod", "neg", "det", "cc:preconj", "aux", "cop")
    )


def _denied(p: _Parse, verb: int) -> bool:
    """A negated verb, or one under a verb of denial ("refused to recognise", "did not call")."""
    v, steps = verb, 0
    while steps < 3:
        if _negated(p, v) or p.lemma(v) in _DENYING_VERBS:
            return True
        if p.words[v].dep not in ("xcomp", "ccomp", "conj") or p.heads[v] == v:
            return False
        v = p.heads[v]
        steps += 1
    return False


def _hedged(p: _Parse, n: int) -> bool:
    """A question, a condition or a modal: "Is Maduro a dictator?", "if Maduro were a dictator", "may be"."""
    if p.sentence_text(n).rstrip().rstrip("”’\"'").endswith("?"):
        return True
    for c in p.children[n]:
        if p.words[c].dep == "mark" and p.lemma(c) in ("if", "whether", "unless"):
            return True
        if p.words[c].tag == "MD" and p.lemma(c) not in ("will", "'ll", "shall"):
            return True
    return False


def _anchor_of_word(p: _Parse, i: int) -> _Anchor | None:
    anchor = p.anchor_of.get(i)
    return anchor if anchor is not None and anchor.head == i else None


def _copular(p: _Parse, n: int) -> _Anchor | None:
    """The actor a copular predicate is said of: "Maduro is a dictator", "Guaidó, who is a lawmaker,"."""
    subjects = p.dependents(n, "nsubj", "nsubj:pass")
    if len(subjects) != 1 or _negated(p, n) or _hedged(p, n) or p.dependents(n, "case"):
        return None  # several subjects, "is not", "Is he ...?", or a place rather than a thing ("under pressure")
    s, cop = subjects[0], p.dependents(n, "cop")[0]
    if p.lemma(s) in ("who", "that"):
        return _anchor_of_word(p, p.heads[n]) if p.words[n].dep == "acl:relcl" else None
    if cop < s:
        return None  # inverted: a question or a fronted clause
    return _anchor_of_word(p, s)


def _object_like(p: _Parse, i: int, depth: int = 0) -> bool:
    """Whether word ``i`` is what a verb or noun acts on: its object, "for"/"of" whom, or a conjunct or
    appositive of one ("recognised Guaidó", "support for Maduro", "an ally of the United States and Mr. Abe")."""
    dep = p.words[i].dep
    if dep in ("obj", "iobj"):
        return True
    if dep in ("obl", "nmod"):
        return p.lemma(p.left[i]) in ("for", "of")
    if dep in ("conj", "appos") and depth < 2 and p.heads[i] != i:
        return _object_like(p, p.heads[i], depth + 1)
    return False


def _described_as(p: _Parse, n: int, as_word: int) -> _Anchor | None:
    """The actor an "as" phrase names: "recognised Guaidó as interim president", "support for Maduro as the
    only legitimate president", "describing Japan as a great ally and Mr. Abe as a friend"."""
    h = p.heads[n]
    if h == n or _hedged(p, h):
        return None
    # The name right before "as", wherever the parse hung the phrase.
    before = p.anchor_of.get(as_word - 1)
    if before is not None:
        if not _object_like(p, before.head):
            return None  # the subject ("Maduro, as president, ...") or a place ("came to Washington as ...")
        return None if _denied(p, h) or _denied(p, p.heads[before.head]) else before
    if p.words[n].dep not in ("obl", "advcl", "xcomp", "nmod"):
        return None
    for c in sorted(p.children[h], reverse=True):  # the nearest before the "as" phrase
        if c > n:
            continue
        if not (
            p.words[c].dep in ("obj", "iobj")
            or (p.words[c].dep in ("obl", "nmod") and p.lemma(p.left[c]) in ("for", "of"))
        ):
            continue
        found = _anchor_of_word(p, c)
        if found is None:  # the name after a title the parse made its head: "leader [Juan Guaido]"
            names = [_anchor_of_word(p, k) for k in p.dependents(c, "appos") if k == c + 1]
            found = names[0] if names else None
        if found is None:
            continue
        if any(p.is_punct(i) and not p.is_mark(i) for i in range(max(found.words) + 1, as_word)):
            return None  # "threatened Guam, where ..., as a potential target"
        return None if _denied(p, h) else found
    return None


def _named(p: _Parse, n: int) -> _Anchor | None:
    """The actor a naming verb names: "called Maduro a usurper", "Guaidó proclaimed himself interim leader"."""
    h = p.heads[n]
    objects = [c for c in p.children[h] if p.words[c].dep in ("obj", "iobj") and c < n]
    if len(objects) != 1 or _denied(p, h) or _hedged(p, h):
        return None
    if p.lemma(objects[0]).endswith(("self", "selves")):  # a reflexive names the subject
        subjects = p.dependents(h, "nsubj")
        return _anchor_of_word(p, subjects[0]) if len(subjects) == 1 else None
    return _anchor_of_word(p, objects[0])


def _predicates(p: _Parse) -> Iterable[tuple[_Anchor, Label]]:
    for n, w in enumerate(p.words):
        if w.pos not in _NOUNS or n in p.anchor_of:
            continue
        anchor: _Anchor | None = None
        if p.dependents(n, "cop"):
            anchor = _copular(p, n)
        elif as_words := [c for c in p.dependents(n, "case") if p.lemma(c) == "as"]:
            anchor = _described_as(p, n, as_words[0])
        elif w.dep in ("obj", "xcomp") and p.lemma(p.heads[n]) in _NAMING_VERBS:
            anchor = _named(p, n)
        if anchor is None:
            continue
        phrase = _clean_phrase(p, n, anchor)
        if phrase is None:
            continue
        label = _label(p, phrase, n, LabelKind.PREDICATE, anchor.span)
        if label is not None:
            yield anchor, label


# -- institutions ---------------------------------------------------------------------------------------------


_LEADING_VERBS = frozenset({"lead", "head", "run", "control", "command"})


def _led_by(p: _Parse, n: int) -> _Anchor | None:
    """The actor of "the government (previously) led by President Maduro", from the words as written (the parse
    often hangs the participle elsewhere)."""
    j = n + 1
    while j < len(p.words) and p.words[j].pos == "ADV":
        j += 1
    # "led by" is a participle whatever the tagger says: it reads "led" as a past tense (VBD) too.
    if j + 1 >= len(p.words) or p.lemma(j) not in _LEADING_VERBS or p.words[j].tag not in ("VBN", "VBD"):
        return None
    if p.lower(j + 1) != "by":
        return None
    for k in range(j + 2, min(j + 5, len(p.words))):
        if k in p.anchor_of:
            return p.anchor_of[k]
        if p.words[k].pos != "PROPN":
            break
    return None


def _institution_owner(p: _Parse, n: int) -> _Anchor | None:
    for c in p.children[n]:
        dep = p.words[c].dep
        anchor = None
        if c < n and dep in ("amod", "compound", "nmod:poss", "flat"):
            anchor = _anchor_of_word(p, c)  # "the Maduro regime", "Maduro's government"
            between = range(max(anchor.words) + 1, n) if anchor is not None else range(0)
            if any(p.words[i].pos in ("CCONJ", "PUNCT") and not p.is_mark(i) for i in between):
                anchor = None  # "Russia and Trump campaign": the name is not the noun's own modifier
        elif c > n and dep == "nmod" and p.lemma(p.left[c]) in ("of", "under"):
            anchor = _anchor_of_word(p, c)  # "the government of Nicolas Maduro", "the administration under Trump"
        if anchor is not None:
            return anchor
    return _led_by(p, n)


def _institutions(p: _Parse) -> Iterable[tuple[_Anchor, Label]]:
    for n, w in enumerate(p.words):
        if w.pos != "NOUN" or n in p.anchor_of:
            continue
        if p.lower(n) not in INSTITUTION_NOUNS and p.lemma(n) not in INSTITUTION_NOUNS:
            continue
        anchor = _institution_owner(p, n)
        if anchor is None or (p.word(n)[:1].isupper() and min(anchor.words) > n):
            continue  # none, or the capitalised noun opens a name of its own: "Circle of the People's Movement"
        owner = p.doc.entities[anchor.entity].name.lower()
        if owner in DEMONYMS or owner in _PARTY_ADJECTIVES:
            continue  # "Democratic campaigns", "Venezuelan troops": an adjective, not an actor
        # The noun and its adjectives, never the name: "the brutal Maduro dictatorship" -> "brutal dictatorship"
        # (its span runs from "brutal" to "dictatorship", over the name). An adjective the parse hung on the name
        # before the noun counts too.
        modifiers = [
            c
            for c in p.children[n]
            if c < n and p.words[c].dep in ("amod", "advmod") and p.lower(c) not in _QUANTIFIERS
        ]
        if max(anchor.words) < n:
            modifiers += [
                c
                for c in p.children[anchor.head]
                if c < min(anchor.words) and p.words[c].dep == "amod" and p.words[c].pos == "ADJ"
            ]
        words = [n]
        for c in modifiers:
            if c in p.anchor_of:
                continue
            sub = range(p.left[c], p.right[c] + 1)
            if not any(i in p.anchor_of or (p.words[i].pos in ("VERB", "AUX") and i != c) for i in sub):
                words.extend(i for i in sub if not p.is_punct(i) or p.is_mark(i))
        label = _label(p, words, n, LabelKind.INSTITUTION, anchor.span)
        if label is not None:
            yield anchor, label


# -- titles in quote marks ------------------------------------------------------------------------------------


def _quoted_titles(p: _Parse) -> Iterable[tuple[_Anchor, Label]]:
    """A title in quote marks right before the name, which the `ner` stage's titles stop at: "the 'interim
    president' Juan Guaidó"."""
    for anchor in p.anchors:
        close = min(anchor.words) - 1
        if close < 1 or not p.closes(close) or p.words[close].end > anchor.span.start:
            continue
        for open_ in range(close - 1, max(close - _MAX_SCARE_WORDS - 2, -1), -1):
            if p.opens(open_):
                inside = list(range(open_ + 1, close))
                if (
                    inside
                    and not any(i in p.anchor_of or (p.is_punct(i) and p.word(i) != "-") for i in inside)
                    and p.words[inside[-1]].pos in ("NOUN", "PROPN", "ADJ")
                ):
                    label = _label(p, [open_, *inside, close], inside[-1], LabelKind.TITLE, anchor.span)
                    if label is not None:
                        yield anchor, label
                break
            if p.is_mark(open_):
                break


# -- descriptions ---------------------------------------------------------------------------------------------


def _matches(description: Sequence[str], label: Sequence[str], head: str) -> bool:
    """A description fits a label when one ends the other: "the Labour leader" fits "Labour leader", "the
    spokesman" fits "government spokesman"; a lone noun only when it names a role. Both must end in the head
    noun: "the termination of the special counsel" is no counsel."""
    if description == label:
        return True
    if not description or not label or description[-1] != head or label[-1] != head:
        return False
    shorter = min(len(description), len(label))
    if description[-shorter:] != label[-shorter:]:
        return False
    return shorter >= 2 or (len(description) == 1 and head in ROLE_WORDS)


def _restricts(p: _Parse, n: int, c: int) -> bool:
    """Whether dependent ``c`` restricts noun ``n`` to someone in particular: "the director of ...", "the
    official at ...", "the official who ..." (not ", who ...", which adds to it)."""
    if c < n:
        return False
    dep = p.words[c].dep
    if dep == "nmod":
        return p.lemma(p.left[c]) in ("of", "for", "at", "from", "in", "with")
    return dep in ("acl", "acl:relcl") and "," not in (p.word(p.left[c]), p.word(p.left[c] - 1))


def _descriptions(
    p: _Parse, labels: Sequence[tuple[int, Label]], taken: Sequence[Span]
) -> Iterable[tuple[int, Mention, Label]]:
    """Definite descriptions standing for one entity: "Labour leader Jeremy Corbyn ... the Labour leader said"."""
    known = [
        (e, label, label.normal.split())
        for e, label in labels
        if label.kind in (LabelKind.TITLE, LabelKind.APPOSITIVE, LabelKind.PREDICATE) and label.mention is not None
    ]
    if not known:
        return
    for n, w in enumerate(p.words):
        if w.pos != "NOUN" or w.tag in ("NNS", "NNPS") or n in p.anchor_of:
            continue
        if p.lemma(n) in INSTITUTION_NOUNS or w.dep in ("compound", "appos", "list", "flat", "amod"):
            continue
        dets = [c for c in p.children[n] if p.words[c].dep == "det" and c < n]
        if len(dets) != 1 or p.lower(dets[0]) != "the" or p.dependents(n, "nmod:poss"):
            continue
        phrase = _noun_phrase(p, n)
        if min(phrase) <= dets[0]:
            continue
        if any(_restricts(p, n, c) and c not in phrase for c in p.children[n]):
            continue  # restricted to someone else: "the director of South Korea's National Intelligence Service"
        last = max(phrase)
        if last + 1 < len(p.words) and p.closes(last + 1) and any(p.opens(i) for i in range(dets[0], last)):
            last += 1  # the mention keeps both quote marks: the “interim president”
        span = Span(p.words[dets[0]].start, p.words[last].end)
        if n + 1 < len(p.words) and (n + 1) in p.anchor_of:
            continue  # a title before a name: "the Labour leader Jeremy Corbyn"
        if _overlaps(span, taken):
            continue  # a label already, or holding a person's name: "the Maduro family"
        label = _label(p, phrase, n, LabelKind.DESCRIPTION, span)
        if label is None:
            continue
        words = label.normal.split()
        owners = {
            e for e, earlier, normal in known if earlier.span.end <= span.start and _matches(words, normal, p.lemma(n))
        }
        if len(owners) != 1:
            continue
        e = owners.pop()
        yield e, Mention(span, span.of(p.text), MentionKind.DESCRIPTION), label


# -- the stage ------------------------------------------------------------------------------------------------


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(s.start < span.end and span.start < s.end for s in spans)


def _marked_titles(p: _Parse, entity: Entity) -> list[Label]:
    """The entity's existing labels, each marked scare-quoted when it is (quote marks out of text and normal)."""
    out = []
    for label in entity.labels:
        if label.scare_quoted or label.kind is not LabelKind.TITLE:
            out.append(label)
            continue
        inside = [i for i in p.covered(label.span) if not p.is_mark(i)]
        if inside and _scare_quoted(p, inside, inside[-1]):
            text = " ".join(w.strip("".join(_QUOTE_MARKS)) for w in label.text.split())
            normal = label_normal(text, p.words[inside[-1]].lemma or None)
            label = replace(label, text=" ".join(text.split()), normal=normal, scare_quoted=True)
        out.append(label)
    return out


def find_labels(doc: Document) -> tuple[Entity, ...]:
    """The document's entities with the labels the parse gives them added (and description mentions)."""
    if not doc.words or not doc.entities:
        return doc.entities
    p = _Parse(doc)
    labels: list[list[Label]] = [_marked_titles(p, e) for e in doc.entities]
    seen: list[set[tuple[Span, LabelKind]]] = [{(lb.span, lb.kind) for lb in ls} for ls in labels]
    titled = {lb.mention for ls in labels for lb in ls if lb.kind is LabelKind.TITLE}

    def add(e: int, label: Label) -> None:
        if (label.span, label.kind) not in seen[e]:
            seen[e].add((label.span, label.kind))
            labels[e].append(label)

    for anchor, label in _quoted_titles(p):
        if anchor.span not in titled:
            add(anchor.entity, label)
    for rule in (_appositives, _predicates, _institutions):
        for anchor, label in rule(p):
            add(anchor.entity, label)

    mentions = [list(e.mentions) for e in doc.entities]
    # A description never overlaps a label, or a person's name ("the Labour leader" may hold the party's).
    taken = [lb.span for ls in labels for lb in ls] + [
        m.span for e, ms in zip(doc.entities, mentions, strict=True) if e.type is EntityType.PERSON for m in ms
    ]
    so_far = [(e, lb) for e, ls in enumerate(labels) for lb in ls]
    for e, mention, label in _descriptions(p, so_far, taken):
        if _overlaps(mention.span, (m.span for m in mentions[e])):
            continue
        mentions[e].append(mention)
        add(e, label)

    return tuple(
        replace(
            entity,
            mentions=tuple(sorted(mentions[e], key=lambda m: (m.span.start, m.span.end))),
            labels=tuple(sorted(labels[e], key=lambda lb: (lb.span.start, lb.span.end))),
        )
        for e, entity in enumerate(doc.entities)
    )


@register("labels", requires=["sentences", "words", "entities"], assigns=["entities"], version="1")
def labels_stage(doc: Document, settings: Settings) -> Document:
    """Appositive, predicate, institution and description labels from the parse; scare quotes marked."""
    return replace(doc, entities=find_labels(doc))
