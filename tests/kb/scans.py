"""Scanned 公文 pages made on the spot: text rendered with the installed CJK font (fonts-wqy-microhei), a red
版头 and rule, page numbers, a red seal over the signature, speckle noise, blur and a slight skew. Nothing is
downloaded. Used by the OCR tests and bench/ocr_bench.py; each page comes with the text it shows, line by line
in reading order, to measure what OCR gets back."""

from __future__ import annotations

import math
import random
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

A4_MM = (210, 297)
RED = (214, 30, 36)
TABLE_CELLS = re.compile(r"\t+|\s{2,}")
NO_LINE_START = "，。、；：？！”’）》〉】」%"  # punctuation hangs at the end of a line rather than start one
INK = (25, 25, 25)


@cache
def _chinese_font_files() -> tuple[str, ...]:
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    return tuple(sorted({line.split(":")[0].strip() for line in listing.splitlines() if line.strip()}))


def song_font_path() -> str | None:
    """A Ming/Song typeface (AR PL UMing, Debian's fonts-arphic-uming), closer to the 仿宋 and 宋体 公文 are printed
    in than the default sans-serif; None when it is not installed. For a held-out set in a typeface the OCR
    settings were not tuned on."""
    return next((f for f in _chinese_font_files() if "uming" in f.lower()), None)


_typeface: list[str] = []  # set by `typeface`: the font file pages are rendered in instead of the default


@contextmanager
def typeface(path: str) -> Iterator[None]:
    """Render pages in this font file within the block."""
    _typeface.append(path)
    try:
        yield
    finally:
        _typeface.pop()


def cjk_font_path() -> str:
    """The WenQuanYi Micro Hei file, found through fontconfig (fc-list) like any installed font (or the one
    `typeface` chose)."""
    if _typeface:
        return _typeface[-1]
    files = list(_chinese_font_files())
    preferred = [f for f in files if "wqy-microhei" in f] or [f for f in files if "wqy" in f] or files
    if not preferred:
        fallback = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
        if fallback.exists():
            return str(fallback)
        raise RuntimeError("找不到中文字体：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei）")
    return preferred[0]


def font(size_pt: float, dpi: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_path(), max(8, round(size_pt / 72 * dpi)))


