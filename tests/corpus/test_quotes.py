"""Cross-outlet quote matching: versions of one quote are linked, different quotes are not; word diffs."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from rashomon.corpus import quotes as quotes_module
from rashomon.corpus.quotes import (
    ELISION,
    MATCH_THRESHOLD,
    DiffOp,
    QuoteMatch,
    QuoteRef,
    comparable_words,
    diff_words,
    find_quote_matches,
    match_form,
    matches_by_quote,
    quote_words,
    same_quote,
    similarity,
)
from rashomon.model import Article, ArticleMeta, Document, Quote, QuoteKind, SourceFormat, Span

CONDEMN = "What I condemn is the violence that has been done by any side, by all sides, in this."
DEDICATED = (
    "I gave the support of many people around the world for the principle of a government that was dedicated to "
    "reducing inequality and improving the life chances of the poorest people."
)


# --- words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will NOT surrender, ever!", ("we", "will", "not", "surrender", "ever")),
        ("Nicolás Maduro: «¡Venceremos!»", ("nicolas", "maduro", "venceremos")),
        ("Nicola\u0301s", ("nicolas",)),  # decomposed accents are one word too
        ("that’s it, that's all", ("thats", "it", "thats", "all")),
        ("oil-rich… or not...", ("oil", "rich", "or", "not")),
        ("“”… — ...", ()),
    ],
)
def test_comparable_words(text: str, expected: tuple[str, ...]) -> None:
    assert comparable_words(text) == expected


def test_quote_words_keep_offsets() -> None:
    text = "“Ça, c'est fini…”"
    assert [(w.key, w.span.of(text)) for w in quote_words(text)] == [("ca", "Ça"), ("cest", "c'est"), ("fini", "fini")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will fight […] and win", ("we", "will", "fight", ELISION, "and", "win")),
        ("We will fight... and win", ("we", "will", "fight", ELISION, "and", "win")),
        ("We will fight . . . and win", ("we", "will", "fight", ELISION, "and", "win")),
        ("…we will fight and win…", ("we", "will", "fight", "and", "win")),  # truncation needs no marker
        ("We will fight, and win.", ("we", "will", "fight", "and", "win")),
    ],
)
def test_match_form_marks_elisions_between_words(text: str, expected: tuple[str, ...]) -> None:
    assert match_form(text) == expected


# --- comparing two quotes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (CONDEMN, CONDEMN, 1.0),
        (CONDEMN, CONDEMN.upper().replace(",", ""), 1.0),
        ("by all sides, in this", CONDEMN, 1.0),  # a sub-span: truncation costs nothing
        # 18 words, one inserted ("all"): 18 aligned over a stretch of 19
        (CONDEMN, CONDEMN.replace("in this", "in all this"), 18 / 19),
        # one substitution in 31 words
        (DEDICATED, DEDICATED.replace("dedicated to", "dedicated towards"), 30 / 31),
        # words left out at an ellipsis are not counted against the match
        (
            "We hold the opposition accountable […] We demand that violence stop",
            "We hold the opposition accountable for all acts of violence. We demand that violence stop",
            1.0,
        ),
        # ... but without the ellipsis they are: 10 aligned over a stretch of 15
        (
            "We hold the opposition accountable. We demand that violence stop",
            "We hold the opposition accountable for all acts of violence. We demand that violence stop",
            10 / 15,
        ),
        ("", CONDEMN, 0.0),
    ],
)
def test_similarity(a: str, b: str, expected: float) -> None:
    assert similarity(match_form(a), match_form(b)) == pytest.approx(expected)
    assert similarity(match_form(b), match_form(a)) == pytest.approx(expected)  # symmetric


def test_stray_common_words_do_not_stretch_the_alignment() -> None:
    # "the" and "of" of the long quote far from the shared run are not part of the best window.
    short = "the end of the blockade is near"
    long = "the people of Venezuela know the truth, and the truth is this: the end of the blockade is near"
    assert similarity(match_form(short), match_form(long)) == 1.0


@pytest.mark.parametrize(
    ("a", "b", "same_speaker", "expected"),
    [
        # versions of one quote
        (CONDEMN, CONDEMN, False, True),
        (CONDEMN, "what i condemn is the violence that has been done by any side by all sides in this", False, True),
        ("Nicolás Maduro debe irse ya", "Nicolas Maduro debe irse ya", False, True),  # diacritics
        ("The plan is dead… and buried for good", "The plan is dead and buried for good", False, True),
        (CONDEMN, "What I condemn is the violence that has been done...", False, True),  # truncated, ellipsis
        (CONDEMN, "the violence that has been done by any side", False, True),  # truncated at both ends
        (CONDEMN, CONDEMN.replace("in this", "in all this"), False, True),  # an inserted word
        (DEDICATED, DEDICATED.replace("dedicated to", "dedicated towards"), False, True),  # a substitution
        # attribution may differ: a strong match needs no speaker agreement
        (DEDICATED, DEDICATED.replace("many people", "many"), False, True),
        # different quotes that share a few words
        ("We will not allow a coup in Venezuela", "We will not allow the opposition to win", True, False),
        (
            "The people of Venezuela must decide their own future",
            "The people of Venezuela are suffering under a dictatorship",
            True,
            False,
        ),
        ("We will not stand by.", "not stand idly by", True, False),
        (
            "serious attempts at reducing poverty, improving literacy",
            "effective and serious attempts",
            True,
            False,
        ),
        # shared words scattered over a longer quote are not a match: 5 aligned over a stretch of 8
        (
            "we want the end of the blockade",
            "we are told that we want many things but the end of it all is near",
            True,
            False,
        ),
        # too short to tell a quote from a phrase
        ("interim president", "interim president", True, False),
        ("all sides", CONDEMN, True, False),
        # three or four words: a fragment counts only when the speakers agree
        ("by all sides", CONDEMN, True, True),
        ("by all sides", CONDEMN, False, False),
        # one changed word in a short quote can reverse it: on the words alone, only a sub-span links
        ("We will win the election", "We will lose the election", False, False),
        ("We will win the election", "We will lose the election", True, True),
        ("We will win the election", "Tomorrow we will win the election, he said", False, True),
        # a word in between: 3 aligned over a stretch of 4
        ("respect the constitution", "There has to be respect for the constitution", True, False),
        # borderline (3 of 12 words differ: 0.75): only with the speaker's agreement
        (
            "We will defend our sovereignty against every foreign threat, now and always",
            "We shall defend the sovereignty against every foreign attack, now and always",
            True,
            True,
        ),
        (
            "We will defend our sovereignty against every foreign threat, now and always",
            "We shall defend the sovereignty against every foreign attack, now and always",
            False,
            False,
        ),
    ],
)
def test_same_quote(a: str, b: str, same_speaker: bool, expected: bool) -> None:
    assert same_quote(match_form(a), match_form(b), same_speaker=same_speaker) is expected
    assert same_quote(match_form(b), match_form(a), same_speaker=same_speaker) is expected


def test_thresholds_are_ordered() -> None:
    assert quotes_module.BORDERLINE_THRESHOLD < MATCH_THRESHOLD < 1.0
    assert quotes_module.MIN_WORDS < quotes_module.STRONG_MIN_WORDS < quotes_module.LONG_MIN_WORDS


# --- word diff --------------------------------------------------------------------------------------------


def ops(reference: str, text: str) -> list[tuple[str, str]]:
    return [(t.op.value, t.text) for t in diff_words(reference, text)]


@pytest.mark.parametrize(
    ("reference", "text", "expected"),
    [
        ("in this", "in all this", [("same", "in"), ("inserted", "all"), ("same", "this")]),
        ("dedicated to reducing", "dedicated towards reducing",
         [("same", "dedicated"), ("deleted", "to"), ("inserted", "towards"), ("same", "reducing")]),
        ("the violence done by any side", "the violence done",
         [("same", "the"), ("same", "violence"), ("same", "done"), ("deleted", "by"), ("deleted", "any"),
          ("deleted", "side")]),
        # case, accents and punctuation are not differences; the words are shown as written
        ("Nicolás said: «NO»", "nicolas said no!", [("same", "nicolas"), ("same", "said"), ("same", "no")]),
        ("", "new words", [("inserted", "new"), ("inserted", "words")]),
    ],
)  # fmt: skip
def test_diff_words(reference: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert ops(reference, text) == expected


def test_diff_spans_point_into_their_own_text() -> None:
    reference, text = "We will win, whatever happens.", "We shall win, whatever happens now."
    for token in diff_words(reference, text):
        source = reference if token.op is DiffOp.DELETED else text
        assert token.span.of(source) == token.text
    assert [t.text for t in diff_words(reference, text) if t.op is not DiffOp.SAME] == ["will", "shall", "now"]


# --- matching across a corpus -----------------------------------------------------------------------------


def make_doc(path: str, text: str, *quotes: tuple[str, str | None], outlet: str | None = None) -> Document:
    """A document whose quotes are the given (words, speaker) pairs, found in ``text``."""
    records = []
    for words, speaker in quotes:
        start = text.index(words)
        speaker_id = speaker.lower().replace(" ", "-") if speaker else None
        records.append(Quote(words, (Span(start, start + len(words)),), QuoteKind.DIRECT, speaker, speaker_id))
    article = Article.create(text, ArticleMeta(path, outlet=outlet), SourceFormat.TEXT)
    return Document(article, quotes=tuple(records))


def refs(match: QuoteMatch, docs: list[Document]) -> set[tuple[int, int]]:
    """A group's members as (index into ``docs``, quote index)."""
    index = {d.id: n for n, d in enumerate(docs)}
    return {(index[r.article_id], r.quote_index) for r in match.members}


