"""JSON inputs: JSON lines (one article object per line), and .json files holding one object or an array.

Each line or array item is read on its own, so a malformed line, a value that is not an object or an object
without text gives a problem for that line and the rest of the file is still read. Articles are named
``file.jsonl#N`` after their line; items of a JSON array ``file.json#N`` after their position in the array.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from rashomon.errors import IngestError
from rashomon.ingest.decode import Decoded
from rashomon.ingest.records import json_type, read_record, record_article
from rashomon.model import Article, IngestProblem, SourceFormat


def parse_json_lines(decoded: Decoded, source: str) -> Iterator[Article | IngestProblem]:
    """One article (or problem) per non-blank line of a JSON lines file."""
    found = False
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        if line.strip():
            found = True
            yield _line_item(line, number, decoded, source)
    if not found:
        yield IngestProblem(source, "no JSON records (the file is blank)")


def parse_json(decoded: Decoded, source: str) -> Iterator[Article | IngestProblem]:
    """A .json file: one article object (as news-please writes them), an array of objects, or JSON lines."""
    if decoded.text.lstrip().startswith("["):
        yield from _parse_array(decoded, source)
        return
    try:
        value = json.loads(decoded.text)
    except json.JSONDecodeError:
        # Not one JSON document: most likely JSON lines under a .json name, where each line gets its verdict.
        yield from parse_json_lines(decoded, source)
        return
    yield _object_item(value, decoded, source, line=1, source_path=source)


def _line_item(line: str, number: int, decoded: Decoded, source: str) -> Article | IngestProblem:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestProblem(source, f"malformed JSON: {exc.msg} (column {exc.colno})", number)
    return _object_item(value, decoded, source, line=number, source_path=f"{source}#{number}")


def _parse_array(decoded: Decoded, source: str) -> Iterator[Article | IngestProblem]:
    count = 0
    try:
        for count, (line, value) in enumerate(_array_items(decoded.text), start=1):
            path = f"{source}#{count}"
            yield _object_item(value, decoded, source, line=line, source_path=path, label=f"item {count}: ")
    except json.JSONDecodeError as exc:
        # A broken array cannot be resynchronised: the items before the error are kept, the rest is lost.
        yield IngestProblem(source, f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        return
    if count == 0:
        yield IngestProblem(source, "empty JSON array: no articles")


def _array_items(text: str) -> Iterator[tuple[int, object]]:
    """The items of the JSON array ``text``, each with its first line; `json.JSONDecodeError` if malformed."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, text.index("[") + 1)
    line, counted = 1, 0
    while not text.startswith("]", pos):
        value, end = decoder.raw_decode(text, pos)
        line, counted = line + text.count("\n", counted, pos), pos
        yield line, value
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
            if text.startswith("]", pos):
                raise json.JSONDecodeError("trailing comma before ']'", text, pos)
        elif not text.startswith("]", pos):
            raise json.JSONDecodeError("expected ',' or ']' after an array item", text, pos)
    if _skip_space(text, pos + 1) != len(text):
        raise json.JSONDecodeError("extra data after the array", text, pos + 1)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _object_item(
    value: object, decoded: Decoded, source: str, *, line: int, source_path: str, label: str = ""
) -> Article | IngestProblem:
    if not isinstance(value, dict):
        return IngestProblem(source, f"{label}expected a JSON object, found {json_type(value)}", line)
    try:
        record = read_record(value, source, line)
        return record_article(
            record,
            source=source,
            line=line,
            source_path=source_path,
            source_format=SourceFormat.JSONL,
            charset=decoded.charset,
        )
    except IngestError as exc:
        return IngestProblem(exc.source, label + exc.message, exc.line)
