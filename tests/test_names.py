"""Name normalisation: comparable forms, stable keys, honorifics, short forms."""

from __future__ import annotations

import pytest

from rashomon.names import entity_key, is_short_form, name_tokens, strip_honorific


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Juan Guaidó", "juan-guaido"),  # accents fold
        ("Mr Nicolás Maduro", "nicolas-maduro"),  # honorifics go
        ("Maduro's", "maduro"),  # the possessive goes
        # Well-known abbreviations take their full name's key: one entity, one actor.
        ("U.S.", "united-states"),
        ("US", "united-states"),
        ("United States", "united-states"),
        ("U.K.", "united-kingdom"),
        ("Britain", "united-kingdom"),
        ("EU", "european-union"),
        ("U.N.", "united-nations"),
        # negative: only whole names are replaced
        ("U.S. Army", "u-s-army"),
        ("United States Senate", "united-states-senate"),
        ("New Britain", "new-britain"),
        ("!!!", "unnamed"),
    ],
)
def test_entity_key(name: str, key: str) -> None:
    assert entity_key(name) == key


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("Corbyn", "Jeremy Corbyn", True),
        ("Mr Corbyn", "Jeremy Corbyn", True),
        ("Padrino Lopez", "Vladimir Padrino Lopez", True),
        ("Jones", "Graham Jones Smith", False),  # only trailing words
        ("Jeremy Corbyn", "Jeremy Corbyn", False),  # not shorter
        ("", "Jeremy Corbyn", False),
    ],
)
def test_is_short_form(short: str, full: str, expected: bool) -> None:
    assert is_short_form(short, full) is expected


def test_honorifics() -> None:
    assert strip_honorific("Mr Corbyn") == "Corbyn"
    assert strip_honorific("Mr") == "Mr"  # a lone honorific is kept: there is nothing else to name
    assert name_tokens("Dr. Jane Doe") == ("jane", "doe")
