"""Word 97-2003 (.doc) and WPS (.wps) files, read by converting them to .docx with LibreOffice headless.

Neither format has a maintained pure-Python reader; LibreOffice is what a bureau's machines (and CI) have.
Each conversion runs `soffice --headless --convert-to docx` with a private user profile in a fresh temporary
directory (a desktop LibreOffice already running with the default profile would otherwise take the job over
and the conversion would silently produce nothing) and a timeout, its whole process group killed when it
runs over. Before conversion the file's own header is checked, because LibreOffice imports anything it does
not recognise as plain text: junk, a password-protected file or a renamed spreadsheet must be refused with a
reason instead of being indexed as garbage.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File Binary: .doc, .wps (WPS 文字 2005+), .xls, encrypted OOXML
ZIP_MAGIC = b"PK\x03\x04"
RTF_MAGIC = b"{\\rtf"
CONVERT_TIMEOUT_S = 120.0
BATCH_FILES = 40  # per soffice run when a folder is read: its start-up (seconds) outweighs a small file's conversion
BATCH_SECONDS_PER_FILE = 20.0
F_ENCRYPTED = 0x0100  # FIB base flags (WordDocument stream offset 0x0A): fEncrypted


class ConversionError(Exception):
    """str(err) is a Chinese reason, without the file name (LoadError adds it)."""


def find_converter() -> str | None:
    """The LibreOffice executable (soffice, or the libreoffice wrapper some distributions install), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


NO_CONVERTER = (
    "读取 .doc/.wps/.rtf 文件需要 LibreOffice，本机未安装（未找到 soffice 或 libreoffice 命令）。"
    "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
    "或用 Word/WPS 打开该文件另存为 .docx 后再入库"
)


def word_binary_problem(path: Path) -> str | None:
    """Why `path` (named .doc, .wps or .rtf) cannot be a Word, WPS or RTF document, or None if it may be one.
    Password protection is found here, from the file's own structure, so it is named as such."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return f"文件无法访问（{exc.strerror or exc}）"
    if head.startswith(ZIP_MAGIC):
        return None  # a .docx saved with the old extension: LibreOffice reads it too
    if head.startswith(RTF_MAGIC) or head.lstrip().lower().startswith((b"<html", b"<?xml", b"<!doc", b"mime")):
        return None  # RTF, or a Word "web page" / XML document saved as .doc: both are Word's own save formats
    if head != OLE_MAGIC:
        return ("文件内容不是 Word 97-2003、WPS 文字或 RTF 格式（文件头不符），可能已损坏或是改了扩展名的其他文件。"
                "请用 Word/WPS 打开确认，另存为 .docx 后再入库")
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
            if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
                return "文件设有打开密码（已加密），无法读取。请在 Word/WPS 中取消密码（文件→信息→保护文档）后再入库"
            if "WordDocument" in streams:
                fib = ole.openstream("WordDocument").read(12)
                if len(fib) >= 12 and struct.unpack("<H", fib[10:12])[0] & F_ENCRYPTED:
                    return "文件设有打开密码（已加密），无法读取。请在 Word/WPS 中取消密码后另存，再入库"
            elif "Workbook" in streams or "Book" in streams:
                return "这是 Excel 表格（.xls），不是 Word/WPS 文字文件，请另存为 .xlsx 后入库"
            elif "PowerPoint Document" in streams:
                return "这是 PowerPoint 演示文稿（.ppt），不是 Word/WPS 文字文件，请另存为 .pptx 后入库"
    except OSError as exc:  # olefile raises OSError subclasses on a damaged container
        return f"Word/WPS 文件结构已损坏，无法读取（{exc}）"
    return None


def convert_to_docx(sources: Sequence[Path], outdir: Path, timeout_s: float = CONVERT_TIMEOUT_S) -> dict[Path, Path]:
    """Convert files to .docx in one LibreOffice run: {source: converted file in outdir} for those it converted.
    A file it could not convert is missing from the result; raises ConversionError when no converter is
    installed or the run times out."""
    soffice = find_converter()
    if soffice is None:
        raise ConversionError(NO_CONVERTER)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="assistant-soffice-") as profile:
        # Sources go in under plain ASCII names in a directory of their own: LibreOffice names the output after
        # the input, and two inputs with one stem (报告.doc, 报告.wps) would overwrite each other.
        staged = Path(profile) / "in"
        staged.mkdir()
        names: dict[Path, Path] = {}
        for number, source in enumerate(sources):
            link = staged / f"f{number}{source.suffix.lower()}"
            try:
                os.symlink(source.resolve(), link)
            except OSError:
                shutil.copyfile(source, link)
            names[source] = outdir / f"f{number}.docx"
        command = [
            soffice, f"-env:UserInstallation={Path(profile, 'user').as_uri()}", "--headless", "--norestore",
            "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx", "--outdir", str(outdir),
            *(str(staged / f"f{n}{s.suffix.lower()}") for n, s in enumerate(sources)),
        ]
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp", "HOME": profile}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                   env=env, start_new_session=True)
        try:
            process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            raise ConversionError(
                f"LibreOffice 转换超时（超过 {timeout_s:.0f} 秒），文件可能过大或已损坏。请用 Word/WPS 另存为 .docx 后再入库"
            ) from exc
        except BaseException:
            # Interrupted (Ctrl-C, a stopped service): soffice runs in a session of its own, so it would outlive
            # us and keep the temporary profile busy; end it with us.
            _kill_group(process)
            raise
    return {source: out for source, out in names.items() if out.exists() and out.stat().st_size > 0}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """soffice (the oosplash wrapper) starts soffice.bin as a child: end the whole session it leads."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


