"""CSV and TSV inputs: a header row naming the fields, then one article per row.

Columns are mapped to article fields as for JSON records (`rashomon.ingest.records`). A bad row gives a
problem naming its line and the other rows are still read. Line numbers are physical lines of the file,
where the row starts (a quoted field may span several lines); articles are named ``file.csv#N`` after them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from rashomon.errors import IngestError
from rashomon.ingest.decode import Decoded
from rashomon.ingest.records import TEXT_FIELDS, has_text_field, read_record, record_article
from rashomon.model import Article, IngestProblem, SourceFormat

# Delimiters tried on the header line of a .csv file; spreadsheets in many locales write ";".
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


def parse_csv(decoded: Decoded, source: str) -> Iterator[Article | IngestProblem]:
    """A comma-separated file (or semicolon, tab, bar: whichever the header line uses most)."""
    return parse_table(decoded, source, sniff_delimiter(decoded.text))


def parse_tsv(decoded: Decoded, source: str) -> Iterator[Article | IngestProblem]:
    """A tab-separated file."""
    return parse_table(decoded, source, "\t")


def sniff_delimiter(text: str) -> str:
    """The candidate delimiter the header line uses most (a header's names rarely contain delimiters)."""
    header = text.lstrip("\n").partition("\n")[0]
    return max(CANDIDATE_DELIMITERS, key=header.count)


def parse_table(decoded: Decoded, source: str, delimiter: str) -> Iterator[Article | IngestProblem]:
    """One article (or problem) per data row of a delimited file with a header row."""
    rows = ((line, row) for line, row in _numbered_rows(decoded.text, delimiter, source) if _has_content(row))
    try:
        header_line, header = next(rows, (1, []))
        if not has_text_field(header):
            yield IngestProblem(source, _no_text_column(header, delimiter), header_line)
            return
        found = False
        for line, row in rows:
            found = True
            yield _row_item(header, row, line, decoded, source)
        if not found:
            yield IngestProblem(source, "no rows after the header")
    except IngestError as exc:
        yield IngestProblem(exc.source, exc.message, exc.line)


def _numbered_rows(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with the physical line it starts on; `IngestError` on malformed CSV."""
    # A field can be as long as the file, which the size limit already bounds; the csv default is 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    # strict: a broken quote is reported instead of silently swallowing the rows after it
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        # A broken quote and the like: the rows after it cannot be told apart, so the file stops here.
        raise IngestError(source, f"malformed CSV: {exc} (the rest of the file is not read)", start) from exc


def _has_content(row: list[str]) -> bool:
    return any(cell.strip() for cell in row)


def _row_item(header: list[str], row: list[str], line: int, decoded: Decoded, source: str) -> Article | IngestProblem:
    if len(row) > len(header):
        return IngestProblem(source, f"row has {len(row)} fields but the header names {len(header)}", line)
    try:
        record = read_record(dict(zip(header, row, strict=False)), source, line)
        return record_article(
            record,
            source=source,
            line=line,
            source_path=f"{source}#{line}",
            source_format=SourceFormat.CSV,
            charset=decoded.charset,
        )
    except IngestError as exc:
        return IngestProblem(exc.source, exc.message, exc.line)


def _no_text_column(header: list[str], delimiter: str) -> str:
    names = ", ".join(repr(name) for name in header) or "none"
    return (
        f"no text column in the header (columns: {names}; delimiter {delimiter!r}); "
        f"expected one of: {', '.join(TEXT_FIELDS)}"
    )
