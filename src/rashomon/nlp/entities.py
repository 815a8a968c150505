"""Named entities: find names in sentences, type them, split off the labels writers attach, group mentions.

This is the rule-based recogniser of the foundation: capitalised runs typed by world-knowledge word lists, with
the words before a name ("Self-proclaimed President", "backbench Labour MP") kept as the label that outlet
gives the actor. A trained recogniser (issue 3) replaces `find_names`; the grouping and labelling stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rashomon.model import Document, Entity, EntityType, Label, LabelKind, Mention, MentionKind, Span, Word
from rashomon.names import entity_key, is_short_form, label_normal
from rashomon.nlp.lexicon import (
    CUE_FORMS,
    DATE_WORDS,
    DEMONYMS,
    FUNCTION_WORDS,
    HONORIFIC_WORDS,
    LABEL_BREAKING_VERBS,
    MISC_WORDS,
    NAME_CONNECTORS,
    NOT_ACRONYMS,
    ORG_WORDS,
    PLACE_ACRONYMS,
    PLACE_PHRASES,
    PLACES,
    ROLE_WORDS,
)
from rashomon.nlp.pipeline import register
from rashomon.nlp.tokens import Token, tokenize
from rashomon.settings import Settings

# How many lowercase words may stand in a label before a name ("backbench Labour MP", "legitimate President").
_MAX_LOWER_LABEL_WORDS = 1


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One name found in the text: where the name stands, its type, and the label written before it."""

    span: Span
    name: str
    type: EntityType
    label: str | None
    label_span: Span | None
    strong: bool = False  # typed by evidence in the text itself, not by a guess
    honorific: Span | None = None  # "Mr", "Mrs", "Dr" before the name: not part of its identity, kept as a label


def _is_name_token(tok: Token) -> bool:
    return tok.is_word and tok.is_capitalized


def _is_modifier(tok: Token) -> bool:
    """Hyphenated descriptors ("London-based", "Self-proclaimed") and demonyms are labels, not names."""
    low = tok.lower
    if low in DEMONYMS:
        return True
    return "-" in tok.text and any(part[:1].islower() for part in tok.text.split("-")[1:])


def _is_title_word(tok: Token) -> bool:
    low = tok.bare.lower().rstrip(".")
    return low in ROLE_WORDS or low in HONORIFIC_WORDS


def _org_follows(tokens: Sequence[Token], i: int) -> bool:
    """Whether the capitalised words from ``i`` on contain an organisation word ("People’s Liberation Party")."""
    j = i
    while j < len(tokens) and _is_name_token(tokens[j]):
        if tokens[j].bare.lower() in ORG_WORDS:
            return True
        j += 1
    return False


def _runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Maximal runs of capitalised words, joined by name particles, broken after a possessive.

    A possessive ends a name ("Labour's | Graham Jones") unless an organisation name goes on after it
    ("People’s Liberation Party"); a particle joins two names only when no title follows it, so "the Party of
    Mr Maduro" stays two names.
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if _is_name_token(tok) and not (tok.text.isupper() and tok.lower in NOT_ACRONYMS):
            current.append(tok)
            if tok.is_possessive and not _org_follows(tokens, i + 1):
                runs.append(current)
                current = []
            continue
        joins = (
            current
            and tok.lower in NAME_CONNECTORS
            and nxt is not None
            and (
                (_is_name_token(nxt) and not _is_title_word(nxt))
                or (nxt.lower == "the" and i + 2 < len(tokens) and _is_name_token(tokens[i + 2]))
            )
        )
        if joins:
            current.append(tok)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _strong_type(words: Sequence[Token], titled: bool) -> EntityType | None:
    """The type the words themselves make plain (a known place, an organisation word, a title), if any."""
    lows = [w.bare.lower() for w in words]
    phrase = " ".join(lows)
    if phrase in PLACE_PHRASES or (len(lows) == 1 and (lows[0] in PLACES or lows[0] in PLACE_ACRONYMS)):
        return EntityType.LOCATION
    if any(w in ORG_WORDS for w in lows):
        return EntityType.ORGANIZATION
    if len(words) == 1 and words[0].text.isupper() and len(words[0].text) >= 2:
        return EntityType.ORGANIZATION  # an acronym: "APPG", "VTV"
    if lows[-1] in MISC_WORDS:
        return EntityType.MISC
    if titled:
        return EntityType.PERSON  # "President Maduro", "backbench Labour MP Frank Field", "Mr Corbyn"
    return None