def corbyn_docs() -> list[Document]:
    politics = make_doc(
        "politics.txt",
        f"He said: “{CONDEMN}” Later: “{DEDICATED}” And “a new start for the whole country”.",
        (CONDEMN, "Jeremy Corbyn"),
        (DEDICATED, "Jeremy Corbyn"),
        ("a new start for the whole country", "Jeremy Corbyn"),
    )
    long_condemn = CONDEMN.replace("that has", "that's").replace("in this", "in all this")
    broadcaster = make_doc(
        "broadcaster.txt",
        f"“{long_condemn} Violence is not going to solve it.” And: “{DEDICATED.replace(' to ', ' towards ')}” "
        "Corbyn spoke of “a new start for all the people”.",
        (long_condemn + " Violence is not going to solve it.", "Jeremy Corbyn"),
        (DEDICATED.replace(" to ", " towards "), None),  # the broadcaster credits no one: still linked
        ("a new start for all the people", "Jeremy Corbyn"),
    )
    other = make_doc(
        "other.txt",
        "“We will win the cup, a new start for all the fans,” the coach said.",
        ("We will win the cup, a new start for all the fans,", "The Coach"),
    )
    return [politics, broadcaster, other]


def test_versions_across_articles_are_grouped() -> None:
    docs = corbyn_docs()
    matches = find_quote_matches(docs)
    assert {frozenset(refs(m, docs)) for m in matches} == {
        frozenset({(0, 0), (1, 0)}),  # "in this" / "in all this", and a sentence more
        frozenset({(0, 1), (1, 1)}),  # "to" / "towards", attributed differently
        frozenset({(0, 2), (1, 2)}),  # 5 of 7 words: borderline, linked by the speaker's agreement
    }  # the coach's "a new start for all the fans" is another quote
    for match in matches:
        assert len(match.group_id) == 16 and list(match.members) == sorted(match.members)
        assert len(match.article_ids) == 2


