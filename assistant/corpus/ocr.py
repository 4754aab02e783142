"""Text from scanned pages and photos (OCR), for the image loaders and the PDF pages without a text layer.

The engine is RapidOCR (`rapidocr-onnxruntime`, Apache-2.0), whose wheel ships the PP-OCRv4 Chinese detection
and recognition models, so it runs offline on the CPU; it is the optional extra `ocr` (with `pypdfium2`, which
renders PDF pages without system libraries). Without it, scans are refused with a Chinese message saying how to
install it, and the rest of a folder is ingested.

What this module adds to the engine's boxes: red seals removed before reading (they cover the signature and
date), reading order (two columns read column by column, table cells row by row with tabs between them, so that
cleanup rebuilds the table), a confidence per line, and a warning for every page read badly or not at all.
Page numbers and repeated running headers are left in: cleanup drops them as it does for the text layer.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

log = logging.getLogger(__name__)

RENDER_DPI = 200  # PDF pages are rendered at this resolution for OCR
MIN_LINE_CONFIDENCE = 0.5  # a box read with less is noise (RapidOCR's own cut-off)
LOW_PAGE_CONFIDENCE = 0.85  # a page whose mean confidence is below this is read, with a warning
MIN_PAGE_CHARS = 6  # fewer characters than this on a page: nothing readable there
MAX_PIXELS = 120_000_000  # an image larger than this (a decompression bomb, or a poster) is refused
WORKERS = min(2, os.cpu_count() or 1)  # pages of one scan read side by side
# Measured on bench/ocr_bench.py's 200 dpi 公文 pages (README "测量"): the page is scaled to this longest side
# for the detector, and the lines are cut from that scaled page (200 dpi → about 24 px a line, enough for the
# recogniser, which scales every line to 48 px anyway); time grows with its square.
DETECT_SIDE = 1024
# Lines are recognised one at a time: batched, each line is padded to the widest of its batch, and on one CPU
# thread that costs more than it saves (batches of 6: 45% more CPU a page, the same text).
REC_BATCH = 1
# How far a detected line box is grown before it is cut out (RapidOCR's default 1.6): a taller box makes a
# narrower input for the recogniser, whose time grows with the input's width; the text read is the same.
UNCLIP_RATIO = 2.0
# The height lines are scaled to for the recogniser (PP-OCRv4 is trained at 48; it reads these 200 dpi lines as
# well at 32, in two thirds of the time: a line cut from the detector's page is about 24 px high).
REC_HEIGHT = 32
BLANK_INK = 0.0002  # a page with less ink than this share of its pixels (under two characters) is not sent to OCR
RULE = re.compile(r"[-—－_=~一·.。、\s]+")  # what a red rule or a table border reads as: not text
# OCR often reads the closing 〕 of a 文号 as 】 or ］: 安招函〔2023】31号 → 安招函〔2023〕31号.
DOC_NUMBER_BRACKETS = re.compile(r"[〔【\[［(（]\s*((?:19|20)\d{2})\s*[〕】\]］)）](?=\s*\d{1,4}\s*号)")
RANGE_DASH = re.compile(r"(?<=\d)[一－](?=\d{1,2}月)")  # 1一3月: the dash of a month range read as 一
PAGE_NUMBER_OCR = re.compile(r"[-—－一―]\s*(\d{1,4})\s*[-—－一―]")  # — 2 — as OCR reads it
STRAY_BAR = re.compile(r"(?<=[\u4e00-\u9fff])[|｜丨](?=[\u4e00-\u9fff])")  # a speck between characters
SPECKS = "·．・`'"  # dust beside a line reads as these; no line starts or ends with them
INSTALL_HINT = "请安装文字识别组件后重新入库：.venv/bin/pip install -e '.[ocr]'（即 rapidocr-onnxruntime 和 pypdfium2）"


class OcrUnavailable(RuntimeError):
    """The OCR engine (or the PDF renderer) is not installed or cannot start; str() says what to do, in Chinese."""


@dataclass(frozen=True)
class OcrBox:
    """One box the engine read: its text, confidence (0–1) and place on the page in pixels."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class OcrLine:
    """A line in reading order: its boxes joined (a tab between table cells), and its confidence."""

    text: str
    confidence: float
    top: float = 0.0
    height: float = 0.0  # of the last printed line, for comparing type sizes
    left: float = 0.0
    right: float = 0.0

    @property
    def middle_x(self) -> float:
        return (self.left + self.right) / 2