def _is_titled(label: Sequence[Token]) -> bool:
    return any(_is_title_word(t) for t in label)


def _can_label(tok: Token) -> bool:
    """Whether a lowercase word before a name can be part of its label ("legitimate", not "depose")."""
    low = tok.lower
    if low in ROLE_WORDS or _is_modifier(tok):
        return True
    if low in FUNCTION_WORDS or low in NAME_CONNECTORS or low in LABEL_BREAKING_VERBS or low in CUE_FORMS:
        return False
    return not low.endswith(("ly", "ed", "ing", "ise", "ize"))


def _label_before(tokens: Sequence[Token], first: int, label: list[Token]) -> list[Token]:
    """Extend a label leftwards from token index ``first``: roles, demonyms, names of groups and one adjective.

    "Venezuelan opposition politician", "backbench Labour MP", "legitimate President"; never a verb or a
    function word ("help depose legitimate President" gives "legitimate President").
    """
    label = list(label)
    adjectives = 0
    j = first - 1
    while j >= 0:
        tok = tokens[j]
        low = tok.lower
        if tok.text == "." and j > 0 and tokens[j - 1].lower in HONORIFIC_WORDS and tokens[j - 1].end == tok.start:
            j -= 1  # "Mr." is two tokens, "Mr" and "."; the honorific is taken below, the period stepped over
            continue
        if not tok.is_word or low in FUNCTION_WORDS or tok.is_possessive:
            break
        if tok.is_capitalized:
            if not (_is_modifier(tok) or _is_title_word(tok) or (label and low not in HONORIFIC_WORDS)):
                break
        elif not _can_label(tok):
            break
        elif low not in ROLE_WORDS and not _is_modifier(tok):
            if adjectives >= _MAX_LOWER_LABEL_WORDS or (not label and not _is_title_word(tok)):
                break
            adjectives += 1
        label.insert(0, tok)
        j -= 1
    return label


def _split_run(run: list[Token]) -> tuple[list[Token], list[Token], bool] | None:
    """Split a run into (label words, name words, whether a role/honorific precedes); None if no name."""
    words = list(run)
    while words and (words[0].lower in FUNCTION_WORDS or words[0].lower in NAME_CONNECTORS):
        words.pop(0)
    while words and words[-1].lower in NAME_CONNECTORS:
        words.pop()
    label: list[Token] = []
    after_role = False
    # Everything up to the last role word or honorific is label: "Venezuelan Defense Minister | Vladimir ...".
    last_role = max(
        (
            i
            for i, w in enumerate(words)
            if w.bare.lower() in ROLE_WORDS or w.bare.lower().rstrip(".") in HONORIFIC_WORDS
        ),
        default=-1,
    )
    if last_role >= 0:
        label, words, after_role = words[: last_role + 1], words[last_role + 1 :], True
    while words and _is_modifier(words[0]):
        label.append(words.pop(0))
    if words and words[0].lower in NAME_CONNECTORS:
        # A role phrase ("President of Venezuela"): the name after the particle carries no label.
        label, after_role = [], False
        while words and words[0].lower in NAME_CONNECTORS:
            words.pop(0)
    if not words or words[-1].lower in DEMONYMS or words[-1].bare.lower() in DATE_WORDS:
        return None
    if words[0].text[:2] in ("I’", "I'"):
        return None
    if len(words) == 1:
        low = words[0].bare.lower()
        if low in FUNCTION_WORDS or low in NOT_ACRONYMS or low in DEMONYMS:
            return None
        if words[0].text.isupper() and len(words[0].text) > 5 and low not in PLACES:
            return None  # a shouted word ("BREAKING"), not an acronym
    return label, words, after_role