@dataclass
class ScanPage:
    image: Image.Image
    lines: list[str] = field(default_factory=list)  # what the page shows, in reading order (page number last)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Layout:
    dpi: int = 200
    body_pt: float = 16  # 三号
    title_pt: float = 22  # 二号
    masthead: str = ""  # the red 版头, e.g. 安康市招商和经济合作局文件
    doc_number: str = ""  # printed above the red rule
    seal: bool = True  # a red seal over the last page's signature
    noise: bool = True
    skew_deg: float = 0.25
    two_columns: bool = False
    seed: int = 7


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and face.getlength(current + ch) > width and ch not in NO_LINE_START:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def render_document(paragraphs: list[str], layout: Layout | None = None, title: str = "",
                    signature: list[str] | None = None, table: list[list[str]] | None = None,
                    footer: list[str] | None = None) -> list[ScanPage]:
    """A 公文 as scanned pages: 版头 and 文号 (if given), title, body paragraphs indented two characters and
    wrapped to the type area (GB/T 9704: 156 × 225 mm) — or in two columns —, an optional ruled table,
    signature lines right-aligned with the seal over them, "— n —" page numbers."""
    lay = layout or Layout()
    pen = _Pen(lay)
    if lay.masthead:
        mast = font(30, lay.dpi)
        pen.put(lay.masthead, mast, (pen.width - mast.getlength(lay.masthead)) / 2, RED, round(mast.size * 1.9))
    if lay.doc_number:
        pen.put(lay.doc_number, pen.body, (pen.width - pen.body.getlength(lay.doc_number)) / 2,
                advance=round(pen.step * 0.8))
    if lay.masthead:
        pen.draw.line([(pen.left, pen.y), (pen.left + pen.area_w, pen.y)], fill=RED, width=max(2, lay.dpi // 60))
        pen.y += pen.step
    if title:
        head = font(lay.title_pt, lay.dpi)
        for line in _wrap(title, head, pen.area_w - 4 * head.size):
            pen.put(line, head, (pen.width - head.getlength(line)) / 2, advance=round(head.size * 1.6))
        pen.y += pen.step // 3
    if lay.two_columns:
        pen.columns(paragraphs)
    else:
        k = 0
        while k < len(paragraphs):
            run = k
            while run < len(paragraphs) and len(TABLE_CELLS.split(paragraphs[run].strip())) >= 3:
                run += 1
            if run - k >= 3:  # a text table (cells apart by two spaces or a tab): printed as a ruled table
                pen.table([TABLE_CELLS.split(line.strip()) for line in paragraphs[k:run]])
                k = run
                continue
            text = paragraphs[k].strip()
            k += 1
            if text:
                indent = 0 if re.match(r"^[一二三四五六七八九十]+、", text) else 2 * pen.body.size
                for n, line in enumerate(_wrap(text, pen.body, pen.area_w - indent)):
                    pen.put(line, pen.body, pen.left + (indent if n == 0 else 0))
    if table:
        pen.table(table)
    if signature:
        pen.y += pen.step
        sign_top = pen.y
        right = pen.left + pen.area_w - 2 * pen.body.size
        for line in signature:
            pen.put(line, pen.body, right - pen.body.getlength(line))
        if lay.seal:
            center = (right - pen.body.getlength(signature[0]) / 2, (sign_top + pen.y) / 2)
            _seal(pen.page.image, center, _px(42, lay.dpi), lay.dpi)
    if footer:
        pen.y += pen.step
        for paragraph in footer:
            for line in _wrap(paragraph, pen.body, pen.area_w):
                pen.put(line, pen.body, pen.left)
    pen.finish()
    rng = random.Random(lay.seed)
    for p in pen.pages:
        p.image = degrade(p.image, rng, lay) if lay.noise else p.image
    return pen.pages


class _Pen:
    """Where the next line goes on which page; a new page (with its number at the foot) when one is full."""

    def __init__(self, lay: Layout) -> None:
        self.lay = lay
        self.width, self.height = _px(A4_MM[0], lay.dpi), _px(A4_MM[1], lay.dpi)
        self.left, self.top = _px(28, lay.dpi), _px(37, lay.dpi)
        self.area_w, self.bottom = _px(156, lay.dpi), _px(37 + 225, lay.dpi)
        self.body = font(lay.body_pt, lay.dpi)
        self.step = round(self.body.size * 1.75)
        self.pages: list[ScanPage] = []
        self.new_page()

    @property
    def page(self) -> ScanPage:
        return self.pages[-1]

    def new_page(self) -> None:
        if self.pages:
            self.finish()
        self.pages.append(ScanPage(Image.new("RGB", (self.width, self.height), "white")))
        self.draw = ImageDraw.Draw(self.page.image)
        self.y = self.top

    def finish(self) -> None:
        number = f"— {len(self.pages)} —"
        face = font(14, self.lay.dpi)
        self.draw.text(((self.width - face.getlength(number)) / 2, self.bottom + _px(12, self.lay.dpi)), number,
                       font=face, fill=INK)
        self.page.lines.append(number)

    def put(self, text: str, face: ImageFont.FreeTypeFont, x: float, fill: tuple[int, int, int] = INK,
            advance: int | None = None) -> None:
        if self.y + face.size > self.bottom:
            self.new_page()
        self.draw.text((x, self.y), text, font=face, fill=fill)
        self.page.lines.append(text)
        self.y += advance or self.step

    def columns(self, paragraphs: list[str]) -> None:
        """Two columns, as a bulletin prints them: the left one filled top to bottom, then the right one."""
        gutter = 2 * self.body.size
        col_w = (self.area_w - gutter) // 2
        lines = [line for p in paragraphs if p.strip() for line in _wrap(p.strip(), self.body, col_w)]
        while lines:
            per_column = max(1, (self.bottom - self.y) // self.step)
            for column in range(2):
                part, lines = lines[:per_column], lines[per_column:]
                for row, line in enumerate(part):
                    self.draw.text((self.left + column * (col_w + gutter), self.y + row * self.step), line,
                                   font=self.body, fill=INK)
                    self.page.lines.append(line)
                if column == 0:
                    rows_used = len(part)
            self.y += rows_used * self.step
            if lines:
                self.new_page()

    def table(self, rows: list[list[str]]) -> None:
        """A ruled table: columns as wide as their widest body cell, the type shrunk (down to 9 pt) until they
        fit, header cells wrapped inside their column; a row that does not fit goes on the next page, under
        the grid drawn so far. Its lines read row by row, cells apart (header lines as they stack)."""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        header, body = rows[0], rows[1:] or rows[:1]
        size = self.lay.body_pt
        while True:
            face = font(size, self.lay.dpi)
            pad = face.size // 2
            widths = [max(face.getlength(r[k]) for r in body) + 2 * pad for k in range(width)]
            widths = [max(w, 2 * face.size + 2 * pad) for w in widths]
            if sum(widths) <= self.area_w or size <= 9:
                break
            size -= 0.5
        scale = self.area_w / sum(widths)  # spread the spare width over the columns
        widths = [w * scale for w in widths]
        xs = [self.left + sum(widths[:k]) for k in range(width + 1)]
        line_h = round(face.size * 1.35)
        wrapped = [_wrap(cell, face, int(widths[k] - 2 * pad)) or [""] for k, cell in enumerate(header)]
        layout = [(wrapped, max(len(w) for w in wrapped) * line_h + pad)]
        layout += [([[cell] for cell in row], line_h + pad) for row in rows[1:]]
        top = self.y
        for cells, row_h in layout:
            if self.y + row_h > self.bottom:
                self._grid(xs, top, self.y)
                self.new_page()
                top = self.y
            for k, lines in enumerate(cells):
                for n, text in enumerate(lines):
                    self.draw.text((xs[k] + pad, self.y + pad // 2 + n * line_h), text, font=face, fill=INK)
            for n in range(max(len(lines) for lines in cells)):
                self.page.lines.append("\t".join(lines[n] for lines in cells if n < len(lines) and lines[n]))
            self.y += row_h
            self.draw.line([(xs[0], self.y), (xs[-1], self.y)], fill=INK, width=2)
        self._grid(xs, top, self.y)
        self.y += self.step // 2

    def _grid(self, xs: list[float], top: int, bottom: int) -> None:
        self.draw.line([(xs[0], top), (xs[-1], top)], fill=INK, width=2)
        for x in xs:
            self.draw.line([(x, top), (x, bottom)], fill=INK, width=2)


def _seal(image: Image.Image, center: tuple[float, float], diameter: int, dpi: int) -> None:
    """A round red seal: ring, five-pointed star and the office's name around the top, blended like ink."""
    cx, cy = center
    r = diameter / 2
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    colour = (*RED, 200)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=max(3, dpi // 40))
    star = [(cx + r * 0.32 * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
             cy + r * 0.32 * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    d.polygon(star, fill=colour)
    face = font(11, dpi)
    name = "安康市招商和经济合作局"
    for k, ch in enumerate(name):
        angle = math.radians(-210 + k * 240 / (len(name) - 1))
        x, y = cx + r * 0.72 * math.cos(angle), cy + r * 0.72 * math.sin(angle)
        glyph = Image.new("RGBA", (face.size * 2, face.size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((face.size / 2, face.size / 2), ch, font=face, fill=colour)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        overlay.alpha_composite(glyph, (round(x - face.size), round(y - face.size)))
    # Stamp ink multiplies with what is under it: black stays black, white turns red.
    stamp = Image.new("RGB", image.size, "white")
    stamp.paste(overlay.convert("RGB"), mask=overlay.getchannel("A"))
    image.paste(ImageChops.multiply(image, stamp))


def degrade(image: Image.Image, rng: random.Random, layout: Layout | None = None) -> Image.Image:
    """What a copier does to a page: a slight skew, a little blur, grey speckles and dust."""
    lay = layout or Layout()
    out = image.rotate(rng.uniform(-lay.skew_deg, lay.skew_deg), resample=Image.Resampling.BICUBIC,
                       fillcolor="white", expand=False)
    out = out.filter(ImageFilter.GaussianBlur(radius=0.6))
    d = ImageDraw.Draw(out)
    w, h = out.size
    for _ in range(w * h // 4000):
        x, y = rng.randrange(w), rng.randrange(h)
        shade = rng.randrange(90, 200)
        d.point((x, y), fill=(shade, shade, shade))
    for _ in range(40):
        x, y = rng.randrange(w), rng.randrange(h)
        s = rng.randrange(1, 3)
        d.ellipse([x, y, x + s, y + s], fill=(60, 60, 60))
    return out


def noise_photo(size: tuple[int, int] = (900, 700), seed: int = 3) -> Image.Image:
    """A "photo" of no document at all: coloured noise with a few soft blobs."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8)
    image = Image.fromarray(pixels, "RGB").filter(ImageFilter.GaussianBlur(radius=2))
    d = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
        r = int(rng.integers(20, 120))
        d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    return image


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


def save_pdf(pages: list[ScanPage], path: Path, dpi: int = 200) -> Path:
    """The pages as an image-only PDF (no text layer), as a scanner writes it."""
    images = [p.image.convert("RGB") for p in pages]
    images[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return path


def document_lines(text: str) -> tuple[str, str, str, list[str], list[str], list[str]]:
    """Split a demo corpus text into (版头, 文号, title, body paragraphs, signature, footer) for rendering:
    the signature is the office and date lines at the end, the footer what follows them (联系人、抄送)."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    lines = [line for line in lines if not re.fullmatch(r"-\s*\d+\s*-", line)]
    masthead = next((x for x in lines[:8] if re.fullmatch(r"[\u4e00-\u9fa5]{4,30}(?:局|委员会|政府|办公室)(?:文件)?", x)), "")
    number = next((x for x in lines[:10] if re.search(r"〔\d{4}〕\d+号$", x)), "")
    title = next((x for x in lines[:14] if re.search(r"(?:函|报告|通知|办法|方案|情况|总结)$", x) and len(x) >= 8), "")
    head = {lines.index(x) for x in (masthead, number, title) if x}
    body = [x for k, x in enumerate(lines) if k not in head]
    dates = [k for k, x in enumerate(body) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", x) and k > len(body) // 2]
    if not dates:
        return masthead, number, title, body, [], []
    end = dates[-1]
    begin = end - 1 if end > 0 and len(body[end - 1]) <= 24 and not body[end - 1].endswith("。") else end
    return masthead, number, title, body[:begin], body[begin : end + 1], body[end + 1 :]