@dataclass
class OcrPage:
    number: int  # 1-based
    lines: list[OcrLine] = field(default_factory=list)
    seconds: float = 0.0
    warning: str = ""  # why this page's text may be missing or wrong ("" when it read well)
    readable: bool = True  # False: nothing worth indexing was read (blank, not a document, too blurred)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        """Mean confidence weighted by characters (1.0 for a page without lines)."""
        chars = sum(len(line.text) for line in self.lines)
        return sum(line.confidence * len(line.text) for line in self.lines) / chars if chars else 1.0


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[OcrBox]:
        """The text boxes on an RGB image (height × width × 3, uint8), in any order."""
        ...


class RapidOcrEngine:
    """RapidOCR with the PP-OCRv4 models from its wheel; no angle classifier (scans are upright, and it costs
    a pass per line); one thread per inference so that two pages can be read on two cores."""

    name = "rapidocr-onnxruntime PP-OCRv4"

    def __init__(self, detect_side: int = DETECT_SIDE, threads: int = 1, rec_batch: int = REC_BATCH,
                 unclip_ratio: float = UNCLIP_RATIO, rec_height: int = REC_HEIGHT) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            missing = str(getattr(exc, "name", "") or exc)
            if "libGL" in str(exc) or "libgl" in str(exc).lower():
                raise OcrUnavailable("文字识别组件缺少系统库 libGL（OpenCV 需要）：请运行 apt-get install libgl1") from exc
            raise OcrUnavailable(f"未安装文字识别组件（OCR，缺少 {missing}）。{INSTALL_HINT}") from exc
        self._engine = RapidOCR(use_cls=False, max_side_len=detect_side, intra_op_num_threads=threads,
                                inter_op_num_threads=threads, rec_batch_num=rec_batch, det_unclip_ratio=unclip_ratio,
                                rec_img_shape=[3, rec_height, 320])
        self._lock = threading.Lock()  # RapidOCR keeps per-call state on the instance

    def read(self, image: np.ndarray) -> list[OcrBox]:
        with self._lock:
            result, _ = self._engine(image)
        boxes = []
        for points, text, score in result or []:
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            if str(text).strip():
                boxes.append(OcrBox(str(text).strip(), float(score), min(xs), min(ys), max(xs), max(ys)))
        return boxes


_engine: OcrEngine | None = None
_engine_lock = threading.Lock()


def default_engine() -> OcrEngine:
    """The process's engine, loaded on first use (about a second); OcrUnavailable when not installed."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = RapidOcrEngine()
        return _engine


_extra_engines: list[OcrEngine] = []


def _engines(count: int) -> list[OcrEngine]:
    """The default engine and, for reading pages side by side, up to count − 1 more RapidOCR instances (one
    per worker: an instance keeps per-call state, so two threads never share one)."""
    first = default_engine()
    if count <= 1 or not isinstance(first, RapidOcrEngine):
        return [first]
    with _engine_lock:
        while len(_extra_engines) < count - 1:
            _extra_engines.append(RapidOcrEngine())
        return [first, *_extra_engines[: count - 1]]


def read_pages(pages: Iterable[tuple[int, Image.Image]], name: str, total: int,
               workers: int | None = None) -> Iterator[OcrPage]:
    """OCR pages (number, image) in order, `workers` at a time on their own engines (inference uses one
    thread each, so two workers use the two cores); an image is closed once read. The next pages are rendered
    while the current ones are read, at most one ahead per worker, so a long scan never sits in memory.
    Progress goes to the caller's listener, from whichever worker read the page."""
    engines = _engines(min(workers or WORKERS, total))
    if len(engines) == 1:
        for number, image in pages:
            try:
                yield read_page(image, number, name, total, engines[0])
            finally:
                image.close()
        return
    free: queue.Queue[OcrEngine] = queue.Queue()
    for engine in engines:
        free.put(engine)

    def work(number: int, image: Image.Image) -> OcrPage:
        engine = free.get()
        try:
            return read_page(image, number, name, total, engine)
        finally:
            free.put(engine)
            image.close()

    with ThreadPoolExecutor(max_workers=len(engines), thread_name_prefix="ocr") as pool:
        pending: deque[Future[OcrPage]] = deque()
        for number, image in pages:
            pending.append(pool.submit(copy_context().run, work, number, image))  # the listener comes along
            while len(pending) > len(engines):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def available() -> bool:
    """Whether the OCR engine can be loaded (for messages that say how scans will be handled)."""
    try:
        default_engine()
    except OcrUnavailable:
        return False
    return True


