"""Dates and language tags as sources write them."""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.ingest.values import language_code, parse_date, parse_iso_date

APRIL_30 = dt.date(2019, 4, 30)


@pytest.mark.parametrize(
    "value",
    [
        "2019-04-30",
        "2019-04-30 10:00:00",  # news-please
        "2019-04-30 10:00:00.123456",  # Media Cloud
        "2019-04-30T10:00:00Z",
        "2019-04-30T23:00:00-05:00",  # the date as written, not converted to UTC
        "2019-04-30T10:00:00.000+0200",
        "2019-04-30 10:00:00 UTC",
        "Tue, 30 Apr 2019 10:00:00 GMT",  # RSS
        "Tue, 30 Apr 2019",
        "30 April 2019",
        "30 Apr 2019",
        "April 30, 2019",
        "Apr 30, 2019",
        "Tuesday, 30 April 2019",
        "2019/04/30",
        "  2019-04-30\n",
    ],
)
def test_common_date_strings(value: str) -> None:
    assert parse_date(value) == APRIL_30


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "garbage",
        "2019-02-30",
        "2019-13-01",
        "04/30/2019",
        "30/04/2019",
        "Apr 2019",
        "2019",
        "0",
    ],
)
def test_garbage_and_ambiguous_dates_give_none(value: str | None) -> None:
    assert parse_date(value) is None


def test_strict_iso_date() -> None:
    assert parse_iso_date("2019-04-30T10:00:00") == APRIL_30
    with pytest.raises(ValueError, match=r"'April 30, 2019' is not a date \(expected YYYY-MM-DD"):
        parse_iso_date("April 30, 2019")


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en", "en"), ("EN-gb", "en"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh"), (" es ", "es"), ("fil", "fil")],
)
def test_language_codes(tag: str, code: str) -> None:
    assert language_code(tag) == code


@pytest.mark.parametrize("tag", [None, "", "english", "e", "en-", "12"])
def test_not_language_codes(tag: str | None) -> None:
    assert language_code(tag) is None