_OPENING = frozenset("“‘\"'«„‚([:—–-")


def _initial_positions(tokens: Sequence[Token]) -> set[int]:
    """Indexes of words that stand where any word is capitalised: a sentence start, after an opening mark."""
    initial: set[int] = set()
    for i, tok in enumerate(tokens):
        if (tok.is_word and all(t.text in _OPENING for t in tokens[:i])) or (
            tok.is_word and i > 0 and tokens[i - 1].text in _OPENING
        ):
            initial.add(i)
    return initial


def find_names(text: str, sentences: Iterable[Span]) -> list[NameMatch]:
    """Every name in the text, in order, with its type and the label written before it."""
    sentence_tokens = [tokenize(s.of(text), s.start) for s in sentences]
    initials = [_initial_positions(toks) for toks in sentence_tokens]
    # Capitalised words seen away from a sentence start: evidence that a sentence-initial word is a name.
    known_caps = frozenset(
        t.bare.lower()
        for toks, init in zip(sentence_tokens, initials, strict=True)
        for i, t in enumerate(toks)
        if i not in init and _is_name_token(t)
    )
    found: list[NameMatch] = []
    for toks, init in zip(sentence_tokens, initials, strict=True):
        index = {id(t): i for i, t in enumerate(toks)}
        for run in _runs(toks):
            if (
                len(run) > 2
                and index[id(run[0])] in init
                and run[0].bare.lower() not in known_caps
                and run[1].lower in NAME_CONNECTORS
            ):
                # "Members of the APPG": a capitalised sentence start joined to a name by a particle.
                run = run[1:]
                while run and run[0].lower in NAME_CONNECTORS:
                    run = run[1:]
            if not run:
                continue
            split = _split_run(run)
            if split is None:
                continue
            role_label, words, after_role = split
            only = words[0].bare.lower()
            if len(words) == 1 and index[id(words[0])] in init and only not in known_caps and only not in PLACES:
                continue  # a capitalised sentence start seen nowhere else: an ordinary word
            label_toks = _label_before(toks, index[id(role_label[0] if role_label else words[0])], role_label)
            strong = _strong_type(words, after_role or _is_titled(label_toks))
            label_toks, honorific = _without_honorifics(label_toks)
            name = " ".join([*(w.text for w in words[:-1]), words[-1].bare])
            found.append(
                NameMatch(
                    span=Span(words[0].start, words[-1].start + len(words[-1].bare)),
                    name=name,
                    type=strong or (EntityType.PERSON if len(words) >= 2 else EntityType.MISC),
                    label=" ".join(t.text for t in label_toks) or None,
                    label_span=Span(label_toks[0].start, label_toks[-1].end) if label_toks else None,
                    honorific=honorific,
                    strong=strong is not None,
                )
            )
    return found


