"""Real documents in the formats a bureau's archive holds, read back against their text originals (issue 16).

The real documents (../shared/realdocs/gov, ../shared/seeds) are written out, in a scratch directory, as:
  * .doc and .wps by LibreOffice (the 6 .docx of realdocs/gov and the 5 seeds, one soffice run), read back
    through LibreOffice and compared with their .docx: cleaned text and title identical;
  * saved government web pages (40 of realdocs/gov, seeded sample): the article inside site chrome (menu,
    breadcrumbs, 字号/打印 bar, sidebar of links, footer, script); text equal to the original ignoring
    whitespace, no furniture leaked, title right;
  * OFD pages (30 of realdocs/gov and the 5 seeds): 28 characters a line, first lines indented two characters,
    page numbers; written one TextObject per line and one per character; characters and paragraphs equal to
    the original's (ignoring whitespace), title the same as from the text file.
Titles: on realdocs/gov (117 files, titles in gov_sources.tsv; used while writing the rules), and on CMRC's
articles (title on the first line): train_* (30, used while writing the rules) and trial_* (256, reported).

Usage: .venv/bin/python bench/formats_bench.py [--skip-soffice] [--shared ../shared]
Nothing is written outside a temporary directory; no document text enters the repository.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the file builders live with the tests (tests/kb/formats.py)

from assistant.corpus.cleanup import CleanDocument, clean  # noqa: E402
from assistant.corpus.gongwen import extract_metadata  # noqa: E402
from assistant.corpus.loaders import RawDocument, load_file, reading_together  # noqa: E402
from assistant.corpus.markings import markings_of  # noqa: E402
from assistant.corpus.titles import document_title  # noqa: E402
from tests.kb.formats import make_ofd, make_word_binaries, soffice  # noqa: E402

FURNITURE = ["首页", "政务公开", "版权所有", "网站地图", "扫一扫", "相关链接", "上一篇", "字号", "无障碍"]


def title_of(raw: RawDocument, doc: CleanDocument, name: str) -> str:
    """As ingest settles it (index/ingest.prepare)."""
    found = extract_metadata(doc, fallback_title=Path(name).stem, markings=markings_of(raw)).title
    return document_title(found, doc, own_title=raw.title, file_name=name)


def read(path: Path) -> tuple[CleanDocument, str]:
    raw = load_file(path)
    doc = clean(raw)
    return doc, title_of(raw, doc, path.name)


def paragraphs(doc: CleanDocument) -> list[str]:
    return [doc.para_text(p) for p in doc.paras if p.kind in ("para", "footer")]


def squeeze(texts: list[str]) -> list[str]:
    return [re.sub(r"\s", "", t) for t in texts]


def true_titles(shared: Path) -> dict[str, str]:
    titles = {}
    for line in (shared / "realdocs" / "gov_sources.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            titles[parts[0]] = parts[-1]
    return titles


def word_binaries(shared: Path, work: Path) -> str:
    from docx import Document

    sources: dict[str, Path] = {p.stem: p for p in sorted((shared / "realdocs" / "gov").glob("*.docx"))}
    for p in sorted((shared / "seeds").iterdir()):
        document = Document()
        for line in p.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                document.add_paragraph(line)
        document.save(str(work / f"{p.stem}.docx"))
        sources[p.stem] = work / f"{p.stem}.docx"
    wanted = {f"{stem}.{'doc' if k % 2 == 0 else 'wps'}": [para.text for para in Document(str(src)).paragraphs]
              for k, (stem, src) in enumerate(sources.items())}
    made = make_word_binaries(work / "word97", wanted)
    started = time.perf_counter()
    same_text = same_title = 0
    with reading_together(list(made.values())):
        for name, path in made.items():
            original, title = read(sources[name.rsplit(".", 1)[0]])
            converted, converted_title = read(path)
            same_text += original.text == converted.text
            same_title += title == converted_title
    seconds = time.perf_counter() - started
    return (f".doc/.wps（LibreOffice 写出再读回，{len(made)} 个）：文字与 docx 完全相同 {same_text}/{len(made)}，"
            f"标题相同 {same_title}/{len(made)}；一次转换加读取共 {seconds:.1f} 秒")


def web_pages(shared: Path, work: Path, titles: dict[str, str]) -> str:
    files = [f for f in sorted((shared / "realdocs" / "gov").iterdir()) if f.suffix in (".md", ".txt")]
    files = random.Random(16).sample(files, 40)
    same = right = leaked = 0
    for i, source in enumerate(files):
        original = clean(load_file(source))
        title = titles[source.name]
        body = paragraphs(original)
        if body and body[0].strip() == title:
            body = body[1:]
        article = "".join(f"<p>{html.escape(t)}</p>" for t in body)
        page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}_政策法规_某某省人民政府'
                f'门户网站</title><script>var _hmt=[];</script></head><body><div id="top">某某省人民政府门户网站 | 无障碍'
                f'</div><ul class="menu"><li><a href="/">首页</a></li><li><a>政务公开</a></li><li><a>互动交流</a></li>'
                f'</ul><div class="crumb">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 政策法规</div><div class="main">'
                f'<div class="left"><h1>{html.escape(title)}</h1><div class="meta">发布时间：2024-01-0{i % 9 + 1} 来源：'
                f'省司法厅 【字号：大 中 小】 打印本页</div><div class="TRS_Editor">{article}</div><div class="prevnext">'
                f'上一篇：<a>关于某事的通知</a> 下一篇：<a>关于某事的批复</a></div></div><div class="right"><h3>相关链接'
                f'</h3><ul><li><a>国务院</a></li><li><a>政策解读</a></li></ul><div>扫一扫在手机打开当前页</div></div>'
                f'</div><div class="footer">主办：某某省人民政府办公厅 版权所有 网站地图</div></body></html>')
        path = work / f"page{i:02d}.html"
        path.write_text(page, encoding="utf-8")
        doc, got_title = read(path)
        got = paragraphs(doc)
        if got and got[0] == got_title:
            got = got[1:]
        # The scraped originals keep some site furniture themselves (扫一扫在手机打开当前页): not counted against.
        same += squeeze(got) == squeeze([t for t in body if t != "扫一扫在手机打开当前页"])
        right += got_title == title
        leaked += any(w in doc.text and w not in original.text for w in FURNITURE)
    return (f"网页（{len(files)} 个真实文件套上政府网站页面框架）：正文与原文相同（不计空白）{same}/{len(files)}，"
            f"标题正确 {right}/{len(files)}，页面附属文字混入 {leaked} 个")


def ofd_pages(shared: Path, work: Path) -> str:
    files = random.Random(33).sample(sorted((shared / "realdocs" / "gov").iterdir()), 30)
    files += sorted((shared / "seeds").iterdir())

    def layout(texts: list[str], per_char: bool) -> list[list[tuple[float, float, str]]]:
        pages: list[list[tuple[float, float, str]]] = []
        page: list[tuple[float, float, str]] = []
        y = 40.0
        for text in texts:
            first = True
            while text:
                width = 26 if first else 28
                line, text = text[:width], text[width:]
                x = 30.0 + (11.2 if first else 0.0)
                page += ([(x + 5.6 * k, y, ch) for k, ch in enumerate(line) if ch.strip()] if per_char else [(x, y, line)])
                first, y = False, y + 10
                if y > 260:
                    page.append((100, 280, f"- {len(pages) + 1} -"))
                    pages.append(page)
                    page, y = [], 40.0
        if page:
            page.append((100, 280, f"- {len(pages) + 1} -"))
            pages.append(page)
        return pages

    lines = []
    for per_char in (False, True):
        chars = paras = same_title = 0
        for i, source in enumerate(files):
            original, title = read(source)
            texts = paragraphs(original)
            doc, got_title = read(make_ofd(work / f"{i:02d}_{int(per_char)}.ofd", layout(texts, per_char)))
            got = paragraphs(doc)
            chars += "".join(squeeze(got)) == "".join(squeeze(texts))
            paras += squeeze(got) == squeeze(texts)
            # A document titled by its file name (a seed with no title line) is titled by the OFD's name instead.
            same_title += got_title == title or (title == source.stem and got_title == f"{i:02d}_{int(per_char)}")
        how = "每个字一个文字对象" if per_char else "每行一个文字对象"
        lines.append(f"OFD（{len(files)} 个真实文件排成公文版面，{how}）：字符相同 {chars}/{len(files)}，"
                     f"段落相同 {paras}/{len(files)}，标题与文本文件相同 {same_title}/{len(files)}")
    return "\n".join(lines)


def titles_report(shared: Path, titles: dict[str, str]) -> str:
    def score(files: list[Path], truth: dict[str, str]) -> tuple[int, int]:
        settled = alone = 0
        for path in files:
            raw = load_file(path)
            doc = clean(raw)
            found = extract_metadata(doc, fallback_title=path.stem, markings=markings_of(raw)).title
            settled += document_title(found, doc, raw.title, path.name) == truth[path.name]
            alone += found == truth[path.name]
        return settled, alone

    gov = sorted((shared / "realdocs" / "gov").iterdir())
    cmrc = sorted((shared / "realdocs" / "cmrc").glob("*.txt"))
    first_lines = {p.name: p.read_text(encoding="utf-8").split("\n", 1)[0].strip() for p in cmrc}
    out = []
    for label, files, truth in (("realdocs/gov（写规则时用过）", gov, titles),
                                ("CMRC train_*（写规则时用过）", [p for p in cmrc if p.name.startswith("train_")], first_lines),
                                ("CMRC trial_*", [p for p in cmrc if p.name.startswith("trial_")], first_lines)):
        settled, alone = score(files, truth)
        out.append(f"标题 {label}：{settled}/{len(files)}（只用公文标题行：{alone}/{len(files)}）")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-soffice", action="store_true", help="不测 .doc/.wps（需要 LibreOffice）")
    args = parser.parse_args()
    titles = true_titles(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_soffice:
            print(word_binaries(args.shared, work) if soffice() else ".doc/.wps：未安装 LibreOffice，跳过")
        print(web_pages(args.shared, work, titles))
        print(ofd_pages(args.shared, work))
    print(titles_report(args.shared, titles))


if __name__ == "__main__":
    main()
