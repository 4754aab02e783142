"""Long scans through the command line: a 500-page scan is refused before any page is read, with the limit and
what to do, and the rest of the folder goes in; a scan within the limit is read page by page, reported in a log
every tenth page with the time left. Pages are generated here with the installed CJK font; nothing is downloaded.
(The speed of a full-length scan is measured by bench/ocr_bench.py, not here: 2 cores.)"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from assistant.cli import main
from tests.kb.scans import Layout, font, render_document

pytest.importorskip("rapidocr_onnxruntime", reason="文字识别组件未安装（pip install -e '.[ocr]'）")


def bound_volume(path: Path, pages: int, text: str = "") -> Path:
    """An image-only PDF of `pages` small pages (a scanner's output, no text layer). With `text`, each page
    shows it with its page number ("第 7 卷：…"); without, a faint stamp only, as blank-ish as a cheap fixture
    can be."""
    size = (520, 300) if text else (100, 140)
    images = []
    for number in range(1, pages + 1):
        page = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(page)
        if text:
            draw.text((24, 110), f"第{number}卷：{text}", font=font(11, 200), fill=(25, 25, 25))
        else:
            draw.rectangle([40, 60, 44, 64], fill=(200, 200, 200))
        images.append(page)
    images[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return path


def cli(data: Path, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(data), **env})
    return result.exit_code, result.output


def test_a_500_page_scan_is_refused_before_ocr_with_the_limit_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "档案室"
    folder.mkdir()
    bound_volume(folder / "2019年招商档案合订本.pdf", 500)
    render_document(["市招商和经济合作局每季度对飞地项目开展一次联合调度，问题清单实行销号管理。"],
                    Layout(seed=11))[0].image.save(folder / "飞地调度通知.png")
    (folder / "说明.txt").write_text("招商项目信息共享机制的说明：线索统一录入台账，按月通报。", encoding="utf-8")

    started = time.monotonic()
    code, output = cli(tmp_path / "data", "ingest", str(folder))
    assert code == 1, output  # one file refused: non-zero, after ingesting the rest
    assert ("✗ 无法读取文件“2019年招商档案合订本.pdf”：PDF 共 500 页，其中共有 500 页需要文字识别（扫描页），"
            "超过每个文件 300 页的上限，未入库") in output
    assert "拆分为每份不超过 300 页" in output and "ASSISTANT_MAX_OCR_PAGES" in output
    # refused before any page of it was read: no progress line for it, and no 500 pages of OCR time spent
    assert "文字识别“2019年招商档案合订本.pdf”" not in output
    assert "文字识别“飞地调度通知.png”：第 1/1 页" in output
    assert "新增 2 个" in output and "失败 1 个" in output
    assert time.monotonic() - started < 300

    _, listed = cli(tmp_path / "data", "docs", "--json")
    assert sorted(d["file"] for d in map(json.loads, listed.splitlines())) == ["说明.txt", "飞地调度通知.png"]
    _, found = cli(tmp_path / "data", "search", "飞地项目联合调度 问题清单销号管理", "--json")
    assert Path(json.loads(found.splitlines()[0])[0]["source"]).name == "飞地调度通知.png"


def test_a_long_scan_within_the_limit_is_read_fully_with_a_log_line_every_ten_pages(tmp_path: Path) -> None:
    scan = bound_volume(tmp_path / "项目台账扫描件.pdf", 12, text="重点项目线索台账")
    data = tmp_path / "data"
    code, output = cli(data, "ingest", str(scan), ASSISTANT_MAX_OCR_PAGES="10")
    assert code == 1 and "共有 12 页需要文字识别（扫描页），超过每个文件 10 页的上限" in output, output

    code, output = cli(data, "ingest", str(scan), ASSISTANT_MAX_OCR_PAGES="12")
    assert code == 0, output
    progress = [line for line in output.splitlines() if line.startswith("文字识别“项目台账扫描件.pdf”")]
    # a log (not a terminal): the first page, every tenth with the time left, the last
    assert [line.split("：")[1].split("，")[0] for line in progress] == ["第 1/12 页", "第 10/12 页", "第 12/12 页"]
    assert "预计还需" in progress[1]
    assert "新增 1 个" in output

    _, found = cli(data, "search", "重点项目线索台账", "-k", "12", "--json")
    _, listed = cli(data, "docs", "--json")
    [record] = [json.loads(line) for line in listed.splitlines()]
    assert record["file"] == "项目台账扫描件.pdf" and record["title"] == "第1卷：重点项目线索台账"  # page 1's line
    read = "".join(h["text"] for h in json.loads(found.splitlines()[0])).replace(" ", "")
    assert all(f"第{n}卷：重点项目线索台账" in read for n in range(2, 13)), read  # every other page, none dropped
