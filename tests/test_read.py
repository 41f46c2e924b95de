"""Reading files: text encodings, PDF errors with one clear line each, nothing silently replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_render import render_report
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from indexer.ingest.read import ReadError, decode_text, read_file

TEXT = "Nämndmål:\nSödermalms parker vårdas – ”bevaras” och utvecklas\n Uppfylls delvis\n"


def test_utf8_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    raw = read_file(path)
    assert raw.encoding == "utf-8" and raw.lines[1].text == TEXT.splitlines()[1]
    assert [line.lineno for line in raw.lines] == [1, 2, 3]


def test_windows_1252_text_is_detected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    raw = read_file(path)
    assert raw.encoding == "cp1252"
    assert raw.lines[1].text == "Södermalms parker vårdas – ”bevaras” och utvecklas"


def test_bytes_undefined_in_windows_1252_fall_back_to_latin1():
    text, encoding = decode_text("Nämnd ".encode("latin-1") + b"\x81")
    assert encoding == "latin-1" and text == "Nämnd \x81"


def test_utf8_bom_is_not_text():
    text, encoding = decode_text("\ufeffNämndmål:".encode("utf-8"))
    assert (text, encoding) == ("Nämndmål:", "utf-8")


@pytest.fixture
def broken(tmp_path) -> dict[str, Path]:
    files = {}
    files["empty.pdf"] = tmp_path / "empty.pdf"
    files["empty.pdf"].write_bytes(b"")
    files["random.pdf"] = tmp_path / "random.pdf"
    files["random.pdf"].write_bytes(bytes(range(256)) * 8)
    full = tmp_path / "full.pdf"
    render_report(["Stadsledningskontoret prognostiserar ett överskott. " * 20] * 30, full, "Rubrik")
    files["truncated.pdf"] = tmp_path / "truncated.pdf"
    files["truncated.pdf"].write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    files["encrypted.pdf"] = tmp_path / "encrypted.pdf"
    canvas = Canvas(str(files["encrypted.pdf"]), encrypt=StandardEncryption("hemligt", canPrint=0))
    canvas.drawString(100, 700, "Hemlig text")
    canvas.save()
    files["nopages.pdf"] = tmp_path / "nopages.pdf"
    files["nopages.pdf"].write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")
    files["empty.txt"] = tmp_path / "empty.txt"
    files["empty.txt"].write_text("  \n\n", encoding="utf-8")
    files["binary.txt"] = tmp_path / "binary.txt"
    files["binary.txt"].write_bytes(b"abc\x00def")
    files["report.docx"] = tmp_path / "report.docx"
    files["report.docx"].write_bytes(b"PK")
    return files


@pytest.mark.parametrize("name, reason", [
    ("empty.pdf", "the file is empty"),
    ("random.pdf", "not a PDF file"),
    ("truncated.pdf", "truncated PDF"),
    ("encrypted.pdf", "encrypted"),
    ("nopages.pdf", "no pages"),
    ("empty.txt", "the file is empty"),
    ("binary.txt", "not a text file"),
    ("report.docx", "unsupported file type .docx"),
])
def test_bad_input_is_one_clear_error(broken, name, reason):
    with pytest.raises(ReadError) as info:
        read_file(broken[name])
    message = str(info.value)
    assert message.startswith(str(broken[name])) and reason in message
    assert "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_file(tmp_path / "saknas.txt")


def test_pdf_lines_carry_1_based_pages(tmp_path):
    path = tmp_path / "pages.pdf"
    placed = render_report([f"Stycke {n}: " + "text som fyller sidan " * 40 for n in range(40)], path, "Rubrik")
    raw = read_file(path)
    assert raw.source == "pdf" and raw.pages == max(page for _, page in placed) > 2
    first = {}
    for line in raw.lines:
        if line.text.startswith("Stycke "):
            first.setdefault(line.text.split(":")[0], line.page)
    assert first == {text.split(":")[0]: page for text, page in placed}
