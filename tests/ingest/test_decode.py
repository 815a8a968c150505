"""Bytes to text: size limit, empty and binary files, encodings, newlines."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from rashomon.errors import IngestError
from rashomon.ingest.decode import binary_evidence, decode, normalize_newlines, read_path, read_stream

SPANISH = (
    "El presidente Nicolás Maduro dijo el martes que la oposición había intentado un golpe de Estado. "
    "«No lo permitiremos», añadió el mandatario, según la agencia española EFE.\n"
)


@pytest.mark.parametrize(
    ("data", "text", "charset"),
    [
        (b"plain ASCII\n", "plain ASCII\n", "utf-8"),
        ("Guaidó “quoted”\n".encode(), "Guaidó “quoted”\n", "utf-8"),
        ("\ufeffwith a BOM\n".encode(), "with a BOM\n", "utf-8-sig"),
        (codecs.BOM_UTF16_BE + "UTF-16 big endian\n".encode("utf-16-be"), "UTF-16 big endian\n", "utf-16"),
        ("UTF-32 text\n".encode("utf-32"), "UTF-32 text\n", "utf-32"),
    ],
)
def test_decodes_unicode_encodings(data: bytes, text: str, charset: str) -> None:
    decoded = decode(data, "a.txt")
    assert (decoded.text, decoded.charset) == (text, charset)


def test_latin1_fixture_is_decoded_by_guessing(fixtures: Path) -> None:
    decoded = decode((fixtures / "latin1.txt").read_bytes(), "latin1.txt")
    assert "Le président vénézuélien défend son bilan" in decoded.text
    assert "« Nous ne le permettrons pas »" in decoded.text
    # Latin-1 and Windows-1252 agree on every letter; a tie between code pages goes to Windows-1252.
    assert decoded.charset == "cp1252"


def test_utf16_fixture_with_bom(fixtures: Path) -> None:
    decoded = decode((fixtures / "utf16.txt").read_bytes(), "utf16.txt")
    assert decoded.text.startswith("Приговор оппозиции\n\nМинистерство")
    assert decoded.charset == "utf-16"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SPANISH, "latin-1"),
        ("“Smart quotes” — and dashes – here, as Word writes them.\n", "cp1252"),
        ("Café crème brûlée.\n", "latin-1"),  # too short for statistics: the tie-break decides
        ("Министерство иностранных дел России заявило во вторник, что проблемы решаются.\n", "cp1251"),
    ],
)
def test_legacy_encodings_round_trip(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "a.txt").text == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a\r\nb\r\n", "a\nb\n"), ("a\rb", "a\nb"), ("a\n\nb", "a\n\nb"), ("a\r\n\r\nb", "a\n\nb")],
)
def test_newlines_are_normalised(raw: str, expected: str) -> None:
    assert normalize_newlines(raw) == expected
    assert decode(raw.encode(), "a.txt").text == expected


def test_empty_file_fixture(fixtures: Path) -> None:
    with pytest.raises(IngestError, match=r"^empty.txt: empty file$"):
        decode((fixtures / "empty.txt").read_bytes(), "empty.txt")


def test_nul_byte_fixture_is_binary(fixtures: Path) -> None:
    with pytest.raises(IngestError, match=r"binary file \(contains NUL bytes\)"):
        decode((fixtures / "nul_byte.txt").read_bytes(), "nul_byte.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "GZIP"),
        (b"GIF89a\x01\x00", "GIF"),
    ],
)
def test_known_binary_formats_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(IngestError, match=rf"binary file \(looks like {kind}"):
        decode(data, "f.bin")


def test_control_characters_mean_binary() -> None:
    assert binary_evidence(bytes(range(1, 32)) * 4) is not None


@pytest.mark.parametrize(
    "data",
    [
        b"Text with a form feed\x0c and a tab\t.\n",
        b"Colour codes \x1b[1mbold\x1b[0m in a terminal log line of ordinary length.\n",
        "Ünïcödé text\n".encode(),
    ],
)
def test_text_with_occasional_controls_is_not_binary(data: bytes) -> None:
    assert binary_evidence(data) is None


def test_undecodable_bytes_are_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("charset_normalizer.from_bytes", lambda data: _NoMatches())
    with pytest.raises(IngestError, match=r"a.txt: cannot decode: not UTF-8"):
        decode(b"caf\xe9", "a.txt")


class _NoMatches(list[object]):
    def best(self) -> None:
        return None


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)

    def fail(self: Path, *args: object) -> None:
        raise AssertionError("the file was opened despite its size")

    monkeypatch.setattr(Path, "open", fail)
    with pytest.raises(IngestError) as caught:
        read_path(big, "big.txt", max_bytes=1000)
    message = str(caught.value)
    assert message.startswith("big.txt: file too large (2,048 bytes; the limit is 1,000 bytes)")
    assert "--max-file-bytes" in message


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 1000)
    assert read_path(path, "a.txt", max_bytes=1000) == b"x" * 1000


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"gone.txt: cannot read: No such file"):
        read_path(tmp_path / "gone.txt", "gone.txt", max_bytes=1000)


def test_stream_over_the_limit_is_refused() -> None:
    with pytest.raises(IngestError, match=r"^-: file too large \(more than 10 bytes"):
        read_stream(io.BytesIO(b"x" * 11), "-", max_bytes=10)
    assert read_stream(io.BytesIO(b"x" * 10), "-", max_bytes=10) == b"x" * 10