def test_grouping_is_deterministic_and_order_independent() -> None:
    docs = corbyn_docs()
    expected = find_quote_matches(docs)
    for permutation in itertools.permutations(docs):
        assert find_quote_matches(list(permutation)) == expected
    assert [m.members for m in expected] == sorted(m.members for m in expected)


def test_quotes_of_one_article_are_not_matched_with_each_other() -> None:
    once = make_doc("a.txt", f"“{CONDEMN}” and again: “{CONDEMN}”", (CONDEMN, "Jeremy Corbyn"))
    twice = Document(once.article, quotes=(once.quotes[0], once.quotes[0]))
    assert find_quote_matches([twice]) == ()
    # Another article carrying it links both copies.
    other = make_doc("b.txt", f"“{CONDEMN}”", (CONDEMN, None))
    (match,) = find_quote_matches([twice, other])
    assert refs(match, [twice, other]) == {(0, 0), (0, 1), (1, 0)}


def test_syndicated_copies_form_one_group() -> None:
    docs = [make_doc(f"{n}.txt", f"Wire copy {n}: “{DEDICATED}”", (DEDICATED, "Jeremy Corbyn")) for n in range(4)]
    (match,) = find_quote_matches(docs)
    assert refs(match, docs) == {(n, 0) for n in range(4)}