def _clean_name(name: str) -> str:
    for suffix in ("’s", "'s", "′s"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _vote(matches: Sequence[NameMatch]) -> EntityType:
    """The type most mentions say, weighed by how sure each is.

    Evidence in the text (a title, a known place, an organisation word) counts three times; a guess about a
    lone word ("Maduro") half, since a surname out of context is the recogniser's weakest case; MISC (unsure)
    half again.
    """
    score: dict[EntityType, float] = {}
    for m in matches:
        weight = 3.0 if m.strong else (0.5 if " " not in m.name else 1.0)
        weight *= 0.5 if m.type is EntityType.MISC else 1.0
        score[m.type] = score.get(m.type, 0.0) + weight
    return max(score, key=lambda t: score[t])  # ties: the first mention's type (dicts keep order)


def _without_honorifics(label: list[Token]) -> tuple[list[Token], Span | None]:
    """The label's words without honorifics, and where the honorific nearest the name stands ("Mr" of "Socialist
    Mr Maduro"): outlets differ in using them, so they are labels of their own, never part of a name."""
    kept = [t for t in label if t.bare.lower().rstrip(".") not in HONORIFIC_WORDS]
    honorifics = [t for t in label if t.bare.lower().rstrip(".") in HONORIFIC_WORDS]
    last = honorifics[-1] if honorifics else None
    return kept, (Span(last.start, last.start + len(last.bare)) if last is not None else None)


def _honorific_label(text: str, m: NameMatch) -> Label | None:
    if m.honorific is None:
        return None
    written = m.honorific.of(text)
    return Label(written, written.lower().rstrip("."), LabelKind.TITLE, m.honorific, mention=m.span)


def _title_label(m: NameMatch, lemmas: Mapping[int, tuple[int, str]]) -> Label | None:
    if m.label is None or m.label_span is None:
        return None
    # The head of a title label is its last word: "Labour MPs" is compared as "labour mp". Only a last word that
    # is one syntactic word is lemmatised: "London-based" is three, and its last one's lemma ("base") is not it.
    head = lemmas.get(m.label_span.end)
    last_start = m.label_span.end - len(m.label.split()[-1])
    return Label(
        text=m.label,
        normal=label_normal(m.label, head[1] if head is not None and head[0] == last_start else None),
        kind=LabelKind.TITLE,
        span=m.label_span,
        mention=m.span,
    )


def group_names(
    text: str, matches: Sequence[NameMatch], lemmas: Mapping[int, tuple[int, str]] | None = None
) -> tuple[Entity, ...]:
    """Group name mentions into entities: same name, or a short form of exactly one longer name.

    Each mention's title label becomes a `Label`, its head word lemmatised when ``lemmas`` (word end offset ->
    (word start offset, lemma), from the syntax stage) is given.
    """
    lemmas = lemmas or {}
    by_key: dict[str, list[NameMatch]] = {}
    for m in matches:
        by_key.setdefault(entity_key(m.name), []).append(m)
    # Longest names first, so short forms can find the full name they abbreviate.
    keys = sorted(by_key, key=lambda k: (-len(k.split("-")), k))
    voted = {key: _vote(group) for key, group in by_key.items()}
    target: dict[str, str] = {}
    for key in keys:
        group = by_key[key]
        name = group[0].name
        # A short form joins a longer name unless the text itself types it otherwise ("Jordan" the country).
        candidates = [
            k
            for k in keys
            if k != key
            and k not in target
            and is_short_form(name, by_key[k][0].name)
            and voted[k] is not EntityType.LOCATION
            and all(not m.strong or m.type in (voted[k], EntityType.MISC) for m in group)
        ]
        if len(candidates) == 1:
            target[key] = candidates[0]
    members: dict[str, list[NameMatch]] = {}
    for key in keys:
        members.setdefault(target.get(key, key), []).extend(by_key[key])
    result = []
    for key, group in members.items():
        group.sort(key=lambda m: m.span.start)
        mentions = tuple(Mention(m.span, m.span.of(text), MentionKind.NAME, m.label) for m in group)
        # The fullest, properly cased form names the entity ("Moscow", not the dateline's "MOSCOW").
        name = _clean_name(max((m.text for m in mentions), key=lambda n: (len(n.split()), not n.isupper(), -len(n))))
        found = (label for m in group for label in (_title_label(m, lemmas), _honorific_label(text, m)))
        labels = tuple(sorted((label for label in found if label is not None), key=lambda label: label.span))
        result.append(Entity(key, name, _vote(group), mentions, labels))
    result.sort(key=lambda e: e.mentions[0].span.start)
    return tuple(result)


_NER_TYPES = {
    "PER": EntityType.PERSON,
    "ORG": EntityType.ORGANIZATION,
    "LOC": EntityType.LOCATION,
    "MISC": EntityType.MISC,
}


def _ner_spans(words: Sequence[Word]) -> list[tuple[int, int, str]]:
    """(start char, end char, type) of the entities the words' IOB tags describe."""
    spans: list[tuple[int, int, str]] = []
    inside = False
    for w in words:
        if w.ent_iob == "B" or (w.ent_iob == "I" and not inside):
            spans.append((w.start, w.end, w.ent_type))
            inside = True
        elif w.ent_iob == "I":
            spans[-1] = (spans[-1][0], w.end, spans[-1][2])
        else:
            inside = False
    return spans


def names_from_words(text: str, sentences: Sequence[Span], words: Sequence[Word]) -> list[NameMatch]:
    """Names found by the trained recogniser, with the labels written before them and titles split off.

    The recogniser decides where names are and their type; the same rules as for rule-based names split
    titles and descriptors ("Venezuelan Defense Minister") into the label.
    """
    found: list[NameMatch] = []
    sentence_tokens: dict[int, list[Token]] = {}
    for start, end, etype in _ner_spans(words):
        sentence = next((s for s in sentences if s.start <= start < s.end), None)
        if sentence is None:
            continue
        toks = sentence_tokens.setdefault(sentence.start, tokenize(sentence.of(text), sentence.start))
        # A possessive is one token to us ("Trump's") and two to spaCy: the name ends where its bare word does.
        run = [t for t in toks if start <= t.start and t.start + len(t.bare) <= end]
        while run and not run[0].is_word:  # a bracket or quote mark the recogniser took in: "(JERIT)"
            run.pop(0)
        while run and not run[-1].is_word:
            run.pop()
        split = _split_run(run) if run else None
        if split is None:
            continue
        role_label, name_words, after_role = split
        first = toks.index(role_label[0] if role_label else name_words[0])
        label_toks = _label_before(toks, first, role_label)
        strong = _strong_type(name_words, after_role or _is_titled(label_toks))
        label_toks, honorific = _without_honorifics(label_toks)
        found.append(
            NameMatch(
                span=Span(name_words[0].start, name_words[-1].start + len(name_words[-1].bare)),
                name=" ".join([*(w.text for w in name_words[:-1]), name_words[-1].bare]),
                # The article's own evidence (a title, a known place) outranks a sentence-level guess.
                type=strong or _NER_TYPES.get(etype, EntityType.MISC),
                label=" ".join(t.text for t in label_toks) or None,
                label_span=Span(label_toks[0].start, label_toks[-1].end) if label_toks else None,
                honorific=honorific,
                strong=strong is not None,
            )
        )
    return found


# Version 2: well-known abbreviations. Version 3: title labels are `Label` records; honorifics are labels.
@register("entities", requires=["sentences"], assigns=["entities"], version="3")
def entities_stage(doc: Document, settings: Settings) -> Document:
    """Find named entities, their labels and mentions (rule-based, no model)."""
    return replace(doc, entities=group_names(doc.text, find_names(doc.text, doc.sentences)))


# Version 2: possessive names. Version 3: well-known abbreviations share their full name's id ("U.S.").
# Version 4: title labels are `Label` records with their span and normal form. Version 5: a hyphenated last
# word of a title ("London-based") is not replaced by its last part's lemma; honorifics ("Mr") are labels.
@register("ner", requires=["sentences", "words"], assigns=["entities"], version="5")
def ner_stage(doc: Document, settings: Settings) -> Document:
    """Named entities from the trained recogniser, with their labels and mentions."""
    lemmas = {w.end: (w.start, w.lemma) for w in doc.words}
    found = names_from_words(doc.text, doc.sentences, doc.words)
    return replace(doc, entities=group_names(doc.text, found, lemmas))