# -- how many pages one file may send to OCR -----------------------------------------------------------------

_page_limit: ContextVar[int | None] = ContextVar("ocr_page_limit", default=None)


@contextmanager
def limiting_pages(limit: int | None) -> Iterator[None]:
    """Within this context a file with more than `limit` pages to OCR is refused before any is read (None: the
    limit already in force, if any, stays: a .doc read through its converted .docx keeps the caller's)."""
    if limit is None:
        yield
        return
    token = _page_limit.set(limit)
    try:
        yield
    finally:
        _page_limit.reset(token)


def too_many_pages(count: int) -> str | None:
    """Why a file with `count` pages to OCR is refused, in Chinese; None within the limit. A scan that long
    holds the index's write lock for many minutes (about a CPU second a page) and is usually a bound volume
    better split by chapter."""
    limit = _page_limit.get()
    if limit is None or count <= limit:
        return None
    return (f"共有 {count} 页需要文字识别（扫描页），超过每个文件 {limit} 页的上限，未入库（识别这么多页要很长时间，"
            f"其间别的文件不能入库）。请把文件拆分为每份不超过 {limit} 页后分批入库，或由管理员调高上限（ASSISTANT_MAX_OCR_PAGES）后重新入库")


# -- progress ----------------------------------------------------------------------------------------------

PageListener = Callable[[str, OcrPage, int], None]  # (file name, page just read, pages in the file)
_listener: ContextVar[PageListener | None] = ContextVar("ocr_page_listener", default=None)


@contextmanager
def reporting_pages(listener: PageListener) -> Iterator[None]:
    """Call `listener` after every page OCR reads in this context (the command line shows a bar or a line)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def _report(name: str, page: OcrPage, total: int) -> None:
    log.info("文字识别 %s：第 %d/%d 页，%d 行，置信度 %.2f，%.1f 秒", name, page.number, total, len(page.lines),
             page.confidence, page.seconds)
    listener = _listener.get()
    if listener is not None:
        listener(name, page, total)


# -- reading a page ----------------------------------------------------------------------------------------

def read_page(image: Image.Image, number: int, name: str = "", total: int = 1,
              engine: OcrEngine | None = None) -> OcrPage:
    """OCR one page image: seals removed, boxes read, put in reading order, judged (warning when the page
    gave no text or low confidence). Reports progress to the current listener."""
    import numpy as np

    started = time.perf_counter()
    engine = engine or default_engine()
    pixels = despeckle(remove_seals(np.asarray(image.convert("RGB"))))
    blank = (darkest(pixels[::4, ::4]) < 160).mean() < BLANK_INK  # a blank page of a long scan costs no OCR time
    boxes = [] if blank else [b for b in engine.read(pixels)
                              if b.confidence >= MIN_LINE_CONFIDENCE and not RULE.fullmatch(b.text)]
    page = OcrPage(number, reading_order(boxes, pixels.shape[1], ruled_tables(pixels)))
    page.seconds = time.perf_counter() - started
    chars = sum(len(line.text.replace("\t", "")) for line in page.lines)
    if chars < MIN_PAGE_CHARS:
        page.readable = False
        page.warning = f"第 {number} 页没有识别出文字（空白页、照片不是文件，或图像太模糊）"
    elif page.confidence < LOW_PAGE_CONFIDENCE:
        page.warning = (f"第 {number} 页识别置信度偏低（{page.confidence:.2f}），文字可能有误，"
                        "建议核对原件或提供更清晰的扫描件（200 dpi 以上）")
    _report(name, page, total)
    return page


def despeckle(pixels: np.ndarray) -> np.ndarray:
    """Copier dust and toner specks removed, which OCR reads as 1, | or a dot beside a character: a 3×3 median
    (a pixel or two), then isolated blots smaller than a decimal point (about 10 pixels at 200 dpi on A4,
    scaled with the image) whitened."""
    import numpy as np

    try:
        import cv2
    except ImportError:  # pragma: no cover - installed with rapidocr
        return pixels
    out = cv2.medianBlur(pixels, 3)
    ink = (darkest(out) < 160).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    smallest = max(4.0, 10.0 * (pixels.shape[1] / 1654) ** 2)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= smallest)
    specks = specks[specks != 0]  # label 0 is the paper
    if specks.size:
        out = out.copy()
        speck = np.zeros(count, dtype=bool)
        speck[specks] = True
        out[speck[labels]] = 255
    return out


def darkest(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's darkest channel (what counts as ink), as pixels.min(axis=2) but about 15 times faster:
    numpy reduces a short last axis slowly, and this runs on every page at full size."""
    import numpy as np

    return np.minimum(np.minimum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])