# Files converted ahead by `converting`, by (path, size, mtime): read once, then gone.
_converted: ContextVar[dict[tuple[str, int, int], Path] | None] = ContextVar("converted", default=None)


def _key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


@contextmanager
def converting(paths: Sequence[Path]) -> Iterator[None]:
    """Convert every readable .doc/.wps/.rtf among `paths` in as few LibreOffice runs as possible (one per
    BATCH_FILES files), for `convert_one` to pick up while the block runs. Files refused by their header, or
    that a run failed on, are left to `convert_one`, which gives the reason or tries them alone."""
    wanted = [p for p in paths if p.suffix.lower() in (".doc", ".wps", ".rtf")]
    if len(wanted) < 2 or find_converter() is None or _converted.get() is not None:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="assistant-converted-") as outdir:
        cache: dict[tuple[str, int, int], Path] = {}
        token = _converted.set(cache)
        try:
            readable = [p for p in wanted if word_binary_problem(p) is None]
            for start in range(0, len(readable), BATCH_FILES):
                batch = readable[start : start + BATCH_FILES]
                try:
                    done = convert_to_docx(batch, Path(outdir) / str(start),
                                           max(CONVERT_TIMEOUT_S, BATCH_SECONDS_PER_FILE * len(batch)))
                except ConversionError:
                    continue  # timed out: each file is tried alone, so one bad file fails alone
                for source, converted in done.items():
                    try:
                        cache[_key(source)] = converted
                    except OSError:
                        pass
            yield
        finally:
            _converted.reset(token)


def convert_one(path: Path, outdir: Path, timeout_s: float = CONVERT_TIMEOUT_S) -> Path:
    """Check and convert one .doc/.wps file; the converted .docx, or ConversionError with the reason."""
    problem = word_binary_problem(path)
    if problem:
        raise ConversionError(problem)
    cache = _converted.get()
    if cache is not None:
        ready = cache.pop(_key(path), None)
        if ready is not None and ready.exists():
            return ready
    converted = convert_to_docx([path], outdir, timeout_s).get(path)
    if converted is None:
        raise ConversionError(
            "LibreOffice 无法转换此文件（可能已损坏、设有密码，或是早期 WPS 专有格式）。请用 WPS/Word 打开后另存为 .docx 再入库"
        )
    return converted
