"""The one answer type every front end (CLI, API, UI, OpenAI-compatible endpoint) renders."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.tools.types import Figure


class Citation(BaseModel):
    """A cited passage: where it is (document, 文号, section, file, offsets) and what it says."""

    n: int = Field(description="在回答中以 [n] 标注的序号")
    title: str
    doc_number: str = ""
    section: str = ""
    passage: str
    quote: str = Field("", description="回答中引用的句子（passage 的子串）")
    source: str
    start: int
    end: int
    doc_id: str = ""
    chunk_id: str = ""
    page: int | None = None
    ocr: bool = Field(False, description="原文由扫描件或图片经文字识别（OCR）得到，可能有识别错误")
    verified: bool = Field(True, description="文档已核验；未核验文档中的数字只有与数据库一致时才算有来源")
    uploader: str = Field("", description="谁、经何途径把文档入库，如“王科长（工作台上传）”")

    @property
    def page_note(self) -> str:
        """Where in the file, as the source card and the 依据 list say it: "（扫描件 OCR，第 3 页）" or "，第 3 页"."""
        return page_note(self.page, self.ocr)


UNVERIFIED_NOTE = "（文档未核验）"


def page_note(page: int | None, ocr: bool) -> str:
    """"（扫描件 OCR，第 3 页）" for a passage read by OCR, "，第 3 页" for a PDF's text layer, "" otherwise."""
    if ocr:
        return f"（扫描件 OCR，第 {page} 页）" if page else "（扫描件 OCR）"
    return f"，第 {page} 页" if page else ""


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = []
    figures: list[Figure] = []
    mode: Literal["grounded", "llm"] = "grounded"
    warnings: list[str] = []
    flagged_numbers: list[str] = Field(default_factory=list, description="未能溯源、界面标为“需核对”的数字")

    def plain_text(self) -> str:
        """The answer as plain text (chat clients, the copy button): text, then 引用, then warnings."""
        parts = [self.answer.strip()]
        if self.citations:
            lines = []
            for c in self.citations:
                where = f"《{c.title}》" + (f"（{c.doc_number}）" if c.doc_number else "")
                section = f" {c.section}" if c.section else ""
                section += c.page_note if c.ocr else ""
                section += "" if c.verified else UNVERIFIED_NOTE
                quote = f"：“{c.quote}”" if c.quote else ""
                lines.append(f"[{c.n}] {where}{section}{quote}")
            parts.append("引用：\n" + "\n".join(lines))
        if self.warnings:
            parts.append("提示：\n" + "\n".join(f"· {w}" for w in self.warnings))
        return "\n\n".join(parts)
