"""What a draft is: paragraphs that each keep their sources, optional tables, and the 公文 header fields.

Every front end (CLI, API, the 起草 tab) renders these models; `export_docx` turns one into a .docx.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.answer.types import Citation
from assistant.tools.types import Figure, Provenance

# cc and issued are the 版记: 抄送, and 印发机关 + 印发日期 ("安康市招商和经济合作局办公室　　2023年7月28日印发").
ParagraphKind = Literal["recipient", "heading1", "body", "closing", "signature", "date", "contact", "cc", "issued"]
Category = Literal["A", "B", "C"]
CATEGORY_LABELS: dict[str, str] = {"A": "已解决或采纳", "B": "正在解决或列入计划", "C": "留作参考"}


class Paragraph(BaseModel):
    """One paragraph of a draft. `lead` is an inline level-2 heading (（一）…。 / 一是…。) set in 楷体."""

    kind: ParagraphKind = "body"
    lead: str = ""
    text: str = ""
    citations: list[Citation] = Field(default_factory=list, description="引用的知识库原文（逐字）")
    figures: list[Figure] = Field(default_factory=list, description="段落中数字的数据库来源")
    placeholder: bool = Field(False, description="含【待补充】标记，需要经办人补写")
    rewritten: bool = Field(False, description="大模型模式下已改写（数字经核对未变）")

    @property
    def full_text(self) -> str:
        return self.lead + self.text

    @property
    def has_sources(self) -> bool:
        return bool(self.citations or self.figures)


class DraftTable(BaseModel):
    """A table (the county indicator table). `header` rows may repeat a cell to show a merge."""

    title: str
    unit_note: str = ""
    header: list[list[str]]
    rows: list[list[str]]
    figures: list[Figure] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)


class DraftHeader(BaseModel):
    """公文 版头 fields; empty ones are left out of the .docx."""

    category: str = ""  # 答复类别，如“A类”
    access: str = ""  # 公开属性，如“公开”
    office: str = ""  # 发文机关标志
    doc_number: str = ""  # 发文字号
    signer: str = ""  # 签发人


# reply 答复函, report 工作报告或总结, bulletin 情况通报, notice 通知, request 请示.
DraftKind = Literal["reply", "report", "bulletin", "notice", "request"]


class Draft(BaseModel):
    kind: DraftKind
    title: str
    header: DraftHeader = Field(default_factory=DraftHeader)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    tables: list[DraftTable] = Field(default_factory=list)
    period: str | None = Field(None, description="数据所用的期间，如 2023Q1")
    as_of: Date | None = Field(None, description="草稿的时点：答复函为成文日期，报告为期间末；数字、问题和引用的文件都以此为准")
    mode: Literal["grounded", "llm"] = "grounded"
    warnings: list[str] = Field(default_factory=list)

    def text(self, sources: bool = False) -> str:
        """Plain text of the draft (title, paragraphs, tables), optionally with the 附：依据 listing."""
        lines = [self.title, ""]
        lines += [p.full_text for p in self.paragraphs if p.full_text]
        for table in self.tables:
            lines += ["", table.title] + ([table.unit_note] if table.unit_note else [])
            lines += [" | ".join(row) for row in table.header + table.rows]
        if sources:
            from assistant.drafting.sources import SOURCES_HEADING, source_lines

            listing = source_lines(self)
            if listing:
                lines += ["", SOURCES_HEADING, *listing]
        return "\n".join(lines)


CheckStatus = Literal["match", "mismatch", "not_found"]
STATUS_LABELS: dict[str, str] = {"match": "一致", "mismatch": "不一致", "not_found": "未找到"}


class FigureCheck(BaseModel):
    """One figure found in a draft and what the database says about it."""

    text: str = Field(description="稿件中的写法，如“263.7万美元”")
    value: float = Field(description="稿件中的数值（按所写单位，下降记为负数）")
    unit: str = ""
    start: int = Field(description="在核对文本中的字符位置")
    end: int
    context: str = Field(description="所在句子或表格行")
    status: CheckStatus
    label: str = Field("", description="对应的数据库指标，如“汉阴县 2023年一季度（1-3月） 外商直接投资”")
    db_value: float | None = None
    db_text: str = ""
    provenance: Provenance | None = None
    reason: str = ""
