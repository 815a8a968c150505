"""Reading metadata values from the strings news sources write them as: publication dates and language tags.

The readers for values found inside sources are lenient: any common format is understood and anything else
gives None, since a source with an odd date is still worth reading. `parse_iso_date` is the strict exception,
for the metadata sidecar, where a date the user typed wrong must be reported rather than dropped.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

# Day-first and month-name formats seen in news exports. Numeric day/month orders other than year-first are
# ambiguous (03/04/2019) and deliberately absent: a wrong date is worse than no date.
_FORMATS = (
    "%d %B %Y",  # 30 April 2019
    "%d %b %Y",  # 30 Apr 2019
    "%B %d, %Y",  # April 30, 2019
    "%b %d, %Y",  # Apr 30, 2019
    "%B %d %Y",  # April 30 2019
    "%A, %d %B %Y",  # Tuesday, 30 April 2019
    "%A %d %B %Y",  # Tuesday 30 April 2019
    "%A, %B %d, %Y",  # Tuesday, April 30, 2019
    "%a, %d %b %Y",  # Tue, 30 Apr 2019 (RFC 2822 without a time)
    "%Y/%m/%d",  # 2019/04/30
    "%Y.%m.%d",  # 2019.04.30
)

# "2019-04-30 10:00:00.123456 UTC" (Media Cloud) and other ISO-like stamps: only the date part is kept.
_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}.*)?")

# A BCP 47 language tag ("en", "en-GB", "pt_BR", "zh-Hant-TW"): its primary subtag is the ISO 639 code.
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def parse_date(value: str | None) -> dt.date | None:
    """The calendar date ``value`` states, or None when it is empty or not a date this function knows.

    Times and time zones are dropped: the date is the one written, not converted to UTC.
    """
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    return _iso(text) or _rfc2822(text) or _formatted(text)


def parse_iso_date(value: str) -> dt.date:
    """The date of an ISO date ("2019-04-30") or datetime ("2019-04-30T10:00:00+02:00"); else ValueError."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD or an ISO datetime)") from None


def language_code(tag: str | None) -> str | None:
    """The lowercase ISO 639 code of a declared language tag ("en-GB" -> "en"), None if it is not one."""
    if tag is None:
        return None
    match = _LANGUAGE_TAG.fullmatch(tag.strip())
    return match[1].lower() if match else None


def _iso(text: str) -> dt.date | None:
    try:
        return parse_iso_date(text)
    except ValueError:
        pass
    match = _ISO_PREFIX.fullmatch(text)
    if match is None:
        return None
    return _make_date(int(match[1]), int(match[2]), int(match[3]))


def _rfc2822(text: str) -> dt.date | None:
    """RSS and e-mail style: "Tue, 30 Apr 2019 10:00:00 GMT"."""
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _formatted(text: str) -> dt.date | None:
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
