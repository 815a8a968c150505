"""Language identification over the configured languages."""

from __future__ import annotations

import pytest

from rashomon.nlp.language import identify_language
from rashomon.settings import Settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jeremy Corbyn has condemned the violence committed by all sides in Venezuela.", "en"),
        ("El gobierno de Venezuela ha condenado la violencia de todos los lados en las protestas.", "es"),
        ("Министерство иностранных дел России заявило о поддержке законного президента.", "ru"),
        ("Le gouvernement a condamné la violence commise par tous les camps au Venezuela.", "fr"),
        ("Too short", None),
        ("", None),
    ],
)
def test_identify(text: str, expected: str | None) -> None:
    assert identify_language(text, Settings()) == expected


def test_unknown_language_code_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown language code 'xx'"):
        identify_language("Some long enough English text to identify.", Settings(languages=("en", "xx")))