def test_fragment_joins_the_group_of_the_full_quote() -> None:
    politics, broadcaster, _ = corbyn_docs()
    text = broadcaster.text + " He condemned violence “by all sides”."
    start = text.rindex("by all sides")
    fragment = Quote("by all sides", (Span(start, start + 12),), QuoteKind.PARTIAL, "Jeremy Corbyn", "jeremy-corbyn")
    article = Article.create(text, broadcaster.article.meta, SourceFormat.TEXT)
    broadcaster = Document(article, quotes=(*broadcaster.quotes, fragment))
    docs = [politics, broadcaster]
    group = next(m for m in find_quote_matches(docs) if QuoteRef(politics.id, 0) in m.members)
    assert refs(group, docs) == {(0, 0), (1, 0), (1, 3)}


def test_candidates_come_from_the_shingle_index(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[int, int]] = []
    real = quotes_module._linked

    def counting(a: Any, b: Any, same_speaker: bool) -> bool:
        compared.append((a.size, b.size))
        return real(a, b, same_speaker)

    monkeypatch.setattr(quotes_module, "_linked", counting)
    # 300 quotes in 300 articles that share no pair of consecutive words: nothing to compare, not 44,850 pairs.
    words = [f"alpha{n} beta{n} gamma{n} delta{n} epsilon{n}" for n in range(300)]
    docs = [make_doc(f"{n}.txt", f"“{w}”", (w, None)) for n, w in enumerate(words)]
    docs += corbyn_docs()
    matches = find_quote_matches(docs)
    assert len(matches) == 3
    assert 3 <= len(compared) < 10  # the Corbyn quotes and the coach's, which share word pairs


def test_very_common_shingles_propose_no_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotes_module, "MAX_POSTINGS", 2)
    docs = [make_doc(f"{n}.txt", f"Copy {n}: “{DEDICATED}”", (DEDICATED, None)) for n in range(2)]
    assert len(find_quote_matches(docs)) == 1  # one wording: copies need no comparison
    variants = [DEDICATED.replace("many", w) for w in ("many", "some", "all")]
    docs = [make_doc(f"{n}.txt", f"“{v}”", (v, None)) for n, v in enumerate(variants)]
    # Every shingle two of them share, all three share: held by more than 2 wordings, it proposes no pair.
    assert find_quote_matches(docs) == ()
    monkeypatch.setattr(quotes_module, "MAX_POSTINGS", 3)
    (match,) = find_quote_matches(docs)
    assert len(match.members) == 3


def test_matches_by_quote() -> None:
    docs = corbyn_docs()
    matches = find_quote_matches(docs)
    index = matches_by_quote(matches)
    assert set(index) == {r for m in matches for r in m.members}
    assert all(r in index[r].members for r in index)


# --- acceptance: the example corpus -----------------------------------------------------------------------


def quote_in(docs: list[Document], outlet: str, words: str) -> tuple[Document, int]:
    doc = next(d for d in docs if d.article.meta.outlet == outlet)
    return doc, next(i for i, q in enumerate(doc.quotes) if words in q.text)


def test_corbyn_versions_in_the_examples_are_linked(linked_examples: list[Document]) -> None:
    matches = matches_by_quote(find_quote_matches(linked_examples))
    for words in ("What I condemn is the violence", "I gave the support of many people"):
        politics, p = quote_in(linked_examples, "UK politics site", words)
        broadcaster, b = quote_in(linked_examples, "UK broadcaster", words)
        group = matches[QuoteRef(politics.id, p)]
        assert QuoteRef(broadcaster.id, b) in group.members
        assert group is matches[QuoteRef(broadcaster.id, b)]


def test_corbyn_diffs_in_the_examples(linked_examples: list[Document]) -> None:
    def texts(words: str) -> tuple[str, str]:
        politics, p = quote_in(linked_examples, "UK politics site", words)
        broadcaster, b = quote_in(linked_examples, "UK broadcaster", words)
        return politics.quotes[p].text, broadcaster.quotes[b].text

    reference, text = texts("What I condemn")
    tokens = diff_words(reference, text)
    words = [(t.op, t.text.lower()) for t in tokens]
    at = words.index((DiffOp.INSERTED, "all"))
    assert words[at - 1 : at + 2] == [(DiffOp.SAME, "in"), (DiffOp.INSERTED, "all"), (DiffOp.SAME, "this")]

    reference, text = texts("I gave the support")
    changed = [(t.op, t.text) for t in diff_words(reference, text) if t.op is not DiffOp.SAME]
    assert changed == [(DiffOp.DELETED, "to"), (DiffOp.INSERTED, "towards")]


def test_no_quote_of_the_examples_is_matched_within_its_own_article(linked_examples: list[Document]) -> None:
    for match in find_quote_matches(linked_examples):
        assert len(match.article_ids) >= 2
