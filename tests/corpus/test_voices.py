"""Voice share: quotes and quoted words per speaker, direct and indirect, per article, outlet and story."""

from __future__ import annotations

import itertools

import pytest

from rashomon.corpus.voices import Voice, VoiceScope, quoted_words, voice_shares, voices_of
from rashomon.model import Article, ArticleMeta, Document, Quote, QuoteKind, SourceFormat, Span, Story


def quote(words: str, kind: QuoteKind, speaker: str | None = None, speaker_id: str | None = None) -> Quote:
    return Quote(words, (Span(0, len(words)),), kind, speaker, speaker_id)


def make_doc(name: str, outlet: str | None, *quotes: Quote) -> Document:
    text = f"Article {name}. " + " ".join(q.text for q in quotes)
    return Document(Article.create(text, ArticleMeta(f"{name}.txt", outlet=outlet), SourceFormat.TEXT), quotes=quotes)


MADURO = "nicolas-maduro"
GUAIDO = "juan-guaido"

# Outlet A: Maduro speaks directly (3 + 2 words) and is paraphrased (4 words); Guaidó gets one partial quote.
A1 = make_doc(
    "a1",
    "Outlet A",
    quote("We will win.", QuoteKind.DIRECT, "Nicolás Maduro", MADURO),
    quote("the coup failed", QuoteKind.INDIRECT, "Maduro", MADURO),  # another spelling, the same speaker id
    quote("dictatorship", QuoteKind.PARTIAL, "Juan Guaidó", GUAIDO),
    quote("a “terrorist” act, he said", QuoteKind.MIXED, "Nicolás Maduro", MADURO),
)
A2 = make_doc(
    "a2",
    "Outlet A",
    quote("Venceremos… ¡siempre!", QuoteKind.DIRECT, "Nicolás Maduro", MADURO),
    quote("“interim president”", QuoteKind.PARTIAL),  # a scare quote: no speaker
)
# Outlet B: Guaidó at length, and a speaker known by name only (no id), spelled two ways.
B1 = make_doc(
    "b1",
    "Outlet B",
    quote("The usurpation must end now, and free elections must follow.", QuoteKind.DIRECT, "Juan Guaidó", GUAIDO),
    quote("the talks had stalled", QuoteKind.INDIRECT, "José Pérez"),
    quote("no progress at all", QuoteKind.INDIRECT, "Jose Perez"),
)
NO_OUTLET = make_doc("c1", None, quote("We are watching closely.", QuoteKind.DIRECT, "Mike Pompeo", "mike-pompeo"))
DOCS = [A1, A2, B1, NO_OUTLET]
STORIES = [Story("s-venezuela", "Venezuela · Maduro", (A1.id, B1.id, A2.id)), Story("s-us", "Pompeo", (NO_OUTLET.id,))]


@pytest.mark.parametrize(
    ("text", "words"),
    [("We will win.", 3), ("Venceremos… ¡siempre!", 2), ("a “terrorist” act, he said", 5), ("“…”", 0)],
)
def test_quoted_words(text: str, words: int) -> None:
    assert quoted_words(quote(text, QuoteKind.DIRECT)) == words


def test_voices_of_one_article_split_direct_and_indirect() -> None:
    maduro, guaido = voices_of([A1])
    assert maduro == Voice(MADURO, "Nicolás Maduro", MADURO, 1, 3, 2, 8)  # indirect: 3 + 5 words (mixed counts)
    assert (maduro.quotes, maduro.words) == (3, 11)
    assert guaido == Voice(GUAIDO, "Juan Guaidó", GUAIDO, 1, 1, 0, 0)  # a partial quote is direct speech


def test_speakers_without_id_are_told_apart_by_folded_name() -> None:
    guaido, perez = voices_of([B1])
    assert (guaido.speaker, guaido.words) == ("Juan Guaidó", 10)
    # "José Pérez" and "Jose Perez" are one voice; ties in spelling go to the alphabetically first.
    assert perez == Voice("name:jose perez", "Jose Perez", None, 0, 0, 2, 8)


def test_unattributed_quotes_are_one_voice_without_a_speaker() -> None:
    maduro, unattributed = voices_of([A2])
    assert (maduro.speaker, maduro.words) == ("Nicolás Maduro", 2)
    assert unattributed == Voice("", None, None, 1, 2, 0, 0)


def test_shares_per_article_outlet_and_story() -> None:
    shares = voice_shares(DOCS, STORIES)
    assert [s.key for s in shares.articles] == sorted(d.id for d in DOCS)
    assert all(s.scope is VoiceScope.ARTICLE and len(s.articles) == 1 for s in shares.articles)

    assert [(s.key, s.label) for s in shares.outlets] == [
        ("Outlet A", "Outlet A"),
        ("Outlet B", "Outlet B"),
        (None, "no outlet given"),  # articles without an outlet last
    ]
    outlet_a = shares.outlets[0]
    assert outlet_a.articles == tuple(sorted((A1.id, A2.id)))
    assert (outlet_a.quotes, outlet_a.words) == (6, 16)
    assert [(v.speaker, v.quotes, v.words) for v in outlet_a.voices] == [
        ("Nicolás Maduro", 4, 13),
        (None, 1, 2),  # more words than Guaidó's one
        ("Juan Guaidó", 1, 1),
    ]
    assert outlet_a.share(outlet_a.voices[0]) == pytest.approx(13 / 16)

    venezuela, us = shares.stories  # in the stories' order
    assert (venezuela.scope, venezuela.key, venezuela.label) == (VoiceScope.STORY, "s-venezuela", "Venezuela · Maduro")
    assert venezuela.articles == tuple(sorted((A1.id, A2.id, B1.id)))
    assert [(v.speaker, v.direct_words, v.indirect_words) for v in venezuela.voices] == [
        ("Nicolás Maduro", 5, 8),
        ("Juan Guaidó", 11, 0),
        ("Jose Perez", 0, 8),
        (None, 2, 0),
    ]
    assert sum(venezuela.share(v) for v in venezuela.voices) == pytest.approx(1.0)
    assert [(v.speaker, us.share(v)) for v in us.voices] == [("Mike Pompeo", 1.0)]
    assert len(shares.all()) == len(DOCS) + 3 + 2


def test_stories_without_analysed_articles_are_left_out() -> None:
    shares = voice_shares([A1], [Story("s-gone", "Gone", ("ffffffffffffffff",)), STORIES[0]])
    assert [(s.key, s.articles) for s in shares.stories] == [("s-venezuela", (A1.id,))]


def test_nothing_quoted_has_no_voices_and_no_share() -> None:
    quiet = make_doc("q", "Outlet Q")
    (share,) = voice_shares([quiet]).outlets
    assert (share.quotes, share.words, share.voices) == (0, 0, ())
    assert share.share(Voice("", None, None, 0, 0, 0, 0)) == 0.0
    assert voice_shares([]).all() == ()


def test_shares_do_not_depend_on_document_order() -> None:
    expected = voice_shares(DOCS, STORIES)
    for permutation in itertools.permutations(DOCS):
        assert voice_shares(list(permutation), STORIES) == expected
