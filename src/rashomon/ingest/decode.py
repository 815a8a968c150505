"""Turning the bytes of one input into text: size limit, binary detection, character encoding, newlines.

Everything that can go wrong before there is text to parse is decided here, and reported as an `IngestError`
naming the input, so the format parsers only ever see a `str` with ``\\n`` line ends.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from rashomon.errors import IngestError

# File signatures of formats people commonly mistake for text: reported by name so the user knows to convert.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP (DOCX, ODT and EPUB are ZIP files too)"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "GZIP"),
    (b"BZh91AY&SY", "BZIP2"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (DOC/XLS)"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\x7fELF", "an executable (ELF)"),
)

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# How much of the start of a file is inspected for binary content; enough to be representative, cheap to scan.
SNIFF_BYTES = 8192
# Text has almost no C0 control characters besides tab, newline, carriage return and form feed.
MAX_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")

# When charset-normalizer scores several code pages equally it returns the first it tried; Windows-1252 (a
# superset of Latin-1's printable characters) is by far the most common legacy encoding of news text, so a tie
# that includes it goes to it.
PREFERRED_ON_TIE = "cp1252"


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of one input and the encoding it was decoded from."""

    text: str
    charset: str


def read_path(path: Path, source: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, refusing files over ``max_bytes`` before reading them into memory."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(source, _too_large(f"{size:,} bytes", max_bytes))
        # read as a stream all the same: a file may grow after the check, and a named pipe has no size
        with path.open("rb") as stream:
            return read_stream(stream, source, max_bytes)
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from exc


def read_stream(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """The bytes of a stream (stdin), which has no size to check up front: read one byte past the limit."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise IngestError(source, _too_large(f"more than {max_bytes:,} bytes", max_bytes))
    return data


def decode(data: bytes, source: str) -> Decoded:
    """Decode ``data`` to text with ``\\n`` newlines, or raise `IngestError` saying why it is not text."""
    if not data:
        raise IngestError(source, "empty file")
    bom_charset = _bom_charset(data)
    if bom_charset is not None:
        # A BOM is a declaration; checked before the binary test because UTF-16 text is full of NUL bytes.
        return _decoded(_decode_with(data, bom_charset, source), bom_charset)
    why = binary_evidence(data)
    if why is not None:
        raise IngestError(source, f"binary file ({why})")
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _guess(data, source)


def binary_evidence(data: bytes) -> str | None:
    """Why ``data`` is not text ("looks like PDF", "contains NUL bytes", ...), or None if it may be text."""
    for magic, name in MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"looks like {name}"
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls / len(head) > MAX_CONTROL_SHARE:
        return f"{controls / len(head):.0%} of its first bytes are control characters"
    return None


def normalize_newlines(text: str) -> str:
    """Windows (``\\r\\n``) and old Mac (``\\r``) line ends become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(size: str, max_bytes: int) -> str:
    return (
        f"file too large ({size}; the limit is {max_bytes:,} bytes): "
        "raise it with --max-file-bytes or RASHOMON_MAX_FILE_BYTES"
    )


def _bom_charset(data: bytes) -> str | None:
    return next((charset for bom, charset in BOMS if data.startswith(bom)), None)


def _decode_with(data: bytes, charset: str, source: str) -> str:
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not valid {charset} despite its byte-order mark: {exc.reason}") from exc


def _decoded(text: str, charset: str) -> Decoded:
    return Decoded(normalize_newlines(text), codecs.lookup(charset).name)


def _guess(data: bytes, source: str) -> Decoded:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise IngestError(source, "cannot decode: not UTF-8, and no other character encoding fits")
    ties = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    if _tie_includes(ties, PREFERRED_ON_TIE):
        try:
            return _decoded(data.decode(PREFERRED_ON_TIE), PREFERRED_ON_TIE)
        except UnicodeDecodeError:
            pass  # bytes Windows-1252 leaves undefined: keep charset-normalizer's choice
    return _decoded(str(best), best.encoding)


def _tie_includes(ties: Sequence[charset_normalizer.CharsetMatch], charset: str) -> bool:
    return any(charset in match.could_be_from_charset for match in ties)
