"""LLM10: Office files are zip archives. A 50 KB .docx whose document.xml inflates to 12 MB used to cost
hundreds of megabytes and about a minute before it was refused; now its zip directory is read first and the
file is refused in Chinese before anything is inflated — on upload, in the consistency check and (for .xlsx)
in the data import."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import MAX_FILE_MB, Actor

BOMB_XML_BYTES = 12 * 1024 * 1024
PARAGRAPH = "<w:p><w:r><w:t>展板制作要求展板制作要求展板制作要求。</w:t></w:r></w:p>"
BOUND_S = 10  # reading a zip directory takes milliseconds; inflating and parsing the bomb took a minute


def _bomb(template: bytes, part: str, head: str, tail: str) -> bytes:
    """`template` (a real Office file) with `part` replaced by 12 MB of repetitive XML."""
    body = PARAGRAPH * (BOMB_XML_BYTES // len(PARAGRAPH.encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = (head + body + tail).encode() if item.filename == part else src.read(item.filename)
            dst.writestr(item.filename, data, compresslevel=9)
    data = out.getvalue()
    assert len(data) < MAX_FILE_MB * 1024 * 1024, len(data)  # small enough to pass every upload size check
    return data


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/></Relationships>')
DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
            '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
DOC_TAIL = "</w:body></w:document>"


def _minimal_docx(paragraphs: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", DOC_HEAD + paragraphs + DOC_TAIL, compresslevel=9)
    return out.getvalue()


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _bomb(_minimal_docx(""), "word/document.xml", DOC_HEAD, DOC_TAIL)


@pytest.mark.parametrize("n", [pytest.param(20, id="LLM10-docx-zip-check-lets-an-ordinary-docx-in")])
def test_an_ordinary_docx_of_the_same_shape_is_read(client: TestClient, actors: dict[str, Actor], cleanup: list[str],
                                                    n: int) -> None:
    r = client.post("/api/documents", files=[("files", ("展板要求（正常）.docx", _minimal_docx(PARAGRAPH * n),
                                                        "application/octet-stream"))], headers=actors["staff"].headers)
    assert r.status_code == 200, r.text[:300]
    cleanup.append(r.json()["files"][0]["doc_id"])


@pytest.mark.parametrize("route", [
    pytest.param("/api/documents", id="LLM10-docx-zip-bomb-upload-refused-before-inflating"),
    pytest.param("/api/draft/check/upload", id="LLM10-docx-zip-bomb-in-consistency-check-refused"),
])
def test_a_docx_zip_bomb_is_refused_from_its_directory(client: TestClient, actors: dict[str, Actor],
                                                       docx_bomb: bytes, route: str) -> None:
    field = "files" if route == "/api/documents" else "file"
    started = time.monotonic()
    r = client.post(route, files=[(field, ("展板要求.docx", docx_bomb, "application/octet-stream"))],
                    headers=actors["staff"].headers)
    elapsed = time.monotonic() - started
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert "压缩炸弹" in r.text and "12.0 MB" in r.text, r.text[:300]
    assert elapsed < BOUND_S, f"{elapsed:.1f}s"


@pytest.mark.parametrize("kind", [pytest.param("indicators", id="LLM10-xlsx-zip-bomb-import-refused")])
def test_an_xlsx_zip_bomb_is_refused_by_the_import(sec_settings: Settings, tmp_path: Path, kind: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["地区", "期间", "指标", "数值"])
    buf = io.BytesIO()
    book.save(buf)
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    path = tmp_path / "指标.xlsx"
    path.write_bytes(_bomb(buf.getvalue(), "xl/worksheets/sheet1.xml", head, "</sheetData></worksheet>"))
    started = time.monotonic()
    result = CliRunner().invoke(main, ["db", "import", kind, str(path)],
                                env={"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)})
    assert result.exit_code != 0 and "压缩炸弹" in result.output and "指标.xlsx" in result.output, result.output
    assert time.monotonic() - started < BOUND_S