def remove_seals(pixels: np.ndarray) -> np.ndarray:
    """The page with its round red seals whitened: a seal covers the signature and date, and its ring text
    reads as stray characters. Red that is not a seal (the 版头, its rule, red headings) is kept. Black ink
    under a seal stays, being dark rather than red."""
    import numpy as np

    try:
        import cv2
    except ImportError:  # pragma: no cover - installed with rapidocr
        return pixels
    channels = pixels.astype(np.int16)
    r, g, b = channels[..., 0], channels[..., 1], channels[..., 2]
    red = (r > 120) & (r - np.maximum(g, b) > 40)
    if red.sum() < 50:
        return pixels
    height, width = red.shape
    grow = max(3, width // 150)
    mask = cv2.dilate(red.astype(np.uint8), np.ones((grow, grow), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = pixels
    for label in range(1, count):
        x, y, w, h, _area = (int(v) for v in stats[label])
        if not (0.7 <= w / max(h, 1) <= 1.4 and 0.08 * width <= w <= 0.45 * width):
            continue
        if out is pixels:
            out = pixels.copy()
        # The ring, the star and the name inside it, with the faint pink fringes around their strokes.
        inside = channels[y : y + h, x : x + w]
        reddish = (inside[..., 0] > 140) & (inside[..., 0] - np.maximum(inside[..., 1], inside[..., 2]) > 15)
        out[y : y + h, x : x + w][reddish] = 255
    return out


# -- reading order -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuledTable:
    """A table printed with rules: its vertical extent and the x of each vertical rule (outer ones included)."""

    top: float
    bottom: float
    rules: tuple[float, ...]

    def holds(self, box: OcrBox) -> bool:
        return self.top <= box.middle <= self.bottom and box.x0 < self.rules[-1] and box.x1 > self.rules[0]


def ruled_tables(pixels: np.ndarray) -> list[RuledTable]:
    """Tables drawn with vertical rules: the detector reads a row's cells as one box when they sit close to
    the rules, so the rules say where one cell ends. A vertical rule is a dark run taller than 1/40 of the
    page; rules whose runs overlap vertically belong to one table (three rules or more: two columns)."""
    import numpy as np

    try:
        import cv2
    except ImportError:  # pragma: no cover - installed with rapidocr
        return []
    ink = (darkest(pixels) < 128).astype(np.uint8)
    height = ink.shape[0]
    tall = max(20, height // 40)
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((tall, 1), np.uint8))
    columns = np.flatnonzero(vertical.sum(axis=0) >= tall)
    if columns.size == 0:
        return []
    runs: list[tuple[float, float, float]] = []  # (x, top, bottom)
    for group in np.split(columns, np.flatnonzero(np.diff(columns) > 3) + 1):
        ys = np.flatnonzero(vertical[:, group].any(axis=1))
        runs.append((float(group.mean()), float(ys.min()), float(ys.max())))
    tables: list[RuledTable] = []
    for x, top, bottom in sorted(runs, key=lambda r: r[1]):
        for k, table in enumerate(tables):
            if top < table.bottom and bottom > table.top:
                tables[k] = RuledTable(min(top, table.top), max(bottom, table.bottom), tuple(sorted((*table.rules, x))))
                break
        else:
            tables.append(RuledTable(top, bottom, (x,)))
    return [t for t in tables if len(t.rules) >= 3]


def _split_at_rules(box: OcrBox, rules: tuple[float, ...]) -> list[OcrBox]:
    """A box spanning table rules, cut where the rules fall: each character's place is estimated from the box's
    width (a full-width character counts 1, a digit or Latin letter 0.55)."""
    inner = [x for x in rules[1:-1] if box.x0 < x < box.x1]
    if not inner:
        return [box]
    weights = [0.55 if ch.isascii() else 1.0 for ch in box.text]
    scale = (box.x1 - box.x0) / sum(weights)
    pieces: list[tuple[str, float, float]] = []
    x = box.x0
    for ch, weight in zip(box.text, weights, strict=True):
        start, x = x, x + weight * scale
        cell = sum(1 for rule in inner if rule < (start + x) / 2)
        if pieces and pieces[-1][0][-1:] != "" and len(pieces) - 1 == cell:
            text, left, _ = pieces[-1]
            pieces[-1] = (text + ch, left, x)
        else:
            while len(pieces) < cell:
                pieces.append(("", start, start))
            pieces.append((ch, start, x))
    return [OcrBox(text.strip(), box.confidence, left, box.y0, right, box.y1)
            for text, left, right in pieces if text.strip()]


def reading_order(boxes: list[OcrBox], page_width: float, tables: list[RuledTable] | None = None) -> list[OcrLine]:
    """Boxes → lines in the order a person reads the page.

    Boxes are grouped into rows (vertical overlap). Runs of rows split by the same empty vertical gutter
    into two text columns (long lines on both sides) are read left column first, then right; rows of three
    or more separated cells, or of short cells on both sides of a gutter, are table rows, read left to right
    with a tab between cells. Everything else is read row by row, top to bottom."""
    if not boxes:
        return []
    unit = statistics.median(b.height for b in boxes)
    cut: list[OcrBox] = []
    for box in boxes:
        table = next((t for t in tables or [] if t.holds(box)), None)
        cut += _split_at_rules(box, table.rules) if table else [box]
    boxes = cut
    rules = sorted({x for t in tables or [] for x in t.rules})
    rows = _rows(boxes)
    flows: list[list[OcrLine]] = [[]]  # runs of lines in one column, whose wrapped lines are joined
    i = 0
    while i < len(rows):
        gutter = _gutter(rows, i, page_width, unit)
        if gutter is not None:
            j, x = gutter
            left = [b for row in rows[i:j] for b in row if b.x1 <= x]
            right = [b for row in rows[i:j] for b in row if b.x0 >= x]
            flows += [[_line(row, unit, rules) for row in _rows(left)], [_line(row, unit, rules) for row in _rows(right)], []]
            i = j
            continue
        flows[-1].append(_line(rows[i], unit, rules))
        i += 1
    out = [line for flow in flows for line in _join_wrapped([x for x in flow if x.text], unit)]
    return _join_headings(out, unit, page_width)


def _join_wrapped(lines: list[OcrLine], unit: float) -> list[OcrLine]:
    """A paragraph is one line, as a text layer's reflowed text is: a line that runs to the column's right edge
    without ending a sentence continues on the next line when that one starts at the left edge (a new
    paragraph is indented, a heading or a short line ends before the edge). Tables (tabs) are left alone."""
    body = [line for line in lines if "\t" not in line.text and len(line.text) > 4]
    if len(body) < 3:
        return lines
    rights = sorted(line.right for line in body)
    lefts = sorted(line.left for line in body)
    right_edge = rights[int(0.9 * (len(rights) - 1))]
    left_edge = lefts[int(0.1 * (len(lefts) - 1))]
    out: list[OcrLine] = []
    for line in lines:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.right >= right_edge - 1.2 * unit
            and line.left <= left_edge + 0.6 * unit
            and previous.text[-1:] not in "。！？；：!?;:"
            and "\t" not in previous.text + line.text
            and abs(line.height - previous.height) <= 0.25 * previous.height
            and not PAGE_NUMBER_OCR.fullmatch(line.text)
        ):
            chars = len(previous.text) + len(line.text)
            confidence = (previous.confidence * len(previous.text) + line.confidence * len(line.text)) / chars
            out[-1] = OcrLine(previous.text + line.text, round(confidence, 4), line.top, line.height,
                              min(previous.left, line.left), line.right)
            continue
        out.append(line)
    return out


def _rows(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """Boxes grouped into rows: a box joins the row whose vertical middle falls within its height."""
    rows: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.middle, b.x0)):
        if rows:
            last = rows[-1]
            top = min(b.y0 for b in last)
            bottom = max(b.y1 for b in last)
            middle = (top + bottom) / 2
            if box.y0 <= middle <= box.y1 or top <= box.middle <= bottom:
                last.append(box)
                continue
        rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _gutter(rows: list[list[OcrBox]], i: int, page_width: float, unit: float) -> tuple[int, float] | None:
    """If rows[i:] start a run of two text columns: (end of the run, the gutter's x). A gutter is a gap of at
    least one character between boxes, in the middle half of the text, crossed by no box of the run's rows;
    the run needs three rows or more with long lines (over a third of the width) on both sides."""
    first = rows[i]
    if len(first) < 2:
        return None
    lo = min(b.x0 for row in rows for b in row)
    hi = max(b.x1 for row in rows for b in row)
    span = hi - lo
    for a, b in zip(first, first[1:], strict=False):
        gap_start, gap_end = a.x1, b.x0
        if gap_end - gap_start < unit or not (lo + 0.25 * span <= (gap_start + gap_end) / 2 <= lo + 0.75 * span):
            continue
        x = (gap_start + gap_end) / 2
        j = i
        long_left = long_right = 0
        while j < len(rows) and not any(box.x0 < x < box.x1 for box in rows[j]):
            cells = len(rows[j])
            if cells > 2:
                break  # a table row
            left = sum(box.x1 - box.x0 for box in rows[j] if box.x1 <= x)
            right = sum(box.x1 - box.x0 for box in rows[j] if box.x0 >= x)
            long_left += left > 0.3 * span
            long_right += right > 0.3 * span
            j += 1
        if j - i >= 3 and long_left >= 2 and long_right >= 2 and (long_left + long_right) >= (j - i):
            return j, x
    return None


def _line(row: list[OcrBox], unit: float, rules: list[float] | None = None) -> OcrLine:
    """One row's boxes joined: a tab where the gap is wider than one and a half characters or a table rule
    stands between them (table cells), nothing between Chinese boxes closer than that, a space between Latin
    ones."""
    parts: list[str] = []
    for previous, box in zip([None, *row], row, strict=False):
        if previous is not None:
            gap = box.x0 - previous.x1
            ruled = any(previous.x1 - 2 <= x <= box.x0 + 2 for x in rules or [])
            if gap > 1.5 * unit or ruled:
                parts.append("\t")
            elif parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalnum() and box.text[:1].isascii():
                parts.append(" ")
        parts.append(box.text)
    chars = sum(len(b.text) for b in row)
    confidence = sum(b.confidence * len(b.text) for b in row) / chars if chars else 0.0
    top = min(b.y0 for b in row)
    text = DOC_NUMBER_BRACKETS.sub(r"〔\1〕", "".join(parts)).strip(SPECKS)
    text = STRAY_BAR.sub("", RANGE_DASH.sub("—", text))
    page_number = PAGE_NUMBER_OCR.fullmatch(text)
    if page_number:  # "一2一", "-2—": the page number as cleanup knows it
        text = f"— {page_number.group(1)} —"
    return OcrLine(text, round(confidence, 4), top, max(b.y1 for b in row) - top, min(b.x0 for b in row),
                   max(b.x1 for b in row))


def _join_headings(lines: list[OcrLine], unit: float, page_width: float) -> list[OcrLine]:
    """A title printed large over two or three lines is one line, as the text layer gives it: consecutive
    single-cell lines centred on the page, in a type larger than the body's, close together, the first
    without a sentence end."""
    out: list[OcrLine] = []
    for line in lines:
        previous = out[-1] if out else None
        if (
            previous is not None
            and min(previous.height, line.height) >= 1.1 * unit
            and abs(line.height - previous.height) <= 0.15 * previous.height
            and abs(previous.middle_x - page_width / 2) < 0.04 * page_width
            and abs(line.middle_x - page_width / 2) < 0.04 * page_width
            and line.top - (previous.top + previous.height) < previous.height
            and "\t" not in previous.text + line.text
            and previous.text[-1:] not in "。！？；：!?;:"
        ):
            chars = len(previous.text) + len(line.text)
            confidence = (previous.confidence * len(previous.text) + line.confidence * len(line.text)) / chars
            out[-1] = OcrLine(previous.text + line.text, round(confidence, 4), line.top, line.height, line.left,
                              line.right)
            continue
        out.append(line)
    return out


# -- images and PDF pages ----------------------------------------------------------------------------------

def open_image_pages(data: Any, name: str) -> list[Image.Image]:
    """The pages of an image file (a multi-page TIFF has several), upright per EXIF, in RGB. ValueError with
    a Chinese reason for a file that is not a readable image or is too large."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(data) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"图片过大（{image.width}×{image.height} 像素），请缩小到 1 亿像素以内后再入库")
            too_long = too_many_pages(int(getattr(image, "n_frames", 1)))  # a multi-page TIFF, before decoding it
            if too_long:
                raise ValueError(f"多页图片{too_long}")
            pages = [ImageOps.exif_transpose(frame.copy()).convert("RGB") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ValueError("不是可读取的图片，可能已损坏或扩展名与内容不符") from exc
    except OSError as exc:
        raise ValueError(f"图片已损坏或不完整（{exc}）") from exc
    return pages


WATERMARK_SIDE = 1200  # a picture watermark is scaled so that its longer side is this long before reading


def picture_text(data: bytes) -> str:
    """The text of a picture watermark (a Word header's image of 内部资料, say), one line per row read. Word
    prints such pictures washed out (light grey, semi-transparent): the image is put on white, made grey and its
    contrast stretched before reading; no seal removal (a red 内部 stamp is the point here). OcrUnavailable
    without the engine; ValueError for an image that cannot be read."""
    import io

    import numpy as np
    from PIL import Image, ImageOps

    page = open_image_pages(io.BytesIO(data), "")[0] if data else None
    if page is None:
        return ""
    with Image.open(io.BytesIO(data)) as original:
        if original.mode in ("RGBA", "LA", "P"):  # transparent parts print as the paper: white
            rgba = original.convert("RGBA")
            page = Image.new("RGB", rgba.size, "white")
            page.paste(rgba, mask=rgba.getchannel("A"))
    grey = ImageOps.autocontrast(page.convert("L"), cutoff=1)
    scale = WATERMARK_SIDE / max(grey.size)
    if scale < 1 or scale > 1.5:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))))
    boxes = [b for b in default_engine().read(np.asarray(grey.convert("RGB")))
             if b.confidence >= MIN_LINE_CONFIDENCE and not RULE.fullmatch(b.text)]
    return "\n".join(line.text for line in reading_order(boxes, grey.width))


def render_pdf_pages(path: Any, numbers: list[int], dpi: int = RENDER_DPI) -> Iterator[tuple[int, Image.Image]]:
    """Render the given 1-based pages of a PDF, one at a time (a long scan is never all in memory)."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise OcrUnavailable(f"未安装 PDF 页面渲染组件 pypdfium2，无法识别扫描页。{INSTALL_HINT}") from exc
    document = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            page = document[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72)
                yield number, bitmap.to_pil().convert("RGB")
            finally:
                page.close()
    finally:
        document.close()


# -- which pages were read by OCR (kept in the document's metadata, shown in citations) -----------------------

def pages_text(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1,2,3,5": how OCR'd pages are kept in a document's metadata (`ocr_pages`)."""
    return ",".join(str(n) for n in sorted(set(numbers)))


def page_was_read(meta: dict[str, Any], page: int | None) -> bool:
    """Whether `page` of the document with this metadata came from OCR rather than a text layer."""
    pages = str(meta.get("ocr_pages", "") or "")
    return page is not None and bool(pages) and str(page) in pages.split(",")


def pages_shown(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1–3、5": page numbers as users read them in a warning."""
    numbers = sorted(set(numbers))
    runs: list[str] = []
    start = previous = None
    for n in [*numbers, None]:
        if n is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = n
    return "、".join(runs)
