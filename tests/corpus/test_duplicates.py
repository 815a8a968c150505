"""Near-duplicates: a wire story and its lightly edited, cut or re-headlined copies group; other reports of the same
news, and short texts, do not."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from rashomon.corpus.duplicates import (
    MIN_SHINGLES,
    Text,
    find_duplicates,
    is_copy,
    jaccard,
    shingles,
    signature,
)

WIRE = """CARACAS, Jan 23 (Reuters) - Venezuelan opposition leader Juan Guaido declared himself interim president on
Wednesday before tens of thousands of supporters in Caracas, and U.S. President Donald Trump quickly recognized
him, prompting socialist President Nicolas Maduro to cut diplomatic relations with Washington.
Guaido, the 35-year-old head of the opposition-controlled National Assembly, raised his right hand and swore an oath
to take over executive powers, saying Maduro had usurped the presidency after winning a disputed election last year.
"I swear to formally assume the national executive powers as acting president of Venezuela," Guaido told the crowd.
Maduro, speaking from the balcony of the Miraflores presidential palace, said he was breaking off relations with the
United States and gave American diplomats 72 hours to leave the country. "Get out of Venezuela," he told them.
Canada, Brazil, Colombia and several other countries in the region followed Washington in recognizing Guaido,
while Russia and Cuba voiced support for Maduro. The military, whose backing is seen as decisive, did not comment.
At least 13 people were killed in street violence during two days of protests, according to a rights group.
Opposition supporters blocked roads with burning tires in several cities, and security forces fired tear gas.
Maduro, who was sworn in for a second term on Jan. 10, has presided over an economic collapse that has driven
some three million Venezuelans to emigrate."""

# The same wire story as another outlet carries it: a new headline line, a word changed here and there, a sentence
# dropped, an editor's line added at the end.
EDITED = (
    "Guaido declares himself Venezuela's interim president; Trump recognizes him\n"
    + WIRE.replace("quickly recognized", "swiftly recognized")
    .replace("tens of thousands of", "thousands of")
    .replace("The military, whose backing is seen as decisive, did not comment.\n", "")
    .replace("told the crowd", "told supporters")
    + "\nReporting by our Caracas bureau; editing by the foreign desk."
)

# The first half of the story: a copy cut short.
CUT = " ".join(WIRE.split()[: len(WIRE.split()) * 55 // 100])

# The same news, written independently: the same names, facts and even a quote, other sentences.
OTHER_REPORT = """Juan Guaido, who leads Venezuela's National Assembly, proclaimed himself the country's acting
president in front of a huge rally in Caracas on Wednesday. Within minutes the Trump administration recognized
him as the legitimate leader, and Nicolas Maduro responded by severing ties with the United States, ordering its
diplomats out within three days. "I swear to formally assume the national executive powers as acting president
of Venezuela," Guaido said. Several Latin American governments, including Brazil and Colombia, backed the
opposition leader, while Moscow and Havana stood by Maduro. Human rights monitors said more than a dozen people
died in clashes as protesters set up barricades and police used tear gas. The armed forces, long loyal to
Maduro, kept silent. Millions of Venezuelans have left during years of hyperinflation and shortages under
Maduro's government."""


def texts(*items: tuple[str, str, dt.date | None]) -> list[Text]:
    return [Text(article_id, text, date) for article_id, text, date in items]


JAN23, JAN24 = dt.date(2019, 1, 23), dt.date(2019, 1, 24)


def test_edited_and_cut_copies_group_with_their_original() -> None:
    items = texts(
        ("a" * 16, WIRE, JAN23),
        ("b" * 16, EDITED, JAN24),
        ("c" * 16, CUT, JAN24),
        ("d" * 16, OTHER_REPORT, JAN23),
    )
    (group,) = find_duplicates(items)
    assert group.original == "a" * 16
    assert [a for a, _ in group.copies] == ["b" * 16, "c" * 16]
    similarities = dict(group.copies)
    assert 0.5 <= similarities["b" * 16] < 1.0  # an edited copy is not identical
    assert similarities["c" * 16] < 0.6  # a cut copy is found by containment, not by Jaccard


@pytest.mark.parametrize(
    ("first", "second", "copies"),
    [
        (WIRE, WIRE, True),
        (WIRE, EDITED, True),
        (WIRE, CUT, True),
        (WIRE, WIRE.upper(), True),  # case and punctuation are ignored
        (WIRE, WIRE.replace(",", "").replace(".", " ."), True),
        (WIRE, OTHER_REPORT, False),  # the same news in other words
        (WIRE, " ".join(WIRE.split()[:40]), True),  # its first 40 words are a (short) copy
        (WIRE, " ".join(WIRE.split()[:15]), False),  # 11 shingles: too little to call anything a copy
        ("Maduro speaks.", "Maduro speaks.", False),  # short texts are never copies
        ("", "", False),
    ],
)
def test_is_copy(first: str, second: str, copies: bool) -> None:
    a, b = shingles(first), shingles(second)
    if copies or min(len(a), len(b)) >= MIN_SHINGLES:
        assert is_copy(a, b) is copies
        assert is_copy(b, a) is copies
    else:
        assert not is_copy(a, b)


def test_original_is_earliest_then_longest_undated_last() -> None:
    undated = ("0" * 16, WIRE + " One more line for the undated copy.", None)
    later = ("1" * 16, EDITED, JAN24)
    first = ("2" * 16, WIRE, JAN23)
    (group,) = find_duplicates(texts(undated, later, first))
    assert group.original == "2" * 16
    (group,) = find_duplicates(texts(undated, ("3" * 16, WIRE, None)))
    assert group.original == "0" * 16  # the longer of two undated copies


def test_deterministic_whatever_the_order() -> None:
    items = texts(
        ("a" * 16, WIRE, JAN23), ("b" * 16, EDITED, JAN24), ("c" * 16, CUT, None), ("d" * 16, OTHER_REPORT, None)
    )
    results = {find_duplicates(list(p)) for p in itertools.permutations(items)}
    assert len(results) == 1


def test_no_copies_no_groups() -> None:
    assert find_duplicates([]) == ()
    assert find_duplicates(texts(("a" * 16, WIRE, None), ("b" * 16, OTHER_REPORT, None))) == ()


def test_minhash_estimates_jaccard() -> None:
    a, b = shingles(WIRE), shingles(EDITED)
    estimate = float((signature(a) == signature(b)).mean())
    assert abs(estimate - jaccard(a, b)) < 0.15
    assert (signature(a) == signature(a)).all()
    assert signature(frozenset()).shape == signature(a).shape


def test_shingles() -> None:
    assert len(shingles("one two three four five six")) == 2
    assert len(shingles("one two")) == 1  # a text shorter than a shingle is one shingle
    assert shingles("") == frozenset()
    assert shingles("Guaidó said") == shingles("GUAIDO said!")
